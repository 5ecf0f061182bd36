//! What the simulator can tell of a file it is sent by address. Kling
//! fetches the file and checks it; the simulator fetches nothing from the
//! network, so it can only look at a file this server stores itself: an
//! address ending in `/uploads/<sha256>` (what the relay makes of
//! `upload:<sha256>` with a public base URL) whose object is in the
//! server's upload store. Any other address is taken on trust, as
//! "cannot tell".

use futures_util::TryStreamExt as _;
use storyreel_core::media::video::{self, MoovLocation, HEADER_READ};

use super::Simulator;
use crate::uploads::{is_sha256_hex, Kind, Uploads};

/// What a file at an address is, as far as the simulator can tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// Not a stored upload, or the store could not be read.
    CannotTell,
    Image(Kind),
    /// A video, a MOV/MP4 with sound only, or a voice clip (MP3, WAV) of
    /// this many seconds.
    Video {
        kind: Kind,
        seconds: f64,
    },
    /// A stored video whose length cannot be read (no `moov`, damaged).
    Unreadable(String),
}

/// The sha256 of a stored upload an address names, if it names one.
fn upload_sha(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next()?;
    let (rest, sha) = path.rsplit_once('/')?;
    (rest.ends_with("/uploads") && is_sha256_hex(sha)).then_some(sha)
}

pub async fn look(sim: &Simulator, url: &str) -> Seen {
    let (Some(uploads), Some(sha)) = (sim.uploads.get(), upload_sha(url)) else {
        return Seen::CannotTell;
    };
    let Ok(found) = uploads.find(sha).await else {
        return Seen::CannotTell;
    };
    if found.kind.is_image() {
        return Seen::Image(found.kind);
    }
    if found.kind.is_audio() {
        return match audio_seconds(uploads, sha, found.size).await {
            Ok(Some(seconds)) => Seen::Video {
                kind: found.kind,
                seconds,
            },
            Ok(None) => Seen::CannotTell,
            Err(why) => Seen::Unreadable(why),
        };
    }
    match video_seconds(uploads, sha, found.size).await {
        Ok(Some(seconds)) => Seen::Video {
            kind: found.kind,
            seconds,
        },
        Ok(None) => Seen::CannotTell,
        Err(why) => Seen::Unreadable(why),
    }
}

async fn read(uploads: &Uploads, sha: &str, range: std::ops::Range<u64>) -> Option<Vec<u8>> {
    let stream = uploads.read(sha, Some(range)).await.ok()?;
    let parts: Vec<bytes::Bytes> = stream.try_collect().await.ok()?;
    Some(parts.concat())
}

/// The length of a stored video, reading its boxes by range as the
/// browser does. `Ok(None)`: the store failed, so the simulator cannot
/// tell; `Err`: the file itself is not readable.
async fn video_seconds(uploads: &Uploads, sha: &str, size: u64) -> Result<Option<f64>, String> {
    let mut offset = 0u64;
    // A file with more top-level boxes than this is not worth the reads.
    for _ in 0..32 {
        let end = (offset + HEADER_READ).min(size);
        let Some(bytes) = read(uploads, sha, offset..end).await else {
            return Ok(None);
        };
        let moov = match video::locate_moov_from(&bytes, offset, size).map_err(|e| e.to_string())? {
            MoovLocation::InHead(range) => bytes[range].to_vec(),
            MoovLocation::At { offset, len } => {
                match read(uploads, sha, offset..offset + len).await {
                    Some(b) => b,
                    None => return Ok(None),
                }
            }
            MoovLocation::ReadAt { offset: next } => {
                offset = next;
                continue;
            }
            MoovLocation::NotFound => return Err("it has no moov box".into()),
        };
        return video::read_moov(&moov)
            .map(|info| Some(info.seconds()))
            .map_err(|e| e.to_string());
    }
    Ok(None)
}

/// A voice clip larger than this is not read whole (30 s of WAV at
/// 48 kHz, 24-bit stereo is about 8.6 MB).
const MAX_AUDIO_READ: u64 = 32 * 1024 * 1024;

/// The length of a stored MP3 or WAV, read whole, as the browser does.
async fn audio_seconds(uploads: &Uploads, sha: &str, size: u64) -> Result<Option<f64>, String> {
    if size > MAX_AUDIO_READ {
        return Ok(None);
    }
    let Some(bytes) = read(uploads, sha, 0..size).await else {
        return Ok(None);
    };
    storyreel_core::media::audio::read_audio(&bytes)
        .map(|info| Some(info.seconds))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_upload_addresses_are_looked_at() {
        let sha = "a".repeat(64);
        assert_eq!(
            upload_sha(&format!("https://h/uploads/{sha}")),
            Some(sha.as_str())
        );
        assert_eq!(
            upload_sha(&format!("http://h/x/uploads/{sha}?v=1")),
            Some(sha.as_str())
        );
        assert_eq!(upload_sha(&format!("https://h/files/{sha}")), None);
        assert_eq!(upload_sha("https://h/uploads/abc"), None);
    }
}

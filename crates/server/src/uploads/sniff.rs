//! What a file is, from its first bytes: the core's sniffers
//! (`storyreel_core::media::sniff` and `media::audio::sniff_audio`), the
//! same ones the browser runs before an upload, so both take and refuse the
//! same files. The kinds the board format takes (JPEG, PNG, MP4, MOV) and
//! the voice clips of the character library (MP3, WAV) are stored;
//! anything else is refused with a short description of what it is. File
//! names and the client's `Content-Type` are never trusted.

use storyreel_core::media::audio::{sniff_audio, AudioKind};
use storyreel_core::media::sniff::{self as core_sniff, Sniffed};

pub use storyreel_core::media::sniff::SNIFF_LEN;

/// The content types an upload may have, in the order messages list them.
pub const ACCEPTED: [&str; 6] = [
    "image/jpeg",
    "image/png",
    "video/mp4",
    "video/quicktime",
    "audio/mpeg",
    "audio/wav",
];

/// A stored file's kind: a picture or video of the cast, or a voice clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Mp4,
    Mov,
    Mp3,
    Wav,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Jpeg | Kind::Png | Kind::Mp4 | Kind::Mov => self
                .media()
                .map_or("application/octet-stream", |k| k.content_type()),
            Kind::Mp3 => AudioKind::Mp3.content_type(),
            Kind::Wav => AudioKind::Wav.content_type(),
        }
    }

    /// "JPEG", "MP3", ...
    pub fn name(self) -> &'static str {
        match self {
            Kind::Mp3 => AudioKind::Mp3.name(),
            Kind::Wav => AudioKind::Wav.name(),
            other => other.media().map_or("?", |k| k.name()),
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png)
    }

    pub fn is_audio(self) -> bool {
        matches!(self, Kind::Mp3 | Kind::Wav)
    }

    fn media(self) -> Option<core_sniff::Kind> {
        Some(match self {
            Kind::Jpeg => core_sniff::Kind::Jpeg,
            Kind::Png => core_sniff::Kind::Png,
            Kind::Mp4 => core_sniff::Kind::Mp4,
            Kind::Mov => core_sniff::Kind::Mov,
            Kind::Mp3 | Kind::Wav => return None,
        })
    }
}

impl From<core_sniff::Kind> for Kind {
    fn from(k: core_sniff::Kind) -> Kind {
        match k {
            core_sniff::Kind::Jpeg => Kind::Jpeg,
            core_sniff::Kind::Png => Kind::Png,
            core_sniff::Kind::Mp4 => Kind::Mp4,
            core_sniff::Kind::Mov => Kind::Mov,
        }
    }
}

/// The kind of the file that starts with `head` (its first [`SNIFF_LEN`]
/// bytes, or all of it if shorter); otherwise what it looks like, for the
/// error message ("a GIF image", "text", ...).
pub fn sniff(head: &[u8]) -> Result<Kind, String> {
    match core_sniff::sniff(head) {
        Sniffed::Accepted(kind) => Ok(kind.into()),
        other => match sniff_audio(head) {
            Some(AudioKind::Mp3) => Ok(Kind::Mp3),
            Some(AudioKind::Wav) => Ok(Kind::Wav),
            None => Err(other.description()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len();
        let mut b = (size as u32).to_be_bytes().to_vec();
        b.extend_from_slice(b"ftyp");
        b.extend_from_slice(major);
        b.extend_from_slice(&[0, 0, 2, 0]);
        for c in compatible {
            b.extend_from_slice(*c);
        }
        b.extend_from_slice(b"\0\0\0\x08free");
        b
    }

    #[test]
    fn the_four_kinds() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Ok(Kind::Jpeg));
        assert_eq!(sniff(&png), Ok(Kind::Png));
        assert_eq!(sniff(&ftyp(b"isom", &[b"isom", b"avc1"])), Ok(Kind::Mp4));
        assert_eq!(sniff(&ftyp(b"qt  ", &[b"qt  "])), Ok(Kind::Mov));
        assert_eq!(Kind::Mov.content_type(), ACCEPTED[3]);
    }

    #[test]
    fn voice_clips_are_taken_as_audio() {
        let mut wav = b"RIFF".to_vec();
        wav.extend_from_slice(&36u32.to_le_bytes());
        wav.extend_from_slice(b"WAVEfmt ");
        assert_eq!(sniff(&wav), Ok(Kind::Wav));
        assert_eq!(Kind::Wav.content_type(), ACCEPTED[5]);
        assert_eq!(sniff(b"ID3\x04\x00\x00\x00\x00\x00\x00"), Ok(Kind::Mp3));
        assert_eq!(Kind::Mp3.content_type(), ACCEPTED[4]);
        assert!(Kind::Mp3.is_audio() && !Kind::Mp3.is_image());
    }

    #[test]
    fn lookalikes_are_refused_with_what_they_are() {
        assert_eq!(
            sniff(&ftyp(b"heic", &[b"mif1", b"heic", b"iso8"])),
            Err("a HEIC image".into())
        );
        assert_eq!(
            sniff(&ftyp(b"M4A ", &[b"M4A ", b"mp42", b"isom"])),
            Err("an M4A audio file".into())
        );
        assert_eq!(sniff(b"GIF89a..."), Err("a GIF image".into()));
        assert_eq!(sniff(b"hello, world\n"), Err("text".into()));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<svg/>"),
            Err("an SVG drawing".into())
        );
        assert_eq!(
            sniff(&[0, 1, 2, 0xFE]),
            Err("an unknown kind of file (it starts 00 01 02 fe)".into())
        );
        assert!(sniff(&[0xFF, 0xD8]).is_err());
    }
}

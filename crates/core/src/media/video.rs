//! An MP4 or MOV's length, picture size, frame rate and codec from its
//! `moov` box (ISO base media / QuickTime boxes), without decoding it.
//!
//! The `moov` box may be at the start or at the end of the file (after the
//! media data), so reading is in two steps: [`locate_moov`] walks the
//! top-level boxes in the bytes read so far and says where `moov` is, or
//! where the next box header is when the walk leaves those bytes; the
//! caller reads that range (a `Blob.slice` in the browser) and passes the
//! whole `moov` box to [`read_moov`]. [`read_video`] does both for a file
//! that is all in memory. Nothing here panics on malformed input.

use std::fmt;
use std::ops::Range;

/// The largest `moov` box read: 64 MiB. A 10 s clip's is a few KiB; a
/// long recording's sample tables are some MiB.
pub const MAX_MOOV_BYTES: u64 = 64 * 1024 * 1024;

/// How many bytes to read at an offset [`MoovLocation::ReadAt`] names:
/// enough for a box header (16 bytes with a 64-bit size) and, usually,
/// a small `moov` after it.
pub const HEADER_READ: u64 = 64 * 1024;

/// Where the `moov` box is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoovLocation {
    /// All of it is in the bytes passed, at this range (header included).
    InHead(Range<usize>),
    /// It starts at `offset` in the file and is `len` bytes long (header
    /// included): read those bytes and pass them to [`read_moov`].
    At { offset: u64, len: u64 },
    /// The top-level box walk leaves the bytes passed: the next box header
    /// is at `offset`. Read from there (about [`HEADER_READ`] bytes) and
    /// call [`locate_moov_from`] with those bytes and this offset.
    ReadAt { offset: u64 },
    /// Every top-level box was walked to the end of the file; none is
    /// `moov`.
    NotFound,
}

/// What an MP4 or MOV says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoInfo {
    /// The movie's length: `duration` units of `timescale` per second
    /// (from `mvhd`, or the video track's `mdhd` when `mvhd` gives none).
    pub duration: u64,
    pub timescale: u32,
    /// The video track's size (`tkhd`, 16.16 fixed point; the integer
    /// part). A rotation matrix is not applied: both sides are checked
    /// against the same limits.
    pub width: u32,
    pub height: u32,
    /// Frames in the video track, and their total duration in the track's
    /// own timescale (`stts` and `mdhd`).
    pub frames: u64,
    pub frames_duration: u64,
    pub track_timescale: u32,
    /// The first sample description's four-character code (`avc1`,
    /// `hvc1`, `mp4v`, `apcn`...).
    pub codec: [u8; 4],
}

impl VideoInfo {
    pub fn seconds(&self) -> f64 {
        self.duration as f64 / f64::from(self.timescale)
    }

    /// The average frame rate, if the track has frames.
    pub fn fps(&self) -> Option<f64> {
        (self.frames > 0 && self.frames_duration > 0).then(|| {
            self.frames as f64 * f64::from(self.track_timescale) / self.frames_duration as f64
        })
    }

    pub fn codec_str(&self) -> String {
        String::from_utf8_lossy(&self.codec).trim_end().to_string()
    }
}

/// Why a video could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoError {
    /// The bytes end inside a box that must be read whole.
    Truncated { what: &'static str },
    /// A box is not what the format says it must be.
    Malformed { what: &'static str },
    /// No `moov` box: not a complete MP4 or MOV (perhaps a recording that
    /// was cut off).
    NoMoov,
    /// The `moov` box is larger than [`MAX_MOOV_BYTES`].
    MoovTooLarge { len: u64 },
    /// No track with a video handler.
    NoVideoTrack,
    /// A fragmented MP4 (`mvex`): its length is spread over fragments.
    Fragmented,
}

impl fmt::Display for VideoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VideoError::Truncated { what } => write!(f, "the video ends inside its {what}"),
            VideoError::Malformed { what } => write!(f, "the video is damaged: {what}"),
            VideoError::NoMoov => {
                f.write_str("the video has no index (moov box); it may be incomplete")
            }
            VideoError::MoovTooLarge { len } => write!(
                f,
                "the video's index (moov box) is {len} bytes; at most {MAX_MOOV_BYTES} are read"
            ),
            VideoError::NoVideoTrack => f.write_str("the file has no video track"),
            VideoError::Fragmented => f.write_str(
                "the video is a fragmented MP4, whose length cannot be read; save it as a regular MP4",
            ),
        }
    }
}

impl std::error::Error for VideoError {}

/// A box header: its type, where its body starts (relative to the header)
/// and its whole length, if it is given (`None`: to the end of the file).
struct Header {
    kind: [u8; 4],
    header_len: u64,
    len: Option<u64>,
}

/// Reads the box header at the start of `b`; `Ok(None)` if `b` is too
/// short to hold it.
fn header(b: &[u8]) -> Result<Option<Header>, VideoError> {
    let Some(size) = be32(b, 0) else {
        return Ok(None);
    };
    let Some(kind) = b.get(4..8) else {
        return Ok(None);
    };
    let kind: [u8; 4] = [kind[0], kind[1], kind[2], kind[3]];
    let (header_len, len) = match size {
        0 => (8, None),
        1 => {
            let Some(large) = be64(b, 8) else {
                return Ok(None);
            };
            (16, Some(large))
        }
        n => (8, Some(u64::from(n))),
    };
    if let Some(len) = len {
        if len < header_len {
            return Err(VideoError::Malformed {
                what: "a box is shorter than its own header",
            });
        }
    }
    Ok(Some(Header {
        kind,
        header_len,
        len,
    }))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// Where `moov` is, walking the top-level boxes of `head` (the first bytes
/// of a file of `file_len` bytes).
pub fn locate_moov(head: &[u8], file_len: u64) -> Result<MoovLocation, VideoError> {
    locate_moov_from(head, 0, file_len)
}

/// As [`locate_moov`], for `bytes` read at `offset` in the file, where a
/// top-level box starts (0, or an offset [`MoovLocation::ReadAt`] named).
/// A range in [`MoovLocation::InHead`] is into `bytes`.
pub fn locate_moov_from(
    bytes: &[u8],
    offset: u64,
    file_len: u64,
) -> Result<MoovLocation, VideoError> {
    let mut at: u64 = offset;
    loop {
        if at >= file_len {
            return Ok(MoovLocation::NotFound);
        }
        let rel = usize::try_from(at - offset).ok();
        let found = match rel.and_then(|r| bytes.get(r..)) {
            Some(rest) => header(rest)?,
            None => None,
        };
        let (Some(h), Some(rel)) = (found, rel) else {
            if at.saturating_add(8) > file_len {
                return Err(VideoError::Truncated {
                    what: "last box header",
                });
            }
            return Ok(MoovLocation::ReadAt { offset: at });
        };
        let len = h.len.unwrap_or(file_len - at);
        let end = at.checked_add(len).ok_or(VideoError::Malformed {
            what: "a box is larger than any file",
        })?;
        if end > file_len {
            return Err(VideoError::Truncated {
                what: "top-level boxes",
            });
        }
        if &h.kind == b"moov" {
            if len > MAX_MOOV_BYTES {
                return Err(VideoError::MoovTooLarge { len });
            }
            let rel_end = rel as u64 + len;
            return Ok(if rel_end <= bytes.len() as u64 {
                MoovLocation::InHead(rel..rel_end as usize)
            } else {
                MoovLocation::At { offset: at, len }
            });
        }
        at = end;
    }
}

/// Reads a whole file that is in memory.
pub fn read_video(file: &[u8]) -> Result<VideoInfo, VideoError> {
    match locate_moov(file, file.len() as u64)? {
        MoovLocation::InHead(range) => read_moov(&file[range]),
        MoovLocation::NotFound => Err(VideoError::NoMoov),
        // Every byte was there, so the walk cannot leave them.
        MoovLocation::At { .. } | MoovLocation::ReadAt { .. } => Err(VideoError::Truncated {
            what: "top-level boxes",
        }),
    }
}

/// A box's type and body.
type Child<'a> = ([u8; 4], &'a [u8]);

/// The children of a box body; an error if one is cut short.
fn children(body: &[u8]) -> Result<Vec<Child<'_>>, VideoError> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at < body.len() {
        let h = header(&body[at..])?.ok_or(VideoError::Truncated { what: "index" })?;
        let len = h.len.unwrap_or((body.len() - at) as u64);
        let end = (at as u64)
            .checked_add(len)
            .filter(|e| *e <= body.len() as u64)
            .ok_or(VideoError::Truncated { what: "index" })? as usize;
        out.push((h.kind, &body[at + h.header_len as usize..end]));
        at = end;
    }
    Ok(out)
}

fn child<'a>(list: &[Child<'a>], kind: &[u8; 4]) -> Option<&'a [u8]> {
    list.iter().find(|(k, _)| k == kind).map(|(_, b)| *b)
}

/// Follows a path of box types from a body; `None` if any is missing.
fn path<'a>(body: &'a [u8], kinds: &[&[u8; 4]]) -> Result<Option<&'a [u8]>, VideoError> {
    let mut cur = body;
    for kind in kinds {
        match child(&children(cur)?, kind) {
            Some(b) => cur = b,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

/// Timescale and duration of a `mvhd` or `mdhd` body (versions 0 and 1).
fn time_header(body: &[u8], what: &'static str) -> Result<(u32, u64), VideoError> {
    let short = VideoError::Truncated { what };
    let version = *body.first().ok_or(short.clone())?;
    let (timescale, duration) = match version {
        0 => {
            let d = be32(body, 16).ok_or(short.clone())?;
            // All ones: "unknown".
            let d = if d == u32::MAX { 0 } else { u64::from(d) };
            (be32(body, 12).ok_or(short)?, d)
        }
        1 => {
            let d = be64(body, 24).ok_or(short.clone())?;
            let d = if d == u64::MAX { 0 } else { d };
            (be32(body, 20).ok_or(short)?, d)
        }
        _ => return Err(VideoError::Malformed { what }),
    };
    if timescale == 0 {
        return Err(VideoError::Malformed { what });
    }
    Ok((timescale, duration))
}

/// Reads a whole `moov` box (header included).
pub fn read_moov(moov: &[u8]) -> Result<VideoInfo, VideoError> {
    let h = header(moov)?.ok_or(VideoError::Truncated { what: "index" })?;
    if &h.kind != b"moov" {
        return Err(VideoError::Malformed {
            what: "the index is not a moov box",
        });
    }
    let len = h.len.unwrap_or(moov.len() as u64);
    if len > moov.len() as u64 {
        return Err(VideoError::Truncated { what: "index" });
    }
    let body = &moov[h.header_len as usize..len as usize];
    let boxes = children(body)?;
    if child(&boxes, b"mvex").is_some() {
        return Err(VideoError::Fragmented);
    }
    let mvhd = child(&boxes, b"mvhd").ok_or(VideoError::Malformed {
        what: "it has no movie header (mvhd)",
    })?;
    let (mut timescale, mut duration) = time_header(mvhd, "movie header (mvhd)")?;

    for (_, trak) in boxes.iter().filter(|(k, _)| k == b"trak") {
        let Some(hdlr) = path(trak, &[b"mdia", b"hdlr"])? else {
            continue;
        };
        // version/flags(4) pre_defined(4) handler_type(4)
        if hdlr.get(8..12) != Some(b"vide") {
            continue;
        }
        let tkhd = path(trak, &[b"tkhd"])?.ok_or(VideoError::Malformed {
            what: "the video track has no header (tkhd)",
        })?;
        let size_at = match tkhd.first() {
            Some(0) => 76,
            Some(1) => 88,
            Some(_) => {
                return Err(VideoError::Malformed {
                    what: "track header (tkhd)",
                })
            }
            None => {
                return Err(VideoError::Truncated {
                    what: "track header (tkhd)",
                })
            }
        };
        let (w, h) =
            be32(tkhd, size_at)
                .zip(be32(tkhd, size_at + 4))
                .ok_or(VideoError::Truncated {
                    what: "track header (tkhd)",
                })?;
        let mdhd = path(trak, &[b"mdia", b"mdhd"])?.ok_or(VideoError::Malformed {
            what: "the video track has no media header (mdhd)",
        })?;
        let (track_timescale, track_duration) = time_header(mdhd, "media header (mdhd)")?;
        if duration == 0 {
            timescale = track_timescale;
            duration = track_duration;
        }
        let stbl = path(trak, &[b"mdia", b"minf", b"stbl"])?.ok_or(VideoError::Malformed {
            what: "the video track has no sample table (stbl)",
        })?;
        let stbl_boxes = children(stbl)?;
        let (frames, frames_duration) = match child(&stbl_boxes, b"stts") {
            Some(stts) => sample_times(stts)?,
            None => (0, 0),
        };
        // version/flags(4) entry_count(4), then the first entry: size(4) type(4)
        let codec = child(&stbl_boxes, b"stsd")
            .and_then(|stsd| stsd.get(12..16))
            .map(|c| [c[0], c[1], c[2], c[3]])
            .unwrap_or(*b"????");
        return Ok(VideoInfo {
            duration,
            timescale,
            width: w >> 16,
            height: h >> 16,
            frames,
            frames_duration,
            track_timescale,
            codec,
        });
    }
    Err(VideoError::NoVideoTrack)
}

/// The movie's length in seconds from a whole `moov` box (header
/// included), whatever its tracks: `mvhd`, or the longest track's `mdhd`
/// when `mvhd` gives none. A voice clip in an MP4 or MOV may have no
/// video track, which [`read_moov`] requires.
pub fn read_moov_seconds(moov: &[u8]) -> Result<f64, VideoError> {
    let h = header(moov)?.ok_or(VideoError::Truncated { what: "index" })?;
    if &h.kind != b"moov" {
        return Err(VideoError::Malformed {
            what: "the index is not a moov box",
        });
    }
    let len = h.len.unwrap_or(moov.len() as u64);
    if len > moov.len() as u64 {
        return Err(VideoError::Truncated { what: "index" });
    }
    let boxes = children(&moov[h.header_len as usize..len as usize])?;
    if child(&boxes, b"mvex").is_some() {
        return Err(VideoError::Fragmented);
    }
    let mvhd = child(&boxes, b"mvhd").ok_or(VideoError::Malformed {
        what: "it has no movie header (mvhd)",
    })?;
    let (timescale, duration) = time_header(mvhd, "movie header (mvhd)")?;
    if duration > 0 {
        return Ok(duration as f64 / f64::from(timescale));
    }
    let mut longest = 0.0f64;
    for (_, trak) in boxes.iter().filter(|(k, _)| k == b"trak") {
        if let Some(mdhd) = path(trak, &[b"mdia", b"mdhd"])? {
            let (scale, d) = time_header(mdhd, "media header (mdhd)")?;
            longest = longest.max(d as f64 / f64::from(scale));
        }
    }
    Ok(longest)
}

/// [`read_moov_seconds`] for a whole file that is in memory.
pub fn read_seconds(file: &[u8]) -> Result<f64, VideoError> {
    match locate_moov(file, file.len() as u64)? {
        MoovLocation::InHead(range) => read_moov_seconds(&file[range]),
        MoovLocation::NotFound => Err(VideoError::NoMoov),
        MoovLocation::At { .. } | MoovLocation::ReadAt { .. } => Err(VideoError::Truncated {
            what: "top-level boxes",
        }),
    }
}

/// The number of samples and their total duration from an `stts` body.
fn sample_times(stts: &[u8]) -> Result<(u64, u64), VideoError> {
    let what = "frame times (stts)";
    let count = be32(stts, 4).ok_or(VideoError::Truncated { what })? as usize;
    if stts.len() < 8 + count.saturating_mul(8) {
        return Err(VideoError::Truncated { what });
    }
    let (mut frames, mut total) = (0u64, 0u64);
    for i in 0..count {
        let n = u64::from(be32(stts, 8 + 8 * i).unwrap_or(0));
        let delta = u64::from(be32(stts, 12 + 8 * i).unwrap_or(0));
        frames = frames.saturating_add(n);
        total = total.saturating_add(n.saturating_mul(delta));
    }
    Ok((frames, total))
}

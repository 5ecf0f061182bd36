//! A voice clip's kind and length from its bytes: MP3 and WAV, the two
//! audio kinds Kling's custom voices take (providers.md §0.5; its MP4 and
//! MOV are read by [`super::video`]). Nothing is decoded.
//!
//! - WAV: a RIFF file of form `WAVE`; its length is the `data` chunk's
//!   size over the `fmt ` chunk's average bytes a second.
//! - MP3: an optional ID3v2 tag, then MPEG audio frames. The first frame
//!   may hold a Xing or Info header (LAME and most encoders, for variable
//!   and constant bit rates) or a VBRI header (Fraunhofer) that counts the
//!   frames: the length is frames × samples a frame ÷ sample rate. Without
//!   one the file is taken as constant bit rate and its length is the
//!   audio bytes (after the tag, without a trailing ID3v1 tag) over the
//!   first frame's bit rate: exact for CBR, an estimate for a VBR file
//!   that carries no header (rare).
//!
//! Malformed input gives an [`AudioError`], never a panic.

use std::fmt;

/// An audio kind a voice clip may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AudioKind {
    Mp3,
    Wav,
}

impl AudioKind {
    /// "MP3", "WAV".
    pub fn name(self) -> &'static str {
        match self {
            AudioKind::Mp3 => "MP3",
            AudioKind::Wav => "WAV",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            AudioKind::Mp3 => "audio/mpeg",
            AudioKind::Wav => "audio/wav",
        }
    }
}

/// How an MP3's length was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mp3Length {
    /// A Xing or Info header counts the frames.
    Xing,
    /// A VBRI header counts the frames.
    Vbri,
    /// From the bytes and the first frame's bit rate.
    ConstantBitRate,
}

/// What an audio file says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioInfo {
    pub kind: AudioKind,
    pub seconds: f64,
    pub sample_rate: u32,
    pub channels: u16,
    /// For an MP3, how its length was found.
    pub mp3_length: Option<Mp3Length>,
}

/// Why an audio file's length could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioError {
    /// Not an MP3 or WAV file.
    NotAudio,
    /// The bytes end inside a part that must be read whole.
    Truncated { kind: AudioKind, what: &'static str },
    /// A part is not what the format says it must be.
    Malformed { kind: AudioKind, what: &'static str },
}

impl fmt::Display for AudioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AudioError::NotAudio => f.write_str("the file is not an MP3 or WAV audio file"),
            AudioError::Truncated { kind, what } => {
                write!(f, "the {} ends inside its {what}", kind.name())
            }
            AudioError::Malformed { kind, what } => {
                write!(f, "the {} is damaged: {what}", kind.name())
            }
        }
    }
}

impl std::error::Error for AudioError {}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The audio kind of a file that starts with `head`, if it is MP3 or WAV:
/// a RIFF/WAVE header; an ID3v2 tag; or an MPEG audio frame header at the
/// first byte (followed by a second one where the bytes reach it, so that
/// two random bytes are not taken for a frame).
pub fn sniff_audio(head: &[u8]) -> Option<AudioKind> {
    if head.get(0..4) == Some(b"RIFF") && head.get(8..12) == Some(b"WAVE") {
        return Some(AudioKind::Wav);
    }
    if head.starts_with(b"ID3") {
        return Some(AudioKind::Mp3);
    }
    let frame = FrameHeader::parse(head)?;
    match head.get(frame.len..) {
        Some(rest) if rest.len() >= 4 => FrameHeader::parse(rest).map(|_| AudioKind::Mp3),
        _ => Some(AudioKind::Mp3),
    }
}

/// Reads a whole MP3 or WAV file.
pub fn read_audio(file: &[u8]) -> Result<AudioInfo, AudioError> {
    match sniff_audio(file) {
        Some(AudioKind::Wav) => read_wav(file),
        Some(AudioKind::Mp3) => read_mp3(file),
        None => Err(AudioError::NotAudio),
    }
}

// ------------------------------------------------------------------ WAV

fn read_wav(file: &[u8]) -> Result<AudioInfo, AudioError> {
    let kind = AudioKind::Wav;
    let truncated = |what| AudioError::Truncated { kind, what };
    let malformed = |what| AudioError::Malformed { kind, what };
    // "RIFF" size(4) "WAVE", then chunks: id(4) size(4) body, padded to
    // an even length.
    let mut at = 12usize;
    let mut format: Option<(u16, u32, u32)> = None;
    loop {
        let (Some(id), Some(size)) = (file.get(at..at + 4), le32(file, at + 4)) else {
            return Err(match format {
                None => truncated("format chunk (fmt)"),
                Some(_) => truncated("data chunk header"),
            });
        };
        let body = at + 8;
        let available = file.len() - body;
        match id {
            b"fmt " => {
                let channels = le16(file, body + 2).ok_or(truncated("format chunk (fmt)"))?;
                let rate = le32(file, body + 4).ok_or(truncated("format chunk (fmt)"))?;
                let byte_rate = le32(file, body + 8).ok_or(truncated("format chunk (fmt)"))?;
                if size < 16 {
                    return Err(malformed("the format chunk (fmt) is too short"));
                }
                if byte_rate == 0 || rate == 0 || channels == 0 {
                    return Err(malformed(
                        "the format chunk (fmt) gives no sample rate or byte rate",
                    ));
                }
                format = Some((channels, rate, byte_rate));
            }
            b"data" => {
                let (channels, rate, byte_rate) =
                    format.ok_or(malformed("the data chunk comes before its format (fmt)"))?;
                // A recording streamed to disk may leave the size unset
                // (0 or all ones): then the data runs to the end.
                let len = match size {
                    0 | u32::MAX => available as u64,
                    n if u64::from(n) > available as u64 => {
                        return Err(truncated("sound data"));
                    }
                    n => u64::from(n),
                };
                return Ok(AudioInfo {
                    kind,
                    seconds: len as f64 / f64::from(byte_rate),
                    sample_rate: rate,
                    channels,
                    mp3_length: None,
                });
            }
            _ => {}
        }
        let padded = u64::from(size) + u64::from(size & 1);
        let next = (body as u64).saturating_add(padded);
        if next > file.len() as u64 {
            return Err(truncated("chunks"));
        }
        at = next as usize;
    }
}

// ------------------------------------------------------------------ MP3

/// An MPEG audio frame header (MPEG 1, 2 and 2.5; layers I, II and III).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FrameHeader {
    /// 1 for MPEG 1, 2 for MPEG 2 and 2.5 (their tables are the same).
    mpeg1: bool,
    layer: u8,
    bitrate: u32,
    sample_rate: u32,
    mono: bool,
    /// The whole frame in bytes, header included.
    len: usize,
}

const BITRATES_V1: [[u32; 15]; 3] = [
    [
        0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
    ],
    [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
    ],
    [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ],
];
const BITRATES_V2: [[u32; 15]; 2] = [
    [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
    ],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];

impl FrameHeader {
    /// The header at the start of `b`, if it is a valid one: the sync
    /// bits, no reserved version or layer, a bit rate that is not "free"
    /// or bad, a sample rate that is not reserved.
    fn parse(b: &[u8]) -> Option<FrameHeader> {
        let h = b.get(0..4)?;
        if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
            return None;
        }
        let version = (h[1] >> 3) & 3; // 0: 2.5, 2: 2, 3: 1
        let layer = match (h[1] >> 1) & 3 {
            3 => 1,
            2 => 2,
            1 => 3,
            _ => return None,
        };
        if version == 1 {
            return None;
        }
        let mpeg1 = version == 3;
        let index = usize::from(h[2] >> 4);
        if index == 0 || index == 15 {
            return None;
        }
        let kbps = if mpeg1 {
            BITRATES_V1[usize::from(layer) - 1][index]
        } else {
            BITRATES_V2[usize::from(layer != 1)][index]
        };
        let base_rate = match (h[2] >> 2) & 3 {
            0 => 44_100,
            1 => 48_000,
            2 => 32_000,
            _ => return None,
        };
        let sample_rate = match version {
            3 => base_rate,
            2 => base_rate / 2,
            _ => base_rate / 4,
        };
        let padding = usize::from((h[2] >> 1) & 1);
        let bitrate = kbps * 1000;
        let len = if layer == 1 {
            (12 * bitrate / sample_rate) as usize * 4 + padding * 4
        } else {
            (Self::samples_of(mpeg1, layer) / 8 * bitrate / sample_rate) as usize + padding
        };
        Some(FrameHeader {
            mpeg1,
            layer,
            bitrate,
            sample_rate,
            mono: h[3] >> 6 == 3,
            len,
        })
    }

    fn samples_of(mpeg1: bool, layer: u8) -> u32 {
        match (layer, mpeg1) {
            (1, _) => 384,
            (2, _) | (3, true) => 1152,
            _ => 576,
        }
    }

    fn samples(&self) -> u32 {
        Self::samples_of(self.mpeg1, self.layer)
    }

    /// Where a Xing or Info header would start: after the header and the
    /// layer III side information.
    fn xing_offset(&self) -> usize {
        4 + match (self.mpeg1, self.mono) {
            (true, false) => 32,
            (true, true) | (false, false) => 17,
            (false, true) => 9,
        }
    }
}

/// The length of the ID3v2 tags at the start of `file` (there may be more
/// than one), in bytes.
fn id3v2_len(file: &[u8]) -> Result<usize, AudioError> {
    let mut at = 0usize;
    while file.get(at..at + 3) == Some(b"ID3") {
        let h = file.get(at..at + 10).ok_or(AudioError::Truncated {
            kind: AudioKind::Mp3,
            what: "ID3 tag",
        })?;
        if h[6..10].iter().any(|b| b & 0x80 != 0) {
            return Err(AudioError::Malformed {
                kind: AudioKind::Mp3,
                what: "the ID3 tag's size is not a sync-safe number",
            });
        }
        let size = h[6..10]
            .iter()
            .fold(0usize, |n, b| (n << 7) | usize::from(*b));
        let footer = if h[5] & 0x10 != 0 { 10 } else { 0 };
        at = at + 10 + size + footer;
        if at > file.len() {
            return Err(AudioError::Truncated {
                kind: AudioKind::Mp3,
                what: "ID3 tag",
            });
        }
    }
    Ok(at)
}

/// How far past the tags the first frame is looked for: encoders may pad
/// a little; anything further is not an MP3 this reads.
const MAX_SYNC_SEARCH: usize = 64 * 1024;

fn read_mp3(file: &[u8]) -> Result<AudioInfo, AudioError> {
    let kind = AudioKind::Mp3;
    let start = id3v2_len(file)?;
    let end = if file.len() >= start + 128 && file[file.len() - 128..].starts_with(b"TAG") {
        file.len() - 128
    } else {
        file.len()
    };
    let audio = &file[start..end];
    // The first frame: a valid header whose next frame (if the bytes reach
    // it) is valid too.
    let limit = audio.len().min(MAX_SYNC_SEARCH);
    let (at, frame) = (0..limit)
        .find_map(|i| {
            let f = FrameHeader::parse(&audio[i..])?;
            let next = audio.get(i + f.len..).unwrap_or_default();
            (next.len() < 4 || FrameHeader::parse(next).is_some()).then_some((i, f))
        })
        .ok_or(AudioError::Malformed {
            kind,
            what: "no MPEG audio frame was found",
        })?;
    let first = &audio[at..];
    let counted = |frames: u32, how| AudioInfo {
        kind,
        seconds: f64::from(frames) * f64::from(frame.samples()) / f64::from(frame.sample_rate),
        sample_rate: frame.sample_rate,
        channels: if frame.mono { 1 } else { 2 },
        mp3_length: Some(how),
    };
    let x = frame.xing_offset();
    if matches!(first.get(x..x + 4), Some(b"Xing" | b"Info")) {
        let flags = be32(first, x + 4).ok_or(AudioError::Truncated {
            kind,
            what: "Xing header",
        })?;
        if flags & 1 != 0 {
            let frames = be32(first, x + 8).ok_or(AudioError::Truncated {
                kind,
                what: "Xing header",
            })?;
            return Ok(counted(frames, Mp3Length::Xing));
        }
    }
    if first.get(36..40) == Some(b"VBRI") {
        let frames = be32(first, 36 + 14).ok_or(AudioError::Truncated {
            kind,
            what: "VBRI header",
        })?;
        return Ok(counted(frames, Mp3Length::Vbri));
    }
    let bytes = (audio.len() - at) as f64;
    Ok(AudioInfo {
        kind,
        seconds: bytes * 8.0 / f64::from(frame.bitrate),
        sample_rate: frame.sample_rate,
        channels: if frame.mono { 1 } else { 2 },
        mp3_length: Some(Mp3Length::ConstantBitRate),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_lengths_follow_the_tables() {
        // MPEG 1 layer III, 128 kbps, 44.1 kHz, no padding: 417 bytes.
        let f = FrameHeader::parse(&[0xFF, 0xFB, 0x90, 0x00]).unwrap();
        assert_eq!((f.bitrate, f.sample_rate, f.len), (128_000, 44_100, 417));
        // With padding: 418.
        assert_eq!(
            FrameHeader::parse(&[0xFF, 0xFB, 0x92, 0x00]).unwrap().len,
            418
        );
        // MPEG 2 layer III, 64 kbps, 22.05 kHz, mono: 72·64000/22050 = 208.
        let f = FrameHeader::parse(&[0xFF, 0xF3, 0x80, 0xC0]).unwrap();
        assert_eq!(
            (f.sample_rate, f.len, f.samples(), f.xing_offset()),
            (22_050, 208, 576, 13)
        );
        // Reserved version, layer, bit rate or sample rate: not a frame.
        for h in [
            [0xFF, 0xEB, 0x90, 0x00],
            [0xFF, 0xF9, 0x90, 0x00],
            [0xFF, 0xFB, 0xF0, 0x00],
            [0xFF, 0xFB, 0x00, 0x00],
            [0xFF, 0xFB, 0x9C, 0x00],
        ] {
            assert_eq!(FrameHeader::parse(&h), None, "{h:02x?}");
        }
    }

    #[test]
    fn never_panics_on_cut_or_odd_input() {
        let mut wav = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0".to_vec();
        wav.extend([1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x40, 0x1F, 0, 0, 1, 0, 8, 0]);
        wav.extend(b"data\x04\0\0\0abcd");
        for n in 0..wav.len() {
            let _ = read_audio(&wav[..n]);
        }
        assert!(read_audio(&wav).is_ok());
        let mp3 = [b"ID3\x04\0\0\0\0\0\x02\0\0".as_slice(), &[0xFF, 0xFB, 0x90]].concat();
        for n in 0..mp3.len() {
            let _ = read_audio(&mp3[..n]);
        }
        let _ = read_audio(&[0xFF, 0xFB, 0x90, 0x00]);
    }
}

//! The binary layout of a board, before compression. Two versions are
//! read; version 2 is the one written.
//!
//! Version 2 (links starting `b2.`):
//!
//! ```text
//! flags        1 byte: settings (bits 0-4: provider + 3 × aspect ratio
//!              + 9 × resolution, so 0-26; provider 0 kling, 1 fal,
//!              2 replicate; aspect ratio 0 16:9, 1 9:16, 2 1:1;
//!              resolution 0 720p, 1 1080p, 2 4k), sound (bit 5),
//!              first_frame present (bit 6), last_frame present (bit 7)
//! title        string
//! prompt       string
//! references   varint count, then each: tag byte (bits 0-1 kind: 0 image,
//!              1 element, 2 video; bit 2 video use base, or element id
//!              as text; bit 3 video keep_sound, or the element's
//!              character is made from a video; bits 4-6 elements only:
//!              a character link follows, it has a voice, the voice has
//!              a trial URL), name string, then src string (image,
//!              video) or the element id (element), then for an element
//!              with bit 4 its character (below)
//! first_frame  string, if its flag is set
//! last_frame   string, if its flag is set
//! shots        varint count, then each: duration varint, prompt string
//! take         optional: tag byte 1, then the take video's URL string
//! ```
//!
//! A library character an element carries (bit 4; a section added after
//! the first version-2 links, whose element tags never set bits 3-6, so
//! they read exactly as before):
//!
//! ```text
//! id           string (the character's id in its library)
//! look         bit 3 clear: frontal string, varint count, each other
//!              image string; bit 3 set: the video's src string
//! voice        if bit 5: voice id string, name string, source byte
//!              (0 preset, 1 custom, 2 cloned), then the trial URL
//!              string if bit 6
//! ```
//!
//! Bits 3, 5 and 6 without bit 4, or bit 6 without bit 5, are errors, so
//! a character has one layout too.
//!
//! An element id is a string. One that is a number as Kling writes it
//! (1 to 19 digits, no leading zero unless it is "0") is written as that
//! number, a varint at most 10^19 − 1, as compact as version 1 wrote it;
//! any other string (leading zeros, too long, not digits: a draft may
//! hold one) is written as a string with tag bit 2 set. Only the number
//! form is allowed for a number, so an id has one layout.
//!
//! Version 1 (links starting `b1.`, written until board format 2) differs
//! in two places: the flags byte has provider in bits 0-1 (3 unused),
//! mode in bit 2 (1 std, read as 720p; 0 pro, read as 1080p) and aspect
//! ratio in bits 3-4 (3 unused); an element id is always a varint (any
//! u64), read as its decimal string. It has no 4K and no text ids.
//!
//! A varint is LEB128 (7 bits a byte, low first, at most 10 bytes for u64,
//! 5 for u32, no redundant trailing zero bytes); a string is a varint byte
//! length and UTF-8. Reading is strict: unknown bits, settings or tags,
//! overlong varints, bad UTF-8, lengths past the end and trailing bytes
//! are errors, so every board has exactly one layout in each version.
//!
//! The take section came after the first links: a link without it is a
//! board with no take, read exactly as before. After the shots the layout
//! either ends or holds the take section and then ends; any other byte
//! there, or anything after the take's URL, is left over and an error.
//! (A later section would take the next tag, after this one.) The URL
//! itself is checked by the caller (`take.rs`), not here; an empty one is
//! written only for an empty URL, which that check refuses, so a board
//! without a take still has one layout.

use crate::board::{AspectRatio, Board, FormatTag, Provider, Resolution, Shot};
use crate::character::{CharacterLink, Look, Voice, VoiceSource};
use crate::reference::{Reference, ReferenceKind, VideoUse};

/// The tag byte that starts the take section.
const TAKE_TAG: u8 = 1;
/// Version 2's reference tag bit for an element id written as text.
const ELEMENT_TEXT: u8 = 4;
/// Version 2's element tag bits for a library character: made from a
/// video, the link itself, a voice, the voice's trial URL.
const CHARACTER_VIDEO: u8 = 8;
const CHARACTER: u8 = 16;
const CHARACTER_VOICE: u8 = 32;
const VOICE_TRIAL: u8 = 64;
/// The largest element id written as a number in version 2: every string
/// of at most 19 digits ([`crate::limits::MAX_ELEMENT_ID_DIGITS`]).
const MAX_NUMERIC_ID: u64 = 9_999_999_999_999_999_999;

/// A layout version: which prefix a link has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    V1,
    V2,
}

/// The version-2 layout of `board` and its take.
pub(super) fn write(board: &Board, take_url: Option<&str>) -> Vec<u8> {
    write_as(Layout::V2, board, take_url).unwrap_or_default()
}

/// The version-1 layout, as the encoder before board format 2 wrote it,
/// or `None` for a board version 1 cannot hold (4K, an element id that is
/// not a number). Only the fuzz checks use it: to hold version 1 to one
/// layout a board.
pub(super) fn write_v1(board: &Board, take_url: Option<&str>) -> Option<Vec<u8>> {
    write_as(Layout::V1, board, take_url)
}

fn write_as(layout: Layout, board: &Board, take_url: Option<&str>) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    let provider = match board.provider {
        Provider::Kling => 0,
        Provider::Fal => 1,
        Provider::Replicate => 2,
    };
    let aspect = match board.aspect_ratio {
        AspectRatio::Landscape => 0,
        AspectRatio::Portrait => 1,
        AspectRatio::Square => 2,
    };
    let settings = match layout {
        Layout::V1 => {
            let mode = match board.resolution {
                Resolution::P720 => 1,
                Resolution::P1080 => 0,
                Resolution::K4 => return None,
            };
            provider | mode << 2 | aspect << 3
        }
        Layout::V2 => {
            let resolution = match board.resolution {
                Resolution::P720 => 0,
                Resolution::P1080 => 1,
                Resolution::K4 => 2,
            };
            provider + 3 * aspect + 9 * resolution
        }
    };
    let flags = settings
        | u8::from(board.sound) << 5
        | u8::from(board.first_frame.is_some()) << 6
        | u8::from(board.last_frame.is_some()) << 7;
    out.push(flags);
    put_str(&mut out, &board.title);
    put_str(&mut out, &board.prompt);
    put_varint(&mut out, board.references.len() as u64);
    for r in &board.references {
        match &r.kind {
            ReferenceKind::Image { src } => {
                out.push(0);
                put_str(&mut out, &r.name);
                put_str(&mut out, src);
            }
            ReferenceKind::Element {
                element_id,
                character,
            } => {
                // Version 1 has no characters: the id alone, as written then.
                let character = match layout {
                    Layout::V1 => None,
                    Layout::V2 => character.as_deref(),
                };
                let bits = character.map_or(0, character_bits);
                let number = match layout {
                    Layout::V1 => element_id
                        .parse::<u64>()
                        .ok()
                        .filter(|n| n.to_string() == *element_id),
                    Layout::V2 => numeric_id(element_id),
                };
                match (number, layout) {
                    (Some(n), _) => {
                        out.push(1 | bits);
                        put_str(&mut out, &r.name);
                        put_varint(&mut out, n);
                    }
                    (None, Layout::V1) => return None,
                    (None, Layout::V2) => {
                        out.push(1 | ELEMENT_TEXT | bits);
                        put_str(&mut out, &r.name);
                        put_str(&mut out, element_id);
                    }
                }
                if let Some(c) = character {
                    put_character(&mut out, c);
                }
            }
            ReferenceKind::Video {
                src,
                usage,
                keep_sound,
            } => {
                let base = matches!(usage, VideoUse::Base);
                out.push(2 | u8::from(base) << 2 | u8::from(*keep_sound) << 3);
                put_str(&mut out, &r.name);
                put_str(&mut out, src);
            }
        }
    }
    for frame in [&board.first_frame, &board.last_frame]
        .into_iter()
        .flatten()
    {
        put_str(&mut out, frame);
    }
    put_varint(&mut out, board.shots.len() as u64);
    for shot in &board.shots {
        put_varint(&mut out, u64::from(shot.duration));
        put_str(&mut out, &shot.prompt);
    }
    if let Some(url) = take_url {
        out.push(TAKE_TAG);
        put_str(&mut out, url);
    }
    Some(out)
}

/// The tag bits of an element carrying `c`.
fn character_bits(c: &CharacterLink) -> u8 {
    let mut bits = CHARACTER;
    if c.look.is_video() {
        bits |= CHARACTER_VIDEO;
    }
    if let Some(voice) = &c.voice {
        bits |= CHARACTER_VOICE;
        if voice.trial_url.is_some() {
            bits |= VOICE_TRIAL;
        }
    }
    bits
}

fn put_character(out: &mut Vec<u8>, c: &CharacterLink) {
    put_str(out, &c.id);
    match &c.look {
        Look::Images { frontal, others } => {
            put_str(out, frontal);
            put_varint(out, others.len() as u64);
            for o in others {
                put_str(out, o);
            }
        }
        Look::Video { src } => put_str(out, src),
    }
    if let Some(v) = &c.voice {
        put_str(out, &v.voice_id);
        put_str(out, &v.name);
        out.push(match v.source {
            VoiceSource::Preset => 0,
            VoiceSource::Custom => 1,
            VoiceSource::Cloned => 2,
        });
        if let Some(url) = &v.trial_url {
            put_str(out, url);
        }
    }
}

/// The character after an element whose tag is `tag`, if its tag says
/// one follows.
fn read_character(r: &mut Reader<'_>, tag: u8) -> Result<Option<Box<CharacterLink>>, LayoutError> {
    if tag & CHARACTER == 0 {
        return Ok(None);
    }
    let id = r.string("a character's id")?;
    let look = if tag & CHARACTER_VIDEO != 0 {
        Look::Video {
            src: r.string("a character's video")?,
        }
    } else {
        let frontal = r.string("a character's frontal image")?;
        let count = r.count("the number of a character's other images")?;
        let mut others = Vec::with_capacity(count);
        for _ in 0..count {
            others.push(r.string("a character's image")?);
        }
        Look::Images { frontal, others }
    };
    let voice = if tag & CHARACTER_VOICE != 0 {
        let voice_id = r.string("a voice's id")?;
        let name = r.string("a voice's name")?;
        let source = match r.byte("a voice's source")? {
            0 => VoiceSource::Preset,
            1 => VoiceSource::Custom,
            2 => VoiceSource::Cloned,
            n => return Err(format!("unknown voice source {n}")),
        };
        let trial_url = if tag & VOICE_TRIAL != 0 {
            Some(r.string("a voice's trial URL")?)
        } else {
            None
        };
        Some(Voice {
            voice_id,
            name,
            source,
            trial_url,
        })
    } else {
        None
    };
    Ok(Some(Box::new(CharacterLink { id, look, voice })))
}

/// Whether `t` is a version-2 element tag: kind 1, then only the bits an
/// element has, each character bit only with the link, the trial URL only
/// with a voice.
fn is_element_tag_v2(t: u8) -> bool {
    let known = 1 | ELEMENT_TEXT | CHARACTER_VIDEO | CHARACTER | CHARACTER_VOICE | VOICE_TRIAL;
    t & 3 == 1
        && t & !known == 0
        && (t & CHARACTER != 0 || t & (CHARACTER_VIDEO | CHARACTER_VOICE | VOICE_TRIAL) == 0)
        && (t & CHARACTER_VOICE != 0 || t & VOICE_TRIAL == 0)
}

/// The number an element id is in version 2's number form, if it is one:
/// 1 to 19 digits without a leading zero (or just "0"), so that the
/// number's decimal gives the id back.
fn numeric_id(id: &str) -> Option<u64> {
    let digits = !id.is_empty()
        && id.len() <= crate::limits::MAX_ELEMENT_ID_DIGITS
        && id.bytes().all(|b| b.is_ascii_digit());
    if !digits || (id.len() > 1 && id.starts_with('0')) {
        return None;
    }
    id.parse().ok()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// What is wrong with a layout, in words.
pub(super) type LayoutError = String;

/// The settings in a flags byte: provider, resolution, aspect ratio.
fn settings(layout: Layout, flags: u8) -> Result<(Provider, Resolution, AspectRatio), LayoutError> {
    let provider_of = |n: u8| match n {
        0 => Some(Provider::Kling),
        1 => Some(Provider::Fal),
        2 => Some(Provider::Replicate),
        _ => None,
    };
    let aspect_of = |n: u8| match n {
        0 => Some(AspectRatio::Landscape),
        1 => Some(AspectRatio::Portrait),
        2 => Some(AspectRatio::Square),
        _ => None,
    };
    match layout {
        Layout::V1 => {
            let provider = provider_of(flags & 3).ok_or("unknown provider")?;
            let resolution = if flags & 4 == 0 {
                Resolution::P1080
            } else {
                Resolution::P720
            };
            let aspect = aspect_of((flags >> 3) & 3).ok_or("unknown aspect ratio")?;
            Ok((provider, resolution, aspect))
        }
        Layout::V2 => {
            let n = flags & 0x1f;
            let resolution = match n / 9 {
                0 => Resolution::P720,
                1 => Resolution::P1080,
                2 => Resolution::K4,
                _ => return Err(format!("the settings are {n}; the limit is 26")),
            };
            // Both below 3 by construction.
            let provider = provider_of(n % 3).ok_or("unknown provider")?;
            let aspect = aspect_of(n / 3 % 3).ok_or("unknown aspect ratio")?;
            Ok((provider, resolution, aspect))
        }
    }
}

/// The board and the take video's URL (unchecked), if the layout has one.
pub(super) fn read(layout: Layout, bytes: &[u8]) -> Result<(Board, Option<String>), LayoutError> {
    let mut r = Reader { bytes, pos: 0 };
    let flags = r.byte("the settings")?;
    let (provider, resolution, aspect_ratio) = settings(layout, flags)?;
    let sound = flags & 0x20 != 0;
    let title = r.string("the title")?;
    let prompt = r.string("the overall prompt")?;
    let count = r.count("the number of references")?;
    let mut references = Vec::with_capacity(count);
    for _ in 0..count {
        let tag = r.byte("a reference's kind")?;
        let name = r.string("a reference's name")?;
        let kind = match (tag, layout) {
            (0, _) => ReferenceKind::Image {
                src: r.string("an image's src")?,
            },
            (1, Layout::V1) => ReferenceKind::Element {
                element_id: r.varint(u64::MAX, "an element's id")?.to_string(),
                character: None,
            },
            (t, Layout::V2) if is_element_tag_v2(t) && t & ELEMENT_TEXT == 0 => {
                ReferenceKind::Element {
                    element_id: r.varint(MAX_NUMERIC_ID, "an element's id")?.to_string(),
                    character: read_character(&mut r, t)?,
                }
            }
            (t, Layout::V2) if is_element_tag_v2(t) => {
                let element_id = r.string("an element's id")?;
                if numeric_id(&element_id).is_some() {
                    return Err(format!(
                        "the element id '{element_id}' is written as text; a number is written as a number"
                    ));
                }
                ReferenceKind::Element {
                    element_id,
                    character: read_character(&mut r, t)?,
                }
            }
            (t, _) if t & !0b1100 == 2 => ReferenceKind::Video {
                src: r.string("a video's src")?,
                usage: if t & 4 == 0 {
                    VideoUse::Feature
                } else {
                    VideoUse::Base
                },
                keep_sound: t & 8 != 0,
            },
            (t, _) => return Err(format!("unknown reference kind {t}")),
        };
        references.push(Reference { name, kind });
    }
    let first_frame = match flags & 0x40 {
        0 => None,
        _ => Some(r.string("the first frame")?),
    };
    let last_frame = match flags & 0x80 {
        0 => None,
        _ => Some(r.string("the last frame")?),
    };
    let count = r.count("the number of shots")?;
    let mut shots = Vec::with_capacity(count);
    for _ in 0..count {
        let duration = r.varint(u64::from(u32::MAX), "a shot's duration")? as u32;
        let prompt = r.string("a shot's prompt")?;
        shots.push(Shot { prompt, duration });
    }
    let take_url = match bytes.get(r.pos) {
        Some(&TAKE_TAG) => {
            r.pos += 1;
            Some(r.string("the take video's URL")?)
        }
        _ => None,
    };
    if r.pos != bytes.len() {
        let after = if take_url.is_some() {
            "the take video's URL"
        } else {
            "the last shot"
        };
        return Err(format!(
            "{} bytes are left over after {after}",
            bytes.len() - r.pos
        ));
    }
    let board = Board {
        format: FormatTag,
        title,
        provider,
        resolution,
        aspect_ratio,
        sound,
        prompt,
        references,
        first_frame,
        last_frame,
        shots,
    };
    Ok((board, take_url))
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self, what: &str) -> Result<u8, LayoutError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| format!("it ends before {what}"))?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self, max: u64, what: &str) -> Result<u64, LayoutError> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let b = self.byte(what)?;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(format!("{what} is too large"));
            }
            v |= bits << (7 * i);
            if b & 0x80 == 0 {
                if i > 0 && bits == 0 {
                    return Err(format!("{what} is written with extra bytes"));
                }
                return if v > max {
                    Err(format!("{what} is {v}; the limit is {max}"))
                } else {
                    Ok(v)
                };
            }
        }
        Err(format!("{what} is too large"))
    }

    /// A count of items that each take at least one byte, so it can never
    /// be more than the bytes left (no large allocation from a small link).
    fn count(&mut self, what: &str) -> Result<usize, LayoutError> {
        let left = (self.bytes.len() - self.pos) as u64;
        let n = self.varint(u64::MAX, what)?;
        if n > left {
            return Err(format!("{what} is {n}, more than the link holds"));
        }
        Ok(n as usize)
    }

    fn string(&mut self, what: &str) -> Result<String, LayoutError> {
        let len = self.varint(u64::MAX, what)?;
        let left = (self.bytes.len() - self.pos) as u64;
        if len > left {
            return Err(format!("{what} is cut short"));
        }
        let end = self.pos + len as usize;
        let text = std::str::from_utf8(&self.bytes[self.pos..end])
            .map_err(|_| format!("{what} is not valid UTF-8"))?;
        self.pos = end;
        Ok(text.to_string())
    }
}

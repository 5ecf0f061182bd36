//! The files of the character library against Kling's limits for them
//! (Element Management and Voice Management pages, providers.md §0.5),
//! checked from their bytes before anything is uploaded:
//!
//! - a character's images ([`Role::ElementImage`]): JPEG or PNG, at most
//!   10 MiB, each side at least 300 px, 1:2.5 to 2.5:1: the limits of a
//!   reference image, so [`super::check::check_image`] judges them (and an image that is
//!   only too large is fixable the same way);
//! - its video ([`Role::ElementVideo`]): MP4 or MOV, 3 to 8 s, 1080p
//!   (1920×1080 or 1080×1920; see
//!   [`ELEMENT_VIDEO_SHORT_SIDE_PX`]), 16:9 or 9:16, at most 200 MiB;
//! - a voice clip ([`Role::VoiceClip`]): MP3, WAV, MP4 or MOV, 5 to 30 s.
//!
//! Each refusal is a [`MediaProblem`] naming the limit and the value.

use crate::limits::{
    ELEMENT_VIDEO_ASPECT_LONG, ELEMENT_VIDEO_ASPECT_SHORT, ELEMENT_VIDEO_SHORT_SIDE_PX,
    MAX_ELEMENT_VIDEO_SECONDS, MAX_VIDEO_BYTES, MAX_VOICE_SECONDS, MIN_ELEMENT_VIDEO_SECONDS,
    MIN_VOICE_SECONDS,
};

use super::audio::{self, sniff_audio};
use super::check::{check_kind, MediaProblem, Role, Verdict};
use super::sniff::sniff;
use super::video::{self, VideoInfo};

/// A character's video (its `moov` read as for a reference video) against
/// the element limits. Frame rate is not checked: Kling's element page
/// names none.
pub fn check_element_video(info: &VideoInfo, file_len: u64) -> Verdict {
    let mut problems = Vec::new();
    let seconds = info.seconds();
    if !(MIN_ELEMENT_VIDEO_SECONDS..=MAX_ELEMENT_VIDEO_SECONDS).contains(&seconds) {
        problems.push(MediaProblem::ElementVideoLength {
            seconds,
            min: MIN_ELEMENT_VIDEO_SECONDS,
            max: MAX_ELEMENT_VIDEO_SECONDS,
        });
    }
    let (width, height) = (info.width, info.height);
    let (long, short) = (u64::from(width.max(height)), u64::from(width.min(height)));
    if long * ELEMENT_VIDEO_ASPECT_SHORT != short * ELEMENT_VIDEO_ASPECT_LONG {
        problems.push(MediaProblem::ElementVideoAspect { width, height });
    }
    if short != u64::from(ELEMENT_VIDEO_SHORT_SIDE_PX) {
        problems.push(MediaProblem::ElementVideoResolution {
            width,
            height,
            short_side: ELEMENT_VIDEO_SHORT_SIDE_PX,
        });
    }
    if file_len > MAX_VIDEO_BYTES {
        problems.push(MediaProblem::ElementVideoTooManyBytes {
            bytes: file_len,
            max: MAX_VIDEO_BYTES,
        });
    }
    refused_or_ok(problems)
}

/// A voice clip's length against 5–30 s.
pub fn check_voice_seconds(seconds: f64) -> Verdict {
    if (MIN_VOICE_SECONDS..=MAX_VOICE_SECONDS).contains(&seconds) {
        Verdict::Ok
    } else {
        Verdict::Refused(vec![MediaProblem::VoiceLength {
            seconds,
            min: MIN_VOICE_SECONDS,
            max: MAX_VOICE_SECONDS,
        }])
    }
}

fn refused_or_ok(problems: Vec<MediaProblem>) -> Verdict {
    if problems.is_empty() {
        Verdict::Ok
    } else {
        Verdict::Refused(problems)
    }
}

/// The length of a voice clip in memory: an MP3 or WAV by its headers, an
/// MP4 or MOV by its `moov` (any tracks; it need not have a video).
pub fn voice_clip_seconds(bytes: &[u8], name: Option<&str>) -> Result<f64, MediaProblem> {
    if let Some(kind) = sniff_audio(bytes) {
        return audio::read_audio(bytes)
            .map(|info| info.seconds)
            .map_err(|e| MediaProblem::AudioUnreadable {
                kind,
                reason: e.to_string(),
            });
    }
    let kind = check_kind(&sniff(bytes), name, Role::VoiceClip)?;
    video::read_seconds(bytes).map_err(|e| MediaProblem::Unreadable {
        kind,
        reason: e.to_string(),
    })
}

/// A whole file in memory, picked for one of the character library's
/// roles (the board's own roles go to [`super::check::check_file`]);
/// `name` is only used in messages.
pub fn check_character_file(bytes: &[u8], name: Option<&str>, role: Role) -> Verdict {
    let len = bytes.len() as u64;
    match role {
        Role::VoiceClip => {
            if bytes.is_empty() {
                return Verdict::Refused(vec![MediaProblem::Empty]);
            }
            match voice_clip_seconds(bytes, name) {
                Ok(seconds) => check_voice_seconds(seconds),
                Err(p) => Verdict::Refused(vec![p]),
            }
        }
        Role::ElementVideo => {
            let kind = match check_kind(&sniff(bytes), name, role) {
                Ok(kind) => kind,
                Err(p) => return Verdict::Refused(vec![p]),
            };
            match video::read_video(bytes) {
                Ok(info) => check_element_video(&info, len),
                Err(e) => Verdict::Refused(vec![MediaProblem::Unreadable {
                    kind,
                    reason: e.to_string(),
                }]),
            }
        }
        // Images have the limits of a reference image.
        Role::ElementImage | Role::Image | Role::Frame | Role::Video => {
            super::check::check_file(bytes, name, role)
        }
    }
}

//! A character's files checked in the browser before anything is sent:
//! its first bytes through `core::media` (the kind by content, an image's
//! size from its header, a video's index read by range). Each refusal is a
//! sentence naming the limit and the value; nothing is uploaded then.

use storyreel_core::media::{self, MediaProblem, Role};

use crate::intake;

/// Kling's element video: 3 to 8 s.
const VIDEO_MIN_S: f64 = 3.0;
const VIDEO_MAX_S: f64 = 8.0;
/// Kling's element video: 1080p (the short side).
const VIDEO_SHORT_SIDE: u32 = 1080;
/// Kling's element video: at most 200 MB.
const VIDEO_MAX_BYTES: u64 = 200 * 1024 * 1024;

/// What a picked file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    Image,
    Video,
}

/// Checks `file` as a character's image or video; the refusals, if any.
pub async fn check(file: &web_sys::File, want: Want) -> Result<(), Vec<String>> {
    let name = file.name();
    let len = file.size().max(0.0) as u64;
    let head = intake::read(file, 0, len.min(intake::IMAGE_HEAD))
        .await
        .map_err(|why| vec![why])?;
    let sniffed = media::sniff(&head);
    let role = match want {
        Want::Image => Role::Image,
        Want::Video => Role::Video,
    };
    media::check_kind(&sniffed, Some(&name), role).map_err(|p| vec![p.message()])?;
    match want {
        Want::Image => {
            let info = media::read_image(&head).map_err(|e| {
                vec![MediaProblem::Unreadable {
                    kind: sniffed.kind().unwrap_or(media::Kind::Jpeg),
                    reason: e.to_string(),
                }
                .message()]
            })?;
            // Kling takes a large image as it is: only the hard limits
            // refuse (the board's "larger than needed" is a resize hint).
            let problems: Vec<String> = media::check_image(&info, len)
                .problems()
                .iter()
                .filter(|p| !matches!(p, MediaProblem::ImageLargerThanNeeded { .. }))
                .map(MediaProblem::message)
                .collect();
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems)
            }
        }
        Want::Video => {
            let info = intake::video_info(file, &head, len)
                .await
                .map_err(|why| vec![why])?;
            let problems = video_problems(info.seconds(), info.width, info.height, len);
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems)
            }
        }
    }
}

/// What keeps a video from being a character's video.
fn video_problems(seconds: f64, width: u32, height: u32, bytes: u64) -> Vec<String> {
    let mut out = Vec::new();
    if !(VIDEO_MIN_S..=VIDEO_MAX_S).contains(&seconds) {
        out.push(format!(
            "The video is {seconds:.1} s long; a character's video must be {VIDEO_MIN_S:.0} to {VIDEO_MAX_S:.0} s."
        ));
    }
    let (long, short) = (width.max(height), width.min(height));
    if short != VIDEO_SHORT_SIDE || u64::from(long) * 9 != u64::from(short) * 16 {
        out.push(format!(
            "The video is {width}×{height} px; a character's video must be 1080p, 16:9 or 9:16 (1920×1080 or 1080×1920)."
        ));
    }
    if bytes > VIDEO_MAX_BYTES {
        out.push(format!(
            "The video is {:.1} MB; a character's video may be at most {} MB.",
            bytes as f64 / (1024.0 * 1024.0),
            VIDEO_MAX_BYTES / (1024 * 1024)
        ));
    }
    out
}

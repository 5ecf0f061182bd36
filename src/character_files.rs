//! A character's files checked in the browser before anything is sent:
//! its first bytes through `core::media` (the kind by content, an image's
//! size from its header, a video's index read by range). Each refusal is a
//! sentence naming the limit and the value; nothing is uploaded then.

use storyreel_core::media::{self, MediaProblem, Role};

use crate::intake;

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
        Want::Image => Role::ElementImage,
        Want::Video => Role::ElementVideo,
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
            let problems: Vec<String> = media::character::check_element_video(&info, len)
                .problems()
                .iter()
                .map(MediaProblem::message)
                .collect();
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems)
            }
        }
    }
}

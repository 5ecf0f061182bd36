//! Rules of fal's Kling O3 endpoints, applied only when the board goes to
//! fal: what fal cannot take (Kling elements without a library character,
//! more than one character made from a video, an edited video, a reference
//! video with several shots or with frames), what providers.md leaves
//! UNCONFIRMED (frames with several shots, shots shorter than 3 s; see
//! [`FalOptions`]), and prompt lengths as fal receives them.

use crate::board::{Board, Provider, Resolution};
use crate::limits::MIN_SHOT_SECONDS;
use crate::options::FalOptions;
use crate::plan::fal;
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::reference::src_problem;

/// At most one of fal's `elements` may be a video (providers.md §2.3).
pub const MAX_FAL_VIDEO_ELEMENTS: usize = 1;

/// Library characters as fal's `elements`: their pictures must be
/// fetchable sources, at most one may be made from a video, and none with
/// a reference video (video-to-video/reference takes image elements only).
fn characters(board: &Board, out: &mut Vec<Problem>) {
    let characters = fal::elements(board);
    for r in &characters {
        let Some(link) = r.character_link() else {
            continue;
        };
        if let Some(reason) = link.look.sources().into_iter().find_map(src_problem) {
            out.push(Problem::error(
                Location::Reference(r.name.clone()),
                Field::Src,
                ProblemKind::BadSrc { reason },
            ));
        }
    }
    let from_video: Vec<_> = characters
        .iter()
        .filter(|r| r.character_link().is_some_and(|l| l.look.is_video()))
        .collect();
    if let Some(video) = board.video() {
        for r in &from_video {
            out.push(Problem::error(
                Location::Reference(r.name.clone()),
                Field::References,
                ProblemKind::FalVideoElementWithVideo {
                    name: r.name.clone(),
                    video: video.name.clone(),
                },
            ));
        }
    } else if let Some(r) = from_video.get(MAX_FAL_VIDEO_ELEMENTS) {
        out.push(Problem::error(
            Location::Reference(r.name.clone()),
            Field::References,
            ProblemKind::FalVideoElements {
                name: r.name.clone(),
                count: from_video.len(),
                max: MAX_FAL_VIDEO_ELEMENTS,
            },
        ));
    }
}

pub(super) fn check(board: &Board, opts: &FalOptions, out: &mut Vec<Problem>) {
    super::elements_refused(board, Provider::Fal, out);
    characters(board, out);

    let endpoint = fal::Endpoint::of(board);
    if board.resolution == Resolution::K4 && !endpoint.has_4k() {
        out.push(Problem::error(
            Location::Board,
            Field::Resolution,
            ProblemKind::ResolutionNotOnProvider {
                provider: Provider::Fal,
                resolution: board.resolution,
                what: format!(
                    "{} endpoint (its 4K tier has reference-to-video only)",
                    endpoint
                        .describe(crate::board::Resolution::P1080)
                        .trim_start_matches("fal Kling O3 ")
                ),
            },
        ));
    }

    let shots = board.shots.len();
    if let Some(video) = board.video() {
        if board.base_video().is_some() {
            out.push(Problem::error(
                Location::Reference(video.name.clone()),
                Field::References,
                ProblemKind::FalBaseVideo {
                    video: video.name.clone(),
                },
            ));
        }
        if shots > 1 {
            out.push(Problem::error(
                Location::Board,
                Field::Shots,
                ProblemKind::FalVideoMultiShot {
                    video: video.name.clone(),
                    shots,
                },
            ));
        }
        let frame_field = if board.first_frame.is_some() {
            Some(Field::FirstFrame)
        } else if board.last_frame.is_some() {
            Some(Field::LastFrame)
        } else {
            None
        };
        if let Some(field) = frame_field {
            out.push(Problem::error(
                Location::Board,
                field,
                ProblemKind::FalVideoWithFrames {
                    video: video.name.clone(),
                },
            ));
        }
    } else {
        super::frames_with_multi_shot(board, Provider::Fal, opts.allow_frames_with_multi_shot, out);
    }

    // fal's per-shot `duration` enum: only `multi_prompt` entries have one.
    // Shots under the format's own minimum are already reported.
    if shots > 1 {
        for (i, shot) in board.shots.iter().enumerate() {
            if shot.duration >= MIN_SHOT_SECONDS && shot.duration < opts.min_shot_seconds {
                out.push(Problem::error(
                    Location::Shot(i),
                    Field::Duration,
                    ProblemKind::FalShotTooShort {
                        duration: shot.duration,
                        min: opts.min_shot_seconds,
                    },
                ));
            }
        }
    }

    let sent = fal::sent_prompts(board);
    super::sent_prompt_lengths(board, &sent, Provider::Fal, out);
}

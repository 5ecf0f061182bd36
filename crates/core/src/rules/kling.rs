//! Rules of Kling's own API, applied only when the board goes to Kling,
//! on the design the request options name: the text as sent (from the
//! design's plan, the same one the mapper writes), ids that Kling can tell
//! apart, what an edited video allows, and what is not sent.

use crate::board::{Board, Provider};
use crate::limits::{ModelLimits, OMNI_3_CURRENT, OMNI_3_LEGACY};
use crate::options::{KlingApi, PromptPlacement};
use crate::plan::{kling_current, kling_legacy};
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::text::char_len;

/// The limits of the model a board goes to on `api`.
pub fn model_limits(api: KlingApi) -> &'static ModelLimits {
    match api {
        KlingApi::Current => &OMNI_3_CURRENT,
        KlingApi::Legacy => &OMNI_3_LEGACY,
    }
}

pub(super) fn check(
    board: &Board,
    api: KlingApi,
    placement: PromptPlacement,
    out: &mut Vec<Problem>,
) {
    if board.first_frame.is_some() {
        out.push(Problem::warning(
            Location::Board,
            Field::AspectRatio,
            ProblemKind::AspectFollowsFrame {
                chosen: board.aspect_ratio.as_str().to_string(),
            },
        ));
    }

    if let Some(video) = board.base_video() {
        out.push(Problem::warning(
            Location::Board,
            Field::Duration,
            ProblemKind::BaseVideoSetsLength {
                video: video.name.clone(),
                total: board.total_seconds(),
            },
        ));
        if board.shots.len() > 1 {
            out.push(Problem::error(
                Location::Board,
                Field::References,
                ProblemKind::BaseVideoOneShot {
                    video: video.name.clone(),
                    shots: board.shots.len(),
                },
            ));
        }
    }

    match api {
        KlingApi::Current => current_text(board, placement, out),
        KlingApi::Legacy => {
            let sent = kling_legacy::sent_prompts(board);
            super::sent_prompt_lengths(board, &sent, Provider::Kling, out);
        }
    }
}

/// The one prompt text of the current design: its length, each shot's
/// words, `;` sent as `,`, and ids that the user's words would collide
/// with.
fn current_text(board: &Board, placement: PromptPlacement, out: &mut Vec<Problem>) {
    let limits = model_limits(KlingApi::Current);
    let plan = kling_current::plan(board, placement);
    for text in &plan.collisions {
        out.push(Problem::error(
            Location::Board,
            Field::Prompt,
            ProblemKind::CitationCollision { text: text.clone() },
        ));
    }
    if plan.overall_semicolons > 0 {
        out.push(Problem::warning(
            Location::Board,
            Field::Prompt,
            ProblemKind::SemicolonsRewritten {
                count: plan.overall_semicolons,
            },
        ));
    }
    for (i, shot) in plan.shots.iter().enumerate() {
        if shot.semicolons > 0 {
            out.push(Problem::warning(
                Location::Shot(i),
                Field::Prompt,
                ProblemKind::SemicolonsRewritten {
                    count: shot.semicolons,
                },
            ));
        }
    }
    // Each shot's words as sent; a shot whose own text is over its limit
    // is already reported by the format's rules.
    if plan.multi_shot {
        for (i, (shot, own)) in plan.shots.iter().zip(&board.shots).enumerate() {
            let chars = char_len(&shot.words);
            if chars > limits.max_shot_chars && char_len(&own.prompt) <= limits.max_shot_chars {
                out.push(Problem::error(
                    Location::Shot(i),
                    Field::Prompt,
                    ProblemKind::SentPromptTooLong {
                        provider: Provider::Kling,
                        chars,
                        max: limits.max_shot_chars,
                    },
                ));
            }
        }
    }
    let chars = char_len(&plan.text);
    let longest = (0..board.shots.len()).max_by_key(|&i| char_len(&board.shots[i].prompt));
    if let Some(max) = limits.max_text_chars.filter(|max| chars > *max) {
        let at = longest.map_or(Location::Board, Location::Shot);
        out.push(Problem::error(
            at,
            Field::Prompt,
            ProblemKind::SentTextTooLong {
                chars,
                max,
                shot: longest,
            },
        ));
    } else if let Some(recommended) = limits.recommended_text_chars.filter(|r| chars > *r) {
        out.push(Problem::warning(
            Location::Board,
            Field::Prompt,
            ProblemKind::SentTextLong { chars, recommended },
        ));
    }
}

//! Rules of the Kling route a board takes: what the first-frame multi-shot
//! route cannot carry, and prompt lengths as sent.

use crate::board::Board;
use crate::kling::{self, Route};
use crate::limits::*;
use crate::mention;
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::reference::{ReferenceKind, VideoUse};
use crate::text::char_len;

pub(super) fn check(board: &Board, out: &mut Vec<Problem>) {
    let route = Route::of(board);
    if route == Route::FirstFrameMultiShot {
        first_frame_route(board, out);
    }

    if let Some(video) = board.video() {
        if matches!(
            video.kind,
            ReferenceKind::Video {
                usage: VideoUse::Base,
                ..
            }
        ) {
            out.push(Problem::warning(
                Location::Board,
                Field::Duration,
                ProblemKind::BaseVideoSetsLength {
                    video: video.name.clone(),
                    total: board.total_seconds(),
                },
            ));
        }
    }

    // Lengths as sent, only where the board's own texts are within their
    // limits (otherwise that problem is already reported).
    if char_len(&board.prompt) > MAX_BOARD_PROMPT_CHARS {
        return;
    }
    let sent = kling::sent_prompts(board);
    let max = match route {
        Route::OmniSingleShot => MAX_BOARD_PROMPT_CHARS,
        _ => MAX_SHOT_PROMPT_CHARS,
    };
    for (i, (text, shot)) in sent.iter().zip(&board.shots).enumerate() {
        let chars = char_len(text);
        if chars > max && char_len(&shot.prompt) <= MAX_SHOT_PROMPT_CHARS {
            out.push(Problem::error(
                Location::Shot(i),
                Field::Prompt,
                ProblemKind::SentPromptTooLong { chars, max },
            ));
        }
    }
}

fn first_frame_route(board: &Board, out: &mut Vec<Problem>) {
    let frame = board.first_frame.as_deref();
    for r in &board.references {
        let refused_kind = match r.kind {
            ReferenceKind::Image { .. } if Some(r.name.as_str()) != frame => "image",
            ReferenceKind::Video { .. } => "video",
            _ => continue,
        };
        out.push(Problem::error(
            Location::Reference(r.name.clone()),
            Field::References,
            ProblemKind::FirstFrameRouteRefused {
                name: r.name.clone(),
                kind: refused_kind.to_string(),
            },
        ));
    }
    if board.last_frame.is_some() {
        out.push(Problem::error(
            Location::Board,
            Field::LastFrame,
            ProblemKind::LastFrameMultiShot,
        ));
    }
    let is_image = |n: &str| {
        board
            .reference(n)
            .is_some_and(|r| matches!(r.kind, ReferenceKind::Image { .. }))
    };
    let known = |n: &str| board.reference(n).is_some();
    let texts = std::iter::once((Location::Board, board.prompt.as_str())).chain(
        board
            .shots
            .iter()
            .enumerate()
            .map(|(i, s)| (Location::Shot(i), s.prompt.as_str())),
    );
    for (at, text) in texts {
        let mut seen: Vec<&str> = Vec::new();
        for m in mention::find(text, &known) {
            if m.known && is_image(m.name) && !seen.contains(&m.name) {
                seen.push(m.name);
                out.push(Problem::error(
                    at.clone(),
                    Field::Prompt,
                    ProblemKind::FirstFrameRouteMention {
                        name: m.name.to_string(),
                    },
                ));
            }
        }
    }
}

//! Rules of Kling's own API, applied only when the board goes to Kling:
//! what the first-frame multi-shot route cannot carry, that the aspect ratio
//! is not sent with a first frame, that an edited video sets the length, and
//! prompt lengths as Kling receives them.

use crate::board::{Board, Provider};
use crate::kling::{self, Route};
use crate::mention;
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::reference::ReferenceKind;

pub(super) fn check(board: &Board, out: &mut Vec<Problem>) {
    if board.first_frame.is_some() {
        out.push(Problem::warning(
            Location::Board,
            Field::AspectRatio,
            ProblemKind::AspectFollowsFrame {
                chosen: board.aspect_ratio.as_str().to_string(),
            },
        ));
    }

    let route = Route::of(board);
    if route == Route::FirstFrameMultiShot {
        first_frame_route(board, out);
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
    }

    let sent = kling::sent_prompts(board);
    super::sent_prompt_lengths(board, &sent, Provider::Kling, out);
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
    for (at, text) in super::prompts(board) {
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

//! First and last frames: they name images, a last needs a first, and the
//! counts Kling allows with them.

use crate::board::Board;
use crate::limits::*;
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::reference::ReferenceKind;

pub(super) fn check(board: &Board, out: &mut Vec<Problem>) {
    for (field, name) in [
        (Field::FirstFrame, &board.first_frame),
        (Field::LastFrame, &board.last_frame),
    ] {
        let Some(name) = name else { continue };
        match board.reference(name) {
            None => out.push(Problem::error(
                Location::Board,
                field,
                ProblemKind::FrameUnknown { name: name.clone() },
            )),
            Some(r) if !matches!(r.kind, ReferenceKind::Image { .. }) => out.push(Problem::error(
                Location::Board,
                field,
                ProblemKind::FrameNotImage {
                    name: name.clone(),
                    kind: match r.kind.label() {
                        label @ "element" => format!("an {label}"),
                        label => format!("a {label}"),
                    },
                },
            )),
            Some(_) => {}
        }
    }

    if board.last_frame.is_some() && board.first_frame.is_none() {
        out.push(Problem::error(
            Location::Board,
            Field::LastFrame,
            ProblemKind::LastFrameWithoutFirst,
        ));
    }

    if board.first_frame.is_none() {
        return;
    }
    let elements = board.elements().count();
    if elements > MAX_ELEMENTS_WITH_FRAMES {
        out.push(Problem::error(
            Location::Board,
            Field::References,
            ProblemKind::TooManyElementsWithFrames {
                count: elements,
                max: MAX_ELEMENTS_WITH_FRAMES,
            },
        ));
    }
    let images = board.images().count();
    if board.last_frame.is_some() && images > MAX_IMAGES_WITH_END_FRAME {
        out.push(Problem::error(
            Location::Board,
            Field::LastFrame,
            ProblemKind::TooManyImagesWithEndFrame {
                count: images,
                max: MAX_IMAGES_WITH_END_FRAME,
            },
        ));
    }
    if let Some(video) = board.base_video() {
        out.push(Problem::error(
            Location::Board,
            Field::FirstFrame,
            ProblemKind::FramesWithBaseVideo {
                video: video.name.clone(),
            },
        ));
    }
}

//! Reference names, sources, counts, and sound with a reference video.

use crate::board::Board;
use crate::limits::*;
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::reference::{name_problem, src_problem, ReferenceKind};

pub(super) fn check(board: &Board, out: &mut Vec<Problem>) {
    for (i, r) in board.references.iter().enumerate() {
        let at = Location::Reference(r.name.clone());
        if let Some(reason) = name_problem(&r.name) {
            out.push(Problem::error(
                at.clone(),
                Field::Name,
                ProblemKind::BadName {
                    name: r.name.clone(),
                    reason,
                },
            ));
        }
        let count = board.references.iter().filter(|o| o.name == r.name).count();
        let first = board.references.iter().position(|o| o.name == r.name) == Some(i);
        if count > 1 && first {
            out.push(Problem::error(
                at.clone(),
                Field::Name,
                ProblemKind::DuplicateName {
                    name: r.name.clone(),
                    count,
                },
            ));
        }
        match &r.kind {
            ReferenceKind::Image { src } | ReferenceKind::Video { src, .. } => {
                if let Some(reason) = src_problem(src) {
                    out.push(Problem::error(
                        at,
                        Field::Src,
                        ProblemKind::BadSrc { reason },
                    ));
                }
            }
            // A library character whose element is not made yet: on Kling
            // `characters` says so; fal sends its pictures.
            ReferenceKind::Element {
                element_id,
                character: Some(_),
            } if element_id.is_empty() => {}
            ReferenceKind::Element { element_id, .. } => {
                if let Some(reason) = crate::reference::element_id_problem(element_id) {
                    out.push(Problem::error(
                        at,
                        Field::ElementId,
                        ProblemKind::BadElementId { reason },
                    ));
                } else if element_id.bytes().all(|b| b == b'0') {
                    out.push(Problem::error(
                        at,
                        Field::ElementId,
                        ProblemKind::ZeroElementId,
                    ));
                }
            }
        }
    }

    let videos: Vec<_> = board
        .references
        .iter()
        .filter(|r| matches!(r.kind, ReferenceKind::Video { .. }))
        .collect();
    if videos.len() > MAX_VIDEOS {
        out.push(Problem::error(
            Location::Reference(videos[MAX_VIDEOS].name.clone()),
            Field::References,
            ProblemKind::TooManyVideos {
                count: videos.len(),
                max: MAX_VIDEOS,
            },
        ));
    }

    let with_video = !videos.is_empty();
    let max = if with_video {
        MAX_IMAGES_AND_ELEMENTS_WITH_VIDEO
    } else {
        MAX_IMAGES_AND_ELEMENTS
    };
    let count = board.images().count() + board.elements().count();
    if count > max {
        out.push(Problem::error(
            Location::Board,
            Field::References,
            ProblemKind::TooManyImagesAndElements {
                count,
                max,
                with_video,
            },
        ));
    }

    if let (Some(video), true) = (videos.first(), board.sound) {
        out.push(Problem::error(
            Location::Board,
            Field::Sound,
            ProblemKind::SoundWithVideo {
                video: video.name.clone(),
            },
        ));
    }
}

//! fal's plan: which O3 endpoint a board takes, and its prompts with
//! mentions spelled `@Image1`…, `@Element1`… (library characters) and
//! `@Video1`.

use crate::board::{Board, Resolution};
use crate::reference::Reference;

/// fal's tier for a resolution (the `o3/{tier}/…` part of the endpoint).
pub fn tier(resolution: Resolution) -> &'static str {
    match resolution {
        Resolution::P720 => "standard",
        Resolution::P1080 => "pro",
        Resolution::K4 => "4k",
    }
}

/// Which O3 endpoint a board goes to on fal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    TextToVideo,
    ReferenceToVideo,
    VideoReference,
}

impl Endpoint {
    pub fn of(board: &Board) -> Endpoint {
        if board.has_video() {
            Endpoint::VideoReference
        } else if board.references.is_empty()
            && board.first_frame.is_none()
            && board.last_frame.is_none()
        {
            Endpoint::TextToVideo
        } else {
            Endpoint::ReferenceToVideo
        }
    }

    /// The part of the endpoint id after the tier.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::TextToVideo => "text-to-video",
            Endpoint::ReferenceToVideo => "reference-to-video",
            Endpoint::VideoReference => "video-to-video/reference",
        }
    }

    /// The endpoint id, e.g. `fal-ai/kling-video/o3/pro/text-to-video`.
    pub fn id(self, resolution: Resolution) -> String {
        format!("fal-ai/kling-video/o3/{}/{}", tier(resolution), self.path())
    }

    /// Whether fal has this endpoint in its 4K tier (providers.md §2.1:
    /// reference-to-video and the video edit only).
    pub fn has_4k(self) -> bool {
        self == Endpoint::ReferenceToVideo
    }

    /// A sentence for the editor: where this board's request goes.
    pub fn describe(self, resolution: Resolution) -> String {
        let what = match self {
            Endpoint::TextToVideo => "text-to-video",
            Endpoint::ReferenceToVideo => "reference-to-video",
            Endpoint::VideoReference => "video-to-video (reference video)",
        };
        match resolution {
            Resolution::K4 => format!("fal Kling O3 4K {what}"),
            _ => format!("fal Kling O3 {what}"),
        }
    }
}

/// The library characters fal receives as `elements`, in cast order (an
/// element without a character is refused on fal).
pub fn elements(board: &Board) -> Vec<&Reference> {
    board
        .elements()
        .filter(|r| r.character_link().is_some())
        .collect()
}

/// How a known mention is spelled in a fal prompt: `@ImageN` by the
/// position in `image_urls`, `@ElementN` by the position in `elements`,
/// `@Video1`.
fn tag_for(
    board: &Board,
    images: &[&Reference],
    elements: &[&Reference],
    name: &str,
) -> Option<String> {
    if let Some(i) = elements.iter().position(|r| r.name == name) {
        return Some(format!("@Element{}", i + 1));
    }
    super::positional_tag(board, images, name, |n| format!("@Image{n}"), "@Video1")
}

/// The prompt text of each shot as fal receives it (one entry for a
/// single-shot board): the overall direction in front, mentions written out.
pub fn sent_prompts(board: &Board) -> Vec<String> {
    let images = super::reference_images(board);
    let elements = elements(board);
    super::sent_prompts_with(board, &|n| tag_for(board, &images, &elements, n))
}

//! What a board becomes on each provider's design before any JSON is
//! written: which endpoint it goes to, how each reference is cited, and the
//! text that is sent. The rules check a plan (lengths, ids) and the
//! mappers write it, so the two can never disagree about what is sent.
//!
//! - `kling_current.rs`: Kling's current design (one prompt text with the
//!   shot list in it, an `id` per input).
//! - `kling_legacy.rs`: Kling's legacy design (`multi_prompt`,
//!   `<<<image_n>>>`).
//! - `fal.rs`, `replicate.rs`: the resellers.
//!
//! This module holds what they share: spelling mentions, joining the
//! overall direction to a shot, which images are references.

pub mod fal;
pub mod kling_current;
pub mod kling_legacy;
pub mod replicate;

use crate::board::{Board, Provider};
use crate::mention;
use crate::options::KlingApi;
use crate::reference::{Reference, ReferenceKind};

/// A sentence for the editor: where the board's request goes, with
/// Kling on design `kling_api`.
pub fn destination(board: &Board, kling_api: KlingApi) -> String {
    match board.provider {
        Provider::Kling => match kling_api {
            KlingApi::Current => kling_current::describe(board),
            KlingApi::Legacy => kling_legacy::describe(board),
        },
        Provider::Fal => fal::Endpoint::of(board).describe(board.resolution),
        Provider::Replicate => "Replicate kwaivgi/kling-v3-omni-video".to_string(),
    }
}

/// The overall direction in front of a shot's prompt, both trimmed.
/// `text` with each known mention spelled by `tag`; names `tag` declines
/// are left as written.
pub fn spelled(board: &Board, text: &str, tag: &dyn Fn(&str) -> Option<String>) -> String {
    let known = |n: &str| board.reference(n).is_some();
    mention::rewrite(text, &known, tag)
}

/// Each shot's prompt as a provider receives it (one entry for a
/// single-shot board): mentions spelled by `tag`, the overall direction in
/// front.
pub fn sent_prompts_with(board: &Board, tag: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let overall = spelled(board, &board.prompt, tag);
    board
        .shots
        .iter()
        .map(|s| joined(&overall, &spelled(board, &s.prompt, tag)))
        .collect()
}

/// The spelling of providers that cite reference images by their position
/// in the list sent (`@Image2`, `<<<image_2>>>`). Elements are refused by
/// the rules of those providers, so they are left as written.
pub fn positional_tag(
    board: &Board,
    images: &[&Reference],
    name: &str,
    image: fn(usize) -> String,
    video: &str,
) -> Option<String> {
    match board.reference(name)?.kind {
        ReferenceKind::Image { .. } => images
            .iter()
            .position(|r| r.name == name)
            .map(|i| image(i + 1)),
        ReferenceKind::Element { .. } => None,
        ReferenceKind::Video { .. } => Some(video.to_string()),
    }
}

pub fn joined(overall: &str, shot: &str) -> String {
    match (overall.trim(), shot.trim()) {
        ("", s) => s.to_string(),
        (o, "") => o.to_string(),
        (o, s) => format!("{o} {s}"),
    }
}

/// Whether `@name` appears in the overall prompt or in any shot prompt.
pub fn is_mentioned(board: &Board, name: &str) -> bool {
    let known = |n: &str| board.reference(n).is_some();
    std::iter::once(board.prompt.as_str())
        .chain(board.shots.iter().map(|s| s.prompt.as_str()))
        .any(|text| {
            mention::find(text, &known)
                .iter()
                .any(|m| m.known && m.name == name)
        })
}

/// The images fal (`image_urls`) and Replicate (`reference_images`) receive
/// as references, in cast order: every image except one that is only a
/// frame. A first or last frame goes in its own field (`start_image_url` /
/// `start_image` …); it is also sent as a reference image when a prompt
/// mentions it, so that the mention has an entry to point at.
pub fn reference_images(board: &Board) -> Vec<&Reference> {
    let is_frame = |name: &str| {
        board.first_frame.as_deref() == Some(name) || board.last_frame.as_deref() == Some(name)
    };
    board
        .images()
        .filter(|r| !is_frame(&r.name) || is_mentioned(board, &r.name))
        .collect()
}

/// The image a frame field names, if it names one.
pub fn frame<'b>(board: &'b Board, name: &Option<String>) -> Option<&'b Reference> {
    name.as_deref().and_then(|n| board.reference(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::Shot;

    #[test]
    fn destination_follows_the_provider_and_the_board() {
        let mut b = Board {
            shots: vec![Shot::new("a", 3), Shot::new("b", 3)],
            ..Board::default()
        };
        let d = |b: &Board| destination(b, KlingApi::Current);
        assert_eq!(d(&b), "Kling 3.0 Omni, multi-shot (2 shots), 1080p");
        assert_eq!(
            destination(&b, KlingApi::Legacy),
            "Kling 3.0 Omni (legacy API), multi-shot (2 shots), 1080p"
        );
        b.references
            .push(Reference::image("mia", "https://example.com/mia.png"));
        b.first_frame = Some("mia".into());
        b.resolution = crate::board::Resolution::K4;
        assert_eq!(
            d(&b),
            "Kling 3.0 Omni, multi-shot (2 shots) from a first frame, 4K"
        );
        b.provider = Provider::Fal;
        assert_eq!(d(&b), "fal Kling O3 4K reference-to-video");
        b.references.clear();
        b.first_frame = None;
        b.resolution = crate::board::Resolution::P1080;
        assert_eq!(d(&b), "fal Kling O3 text-to-video");
        b.provider = Provider::Replicate;
        assert!(d(&b).starts_with("Replicate"));
    }
}

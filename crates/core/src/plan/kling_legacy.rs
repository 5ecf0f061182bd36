//! Kling's legacy design (`POST /v1/videos/omni-video`, `model_name:
//! kling-v3-omni`): every board goes to Omni. One shot is a `prompt`;
//! several are `multi_prompt` entries, each with the overall direction in
//! front (Kling ignores `prompt` in a multi-shot request). Images are one
//! `image_list`, frames first with their `type`, cited `<<<image_n>>>`;
//! elements `<<<element_n>>>`, the video `<<<video_1>>>`.

use crate::board::Board;
use crate::reference::{Reference, ReferenceKind};

/// The `image_list`: frames first (`first_frame`, `end_frame`), then the
/// other images in cast order.
pub fn image_entries(board: &Board) -> Vec<(&Reference, Option<&'static str>)> {
    let mut out = Vec::new();
    if let Some(r) = super::frame(board, &board.first_frame) {
        out.push((r, Some("first_frame")));
    }
    if let Some(r) = super::frame(board, &board.last_frame) {
        out.push((r, Some("end_frame")));
    }
    for r in board.images() {
        if !out.iter().any(|(e, _)| e.name == r.name) {
            out.push((r, None));
        }
    }
    out
}

/// How a known mention is spelled.
fn tag_for(board: &Board, name: &str) -> Option<String> {
    let reference = board.reference(name)?;
    match &reference.kind {
        ReferenceKind::Image { .. } => {
            let n = image_entries(board)
                .iter()
                .position(|(r, _)| r.name == name)?
                + 1;
            Some(format!("<<<image_{n}>>>"))
        }
        ReferenceKind::Element { .. } => {
            let n = board.elements().position(|r| r.name == name)? + 1;
            Some(format!("<<<element_{n}>>>"))
        }
        ReferenceKind::Video { .. } => Some("<<<video_1>>>".into()),
    }
}

/// Each shot's prompt as sent (one entry for a single-shot board).
pub fn sent_prompts(board: &Board) -> Vec<String> {
    super::sent_prompts_with(board, &|n| tag_for(board, n))
}

/// Where the board goes, in words.
pub fn describe(board: &Board) -> String {
    format!(
        "Kling 3.0 Omni (legacy API), {}",
        super::kling_current::shape_words(board)
    )
}

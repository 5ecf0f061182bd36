//! Replicate's plan: its prompts with mentions spelled `<<<image_n>>>`.

use crate::board::Board;

/// The model on Replicate.
pub const MODEL: &str = "kwaivgi/kling-v3-omni-video";
use crate::reference::Reference;

/// How a known mention is spelled in a Replicate prompt.
fn tag_for(board: &Board, images: &[&Reference], name: &str) -> Option<String> {
    super::positional_tag(
        board,
        images,
        name,
        |n| format!("<<<image_{n}>>>"),
        "<<<video_1>>>",
    )
}

/// The prompt text of each shot as Replicate receives it (one entry for a
/// single-shot board): the overall direction in front, mentions written out.
pub fn sent_prompts(board: &Board) -> Vec<String> {
    let images = super::reference_images(board);
    super::sent_prompts_with(board, &|n| tag_for(board, &images, n))
}

/// The overall direction as sent (trimmed, mentions written out).
pub fn sent_overall(board: &Board) -> String {
    let images = super::reference_images(board);
    super::spelled(board, &board.prompt, &|n| tag_for(board, &images, n))
        .trim()
        .to_string()
}

/// The required top-level `prompt`: the single shot's sent prompt; with
/// several shots the overall direction, or the first shot's sent prompt if
/// the board has none.
pub fn top_prompt(board: &Board) -> String {
    let prompts = sent_prompts(board);
    let overall = sent_overall(board);
    if board.shots.len() > 1 && !overall.is_empty() {
        overall
    } else {
        prompts.into_iter().next().unwrap_or_default()
    }
}

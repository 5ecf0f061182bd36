//! Replicate's `kwaivgi/kling-v3-omni-video` (Kling O3): the exact
//! prediction request (providers.md §3).
//!
//! `POST https://api.replicate.com/v1/models/kwaivgi/kling-v3-omni-video/predictions`
//! with `{"input": {…}}`:
//!
//! - `prompt` is required even with several shots. One shot: the shot's
//!   prompt with the overall direction in front. Several shots: the overall
//!   direction, or, if the board has none, the first shot's prompt as sent
//!   (so the field is never empty and never says more than the shots do).
//! - `multi_prompt` (several shots only) is a JSON **string**
//!   `[{"prompt": "…", "duration": N}]` with whole-second integers; each
//!   prompt has the overall direction in front, as on Kling. `duration` is
//!   the integer sum.
//! - `mode` is `standard` or `pro`; `aspect_ratio` and `generate_audio` are
//!   always sent (Replicate's own defaults are 16:9 and off).
//! - Frames go in `start_image` / `end_image`; `reference_images` holds the
//!   images in cast order except one that is only a frame (see
//!   [`crate::plan::reference_images`]), cited as `<<<image_N>>>`. A video goes
//!   in `reference_video` with `video_reference_type` and
//!   `keep_original_sound`, cited as `<<<video_1>>>`.
//!
//! Refused by the rules (`rules/replicate.rs`): Kling elements (the model
//! has no elements input), and frames with several shots unless
//! [`ReplicateOptions::allow_frames_with_multi_shot`] is on.

use serde_json::{json, Map, Value};

use crate::board::{Board, Provider, Resolution};
pub use crate::options::ReplicateOptions;
pub use crate::plan::replicate::{sent_overall, sent_prompts, top_prompt, MODEL};
use crate::plan::{frame, reference_images};
use crate::reference::{Reference, ReferenceKind};
use crate::request::{self, public_url, ProviderRequest, RequestError, RequestOptions};

pub const PREDICTIONS_URL: &str =
    "https://api.replicate.com/v1/models/kwaivgi/kling-v3-omni-video/predictions";

/// Replicate's `mode` for a resolution (4K is refused by the rules:
/// the model documents standard and pro only).
pub fn mode(resolution: Resolution) -> &'static str {
    match resolution {
        Resolution::P720 => "standard",
        Resolution::P1080 | Resolution::K4 => "pro",
    }
}

fn src_url(r: &Reference, opts: &RequestOptions) -> Result<String, RequestError> {
    public_url(r, r.src().unwrap_or_default(), opts)
}

/// The request for `board` on Replicate; refused if the board has errors
/// under Replicate's rules (whatever provider the board names).
pub fn request(board: &Board, opts: &RequestOptions) -> Result<ProviderRequest, RequestError> {
    request::refuse_errors(board, Provider::Replicate, opts)?;
    request::uploads_reachable(board, opts)?;
    let prompts = sent_prompts(board);
    let mut input = Map::new();

    input.insert("prompt".into(), json!(top_prompt(board)));
    if board.shots.len() > 1 {
        let shots: Vec<Value> = board
            .shots
            .iter()
            .zip(&prompts)
            .map(|(shot, prompt)| json!({"prompt": prompt, "duration": shot.duration}))
            .collect();
        // A JSON array, sent as the text of a string field.
        let text = Value::Array(shots).to_string();
        input.insert("multi_prompt".into(), json!(text));
    }
    input.insert("duration".into(), json!(board.total_seconds()));
    input.insert("mode".into(), json!(mode(board.resolution)));
    input.insert("aspect_ratio".into(), json!(board.aspect_ratio.as_str()));
    input.insert("generate_audio".into(), json!(board.sound));

    let images = reference_images(board)
        .into_iter()
        .map(|r| src_url(r, opts).map(Value::String))
        .collect::<Result<Vec<_>, _>>()?;
    if !images.is_empty() {
        input.insert("reference_images".into(), Value::Array(images));
    }
    if let Some(video) = board.video() {
        if let ReferenceKind::Video {
            usage, keep_sound, ..
        } = video.kind
        {
            input.insert("reference_video".into(), json!(src_url(video, opts)?));
            input.insert("video_reference_type".into(), json!(usage.as_str()));
            input.insert("keep_original_sound".into(), json!(keep_sound));
        }
    }
    if let Some(r) = frame(board, &board.first_frame) {
        input.insert("start_image".into(), json!(src_url(r, opts)?));
    }
    if let Some(r) = frame(board, &board.last_frame) {
        input.insert("end_image".into(), json!(src_url(r, opts)?));
    }

    Ok(ProviderRequest {
        method: "POST".into(),
        url: PREDICTIONS_URL.into(),
        body: json!({ "input": input }),
    })
}

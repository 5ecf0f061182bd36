//! Kling's own API: which route a board takes, and the exact request body.
//!
//! - One shot: `kling-v3-omni` on `/v1/videos/omni-video`, `multi_shot:false`,
//!   frames as typed `image_list` entries.
//! - Several shots, no first frame: `kling-v3-omni`, `multi_shot:true`,
//!   `shot_type:"customize"`, one `multi_prompt` entry per shot.
//! - Several shots with a first frame: Omni multi-shot takes no frames, so the
//!   board goes to Kling's documented first-frame multi-shot route, `kling-v3`
//!   on `/v1/videos/image2video` with `image`. What that route cannot carry
//!   (reference images, videos, a last frame) is refused by the rules.
//!
//! The overall prompt is direction for every shot. Kling ignores `prompt`
//! in a multi-shot request, so it is put in front of each shot's prompt.

use serde_json::{json, Map, Value};

use crate::board::{Board, Provider};
use crate::reference::{Reference, ReferenceKind};
use crate::request::{self, public_url as url_of, ProviderRequest, RequestError, RequestOptions};

pub use crate::options::KLING_BASE_URL as DEFAULT_BASE_URL;
/// The current design's create path for 3.0 Omni.
pub const CURRENT_OMNI_PATH: &str = "/omni-video/kling-3.0-omni";
/// The current design's one place to query tasks (GET by ids, POST to list).
pub const TASKS_PATH: &str = "/tasks";
pub const OMNI_MODEL: &str = "kling-v3-omni";
pub const V3_MODEL: &str = "kling-v3";
pub const OMNI_PATH: &str = "/v1/videos/omni-video";
pub const IMAGE2VIDEO_PATH: &str = "/v1/videos/image2video";

/// Where a board goes on Kling's API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    OmniSingleShot,
    OmniMultiShot,
    /// `kling-v3` image-to-video with `multi_prompt`, for a first frame.
    FirstFrameMultiShot,
}

impl Route {
    pub fn of(board: &Board) -> Route {
        match (board.shots.len() > 1, board.first_frame.is_some()) {
            (false, _) => Route::OmniSingleShot,
            (true, false) => Route::OmniMultiShot,
            (true, true) => Route::FirstFrameMultiShot,
        }
    }

    pub fn model(self) -> &'static str {
        match self {
            Route::FirstFrameMultiShot => V3_MODEL,
            _ => OMNI_MODEL,
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Route::FirstFrameMultiShot => IMAGE2VIDEO_PATH,
            _ => OMNI_PATH,
        }
    }

    /// A sentence for the editor: where this board's request goes.
    pub fn describe(self) -> &'static str {
        match self {
            Route::OmniSingleShot => "Kling 3.0 Omni, single shot",
            Route::OmniMultiShot => "Kling 3.0 Omni, multi-shot",
            Route::FirstFrameMultiShot => {
                "Kling 3.0 image-to-video, multi-shot from the first frame (Omni multi-shot takes no frames)"
            }
        }
    }
}

/// The `image_list` of an Omni request: frames first, then the other
/// images in cast order, each with its `type` if it is a frame.
fn image_entries(board: &Board) -> Vec<(&Reference, Option<&'static str>)> {
    let frame = |name: &Option<String>| name.as_deref().and_then(|n| board.reference(n));
    let mut out = Vec::new();
    if let Some(r) = frame(&board.first_frame) {
        out.push((r, Some("first_frame")));
    }
    if let Some(r) = frame(&board.last_frame) {
        out.push((r, Some("end_frame")));
    }
    for r in board.images() {
        if !out.iter().any(|(e, _)| e.name == r.name) {
            out.push((r, None));
        }
    }
    out
}

/// How each known mention is spelled in a Kling prompt on this route.
fn tag_for(board: &Board, route: Route, name: &str) -> Option<String> {
    let reference = board.reference(name)?;
    match &reference.kind {
        ReferenceKind::Image { .. } => {
            if route == Route::FirstFrameMultiShot {
                return None;
            }
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

/// The prompt text of each shot as Kling receives it (one entry for a
/// single-shot board).
pub fn sent_prompts(board: &Board) -> Vec<String> {
    let route = Route::of(board);
    request::sent_prompts_with(board, &|n| tag_for(board, route, n))
}

/// The request for `board` on Kling's API; refused if the board has errors
/// under Kling's rules (whatever provider the board names).
pub fn request(board: &Board, opts: &RequestOptions) -> Result<ProviderRequest, RequestError> {
    request::refuse_errors(board, Provider::Kling, opts)?;
    let route = Route::of(board);
    let prompts = sent_prompts(board);
    let mut body = Map::new();
    body.insert("model_name".into(), json!(route.model()));

    match route {
        Route::OmniSingleShot => {
            body.insert("multi_shot".into(), json!(false));
            body.insert("prompt".into(), json!(prompts[0]));
        }
        Route::OmniMultiShot | Route::FirstFrameMultiShot => {
            body.insert("multi_shot".into(), json!(true));
            body.insert("shot_type".into(), json!("customize"));
            let shots: Vec<Value> = board
                .shots
                .iter()
                .zip(&prompts)
                .enumerate()
                .map(|(i, (shot, prompt))| {
                    json!({"index": i + 1, "prompt": prompt, "duration": shot.duration.to_string()})
                })
                .collect();
            body.insert("multi_prompt".into(), Value::Array(shots));
        }
    }

    if route == Route::FirstFrameMultiShot {
        // Checked by the rules: the first frame names an image.
        if let Some(frame) = board
            .first_frame
            .as_deref()
            .and_then(|n| board.reference(n))
        {
            let src = frame.src().unwrap_or_default();
            body.insert("image".into(), json!(url_of(frame, src, opts)?));
        }
    } else {
        let mut images = Vec::new();
        for (r, frame_type) in image_entries(board) {
            let url = url_of(r, r.src().unwrap_or_default(), opts)?;
            images.push(match frame_type {
                Some(t) => json!({"image_url": url, "type": t}),
                None => json!({"image_url": url}),
            });
        }
        if !images.is_empty() {
            body.insert("image_list".into(), Value::Array(images));
        }
    }

    let elements: Vec<Value> = board
        .references
        .iter()
        .filter_map(|r| match &r.kind {
            // The legacy design takes the id as a number; the rules hold it
            // to at most 19 digits, which always fit.
            ReferenceKind::Element { element_id } => {
                Some(json!({"element_id": element_id.parse::<u64>().unwrap_or_default()}))
            }
            _ => None,
        })
        .collect();
    if !elements.is_empty() {
        body.insert("element_list".into(), Value::Array(elements));
    }

    let mut base_video = false;
    if let Some(video) = board.video() {
        if let ReferenceKind::Video {
            src,
            usage,
            keep_sound,
        } = &video.kind
        {
            base_video = *usage == crate::reference::VideoUse::Base;
            body.insert(
                "video_list".into(),
                json!([{
                    "video_url": url_of(video, src, opts)?,
                    "refer_type": usage.as_str(),
                    "keep_original_sound": if *keep_sound { "yes" } else { "no" },
                }]),
            );
        }
    }

    body.insert(
        "sound".into(),
        json!(if board.sound { "on" } else { "off" }),
    );
    body.insert("mode".into(), json!(board.resolution.legacy_mode()));
    let frame_sets_aspect = board.first_frame.is_some() || base_video;
    if !frame_sets_aspect {
        body.insert("aspect_ratio".into(), json!(board.aspect_ratio.as_str()));
    }
    body.insert("duration".into(), json!(board.total_seconds().to_string()));
    // In the order of Kling's field table (providers.md §1.3).
    if let Some(url) = &opts.callback_url {
        body.insert("callback_url".into(), json!(url));
    }
    if let Some(id) = &opts.external_task_id {
        body.insert("external_task_id".into(), json!(id));
    }

    Ok(ProviderRequest {
        method: "POST".into(),
        url: format!(
            "{}{}",
            opts.kling_base_url.trim_end_matches('/'),
            route.path()
        ),
        body: Value::Object(body),
    })
}

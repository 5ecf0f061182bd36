//! The current design's body (providers.md §0.3): `contents` (the prompt
//! text, then each input with its id), `settings` and `options`, written
//! from [`crate::plan::kling_current::plan`].

use serde_json::{json, Map, Value};

use crate::board::Board;
use crate::plan::kling_current::{plan, InputKind};
use crate::reference::ReferenceKind;
use crate::request::{public_url, RequestError, RequestOptions};

pub(super) fn body(board: &Board, opts: &RequestOptions) -> Result<Value, RequestError> {
    let plan = plan(board, opts.prompt_placement);
    let mut contents = vec![json!({"type": "prompt", "text": plan.text})];
    let mut base_video = false;
    for input in &plan.inputs {
        let r = input.reference;
        let item = match (&r.kind, input.kind) {
            (ReferenceKind::Element { element_id, .. }, _) => {
                json!({"type": "element", "element_id": element_id, "id": input.id})
            }
            (ReferenceKind::Image { src } | ReferenceKind::Video { src, .. }, kind) => {
                base_video |= kind == InputKind::BaseVideo;
                json!({"type": kind.as_str(), "url": public_url(r, src.as_str(), opts)?, "id": input.id})
            }
        };
        contents.push(item);
    }

    let mut settings = Map::new();
    // Always sent: Kling's default is true, which would cut a single
    // prompt with semicolons into several shots.
    settings.insert("multi_shot".into(), json!(plan.multi_shot));
    settings.insert("audio".into(), json!(audio(board, base_video)));
    settings.insert("resolution".into(), json!(board.resolution.as_str()));
    if board.first_frame.is_none() && board.video().is_none() {
        settings.insert("aspect_ratio".into(), json!(board.aspect_ratio.as_str()));
    }
    settings.insert("duration".into(), json!(board.total_seconds()));

    let mut options = Map::new();
    if let Some(url) = &opts.callback_url {
        options.insert("callback_url".into(), json!(url));
    }
    if let Some(id) = &opts.external_task_id {
        options.insert("external_task_id".into(), json!(id));
    }
    options.insert("watermark_info".into(), json!({"enabled": false}));

    Ok(json!({
        "contents": contents,
        "settings": settings,
        "options": options,
    }))
}

/// `settings.audio`: `native` when the board asks for sound; with an
/// edited video `original` when the board keeps its sound, else `off`.
fn audio(board: &Board, base_video: bool) -> &'static str {
    let keeps_sound = board.video().is_some_and(|v| {
        matches!(
            v.kind,
            ReferenceKind::Video {
                keep_sound: true,
                ..
            }
        )
    });
    if base_video && keeps_sound {
        "original"
    } else if board.sound && board.video().is_none() {
        "native"
    } else {
        "off"
    }
}

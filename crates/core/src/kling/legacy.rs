//! The legacy design's body (providers.md §1.3): `model_name`
//! `kling-v3-omni` for every board, frames typed in `image_list` (with
//! several shots too, since Kling allows it from 2026-05-07), `mode`
//! std/pro/4k from the resolution.

use serde_json::{json, Map, Value};

use crate::board::Board;
use crate::plan::kling_legacy::{image_entries, sent_prompts};
use crate::reference::{ReferenceKind, VideoUse};
use crate::request::{public_url, RequestError, RequestOptions};

pub(super) fn body(board: &Board, opts: &RequestOptions) -> Result<Value, RequestError> {
    let prompts = sent_prompts(board);
    let mut body = Map::new();
    body.insert("model_name".into(), json!(super::OMNI_MODEL));
    if board.shots.len() > 1 {
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
    } else {
        body.insert("multi_shot".into(), json!(false));
        body.insert(
            "prompt".into(),
            json!(prompts.first().cloned().unwrap_or_default()),
        );
    }

    let mut images = Vec::new();
    for (r, frame_type) in image_entries(board) {
        let url = public_url(r, r.src().unwrap_or_default(), opts)?;
        images.push(match frame_type {
            Some(t) => json!({"image_url": url, "type": t}),
            None => json!({"image_url": url}),
        });
    }
    if !images.is_empty() {
        body.insert("image_list".into(), Value::Array(images));
    }

    // The legacy design takes the id as a number; the rules hold it to at
    // most 19 digits, which always fit.
    let elements: Vec<Value> = board
        .references
        .iter()
        .filter_map(|r| match &r.kind {
            ReferenceKind::Element { element_id, .. } => {
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
            base_video = *usage == VideoUse::Base;
            body.insert(
                "video_list".into(),
                json!([{
                    "video_url": public_url(video, src, opts)?,
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
    if board.first_frame.is_none() && !base_video {
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
    Ok(Value::Object(body))
}

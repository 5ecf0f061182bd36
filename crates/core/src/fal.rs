//! fal's queue API for Kling O3: which endpoint a board takes, and the exact
//! model input (providers.md §2).
//!
//! The request is `POST https://queue.fal.run/<endpoint id>` with the model
//! input as the JSON body. The tier is the board's resolution: 720p →
//! `standard`, 1080p → `pro`, 4K → `4k` (which has reference-to-video and
//! video edit only; `rules/fal.rs` refuses the rest).
//!
//! - No references and no frames: `fal-ai/kling-video/o3/{tier}/text-to-video`.
//! - Images and/or frames: `…/o3/{tier}/reference-to-video`. A first or last
//!   frame goes in `start_image_url` / `end_image_url`; `image_urls` holds
//!   the images in cast order except one that is only a frame (see
//!   [`crate::plan::reference_images`]): a frame that a prompt mentions is sent
//!   in both places, so that its `@ImageN` has an entry to point at.
//! - A reference video (`use: feature`): `…/o3/{tier}/video-to-video/reference`
//!   with `video_url`, `keep_audio` and `image_urls` (providers.md: M).
//!
//! A library character (an element reference with a character link) is
//! one of fal's `elements`: `{frontal_image_url, reference_image_urls}`
//! from its images, or `{video_url}` from its video (providers.md §2.3,
//! `KlingV3ComboElementInput`), cited as `@Element1`… in cast order; its
//! `upload:` pictures follow [`RequestOptions::uploads`] like any image.
//!
//! What fal cannot take is refused by the rules (`rules/fal.rs`), never
//! dropped: bare Kling element ids (fal's `elements` are image sets, not
//! library ids), more than one character made from a video, an edited video (`use: base`; the edit endpoint's schema is not
//! verified), a reference video with several shots (no `multi_prompt` is
//! documented on video-to-video/reference) or with frames, and what
//! [`FalOptions`] does not allow.
//!
//! Several shots are sent as `multi_prompt: [{prompt, duration: "n"}]` (no
//! `index`) with `shot_type: "customize"` and, unless
//! [`FalOptions::send_total_duration`] is off, `duration` = their sum as a
//! string. The overall prompt is direction for every shot: as on Kling, it is
//! put in front of each shot's prompt (fal takes `prompt` or `multi_prompt`,
//! not both). Mentions are spelled `@Image1`… (the position in `image_urls`)
//! and `@Video1`.

use serde_json::{json, Map, Value};

use crate::board::{Board, Provider};
use crate::character::Look;
pub use crate::options::FalOptions;
use crate::plan;
pub use crate::plan::fal::{elements, sent_prompts, tier, Endpoint};
use crate::plan::{frame, reference_images};
use crate::reference::{Reference, ReferenceKind};
use crate::request::{self, public_url, ProviderRequest, RequestError, RequestOptions};

/// fal's queue host; the endpoint id follows it.
pub const QUEUE_BASE_URL: &str = "https://queue.fal.run";

fn src_url(r: &Reference, opts: &RequestOptions) -> Result<String, RequestError> {
    public_url(r, r.src().unwrap_or_default(), opts)
}

/// One of fal's `elements` for a library character: its frontal image and
/// the others (`KlingV3ComboElementInput`), or its video (`video_url`).
fn element(r: &Reference, opts: &RequestOptions) -> Result<Value, RequestError> {
    let Some(link) = r.character_link() else {
        return Ok(Value::Null);
    };
    Ok(match &link.look {
        Look::Images { frontal, others } => json!({
            "frontal_image_url": public_url(r, frontal, opts)?,
            "reference_image_urls": others
                .iter()
                .map(|src| public_url(r, src, opts))
                .collect::<Result<Vec<_>, _>>()?,
        }),
        Look::Video { src } => json!({ "video_url": public_url(r, src, opts)? }),
    })
}

/// The request for `board` on fal's queue; refused if the board has errors
/// under fal's rules (whatever provider the board names).
pub fn request(board: &Board, opts: &RequestOptions) -> Result<ProviderRequest, RequestError> {
    request::refuse_errors(board, Provider::Fal, opts)?;
    request::uploads_reachable(board, opts)?;
    let endpoint = Endpoint::of(board);
    let prompts = sent_prompts(board);
    let multi = board.shots.len() > 1;
    let mut input = Map::new();

    if multi {
        let shots: Vec<Value> = board
            .shots
            .iter()
            .zip(&prompts)
            .map(|(shot, prompt)| json!({"prompt": prompt, "duration": shot.duration.to_string()}))
            .collect();
        input.insert("multi_prompt".into(), Value::Array(shots));
        input.insert("shot_type".into(), json!("customize"));
    } else {
        input.insert("prompt".into(), json!(prompts[0]));
    }

    match endpoint {
        Endpoint::TextToVideo => {}
        Endpoint::ReferenceToVideo => {
            if let Some(r) = frame(board, &board.first_frame) {
                input.insert("start_image_url".into(), json!(src_url(r, opts)?));
            }
            if let Some(r) = frame(board, &board.last_frame) {
                input.insert("end_image_url".into(), json!(src_url(r, opts)?));
            }
        }
        Endpoint::VideoReference => {
            if let Some(video) = board.video() {
                if let ReferenceKind::Video { keep_sound, .. } = video.kind {
                    input.insert("video_url".into(), json!(src_url(video, opts)?));
                    input.insert("keep_audio".into(), json!(keep_sound));
                }
            }
        }
    }

    let images = reference_images(board)
        .into_iter()
        .map(|r| src_url(r, opts).map(Value::String))
        .collect::<Result<Vec<_>, _>>()?;
    if !images.is_empty() {
        input.insert("image_urls".into(), Value::Array(images));
    }

    let elements = plan::fal::elements(board)
        .into_iter()
        .map(|r| element(r, opts))
        .collect::<Result<Vec<_>, _>>()?;
    if !elements.is_empty() {
        input.insert("elements".into(), Value::Array(elements));
    }

    if !multi || opts.fal.send_total_duration {
        input.insert("duration".into(), json!(board.total_seconds().to_string()));
    }
    input.insert("aspect_ratio".into(), json!(board.aspect_ratio.as_str()));
    // video-to-video/reference has no `generate_audio` (and the rules keep
    // sound off with a reference video).
    if endpoint != Endpoint::VideoReference {
        input.insert("generate_audio".into(), json!(board.sound));
    }

    Ok(ProviderRequest {
        method: "POST".into(),
        url: format!("{QUEUE_BASE_URL}/{}", endpoint.id(board.resolution)),
        body: Value::Object(input),
    })
}

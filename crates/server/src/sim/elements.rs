//! Kling's element calls (providers.md §0.5, Kling's Element Management
//! page): create (`POST /v1/general/advanced-custom-elements`, a task that
//! lives by the clock like a video's), query one task by its task id or
//! its external id (`GET .../{id}`), list this account's
//! (`GET ...?pageNum&pageSize`), list the presets
//! (`GET /v1/general/advanced-presets-elements`) and delete
//! (`POST /v1/general/delete-advanced-elements {element_id}`, custom
//! elements only). Pictures sent as Base64, and the presets' pictures,
//! are served at `/sim/kling/elements/{element_id}/{file}`.
//!
//! The credential is checked as on the legacy design (the API key, or
//! the simulator's JWT, which is what the relay signs `/v1/...` calls
//! with). Faults come from the `elements` queues of the fault plan.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use storyreel_core::options::KlingApi;

use super::faults::Fault;
use super::library::{
    self, Element, ElementTask, Library, Picture, Reference, Source, Voice, VoiceTask,
};
use super::probe::{self, Seen};
use super::task::{Outcome, Status};
use super::validate::bad;
use super::validate_current::invalid;
use super::validate_library::{
    self, ElementSpec, ImageInput, MAX_VIDEO_SECONDS, MIN_VIDEO_SECONDS,
};
use super::{
    answer, authorized, base_url, external_id_refused, list_prelude, now_ms, read_fault, received,
    KlingError, Page, Simulator,
};

const VIDEO_PATH: &str = "element_video_list.refer_videos[0].video_url";

/// The reference video's kind and length, when the simulator can read
/// the file (see `probe.rs`); any other address is taken on trust.
async fn check_video(sim: &Simulator, url: &str) -> Result<(), KlingError> {
    let value = Value::String(url.to_string());
    match probe::look(sim, url).await {
        Seen::CannotTell => Ok(()),
        Seen::Image(kind) => Err(invalid(
            VIDEO_PATH,
            &value,
            &format!("it is a {} image; it must be an .mp4 or .mov video", kind.name()),
        )),
        Seen::Unreadable(why) => Err(invalid(
            VIDEO_PATH,
            &value,
            &format!("the video cannot be read: {why}"),
        )),
        Seen::Video { kind, .. } if kind.is_audio() => Err(invalid(
            VIDEO_PATH,
            &value,
            &format!("it is an {} sound file; it must be an .mp4 or .mov video", kind.name()),
        )),
        Seen::Video { seconds, .. }
            if !(MIN_VIDEO_SECONDS..=MAX_VIDEO_SECONDS).contains(&seconds) =>
        {
            Err(invalid(
                VIDEO_PATH,
                &value,
                &format!(
                    "the video is {seconds:.1} s long; it must be {MIN_VIDEO_SECONDS} to {MAX_VIDEO_SECONDS} s"
                ),
            ))
        }
        Seen::Video { .. } => Ok(()),
    }
}

/// Where an element's image is answered from: its address, or the
/// Base64 bytes kept and served under the simulator's mount.
fn keep_image(lib: &mut Library, element_id: u64, name: &str, input: ImageInput) -> Source {
    match input {
        ImageInput::Url(url) => Source::Url(url),
        ImageInput::Inline { bytes, png } => {
            let (ext, content_type) = if png {
                ("png", "image/png")
            } else {
                ("jpg", "image/jpeg")
            };
            let path = format!("elements/{element_id}/{name}.{ext}");
            lib.pictures.insert(
                path.clone(),
                Picture {
                    content_type,
                    bytes: bytes.into(),
                },
            );
            Source::Served(path)
        }
    }
}

/// Stores the task for a valid request: refused when the voice to bind
/// is not in the library or the external id is taken. A `video_refer`
/// element with no voice given gets one cloned from its video (Kling:
/// "customization + inclusion in voice library + binding"); the
/// simulator cannot hear, so it takes every reference video to hold a
/// voice.
fn store_element(
    sim: &Simulator,
    spec: ElementSpec,
    after: &Option<Fault>,
) -> Result<ElementTask, KlingError> {
    let now = now_ms();
    let mut store = sim.store();
    let mut voice = match &spec.voice_id {
        Some(id) => Some(
            store
                .library
                .voice_to_bind(id, now)
                .map_err(|why| invalid("element_voice_id", &Value::String(id.clone()), &why))?,
        ),
        None => None,
    };
    if let Some(key) = &spec.external_task_id {
        if store.external_id_taken(key) {
            return Err(external_id_refused(key));
        }
    }
    let outcome = match after {
        Some(Fault::FailTask { message }) => Outcome::Fail(message.clone()),
        _ => Outcome::Succeed,
    };
    let life = sim.life(now, outcome);
    let lib = &mut store.library;
    let id = lib.new_element_id();
    if spec.reference == Reference::Video && voice.is_none() {
        let cloned = Voice {
            id: lib.new_voice_id(),
            name: spec.name.clone(),
            preset: false,
        };
        lib.voices.push(VoiceTask {
            task_id: sim.new_task_id(now),
            external_task_id: None,
            life: life.clone(),
            voice: cloned.clone(),
            source: format!("the video of element {id}"),
            deleted: false,
        });
        voice = Some(cloned);
    }
    let frontal = spec.frontal.map(|f| keep_image(lib, id, "frontal", f));
    let refers = spec
        .refers
        .into_iter()
        .enumerate()
        .map(|(i, r)| keep_image(lib, id, &format!("refer-{}", i + 1), r))
        .collect();
    let task = ElementTask {
        task_id: sim.new_task_id(now),
        external_task_id: spec.external_task_id,
        life,
        element: Element {
            id,
            name: spec.name,
            description: spec.description,
            reference: spec.reference,
            frontal,
            refers,
            video: spec.video,
            voice,
            tags: spec.tags,
            preset: false,
        },
        deleted: false,
    };
    lib.elements.push(task.clone());
    Ok(task)
}

pub async fn create(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let rid = match authorized(&sim, &headers, KlingApi::Legacy) {
        Ok(rid) => rid,
        Err(refused) => return refused.into_response(),
    };
    let (after, body) = match received(&sim, |f| &mut f.elements.create, &rid, &body).await {
        Ok(got) => got,
        Err(res) => return res,
    };
    let spec = match validate_library::element(&body) {
        Ok(spec) => spec,
        Err(e) => return e.into_response(rid),
    };
    if let Some(url) = &spec.video {
        if let Err(e) = check_video(&sim, url).await {
            return e.into_response(rid);
        }
    }
    let task = match store_element(&sim, spec, &after) {
        Ok(task) => task,
        Err(e) => return e.into_response(rid),
    };
    tracing::info!(task = %task.task_id, element = task.element.id, "simulator: element task created");
    answer(after, rid, task.created_json())
}

/// One element task, by its task id or its external id.
pub async fn query(
    State(sim): State<Arc<Simulator>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let rid = match authorized(&sim, &headers, KlingApi::Legacy) {
        Ok(rid) => rid,
        Err(refused) => return refused.into_response(),
    };
    let after = match read_fault(&sim, |f| &mut f.elements.query, &rid).await {
        Ok(after) => after,
        Err(res) => return res,
    };
    let found = sim
        .store()
        .library
        .element_task(&id)
        .map(|t| t.json(now_ms(), &base_url(&headers)));
    match found {
        Some(data) => answer(after, rid, data),
        None => {
            KlingError::new(404, 1203, format!("element task {id} not found")).into_response(rid)
        }
    }
}

/// This account's element tasks, newest first, deleted elements too
/// (their `status` says `deleted`).
pub async fn list(
    State(sim): State<Arc<Simulator>>,
    Query(page): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let (rid, skip, size, after) =
        match list_prelude(&sim, &headers, &page, 500, |f| &mut f.elements.list).await {
            Ok(p) => p,
            Err(res) => return res,
        };
    let (now, base) = (now_ms(), base_url(&headers));
    let items: Vec<Value> = sim
        .store()
        .library
        .elements
        .iter()
        .rev()
        .skip(skip)
        .take(size)
        .map(|t| t.json(now, &base))
        .collect();
    answer(after, rid, Value::Array(items))
}

/// Kling's preset elements.
pub async fn presets(
    State(sim): State<Arc<Simulator>>,
    Query(page): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let (rid, skip, size, after) =
        match list_prelude(&sim, &headers, &page, 500, |f| &mut f.elements.list).await {
            Ok(p) => p,
            Err(res) => return res,
        };
    let base = base_url(&headers);
    let items: Vec<Value> = library::preset_elements()
        .iter()
        .skip(skip)
        .take(size)
        .map(|e| library::preset_element_json(e, &base))
        .collect();
    answer(after, rid, Value::Array(items))
}

/// The `element_id` of a delete body: a string, as Kling's table says.
fn element_id_of(body: &Value) -> Result<&str, KlingError> {
    match body.get("element_id") {
        None | Some(Value::Null) => Err(bad("element_id is required")),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        Some(v) => Err(invalid(
            "element_id",
            v,
            "it must be the element's id as a non-empty string",
        )),
    }
}

pub async fn delete(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let rid = match authorized(&sim, &headers, KlingApi::Legacy) {
        Ok(rid) => rid,
        Err(refused) => return refused.into_response(),
    };
    let (after, body) = match received(&sim, |f| &mut f.elements.delete, &rid, &body).await {
        Ok(got) => got,
        Err(res) => return res,
    };
    let id = match element_id_of(&body) {
        Ok(id) => id.to_string(),
        Err(e) => return e.into_response(rid),
    };
    let now = now_ms();
    let deleted = {
        let mut store = sim.store();
        if library::preset_element_ids().any(|p| p.to_string() == id) {
            Err(invalid(
                "element_id",
                &Value::String(id.clone()),
                "it is one of Kling's preset elements; only custom elements can be deleted",
            ))
        } else {
            match store.library.elements.iter_mut().find(|t| {
                t.element.id.to_string() == id && t.life.status_at(now) == Status::Succeed
            }) {
                Some(t) if t.deleted => Err(KlingError::new(
                    404,
                    1203,
                    format!("element {id} not found: it was deleted"),
                )),
                Some(t) => {
                    t.deleted = true;
                    Ok(())
                }
                None => Err(KlingError::new(
                    404,
                    1203,
                    format!("element {id} not found"),
                )),
            }
        }
    };
    if let Err(e) = deleted {
        return e.into_response(rid);
    }
    tracing::info!(element = %id, "simulator: element deleted");
    let data = json!({"task_id": sim.new_task_id(now), "task_status": Status::Succeed.as_str()});
    answer(after, rid, data)
}

/// An element's picture: one sent as Base64, or a preset's drawing.
pub async fn picture(
    State(sim): State<Arc<Simulator>>,
    Path((id, file)): Path<(String, String)>,
) -> Response {
    let kept = sim
        .store()
        .library
        .pictures
        .get(&format!("elements/{id}/{file}"))
        .cloned();
    let (content_type, bytes): (&str, bytes::Bytes) = match kept {
        Some(p) => (p.content_type, p.bytes),
        None => {
            let preset = library::preset_element_ids().find(|p| p.to_string() == id);
            match (preset, file.as_str()) {
                (Some(seed), "frontal.png") => {
                    ("image/png", super::picture::png(seed, false).into())
                }
                (Some(seed), "refer-1.png") => {
                    ("image/png", super::picture::png(seed, true).into())
                }
                _ => return (StatusCode::NOT_FOUND, "no such picture").into_response(),
            }
        }
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    )
        .into_response()
}

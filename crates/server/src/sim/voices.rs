//! Kling's voice calls (providers.md §0.5, Kling's Voice Management
//! page): create (`POST /v1/general/custom-voices` from a `voice_url` or
//! a `video_id`, a task by the clock), query one task by its task id or
//! its external id, list this account's, list the presets
//! (`GET /v1/general/presets-voices`) and delete
//! (`POST /v1/general/delete-voices {voice_id}`, custom voices only).
//! Every voice's `trial_url` is a short WAV tone the simulator serves at
//! `/sim/kling/voices/{voice_id}.wav`. Faults come from the `voices`
//! queues of the fault plan; the credential is checked as for elements.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use storyreel_core::options::KlingApi;

use super::faults::Fault;
use super::library::{self, Voice, VoiceTask};
use super::probe::{self, Seen};
use super::task::{Outcome, Status};
use super::validate::bad;
use super::validate_current::invalid;
use super::validate_library::{self, VoiceSource, VoiceSpec, MAX_VOICE_SECONDS, MIN_VOICE_SECONDS};
use super::{
    answer, authorized, base_url, external_id_refused, list_prelude, now_ms, read_fault, received,
    KlingError, Page, Simulator,
};

fn length_hint(seconds: f64) -> String {
    format!(
        "it is {seconds:.1} s long; a voice needs {MIN_VOICE_SECONDS} to {MAX_VOICE_SECONDS} s of one clean human voice"
    )
}

/// A `voice_url` the simulator can read (a stored upload): a video of
/// 5 to 30 s. Uploads hold no mp3 or wav, so an image is all else it can
/// be. Any other address is taken on trust.
async fn check_file(sim: &Simulator, url: &str) -> Result<(), KlingError> {
    let value = Value::String(url.to_string());
    match probe::look(sim, url).await {
        Seen::CannotTell => Ok(()),
        Seen::Image(kind) => Err(invalid(
            "voice_url",
            &value,
            &format!(
                "it is a {} image; it must be an .mp3, .wav, .mp4 or .mov file",
                kind.name()
            ),
        )),
        Seen::Unreadable(why) => Err(invalid(
            "voice_url",
            &value,
            &format!("the file cannot be read: {why}"),
        )),
        Seen::Video { seconds, .. }
            if !(MIN_VOICE_SECONDS..=MAX_VOICE_SECONDS).contains(&seconds) =>
        {
            Err(invalid("voice_url", &value, &length_hint(seconds)))
        }
        Seen::Video { .. } => Ok(()),
    }
}

/// Stores the task for a valid request. A `video_id` must name a
/// finished video of this account made with sound (Kling takes only
/// videos with sound), 5 to 30 s long.
fn store_voice(
    sim: &Simulator,
    spec: VoiceSpec,
    after: &Option<Fault>,
) -> Result<VoiceTask, KlingError> {
    let now = now_ms();
    let mut store = sim.store();
    let source = match &spec.source {
        VoiceSource::Url(url) => format!("voice_url {url}"),
        VoiceSource::Video(id) => {
            let value = Value::String(id.clone());
            let Some(video) = store.tasks.iter().find(|t| format!("{}-v1", t.id) == *id) else {
                return Err(invalid(
                    "video_id",
                    &value,
                    "no video has this id; send the id of a finished video (task_result.videos[].id or outputs[].id)",
                ));
            };
            if video.status_at(now) != Status::Succeed {
                return Err(invalid(
                    "video_id",
                    &value,
                    &format!("the video's task {} has not succeeded", video.id),
                ));
            }
            if !video.spec.sound {
                return Err(invalid(
                    "video_id",
                    &value,
                    "the video was made without sound; a voice is taken from a video with sound",
                ));
            }
            let seconds = f64::from(video.spec.seconds());
            if !(MIN_VOICE_SECONDS..=MAX_VOICE_SECONDS).contains(&seconds) {
                return Err(invalid("video_id", &value, &length_hint(seconds)));
            }
            format!("video_id {id}")
        }
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
    let task = VoiceTask {
        task_id: sim.new_task_id(now),
        external_task_id: spec.external_task_id,
        life: sim.life(now, outcome),
        voice: Voice {
            id: store.library.new_voice_id(),
            name: spec.name,
            preset: false,
        },
        source,
        deleted: false,
    };
    store.library.voices.push(task.clone());
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
    let (after, body) = match received(&sim, |f| &mut f.voices.create, &rid, &body).await {
        Ok(got) => got,
        Err(res) => return res,
    };
    let spec = match validate_library::voice(&body) {
        Ok(spec) => spec,
        Err(e) => return e.into_response(rid),
    };
    if let VoiceSource::Url(url) = &spec.source {
        if let Err(e) = check_file(&sim, url).await {
            return e.into_response(rid);
        }
    }
    let task = match store_voice(&sim, spec, &after) {
        Ok(task) => task,
        Err(e) => return e.into_response(rid),
    };
    tracing::info!(task = %task.task_id, voice = %task.voice.id, "simulator: voice task created");
    answer(after, rid, task.created_json())
}

/// One voice task, by its task id or its external id; a deleted voice's
/// task is gone.
pub async fn query(
    State(sim): State<Arc<Simulator>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let rid = match authorized(&sim, &headers, KlingApi::Legacy) {
        Ok(rid) => rid,
        Err(refused) => return refused.into_response(),
    };
    let after = match read_fault(&sim, |f| &mut f.voices.query, &rid).await {
        Ok(after) => after,
        Err(res) => return res,
    };
    let found = {
        let store = sim.store();
        store.library.voice_task(&id).map(|t| {
            if t.deleted {
                Err(format!(
                    "voice task {id} not found: its voice {} was deleted",
                    t.voice.id
                ))
            } else {
                Ok(t.json(now_ms(), &base_url(&headers)))
            }
        })
    };
    match found {
        Some(Ok(data)) => answer(after, rid, data),
        Some(Err(why)) => KlingError::new(404, 1203, why).into_response(rid),
        None => KlingError::new(404, 1203, format!("voice task {id} not found")).into_response(rid),
    }
}

/// This account's voice tasks, newest first, without deleted voices.
pub async fn list(
    State(sim): State<Arc<Simulator>>,
    Query(page): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let (rid, skip, size, after) =
        match list_prelude(&sim, &headers, &page, 1000, |f| &mut f.voices.list).await {
            Ok(p) => p,
            Err(res) => return res,
        };
    let (now, base) = (now_ms(), base_url(&headers));
    let items: Vec<Value> = sim
        .store()
        .library
        .voices
        .iter()
        .rev()
        .filter(|t| !t.deleted)
        .skip(skip)
        .take(size)
        .map(|t| t.json(now, &base))
        .collect();
    answer(after, rid, Value::Array(items))
}

/// Kling's preset voices.
pub async fn presets(
    State(sim): State<Arc<Simulator>>,
    Query(page): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let (rid, skip, size, after) =
        match list_prelude(&sim, &headers, &page, 1000, |f| &mut f.voices.list).await {
            Ok(p) => p,
            Err(res) => return res,
        };
    let base = base_url(&headers);
    let items: Vec<Value> = library::preset_voices()
        .iter()
        .skip(skip)
        .take(size)
        .map(|v| library::preset_voice_json(v, &base))
        .collect();
    answer(after, rid, Value::Array(items))
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
    let (after, body) = match received(&sim, |f| &mut f.voices.delete, &rid, &body).await {
        Ok(got) => got,
        Err(res) => return res,
    };
    let id = match body.get("voice_id") {
        None | Some(Value::Null) => return bad("voice_id is required").into_response(rid),
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(v) => {
            return invalid(
                "voice_id",
                v,
                "it must be the voice's id as a non-empty string",
            )
            .into_response(rid)
        }
    };
    let now = now_ms();
    let deleted = {
        let mut store = sim.store();
        if library::preset_voices().iter().any(|v| v.id == id) {
            Err(invalid(
                "voice_id",
                &Value::String(id.clone()),
                "it is one of Kling's preset voices; only custom voices can be deleted",
            ))
        } else {
            match store
                .library
                .voices
                .iter_mut()
                .find(|t| t.voice.id == id && t.life.status_at(now) == Status::Succeed)
            {
                Some(t) if t.deleted => Err(KlingError::new(
                    404,
                    1203,
                    format!("voice {id} not found: it was deleted"),
                )),
                Some(t) => {
                    t.deleted = true;
                    Ok(())
                }
                None => Err(KlingError::new(404, 1203, format!("voice {id} not found"))),
            }
        }
    };
    if let Err(e) = deleted {
        return e.into_response(rid);
    }
    tracing::info!(voice = %id, "simulator: voice deleted");
    let data = json!({"task_id": sim.new_task_id(now), "task_status": Status::Succeed.as_str()});
    answer(after, rid, data)
}

/// A voice's trial: `{voice_id}.wav`, a tone of the voice's own pitch,
/// for a preset or a custom voice that is made and not deleted.
pub async fn trial(State(sim): State<Arc<Simulator>>, Path(file): Path<String>) -> Response {
    let Some(id) = file.strip_suffix(".wav") else {
        return (StatusCode::NOT_FOUND, "no such trial").into_response();
    };
    let now = now_ms();
    let known =
        library::preset_voices().iter().any(|v| v.id == id)
            || sim.store().library.voices.iter().any(|t| {
                t.voice.id == id && !t.deleted && t.life.status_at(now) == Status::Succeed
            });
    if !known {
        return (StatusCode::NOT_FOUND, "no such trial").into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "audio/wav"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        super::tone::wav(super::tone::pitch_of(id)),
    )
        .into_response()
}

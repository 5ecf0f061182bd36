//! The built-in Kling simulator: Kling's create, query and list calls for
//! Omni (and `kling-v3` image/text-to-video) as providers.md describes
//! them, with the same checks and error codes, a task life driven by the
//! clock, `external_task_id` unique per account, `final_unit_deduction`,
//! a concurrency limit, faults a test can inject, and a real MP4 for every
//! finished task (made by `storyreel-clip`).
//!
//! It speaks both of Kling's designs: the legacy one (`/v1/videos/...`,
//! `model_name` in the body) and the current one (`current.rs`:
//! `POST /omni-video/kling-3.0-omni`, `GET`/`POST /tasks`), over one task
//! store, one fault queue and one video cache; `/tasks` shows the tasks of
//! both. The Kling
//! relay calls it in-process when no Kling keys are set; the server also
//! mounts it at `/sim/kling`, where the finished videos are served
//! (`/sim/kling/videos/{task_id}.mp4`) and, with `--sim-control`, the test
//! controls (`POST /sim/kling/control/faults`, `GET /sim/kling/control/stats`).
//!
//! It also keeps an element and voice library (`elements.rs`, `voices.rs`,
//! `library.rs`: Kling's `/v1/general/...` calls of providers.md §0.5),
//! and a video request that cites an element it does not have, or one
//! that was deleted, is refused.

pub mod auth;
pub mod current;
pub mod elements;
pub mod faults;
pub mod library;
pub mod picture;
pub mod probe;
pub mod shot_list;
pub mod task;
pub mod tone;
pub mod validate;
pub mod validate_current;
pub mod validate_library;
pub mod video;
pub mod voices;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use faults::{Fault, FaultPlan};
use storyreel_core::options::KlingApi;
use task::{Outcome, Task};
use validate::CreateRoute;

/// The key pair the relay signs with when it talks to the simulator.
pub const ACCESS_KEY: &str = "storyreel-simulator";
pub const SECRET_KEY: &str = "storyreel-simulator-secret";
/// The one API key the simulator accepts (`Authorization: Bearer <key>`,
/// both designs); the relay sends it when it talks to the simulator.
pub const API_KEY: &str = "storyreel-simulator-key";

/// Where the simulator is mounted on the server.
pub const MOUNT: &str = "/sim/kling";

/// A Kling error answer: HTTP status, business code, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KlingError {
    pub http: u16,
    pub code: i64,
    pub message: String,
}

impl KlingError {
    pub fn new(http: u16, code: i64, message: impl Into<String>) -> KlingError {
        KlingError {
            http,
            code,
            message: message.into(),
        }
    }

    fn of_code(code: i64, message: Option<String>) -> KlingError {
        KlingError::new(
            faults::http_status_of(code),
            code,
            message.unwrap_or_else(|| faults::default_message(code).to_string()),
        )
    }

    fn into_response(self, request_id: String) -> Response {
        let status = StatusCode::from_u16(self.http).unwrap_or(StatusCode::BAD_REQUEST);
        (
            status,
            Json(json!({"code": self.code, "message": self.message, "request_id": request_id})),
        )
            .into_response()
    }
}

/// How the simulator behaves.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Time in `submitted`.
    pub submit_ms: u64,
    /// Time in `processing`.
    pub process_ms: u64,
    /// Tasks that may hold a slot at once (the resource pack's concurrency).
    pub max_concurrent: usize,
    /// Whether the test controls are served.
    pub control: bool,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            submit_ms: 1_500,
            process_ms: 6_000,
            max_concurrent: 3,
            control: false,
        }
    }
}

#[derive(Default)]
struct Store {
    tasks: Vec<Task>,
    faults: FaultPlan,
    creates_seen: u64,
    library: library::Library,
}

impl Store {
    /// Whether any task of this account (video, element or voice, on
    /// either design) has the external id `key`: Kling says it "must be
    /// unique within a single user account".
    fn external_id_taken(&self, key: &str) -> bool {
        self.tasks
            .iter()
            .any(|t| t.spec.external_task_id.as_deref() == Some(key))
            || self.library.external_id_taken(key)
    }
}

/// The answer to an `external_task_id` used before. The providers'
/// pages say only that it must be unique; the refusal is a 1201.
fn external_id_refused(key: &str) -> KlingError {
    KlingError::new(400, 1201, format!("external_task_id {key} already exists"))
}

/// The simulator's state, shared by its handlers.
pub struct Simulator {
    config: SimConfig,
    store: Mutex<Store>,
    next_id: AtomicU64,
    videos: video::VideoCache,
    /// The server's uploads, when it keeps them: files the simulator can
    /// look at (`probe.rs`).
    uploads: OnceLock<Arc<crate::uploads::Uploads>>,
}

impl Simulator {
    pub fn new(config: SimConfig) -> Arc<Simulator> {
        Arc::new(Simulator {
            config,
            store: Mutex::new(Store::default()),
            next_id: AtomicU64::new(1),
            videos: video::VideoCache::default(),
            uploads: OnceLock::new(),
        })
    }

    /// Lets the simulator read the server's uploads, to check a video
    /// sent by the address of one (a reference video's length). Only the
    /// first call counts.
    pub fn attach_uploads(&self, uploads: Arc<crate::uploads::Uploads>) {
        let _ = self.uploads.set(uploads);
    }

    /// A new task id: the time and a counter, digits only.
    fn new_task_id(&self, now: u64) -> String {
        format!(
            "{}{:04}",
            now,
            self.next_id.fetch_add(1, Ordering::Relaxed) % 10_000
        )
    }

    /// A clock life for a task created now.
    fn life(&self, now: u64, outcome: Outcome) -> task::Life {
        task::Life {
            created_ms: now,
            submit_ms: self.config.submit_ms,
            process_ms: self.config.process_ms,
            outcome,
        }
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn request_id(&self) -> String {
        format!("sim-req-{}", self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    fn task(&self, id: &str) -> Option<Task> {
        self.store().tasks.iter().find(|t| t.id == id).cloned()
    }

    /// How many tasks are in each state now (every state, zeros too).
    pub fn task_counts(&self) -> Vec<(&'static str, usize)> {
        use task::Status;
        let now = now_ms();
        let store = self.store();
        [
            Status::Submitted,
            Status::Processing,
            Status::Succeed,
            Status::Failed,
        ]
        .into_iter()
        .map(|s| {
            let n = store.tasks.iter().filter(|t| t.status_at(now) == s).count();
            (s.as_str(), n)
        })
        .collect()
    }
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The simulator's routes, relative to where it is mounted.
pub fn router(sim: Arc<Simulator>) -> Router {
    let mut r = Router::new()
        .route(
            "/v1/videos/{route}",
            post(create)
                .get(list)
                // Images may come inline (raw Base64), as the relay sends them.
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::relay::uploads::MAX_RESOLVED_BODY_BYTES,
                )),
        )
        .route("/v1/videos/{route}/{id}", get(query))
        .route(
            "/omni-video/{model}",
            post(current::create).layer(axum::extract::DefaultBodyLimit::max(
                crate::relay::uploads::MAX_RESOLVED_BODY_BYTES,
            )),
        )
        .route("/tasks", get(current::query).post(current::list))
        .route("/videos/{file}", get(video::serve))
        .route(
            "/v1/general/advanced-custom-elements",
            post(elements::create)
                .get(elements::list)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::relay::uploads::MAX_RESOLVED_BODY_BYTES,
                )),
        )
        .route(
            "/v1/general/advanced-custom-elements/{id}",
            get(elements::query),
        )
        .route(
            "/v1/general/advanced-presets-elements",
            get(elements::presets),
        )
        .route(
            "/v1/general/delete-advanced-elements",
            post(elements::delete),
        )
        .route("/elements/{id}/{file}", get(elements::picture))
        .route(
            "/v1/general/custom-voices",
            post(voices::create).get(voices::list),
        )
        .route("/v1/general/custom-voices/{id}", get(voices::query))
        .route("/v1/general/presets-voices", get(voices::presets))
        .route("/v1/general/delete-voices", post(voices::delete))
        .route("/voices/{file}", get(voices::trial));
    if sim.config.control {
        r = r
            .route("/control/faults", post(add_faults))
            .route("/control/stats", get(stats))
            .route("/control/tasks/{id}", get(inspect));
    }
    r.with_state(sim)
}

/// A call refused before any work: the error and the call's request id.
struct Rejected(KlingError, String);

impl IntoResponse for Rejected {
    fn into_response(self) -> Response {
        self.0.into_response(self.1)
    }
}

/// A request id for the call, or Kling's 401 when its credential is
/// refused on `api`'s design.
fn authorized(sim: &Simulator, headers: &HeaderMap, api: KlingApi) -> Result<String, Rejected> {
    let rid = sim.request_id();
    match auth::check(headers, api) {
        Ok(()) => Ok(rid),
        Err(e) => Err(Rejected(e, rid)),
    }
}

/// [`authorized`], plus the create route named in the path (404, code 1202,
/// for another one).
fn admit(
    sim: &Simulator,
    headers: &HeaderMap,
    route: &str,
) -> Result<(String, CreateRoute), Rejected> {
    let rid = authorized(sim, headers, KlingApi::Legacy)?;
    match CreateRoute::from_path(route) {
        Some(route) => Ok((rid, route)),
        None => Err(Rejected(
            KlingError::new(404, 1202, format!("no such endpoint: /v1/videos/{route}")),
            rid,
        )),
    }
}

/// Where this server can be reached, as the caller sees it.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

fn video_url(headers: &HeaderMap, id: &str) -> String {
    format!("{}{MOUNT}/videos/{id}.mp4", origin(headers))
}

/// The simulator's own address as the caller sees it
/// (`http://host/sim/kling`), under which it serves files.
fn base_url(headers: &HeaderMap) -> String {
    format!("{}{MOUNT}", origin(headers))
}

fn ok(request_id: String, data: Value) -> Response {
    Json(json!({"code": 0, "message": "SUCCEED", "request_id": request_id, "data": data}))
        .into_response()
}

/// A dropped answer: what the relay shows for a connection lost mid-reply.
fn dropped() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [("x-sim-dropped", "1")],
        Body::empty(),
    )
        .into_response()
}

/// An answer whose body breaks off after `keep` of its bytes (0: none),
/// with the whole length announced: what a reset connection or a
/// truncated body looks like. Served over a socket, hyper aborts the
/// connection there; read in-process (the relay), the body is an error.
fn broken(rid: String, data: Value, keep_half: bool) -> Response {
    let full =
        json!({"code": 0, "message": "SUCCEED", "request_id": rid, "data": data}).to_string();
    let keep = if keep_half { full.len() / 2 } else { 0 };
    let first = bytes::Bytes::copy_from_slice(&full.as_bytes()[..keep]);
    let parts: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
        Ok(first),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated connection reset",
        )),
    ];
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_LENGTH, full.len().to_string()),
        ],
        Body::from_stream(futures_util::stream::iter(parts)),
    )
        .into_response()
}

/// The answer to a call whose work is done, with the fault that acts
/// after the work applied.
fn answer(after: Option<Fault>, rid: String, data: Value) -> Response {
    match after {
        Some(Fault::Drop) => dropped(),
        Some(Fault::Reset) => broken(rid, data, false),
        Some(Fault::Truncate) => broken(rid, data, true),
        _ => ok(rid, data),
    }
}

/// What every video create does first, on either design: count it, meet
/// the next queued create fault, and read the body as JSON. `Err` is the
/// answer to give instead.
pub(crate) async fn received_create(
    sim: &Simulator,
    rid: &str,
    body: &[u8],
) -> Result<(Option<Fault>, Value), Response> {
    sim.store().creates_seen += 1;
    received(sim, |f| &mut f.create, rid, body).await
}

/// What a call with a body does first: meet the next fault of `queue`
/// and read the body as JSON. A fault that acts after the work (drop,
/// reset, truncate, fail-task) is returned with the body.
pub(crate) async fn received(
    sim: &Simulator,
    queue: fn(&mut FaultPlan) -> &mut VecDeque<Fault>,
    rid: &str,
    body: &[u8],
) -> Result<(Option<Fault>, Value), Response> {
    let fault = queue(&mut sim.store().faults).pop_front();
    let after = before(fault, rid).await?;
    match serde_json::from_slice(body) {
        Ok(v) => Ok((after, v)),
        Err(e) => Err(KlingError::new(
            400,
            1200,
            format!("the request body is not valid JSON: {e}"),
        )
        .into_response(rid.to_string())),
    }
}

/// What every library list call does first: the key, the page asked for
/// (at most `max_size` items), then the fault queued for it. The request
/// id, the items to skip and take, and a fault to apply after the work.
pub(crate) async fn list_prelude(
    sim: &Simulator,
    headers: &HeaderMap,
    page: &Page,
    max_size: u64,
    queue: fn(&mut FaultPlan) -> &mut VecDeque<Fault>,
) -> Result<(String, usize, usize, Option<Fault>), Response> {
    let rid = authorized(sim, headers, KlingApi::Legacy).map_err(|r| r.into_response())?;
    let (skip, size) = page
        .read(max_size)
        .map_err(|e| e.into_response(rid.clone()))?;
    let after = read_fault(sim, queue, &rid).await?;
    Ok((rid, skip, size, after))
}

/// What a read call (a query or a list, on either design) does first:
/// meet the next fault of its queue. A code or a gateway page is the
/// answer given instead, and so is a dropped answer; `Ok` holds what is
/// left to do after the work (reset, truncate).
pub(crate) async fn read_fault(
    sim: &Simulator,
    queue: fn(&mut FaultPlan) -> &mut VecDeque<Fault>,
    rid: &str,
) -> Result<Option<Fault>, Response> {
    let fault = queue(&mut sim.store().faults).pop_front();
    match before(fault, rid).await? {
        Some(Fault::Drop) => Err(dropped()),
        after => Ok(after),
    }
}

async fn before(fault: Option<Fault>, rid: &str) -> Result<Option<Fault>, Response> {
    match fault {
        None => Ok(None),
        Some(Fault::Code { code, message }) => {
            Err(KlingError::of_code(code, message).into_response(rid.to_string()))
        }
        Some(Fault::Slow { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(None)
        }
        Some(Fault::Gateway { status }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            Err((
                status,
                [(header::CONTENT_TYPE, "text/html")],
                format!("<html><body><h1>{status}</h1>simulated gateway error</body></html>"),
            )
                .into_response())
        }
        Some(other) => Ok(Some(other)),
    }
}

/// Stores a new task for a valid request, on either design: refused when
/// it cites an element the library does not have (or no longer has, or
/// not yet), when its `external_task_id` is already used (unique per
/// account, across designs and kinds of task) or when the concurrency
/// limit is reached. A `fail_task` fault decides how it ends.
///
/// Kling's pages do not say what an unknown element id gets; the
/// simulator refuses it at create with a 1201 naming the field and the
/// id, as it does any other bad value.
fn enqueue(
    sim: &Simulator,
    route: CreateRoute,
    spec: validate::TaskSpec,
    after: &Option<Fault>,
) -> Result<Task, KlingError> {
    let now = now_ms();
    let mut store = sim.store();
    for cited in &spec.elements {
        if let Err(why) = store.library.check_element(&cited.id, now) {
            return Err(validate_current::invalid(
                &cited.path,
                &Value::String(cited.id.clone()),
                &why,
            ));
        }
    }
    if let Some(key) = &spec.external_task_id {
        if store.external_id_taken(key) {
            return Err(external_id_refused(key));
        }
    }
    let busy = store.tasks.iter().filter(|t| t.holds_slot_at(now)).count();
    if busy >= sim.config.max_concurrent {
        return Err(KlingError::of_code(1303, None));
    }
    let outcome = match after {
        Some(Fault::FailTask { message }) => Outcome::Fail(message.clone()),
        _ => Outcome::Succeed,
    };
    let task = Task {
        id: sim.new_task_id(now),
        route,
        spec,
        created_ms: now,
        submit_ms: sim.config.submit_ms,
        process_ms: sim.config.process_ms,
        outcome,
    };
    store.tasks.push(task.clone());
    Ok(task)
}

async fn create(
    State(sim): State<Arc<Simulator>>,
    Path(route): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (rid, route) = match admit(&sim, &headers, &route) {
        Ok(ok) => ok,
        Err(refused) => return refused.into_response(),
    };
    let (after, body) = match received_create(&sim, &rid, &body).await {
        Ok(got) => got,
        Err(res) => return res,
    };
    let spec = match validate::create(route, &body) {
        Ok(spec) => spec,
        Err(e) => return e.into_response(rid),
    };
    let task = match enqueue(&sim, route, spec, &after) {
        Ok(task) => task,
        Err(e) => return e.into_response(rid),
    };
    tracing::info!(task = %task.id, seconds = task.spec.seconds(), "simulator: task created");
    answer(after, rid, task.created_json())
}

async fn query(
    State(sim): State<Arc<Simulator>>,
    Path((route, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let rid = match authorized(&sim, &headers, KlingApi::Legacy) {
        Ok(rid) => rid,
        Err(refused) => return refused.into_response(),
    };
    let after = match read_fault(&sim, |f| &mut f.query, &rid).await {
        Ok(after) => after,
        Err(res) => return res,
    };
    match sim.task(&id) {
        Some(task) if CreateRoute::from_path(&route) == Some(task.route) => answer(
            after,
            rid,
            task.query_json(now_ms(), &video_url(&headers, &task.id)),
        ),
        _ => KlingError::new(404, 1203, format!("task {id} not found")).into_response(rid),
    }
}

/// `pageNum` and `pageSize` of a list call.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    page_num: Option<String>,
    page_size: Option<String>,
}

impl Page {
    /// How many items to skip and how many to show: `pageNum` 1 to 1000
    /// (default 1), `pageSize` 1 to `max_size` (default 30), as Kling's
    /// list calls take them.
    pub fn read(&self, max_size: u64) -> Result<(usize, usize), KlingError> {
        let number = |v: &Option<String>, default: u64, max: u64, name: &str| match v {
            None => Ok(default),
            Some(text) => match text.parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(KlingError::new(
                    400,
                    1201,
                    format!("{name} must be 1 to {max}, got \"{text}\""),
                )),
            },
        };
        let num = number(&self.page_num, 1, 1000, "pageNum")?;
        let size = number(&self.page_size, 30, max_size, "pageSize")?;
        Ok((((num - 1) * size) as usize, size as usize))
    }
}

async fn list(
    State(sim): State<Arc<Simulator>>,
    Path(route): Path<String>,
    Query(page): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let (rid, route) = match admit(&sim, &headers, &route) {
        Ok(ok) => ok,
        Err(refused) => return refused.into_response(),
    };
    let (skip, size) = match page.read(500) {
        Ok(p) => p,
        Err(e) => return e.into_response(rid),
    };
    let after = match read_fault(&sim, |f| &mut f.list, &rid).await {
        Ok(after) => after,
        Err(res) => return res,
    };
    let now = now_ms();
    let items: Vec<Value> = {
        let store = sim.store();
        store
            .tasks
            .iter()
            .rev()
            .filter(|t| t.route == route)
            .skip(skip)
            .take(size)
            .map(|t| t.query_json(now, &video_url(&headers, &t.id)))
            .collect()
    };
    answer(after, rid, Value::Array(items))
}

async fn add_faults(State(sim): State<Arc<Simulator>>, Json(plan): Json<FaultPlan>) -> Response {
    sim.store().faults.extend(plan);
    StatusCode::NO_CONTENT.into_response()
}

async fn stats(State(sim): State<Arc<Simulator>>) -> Response {
    let store = sim.store();
    let now = now_ms();
    let by_status = |s: task::Status| store.tasks.iter().filter(|t| t.status_at(now) == s).count();
    Json(json!({
        "creates_seen": store.creates_seen,
        "tasks": store.tasks.len(),
        "submitted": by_status(task::Status::Submitted),
        "processing": by_status(task::Status::Processing),
        "succeed": by_status(task::Status::Succeed),
        "failed": by_status(task::Status::Failed),
        "faults_left": store.faults.len(),
        "elements": store.library.elements.len(),
        "voices": store.library.voices.len(),
    }))
    .into_response()
}

/// What the simulator read from a task's request (test controls only):
/// for a video task the shots with their seconds and words, the size,
/// sound, the inputs and the elements cited (each with its name and
/// whether it is a preset); for an element or voice task, what it makes.
async fn inspect(
    State(sim): State<Arc<Simulator>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(task) = sim.task(&id) else {
        let base = base_url(&headers);
        let now = now_ms();
        let store = sim.store();
        if let Some(t) = store.library.element_task(&id) {
            return Json(json!({
                "kind": "element",
                "status": t.life.status_at(now).as_str(),
                "deleted": t.deleted,
                "element": t.element.json(t.deleted, &base),
            }))
            .into_response();
        }
        if let Some(t) = store.library.voice_task(&id) {
            return Json(json!({
                "kind": "voice",
                "status": t.life.status_at(now).as_str(),
                "deleted": t.deleted,
                "source": t.source,
                "voice": t.voice.json(&base),
            }))
            .into_response();
        }
        return (StatusCode::NOT_FOUND, "no task by that id").into_response();
    };
    let elements: Vec<Value> = {
        let store = sim.store();
        let presets = library::preset_elements();
        task.spec
            .elements
            .iter()
            .map(|cited| {
                let custom = store
                    .library
                    .elements
                    .iter()
                    .find(|t| t.element.id.to_string() == cited.id)
                    .map(|t| &t.element);
                let known =
                    custom.or_else(|| presets.iter().find(|p| p.id.to_string() == cited.id));
                json!({
                    "path": cited.path,
                    "element_id": cited.id,
                    "name": known.map(|e| e.name.clone()),
                    "preset": known.is_some_and(|e| e.preset),
                })
            })
            .collect()
    };
    let (width, height) = task.spec.size();
    let shots: Vec<Value> = task
        .spec
        .shots
        .iter()
        .map(|(seconds, words)| json!({"seconds": seconds, "words": words}))
        .collect();
    Json(json!({
        "shots": shots,
        "width": width,
        "height": height,
        "sound": task.spec.sound,
        "inputs": task.spec.inputs,
        "elements": elements,
        "unit_tenths": task.spec.unit_tenths,
    }))
    .into_response()
}

/// The finished task behind a video file name, if any.
fn finished_task(sim: &Simulator, file: &str) -> Option<Task> {
    let id = file.strip_suffix(".mp4")?;
    let task = sim.task(id)?;
    (task.status_at(now_ms()) == task::Status::Succeed).then_some(task)
}

/// Serves `req` from the simulator (used by tests and the relay).
pub async fn call(router: Router, req: Request) -> Response {
    use tower::ServiceExt;
    match router.oneshot(req).await {
        Ok(res) => res,
        Err(never) => match never {},
    }
}

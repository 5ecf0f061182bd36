//! Drives Kling jobs the way the browser's runner does (`src/jobs.rs`):
//! the core's journal entry says what to do next, the core's transport
//! builds the HTTP call, reqwest sends it to the server on loopback, the
//! answer goes back into the entry, and the wait it returns is slept,
//! scaled down so a run takes seconds. The clip is not fetched (the
//! simulator would render an MP4 per job); a finished job's clip is
//! marked saved. Shared by `tests/it/faults.rs` and
//! `examples/load_bench.rs`.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use storyreel_core::job::Job;
use storyreel_core::journal::{Action, Entry};
use storyreel_core::transport::{Answer, HttpCall, Transport};
use storyreel_core::{Board, KlingApi, Provider, Shot};

/// How a job is driven.
#[derive(Debug, Clone)]
pub struct Pace {
    /// Every wait the journal asks for is divided by this.
    pub divide: u64,
    /// ... and capped at this.
    pub max_wait: Duration,
    /// Each call's own limit (the browser has none; a test must end).
    pub call_timeout: Duration,
    /// The job is left as it is after this many steps.
    pub max_steps: u32,
}

impl Default for Pace {
    fn default() -> Pace {
        Pace {
            divide: 40,
            max_wait: Duration::from_millis(250),
            call_timeout: Duration::from_secs(10),
            max_steps: 400,
        }
    }
}

/// What kind of call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Create,
    Lookup,
    Poll,
}

/// One call's timing and outcome.
#[derive(Debug, Clone)]
pub struct Call {
    pub kind: Kind,
    pub latency: Duration,
    /// The HTTP status, or `None` for a network error.
    pub status: Option<u16>,
}

/// A driven job.
#[derive(Debug)]
pub struct Driven {
    pub entry: Entry,
    pub calls: Vec<Call>,
    pub steps: u32,
}

impl Driven {
    /// Finished, with its clip marked saved.
    pub fn finished(&self) -> bool {
        self.entry.phase_tag() == "finished" && !self.entry.is_active()
    }
}

/// The board every job sends: three text shots, 8 s.
pub fn board() -> Board {
    Board {
        provider: Provider::Kling,
        title: "Lighthouse".into(),
        shots: vec![
            Shot::new("A lighthouse at dusk.", 3),
            Shot::new("Waves on the rocks.", 2),
            Shot::new("The lamp turns on.", 3),
        ],
        ..Board::default()
    }
}

/// A small xorshift generator for the jitter (any value in 0–1 will do;
/// it need not be good).
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    pub fn new(seed: u64) -> Jitter {
        Jitter(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A new journaled Kling job with key `key`.
pub fn new_entry(transport: &Transport, key: &str) -> Entry {
    let board = board();
    let created = transport
        .create(Provider::Kling, &board, key)
        .expect("the board maps to a Kling request");
    Entry::new(
        Job::new(key.to_string(), Provider::Kling, now_ms()),
        board,
        created.target,
    )
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Sends `call` as the browser's `fetch` would; a failure on the way (or
/// a body that cannot be read) is a network error.
pub async fn send(client: &reqwest::Client, call: &HttpCall, timeout: Duration) -> Answer {
    let method =
        reqwest::Method::from_bytes(call.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut req = client.request(method, &call.url).timeout(timeout);
    for (name, value) in &call.headers {
        req = req.header(name, value);
    }
    if let Some(body) = &call.body {
        req = req.body(body.clone());
    }
    match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            match res.text().await {
                Ok(body) => Answer::Http { status, body },
                Err(e) => Answer::Network {
                    message: format!("the body could not be read: {e}"),
                },
            }
        }
        Err(e) => Answer::Network {
            message: e.to_string(),
        },
    }
}

fn status_of(answer: &Answer) -> Option<u16> {
    match answer {
        Answer::Http { status, .. } => Some(*status),
        Answer::Network { .. } => None,
    }
}

/// Drives `entry` until it needs nothing more, `deadline` passes or
/// `pace.max_steps` steps are taken.
pub async fn drive(
    client: &reqwest::Client,
    transport: &Transport,
    mut entry: Entry,
    pace: &Pace,
    jitter: &mut Jitter,
    deadline: Instant,
) -> Driven {
    let mut calls = Vec::new();
    let mut steps = 0;
    while steps < pace.max_steps && Instant::now() < deadline {
        steps += 1;
        let (kind, call) = match entry.next_action() {
            Action::Done => break,
            Action::SaveClip(_) => {
                entry.clip_saved();
                continue;
            }
            Action::Abandon => {
                entry.abandon("the job cannot be looked up");
                continue;
            }
            Action::FetchResult => unreachable!("fal only"),
            Action::Create => {
                entry
                    .begin_create()
                    .expect("the journal allows the create it asks for");
                let created = transport
                    .create(Provider::Kling, &entry.board, entry.key())
                    .expect("the board maps");
                (Kind::Create, created.call)
            }
            Action::Lookup => (
                Kind::Lookup,
                transport
                    .find_job(
                        Provider::Kling,
                        &entry.target,
                        entry.key(),
                        entry.lookup_page,
                    )
                    .expect("Kling jobs can be looked up"),
            ),
            Action::Poll => {
                let remote = entry.job.remote_id().expect("a polled job has an id");
                (
                    Kind::Poll,
                    transport.poll(
                        Provider::Kling,
                        &entry.target,
                        remote,
                        entry.status_url.as_deref(),
                    ),
                )
            }
        };
        let started = Instant::now();
        let answer = send(client, &call, pace.call_timeout).await;
        calls.push(Call {
            kind,
            latency: started.elapsed(),
            status: status_of(&answer),
        });
        let j = jitter.next();
        let wait = match kind {
            Kind::Create => entry.on_create(&answer, j),
            Kind::Lookup => entry.on_lookup(&answer, j),
            Kind::Poll => entry.on_poll(&answer, j),
        };
        let sleep = Duration::from_millis(wait / pace.divide.max(1)).min(pace.max_wait);
        if !sleep.is_zero() {
            tokio::time::sleep(sleep).await;
        }
    }
    Driven {
        entry,
        calls,
        steps,
    }
}

/// `/sim/kling/control/stats` as JSON.
pub async fn sim_stats(client: &reqwest::Client, base: &str) -> serde_json::Value {
    let res = client
        .get(format!("{base}/sim/kling/control/stats"))
        .send()
        .await
        .expect("stats answer");
    assert!(res.status().is_success(), "stats: {}", res.status());
    let text = res.text().await.expect("stats body");
    serde_json::from_str(&text).expect("stats JSON")
}

/// Queues `plan` (a `FaultPlan` as JSON) on the simulator.
pub async fn add_faults(client: &reqwest::Client, base: &str, plan: &serde_json::Value) {
    let res = client
        .post(format!("{base}/sim/kling/control/faults"))
        .header("content-type", "application/json")
        .body(plan.to_string())
        .send()
        .await
        .expect("faults answer");
    assert_eq!(res.status().as_u16(), 204, "faults refused");
}

/// Every task the simulator holds, by its `external_task_id`, listed
/// through the relay on the design of `target`: the legacy list 500 a
/// page, or the current design's `POST /tasks` with its cursor.
pub async fn task_keys(
    client: &reqwest::Client,
    transport: &Transport,
    target: &str,
) -> Vec<Option<String>> {
    match KlingApi::of_path(target) {
        KlingApi::Legacy => legacy_task_keys(client, transport, target).await,
        KlingApi::Current => current_task_keys(client, transport).await,
    }
}

async fn current_task_keys(client: &reqwest::Client, transport: &Transport) -> Vec<Option<String>> {
    let mut keys = Vec::new();
    let mut cursor = String::new();
    for _ in 0..1000 {
        let res = client
            .post(format!("{}/tasks", transport.kling_base()))
            .header("content-type", "application/json")
            .body(serde_json::json!({"limit": 500, "cursor": cursor}).to_string())
            .send()
            .await
            .expect("list answer");
        let text = res.text().await.expect("list body");
        let body: serde_json::Value = serde_json::from_str(&text).expect("list JSON");
        let data = &body["data"];
        for t in data["result"].as_array().cloned().unwrap_or_default() {
            keys.push(t["external_id"].as_str().map(str::to_string));
        }
        match data["next_cursor"].as_str() {
            Some(next) if data["has_more"] == true && !next.is_empty() => cursor = next.to_string(),
            _ => break,
        }
    }
    keys
}

async fn legacy_task_keys(
    client: &reqwest::Client,
    transport: &Transport,
    target: &str,
) -> Vec<Option<String>> {
    let mut keys = Vec::new();
    for page in 1..=1000 {
        let url = format!(
            "{}{target}?pageNum={page}&pageSize=500",
            transport.kling_base()
        );
        let res = client.get(&url).send().await.expect("list answer");
        let text = res.text().await.expect("list body");
        let body: serde_json::Value = serde_json::from_str(&text).expect("list JSON");
        let items = body["data"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        for t in items {
            keys.push(
                t["task_info"]["external_task_id"]
                    .as_str()
                    .map(str::to_string),
            );
        }
    }
    keys
}

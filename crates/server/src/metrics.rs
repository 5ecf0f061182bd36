//! `GET /metrics`: Prometheus text.
//!
//! - `storyreel_http_requests_total{route,method,status}` and
//!   `storyreel_http_request_duration_seconds{route,method}` (a
//!   histogram): `route` is the matched route template (`/api/kling/{*path}`)
//!   or `static` for the app's files, never the raw path, so the number of
//!   series stays bounded.
//! - `storyreel_upstream_requests_total{provider,status}` and
//!   `storyreel_upstream_errors_total{provider,code}`, counted by the
//!   relays ([`upstream_answered`], [`upstream_failed`]); `code` is the
//!   upstream's HTTP status, or `timeout`, `connect` or `read`.
//! - `storyreel_jobs{state}`: the simulator's tasks by state, when Kling
//!   is simulated (the server sees no other provider's jobs).
//!
//! The choice: the `metrics` facade with `metrics-exporter-prometheus`,
//! but with one recorder per [`Metrics`] (`build_recorder`, never
//! installed globally), because tests start several servers in one
//! process and a global recorder can be set only once. Every record call
//! runs under `metrics::with_local_recorder`; the relays find the
//! request's `Metrics` in a task-local set by [`track`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

pub const HTTP_REQUESTS: &str = "storyreel_http_requests_total";
pub const HTTP_DURATION: &str = "storyreel_http_request_duration_seconds";
pub const UPSTREAM_REQUESTS: &str = "storyreel_upstream_requests_total";
pub const UPSTREAM_ERRORS: &str = "storyreel_upstream_errors_total";
pub const JOBS: &str = "storyreel_jobs";

/// The `route` label of requests no route matched (the app's files).
pub const STATIC_ROUTE: &str = "static";

const DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// How often histogram samples are folded in when nobody scrapes.
const UPKEEP: Duration = Duration::from_secs(5);

/// One registry; clones share it.
#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        // Only an empty bucket list is refused; ours is a constant.
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_string()), &DURATION_BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        Metrics {
            recorder: Arc::new(recorder),
            handle,
        }
    }

    fn with<T>(&self, f: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(&*self.recorder, f)
    }

    pub fn http(&self, route: &str, method: &str, status: u16, took: Duration) {
        let (route, method) = (route.to_string(), method.to_string());
        self.with(|| {
            metrics::counter!(HTTP_REQUESTS, "route" => route.clone(), "method" => method.clone(), "status" => status.to_string())
                .increment(1);
            metrics::histogram!(HTTP_DURATION, "route" => route, "method" => method)
                .record(took.as_secs_f64());
        });
    }

    pub fn upstream(&self, provider: &'static str, status: u16) {
        self.with(|| {
            metrics::counter!(UPSTREAM_REQUESTS, "provider" => provider, "status" => status.to_string())
                .increment(1);
            if status >= 400 {
                metrics::counter!(UPSTREAM_ERRORS, "provider" => provider, "code" => status.to_string())
                    .increment(1);
            }
        });
    }

    pub fn upstream_error(&self, provider: &'static str, code: &'static str) {
        self.with(|| {
            metrics::counter!(UPSTREAM_ERRORS, "provider" => provider, "code" => code).increment(1);
        });
    }

    /// The text `/metrics` serves, with `jobs` (state, count) as gauges.
    pub fn render(&self, jobs: &[(&'static str, usize)]) -> String {
        self.with(|| {
            for (state, n) in jobs {
                metrics::gauge!(JOBS, "state" => *state).set(*n as f64);
            }
        });
        self.handle.render()
    }

    /// Folds in histogram samples every few seconds, for as long as this
    /// registry lives (call inside a runtime).
    pub fn spawn_upkeep(&self) {
        let weak = Arc::downgrade(&self.recorder);
        let handle = self.handle.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(UPKEEP);
            loop {
                tick.tick().await;
                if weak.upgrade().is_none() {
                    break;
                }
                handle.run_upkeep();
            }
        });
    }
}

tokio::task_local! {
    static CURRENT: Metrics;
}

/// A relay got an answer from `provider` (its HTTP status).
pub fn upstream_answered(provider: &'static str, status: u16) {
    let _ = CURRENT.try_with(|m| m.upstream(provider, status));
}

/// A relay got no answer from `provider`: `timeout`, `connect` or `read`.
pub fn upstream_failed(provider: &'static str, code: &'static str) {
    let _ = CURRENT.try_with(|m| m.upstream_error(provider, code));
}

/// Counts and times every request, by its route template.
pub async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(STATIC_ROUTE, MatchedPath::as_str)
        .to_string();
    let method = req.method().as_str().to_string();
    let start = Instant::now();
    let res = CURRENT.scope(metrics.clone(), next.run(req)).await;
    metrics.http(&route, &method, res.status().as_u16(), start.elapsed());
    res
}

/// The `/metrics` answer.
pub fn answer(metrics: &Metrics, jobs: &[(&'static str, usize)]) -> Response {
    let mut res = metrics.render(jobs).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res
}

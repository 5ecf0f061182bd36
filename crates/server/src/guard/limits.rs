//! Per-request and per-client limits:
//!
//! - a request timeout (`--request-timeout-secs`): an answer must start
//!   within it, else 504. Streaming the answer is not timed (a long clip
//!   may take minutes), and uploads (`/api/uploads`), stored files
//!   (`/uploads/...`) and the simulator's videos are exempt: their bodies
//!   are the slow part.
//! - a rate limit per client address (`--rate-limit-per-minute`,
//!   `tower_governor`): 429 with `Retry-After`. Behind a reverse proxy
//!   every client is the proxy's address.
//! - a cap on job creations in flight per client address
//!   (`--max-jobs-per-client`): 429 while that many of its creates are
//!   still waiting for the provider.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use crate::relay::relay_error;

/// The client's address: the peer of the connection. Without one (a
/// router served without connect info) every client shares one key.
pub fn peer_ip<B>(req: &axum::http::Request<B>) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// True for the routes whose request bodies or answers are streamed
/// files, which the request timeout leaves alone.
pub fn is_streaming(path: &str) -> bool {
    path == "/api/uploads"
        || path.starts_with("/uploads/")
        || path.starts_with("/sim/kling/videos/")
}

/// `--request-timeout-secs`.
pub async fn timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    if is_streaming(req.uri().path()) {
        return next.run(req).await;
    }
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => relay_error(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "no answer within this server's request timeout of {} s (--request-timeout-secs); nothing is known about the outcome, look the job up before trying again",
                limit.as_secs()
            ),
        ),
    }
}

#[derive(Clone, Copy, Debug)]
struct PeerIp;

impl KeyExtractor for PeerIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(peer_ip(req))
    }
}

/// How often addresses that are no longer limited are forgotten.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// `router` behind a limit of `per_minute` requests a minute per address
/// (a burst of that many, then one every `60 / per_minute` s); as it is
/// for 0. Call inside a runtime: it starts a task that forgets idle
/// addresses for as long as the limit lives.
pub fn rate_limited(router: axum::Router, per_minute: u32) -> axum::Router {
    if per_minute == 0 {
        return router;
    }
    let Some(config) = GovernorConfigBuilder::default()
        .key_extractor(PeerIp)
        .per_nanosecond((60_000_000_000 / u64::from(per_minute)).max(1))
        .burst_size(per_minute)
        .finish()
    else {
        return router;
    };
    let config = Arc::new(config);
    let weak = Arc::downgrade(&config);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FORGET_EVERY);
        loop {
            tick.tick().await;
            match weak.upgrade() {
                Some(c) => c.limiter().retain_recent(),
                None => break,
            }
        }
    });
    router.layer(GovernorLayer::new(config).error_handler(move |e| too_many(e, per_minute)))
}

fn too_many(e: GovernorError, per_minute: u32) -> Response {
    match e {
        GovernorError::TooManyRequests { wait_time, .. } => {
            let wait = wait_time.max(1);
            let mut res = relay_error(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many requests from your address: this server takes at most {per_minute} a minute (--rate-limit-per-minute); try again in {wait} s"
                ),
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
            res
        }
        other => relay_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the rate limit failed: {other}"),
        ),
    }
}

/// True for a call that creates a provider job: Kling's creates on both
/// designs (and its element and voice creates, which start a task too),
/// Replicate's create calls, and a POST through the fal proxy to a queue
/// model (not to a request's status, result or cancel, nor to storage).
pub fn is_create(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    if method != Method::POST {
        return false;
    }
    if let Some(rest) = path.strip_prefix("/api/kling/v1/videos/") {
        return !rest.is_empty() && !rest.contains('/');
    }
    if let Some(rest) = path.strip_prefix("/api/kling") {
        return KLING_CREATES.contains(&rest);
    }
    if let Some(rest) = path.strip_prefix("/api/replicate/v1/models/") {
        return rest.ends_with("/predictions");
    }
    if path == "/api/fal/proxy" {
        let target = headers
            .get(crate::relay::fal::TARGET_URL_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|t| reqwest::Url::parse(t.trim()).ok());
        return target.is_some_and(|t| {
            let host = t.host_str().unwrap_or("");
            !host.starts_with("rest.") && !t.path().split('/').any(|s| s == "requests")
        });
    }
    false
}

/// Kling's create paths besides the legacy `/v1/videos/{route}`: the
/// current design's, and the element and voice creates (providers.md
/// §0.3, §0.5).
const KLING_CREATES: [&str; 3] = [
    storyreel_core::kling::CURRENT_OMNI_PATH,
    "/v1/general/advanced-custom-elements",
    "/v1/general/custom-voices",
];

/// Creates in flight per address.
pub struct JobCap {
    max: usize,
    in_flight: Mutex<HashMap<IpAddr, usize>>,
}

impl JobCap {
    pub fn new(max: usize) -> JobCap {
        JobCap {
            max,
            in_flight: Mutex::new(HashMap::new()),
        }
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, usize>> {
        self.in_flight.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A slot for `ip`, or `None` when it has `max` already.
    fn take(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        let mut counts = self.counts();
        let n = counts.entry(ip).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Slot {
            cap: self.clone(),
            ip,
        })
    }
}

/// Gives the slot back when the create is answered (or dropped).
struct Slot {
    cap: Arc<JobCap>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.cap.counts();
        if let Some(n) = counts.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

/// `--max-jobs-per-client`.
pub async fn job_cap(State(cap): State<Arc<JobCap>>, req: Request, next: Next) -> Response {
    if !is_create(req.method(), req.uri().path(), req.headers()) {
        return next.run(req).await;
    }
    let Some(_slot) = cap.take(peer_ip(&req)) else {
        let mut res = relay_error(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "your address already has {} job creations waiting for the provider, the most this server allows at once per client (--max-jobs-per-client); wait for one to be answered",
                cap.max
            ),
        );
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return res;
    };
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_are_told_from_other_calls() {
        let none = HeaderMap::new();
        let post = Method::POST;
        assert!(is_create(&post, "/api/kling/v1/videos/omni-video", &none));
        assert!(is_create(
            &post,
            "/api/kling/omni-video/kling-3.0-omni",
            &none
        ));
        assert!(is_create(
            &post,
            "/api/kling/v1/general/advanced-custom-elements",
            &none
        ));
        assert!(is_create(
            &post,
            "/api/kling/v1/general/custom-voices",
            &none
        ));
        assert!(!is_create(&post, "/api/kling/tasks", &none));
        assert!(!is_create(
            &post,
            "/api/kling/v1/general/delete-voices",
            &none
        ));
        assert!(!is_create(
            &Method::GET,
            "/api/kling/omni-video/kling-3.0-omni",
            &none
        ));
        assert!(!is_create(
            &post,
            "/api/kling/v1/videos/omni-video/123",
            &none
        ));
        assert!(!is_create(
            &Method::GET,
            "/api/kling/v1/videos/omni-video",
            &none
        ));
        assert!(is_create(
            &post,
            "/api/replicate/v1/models/kwaivgi/kling-v3-omni-video/predictions",
            &none
        ));
        assert!(!is_create(
            &post,
            "/api/replicate/v1/predictions/x/cancel",
            &none
        ));
        let fal = |t: &'static str| {
            let mut h = HeaderMap::new();
            h.insert("x-fal-target-url", HeaderValue::from_static(t));
            h
        };
        assert!(is_create(
            &post,
            "/api/fal/proxy",
            &fal("https://queue.fal.run/fal-ai/kling-video/o3/pro/text-to-video")
        ));
        assert!(!is_create(
            &post,
            "/api/fal/proxy",
            &fal("https://queue.fal.run/fal-ai/kling-video/requests/abc/cancel")
        ));
        assert!(!is_create(
            &post,
            "/api/fal/proxy",
            &fal("https://rest.fal.ai/storage/upload/initiate")
        ));
    }

    #[test]
    fn slots_come_back() {
        let cap = Arc::new(JobCap::new(2));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        let a = cap.take(ip).expect("first");
        let _b = cap.take(ip).expect("second");
        assert!(cap.take(ip).is_none());
        assert!(cap.take(other).is_some());
        drop(a);
        assert!(cap.take(ip).is_some());
    }
}

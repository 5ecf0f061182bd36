//! Request ids, log lines, `/healthz`, `/readyz` and `/metrics`, on the
//! whole app over loopback: ids on every answer (kept when plain, replaced
//! when not, never the upstream's), in error bodies and in JSON log lines;
//! readiness that fails when the upload store goes away; metrics by route
//! template only, per server, with the relays' upstream counts and the
//! simulator's jobs.

use crate::common;

use std::collections::HashSet;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use common::*;
use serde_json::Value;
use storyreel_server::api::Api;
use storyreel_server::config::{Keys, ReplicateKeys, Secret};
use storyreel_server::relay::replicate::ReplicateConfig;
use storyreel_server::relay::RelayConfig;
use storyreel_server::sim::SimConfig;
use storyreel_server::uploads::{StoreConfig, UploadConfig, Uploads};

const REPLICATE_CREATE: &str = "/api/replicate/v1/models/kwaivgi/kling-v3-omni-video/predictions";

fn sim_api() -> Api {
    Api::new(Keys::default(), SimConfig::default()).expect("api")
}

/// An API whose Replicate relay goes to `base`.
fn replicate_api(base: &str) -> Api {
    let keys = Keys {
        replicate: ReplicateKeys {
            token: Some(Secret::new("r8_obs_token")),
        },
        ..Keys::default()
    };
    let relays = RelayConfig {
        replicate: ReplicateConfig {
            base_url: base.to_string(),
        },
        ..RelayConfig::default()
    };
    Api::with_relays(keys, SimConfig::default(), relays).expect("api")
}

fn id_of(res: &reqwest::Response) -> String {
    res.headers()
        .get("x-request-id")
        .unwrap_or_else(|| panic!("no x-request-id on {}", res.url()))
        .to_str()
        .expect("ascii")
        .to_string()
}

#[tokio::test]
async fn every_answer_carries_its_own_request_id() {
    let d = dist();
    let url = serve_api(sim_api(), d.path()).await;
    let c = client();
    let mut ids = HashSet::new();
    for path in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/status",
        "/api/nope",
        "/api/kling/v1/account",
        "/",
        "/some/app/route",
        "/missing.png",
        "/storyreel-0123456789abcdef_bg.wasm",
    ] {
        let res = c.get(format!("{url}{path}")).send().await.expect("answer");
        let id = id_of(&res);
        assert!(
            id.len() >= 32
                && storyreel_server::request_id::is_valid(&res.headers()["x-request-id"]),
            "{path}: {id}"
        );
        assert!(ids.insert(id.clone()), "{path}: the id {id} was used twice");
    }
}

#[tokio::test]
async fn a_plain_incoming_id_is_kept_and_anything_else_replaced() {
    let d = dist();
    let url = serve_api(sim_api(), d.path()).await;
    let c = client();
    let res = c
        .get(format!("{url}/healthz"))
        .header("x-request-id", "client-trace:42_a.b")
        .send()
        .await
        .expect("answer");
    assert_eq!(id_of(&res), "client-trace:42_a.b");
    let long = "a".repeat(129);
    for bad in [
        long.as_str(),
        "has space",
        "quote\"d",
        "semi;colon",
        "{json}",
    ] {
        let res = c
            .get(format!("{url}/api/nope"))
            .header("x-request-id", bad)
            .send()
            .await
            .expect("answer");
        let id = id_of(&res);
        assert_ne!(id, bad);
        assert!(id.len() <= 128, "{id}");
        let body: Value = json_of(res).await;
        assert_eq!(body["request_id"], Value::String(id), "{bad}");
    }
}

#[tokio::test]
async fn error_bodies_carry_the_request_id() {
    let d = dist();
    let uploads = tempfile::tempdir().expect("upload dir");
    let api = sim_api().with_uploads(
        Uploads::open(&UploadConfig {
            store: StoreConfig::Dir(uploads.path().join("u")),
            max_bytes: 1000,
            public_base_url: None,
        })
        .expect("uploads"),
    );
    let url = serve_api(api, d.path()).await;
    let c = client();
    let cases = [
        c.get(format!("{url}/api/nope")),
        c.get(format!("{url}/api/kling/v1/account/costs")),
        c.post(format!("{url}/api/uploads")).body(""),
        c.get(format!("{url}/uploads/not-a-hash")),
        c.get(format!("{url}/api/fal/proxy")),
        c.get(format!("{url}/api/media")),
    ];
    for (i, req) in cases.into_iter().enumerate() {
        let id = format!("err-case-{i}");
        let res = req
            .header("x-request-id", &id)
            .send()
            .await
            .expect("answer");
        assert!(
            res.status().is_client_error() || res.status().is_server_error(),
            "case {i}: {}",
            res.status()
        );
        assert_eq!(id_of(&res), id);
        let body: Value = json_of(res).await;
        assert_eq!(body["relay"], Value::Bool(true), "case {i}: {body}");
        assert_eq!(body["request_id"], Value::String(id), "case {i}: {body}");
    }
}

#[tokio::test]
async fn the_upstreams_request_id_never_replaces_ours() {
    let upstream = listen(Router::new().fallback(any(|| async {
        (
            StatusCode::CREATED,
            [
                ("x-request-id", "upstream-id-1"),
                ("content-type", "application/json"),
            ],
            "{}",
        )
            .into_response()
    })))
    .await;
    let d = dist();
    let url = serve_api(replicate_api(&format!("http://{upstream}")), d.path()).await;
    let res = client()
        .post(format!("{url}{REPLICATE_CREATE}"))
        .header("x-request-id", "mine-1")
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 201);
    assert_eq!(id_of(&res), "mine-1");
    assert_eq!(res.headers()["x-upstream-request-id"], "upstream-id-1");
    assert_eq!(res.headers().get_all("x-request-id").iter().count(), 1);
}

#[tokio::test]
async fn healthz_is_up_and_readyz_follows_the_upload_store() {
    let d = dist();
    let root = tempfile::tempdir().expect("temp");
    let dir = root.path().join("uploads");
    let api = sim_api().with_uploads(
        Uploads::open(&UploadConfig {
            store: StoreConfig::Dir(dir.clone()),
            max_bytes: 1000,
            public_base_url: None,
        })
        .expect("uploads"),
    );
    let url = serve_api(api, d.path()).await;
    let c = client();
    let res = c
        .get(format!("{url}/healthz"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.expect("text"), "ok");

    // Not made yet: its parent is writable, so uploads can start.
    let res = c.get(format!("{url}/readyz")).send().await.expect("answer");
    assert_eq!(res.status(), 200);
    let body: Value = json_of(res).await;
    assert_eq!(body["ready"], true);
    assert_eq!(body["checks"]["kling"], "simulator");
    assert_eq!(body["checks"]["uploads"], "ok");

    // A file where the directory should be: not ready, and why.
    std::fs::write(&dir, "not a directory").expect("write");
    let res = c.get(format!("{url}/readyz")).send().await.expect("answer");
    assert_eq!(res.status(), 503);
    let body: Value = json_of(res).await;
    assert_eq!(body["ready"], false);
    assert!(
        body["reason"]
            .as_str()
            .unwrap_or("")
            .contains("upload store"),
        "{body}"
    );
    assert!(
        !body.to_string().contains(root.path().to_str().unwrap()),
        "no paths in the answer: {body}"
    );
    // Health is about the process only.
    let res = c
        .get(format!("{url}/healthz"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);

    std::fs::remove_file(&dir).expect("remove");
    std::fs::create_dir(&dir).expect("mkdir");
    let res = c.get(format!("{url}/readyz")).send().await.expect("answer");
    assert_eq!(res.status(), 200);
}

async fn metrics_text(c: &reqwest::Client, url: &str) -> String {
    let res = c
        .get(format!("{url}/metrics"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    res.text().await.expect("text")
}

/// The value of the first sample line of `name` holding every one of
/// `labels` (`key="value"`), if any.
fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .find(|l| labels.iter().all(|lab| l.contains(lab)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_by_route_template_never_by_raw_path() {
    let d = dist();
    let url = serve_api(sim_api(), d.path()).await;
    let c = client();
    for i in 0..3 {
        c.get(format!(
            "{url}/api/kling/v1/videos/omni-video/secret-task-{i}"
        ))
        .send()
        .await
        .expect("answer");
        c.get(format!("{url}/boards/raw-path-{i}"))
            .send()
            .await
            .expect("answer");
        c.get(format!("{url}/api/unknown-{i}"))
            .send()
            .await
            .expect("answer");
    }
    let text = metrics_text(&c, &url).await;
    assert!(!text.contains("secret-task"), "{text}");
    assert!(!text.contains("raw-path"), "{text}");
    assert!(!text.contains("unknown-"), "{text}");
    let kling = sample(
        &text,
        "storyreel_http_requests_total",
        &[r#"route="/api/kling/{*path}""#, r#"method="GET""#],
    );
    assert_eq!(kling, Some(3.0), "{text}");
    assert_eq!(
        sample(
            &text,
            "storyreel_http_requests_total",
            &[r#"route="static""#, r#"status="200""#]
        ),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "storyreel_http_requests_total",
            &[r#"route="/api/{*rest}""#, r#"status="404""#]
        ),
        Some(3.0),
        "{text}"
    );
    assert!(
        text.contains("storyreel_http_request_duration_seconds_bucket{"),
        "a histogram: {text}"
    );
    assert!(
        sample(
            &text,
            "storyreel_http_request_duration_seconds_count",
            &[r#"route="/api/kling/{*path}""#]
        ) == Some(3.0),
        "{text}"
    );
    // The simulator saw one upstream answer per Kling call.
    assert!(
        sample(
            &text,
            "storyreel_upstream_requests_total",
            &[r#"provider="kling""#]
        )
        .is_some(),
        "{text}"
    );
}

#[tokio::test]
async fn two_servers_in_one_process_count_apart() {
    let d = dist();
    let a = serve_api(sim_api(), d.path()).await;
    let b = serve_api(sim_api(), d.path()).await;
    let c = client();
    for _ in 0..4 {
        c.get(format!("{a}/healthz")).send().await.expect("answer");
    }
    c.get(format!("{b}/healthz")).send().await.expect("answer");
    let healthz = [r#"route="/healthz""#];
    assert_eq!(
        sample(
            &metrics_text(&c, &a).await,
            "storyreel_http_requests_total",
            &healthz
        ),
        Some(4.0)
    );
    assert_eq!(
        sample(
            &metrics_text(&c, &b).await,
            "storyreel_http_requests_total",
            &healthz
        ),
        Some(1.0)
    );
}

#[tokio::test]
async fn upstream_answers_and_failures_are_counted_per_provider() {
    let failing = listen(Router::new().fallback(any(|| async {
        (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response()
    })))
    .await;
    let d = dist();
    let url = serve_api(replicate_api(&format!("http://{failing}")), d.path()).await;
    let c = client();
    for _ in 0..2 {
        let res = c
            .post(format!("{url}{REPLICATE_CREATE}"))
            .body("{}")
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 500);
    }
    // A port nobody listens on: a connect failure.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let url2 = serve_api(replicate_api(&format!("http://{closed}")), d.path()).await;
    let res = c
        .post(format!("{url2}{REPLICATE_CREATE}"))
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 502);

    let text = metrics_text(&c, &url).await;
    assert_eq!(
        sample(
            &text,
            "storyreel_upstream_requests_total",
            &[r#"provider="replicate""#, r#"status="500""#]
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "storyreel_upstream_errors_total",
            &[r#"provider="replicate""#, r#"code="500""#]
        ),
        Some(2.0),
        "{text}"
    );
    let text = metrics_text(&c, &url2).await;
    assert_eq!(
        sample(
            &text,
            "storyreel_upstream_errors_total",
            &[r#"provider="replicate""#, r#"code="connect""#]
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "storyreel_upstream_requests_total", &[]),
        None,
        "{text}"
    );
}

#[tokio::test]
async fn simulator_jobs_show_by_state() {
    let d = dist();
    let url = serve_api(sim_api(), d.path()).await;
    let c = client();
    let text = metrics_text(&c, &url).await;
    assert_eq!(
        sample(&text, "storyreel_jobs", &[r#"state="submitted""#]),
        Some(0.0),
        "{text}"
    );
    for key in ["job-a", "job-b"] {
        let res = c
            .post(format!("{url}/api/kling/v1/videos/omni-video"))
            .header("content-type", "application/json")
            .body(three_shots(key).to_string())
            .send()
            .await
            .expect("answer");
        assert_eq!(
            res.status(),
            200,
            "{}",
            res.text().await.unwrap_or_default()
        );
    }
    let text = metrics_text(&c, &url).await;
    // The default simulator keeps a task `submitted` for 1.5 s.
    let live: f64 = ["submitted", "processing", "succeed", "failed"]
        .iter()
        .filter_map(|s| sample(&text, "storyreel_jobs", &[&format!(r#"state="{s}""#)]))
        .sum();
    assert_eq!(live, 2.0, "{text}");
}

#[test]
fn json_log_lines_carry_the_request_id() {
    let d = dist();
    let server = spawn(d.path(), &["--log-format", "json"], &[("RUST_LOG", "info")]);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let c = client();
        let res = c
            .get(format!("{}/api/status", server.url))
            .header("x-request-id", "find-me-in-the-log-7")
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 200);
    });
    let log = server.stop_and_read_stderr();
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let ours: Vec<&Value> = lines
        .iter()
        .filter(|l| l["span"]["request_id"] == "find-me-in-the-log-7")
        .collect();
    assert!(!ours.is_empty(), "no line carries the id: {log}");
    assert!(
        ours.iter().any(|l| l["span"]["route"] == "/api/status"),
        "{log}"
    );
}

#[test]
fn text_logs_are_the_default() {
    let d = dist();
    let server = spawn(d.path(), &[], &[("RUST_LOG", "info")]);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        client()
            .get(format!("{}/healthz", server.url))
            .header("x-request-id", "text-id-9")
            .send()
            .await
            .expect("answer");
    });
    let log = server.stop_and_read_stderr();
    assert!(log.contains("text-id-9"), "{log}");
    assert!(
        log.lines()
            .all(|l| serde_json::from_str::<Value>(l).is_err()),
        "{log}"
    );
}

//! Attacks on an exposed server, over loopback: relay targets that try to
//! reach somewhere else (user-info, IP literals in every spelling, other
//! schemes, ports, redirects), the access token and its bypasses, origins,
//! body sizes, timeouts, rate and job limits, path traversal, the page's
//! security headers, and secrets in anything the server says or logs.

use crate::common;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use common::*;
use sha2::{Digest, Sha256};
use storyreel_server::api::Api;
use storyreel_server::app::router_with;
use storyreel_server::config::{Keys, KlingKeys, ReplicateKeys, Secret};
use storyreel_server::guard::GuardConfig;
use storyreel_server::relay::fal::FalConfig;
use storyreel_server::relay::media::MediaConfig;
use storyreel_server::relay::replicate::ReplicateConfig;
use storyreel_server::relay::target::AllowedHosts;
use storyreel_server::relay::RelayConfig;
use storyreel_server::sim::SimConfig;
use storyreel_server::uploads::{StoreConfig, UploadConfig, Uploads};

const KLING_CREATE: &str = "/api/kling/v1/videos/omni-video";
const REPLICATE_CREATE: &str = "/api/replicate/v1/models/kwaivgi/kling-v3-omni-video/predictions";
const TOKEN: &str = "tok-3f9a1c77e2b4";

fn ok_json(_: &str) -> Response {
    ([("content-type", "application/json")], r#"{"ok":true}"#).into_response()
}

/// Relays whose fal and media allow-lists hold `allowed` (and Replicate
/// goes to `replicate`, Kling to the simulator or `kling`).
fn relay_api(allowed: &[SocketAddr], replicate: &str, kling: Option<&str>) -> Api {
    let entries: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
    let hosts = AllowedHosts::parse(&entries).expect("entries");
    let keys = Keys {
        kling: match kling {
            Some(base) => KlingKeys {
                access_key: Some(Secret::new("ak-test")),
                secret_key: Some(Secret::new("sk-test")),
                base_url: Some(base.to_string()),
                ..KlingKeys::default()
            },
            None => KlingKeys::default(),
        },
        fal: storyreel_server::config::FalKeys {
            key: Some(Secret::new("fal-test")),
        },
        replicate: ReplicateKeys {
            token: Some(Secret::new("r8-test")),
        },
    };
    let relays = RelayConfig {
        fal: FalConfig {
            allowed_hosts: hosts.clone(),
            ..FalConfig::default()
        },
        replicate: ReplicateConfig {
            base_url: replicate.to_string(),
        },
        media: MediaConfig {
            allowed_hosts: hosts,
            ..MediaConfig::default()
        },
    };
    Api::with_relays(keys, SimConfig::default(), relays).expect("api")
}

fn sim_api() -> Api {
    Api::new(Keys::default(), SimConfig::default()).expect("api")
}

async fn serve_with(api: Api, dist: &std::path::Path, guard: GuardConfig) -> String {
    serve(router_with(api, dist, &guard)).await
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---- SSRF ----

#[tokio::test]
async fn relay_targets_cannot_reach_anywhere_else() {
    let (a, seen) = recording(ok_json).await;
    let d = dist();
    let url = serve_with(
        relay_api(&[a], &format!("http://{a}"), None),
        d.path(),
        GuardConfig::default(),
    )
    .await;
    let c = client();
    let port = a.port();
    let other = port.wrapping_add(1);
    let targets = [
        "https://api.klingai.com@evil.test/".to_string(),
        "https://fal.run@evil.test/x".to_string(),
        format!("http://fal.run@127.0.0.1:{port}/x"),
        format!("http://x:y@127.0.0.1:{port}/x"),
        "https://[::1]/x".to_string(),
        format!("http://[::1]:{port}/x"),
        "https://0x7f000001/x".to_string(),
        "https://2130706433/x".to_string(),
        "https://0177.0.0.1/x".to_string(),
        "https://127.1/x".to_string(),
        "https://[::ffff:127.0.0.1]/x".to_string(),
        "https://169.254.169.254/latest/meta-data".to_string(),
        format!("http://localhost:{port}/x"),
        format!("http://127.0.0.1:{other}/x"),
        "http://127.0.0.1/x".to_string(),
        "file:///etc/passwd".to_string(),
        "gopher://fal.run/_x".to_string(),
        "ftp://fal.run/x".to_string(),
        "data:text/plain,hi".to_string(),
        "https://fal.run:80/x".to_string(),
        "https://fal.run:8443/x".to_string(),
        "https://v3.fal.media:444/x.mp4".to_string(),
        "https://evil.test\\@fal.run/x".to_string(),
        "https://evil.test#@fal.run/x".to_string(),
        "https://evil.test?@fal.run/x".to_string(),
        "https://fal.run.evil.test/x".to_string(),
        "https://fal.media.evil.test/x.mp4".to_string(),
        "//evil.test/x".to_string(),
        " https://evil.test/x".to_string(),
    ];
    for t in &targets {
        let res = c
            .post(format!("{url}/api/fal/proxy"))
            .header("x-fal-target-url", t)
            .body("{}")
            .send()
            .await
            .expect("answer");
        let status = res.status().as_u16();
        assert!(status == 400 || status == 403, "fal {t}: {status}");
        let res = c
            .get(format!("{url}/api/media?url={}", encode(t)))
            .send()
            .await
            .expect("answer");
        let status = res.status().as_u16();
        assert!(status == 400 || status == 403, "media {t}: {status}");
    }
    assert_eq!(seen_count(&seen), 0, "{:?}", seen.lock().unwrap());
    // The listed host itself is reached: the test can see a hit.
    let res = c
        .post(format!("{url}/api/fal/proxy"))
        .header(
            "x-fal-target-url",
            format!("http://127.0.0.1:{port}/fal-ai/x"),
        )
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert_eq!(seen_count(&seen), 1);
}

#[tokio::test]
async fn no_relay_follows_a_redirect_off_the_list() {
    let (b, seen_b) = recording(ok_json).await;
    let (a, seen_a) = recording(move |_: &str| {
        (
            StatusCode::FOUND,
            [("location", format!("http://{b}/stolen"))],
            "",
        )
            .into_response()
    })
    .await;
    let d = dist();
    let a_url = format!("http://{a}");
    let url = serve_with(
        relay_api(&[a], &a_url, Some(&a_url)),
        d.path(),
        GuardConfig::default(),
    )
    .await;
    let c = client();
    let res = c
        .post(format!("{url}/api/fal/proxy"))
        .header("x-fal-target-url", format!("{a_url}/fal-ai/x"))
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert!(
        res.headers().get("location").is_none(),
        "fal passed a Location on"
    );
    let res = c
        .post(format!("{url}{REPLICATE_CREATE}"))
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert!(res.headers().get("location").is_none());
    let res = c
        .post(format!("{url}{KLING_CREATE}"))
        .header("content-type", "application/json")
        .body(three_shots("redir").to_string())
        .send()
        .await
        .expect("answer");
    assert!(res.headers().get("location").is_none());
    let res = c
        .get(format!(
            "{url}/api/media?url={}",
            encode(&format!("{a_url}/clip.mp4"))
        ))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 502);
    let body = json_of(res).await;
    assert!(
        body["error"]
            .as_str()
            .unwrap_or("")
            .contains("redirected elsewhere"),
        "{body}"
    );
    assert_eq!(seen_count(&seen_a), 4, "every relay reached A");
    assert_eq!(
        seen_count(&seen_b),
        0,
        "B was reached: {:?}",
        seen_b.lock().unwrap()
    );
}

// ---- Access token ----

fn token_guard() -> GuardConfig {
    GuardConfig {
        access_token: Some(Secret::new(TOKEN)),
        ..GuardConfig::default()
    }
}

fn with_uploads(api: Api, dir: &std::path::Path) -> Api {
    api.with_uploads(
        Uploads::open(&UploadConfig {
            store: StoreConfig::Dir(dir.to_path_buf()),
            max_bytes: 1_000_000,
            public_base_url: None,
        })
        .expect("uploads"),
    )
}

#[tokio::test]
async fn the_api_needs_the_token_and_the_rest_stays_open() {
    let d = dist();
    let up = tempfile::tempdir().expect("dir");
    let url = serve_with(with_uploads(sim_api(), up.path()), d.path(), token_guard()).await;
    let c = client();
    let create = |auth: Option<(&str, String)>| {
        let mut r = c
            .post(format!("{url}{KLING_CREATE}"))
            .header("content-type", "application/json")
            .body(three_shots(&format!("k-{}", rand_suffix())).to_string());
        if let Some((k, v)) = auth {
            r = r.header(k, v);
        }
        r
    };
    let refused = [
        None,
        Some(("authorization", "Bearer wrong".to_string())),
        Some(("authorization", format!("Bearer {TOKEN}x"))),
        Some((
            "authorization",
            format!("Bearer {}", &TOKEN[..TOKEN.len() - 1]),
        )),
        Some(("authorization", format!("Basic {TOKEN}"))),
        Some(("authorization", TOKEN.to_string())),
        Some(("x-storyreel-token", "nope".to_string())),
        Some(("x-storyreel-token", TOKEN.to_uppercase())),
    ];
    for auth in refused {
        let shown = format!("{auth:?}");
        let res = create(auth).send().await.expect("answer");
        assert_eq!(res.status(), 401, "{shown}");
        assert!(res.headers().contains_key("www-authenticate"));
        let text = res.text().await.expect("text");
        assert!(text.contains("access token"), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
    for auth in [
        ("authorization", format!("Bearer {TOKEN}")),
        ("authorization", format!("bearer {TOKEN}")),
        ("x-storyreel-token", TOKEN.to_string()),
    ] {
        let res = create(Some(auth)).send().await.expect("answer");
        assert_eq!(
            res.status(),
            200,
            "{}",
            res.text().await.unwrap_or_default()
        );
    }
    // Uploads, unknown API routes and /metrics need it too.
    for (method, path) in [
        ("POST", "/api/uploads"),
        ("GET", "/api/nope"),
        ("GET", "/metrics"),
        ("GET", "/api/media?url=x"),
    ] {
        let res = c
            .request(method.parse().unwrap(), format!("{url}{path}"))
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 401, "{method} {path}");
    }
    let res = c
        .get(format!("{url}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    // Open: the status (which says a token is needed), the app, health,
    // stored files.
    let res = c
        .get(format!("{url}/api/status"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert_eq!(json_of(res).await["access_token_required"], true);
    for path in ["/", "/boards/1", "/healthz", "/readyz"] {
        let res = c.get(format!("{url}{path}")).send().await.expect("answer");
        assert_eq!(res.status(), 200, "{path}");
    }
    let res = c
        .get(format!("{url}/uploads/{}", "0".repeat(64)))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 404, "not 401: providers fetch these");
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test]
async fn the_token_cannot_be_skipped_by_spelling_the_path_differently() {
    let d = dist();
    let url = serve_with(sim_api(), d.path(), token_guard()).await;
    let body = three_shots("bypass").to_string();
    for path in [
        "/api/status/../kling/v1/videos/omni-video",
        "/api/status/%2e%2e/kling/v1/videos/omni-video",
        "/api/./kling/v1/videos/omni-video",
        "//api/kling/v1/videos/omni-video",
        "/api//kling/v1/videos/omni-video",
        "/%61pi/kling/v1/videos/omni-video",
        "/API/kling/v1/videos/omni-video",
        "/api/kling/v1/videos/omni-video?/api/status",
        "/api/kling/v1/videos/omni-video#/api/status",
        "/api/status;/../kling/v1/videos/omni-video",
    ] {
        let res = raw(
            &url,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .await;
        assert!(
            !res.contains("task_id"),
            "{path} reached the simulator: {res}"
        );
    }
    // With the token the same body does create a task (the probe works).
    let res = client()
        .post(format!("{url}{KLING_CREATE}"))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("answer");
    assert!(res.text().await.unwrap().contains("task_id"));
}

#[tokio::test]
async fn without_a_token_the_status_says_none_is_needed() {
    let d = dist();
    let url = serve_with(sim_api(), d.path(), GuardConfig::default()).await;
    let res = client()
        .get(format!("{url}/api/status"))
        .send()
        .await
        .expect("answer");
    assert_eq!(json_of(res).await["access_token_required"], false);
}

// ---- Origins ----

#[tokio::test]
async fn only_listed_origins_and_the_server_itself_may_call_the_api() {
    let d = dist();
    let guard = GuardConfig {
        allowed_origins: vec!["https://app.example".to_string()],
        access_token: Some(Secret::new(TOKEN)),
        ..GuardConfig::default()
    };
    let url = serve_with(sim_api(), d.path(), guard).await;
    let c = client();
    let own = url.clone();
    // A listed origin: the preflight passes without the token and allows
    // the headers the app sends.
    let res = c
        .request(reqwest::Method::OPTIONS, format!("{url}{KLING_CREATE}"))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .expect("answer");
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let allowed = res.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    // Routes that take one method answer preflights too.
    for (path, method) in [
        ("/api/media?url=x", "GET"),
        ("/api/uploads", "POST"),
        ("/api/fal/proxy", "PUT"),
        ("/api/status", "GET"),
    ] {
        let res = c
            .request(reqwest::Method::OPTIONS, format!("{url}{path}"))
            .header("origin", "https://app.example")
            .header("access-control-request-method", method)
            .header("access-control-request-headers", "x-storyreel-token")
            .send()
            .await
            .expect("answer");
        assert!(res.status().is_success(), "{path}: {}", res.status());
        assert_eq!(
            res.headers()["access-control-allow-origin"],
            "https://app.example",
            "{path}"
        );
    }
    // Its refusal for a missing token is readable by the page.
    let res = c
        .post(format!("{url}{KLING_CREATE}"))
        .header("origin", "https://app.example")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    assert!(res
        .headers()
        .get("access-control-expose-headers")
        .is_some_and(|v| v.to_str().unwrap().contains("x-request-id")));

    for origin in [
        "https://evil.example",
        "https://app.example.evil.example",
        "https://app.example:444",
        "http://app.example",
        "null",
        "https://evil.example/https://app.example",
    ] {
        let res = c
            .get(format!("{url}/api/status"))
            .header("origin", origin)
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 403, "{origin}");
        assert!(res.headers().get("access-control-allow-origin").is_none());
        let body = json_of(res).await;
        assert!(
            body["error"]
                .as_str()
                .unwrap_or("")
                .contains("--allow-origin"),
            "{body}"
        );
        let res = c
            .request(reqwest::Method::OPTIONS, format!("{url}{KLING_CREATE}"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .expect("answer");
        assert!(
            res.headers().get("access-control-allow-origin").is_none(),
            "{origin}"
        );
    }
    // The bundled app: same origin, or no Origin at all.
    for origin in [Some(own.as_str()), None] {
        let mut r = c.get(format!("{url}/api/status"));
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        let res = r.send().await.expect("answer");
        assert_eq!(res.status(), 200, "{origin:?}");
    }
    // The app's files are not the API.
    let res = c
        .get(format!("{url}/"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

// ---- Limits ----

#[tokio::test]
async fn json_routes_refuse_large_bodies_and_name_the_limit() {
    let (a, seen) = recording(ok_json).await;
    let d = dist();
    let url = serve_with(
        relay_api(&[a], &format!("http://{a}"), None),
        d.path(),
        GuardConfig::default(),
    )
    .await;
    let c = client();
    let big = vec![b' '; 1024 * 1024 + 1];
    for path in [KLING_CREATE, REPLICATE_CREATE] {
        let res = c
            .post(format!("{url}{path}"))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 413, "{path}");
        let body = json_of(res).await;
        assert!(
            body["error"]
                .as_str()
                .unwrap_or("")
                .contains("1 MiB (1048576 bytes)"),
            "{body}"
        );
        // Chunked, with no Content-Length.
        let chunks = futures_util::stream::iter(
            (0..17).map(|_| Ok::<_, std::io::Error>(vec![b' '; 64 * 1024])),
        );
        let res = c
            .post(format!("{url}{path}"))
            .body(reqwest::Body::wrap_stream(chunks))
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 413, "{path} chunked");
    }
    assert_eq!(seen_count(&seen), 0);
    // Just under the limit reaches the upstream.
    let res = c
        .post(format!("{url}{REPLICATE_CREATE}"))
        .body(vec![b' '; 1024 * 1024])
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    // fal's proxy may carry files: 2 MiB passes.
    let res = c
        .put(format!("{url}/api/fal/proxy"))
        .header("x-fal-target-url", format!("http://{a}/upload"))
        .body(vec![7u8; 2 * 1024 * 1024])
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert_eq!(seen_count(&seen), 2);
}

/// An upstream that never answers (bounded: 60 s).
async fn hanging() -> SocketAddr {
    listen(axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(60)).await;
        "late"
    }))
    .await
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_answered_504_but_uploads_may_be_slow() {
    let up_addr = hanging().await;
    let d = dist();
    let up = tempfile::tempdir().expect("dir");
    let guard = GuardConfig {
        request_timeout: Some(Duration::from_secs(1)),
        ..GuardConfig::default()
    };
    let api = with_uploads(
        relay_api(&[], &format!("http://{up_addr}"), None),
        up.path(),
    );
    let url = serve_with(api, d.path(), guard).await;
    let c = client();
    let res = c
        .post(format!("{url}{REPLICATE_CREATE}"))
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 504);
    let body = json_of(res).await;
    assert!(
        body["error"]
            .as_str()
            .unwrap_or("")
            .contains("--request-timeout-secs"),
        "{body}"
    );
    // An upload whose body takes longer than the timeout still lands.
    let png: Vec<u8> = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]
        .into_iter()
        .chain(std::iter::repeat_n(0u8, 2000))
        .collect();
    let parts: Vec<Vec<u8>> = png.chunks(700).map(<[u8]>::to_vec).collect();
    let slow = futures_util::stream::unfold(parts.into_iter(), |mut it| async move {
        let next = it.next()?;
        tokio::time::sleep(Duration::from_millis(600)).await;
        Some((Ok::<_, std::io::Error>(next), it))
    });
    let res = c
        .post(format!("{url}/api/uploads"))
        .body(reqwest::Body::wrap_stream(slow))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        res.status(),
        201,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(WAIT)
        .pool_max_idle_per_host(0)
        .local_address(ip.parse::<IpAddr>().expect("ip"))
        .build()
        .expect("client")
}

#[tokio::test]
async fn each_client_address_has_its_own_rate_limit() {
    let d = dist();
    let guard = GuardConfig {
        rate_limit_per_minute: 5,
        ..GuardConfig::default()
    };
    let url = serve_with(sim_api(), d.path(), guard).await;
    let c = client();
    for i in 0..5 {
        let res = c
            .get(format!("{url}/api/status"))
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 200, "request {i}");
    }
    let res = c
        .get(format!("{url}/api/status"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("seconds");
    assert!(retry >= 1);
    let body = json_of(res).await;
    let msg = body["error"].as_str().unwrap_or("");
    assert!(
        msg.contains("at most 5 a minute") && msg.contains("--rate-limit-per-minute"),
        "{body}"
    );
    assert!(body["request_id"].is_string(), "{body}");
    // The app's files and health are not limited.
    for path in ["/", "/healthz"] {
        let res = c.get(format!("{url}{path}")).send().await.expect("answer");
        assert_eq!(res.status(), 200, "{path}");
    }
    // Another address is not held back by the first.
    let other = client_from("127.0.0.2");
    let res = other
        .get(format!("{url}/api/status"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);

    let off = serve_with(
        sim_api(),
        d.path(),
        GuardConfig {
            rate_limit_per_minute: 0,
            ..GuardConfig::default()
        },
    )
    .await;
    for _ in 0..40 {
        let res = c
            .get(format!("{off}/api/status"))
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 200);
    }
}

#[tokio::test]
async fn job_creations_in_flight_are_capped_per_client() {
    let (release, gate) = tokio::sync::watch::channel(false);
    let seen: Seen = std::sync::Arc::default();
    let s = seen.clone();
    let upstream = listen(
        axum::Router::new().fallback(move |req: axum::extract::Request| {
            let s = s.clone();
            let mut gate = gate.clone();
            async move {
                s.lock().unwrap().push((
                    req.method().to_string(),
                    req.uri().path().to_string(),
                    req.headers().clone(),
                ));
                if req.method() == axum::http::Method::POST {
                    let _ = tokio::time::timeout(WAIT, gate.wait_for(|open| *open)).await;
                }
                (
                    StatusCode::CREATED,
                    [("content-type", "application/json")],
                    "{}",
                )
                    .into_response()
            }
        }),
    )
    .await;
    let d = dist();
    let guard = GuardConfig {
        max_jobs_per_client: 2,
        ..GuardConfig::default()
    };
    let url = serve_with(
        relay_api(&[], &format!("http://{upstream}"), None),
        d.path(),
        guard,
    )
    .await;
    let c = client();
    let held: Vec<_> = (0..2)
        .map(|_| {
            let req = c.post(format!("{url}{REPLICATE_CREATE}")).body("{}");
            tokio::spawn(async move { req.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    for _ in 0..1000 {
        if seen_count(&seen) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(seen_count(&seen), 2, "both creates reached the upstream");
    let res = c
        .post(format!("{url}{REPLICATE_CREATE}"))
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 429);
    let body = json_of(res).await;
    let msg = body["error"].as_str().unwrap_or("");
    assert!(
        msg.contains("at most") || msg.contains("2 job creations"),
        "{body}"
    );
    assert!(msg.contains("--max-jobs-per-client"), "{body}");
    assert_eq!(seen_count(&seen), 2, "the third never left");
    // Reading a prediction is not a create.
    let res = c
        .get(format!("{url}/api/replicate/v1/predictions/abc"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 201);
    // Another address may create.
    let other = client_from("127.0.0.2");
    let third = {
        let req = other.post(format!("{url}{REPLICATE_CREATE}")).body("{}");
        tokio::spawn(async move { req.send().await.map(|r| r.status().as_u16()) })
    };
    for _ in 0..1000 {
        if seen_count(&seen) >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(seen_count(&seen), 4);
    release.send(true).expect("release");
    for h in held.into_iter().chain([third]) {
        assert_eq!(h.await.expect("join").expect("answer"), 201);
    }
    let res = c
        .post(format!("{url}{REPLICATE_CREATE}"))
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 201, "slots come back");
}

// ---- Static files ----

#[tokio::test]
async fn traversal_never_leaves_dist_or_the_upload_dir() {
    let root = tempfile::tempdir().expect("root");
    let dist_dir = root.path().join("site").join("dist");
    std::fs::create_dir_all(&dist_dir).unwrap();
    std::fs::write(dist_dir.join("index.html"), INDEX).unwrap();
    let uploads_dir = root.path().join("site").join("uploads");
    std::fs::create_dir_all(uploads_dir.join("objects")).unwrap();
    for p in [
        root.path().join("secret.txt"),
        root.path().join("site").join("secret.txt"),
    ] {
        std::fs::write(p, "TOP-SECRET-MARKER").unwrap();
    }
    std::fs::write(
        uploads_dir.join("objects").join("secret.txt"),
        "TOP-SECRET-MARKER",
    )
    .unwrap();
    let url = serve_with(
        with_uploads(sim_api(), &uploads_dir),
        &dist_dir,
        GuardConfig::default(),
    )
    .await;
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2f..%2fsecret.txt",
        "/a/..%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/.%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/uploads/../secret.txt",
        "/uploads/..%2fsecret.txt",
        "/uploads/..%2f..%2fsecret.txt",
        "/uploads/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/uploads/secret.txt",
        "/uploads/objects/secret.txt",
        "/uploads/..%2fobjects%2fsecret.txt",
    ] {
        let res = raw(&url, "GET", path, &[], b"").await;
        assert!(!res.contains("TOP-SECRET-MARKER"), "{path} leaked: {res}");
        assert!(
            res.to_ascii_lowercase()
                .contains("x-content-type-options: nosniff"),
            "{path}: {res}"
        );
    }
}

fn sha256_b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
}

#[tokio::test]
async fn the_share_page_s_loader_may_run_too() {
    let d = dist();
    let share_loader =
        "import init from \"./share.js\"; init({ module_or_path: \"./share_bg.wasm\" });";
    std::fs::write(
        d.path().join("share.html"),
        format!("<!DOCTYPE html><html><head><script type=\"module\">{share_loader}</script></head></html>"),
    )
    .unwrap();
    let url = serve_with(sim_api(), d.path(), GuardConfig::default()).await;
    for path in ["/share.html", "/"] {
        let res = client()
            .get(format!("{url}{path}"))
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 200, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains(&format!("'sha256-{}'", sha256_b64(share_loader))),
            "{path}: {csp}"
        );
        // The editor's two and the share page's one, no other.
        assert_eq!(csp.matches("'sha256-").count(), 3, "{path}: {csp}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
    }
}

#[tokio::test]
async fn pages_carry_a_csp_that_covers_each_inline_script_and_no_other() {
    let d = dist();
    let url = serve_with(sim_api(), d.path(), GuardConfig::default()).await;
    let c = client();
    // The two inline scripts of INDEX, hashed here independently.
    let loader = "import init from '/storyreel-0123456789abcdef.js';await init();";
    let second = "window.x = 1;";
    assert!(INDEX.contains(loader) && INDEX.contains(second));
    for path in ["/", "/index.html", "/boards/42"] {
        let res = c
            .get(format!("{url}{path}"))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 200, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src "))
            .unwrap_or_else(|| panic!("no script-src: {csp}"));
        assert!(
            script_src.contains("'self'") && script_src.contains("'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(
            !script_src.contains("unsafe-inline") && !script_src.contains("'unsafe-eval'"),
            "{csp}"
        );
        for s in [loader, second] {
            assert!(
                script_src.contains(&format!("'sha256-{}'", sha256_b64(s))),
                "{s}: {csp}"
            );
        }
        assert_eq!(script_src.matches("'sha256-").count(), 2, "{csp}");
        for d in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            "worker-src 'self' blob:",
            "connect-src 'self' https: data: blob:",
        ] {
            assert!(csp.contains(d), "{d}: {csp}");
        }
        // Plain http only to this machine, never to any host.
        assert!(
            !csp.contains(" http: ") && !csp.contains(" http:;"),
            "{csp}"
        );
        assert!(
            csp.contains("media-src 'self' blob: https: http://127.0.0.1:*"),
            "{csp}"
        );
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{path}");
    }
    let res = c
        .get(format!("{url}/storyreel-0123456789abcdef_bg.wasm"))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    // Every kind of answer is nosniff and sends no referrer.
    for path in [
        "/api/status",
        "/api/nope",
        "/healthz",
        "/readyz",
        "/metrics",
        "/missing.png",
        "/uploads/x",
    ] {
        let res = c.get(format!("{url}{path}")).send().await.expect("answer");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer", "{path}");
    }
}

// ---- Secrets ----

const KLING_AK: &str = "AKSECRETkling0access0key0d41c8e9";
const KLING_SK: &str = "SKSECRETkling0signing0secret07b3f2a";
const KLING_KEY: &str = "KKSECRETkling0console0api0key5e6a";
const FAL: &str = "FALSECRETkey0a7e6c59d1b2c3d4e5f";
const R8: &str = "R8SECRETtoken0e1f2a3b4c5d6e7f80";
const ACCESS: &str = "TOKSECRETaccess0c0ffee0ba5eba11";
const S3_AK: &str = "AKIASECRETs3access0key0f00d";
const S3_SK: &str = "S3SECRETsigning0key0c0ffee0123";
const S3_TOKEN: &str = "S3SECRETsession0token0abad1dea";

/// Every form a secret must never take in output: itself, and its Base64
/// (standard and URL-safe) at each of the three alignments it can have
/// inside a longer Base64 text (a JWT, a Basic header).
fn forbidden_forms() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for secret in [
        KLING_KEY, KLING_AK, KLING_SK, FAL, R8, ACCESS, S3_AK, S3_SK, S3_TOKEN,
    ] {
        out.push((secret.to_string(), secret));
        for pad in 0..3usize {
            let mut bytes = vec![b'"'; pad];
            bytes.extend_from_slice(secret.as_bytes());
            for engine in [
                &base64::engine::general_purpose::STANDARD_NO_PAD,
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            ] {
                let enc = engine.encode(&bytes);
                // Skip the characters the padding (or what precedes the
                // secret) touches, and the last few.
                let skip = (pad * 4).div_ceil(3) + 1;
                if enc.len() > skip + 4 {
                    out.push((enc[skip..enc.len() - 4].to_string(), secret));
                }
            }
        }
    }
    out
}

fn leaks(text: &str) -> Vec<String> {
    forbidden_forms()
        .into_iter()
        .filter(|(form, _)| text.contains(form.as_str()))
        .map(|(form, secret)| format!("{secret} (as {form})"))
        .collect()
}

fn fail_by_path(path: &str) -> Response {
    let p = path.split('?').next().unwrap_or("");
    let tail = p.rsplit('/').next().unwrap_or("");
    match tail {
        t if t.ends_with("e401") => (
            StatusCode::UNAUTHORIZED,
            [("content-type", "application/json")],
            r#"{"code":1000,"message":"Authorization failed"}"#,
        )
            .into_response(),
        t if t.ends_with("ejson") => (
            StatusCode::OK,
            [("content-type", "application/json")],
            "{not json",
        )
            .into_response(),
        t if t.ends_with("ecut") => {
            let s = futures_util::stream::iter([
                Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"{\"partial\":")),
                Err(std::io::Error::other("cut")),
            ]);
            Response::new(axum::body::Body::from_stream(s))
        }
        t if t.ends_with("eredirect") => (
            StatusCode::FOUND,
            [("location", "http://127.0.0.1:9/elsewhere")],
        )
            .into_response(),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [("content-type", "text/plain")],
            "internal error",
        )
            .into_response(),
    }
}

/// A port that accepts and drops every connection at once (bounded: it
/// stops after 200).
fn resetting() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = l.local_addr().expect("addr");
    std::thread::spawn(move || {
        for conn in l.incoming().take(200) {
            drop(conn);
        }
    });
    addr
}

#[test]
fn no_secret_reaches_an_answer_a_log_line_or_the_metrics() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (fake, seen) = rt.block_on(recording(fail_by_path));
    let reset = resetting();
    let d = dist();
    let up = tempfile::tempdir().expect("uploads");
    let fake_url = format!("http://{fake}");
    let hosts = format!("{fake},{reset}");
    let server = spawn(
        d.path(),
        &[
            "--log-format",
            "json",
            "--replicate-base-url",
            &format!("http://{reset}"),
            "--upload-dir",
            up.path().to_str().unwrap(),
            "--rate-limit-per-minute",
            "0",
        ],
        &[
            ("RUST_LOG", "debug"),
            ("KLING_ACCESS_KEY", KLING_AK),
            ("KLING_SECRET_KEY", KLING_SK),
            ("KLING_BASE_URL", &fake_url),
            ("FAL_KEY", FAL),
            ("REPLICATE_API_TOKEN", R8),
            ("STORYREEL_ACCESS_TOKEN", ACCESS),
            ("FAL_ALLOWED_HOSTS", &hosts),
            ("MEDIA_ALLOWED_HOSTS", &hosts),
            // Unused with --upload-dir; the S3 test below uses them.
            ("AWS_ACCESS_KEY_ID", S3_AK),
            ("AWS_SECRET_ACCESS_KEY", S3_SK),
        ],
    );
    let url = server.url.clone();
    let mut said = String::new();
    rt.block_on(async {
        let c = client();
        let kling_body = three_shots("secret-test").to_string();
        let mut calls: Vec<reqwest::RequestBuilder> = Vec::new();
        for tail in ["e500", "e401", "ejson", "ecut", "eredirect"] {
            calls.push(c.get(format!("{url}/api/kling/v1/videos/omni-video/{tail}")));
            calls.push(
                c.post(format!("{url}/api/fal/proxy"))
                    .header("x-fal-target-url", format!("{fake_url}/fal-ai/x/{tail}"))
                    .body("{}"),
            );
            calls.push(c.get(format!(
                "{url}/api/media?url={}",
                encode(&format!("{fake_url}/clip-{tail}.mp4"))
            )));
        }
        calls.push(c.post(format!("{url}{KLING_CREATE}")).body(kling_body));
        calls.push(
            c.post(format!("{url}/api/fal/proxy"))
                .header("x-fal-target-url", format!("http://{reset}/fal-ai/x"))
                .body("{}"),
        );
        calls.push(c.post(format!("{url}{REPLICATE_CREATE}")).body("{}"));
        calls.push(c.get(format!("{url}/api/replicate/v1/predictions/abc")));
        calls.push(c.post(format!("{url}/api/uploads")).body("not an image"));
        calls.push(c.get(format!("{url}/api/fal/proxy")));
        calls.push(c.get(format!("{url}/api/kling/v1/account")));
        calls.push(
            c.post(format!("{url}{REPLICATE_CREATE}"))
                .body(vec![b' '; 2 * 1024 * 1024]),
        );
        for req in calls {
            // Each once with the token, and once with a wrong one.
            for auth in [ACCESS, "wrong-token"] {
                let Some(req) = req.try_clone() else { continue };
                if let Ok(res) = req.bearer_auth(auth).send().await {
                    said.push_str(&format!("{} {:?}\n", res.status(), res.headers()));
                    said.push_str(&String::from_utf8_lossy(
                        &res.bytes().await.unwrap_or_default(),
                    ));
                    said.push('\n');
                }
            }
        }
        for path in ["/api/status", "/healthz", "/readyz", "/", "/metrics"] {
            for auth in [ACCESS, "wrong"] {
                let res = c
                    .get(format!("{url}{path}"))
                    .bearer_auth(auth)
                    .send()
                    .await
                    .expect("answer");
                said.push_str(&format!("{} {:?}\n", res.status(), res.headers()));
                said.push_str(&res.text().await.unwrap_or_default());
            }
        }
    });
    let log = server.stop_and_read_stderr();
    // The probe works: the upstream got the keys, and there were answers
    // and log lines to search.
    let to_upstream: String = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(_, _, h)| format!("{h:?}"))
        .collect();
    assert!(to_upstream.contains(FAL), "fal's key reached the upstream");
    assert!(
        said.contains("storyreel_http_requests_total"),
        "metrics were read with the token from STORYREEL_ACCESS_TOKEN"
    );
    assert!(
        said.contains("401 Unauthorized"),
        "a wrong token was refused"
    );
    assert!(said.contains("\"relay\":true"), "relay errors were seen");
    assert!(log.lines().count() > 20, "{log}");
    assert!(log.contains("request_id"), "{log}");
    let leaked = leaks(&said);
    assert!(leaked.is_empty(), "answers leaked {leaked:?}:\n{said}");
    let leaked = leaks(&log);
    assert!(leaked.is_empty(), "the log leaked {leaked:?}:\n{log}");
}

/// A server with `KLING_API_KEY` (and a key pair, which it loses to) in
/// each log format: the key reaches Kling's host and nothing else, on
/// either design, in answers that succeed or fail, refusals, the status,
/// the metrics and the log.
#[test]
fn no_kling_api_key_reaches_an_answer_a_log_line_or_the_metrics() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (fake, seen) = rt.block_on(recording(fail_by_path));
    let d = dist();
    let fake_url = format!("http://{fake}");
    for format in ["text", "json"] {
        let config = tempfile::tempdir().expect("config");
        let file = config.path().join("keys.toml");
        // From the file as well as the environment: the file's is the
        // same key, so both paths are searched for.
        std::fs::write(&file, format!("[kling]\napi_key = \"{KLING_KEY}\"\n")).expect("write");
        let server = spawn(
            d.path(),
            &[
                "--log-format",
                format,
                "--config",
                file.to_str().expect("utf-8"),
                "--rate-limit-per-minute",
                "0",
            ],
            &[
                ("RUST_LOG", "debug"),
                ("KLING_ACCESS_KEY", KLING_AK),
                ("KLING_SECRET_KEY", KLING_SK),
                ("KLING_BASE_URL", &fake_url),
            ],
        );
        let url = server.url.clone();
        let mut said = String::new();
        rt.block_on(async {
            let c = client();
            let mut calls: Vec<reqwest::RequestBuilder> = Vec::new();
            for tail in ["e500", "e401", "ejson", "ecut", "eredirect"] {
                calls.push(c.get(format!("{url}/api/kling/v1/videos/omni-video/{tail}")));
                calls.push(c.get(format!(
                    "{url}/api/kling/v1/general/advanced-custom-elements/{tail}"
                )));
            }
            calls.push(
                c.post(format!("{url}/api/kling/omni-video/kling-3.0-omni"))
                    .body("{}"),
            );
            calls.push(c.get(format!("{url}/api/kling/tasks?task_ids=e401")));
            calls.push(c.post(format!("{url}{KLING_CREATE}")).body("{}"));
            calls.push(c.get(format!("{url}/api/kling/account/costs")));
            calls.push(c.delete(format!("{url}/api/kling/tasks")));
            calls.push(
                c.post(format!("{url}{KLING_CREATE}"))
                    .body(vec![b' '; 2 * 1024 * 1024]),
            );
            for path in ["/api/status", "/healthz", "/readyz", "/metrics"] {
                calls.push(c.get(format!("{url}{path}")));
            }
            for req in calls {
                if let Ok(res) = req.send().await {
                    said.push_str(&format!("{} {:?}\n", res.status(), res.headers()));
                    said.push_str(&String::from_utf8_lossy(
                        &res.bytes().await.unwrap_or_default(),
                    ));
                    said.push('\n');
                }
            }
        });
        let log = server.stop_and_read_stderr();
        // The probe works: Kling's host got the API key (not a JWT) on
        // both designs, and the status told the credential.
        let to_upstream: Vec<String> = seen
            .lock()
            .unwrap()
            .drain(..)
            .map(|(m, p, h)| format!("{m} {p} {:?}", h.get("authorization")))
            .collect();
        let bearer = format!("Bearer {KLING_KEY}");
        for path in [
            "/omni-video/kling-3.0-omni",
            "/tasks?task_ids=e401",
            "/v1/videos/omni-video",
        ] {
            assert!(
                to_upstream
                    .iter()
                    .any(|l| l.contains(&format!(" {path} ")) && l.contains(&bearer)),
                "{path} with the API key: {to_upstream:#?}"
            );
        }
        assert!(said.contains("\"credential\":\"api_key\""), "{said}");
        assert!(said.contains("storyreel_http_requests_total"), "{said}");
        assert!(said.contains("\"relay\":true"), "relay errors were seen");
        assert!(log.lines().count() > 10, "{log}");
        let leaked = leaks(&said);
        assert!(
            leaked.is_empty(),
            "{format}: answers leaked {leaked:?}:\n{said}"
        );
        let leaked = leaks(&log);
        assert!(
            leaked.is_empty(),
            "{format}: the log leaked {leaked:?}:\n{log}"
        );
    }
}

/// A fake S3 that refuses everything as AWS does an unknown key: 403 with
/// an XML body quoting the access key id (which a store error then holds).
fn refusing_s3(_: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [("content-type", "application/xml")],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InvalidAccessKeyId</Code>\
             <Message>The AWS Access Key Id you provided does not exist in our records.</Message>\
             <AWSAccessKeyId>{S3_AK}</AWSAccessKeyId><RequestId>4442587FB7D0A2F9</RequestId></Error>"
        ),
    )
        .into_response()
}

#[test]
fn no_s3_credential_reaches_an_answer_a_log_line_or_the_status() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (s3, seen) = rt.block_on(recording(refusing_s3));
    let d = dist();
    let server = spawn(
        d.path(),
        &[
            "--log-format",
            "json",
            "--upload-store",
            "s3://leak-test/some/prefix",
            "--s3-endpoint",
            &format!("http://{s3}"),
            "--rate-limit-per-minute",
            "0",
        ],
        &[
            ("RUST_LOG", "debug"),
            ("AWS_ACCESS_KEY_ID", S3_AK),
            ("AWS_SECRET_ACCESS_KEY", S3_SK),
            ("AWS_SESSION_TOKEN", S3_TOKEN),
            ("AWS_REGION", "eu-central-1"),
        ],
    );
    let url = server.url.clone();
    let mut said = String::new();
    rt.block_on(async {
        let c = client();
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.resize(3000, 7);
        let hex = "ab".repeat(32);
        let calls = [
            c.post(format!("{url}/api/uploads")).body(png),
            c.get(format!("{url}/uploads/{hex}")),
            c.head(format!("{url}/uploads/{hex}")),
            c.get(format!("{url}/readyz")),
            c.get(format!("{url}/api/status")),
            c.get(format!("{url}/metrics")),
        ];
        for req in calls {
            let res = req.send().await.expect("answer");
            said.push_str(&format!("{} {:?}\n", res.status(), res.headers()));
            said.push_str(&res.text().await.unwrap_or_default());
            said.push('\n');
        }
    });
    let log = server.stop_and_read_stderr();
    // The probe works: S3 was asked with the keys, refused, and the
    // refusal was answered and logged.
    let to_s3: String = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(m, p, h)| format!("{m} {p} {h:?}\n"))
        .collect();
    assert!(to_s3.contains(&format!("Credential={S3_AK}/")), "{to_s3}");
    assert!(to_s3.contains("/leak-test/some/prefix/"), "{to_s3}");
    assert!(said.contains("500 Internal Server Error"), "{said}");
    assert!(said.contains("503 Service Unavailable"), "{said}");
    assert!(log.contains("uploads: store failed"), "{log}");
    assert!(log.contains("InvalidAccessKeyId"), "{log}");
    let leaked = leaks(&said);
    assert!(leaked.is_empty(), "answers leaked {leaked:?}:\n{said}");
    let leaked = leaks(&log);
    assert!(leaked.is_empty(), "the log leaked {leaked:?}:\n{log}");
}

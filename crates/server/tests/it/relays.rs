//! The fal proxy, the Replicate relay and the media route on a real
//! loopback socket, in front of a fake upstream that records what it got:
//! which headers cross (the key is added, the browser's cookies and
//! credentials are not), which targets are refused, the error answers,
//! streaming, and that no key ever comes back to the browser.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::StreamExt;
use serde_json::{json, Value};
use storyreel_server::api::Api;
use storyreel_server::config::{FalKeys, Keys, ReplicateKeys, Secret};
use storyreel_server::relay::fal::FalConfig;
use storyreel_server::relay::media::MediaConfig;
use storyreel_server::relay::replicate::ReplicateConfig;
use storyreel_server::relay::target::AllowedHosts;
use storyreel_server::relay::RelayConfig;
use storyreel_server::sim::SimConfig;
use tokio::sync::Notify;

const FAL_KEY: &str = "fal-test-key-7f3a9c0e";
const REPLICATE_TOKEN: &str = "r8_test_token_51b2d4";
const BROWSER_KEY: &str = "browser-own-key-93ad";
const WAIT: Duration = Duration::from_secs(20);
/// The size of the large streamed body.
const BIG: usize = 16 * 1024 * 1024;

/// One request the fake upstream received.
#[derive(Clone, Debug)]
struct Seen {
    method: Method,
    uri: String,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone, Default)]
struct Upstream {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Released by a test once it has the first chunk of `/gated`.
    gate: Arc<Notify>,
}

impl Upstream {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

fn big_byte(i: usize) -> u8 {
    (i % 251) as u8
}

async fn fake(
    axum::extract::State(up): axum::extract::State<Upstream>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    up.seen.lock().expect("lock").push(Seen {
        method,
        uri: uri.to_string(),
        headers: headers.clone(),
        body,
    });
    match uri.path() {
        "/big" => {
            let chunks = (0..BIG).step_by(64 * 1024).map(|start| {
                let end = (start + 64 * 1024).min(BIG);
                Ok::<_, std::io::Error>(Bytes::from(
                    (start..end).map(big_byte).collect::<Vec<u8>>(),
                ))
            });
            let mut res = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                "application/octet-stream".parse().unwrap(),
            );
            res
        }
        "/gated" => {
            let gate = up.gate.clone();
            let first = futures_util::stream::once(async {
                Ok::<_, std::io::Error>(Bytes::from_static(b"first-chunk;"))
            });
            let rest = futures_util::stream::once(async move {
                gate.notified().await;
                Ok::<_, std::io::Error>(Bytes::from_static(b"rest"))
            });
            Response::new(Body::from_stream(first.chain(rest)))
        }
        "/missing" => (StatusCode::NOT_FOUND, "gone").into_response(),
        "/media/clip.mp4" => {
            let data: Vec<u8> = (0..1000).map(big_byte).collect();
            match headers.get(header::RANGE).and_then(|r| r.to_str().ok()) {
                Some("bytes=10-19") => (
                    StatusCode::PARTIAL_CONTENT,
                    [
                        (header::CONTENT_TYPE, "video/mp4"),
                        (header::CONTENT_RANGE, "bytes 10-19/1000"),
                        (header::ACCEPT_RANGES, "bytes"),
                        (header::SET_COOKIE, "cdn=1"),
                    ],
                    data[10..20].to_vec(),
                )
                    .into_response(),
                _ => (
                    [
                        (header::CONTENT_TYPE, "video/mp4"),
                        (header::ACCEPT_RANGES, "bytes"),
                        (header::SET_COOKIE, "cdn=1"),
                    ],
                    data,
                )
                    .into_response(),
            }
        }
        "/media/page.html" => (
            [(header::CONTENT_TYPE, "text/html")],
            "<script>alert(1)</script>",
        )
            .into_response(),
        "/media/redirect-ok" => {
            (StatusCode::FOUND, [(header::LOCATION, "/media/clip.mp4")]).into_response()
        }
        "/media/redirect-evil" => (
            StatusCode::FOUND,
            [(header::LOCATION, "https://evil.com/clip.mp4")],
        )
            .into_response(),
        _ => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::SET_COOKIE, "upstream=1"),
                (header::HeaderName::from_static("x-fal-request-id"), "req-1"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ],
            json!({"ok": true}).to_string(),
        )
            .into_response(),
    }
}

async fn listen(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

struct Setup {
    fal_key: bool,
    replicate_token: bool,
    browser_key: bool,
    /// Put the fake upstream on the fal allow-list.
    allow_fake: bool,
    /// Send real fal targets to the fake upstream.
    override_fal: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            fal_key: true,
            replicate_token: true,
            browser_key: false,
            allow_fake: true,
            override_fal: false,
        }
    }
}

struct Harness {
    /// `http://127.0.0.1:PORT` of the relay.
    relay: String,
    /// `http://127.0.0.1:PORT` of the fake upstream.
    fake: String,
    upstream: Upstream,
    client: reqwest::Client,
}

async fn start(setup: Setup) -> Harness {
    let upstream = Upstream::default();
    let fake_addr = listen(Router::new().fallback(fake).with_state(upstream.clone())).await;
    let fake = format!("http://{fake_addr}");
    let fake_entry = AllowedHosts::parse(&[fake_addr.to_string()]).expect("entry");
    let keys = Keys {
        fal: FalKeys {
            key: setup.fal_key.then(|| Secret::new(FAL_KEY)),
        },
        replicate: ReplicateKeys {
            token: setup.replicate_token.then(|| Secret::new(REPLICATE_TOKEN)),
        },
        ..Keys::default()
    };
    let relays = RelayConfig {
        fal: FalConfig {
            allowed_hosts: if setup.allow_fake {
                fake_entry.clone()
            } else {
                AllowedHosts::default()
            },
            allow_browser_key: setup.browser_key,
            upstream_override: setup
                .override_fal
                .then(|| reqwest::Url::parse(&fake).expect("url")),
        },
        replicate: ReplicateConfig {
            base_url: fake.clone(),
        },
        media: MediaConfig {
            allowed_hosts: fake_entry,
            ..MediaConfig::default()
        },
    };
    let api = Api::with_relays(keys, SimConfig::default(), relays).expect("api");
    let relay = format!("http://{}", listen(api.router()).await);
    let client = reqwest::Client::builder()
        .timeout(WAIT)
        .build()
        .expect("client");
    Harness {
        relay,
        fake,
        upstream,
        client,
    }
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// Panics if a secret shows anywhere in the answer.
    fn assert_no_secret(&self) {
        let mut all = self.text();
        for (name, value) in &self.headers {
            all.push_str(name.as_str());
            all.push_str(&String::from_utf8_lossy(value.as_bytes()));
        }
        for secret in [FAL_KEY, REPLICATE_TOKEN] {
            assert!(!all.contains(secret), "a secret leaked: {all}");
        }
    }
}

async fn answer(req: reqwest::RequestBuilder) -> Answer {
    let res = req.send().await.expect("the relay answers");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.bytes().await.expect("body");
    let a = Answer {
        status,
        headers,
        body,
    };
    a.assert_no_secret();
    a
}

impl Harness {
    fn fal(&self, method: Method, target: Option<&str>) -> reqwest::RequestBuilder {
        let req = self
            .client
            .request(method, format!("{}/api/fal/proxy", self.relay));
        match target {
            Some(t) => req.header("x-fal-target-url", t),
            None => req,
        }
    }
}

#[tokio::test]
async fn fal_adds_the_key_and_strips_browser_credentials() {
    let h = start(Setup::default()).await;
    let target = format!(
        "{}/fal-ai/kling-video/o3/pro/text-to-video?fal_webhook=x",
        h.fake
    );
    let a = answer(
        h.fal(Method::POST, Some(&target))
            .header(header::COOKIE, "session=browser-cookie")
            .header(header::AUTHORIZATION, format!("Key {BROWSER_KEY}"))
            .header("x-fal-queue-priority", "low")
            .header("x-forwarded-for", "10.1.2.3")
            .header(header::CONTENT_TYPE, "application/json")
            .body(r#"{"prompt":"a cat"}"#),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json(), json!({"ok": true}));
    // Upstream headers: fal's pass back, cookies and CORS do not.
    assert_eq!(a.headers.get("x-fal-request-id").unwrap(), "req-1");
    assert!(a.headers.get(header::SET_COOKIE).is_none());
    assert!(a.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    let seen = h.upstream.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, Method::POST);
    assert_eq!(
        s.uri,
        "/fal-ai/kling-video/o3/pro/text-to-video?fal_webhook=x"
    );
    assert_eq!(s.body, Bytes::from_static(br#"{"prompt":"a cat"}"#));
    assert_eq!(
        s.headers.get(header::AUTHORIZATION).unwrap(),
        &format!("Key {FAL_KEY}")
    );
    assert_eq!(s.headers.get_all(header::AUTHORIZATION).iter().count(), 1);
    assert_eq!(s.headers.get("x-fal-queue-priority").unwrap(), "low");
    assert_eq!(
        s.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/json"
    );
    assert!(s.headers.get("x-fal-client-proxy").is_some());
    for gone in ["cookie", "x-forwarded-for", "x-fal-target-url"] {
        assert!(s.headers.get(gone).is_none(), "{gone} crossed");
    }
    let all: String = s
        .headers
        .iter()
        .map(|(_, v)| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    assert!(!all.contains(BROWSER_KEY) && !all.contains("browser-cookie"));
}

#[tokio::test]
async fn fal_get_and_put_cross_without_a_get_body() {
    let h = start(Setup::default()).await;
    let status = format!("{}/fal-ai/kling-video/requests/r1/status?logs=1", h.fake);
    let a = answer(h.fal(Method::GET, Some(&status)).body("ignored")).await;
    assert_eq!(a.status, 200);
    let cancel = format!("{}/fal-ai/kling-video/requests/r1/cancel", h.fake);
    let a = answer(h.fal(Method::PUT, Some(&cancel))).await;
    assert_eq!(a.status, 200);
    let seen = h.upstream.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!((&seen[0].method, seen[0].body.len()), (&Method::GET, 0));
    assert_eq!(seen[0].uri, "/fal-ai/kling-video/requests/r1/status?logs=1");
    assert_eq!(seen[1].method, Method::PUT);
}

#[tokio::test]
async fn fal_refuses_targets_off_the_list() {
    // The fake upstream is not allow-listed here.
    let h = start(Setup {
        allow_fake: false,
        ..Setup::default()
    })
    .await;
    let port = h.fake.rsplit(':').next().expect("port");
    let refused = [
        "https://evil.com/fal-ai/x".to_string(),
        "https://fal.run.evil.com/fal-ai/x".to_string(),
        "https://evilfal.run/x".to_string(),
        "https://fal.run@evil.com/".to_string(),
        "https://fal.run:pw@evil.com/".to_string(),
        "https://user@fal.run/".to_string(),
        "http://fal.run/fal-ai/x".to_string(),
        "https://fal.run:8443/fal-ai/x".to_string(),
        "https://169.254.169.254/latest/meta-data/".to_string(),
        "https://[::1]/".to_string(),
        "https://2130706433/".to_string(),
        format!("http://127.0.0.1:{port}/fal-ai/x"),
        format!("https://127.0.0.1:{port}/fal-ai/x"),
        "file:///etc/passwd".to_string(),
        "gopher://fal.run/".to_string(),
        "not a url".to_string(),
    ];
    for t in &refused {
        let a = answer(h.fal(Method::POST, Some(t)).body("{}")).await;
        assert!(
            a.status == 403 || a.status == 400,
            "{t}: {} {}",
            a.status,
            a.text()
        );
        assert_eq!(a.json()["relay"], json!(true), "{t}");
    }
    assert!(h.upstream.seen().is_empty(), "a refused target was called");
}

#[tokio::test]
async fn fal_needs_the_target_header_and_a_known_method() {
    let h = start(Setup::default()).await;
    let a = answer(h.fal(Method::POST, None).body("{}")).await;
    assert_eq!(a.status, 400);
    assert!(a.text().contains("x-fal-target-url"), "{}", a.text());
    let target = format!("{}/fal-ai/x", h.fake);
    for m in [Method::DELETE, Method::PATCH] {
        let a = answer(h.fal(m.clone(), Some(&target))).await;
        assert_eq!(a.status, 405, "{m}");
    }
    assert!(h.upstream.seen().is_empty());
}

#[tokio::test]
async fn fal_without_a_key_is_503_naming_fal_key() {
    let h = start(Setup {
        fal_key: false,
        ..Setup::default()
    })
    .await;
    let target = format!("{}/fal-ai/x", h.fake);
    // Even a browser key does not pass when BYOK is off.
    let a = answer(
        h.fal(Method::POST, Some(&target))
            .header(header::AUTHORIZATION, format!("Key {BROWSER_KEY}"))
            .body("{}"),
    )
    .await;
    assert_eq!(a.status, 503);
    assert!(a.json()["error"].as_str().unwrap_or("").contains("FAL_KEY"));
    assert!(h.upstream.seen().is_empty());
    let status: Value = answer(h.client.get(format!("{}/api/status", h.relay)))
        .await
        .json();
    assert_eq!(status["providers"]["fal"]["ready"], json!(false));
}

#[tokio::test]
async fn fal_browser_key_passes_only_in_byok_mode_without_a_server_key() {
    // BYOK on, no server key: the browser's key crosses.
    let h = start(Setup {
        fal_key: false,
        browser_key: true,
        ..Setup::default()
    })
    .await;
    let target = format!("{}/fal-ai/x", h.fake);
    let a = answer(
        h.fal(Method::POST, Some(&target))
            .header(header::AUTHORIZATION, format!("Key {BROWSER_KEY}"))
            .header(header::COOKIE, "c=1")
            .body("{}"),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text());
    // Without one, or with another scheme, it is 401.
    for auth in [None, Some("Bearer x"), Some("Key ")] {
        let mut req = h.fal(Method::POST, Some(&target)).body("{}");
        if let Some(v) = auth {
            req = req.header(header::AUTHORIZATION, v);
        }
        assert_eq!(answer(req).await.status, 401, "{auth:?}");
    }
    let seen = h.upstream.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].headers.get(header::AUTHORIZATION).unwrap(),
        &format!("Key {BROWSER_KEY}")
    );
    assert!(seen[0].headers.get(header::COOKIE).is_none());
    let status: Value = answer(h.client.get(format!("{}/api/status", h.relay)))
        .await
        .json();
    assert_eq!(status["providers"]["fal"]["browser_key"], json!(true));

    // BYOK on but a server key set: the server key wins.
    let h = start(Setup {
        browser_key: true,
        ..Setup::default()
    })
    .await;
    let target = format!("{}/fal-ai/x", h.fake);
    let a = answer(
        h.fal(Method::POST, Some(&target))
            .header(header::AUTHORIZATION, format!("Key {BROWSER_KEY}"))
            .body("{}"),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(
        h.upstream.seen()[0]
            .headers
            .get(header::AUTHORIZATION)
            .unwrap(),
        &format!("Key {FAL_KEY}")
    );
}

#[tokio::test]
async fn fal_real_targets_go_to_the_override_with_path_and_query() {
    let h = start(Setup {
        allow_fake: false,
        override_fal: true,
        ..Setup::default()
    })
    .await;
    let a = answer(h.fal(
        Method::GET,
        Some("https://queue.fal.run/fal-ai/kling-video/requests/abc/status?logs=1"),
    ))
    .await;
    assert_eq!(a.status, 200);
    // The override does not widen the list.
    let a = answer(h.fal(Method::GET, Some("https://evil.com/x"))).await;
    assert_eq!(a.status, 403);
    let seen = h.upstream.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].uri,
        "/fal-ai/kling-video/requests/abc/status?logs=1"
    );
    assert_eq!(
        seen[0].headers.get(header::AUTHORIZATION).unwrap(),
        &format!("Key {FAL_KEY}")
    );
}

#[tokio::test]
async fn fal_streams_a_large_body_back_intact() {
    let h = start(Setup::default()).await;
    let a = answer(h.fal(Method::GET, Some(&format!("{}/big", h.fake)))).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body.len(), BIG);
    assert!(a.body.iter().enumerate().all(|(i, b)| *b == big_byte(i)));
}

#[tokio::test]
async fn fal_passes_the_first_bytes_before_the_upstream_finishes() {
    let h = start(Setup::default()).await;
    let res = h
        .fal(Method::GET, Some(&format!("{}/gated", h.fake)))
        .send()
        .await
        .expect("headers arrive while the upstream is still open");
    let mut stream = res.bytes_stream();
    let first = tokio::time::timeout(WAIT, stream.next())
        .await
        .expect("the first chunk arrives before the rest is released")
        .expect("a chunk")
        .expect("bytes");
    assert_eq!(&first[..], b"first-chunk;");
    h.upstream.gate.notify_one();
    let mut rest = Vec::new();
    while let Some(chunk) = tokio::time::timeout(WAIT, stream.next())
        .await
        .expect("the rest in time")
    {
        rest.extend_from_slice(&chunk.expect("bytes"));
    }
    assert_eq!(rest, b"rest");
}

#[tokio::test]
async fn fal_upstream_errors_and_unreachable_hosts_do_not_leak_the_key() {
    let h = start(Setup::default()).await;
    let a = answer(h.fal(Method::GET, Some(&format!("{}/missing", h.fake)))).await;
    assert_eq!(a.status, 404);
    // A port nothing listens on, allow-listed through a second harness.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let keys = Keys {
        fal: FalKeys {
            key: Some(Secret::new(FAL_KEY)),
        },
        ..Keys::default()
    };
    let relays = RelayConfig {
        fal: FalConfig {
            allowed_hosts: AllowedHosts::parse(&[format!("127.0.0.1:{port}")]).expect("entry"),
            ..FalConfig::default()
        },
        ..RelayConfig::default()
    };
    let api = Api::with_relays(keys, SimConfig::default(), relays).expect("api");
    let relay = format!("http://{}", listen(api.router()).await);
    let a = answer(
        h.client
            .post(format!("{relay}/api/fal/proxy"))
            .header("x-fal-target-url", format!("http://127.0.0.1:{port}/x"))
            .body("{}"),
    )
    .await;
    assert_eq!(a.status, 502, "{}", a.text());
    assert_eq!(a.json()["relay"], json!(true));
}

#[tokio::test]
async fn replicate_forwards_the_three_calls_with_the_token() {
    let h = start(Setup::default()).await;
    let base = format!("{}/api/replicate", h.relay);
    let calls = [
        (
            Method::POST,
            "v1/models/kwaivgi/kling-v3-omni-video/predictions",
        ),
        (Method::POST, "v1/models/kwaivgi/kling-v3-video/predictions"),
        (Method::GET, "v1/predictions/ufawqhfynnddngldkgtslldrkq"),
        (
            Method::POST,
            "v1/predictions/ufawqhfynnddngldkgtslldrkq/cancel",
        ),
    ];
    for (m, p) in &calls {
        let a = answer(
            h.client
                .request(m.clone(), format!("{base}/{p}"))
                .header(header::COOKIE, "c=1")
                .header(header::AUTHORIZATION, "Bearer browser")
                .header("prefer", "wait=5")
                .body(r#"{"input":{"prompt":"x"}}"#),
        )
        .await;
        assert_eq!(a.status, 200, "{p}: {}", a.text());
    }
    let seen = h.upstream.seen();
    assert_eq!(seen.len(), calls.len());
    for (s, (m, p)) in seen.iter().zip(&calls) {
        assert_eq!(&s.method, m);
        assert_eq!(s.uri, format!("/{p}"));
        assert_eq!(
            s.headers.get(header::AUTHORIZATION).unwrap(),
            &format!("Bearer {REPLICATE_TOKEN}")
        );
        assert!(s.headers.get(header::COOKIE).is_none());
        assert_eq!(s.headers.get("prefer").unwrap(), "wait=5");
    }
    assert_eq!(
        seen[0].body,
        Bytes::from_static(br#"{"input":{"prompt":"x"}}"#)
    );
    assert!(seen[2].body.is_empty());
}

#[tokio::test]
async fn replicate_refuses_other_paths_and_methods() {
    let h = start(Setup::default()).await;
    let base = format!("{}/api/replicate", h.relay);
    for p in [
        "v1/account",
        "v1/models/stability-ai/sdxl/predictions",
        "v1/predictions",
        "v1/predictions/a/b",
        "v1/predictions/..%2Faccount",
        "v1/predictions/a%2F..%2F..%2Faccount/cancel",
        "v1/trainings",
        "v1/files",
    ] {
        let a = answer(h.client.post(format!("{base}/{p}")).body("{}")).await;
        assert_eq!(a.status, 404, "{p}");
        assert_eq!(a.json()["relay"], json!(true));
    }
    for (m, p) in [
        (Method::GET, "v1/models/kwaivgi/kling-v3-video/predictions"),
        (Method::DELETE, "v1/predictions/abc"),
        (Method::POST, "v1/predictions/abc"),
        (Method::GET, "v1/predictions/abc/cancel"),
    ] {
        let a = answer(h.client.request(m.clone(), format!("{base}/{p}"))).await;
        assert_eq!(a.status, 405, "{m} {p}");
    }
    assert!(h.upstream.seen().is_empty());
}

#[tokio::test]
async fn replicate_without_a_token_is_503() {
    let h = start(Setup {
        replicate_token: false,
        ..Setup::default()
    })
    .await;
    let a = answer(
        h.client
            .get(format!("{}/api/replicate/v1/predictions/abc", h.relay)),
    )
    .await;
    assert_eq!(a.status, 503);
    assert!(a.json()["error"]
        .as_str()
        .unwrap_or("")
        .contains("REPLICATE_API_TOKEN"));
    assert!(h.upstream.seen().is_empty());
}

fn media_url(h: &Harness, target: &str) -> String {
    let mut u = reqwest::Url::parse(&format!("{}/api/media", h.relay)).expect("url");
    u.query_pairs_mut().append_pair("url", target);
    u.to_string()
}

#[tokio::test]
async fn media_streams_a_clip_with_type_length_and_range() {
    let h = start(Setup::default()).await;
    let clip = format!("{}/media/clip.mp4", h.fake);
    let a = answer(
        h.client
            .get(media_url(&h, &clip))
            .header(header::COOKIE, "c=1"),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.headers.get(header::CONTENT_TYPE).unwrap(), "video/mp4");
    assert_eq!(a.headers.get(header::CONTENT_LENGTH).unwrap(), "1000");
    assert_eq!(a.headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(a.headers.get(header::SET_COOKIE).is_none());
    assert_eq!(a.body.len(), 1000);

    let a = answer(
        h.client
            .get(media_url(&h, &clip))
            .header(header::RANGE, "bytes=10-19"),
    )
    .await;
    assert_eq!(a.status, 206);
    assert_eq!(
        a.headers.get(header::CONTENT_RANGE).unwrap(),
        "bytes 10-19/1000"
    );
    assert_eq!(a.body.to_vec(), (10..20).map(big_byte).collect::<Vec<_>>());

    // A redirect within the list is followed.
    let a = answer(
        h.client
            .get(media_url(&h, &format!("{}/media/redirect-ok", h.fake))),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body.len(), 1000);
    let seen = h.upstream.seen();
    assert_eq!(seen.len(), 4);
    assert!(seen.iter().all(|s| s.headers.get(header::COOKIE).is_none()));
    assert_eq!(seen[1].headers.get(header::RANGE).unwrap(), "bytes=10-19");
}

#[tokio::test]
async fn media_refuses_other_hosts_and_non_media() {
    let h = start(Setup::default()).await;
    for t in [
        "https://evil.com/clip.mp4",
        "https://fal.media.evil.com/clip.mp4",
        "http://v3.fal.media/clip.mp4",
        "https://169.254.169.254/latest",
        "https://user@v3.fal.media/clip.mp4",
        "http://127.0.0.1:1/clip.mp4",
    ] {
        let a = answer(h.client.get(media_url(&h, t))).await;
        assert_eq!(a.status, 403, "{t}: {}", a.text());
    }
    let a = answer(h.client.get(format!("{}/api/media", h.relay))).await;
    assert_eq!(a.status, 400);
    assert!(h.upstream.seen().is_empty());

    for (path, why) in [
        ("/media/page.html", "not media"),
        ("/media/redirect-evil", "redirected"),
        ("/missing", "404"),
    ] {
        let a = answer(h.client.get(media_url(&h, &format!("{}{path}", h.fake)))).await;
        assert_eq!(a.status, 502, "{path}");
        assert_eq!(a.json()["relay"], json!(true));
        assert!(a.text().contains(why), "{path}: {}", a.text());
        assert!(!a.text().contains("<script>"));
    }
}

#[tokio::test]
async fn relay_routes_win_over_the_api_catch_all() {
    let h = start(Setup::default()).await;
    let a = answer(h.client.get(format!("{}/api/fal/other", h.relay))).await;
    assert_eq!(a.status, 404);
    let a = answer(h.client.post(format!("{}/api/media", h.relay))).await;
    assert_eq!(a.status, 405);
}

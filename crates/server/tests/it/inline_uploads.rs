//! `upload:<sha256>` in create bodies, resolved by the relays before they
//! forward: a public URL with `--public-base-url`, else the image's bytes
//! (raw Base64 for Kling, a data URI for fal and Replicate), else refused
//! (videos; unknown files). Fake upstreams on loopback record what they got.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::Uri;
use axum::response::IntoResponse;
use axum::Router;
use base64::Engine as _;
use serde_json::{json, Value};
use storyreel_server::api::Api;
use storyreel_server::config::{FalKeys, Keys, KlingKeys, ReplicateKeys, Secret};
use storyreel_server::relay::fal::FalConfig;
use storyreel_server::relay::replicate::ReplicateConfig;
use storyreel_server::relay::RelayConfig;
use storyreel_server::sim::SimConfig;
use storyreel_server::uploads::{StoreConfig, UploadConfig, Uploads, DEFAULT_MAX_BYTES};

const WAIT: Duration = Duration::from_secs(30);
const FAL_TARGET: &str = "https://queue.fal.run/fal-ai/kling-video/o3/pro/reference-to-video";
const REPLICATE_CREATE: &str = "/api/replicate/v1/models/kwaivgi/kling-v3-omni-video/predictions";

/// (path, body) of every call the fake upstream got.
type Seen = Arc<Mutex<Vec<(String, Bytes)>>>;

async fn fake_upstream() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let s = seen.clone();
    let app = Router::new().fallback(move |uri: Uri, body: Bytes| {
        let s = s.clone();
        async move {
            s.lock().expect("lock").push((uri.path().to_string(), body));
            axum::Json(
                json!({"code": 0, "message": "SUCCESS", "data": {"task_id": "t1"}, "id": "p1"}),
            )
            .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), seen)
}

struct Setup {
    public_base_url: Option<&'static str>,
    data_uri: bool,
    /// Kling goes to the built-in simulator instead of the fake.
    simulator: bool,
    /// Kling gets an API key (both designs) instead of a key pair.
    kling_api_key: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            public_base_url: None,
            data_uri: true,
            simulator: false,
            kling_api_key: false,
        }
    }
}

struct Harness {
    relay: String,
    seen: Seen,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn start(setup: Setup) -> Harness {
    let (fake, seen) = fake_upstream().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = Keys {
        kling: if setup.simulator {
            KlingKeys::default()
        } else if setup.kling_api_key {
            KlingKeys {
                api_key: Some(Secret::new("kk-test")),
                base_url: Some(fake.clone()),
                ..KlingKeys::default()
            }
        } else {
            KlingKeys {
                access_key: Some(Secret::new("ak-test")),
                secret_key: Some(Secret::new("sk-test")),
                base_url: Some(fake.clone()),
                ..KlingKeys::default()
            }
        },
        fal: FalKeys {
            key: Some(Secret::new("fal-test")),
        },
        replicate: ReplicateKeys {
            token: Some(Secret::new("r8-test")),
        },
    };
    let relays = RelayConfig {
        fal: FalConfig {
            upstream_override: Some(reqwest::Url::parse(&fake).expect("url")),
            ..FalConfig::default()
        },
        replicate: ReplicateConfig {
            base_url: fake.clone(),
        },
        ..RelayConfig::default()
    };
    let uploads = Uploads::open(&UploadConfig {
        store: StoreConfig::Dir(dir.path().join("uploads")),
        max_bytes: DEFAULT_MAX_BYTES,
        public_base_url: setup.public_base_url.map(str::to_string),
    })
    .expect("uploads");
    let mut api = Api::with_relays(keys, SimConfig::default(), relays)
        .expect("api")
        .with_uploads(uploads);
    api.inline_uploads_as_data_uri = setup.data_uri;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = api.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Harness {
        relay: format!("http://{addr}"),
        seen,
        client: reqwest::Client::builder()
            .timeout(WAIT)
            .build()
            .expect("client"),
        _dir: dir,
    }
}

/// A small PNG-looking file (the store sniffs its signature).
fn png(seed: u8, len: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\x2c\0\0\x01\x2c\x08\x02\0\0\0".to_vec();
    b.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    b
}

fn mp4() -> Vec<u8> {
    let mut b = 24u32.to_be_bytes().to_vec();
    b.extend_from_slice(b"ftypisom\0\0\x02\0isomavc1");
    b.extend_from_slice(b"\0\0\0\x08free");
    b.extend((0..4096).map(|i| i as u8));
    b
}

impl Harness {
    /// Stores `bytes`; returns their sha256.
    async fn upload(&self, bytes: &[u8]) -> String {
        let res = self
            .client
            .post(format!("{}/api/uploads", self.relay))
            .body(bytes.to_vec())
            .send()
            .await
            .expect("upload");
        assert!(res.status().is_success(), "upload: {}", res.status());
        let v: Value = serde_json::from_slice(&res.bytes().await.expect("body")).expect("json");
        v["sha256"].as_str().expect("sha256").to_string()
    }

    async fn kling(&self, body: &Value) -> (u16, Value) {
        self.kling_at("/v1/videos/omni-video", body).await
    }

    /// A Kling create at `path` (either design's).
    async fn kling_at(&self, path: &str, body: &Value) -> (u16, Value) {
        let res = self
            .client
            .post(format!("{}/api/kling{path}", self.relay))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("create");
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap_or_default();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn fal(&self, body: &Value) -> (u16, Value) {
        let res = self
            .client
            .post(format!("{}/api/fal/proxy", self.relay))
            .header("x-fal-target-url", FAL_TARGET)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("fal");
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap_or_default();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn replicate(&self, body: &Value) -> (u16, Value) {
        let res = self
            .client
            .post(format!("{}{REPLICATE_CREATE}", self.relay))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("replicate");
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap_or_default();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    fn seen(&self) -> Vec<(String, Value)> {
        self.seen
            .lock()
            .expect("lock")
            .iter()
            .map(|(p, b)| {
                (
                    p.clone(),
                    serde_json::from_slice(b).expect("upstream got JSON"),
                )
            })
            .collect()
    }
}

fn omni(image_url: &str) -> Value {
    json!({
        "model_name": "kling-v3-omni",
        "multi_shot": false,
        "prompt": "<<<image_1>>> waves.",
        "image_list": [{"image_url": image_url}],
        "sound": "off",
        "mode": "std",
        "aspect_ratio": "16:9",
        "duration": "5",
        "external_task_id": "storyreel-inline-1"
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn kling_gets_the_raw_base64_of_a_stored_image() {
    let h = start(Setup::default()).await;
    let image = png(1, 5000);
    let sha = h.upload(&image).await;
    let (status, answer) = h.kling(&omni(&format!("upload:{sha}"))).await;
    assert_eq!(status, 200, "{answer}");
    let seen = h.seen();
    assert_eq!(seen.len(), 1);
    let (path, body) = &seen[0];
    assert_eq!(path, "/v1/videos/omni-video");
    let sent = body["image_list"][0]["image_url"].as_str().expect("string");
    assert!(!sent.starts_with("data:"), "no data: prefix for Kling");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(sent)
        .expect("raw Base64");
    assert_eq!(decoded, image, "exactly the stored bytes");
    assert!(!body.to_string().contains("upload:"));
    // The rest of the body is untouched.
    let mut want = omni("x");
    want["image_list"][0]["image_url"] = json!(sent);
    assert_eq!(body, &want);
}

/// A create body of Kling's current design citing `first` as the first
/// frame and `image` as a reference.
fn current(first: &str, image: &str) -> Value {
    json!({
        "contents": [
            {"type": "prompt", "text": "shot 1, 3, @image_1 walks in; shot 2, 2, @image_1 waves;"},
            {"type": "first_frame", "url": first},
            {"type": "refer_image", "url": image, "id": "image_1"}
        ],
        "settings": {"multi_shot": true, "resolution": "1080p", "duration": 5, "audio": "off"},
        "options": {"external_task_id": "job-up-1", "watermark_info": {"enabled": false}}
    })
}

#[tokio::test]
async fn the_current_design_gets_stored_images_as_raw_base64_or_their_url() {
    let h = start(Setup {
        kling_api_key: true,
        ..Setup::default()
    })
    .await;
    let frame = png(5, 4000);
    let image = png(6, 3000);
    let (f, i) = (h.upload(&frame).await, h.upload(&image).await);
    let body = current(&format!("upload:{f}"), &format!("upload:{i}"));
    let (status, answer) = h.kling_at("/omni-video/kling-3.0-omni", &body).await;
    assert_eq!(status, 200, "{answer}");
    let clip = h.upload(&mp4()).await;
    let mut with_video = current("https://example.com/f.png", "https://example.com/i.png");
    with_video["contents"]
        .as_array_mut()
        .expect("contents")
        .push(json!({"type": "feature_video", "url": format!("upload:{clip}"), "id": "video_1"}));
    let (status, answer) = h.kling_at("/omni-video/kling-3.0-omni", &with_video).await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|m| m.contains("by URL only")),
        "{answer}"
    );

    let seen = h.seen();
    assert_eq!(seen.len(), 1, "the video's create was not forwarded");
    let (path, sent) = &seen[0];
    assert_eq!(path, "/omni-video/kling-3.0-omni");
    let b64 = |v: &Value| {
        let s = v.as_str().expect("string");
        assert!(!s.starts_with("data:"), "no data: prefix for Kling");
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .expect("raw Base64")
    };
    assert_eq!(b64(&sent["contents"][1]["url"]), frame);
    assert_eq!(b64(&sent["contents"][2]["url"]), image);
    let mut want = body.clone();
    want["contents"][1]["url"] = sent["contents"][1]["url"].clone();
    want["contents"][2]["url"] = sent["contents"][2]["url"].clone();
    assert_eq!(sent, &want, "the rest is untouched");

    let h = start(Setup {
        kling_api_key: true,
        public_base_url: Some("https://media.example.test"),
        ..Setup::default()
    })
    .await;
    let i = h.upload(&image).await;
    let (status, answer) = h
        .kling_at(
            "/omni-video/kling-3.0-omni",
            &current("https://example.com/f.png", &format!("upload:{i}")),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        h.seen()[0].1["contents"][2]["url"],
        format!("https://media.example.test/uploads/{i}")
    );
}

#[tokio::test]
async fn with_a_public_base_url_providers_get_the_url() {
    let h = start(Setup {
        public_base_url: Some("https://media.example.test"),
        ..Setup::default()
    })
    .await;
    let sha = h.upload(&png(2, 3000)).await;
    let clip = h.upload(&mp4()).await;
    let url = format!("https://media.example.test/uploads/{sha}");
    let clip_url = format!("https://media.example.test/uploads/{clip}");

    let mut body = omni(&format!("upload:{sha}"));
    body["video_list"] = json!([{"video_url": format!("upload:{clip}"), "refer_type": "feature", "keep_original_sound": "no"}]);
    let (status, answer) = h.kling(&body).await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = h
        .fal(&json!({"prompt": "x", "image_urls": [format!("upload:{sha}")], "video_url": format!("upload:{clip}")}))
        .await;
    assert_eq!(status, 200);
    let (status, _) = h
        .replicate(
            &json!({"input": {"prompt": "x", "reference_images": [format!("upload:{sha}")]}}),
        )
        .await;
    assert_eq!(status, 200);

    let seen = h.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].1["image_list"][0]["image_url"], url.as_str());
    assert_eq!(seen[0].1["video_list"][0]["video_url"], clip_url.as_str());
    assert_eq!(seen[1].1["image_urls"][0], url.as_str());
    assert_eq!(seen[1].1["video_url"], clip_url.as_str());
    assert_eq!(seen[2].1["input"]["reference_images"][0], url.as_str());
}

#[tokio::test]
async fn a_stored_video_without_a_public_base_url_is_refused() {
    let h = start(Setup::default()).await;
    let clip = h.upload(&mp4()).await;
    let mut body = omni("https://example.com/a.png");
    body["video_list"] = json!([{"video_url": format!("upload:{clip}"), "refer_type": "feature", "keep_original_sound": "no"}]);
    let (status, answer) = h.kling(&body).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["relay"], true);
    let msg = answer["error"].as_str().expect("message");
    assert!(msg.contains(&clip[..12]), "{msg}");
    assert!(
        msg.contains("video") && msg.contains("by URL only"),
        "{msg}"
    );
    assert!(msg.contains("--public-base-url"), "{msg}");
    let (status, answer) = h
        .fal(&json!({"prompt": "x", "video_url": format!("upload:{clip}")}))
        .await;
    assert_eq!(status, 400, "{answer}");
    assert!(h.seen().is_empty(), "the upstream was never called");
}

#[tokio::test]
async fn an_unknown_upload_is_refused() {
    let h = start(Setup::default()).await;
    let sha = "0123456789abcdef".repeat(4);
    let (status, answer) = h.kling(&omni(&format!("upload:{sha}"))).await;
    assert_eq!(status, 400, "{answer}");
    let msg = answer["error"].as_str().expect("message");
    assert!(msg.contains("upload:0123456789ab"), "{msg}");
    assert!(msg.contains("not stored on this server"), "{msg}");
    assert!(h.seen().is_empty());
}

#[tokio::test]
async fn fal_and_replicate_get_data_uris_unless_switched_off() {
    let h = start(Setup::default()).await;
    let image = png(3, 4000);
    let sha = h.upload(&image).await;
    let (status, _) = h
        .fal(&json!({"prompt": "x", "image_urls": [format!("upload:{sha}"), "https://example.com/b.png"]}))
        .await;
    assert_eq!(status, 200);
    let (status, _) = h
        .replicate(&json!({"input": {"prompt": "x", "start_image": format!("upload:{sha}")}}))
        .await;
    assert_eq!(status, 200);
    let seen = h.seen();
    let want = format!("data:image/png;base64,{}", b64(&image));
    assert_eq!(seen[0].1["image_urls"][0], want.as_str());
    assert_eq!(seen[0].1["image_urls"][1], "https://example.com/b.png");
    assert_eq!(seen[1].1["input"]["start_image"], want.as_str());

    let off = start(Setup {
        data_uri: false,
        ..Setup::default()
    })
    .await;
    let sha = off.upload(&image).await;
    let (status, answer) = off
        .fal(&json!({"prompt": "x", "image_urls": [format!("upload:{sha}")]}))
        .await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"]
        .as_str()
        .unwrap()
        .contains("--inline-uploads-as-data-uri"));
    // Kling still gets raw Base64: it is Kling's documented form.
    let (status, _) = off.kling(&omni(&format!("upload:{sha}"))).await;
    assert_eq!(status, 200);
    assert_eq!(off.seen().len(), 1);
}

#[tokio::test]
async fn what_is_inlined_is_bounded() {
    let h = start(Setup::default()).await;
    // 9.5 MiB, used eight times: more than 7 × 10 MiB inline.
    let sha = h.upload(&png(4, 19 * 512 * 1024)).await;
    let entries: Vec<Value> = (0..8)
        .map(|_| json!({"image_url": format!("upload:{sha}")}))
        .collect();
    let mut body = omni("x");
    body["image_list"] = Value::Array(entries);
    let (status, answer) = h.kling(&body).await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("--public-base-url"),
        "{answer}"
    );
    assert!(h.seen().is_empty());
}

#[tokio::test]
async fn the_simulator_takes_the_inlined_image() {
    let h = start(Setup {
        simulator: true,
        ..Setup::default()
    })
    .await;
    let sha = h.upload(&png(5, 2000)).await;
    let (status, answer) = h.kling(&omni(&format!("upload:{sha}"))).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["code"], 0, "{answer}");
    // What the relay did not resolve, the simulator refuses as Kling would.
    let (status, answer) = h.kling(&omni("data:image/png;base64,iVBORw0KGgo=")).await;
    assert_eq!(status, 400, "{answer}");
}

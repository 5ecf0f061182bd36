//! The server's answers read into the core's wire types (`storyreel_core::
//! wire`), which the app reads them with, and written back: the JSON must
//! come back the same. A field the server writes that the core type does
//! not know, or one it names differently, fails here. The exact key lists
//! pin the shape older tests and the app rely on.

use crate::common;

use common::*;
use reqwest::header;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use storyreel_core::wire::{RelayError, ServerStatus, Uploaded};
use storyreel_server::api::Api;
use storyreel_server::config::{FalKeys, Keys, ReplicateKeys, Secret};
use storyreel_server::relay::fal::FalConfig;
use storyreel_server::relay::RelayConfig;
use storyreel_server::sim::SimConfig;
use storyreel_server::uploads::{StoreConfig, UploadConfig, Uploads};

/// Reads `body` as `T` and writes it back; panics unless the JSON is the
/// same. Returns the value read.
fn same_both_ways<T: DeserializeOwned + Serialize>(what: &str, body: &str) -> T {
    let sent: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{what}: {e}: {body}"));
    let read: T = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("{what}: the core's type cannot read it: {e}: {body}"));
    let back = serde_json::to_value(&read).expect("json");
    assert_eq!(
        back, sent,
        "{what}: the core's type reads a different message"
    );
    read
}

fn keys_of(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// A server with uploads and `public_base_url`; `keys`: fal and
/// Replicate keys set, else fal takes the browser's key.
async fn server(public_base_url: Option<&str>, keys: bool) -> (String, tempfile::TempDir) {
    let dir = dist();
    let all = if keys {
        Keys {
            fal: FalKeys {
                key: Some(Secret::new("fal-test")),
            },
            replicate: ReplicateKeys {
                token: Some(Secret::new("r8-test")),
            },
            ..Keys::default()
        }
    } else {
        Keys::default()
    };
    let relays = RelayConfig {
        fal: FalConfig {
            allow_browser_key: !keys,
            ..FalConfig::default()
        },
        ..RelayConfig::default()
    };
    let uploads = Uploads::open(&UploadConfig {
        store: StoreConfig::Dir(dir.path().join("uploads")),
        max_bytes: 4096,
        public_base_url: public_base_url.map(str::to_string),
    })
    .expect("uploads");
    let api = Api::with_relays(all, SimConfig::default(), relays)
        .expect("api")
        .with_uploads(uploads);
    (serve_api(api, dir.path()).await, dir)
}

async fn text(req: reqwest::RequestBuilder) -> (u16, String) {
    let res = req.send().await.expect("answer");
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

#[tokio::test]
async fn status_reads_the_same_into_the_cores_type() {
    // No uploads, the simulator, nothing else ready.
    let d = dist();
    let url = serve_api(
        Api::new(Keys::default(), SimConfig::default()).expect("api"),
        d.path(),
    )
    .await;
    let (code, body) = text(client().get(format!("{url}/api/status"))).await;
    assert_eq!(code, 200);
    let st: ServerStatus = same_both_ways("/api/status", &body);
    assert!(st.simulator && st.providers.kling.is_simulated());
    assert!(!st.uploads.available && st.uploads.setup.is_none());
    let v: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        keys_of(&v),
        [
            "simulator",
            "providers",
            "uploads",
            "access_token_required",
            "kling"
        ]
    );
    assert_eq!(keys_of(&v["providers"]), ["kling", "fal", "replicate"]);
    assert_eq!(keys_of(&v["providers"]["kling"]), ["ready", "simulated"]);
    assert_eq!(keys_of(&v["providers"]["fal"]), ["ready", "why"]);
    assert_eq!(keys_of(&v["uploads"]), ["available"]);
    assert_eq!(keys_of(&v["kling"]), ["credential", "api", "reason"]);

    // Uploads with a public base; fal takes the browser's key.
    let (url, _d) = server(Some("https://cdn.example.test/media/"), false).await;
    let (_, body) = text(client().get(format!("{url}/api/status"))).await;
    let st: ServerStatus = same_both_ways("/api/status with uploads", &body);
    assert!(st.providers.fal.browser_key && st.providers.fal.ready);
    assert_eq!(
        st.uploads.public_uploads_base().as_deref(),
        Some("https://cdn.example.test/media/uploads"),
        "the app learns the server's public base from the status"
    );
    let v: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        keys_of(&v["uploads"]),
        [
            "available",
            "public_base_url",
            "upload_base_url",
            "max_bytes",
            "image_max_bytes",
            "accepted"
        ]
    );
    assert_eq!(keys_of(&v["providers"]["fal"]), ["ready", "browser_key"]);

    // Uploads without one, fal and Replicate with server keys.
    let (url, _d) = server(None, true).await;
    let (_, body) = text(client().get(format!("{url}/api/status"))).await;
    let st: ServerStatus = same_both_ways("/api/status, no public base", &body);
    assert!(st.uploads.available);
    assert_eq!(st.uploads.public_uploads_base(), None);
    assert_eq!(
        st.providers.replicate,
        storyreel_core::wire::ProviderStatus::ready()
    );
}

#[tokio::test]
async fn upload_answers_and_refusals_read_the_same_into_the_cores_types() {
    let (url, _d) = server(None, false).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0".to_vec();
    let (code, body) = text(client().post(format!("{url}/api/uploads")).body(png)).await;
    assert_eq!(code, 201, "{body}");
    let up: Uploaded = same_both_ways("the upload answer", &body);
    assert_eq!(Uploaded::parse(&body), Some(up.clone()));
    assert_eq!(up.url, format!("/uploads/{}", up.sha256));
    let v: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        keys_of(&v),
        ["ref", "sha256", "bytes", "content_type", "url"]
    );

    // Refused for its kind: what it is and what is taken.
    let (code, body) = text(
        client()
            .post(format!("{url}/api/uploads"))
            .header("x-request-id", "wire-kind-1")
            .body("hello, world"),
    )
    .await;
    assert_eq!(code, 415, "{body}");
    let e: RelayError = same_both_ways("an upload refused for its kind", &body);
    assert_eq!(e.found.as_deref(), Some("text"));
    assert_eq!(e.request_id.as_deref(), Some("wire-kind-1"));
    assert_eq!(RelayError::parse(&body), Some(e));

    // Refused for its size: the limit and the size.
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(5000, 7);
    let (code, body) = text(
        client()
            .post(format!("{url}/api/uploads"))
            .header(header::CONTENT_LENGTH, big.len())
            .body(big),
    )
    .await;
    assert_eq!(code, 413, "{body}");
    let e: RelayError = same_both_ways("an upload refused for its size", &body);
    assert_eq!((e.limit, e.size), (Some(4096), Some(5000)));
}

#[tokio::test]
async fn relay_errors_read_the_same_into_the_cores_type() {
    let (url, _d) = server(None, false).await;
    let (code, body) = text(
        client()
            .get(format!("{url}/api/no-such-route"))
            .header("x-request-id", "wire-404"),
    )
    .await;
    assert_eq!(code, 404);
    let e: RelayError = same_both_ways("the relay's error", &body);
    assert!(e.relay);
    let v: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(keys_of(&v), ["error", "relay", "request_id"]);
    // What the core's journal reads from it.
    assert_eq!(
        storyreel_core::transport::relay_error(&body).as_deref(),
        Some("no such API route")
    );
    // A relay refusal on its way to a provider: Replicate without a key.
    let (code, body) = text(
        client()
            .post(format!("{url}/api/replicate/v1/predictions"))
            .header(header::CONTENT_TYPE, "application/json")
            .body("{}"),
    )
    .await;
    assert!(code >= 400, "{code} {body}");
    same_both_ways::<RelayError>("a relay's refusal", &body);
}

//! Calling the simulator where the server mounts it (`/sim/kling`),
//! without a socket, as the relay calls it: the paths, the API key, and
//! an answer read as Kling's `{code, message, data}` envelope.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use storyreel_server::sim;
use tower::ServiceExt;

/// The host every call names; the simulator's addresses are on it.
pub const HOST: &str = "storyreel.test";
/// Kling's current design: create, and the task list.
pub const CURRENT: &str = "/sim/kling/omni-video/kling-3.0-omni";
pub const TASKS: &str = "/sim/kling/tasks";
/// Kling's legacy design.
pub const LEGACY: &str = "/sim/kling/v1/videos/omni-video";

/// The `Authorization` header the simulator accepts.
pub fn key() -> String {
    format!("Bearer {}", sim::API_KEY)
}

pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body, or why it broke off.
    pub body: Result<Vec<u8>, String>,
}

impl Answer {
    /// The `Content-Type` header; empty when there is none.
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
    /// The body's bytes; panics if it broke off.
    pub fn bytes(&self) -> &[u8] {
        self.body.as_deref().expect("the whole body")
    }
    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(self.bytes()).into_owned()
    }
    /// The body as JSON; `Null` when it is not.
    pub fn json(&self) -> Value {
        self.body
            .as_ref()
            .ok()
            .and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or(Value::Null)
    }
    pub fn code(&self) -> Option<i64> {
        self.json()["code"].as_i64()
    }
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    pub fn data(&self) -> Value {
        self.json()["data"].clone()
    }
}

/// `method uri` with an optional `Authorization` and JSON body.
pub async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    auth: Option<&str>,
    body: Option<&Value>,
) -> Answer {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST);
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    let body = match body {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let res = app
        .clone()
        .oneshot(req.body(body).expect("request"))
        .await
        .expect("answer");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .map_err(|e| e.to_string());
    Answer {
        status,
        headers,
        body,
    }
}

/// A JSON POST with the key.
pub async fn post(app: &Router, uri: &str, body: &Value) -> Answer {
    call(app, "POST", uri, Some(&key()), Some(body)).await
}

/// A GET with the key.
pub async fn get(app: &Router, uri: &str) -> Answer {
    call(app, "GET", uri, Some(&key()), None).await
}

//! `/api/replicate/{path}`: Replicate's prediction calls for the two Kling
//! models, with `Authorization: Bearer <REPLICATE_API_TOKEN>` added here
//! (Replicate's API has no CORS, so the browser cannot call it anyway).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::uploads::{Inline, UploadResolver};
use super::{buffer_back, relay_error, unreachable};
use crate::config::{Secret, ENV_REPLICATE_TOKEN};

pub const DEFAULT_BASE_URL: &str = "https://api.replicate.com";

/// The models whose predictions may be created.
const MODELS: [&str; 2] = ["kwaivgi/kling-v3-omni-video", "kwaivgi/kling-v3-video"];

#[derive(Debug, Clone)]
pub struct ReplicateConfig {
    /// Replicate's API origin (a fake one in tests).
    pub base_url: String,
}

impl Default for ReplicateConfig {
    fn default() -> Self {
        ReplicateConfig {
            base_url: DEFAULT_BASE_URL.to_string(),
        }
    }
}

pub struct ReplicateRelay {
    token: Option<Secret>,
    base_url: String,
    client: reqwest::Client,
}

/// A call the relay forwards, with the upstream path rebuilt from checked
/// parts.
#[derive(Debug, PartialEq, Eq)]
pub enum Call {
    Create(String),
    Get(String),
    Cancel(String),
}

impl Call {
    /// Reads a path below `/api/replicate/`; `None` for anything else.
    pub fn parse(path: &str) -> Option<Call> {
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["v1", "models", owner, name, "predictions"] => {
                let model = format!("{owner}/{name}");
                MODELS
                    .contains(&model.as_str())
                    .then_some(Call::Create(model))
            }
            ["v1", "predictions", id] if is_id(id) => Some(Call::Get(id.to_string())),
            ["v1", "predictions", id, "cancel"] if is_id(id) => Some(Call::Cancel(id.to_string())),
            _ => None,
        }
    }

    fn method(&self) -> Method {
        match self {
            Call::Get(_) => Method::GET,
            Call::Create(_) | Call::Cancel(_) => Method::POST,
        }
    }

    fn upstream_path(&self) -> String {
        match self {
            Call::Create(model) => format!("/v1/models/{model}/predictions"),
            Call::Get(id) => format!("/v1/predictions/{id}"),
            Call::Cancel(id) => format!("/v1/predictions/{id}/cancel"),
        }
    }
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `Prefer: wait` or `wait=N` is passed on; nothing else.
fn prefer(headers: &HeaderMap) -> Option<HeaderValue> {
    let v = headers.get("prefer")?;
    let s = v.to_str().ok()?.trim();
    let ok = s == "wait"
        || s.strip_prefix("wait=")
            .is_some_and(|n| n.parse::<u8>().is_ok_and(|n| n <= 60));
    ok.then(|| v.clone())
}

impl ReplicateRelay {
    pub fn new(
        token: Option<Secret>,
        config: ReplicateConfig,
        client: reqwest::Client,
    ) -> ReplicateRelay {
        ReplicateRelay {
            token,
            base_url: config.base_url.trim_end_matches('/').to_string(),
            client,
        }
    }
}

pub async fn relay(
    State(relay): State<Arc<ReplicateRelay>>,
    Path(path): Path<String>,
    method: Method,
    headers: HeaderMap,
    resolver: Option<Extension<Arc<UploadResolver>>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return super::body_refusal(e, super::MAX_JSON_BODY_BYTES),
    };
    let Some(call) = Call::parse(&path) else {
        return relay_error(
            StatusCode::NOT_FOUND,
            "the Replicate relay forwards only Kling prediction calls (create, get, cancel)",
        );
    };
    if method != call.method() {
        return relay_error(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("this Replicate call takes {}", call.method()),
        );
    }
    let Some(token) = &relay.token else {
        return relay_error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "this server has no Replicate token: set {ENV_REPLICATE_TOKEN} to use Replicate"
            ),
        );
    };
    let Ok(mut auth) = HeaderValue::from_str(&format!("Bearer {}", token.expose())) else {
        return relay_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("{ENV_REPLICATE_TOKEN} holds characters that cannot go in a header"),
        );
    };
    auth.set_sensitive(true);
    let mut req = relay
        .client
        .request(
            call.method(),
            format!("{}{}", relay.base_url, call.upstream_path()),
        )
        .header(header::AUTHORIZATION, auth)
        .header(header::ACCEPT, "application/json");
    if let Some(p) = prefer(&headers) {
        req = req.header("prefer", p);
    }
    if matches!(call, Call::Create(_)) {
        // Stored references become URLs or data URIs; nothing is sent
        // when one cannot.
        let body = match &resolver {
            Some(Extension(r)) => match r.resolve("Replicate", Inline::DataUri, body).await {
                Ok(b) => b,
                Err(refused) => return refused.into_response(),
            },
            None => body,
        };
        req = req
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
    }
    match req.send().await {
        Ok(res) => buffer_back("Replicate", res).await,
        Err(e) => unreachable("Replicate", &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_kling_prediction_paths_pass() {
        assert_eq!(
            Call::parse("v1/models/kwaivgi/kling-v3-omni-video/predictions"),
            Some(Call::Create("kwaivgi/kling-v3-omni-video".into()))
        );
        assert_eq!(
            Call::parse("v1/predictions/abc123"),
            Some(Call::Get("abc123".into()))
        );
        assert_eq!(
            Call::parse("v1/predictions/abc123/cancel"),
            Some(Call::Cancel("abc123".into()))
        );
        for bad in [
            "v1/models/other/model/predictions",
            "v1/predictions",
            "v1/predictions/",
            "v1/predictions/a/b",
            "v1/predictions/../account",
            "v1/account",
            "v1/models/kwaivgi/kling-v3-video/predictions/x",
        ] {
            assert_eq!(Call::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn prefer_wait_only() {
        let mut h = HeaderMap::new();
        h.insert("prefer", "wait=5".parse().unwrap());
        assert!(prefer(&h).is_some());
        h.insert("prefer", "respond-async, x".parse().unwrap());
        assert!(prefer(&h).is_none());
    }
}

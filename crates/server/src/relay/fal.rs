//! `/api/fal/proxy`: the proxy protocol of fal's JS client
//! (`fal.config({ proxyUrl })`), as `@fal-ai/server-proxy` speaks it. The
//! real fal URL arrives in `x-fal-target-url`; the relay checks its host,
//! adds `Authorization: Key <FAL_KEY>` and streams fal's answer back.
//!
//! Forwarded upstream: the method (GET, POST, PUT), the body, the target's
//! path and query, `content-type`, `accept`, `user-agent` and the client's
//! `x-fal-*` headers. Never forwarded: cookies, the browser's
//! `Authorization` (except in bring-your-own-key mode), anything else.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use reqwest::Url;
use thiserror::Error;

use super::target::{self, AllowedHosts, Refusal};
use super::uploads::{Inline, UploadResolver};
use super::{buffer_back, relay_error, stream_back, unreachable};
use crate::config::{Secret, ENV_FAL_KEY};

/// The request header holding the real fal URL.
pub const TARGET_URL_HEADER: &str = "x-fal-target-url";

/// The header naming the proxy to fal, as `@fal-ai/server-proxy` sets it.
const CLIENT_PROXY_HEADER: &str = "x-fal-client-proxy";
const CLIENT_PROXY: &str = concat!("storyreel-server/", env!("CARGO_PKG_VERSION"));

/// How the fal relay may be bent, from the command line.
#[derive(Debug, Clone, Default)]
pub struct FalConfig {
    /// Extra target hosts (tests, self-hosted gateways).
    pub allowed_hosts: AllowedHosts,
    /// With no server key, let the browser's own `Authorization: Key ...`
    /// through (bring your own key).
    pub allow_browser_key: bool,
    /// Tests only: send every admitted target to this origin instead,
    /// keeping its path and query.
    pub upstream_override: Option<Url>,
}

pub struct FalRelay {
    key: Option<Secret>,
    config: FalConfig,
    client: reqwest::Client,
}

/// True for fal's own hosts: `(\.|^)fal\.(run|ai)$`.
pub fn is_fal_host(host: &str) -> bool {
    target::is_within(host, "fal.run") || target::is_within(host, "fal.ai")
}

impl FalRelay {
    pub fn new(key: Option<Secret>, config: FalConfig, client: reqwest::Client) -> FalRelay {
        FalRelay {
            key,
            config,
            client,
        }
    }

    /// True when calls can be made: a server key, or BYOK allowed.
    pub fn is_ready(&self) -> bool {
        self.key.is_some() || self.config.allow_browser_key
    }

    pub fn allows_browser_key(&self) -> bool {
        self.key.is_none() && self.config.allow_browser_key
    }

    /// The `Authorization` value to send.
    fn authorization(&self, headers: &HeaderMap) -> Result<HeaderValue, AuthError> {
        if let Some(key) = &self.key {
            let mut v = HeaderValue::from_str(&format!("Key {}", key.expose()))
                .map_err(|_| AuthError::Unusable)?;
            v.set_sensitive(true);
            return Ok(v);
        }
        if !self.config.allow_browser_key {
            return Err(AuthError::Unset);
        }
        match headers.get(header::AUTHORIZATION) {
            Some(v) if v.as_bytes().starts_with(b"Key ") && v.len() > 4 => {
                let mut v = v.clone();
                v.set_sensitive(true);
                Ok(v)
            }
            _ => Err(AuthError::NotFromBrowser),
        }
    }

    /// Where the call goes: the checked target, or the test override.
    fn destination(&self, target: &Url) -> String {
        match &self.config.upstream_override {
            Some(o) => format!(
                "{}{}",
                o.as_str().trim_end_matches('/'),
                target::path_and_query(target)
            ),
            None => target.to_string(),
        }
    }
}

/// Why no key can be sent. The texts name the variable, never a value.
#[derive(Debug, Error)]
enum AuthError {
    #[error("this server has no fal key: set {ENV_FAL_KEY} to use fal")]
    Unset,
    #[error("{ENV_FAL_KEY} holds characters that cannot go in a header")]
    Unusable,
    #[error("this server has no {ENV_FAL_KEY}; send your own fal key as `Authorization: Key ...`")]
    NotFromBrowser,
}

impl AuthError {
    fn into_response(self) -> Response {
        let status = match self {
            AuthError::Unset => StatusCode::SERVICE_UNAVAILABLE,
            AuthError::Unusable => StatusCode::INTERNAL_SERVER_ERROR,
            AuthError::NotFromBrowser => StatusCode::UNAUTHORIZED,
        };
        relay_error(status, self.to_string())
    }
}

/// The request headers passed on to fal (the key is added separately).
fn forwarded_headers(from: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    for (name, value) in from {
        let n = name.as_str();
        let pass = n.starts_with("x-fal-") && n != TARGET_URL_HEADER && n != CLIENT_PROXY_HEADER;
        if pass {
            out.append(name.clone(), value.clone());
        }
    }
    for (name, default) in [
        (header::CONTENT_TYPE, Some("application/json")),
        (header::ACCEPT, Some("application/json")),
        (header::USER_AGENT, None),
    ] {
        match (from.get(&name), default) {
            (Some(v), _) => {
                out.insert(name, v.clone());
            }
            (None, Some(d)) => {
                out.insert(name, HeaderValue::from_static(d));
            }
            (None, None) => {}
        }
    }
    out.insert(
        HeaderName::from_static(CLIENT_PROXY_HEADER),
        HeaderValue::from_static(CLIENT_PROXY),
    );
    out
}

fn refused(why: Refusal) -> Response {
    let status = match why {
        Refusal::Unparsable => StatusCode::BAD_REQUEST,
        _ => StatusCode::FORBIDDEN,
    };
    relay_error(status, format!("fal proxy: {why}"))
}

pub async fn proxy(
    State(relay): State<Arc<FalRelay>>,
    method: Method,
    headers: HeaderMap,
    resolver: Option<Extension<Arc<UploadResolver>>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return super::body_refusal(e, super::MAX_BODY_BYTES),
    };
    if ![Method::GET, Method::POST, Method::PUT].contains(&method) {
        return relay_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "the fal proxy takes GET, POST and PUT",
        );
    }
    let Some(raw) = headers.get(TARGET_URL_HEADER).and_then(|v| v.to_str().ok()) else {
        return relay_error(
            StatusCode::BAD_REQUEST,
            format!("the fal proxy needs the {TARGET_URL_HEADER} header"),
        );
    };
    let target = match target::check(raw, is_fal_host, &relay.config.allowed_hosts) {
        Ok(t) => t,
        Err(why) => return refused(why),
    };
    let auth = match relay.authorization(&headers) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    // Stored references become URLs or data URIs; nothing is sent when
    // one cannot.
    let body = match (&resolver, method == Method::POST) {
        (Some(Extension(r)), true) => match r.resolve("fal", Inline::DataUri, body).await {
            Ok(b) => b,
            Err(refused) => return refused.into_response(),
        },
        _ => body,
    };
    let mut out = forwarded_headers(&headers);
    out.insert(header::AUTHORIZATION, auth);
    let mut req = relay
        .client
        .request(method.clone(), relay.destination(&target))
        .headers(out);
    if method != Method::GET {
        req = req.body(body);
    }
    match req.send().await {
        // fal's queue answers are JSON: read whole, so a cut-off answer
        // is the relay's 502. Anything else (a file) is streamed.
        Ok(res) if is_json(res.headers()) => buffer_back("fal", res).await,
        Ok(res) => stream_back("fal", res),
        Err(e) => unreachable("fal", &e),
    }
}

/// Whether an answer says it is JSON.
fn is_json(headers: &reqwest::header::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fal_headers_and_content_headers_cross() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "s=1".parse().unwrap());
        h.insert(header::AUTHORIZATION, "Key browser".parse().unwrap());
        h.insert("x-fal-queue-priority", "low".parse().unwrap());
        h.insert(TARGET_URL_HEADER, "https://fal.run/x".parse().unwrap());
        h.insert(CLIENT_PROXY_HEADER, "spoof".parse().unwrap());
        h.insert("x-forwarded-for", "10.0.0.1".parse().unwrap());
        let out = forwarded_headers(&h);
        assert_eq!(out.get("x-fal-queue-priority").unwrap(), "low");
        assert_eq!(out.get(CLIENT_PROXY_HEADER).unwrap(), CLIENT_PROXY);
        assert_eq!(out.get(header::CONTENT_TYPE).unwrap(), "application/json");
        assert!(out.get(header::COOKIE).is_none());
        assert!(out.get(header::AUTHORIZATION).is_none());
        assert!(out.get(TARGET_URL_HEADER).is_none());
        assert!(out.get("x-forwarded-for").is_none());
    }

    #[test]
    fn the_override_keeps_path_and_query() {
        let relay = FalRelay::new(
            None,
            FalConfig {
                upstream_override: Url::parse("http://127.0.0.1:9/").ok(),
                ..FalConfig::default()
            },
            reqwest::Client::new(),
        );
        let t = Url::parse("https://queue.fal.run/fal-ai/k/requests/1/status?logs=1").unwrap();
        assert_eq!(
            relay.destination(&t),
            "http://127.0.0.1:9/fal-ai/k/requests/1/status?logs=1"
        );
    }
}

//! The relays: `/api/kling/...`, `/api/fal/proxy` and `/api/replicate/...`
//! forward the browser's calls to the provider with the server's key, so
//! keys never reach the browser. This module holds what they share: which
//! headers cross, and how an upstream answer is streamed back.

pub mod fal;
pub mod kling;
pub mod media;
pub mod replicate;
pub mod target;
pub mod uploads;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use storyreel_core::wire::RelayError;

/// How the fal, Replicate and media relays are set up (from the command
/// line; the defaults are the real providers).
#[derive(Debug, Clone, Default)]
pub struct RelayConfig {
    pub fal: fal::FalConfig,
    pub replicate: replicate::ReplicateConfig,
    pub media: media::MediaConfig,
}

/// The longest request body the fal proxy accepts (it may carry a file
/// to fal's storage).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The longest request body of the Kling and Replicate relays: their
/// create calls are JSON with reference URLs or `upload:<sha256>` (the
/// app never inlines images; the relay may, see [`uploads`]), a few KiB.
pub const MAX_JSON_BODY_BYTES: usize = 1024 * 1024;

/// The answer to a body that could not be read: 413 naming the route's
/// limit when it was too large.
pub fn body_refusal(e: axum::extract::rejection::BytesRejection, limit: usize) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        relay_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request body is too large: this route takes at most {}",
                crate::uploads::human_bytes(limit as u64)
            ),
        )
    } else {
        relay_error(
            e.status(),
            format!("the request body could not be read: {e}"),
        )
    }
}

/// Response headers passed back to the browser. Everything else (cookies,
/// hop-by-hop headers, the upstream's CORS headers) stays behind.
const PASSED_BACK: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::CACHE_CONTROL,
    header::RETRY_AFTER,
    header::CONTENT_LENGTH,
];

/// Headers whose name starts with this are passed back too (fal's
/// `x-fal-error-type`, …).
const PASSED_BACK_PREFIXES: [&str; 2] = ["x-fal-", "x-sim-"];

/// The upstream's own `x-request-id` comes back under this name: the
/// browser's `x-request-id` is this server's (see [`crate::request_id`]).
pub const UPSTREAM_REQUEST_ID: HeaderName = HeaderName::from_static("x-upstream-request-id");

/// Keeps the response headers the browser may see.
pub fn filter_response_headers(from: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    for (name, value) in from {
        if name == crate::request_id::HEADER {
            out.append(UPSTREAM_REQUEST_ID, value.clone());
            continue;
        }
        let keep = PASSED_BACK.contains(name)
            || PASSED_BACK_PREFIXES
                .iter()
                .any(|p| name.as_str().starts_with(p));
        if keep {
            out.append(name.clone(), value.clone());
        }
    }
    out
}

/// A relay's own failure (never the provider's answer), as JSON the app
/// shows: the core's [`RelayError`], `{"error": "...", "relay": true,
/// "request_id": "..."}` (the id when answering a request; see
/// [`crate::request_id`]).
pub fn relay_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(error_body(message))).into_response()
}

/// The body of [`relay_error`], for errors that add fields to it.
pub fn error_body(message: impl Into<String>) -> RelayError {
    RelayError {
        request_id: crate::request_id::current(),
        ..RelayError::new(message)
    }
}

/// Streams an upstream answer back, counting it for `/metrics`.
pub fn stream_back(provider: &'static str, res: reqwest::Response) -> Response {
    crate::metrics::upstream_answered(provider, res.status().as_u16());
    let status = StatusCode::from_u16(res.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let headers = filter_response_headers(res.headers());
    let mut out = Response::new(Body::from_stream(res.bytes_stream()));
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    out
}

/// The longest answer the Kling and Replicate relays read before passing
/// it back: their answers are JSON of a few KiB.
pub const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// Why an upstream answer could not be passed back whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutOff {
    /// The body did not arrive in time.
    Timeout,
    /// The connection was reset or closed before the body was complete.
    Broken,
    /// The body is over [`MAX_ANSWER_BYTES`].
    TooLarge,
}

/// Reads an upstream answer whole, then passes it back (counting it for
/// `/metrics`; `provider` is the display name, `Kling`). Unlike [`stream_back`], an upstream that resets the
/// connection, closes it before its `Content-Length`, or stalls mid-body
/// is told to the browser as the relay's own error ([`cut_off`]), never as
/// a half-sent answer that a JSON reader chokes on. For JSON answers only.
pub async fn buffer_back(provider: &'static str, mut res: reqwest::Response) -> Response {
    let status = StatusCode::from_u16(res.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut headers = filter_response_headers(res.headers());
    // The body below is whole; its length is counted again.
    headers.remove(header::CONTENT_LENGTH);
    let mut body = Vec::new();
    loop {
        match res.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return cut_off(provider, CutOff::TooLarge, &"too large");
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) if e.is_timeout() => return cut_off(provider, CutOff::Timeout, &e),
            Err(e) => return cut_off(provider, CutOff::Broken, &e),
        }
    }
    crate::metrics::upstream_answered(provider_label(provider), status.as_u16());
    let mut out = Response::new(Body::from(body));
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    out
}

/// The relay's error for an answer that started but could not be read
/// whole: 504 after a timeout, else 502. The request may have taken
/// effect (a create may have made a job), so the message says to look it
/// up before sending it again; the app's journal does exactly that.
pub fn cut_off(provider: &'static str, why: CutOff, err: &dyn std::fmt::Display) -> Response {
    let (status, what, code) = match why {
        CutOff::Timeout => (
            StatusCode::GATEWAY_TIMEOUT,
            "stopped answering mid-way (timed out)",
            "timeout",
        ),
        CutOff::Broken => (
            StatusCode::BAD_GATEWAY,
            "answer was cut off (connection reset or closed early)",
            "read",
        ),
        CutOff::TooLarge => (
            StatusCode::BAD_GATEWAY,
            "answer was too large for the relay",
            "read",
        ),
    };
    crate::metrics::upstream_failed(provider_label(provider), code);
    tracing::warn!(provider, error = %err, "relay: upstream {what}");
    relay_error(
        status,
        format!(
            "{provider}'s {what}; whether the request took effect is not known, look it up before sending it again"
        ),
    )
}

/// What the browser is told when the upstream did not answer: 502 when
/// it could not be reached (nothing was sent), 504 when it timed out, 502
/// when the connection failed after the request went out. The error text
/// names the host, never a key (keys travel in headers only).
pub fn unreachable(provider: &'static str, err: &reqwest::Error) -> Response {
    let (status, what, code) = if err.is_timeout() {
        (
            StatusCode::GATEWAY_TIMEOUT,
            "did not answer in time; whether the request took effect is not known, look it up before sending it again",
            "timeout",
        )
    } else if err.is_connect() {
        (
            StatusCode::BAD_GATEWAY,
            "could not be reached; nothing was sent, try again",
            "connect",
        )
    } else {
        (
            StatusCode::BAD_GATEWAY,
            "dropped the connection before answering; whether the request took effect is not known, look it up before sending it again",
            "read",
        )
    };
    crate::metrics::upstream_failed(provider_label(provider), code);
    tracing::warn!(provider, error = %err, "relay: upstream {what}");
    relay_error(status, format!("{provider} {what}"))
}

/// The `provider` label of a relay's display name.
fn provider_label(provider: &'static str) -> &'static str {
    match provider {
        "Kling" => "kling",
        "fal" => "fal",
        "Replicate" => "replicate",
        _ => "other",
    }
}

/// The one HTTP client the relays share (rustls, no redirects: a relay
/// never follows the upstream somewhere else).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_headers_go_back() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        h.insert(header::SET_COOKIE, "session=1".parse().unwrap());
        h.insert("access-control-allow-origin", "*".parse().unwrap());
        h.insert("x-fal-error-type", "runner_error".parse().unwrap());
        h.insert(header::CONNECTION, "close".parse().unwrap());
        h.insert("x-request-id", "up-1".parse().unwrap());
        let out = filter_response_headers(&h);
        assert_eq!(out.len(), 3);
        assert!(out.get("x-request-id").is_none());
        assert_eq!(out.get(UPSTREAM_REQUEST_ID).unwrap(), "up-1");
        assert!(out.contains_key(header::CONTENT_TYPE));
        assert!(out.contains_key("x-fal-error-type"));
    }
}

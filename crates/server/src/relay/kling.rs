//! `/api/kling/{path}`: Kling's video calls, signed here with a JWT made
//! from the server's key pair (`kling_token`). The upstream is Kling's API
//! host, or, with no keys, the built-in simulator called in-process.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Router;

use super::uploads::{Inline, UploadResolver};
use super::{buffer_back, cut_off, relay_error, unreachable, CutOff};
use crate::config::Secret;
use crate::kling_token::KlingSigner;
use crate::sim;

/// Where the relay sends Kling calls.
pub enum Upstream {
    /// Kling's API host (or any compatible one).
    Http {
        base_url: String,
        client: reqwest::Client,
    },
    /// The built-in simulator, called without a socket.
    Simulator(Router),
}

pub struct KlingRelay {
    pub upstream: Upstream,
    pub signer: KlingSigner,
}

impl KlingRelay {
    /// The relay for Kling's real API.
    pub fn http(
        base_url: String,
        access: Secret,
        secret: Secret,
        client: reqwest::Client,
    ) -> KlingRelay {
        KlingRelay {
            upstream: Upstream::Http {
                base_url: base_url.trim_end_matches('/').to_string(),
                client,
            },
            signer: KlingSigner::new(access, secret),
        }
    }

    /// The relay for the simulator, signing with its key pair.
    pub fn simulator(router: Router) -> KlingRelay {
        KlingRelay {
            upstream: Upstream::Simulator(router),
            signer: KlingSigner::new(Secret::new(sim::ACCESS_KEY), Secret::new(sim::SECRET_KEY)),
        }
    }

    pub fn is_simulated(&self) -> bool {
        matches!(self.upstream, Upstream::Simulator(_))
    }
}

/// True for the paths the relay forwards: the video task calls only.
pub fn allowed_path(path: &str) -> bool {
    let mut parts = path.split('/');
    let ok_start = parts.next() == Some("v1") && parts.next() == Some("videos");
    let ok_route = matches!(
        parts.next(),
        Some("omni-video" | "image2video" | "text2video")
    );
    let rest: Vec<&str> = parts.collect();
    let ok_rest = match rest.as_slice() {
        [] => true,
        [id] => {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        _ => false,
    };
    ok_start && ok_route && ok_rest
}

pub async fn relay(
    State(relay): State<Arc<KlingRelay>>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    method: Method,
    headers: HeaderMap,
    resolver: Option<Extension<Arc<UploadResolver>>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return super::body_refusal(e, super::MAX_JSON_BODY_BYTES),
    };
    if !allowed_path(&path) {
        return relay_error(
            StatusCode::NOT_FOUND,
            format!("the Kling relay forwards only /v1/videos/... task calls, not /{path}"),
        );
    }
    if method != Method::GET && method != Method::POST {
        return relay_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "the Kling relay takes GET and POST",
        );
    }
    // Stored references become URLs or raw Base64 (Kling's image fields
    // take it); nothing is sent when one cannot.
    let body = match (&resolver, method == Method::POST) {
        (Some(Extension(r)), true) => match r.resolve("Kling", Inline::RawBase64, body).await {
            Ok(b) => b,
            Err(refused) => return refused.into_response(),
        },
        _ => body,
    };
    let path_and_query = match &query {
        Some(q) => format!("/{path}?{q}"),
        None => format!("/{path}"),
    };
    let Ok(mut bearer) = HeaderValue::from_str(&format!("Bearer {}", relay.signer.token())) else {
        return relay_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the Kling token holds characters that cannot go in a header",
        );
    };
    bearer.set_sensitive(true);
    match &relay.upstream {
        Upstream::Http { base_url, client } => {
            let mut req = client
                .request(method, format!("{base_url}{path_and_query}"))
                .header(header::AUTHORIZATION, bearer)
                .header(header::ACCEPT, "application/json");
            if !body.is_empty() {
                req = req
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(body);
            }
            match req.send().await {
                Ok(res) => buffer_back("Kling", res).await,
                Err(e) => unreachable("Kling", &e),
            }
        }
        Upstream::Simulator(router) => {
            let mut req = Request::builder()
                .method(method)
                .uri(path_and_query)
                .header(header::AUTHORIZATION, bearer)
                .header(header::CONTENT_TYPE, "application/json");
            // The simulator writes video URLs for the host the browser used.
            for name in [
                header::HOST.as_str(),
                "x-forwarded-host",
                "x-forwarded-proto",
            ] {
                if let Some(v) = headers.get(name) {
                    req = req.header(name, v.clone());
                }
            }
            match req.body(Body::from(body)) {
                Ok(req) => {
                    let res = sim::call(router.clone(), req).await;
                    // Read whole, as from Kling's host: an answer the
                    // simulator breaks off (its reset and truncate
                    // faults) becomes the relay's 502.
                    let (parts, body) = res.into_parts();
                    match http_body_util::BodyExt::collect(body).await {
                        Ok(whole) => {
                            crate::metrics::upstream_answered("kling", parts.status.as_u16());
                            Response::from_parts(parts, Body::from(whole.to_bytes()))
                        }
                        Err(e) => cut_off("Kling", CutOff::Broken, &e),
                    }
                }
                Err(e) => relay_error(StatusCode::BAD_REQUEST, format!("bad request: {e}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::allowed_path;

    #[test]
    fn only_video_task_paths_are_forwarded() {
        assert!(allowed_path("v1/videos/omni-video"));
        assert!(allowed_path("v1/videos/omni-video/8123"));
        assert!(allowed_path("v1/videos/image2video/abc_d-1"));
        assert!(!allowed_path("v1/videos/omni-video/../../account/costs"));
        assert!(!allowed_path("account/costs"));
        assert!(!allowed_path("v1/general/advanced-custom-elements"));
        assert!(!allowed_path("v1/videos/omni-video/1/2"));
        assert!(!allowed_path("v1/videos/omni-video/"));
    }
}

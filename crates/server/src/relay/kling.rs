//! `/api/kling/{path}`: Kling's calls on both of its designs (providers.md
//! §0.2–0.5), and nothing else. With an API key every call carries
//! `Authorization: Bearer <key>`; with an access key / secret key pair it
//! carries a JWT from `kling_token`, which only the legacy design takes,
//! so a current-design path is then refused here instead of forwarded.
//! The upstream is Kling's API host, or, with no keys, the built-in
//! simulator called in-process.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Router;
use storyreel_core::options::KlingApi;

use super::uploads::{Inline, UploadResolver};
use super::{buffer_back, cut_off, relay_error, unreachable, CutOff};
use crate::config::Secret;
use crate::kling_token::KlingSigner;
use crate::sim;

/// The API key the relay sends the built-in simulator (`Bearer` on the
/// current design). The simulator is in-process and holds no real key;
/// this constant only lets it tell a relayed call from a stray one.
pub const SIMULATOR_API_KEY: &str = "storyreel-simulator-key";

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

/// How the relay signs a call.
pub enum Credential {
    /// A console API key: `Bearer <key>` on both designs.
    ApiKey(Secret),
    /// An access key / secret key pair: a JWT, legacy design only.
    KeyPair(KlingSigner),
    /// The simulator: [`SIMULATOR_API_KEY`] on the current design, its own
    /// JWT on the legacy one (which it checks as Kling does; it also takes
    /// the API key there once it knows the current design).
    Simulator {
        api_key: Secret,
        signer: KlingSigner,
    },
}

impl Credential {
    /// The `Authorization` value for a call on `api`, or `None` when this
    /// credential cannot make it (a key pair on the current design).
    fn bearer(&self, api: KlingApi) -> Option<String> {
        let token = match (self, api) {
            (Credential::ApiKey(key), _) => key.expose().to_string(),
            (Credential::KeyPair(_), KlingApi::Current) => return None,
            (Credential::KeyPair(signer), KlingApi::Legacy) => signer.token(),
            (Credential::Simulator { api_key, .. }, KlingApi::Current) => {
                api_key.expose().to_string()
            }
            (Credential::Simulator { signer, .. }, KlingApi::Legacy) => signer.token(),
        };
        Some(format!("Bearer {token}"))
    }
}

pub struct KlingRelay {
    pub upstream: Upstream,
    pub credential: Credential,
}

impl KlingRelay {
    /// The relay for Kling's real API, signing with a key pair (legacy
    /// design only).
    pub fn http(
        base_url: String,
        access: Secret,
        secret: Secret,
        client: reqwest::Client,
    ) -> KlingRelay {
        KlingRelay::http_with(
            base_url,
            Credential::KeyPair(KlingSigner::new(access, secret)),
            client,
        )
    }

    /// The relay for Kling's real API with `credential`.
    pub fn http_with(
        base_url: String,
        credential: Credential,
        client: reqwest::Client,
    ) -> KlingRelay {
        KlingRelay {
            upstream: Upstream::Http {
                base_url: base_url.trim_end_matches('/').to_string(),
                client,
            },
            credential,
        }
    }

    /// The relay for the simulator.
    pub fn simulator(router: Router) -> KlingRelay {
        KlingRelay {
            upstream: Upstream::Simulator(router),
            credential: Credential::Simulator {
                api_key: Secret::new(SIMULATOR_API_KEY),
                signer: KlingSigner::new(
                    Secret::new(sim::ACCESS_KEY),
                    Secret::new(sim::SECRET_KEY),
                ),
            },
        }
    }

    pub fn is_simulated(&self) -> bool {
        matches!(self.upstream, Upstream::Simulator(_))
    }
}

/// The methods Kling takes on `path` (no leading `/`), or `None` when the
/// relay does not forward it at all. The list is Kling's: the current
/// design's create and `/tasks` (§0.3–0.4), the legacy video task calls
/// (§1.2), and the element and voice calls (§0.5).
pub fn allowed_methods(path: &str) -> Option<&'static [Method]> {
    const GET: &[Method] = &[Method::GET];
    const POST: &[Method] = &[Method::POST];
    const BOTH: &[Method] = &[Method::GET, Method::POST];
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["omni-video", "kling-3.0-omni"] => Some(POST),
        ["tasks"] => Some(BOTH),
        ["v1", "videos", "omni-video" | "image2video" | "text2video"] => Some(BOTH),
        ["v1", "videos", "omni-video" | "image2video" | "text2video", id] if is_id(id) => Some(GET),
        ["v1", "general", "advanced-custom-elements" | "custom-voices"] => Some(BOTH),
        ["v1", "general", "advanced-custom-elements" | "custom-voices", id] if is_id(id) => {
            Some(GET)
        }
        ["v1", "general", "advanced-presets-elements" | "presets-voices"] => Some(GET),
        ["v1", "general", "delete-advanced-elements" | "delete-voices"] => Some(POST),
        _ => None,
    }
}

/// A task id in a path: letters, digits, `-` and `_` only (so no `..`).
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// True for the paths the relay forwards (with some method).
pub fn allowed_path(path: &str) -> bool {
    allowed_methods(path).is_some()
}

/// True for the calls whose body may name stored uploads: the creates
/// of both designs, of elements and of voices (a POST that is not a
/// delete or a task list).
fn may_carry_uploads(method: &Method, path: &str) -> bool {
    method == Method::POST && path != "tasks" && !path.contains("/delete-")
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
    let Some(methods) = allowed_methods(&path) else {
        return relay_error(
            StatusCode::NOT_FOUND,
            format!(
                "the Kling relay forwards only Kling's video task, element and voice calls, not /{path}"
            ),
        );
    };
    if !methods.contains(&method) {
        let names: Vec<&str> = methods.iter().map(Method::as_str).collect();
        let mut res = relay_error(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "the Kling relay takes {} on /{path}, not {method}",
                names.join(" and ")
            ),
        );
        if let Ok(allow) = HeaderValue::from_str(&names.join(", ")) {
            res.headers_mut().insert(header::ALLOW, allow);
        }
        return res;
    }
    let api = KlingApi::of_path(&format!("/{path}"));
    let Some(bearer) = relay.credential.bearer(api) else {
        return relay_error(
            StatusCode::BAD_REQUEST,
            format!(
                "this server speaks Kling's legacy design: it holds only an access key / secret key pair, and Kling's current design (/{path}) accepts only an API key; set {} on the server to use the current design",
                crate::config::ENV_KLING_API_KEY
            ),
        );
    };
    // Stored references become URLs or raw Base64 (Kling's image fields,
    // `url` on the current design, take it); nothing is sent when one
    // cannot.
    let body = match (&resolver, may_carry_uploads(&method, &path)) {
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
    let Ok(mut bearer) = HeaderValue::from_str(&bearer) else {
        return relay_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the Kling credential holds characters that cannot go in a header",
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
    use super::*;

    #[test]
    fn each_kling_call_has_its_methods() {
        let get = [Method::GET].as_slice();
        let post = [Method::POST].as_slice();
        let both = [Method::GET, Method::POST].as_slice();
        for (path, methods) in [
            ("omni-video/kling-3.0-omni", post),
            ("tasks", both),
            ("v1/videos/omni-video", both),
            ("v1/videos/omni-video/8123", get),
            ("v1/videos/image2video/abc_d-1", get),
            ("v1/videos/text2video", both),
            ("v1/general/advanced-custom-elements", both),
            ("v1/general/advanced-custom-elements/77", get),
            ("v1/general/advanced-presets-elements", get),
            ("v1/general/delete-advanced-elements", post),
            ("v1/general/custom-voices", both),
            ("v1/general/custom-voices/v_1", get),
            ("v1/general/presets-voices", get),
            ("v1/general/delete-voices", post),
        ] {
            assert_eq!(allowed_methods(path), Some(methods), "{path}");
        }
    }

    #[test]
    fn other_paths_are_not_forwarded() {
        for path in [
            "v1/videos/omni-video/../../account/costs",
            "account/costs",
            "v1/images/generations",
            "v1/general/delete-elements",
            "v1/general/ai-multi-shot",
            "v1/videos/omni-video/1/2",
            "v1/videos/omni-video/",
            "omni-video/kling-3.0-omni/1",
            "omni-video/kling-2.6",
            "tasks/1",
            "v1/general/presets-voices/1",
            "v1/general/delete-voices/1",
            "v1/general/custom-voices/..",
            "",
        ] {
            assert!(!allowed_path(path), "{path}");
        }
    }

    #[test]
    fn a_key_pair_signs_only_the_legacy_design() {
        let pair = Credential::KeyPair(KlingSigner::new(Secret::new("ak"), Secret::new("sk")));
        assert!(pair.bearer(KlingApi::Current).is_none());
        assert!(pair
            .bearer(KlingApi::Legacy)
            .is_some_and(|b| b.starts_with("Bearer ey")));
        let key = Credential::ApiKey(Secret::new("kk-1"));
        for api in KlingApi::ALL {
            assert_eq!(key.bearer(api).as_deref(), Some("Bearer kk-1"));
        }
    }

    #[test]
    fn uploads_are_resolved_on_creates_only() {
        assert!(may_carry_uploads(
            &Method::POST,
            "omni-video/kling-3.0-omni"
        ));
        assert!(may_carry_uploads(&Method::POST, "v1/videos/omni-video"));
        assert!(may_carry_uploads(
            &Method::POST,
            "v1/general/advanced-custom-elements"
        ));
        assert!(!may_carry_uploads(&Method::POST, "tasks"));
        assert!(!may_carry_uploads(
            &Method::POST,
            "v1/general/delete-voices"
        ));
        assert!(!may_carry_uploads(&Method::GET, "v1/videos/omni-video"));
    }
}

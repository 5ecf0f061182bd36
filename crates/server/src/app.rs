//! The whole server as one router, as `serve` runs it: the API, the
//! simulator, uploads, `/healthz`, `/readyz`, `/metrics` and the static
//! app, behind the layers every response passes: a request id, a tracing
//! span, metrics, `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: no-referrer`.
//!
//! Serve it with `into_make_service_with_connect_info::<SocketAddr>()`:
//! the per-client limits key on the peer address (see [`crate::guard`]).

use std::path::Path;
use std::sync::Arc;

use axum::extract::MatchedPath;
use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::api::Api;
use crate::guard::{access, limits, origin, GuardConfig};
use crate::health::{self, Readiness};
use crate::metrics::{self, Metrics};
use crate::{request_id, static_files};

/// The app router for `api` and the built app in `dist`, with the
/// default guards. Call inside a runtime (it starts upkeep tasks).
pub fn router(api: Api, dist: &Path) -> Router {
    router_with(api, dist, &GuardConfig::default())
}

/// [`router`] with the guards `guard` sets up. Outermost first: the
/// request id, its span, metrics (so refusals are counted and carry the
/// id), the origin check and CORS, the access token, the job cap, the
/// request timeout, then, on the API's own routes only, the rate limit.
pub fn router_with(mut api: Api, dist: &Path, guard: &GuardConfig) -> Router {
    let metrics = Metrics::new();
    metrics.spawn_upkeep();
    let readiness = Arc::new(Readiness {
        uploads: api.uploads.clone(),
        kling: if api.kling.is_simulated() {
            "simulator"
        } else {
            "api"
        },
    });
    let simulator = api.simulator.clone();
    let scrape = metrics.clone();
    let metrics_route = Router::new().route(
        "/metrics",
        get(move || {
            let jobs = simulator
                .as_ref()
                .map(|s| s.task_counts())
                .unwrap_or_default();
            let res = metrics::answer(&scrape, &jobs);
            async move { res }
        }),
    );
    api.access_token_required = guard.access_token.is_some();
    let mut app = limits::rate_limited(api.router(), guard.rate_limit_per_minute)
        .merge(health::router(readiness))
        .merge(metrics_route)
        .merge(static_files::router(dist));
    if let Some(t) = guard.request_timeout {
        app = app.layer(from_fn_with_state(t, limits::timeout));
    }
    if guard.max_jobs_per_client > 0 {
        let cap = Arc::new(limits::JobCap::new(guard.max_jobs_per_client));
        app = app.layer(from_fn_with_state(cap, limits::job_cap));
    }
    if let Some(token) = &guard.access_token {
        let token = Arc::new(access::AccessToken::new(token));
        app = app.layer(from_fn_with_state(token, access::require));
    }
    if !guard.allowed_origins.is_empty() {
        let origins = Arc::new(origin::Origins::new(guard.allowed_origins.clone()));
        app = app
            .layer(origin::cors(&guard.allowed_origins))
            .layer(from_fn_with_state(origins, origin::check));
    }
    app.layer(from_fn_with_state(metrics, metrics::track))
        .layer(from_fn(request_id::scope))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(from_fn(request_id::drop_invalid))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// The request's span: method, route template, path (never the query:
/// it may carry a signed URL) and request id.
fn span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(metrics::STATIC_ROUTE, MatchedPath::as_str);
    let id = req
        .extensions()
        .get::<tower_http::request_id::RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %req.method(),
        route,
        path = req.uri().path(),
        request_id = id,
    )
}

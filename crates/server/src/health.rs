//! `GET /healthz`: the process is up (200 `ok`). `GET /readyz`: it can do
//! its work: 200 when the upload store (if this server keeps uploads) can
//! be reached and Kling's upstream (its API or the simulator) is set up,
//! else 503 with the reason. Neither calls a provider.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::uploads::Uploads;

/// What `/readyz` looks at.
pub struct Readiness {
    pub uploads: Option<Arc<Uploads>>,
    /// `"simulator"` or `"api"`.
    pub kling: &'static str,
}

pub fn router(readiness: Arc<Readiness>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .with_state(readiness)
}

async fn ready(State(r): State<Arc<Readiness>>) -> Response {
    let uploads = match &r.uploads {
        None => Ok("not kept"),
        Some(u) => u.reachable().await.map(|()| "ok"),
    };
    match uploads {
        Ok(state) => Json(json!({
            "ready": true,
            "checks": {"uploads": state, "kling": r.kling},
        }))
        .into_response(),
        Err(detail) => {
            tracing::warn!(%detail, "readyz: the upload store cannot be reached");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({
                    "ready": false,
                    "reason": "the upload store cannot be reached (see the server log)",
                    "checks": {"uploads": "unreachable", "kling": r.kling},
                })),
            )
                .into_response()
        }
    }
}

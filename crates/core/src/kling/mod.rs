//! Kling's own API: the exact request body on each of its two designs
//! (providers.md §0). `current.rs` writes `{contents, settings, options}`
//! for `POST /omni-video/kling-3.0-omni`, `legacy.rs` the `model_name`
//! body for `POST /v1/videos/omni-video`; which one follows
//! [`RequestOptions::kling_api`]. What is sent comes from the plans in
//! `crate::plan`, which the rules check too.

mod current;
mod legacy;

use crate::board::{Board, Provider};
use crate::options::KlingApi;
use crate::request::{self, ProviderRequest, RequestError, RequestOptions};

pub use crate::options::KLING_BASE_URL as DEFAULT_BASE_URL;
/// The current design's create path for 3.0 Omni.
pub const CURRENT_OMNI_PATH: &str = "/omni-video/kling-3.0-omni";
/// The current design's one place to query tasks (GET by ids, POST to list).
pub const TASKS_PATH: &str = "/tasks";
/// The legacy design's Omni path.
pub const OMNI_PATH: &str = "/v1/videos/omni-video";
/// The model the legacy design names in its body.
pub const OMNI_MODEL: &str = "kling-v3-omni";

/// The create path on a design.
pub fn create_path(api: KlingApi) -> &'static str {
    match api {
        KlingApi::Current => CURRENT_OMNI_PATH,
        KlingApi::Legacy => OMNI_PATH,
    }
}

/// The request for `board` on Kling's API, on the design the options
/// name; refused if the board has errors under Kling's rules (whatever
/// provider the board names).
pub fn request(board: &Board, opts: &RequestOptions) -> Result<ProviderRequest, RequestError> {
    request::refuse_errors(board, Provider::Kling, opts)?;
    let body = match opts.kling_api {
        KlingApi::Current => current::body(board, opts)?,
        KlingApi::Legacy => legacy::body(board, opts)?,
    };
    Ok(ProviderRequest {
        method: "POST".into(),
        url: format!(
            "{}{}",
            opts.kling_base_url.trim_end_matches('/'),
            create_path(opts.kling_api)
        ),
        body,
    })
}

//! What keeps an exposed server safe, as layers `app::router` puts in
//! front of the API:
//!
//! - `access.rs`: `--access-token`; `/api/...` (but `/api/status`) and
//!   `/metrics` need it.
//! - `origin.rs`: `--allow-origin`; CORS for those origins only, and 403
//!   for an `/api/...` call from any other (same-origin calls pass).
//! - `limits.rs`: a request timeout, a per-client rate limit and a cap on
//!   job creations in flight per client.
//!
//! Body size limits are per route, in `api.rs` and `uploads`.

pub mod access;
pub mod limits;
pub mod origin;

use std::time::Duration;

use crate::config::Secret;

/// Environment variables read for these flags.
pub const ENV_ACCESS_TOKEN: &str = "STORYREEL_ACCESS_TOKEN";
pub const ENV_ALLOW_ORIGINS: &str = "STORYREEL_ALLOW_ORIGINS";

/// The defaults of the flags.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 600;
pub const DEFAULT_MAX_JOBS_PER_CLIENT: usize = 8;
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;

/// How the guards are set up.
#[derive(Debug, Clone)]
pub struct GuardConfig {
    /// `--access-token`: when set, the API needs it.
    pub access_token: Option<Secret>,
    /// `--allow-origin`: origins (`scheme://host[:port]`) that may call
    /// the API from a browser; empty means no CORS and no origin check.
    pub allowed_origins: Vec<String>,
    /// Requests a minute per client address to the API; 0 = no limit.
    pub rate_limit_per_minute: u32,
    /// Job creations in flight at once per client address; 0 = no cap.
    pub max_jobs_per_client: usize,
    /// How long a request may take to be answered (not the streaming of
    /// the answer); `None` = no limit. Uploads and file downloads are
    /// exempt.
    pub request_timeout: Option<Duration>,
}

impl Default for GuardConfig {
    fn default() -> Self {
        GuardConfig {
            access_token: None,
            allowed_origins: Vec::new(),
            rate_limit_per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
            max_jobs_per_client: DEFAULT_MAX_JOBS_PER_CLIENT,
            request_timeout: Some(Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECS)),
        }
    }
}

/// True for the paths the API guards cover: `/api/...`.
pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

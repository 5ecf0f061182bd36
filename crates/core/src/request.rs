//! A provider request as data, and the options that shape it.

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::board::Provider;
use crate::problem::Problem;

/// What would be sent: method, full URL and JSON body. Holds no secrets;
/// the server adds authentication when it relays the request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderRequest {
    pub method: String,
    pub url: String,
    pub body: Value,
}

/// Settings that are not part of the board.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestOptions {
    /// Kling's API host, without a trailing slash.
    pub kling_base_url: String,
    /// Where the server publishes uploads (`upload:<sha256>` becomes
    /// `<base>/<sha256>`); without it a board with uploads cannot be mapped.
    pub upload_base_url: Option<String>,
    /// Our own id for the task, unique per account (makes retries safe).
    pub external_task_id: Option<String>,
    pub callback_url: Option<String>,
}

impl Default for RequestOptions {
    fn default() -> RequestOptions {
        RequestOptions {
            kling_base_url: crate::kling::DEFAULT_BASE_URL.to_string(),
            upload_base_url: None,
            external_task_id: None,
            callback_url: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum RequestError {
    #[error("the board has {} error{} and cannot be sent", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Problem>),
    #[error("reference '{name}' is stored on this server; set a public upload URL so the provider can fetch it")]
    UploadNeedsPublicUrl { name: String },
    #[error("request mapping for {} is not available in this version", .0.label())]
    ProviderNotMapped(Provider),
}

/// The request for the board's own provider.
pub fn for_board(
    board: &crate::Board,
    opts: &RequestOptions,
) -> Result<ProviderRequest, RequestError> {
    for_provider(board.provider, board, opts)
}

/// The request a board maps to for `provider`.
pub fn for_provider(
    provider: Provider,
    board: &crate::Board,
    opts: &RequestOptions,
) -> Result<ProviderRequest, RequestError> {
    match provider {
        Provider::Kling => crate::kling::request(board, opts),
        other => Err(RequestError::ProviderNotMapped(other)),
    }
}

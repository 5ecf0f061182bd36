//! A provider request as data, and the options that shape it.

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::board::{Board, Provider};
use crate::problem::Problem;
use crate::reference::Reference;

pub use crate::options::{FalOptions, KlingApi, ReplicateOptions, RequestOptions, UploadsMode};
pub use crate::plan::{is_mentioned, reference_images};

/// What would be sent: method, full URL and JSON body. Holds no secrets;
/// the server adds authentication when it relays the request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderRequest {
    pub method: String,
    pub url: String,
    pub body: Value,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum RequestError {
    #[error("the board has {} error{} and cannot be sent", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Problem>),
    #[error("reference '{name}' is stored on this server; set a public upload URL so the provider can fetch it")]
    UploadNeedsPublicUrl { name: String },
    #[error("reference '{name}' is stored on this server, but {provider} is called directly with your own key, so the server cannot hand the file over; clear your own {provider} key (the server then relays the request) or start the server with --public-base-url")]
    UploadBypassesServer {
        name: String,
        provider: &'static str,
    },
}

/// The errors of `board` on `provider`, as the mappers refuse it.
pub(crate) fn refuse_errors(
    board: &Board,
    provider: Provider,
    opts: &RequestOptions,
) -> Result<(), RequestError> {
    let report = crate::rules::check_for(board, provider, opts);
    if report.has_errors() {
        return Err(RequestError::Invalid(report.errors().cloned().collect()));
    }
    Ok(())
}

/// What is sent for `src`: `upload:<sha256>` becomes
/// `<base>/<sha256>` with a public base, stays as written when the
/// server's relay resolves it, and is refused otherwise; anything else is
/// sent as written.
pub(crate) fn public_url(
    reference: &Reference,
    src: &str,
    opts: &RequestOptions,
) -> Result<String, RequestError> {
    sendable_src(src, &opts.uploads).ok_or_else(|| RequestError::UploadNeedsPublicUrl {
        name: reference.name.clone(),
    })
}

/// What is sent for `src` under `uploads` (see [`public_url`]); `None`
/// when it is an upload that cannot be sent this way. Shared by the board
/// mappers and the character's element request.
pub(crate) fn sendable_src(src: &str, uploads: &UploadsMode) -> Option<String> {
    match src.strip_prefix("upload:") {
        Some(hash) => match uploads {
            UploadsMode::PublicBase(base) => Some(format!("{}/{hash}", base.trim_end_matches('/'))),
            UploadsMode::ResolvedByServer => Some(src.to_string()),
            UploadsMode::Refuse => None,
        },
        None => Some(src.to_string()),
    }
}

/// Every image and video of the cast can reach the provider (see
/// [`public_url`]); the first upload that cannot (in cast order) is named.
pub(crate) fn uploads_reachable(board: &Board, opts: &RequestOptions) -> Result<(), RequestError> {
    for r in &board.references {
        if let Some(src) = r.src() {
            public_url(r, src, opts)?;
        }
    }
    Ok(())
}

//! A provider request as data, and the options that shape it.

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::board::{Board, Provider};
use crate::mention;
use crate::problem::Problem;
use crate::reference::{Reference, ReferenceKind};

pub use crate::options::{FalOptions, KlingApi, ReplicateOptions, RequestOptions, UploadsMode};

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

/// A sentence for the editor: where the board's request goes on its provider.
pub fn destination(board: &Board) -> &'static str {
    match board.provider {
        Provider::Kling => crate::kling::Route::of(board).describe(),
        Provider::Fal => crate::fal::Endpoint::of(board).describe(),
        Provider::Replicate => "Replicate kwaivgi/kling-v3-omni-video",
    }
}

/// The request for the board's own provider.
pub fn for_board(board: &Board, opts: &RequestOptions) -> Result<ProviderRequest, RequestError> {
    for_provider(board.provider, board, opts)
}

/// The request a board maps to for `provider` (checked against that
/// provider's rules, whatever `board.provider` says).
pub fn for_provider(
    provider: Provider,
    board: &Board,
    opts: &RequestOptions,
) -> Result<ProviderRequest, RequestError> {
    match provider {
        Provider::Kling => crate::kling::request(board, opts),
        Provider::Fal => crate::fal::request(board, opts),
        Provider::Replicate => crate::replicate::request(board, opts),
    }
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
    match src.strip_prefix("upload:") {
        Some(hash) => match &opts.uploads {
            UploadsMode::PublicBase(base) => Ok(format!("{}/{hash}", base.trim_end_matches('/'))),
            UploadsMode::ResolvedByServer => Ok(src.to_string()),
            UploadsMode::Refuse => Err(RequestError::UploadNeedsPublicUrl {
                name: reference.name.clone(),
            }),
        },
        None => Ok(src.to_string()),
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

/// The overall direction in front of a shot's prompt, both trimmed.
/// `text` with each known mention spelled by `tag`; names `tag` declines
/// are left as written.
pub(crate) fn spelled(board: &Board, text: &str, tag: &dyn Fn(&str) -> Option<String>) -> String {
    let known = |n: &str| board.reference(n).is_some();
    mention::rewrite(text, &known, tag)
}

/// Each shot's prompt as a provider receives it (one entry for a
/// single-shot board): mentions spelled by `tag`, the overall direction in
/// front.
pub(crate) fn sent_prompts_with(
    board: &Board,
    tag: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    let overall = spelled(board, &board.prompt, tag);
    board
        .shots
        .iter()
        .map(|s| joined(&overall, &spelled(board, &s.prompt, tag)))
        .collect()
}

/// The spelling of providers that cite reference images by their position
/// in the list sent (`@Image2`, `<<<image_2>>>`). Elements are refused by
/// the rules of those providers, so they are left as written.
pub(crate) fn positional_tag(
    board: &Board,
    images: &[&Reference],
    name: &str,
    image: fn(usize) -> String,
    video: &str,
) -> Option<String> {
    match board.reference(name)?.kind {
        ReferenceKind::Image { .. } => images
            .iter()
            .position(|r| r.name == name)
            .map(|i| image(i + 1)),
        ReferenceKind::Element { .. } => None,
        ReferenceKind::Video { .. } => Some(video.to_string()),
    }
}

pub(crate) fn joined(overall: &str, shot: &str) -> String {
    match (overall.trim(), shot.trim()) {
        ("", s) => s.to_string(),
        (o, "") => o.to_string(),
        (o, s) => format!("{o} {s}"),
    }
}

/// Whether `@name` appears in the overall prompt or in any shot prompt.
pub fn is_mentioned(board: &Board, name: &str) -> bool {
    let known = |n: &str| board.reference(n).is_some();
    std::iter::once(board.prompt.as_str())
        .chain(board.shots.iter().map(|s| s.prompt.as_str()))
        .any(|text| {
            mention::find(text, &known)
                .iter()
                .any(|m| m.known && m.name == name)
        })
}

/// The images fal (`image_urls`) and Replicate (`reference_images`) receive
/// as references, in cast order: every image except one that is only a
/// frame. A first or last frame goes in its own field (`start_image_url` /
/// `start_image` …); it is also sent as a reference image when a prompt
/// mentions it, so that the mention has an entry to point at.
pub fn reference_images(board: &Board) -> Vec<&Reference> {
    let is_frame = |name: &str| {
        board.first_frame.as_deref() == Some(name) || board.last_frame.as_deref() == Some(name)
    };
    board
        .images()
        .filter(|r| !is_frame(&r.name) || is_mentioned(board, &r.name))
        .collect()
}

/// The image a frame field names, if it names one.
pub(crate) fn frame<'b>(board: &'b Board, name: &Option<String>) -> Option<&'b Reference> {
    name.as_deref().and_then(|n| board.reference(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::Shot;

    #[test]
    fn destination_follows_the_provider_and_the_board() {
        let mut b = Board {
            shots: vec![Shot::new("a", 3), Shot::new("b", 3)],
            ..Board::default()
        };
        assert_eq!(destination(&b), "Kling 3.0 Omni, multi-shot");
        b.provider = Provider::Fal;
        assert_eq!(destination(&b), "fal Kling O3 text-to-video");
        b.references
            .push(Reference::image("mia", "https://example.com/mia.png"));
        assert_eq!(destination(&b), "fal Kling O3 reference-to-video");
        b.provider = Provider::Replicate;
        assert!(destination(&b).starts_with("Replicate"));
    }
}

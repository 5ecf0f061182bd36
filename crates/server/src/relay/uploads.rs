//! `upload:<sha256>` in a create body, resolved before the relay forwards
//! it. The app sends that string for a reference stored on this server
//! when it knows no public address for uploads; the provider cannot fetch
//! it, so the relay replaces every JSON string that is exactly
//! `upload:<64 lowercase hex>`:
//!
//! 1. with `<--public-base-url>/uploads/<sha256>` when the server has one;
//! 2. else, for an image, with its bytes: raw Base64 for Kling (its image
//!    fields take Base64 with no `data:` prefix, ≤ 10 MB), a
//!    `data:<type>;base64,...` URI for fal and Replicate (switchable with
//!    `--inline-uploads-as-data-uri`: fal documents data URIs, Replicate's
//!    support is unconfirmed);
//! 3. else it is refused (400): providers fetch reference videos by URL
//!    only, so a video needs `--public-base-url`.
//!
//! The body is parsed only when it contains `"upload:`. What is inlined is
//! bounded ([`MAX_INLINE_BYTES`]); Base64 is never logged.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use futures_util::StreamExt;
use serde_json::Value;

use super::relay_error;
use crate::uploads::{is_sha256_hex, UploadError, Uploads, IMAGE_MAX_BYTES};

/// The most image bytes one request may carry inlined: Kling's seven
/// images and elements of at most 10 MiB each.
pub const MAX_INLINE_BYTES: u64 =
    storyreel_core::limits::MAX_IMAGES_AND_ELEMENTS as u64 * IMAGE_MAX_BYTES;

/// The largest create body a relay may forward once images are inlined
/// (Base64 is 4/3 of the bytes; 1 MiB for the rest of the JSON). The
/// simulator takes bodies this large.
pub const MAX_RESOLVED_BODY_BYTES: usize =
    (MAX_INLINE_BYTES as usize).div_ceil(3) * 4 + 1024 * 1024;

/// Why a body was not forwarded: the relay's error JSON with `status`.
#[derive(Debug)]
pub struct Refused {
    pub status: StatusCode,
    pub message: String,
}

impl Refused {
    fn bad(message: String) -> Refused {
        Refused {
            status: StatusCode::BAD_REQUEST,
            message,
        }
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        relay_error(self.status, self.message)
    }
}

/// How a provider takes an image inlined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inline {
    /// Kling: raw Base64, no `data:` prefix.
    RawBase64,
    /// fal, Replicate: `data:<content type>;base64,...`.
    DataUri,
}

/// What the relays know of uploads.
#[derive(Clone, Default)]
pub struct UploadResolver {
    uploads: Option<Arc<Uploads>>,
    /// fal and Replicate may get images as data URIs
    /// (`--inline-uploads-as-data-uri`).
    data_uri: bool,
}

impl UploadResolver {
    pub fn new(uploads: Option<Arc<Uploads>>, data_uri: bool) -> UploadResolver {
        UploadResolver { uploads, data_uri }
    }

    /// `body` with every `upload:<sha256>` string resolved for
    /// `provider` (its display name, for messages), or the relay's 400.
    /// A body without `"upload:` (or that is not JSON) comes back as it is.
    pub async fn resolve(
        &self,
        provider: &'static str,
        inline: Inline,
        body: Bytes,
    ) -> Result<Bytes, Refused> {
        if !contains(&body, b"\"upload:") {
            return Ok(body);
        }
        let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
            return Ok(body);
        };
        let mut found = Vec::new();
        collect(&value, &mut found);
        if found.is_empty() {
            return Ok(body);
        }
        // sha → (what is sent, the bytes it inlines)
        let mut done: HashMap<String, (String, u64)> = HashMap::new();
        let mut inlined: u64 = 0;
        for sha in found {
            let size = match done.get(&sha) {
                Some((_, size)) => *size,
                None => {
                    let (text, size) = self.one(provider, inline, &sha, inlined).await?;
                    done.insert(sha, (text, size));
                    size
                }
            };
            // Each use is sent, so each counts.
            inlined += size;
            check_total(provider, inlined)?;
        }
        let done: HashMap<String, String> = done.into_iter().map(|(k, (t, _))| (k, t)).collect();
        replace(&mut value, &done);
        serde_json::to_vec(&value)
            .map(Bytes::from)
            .map_err(|e| Refused {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: format!("the request could not be written again: {e}"),
            })
    }

    /// What `upload:<sha>` becomes, and the bytes it inlines (0 for a
    /// URL); `inlined` is what the request already inlines.
    async fn one(
        &self,
        provider: &'static str,
        inline: Inline,
        sha: &str,
        inlined: u64,
    ) -> Result<(String, u64), Refused> {
        let short = &sha[..12];
        let bad = |message: String| Err(Refused::bad(message));
        let Some(uploads) = &self.uploads else {
            return bad(format!(
                "reference upload:{short}… cannot be sent to {provider}: this server keeps no uploads"
            ));
        };
        let found = match uploads.find(sha).await {
            Ok(f) => f,
            Err(UploadError::NotFound) => {
                return bad(format!(
                    "reference upload:{short}… is not stored on this server (it may have been uploaded elsewhere); upload the file again"
                ))
            }
            Err(e) => return Err(store_failed(short, &e)),
        };
        if uploads.public_base_url().is_some() {
            return Ok((format!("{}/{sha}", uploads.url_base()), 0));
        }
        if found.kind.is_audio() {
            return bad(format!(
                "upload:{short}… is a voice clip stored on this server, and {provider} fetches voice clips by URL only: the server needs --public-base-url (an address {provider} can reach)"
            ));
        }
        if !found.kind.is_image() {
            return bad(format!(
                "reference upload:{short}… is a video stored on this server, and {provider} fetches reference videos by URL only: the server needs --public-base-url (an address {provider} can reach)"
            ));
        }
        if inline == Inline::DataUri && !self.data_uri {
            return bad(format!(
                "reference upload:{short}… is an image stored on this server and {provider} needs a URL for it: start the server with --public-base-url (or --inline-uploads-as-data-uri true)"
            ));
        }
        if found.size > IMAGE_MAX_BYTES {
            return bad(format!(
                "reference upload:{short}… is {} and images sent inline may be at most {}",
                crate::uploads::human_bytes(found.size),
                crate::uploads::human_bytes(IMAGE_MAX_BYTES)
            ));
        }
        // Refused before anything is read.
        check_total(provider, inlined + found.size)?;
        let bytes = read_all(uploads, sha, found.size)
            .await
            .map_err(|e| store_failed(short, &e))?;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
        tracing::info!(
            provider,
            sha256 = short,
            bytes = bytes.len(),
            "relay: an upload is sent inline"
        );
        let text = match inline {
            Inline::RawBase64 => b64,
            Inline::DataUri => format!("data:{};base64,{b64}", found.kind.content_type()),
        };
        Ok((text, bytes.len() as u64))
    }
}

fn check_total(provider: &'static str, inlined: u64) -> Result<(), Refused> {
    if inlined > MAX_INLINE_BYTES {
        return Err(Refused::bad(format!(
                "the images stored on this server add up to more than {} sent inline in one request to {provider}; start the server with --public-base-url so {provider} fetches them by URL",
            crate::uploads::human_bytes(MAX_INLINE_BYTES)
        )));
    }
    Ok(())
}

fn store_failed(short: &str, e: &UploadError) -> Refused {
    tracing::error!(sha256 = short, error = %e, "relay: a stored upload could not be read");
    Refused {
        status: StatusCode::BAD_GATEWAY,
        message: format!(
            "reference upload:{short}… could not be read from this server's store; try again"
        ),
    }
}

async fn read_all(uploads: &Uploads, sha: &str, size: u64) -> Result<Vec<u8>, UploadError> {
    let mut stream = uploads.read(sha, None).await?;
    let mut out = Vec::with_capacity(size as usize);
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk?);
        if out.len() as u64 > IMAGE_MAX_BYTES {
            break;
        }
    }
    Ok(out)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The sha of `upload:<64 lowercase hex>`.
fn upload_sha(s: &str) -> Option<&str> {
    s.strip_prefix("upload:")
        .filter(|h| h.len() == 64 && is_sha256_hex(h))
}

/// Every upload's sha, in document order (repeats kept).
fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            if let Some(sha) = upload_sha(s) {
                out.push(sha.to_string());
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect(i, out)),
        _ => {}
    }
}

fn replace(v: &mut Value, done: &HashMap<String, String>) {
    match v {
        Value::String(s) => {
            if let Some(text) = upload_sha(s).and_then(|sha| done.get(sha)) {
                *s = text.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| replace(i, done)),
        Value::Object(map) => map.values_mut().for_each(|i| replace(i, done)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_upload_strings_are_found() {
        let sha = "a".repeat(64);
        let v = serde_json::json!({
            "prompt": format!("see upload:{sha}"),
            "image_list": [{"image_url": format!("upload:{sha}")}, {"image_url": "https://x/y.png"}],
            "video_list": [{"video_url": format!("upload:{}", "B".repeat(64))}],
            "image": format!("upload:{}", "b".repeat(63)),
        });
        let mut found = Vec::new();
        collect(&v, &mut found);
        assert_eq!(found, vec![sha.clone()]);
        let mut v = v;
        replace(&mut v, &HashMap::from([(sha.clone(), "X".to_string())]));
        assert_eq!(v["image_list"][0]["image_url"], "X");
        assert_eq!(v["prompt"], format!("see upload:{sha}"));
    }

    #[test]
    fn the_body_bound_holds_seven_inlined_images() {
        assert!(MAX_RESOLVED_BODY_BYTES as u64 > MAX_INLINE_BYTES / 3 * 4);
    }
}

//! Why an upload, or reading one, failed, and the JSON the browser gets:
//! the relays' shape (`{"error": "...", "relay": true}`, the server's own
//! error, not a provider's), with the numbers a client may want beside it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::sniff::ACCEPTED;

/// A size limit and what it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    pub applies_to: LimitOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitOf {
    /// JPEG and PNG: the board format's image limit (or the server's, if
    /// smaller).
    Images,
    /// MP4 and MOV: the server's `--upload-max-bytes`.
    Videos,
    /// Any file, before its kind is known: `--upload-max-bytes`.
    Files,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.applies_to {
            LimitOf::Images => "images",
            LimitOf::Videos => "videos",
            LimitOf::Files => "files",
        };
        write!(f, "{what} may be at most {}", human_bytes(self.bytes))
    }
}

/// `10 MiB (10485760 bytes)`, or `1000 bytes`.
pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB ({n} bytes)", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the upload is empty: send the file's bytes as the request body")]
    Empty,
    #[error(
        "this is {found}, which Storyreel does not store: upload a JPEG or PNG image, an MP4 or MOV video, or an MP3 or WAV voice clip"
    )]
    Unsupported { found: String },
    #[error("the file is too large: {limit}, and this one {}", size_text(*.size, *.declared))]
    TooLarge {
        limit: Limit,
        /// The size the request declared, or how far it got before it was
        /// stopped.
        size: u64,
        declared: bool,
    },
    #[error("the upload was cut off before its end ({0}); nothing was stored")]
    Interrupted(String),
    #[error("an upload is named by its SHA-256: 64 lowercase hex digits")]
    BadName,
    #[error("no upload by that name")]
    NotFound,
    #[error("the requested range is outside the file ({size} bytes)")]
    Range { size: u64 },
    /// The store failed; the details (paths) go to the log, not the client.
    #[error("the upload store failed; nothing was stored, try again")]
    Store(#[from] object_store::Error),
    #[error("a stored upload is not a file the server takes; it may have been changed on disk")]
    Damaged,
}

fn size_text(size: u64, declared: bool) -> String {
    if declared {
        format!("is {size} bytes")
    } else {
        format!("reached {size} bytes before it was stopped")
    }
}

impl UploadError {
    pub fn status(&self) -> StatusCode {
        match self {
            UploadError::Empty | UploadError::Interrupted(_) | UploadError::BadName => {
                StatusCode::BAD_REQUEST
            }
            UploadError::Unsupported { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UploadError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            UploadError::NotFound => StatusCode::NOT_FOUND,
            UploadError::Range { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            UploadError::Store(_) | UploadError::Damaged => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for UploadError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut body = crate::relay::error_body(self.to_string());
        match &self {
            UploadError::Unsupported { found } => {
                body.found = Some(found.clone());
                body.accepted = Some(ACCEPTED.iter().map(|t| t.to_string()).collect());
            }
            UploadError::TooLarge { limit, size, .. } => {
                body.limit = Some(limit.bytes);
                body.size = Some(*size);
            }
            UploadError::Store(e) => {
                let error = crate::config::redact::scrub(&e.to_string());
                tracing::error!(%error, "uploads: store failed")
            }
            UploadError::Damaged => tracing::error!("uploads: a stored object is not a known type"),
            _ => {}
        }
        let mut res = (status, Json(body)).into_response();
        if let UploadError::Range { size } = self {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limit_and_the_size() {
        let e = UploadError::TooLarge {
            limit: Limit {
                bytes: 10 * 1024 * 1024,
                applies_to: LimitOf::Images,
            },
            size: 10 * 1024 * 1024 + 1,
            declared: true,
        };
        assert_eq!(
            e.to_string(),
            "the file is too large: images may be at most 10 MiB (10485760 bytes), and this one is 10485761 bytes"
        );
        let e = UploadError::TooLarge {
            limit: Limit {
                bytes: 1000,
                applies_to: LimitOf::Files,
            },
            size: 1024,
            declared: false,
        };
        assert!(e.to_string().contains("at most 1000 bytes"), "{e}");
        assert!(e.to_string().contains("reached 1024 bytes"), "{e}");
    }
}

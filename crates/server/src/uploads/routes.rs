//! The HTTP side: `POST /api/uploads` and `GET`/`HEAD /uploads/{sha256}`.

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::{Stream, StreamExt};
use storyreel_core::wire::Uploaded;

use super::error::UploadError;
use super::store::{is_sha256_hex, Found, Uploads};

/// After a refusal, what is left of the body is read and dropped (up to
/// this much, for up to [`DRAIN_TIME`]) so the client, still sending, gets
/// the answer instead of a reset connection.
const DRAIN_BYTES: u64 = 32 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(5);

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `POST /api/uploads`: the file is the whole body.
pub async fn upload(
    State(uploads): State<Arc<Uploads>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut stream = body.into_data_stream();
    match uploads.put_stream(declared, &mut stream).await {
        Ok(stored) => {
            let url = format!("{}/{}", uploads.url_base(), stored.sha256);
            let status = if stored.new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            tracing::info!(sha256 = %stored.sha256, bytes = stored.bytes, new = stored.new, "uploads: stored");
            let mut res = (
                status,
                Json(Uploaded {
                    reference: format!("upload:{}", stored.sha256),
                    sha256: stored.sha256.clone(),
                    bytes: stored.bytes,
                    content_type: stored.kind.content_type().to_string(),
                    url: url.clone(),
                }),
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&url) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        Err(e) => {
            if matches!(
                e,
                UploadError::TooLarge { .. } | UploadError::Unsupported { .. }
            ) {
                drain(&mut stream).await;
            }
            e.into_response()
        }
    }
}

/// Reads and drops the rest of a refused body, within limits.
async fn drain<S, E>(stream: &mut S)
where
    S: Stream<Item = Result<bytes::Bytes, E>> + Unpin,
{
    let _ = tokio::time::timeout(DRAIN_TIME, async {
        let mut seen = 0u64;
        while let Some(Ok(chunk)) = stream.next().await {
            seen += chunk.len() as u64;
            if seen > DRAIN_BYTES {
                break;
            }
        }
    })
    .await;
}

/// `GET` and `HEAD /uploads/{sha256}`, with single byte ranges. Anything
/// but 64 lowercase hex digits is refused before the store is asked.
pub async fn download(
    State(uploads): State<Arc<Uploads>>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    if !is_sha256_hex(&name) {
        return UploadError::BadName.into_response();
    }
    match answer(&uploads, &name, &method, &headers).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

async fn answer(
    uploads: &Uploads,
    sha256: &str,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Response, UploadError> {
    let Found { size, kind } = uploads.find(sha256).await?;
    let etag = format!("\"{sha256}\"");
    let mut out = HeaderMap::new();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            out.insert(name, v);
        }
    };
    set(header::CONTENT_TYPE, kind.content_type());
    set(header::CACHE_CONTROL, IMMUTABLE);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::ETAG, &etag);
    set(header::ACCEPT_RANGES, "bytes");

    if if_none_match(headers, &etag) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        *res.headers_mut() = out;
        return Ok(res);
    }
    // `If-Range` with another validator asks for the whole file.
    let range_header = match headers.get(header::IF_RANGE) {
        Some(v) if v.as_bytes() != etag.as_bytes() => None,
        _ => headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
    };
    let (status, range) = match range_header.map(|r| parse_range(r, size)) {
        None | Some(Requested::Ignored) => (StatusCode::OK, None),
        Some(Requested::Unsatisfiable) => return Err(UploadError::Range { size }),
        Some(Requested::Part(r)) => (StatusCode::PARTIAL_CONTENT, Some(r)),
    };
    let length = match &range {
        Some(r) => {
            set(
                header::CONTENT_RANGE,
                &format!("bytes {}-{}/{size}", r.start, r.end - 1),
            );
            r.end - r.start
        }
        None => size,
    };
    set(header::CONTENT_LENGTH, &length.to_string());

    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        let stream = uploads.read(sha256, range).await?;
        Body::from_stream(stream.map(|c| c.map_err(std::io::Error::other)))
    };
    let mut res = Response::new(body);
    *res.status_mut() = status;
    *res.headers_mut() = out;
    Ok(res)
}

fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Requested {
    /// One satisfiable range (end exclusive).
    Part(Range<u64>),
    /// A range that starts past the end.
    Unsatisfiable,
    /// Malformed, another unit, or several ranges: the whole file is sent
    /// (RFC 9110 lets a server ignore `Range`).
    Ignored,
}

fn parse_range(value: &str, size: u64) -> Requested {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Requested::Ignored;
    };
    if spec.contains(',') {
        return Requested::Ignored;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Requested::Ignored;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // `-N`: the last N bytes.
        (true, _, Some(n)) => {
            if n == 0 || size == 0 {
                Requested::Unsatisfiable
            } else {
                Requested::Part(size.saturating_sub(n)..size)
            }
        }
        // `A-` or `A-B`.
        (false, Some(a), b) if last.trim().is_empty() || b.is_some() => {
            if b.is_some_and(|b| b < a) {
                Requested::Ignored
            } else if a >= size {
                Requested::Unsatisfiable
            } else {
                let end = b.map_or(size, |b| b.saturating_add(1).min(size));
                Requested::Part(a..end)
            }
        }
        _ => Requested::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use Requested::*;
        assert_eq!(parse_range("bytes=0-99", 1000), Part(0..100));
        assert_eq!(parse_range("bytes=900-", 1000), Part(900..1000));
        assert_eq!(parse_range("bytes=900-5000", 1000), Part(900..1000));
        assert_eq!(parse_range("bytes=-100", 1000), Part(900..1000));
        assert_eq!(parse_range("bytes=-5000", 1000), Part(0..1000));
        assert_eq!(parse_range("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 1000), Unsatisfiable);
        assert_eq!(parse_range("bytes=5-1", 1000), Ignored);
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), Ignored);
        assert_eq!(parse_range("items=0-1", 1000), Ignored);
        assert_eq!(parse_range("bytes=a-b", 1000), Ignored);
        assert_eq!(parse_range("bytes=+1-2", 1000), Ignored);
        assert_eq!(parse_range("bytes=-", 1000), Ignored);
    }

    #[test]
    fn etags_match_in_lists() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert!(if_none_match(&h, "\"abc\""));
        assert!(!if_none_match(&h, "\"abd\""));
    }
}

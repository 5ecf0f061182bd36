//! `GET /api/media?url=<encoded>`: fetches a finished clip for the browser
//! when the provider's CDN refuses cross-origin reads. Only https URLs on
//! the listed host suffixes (plus an allow-list for tests) are fetched,
//! redirects are followed only to such hosts, and only media types are
//! served, so the route cannot put someone else's page on our origin.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use reqwest::Url;
use serde::Deserialize;

use super::relay_error;
use super::target::{self, AllowedHosts};

/// The CDN hosts clips come from, by default.
pub const DEFAULT_SUFFIXES: [&str; 4] =
    ["fal.media", "replicate.delivery", "klingai.com", "kling.ai"];

/// The most redirects followed.
const MAX_REDIRECTS: usize = 5;

/// Content types served; anything else is refused.
const MEDIA_TYPES: [&str; 5] = [
    "video/",
    "audio/",
    "image/",
    "application/octet-stream",
    "binary/octet-stream",
];

/// Upstream response headers passed back.
const PASSED_BACK: [HeaderName; 7] = [
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::CONTENT_RANGE,
    header::ACCEPT_RANGES,
    header::ETAG,
    header::LAST_MODIFIED,
    header::CACHE_CONTROL,
];

#[derive(Debug, Clone)]
pub struct MediaConfig {
    /// Host suffixes fetched over https (`fal.media` admits `v3.fal.media`).
    pub suffixes: Vec<String>,
    /// Extra `HOST[:PORT]` entries, also over http (tests).
    pub allowed_hosts: AllowedHosts,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            suffixes: DEFAULT_SUFFIXES.iter().map(|s| s.to_string()).collect(),
            allowed_hosts: AllowedHosts::default(),
        }
    }
}

pub struct MediaRelay {
    config: MediaConfig,
    client: reqwest::Client,
}

#[derive(Deserialize)]
pub struct MediaQuery {
    url: Option<String>,
}

impl MediaRelay {
    pub fn new(config: MediaConfig) -> MediaRelay {
        // Clips are large: no overall deadline, but a stalled read ends it.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(std::time::Duration::from_secs(10))
            .read_timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        MediaRelay { config, client }
    }

    fn check(&self, raw: &str) -> Result<Url, target::Refusal> {
        let suffixes = &self.config.suffixes;
        target::check(
            raw,
            |host| suffixes.iter().any(|s| target::is_within(host, s)),
            &self.config.allowed_hosts,
        )
    }
}

fn failed(message: impl Into<String>) -> Response {
    relay_error(StatusCode::BAD_GATEWAY, message)
}

fn is_media_type(v: Option<&HeaderValue>) -> bool {
    match v.and_then(|v| v.to_str().ok()) {
        None => true,
        Some(t) => {
            let t = t.trim().to_ascii_lowercase();
            MEDIA_TYPES.iter().any(|m| t.starts_with(m))
        }
    }
}

pub async fn fetch(
    State(relay): State<Arc<MediaRelay>>,
    query: Result<Query<MediaQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let Some(raw) = query.ok().and_then(|Query(q)| q.url) else {
        return relay_error(
            StatusCode::BAD_REQUEST,
            "the media route needs ?url=<encoded URL>",
        );
    };
    let mut url = match relay.check(&raw) {
        Ok(u) => u,
        Err(why) => return relay_error(StatusCode::FORBIDDEN, format!("media: {why}")),
    };
    let range = headers.get(header::RANGE).cloned();
    for _ in 0..=MAX_REDIRECTS {
        let mut req = relay.client.get(url.clone());
        if let Some(r) = &range {
            req = req.header(header::RANGE, r.clone());
        }
        let res = match req.send().await {
            Ok(r) => {
                crate::metrics::upstream_answered("media", r.status().as_u16());
                r
            }
            Err(e) => {
                let code = if e.is_timeout() {
                    "timeout"
                } else if e.is_connect() {
                    "connect"
                } else {
                    "read"
                };
                crate::metrics::upstream_failed("media", code);
                tracing::warn!(error = %e, "media: upstream unreachable");
                return failed("the media host could not be reached");
            }
        };
        let status = res.status();
        if status.is_redirection() {
            let next = res
                .headers()
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| url.join(l).ok());
            let Some(next) = next else {
                return failed(format!(
                    "the media host answered {status} without a usable Location"
                ));
            };
            url = match relay.check(next.as_str()) {
                Ok(u) => u,
                Err(why) => return failed(format!("the media host redirected elsewhere: {why}")),
            };
            continue;
        }
        if !status.is_success() {
            return failed(format!("the media host answered {}", status.as_u16()));
        }
        if !is_media_type(res.headers().get(header::CONTENT_TYPE)) {
            return failed("the media host answered with something that is not media");
        }
        let mut out_headers = HeaderMap::new();
        for name in PASSED_BACK {
            if let Some(v) = res.headers().get(&name) {
                out_headers.insert(name, v.clone());
            }
        }
        out_headers
            .entry(header::CONTENT_TYPE)
            .or_insert(HeaderValue::from_static("application/octet-stream"));
        out_headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        out_headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        );
        let code = StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        let mut out = Response::new(Body::from_stream(res.bytes_stream()));
        *out.status_mut() = code;
        *out.headers_mut() = out_headers;
        return out;
    }
    failed("the media host redirected too many times")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_suffixes_admit_cdn_hosts_only() {
        let relay = MediaRelay::new(MediaConfig::default());
        assert!(relay.check("https://v3b.fal.media/files/b/out.mp4").is_ok());
        assert!(relay.check("https://replicate.delivery/x/out.mp4").is_ok());
        assert!(relay.check("https://cdn.klingai.com/a.mp4").is_ok());
        assert!(relay.check("https://fal.media.evil.com/a.mp4").is_err());
        assert!(relay.check("http://v3b.fal.media/a.mp4").is_err());
        assert!(relay.check("https://notfal.media/a.mp4").is_err());
    }

    #[test]
    fn only_media_types_are_served() {
        assert!(is_media_type(Some(&HeaderValue::from_static("video/mp4"))));
        assert!(is_media_type(None));
        assert!(!is_media_type(Some(&HeaderValue::from_static("text/html"))));
    }
}

//! `--allow-origin`: the browser origins that may use this server's API
//! from another site. With a list, CORS answers those origins (and only
//! those), and an `/api/...` call whose `Origin` is neither listed nor
//! this server's own host gets 403. Calls without `Origin` (curl, the
//! server's own page on GET) and same-origin calls pass, so the bundled
//! app is unaffected. With no list there is no CORS and no check.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

use crate::relay::relay_error;

/// A bad `--allow-origin` value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not an origin: give scheme://host[:port], e.g. https://app.example.com")]
pub struct BadOrigin(pub String);

/// Reads an origin as browsers send it: `http(s)://host[:port]` with no
/// path, user, query or fragment; returned in the browser's form
/// (lowercase, no default port).
pub fn parse(value: &str) -> Result<String, BadOrigin> {
    let v = value.trim();
    let bad = || BadOrigin(v.to_string());
    let url = reqwest::Url::parse(v).map_err(|_| bad())?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && !v.trim_end_matches('/').contains(['?', '#']);
    if !plain {
        return Err(bad());
    }
    Ok(url.origin().ascii_serialization())
}

/// The listed origins.
pub struct Origins(Vec<String>);

impl Origins {
    pub fn new(list: Vec<String>) -> Origins {
        Origins(list)
    }

    fn lists(&self, origin: &HeaderValue) -> bool {
        self.0.iter().any(|o| o.as_bytes() == origin.as_bytes())
    }
}

/// True when `origin` is this server itself: its `host[:port]` is the
/// request's `Host`.
fn same_origin(origin: &HeaderValue, host: Option<&HeaderValue>) -> bool {
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), host.map(|h| h.to_str())) else {
        return false;
    };
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    authority.is_some_and(|a| a.eq_ignore_ascii_case(host))
}

pub async fn check(State(origins): State<Arc<Origins>>, req: Request, next: Next) -> Response {
    if !super::is_api(req.uri().path()) {
        return next.run(req).await;
    }
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return next.run(req).await;
    };
    if origins.lists(origin) || same_origin(origin, req.headers().get(header::HOST)) {
        return next.run(req).await;
    }
    let shown = String::from_utf8_lossy(origin.as_bytes())
        .chars()
        .take(200)
        .collect::<String>();
    relay_error(
        StatusCode::FORBIDDEN,
        format!("the origin {shown} may not use this server's API: it is not on the server's --allow-origin list"),
    )
}

/// CORS for `origins`: what the app and fal's client send, and the
/// headers a page may read back.
pub fn cors(origins: &[String]) -> CorsLayer {
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("x-upstream-request-id"),
            header::RETRY_AFTER,
            header::CONTENT_RANGE,
            header::CONTENT_LENGTH,
            header::LOCATION,
        ])
        .max_age(Duration::from_secs(600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_read_in_the_browsers_form() {
        assert_eq!(
            parse("https://App.Example.com").unwrap(),
            "https://app.example.com"
        );
        assert_eq!(
            parse("https://a.example:443/").unwrap(),
            "https://a.example"
        );
        assert_eq!(
            parse("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "app.example.com",
            "ftp://a.example",
            "https://a.example/path",
            "https://u@a.example",
            "https://a.example/?q",
            "https://a.example#f",
            "*",
            "null",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn same_origin_is_the_host_header() {
        let o = |s: &'static str| HeaderValue::from_static(s);
        assert!(same_origin(
            &o("http://127.0.0.1:8080"),
            Some(&o("127.0.0.1:8080"))
        ));
        assert!(same_origin(
            &o("https://story.example"),
            Some(&o("Story.Example"))
        ));
        assert!(!same_origin(
            &o("http://evil.test"),
            Some(&o("127.0.0.1:8080"))
        ));
        assert!(!same_origin(
            &o("http://127.0.0.1:8080.evil"),
            Some(&o("127.0.0.1:8080"))
        ));
        assert!(!same_origin(&o("null"), Some(&o("null"))));
        assert!(!same_origin(&o("http://x"), None));
    }
}

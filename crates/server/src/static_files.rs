//! Hosting the built app: correct types, compression, and caching that
//! lets hashed assets live forever while `index.html` is always revalidated.

use std::path::Path;

use std::convert::Infallible;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// True for names Trunk stamps with a content hash, e.g.
/// `storyreel-1a2b3c4d5e6f7a8b_bg.wasm` or `main-1a2b3c4d5e6f7a8b.css`.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

/// True when the last path segment names a file (has a dot). Such a path
/// that is not in dist gets a 404, never the app's HTML: a stale `.js` or
/// `.wasm` must not be answered with a page (and cached as that asset).
pub fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let value = if hashed && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // Precompressed files are chosen by Accept-Encoding, so caches must key
    // on it (the compression layer adds this only when it compresses).
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// The Content-Security-Policy of the app's pages, with `'sha256-…'` for
/// each inline script (Trunk's module loader) in `script-src`:
/// `'wasm-unsafe-eval'` lets the wasm compile, and no other inline
/// script may run. `connect-src` has `data:` and `blob:` because the app
/// `fetch`es its own reference images from such URLs to upload them
/// (`net::blob_of`). Besides https, images, media and calls may reach
/// plain-http servers on this machine (`LOOPBACK`): a proxy or a clip
/// host run locally for development.
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for h in script_hashes {
        script_src.push_str(&format!(" 'sha256-{h}'"));
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob: https: {LOOPBACK}; media-src 'self' blob: https: {LOOPBACK}; \
         connect-src 'self' https: data: blob: {LOOPBACK}; worker-src 'self' blob:; object-src 'none'; \
         base-uri 'self'; frame-ancestors 'none'"
    )
}

/// Plain-http sources on this machine, any port.
const LOOPBACK: &str = "http://127.0.0.1:* http://localhost:*";

/// The inline scripts of an HTML page (`<script>` elements with no
/// `src`), as the text a browser hashes.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script").map(|i| at + i) {
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i) else {
            break;
        };
        let attrs = &lower[start + "<script".len()..tag_end];
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else {
            break;
        };
        let has_src = attrs
            .split(|c: char| c.is_ascii_whitespace())
            .any(|a| a == "src" || a.starts_with("src="));
        if !has_src {
            out.push(&html[tag_end + 1..close]);
        }
        at = close;
    }
    out
}

/// Base64 SHA-256 of each inline script, for the CSP.
pub fn script_hashes(html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    inline_scripts(html)
        .into_iter()
        .map(|s| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes())))
        .collect()
}

/// The app's pages: the editor and the page a share link opens. Their
/// inline scripts are the only ones the CSP lets run.
pub const PAGES: [&str; 2] = ["index.html", "share.html"];

/// The app router for a dist directory. Its pages are read now for the
/// CSP's script hashes: a rebuilt app needs a restarted server.
pub fn router(dist: &Path) -> Router {
    let html: String = PAGES
        .iter()
        .filter_map(|page| std::fs::read_to_string(dist.join(page)).ok())
        .collect();
    let csp = HeaderValue::from_str(&content_security_policy(&script_hashes(&html)))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    // Unknown app routes get index.html; unknown files get 404.
    let spa = tower::service_fn(move |req: Request| {
        let index = index.clone();
        async move {
            if looks_like_file(req.uri().path()) {
                return Ok::<_, Infallible>(StatusCode::NOT_FOUND.into_response());
            }
            Ok(index.oneshot(req).await?.into_response())
        }
    });
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(spa);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let csp = csp.clone();
            async move {
                let mut res = next.run(req).await;
                let html = res
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
                if html {
                    res.headers_mut()
                        .insert(header::CONTENT_SECURITY_POLICY, csp);
                }
                res
            }
        }))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(CompressionLayer::new())
}

#[cfg(test)]
mod tests {
    use super::{is_hashed_asset, looks_like_file};

    #[test]
    fn file_like_paths() {
        assert!(looks_like_file("/storyreel-0123456789abcdef.js"));
        assert!(looks_like_file("/a/b/favicon.ico"));
        assert!(looks_like_file("/.."));
        assert!(!looks_like_file("/"));
        assert!(!looks_like_file("/boards/42"));
    }

    #[test]
    fn inline_scripts_are_found_and_src_scripts_skipped() {
        let html = "<script type=\"module\">a()</script><SCRIPT>b()</SCRIPT>\
                    <script src=\"/x.js\"></script><script data-src=1>c()</script>";
        assert_eq!(super::inline_scripts(html), vec!["a()", "b()", "c()"]);
        assert!(super::inline_scripts("<p>none</p><script").is_empty());
    }

    #[test]
    fn hashed_names() {
        assert!(is_hashed_asset("/storyreel-77327594130fc8bb_bg.wasm"));
        assert!(is_hashed_asset("/storyreel-77327594130fc8bb.js"));
        assert!(is_hashed_asset("/main-2e9672b761aeb173.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/my-file.css"));
        assert!(!is_hashed_asset("/storyreel-77327594130fc8bz.js"));
    }
}

//! Hosting the built app: correct types, compression, and caching that
//! lets hashed assets live forever while `index.html` is always revalidated.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use std::convert::Infallible;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::cli::ServeArgs;

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

/// The app router for a dist directory.
pub fn router(dist: &Path) -> Router {
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
        .route("/healthz", get(|| async { "ok" }))
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(CompressionLayer::new())
}

pub fn run(args: ServeArgs) -> ExitCode {
    if !args.dist.join("index.html").is_file() {
        eprintln!(
            "error: no built app at {} (index.html missing); run `cargo xtask serve`, or `trunk build --release` first",
            args.dist.display()
        );
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind((args.addr, args.port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {}:{}: {e}", args.addr, args.port);
                return ExitCode::FAILURE;
            }
        };
        let bound = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Listen for signals before saying we are up, so a stop sent right
        // after the announcement is a graceful one.
        let shutdown = shutdown_signal();
        let mut out = std::io::stdout();
        let _ = writeln!(out, "storyreel-server listening on http://{bound}");
        let _ = out.flush();
        let app = router(&args.dist);
        match axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: server stopped: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called (inside the runtime), not when the future is first polled; on
/// Unix that holds for Ctrl-C too only through `signal` (`ctrl_c()` is lazy).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        async move {
            tokio::select! {
                _ = next_signal(interrupt) => {},
                _ = next_signal(terminate) => {},
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The next delivery of `signal`; never, if its handler could not be set.
#[cfg(unix)]
async fn next_signal(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
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

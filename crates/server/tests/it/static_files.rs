//! Static hosting: types, caching, fallback, traversal, compression.

use std::fs;
use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use storyreel_server::static_files::router;
use tower::ServiceExt;

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    fs::write(
        p.join("index.html"),
        "<!DOCTYPE html><title>Storyreel</title>",
    )
    .unwrap();
    fs::write(
        p.join("storyreel-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    fs::write(
        p.join("storyreel-0123456789abcdef.js"),
        "export {};".repeat(200),
    )
    .unwrap();
    fs::write(p.join("main-0123456789abcdef.css"), "body{}").unwrap();
    fs::write(p.join("robots.txt"), "User-agent: *").unwrap();
    dir
}

async fn get(
    dir: &tempfile::TempDir,
    path: &str,
    headers: &[(&str, &str)],
) -> axum::response::Response {
    let mut req = Request::builder().uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    router(dir.path())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .expect("response")
}

fn header_of(res: &axum::response::Response, name: header::HeaderName) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn wasm_js_css_have_their_types_and_are_immutable() {
    let d = dist();
    for (path, mime) in [
        ("/storyreel-0123456789abcdef_bg.wasm", "application/wasm"),
        ("/storyreel-0123456789abcdef.js", "text/javascript"),
        ("/main-0123456789abcdef.css", "text/css"),
    ] {
        let res = get(&d, path, &[]).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            header_of(&res, header::CONTENT_TYPE).starts_with(mime),
            "{path}: {:?}",
            res.headers()
        );
        assert_eq!(
            header_of(&res, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(header_of(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    }
}

#[tokio::test]
async fn index_and_unhashed_files_are_revalidated() {
    let d = dist();
    for path in ["/", "/index.html", "/robots.txt"] {
        let res = get(&d, path, &[]).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(header_of(&res, header::CACHE_CONTROL), "no-cache", "{path}");
    }
    let res = get(&d, "/", &[]).await;
    assert!(header_of(&res, header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test]
async fn unknown_paths_fall_back_to_the_app() {
    let d = dist();
    let res = get(&d, "/boards/42", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header_of(&res, header::CACHE_CONTROL), "no-cache");
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("<title>Storyreel</title>"));
}

/// The app's icon, which Trunk copies into dist as `index.html` asks
/// (`copy-file` of `assets/favicon.ico`; browsers ask for `/favicon.ico`
/// whatever the page says), is served as an image.
#[tokio::test]
async fn the_favicon_is_served_as_an_image() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let index = fs::read_to_string(repo.join("index.html")).expect("index.html");
    assert!(
        index.contains(r#"<link data-trunk rel="copy-file" href="assets/favicon.ico" />"#),
        "index.html copies the icon into dist: {index}"
    );
    assert!(
        index.contains(r#"<link data-trunk rel="icon" href="assets/favicon.svg" />"#),
        "index.html names the icon: {index}"
    );
    let icon = fs::read(repo.join("assets/favicon.ico")).expect("assets/favicon.ico");
    assert_eq!(icon[..4], [0, 0, 1, 0], "an ICO file");
    let d = dist();
    fs::write(d.path().join("favicon.ico"), &icon).unwrap();
    let res = get(&d, "/favicon.ico", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        header_of(&res, header::CONTENT_TYPE).starts_with("image/"),
        "{:?}",
        res.headers()
    );
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body.as_ref(), icon.as_slice());
}

#[tokio::test]
async fn missing_files_are_404_not_the_app() {
    let d = dist();
    for path in [
        "/storyreel-fedcba9876543210_bg.wasm",
        "/storyreel-fedcba9876543210.js",
        "/favicon.ico",
        "/assets/missing.png",
    ] {
        let res = get(&d, path, &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(header_of(&res, header::CACHE_CONTROL), "no-cache", "{path}");
    }
}

#[tokio::test]
async fn traversal_never_leaves_dist() {
    let d = dist();
    let secret = d.path().parent().unwrap().join("storyreel-secret.txt");
    fs::write(&secret, "TOP-SECRET").unwrap();
    for path in [
        "/../storyreel-secret.txt",
        "/%2e%2e/storyreel-secret.txt",
        "/%2E%2E%2Fstoryreel-secret.txt",
        "/..%5Cstoryreel-secret.txt",
        "/static/../../storyreel-secret.txt",
    ] {
        let res = get(&d, path, &[]).await;
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert!(
            !String::from_utf8_lossy(&body).contains("TOP-SECRET"),
            "{path} leaked a file outside dist"
        );
    }
    let _ = fs::remove_file(secret);
}

#[tokio::test]
async fn compresses_with_brotli_and_gzip() {
    let d = dist();
    let res = get(
        &d,
        "/storyreel-0123456789abcdef.js",
        &[("accept-encoding", "br")],
    )
    .await;
    assert_eq!(header_of(&res, header::CONTENT_ENCODING), "br");
    let res = get(
        &d,
        "/storyreel-0123456789abcdef.js",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(header_of(&res, header::CONTENT_ENCODING), "gzip");
    let res = get(&d, "/storyreel-0123456789abcdef.js", &[]).await;
    assert_eq!(header_of(&res, header::CONTENT_ENCODING), "");
}

#[tokio::test]
async fn serves_precompressed_files_with_vary() {
    let d = dist();
    let js = d.path().join("storyreel-0123456789abcdef.js");
    fs::write(d.path().join("storyreel-0123456789abcdef.js.br"), "BROTLI").unwrap();
    let res = get(
        &d,
        "/storyreel-0123456789abcdef.js",
        &[("accept-encoding", "gzip, br")],
    )
    .await;
    assert_eq!(header_of(&res, header::CONTENT_ENCODING), "br");
    assert!(header_of(&res, header::CONTENT_TYPE).starts_with("text/javascript"));
    assert_eq!(res.headers().get_all(header::VARY).iter().count(), 1);
    assert_eq!(header_of(&res, header::VARY), "accept-encoding");
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"BROTLI", "the stored .br, not a fresh one");
    // Without Accept-Encoding: the plain file, still marked as varying.
    let res = get(&d, "/storyreel-0123456789abcdef.js", &[]).await;
    assert_eq!(header_of(&res, header::VARY), "accept-encoding");
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body.len(), fs::metadata(js).unwrap().len() as usize);
}

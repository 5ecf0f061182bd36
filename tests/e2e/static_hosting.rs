//! The built app on a plain static host under a sub-path, with no
//! Storyreel server at all: a share link opens there and is forked into
//! the library.
//!
//! `cargo xtask test` builds the app a second time with
//! `trunk build --public-url /some/path/` into `target/dist-subpath`.

use std::path::PathBuf;

use serde_json::json;
use storyreel_core::{share, Board};
use storyreel_e2e::{serve_static, Harness};

const PREFIX: &str = "/some/path";

fn dist() -> PathBuf {
    let dir = std::env::var_os("STORYREEL_DIST_SUBPATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/dist-subpath")
        });
    assert!(
        dir.join("index.html").is_file(),
        "no sub-path build at {} (run `cargo xtask test`)",
        dir.display()
    );
    dir
}

#[tokio::test]
async fn a_share_link_opens_and_forks_under_a_sub_path_without_a_server() {
    let dist = dist();
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap();
    assert!(
        index.contains(&format!("{PREFIX}/storyreel-")),
        "the build links its files under {PREFIX}/: {index}"
    );

    let board = Board::from_json_draft(
        &json!({
            "format": "storyreel/1",
            "title": "Lanterns on the river",
            "references": [{"name": "ana", "kind": "image", "src": "https://example.com/ana.jpg"}],
            "shots": [
                {"prompt": "@ana lights a paper lantern", "duration": 5},
                {"prompt": "Hundreds of lanterns drift downstream", "duration": 5}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let fragment = share::encode(&board);

    let base = serve_static(dist, PREFIX).await;
    let h = Harness::browser_for(base.clone()).await;
    h.goto(&format!("/#{fragment}")).await;
    h.wait_for("body[data-ready] #shared-view").await;
    assert_eq!(h.text("#shared-title").await, "Lanterns on the river");
    // Every file of the app came from under the sub-path.
    let outside = h
        .eval(
            "return performance.getEntriesByType('resource')
                .map(e => e.name)
                .filter(n => /\\.(js|wasm|css)$/.test(new URL(n).pathname))
                .filter(n => !new URL(n).pathname.startsWith(arguments[0] + '/'));",
            vec![json!(PREFIX)],
        )
        .await;
    assert_eq!(outside, json!([]), "files loaded from outside {PREFIX}");
    h.screenshot("subpath-shared").await;

    h.click("#make-copy").await;
    h.wait_for("body[data-ready] #timeline").await;
    h.wait_until(
        "the copy in the editor",
        "document.getElementById('board-title').value === 'Lanterns on the river'",
    )
    .await;
    let url = h.client.current_url().await.unwrap();
    assert_eq!(url.path(), format!("{PREFIX}/"), "still under the sub-path");
    assert_eq!(url.fragment(), None, "the link left the address");
    h.click("#library-toggle").await;
    h.wait_until(
        "the copy in the library",
        "[...document.querySelectorAll('#library-list .library-open')].some(b => b.innerText.trim() === 'Lanterns on the river')",
    )
    .await;
    h.screenshot("subpath-forked").await;
    h.close().await;
}

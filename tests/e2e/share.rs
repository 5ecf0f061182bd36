//! Share links, end to end: make a link in the editor, open it in a fresh
//! page load, make a copy without losing the board that was there, and a
//! damaged link that leaves everything alone.

use serde_json::{json, Value};
use storyreel_core::Board;
use storyreel_e2e::Harness;

async fn local(h: &Harness, key: &str) -> Option<String> {
    h.eval(
        "return localStorage.getItem(arguments[0]);",
        vec![json!(key)],
    )
    .await
    .as_str()
    .map(str::to_string)
}

/// The board saved under `key`, read as the app reads it.
async fn stored_board(h: &Harness, key: &str) -> Board {
    let text = local(h, key)
        .await
        .unwrap_or_else(|| panic!("nothing saved under {key}"));
    Board::from_json_draft(&text).unwrap_or_else(|e| panic!("{key} is not a board: {e}"))
}

fn board(value: &Value) -> Board {
    Board::from_json_draft(&value.to_string()).expect("a valid test board")
}

async fn inner_text(h: &Harness, css: &str) -> String {
    h.wait_for(css).await;
    h.eval(
        "return document.querySelector(arguments[0]).innerText;",
        vec![json!(css)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// A fresh page load of `url` (not a same-document fragment change).
async fn open_fresh(h: &Harness, url: &str) {
    h.client.goto("about:blank").await.expect("blank page");
    h.client.goto(url).await.expect("navigation");
}

fn shared_board() -> Value {
    json!({
        "format": "storyreel/1",
        "title": "Harbour at dawn",
        "mode": "pro",
        "aspect_ratio": "16:9",
        "prompt": "Soft morning light, handheld, 35mm film grain.",
        "references": [
            {"name": "mia", "kind": "image", "src": "https://example.com/mia.png"},
            {"name": "moves", "kind": "image", "src": "http://127.0.0.1:9/moves.png"}
        ],
        "shots": [
            {"prompt": "Wide: fishing boats drift in the fog, @mia on the pier.", "duration": 4},
            {"prompt": "Close-up: @mia reads a letter <b>not bold</b> & smiles.", "duration": 5},
            {"prompt": "Gulls lift off as the sun breaks through.", "duration": 3}
        ]
    })
}

fn earlier_board() -> Value {
    json!({
        "format": "storyreel/1",
        "title": "My own work",
        "shots": [{"prompt": "Rain on a window, a cat watches.", "duration": 6}]
    })
}

#[tokio::test]
async fn a_shared_board_opens_read_only_and_copies_without_losing_the_saved_one() {
    let h = Harness::start().await;
    h.open_editor().await;
    h.load_board(&shared_board()).await;

    h.click("#share").await;
    h.wait_for("#share-link").await;
    let link = h
        .eval(
            "return document.getElementById('share-link').value;",
            vec![],
        )
        .await
        .as_str()
        .expect("a link")
        .to_string();
    assert!(link.starts_with(&h.base), "{link}");
    assert!(link.contains("#b2."), "{link}");
    assert!(
        link.starts_with(&format!("{}/share.html#b2.", h.base)),
        "links open the share page: {link}"
    );
    let selected = h
        .eval(
            "const i = document.getElementById('share-link');
             return document.activeElement === i && i.selectionStart === 0 && i.selectionEnd === i.value.length;",
            vec![],
        )
        .await;
    assert_eq!(selected, json!(true), "the link is selected");
    let warning = inner_text(&h, "#share-warning").await;
    assert!(warning.contains("moves"), "{warning}");
    assert!(!warning.contains("mia"), "{warning}");
    h.wait_for("#share-copy").await;
    h.screenshot("share-popover").await;

    // The user goes on with another board before the link is opened.
    h.load_board(&earlier_board()).await;

    open_fresh(&h, &link).await;
    h.wait_for("body[data-ready] #shared-view").await;
    assert!(h.find_all("#timeline").await.is_empty(), "no editor");
    assert_eq!(inner_text(&h, "#shared-title").await, "Harbour at dawn");
    let summary = inner_text(&h, "#shared-summary").await;
    assert!(summary.contains("12 s in 3 shots"), "{summary}");
    let cards = h
        .eval(
            "return [...document.querySelectorAll('#shared-view .animatic-shot')].map(c => [
                c.querySelector('.animatic-number').innerText,
                c.querySelector('.animatic-duration').innerText,
                c.querySelector('.animatic-prompt').innerText,
                c.querySelector('.animatic-prompt').children.length,
            ]);",
            vec![],
        )
        .await;
    let expected = shared_board();
    let cards = cards.as_array().expect("cards");
    assert_eq!(cards.len(), 3);
    for (i, card) in cards.iter().enumerate() {
        let shot = &expected["shots"][i];
        assert_eq!(card[0], json!(format!("Shot {}", i + 1)));
        assert_eq!(card[1], json!(format!("{} s", shot["duration"])));
        assert_eq!(card[2], shot["prompt"], "prompt shown as text");
        assert_eq!(card[3], json!(0), "no markup inside a prompt");
    }
    // One shot at a time is current; the animatic moves on and pauses.
    assert_eq!(h.find_all(".animatic-shot.current").await.len(), 1);
    h.wait_until(
        "the animatic to reach shot 2",
        "document.querySelectorAll('.animatic-shot')[1].classList.contains('current')",
    )
    .await;
    h.click("#animatic-play").await;
    let paused_at = inner_text(&h, ".animatic-clock").await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(inner_text(&h, ".animatic-clock").await, paused_at);
    let cast = inner_text(&h, ".shared-cast").await;
    assert!(cast.contains("@mia") && cast.contains("@moves"), "{cast}");
    assert_eq!(
        h.find_all(".shared-thumb").await.len(),
        1,
        "a thumbnail only for the https image"
    );
    // Nothing was written by opening the link.
    assert_eq!(
        stored_board(&h, "storyreel.board").await,
        board(&earlier_board())
    );
    h.screenshot("shared-view").await;

    h.click("#make-copy").await;
    h.wait_for("body[data-ready] #timeline").await;
    assert!(h.find_all("#shared-view").await.is_empty());
    assert_eq!(
        h.eval("return location.hash;", vec![]).await,
        json!(""),
        "the fragment is gone"
    );
    assert_eq!(
        stored_board(&h, "storyreel.board").await,
        board(&shared_board())
    );
    assert_eq!(
        stored_board(&h, "storyreel.board.before-copy").await,
        board(&earlier_board())
    );
    let status = inner_text(&h, "#status").await;
    assert!(
        status.contains("Your previous board is in your boards"),
        "{status}"
    );
    // Both boards are in the library, the copy open.
    h.click("#library-toggle").await;
    h.wait_until(
        "both boards in the library",
        "JSON.stringify([...document.querySelectorAll('#library-list .library-open')].map(b => b.innerText.trim()).sort()) === JSON.stringify(['Harbour at dawn', 'My own work'])",
    )
    .await;
    h.click("#library-toggle").await;
    assert_eq!(
        h.eval(
            "return document.getElementById('board-title').value;",
            vec![]
        )
        .await,
        json!("Harbour at dawn")
    );
    h.screenshot("shared-copied").await;

    // Undo brings the earlier board back.
    h.click("#undo-copy").await;
    h.wait_until(
        "the earlier board to be back",
        "document.getElementById('board-title').value === 'My own work'",
    )
    .await;
    h.wait_until(
        "the earlier board to be saved",
        "JSON.parse(localStorage.getItem('storyreel.board')).title === 'My own work'",
    )
    .await;
    assert_eq!(
        stored_board(&h, "storyreel.board").await,
        board(&earlier_board())
    );
    // The discarded copy left the library.
    h.click("#library-toggle").await;
    h.wait_until(
        "only the earlier board in the library",
        "JSON.stringify([...document.querySelectorAll('#library-list .library-open')].map(b => b.innerText.trim())) === JSON.stringify(['My own work'])",
    )
    .await;
    h.close().await;
}

/// A link made before board format 2 (`b1.`), from the core's fixtures,
/// and the corpus board it was made from.
fn version_1_link(name: &str) -> (String, Board) {
    let core =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/core/tests/fixtures");
    let links = std::fs::read_to_string(core.join("share-v1/links.tsv")).expect("the b1 links");
    let link = links
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}\t")))
        .unwrap_or_else(|| panic!("no b1 link for {name}"))
        .to_string();
    let text = std::fs::read_to_string(core.join(format!("share-corpus/{name}.board.json")))
        .expect("the corpus board");
    (link, Board::from_json_draft(&text).expect("a corpus board"))
}

#[tokio::test]
async fn a_link_made_before_format_2_still_opens() {
    let h = Harness::start().await;
    h.open_editor().await;
    h.load_board(&earlier_board()).await;
    // "mode": "std" in its file: 720p now.
    let (link, expected) = version_1_link("en-frames-morph");
    assert!(link.starts_with("b1."), "{link}");
    // Links of that time point at the editor's own address: the share
    // page opens instead, and the editor's wasm is never fetched.
    open_fresh(&h, &format!("{}/#{link}", h.base)).await;
    h.wait_for("body[data-ready] #shared-view").await;
    assert_eq!(inner_text(&h, "#shared-title").await, expected.title);
    assert_eq!(
        h.eval("return location.pathname;", vec![]).await,
        json!("/share.html")
    );
    let fetched = h
        .eval(
            "return performance.getEntriesByType('resource').map(r => new URL(r.name).pathname);",
            vec![],
        )
        .await;
    let fetched: Vec<String> = serde_json::from_value(fetched).expect("paths");
    assert!(
        fetched.iter().any(|p| p == "/share_bg.wasm"),
        "the share page's wasm: {fetched:?}"
    );
    assert!(
        !fetched.iter().any(|p| p.starts_with("/storyreel-")),
        "none of the editor's files: {fetched:?}"
    );
    h.click("#make-copy").await;
    h.wait_for("body[data-ready] #timeline").await;
    let saved = local(&h, "storyreel.board")
        .await
        .expect("the copy is saved");
    assert!(
        saved.contains("\"storyreel/2\"") && saved.contains("\"720p\""),
        "{saved}"
    );
    assert_eq!(stored_board(&h, "storyreel.board").await, expected);
    h.close().await;
}

#[tokio::test]
async fn a_damaged_link_says_why_and_changes_nothing() {
    let h = Harness::start().await;
    h.open_editor().await;
    h.load_board(&earlier_board()).await;
    let before = local(&h, "storyreel.board").await;
    assert!(before.is_some());

    open_fresh(&h, &format!("{}/#b1.garbage!!", h.base)).await;
    let why = inner_text(&h, "#shared-error").await;
    assert!(why.contains("'!'") && why.contains("character 11"), "{why}");
    assert!(h.find_all("#timeline").await.is_empty(), "no editor");
    assert_eq!(local(&h, "storyreel.board").await, before);
    assert_eq!(local(&h, "storyreel.board.before-copy").await, None);
    h.screenshot("shared-error").await;

    h.click("#open-editor").await;
    h.wait_for("body[data-ready] #timeline").await;
    assert_eq!(h.eval("return location.hash;", vec![]).await, json!(""));
    assert_eq!(
        h.eval(
            "return document.getElementById('board-title').value;",
            vec![]
        )
        .await,
        json!("My own work")
    );
    assert_eq!(local(&h, "storyreel.board").await, before);

    // A link of a newer version is named as such.
    open_fresh(&h, &format!("{}/#b7.AAAA", h.base)).await;
    let why = inner_text(&h, "#shared-error").await;
    assert!(why.contains("version 7"), "{why}");
    h.close().await;
}

#[tokio::test]
async fn a_linked_take_plays_in_the_shared_view_and_a_lost_one_says_so() {
    // The take's video on a host of its own (as a provider CDN would be).
    let clips = tempfile::tempdir().unwrap();
    let mp4 = storyreel_clip::render_mp4(&storyreel_clip::ClipSpec {
        width: 320,
        height: 180,
        fps: 12,
        shots: vec![
            storyreel_clip::ShotSpec {
                seconds: 3,
                label: "1".into(),
            },
            storyreel_clip::ShotSpec {
                seconds: 4,
                label: "2".into(),
            },
        ],
        sound: false,
    })
    .unwrap();
    std::fs::write(clips.path().join("take.mp4"), mp4).unwrap();
    let cdn = storyreel_e2e::serve_static(clips.path().to_path_buf(), "/clips").await;

    let board = board(&json!({
        "format": "storyreel/1",
        "title": "Pier at noon",
        "shots": [{"prompt": "Gulls", "duration": 3}, {"prompt": "Waves", "duration": 4}]
    }));
    let h = Harness::start().await;
    h.open_editor().await;

    let reachable =
        storyreel_core::share::encode_shared(&board, Some(&format!("{cdn}/take.mp4"))).unwrap();
    h.goto(&format!("/?take#{reachable}")).await;
    h.wait_for("body[data-ready] #shared-view").await;
    h.wait_until(
        "the take's video to load",
        "document.querySelector('#shared-take-video[data-loaded]') !== null",
    )
    .await;
    let duration = h
        .eval(
            "return document.getElementById('shared-take-video').duration;",
            vec![],
        )
        .await;
    assert!(
        (duration.as_f64().unwrap_or(0.0) - 7.0).abs() < 0.2,
        "the 7 s take: {duration}"
    );
    // The animatic follows the video.
    h.eval(
        "const v = document.getElementById('shared-take-video'); v.currentTime = 5; v.dispatchEvent(new Event('timeupdate'));",
        vec![],
    )
    .await;
    h.wait_until(
        "shot 2 to be current",
        "document.querySelectorAll('.animatic-shot')[1].classList.contains('current')",
    )
    .await;
    h.screenshot("shared-take").await;

    let lost =
        storyreel_core::share::encode_shared(&board, Some(&format!("{cdn}/gone.mp4"))).unwrap();
    h.goto(&format!("/?lost#{lost}")).await;
    h.wait_for("body[data-ready] #shared-view").await;
    let note = inner_text(&h, "#shared-take-error").await;
    assert!(
        note.contains("could not be loaded from 127.0.0.1"),
        "{note}"
    );
    assert_eq!(inner_text(&h, "#shared-title").await, "Pier at noon");
    h.close().await;
}

#[tokio::test]
async fn a_file_only_this_browser_has_is_uploaded_and_shared_by_its_public_link() {
    let uploads = tempfile::tempdir().unwrap();
    let dir = uploads.path().to_string_lossy().to_string();
    let h = Harness::start_with(&[
        "--upload-dir",
        &dir,
        "--public-base-url",
        "https://media.example.test",
    ])
    .await;
    h.open_editor().await;
    // A 1×1 PNG, as a picture pasted into the board would be.
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    h.load_board(&json!({
        "format": "storyreel/1",
        "title": "Kite festival",
        "references": [{"name": "mia", "kind": "image", "src": format!("data:image/png;base64,{png}")}],
        "shots": [{"prompt": "@mia flies a red kite", "duration": 5}]
    }))
    .await;
    // The server's answer to /api/status has arrived (it says the
    // simulator is on).
    h.wait_for(".sim-banner").await;

    h.click("#share").await;
    let warning = inner_text(&h, "#share-warning").await;
    assert!(warning.contains("mia"), "{warning}");
    h.click("#share-upload").await;
    let stored = h
        .wait_until(
            "the reference to point at the stored file",
            "(JSON.parse(localStorage.getItem('storyreel.board')).references[0].src.startsWith('upload:')) && JSON.parse(localStorage.getItem('storyreel.board')).references[0].src",
        )
        .await;
    let hash = stored
        .as_str()
        .and_then(|s| s.strip_prefix("upload:"))
        .expect("an upload reference")
        .to_string();
    // The popover comes back with a link that carries the public address.
    h.wait_until(
        "a new link without the warning",
        "document.getElementById('share-link') !== null && document.getElementById('share-warning') === null",
    )
    .await;
    let link = h
        .eval(
            "return document.getElementById('share-link').value;",
            vec![],
        )
        .await;
    let shared = storyreel_core::share::decode(link.as_str().unwrap()).expect("a link");
    assert_eq!(
        shared.references[0].src(),
        Some(format!("https://media.example.test/uploads/{hash}").as_str())
    );
    // The file is on the server, stored once.
    let (status, _) = h.http("GET", &format!("/uploads/{hash}"), None).await;
    assert_eq!(status, 200);
    h.screenshot("share-uploaded").await;
    h.close().await;
}

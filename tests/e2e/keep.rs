//! Keeping boards, end to end: undo and redo (which never spend
//! anything), the shortcut list, the library, two tabs on one board, and
//! the exports.

use serde_json::{json, Value};
use storyreel_e2e::{type_into, Harness};

const CTRL: char = '\u{E009}';
const SHIFT: char = '\u{E008}';
const ESCAPE: char = '\u{E00C}';
/// Releases held modifier keys.
const NULL: char = '\u{E000}';

async fn saved_board(h: &Harness) -> Value {
    let text = h
        .eval("return localStorage.getItem('storyreel.board');", vec![])
        .await;
    serde_json::from_str(text.as_str().expect("a saved board")).expect("saved board is JSON")
}

async fn title(h: &Harness) -> String {
    h.eval(
        "return document.getElementById('board-title').value;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

async fn set_title(h: &Harness, text: &str) {
    let input = h.wait_for("#board-title").await;
    input.clear().await.expect("clear the title");
    type_into(&input, text).await;
}

/// Waits until the library panel lists exactly `titles` (any order).
async fn library_shows(h: &Harness, titles: &[&str]) {
    let mut want: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    want.sort();
    h.wait_until(
        &format!("the library to list {want:?}"),
        &format!(
            "JSON.stringify([...document.querySelectorAll('#library-list .library-open')]
                .map(b => b.innerText.trim()).sort()) === {}",
            serde_json::to_string(&serde_json::to_string(&want).unwrap()).unwrap()
        ),
    )
    .await;
}

async fn item_button(h: &Harness, title: &str, class: &str) -> String {
    let id = h
        .wait_until(
            &format!("a library item titled {title}"),
            &format!(
                "[...document.querySelectorAll('#library-list .library-item')]
                    .filter(li => li.querySelector('.library-open').innerText.trim() === {})
                    .map(li => li.dataset.id)[0]",
                serde_json::to_string(title).unwrap()
            ),
        )
        .await;
    format!(
        "#library-list .library-item[data-id='{}'] .{class}",
        id.as_str().expect("an id")
    )
}

#[tokio::test]
async fn undo_and_redo_restore_edits_and_spend_nothing() {
    let h = Harness::start_with(&["--sim-control"]).await;
    h.open_editor().await;
    assert!(
        h.wait_for("#undo")
            .await
            .attr("disabled")
            .await
            .unwrap()
            .is_some(),
        "nothing to undo on a fresh board"
    );

    let prompt = h.wait_for("#shot-0-prompt").await;
    type_into(&prompt, "A lighthouse at dawn").await;
    h.click("#add-shot").await;
    h.wait_until(
        "two shots",
        "document.querySelector('#shot-1-prompt') !== null",
    )
    .await;
    assert_eq!(saved_board(&h).await["shots"].as_array().unwrap().len(), 2);

    // Ctrl+Z in the prompt takes back the added shot, then the typing
    // (one step for the whole burst).
    let prompt = h.wait_for("#shot-0-prompt").await;
    prompt.send_keys(&format!("{CTRL}z{NULL}")).await.unwrap();
    h.wait_until(
        "one shot again",
        "document.querySelector('#shot-1-prompt') === null",
    )
    .await;
    // The same field keeps the focus across the undo.
    h.wait_for("#shot-0-prompt")
        .await
        .send_keys(&format!("{CTRL}z{NULL}"))
        .await
        .unwrap();
    h.wait_until(
        "the prompt to be empty",
        "document.getElementById('shot-0-prompt').value === ''",
    )
    .await;
    assert_eq!(saved_board(&h).await["shots"][0]["prompt"], "");

    // Redo by button, then by Ctrl+Shift+Z.
    h.click("#redo").await;
    h.wait_until(
        "the prompt back",
        "document.getElementById('shot-0-prompt').value === 'A lighthouse at dawn'",
    )
    .await;
    let prompt = h.wait_for("#shot-0-prompt").await;
    prompt
        .send_keys(&format!("{CTRL}{SHIFT}z{NULL}"))
        .await
        .unwrap();
    h.wait_until(
        "two shots again",
        "document.querySelector('#shot-1-prompt') !== null",
    )
    .await;
    let saved = saved_board(&h).await;
    assert_eq!(saved["shots"].as_array().unwrap().len(), 2);
    assert_eq!(saved["shots"][0]["prompt"], "A lighthouse at dawn");
    assert!(
        h.wait_for("#redo")
            .await
            .attr("disabled")
            .await
            .unwrap()
            .is_some(),
        "nothing left to redo"
    );

    let stats = h.sim_stats().await;
    assert_eq!(
        stats["creates_seen"], 0,
        "undo and redo sent nothing: {stats}"
    );
    assert!(
        h.find_all("#jobs li").await.is_empty(),
        "no job was started"
    );
    h.close().await;
}

#[tokio::test]
async fn question_mark_lists_the_shortcuts() {
    let h = Harness::start().await;
    h.open_editor().await;
    let overlay_shown = "!document.getElementById('shortcuts').classList.contains('hidden')";
    assert_eq!(
        h.eval(&format!("return {overlay_shown};"), vec![]).await,
        false
    );

    // `?` typed in a prompt is text.
    let prompt = h.wait_for("#shot-0-prompt").await;
    type_into(&prompt, "Who is there?").await;
    assert_eq!(
        h.eval(&format!("return {overlay_shown};"), vec![]).await,
        false
    );

    // Elsewhere it opens the list; Escape closes it.
    h.click("#timeline").await;
    h.wait_for("#timeline").await.send_keys("?").await.unwrap();
    h.wait_until("the shortcut list", overlay_shown).await;
    let listed = h.text("#shortcuts").await;
    for keys in ["Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+S", "Alt+N", "Alt+B", "?"] {
        assert!(listed.contains(keys), "{keys} missing from: {listed}");
    }
    h.screenshot("shortcuts").await;
    h.wait_for("#shortcuts-close")
        .await
        .send_keys(&ESCAPE.to_string())
        .await
        .unwrap();
    h.wait_until("the list closed", &format!("!({overlay_shown})"))
        .await;
    h.close().await;
}

#[tokio::test]
async fn the_library_keeps_searches_duplicates_and_undeletes_boards() {
    let h = Harness::start().await;
    h.open_editor().await;
    set_title(&h, "Harbour at dawn").await;

    h.click("#library-toggle").await;
    library_shows(&h, &["Harbour at dawn"]).await;
    h.click("#library-new").await;
    h.wait_until(
        "an empty title",
        "document.getElementById('board-title').value === ''",
    )
    .await;
    set_title(&h, "Night market").await;

    h.click("#library-toggle").await;
    library_shows(&h, &["Harbour at dawn", "Night market"]).await;
    let current = h
        .eval(
            "return document.querySelector('#library-list [aria-current=true] .library-open').innerText;",
            vec![],
        )
        .await;
    assert_eq!(current, "Night market");

    // Search by title.
    type_into(&h.wait_for("#library-search").await, "HARB").await;
    library_shows(&h, &["Harbour at dawn"]).await;
    h.screenshot("library-search").await;
    h.wait_for("#library-search").await.clear().await.unwrap();
    type_into(&h.wait_for("#library-search").await, "zzz").await;
    h.wait_until(
        "the no-match note",
        "document.getElementById('library').innerText.includes(\"No board titled like 'zzz'\")",
    )
    .await;
    h.wait_for("#library-search").await.clear().await.unwrap();
    type_into(&h.wait_for("#library-search").await, " ").await;

    // Open, duplicate.
    h.click(&item_button(&h, "Harbour at dawn", "library-open").await)
        .await;
    h.wait_until(
        "the harbour board",
        "document.getElementById('board-title').value === 'Harbour at dawn'",
    )
    .await;
    h.click("#library-toggle").await;
    h.click(&item_button(&h, "Harbour at dawn", "library-duplicate").await)
        .await;
    library_shows(
        &h,
        &["Harbour at dawn", "Harbour at dawn (copy)", "Night market"],
    )
    .await;

    // Delete, then undo.
    h.click(&item_button(&h, "Night market", "library-delete").await)
        .await;
    library_shows(&h, &["Harbour at dawn", "Harbour at dawn (copy)"]).await;
    h.screenshot("library-deleted").await;
    h.click("#library-undo").await;
    library_shows(
        &h,
        &["Harbour at dawn", "Harbour at dawn (copy)", "Night market"],
    )
    .await;

    // The current board and the library survive a reload.
    h.client.refresh().await.unwrap();
    h.wait_for("body[data-ready] #timeline").await;
    assert_eq!(title(&h).await, "Harbour at dawn");
    h.click("#library-toggle").await;
    library_shows(
        &h,
        &["Harbour at dawn", "Harbour at dawn (copy)", "Night market"],
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn a_second_tab_learns_of_changes_and_overwrites_nothing_silently() {
    let h = Harness::start().await;
    h.open_editor().await;
    set_title(&h, "Harbour").await;
    let first = h.client.window().await.unwrap();

    let second = h.client.new_window(true).await.unwrap();
    h.client.switch_to_window(second.handle).await.unwrap();
    h.open_editor().await;
    assert_eq!(title(&h).await, "Harbour");
    type_into(&h.wait_for("#board-title").await, " at dusk").await;
    h.wait_until(
        "the second tab's save",
        "JSON.parse(localStorage.getItem('storyreel.board')).title === 'Harbour at dusk'",
    )
    .await;

    h.client.switch_to_window(first).await.unwrap();
    h.wait_for("#tab-conflict").await;
    // Edits here wait for the user's choice instead of overwriting.
    type_into(&h.wait_for("#board-title").await, "!").await;
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(saved_board(&h).await["title"], "Harbour at dusk");
    h.screenshot("tab-conflict").await;

    h.click("#conflict-load").await;
    h.wait_until(
        "the other tab's version",
        "document.getElementById('board-title').value === 'Harbour at dusk'",
    )
    .await;
    assert!(h.find_all("#tab-conflict").await.is_empty());
    // Undo brings this tab's version back.
    h.click("#undo").await;
    h.wait_until(
        "this tab's version",
        "document.getElementById('board-title').value === 'Harbour!'",
    )
    .await;
    h.close().await;
}

/// Records downloads instead of saving them: `window.__downloads` gets
/// `[name, text or data URL]`.
async fn capture_downloads(h: &Harness) {
    h.eval(
        "window.__downloads = [];
         URL.revokeObjectURL = () => {};
         HTMLAnchorElement.prototype.click = function () {
           const name = this.download, href = this.href;
           if (href.startsWith('blob:')) {
             fetch(href).then(r => r.text()).then(t => window.__downloads.push([name, t]));
           } else {
             window.__downloads.push([name, href]);
           }
         };",
        vec![],
    )
    .await;
}

async fn next_download(h: &Harness, n: usize) -> (String, String) {
    let v = h
        .wait_until(
            &format!("download {n}"),
            &format!("window.__downloads.length > {n} && window.__downloads[{n}]"),
        )
        .await;
    (
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn shot_lists_and_a_contact_sheet_are_exported() {
    let h = Harness::start().await;
    h.open_editor().await;
    h.load_board(&json!({
        "format": "storyreel/1",
        "title": "Harbour at dawn",
        "references": [{"name": "mia", "kind": "image", "src": "https://example.com/mia.png"}],
        "shots": [
            {"prompt": "@mia walks the pier, \"Morning!\" she says | waves", "duration": 4},
            {"prompt": "Gulls, wide shot", "duration": 6}
        ]
    }))
    .await;
    capture_downloads(&h).await;

    h.click("#file-menu summary").await;
    h.click("#export-md").await;
    let (name, md) = next_download(&h, 0).await;
    assert_eq!(name, "harbour-at-dawn.shots.md");
    assert!(md.contains("# Harbour at dawn"), "{md}");
    assert!(md.contains("| 2 | 0:04 | 6 s | Gulls, wide shot |"), "{md}");
    assert!(md.contains("\\| waves"), "the pipe is escaped: {md}");

    h.click("#file-menu summary").await;
    h.click("#export-csv").await;
    let (name, csv) = next_download(&h, 1).await;
    assert_eq!(name, "harbour-at-dawn.shots.csv");
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("shot,start_s,duration_s,prompt,mentions")
    );
    assert_eq!(
        lines.next(),
        Some("1,0,4,\"@mia walks the pier, \"\"Morning!\"\" she says | waves\",mia")
    );

    h.click("#file-menu summary").await;
    h.click("#export-png").await;
    let (name, png) = next_download(&h, 2).await;
    assert_eq!(name, "harbour-at-dawn.contact-sheet.png");
    assert!(
        png.starts_with("data:image/png;base64,"),
        "{}",
        &png[..40.min(png.len())]
    );
    let size = h
        .eval(
            "const img = new Image();
             return new Promise(ok => { img.onload = () => ok([img.naturalWidth, img.naturalHeight]); img.src = arguments[0]; });",
            vec![json!(png)],
        )
        .await;
    assert_eq!(size, json!([1340, 376]), "three columns, one row of cards");

    // Ctrl+S exports the board file.
    let prompt = h.wait_for("#shot-1-prompt").await;
    prompt.send_keys(&format!("{CTRL}s{NULL}")).await.unwrap();
    let (name, text) = next_download(&h, 3).await;
    assert_eq!(name, "harbour-at-dawn.storyreel.json");
    let board = storyreel_core::Board::from_json_draft(&text).expect("a board file");
    assert_eq!(board.shots.len(), 2);
    h.close().await;
}

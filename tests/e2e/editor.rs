//! The editor, end to end: the real release build in headless Chromium.

use serde_json::{json, Value};
use storyreel_e2e::{type_into, Harness};

/// The board as autosaved in the browser.
async fn saved_board(h: &Harness) -> Value {
    let text = h
        .eval("return localStorage.getItem('storyreel.board');", vec![])
        .await;
    serde_json::from_str(text.as_str().expect("a saved board")).expect("saved board is JSON")
}

async fn shot_durations(h: &Harness) -> Vec<u64> {
    saved_board(h).await["shots"]
        .as_array()
        .expect("shots")
        .iter()
        .map(|s| s["duration"].as_u64().expect("duration"))
        .collect()
}

async fn status(h: &Harness) -> String {
    h.eval(
        "return document.getElementById('status').innerText;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

async fn problems(h: &Harness) -> String {
    h.eval(
        "return document.getElementById('problems').innerText;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[tokio::test]
async fn six_shots_fit_and_a_seventh_is_refused() {
    let h = Harness::start().await;
    h.open_editor().await;
    // Make room: shot 1 from 5 s down to 1 s.
    for _ in 0..4 {
        h.click("#shot-0-shorter").await;
    }
    assert_eq!(shot_durations(&h).await, vec![1]);
    for _ in 0..5 {
        h.click("#add-shot").await;
    }
    let durations = shot_durations(&h).await;
    assert_eq!(durations.len(), 6, "six shots: {durations:?}");
    assert_eq!(durations.iter().sum::<u64>(), 15);
    assert_eq!(h.find_all(".shot-card").await.len(), 6);

    let add = h.wait_for("#add-shot").await;
    assert_eq!(add.attr("disabled").await.unwrap().as_deref(), Some("true"));
    let why = h.text("#add-shot-why").await;
    assert!(why.contains("at most 6 shots"), "reason shown: {why}");
    // A click on the disabled button changes nothing.
    let _ = add.click().await;
    assert_eq!(shot_durations(&h).await.len(), 6);
    // "Shot 6 added." clears itself, so it does not cover the page.
    assert!(status(&h).await.contains("Shot 6 added"));
    h.wait_until(
        "the message to clear",
        "document.getElementById('status').innerText.trim() === ''",
    )
    .await;
    h.screenshot("six-shots").await;
    h.close().await;
}

#[tokio::test]
async fn the_duration_budget_cannot_be_exceeded() {
    let h = Harness::start().await;
    h.open_editor().await;
    // 5 + 3 + 3 + 3 + 1 = 15 s.
    for _ in 0..4 {
        h.click("#add-shot").await;
    }
    assert_eq!(shot_durations(&h).await, vec![5, 3, 3, 3, 1]);
    let summary = h.text("#time-summary").await;
    assert!(
        summary.contains("15 s") && summary.contains("0 s left"),
        "{summary}"
    );
    let why = h.text("#add-shot-why").await;
    assert!(why.contains("no time left"), "{why}");

    // Growing a shot now is refused with a message.
    h.click("#shot-0-longer").await;
    assert_eq!(shot_durations(&h).await, vec![5, 3, 3, 3, 1]);
    let msg = status(&h).await;
    assert!(
        msg.contains(
            "would make the video 16 s; the limit is 15 s, so this shot can last at most 5 s"
        ),
        "message: {msg}"
    );

    // Same from the keyboard on a focused timeline card.
    h.eval(
        "const c = document.querySelector('.shot-card'); c.focus();
         c.dispatchEvent(new KeyboardEvent('keydown', {key: '+', bubbles: true}));",
        vec![],
    )
    .await;
    assert_eq!(shot_durations(&h).await, vec![5, 3, 3, 3, 1]);

    // Shrinking frees time, which can then be used.
    h.click("#shot-1-shorter").await;
    assert_eq!(
        shot_durations(&h).await,
        vec![5, 2, 3, 3, 1],
        "status: {}",
        status(&h).await
    );
    h.click("#shot-0-longer").await;
    assert_eq!(shot_durations(&h).await, vec![6, 2, 3, 3, 1]);
    h.close().await;
}

#[tokio::test]
async fn a_reload_restores_the_board_exactly() {
    let h = Harness::start().await;
    h.open_editor().await;
    let title = h.wait_for("#board-title").await;
    type_into(&title, "Night market").await;
    let prompt = h.wait_for("#shot-0-prompt").await;
    type_into(&prompt, "Wide shot: lanterns sway above the stalls.").await;
    h.click("#add-shot").await;
    let second = h.wait_for("#shot-1-prompt").await;
    type_into(&second, "Close-up: \"Have you seen my brother?\"").await;
    h.eval(
        "const s = document.getElementById('setting-resolution'); s.value = '720p';
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await;
    let before = saved_board(&h).await;
    assert_eq!(before["resolution"], "720p");

    h.client.refresh().await.expect("reload");
    h.wait_for("body[data-ready] #timeline").await;
    let after = saved_board(&h).await;
    assert_eq!(before, after);
    let shown_title = h
        .eval(
            "return document.getElementById('board-title').value;",
            vec![],
        )
        .await;
    assert_eq!(shown_title, json!("Night market"));
    let shown_prompt = h
        .eval(
            "return document.getElementById('shot-1-prompt').value;",
            vec![],
        )
        .await;
    assert_eq!(
        shown_prompt,
        json!("Close-up: \"Have you seen my brother?\"")
    );
    assert_eq!(h.find_all(".shot-card").await.len(), 2);
    let resolution = h
        .eval(
            "return document.getElementById('setting-resolution').value;",
            vec![],
        )
        .await;
    assert_eq!(resolution, json!("720p"));
    h.close().await;
}

#[tokio::test]
async fn the_shot_prompt_limit_is_shown_live() {
    let h = Harness::start().await;
    h.open_editor().await;
    let prompt = h.wait_for("#shot-0-prompt").await;
    type_into(&prompt, &"a".repeat(512)).await;
    assert_eq!(h.text("#shot-0-prompt-count").await, "512 / 512");
    assert!(!problems(&h).await.contains("characters"));

    type_into(&prompt, "b").await;
    assert_eq!(h.text("#shot-0-prompt-count").await, "513 / 512");
    let p = problems(&h).await;
    assert!(
        p.contains("the prompt is 513 characters; the limit is 512"),
        "{p}"
    );
    let invalid = prompt.attr("aria-invalid").await.unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    h.screenshot("prompt-over-limit").await;

    // The text is kept, not cut: one character off brings it back in.
    type_into(&prompt, "\u{E003}").await; // Backspace
    assert_eq!(h.text("#shot-0-prompt-count").await, "512 / 512");
    assert!(!problems(&h).await.contains("characters"));
    h.close().await;
}

#[tokio::test]
async fn unknown_mentions_are_flagged_and_cast_names_complete() {
    let h = Harness::start().await;
    h.open_editor().await;
    let prompt = h.wait_for("#shot-0-prompt").await;
    type_into(&prompt, "@bob waves at the camera.").await;
    let p = problems(&h).await;
    assert!(p.contains("@bob is not in the cast"), "{p}");
    h.wait_for("#shot-0 mark.mention.unknown").await;

    // Clicking the problem focuses the prompt.
    h.click("#problems button.problem[data-target='shot-0-prompt']")
        .await;
    let active = h.eval("return document.activeElement.id;", vec![]).await;
    assert_eq!(active, json!("shot-0-prompt"));

    // Adding bob to the cast resolves it.
    h.click(".cast-by-address summary").await;
    type_into(&h.wait_for("#cast-name").await, "bob").await;
    type_into(
        &h.wait_for("#cast-value").await,
        "https://example.com/bob.png",
    )
    .await;
    h.click("#cast-add").await;
    h.wait_until(
        "the problem to clear",
        "!document.getElementById('problems').innerText.includes('@bob')",
    )
    .await;
    assert!(h.find_all("#shot-0 mark.mention.unknown").await.is_empty());
    h.wait_for("#shot-0 mark.mention").await;

    // `@` completion in another shot.
    h.click("#add-shot").await;
    let second = h.wait_for("#shot-1-prompt").await;
    type_into(&second, "Then @b").await;
    let option = h.text("#shot-1-prompt-menu li[aria-selected='true']").await;
    assert_eq!(option, "@bob");
    h.screenshot("mention-completion").await;
    type_into(&second, "\u{E007}").await; // Enter
    let value = h
        .eval(
            "return document.getElementById('shot-1-prompt').value;",
            vec![],
        )
        .await;
    assert_eq!(value, json!("Then @bob "));
    h.close().await;
}

#[tokio::test]
async fn a_broken_import_is_refused_and_the_board_is_untouched() {
    let h = Harness::start().await;
    h.open_editor().await;
    let prompt = h.wait_for("#shot-0-prompt").await;
    type_into(&prompt, "The board I am working on.").await;
    let before = saved_board(&h).await;

    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"format\": \"storyreel/1\",\n  \"shots\": [\n    {\"prompt\": \"x\", \"duration\": 3},,\n").unwrap();
    let input = h.wait_for("#import-file").await;
    input
        .send_keys(&broken.to_string_lossy())
        .await
        .expect("choose file");
    let msg = h
        .wait_until(
            "the import message",
            "document.getElementById('status').innerText.includes('broken.json')",
        )
        .await;
    let msg = msg.as_str().map(str::to_string).unwrap_or_default();
    let msg = if msg.contains("broken.json") {
        msg
    } else {
        status(&h).await
    };
    assert!(msg.contains("Could not import broken.json"), "{msg}");
    assert!(msg.contains("line 4"), "names the line: {msg}");
    assert!(msg.contains("unchanged"), "{msg}");
    assert_eq!(saved_board(&h).await, before);
    h.screenshot("import-refused").await;

    let future = dir.path().join("future.json");
    std::fs::write(&future, r#"{"format": "storyreel/9", "shots": []}"#).unwrap();
    h.wait_for("#import-file")
        .await
        .send_keys(&future.to_string_lossy())
        .await
        .unwrap();
    h.wait_until(
        "the format message",
        "document.getElementById('status').innerText.includes('storyreel/9')",
    )
    .await;
    assert_eq!(saved_board(&h).await, before);

    // A valid board imports and replaces it.
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        r#"{"format": "storyreel/1", "title": "Imported", "shots": [{"prompt": "One", "duration": 4}, {"prompt": "Two", "duration": 6}]}"#,
    )
    .unwrap();
    h.wait_for("#import-file")
        .await
        .send_keys(&good.to_string_lossy())
        .await
        .unwrap();
    h.wait_until(
        "the import",
        "document.getElementById('status').innerText.includes('Imported')",
    )
    .await;
    assert_eq!(shot_durations(&h).await, vec![4, 6]);
    h.close().await;
}

#[tokio::test]
async fn shots_reorder_by_keyboard_and_buttons() {
    let h = Harness::start().await;
    h.open_editor().await;
    type_into(&h.wait_for("#shot-0-prompt").await, "first").await;
    h.click("#add-shot").await;
    type_into(&h.wait_for("#shot-1-prompt").await, "second").await;

    // Alt+→ on the first card moves it after the second.
    h.eval(
        "const c = document.querySelector('.shot-card'); c.focus();
         c.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', altKey: true, bubbles: true}));",
        vec![],
    )
    .await;
    let prompts = |b: Value| -> Vec<String> {
        b["shots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["prompt"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(prompts(saved_board(&h).await), vec!["second", "first"]);
    let focused = h.wait_until("focus to follow the card", "document.activeElement.classList.contains('shot-card') && document.activeElement.innerText").await;
    assert!(
        focused.as_str().unwrap_or_default().contains("first"),
        "focus stays on the moved card"
    );

    // The "earlier" button on shot 2 moves it back.
    h.click("button[aria-label='Move shot 2 earlier']").await;
    assert_eq!(prompts(saved_board(&h).await), vec!["first", "second"]);
    h.close().await;
}

#[tokio::test]
async fn looks_right_on_a_phone() {
    let h = Harness::start().await;
    h.set_window_size(390, 844).await;
    h.open_editor().await;
    type_into(
        &h.wait_for("#shot-0-prompt").await,
        "Wide shot of the market at night.",
    )
    .await;
    h.click("#add-shot").await;
    let overflow = h
        .eval(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await;
    assert_eq!(overflow, json!(0), "no sideways scrolling at 390 px");
    // The price stays in view when scrolled to the end.
    let cost_visible = h
        .eval(
            "window.scrollTo(0, document.body.scrollHeight);
             const r = document.getElementById('cost').getBoundingClientRect();
             return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;",
            vec![],
        )
        .await;
    assert_eq!(
        cost_visible,
        json!(true),
        "the estimated cost is visible on a phone"
    );
    // The new shot has no prompt: Generate says why it waits, beside the
    // button, over nothing else of the header.
    assert_hint_covers_nothing(&h, "at 390 px").await;
    h.screenshot("phone").await;
    h.set_window_size(1280, 800).await;
    assert_hint_covers_nothing(&h, "at 1280x800").await;
    h.screenshot("desktop-header").await;
    h.close().await;
}

/// Generate's reason ("Fix 1 problem first.") is shown and overlaps none
/// of the header's other controls.
async fn assert_hint_covers_nothing(h: &Harness, at: &str) {
    let covered = h
        .eval(
            "window.scrollTo(0, 0);
             const why = document.getElementById('generate-why');
             const w = why.getBoundingClientRect();
             if (w.width === 0 || !why.textContent.includes('first')) return 'no hint shown';
             const hit = [...document.querySelectorAll(
                 '.topbar .brand, .topbar .title-field, .topbar .settings label, .topbar .file-actions > *, #generate')]
                 .filter(e => {
                     const r = e.getBoundingClientRect();
                     return r.width > 0 && r.left < w.right && w.left < r.right
                         && r.top < w.bottom && w.top < r.bottom;
                 })
                 .map(e => e.id || e.className);
             return hit.join(', ');",
            vec![],
        )
        .await;
    assert_eq!(covered, json!(""), "Generate's reason covers nothing {at}");
}

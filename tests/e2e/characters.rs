//! The character library, end to end on the Kling simulator: a character
//! made from two images (a bad picture refused with nothing uploaded), its
//! Kling element made with a reload in the middle that resumes to exactly
//! one element (and a double click that makes no second one), the
//! character in two boards with one generated, the element deleted at
//! Kling after a confirm that names both boards, and both boards flagging
//! it. Screenshots of the panel at 1280×800 and 390 px wide.

use serde_json::{json, Value};
use storyreel_e2e::{stored_files, type_into, Harness};

/// Simulator timings short enough for a test, long enough to reload in
/// the middle of a creation.
const QUICK: [&str; 5] = [
    "--sim-submit-ms",
    "600",
    "--sim-process-ms",
    "3000",
    "--sim-control",
];

/// Draws JPEGs in the page and hands them to the file input `input_id`.
const PICK: &str = r#"
const [inputId, specs] = arguments;
const files = [];
for (const s of specs) {
  const c = new OffscreenCanvas(s.w, s.h);
  const ctx = c.getContext('2d');
  const g = ctx.createLinearGradient(0, 0, s.w, s.h);
  g.addColorStop(0, '#2b6cb0'); g.addColorStop(1, '#f6ad55');
  ctx.fillStyle = g; ctx.fillRect(0, 0, s.w, s.h);
  ctx.fillStyle = '#fff'; ctx.font = `${Math.floor(s.h / 6)}px sans-serif`;
  ctx.fillText(s.name, s.w / 10, s.h / 2);
  const blob = await c.convertToBlob({type: 'image/jpeg', quality: 0.9});
  files.push(new File([blob], s.name, {type: 'image/jpeg'}));
}
const dt = new DataTransfer();
files.forEach(f => dt.items.add(f));
const input = document.getElementById(inputId);
input.files = dt.files;
input.dispatchEvent(new Event('change', {bubbles: true}));
return files.length;
"#;

async fn pick(h: &Harness, input_id: &str, specs: Value) {
    h.eval(PICK, vec![json!(input_id), specs]).await;
}

fn jpeg(name: &str, w: u32, h: u32) -> Value {
    json!({"name": name, "w": w, "h": h})
}

async fn start() -> (Harness, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("upload dir");
    let path = dir.path().to_string_lossy().to_string();
    let mut args: Vec<&str> = QUICK.to_vec();
    args.extend(["--upload-dir", &path]);
    let h = Harness::start_with(&args).await;
    h.open_editor().await;
    h.wait_for("#sim-banner").await;
    (h, dir)
}

/// Opens the character panel (if closed).
async fn open_characters(h: &Harness) {
    if h.find_all("#characters").await.is_empty() {
        h.click("#characters-toggle").await;
    }
    h.wait_for("#characters").await;
}

/// The character card named `name`, as a CSS selector, once it is shown.
async fn card(h: &Harness, name: &str) -> String {
    let id = h
        .wait_until(
            &format!("the character '{name}' in the library"),
            &format!(
                "[...document.querySelectorAll('#characters-list .character-item')]
                   .filter(li => li.querySelector('.character-name')?.textContent === {})
                   .map(li => li.id)[0] || ''",
                serde_json::to_string(name).unwrap()
            ),
        )
        .await;
    format!("#{}", id.as_str().expect("an id"))
}

/// Makes the character `name` from a frontal image and one other.
async fn make_character(h: &Harness, name: &str) -> String {
    open_characters(h).await;
    h.click("#characters-new").await;
    type_into(&h.wait_for("#character-new-name").await, name).await;
    type_into(
        &h.wait_for("#character-new-description").await,
        "Red coat, short dark hair",
    )
    .await;
    pick(
        h,
        "character-new-frontal",
        json!([jpeg("front.jpg", 600, 800)]),
    )
    .await;
    pick(
        h,
        "character-new-others",
        json!([jpeg("side.jpg", 640, 800)]),
    )
    .await;
    h.wait_until(
        "both pictures to pass their checks",
        "document.querySelectorAll('#character-new-form .character-picked').length === 2",
    )
    .await;
    h.click("#character-new-save").await;
    card(h, name).await
}

/// Presses Generate and confirms the spend where the app asks.
async fn generate(h: &Harness) {
    h.eval("document.getElementById('generate').click();", vec![])
        .await;
    h.eval(
        "const b = document.getElementById('generate-confirm'); if (b) b.click();",
        vec![],
    )
    .await;
}

/// The simulator's element tasks for this account (deleted ones too).
async fn sim_elements(h: &Harness) -> Vec<Value> {
    let (status, body) = h
        .http(
            "GET",
            "/api/kling/v1/general/advanced-custom-elements?pageNum=1&pageSize=100",
            None,
        )
        .await;
    assert_eq!(status, 200, "element list: {body}");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    v["data"].as_array().cloned().unwrap_or_default()
}

async fn element_state(h: &Harness, sel: &str) -> String {
    h.eval(
        "return document.querySelector(arguments[0])?.dataset.element || '';",
        vec![json!(sel)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

async fn wait_element_state(h: &Harness, sel: &str, state: &str) {
    h.wait_until(
        &format!("{sel} to be '{state}'"),
        &format!(
            "document.querySelector({})?.dataset.element === {}",
            serde_json::to_string(sel).unwrap(),
            serde_json::to_string(state).unwrap()
        ),
    )
    .await;
}

#[tokio::test]
async fn a_character_is_made_from_two_images_and_a_bad_picture_is_refused() {
    let (h, dir) = start().await;
    open_characters(&h).await;
    h.click("#characters-new").await;
    // A picture too small for Kling: refused by name, limit and value;
    // nothing uploaded, library unchanged.
    pick(
        &h,
        "character-new-frontal",
        json!([jpeg("tiny.jpg", 200, 200)]),
    )
    .await;
    let refusal = h.text("#character-new-refusals li.refused").await;
    assert!(refusal.contains("tiny.jpg"), "{refusal}");
    assert!(refusal.contains("300"), "names the limit: {refusal}");
    assert!(refusal.contains("200"), "names the value: {refusal}");
    assert_eq!(stored_files(dir.path()), 0, "nothing uploaded");
    assert!(h
        .find_all("#characters-list .character-item")
        .await
        .is_empty());
    h.screenshot("characters-form-1280").await;
    // Cancel, then make it properly.
    h.click("#character-new-form .link-like").await;

    let sel = make_character(&h, "Mia").await;
    let text = h.text(&sel).await;
    assert!(text.contains("Character · 2 images"), "{text}");
    assert!(text.contains("No Kling element yet"), "{text}");
    assert_eq!(stored_files(dir.path()), 2, "both pictures uploaded");
    // Its frontal image is the thumbnail.
    h.wait_until(
        "the thumbnail to load",
        &format!("document.querySelector('{sel} img.character-thumb')?.naturalWidth > 0"),
    )
    .await;

    // It survives a reload (IndexedDB).
    h.client.refresh().await.expect("reload");
    h.wait_for("body[data-ready] #timeline").await;
    open_characters(&h).await;
    card(&h, "Mia").await;

    h.set_window_size(1280, 800).await;
    h.screenshot("characters-1280").await;
    h.set_window_size(390, 844).await;
    h.screenshot("characters-390").await;
    h.close().await;
}

#[tokio::test]
async fn its_element_survives_a_reload_mid_creation_and_is_made_once() {
    let (h, _dir) = start().await;
    let sel = make_character(&h, "Mia").await;
    // A double click: one task of the page's event loop, two clicks.
    h.eval(
        "const b = document.querySelector(arguments[0] + ' .character-make');
         b.click(); b.click();",
        vec![json!(sel)],
    )
    .await;
    wait_element_state(&h, &sel, "making").await;
    // Reload while Kling is still making it.
    h.client.refresh().await.expect("reload");
    h.wait_for("body[data-ready] #timeline").await;
    open_characters(&h).await;
    let sel = card(&h, "Mia").await;
    let state = element_state(&h, &sel).await;
    assert!(
        state == "making" || state == "ready",
        "after the reload the element is {state}"
    );
    // When the reload cut the create off before it left, the making looks
    // its key up with growing pauses (2, 4, 8, 16 s) before it sends it
    // again, so this can take longer than a click's wait.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let state = element_state(&h, &sel).await;
        if state == "ready" {
            break;
        }
        assert!(
            state == "making" && tokio::time::Instant::now() < deadline,
            "the element did not get made after the reload: it is {state}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let text = h.text(&sel).await;
    assert!(text.contains("Kling element "), "{text}");
    let elements = sim_elements(&h).await;
    assert_eq!(elements.len(), 1, "exactly one element: {elements:?}");
    h.close().await;
}

#[tokio::test]
async fn used_in_two_boards_generated_then_deleted_at_kling_both_boards_flag_it() {
    let (h, _dir) = start().await;
    let sel = make_character(&h, "Mia").await;
    h.click(&format!("{sel} .character-make")).await;
    wait_element_state(&h, &sel, "ready").await;

    // Board one.
    let title = h.wait_for("#board-title").await;
    title.clear().await.expect("clear");
    type_into(&title, "Pier").await;
    h.click(&format!("{sel} .character-add")).await;
    h.wait_for("#ref-mia").await;
    let detail = h.text("#ref-mia .cast-detail").await;
    assert!(detail.contains("character · Kling element"), "{detail}");
    type_into(
        &h.wait_for("#shot-0-prompt").await,
        "@mia walks along the pier at dusk.",
    )
    .await;

    // Board two: a new board from the library.
    h.click("#characters .status-close").await;
    h.click("#library-toggle").await;
    h.click("#library-new").await;
    h.wait_until(
        "the new board",
        "document.querySelector('#board-title')?.value === ''",
    )
    .await;
    let title = h.wait_for("#board-title").await;
    type_into(&title, "Harbour").await;
    open_characters(&h).await;
    let sel = card(&h, "Mia").await;
    h.click(&format!("{sel} .character-add")).await;
    h.wait_for("#ref-mia").await;
    type_into(
        &h.wait_for("#shot-0-prompt").await,
        "@mia waves from the harbour wall.",
    )
    .await;
    h.click("#characters .status-close").await;

    // Generate board two.
    h.wait_until(
        "Generate to be enabled",
        "document.querySelector('#generate') && !document.querySelector('#generate').disabled",
    )
    .await;
    generate(&h).await;
    h.wait_until(
        "the job to finish",
        "document.querySelector('#jobs [data-phase=\"finished\"]')",
    )
    .await;

    // Its share link tells the recipient that the element id works for
    // this Kling account only.
    h.click("#share").await;
    h.wait_for("#share-link").await;
    let note = h.text("#share-element-note").await;
    assert!(
        note.contains("@mia") && note.contains("only for the Kling account"),
        "{note}"
    );
    h.click("#share-close").await;

    // Delete at Kling: the confirm names both boards.
    open_characters(&h).await;
    let sel = card(&h, "Mia").await;
    h.click(&format!("{sel} .character-delete-kling")).await;
    let confirm = h.text(&format!("{sel} .character-confirm")).await;
    assert!(confirm.contains("'Pier'"), "{confirm}");
    assert!(confirm.contains("'Harbour'"), "{confirm}");
    h.click(&format!("{sel} .character-delete-kling-confirm"))
        .await;
    wait_element_state(&h, &sel, "deleted").await;
    let elements = sim_elements(&h).await;
    assert_eq!(elements.len(), 1);
    assert!(
        elements[0].to_string().contains("deleted"),
        "the simulator has it deleted: {}",
        elements[0]
    );

    // This board flags it...
    h.click("#characters .status-close").await;
    h.wait_until(
        "the problem on Harbour",
        "document.querySelector('#problems')?.textContent.includes('was deleted at Kling')",
    )
    .await;
    assert!(
        h.eval(
            "return document.getElementById('generate').disabled;",
            vec![]
        )
        .await
            == json!(true),
        "Generate is blocked"
    );
    // ...and so does the other one.
    h.click("#library-toggle").await;
    h.wait_for("#library-list .library-open").await;
    h.eval(
        "[...document.querySelectorAll('#library-list .library-open')]
           .find(b => b.textContent === 'Pier').click();",
        vec![],
    )
    .await;
    h.wait_until(
        "Pier to open",
        "document.querySelector('#board-title')?.value === 'Pier'",
    )
    .await;
    h.wait_until(
        "the problem on Pier",
        "document.querySelector('#problems')?.textContent.includes('was deleted at Kling')",
    )
    .await;
    h.close().await;
}

/// A loopback stand-in for fal's queue: records each submitted body and
/// answers as fal does (queued).
async fn fake_fal() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Value>>>) {
    use axum::routing::any;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let origin = format!("http://{}", listener.local_addr().expect("address"));
    let record = seen.clone();
    let app = axum::Router::new().fallback(any(
        move |method: axum::http::Method, uri: axum::http::Uri, body: String| {
            let record = record.clone();
            async move {
                if method == axum::http::Method::POST {
                    let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                    record.lock().expect("lock").push(v);
                    let base = format!("https://queue.fal.run{}", uri.path());
                    axum::Json(json!({
                        "request_id": "req-e2e-1",
                        "status_url": format!("{base}/requests/req-e2e-1/status"),
                        "response_url": format!("{base}/requests/req-e2e-1"),
                        "queue_position": 0
                    }))
                } else {
                    axum::Json(json!({"status": "IN_QUEUE", "queue_position": 0}))
                }
            }
        },
    ));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (origin, seen)
}

#[tokio::test]
async fn the_same_character_goes_to_fal_as_elements_with_both_image_urls() {
    let (fal_origin, seen) = fake_fal().await;
    let dir = tempfile::tempdir().expect("upload dir");
    let path = dir.path().to_string_lossy().to_string();
    let h = Harness::start_with_env(
        &[
            "--upload-dir",
            &path,
            "--public-base-url",
            "https://media.example.test",
            "--fal-upstream-override",
            &fal_origin,
        ],
        &[("FAL_KEY", "e2e-test-key")],
    )
    .await;
    h.open_editor().await;
    h.wait_for("#sim-banner").await;
    let sel = make_character(&h, "Mia").await;
    h.click(&format!("{sel} .character-add")).await;
    h.wait_for("#ref-mia").await;
    h.click("#characters .status-close").await;
    let board = h
        .eval("return localStorage.getItem('storyreel.board');", vec![])
        .await;
    let board: Value = serde_json::from_str(board.as_str().expect("saved")).expect("JSON");
    let look = &board["references"][0]["character"]["look"];
    let frontal = look["frontal"].as_str().expect("frontal").to_string();
    let other = look["others"][0].as_str().expect("other").to_string();
    let public = |src: &str| {
        format!(
            "https://media.example.test/uploads/{}",
            src.strip_prefix("upload:").expect("an upload")
        )
    };

    type_into(
        &h.wait_for("#shot-0-prompt").await,
        "@mia walks along the pier at dusk.",
    )
    .await;
    h.eval(
        "const s = document.getElementById('setting-provider');
         s.value = 'fal'; s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await;
    h.wait_until(
        "Generate to be enabled for fal",
        "document.querySelector('#generate') && !document.querySelector('#generate').disabled",
    )
    .await;
    generate(&h).await;
    let deadline = tokio::time::Instant::now() + storyreel_e2e::WAIT;
    let body = loop {
        if let Some(b) = seen.lock().expect("lock").first().cloned() {
            break b;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "fal received nothing"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let elements = body["elements"]
        .as_array()
        .expect("elements in the fal body");
    assert_eq!(elements.len(), 1, "{body}");
    assert_eq!(
        elements[0]["frontal_image_url"],
        json!(public(&frontal)),
        "{body}"
    );
    assert_eq!(
        elements[0]["reference_image_urls"],
        json!([public(&other)]),
        "{body}"
    );
    h.close().await;
}

#[tokio::test]
async fn a_preset_voice_is_picked_after_listening_and_speech_says_it() {
    let (h, _dir) = start().await;
    let sel = make_character(&h, "Mia").await;
    h.click(&format!("{sel} .character-voice-button")).await;
    h.wait_for(&format!("{sel} .voice-item")).await;
    // Each preset can be listened to first.
    assert!(
        !h.find_all(&format!("{sel} .voice-item audio[src]"))
            .await
            .is_empty(),
        "trial audio"
    );
    // Without a public base URL the custom voice says why it cannot be made.
    let why = h.text("#custom-voice-needs-url").await;
    assert!(why.contains("--public-base-url"), "{why}");
    let voice = h.text(&format!("{sel} .voice-item .voice-name")).await;
    h.click(&format!("{sel} .voice-item .voice-use")).await;
    h.wait_until(
        "the voice on the character",
        &format!(
            "document.querySelector('{sel} .character-voice')?.textContent.includes({})",
            serde_json::to_string(&voice).unwrap()
        ),
    )
    .await;
    h.click(&format!("{sel} .character-add")).await;
    h.wait_for("#ref-mia").await;
    h.click("#characters .status-close").await;
    type_into(
        &h.wait_for("#shot-0-prompt").await,
        "@mia looks up and says \"Is anyone there?\"",
    )
    .await;
    let spoken = h.text(".shot-lines .spoken-in").await;
    assert_eq!(spoken, format!("spoken in {voice}"));
    h.close().await;
}

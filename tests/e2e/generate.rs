//! Generating against the built-in Kling simulator, end to end: the real
//! server (no keys), the release build, headless Chromium.

use serde_json::{json, Value};
use storyreel_e2e::Harness;

/// A 3-shot board: 3 + 2 + 3 = 8 s, 720p (1280×720), sound on.
fn three_shot_board() -> Value {
    json!({
        "format": "storyreel/2",
        "title": "Lighthouse",
        "provider": "kling",
        "resolution": "720p",
        "aspect_ratio": "16:9",
        "sound": true,
        "prompt": "",
        "references": [],
        "first_frame": null,
        "last_frame": null,
        "shots": [
            {"prompt": "Wide shot: a lighthouse at dusk.", "duration": 3},
            {"prompt": "Waves break on the rocks below.", "duration": 2},
            {"prompt": "The lamp turns on and sweeps the sea.", "duration": 3}
        ]
    })
}

/// Simulator timings short enough for a test, long enough to act mid-job.
const QUICK: [&str; 5] = [
    "--sim-submit-ms",
    "400",
    "--sim-process-ms",
    "2500",
    "--sim-control",
];

async fn start() -> Harness {
    let h = Harness::start_with(&QUICK).await;
    h.open_editor().await;
    h.load_board(&three_shot_board()).await;
    h
}

async fn saved_board(h: &Harness) -> Value {
    let text = h
        .eval("return localStorage.getItem('storyreel.board');", vec![])
        .await;
    serde_json::from_str(text.as_str().expect("a saved board")).expect("saved board is JSON")
}

/// Presses Generate and, where the app asks to confirm the spend, confirms.
/// `times` clicks land in one task of the page's event loop, as a double
/// click does.
async fn generate(h: &Harness, times: u32) {
    h.wait_until(
        "Generate to be enabled",
        "document.querySelector('#generate') && !document.querySelector('#generate').disabled",
    )
    .await;
    h.eval(
        "const n = arguments[0];
         for (let i = 0; i < n; i++) document.getElementById('generate').click();",
        vec![json!(times)],
    )
    .await;
    let confirm = h
        .eval(
            "return !!document.getElementById('generate-confirm');",
            vec![],
        )
        .await;
    if confirm == json!(true) {
        h.eval(
            "const n = arguments[0];
             for (let i = 0; i < n; i++) {
               const b = document.getElementById('generate-confirm');
               if (b) b.click();
             }",
            vec![json!(times)],
        )
        .await;
    }
}

/// Waits for the first job to reach `phase`.
async fn job_phase(h: &Harness, phase: &str) {
    h.wait_until(
        &format!("a job in phase {phase}"),
        &format!("document.querySelector('#jobs [data-phase=\"{phase}\"]')"),
    )
    .await;
}

/// Waits until the player has the video's metadata; returns
/// `[duration, videoWidth, videoHeight]`.
async fn player_metadata(h: &Harness) -> Value {
    h.wait_until(
        "the player to load the clip",
        "(() => { const v = document.getElementById('player-video');
                  return v && v.readyState >= 1 && v.videoWidth > 0; })()",
    )
    .await;
    h.eval(
        "const v = document.getElementById('player-video');
         return [v.duration, v.videoWidth, v.videoHeight];",
        vec![],
    )
    .await
}

/// The colour at a 1280×720 clip's sample point at `t` seconds.
async fn colour_at(h: &Harness, t: f64) -> [u8; 3] {
    colour_of(h, t, 1280, 720).await
}

/// The colour at a `w`×`h` clip's sample point at `t` seconds.
async fn colour_of(h: &Harness, t: f64, w: u32, height: u32) -> [u8; 3] {
    let (x, y) = storyreel_clip::sample_point(w, height);
    let v = h
        .client
        .execute_async(
            "const [t, x, y, done] = arguments;
             const v = document.getElementById('player-video');
             v.pause();
             const grab = () => {
               const c = document.createElement('canvas');
               c.width = v.videoWidth; c.height = v.videoHeight;
               const g = c.getContext('2d');
               g.drawImage(v, 0, 0);
               done(Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3)));
             };
             v.addEventListener('seeked', grab, {once: true});
             v.currentTime = t;",
            vec![json!(t), json!(x), json!(y)],
        )
        .await
        .expect("seek and sample");
    let px: Vec<u8> = v
        .as_array()
        .expect("rgb")
        .iter()
        .map(|c| c.as_u64().unwrap_or(0) as u8)
        .collect();
    [px[0], px[1], px[2]]
}

fn close_to(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12)
}

#[tokio::test]
async fn a_three_shot_board_generates_and_plays_with_its_chapters() {
    let h = start().await;
    generate(&h, 1).await;
    job_phase(&h, "finished").await;
    let meta = player_metadata(&h).await;
    let duration = meta[0].as_f64().expect("duration");
    assert!((duration - 8.0).abs() < 0.1, "duration {duration}");
    assert_eq!(meta[1], json!(1280));
    assert_eq!(meta[2], json!(720));
    assert_eq!(h.find_all("#player .chapter").await.len(), 3);

    // Each shot shows its own colour, where the board says it is.
    for (shot, t) in [(0usize, 1.5), (1, 4.0), (2, 6.5)] {
        let got = colour_at(&h, t).await;
        let want = storyreel_clip::shot_color(shot);
        assert!(
            close_to(got, want),
            "shot {shot} at {t}s: {got:?}, want {want:?}"
        );
    }
    h.screenshot("generate-finished").await;
    let stats = h.sim_stats().await;
    assert_eq!(stats["tasks"], 1);
    h.close().await;
}

#[tokio::test]
async fn a_reload_mid_job_still_brings_the_clip() {
    let h = start().await;
    generate(&h, 1).await;
    h.wait_until(
        "the job to be accepted",
        "document.querySelector('#jobs [data-phase=\"submitted\"], #jobs [data-phase=\"running\"]')",
    )
    .await;
    h.client.refresh().await.expect("reload");
    h.wait_for("body[data-ready] #timeline").await;
    job_phase(&h, "finished").await;
    player_metadata(&h).await;
    let stats = h.sim_stats().await;
    assert_eq!(stats["tasks"], 1, "{stats}");
    assert_eq!(stats["creates_seen"], 1, "{stats}");
    h.close().await;
}

#[tokio::test]
async fn a_double_click_makes_one_task() {
    let h = start().await;
    generate(&h, 2).await;
    job_phase(&h, "finished").await;
    let stats = h.sim_stats().await;
    assert_eq!(stats["creates_seen"], 1, "{stats}");
    assert_eq!(stats["tasks"], 1, "{stats}");
    assert_eq!(h.find_all("#jobs [data-phase]").await.len(), 1);
    h.close().await;
}

#[tokio::test]
async fn busy_and_server_errors_are_retried_to_one_task() {
    let h = start().await;
    h.sim_faults(json!({"create": [
        {"kind": "code", "code": 1303},
        {"kind": "code", "code": 5000}
    ]}))
    .await;
    generate(&h, 1).await;
    job_phase(&h, "finished").await;
    let stats = h.sim_stats().await;
    assert_eq!(stats["creates_seen"], 3, "{stats}");
    assert_eq!(stats["tasks"], 1, "{stats}");
    h.close().await;
}

#[tokio::test]
async fn a_dropped_create_answer_is_found_not_repeated() {
    let h = start().await;
    h.sim_faults(json!({"create": [{"kind": "drop"}]})).await;
    generate(&h, 1).await;
    job_phase(&h, "finished").await;
    let stats = h.sim_stats().await;
    // The app may send the create again (Kling refuses the duplicate key)
    // or look the key up first; either way one task ran.
    assert_eq!(stats["tasks"], 1, "{stats}");
    h.close().await;
}

#[tokio::test]
async fn a_content_safety_refusal_is_explained_and_the_board_kept() {
    let h = start().await;
    let before = saved_board(&h).await;
    h.sim_faults(json!({"create": [{"kind": "code", "code": 1301}]}))
        .await;
    generate(&h, 1).await;
    job_phase(&h, "failed").await;
    let message = h.text("#job-error").await.to_lowercase();
    assert!(message.contains("content safety"), "{message}");
    assert!(
        message.contains("no credits")
            || message.contains("not charged")
            || message.contains("nothing was charged"),
        "the user is told whether credits were spent: {message}"
    );
    assert_eq!(saved_board(&h).await, before);
    h.screenshot("generate-content-safety").await;
    let stats = h.sim_stats().await;
    assert_eq!(stats["tasks"], 0, "{stats}");
    h.close().await;
}

#[tokio::test]
async fn a_server_with_an_access_token_asks_for_it_and_then_generates() {
    let token = "e2e-token-7f3a91";
    let mut args = QUICK.to_vec();
    args.extend(["--access-token", token]);
    let h = Harness::start_with(&args).await;
    h.open_editor().await;
    h.load_board(&three_shot_board()).await;
    // Asked for, and Generate says why it waits.
    h.wait_for("#token-banner").await;
    h.wait_until(
        "Generate to wait for the token",
        "document.getElementById('generate').disabled && document.getElementById('generate-why').innerText.includes('access token')",
    )
    .await;
    // The relays refuse a call without it (the app never sends one).
    let (status, body) = h
        .http("GET", "/api/kling/v1/videos/omni-video/x", None)
        .await;
    assert_eq!(status, 401, "{body}");
    assert!(!body.contains(token));

    let input = h.wait_for("#access-token").await;
    input.send_keys(token).await.unwrap();
    h.click("#access-token-save").await;
    h.wait_until(
        "the banner to go",
        "document.getElementById('token-banner') === null",
    )
    .await;
    // Kept for this tab only.
    let kept = h
        .eval(
            "return [sessionStorage.getItem('storyreel.access-token'), localStorage.getItem('storyreel.access-token')];",
            vec![],
        )
        .await;
    assert_eq!(kept, json!([token, null]));
    generate(&h, 1).await;
    job_phase(&h, "finished").await;
    assert_eq!(h.sim_stats().await["tasks"], 1);
    // The token is in no saved board or journal entry.
    let stored = h
        .eval(
            "return JSON.stringify(Object.assign({}, localStorage));",
            vec![],
        )
        .await;
    assert!(!stored.as_str().unwrap_or_default().contains(token));
    h.close().await;
}

/// Draws a plain `w`×`h` PNG in the page and uploads it to the server; its
/// `upload:<sha256>` reference.
async fn upload_png(h: &Harness, w: u32, height: u32, colour: &str) -> String {
    let v = h
        .client
        .execute_async(
            "const [w, h, colour, done] = arguments;
             const c = document.createElement('canvas');
             c.width = w; c.height = h;
             const g = c.getContext('2d');
             g.fillStyle = colour; g.fillRect(0, 0, w, h);
             c.toBlob(b => fetch('/api/uploads', {method: 'POST', body: b,
                                  headers: {'content-type': 'image/png'}})
               .then(r => r.json()).then(j => done(j.ref), e => done(String(e))), 'image/png');",
            vec![json!(w), json!(height), json!(colour)],
        )
        .await
        .expect("draw and upload");
    let r = v.as_str().unwrap_or_default().to_string();
    assert!(r.starts_with("upload:"), "upload answer: {v}");
    r
}

/// The simulator's reading of the only task it has (needs `--sim-control`).
async fn only_task(h: &Harness) -> Value {
    let (status, text) = h.http("POST", "/api/kling/tasks", Some(json!({}))).await;
    assert_eq!(status, 200, "{text}");
    let list: Value = serde_json::from_str(&text).expect("task list");
    let tasks = list["data"]["result"].as_array().expect("a result list");
    assert_eq!(tasks.len(), 1, "{list}");
    let id = tasks[0]["id"].as_str().expect("a task id");
    let (status, text) = h
        .http("GET", &format!("/sim/kling/control/tasks/{id}"), None)
        .await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("the task's reading")
}

#[tokio::test]
async fn a_first_frame_three_shot_board_keeps_its_cast_and_plays_its_chapters() {
    let dir = tempfile::tempdir().expect("upload dir");
    let mut args = QUICK.to_vec();
    let path = dir.path().to_string_lossy().to_string();
    args.extend(["--upload-dir", &path]);
    let h = Harness::start_with(&args).await;
    h.open_editor().await;
    h.wait_for("#sim-banner").await;
    let door = upload_png(&h, 640, 360, "#c83").await;
    let mia = upload_png(&h, 400, 600, "#38c").await;
    let stall = upload_png(&h, 600, 400, "#3c8").await;
    let board = json!({
        "format": "storyreel/2",
        "title": "Night market",
        "provider": "kling",
        "resolution": "720p",
        "aspect_ratio": "16:9",
        "sound": true,
        "references": [
            {"name": "door", "kind": "image", "src": door},
            {"name": "mia", "kind": "image", "src": mia},
            {"name": "stall", "kind": "image", "src": stall}
        ],
        "first_frame": "door",
        "shots": [
            {"prompt": "@mia opens the door.", "duration": 3},
            {"prompt": "@mia walks past @stall.", "duration": 2},
            {"prompt": "The vendor at @stall waves.", "duration": 3}
        ]
    });
    h.load_board(&board).await;
    // Nothing refused for frames with several shots, and the line says
    // where the board goes.
    let route = h.text("#cost .route").await;
    assert!(route.contains("from a first frame"), "{route}");
    generate(&h, 1).await;
    job_phase(&h, "finished").await;
    let meta = player_metadata(&h).await;
    let duration = meta[0].as_f64().expect("duration");
    assert!((duration - 8.0).abs() < 0.1, "duration {duration}");
    assert_eq!(h.find_all("#player .chapter").await.len(), 3);
    // The simulator saw the first frame and both references, and three
    // shots read from the one prompt text.
    let task = only_task(&h).await;
    let inputs: Vec<&str> = task["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        inputs,
        [
            "prompt",
            "first_frame:image_1",
            "refer_image:image_2",
            "refer_image:image_3"
        ],
        "{task}"
    );
    let seconds: Vec<u64> = task["shots"]
        .as_array()
        .expect("shots")
        .iter()
        .filter_map(|s| s["seconds"].as_u64())
        .collect();
    assert_eq!(seconds, [3, 2, 3], "{task}");
    h.screenshot("generate-first-frame-multi-shot").await;
    h.close().await;
}

#[tokio::test]
async fn a_4k_board_shows_the_4k_price_and_yields_a_4k_clip() {
    let h = start().await;
    let mut board = three_shot_board();
    board["resolution"] = json!("4k");
    h.load_board(&board).await;
    let option = h
        .eval(
            "return document.querySelector('#setting-resolution option[value=\"4k\"]').textContent;",
            vec![],
        )
        .await;
    let option = option.as_str().unwrap_or_default();
    assert!(option.contains("3 units/s"), "{option}");
    assert!(option.contains("$0.42/s"), "{option}");
    // 8 s at 3 units a second: 24 units, $3.36.
    let cost = h.text("#cost").await;
    assert!(cost.contains("$3.36"), "{cost}");
    assert!(cost.contains("24 units"), "{cost}");
    generate(&h, 1).await;
    job_phase(&h, "finished").await;
    let meta = player_metadata(&h).await;
    assert_eq!(meta[1], json!(3840), "{meta}");
    assert_eq!(meta[2], json!(2160), "{meta}");
    // The browser decodes the 4K frames too: each shot in its colour.
    for (shot, t) in [(0usize, 1.5), (2, 6.5)] {
        let got = colour_of(&h, t, 3840, 2160).await;
        let want = storyreel_clip::shot_color(shot);
        assert!(
            close_to(got, want),
            "4K shot {shot} at {t}s: {got:?}, want {want:?}"
        );
    }
    let task = only_task(&h).await;
    assert_eq!(
        (task["width"].as_u64(), task["height"].as_u64()),
        (Some(3840), Some(2160))
    );
    assert_eq!(task["unit_tenths"], 240, "{task}");
    h.screenshot("generate-4k").await;
    h.close().await;
}

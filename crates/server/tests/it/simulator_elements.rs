//! The simulator's element and voice calls (providers.md §0.5, Kling's
//! Element Management and Voice Management pages), called where the
//! server mounts it (`/sim/kling`) and once through the relay: each call,
//! each refusal with its field path and value, the life of a task by the
//! clock, `external_task_id`, presets with real pictures and trial audio,
//! video requests citing elements on both designs, and faults.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use base64::Engine as _;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use storyreel_server::api::Api;
use storyreel_server::sim::SimConfig;
use storyreel_server::uploads::{StoreConfig, UploadConfig, Uploads, DEFAULT_MAX_BYTES};
use tower::ServiceExt;

use crate::common;

use common::sim_api as app;
use common::sim_call::{call, get, post, Answer, CURRENT, HOST, LEGACY, TASKS};

const ELEMENTS: &str = "/sim/kling/v1/general/advanced-custom-elements";
const PRESET_ELEMENTS: &str = "/sim/kling/v1/general/advanced-presets-elements";
const DELETE_ELEMENT: &str = "/sim/kling/v1/general/delete-advanced-elements";
const VOICES: &str = "/sim/kling/v1/general/custom-voices";
const PRESET_VOICES: &str = "/sim/kling/v1/general/presets-voices";
const DELETE_VOICE: &str = "/sim/kling/v1/general/delete-voices";
/// A preset element and a preset voice of the simulator.
const PRESET_ELEMENT: &str = "880000000001";
const PRESET_VOICE: &str = "829000000000000001";

fn quick() -> SimConfig {
    SimConfig {
        submit_ms: 20,
        process_ms: 40,
        max_concurrent: 100,
        control: true,
    }
}

/// A file the simulator serves, fetched by the address it gave (the path
/// after the host).
async fn fetch(app: &Router, url: &str) -> Answer {
    let path = url
        .strip_prefix(&format!("http://{HOST}"))
        .unwrap_or_else(|| panic!("{url} is not on the simulator"));
    call(app, "GET", path, None, None).await
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The first bytes of a PNG: enough for Kling's Base64 check.
fn png_head() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\x40\0\0\x01\x90\x08\x02\0\0\0".to_vec()
}

/// Kling's multi-image example, filled in.
fn image_element(key: &str) -> Value {
    json!({
        "element_name": "Mia",
        "element_description": "A girl in a red raincoat with a yellow umbrella",
        "reference_type": "image_refer",
        "element_image_list": {
            "frontal_image": b64(&png_head()),
            "refer_images": [
                {"image_url": "https://example.com/mia-side.png"},
                {"image_url": "https://example.com/mia-back.jpg"}
            ]
        },
        "callback_url": "",
        "external_task_id": key,
        "tag_list": [{"tag_id": "o_102"}]
    })
}

/// Kling's video-character example, filled in.
fn video_element(key: &str, url: &str) -> Value {
    json!({
        "element_name": "Omar",
        "element_description": "A fisherman in his sixties",
        "reference_type": "video_refer",
        "element_video_list": {"refer_videos": [{"video_url": url}]},
        "external_task_id": key,
        "tag_list": [{"tag_id": "o_102"}]
    })
}

/// Sets `value` at `path` (object keys or array indexes) in `body`.
fn with(mut body: Value, path: &[&str], value: Value) -> Value {
    let mut at = &mut body;
    for p in &path[..path.len() - 1] {
        at = match p.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*p],
        };
    }
    let last = path[path.len() - 1];
    match last.parse::<usize>() {
        Ok(i) => at[i] = value,
        Err(_) => at[last] = value,
    }
    body
}

/// Removes the member at `path` from `body`.
fn without(mut body: Value, path: &[&str]) -> Value {
    let mut at = &mut body;
    for p in &path[..path.len() - 1] {
        at = &mut at[*p];
    }
    if let Value::Object(o) = at {
        o.remove(path[path.len() - 1]);
    }
    body
}

/// Starts a task at `uri`; returns its `data`.
async fn start(app: &Router, uri: &str, body: &Value) -> Value {
    let a = post(app, uri, body).await;
    assert_eq!(
        (a.status, a.code()),
        (200, Some(0)),
        "{}: {body}",
        a.message()
    );
    let data = a.data();
    assert_eq!(data["task_status"], "submitted");
    assert!(data["task_id"].as_str().is_some_and(|t| !t.is_empty()));
    data
}

/// Polls `{uri}/{id}` until the task is done, at most 200 times.
async fn until_done(app: &Router, uri: &str, id: &str) -> Value {
    let mut seen = Vec::new();
    for _ in 0..200 {
        let a = get(app, &format!("{uri}/{id}")).await;
        assert_eq!(a.code(), Some(0), "{}", a.message());
        let task = a.data();
        let status = task["task_status"].as_str().unwrap_or_default().to_string();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "succeed" || status == "failed" {
            assert!(
                seen.iter().all(|s| ["submitted", "processing", "succeed", "failed"].contains(&s.as_str())),
                "{seen:?}"
            );
            return task;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("task {id} never finished");
}

/// Creates an element and waits for it; returns its element object.
async fn made_element(app: &Router, body: &Value) -> Value {
    let data = start(app, ELEMENTS, body).await;
    let task = until_done(app, ELEMENTS, data["task_id"].as_str().expect("id")).await;
    assert_eq!(task["task_status"], "succeed", "{task}");
    task["task_result"]["elements"][0].clone()
}

fn id_of(element: &Value) -> String {
    element["element_id"]
        .as_u64()
        .unwrap_or_else(|| panic!("element_id is a number: {element}"))
        .to_string()
}

/// Refused with 400/1201 and a message holding `part`.
async fn refused(app: &Router, uri: &str, body: &Value, part: &str) {
    let a = post(app, uri, body).await;
    assert_eq!(
        (a.status, a.code()),
        (400, Some(1201)),
        "{}: {body}",
        a.message()
    );
    assert!(
        a.message().contains(part),
        "{:?} lacks {part:?}",
        a.message()
    );
}

async fn faults(app: &Router, plan: Value) {
    let a = call(app, "POST", "/sim/kling/control/faults", None, Some(&plan)).await;
    assert_eq!(a.status, 204);
}

async fn inspect(app: &Router, id: &str) -> Value {
    call(
        app,
        "GET",
        &format!("/sim/kling/control/tasks/{id}"),
        None,
        None,
    )
    .await
    .json()
}

#[tokio::test]
async fn an_element_is_created_polled_listed_and_deleted() {
    let app = app(quick());
    let data = start(&app, ELEMENTS, &image_element("el-1")).await;
    assert_eq!(data["task_info"]["external_task_id"], "el-1");
    let task_id = data["task_id"].as_str().expect("id").to_string();

    let task = until_done(&app, ELEMENTS, &task_id).await;
    assert_eq!(task["task_status"], "succeed");
    assert_eq!(task["final_unit_deduction"], "0");
    let element = &task["task_result"]["elements"][0];
    let id = id_of(element);
    assert!(id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(element["element_name"], "Mia");
    assert_eq!(element["reference_type"], "image_refer");
    assert_eq!(element["status"], "succeed");
    assert_eq!(element["tag_list"], json!([{"tag_id": "o_102"}]));
    assert_eq!(element["element_voice_info"], json!({}));
    assert_eq!(
        element["element_image_list"]["refer_images"][1]["image_url"],
        "https://example.com/mia-back.jpg"
    );
    // The Base64 frontal image is kept and served at an address.
    let frontal = element["element_image_list"]["frontal_image"]
        .as_str()
        .expect("frontal");
    let picture = fetch(&app, frontal).await;
    assert_eq!(picture.status, 200);
    assert_eq!(picture.content_type(), "image/png");
    assert_eq!(picture.body.expect("bytes"), png_head());

    // Found by its external id too (a create whose answer was lost).
    let by_key = get(&app, &format!("{ELEMENTS}/el-1")).await;
    assert_eq!(by_key.data()["task_id"], task_id);
    let a = get(&app, &format!("{ELEMENTS}/no-such-task")).await;
    assert_eq!((a.status, a.code()), (404, Some(1203)));

    let listed = get(&app, &format!("{ELEMENTS}?pageNum=1&pageSize=10")).await;
    assert_eq!(listed.code(), Some(0));
    let items = listed.data();
    assert_eq!(items.as_array().map(Vec::len), Some(1));
    assert_eq!(items[0]["task_result"]["elements"][0]["status"], "succeed");

    let a = post(&app, DELETE_ELEMENT, &json!({"element_id": id})).await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    assert_eq!(a.data()["task_status"], "succeed");
    let listed = get(&app, ELEMENTS).await.data();
    assert_eq!(listed[0]["task_result"]["elements"][0]["status"], "deleted");
    let again = post(&app, DELETE_ELEMENT, &json!({"element_id": id})).await;
    assert_eq!((again.status, again.code()), (404, Some(1203)));
    assert!(
        again.message().contains("was deleted"),
        "{}",
        again.message()
    );
    let control = inspect(&app, &task_id).await;
    assert_eq!(control["kind"], "element");
    assert_eq!(control["deleted"], true);
}

#[tokio::test]
async fn each_element_rule_holds_just_inside_and_refuses_just_outside() {
    let app = app(quick());
    let refers = |n: usize| -> Value {
        (0..n)
            .map(|i| json!({"image_url": format!("https://example.com/r{i}.png")}))
            .collect()
    };
    let body = || image_element("");
    let inside = [
        with(body(), &["element_name"], json!("n".repeat(20))),
        with(body(), &["element_description"], json!("d".repeat(100))),
        with(body(), &["element_image_list", "refer_images"], refers(1)),
        with(body(), &["element_image_list", "refer_images"], refers(3)),
        with(
            body(),
            &["tag_list"],
            (101..=108)
                .map(|n| json!({"tag_id": format!("o_{n}")}))
                .collect(),
        ),
        with(body(), &["element_voice_id"], json!(PRESET_VOICE)),
        with(
            body(),
            &["element_image_list", "frontal_image"],
            json!("https://example.com/f.png"),
        ),
        video_element("", "https://example.com/omar.mp4"),
    ];
    for b in &inside {
        let a = post(&app, ELEMENTS, b).await;
        assert_eq!(a.code(), Some(0), "{}: {b}", a.message());
    }
    let outside: Vec<(Value, &str)> = vec![
        (
            without(body(), &["element_image_list", "frontal_image"]),
            "element_image_list.frontal_image is required",
        ),
        (
            without(body(), &["element_image_list"]),
            "element_image_list is required when reference_type is image_refer",
        ),
        (
            with(body(), &["element_image_list", "refer_images"], refers(0)),
            "element_image_list.refer_images holds 0 images; it takes 1 to 3",
        ),
        (
            with(body(), &["element_image_list", "refer_images"], refers(4)),
            "element_image_list.refer_images holds 4 images; it takes 1 to 3",
        ),
        (
            with(body(), &["element_name"], json!("")),
            "element_name is required; it is empty",
        ),
        (
            with(body(), &["element_name"], json!("n".repeat(21))),
            "element_name value 'nnnnnnnnnnnnnnnnnnnnn' is invalid; it must be at most 20 characters; it has 21",
        ),
        (
            with(body(), &["element_description"], json!("d".repeat(101))),
            "element_description value 'ddd",
        ),
        (
            with(body(), &["element_description"], json!("d".repeat(101))),
            "at most 100 characters; it has 101",
        ),
        (
            without(body(), &["element_description"]),
            "element_description is required",
        ),
        (
            with(body(), &["tag_list", "0", "tag_id"], json!("o_109")),
            "tag_list[0].tag_id value 'o_109' is invalid; it must be one of o_101, o_102",
        ),
        (
            with(body(), &["reference_type"], json!("photo_refer")),
            "reference_type value 'photo_refer' is invalid; it must be image_refer or video_refer",
        ),
        (
            with(
                body(),
                &["element_image_list", "refer_images", "0", "image_url"],
                json!("data:image/png;base64,AAAA"),
            ),
            "element_image_list.refer_images[0].image_url: Base64 must be sent raw",
        ),
        (
            with(
                body(),
                &["element_image_list", "frontal_image"],
                json!(b64(b"GIF89a....")),
            ),
            "element_image_list.frontal_image: the Base64 is not a JPEG or PNG image",
        ),
        (
            with(body(), &["element_voice_id"], json!("777")),
            "element_voice_id value '777' is invalid; no voice has the id 777",
        ),
        (
            with(
                video_element("", "https://example.com/a.mp4"),
                &["element_video_list", "refer_videos"],
                json!([]),
            ),
            "element_video_list.refer_videos holds 0 videos; a video_refer element takes exactly 1",
        ),
        (
            with(
                video_element("", "https://example.com/a.mp4"),
                &["element_video_list", "refer_videos"],
                json!([{"video_url": "https://example.com/a.mp4"}, {"video_url": "https://example.com/b.mp4"}]),
            ),
            "holds 2 videos",
        ),
        (
            without(video_element("", "x"), &["element_video_list"]),
            "element_video_list is required when reference_type is video_refer",
        ),
        (
            video_element("", ""),
            "element_video_list.refer_videos[0].video_url is required",
        ),
        (
            video_element("", &format!("upload:{}", "a".repeat(64))),
            "element_video_list.refer_videos[0].video_url value 'upload:aaaa",
        ),
    ];
    for (b, says) in &outside {
        refused(&app, ELEMENTS, b, says).await;
    }
    let a = post(&app, ELEMENTS, &json!([1])).await;
    assert_eq!((a.status, a.code()), (400, Some(1200)));
    // Nothing refused was stored.
    let listed = get(&app, &format!("{ELEMENTS}?pageSize=500")).await.data();
    assert_eq!(listed.as_array().map(Vec::len), Some(inside.len()));
    for (page, says) in [
        ("pageSize=501", "pageSize must be 1 to 500"),
        ("pageNum=0", "pageNum must be 1 to 1000"),
        ("pageNum=1001", "pageNum must be 1 to 1000"),
    ] {
        let a = get(&app, &format!("{ELEMENTS}?{page}")).await;
        assert_eq!(a.code(), Some(1201), "{page}");
        assert!(a.message().contains(says), "{}", a.message());
    }
}

#[tokio::test]
async fn element_and_voice_calls_take_the_api_key() {
    let app = app(quick());
    for (method, uri) in [
        ("POST", ELEMENTS),
        ("GET", ELEMENTS),
        ("GET", PRESET_ELEMENTS),
        ("POST", DELETE_ELEMENT),
        ("POST", VOICES),
        ("GET", PRESET_VOICES),
        ("POST", DELETE_VOICE),
    ] {
        let a = call(&app, method, uri, None, Some(&json!({}))).await;
        assert_eq!((a.status, a.code()), (401, Some(1001)), "{method} {uri}");
        let a = call(
            &app,
            method,
            uri,
            Some("Bearer not-the-key"),
            Some(&json!({})),
        )
        .await;
        assert_eq!((a.status, a.code()), (401, Some(1000)), "{method} {uri}");
    }
}

/// The server's API on the simulator with an upload store, and the
/// store's directory.
fn with_uploads() -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let uploads = Uploads::open(&UploadConfig {
        store: StoreConfig::Dir(dir.path().join("uploads")),
        max_bytes: DEFAULT_MAX_BYTES,
        public_base_url: None,
    })
    .expect("uploads");
    let api = Api::new(storyreel_server::config::Keys::default(), quick())
        .expect("api")
        .with_uploads(uploads);
    (api.router(), dir)
}

fn clip(seconds: u32) -> Vec<u8> {
    storyreel_clip::render_mp4(&storyreel_clip::ClipSpec {
        width: 64,
        height: 64,
        fps: 4,
        shots: vec![storyreel_clip::ShotSpec {
            seconds,
            label: "x".into(),
        }],
        sound: false,
    })
    .expect("clip")
}

async fn upload(app: &Router, bytes: Vec<u8>) -> String {
    let req = Request::builder()
        .method("POST")
        .uri("/api/uploads")
        .header(header::HOST, HOST)
        .body(Body::from(bytes))
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("answer");
    assert!(res.status().is_success(), "upload: {}", res.status());
    let body = res.into_body().collect().await.expect("body").to_bytes();
    let v: Value = serde_json::from_slice(&body).expect("json");
    v["sha256"].as_str().expect("sha256").to_string()
}

#[tokio::test]
async fn a_reference_video_is_timed_when_the_simulator_can_read_it() {
    let (app, _dir) = with_uploads();
    let short = upload(&app, clip(2)).await;
    let fine = upload(&app, clip(4)).await;
    let long = upload(&app, clip(9)).await;
    let picture = upload(&app, picture_png()).await;
    let at = |sha: &str| format!("https://storyreel.example/uploads/{sha}");
    refused(
        &app,
        ELEMENTS,
        &video_element("", &at(&short)),
        "the video is 2.0 s long; it must be 3 to 8 s",
    )
    .await;
    refused(
        &app,
        ELEMENTS,
        &video_element("", &at(&long)),
        "the video is 9.0 s long; it must be 3 to 8 s",
    )
    .await;
    refused(
        &app,
        ELEMENTS,
        &video_element("", &at(&picture)),
        "it is a PNG image; it must be an .mp4 or .mov video",
    )
    .await;
    let element = made_element(&app, &video_element("v-fine", &at(&fine))).await;
    assert_eq!(
        element["element_video_list"]["refer_videos"][0]["video_url"],
        at(&fine)
    );
    // A file elsewhere cannot be timed: taken on trust, as a URL.
    let a = post(
        &app,
        ELEMENTS,
        &video_element("", "https://cdn.example/long.mp4"),
    )
    .await;
    assert_eq!(a.code(), Some(0));
    // The same holds for a voice's file.
    refused(
        &app,
        VOICES,
        &json!({"voice_name": "Short", "voice_url": at(&short)}),
        "it is 2.0 s long; a voice needs 5 to 30 s",
    )
    .await;
}

/// A real PNG, drawn by the simulator for its presets.
fn picture_png() -> Vec<u8> {
    storyreel_server::sim::picture::png(7, false)
}

#[tokio::test]
async fn a_video_element_clones_its_voice_and_a_given_voice_is_bound() {
    let app = app(quick());
    let element = made_element(&app, &video_element("", "https://example.com/omar.mp4")).await;
    let info = &element["element_voice_info"];
    let voice_id = info["voice_id"].as_str().expect("a cloned voice");
    assert_eq!(info["voice_name"], "Omar");
    assert_eq!(info["owned_by"], element["owned_by"]);
    // The cloned voice is in the account's voice library.
    let voices = get(&app, VOICES).await.data();
    assert_eq!(
        voices[0]["task_result"]["voices"][0]["voice_id"], voice_id,
        "{voices}"
    );
    let trial = fetch(&app, info["trial_url"].as_str().expect("trial")).await;
    assert_eq!((trial.status, trial.content_type()), (200, "audio/wav"));

    let bound = made_element(
        &app,
        &with(
            image_element(""),
            &["element_voice_id"],
            json!(PRESET_VOICE),
        ),
    )
    .await;
    assert_eq!(bound["element_voice_info"]["voice_id"], PRESET_VOICE);
    assert_eq!(bound["element_voice_info"]["owned_by"], "kling");
    // A custom voice can be bound once made, not before, not once deleted.
    let data = start(
        &app,
        VOICES,
        &json!({"voice_name": "Nadia", "voice_url": "https://example.com/nadia.mp3"}),
    )
    .await;
    let task_id = data["task_id"].as_str().expect("id");
    let pending = get(&app, &format!("{VOICES}/{task_id}")).await.data();
    assert_ne!(pending["task_status"], "succeed");
    let task = until_done(&app, VOICES, task_id).await;
    let custom = task["task_result"]["voices"][0]["voice_id"]
        .as_str()
        .expect("voice id")
        .to_string();
    let bound = made_element(
        &app,
        &with(image_element(""), &["element_voice_id"], json!(custom)),
    )
    .await;
    assert_eq!(bound["element_voice_info"]["voice_name"], "Nadia");
    let a = post(&app, DELETE_VOICE, &json!({"voice_id": custom})).await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    refused(
        &app,
        ELEMENTS,
        &with(image_element(""), &["element_voice_id"], json!(custom)),
        &format!("element_voice_id value '{custom}' is invalid; voice {custom} was deleted"),
    )
    .await;
}

#[tokio::test]
async fn presets_are_listed_with_pictures_and_trials() {
    let app = app(quick());
    let a = get(&app, PRESET_ELEMENTS).await;
    assert_eq!(a.code(), Some(0));
    let presets = a.data();
    let list = presets.as_array().expect("a list");
    assert!(list.len() >= 4, "{presets}");
    for item in list {
        assert_eq!(item["task_status"], "succeed");
        let e = &item["task_result"]["elements"][0];
        assert_eq!(e["owned_by"], "kling");
        assert_eq!(e["status"], "succeed");
        assert!(e["element_name"].as_str().is_some_and(|n| !n.is_empty()));
        let frontal = fetch(
            &app,
            e["element_image_list"]["frontal_image"]
                .as_str()
                .expect("url"),
        )
        .await;
        assert_eq!((frontal.status, frontal.content_type()), (200, "image/png"));
        let bytes = frontal.body.expect("bytes");
        let info = storyreel_core::media::image::read_image(&bytes).expect("a PNG");
        assert!(info.width >= 300 && info.height >= 300, "Kling's minimum");
    }
    assert_eq!(
        id_of(&list[0]["task_result"]["elements"][0]),
        PRESET_ELEMENT
    );
    let page = get(&app, &format!("{PRESET_ELEMENTS}?pageNum=2&pageSize=2"))
        .await
        .data();
    assert_eq!(page.as_array().map(Vec::len), Some(2));
    assert_eq!(page[0]["task_id"], list[2]["task_id"]);

    let voices = get(&app, PRESET_VOICES).await.data();
    let voices = voices.as_array().expect("a list").clone();
    assert!(voices.len() >= 3);
    for item in &voices {
        let v = &item["task_result"]["voices"][0];
        assert_eq!(v["owned_by"], "kling");
        let trial = fetch(&app, v["trial_url"].as_str().expect("url")).await;
        assert_eq!((trial.status, trial.content_type()), (200, "audio/wav"));
        assert!(trial.body.expect("bytes").starts_with(b"RIFF"));
    }
    let a = get(&app, &format!("{PRESET_VOICES}?pageSize=1000")).await;
    assert_eq!(a.code(), Some(0), "voices page up to 1000");
    let a = get(&app, &format!("{PRESET_VOICES}?pageSize=1001")).await;
    assert_eq!(a.code(), Some(1201));
    let a = get(&app, &format!("{PRESET_ELEMENTS}?pageSize=501")).await;
    assert_eq!(a.code(), Some(1201));
    // Presets cannot be deleted.
    refused(
        &app,
        DELETE_ELEMENT,
        &json!({"element_id": PRESET_ELEMENT}),
        &format!(
            "element_id value '{PRESET_ELEMENT}' is invalid; it is one of Kling's preset elements"
        ),
    )
    .await;
    refused(
        &app,
        DELETE_VOICE,
        &json!({"voice_id": PRESET_VOICE}),
        "only custom voices can be deleted",
    )
    .await;
    assert_eq!(
        fetch(&app, &format!("http://{HOST}/sim/kling/voices/123.wav"))
            .await
            .status,
        404
    );
    assert_eq!(
        fetch(
            &app,
            &format!("http://{HOST}/sim/kling/elements/123/frontal.png")
        )
        .await
        .status,
        404
    );
}

/// A current-design body citing `element_id`, with `options` merged in.
fn citing(element_id: &str, key: &str) -> Value {
    json!({
        "contents": [
            {"type": "prompt", "text": "@element_1 walks along the pier"},
            {"type": "element", "element_id": element_id, "id": "element_1"}
        ],
        "settings": {"duration": 5, "aspect_ratio": "16:9"},
        "options": {"external_task_id": key}
    })
}

fn legacy_citing(element_id: u64) -> Value {
    let mut body = common::three_shots("");
    body["element_list"] = json!([{"element_id": element_id}]);
    body
}

#[tokio::test]
async fn a_video_citing_an_unknown_or_deleted_element_is_refused_on_both_designs() {
    let app = app(quick());
    let element = made_element(&app, &image_element("")).await;
    let id = id_of(&element);

    let a = post(&app, CURRENT, &citing(&id, "")).await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    let record = inspect(&app, a.data()["id"].as_str().expect("id")).await;
    assert_eq!(
        record["elements"],
        json!([{"path": "contents[1].element_id", "element_id": id, "name": "Mia", "preset": false}])
    );
    let number: u64 = id.parse().expect("digits");
    let a = post(&app, LEGACY, &legacy_citing(number)).await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    // Presets are always there.
    let a = post(&app, CURRENT, &citing(PRESET_ELEMENT, "")).await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    let record = inspect(&app, a.data()["id"].as_str().expect("id")).await;
    assert_eq!(record["elements"][0]["preset"], true);
    assert_eq!(record["elements"][0]["name"], "Harbour Keeper");
    let a = post(
        &app,
        LEGACY,
        &legacy_citing(PRESET_ELEMENT.parse().expect("digits")),
    )
    .await;
    assert_eq!(a.code(), Some(0), "{}", a.message());

    let a = post(&app, DELETE_ELEMENT, &json!({"element_id": id})).await;
    assert_eq!(a.code(), Some(0));
    refused(
        &app,
        CURRENT,
        &citing(&id, "after-delete"),
        &format!("contents[1].element_id value '{id}' is invalid; element {id} was deleted"),
    )
    .await;
    refused(
        &app,
        LEGACY,
        &legacy_citing(number),
        &format!("element_list[0].element_id value '{id}' is invalid; element {id} was deleted"),
    )
    .await;
    refused(
        &app,
        CURRENT,
        &citing("4242", ""),
        "contents[1].element_id value '4242' is invalid; no element has the id 4242",
    )
    .await;
    // The refused request left no task, so its key is still free.
    let a = get(&app, &format!("{TASKS}?external_task_ids=after-delete")).await;
    assert_eq!(a.data(), json!([]));
}

#[tokio::test]
async fn an_element_still_being_made_cannot_be_cited_yet() {
    let app = app(SimConfig {
        submit_ms: 60_000,
        ..quick()
    });
    start(&app, ELEMENTS, &image_element("slow")).await;
    // Its id is not shown before it succeeds; the first custom id is
    // the simulator's first.
    refused(
        &app,
        CURRENT,
        &citing("890000000001", ""),
        "element 890000000001 is not ready yet",
    )
    .await;
}

#[tokio::test]
async fn a_voice_is_made_from_a_file_or_a_video_listed_and_deleted() {
    let app = app(quick());
    let data = start(
        &app,
        VOICES,
        &json!({"video_id": "", "voice_url": "https://example.com/out.mp3", "voice_name": "Custom Voice", "callback_url": "", "external_task_id": "v-1"}),
    )
    .await;
    let task = until_done(&app, VOICES, data["task_id"].as_str().expect("id")).await;
    assert_eq!(task["final_unit_deduction"], "0.05");
    let voice = &task["task_result"]["voices"][0];
    let voice_id = voice["voice_id"].as_str().expect("id").to_string();
    assert!(voice_id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(voice["voice_name"], "Custom Voice");
    let trial = fetch(&app, voice["trial_url"].as_str().expect("url")).await;
    assert_eq!(trial.status, 200);
    assert_eq!(
        get(&app, &format!("{VOICES}/v-1")).await.data()["task_id"],
        data["task_id"]
    );

    // From a video: a finished one of this account, with sound, 5-30 s.
    let mut video = common::three_shots("");
    let silent = post(&app, LEGACY, &video).await.data()["task_id"]
        .as_str()
        .expect("id")
        .to_string();
    video["sound"] = json!("on");
    let voiced = post(&app, LEGACY, &video).await.data()["task_id"]
        .as_str()
        .expect("id")
        .to_string();
    let mut done = false;
    for _ in 0..200 {
        let t = get(&app, &format!("{LEGACY}/{voiced}")).await.data();
        let s = get(&app, &format!("{LEGACY}/{silent}")).await.data();
        if t["task_status"] == "succeed" && s["task_status"] == "succeed" {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(done, "the videos finish");
    let from_video = |id: String| json!({"voice_name": "From video", "video_id": id});
    let a = post(&app, VOICES, &from_video(format!("{voiced}-v1"))).await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    refused(
        &app,
        VOICES,
        &from_video(format!("{silent}-v1")),
        "the video was made without sound",
    )
    .await;
    refused(
        &app,
        VOICES,
        &from_video("999".into()),
        "video_id value '999' is invalid; no video has this id",
    )
    .await;
    refused(
        &app,
        VOICES,
        &json!({"voice_name": "v".repeat(21), "voice_url": "https://example.com/a.wav"}),
        "voice_name value 'vvvvvvvvvvvvvvvvvvvvv' is invalid; it must be at most 20 characters; it has 21",
    )
    .await;
    refused(
        &app,
        VOICES,
        &json!({"voice_name": "No file"}),
        "one of voice_url or video_id is required",
    )
    .await;
    refused(
        &app,
        VOICES,
        &json!({"voice_name": "Inline", "voice_url": b64(b"ID3....")}),
        "voice_url value 'SUQzLi4uLg==' is invalid; it must be the http(s) URL",
    )
    .await;

    let listed = get(&app, &format!("{VOICES}?pageNum=1&pageSize=30"))
        .await
        .data();
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    let a = post(&app, DELETE_VOICE, &json!({"voice_id": voice_id})).await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    let listed = get(&app, VOICES).await.data();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_ne!(listed[0]["task_result"]["voices"][0]["voice_id"], voice_id);
    let a = post(&app, DELETE_VOICE, &json!({"voice_id": voice_id})).await;
    assert_eq!((a.status, a.code()), (404, Some(1203)));
    let a = get(&app, &format!("{VOICES}/v-1")).await;
    assert_eq!((a.status, a.code()), (404, Some(1203)));
    assert!(a.message().contains("was deleted"), "{}", a.message());
    assert_eq!(
        fetch(&app, voice["trial_url"].as_str().expect("url"))
            .await
            .status,
        404
    );
    let a = post(&app, DELETE_VOICE, &json!({"voice_id": 5})).await;
    assert_eq!(a.code(), Some(1201));
}

#[tokio::test]
async fn an_external_task_id_is_unique_across_elements_voices_and_videos() {
    let app = app(quick());
    start(&app, ELEMENTS, &image_element("shared-key")).await;
    refused(
        &app,
        ELEMENTS,
        &image_element("shared-key"),
        "external_task_id shared-key already exists",
    )
    .await;
    refused(
        &app,
        VOICES,
        &json!({"voice_name": "V", "voice_url": "https://example.com/a.mp3", "external_task_id": "shared-key"}),
        "external_task_id shared-key already exists",
    )
    .await;
    refused(
        &app,
        CURRENT,
        &citing(PRESET_ELEMENT, "shared-key"),
        "external_task_id shared-key already exists",
    )
    .await;
    // And a video's key is refused for an element.
    let a = post(&app, CURRENT, &citing(PRESET_ELEMENT, "video-key")).await;
    assert_eq!(a.code(), Some(0));
    refused(
        &app,
        ELEMENTS,
        &image_element("video-key"),
        "external_task_id video-key already exists",
    )
    .await;
    let listed = get(&app, ELEMENTS).await.data();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn faults_apply_to_element_and_voice_calls() {
    let app = app(quick());
    faults(
        &app,
        json!({
            "elements": {
                "create": [
                    {"kind": "drop"},
                    {"kind": "code", "code": 1303},
                    {"kind": "gateway", "status": 503},
                    {"kind": "reset"},
                    {"kind": "slow", "ms": 100},
                    {"kind": "fail_task", "message": "No face found in the frontal image"}
                ],
                "query": [{"kind": "code", "code": 5000}],
                "list": [{"kind": "truncate"}],
                "delete": [{"kind": "drop"}]
            },
            "voices": {
                "create": [{"kind": "code", "code": 1102}],
                "list": [{"kind": "gateway", "status": 502}]
            }
        }),
    )
    .await;
    // A dropped answer: the task exists and is found by its key.
    let a = post(&app, ELEMENTS, &image_element("f-drop")).await;
    assert_eq!(a.status, 502);
    let a = post(&app, ELEMENTS, &image_element("f-code")).await;
    assert_eq!((a.status, a.code()), (429, Some(1303)));
    let a = post(&app, ELEMENTS, &image_element("f-gateway")).await;
    assert_eq!((a.status, a.code()), (503, None));
    let a = post(&app, ELEMENTS, &image_element("f-reset")).await;
    assert!(a.body.is_err(), "a reset body breaks off");
    let started = Instant::now();
    let a = post(&app, ELEMENTS, &image_element("f-slow")).await;
    assert_eq!(a.code(), Some(0));
    assert!(started.elapsed() >= Duration::from_millis(100));
    let failing = start(&app, ELEMENTS, &image_element("f-fail")).await;

    let a = get(&app, &format!("{ELEMENTS}/f-drop")).await;
    assert_eq!((a.status, a.code()), (500, Some(5000)));
    let dropped = get(&app, &format!("{ELEMENTS}/f-drop")).await;
    assert_eq!(dropped.code(), Some(0), "the dropped create made its task");
    assert_eq!(
        get(&app, &format!("{ELEMENTS}/f-reset")).await.code(),
        Some(0)
    );
    for gone in ["f-code", "f-gateway"] {
        assert_eq!(
            get(&app, &format!("{ELEMENTS}/{gone}")).await.code(),
            Some(1203)
        );
    }
    assert!(get(&app, ELEMENTS).await.body.is_err(), "a truncated list");
    let listed = get(&app, ELEMENTS).await.data();
    assert_eq!(listed.as_array().map(Vec::len), Some(4));

    let task = until_done(&app, ELEMENTS, failing["task_id"].as_str().expect("id")).await;
    assert_eq!(task["task_status"], "failed");
    assert_eq!(
        task["task_status_msg"],
        "No face found in the frontal image"
    );
    assert!(task.get("task_result").is_none());

    // A dropped delete still deletes.
    let made = until_done(
        &app,
        ELEMENTS,
        dropped.data()["task_id"].as_str().expect("id"),
    )
    .await;
    let id = id_of(&made["task_result"]["elements"][0]);
    let a = post(&app, DELETE_ELEMENT, &json!({"element_id": id})).await;
    assert_eq!(a.status, 502);
    let again = post(&app, DELETE_ELEMENT, &json!({"element_id": id})).await;
    assert!(
        again.message().contains("was deleted"),
        "{}",
        again.message()
    );

    let a = post(
        &app,
        VOICES,
        &json!({"voice_name": "V", "voice_url": "https://example.com/a.mp3"}),
    )
    .await;
    assert_eq!((a.status, a.code()), (429, Some(1102)));
    let a = get(&app, PRESET_VOICES).await;
    assert_eq!((a.status, a.code()), (502, None));
    assert_eq!(get(&app, PRESET_VOICES).await.code(), Some(0));
    let stats = call(&app, "GET", "/sim/kling/control/stats", None, None)
        .await
        .json();
    assert_eq!(stats["faults_left"], 0);
    assert_eq!(
        stats["creates_seen"], 0,
        "element and voice creates are not video creates"
    );
}

#[tokio::test]
async fn the_relay_forwards_element_and_voice_calls_to_the_simulator() {
    let dist = common::dist();
    let api = Api::new(storyreel_server::config::Keys::default(), quick()).expect("api");
    let url = common::serve_api(api, dist.path()).await;
    let c = common::client();
    // The relay signs /v1/... calls with the simulator's JWT.
    let res = c
        .post(format!(
            "{url}/api/kling/v1/general/advanced-custom-elements"
        ))
        .body(image_element("relay-1").to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    let created = common::json_of(res).await;
    assert_eq!(created["code"], 0, "{created}");
    let task_id = created["data"]["task_id"].as_str().expect("id").to_string();
    let mut element = Value::Null;
    for _ in 0..200 {
        let v = common::json_of(
            c.get(format!(
                "{url}/api/kling/v1/general/advanced-custom-elements/relay-1"
            ))
            .send()
            .await
            .expect("answer"),
        )
        .await;
        assert_eq!(v["data"]["task_id"], task_id);
        if v["data"]["task_status"] == "succeed" {
            element = v["data"]["task_result"]["elements"][0].clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The picture sent inline is served where the browser can load it.
    let frontal = element["element_image_list"]["frontal_image"]
        .as_str()
        .expect("frontal");
    assert!(
        frontal.starts_with(&format!("{url}/sim/kling/elements/")),
        "{frontal}"
    );
    let res = c.get(frontal).send().await.expect("picture");
    assert_eq!(res.status(), 200);
    let voices = common::json_of(
        c.get(format!(
            "{url}/api/kling/v1/general/presets-voices?pageNum=1&pageSize=30"
        ))
        .send()
        .await
        .expect("answer"),
    )
    .await;
    let trial = voices["data"][0]["task_result"]["voices"][0]["trial_url"]
        .as_str()
        .expect("trial");
    let res = c.get(trial).send().await.expect("trial");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "audio/wav");
    let res = c
        .post(format!(
            "{url}/api/kling/v1/general/delete-advanced-elements"
        ))
        .body(json!({"element_id": id_of(&element)}).to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(common::json_of(res).await["code"], 0);
}

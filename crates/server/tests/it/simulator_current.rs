//! The simulator on Kling's current design (providers.md §0.3–0.4), called
//! where the server mounts it (`/sim/kling`) with the API key, as the
//! relay calls it: Kling's request examples, each rule just inside and
//! just outside its limit, the auth codes, `/tasks` by ids and by cursor,
//! faults, a 4K clip, and the legacy design beside it.

use std::time::{Duration, Instant};

use axum::Router;
use serde_json::{json, Value};
use storyreel_core::board::Resolution;
use storyreel_core::cost;
use storyreel_server::config::Secret;
use storyreel_server::kling_token::KlingSigner;
use storyreel_server::sim::{self, SimConfig};

use crate::common;

use common::sim_api as app;
use common::sim_call::{call, get, key, post, Answer, CURRENT as CREATE, HOST, LEGACY, TASKS};

fn quick() -> SimConfig {
    SimConfig {
        submit_ms: 30,
        process_ms: 60,
        max_concurrent: 100,
        control: true,
    }
}

fn prompt(text: &str) -> Value {
    json!({"type": "prompt", "text": text})
}

/// A body with `contents`, and `settings` merged over none.
fn body(contents: Value, settings: Value) -> Value {
    json!({"contents": contents, "settings": settings})
}

/// Creates a task; panics with Kling's message when refused.
async fn create(app: &Router, body: &Value) -> Value {
    let a = post(app, CREATE, body).await;
    assert_eq!(a.status, 200, "{}: {body}", a.message());
    assert_eq!(a.code(), Some(0));
    a.json()["data"].clone()
}

/// Refuses with 400/1201 and a message holding `part`.
async fn refused(app: &Router, body: &Value, part: &str) {
    let a = post(app, CREATE, body).await;
    assert_eq!((a.status, a.code()), (400, Some(1201)), "{}", a.message());
    assert!(
        a.message().contains(part),
        "{:?} lacks {part:?}",
        a.message()
    );
}

/// Polls `GET /tasks?task_ids=` until the task is done, at most 200 times.
async fn until_done(app: &Router, id: &str) -> Value {
    for _ in 0..200 {
        let a = get(app, &format!("{TASKS}?task_ids={id}")).await;
        let task = a.json()["data"][0].clone();
        if task["status"] == "succeeded" || task["status"] == "failed" {
            return task;
        }
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    panic!("task {id} never finished");
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

fn png_base64() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
}

const TEXT: &str =
    "Tint the kite's tail the colour of the reference. Leave the rest of the scene as it is.";

/// The five request examples of Kling's Omni page, with their structure
/// and settings (our own text and URLs).
fn examples() -> Vec<(&'static str, Value)> {
    let options = json!({"callback_url": "https://example.com/callback", "external_task_id": ""});
    let with = |contents: Value, settings: Value| json!({"contents": contents, "settings": settings, "options": options.clone()});
    vec![
        (
            "prompt only",
            with(
                json!([prompt(TEXT)]),
                json!({"resolution": "1080p", "duration": 5, "audio": "native", "multi_shot": false}),
            ),
        ),
        (
            "first_frame & refer_image",
            with(
                json!([prompt(TEXT),
                    {"type": "first_frame", "url": "https://example.com/first.png", "id": "image_1"},
                    {"type": "refer_image", "url": "https://example.com/look.png", "id": "image_2"}]),
                json!({"resolution": "1080p", "duration": 5, "audio": "native", "multi_shot": false}),
            ),
        ),
        (
            "first_frame & last_frame & element",
            with(
                json!([prompt(TEXT),
                    {"type": "first_frame", "url": "https://example.com/first.png", "id": "image_1"},
                    {"type": "last_frame", "url": "https://example.com/last.png", "id": "image_2"},
                    // Kling's example cites its own library's ids; the
                    // simulator knows its presets.
                    {"type": "element", "element_id": "880000000001", "id": "element_1"},
                    {"type": "element", "element_id": "880000000002", "id": "element_2"}]),
                json!({"resolution": "1080p", "duration": 5, "audio": "native", "multi_shot": true}),
            ),
        ),
        (
            "feature_video",
            with(
                json!([prompt(TEXT),
                    {"type": "feature_video", "url": "https://example.com/ref.mp4", "id": "video_1"}]),
                json!({"resolution": "4k", "audio": "off", "multi_shot": true}),
            ),
        ),
        (
            "base_video",
            with(
                json!([prompt(TEXT),
                    {"type": "base_video", "url": "https://example.com/edit.mp4", "id": "video_1"}]),
                json!({"resolution": "1080p", "audio": "original", "multi_shot": false}),
            ),
        ),
    ]
}

#[tokio::test]
async fn each_request_example_of_the_omni_page_is_accepted() {
    let app = app(quick());
    for (name, example) in examples() {
        let a = post(&app, CREATE, &example).await;
        assert_eq!(
            (a.status, a.code()),
            (200, Some(0)),
            "{name}: {}",
            a.message()
        );
        assert_eq!(a.message(), "SUCCEED");
        assert!(a.json()["request_id"]
            .as_str()
            .is_some_and(|r| !r.is_empty()));
        let data = &a.json()["data"];
        assert_eq!(data["status"], "submitted", "{name}");
        assert_eq!(data["external_id"], "", "{name}");
        assert!(
            data["create_time"].as_u64().is_some_and(|t| t > 0),
            "{name}"
        );
        assert_eq!(data["create_time"], data["update_time"], "{name}");
        let id = data["id"].as_str().expect("an id");
        let seen = inspect(&app, id).await;
        assert_eq!(seen["inputs"][0], "prompt", "{name}");
        if name.starts_with("first_frame") {
            assert_eq!(seen["inputs"][1], "first_frame:image_1", "{name}");
        }
    }
    // The feature video example: 4K with a video input, 3 units a second
    // for Kling's default 5 seconds.
    let a = post(&app, CREATE, &examples()[3].1).await;
    let seen = inspect(&app, a.json()["data"]["id"].as_str().expect("id")).await;
    assert_eq!(seen["unit_tenths"], 150);
    assert_eq!(
        (seen["width"].as_u64(), seen["height"].as_u64()),
        (Some(3840), Some(2160))
    );
}

/// One rule, a body just inside its limit and one just outside.
struct Rule {
    name: &'static str,
    inside: Value,
    outside: Value,
    says: &'static str,
}

fn images(kind: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"type": kind, "url": format!("https://example.com/{kind}{i}.png"), "id": format!("{kind}_{i}")}))
        .collect()
}

/// `n` element items citing the simulator's preset elements.
fn elements(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"type": "element", "element_id": format!("{}", 880_000_000_001_u64 + i as u64), "id": format!("element_{i}")}))
        .collect()
}

fn contents(items: Vec<Value>) -> Value {
    let mut all = vec![prompt("A kite over the dunes")];
    all.extend(items);
    Value::Array(all)
}

fn shots(n: usize, seconds: u32, words: &str) -> String {
    (1..=n)
        .map(|i| format!("shot {i}, {seconds}, {words};"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn rules() -> Vec<Rule> {
    let off = json!({"multi_shot": false});
    let video =
        |kind: &str| json!({"type": kind, "url": "https://example.com/v.mp4", "id": "video_1"});
    let one = |v: Value| body(contents(vec![]), v);
    let with = |items: Vec<Value>, settings: Value| body(contents(items), settings);
    vec![
        Rule {
            name: "prompt length",
            inside: body(json!([prompt(&"a".repeat(3072))]), off.clone()),
            outside: body(json!([prompt(&"a".repeat(3073))]), off.clone()),
            says: "3073 characters long; at most 3072",
        },
        Rule {
            name: "shortest duration",
            inside: one(json!({"duration": 3})),
            outside: one(json!({"duration": 2})),
            says: "settings.duration value '2' is invalid",
        },
        Rule {
            name: "longest duration",
            inside: one(json!({"duration": 15})),
            outside: one(json!({"duration": 16})),
            says: "settings.duration value '16' is invalid",
        },
        Rule {
            name: "duration is an integer",
            inside: one(json!({"duration": 5})),
            outside: one(json!({"duration": "5"})),
            says: "settings.duration value '5' is invalid; it must be an integer",
        },
        Rule {
            name: "resolution",
            inside: one(json!({"resolution": "4k"})),
            outside: one(json!({"resolution": "9000p"})),
            says: "settings.resolution value '9000p' is invalid",
        },
        Rule {
            name: "aspect ratio",
            inside: one(json!({"aspect_ratio": "1:1"})),
            outside: one(json!({"aspect_ratio": "4:3"})),
            says: "settings.aspect_ratio value '4:3' is invalid",
        },
        Rule {
            name: "audio",
            inside: one(json!({"audio": "native"})),
            outside: one(json!({"audio": "on"})),
            says: "settings.audio value 'on' is invalid",
        },
        Rule {
            name: "multi_shot is a boolean",
            inside: one(json!({"multi_shot": true})),
            outside: one(json!({"multi_shot": "false"})),
            says: "settings.multi_shot value 'false' is invalid",
        },
        Rule {
            name: "images and elements",
            inside: with(
                [images("refer_image", 5), elements(2)].concat(),
                off.clone(),
            ),
            outside: with(
                [images("refer_image", 6), elements(2)].concat(),
                off.clone(),
            ),
            says: "8 reference images and elements; at most 7",
        },
        Rule {
            name: "images and elements with a video",
            inside: with(
                [
                    images("refer_image", 3),
                    elements(1),
                    vec![video("feature_video")],
                ]
                .concat(),
                off.clone(),
            ),
            outside: with(
                [
                    images("refer_image", 4),
                    elements(1),
                    vec![video("feature_video")],
                ]
                .concat(),
                off.clone(),
            ),
            says: "at most 4 with a reference video",
        },
        Rule {
            name: "elements with a first frame",
            inside: with(
                [images("first_frame", 1), elements(3)].concat(),
                off.clone(),
            ),
            outside: with(
                [images("first_frame", 1), elements(4)].concat(),
                off.clone(),
            ),
            says: "4 elements with a first_frame; at most 3",
        },
        Rule {
            name: "last frame alone",
            inside: with(
                [images("first_frame", 1), images("last_frame", 1)].concat(),
                off.clone(),
            ),
            outside: with(images("last_frame", 1), off.clone()),
            says: "a last frame alone is not supported",
        },
        Rule {
            name: "one reference video",
            inside: with(vec![video("feature_video")], off.clone()),
            outside: with(
                vec![
                    video("feature_video"),
                    json!({"type": "base_video", "url": "https://example.com/b.mp4"}),
                ],
                off.clone(),
            ),
            says: "a second reference video; at most 1",
        },
        Rule {
            name: "video by URL only",
            inside: with(vec![video("feature_video")], off.clone()),
            outside: with(
                vec![json!({"type": "feature_video", "url": png_base64()})],
                off.clone(),
            ),
            says: "by http(s) URL only",
        },
        Rule {
            name: "feature video needs audio off",
            inside: with(vec![video("feature_video")], json!({"audio": "off"})),
            outside: with(vec![video("feature_video")], json!({"audio": "native"})),
            says: "settings.audio value 'native' is invalid; with a feature_video it must be off",
        },
        Rule {
            name: "base video takes no frames",
            inside: with(
                vec![video("base_video"), images("refer_image", 1)[0].clone()],
                off.clone(),
            ),
            outside: with(
                vec![video("base_video"), images("first_frame", 1)[0].clone()],
                off.clone(),
            ),
            says: "cannot be combined with a first_frame",
        },
        Rule {
            name: "base video takes no multi-shot (the default)",
            inside: with(vec![video("base_video")], json!({"multi_shot": false})),
            outside: with(vec![video("base_video")], json!({})),
            says: "with a base_video it must be false",
        },
        Rule {
            name: "base video without native audio",
            inside: with(
                vec![video("base_video")],
                json!({"multi_shot": false, "audio": "original"}),
            ),
            outside: with(
                vec![video("base_video")],
                json!({"multi_shot": false, "audio": "native"}),
            ),
            says: "settings.audio value 'native' is invalid; with a base_video",
        },
        Rule {
            name: "element needs an id",
            inside: with(elements(1), off.clone()),
            outside: with(
                vec![json!({"type": "element", "element_id": "7"})],
                off.clone(),
            ),
            says: "contents[1].id is required for an element",
        },
        Rule {
            name: "element_id is a string",
            inside: with(elements(1), off.clone()),
            outside: with(
                vec![json!({"type": "element", "element_id": 7, "id": "e"})],
                off.clone(),
            ),
            says: "contents[1].element_id value '7' is invalid",
        },
        Rule {
            name: "ids are unique",
            inside: with(
                vec![
                    json!({"type": "refer_image", "url": "https://example.com/a.png", "id": "a"}),
                    json!({"type": "refer_image", "url": "https://example.com/b.png", "id": "b"}),
                ],
                off.clone(),
            ),
            outside: with(
                vec![
                    json!({"type": "refer_image", "url": "https://example.com/a.png", "id": "a"}),
                    json!({"type": "refer_image", "url": "https://example.com/b.png", "id": "a"}),
                ],
                off.clone(),
            ),
            says: "contents[2].id value 'a' is invalid; contents[1] already has this id",
        },
        Rule {
            name: "type enum",
            inside: with(images("refer_image", 1), off.clone()),
            outside: with(
                vec![json!({"type": "audio", "url": "https://example.com/a.mp3"})],
                off.clone(),
            ),
            says: "contents[1].type value 'audio' is invalid",
        },
        Rule {
            name: "images as raw Base64 of a PNG",
            inside: with(
                vec![json!({"type": "refer_image", "url": png_base64()})],
                off.clone(),
            ),
            outside: with(
                vec![
                    json!({"type": "refer_image", "url": format!("data:image/png;base64,{}", png_base64())}),
                ],
                off.clone(),
            ),
            says: "without a data: prefix",
        },
        Rule {
            name: "a prompt item",
            inside: json!({"contents": [prompt("x")]}),
            outside: json!({"contents": [{"type": "refer_image", "url": "https://example.com/a.png"}]}),
            says: "contents needs a prompt item",
        },
        Rule {
            name: "mentions name an item",
            inside: body(
                json!([prompt("@image_1 flies, mail me at kite@example.com"), {"type": "refer_image", "url": "https://example.com/a.png", "id": "image_1"}]),
                off.clone(),
            ),
            outside: body(
                json!([prompt("@image_2 flies"), {"type": "refer_image", "url": "https://example.com/a.png", "id": "image_1"}]),
                off.clone(),
            ),
            says: "mentions @image_2, but no item of contents has the id 'image_2'",
        },
        Rule {
            name: "six shots",
            inside: body(
                json!([prompt(&shots(6, 1, "a kite"))]),
                json!({"duration": 6}),
            ),
            outside: body(
                json!([prompt(&shots(7, 1, "a kite"))]),
                json!({"duration": 7}),
            ),
            says: "more than 6 shots",
        },
        Rule {
            name: "shot words",
            inside: body(json!([prompt(&shots(1, 5, &"w".repeat(512)))]), json!({})),
            outside: body(json!([prompt(&shots(1, 5, &"w".repeat(513)))]), json!({})),
            says: "shot 1 has 513 characters of words; at most 512",
        },
        Rule {
            name: "shot seconds add up",
            inside: body(
                json!([prompt("shot 1, 2, a kite; shot 2, 3, the dunes;")]),
                json!({"duration": 5}),
            ),
            outside: body(
                json!([prompt("shot 1, 2, a kite; shot 2, 3, the dunes;")]),
                json!({"duration": 6}),
            ),
            says: "add up to 5 s but settings.duration is 6 s",
        },
        Rule {
            name: "shots in order",
            inside: body(
                json!([prompt("shot 1, 2, a kite; shot 2, 3, the dunes;")]),
                json!({}),
            ),
            outside: body(
                json!([prompt("shot 1, 2, a kite; shot 3, 3, the dunes;")]),
                json!({}),
            ),
            says: "shot 3 where shot 2 is expected",
        },
        Rule {
            name: "a shot lasts a second",
            inside: body(
                json!([prompt("shot 1, 1, a kite; shot 2, 4, the dunes;")]),
                json!({}),
            ),
            outside: body(
                json!([prompt("shot 1, 0, a kite; shot 2, 5, the dunes;")]),
                json!({}),
            ),
            says: "at least 1",
        },
    ]
}

#[tokio::test]
async fn each_rule_holds_just_inside_and_refuses_just_outside() {
    let app = app(quick());
    for rule in rules() {
        let a = post(&app, CREATE, &rule.inside).await;
        assert_eq!(a.code(), Some(0), "{} (inside): {}", rule.name, a.message());
        let a = post(&app, CREATE, &rule.outside).await;
        assert_eq!(
            (a.status, a.code()),
            (400, Some(1201)),
            "{} (outside): {}",
            rule.name,
            a.message()
        );
        assert!(
            a.message().contains(rule.says),
            "{}: {:?} lacks {:?}",
            rule.name,
            a.message(),
            rule.says
        );
    }
}

#[tokio::test]
async fn the_current_design_takes_only_the_api_key() {
    let app = app(quick());
    let b = body(json!([prompt("x")]), json!({}));
    let jwt = format!(
        "Bearer {}",
        KlingSigner::new(Secret::new(sim::ACCESS_KEY), Secret::new(sim::SECRET_KEY)).token()
    );
    let cases = [
        (None, 1001),
        (Some(jwt.as_str()), 1002),
        (Some("Bearer not-the-simulator-key"), 1000),
    ];
    for (auth, code) in cases {
        for (method, uri, body) in [
            ("POST", CREATE, Some(&b)),
            ("GET", &*format!("{TASKS}?task_ids=1"), None),
            ("POST", TASKS, Some(&json!({}))),
        ] {
            let a = call(&app, method, uri, auth, body).await;
            assert_eq!(
                (a.status, a.code()),
                (401, Some(code)),
                "{method} {uri} with {auth:?}"
            );
        }
    }
    // The legacy design takes both the sim's JWT and the API key.
    let legacy = common::three_shots("legacy-both");
    let a = call(&app, "POST", LEGACY, Some(&jwt), Some(&legacy)).await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    let a = call(
        &app,
        "POST",
        LEGACY,
        Some(&key()),
        Some(&common::three_shots("legacy-key")),
    )
    .await;
    assert_eq!(a.code(), Some(0), "{}", a.message());
    let a = call(
        &app,
        "POST",
        LEGACY,
        Some("Bearer not-the-simulator-key"),
        Some(&common::three_shots("legacy-other")),
    )
    .await;
    assert_eq!((a.status, a.code()), (401, Some(1000)));
}

#[tokio::test]
async fn unknown_fields_are_ignored_silently() {
    let app = app(quick());
    let data = create(
        &app,
        &json!({
            "contents": [{"type": "prompt", "text": "A kite", "weight": 2}],
            "settings": {"multi_shot": false, "mode": "pro", "negative_prompt": "rain"},
            "options": {"priority": "high"},
            "model_name": "kling-v3-omni",
        }),
    )
    .await;
    let seen = inspect(&app, data["id"].as_str().expect("id")).await;
    // `mode` means nothing here: 720p by default.
    assert_eq!(seen["height"], 720);
}

#[tokio::test]
async fn multi_shot_defaults_to_true_and_cuts_a_prompt_at_its_semicolons() {
    let app = app(quick());
    let text = "A kite rises; it loops over the dunes; it lands";
    let cut = create(&app, &body(json!([prompt(text)]), json!({"duration": 6}))).await;
    let seen = inspect(&app, cut["id"].as_str().expect("id")).await;
    assert_eq!(
        seen["shots"],
        json!([
            {"seconds": 2, "words": "A kite rises"},
            {"seconds": 2, "words": "it loops over the dunes"},
            {"seconds": 2, "words": "it lands"}
        ])
    );
    // `false` keeps it one shot.
    let one = create(
        &app,
        &body(
            json!([prompt(text)]),
            json!({"duration": 6, "multi_shot": false}),
        ),
    )
    .await;
    let seen = inspect(&app, one["id"].as_str().expect("id")).await;
    assert_eq!(seen["shots"], json!([{"seconds": 6, "words": text}]));
    // A shot list: one shot per entry, the direction kept out of them.
    let listed = create(
        &app,
        &body(
            json!([prompt(
                "Golden light. shot 1, 2, A kite rises; shot 2, 4, it lands;"
            )]),
            json!({"duration": 6}),
        ),
    )
    .await;
    let seen = inspect(&app, listed["id"].as_str().expect("id")).await;
    assert_eq!(
        seen["shots"],
        json!([{"seconds": 2, "words": "A kite rises"}, {"seconds": 4, "words": "it lands"}])
    );
}

fn keyed(external: &str) -> Value {
    json!({
        "contents": [prompt("A kite")],
        "settings": {"multi_shot": false, "duration": 3},
        "options": {"external_task_id": external},
    })
}

#[tokio::test]
async fn a_repeated_external_id_is_refused_on_both_designs() {
    let app = app(quick());
    create(&app, &keyed("job-1")).await;
    refused(
        &app,
        &keyed("job-1"),
        "external_task_id job-1 already exists",
    )
    .await;
    // Unique per account: the legacy design shares the ids.
    let a = post(&app, LEGACY, &common::three_shots("job-1")).await;
    assert_eq!((a.status, a.code()), (400, Some(1201)));
    post(&app, LEGACY, &common::three_shots("job-2")).await;
    refused(&app, &keyed("job-2"), "already exists").await;
    let stats = call(&app, "GET", "/sim/kling/control/stats", None, None).await;
    assert_eq!(stats.json()["tasks"], 2);
}

#[tokio::test]
async fn tasks_are_found_by_ids_and_external_ids_in_batches() {
    let app = app(SimConfig {
        submit_ms: 60_000,
        ..quick()
    });
    let a = create(&app, &keyed("key-a")).await["id"]
        .as_str()
        .map(String::from)
        .expect("id");
    let b = create(&app, &keyed("key-b")).await["id"]
        .as_str()
        .map(String::from)
        .expect("id");
    let legacy = post(&app, LEGACY, &common::three_shots("key-legacy"))
        .await
        .json()["data"]["task_id"]
        .as_str()
        .map(String::from)
        .expect("legacy id");

    let ids = |a: &Answer| -> Vec<String> {
        a.json()["data"]
            .as_array()
            .map(|d| {
                d.iter()
                    .filter_map(|t| t["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let found = get(&app, &format!("{TASKS}?task_ids={b},unknown,{a}")).await;
    assert_eq!(found.code(), Some(0));
    assert_eq!(ids(&found), vec![b.clone(), a.clone()]);
    let task = &found.json()["data"][0];
    assert_eq!(task["external_id"], "key-b");
    assert_eq!(task["status"], "submitted");
    assert_eq!(task["outputs"], json!([]));
    assert_eq!(task["billing"], json!([]));

    let found = get(
        &app,
        &format!("{TASKS}?external_task_ids=key-a,key-legacy,nobody"),
    )
    .await;
    assert_eq!(ids(&found), vec![a.clone(), legacy.clone()]);
    // A legacy task in the current shape, and its legacy path unchanged.
    assert_eq!(found.json()["data"][1]["external_id"], "key-legacy");
    let old = get(&app, &format!("{LEGACY}/{legacy}")).await;
    assert_eq!(old.json()["data"]["task_status"], "submitted");
    // A current task is not on the legacy path.
    let old = get(&app, &format!("{LEGACY}/{a}")).await;
    assert_eq!((old.status, old.code()), (404, Some(1203)));

    // Unknown ids: an empty list, not an error.
    let none = get(&app, &format!("{TASKS}?task_ids=unknown,other")).await;
    assert_eq!((none.status, none.code()), (200, Some(0)));
    assert_eq!(none.json()["data"], json!([]));
    // Exactly one of the two.
    for q in [
        format!("task_ids={a}&external_task_ids=key-a"),
        String::new(),
        "task_ids=".into(),
    ] {
        let bad = get(&app, &format!("{TASKS}?{q}")).await;
        assert_eq!((bad.status, bad.code()), (400, Some(1201)), "{q}");
    }
}

#[tokio::test]
async fn a_task_succeeds_with_its_video_and_its_bill() {
    let app = app(quick());
    let data = create(
        &app,
        &json!({
            "contents": [prompt("shot 1, 2, A kite rises; shot 2, 2, it loops;")],
            "settings": {"resolution": "1080p", "audio": "native", "duration": 4},
            "options": {"external_task_id": "billed", "watermark_info": {"enabled": true}},
        }),
    )
    .await;
    let id = data["id"].as_str().expect("id");
    let task = until_done(&app, id).await;
    assert_eq!(task["status"], "succeeded");
    assert_eq!(task["message"], "");
    let tenths = cost::kling_unit_tenths_per_second(Resolution::P1080, false, true) * 4;
    assert_eq!(
        task["billing"],
        json!([{"charge_type": "unit", "amount": cost::units_number(tenths), "package_type": "video"}])
    );
    let out = &task["outputs"][0];
    assert_eq!(out["type"], "video");
    assert_eq!(out["duration"], "4");
    assert!(out["watermark_url"].as_str().is_some_and(|u| !u.is_empty()));
    assert!(task["update_time"].as_u64() > task["create_time"].as_u64());
    let url = out["url"].as_str().expect("url");
    let path = url
        .strip_prefix(&format!("http://{HOST}"))
        .expect("on the caller's host");
    let video = call(&app, "GET", path, None, None).await;
    let bytes = video.body.expect("a whole video");
    assert_eq!(&bytes[4..8], b"ftyp");
}

#[tokio::test]
async fn a_4k_task_yields_a_3840_by_2160_clip() {
    let app = app(quick());
    let data = create(
        &app,
        &body(
            json!([prompt("A kite in 4K")]),
            json!({"resolution": "4k", "duration": 3, "multi_shot": false}),
        ),
    )
    .await;
    let task = until_done(&app, data["id"].as_str().expect("id")).await;
    assert_eq!(task["billing"][0]["amount"], "9");
    let path = task["outputs"][0]["url"]
        .as_str()
        .and_then(|u| u.strip_prefix(&format!("http://{HOST}")))
        .map(String::from)
        .expect("url");
    let started = Instant::now();
    let bytes = call(&app, "GET", &path, None, None)
        .await
        .body
        .expect("video");
    let info = storyreel_core::media::video::read_video(&bytes).expect("an MP4");
    assert_eq!((info.width, info.height), (3840, 2160));
    assert!((info.seconds() - 3.0).abs() < 0.01, "{}", info.seconds());
    eprintln!(
        "4K clip of 3 s: {} bytes, made in {:?}",
        bytes.len(),
        started.elapsed()
    );
}

#[tokio::test]
async fn post_tasks_pages_newest_first_with_a_stable_cursor() {
    let app = app(quick());
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(
            create(&app, &keyed(&format!("page-{i}"))).await["id"]
                .as_str()
                .map(String::from)
                .expect("id"),
        );
    }
    let page = |a: &Answer| -> (Vec<String>, String, bool) {
        let d = &a.json()["data"];
        let ids = d["result"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|t| t["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            d["count"].as_u64(),
            Some(d["result"].as_array().map_or(0, |r| r.len() as u64))
        );
        (
            ids,
            d["next_cursor"].as_str().unwrap_or_default().to_string(),
            d["has_more"] == true,
        )
    };
    let first = post(&app, TASKS, &json!({"limit": 2})).await;
    let (ids, cursor, more) = page(&first);
    assert_eq!(ids, vec![made[4].clone(), made[3].clone()]);
    assert!(more && !cursor.is_empty());
    // A task created meanwhile does not move the pages that follow.
    create(&app, &keyed("page-late")).await;
    let (ids, cursor, more) =
        page(&post(&app, TASKS, &json!({"limit": 2, "cursor": cursor})).await);
    assert_eq!(ids, vec![made[2].clone(), made[1].clone()]);
    assert!(more);
    let (ids, cursor, more) =
        page(&post(&app, TASKS, &json!({"limit": 2, "cursor": cursor})).await);
    assert_eq!(ids, vec![made[0].clone()]);
    assert!(!more && cursor.is_empty());

    // The default lists all six; filters narrow it.
    let (ids, _, _) = page(&post(&app, TASKS, &json!({})).await);
    assert_eq!(ids.len(), 6);
    let (ids, _, _) = page(
        &post(
            &app,
            TASKS,
            &json!({"filters": [{"key": "status", "values": ["failed"]}]}),
        )
        .await,
    );
    assert!(ids.is_empty());
    let (ids, _, _) = page(
        &post(
            &app,
            TASKS,
            &json!({"filters": [{"key": "product_type", "values": ["image"]}]}),
        )
        .await,
    );
    assert!(ids.is_empty());
    let (ids, _, _) = page(&post(&app, TASKS, &json!({"filters": [{"key": "status", "values": ["submitted", "processing", "succeeded"]}]})).await);
    assert_eq!(ids.len(), 6);
    // A window that ends before the tasks.
    let (ids, _, _) = page(&post(&app, TASKS, &json!({"start_time": "1", "end_time": "2"})).await);
    assert!(ids.is_empty());
    // The limit: 500 inside, 501 outside.
    assert_eq!(
        post(&app, TASKS, &json!({"limit": 500})).await.code(),
        Some(0)
    );
    let a = post(&app, TASKS, &json!({"limit": 501})).await;
    assert_eq!((a.status, a.code()), (400, Some(1201)));
    assert!(
        a.message().contains("limit value '501' is invalid"),
        "{}",
        a.message()
    );
    let a = post(&app, TASKS, &json!({"cursor": "elsewhere"})).await;
    assert!(
        a.message().contains("cursor value 'elsewhere' is invalid"),
        "{}",
        a.message()
    );
}

async fn faults(app: &Router, plan: Value) {
    let a = call(app, "POST", "/sim/kling/control/faults", None, Some(&plan)).await;
    assert_eq!(a.status, 204);
}

#[tokio::test]
async fn faults_apply_on_the_current_paths() {
    let app = app(quick());
    faults(
        &app,
        json!({
            "create": [
                {"kind": "code", "code": 1303},
                {"kind": "drop"},
                {"kind": "reset"},
                {"kind": "truncate"},
                {"kind": "slow", "ms": 150},
                {"kind": "gateway", "status": 503},
                {"kind": "fail_task", "message": "Output blocked by content safety"}
            ],
            "query": [{"kind": "code", "code": 5000}, {"kind": "drop"}],
            "list": [{"kind": "truncate"}]
        }),
    )
    .await;
    let a = post(&app, CREATE, &keyed("f-code")).await;
    assert_eq!((a.status, a.code()), (429, Some(1303)));
    // Dropped, reset and truncated answers: the task exists all the same.
    let a = post(&app, CREATE, &keyed("f-drop")).await;
    assert_eq!(a.status, 502);
    let a = post(&app, CREATE, &keyed("f-reset")).await;
    assert!(a.body.is_err(), "a reset body breaks off");
    let a = post(&app, CREATE, &keyed("f-truncate")).await;
    assert!(a.body.is_err(), "a truncated body breaks off");
    let started = Instant::now();
    let a = post(&app, CREATE, &keyed("f-slow")).await;
    assert_eq!(a.code(), Some(0));
    assert!(started.elapsed() >= Duration::from_millis(150));
    let a = post(&app, CREATE, &keyed("f-gateway")).await;
    assert_eq!(a.status, 503);
    assert_eq!(a.code(), None, "a gateway's page, not Kling's body");
    let failing = create(&app, &keyed("f-fail")).await;

    // Query faults: Kling's 5000, then a dropped answer; then the list.
    let q = format!("{TASKS}?external_task_ids=f-code,f-drop,f-reset,f-truncate,f-slow,f-gateway");
    let a = get(&app, &q).await;
    assert_eq!((a.status, a.code()), (500, Some(5000)));
    assert_eq!(get(&app, &q).await.status, 502);
    let a = get(&app, &q).await;
    let found: Vec<String> = a.json()["data"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|t| t["external_id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(found, vec!["f-drop", "f-reset", "f-truncate", "f-slow"]);
    assert!(post(&app, TASKS, &json!({})).await.body.is_err());

    let task = until_done(&app, failing["id"].as_str().expect("id")).await;
    assert_eq!(task["status"], "failed");
    assert_eq!(task["message"], "Output blocked by content safety");
    assert_eq!(task["billing"], json!([]));
    assert_eq!(task["outputs"], json!([]));
}

#[tokio::test]
async fn only_the_3_0_omni_model_is_served() {
    let app = app(quick());
    let a = post(&app, "/sim/kling/omni-video/kling-9.0-omni", &keyed("m")).await;
    assert_eq!((a.status, a.code()), (404, Some(1203)));
    let a = call(&app, "POST", CREATE, Some(&key()), None).await;
    assert_eq!((a.status, a.code()), (400, Some(1200)));
}

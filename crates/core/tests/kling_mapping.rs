//! Kling request snapshots: `fixtures/NAME.board.json` maps to
//! `fixtures/NAME.kling.json` (`{"method", "url", "body"}`).
//!
//! The expected requests were written by hand from providers.md §1.3
//! (Omni body), §1.6 (examples) and §1.7 (`kling-v3` image-to-video), not
//! generated from the code.

mod mapping_support;

use mapping_support::{fixtures, read, upload_options};
use serde_json::Value;
use storyreel_core::problem::ProblemKind;
use storyreel_core::request::{self, RequestOptions, UploadsMode};
use storyreel_core::{kling, Board, Field, Location, Problem, Provider, RequestError};

fn board(name: &str) -> Board {
    Board::from_json(&read(&format!("{name}.board.json")))
        .unwrap_or_else(|e| panic!("{name}.board.json: {e}"))
}

fn task_options() -> RequestOptions {
    RequestOptions {
        kling_base_url: "https://api-beijing.klingai.com/".into(),
        external_task_id: Some("storyreel-2026-0001".into()),
        callback_url: Some("https://hooks.example.com/kling".into()),
        ..RequestOptions::default()
    }
}

/// Every snapshot, with the options it is mapped with.
fn cases() -> Vec<(&'static str, RequestOptions)> {
    vec![
        ("text-3-shots", RequestOptions::default()),
        ("cast-mentions", RequestOptions::default()),
        ("first-last-frame", RequestOptions::default()),
        ("first-frame-multi", RequestOptions::default()),
        ("video-feature", RequestOptions::default()),
        ("video-base", RequestOptions::default()),
        ("overall-prompt", RequestOptions::default()),
        ("overall-prompt-single", RequestOptions::default()),
        ("uploads", upload_options()),
        ("task-ids", task_options()),
        ("doc-example-fixed", RequestOptions::default()),
    ]
}

fn assert_snapshot(name: &str, opts: &RequestOptions) {
    let b = board(name);
    let got = request::for_board(&b, opts).unwrap_or_else(|e| panic!("{name}: {e}"));
    let expected_text = read(&format!("{name}.kling.json"));
    let expected: Value = serde_json::from_str(&expected_text).unwrap();
    let got_value = serde_json::to_value(&got).unwrap();
    assert_eq!(
        got_value,
        expected,
        "{name}: the request differs from the snapshot; got\n{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
    // Key order: the printed request lists its keys in the snapshot's order
    // (serde_json keeps insertion order in this workspace).
    let printed = serde_json::to_string_pretty(&got).unwrap();
    assert_eq!(
        printed,
        serde_json::to_string_pretty(&expected).unwrap(),
        "{name}: same JSON, different key order"
    );
    // ... and mapping again prints the same text.
    let again = request::for_board(&b, opts).unwrap();
    assert_eq!(serde_json::to_string_pretty(&again).unwrap(), printed);
}

#[test]
fn every_snapshot_matches() {
    for (name, opts) in cases() {
        assert_snapshot(name, &opts);
    }
}

#[test]
fn every_snapshot_file_has_a_case() {
    let known: Vec<&str> = cases().iter().map(|(n, _)| *n).collect();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if let Some(name) = file.strip_suffix(".kling.json") {
            assert!(known.contains(&name), "{file} is not checked by any case");
            assert!(fixtures().join(format!("{name}.board.json")).exists());
        }
    }
}

// One test per concept as well, so a failure names what broke.

#[test]
fn text_only_multi_shot() {
    assert_snapshot("text-3-shots", &RequestOptions::default());
}

#[test]
fn mentions_point_at_list_positions() {
    assert_snapshot("cast-mentions", &RequestOptions::default());
    // Cross-check: each <<<image_N>>> / <<<element_N>>> names the entry at
    // position N of the list that is sent.
    let b = board("cast-mentions");
    let body = kling::request(&b, &RequestOptions::default()).unwrap().body;
    let images = body["image_list"].as_array().unwrap();
    let elements = body["element_list"].as_array().unwrap();
    let spelled = [
        ("<<<image_1>>>", "mia"),
        ("<<<image_2>>>", "stall"),
        ("<<<element_1>>>", "lantern"),
    ];
    for (tag, name) in spelled {
        let n: usize = tag
            .trim_matches(['<', '>'])
            .rsplit('_')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let r = b.reference(name).unwrap();
        match r.src() {
            Some(src) => assert_eq!(images[n - 1]["image_url"], src),
            None => assert_eq!(elements[n - 1]["element_id"], 831204),
        }
    }
    // The element sits between the images in the cast, yet the second image
    // is image 2.
    assert!(body["multi_prompt"][0]["prompt"]
        .as_str()
        .unwrap()
        .starts_with("<<<image_2>>>"));
}

#[test]
fn single_shot_first_and_last_frame() {
    assert_snapshot("first-last-frame", &RequestOptions::default());
    assert_eq!(
        kling::Route::of(&board("first-last-frame")),
        kling::Route::OmniSingleShot
    );
}

#[test]
fn multi_shot_with_first_frame_goes_to_kling_v3_image2video() {
    assert_snapshot("first-frame-multi", &RequestOptions::default());
    let b = board("first-frame-multi");
    assert_eq!(kling::Route::of(&b), kling::Route::FirstFrameMultiShot);
    let body = kling::request(&b, &RequestOptions::default()).unwrap().body;
    // Never sent with the frame silently dropped, and never as Omni.
    assert_eq!(body["image"], "https://example.com/door.png");
    assert!(body.get("image_list").is_none());
    assert!(body.get("aspect_ratio").is_none());
}

#[test]
fn reference_video_feature_with_sound_off() {
    assert_snapshot("video-feature", &RequestOptions::default());
}

#[test]
fn base_video_sends_no_aspect_ratio() {
    assert_snapshot("video-base", &RequestOptions::default());
}

#[test]
fn overall_prompt_is_prepended_to_each_shot() {
    assert_snapshot("overall-prompt", &RequestOptions::default());
    assert_snapshot("overall-prompt-single", &RequestOptions::default());
    assert_eq!(
        kling::sent_prompts(&board("overall-prompt")),
        vec![
            "Warm neon palette, <<<image_1>>> in a red coat. She buys noodles.",
            "Warm neon palette, <<<image_1>>> in a red coat. <<<image_1>>> laughs.",
        ]
    );
}

#[test]
fn uploads_need_a_public_base_url() {
    assert_snapshot("uploads", &upload_options());
    // Without a trailing slash the URL is the same.
    let b = board("uploads");
    let opts = RequestOptions {
        uploads: UploadsMode::PublicBase("https://media.example.com/u".into()),
        ..RequestOptions::default()
    };
    assert_eq!(
        kling::request(&b, &opts).unwrap(),
        kling::request(&b, &upload_options()).unwrap()
    );
    // Without one, the board cannot be mapped; the first upload is named.
    let e = kling::request(&b, &RequestOptions::default()).unwrap_err();
    assert_eq!(e, RequestError::UploadNeedsPublicUrl { name: "mia".into() });
    assert!(e.to_string().contains("'mia'"));
}

#[test]
fn uploads_resolved_by_the_server_are_sent_as_written() {
    let b = board("uploads");
    let opts = RequestOptions {
        uploads: UploadsMode::ResolvedByServer,
        ..RequestOptions::default()
    };
    let body = kling::request(&b, &opts).unwrap().body;
    assert_eq!(
        body["image_list"][0]["image_url"],
        "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    );
    assert_eq!(
        body["image_list"][1]["image_url"],
        "https://example.com/stall.jpg"
    );
    assert_eq!(
        body["video_list"][0]["video_url"],
        "upload:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
    );
    // The rest of the body is the public-URL body's.
    let mut public = kling::request(&b, &upload_options()).unwrap().body;
    public["image_list"][0]["image_url"] = body["image_list"][0]["image_url"].clone();
    public["video_list"][0]["video_url"] = body["video_list"][0]["video_url"].clone();
    assert_eq!(public, body);
    // The command line's default is unchanged: refused.
    assert_eq!(UploadsMode::from_base(None), UploadsMode::Refuse);
    assert_eq!(
        UploadsMode::from_base(Some("https://m.test/u".into())),
        UploadsMode::PublicBase("https://m.test/u".into())
    );
}

#[test]
fn task_id_callback_and_base_url_pass_through() {
    assert_snapshot("task-ids", &task_options());
    let body = kling::request(&board("task-ids"), &RequestOptions::default())
        .unwrap()
        .body;
    assert!(body.get("external_task_id").is_none());
    assert!(body.get("callback_url").is_none());
}

#[test]
fn corrected_doc_example() {
    assert_snapshot("doc-example-fixed", &RequestOptions::default());
}

#[test]
fn board_with_errors_is_refused() {
    let text = read("invalid.board.json");
    let b = Board::from_json_unchecked(&text).unwrap();
    let e = kling::request(&b, &RequestOptions::default()).unwrap_err();
    assert_eq!(
        e,
        RequestError::Invalid(vec![
            Problem::error(Location::Shot(1), Field::Prompt, ProblemKind::EmptyPrompt),
            Problem::error(
                Location::Board,
                Field::Duration,
                ProblemKind::TotalTooLong {
                    total: 12,
                    max: 10,
                    with_video: true
                }
            ),
            Problem::error(
                Location::Board,
                Field::Sound,
                ProblemKind::SoundWithVideo {
                    video: "moves".into()
                }
            ),
            Problem::error(
                Location::Shot(0),
                Field::Prompt,
                ProblemKind::UnknownMention {
                    name: "ghost".into()
                }
            ),
        ])
    );
    assert_eq!(e.to_string(), "the board has 4 errors and cannot be sent");
    // The documented example (sound with a video, 12 s) is refused too.
    let doc = Board::from_json_unchecked(&read("doc-example.board.json")).unwrap();
    assert!(matches!(
        kling::request(&doc, &RequestOptions::default()),
        Err(RequestError::Invalid(p)) if p.len() == 2
    ));
}

#[test]
fn warnings_do_not_stop_the_request() {
    let b = board("first-last-frame");
    assert!(!storyreel_core::check(&b).problems.is_empty());
    assert!(kling::request(&b, &RequestOptions::default()).is_ok());
}

#[test]
fn other_providers_are_mapped_by_their_own_modules() {
    // fal and Replicate have their own snapshots (fal_mapping.rs,
    // replicate_mapping.rs); here: they are wired, and never give Kling's
    // request.
    let mut b = board("text-3-shots");
    let kling_request = kling::request(&b, &RequestOptions::default()).unwrap();
    for p in [Provider::Fal, Provider::Replicate] {
        let got = request::for_provider(p, &b, &RequestOptions::default()).unwrap();
        assert_ne!(got.url, kling_request.url);
        b.provider = p;
        assert_eq!(
            request::for_board(&b, &RequestOptions::default()).unwrap(),
            got
        );
        // The board's provider does not matter when Kling is asked for.
        assert_eq!(
            request::for_provider(Provider::Kling, &b, &RequestOptions::default()).unwrap(),
            kling_request
        );
    }
}

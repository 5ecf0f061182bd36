//! fal request snapshots: `fixtures/BOARD.board.json` maps to
//! `fixtures/NAME.fal.json`, either the exact request or `{"refused": [...]}`.
//!
//! The expected requests were written by hand from providers.md §2.1 (endpoint
//! ids, queue host), §2.3 (O3 input schemas), §2.4 (`multi_prompt` element)
//! and §5 (cross-provider map), not generated from the code. They go
//! through the one runner in `mapping_support`.

mod mapping_support;

use mapping_support::{assert_every_snapshot_has_a_case, assert_snapshot, board, Case};
use serde_json::Value;
use storyreel_core::fal::{self, Endpoint, FalOptions};
use storyreel_core::mapping;
use storyreel_core::problem::ProblemKind;
use storyreel_core::request::RequestOptions;
use storyreel_core::{
    check_for, Board, Provider, Reference, RequestError, Resolution, Shot, VideoUse,
};

fn fal_options(f: FalOptions) -> RequestOptions {
    RequestOptions {
        fal: f,
        ..RequestOptions::default()
    }
}

fn allow_frames() -> RequestOptions {
    fal_options(FalOptions {
        allow_frames_with_multi_shot: true,
        ..FalOptions::default()
    })
}

fn min_one_second() -> RequestOptions {
    fal_options(FalOptions {
        min_shot_seconds: 1,
        ..FalOptions::default()
    })
}

fn cases() -> Vec<Case> {
    vec![
        Case::new("text-3-shots"),
        Case::new("overall-prompt"),
        Case::new("overall-prompt-single"),
        Case::new("first-last-frame"),
        Case::new("task-ids"),
        Case::with("uploads", "uploads", mapping_support::upload_options()),
        Case::new("video-feature-single"),
        Case::with("frame-multi-allowed", "frame-multi", allow_frames()),
        Case::with("short-shots-min1", "short-shots", min_one_second()),
        // Refused.
        Case::new("frame-multi"),
        Case::new("short-shots"),
        Case::new("cast-mentions"),
        Case::new("first-frame-multi"),
        Case::new("video-feature"),
        Case::new("video-base"),
        Case::new("doc-example-fixed"),
    ]
}

fn case(name: &str) -> Case {
    cases().into_iter().find(|c| c.snapshot == name).unwrap()
}

fn snapshot(name: &str) {
    assert_snapshot(Provider::Fal, &case(name));
}

fn body(b: &Board, opts: &RequestOptions) -> Value {
    fal::request(b, opts)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .body
}

fn refusal(b: &Board, opts: &RequestOptions) -> Vec<ProblemKind> {
    match fal::request(b, opts) {
        Err(RequestError::Invalid(problems)) => problems.into_iter().map(|p| p.kind).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn every_snapshot_matches() {
    for c in cases() {
        assert_snapshot(Provider::Fal, &c);
    }
}

#[test]
fn every_snapshot_file_has_a_case() {
    assert_every_snapshot_has_a_case(Provider::Fal, &cases());
}

// One test per concept as well, so a failure names what broke.

#[test]
fn text_multi_shot_goes_to_text_to_video() {
    snapshot("text-3-shots");
    let b = board("text-3-shots");
    assert_eq!(Endpoint::of(&b), Endpoint::TextToVideo);
    let body = body(&b, &RequestOptions::default());
    // No `index` on fal (§2.4), durations as strings adding up to the total.
    let shots = body["multi_prompt"].as_array().unwrap();
    assert!(shots.iter().all(|s| s.get("index").is_none()));
    let sum: u32 = shots
        .iter()
        .map(|s| s["duration"].as_str().unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(body["duration"], sum.to_string());
    assert!(
        body.get("prompt").is_none(),
        "prompt or multi_prompt, not both"
    );
}

#[test]
fn tier_follows_the_mode() {
    snapshot("task-ids");
    assert_eq!(fal::tier(Resolution::P720), "standard");
    assert_eq!(fal::tier(Resolution::P1080), "pro");
    assert_eq!(
        Endpoint::VideoReference.id(Resolution::P1080),
        "fal-ai/kling-video/o3/pro/video-to-video/reference"
    );
    let req = fal::request(&board("task-ids"), &RequestOptions::default()).unwrap();
    assert_eq!(
        req.url,
        "https://queue.fal.run/fal-ai/kling-video/o3/standard/text-to-video"
    );
}

#[test]
fn mentions_point_at_image_urls_positions() {
    snapshot("overall-prompt");
    snapshot("frame-multi-allowed");
    // Cross-check: each @ImageN names entry N of `image_urls`.
    let b = board("frame-multi");
    let body = body(&b, &allow_frames());
    let urls = body["image_urls"].as_array().unwrap();
    let sent = body["multi_prompt"][1]["prompt"].as_str().unwrap();
    assert_eq!(sent, "@Image2 steps through @Image1.");
    for (tag, name) in [("@Image1", "door"), ("@Image2", "mia")] {
        let n: usize = tag.trim_start_matches("@Image").parse().unwrap();
        assert_eq!(urls[n - 1], b.reference(name).unwrap().src().unwrap());
    }
}

#[test]
fn frame_only_images_are_not_in_image_urls() {
    snapshot("first-last-frame");
    let b = board("first-last-frame");
    assert_eq!(Endpoint::of(&b), Endpoint::ReferenceToVideo);
    let body = body(&b, &RequestOptions::default());
    assert!(body.get("image_urls").is_none());
    assert_eq!(body["start_image_url"], "https://example.com/a.png");
    assert_eq!(body["end_image_url"], "https://example.com/b.png");
    // Mentioned, the first frame is sent in both places.
    let mut b = b;
    b.shots[0].prompt = "@open dances".into();
    let body = body_of(&b);
    assert_eq!(body["prompt"], "@Image1 dances");
    assert_eq!(
        body["image_urls"],
        serde_json::json!(["https://example.com/a.png"])
    );
    assert_eq!(body["start_image_url"], "https://example.com/a.png");
}

fn body_of(b: &Board) -> Value {
    body(b, &RequestOptions::default())
}

#[test]
fn overall_prompt_is_prepended_to_each_shot() {
    snapshot("overall-prompt-single");
    assert_eq!(
        fal::sent_prompts(&board("overall-prompt")),
        vec![
            "Warm neon palette, @Image1 in a red coat. She buys noodles.",
            "Warm neon palette, @Image1 in a red coat. @Image1 laughs.",
        ]
    );
}

#[test]
fn single_shot_reference_video_goes_to_video_to_video_reference() {
    snapshot("video-feature-single");
    let b = board("video-feature-single");
    assert_eq!(Endpoint::of(&b), Endpoint::VideoReference);
    let body = body_of(&b);
    assert_eq!(body["keep_audio"], true);
    assert!(body.get("generate_audio").is_none());
    assert!(body.get("multi_prompt").is_none());
}

#[test]
fn uploads_need_a_public_base_url() {
    snapshot("uploads");
    let e = fal::request(&board("uploads"), &RequestOptions::default()).unwrap_err();
    assert_eq!(e, RequestError::UploadNeedsPublicUrl { name: "mia".into() });
}

#[test]
fn multi_shot_with_a_video_is_refused() {
    snapshot("video-feature");
    assert_eq!(
        refusal(&board("video-feature"), &RequestOptions::default()),
        vec![ProblemKind::FalVideoMultiShot {
            video: "moves".into(),
            shots: 2
        }]
    );
    // The same board on one shot maps.
    let mut b = board("video-feature");
    b.shots.truncate(1);
    assert_eq!(Endpoint::of(&b), Endpoint::VideoReference);
    assert!(fal::request(&b, &RequestOptions::default()).is_ok());
}

#[test]
fn base_video_is_refused() {
    snapshot("video-base");
    let mut b = board("video-base");
    if let storyreel_core::ReferenceKind::Video { usage, .. } = &mut b.references[0].kind {
        *usage = VideoUse::Feature;
    }
    assert!(fal::request(&b, &RequestOptions::default()).is_ok());
}

#[test]
fn reference_video_with_a_frame_is_refused() {
    let mut b = board("video-feature-single");
    b.references
        .push(Reference::image("open", "https://example.com/open.png"));
    assert!(fal::request(&b, &RequestOptions::default()).is_ok());
    b.first_frame = Some("open".into());
    assert_eq!(
        refusal(&b, &RequestOptions::default()),
        vec![ProblemKind::FalVideoWithFrames {
            video: "moves".into()
        }]
    );
}

#[test]
fn elements_are_refused_never_dropped() {
    snapshot("cast-mentions");
    snapshot("first-frame-multi");
    snapshot("doc-example-fixed");
}

#[test]
fn frames_with_several_shots_need_the_option() {
    snapshot("frame-multi");
    snapshot("frame-multi-allowed");
    let b = board("frame-multi");
    let body = body(&b, &allow_frames());
    assert_eq!(body["start_image_url"], "https://example.com/door.png");
    assert_eq!(body["shot_type"], "customize");
}

#[test]
fn shot_minimum_is_three_seconds_unless_configured() {
    snapshot("short-shots");
    snapshot("short-shots-min1");
    let b = board("short-shots");
    // A minimum of 2 s refuses only the 1 s shot.
    let opts = fal_options(FalOptions {
        min_shot_seconds: 2,
        ..FalOptions::default()
    });
    assert_eq!(
        refusal(&b, &opts),
        vec![ProblemKind::FalShotTooShort {
            duration: 1,
            min: 2
        }]
    );
    // A single shot has no per-shot duration: 3 s is the total's minimum.
    let single = Board {
        shots: vec![Shot::new("A bell rings.", 3)],
        ..Board::default()
    };
    let opts = fal_options(FalOptions {
        min_shot_seconds: 5,
        ..FalOptions::default()
    });
    assert!(fal::request(&single, &opts).is_ok());
}

#[test]
fn total_duration_can_be_left_out_of_a_multi_shot_request() {
    let b = board("text-3-shots");
    let opts = fal_options(FalOptions {
        send_total_duration: false,
        ..FalOptions::default()
    });
    let body = body(&b, &opts);
    assert!(body.get("duration").is_none());
    assert_eq!(body["multi_prompt"][2]["duration"], "6");
    // A single shot always says how long it is.
    let body = body_of(&board("task-ids"));
    assert_eq!(body["duration"], "3");
    let body = self::body(&board("task-ids"), &opts);
    assert_eq!(body["duration"], "3");
}

#[test]
fn sent_prompt_limit_counts_the_fal_spelling() {
    // "@mia " (5) becomes "@Image1 " (8): 3 more characters.
    let mut b = Board {
        references: vec![Reference::image("mia", "https://example.com/mia.png")],
        shots: vec![
            Shot::new("a", 3),
            Shot::new(format!("@mia {}", "x".repeat(504)), 3),
        ],
        ..Board::default()
    };
    assert!(fal::request(&b, &RequestOptions::default()).is_ok());
    b.shots[1].prompt.push('x');
    assert_eq!(
        refusal(&b, &RequestOptions::default()),
        vec![ProblemKind::SentPromptTooLong {
            provider: Provider::Fal,
            chars: 513,
            max: 512
        }]
    );
}

#[test]
fn the_boards_provider_does_not_choose_the_rules() {
    // A 1 s shot is fine on Kling and refused on fal, whatever the board says.
    let mut b = board("short-shots");
    for own in Provider::ALL {
        b.provider = own;
        assert!(mapping::for_provider(Provider::Kling, &b, &RequestOptions::default()).is_ok());
        assert!(matches!(
            mapping::for_provider(Provider::Fal, &b, &RequestOptions::default()),
            Err(RequestError::Invalid(_))
        ));
        assert!(check_for(&b, Provider::Fal, &RequestOptions::default()).has_errors());
        assert!(!check_for(&b, Provider::Kling, &RequestOptions::default()).has_errors());
    }
}

#[test]
fn board_with_errors_is_refused_with_the_rules_errors() {
    let text = mapping_support::read("invalid.board.json");
    let b = Board::from_json_unchecked(&text).unwrap();
    let e = fal::request(&b, &RequestOptions::default()).unwrap_err();
    let expected: Vec<_> = check_for(&b, Provider::Fal, &RequestOptions::default())
        .errors()
        .cloned()
        .collect();
    assert_eq!(e, RequestError::Invalid(expected.clone()));
    // The format's errors, and fal's: two shots with a reference video.
    assert!(expected
        .iter()
        .any(|p| matches!(p.kind, ProblemKind::SoundWithVideo { .. })));
    assert!(expected
        .iter()
        .any(|p| matches!(p.kind, ProblemKind::FalVideoMultiShot { shots: 2, .. })));
}

// ------------------------------------------------------- library characters

fn character_board() -> Board {
    use storyreel_core::character::{CharacterLink, Look};
    let mia = CharacterLink {
        id: "c-mia".into(),
        look: Look::Images {
            frontal: "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                .into(),
            others: vec![
                "https://example.com/mia-side.png".into(),
                "https://example.com/mia-back.png".into(),
            ],
        },
        voice: None,
    };
    let tom = CharacterLink {
        id: "c-tom".into(),
        look: Look::Video {
            src: "https://example.com/tom.mp4".into(),
        },
        voice: None,
    };
    Board {
        provider: Provider::Fal,
        references: vec![
            Reference::image("door", "https://example.com/door.png"),
            // Not made at Kling yet: fal does not need the element.
            Reference::character("mia", "", mia),
            Reference::character("tom", "860000000000000002", tom),
        ],
        shots: vec![Shot::new("@mia opens @door while @tom watches.", 5)],
        ..Board::default()
    }
}

#[test]
fn characters_become_fal_elements_cited_in_cast_order() {
    // Written by hand from providers.md §2.3: `elements` of
    // KlingV3ComboElementInput (frontal_image_url + reference_image_urls,
    // or video_url), cited as @Element1, @Element2.
    let expected = serde_json::json!({
        "prompt": "@Element1 opens @Image1 while @Element2 watches.",
        "image_urls": ["https://example.com/door.png"],
        "elements": [
            {
                "frontal_image_url": "https://media.example.com/u/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "reference_image_urls": [
                    "https://example.com/mia-side.png",
                    "https://example.com/mia-back.png"
                ]
            },
            {"video_url": "https://example.com/tom.mp4"}
        ],
        "duration": "5",
        "aspect_ratio": "16:9",
        "generate_audio": true
    });
    let req = fal::request(&character_board(), &mapping_support::upload_options()).unwrap();
    assert_eq!(
        req.url,
        "https://queue.fal.run/fal-ai/kling-video/o3/pro/reference-to-video"
    );
    assert_eq!(req.body, expected);
    assert_eq!(
        serde_json::to_string_pretty(&req.body).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap(),
        "same key order"
    );
    // The relay resolves uploads itself: written as they are.
    let relayed = RequestOptions {
        uploads: storyreel_core::UploadsMode::ResolvedByServer,
        ..RequestOptions::default()
    };
    let body = body(&character_board(), &relayed);
    assert_eq!(
        body["elements"][0]["frontal_image_url"],
        "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    );
}

#[test]
fn a_characters_uploads_need_a_public_base_url() {
    match fal::request(&character_board(), &RequestOptions::default()) {
        Err(RequestError::UploadNeedsPublicUrl { name }) => assert_eq!(name, "mia"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_character_on_kling_is_its_element_and_needs_one() {
    let mut b = character_board();
    b.provider = Provider::Kling;
    let kinds: Vec<ProblemKind> = check_for(&b, Provider::Kling, &RequestOptions::default())
        .errors()
        .map(|p| p.kind.clone())
        .collect();
    assert_eq!(
        kinds,
        vec![ProblemKind::CharacterWithoutElement { name: "mia".into() }]
    );
}

//! Replicate request snapshots: `fixtures/BOARD.board.json` maps to
//! `fixtures/NAME.replicate.json`, either the exact request or
//! `{"refused": [...]}`.
//!
//! The expected requests were written by hand from providers.md §3 (the
//! `kling-v3-omni-video` input table and example) and §5, not generated
//! from the code. They go through the one runner in `mapping_support`.

mod mapping_support;

use mapping_support::{assert_every_snapshot_has_a_case, assert_snapshot, board, Case};
use serde_json::{json, Value};
use storyreel_core::problem::ProblemKind;
use storyreel_core::replicate::{self, ReplicateOptions};
use storyreel_core::request::RequestOptions;
use storyreel_core::{check_for, Board, Provider, Reference, RequestError, Severity, Shot};

fn allow_frames() -> RequestOptions {
    RequestOptions {
        replicate: ReplicateOptions {
            allow_frames_with_multi_shot: true,
        },
        ..RequestOptions::default()
    }
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
        Case::new("video-feature"),
        Case::new("video-base"),
        Case::new("short-shots"),
        Case::with("frame-multi-allowed", "frame-multi", allow_frames()),
        // Refused.
        Case::new("frame-multi"),
        Case::new("cast-mentions"),
        Case::new("first-frame-multi"),
        Case::new("doc-example-fixed"),
    ]
}

fn snapshot(name: &str) {
    let c = cases().into_iter().find(|c| c.snapshot == name).unwrap();
    assert_snapshot(Provider::Replicate, &c);
}

fn input(b: &Board, opts: &RequestOptions) -> Value {
    let req = replicate::request(b, opts).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(req.body.as_object().unwrap().len(), 1, "only `input`");
    req.body["input"].clone()
}

/// `multi_prompt` parsed back from its JSON text.
fn shots_of(input: &Value) -> Vec<(String, u64)> {
    let text = input["multi_prompt"]
        .as_str()
        .expect("multi_prompt is a string");
    let parsed: Value = serde_json::from_str(text).expect("multi_prompt is JSON text");
    parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s.as_object().unwrap().len(), 2, "{s}");
            (
                s["prompt"].as_str().unwrap().to_string(),
                s["duration"].as_u64().expect("integer duration"),
            )
        })
        .collect()
}

#[test]
fn every_snapshot_matches() {
    for c in cases() {
        assert_snapshot(Provider::Replicate, &c);
    }
}

#[test]
fn every_snapshot_file_has_a_case() {
    assert_every_snapshot_has_a_case(Provider::Replicate, &cases());
}

#[test]
fn multi_prompt_is_a_json_string_with_integer_durations() {
    snapshot("text-3-shots");
    let b = board("text-3-shots");
    let input = input(&b, &RequestOptions::default());
    let shots = shots_of(&input);
    assert_eq!(
        shots.iter().map(|(_, d)| *d).collect::<Vec<_>>(),
        vec![4, 5, 6]
    );
    assert_eq!(input["duration"], json!(15));
    assert_eq!(
        input["duration"].as_u64(),
        Some(shots.iter().map(|(_, d)| d).sum())
    );
    assert_eq!(shots[1].0, b.shots[1].prompt);
}

#[test]
fn prompt_is_the_overall_direction_or_the_first_shot() {
    snapshot("overall-prompt");
    snapshot("video-feature");
    // With an overall prompt: the direction itself, mentions written out.
    let input_overall = input(&board("overall-prompt"), &RequestOptions::default());
    assert_eq!(
        input_overall["prompt"],
        "Warm neon palette, <<<image_1>>> in a red coat."
    );
    // Without one: the first shot's prompt as sent.
    let b = board("video-feature");
    let input = input(&b, &RequestOptions::default());
    assert_eq!(input["prompt"].as_str().unwrap(), shots_of(&input)[0].0);
    // A blank overall prompt counts as none.
    let mut b = board("text-3-shots");
    b.prompt = "   ".into();
    assert_eq!(
        replicate::top_prompt(&b),
        "Two friends talking under a streetlight at night."
    );
}

#[test]
fn single_shot_sends_no_multi_prompt() {
    snapshot("overall-prompt-single");
    let input = input(&board("overall-prompt-single"), &RequestOptions::default());
    assert!(input.get("multi_prompt").is_none());
    assert_eq!(
        input["prompt"],
        "Shot on 35mm film. A cat sleeps on a windowsill."
    );
}

#[test]
fn mode_and_references() {
    snapshot("task-ids");
    snapshot("uploads");
    snapshot("video-feature-single");
    assert_eq!(
        replicate::mode(storyreel_core::Resolution::P720),
        "standard"
    );
    let input = input(&board("task-ids"), &RequestOptions::default());
    assert_eq!(input["mode"], "standard");
}

#[test]
fn frames_are_start_and_end_image() {
    snapshot("first-last-frame");
    let input = input(&board("first-last-frame"), &RequestOptions::default());
    assert!(input.get("reference_images").is_none());
    assert_eq!(input["start_image"], "https://example.com/a.png");
    assert_eq!(input["end_image"], "https://example.com/b.png");
}

#[test]
fn base_video_warns_but_maps() {
    snapshot("video-base");
    let b = board("video-base");
    let report = check_for(&b, Provider::Replicate, &RequestOptions::default());
    assert!(!report.has_errors());
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].severity, Severity::Warning);
    assert_eq!(
        report.problems[0].kind,
        ProblemKind::ReplicateBaseVideoSetsLength {
            video: "clip".into(),
            total: 5
        }
    );
    let input = input(&b, &RequestOptions::default());
    assert_eq!(input["video_reference_type"], "base");
}

#[test]
fn one_second_shots_are_fine() {
    snapshot("short-shots");
}

#[test]
fn frames_with_several_shots_need_the_option() {
    snapshot("frame-multi");
    snapshot("frame-multi-allowed");
}

#[test]
fn elements_are_refused_never_dropped() {
    snapshot("cast-mentions");
    snapshot("first-frame-multi");
    snapshot("doc-example-fixed");
}

#[test]
fn uploads_need_a_public_base_url() {
    let e = replicate::request(&board("uploads"), &RequestOptions::default()).unwrap_err();
    assert_eq!(e, RequestError::UploadNeedsPublicUrl { name: "mia".into() });
}

#[test]
fn sent_prompt_limit_counts_the_replicate_spelling() {
    // "@mia " (5) becomes "<<<image_1>>> " (14): 9 more characters.
    let mut b = Board {
        references: vec![Reference::image("mia", "https://example.com/mia.png")],
        shots: vec![
            Shot::new("a", 3),
            Shot::new(format!("@mia {}", "x".repeat(498)), 3),
        ],
        ..Board::default()
    };
    assert!(replicate::request(&b, &RequestOptions::default()).is_ok());
    b.shots[1].prompt.push('x');
    match replicate::request(&b, &RequestOptions::default()) {
        Err(RequestError::Invalid(problems)) => assert_eq!(
            problems.into_iter().map(|p| p.kind).collect::<Vec<_>>(),
            vec![ProblemKind::SentPromptTooLong {
                provider: Provider::Replicate,
                chars: 513,
                max: 512
            }]
        ),
        other => panic!("{other:?}"),
    }
}

//! Kling request snapshots, on both designs: `fixtures/NAME.board.json`
//! maps to `fixtures/NAME.kling.json` on Kling's current design and to
//! `fixtures/NAME.kling-legacy.json` on the legacy one (`{"method", "url",
//! "body"}`).
//!
//! The `kling-doc-*` snapshots are Kling's own request examples from its
//! Omni Video Generation page (prompt only; first frame and reference
//! image; first and last frame with elements; feature video; base video),
//! written by hand from that page, with boards that ask for the same
//! thing: together they cover all seven content types. The legacy
//! snapshots were written by hand from providers.md §1.3 and §1.6; the
//! other current-design snapshots were checked by hand against §0.3.
//! All of them go through the one runner in `mapping_support`
//! (`STORYREEL_BLESS=1` is described there).

mod mapping_support;

use mapping_support::{assert_every_snapshot_has_a_case, read, upload_options, Case};
use serde_json::Value;
use storyreel_core::mapping;
use storyreel_core::options::{KlingApi, PromptPlacement};
use storyreel_core::plan::kling_current;
use storyreel_core::problem::ProblemKind;
use storyreel_core::request::{RequestOptions, UploadsMode};
use storyreel_core::{kling, Board, Field, Location, Problem, Provider, RequestError};

/// A board as the format reads it checked: every Kling snapshot's board
/// has no errors.
fn board(name: &str) -> Board {
    Board::from_json(&read(&format!("{name}.board.json")))
        .unwrap_or_else(|e| panic!("{name}.board.json: {e}"))
}

fn legacy() -> RequestOptions {
    RequestOptions {
        kling_api: KlingApi::Legacy,
        ..RequestOptions::default()
    }
}

fn on(api: KlingApi, opts: RequestOptions) -> RequestOptions {
    RequestOptions {
        kling_api: api,
        ..opts
    }
}

fn task_options() -> RequestOptions {
    RequestOptions {
        kling_base_url: "https://api-beijing.klingai.com/".into(),
        external_task_id: Some("storyreel-2026-0001".into()),
        callback_url: Some("https://hooks.example.com/kling".into()),
        ..RequestOptions::default()
    }
}

/// The snapshots on both designs, with the options they are mapped with.
fn shared_cases() -> Vec<(&'static str, RequestOptions)> {
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

/// Kling's own examples, current design only.
const DOC_EXAMPLES: [&str; 5] = [
    "kling-doc-prompt-only",
    "kling-doc-first-frame-refer-image",
    "kling-doc-first-last-frame-elements",
    "kling-doc-feature-video",
    "kling-doc-base-video",
];

/// Every snapshot: each shared one on the current design
/// (`NAME.kling.json`) and on the legacy one (`NAME.kling-legacy.json`),
/// and Kling's own examples.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for (name, opts) in shared_cases() {
        out.push(Case::with(name, name, on(KlingApi::Current, opts.clone())));
        out.push(Case::with(name, name, on(KlingApi::Legacy, opts)));
    }
    for name in DOC_EXAMPLES {
        out.push(Case::new(name));
    }
    out
}

/// The snapshot of board `name` mapped with `opts` (the design in `opts`
/// picks the file).
fn assert_snapshot(name: &'static str, opts: &RequestOptions) {
    mapping_support::assert_snapshot(Provider::Kling, &Case::with(name, name, opts.clone()));
}

#[test]
fn every_snapshot_matches() {
    for c in cases() {
        // Every Kling snapshot's board also reads checked.
        board(c.board);
        mapping_support::assert_snapshot(Provider::Kling, &c);
    }
}

#[test]
fn every_snapshot_file_has_a_case() {
    assert_every_snapshot_has_a_case(Provider::Kling, &cases());
}

// One test per concept as well, so a failure names what broke.

#[test]
fn kling_doc_examples() {
    for name in DOC_EXAMPLES {
        assert_snapshot(name, &RequestOptions::default());
    }
}

#[test]
fn text_only_multi_shot() {
    assert_snapshot("text-3-shots", &RequestOptions::default());
    assert_snapshot("text-3-shots", &legacy());
}

#[test]
fn legacy_mentions_point_at_list_positions() {
    assert_snapshot("cast-mentions", &legacy());
    // Cross-check: each <<<image_N>>> / <<<element_N>>> names the entry at
    // position N of the list that is sent.
    let b = board("cast-mentions");
    let body = kling::request(&b, &legacy()).unwrap().body;
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

/// The `contents` item with `id`.
fn item<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["contents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in {body}"))
}

#[test]
fn current_mentions_cite_item_ids() {
    assert_snapshot("cast-mentions", &RequestOptions::default());
    let b = board("cast-mentions");
    let body = kling::request(&b, &RequestOptions::default()).unwrap().body;
    let text = body["contents"][0]["text"].as_str().unwrap();
    // Every @id in the text names an item, and each item is the reference
    // that was cited there.
    assert_eq!(item(&body, "image_1")["url"], "https://example.com/mia.png");
    assert_eq!(
        item(&body, "image_2")["url"],
        "https://example.com/stall.jpg"
    );
    assert_eq!(item(&body, "element_1")["element_id"], "831204");
    assert!(text.starts_with("shot 1, 3, @image_2 at dusk, @element_1 swaying.;"));
    // The e-mail address stays as it was written, and no id makes it a
    // citation; the ';' in shot 2 is sent as ','.
    assert!(
        text.contains("shot 2, 4, @image_1 walks past @image_2, mail mia@example.com stays text.;")
    );
    assert!(text.ends_with("shot 3, 3, Close-up on @image_1—she smiles.;"));
    let warnings = storyreel_core::check(&b);
    assert!(warnings
        .problems
        .iter()
        .any(|p| p.location == Location::Shot(1)
            && p.kind == ProblemKind::SemicolonsRewritten { count: 1 }));
}

#[test]
fn ids_never_collide_with_the_users_words() {
    let mut b = board("cast-mentions");
    // An address such as "me@image_1.example" is text to Storyreel (no
    // mention starts inside a word), but Kling would read "@image_1" in
    // it as a citation of the first image: the ids move to the next
    // scheme.
    b.shots[2].prompt = "Write to me@image_1.example; @mia waves.".into();
    let plan = kling_current::plan(&b, PromptPlacement::BeforeShots);
    assert!(plan.collisions.is_empty());
    let ids: Vec<&str> = plan.inputs.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["img_1", "img_2", "elem_1"]);
    assert!(plan
        .text
        .contains("Write to me@image_1.example, @img_1 waves.;"));
    for a in &ids {
        for other in &ids {
            assert!(a == other || !other.contains(a), "{a} is inside {other}");
        }
    }
    // Every scheme taken: an error naming the text, never a wrong citation.
    b.shots[2].prompt = "a@image_1.x b@img_1.x c@input_image_1.x and @mia.".into();
    let report = storyreel_core::check(&b);
    assert!(report.errors().any(|p| matches!(&p.kind,
        ProblemKind::CitationCollision { text } if text == "@image_1")));
    assert!(kling::request(&b, &RequestOptions::default()).is_err());
    // The legacy design spells citations <<<image_n>>>: no such problem.
    assert!(kling::request(&b, &legacy()).is_ok());
}

#[test]
fn single_shot_first_and_last_frame() {
    assert_snapshot("first-last-frame", &RequestOptions::default());
    assert_snapshot("first-last-frame", &legacy());
    let body = kling::request(&board("first-last-frame"), &RequestOptions::default())
        .unwrap()
        .body;
    assert_eq!(body["settings"]["multi_shot"], false);
    assert!(body["settings"].get("aspect_ratio").is_none());
}

#[test]
fn multi_shot_with_first_frame_keeps_its_cast_on_omni() {
    // Kling allows frames with several shots since 2026-05-07: nothing is
    // rerouted, refused or dropped, on either design.
    assert_snapshot("first-frame-multi", &RequestOptions::default());
    assert_snapshot("first-frame-multi", &legacy());
    let b = board("first-frame-multi");
    let body = kling::request(&b, &RequestOptions::default()).unwrap().body;
    assert_eq!(item(&body, "image_1")["type"], "first_frame");
    assert_eq!(
        item(&body, "image_1")["url"],
        "https://example.com/door.png"
    );
    assert_eq!(item(&body, "element_1")["element_id"], "42");
    assert_eq!(body["settings"]["multi_shot"], true);
    let legacy_body = kling::request(&b, &legacy()).unwrap().body;
    assert_eq!(legacy_body["model_name"], "kling-v3-omni");
    assert_eq!(legacy_body["image_list"][0]["type"], "first_frame");
    assert_eq!(legacy_body["element_list"][0]["element_id"], 42);
    assert_eq!(legacy_body["multi_shot"], true);
}

#[test]
fn reference_video_feature_with_sound_off() {
    assert_snapshot("video-feature", &RequestOptions::default());
    assert_snapshot("video-feature", &legacy());
}

#[test]
fn base_video_sends_no_aspect_ratio() {
    assert_snapshot("video-base", &RequestOptions::default());
    assert_snapshot("video-base", &legacy());
    let body = kling::request(&board("video-base"), &RequestOptions::default())
        .unwrap()
        .body;
    assert!(body["settings"].get("aspect_ratio").is_none());
    assert_eq!(body["settings"]["multi_shot"], false);
}

#[test]
fn overall_prompt_placement() {
    assert_snapshot("overall-prompt", &RequestOptions::default());
    assert_snapshot("overall-prompt-single", &RequestOptions::default());
    assert_snapshot("overall-prompt", &legacy());
    assert_snapshot("overall-prompt-single", &legacy());
    let b = board("overall-prompt");
    // Legacy: in front of each shot's prompt (Kling ignores `prompt` there).
    assert_eq!(
        storyreel_core::plan::kling_legacy::sent_prompts(&b),
        vec![
            "Warm neon palette, <<<image_1>>> in a red coat. She buys noodles.",
            "Warm neon palette, <<<image_1>>> in a red coat. <<<image_1>>> laughs.",
        ]
    );
    // Current: before the shot list by default, or in every shot.
    let before = kling_current::plan(&b, PromptPlacement::BeforeShots).text;
    assert_eq!(
        before,
        "Warm neon palette, @image_1 in a red coat. shot 1, 3, She buys noodles.; shot 2, 4, @image_1 laughs.;"
    );
    let every = kling_current::plan(&b, PromptPlacement::EveryShot).text;
    assert_eq!(
        every,
        "shot 1, 3, Warm neon palette, @image_1 in a red coat. She buys noodles.; shot 2, 4, Warm neon palette, @image_1 in a red coat. @image_1 laughs.;"
    );
    let opts = RequestOptions {
        prompt_placement: PromptPlacement::EveryShot,
        ..RequestOptions::default()
    };
    assert_eq!(
        kling::request(&b, &opts).unwrap().body["contents"][0]["text"],
        every.as_str()
    );
}

#[test]
fn uploads_need_a_public_base_url() {
    for api in KlingApi::ALL {
        assert_snapshot("uploads", &on(api, upload_options()));
        // Without a trailing slash the URL is the same.
        let b = board("uploads");
        let opts = RequestOptions {
            uploads: UploadsMode::PublicBase("https://media.example.com/u".into()),
            kling_api: api,
            ..RequestOptions::default()
        };
        assert_eq!(
            kling::request(&b, &opts).unwrap(),
            kling::request(&b, &on(api, upload_options())).unwrap()
        );
        // Without one, the board cannot be mapped; the first upload is named.
        let e = kling::request(&b, &on(api, RequestOptions::default())).unwrap_err();
        assert_eq!(e, RequestError::UploadNeedsPublicUrl { name: "mia".into() });
        assert!(e.to_string().contains("'mia'"));
    }
}

#[test]
fn uploads_resolved_by_the_server_are_sent_as_written() {
    let b = board("uploads");
    let opts = RequestOptions {
        uploads: UploadsMode::ResolvedByServer,
        ..RequestOptions::default()
    };
    let body = kling::request(&b, &opts).unwrap().body;
    let mia = "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let video = "upload:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    assert_eq!(item(&body, "image_1")["url"], mia);
    assert_eq!(
        item(&body, "image_2")["url"],
        "https://example.com/stall.jpg"
    );
    assert_eq!(item(&body, "video_1")["url"], video);
    // The rest of the body is the public-URL body's.
    let mut public = kling::request(&b, &upload_options()).unwrap().body;
    for item in public["contents"].as_array_mut().unwrap() {
        match item["id"].as_str() {
            Some("image_1") => item["url"] = mia.into(),
            Some("video_1") => item["url"] = video.into(),
            _ => {}
        }
    }
    assert_eq!(public, body);
    // The legacy design the same way.
    let legacy_opts = on(KlingApi::Legacy, opts);
    let body = kling::request(&b, &legacy_opts).unwrap().body;
    assert_eq!(body["image_list"][0]["image_url"], mia);
    assert_eq!(body["video_list"][0]["video_url"], video);
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
    assert_snapshot("task-ids", &on(KlingApi::Legacy, task_options()));
    let req = kling::request(&board("task-ids"), &task_options()).unwrap();
    assert_eq!(
        req.url,
        "https://api-beijing.klingai.com/omni-video/kling-3.0-omni"
    );
    assert_eq!(
        req.body["options"]["external_task_id"],
        "storyreel-2026-0001"
    );
    let body = kling::request(&board("task-ids"), &RequestOptions::default())
        .unwrap()
        .body;
    assert!(body["options"].get("external_task_id").is_none());
    assert!(body["options"].get("callback_url").is_none());
    assert_eq!(body["options"]["watermark_info"]["enabled"], false);
    let body = kling::request(&board("task-ids"), &legacy()).unwrap().body;
    assert!(body.get("external_task_id").is_none());
    assert!(body.get("callback_url").is_none());
}

#[test]
fn corrected_doc_example() {
    assert_snapshot("doc-example-fixed", &RequestOptions::default());
    assert_snapshot("doc-example-fixed", &legacy());
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
        let got = mapping::for_provider(p, &b, &RequestOptions::default()).unwrap();
        assert_ne!(got.url, kling_request.url);
        b.provider = p;
        assert_eq!(
            mapping::for_board(&b, &RequestOptions::default()).unwrap(),
            got
        );
        // The board's provider does not matter when Kling is asked for.
        assert_eq!(
            mapping::for_provider(Provider::Kling, &b, &RequestOptions::default()).unwrap(),
            kling_request
        );
    }
}

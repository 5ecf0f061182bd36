//! Properties that hold for every board, prompt and file.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::Value;

use storyreel_core::edit::{self, EditError};
use storyreel_core::fal::FalOptions;
use storyreel_core::limits::{MAX_SHOTS, MIN_SHOT_SECONDS, MIN_TOTAL_SECONDS};
use storyreel_core::problem::ProblemKind;
use storyreel_core::replicate::ReplicateOptions;
use storyreel_core::request::RequestOptions;
use storyreel_core::{
    check, check_for, kling, mapping, mention, AspectRatio, Board, Provider, Reference,
    ReferenceKind, RequestError, Resolution, Shot, VideoUse,
};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- generators

/// A valid cast: up to four images and elements with distinct valid names,
/// and maybe a reference video.
fn valid_cast() -> impl Strategy<Value = Vec<Reference>> {
    (
        prop::collection::btree_set("[a-z][a-z0-9_-]{0,7}", 0..6),
        prop::collection::vec((any::<bool>(), 1u64..10_000_000_000_000_000_000), 6),
        any::<bool>(),
    )
        .prop_map(|(names, kinds, with_video)| {
            let mut names: Vec<String> = names.into_iter().collect();
            let video = if with_video { names.pop() } else { None };
            let mut cast: Vec<Reference> = names
                .into_iter()
                .take(4)
                .zip(kinds)
                .map(|(name, (is_image, id))| {
                    if is_image {
                        Reference::image(name.clone(), format!("https://example.com/{name}.png"))
                    } else {
                        Reference::element(name, id)
                    }
                })
                .collect();
            if let Some(name) = video {
                cast.push(Reference::video(
                    name,
                    "https://example.com/v.mp4",
                    VideoUse::Feature,
                ));
            }
            cast
        })
}

/// A valid cast of images only: no elements, no video.
fn image_cast() -> impl Strategy<Value = Vec<Reference>> {
    prop::collection::btree_set("[a-z][a-z0-9_-]{0,7}", 0..5).prop_map(|names| {
        names
            .into_iter()
            .map(|n| Reference::image(n.clone(), format!("https://example.com/{n}.png")))
            .collect()
    })
}

/// Any provider options.
fn any_options() -> impl Strategy<Value = RequestOptions> {
    (0u32..6, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(min_shot_seconds, send_total_duration, fal_frames, replicate_frames)| RequestOptions {
            fal: FalOptions {
                min_shot_seconds,
                send_total_duration,
                allow_frames_with_multi_shot: fal_frames,
            },
            replicate: ReplicateOptions {
                allow_frames_with_multi_shot: replicate_frames,
            },
            ..RequestOptions::default()
        },
    )
}

/// No known `@name` is left in a sent prompt.
fn all_spelled(board: &Board, sent: &str) -> bool {
    let known = |n: &str| board.reference(n).is_some();
    mention::find(sent, &known).iter().all(|m| !m.known)
}

/// A fal request for an editor-built board without elements, frames or
/// videos: the endpoint, and durations as strings adding up.
fn assert_fal_request(
    board: &Board,
    req: &storyreel_core::ProviderRequest,
    opts: &RequestOptions,
) -> Result<(), TestCaseError> {
    let tier = match board.resolution {
        Resolution::P720 => "standard",
        Resolution::P1080 => "pro",
        Resolution::K4 => "4k",
    };
    let endpoint = if board.references.is_empty() {
        "text-to-video"
    } else {
        "reference-to-video"
    };
    prop_assert_eq!(
        &req.url,
        &format!("https://queue.fal.run/fal-ai/kling-video/o3/{tier}/{endpoint}")
    );
    let body = &req.body;
    prop_assert_eq!(body["generate_audio"].as_bool(), Some(board.sound));
    prop_assert_eq!(
        body["aspect_ratio"].as_str(),
        Some(board.aspect_ratio.as_str())
    );
    let total = board.total_seconds().to_string();
    if board.shots.len() == 1 {
        prop_assert!(body.get("multi_prompt").is_none());
        prop_assert_eq!(body["duration"].as_str(), Some(total.as_str()));
        let sent = body["prompt"].as_str().expect("prompt");
        prop_assert!(all_spelled(board, sent), "unexpanded mention in {:?}", sent);
    } else {
        prop_assert!(body.get("prompt").is_none());
        prop_assert_eq!(body["shot_type"].as_str(), Some("customize"));
        let shots = body["multi_prompt"].as_array().expect("multi_prompt");
        prop_assert_eq!(shots.len(), board.shots.len());
        let mut sum = 0u32;
        for (entry, shot) in shots.iter().zip(&board.shots) {
            prop_assert!(entry.get("index").is_none());
            let d = entry["duration"]
                .as_str()
                .expect("shot duration is a string");
            prop_assert_eq!(d, shot.duration.to_string());
            sum += d.parse::<u32>().expect("whole seconds");
            let sent = entry["prompt"].as_str().expect("prompt");
            prop_assert!(all_spelled(board, sent), "unexpanded mention in {:?}", sent);
        }
        prop_assert_eq!(sum.to_string(), total.clone());
        if opts.fal.send_total_duration {
            prop_assert_eq!(body["duration"].as_str(), Some(total.as_str()));
        } else {
            prop_assert!(body.get("duration").is_none());
        }
    }
    Ok(())
}

/// A Replicate request: `multi_prompt` parsed back from its text, integer
/// durations adding up to the integer `duration`.
fn assert_replicate_request(
    board: &Board,
    req: &storyreel_core::ProviderRequest,
) -> Result<(), TestCaseError> {
    let input = &req.body["input"];
    let prompt = input["prompt"].as_str().expect("prompt is required");
    prop_assert!(!prompt.trim().is_empty());
    prop_assert!(
        all_spelled(board, prompt),
        "unexpanded mention in {:?}",
        prompt
    );
    prop_assert_eq!(
        input["duration"].as_u64(),
        Some(u64::from(board.total_seconds()))
    );
    prop_assert_eq!(input["generate_audio"].as_bool(), Some(board.sound));
    if board.shots.len() == 1 {
        prop_assert!(input.get("multi_prompt").is_none());
    } else {
        let text = input["multi_prompt"]
            .as_str()
            .expect("multi_prompt is a string");
        let parsed: Value =
            serde_json::from_str(text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        let shots = parsed.as_array().expect("an array");
        prop_assert_eq!(shots.len(), board.shots.len());
        let mut sum = 0u64;
        for (entry, shot) in shots.iter().zip(&board.shots) {
            let d = entry["duration"].as_u64().expect("integer duration");
            prop_assert_eq!(d, u64::from(shot.duration));
            sum += d;
            let sent = entry["prompt"].as_str().expect("prompt");
            prop_assert!(all_spelled(board, sent), "unexpanded mention in {:?}", sent);
        }
        prop_assert_eq!(Some(sum), input["duration"].as_u64());
    }
    Ok(())
}

/// Free text without `@`, which is where mentions come from.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>().prop_filter("no @", |c| *c != '@'), 0..max)
        .prop_map(|cs| cs.into_iter().collect())
}

/// A non-empty prompt of at most 200 characters: a word, free text, and up
/// to three mentions of cast members (by index into the cast).
#[derive(Debug, Clone)]
struct PromptSpec {
    word: String,
    parts: Vec<(Option<usize>, String)>,
}

fn prompt_spec(max_mentions: usize, max_text: usize) -> impl Strategy<Value = PromptSpec> {
    (
        "[A-Za-z]{1,10}",
        prop::collection::vec(
            (prop::option::of(0usize..8), text(max_text)),
            0..=max_mentions,
        ),
    )
        .prop_map(|(word, parts)| PromptSpec { word, parts })
}

impl PromptSpec {
    fn render(&self, cast: &[Reference]) -> String {
        let mut out = self.word.clone();
        for (mention, text) in &self.parts {
            if let (Some(i), false) = (mention, cast.is_empty()) {
                out.push_str(" @");
                out.push_str(&cast[i % cast.len()].name);
                out.push(' ');
            }
            out.push_str(text);
        }
        out
    }
}

#[derive(Debug, Clone)]
enum Op {
    Add(PromptSpec),
    Duplicate(usize),
    Delete(usize),
    Move(usize, usize),
    SetDuration(usize, u32),
    SetPrompt(usize, PromptSpec),
}

fn op() -> impl Strategy<Value = Op> {
    let seconds = prop_oneof![
        6 => 0u32..18,
        1 => any::<u32>(),
        1 => (u32::MAX - 20)..=u32::MAX,
    ];
    prop_oneof![
        prompt_spec(3, 45).prop_map(Op::Add),
        (0usize..8).prop_map(Op::Duplicate),
        (0usize..8).prop_map(Op::Delete),
        (0usize..8, 0usize..8).prop_map(|(a, b)| Op::Move(a, b)),
        (0usize..8, seconds).prop_map(|(i, s)| Op::SetDuration(i, s)),
        (0usize..8, prompt_spec(3, 45)).prop_map(|(i, p)| Op::SetPrompt(i, p)),
    ]
}

fn apply(board: &mut Board, op: &Op) -> Result<(), EditError> {
    let cast = board.references.clone();
    match op {
        Op::Add(p) => {
            let i = edit::add_shot(board)?;
            board.shots[i].prompt = p.render(&cast);
        }
        Op::Duplicate(i) => {
            edit::duplicate_shot(board, *i)?;
        }
        Op::Delete(i) => {
            edit::delete_shot(board, *i)?;
        }
        Op::Move(a, b) => {
            edit::move_shot(board, *a, *b)?;
        }
        Op::SetDuration(i, s) => edit::set_duration(board, *i, *s)?,
        Op::SetPrompt(i, p) => {
            if let Some(shot) = board.shots.get_mut(*i) {
                shot.prompt = p.render(&cast);
            }
        }
    }
    Ok(())
}

/// Any board at all, valid or not, for the round trip and for "never
/// panics".
fn any_board() -> impl Strategy<Value = Board> {
    let reference = (
        ".{0,24}",
        prop_oneof![
            ".{0,40}".prop_map(|src| ReferenceKind::Image { src }),
            any::<u64>().prop_map(|element_id| ReferenceKind::Element {
                element_id: element_id.to_string(),
                character: None,
            }),
            (".{0,40}", any::<bool>(), any::<bool>()).prop_map(|(src, base, keep_sound)| {
                ReferenceKind::Video {
                    src,
                    usage: if base {
                        VideoUse::Base
                    } else {
                        VideoUse::Feature
                    },
                    keep_sound,
                }
            }),
        ],
    )
        .prop_map(|(name, kind)| Reference { name, kind });
    let shot = (".{0,60}", prop_oneof![0u32..20, any::<u32>()])
        .prop_map(|(prompt, duration)| Shot { prompt, duration });
    (
        (
            ".{0,20}",
            prop::sample::select(Provider::ALL.to_vec()),
            prop::sample::select(Resolution::ALL.to_vec()),
            prop::sample::select(AspectRatio::ALL.to_vec()),
            any::<bool>(),
            ".{0,60}",
        ),
        prop::collection::vec(reference, 0..5),
        prop::option::of(".{0,10}"),
        prop::option::of(".{0,10}"),
        prop::collection::vec(shot, 0..8),
    )
        .prop_map(
            |(
                (title, provider, resolution, aspect_ratio, sound, prompt),
                references,
                first,
                last,
                shots,
            )| {
                // Frames often name a member of the cast.
                let pick = |f: Option<String>| {
                    f.map(|s| match references.get(s.len() % 6) {
                        Some(r) if s.len() % 2 == 0 => r.name.clone(),
                        _ => s,
                    })
                };
                Board {
                    title,
                    provider,
                    resolution,
                    aspect_ratio,
                    sound,
                    prompt,
                    first_frame: pick(first),
                    last_frame: pick(last),
                    references,
                    shots,
                    ..Board::default()
                }
            },
        )
}

// ---------------------------------------------------------------- (a) edits

proptest! {
    #![proptest_config(config())]

    #[test]
    fn edits_keep_the_timeline_valid_and_the_request_consistent(
        cast in valid_cast(),
        first in prompt_spec(2, 45),
        overall in prop::option::of(prompt_spec(1, 60)),
        ops in prop::collection::vec(op(), 0..40),
    ) {
        let mut board = Board {
            sound: !cast.iter().any(|r| matches!(r.kind, ReferenceKind::Video { .. })),
            prompt: overall.map(|p| p.render(&cast)).unwrap_or_default(),
            references: cast,
            ..Board::default()
        };
        board.shots[0].prompt = first.render(&board.references);

        for op in &ops {
            let before = board.clone();
            if let Err(e) = apply(&mut board, op) {
                // A refused edit changes nothing.
                prop_assert_eq!(&board, &before, "refused {:?} ({}) changed the board", op, e);
            }
            prop_assert!((1..=MAX_SHOTS).contains(&board.shots.len()), "{} shots", board.shots.len());
            prop_assert!(board.shots.iter().all(|s| s.duration >= MIN_SHOT_SECONDS));
            prop_assert!(
                board.total_seconds() <= board.max_total_seconds(),
                "{} s over {} s after {:?}", board.total_seconds(), board.max_total_seconds(), op
            );
            prop_assert!(board.shots.iter().all(|s| s.prompt.chars().count() <= 200));
        }

        let report = check(&board);
        if board.total_seconds() < MIN_TOTAL_SECONDS {
            prop_assert!(report.has_errors());
            return Ok(());
        }
        let errors: Vec<String> = report.errors().map(|p| p.to_string()).collect();
        prop_assert!(errors.is_empty(), "errors: {:?}\nboard: {}", errors, board.to_json());

        // Kling's current design: the settings and the shot list in the
        // one text follow the board.
        let current = kling::request(&board, &RequestOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{e}: {}", board.to_json())))?;
        let settings = &current.body["settings"];
        prop_assert_eq!(settings["duration"].as_u64(), Some(u64::from(board.total_seconds())));
        prop_assert_eq!(&settings["multi_shot"], &Value::Bool(board.shots.len() > 1));
        let text = current.body["contents"][0]["text"].as_str().expect("the prompt text");
        if board.shots.len() > 1 {
            let mut at = 0;
            for (i, shot) in board.shots.iter().enumerate() {
                let head = format!("shot {}, {}, ", i + 1, shot.duration);
                let found = text[at..].find(&head);
                prop_assert!(found.is_some(), "{:?} not in {:?}", head, text);
                at += found.unwrap_or_default() + head.len();
            }
            prop_assert_eq!(text.matches(';').count(), board.shots.len());
        }

        // The legacy design: per-shot prompts.
        let legacy = RequestOptions {
            kling_api: storyreel_core::KlingApi::Legacy,
            ..RequestOptions::default()
        };
        let request = kling::request(&board, &legacy)
            .map_err(|e| TestCaseError::fail(format!("{e}: {}", board.to_json())))?;
        prop_assert_eq!(request.method.as_str(), "POST");
        let body = &request.body;
        let duration = body["duration"].as_str().expect("duration is a string");
        prop_assert_eq!(duration, board.total_seconds().to_string());
        if board.shots.len() == 1 {
            prop_assert_eq!(&body["multi_shot"], &Value::Bool(false));
            prop_assert!(body.get("multi_prompt").is_none());
            let sent = body["prompt"].as_str().expect("prompt");
            prop_assert!(!sent.contains('@'), "unexpanded mention in {:?}", sent);
        } else {
            prop_assert_eq!(&body["multi_shot"], &Value::Bool(true));
            prop_assert_eq!(body["shot_type"].as_str(), Some("customize"));
            let shots = body["multi_prompt"].as_array().expect("multi_prompt");
            prop_assert_eq!(shots.len(), board.shots.len());
            let mut sum = 0u32;
            for (i, (entry, shot)) in shots.iter().zip(&board.shots).enumerate() {
                prop_assert_eq!(entry["index"].as_u64(), Some(i as u64 + 1));
                let d = entry["duration"].as_str().expect("shot duration is a string");
                prop_assert_eq!(d, shot.duration.to_string());
                sum += d.parse::<u32>().expect("whole seconds");
                // Every mention was of the cast, so every one was written out.
                let sent = entry["prompt"].as_str().expect("prompt");
                prop_assert!(!sent.contains('@'), "unexpanded mention in {:?}", sent);
            }
            prop_assert_eq!(sum.to_string(), duration);
        }
    }

    #[test]
    fn editor_boards_without_elements_frames_or_videos_map_for_every_provider(
        cast in image_cast(),
        first in prompt_spec(2, 45),
        overall in prop::option::of(prompt_spec(1, 60)),
        ops in prop::collection::vec(op(), 0..40),
        // 4K is refused on fal's text-to-video and on Replicate.
        resolution in prop::sample::select(vec![Resolution::P720, Resolution::P1080]),
        aspect_ratio in prop::sample::select(AspectRatio::ALL.to_vec()),
        sound in any::<bool>(),
        send_total_duration in any::<bool>(),
    ) {
        let mut board = Board {
            resolution,
            aspect_ratio,
            sound,
            prompt: overall.map(|p| p.render(&cast)).unwrap_or_default(),
            references: cast,
            ..Board::default()
        };
        board.shots[0].prompt = first.render(&board.references);
        for op in &ops {
            let _ = apply(&mut board, op);
        }
        if board.total_seconds() < MIN_TOTAL_SECONDS {
            for p in Provider::ALL {
                prop_assert!(mapping::for_provider(p, &board, &RequestOptions::default()).is_err());
            }
            return Ok(());
        }

        // Kling: the durations add up (the first property checks the rest).
        let opts = RequestOptions::default();
        let kling_body = mapping::for_provider(Provider::Kling, &board, &opts)
            .map_err(|e| TestCaseError::fail(format!("kling: {e}: {}", board.to_json())))?
            .body;
        prop_assert_eq!(
            kling_body["settings"]["duration"].as_u64(),
            Some(u64::from(board.total_seconds()))
        );

        // fal with the defaults: refused exactly when a shot of several is
        // under 3 s, and then only for that.
        let short: Vec<usize> = if board.shots.len() > 1 {
            (0..board.shots.len()).filter(|i| board.shots[*i].duration < 3).collect()
        } else {
            Vec::new()
        };
        match mapping::for_provider(Provider::Fal, &board, &opts) {
            Ok(req) => {
                prop_assert!(short.is_empty(), "shots {:?} under 3 s were sent", short);
                assert_fal_request(&board, &req, &opts)?;
            }
            Err(RequestError::Invalid(problems)) => {
                prop_assert_eq!(problems.len(), short.len(), "{:?}", problems);
                for p in &problems {
                    prop_assert!(
                        matches!(p.kind, ProblemKind::FalShotTooShort { min: 3, .. }),
                        "{}", p
                    );
                }
            }
            Err(e) => return Err(TestCaseError::fail(format!("fal: {e}"))),
        }
        // ... and with 1 s allowed, every such board maps.
        let one_second = RequestOptions {
            fal: FalOptions { min_shot_seconds: 1, send_total_duration, ..FalOptions::default() },
            ..RequestOptions::default()
        };
        let req = mapping::for_provider(Provider::Fal, &board, &one_second)
            .map_err(|e| TestCaseError::fail(format!("fal: {e}: {}", board.to_json())))?;
        assert_fal_request(&board, &req, &one_second)?;

        // Replicate.
        let req = mapping::for_provider(Provider::Replicate, &board, &opts)
            .map_err(|e| TestCaseError::fail(format!("replicate: {e}: {}", board.to_json())))?;
        assert_replicate_request(&board, &req)?;
    }

    // ------------------------------------------------------------ (b) round trip

    #[test]
    fn any_board_round_trips_through_json(board in any_board()) {
        let text = board.to_json();
        let back = Board::from_json_unchecked(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, board);
    }

    #[test]
    fn rules_and_mapping_never_panic(board in any_board(), opts in any_options()) {
        let _ = check(&board);
        // For every provider, with any options, the mapping refuses exactly
        // the boards that provider's rules refuse (an upload without a public
        // URL aside), whatever provider the board names.
        for provider in Provider::ALL {
            for opts in [RequestOptions::default(), opts.clone()] {
                let report = check_for(&board, provider, &opts);
                match mapping::for_provider(provider, &board, &opts) {
                    Ok(_) => prop_assert!(!report.has_errors()),
                    Err(RequestError::Invalid(problems)) => {
                        prop_assert!(!problems.is_empty());
                        prop_assert_eq!(problems, report.errors().cloned().collect::<Vec<_>>());
                    }
                    Err(other) => prop_assert!(!report.has_errors(), "{}", other),
                }
            }
        }
        prop_assert_eq!(
            kling::request(&board, &RequestOptions::default()),
            mapping::for_provider(Provider::Kling, &board, &RequestOptions::default())
        );
        let _ = storyreel_core::cost::estimate(&board);
    }

    // ------------------------------------------------------------ (c) mentions

    #[test]
    fn mention_find_never_panics_and_spans_are_char_boundaries(
        text in prop_oneof![
            ".{0,80}",
            prop::collection::vec(prop_oneof![
                Just("@".to_string()), Just("-".to_string()), Just("_".to_string()),
                "[a-z]{1,4}", ".{1,3}", Just(" ".to_string()), Just("é@".to_string()),
            ], 0..30).prop_map(|v| v.concat()),
        ],
        known in prop::collection::vec("[a-z][a-z_-]{0,3}", 0..4),
    ) {
        let is_known = |n: &str| known.iter().any(|k| k == n);
        let found = mention::find(&text, &is_known);
        let mut last_end = 0;
        for m in &found {
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            prop_assert!(m.start >= last_end, "mentions overlap");
            prop_assert!(m.start < m.end);
            prop_assert_eq!(&text[m.start..m.start + 1], "@");
            prop_assert_eq!(&text[m.start + 1..m.end], m.name);
            prop_assert_eq!(m.known, is_known(m.name));
            last_end = m.end;
        }
        // Rewriting and completing never panic either.
        let rewritten = mention::rewrite(&text, &is_known, &|n| Some(format!("<{n}>")));
        prop_assert_eq!(
            rewritten.matches('<').count() - text.matches('<').count(),
            found.iter().filter(|m| m.known).count()
        );
        for caret in 0..=text.len() + 1 {
            if let Some(p) = mention::partial_at(&text, caret) {
                let (out, c) = mention::complete(&text, &p, caret, "mia");
                prop_assert!(out.is_char_boundary(c));
            }
        }
    }

    // ------------------------------------------------------------ (d) parsing

    #[test]
    fn from_json_unchecked_never_panics_on_any_text(text in ".{0,200}") {
        let _ = Board::from_json_unchecked(&text);
        let _ = Board::from_json(&text);
    }

    #[test]
    fn from_json_unchecked_never_panics_on_damaged_boards(
        board in any_board(),
        cut in any::<prop::sample::Index>(),
        insert in ".{0,4}",
    ) {
        let text = board.to_json();
        let mut at = cut.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let damaged = format!("{}{}{}", &text[..at], insert, &text[at..]);
        let _ = Board::from_json_unchecked(&damaged);
        let _ = Board::from_json_unchecked(&text[..at]);
    }
}

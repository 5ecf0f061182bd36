//! Every rule of `rules/*.rs`, each limit just inside and just outside.
//!
//! Each test builds a board that is valid except for the one thing under
//! test, so "just inside" asserts the whole report and "just outside"
//! asserts the exact problem (severity, location, field, numbers).

use storyreel_core::fal::FalOptions;
use storyreel_core::options::{KlingApi, PromptPlacement};
use storyreel_core::plan::kling_current;
use storyreel_core::problem::ProblemKind;
use storyreel_core::replicate::ReplicateOptions;
use storyreel_core::request::RequestOptions;
use storyreel_core::{
    check, check_for, check_with, AspectRatio, Board, Field, Location, Problem, Provider,
    Reference, Resolution, Severity, Shot, VideoUse,
};

fn board(shots: &[(&str, u32)]) -> Board {
    Board {
        shots: shots.iter().map(|(p, d)| Shot::new(*p, *d)).collect(),
        ..Board::default()
    }
}

fn image(name: &str) -> Reference {
    Reference::image(name, format!("https://example.com/{name}.png"))
}

fn element(name: &str, id: u64) -> Reference {
    Reference::element(name, id)
}

fn video(name: &str, usage: VideoUse) -> Reference {
    Reference::video(name, format!("https://example.com/{name}.mp4"), usage)
}

/// The report without the consistency warnings (a cast member no prompt
/// uses, a shot citing no one), which most boards here would trip; they
/// have their own tests at the end.
fn problems(b: &Board) -> Vec<Problem> {
    strip(check(b).problems)
}

/// [`problems`] with Kling on its legacy design (per-shot prompts, the
/// overall direction in front of each).
fn legacy_problems(b: &Board) -> Vec<Problem> {
    let opts = RequestOptions {
        kling_api: KlingApi::Legacy,
        ..RequestOptions::default()
    };
    strip(check_with(b, &opts).problems)
}

fn strip(problems: Vec<Problem>) -> Vec<Problem> {
    problems
        .into_iter()
        .filter(|p| !p.kind.is_consistency())
        .collect()
}

fn assert_clean(b: &Board) {
    assert_eq!(problems(b), vec![], "expected no problems for {b:#?}");
}

/// The board has exactly `expected`, whose kind reports `limit`/`actual`
/// and whose message names every string of `names`.
fn assert_only(
    b: &Board,
    expected: Problem,
    limit: Option<&str>,
    actual: Option<&str>,
    names: &[&str],
) {
    assert_only_in(problems(b), expected, limit, actual, names)
}

/// [`assert_only`] on Kling's legacy design.
fn assert_only_legacy(
    b: &Board,
    expected: Problem,
    limit: Option<&str>,
    actual: Option<&str>,
    names: &[&str],
) {
    assert_only_in(legacy_problems(b), expected, limit, actual, names)
}

fn assert_only_in(
    got: Vec<Problem>,
    expected: Problem,
    limit: Option<&str>,
    actual: Option<&str>,
    names: &[&str],
) {
    assert_eq!(got, vec![expected.clone()]);
    assert_eq!(expected.kind.limit().as_deref(), limit, "limit()");
    assert_eq!(expected.kind.actual().as_deref(), actual, "actual()");
    let message = got[0].message();
    for n in names {
        assert!(message.contains(n), "message {message:?} should name {n:?}");
    }
}

fn err(location: Location, field: Field, kind: ProblemKind) -> Problem {
    Problem::error(location, field, kind)
}

fn warn(location: Location, field: Field, kind: ProblemKind) -> Problem {
    Problem::warning(location, field, kind)
}

// ---------------------------------------------------------------- shots

#[test]
fn six_shots_ok_seven_refused() {
    let six = board(&[("a", 2); 6]);
    assert_clean(&six);
    let seven = board(&[("a", 2); 7]);
    assert_only(
        &seven,
        err(
            Location::Board,
            Field::Shots,
            ProblemKind::TooManyShots { count: 7, max: 6 },
        ),
        Some("6"),
        Some("7"),
        &["7 shots", "at most 6"],
    );
}

#[test]
fn no_shots_refused() {
    let b = board(&[]);
    assert_only(
        &b,
        err(Location::Board, Field::Shots, ProblemKind::NoShots),
        Some("1 to 6 shots"),
        Some("0"),
        &["no shots", "1 to 6"],
    );
}

#[test]
fn shot_of_one_second_ok_zero_refused() {
    assert_clean(&board(&[("a", 1), ("b", 2)]));
    let b = board(&[("a", 3), ("b", 0)]);
    assert_only(
        &b,
        err(
            Location::Shot(1),
            Field::Duration,
            ProblemKind::ShotTooShort {
                duration: 0,
                min: 1,
            },
        ),
        Some("1 s"),
        Some("0 s"),
        &["0 s", "at least 1 s"],
    );
}

#[test]
fn total_three_ok_two_refused() {
    assert_clean(&board(&[("a", 3)]));
    assert_clean(&board(&[("a", 1), ("b", 1), ("c", 1)]));
    let b = board(&[("a", 1), ("b", 1)]);
    assert_only(
        &b,
        err(
            Location::Board,
            Field::Duration,
            ProblemKind::TotalTooShort { total: 2, min: 3 },
        ),
        Some("3 s"),
        Some("2 s"),
        &["2 s", "at least 3 s"],
    );
}

#[test]
fn total_fifteen_ok_sixteen_refused() {
    assert_clean(&board(&[("a", 8), ("b", 7)]));
    let b = board(&[("a", 8), ("b", 8)]);
    assert_only(
        &b,
        err(
            Location::Board,
            Field::Duration,
            ProblemKind::TotalTooLong {
                total: 16,
                max: 15,
                with_video: false,
            },
        ),
        Some("15 s"),
        Some("16 s"),
        &["16 s", "limit is 15 s"],
    );
    assert!(!problems(&b)[0].message().contains("reference video"));
}

#[test]
fn total_with_video_ten_ok_eleven_refused() {
    let mut b = board(&[("a", 5), ("b", 5)]);
    b.sound = false;
    b.references.push(video("moves", VideoUse::Feature));
    assert_clean(&b);
    b.shots[1].duration = 6;
    assert_only(
        &b,
        err(
            Location::Board,
            Field::Duration,
            ProblemKind::TotalTooLong {
                total: 11,
                max: 10,
                with_video: true,
            },
        ),
        Some("10 s"),
        Some("11 s"),
        &["11 s", "limit is 10 s", "with a reference video"],
    );
}

#[test]
fn huge_durations_do_not_wrap_around() {
    // A hand-written file may hold any u32; the total must not overflow
    // into a small number (or panic).
    let b = board(&[("a", u32::MAX), ("b", 2)]);
    let got = problems(&b);
    assert!(
        got.iter()
            .any(|p| matches!(p.kind, ProblemKind::TotalTooLong { max: 15, .. })),
        "{got:?}"
    );
    assert!(!got
        .iter()
        .any(|p| matches!(p.kind, ProblemKind::TotalTooShort { .. })));
}

#[test]
fn shot_prompt_512_chars_ok_513_refused_counting_chars() {
    // Two-byte, three-byte and four-byte characters: the limit counts
    // characters, not bytes.
    for c in ['a', 'é', '海', '🎬'] {
        let at_limit: String = std::iter::repeat_n(c, 512).collect();
        let b = board(&[(&at_limit, 3), ("b", 2)]);
        assert_clean(&b);
        let over: String = std::iter::repeat_n(c, 513).collect();
        let b = board(&[("a", 3), (&over, 2)]);
        assert_only(
            &b,
            err(
                Location::Shot(1),
                Field::Prompt,
                ProblemKind::PromptTooLong {
                    chars: 513,
                    max: 512,
                },
            ),
            Some("512 characters"),
            Some("513 characters"),
            &["513 characters", "limit is 512"],
        );
    }
}

#[test]
fn single_shot_prompt_limit_is_512_too() {
    let over = "x".repeat(513);
    assert_only(
        &board(&[(&over, 5)]),
        err(
            Location::Shot(0),
            Field::Prompt,
            ProblemKind::PromptTooLong {
                chars: 513,
                max: 512,
            },
        ),
        Some("512 characters"),
        Some("513 characters"),
        &["513", "512"],
    );
}

#[test]
fn empty_or_blank_shot_prompt_refused() {
    for blank in ["", "  \n\t"] {
        let b = board(&[("a", 2), (blank, 2)]);
        assert_only(
            &b,
            err(Location::Shot(1), Field::Prompt, ProblemKind::EmptyPrompt),
            None,
            None,
            &["empty"],
        );
    }
}

#[test]
fn overall_prompt_2500_ok_2501_refused() {
    // A 2500-character overall prompt is within its own limit; on a
    // single shot it is sent in front of the shot's prompt, so only the
    // sent prompt is over (2500 + space + 1).
    let mut b = board(&[("a", 5)]);
    b.prompt = "ü".repeat(2500);
    assert_eq!(
        legacy_problems(&b),
        vec![err(
            Location::Shot(0),
            Field::Prompt,
            ProblemKind::SentPromptTooLong {
                provider: Provider::Kling,
                chars: 2502,
                max: 2500
            }
        )]
    );
    b.prompt = "ü".repeat(2501);
    // Over its own limit: that one problem, not one more per shot.
    assert_only_legacy(
        &b,
        err(
            Location::Board,
            Field::Prompt,
            ProblemKind::PromptTooLong {
                chars: 2501,
                max: 2500,
            },
        ),
        Some("2500 characters"),
        Some("2501 characters"),
        &["2501 characters", "limit is 2500"],
    );
    // The same on a multi-shot board.
    b.shots.push(Shot::new("b", 2));
    assert_eq!(
        legacy_problems(&b),
        vec![err(
            Location::Board,
            Field::Prompt,
            ProblemKind::PromptTooLong {
                chars: 2501,
                max: 2500
            }
        )]
    );
}

#[test]
fn overall_prompt_fits_a_single_shot_exactly() {
    let mut b = board(&[("a", 5)]);
    b.prompt = "o".repeat(2498);
    assert_eq!(legacy_problems(&b), vec![]);
    b.prompt.push('o');
    assert_only_legacy(
        &b,
        err(
            Location::Shot(0),
            Field::Prompt,
            ProblemKind::SentPromptTooLong {
                provider: Provider::Kling,
                chars: 2501,
                max: 2500,
            },
        ),
        Some("2500 characters"),
        Some("2501 characters"),
        &["2501 characters", "limit is 2500", "as sent to Kling"],
    );
}

// ---------------------------------------------------------------- sent prompts

#[test]
fn sent_prompt_with_overall_prompt_prepended() {
    // Multi-shot: each shot is sent as "overall shot", at most 512.
    let mut b = board(&[(&"s".repeat(256), 2), ("t", 2)]);
    b.prompt = "o".repeat(255);
    assert_eq!(legacy_problems(&b), vec![]); // 255 + 1 + 256 = 512
    b.shots[0].prompt.push('s');
    assert_only_legacy(
        &b,
        err(
            Location::Shot(0),
            Field::Prompt,
            ProblemKind::SentPromptTooLong {
                provider: Provider::Kling,
                chars: 513,
                max: 512,
            },
        ),
        Some("512 characters"),
        Some("513 characters"),
        &["513 characters", "limit is 512"],
    );
}

#[test]
fn sent_prompt_with_mentions_expanded() {
    // "@mia" (4) becomes "<<<image_1>>>" (13): 9 more characters.
    let mut b = board(&[("a", 2), ("b", 2)]);
    b.references.push(image("mia"));
    b.shots[1].prompt = format!("@mia {}", "x".repeat(498)); // 503 raw, 512 sent
    assert_eq!(legacy_problems(&b), vec![]);
    b.shots[1].prompt.push('x'); // 504 raw, 513 sent
    assert_only_legacy(
        &b,
        err(
            Location::Shot(1),
            Field::Prompt,
            ProblemKind::SentPromptTooLong {
                provider: Provider::Kling,
                chars: 513,
                max: 512,
            },
        ),
        Some("512 characters"),
        Some("513 characters"),
        &["513", "512", "@-mentions written out"],
    );
}

#[test]
fn sent_prompt_of_every_shot_is_checked() {
    let mut b = board(&[("a", 2), ("b", 2), ("c", 2)]);
    b.prompt = "o".repeat(511);
    let got = legacy_problems(&b);
    assert_eq!(
        got,
        (0..3)
            .map(|i| err(
                Location::Shot(i),
                Field::Prompt,
                ProblemKind::SentPromptTooLong {
                    provider: Provider::Kling,
                    chars: 513,
                    max: 512
                }
            ))
            .collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------- names

fn named(name: &str) -> Board {
    let mut b = board(&[("a", 5)]);
    b.references
        .push(Reference::image(name, "https://example.com/cast.png"));
    b
}

fn bad_name(name: &str, reason_has: &[&str]) {
    let b = named(name);
    let got = legacy_problems(&b);
    assert_eq!(got.len(), 1, "{got:?}");
    let p = &got[0];
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.location, Location::Reference(name.to_string()));
    assert_eq!(p.field, Field::Name);
    assert!(
        matches!(&p.kind, ProblemKind::BadName { name: n, .. } if n == name),
        "{p:?}"
    );
    assert_eq!(
        p.kind.limit().as_deref(),
        Some("1 to 20 characters of a-z, 0-9, _ and -")
    );
    assert_eq!(p.kind.actual().as_deref(), Some(name));
    for r in reason_has {
        assert!(
            p.message().contains(r),
            "{:?} should contain {r:?}",
            p.message()
        );
    }
}

#[test]
fn name_of_20_chars_ok_21_refused() {
    assert_clean(&named(&"m".repeat(20)));
    assert_clean(&named("a_b-9"));
    bad_name(&"m".repeat(21), &["21 characters", "limit is 20"]);
}

#[test]
fn name_with_bad_characters_refused() {
    bad_name("mia!", &["'!'", "a-z, 0-9, _ and -"]);
    bad_name("mía", &["'í'"]);
    bad_name("Mia", &["'M'"]);
    bad_name("mia rose", &["a space"]);
    bad_name("", &["empty", "1 to 20"]);
}

#[test]
fn duplicate_names_refused_once() {
    let mut b = board(&[("a", 5)]);
    b.references.push(image("mia"));
    b.references.push(element("mia", 7));
    b.references.push(image("stall"));
    assert_only(
        &b,
        err(
            Location::Reference("mia".into()),
            Field::Name,
            ProblemKind::DuplicateName {
                name: "mia".into(),
                count: 2,
            },
        ),
        Some("unique"),
        Some("2 references"),
        &["'mia'", "2 references", "unique"],
    );
}

// ---------------------------------------------------------------- sources and ids

#[test]
fn sources_must_be_https_or_uploads() {
    let good = [
        "https://example.com/a.png",
        &format!("upload:{}", "0123456789abcdef".repeat(4)),
    ];
    for src in good {
        let mut b = board(&[("a", 5)]);
        b.references.push(Reference::image("mia", src));
        assert_clean(&b);
    }
    let bad = [
        "http://example.com/a.png",
        "https://",
        "https:///a.png",
        "https://example.com/a b.png",
        "upload:abc",
        &format!("upload:{}", "0123456789ABCDEF".repeat(4)),
        "",
    ];
    for src in bad {
        let mut b = board(&[("a", 5)]);
        b.references.push(Reference::image("mia", src));
        let got = problems(&b);
        assert_eq!(got.len(), 1, "{src:?}: {got:?}");
        assert_eq!(got[0].severity, Severity::Error);
        assert_eq!(got[0].location, Location::Reference("mia".into()));
        assert_eq!(got[0].field, Field::Src);
        assert!(matches!(got[0].kind, ProblemKind::BadSrc { .. }));
    }
    // The same rule for a video's source.
    let mut b = board(&[("a", 5)]);
    b.sound = false;
    b.references
        .push(Reference::video("v", "ftp://x/v.mp4", VideoUse::Feature));
    assert_eq!(problems(&b)[0].field, Field::Src);
}

#[test]
fn element_id_zero_refused() {
    let mut b = board(&[("a", 5)]);
    b.references.push(element("lantern", 1));
    assert_clean(&b);
    b.references[0] = element("lantern", 0);
    assert_only(
        &b,
        err(
            Location::Reference("lantern".into()),
            Field::ElementId,
            ProblemKind::ZeroElementId,
        ),
        None,
        None,
        &["element id 0"],
    );
}

// ---------------------------------------------------------------- mentions

#[test]
fn unknown_mention_in_a_shot_refused() {
    let mut b = board(&[
        ("@mia waves.", 2),
        ("@mia meets @bob, then @bob leaves.", 2),
    ]);
    b.references.push(image("mia"));
    assert_only(
        &b,
        err(
            Location::Shot(1),
            Field::Prompt,
            ProblemKind::UnknownMention { name: "bob".into() },
        ),
        None,
        Some("@bob"),
        &["@bob", "not in the cast"],
    );
    b.references.push(image("bob"));
    assert_clean(&b);
}

#[test]
fn unknown_mention_in_the_overall_prompt_refused() {
    let mut b = board(&[("a", 5)]);
    b.prompt = "Style of @noir.".into();
    assert_only(
        &b,
        err(
            Location::Board,
            Field::Prompt,
            ProblemKind::UnknownMention {
                name: "noir".into(),
            },
        ),
        None,
        Some("@noir"),
        &["@noir"],
    );
}

#[test]
fn email_addresses_and_lone_at_are_not_mentions() {
    let mut b = board(&[("Write to mia@example.com, meet @ noon, a@@b.", 5)]);
    b.prompt = "Contact: studio@example.org".into();
    assert_clean(&b);
    // ... but the same text with a real mention is checked.
    b.shots[0].prompt.push_str(" @ghost");
    assert_eq!(problems(&b).len(), 1);
}

// ---------------------------------------------------------------- cast counts

fn cast(images: usize, elements: usize) -> Vec<Reference> {
    (0..images)
        .map(|i| image(&format!("img{i}")))
        .chain((0..elements).map(|i| element(&format!("el{i}"), 100 + i as u64)))
        .collect()
}

#[test]
fn seven_images_and_elements_ok_eight_refused() {
    let mut b = board(&[("a", 5)]);
    b.references = cast(4, 3);
    assert_clean(&b);
    b.references = cast(5, 3);
    assert_only(
        &b,
        err(
            Location::Board,
            Field::References,
            ProblemKind::TooManyImagesAndElements {
                count: 8,
                max: 7,
                with_video: false,
            },
        ),
        Some("7"),
        Some("8"),
        &["8 images and elements", "limit is 7"],
    );
}

#[test]
fn four_images_and_elements_with_video_ok_five_refused() {
    let mut b = board(&[("a", 5)]);
    b.sound = false;
    b.references = cast(2, 2);
    b.references.push(video("moves", VideoUse::Feature));
    assert_clean(&b);
    b.references.insert(0, image("extra"));
    assert_only(
        &b,
        err(
            Location::Board,
            Field::References,
            ProblemKind::TooManyImagesAndElements {
                count: 5,
                max: 4,
                with_video: true,
            },
        ),
        Some("4"),
        Some("5"),
        &[
            "5 images and elements",
            "limit is 4",
            "with a reference video",
        ],
    );
}

#[test]
fn two_videos_refused() {
    let mut b = board(&[("a", 5)]);
    b.sound = false;
    b.references.push(video("one", VideoUse::Feature));
    assert_clean(&b);
    b.references.push(video("two", VideoUse::Feature));
    assert_only(
        &b,
        err(
            Location::Reference("two".into()),
            Field::References,
            ProblemKind::TooManyVideos { count: 2, max: 1 },
        ),
        Some("1"),
        Some("2"),
        &["2 reference videos", "at most 1"],
    );
}

#[test]
fn sound_with_a_video_refused() {
    let mut b = board(&[("a", 5)]);
    b.references.push(video("moves", VideoUse::Feature));
    assert!(b.sound);
    assert_only(
        &b,
        err(
            Location::Board,
            Field::Sound,
            ProblemKind::SoundWithVideo {
                video: "moves".into(),
            },
        ),
        None,
        None,
        &["sound must be off", "'moves'"],
    );
    b.sound = false;
    assert_clean(&b);
}

// ---------------------------------------------------------------- frames

fn aspect_warning(chosen: &str) -> Problem {
    warn(
        Location::Board,
        Field::AspectRatio,
        ProblemKind::AspectFollowsFrame {
            chosen: chosen.into(),
        },
    )
}

#[test]
fn first_frame_warns_that_aspect_ratio_follows_it() {
    let mut b = board(&[("a", 5)]);
    b.aspect_ratio = AspectRatio::Portrait;
    b.references.push(image("open"));
    assert_clean(&b);
    b.first_frame = Some("open".into());
    let report = check(&b);
    assert!(!report.has_errors());
    let problems = strip(report.problems);
    assert_eq!(problems, vec![aspect_warning("9:16")]);
    let p = &problems[0];
    assert_eq!(p.severity, Severity::Warning);
    assert!(p.message().contains("9:16"));
    assert!(p.to_string().starts_with("warning: board aspect_ratio: "));
}

#[test]
fn last_frame_without_first_refused() {
    let mut b = board(&[("a", 5)]);
    b.references.push(image("close"));
    b.last_frame = Some("close".into());
    assert_only(
        &b,
        err(
            Location::Board,
            Field::LastFrame,
            ProblemKind::LastFrameWithoutFirst,
        ),
        None,
        None,
        &["last frame needs a first frame"],
    );
}

#[test]
fn first_and_last_frame_on_one_shot_ok() {
    let mut b = board(&[("a", 5)]);
    b.references.push(image("open"));
    b.references.push(image("close"));
    b.first_frame = Some("open".into());
    b.last_frame = Some("close".into());
    assert_eq!(problems(&b), vec![aspect_warning("16:9")]);
}

#[test]
fn frame_naming_an_unknown_reference_refused() {
    let mut b = board(&[("a", 5)]);
    b.first_frame = Some("ghost".into());
    assert_eq!(
        problems(&b),
        vec![
            err(
                Location::Board,
                Field::FirstFrame,
                ProblemKind::FrameUnknown {
                    name: "ghost".into()
                }
            ),
            aspect_warning("16:9"),
        ]
    );
    assert!(problems(&b)[0].message().contains("'ghost'"));
}

#[test]
fn frame_naming_a_non_image_refused() {
    let mut b = board(&[("a", 5)]);
    b.references.push(image("open"));
    b.references.push(element("lantern", 5));
    b.first_frame = Some("open".into());
    b.last_frame = Some("lantern".into());
    let got = problems(&b);
    assert_eq!(
        got,
        vec![
            err(
                Location::Board,
                Field::LastFrame,
                ProblemKind::FrameNotImage {
                    name: "lantern".into(),
                    kind: "an element".into()
                }
            ),
            aspect_warning("16:9"),
        ]
    );
    assert_eq!(
        got[0].message(),
        "'lantern' is an element; a frame must be an image"
    );

    let mut b = board(&[("a", 5)]);
    b.sound = false;
    b.references.push(video("moves", VideoUse::Feature));
    b.first_frame = Some("moves".into());
    let got = problems(&b);
    assert_eq!(got[0].field, Field::FirstFrame);
    assert_eq!(
        got[0].message(),
        "'moves' is a video; a frame must be an image"
    );
}

#[test]
fn three_elements_with_frames_ok_four_refused() {
    let mut b = board(&[("a", 5)]);
    b.references = cast(1, 3);
    b.first_frame = Some("img0".into());
    assert_eq!(problems(&b), vec![aspect_warning("16:9")]);
    b.references.push(element("el3", 9));
    assert_eq!(
        problems(&b),
        vec![
            err(
                Location::Board,
                Field::References,
                ProblemKind::TooManyElementsWithFrames { count: 4, max: 3 }
            ),
            aspect_warning("16:9"),
        ]
    );
    let k = ProblemKind::TooManyElementsWithFrames { count: 4, max: 3 };
    assert_eq!(
        (k.limit(), k.actual()),
        (Some("3".into()), Some("4".into()))
    );
    assert!(k.to_string().contains("4 elements") && k.to_string().contains("at most 3"));
    // Four elements without a frame are fine.
    b.first_frame = None;
    assert_clean(&b);
}

#[test]
fn two_images_with_last_frame_ok_three_refused() {
    let mut b = board(&[("a", 5)]);
    b.references = cast(2, 0);
    b.first_frame = Some("img0".into());
    b.last_frame = Some("img1".into());
    assert_eq!(problems(&b), vec![aspect_warning("16:9")]);
    b.references.push(image("img2"));
    assert_eq!(
        problems(&b),
        vec![
            err(
                Location::Board,
                Field::LastFrame,
                ProblemKind::TooManyImagesWithEndFrame { count: 3, max: 2 }
            ),
            aspect_warning("16:9"),
        ]
    );
    let k = ProblemKind::TooManyImagesWithEndFrame { count: 3, max: 2 };
    assert_eq!(
        (k.limit(), k.actual()),
        (Some("2".into()), Some("3".into()))
    );
    assert!(k.to_string().contains("3 images") && k.to_string().contains("at most 2"));
    // Three images with only a first frame are fine.
    b.last_frame = None;
    assert_eq!(problems(&b), vec![aspect_warning("16:9")]);
}

fn base_video_warning(video: &str, total: u32) -> Problem {
    warn(
        Location::Board,
        Field::Duration,
        ProblemKind::BaseVideoSetsLength {
            video: video.into(),
            total,
        },
    )
}

#[test]
fn frames_with_a_base_video_refused() {
    let mut b = board(&[("a", 5)]);
    b.sound = false;
    b.references.push(image("open"));
    b.references.push(video("clip", VideoUse::Base));
    b.first_frame = Some("open".into());
    let got = problems(&b);
    assert_eq!(
        got,
        vec![
            err(
                Location::Board,
                Field::FirstFrame,
                ProblemKind::FramesWithBaseVideo {
                    video: "clip".into()
                }
            ),
            aspect_warning("16:9"),
            base_video_warning("clip", 5),
        ]
    );
    assert!(got[0].message().contains("'clip'"));
    // A feature video with a frame is allowed.
    b.references[1] = video("clip", VideoUse::Feature);
    assert_eq!(problems(&b), vec![aspect_warning("16:9")]);
}

#[test]
fn base_video_warns_that_it_sets_the_length() {
    let mut b = board(&[("Make it night.", 7)]);
    b.sound = false;
    b.references.push(video("clip", VideoUse::Base));
    let report = check(&b);
    assert!(!report.has_errors());
    assert_eq!(report.problems, vec![base_video_warning("clip", 7)]);
    let m = report.problems[0].message();
    assert!(m.contains("'clip'") && m.contains("7 s"), "{m}");
    b.references[0] = video("clip", VideoUse::Feature);
    assert_clean(&b);
}

// ---------------------------------------------------------------- frames with several shots

fn first_frame_board() -> Board {
    let mut b = board(&[("The door opens.", 3), ("@lamp flickers.", 3)]);
    b.references.push(image("open"));
    b.references.push(element("lamp", 42));
    b.first_frame = Some("open".into());
    b
}

#[test]
fn frames_with_several_shots_keep_the_whole_cast_on_kling() {
    // Kling allows a first and a last frame with multi-shot since
    // 2026-05-07: images, a last frame and image mentions are all fine.
    let mut b = first_frame_board();
    assert_eq!(problems(&b), vec![aspect_warning("16:9")]);
    b.references.push(image("close"));
    b.last_frame = Some("close".into());
    b.prompt = "Shot on film, @open at dawn.".into();
    b.shots[1].prompt = "@close by the door, @lamp flickers.".into();
    for api in KlingApi::ALL {
        let opts = RequestOptions {
            kling_api: api,
            ..RequestOptions::default()
        };
        let got = check_for(&b, Provider::Kling, &opts);
        assert!(!got.has_errors(), "{api:?}: {:?}", got.problems);
    }
}

// ---------------------------------------------------------------- Kling's text as sent

/// A board whose text as sent on the current design is `total` characters
/// long, from three shots (the last one the longest).
fn board_sending(total: usize) -> Board {
    let mut b = board(&[("b", 3), ("c", 3), ("d", 3)]);
    let empty = kling_current::plan(&b, PromptPlacement::BeforeShots).text;
    let base = empty.chars().count() - 3;
    let rest = total - base;
    // Overall direction takes what the shots cannot (each shot at most 500).
    let shot_len = rest.min(1500) / 3;
    b.shots[0].prompt = "x".repeat(rest.min(1500) - 2 * shot_len);
    b.shots[1].prompt = "y".repeat(shot_len);
    b.shots[2].prompt = "z".repeat(shot_len);
    let left = rest - rest.min(1500);
    if left > 0 {
        b.prompt = "w".repeat(left - 1);
    }
    assert_eq!(
        kling_current::plan(&b, PromptPlacement::BeforeShots)
            .text
            .chars()
            .count(),
        total
    );
    b
}

#[test]
fn kling_text_at_most_3072_characters_as_sent() {
    let limits = storyreel_core::rules::kling::model_limits(KlingApi::Current);
    assert_eq!(limits.max_text_chars, Some(3072));
    let inside = board_sending(3072);
    assert!(
        !check(&inside).has_errors(),
        "{:?}",
        check(&inside).problems
    );
    let outside = board_sending(3073);
    let errors: Vec<Problem> = check(&outside).errors().cloned().collect();
    assert_eq!(
        errors,
        vec![err(
            Location::Shot(2),
            Field::Prompt,
            ProblemKind::SentTextTooLong {
                chars: 3073,
                max: 3072,
                shot: Some(2)
            }
        )]
    );
    let message = errors[0].message();
    assert!(
        message.contains("3073 characters; the limit is 3072"),
        "{message}"
    );
    assert!(
        message.contains("shorten shot 3 (the longest) by at least 1"),
        "{message}"
    );
    // The legacy design sends no single text: no such limit there.
    let legacy = RequestOptions {
        kling_api: KlingApi::Legacy,
        ..RequestOptions::default()
    };
    assert!(!check_for(&outside, Provider::Kling, &legacy)
        .problems
        .iter()
        .any(|p| matches!(p.kind, ProblemKind::SentTextTooLong { .. })));
}

#[test]
fn errors_come_first_and_each_group_keeps_the_order_found() {
    // Kling's checks find the frame's warning before the text's error.
    let mut b = board_sending(3073);
    b.aspect_ratio = AspectRatio::Portrait;
    b.references.push(image("open"));
    b.first_frame = Some("open".into());
    let found = check(&b).problems;
    let severities: Vec<Severity> = found.iter().map(|p| p.severity).collect();
    let errors = severities.iter().filter(|s| **s == Severity::Error).count();
    assert!(errors >= 1 && errors < found.len(), "{found:?}");
    assert!(
        severities[..errors].iter().all(|s| *s == Severity::Error),
        "errors first: {found:?}"
    );
    assert!(matches!(found[0].kind, ProblemKind::SentTextTooLong { .. }));
    let warnings: Vec<&Problem> = found[errors..].iter().collect();
    assert_eq!(warnings[0], &aspect_warning("9:16"), "{found:?}");
    // The consistency warnings, found last, stay last.
    assert!(warnings[1..].iter().all(|p| p.kind.is_consistency()));
}

#[test]
fn kling_warns_past_the_recommended_2500_characters() {
    let long = |p: &Problem| matches!(p.kind, ProblemKind::SentTextLong { .. });
    assert!(!check(&board_sending(2500)).problems.iter().any(long));
    let got = check(&board_sending(2501));
    let warning = got.problems.iter().find(|p| long(p)).unwrap();
    assert!(!warning.is_error());
    assert_eq!(
        warning.kind,
        ProblemKind::SentTextLong {
            chars: 2501,
            recommended: 2500
        }
    );
}

#[test]
fn kling_shot_words_at_most_512_as_sent() {
    // Mentions are sent as @image_1, longer than @a: a shot within its own
    // limit can be over it as sent.
    let mut b = board(&[("b", 3), ("c", 3)]);
    b.references.push(image("a"));
    b.shots[0].prompt = format!("@a {}", "x".repeat(512 - 3));
    let sent = |b: &Board| {
        check(b)
            .errors()
            .filter(|p| matches!(p.kind, ProblemKind::SentPromptTooLong { .. }))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        sent(&b),
        vec![err(
            Location::Shot(0),
            Field::Prompt,
            ProblemKind::SentPromptTooLong {
                provider: Provider::Kling,
                chars: 512 - 3 + 9,
                max: 512
            }
        )]
    );
    b.shots[0].prompt = format!("@a {}", "x".repeat(512 - 3 - 6));
    assert_eq!(sent(&b), vec![]);
}

#[test]
fn kling_semicolons_are_rewritten_and_shown() {
    let mut b = board(&[("Rain; thunder; a flash.", 3), ("Calm.", 3)]);
    b.prompt = "Noir; grainy.".into();
    let warnings: Vec<Problem> = check(&b)
        .problems
        .into_iter()
        .filter(|p| matches!(p.kind, ProblemKind::SemicolonsRewritten { .. }))
        .collect();
    assert_eq!(
        warnings,
        vec![
            warn(
                Location::Board,
                Field::Prompt,
                ProblemKind::SemicolonsRewritten { count: 1 }
            ),
            warn(
                Location::Shot(0),
                Field::Prompt,
                ProblemKind::SemicolonsRewritten { count: 2 }
            ),
        ]
    );
    let text = kling_current::plan(&b, PromptPlacement::BeforeShots).text;
    assert_eq!(
        text,
        "Noir, grainy. shot 1, 3, Rain, thunder, a flash.; shot 2, 3, Calm.;"
    );
    // One shot: multi_shot is false, so a ';' ends nothing and is kept.
    let single = board(&[("Rain; thunder.", 5)]);
    assert!(!check(&single)
        .problems
        .iter()
        .any(|p| matches!(p.kind, ProblemKind::SemicolonsRewritten { .. })));
    assert_eq!(
        kling_current::plan(&single, PromptPlacement::BeforeShots).text,
        "Rain; thunder."
    );
}

#[test]
fn kling_base_video_takes_one_shot() {
    let mut b = board(&[("Make it night.", 5)]);
    b.sound = false;
    b.references.push(video("clip", VideoUse::Base));
    assert!(!check(&b).has_errors());
    b.shots.push(Shot::new("Then dawn.", 3));
    let errors: Vec<Problem> = check(&b).errors().cloned().collect();
    assert_eq!(
        errors,
        vec![err(
            Location::Board,
            Field::References,
            ProblemKind::BaseVideoOneShot {
                video: "clip".into(),
                shots: 2
            }
        )]
    );
}

#[test]
fn four_k_is_refused_where_the_provider_has_none() {
    let mut b = board(&[("A fox runs.", 5)]);
    b.resolution = Resolution::K4;
    assert!(!check(&b).has_errors());
    let fal = check_for(&b, Provider::Fal, &RequestOptions::default());
    let e: Vec<String> = fal.errors().map(|p| p.message()).collect();
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("fal has no 4K text-to-video endpoint"),
        "{}",
        e[0]
    );
    // With a reference image the board goes to reference-to-video, which
    // fal has in 4K.
    b.references.push(image("fox"));
    b.shots[0].prompt = "@fox runs.".into();
    assert!(!check_for(&b, Provider::Fal, &RequestOptions::default()).has_errors());
    let replicate = check_for(&b, Provider::Replicate, &RequestOptions::default());
    assert!(replicate
        .errors()
        .any(|p| p.message().starts_with("Replicate has no 4K output")));
}

// ---------------------------------------------------------------- dialogue

fn dialogue_warning(shot: usize, needed_tenths: u32, duration: u32) -> Problem {
    warn(
        Location::Shot(shot),
        Field::Prompt,
        ProblemKind::DialogueTooLong {
            needed_tenths,
            duration,
        },
    )
}

#[test]
fn dialogue_that_fits_is_fine_one_word_more_warns() {
    // 5 words at 2.5 words a second: 2.0 s, in a 2 s shot.
    let b = board(&[("a", 1), ("She says: \"one two three four five\"", 2)]);
    assert_clean(&b);
    let b = board(&[("a", 1), ("She says: \"one two three four five six\"", 2)]);
    let report = check(&b);
    assert!(!report.has_errors());
    assert_eq!(report.problems, vec![dialogue_warning(1, 24, 2)]);
    let p = &report.problems[0];
    assert_eq!(p.kind.limit().as_deref(), Some("2 s"));
    assert_eq!(p.kind.actual().as_deref(), Some("2.4 s"));
    assert!(p.message().contains("2.4 s") && p.message().contains("shot is 2 s"));
}

#[test]
fn dialogue_in_cjk_counts_characters() {
    // 8 characters at 4 a second: 2.0 s; 9: 2.3 s (2.25 rounded up).
    let b = board(&[("a", 1), ("她说：「你见过我的弟弟吗」", 2)]);
    assert_clean(&b);
    let b = board(&[("a", 1), ("她说：「你见过我的小弟弟吗」", 2)]);
    assert_eq!(problems(&b), vec![dialogue_warning(1, 23, 2)]);
}

#[test]
fn problems_are_errors_first() {
    let mut b = board(&[("She says: \"one two three four five six seven eight\"", 2)]);
    b.references.push(image("open"));
    b.first_frame = Some("open".into());
    let got = problems(&b);
    let severities: Vec<Severity> = got.iter().map(|p| p.severity).collect();
    assert_eq!(
        severities,
        vec![Severity::Error, Severity::Warning, Severity::Warning]
    );
    assert!(matches!(got[0].kind, ProblemKind::TotalTooShort { .. }));
}

#[test]
fn display_names_severity_place_and_field() {
    let b = board(&[("a", 3), (&"x".repeat(530), 2)]);
    assert_eq!(
        problems(&b)[0].to_string(),
        "error: shot 2 prompt: the prompt is 530 characters; the limit is 512"
    );
    let mut b = board(&[("a", 5)]);
    b.references.push(image("Mia"));
    assert_eq!(
        problems(&b)[0].to_string(),
        "error: reference 'Mia' name: the name contains 'M'; only a-z, 0-9, _ and - are allowed"
    );
}

// ---------------------------------------------------------------- providers
//
// `check` applies the rules of `board.provider`; fal and Replicate have their
// own (rules/fal.rs, rules/replicate.rs) and Kling's route rules apply only
// on Kling.

fn on(provider: Provider, mut b: Board) -> Board {
    b.provider = provider;
    b
}

const OTHERS: [Provider; 2] = [Provider::Fal, Provider::Replicate];

#[test]
fn elements_refused_on_fal_and_replicate_only() {
    let mut b = board(&[("@mia holds a lantern.", 5)]);
    b.references.push(image("mia"));
    for p in OTHERS {
        assert_clean(&on(p, b.clone()));
    }
    b.references.push(element("lantern", 7));
    assert_clean(&on(Provider::Kling, b.clone()));
    for (p, reason) in [
        (Provider::Fal, "fal's elements are image sets"),
        (Provider::Replicate, "takes no elements"),
    ] {
        assert_only(
            &on(p, b.clone()),
            err(
                Location::Reference("lantern".into()),
                Field::References,
                ProblemKind::ElementNotOnProvider {
                    provider: p,
                    name: "lantern".into(),
                    element_id: "7".into(),
                },
            ),
            None,
            Some("element 7"),
            &[
                "'lantern'",
                "element library id 7",
                &format!("cannot be sent to {}", p.label()),
                reason,
            ],
        );
    }
}

#[test]
fn fal_shots_of_three_seconds_ok_two_refused_by_default() {
    let fal = |shots: &[(&str, u32)]| on(Provider::Fal, board(shots));
    assert_clean(&fal(&[("a", 3), ("b", 3)]));
    // One shot of 3 s has no per-shot duration to check.
    assert_clean(&fal(&[("a", 3)]));
    let b = fal(&[("a", 3), ("b", 2)]);
    assert_only(
        &b,
        err(
            Location::Shot(1),
            Field::Duration,
            ProblemKind::FalShotTooShort {
                duration: 2,
                min: 3,
            },
        ),
        Some("3 s"),
        Some("2 s"),
        &[
            "2 s",
            "fal's minimum of 3 s",
            "configurable",
            "min_shot_seconds",
        ],
    );
    // Kling and Replicate take 1 s shots.
    for p in [Provider::Kling, Provider::Replicate] {
        assert_clean(&on(p, board(&[("a", 1), ("b", 2)])));
    }
}

#[test]
fn fal_shot_minimum_follows_the_options() {
    let b = on(Provider::Fal, board(&[("a", 2), ("b", 1)]));
    let with_min = |min| RequestOptions {
        fal: FalOptions {
            min_shot_seconds: min,
            ..FalOptions::default()
        },
        ..RequestOptions::default()
    };
    assert_eq!(check_with(&b, &with_min(1)).problems, vec![]);
    assert_eq!(
        check_with(&b, &with_min(2)).problems,
        vec![err(
            Location::Shot(1),
            Field::Duration,
            ProblemKind::FalShotTooShort {
                duration: 1,
                min: 2
            }
        )]
    );
    // `check` is `check_with` the defaults.
    assert_eq!(check(&b), check_with(&b, &RequestOptions::default()));
    assert_eq!(check(&b).error_count(), 2);
    // A 0 s shot is the format's problem, reported once.
    let b = on(Provider::Fal, board(&[("a", 3), ("b", 0)]));
    assert_eq!(
        problems(&b),
        vec![err(
            Location::Shot(1),
            Field::Duration,
            ProblemKind::ShotTooShort {
                duration: 0,
                min: 1
            }
        )]
    );
}

fn frame_board(shots: &[(&str, u32)]) -> Board {
    let mut b = board(shots);
    b.references.push(image("open"));
    b.first_frame = Some("open".into());
    b
}

#[test]
fn frames_with_one_shot_ok_two_refused_on_fal_and_replicate() {
    for p in OTHERS {
        // No aspect-ratio warning either: fal and Replicate are sent it.
        assert_clean(&on(p, frame_board(&[("a", 5)])));
        let b = on(p, frame_board(&[("a", 3), ("b", 3)]));
        assert_only(
            &b,
            err(
                Location::Board,
                Field::FirstFrame,
                ProblemKind::FramesWithMultiShotUnconfirmed {
                    provider: p,
                    shots: 2,
                },
            ),
            Some("1 shot"),
            Some("2 shots"),
            &[
                p.label(),
                "2 shots",
                "unconfirmed",
                "allow_frames_with_multi_shot",
            ],
        );
    }
}

#[test]
fn frames_with_several_shots_allowed_by_the_options() {
    let opts = RequestOptions {
        fal: FalOptions {
            allow_frames_with_multi_shot: true,
            ..FalOptions::default()
        },
        replicate: ReplicateOptions {
            allow_frames_with_multi_shot: true,
        },
        ..RequestOptions::default()
    };
    let mut b = frame_board(&[("a", 3), ("@mia b", 3)]);
    b.references.push(image("mia"));
    for p in OTHERS {
        assert_eq!(strip(check_with(&on(p, b.clone()), &opts).problems), vec![]);
        assert_eq!(strip(check_for(&b, p, &opts).problems), vec![]);
    }
    // Kling takes frames with several shots anyway.
    assert!(!check_for(&b, Provider::Kling, &opts).has_errors());
}

#[test]
fn kling_rules_apply_only_on_kling() {
    // Kling warns that the aspect ratio is not sent with a first frame: on
    // Kling only.
    let mut b = frame_board(&[("a", 3), ("@mia b", 3)]);
    b.references.push(image("mia"));
    let kling = check_for(&b, Provider::Kling, &RequestOptions::default());
    assert!(!kling.has_errors(), "{:?}", kling.problems);
    assert!(kling
        .problems
        .iter()
        .any(|p| matches!(p.kind, ProblemKind::AspectFollowsFrame { .. })));
    for p in OTHERS {
        let got = strip(check_for(&b, p, &RequestOptions::default()).problems);
        assert!(
            got.iter()
                .all(|x| matches!(x.kind, ProblemKind::FramesWithMultiShotUnconfirmed { .. })),
            "{p:?}: {got:?}"
        );
    }
}

#[test]
fn fal_refuses_a_base_video_replicate_warns() {
    let mut b = board(&[("Make it night.", 5)]);
    b.sound = false;
    b.references.push(video("clip", VideoUse::Feature));
    for p in Provider::ALL {
        assert_clean(&on(p, b.clone()));
    }
    b.references[0] = video("clip", VideoUse::Base);
    assert_only(
        &on(Provider::Fal, b.clone()),
        err(
            Location::Reference("clip".into()),
            Field::References,
            ProblemKind::FalBaseVideo {
                video: "clip".into(),
            },
        ),
        None,
        None,
        &["fal", "'clip'", "use: base", "not verified"],
    );
    let got = problems(&on(Provider::Replicate, b.clone()));
    assert_eq!(
        got,
        vec![warn(
            Location::Board,
            Field::Duration,
            ProblemKind::ReplicateBaseVideoSetsLength {
                video: "clip".into(),
                total: 5
            }
        )]
    );
    assert!(got[0].message().contains("Replicate") && got[0].message().contains("5 s"));
    assert_eq!(problems(&b), vec![base_video_warning("clip", 5)]);
}

#[test]
fn fal_video_with_one_shot_ok_two_refused() {
    let mut b = on(Provider::Fal, board(&[("a", 5)]));
    b.sound = false;
    b.references.push(video("moves", VideoUse::Feature));
    assert_clean(&b);
    b.shots.push(Shot::new("b", 3));
    assert_only(
        &b,
        err(
            Location::Board,
            Field::Shots,
            ProblemKind::FalVideoMultiShot {
                video: "moves".into(),
                shots: 2,
            },
        ),
        Some("1 shot"),
        Some("2 shots"),
        &["fal", "'moves'", "2 shots", "multi_prompt"],
    );
    // Replicate and Kling take a video with several shots.
    b.provider = Provider::Replicate;
    assert_clean(&b);
    b.provider = Provider::Kling;
    assert_clean(&b);
}

#[test]
fn fal_video_without_frame_ok_with_frame_refused() {
    let mut b = on(Provider::Fal, board(&[("a", 5)]));
    b.sound = false;
    b.references.push(image("open"));
    b.references.push(video("moves", VideoUse::Feature));
    assert_clean(&b);
    b.first_frame = Some("open".into());
    assert_only(
        &b,
        err(
            Location::Board,
            Field::FirstFrame,
            ProblemKind::FalVideoWithFrames {
                video: "moves".into(),
            },
        ),
        None,
        None,
        &["fal", "'moves'", "start or end frame"],
    );
    b.provider = Provider::Replicate;
    assert_clean(&b);
}

#[test]
fn sent_prompt_limits_use_each_providers_spelling() {
    // Shot 2 is "@mia " + x*n. Sent: Kling and Replicate "<<<image_1>>> "
    // (14), fal "@Image1 " (8).
    let with = |provider, n: usize| {
        let mut b = board(&[("a", 3), (&format!("@mia {}", "x".repeat(n)), 3)]);
        b.references.push(image("mia"));
        b.provider = provider;
        b
    };
    let over = |provider, chars| {
        let kind = ProblemKind::SentPromptTooLong {
            provider,
            chars,
            max: 512,
        };
        err(Location::Shot(1), Field::Prompt, kind)
    };
    assert_clean(&with(Provider::Fal, 504));
    assert_only(
        &with(Provider::Fal, 505),
        over(Provider::Fal, 513),
        Some("512 characters"),
        Some("513 characters"),
        &["as sent to fal", "513 characters", "limit is 512"],
    );
    assert_clean(&with(Provider::Replicate, 498));
    assert_only(
        &with(Provider::Replicate, 499),
        over(Provider::Replicate, 513),
        Some("512 characters"),
        Some("513 characters"),
        &["as sent to Replicate", "513", "512"],
    );
    // The fal-clean board is over on Kling's legacy design, which spells
    // the mention longer (<<<image_1>>>), and on the current one by one
    // character (@image_1).
    assert_eq!(
        legacy_problems(&with(Provider::Kling, 504)),
        vec![over(Provider::Kling, 518)]
    );
    assert_eq!(
        problems(&with(Provider::Kling, 504)),
        vec![over(Provider::Kling, 513)]
    );
}

#[test]
fn single_shot_sent_prompt_2500_on_fal_and_replicate() {
    for p in OTHERS {
        let mut b = on(p, board(&[("a", 5)]));
        b.prompt = "o".repeat(2498);
        assert_clean(&b);
        b.prompt.push('o');
        assert_only(
            &b,
            err(
                Location::Shot(0),
                Field::Prompt,
                ProblemKind::SentPromptTooLong {
                    provider: p,
                    chars: 2501,
                    max: 2500,
                },
            ),
            Some("2500 characters"),
            Some("2501 characters"),
            &[p.label(), "2501 characters", "limit is 2500"],
        );
    }
}

#[test]
fn check_for_ignores_the_boards_provider() {
    let b = on(Provider::Kling, board(&[("a", 2), ("b", 2)]));
    assert!(!check(&b).has_errors());
    assert!(check_for(&b, Provider::Fal, &RequestOptions::default()).has_errors());
    let b = on(Provider::Fal, b);
    assert!(check(&b).has_errors());
    assert!(!check_for(&b, Provider::Kling, &RequestOptions::default()).has_errors());
}

#[test]
fn consistency_warnings_are_in_the_report_and_never_errors() {
    let mut b = board(&[
        ("@mia in a red coat runs.", 4),
        ("Empty street.", 3),
        ("@mia in a blue coat stops.", 3),
    ]);
    b.references = vec![image("mia"), image("lamp")];
    let report = check(&b);
    let found: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.kind.is_consistency())
        .collect();
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found.iter().all(|p| p.severity == Severity::Warning));
    assert_eq!(found[0].location, Location::Reference("lamp".into()));
    assert_eq!(found[1].location, Location::Shot(1));
    assert_eq!(found[2].location, Location::Shot(2));
    assert!(
        found[2].message().contains("red in shot 1"),
        "{}",
        found[2].message()
    );
    assert!(!report.has_errors());
}

//! The rules of library characters on a board (`rules/characters.rs`,
//! and fal's and Replicate's take on them), each just inside and just
//! outside, and `dialogue::voices_for_shot`.

use storyreel_core::character::{CharacterLink, ElementStatus, Look, Roster, Voice, VoiceSource};
use storyreel_core::dialogue::voices_for_shot;
use storyreel_core::problem::ProblemKind;
use storyreel_core::request::RequestOptions;
use storyreel_core::{check_for, Board, Field, Location, Problem, Provider, Reference, Shot};

fn link(id: &str, voice: Option<&str>) -> CharacterLink {
    CharacterLink {
        id: id.into(),
        look: Look::Images {
            frontal: format!("https://example.com/{id}-front.png"),
            others: vec![format!("https://example.com/{id}-side.png")],
        },
        voice: voice.map(|name| Voice {
            voice_id: format!("v-{name}"),
            name: name.into(),
            source: VoiceSource::Preset,
            trial_url: None,
        }),
    }
}

fn video_link(id: &str) -> CharacterLink {
    CharacterLink {
        id: id.into(),
        look: Look::Video {
            src: format!("https://example.com/{id}.mp4"),
        },
        voice: None,
    }
}

fn board(shots: &[&str], references: Vec<Reference>) -> Board {
    Board {
        shots: shots.iter().map(|p| Shot::new(*p, 5)).collect(),
        references,
        ..Board::default()
    }
}

fn mia(element_id: &str) -> Reference {
    Reference::character("mia", element_id, link("c-mia", None))
}

fn roster(status: ElementStatus) -> RequestOptions {
    let mut roster = Roster::new();
    roster.insert("c-mia", status);
    RequestOptions {
        roster,
        ..RequestOptions::default()
    }
}

/// The report on `provider` without the consistency warnings.
fn problems(b: &Board, provider: Provider, opts: &RequestOptions) -> Vec<Problem> {
    check_for(b, provider, opts)
        .problems
        .into_iter()
        .filter(|p| !p.kind.is_consistency())
        .collect()
}

fn kling(b: &Board, opts: &RequestOptions) -> Vec<Problem> {
    problems(b, Provider::Kling, opts)
}

fn at_mia(field: Field, kind: ProblemKind) -> Problem {
    Problem::error(Location::Reference("mia".into()), field, kind)
}

// ------------------------------------------------------------ elements

#[test]
fn a_character_without_an_element_is_refused_on_kling_only() {
    let opts = RequestOptions::default();
    let made = board(&["@mia waves."], vec![mia("860000000000000001")]);
    assert_eq!(kling(&made, &opts), vec![]);
    let unmade = board(&["@mia waves."], vec![mia("")]);
    let got = kling(&unmade, &opts);
    assert_eq!(
        got,
        vec![at_mia(
            Field::ElementId,
            ProblemKind::CharacterWithoutElement { name: "mia".into() }
        )]
    );
    assert_eq!(
        got[0].message(),
        "@mia has no Kling element yet: make it in the character library"
    );
    // fal sends the pictures.
    assert_eq!(problems(&unmade, Provider::Fal, &opts), vec![]);
    // A bare element with an empty id is still a bad id, everywhere.
    let bare = board(&["@mia waves."], vec![Reference::element("mia", "")]);
    assert!(matches!(
        kling(&bare, &opts)[..],
        [Problem {
            kind: ProblemKind::BadElementId { .. },
            ..
        }]
    ));
}

#[test]
fn the_library_says_making_failed_or_deleted() {
    let b = board(&["@mia waves."], vec![mia("860000000000000001")]);
    assert_eq!(kling(&b, &roster(ElementStatus::None)), vec![]);
    assert_eq!(
        kling(
            &b,
            &roster(ElementStatus::Ready {
                element_id: "860000000000000001".into()
            })
        ),
        vec![]
    );

    let making = kling(
        &b,
        &roster(ElementStatus::Making {
            key: "k".into(),
            task_id: None,
        }),
    );
    assert_eq!(
        making,
        vec![at_mia(
            Field::ElementId,
            ProblemKind::CharacterElementMaking { name: "mia".into() }
        )]
    );
    assert!(making[0].message().contains("still being made"));

    let failed = kling(
        &b,
        &roster(ElementStatus::Failed {
            reason: "the frontal image shows no face".into(),
        }),
    );
    assert_eq!(failed.len(), 1);
    assert!(failed[0].is_error());
    assert_eq!(
        failed[0].message(),
        "@mia's Kling element could not be made: the frontal image shows no face; make it again in the character library"
    );

    let deleted = kling(
        &b,
        &roster(ElementStatus::Deleted {
            element_id: "860000000000000001".into(),
        }),
    );
    assert_eq!(
        deleted,
        vec![at_mia(
            Field::ElementId,
            ProblemKind::CharacterElementDeleted {
                name: "mia".into(),
                element_id: "860000000000000001".into()
            }
        )]
    );
    assert!(deleted[0].message().contains("was deleted at Kling"));
    assert_eq!(
        deleted[0].kind.actual().as_deref(),
        Some("element 860000000000000001")
    );

    // None of it matters to fal, which sends the pictures.
    for status in [
        ElementStatus::Failed { reason: "x".into() },
        ElementStatus::Deleted {
            element_id: "1".into(),
        },
    ] {
        assert_eq!(problems(&b, Provider::Fal, &roster(status)), vec![]);
    }
    // Another character's status is not this one's.
    let mut other = Roster::new();
    other.insert("c-tom", ElementStatus::Failed { reason: "x".into() });
    let opts = RequestOptions {
        roster: other,
        ..RequestOptions::default()
    };
    assert_eq!(kling(&b, &opts), vec![]);
}

#[test]
fn a_newer_element_in_the_library_warns() {
    let b = board(&["@mia waves."], vec![mia("11")]);
    let got = kling(
        &b,
        &roster(ElementStatus::Ready {
            element_id: "12".into(),
        }),
    );
    assert_eq!(
        got,
        vec![Problem::warning(
            Location::Reference("mia".into()),
            Field::ElementId,
            ProblemKind::CharacterElementChanged {
                name: "mia".into(),
                board_id: "11".into(),
                library_id: "12".into()
            }
        )]
    );
    assert!(got[0].message().contains("11") && got[0].message().contains("12"));
}

// ------------------------------------------------------------ voices

#[test]
fn voices_for_a_shot_with_speech() {
    let mut b = board(
        &[
            "@mia says: \"Where is he?\" @tom shrugs.",
            "@mia looks around.",
            "@tom: \"Over there.\"",
        ],
        vec![
            Reference::character("mia", "1", link("c-mia", Some("Aria"))),
            Reference::character("tom", "2", link("c-tom", None)),
        ],
    );
    b.sound = true;
    assert_eq!(voices_for_shot(&b, &b.shots[0]), vec![("mia", "Aria")]);
    // No speech: nothing is spoken.
    assert_eq!(voices_for_shot(&b, &b.shots[1]), vec![]);
    // Speech by a character with no voice.
    assert_eq!(voices_for_shot(&b, &b.shots[2]), vec![]);
    assert_eq!(kling(&b, &RequestOptions::default()), vec![]);
}

#[test]
fn a_voice_with_sound_off_warns() {
    let mut b = board(
        &["@mia says: \"Hello.\""],
        vec![Reference::character(
            "mia",
            "1",
            link("c-mia", Some("Aria")),
        )],
    );
    b.sound = true;
    assert_eq!(kling(&b, &RequestOptions::default()), vec![]);
    b.sound = false;
    let got = kling(&b, &RequestOptions::default());
    assert_eq!(
        got,
        vec![Problem::warning(
            Location::Reference("mia".into()),
            Field::Sound,
            ProblemKind::VoiceWithSoundOff {
                name: "mia".into(),
                voice: "Aria".into()
            }
        )]
    );
    assert!(got[0].message().contains("Aria") && got[0].message().contains("sound is off"));
    // A voice no prompt cites is not heard either way.
    b.shots[0].prompt = "A street at night.".into();
    assert_eq!(kling(&b, &RequestOptions::default()), vec![]);
    // A character without a voice, sound off: nothing to say.
    let quiet = board(&["@mia says: \"Hello.\""], vec![mia("1")]);
    assert_eq!(kling(&quiet, &RequestOptions::default()), vec![]);
}

#[test]
fn speech_citing_no_character_warns_on_a_board_with_characters() {
    let mut b = board(
        &["@mia walks in.", "A voice says: \"Stop.\""],
        vec![
            mia("1"),
            Reference::image("door", "https://example.com/door.png"),
        ],
    );
    b.sound = true;
    let got = kling(&b, &RequestOptions::default());
    assert_eq!(
        got,
        vec![Problem::warning(
            Location::Shot(1),
            Field::Prompt,
            ProblemKind::SpeechWithoutCharacter
        )]
    );
    // Citing an image is not citing a character.
    b.shots[1].prompt = "At @door a voice says: \"Stop.\"".into();
    assert_eq!(kling(&b, &RequestOptions::default()), got);
    // Citing the character is.
    b.shots[1].prompt = "@mia says: \"Stop.\"".into();
    assert_eq!(kling(&b, &RequestOptions::default()), vec![]);
    // No characters on the board: no warning, as before.
    let plain = board(
        &["A voice says: \"Stop.\""],
        vec![Reference::image("door", "https://example.com/door.png")],
    );
    assert_eq!(kling(&plain, &RequestOptions::default()), vec![]);
}

// ------------------------------------------------------------ fal, Replicate

#[test]
fn fal_takes_one_character_made_from_a_video() {
    let opts = RequestOptions::default();
    let one = board(
        &["@mia and @tom talk."],
        vec![
            Reference::character("mia", "", video_link("c-mia")),
            Reference::character("tom", "", link("c-tom", None)),
        ],
    );
    assert_eq!(problems(&one, Provider::Fal, &opts), vec![]);
    let mut two = one.clone();
    two.references[1] = Reference::character("tom", "", video_link("c-tom"));
    let got = problems(&two, Provider::Fal, &opts);
    assert_eq!(
        got,
        vec![Problem::error(
            Location::Reference("tom".into()),
            Field::References,
            ProblemKind::FalVideoElements {
                name: "tom".into(),
                count: 2,
                max: 1
            }
        )]
    );
    assert_eq!(got[0].kind.limit().as_deref(), Some("1"));
    assert_eq!(got[0].kind.actual().as_deref(), Some("2"));
}

#[test]
fn fal_video_reference_takes_characters_made_from_images_only() {
    let opts = RequestOptions::default();
    let mut b = board(
        &["@mia dances like @moves."],
        vec![
            Reference::character("mia", "", link("c-mia", None)),
            Reference::video(
                "moves",
                "https://example.com/moves.mp4",
                storyreel_core::VideoUse::Feature,
            ),
        ],
    );
    b.sound = false;
    assert_eq!(problems(&b, Provider::Fal, &opts), vec![]);
    b.references[0] = Reference::character("mia", "", video_link("c-mia"));
    let got = problems(&b, Provider::Fal, &opts);
    assert_eq!(
        got,
        vec![at_mia(
            Field::References,
            ProblemKind::FalVideoElementWithVideo {
                name: "mia".into(),
                video: "moves".into()
            }
        )]
    );
}

#[test]
fn fal_checks_a_characters_sources() {
    let mut l = link("c-mia", None);
    l.look = Look::Images {
        frontal: "https://example.com/front.png".into(),
        others: vec!["blob:https://localhost/x".into()],
    };
    let b = board(&["@mia waves."], vec![Reference::character("mia", "", l)]);
    let got = problems(&b, Provider::Fal, &RequestOptions::default());
    assert!(
        matches!(&got[..], [Problem { field: Field::Src, kind: ProblemKind::BadSrc { reason }, .. }] if reason.contains("blob:")),
        "{got:?}"
    );
}

#[test]
fn replicate_refuses_a_character_by_name() {
    let b = board(&["@mia waves."], vec![mia("1")]);
    let got = problems(&b, Provider::Replicate, &RequestOptions::default());
    assert_eq!(
        got,
        vec![at_mia(
            Field::References,
            ProblemKind::CharacterNotOnProvider {
                provider: Provider::Replicate,
                name: "mia".into()
            }
        )]
    );
    assert!(
        got[0].message().contains("Replicate"),
        "{}",
        got[0].message()
    );
    // A bare element id is refused as before.
    let bare = board(&["@mia waves."], vec![Reference::element("mia", "7")]);
    assert!(matches!(
        problems(&bare, Provider::Replicate, &RequestOptions::default())[..],
        [Problem {
            kind: ProblemKind::ElementNotOnProvider { .. },
            ..
        }]
    ));
}

// ------------------------------------------------- video characters (§0.3)

fn video_character(n: usize) -> Reference {
    Reference::character(
        format!("v{n}"),
        format!("{}", 900 + n),
        video_link(&format!("c-v{n}")),
    )
}

fn counts(b: &Board) -> Vec<ProblemKind> {
    kling(b, &RequestOptions::default())
        .into_iter()
        .filter(|p| p.location == Location::Board && p.field == Field::References)
        .map(|p| p.kind)
        .collect()
}

#[test]
fn video_characters_are_counted_as_kling_says() {
    // Three made from a video: allowed; a fourth is one too many.
    let three: Vec<Reference> = (1..=3).map(video_character).collect();
    assert_eq!(
        counts(&board(&["@v1 @v2 @v3 walk."], three.clone())),
        vec![]
    );
    let mut four = three.clone();
    four.push(video_character(4));
    assert_eq!(
        counts(&board(&["@v1 @v2 @v3 @v4 walk."], four)),
        vec![ProblemKind::TooManyVideoCharacters { count: 4, max: 3 }]
    );

    // Beside them, images and image elements together at most 4.
    let mut refs = vec![video_character(1)];
    refs.extend(
        (1..=3)
            .map(|i| Reference::image(format!("img{i}"), format!("https://example.com/{i}.png"))),
    );
    refs.push(mia("123"));
    let text = "@v1 @img1 @img2 @img3 @mia.";
    assert_eq!(counts(&board(&[text], refs.clone())), vec![]);
    refs.push(Reference::element("lamp", "77"));
    assert_eq!(
        counts(&board(&[&format!("{text} @lamp")], refs)),
        vec![ProblemKind::TooManyImagesWithVideoCharacters { count: 5, max: 4 }]
    );

    // fal counts its own way: none of these apply there.
    let four: Vec<Reference> = (1..=4).map(video_character).collect();
    let b = board(&["@v1 @v2 @v3 @v4 walk."], four);
    assert!(problems(&b, Provider::Fal, &RequestOptions::default())
        .iter()
        .all(|p| !matches!(p.kind, ProblemKind::TooManyVideoCharacters { .. })));
}

#[test]
fn with_a_reference_video_one_video_character_and_no_image_elements() {
    let clip = || {
        Reference::video(
            "clip",
            "https://example.com/clip.mp4",
            storyreel_core::VideoUse::Feature,
        )
    };
    let one = board(&["@v1 moves like @clip."], vec![video_character(1), clip()]);
    assert_eq!(counts(&one), vec![]);
    let two = board(
        &["@v1 and @v2 move like @clip."],
        vec![video_character(1), video_character(2), clip()],
    );
    assert_eq!(
        counts(&two),
        vec![ProblemKind::VideoCharactersWithVideo {
            count: 2,
            images: 0,
            max: 1
        }]
    );
    let mixed = board(
        &["@v1 and @mia move like @clip."],
        vec![video_character(1), mia("123"), clip()],
    );
    assert_eq!(
        counts(&mixed),
        vec![ProblemKind::VideoCharactersWithVideo {
            count: 1,
            images: 1,
            max: 1
        }]
    );
}

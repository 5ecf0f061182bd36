//! Share links: the corpus round-trips, every refusal names its problem,
//! and no input makes the decoder panic.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use proptest::prelude::*;

use storyreel_core::share::{
    self, ShareError, MAX_FRAGMENT_CHARS, MAX_PAYLOAD_BYTES, PREFIX, VERSION,
};
use storyreel_core::{
    AspectRatio, Board, BoardError, Mode, Provider, Reference, ReferenceKind, Shot, VideoUse,
};

// ------------------------------------------------------------------ corpus

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/share-corpus")
}

fn corpus() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(corpus_dir())
        .expect("the corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_corpus_is_big_and_varied() {
    let boards: Vec<Board> = corpus()
        .iter()
        .map(|(name, text)| Board::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect();
    assert!(boards.len() >= 20, "{} boards", boards.len());
    for shots in 1..=6 {
        assert!(
            boards.iter().any(|b| b.shots.len() == shots),
            "no board with {shots} shots"
        );
    }
    assert!(boards.iter().any(|b| b.references.is_empty()));
    assert!(boards.iter().any(|b| b.video().is_some()));
    assert!(boards.iter().any(|b| b.elements().next().is_some()));
    assert!(boards.iter().any(|b| b.first_frame.is_some()));
    let langs: std::collections::BTreeSet<String> = corpus()
        .iter()
        .map(|(n, _)| n.split('-').next().unwrap().to_string())
        .collect();
    assert!(langs.len() >= 6, "{langs:?}");
}

#[test]
fn corpus_files_are_as_the_format_writes_them() {
    // So the benchmark gives lz-string the JSON an export would hold.
    for (name, text) in corpus() {
        let board = Board::from_json_draft(&text).unwrap();
        assert_eq!(board.to_json(), text, "{name}");
    }
}

#[test]
fn every_corpus_board_round_trips() {
    for (name, text) in corpus() {
        let board = Board::from_json_draft(&text).unwrap();
        let fragment = share::encode(&board);
        assert!(fragment.starts_with(PREFIX), "{name}");
        assert!(
            fragment[PREFIX.len()..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{name}: {fragment}"
        );
        assert_eq!(share::decode(&fragment), Ok(board.clone()), "{name}");
        assert_eq!(share::encode_checked(&board), Ok(fragment.clone()));
        // Deterministic.
        assert_eq!(share::encode(&board), fragment, "{name}");
        // Far shorter than the JSON.
        assert!(fragment.len() < text.len() / 2, "{name}");
    }
}

#[test]
fn a_link_is_read_from_a_fragment_or_a_whole_url() {
    let (_, text) = &corpus()[0];
    let board = Board::from_json(text).unwrap();
    let fragment = share::encode(&board);
    for form in [
        fragment.clone(),
        format!("#{fragment}"),
        format!("https://storyreel.example/#{fragment}"),
        format!("  http://localhost:8080/editor?x=1#{fragment}\n"),
    ] {
        assert_eq!(share::decode(&form), Ok(board.clone()), "{form}");
    }
}

#[test]
fn local_only_references_are_named() {
    let (_, text) = corpus()
        .into_iter()
        .find(|(n, _)| n == "en-upload-pitch.board.json")
        .unwrap();
    let board = Board::from_json(&text).unwrap();
    assert_eq!(share::local_only_references(&board), vec!["founder"]);
    for (name, text) in corpus() {
        if name != "en-upload-pitch.board.json" {
            let board = Board::from_json(&text).unwrap();
            assert!(share::local_only_references(&board).is_empty(), "{name}");
        }
    }

    let board = Board {
        references: vec![
            Reference::image("a", "https://cdn.example.com/a.png"),
            Reference::image(
                "b",
                "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            ),
            Reference::image("c", "blob:https://storyreel.example/5f1c"),
            Reference::image("d", "data:image/png;base64,iVBORw0KGgo="),
            Reference::image("e", "https://localhost:8080/e.png"),
            Reference::image("f", "https://127.0.0.1/f.png"),
            Reference::image("g", "https://[::1]:9/g.png"),
            Reference::element("h", 7),
            Reference::video("i", "file:///home/me/i.mp4", VideoUse::Base),
            Reference::image("j", "http://example.com/j.png"),
            Reference::image("k", "https://user@example.com:8443/k.png"),
        ],
        ..Board::default()
    };
    assert_eq!(
        share::local_only_references(&board),
        vec!["b", "c", "d", "e", "f", "g", "i", "j"]
    );
}

// ------------------------------------------------------------------ refusals

fn small_board() -> Board {
    Board {
        title: "Fox".into(),
        shots: vec![Shot::new("A fox runs through the snow.", 5)],
        ..Board::default()
    }
}

/// A fragment holding `payload` (binary layout) as the encoder would pack it
/// without the dictionary; valid for the decoder all the same.
fn raw_fragment(payload: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(payload, 10);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

#[test]
fn too_long_is_refused_with_the_limit() {
    let text = format!("{PREFIX}{}", "A".repeat(MAX_FRAGMENT_CHARS));
    let err = share::decode(&text).unwrap_err();
    assert_eq!(
        err,
        ShareError::TooLong {
            len: MAX_FRAGMENT_CHARS + PREFIX.len(),
            max: MAX_FRAGMENT_CHARS
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the share link is {} characters long; the limit is {MAX_FRAGMENT_CHARS}",
            MAX_FRAGMENT_CHARS + PREFIX.len()
        )
    );
    // Multi-byte text under the cap in characters: its first odd character.
    let text = format!("{PREFIX}{}", "é".repeat(MAX_FRAGMENT_CHARS / 2 + 1));
    assert_eq!(
        share::decode(&text),
        Err(ShareError::BadAlphabet {
            position: 4,
            found: 'é'
        })
    );
}

#[test]
fn empty_and_foreign_text_is_not_a_link() {
    assert_eq!(share::decode(""), Err(ShareError::Empty));
    assert_eq!(share::decode("https://x.example/#"), Err(ShareError::Empty));
    assert_eq!(share::decode("hello"), Err(ShareError::NotALink));
    assert_eq!(share::decode("b.abc"), Err(ShareError::NotALink));
    assert_eq!(
        share::decode("hello").unwrap_err().to_string(),
        "this is not a Storyreel share link: it should start with 'b1.'"
    );
}

#[test]
fn an_unknown_version_is_named() {
    let fragment = share::encode(&small_board());
    let newer = fragment.replacen("b1.", "b2.", 1);
    let err = share::decode(&newer).unwrap_err();
    assert_eq!(
        err,
        ShareError::UnknownVersion {
            found: "2".into(),
            known: VERSION
        }
    );
    assert_eq!(
        err.to_string(),
        "the share link is version 2; this version of Storyreel reads version 1 only"
    );
    assert!(matches!(
        share::decode("b10.AAAA"),
        Err(ShareError::UnknownVersion { .. })
    ));
}

#[test]
fn a_character_outside_the_alphabet_is_placed() {
    let fragment = share::encode(&small_board());
    let mut chars: Vec<char> = fragment.chars().collect();
    chars[10] = '+';
    let bad: String = chars.into_iter().collect();
    let err = share::decode(&bad).unwrap_err();
    assert_eq!(
        err,
        ShareError::BadAlphabet {
            position: 11,
            found: '+'
        }
    );
    assert!(err.to_string().contains("'+' at character 11"), "{err}");
}

#[test]
fn damaged_links_are_corrupt() {
    let fragment = share::encode(&small_board());
    // Cut short.
    for cut in [
        PREFIX.len(),
        PREFIX.len() + 1,
        fragment.len() / 2,
        fragment.len() - 1,
    ] {
        let err = share::decode(&fragment[..cut]).unwrap_err();
        assert!(
            matches!(err, ShareError::Corrupt(_)),
            "cut at {cut}: {err:?}"
        );
    }
    // Bytes after the end of the DEFLATE stream.
    let mut packed = URL_SAFE_NO_PAD.decode(&fragment[PREFIX.len()..]).unwrap();
    packed.extend_from_slice(&[0, 0, 0]);
    let padded = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&packed));
    assert!(
        matches!(share::decode(&padded), Err(ShareError::Corrupt(m)) if m.contains("follow the end"))
    );
    // A layout with bytes left over / an unknown reference kind / a bad varint.
    let good = raw_fragment(&[0x20, 0, 0, 0, 1, 5, 1, b'x']);
    assert_eq!(
        share::decode(&good).map(|b| b.shots),
        Ok(vec![Shot::new("x", 5)])
    );
    for (payload, says) in [
        (vec![0x20, 0, 0, 0, 1, 5, 1, b'x', 9], "left over"),
        (
            vec![0x20, 0, 0, 1, 3, 1, b'a', 0, 1, 5, 0],
            "unknown reference kind",
        ),
        (vec![0x23, 0, 0, 0, 1, 5, 0], "unknown provider"),
        (vec![0x20, 0, 0, 0, 1, 0x85, 0, 0], "extra bytes"),
        (vec![0x20, 0, 0, 0, 1, 5, 2, 0xff, 0xfe], "UTF-8"),
        (vec![0x20, 0, 0, 0, 200, 1], "more than the link holds"),
        (vec![0x20, 0, 0], "ends before"),
    ] {
        match share::decode(&raw_fragment(&payload)) {
            Err(ShareError::Corrupt(m)) => assert!(m.contains(says), "{payload:?}: {m}"),
            other => panic!("{payload:?}: {other:?}"),
        }
    }
}

#[test]
fn a_zip_bomb_is_refused() {
    let bomb = raw_fragment(&vec![0u8; MAX_PAYLOAD_BYTES * 4]);
    assert!(bomb.len() < 2000, "{}", bomb.len());
    let err = share::decode(&bomb).unwrap_err();
    assert_eq!(
        err,
        ShareError::TooLarge {
            max: MAX_PAYLOAD_BYTES
        }
    );
    assert!(err.to_string().contains("65536"), "{err}");
}

#[test]
fn a_board_the_editor_cannot_hold_is_refused() {
    let mut seven = small_board();
    seven.shots = vec![Shot::new("x", 1); 7];
    let mut zero = small_board();
    zero.shots[0].duration = 0;
    let mut long = small_board();
    long.shots[0].duration = 16;
    let mut none = small_board();
    none.shots.clear();
    for board in [seven, zero, long, none] {
        match share::decode(&share::encode(&board)) {
            Err(ShareError::Invalid(BoardError::Invalid { problems })) => {
                assert!(!problems.is_empty())
            }
            other => panic!("{other:?}"),
        }
        assert!(Board::from_json_draft(&board.to_json()).is_err());
    }
    let err = {
        let mut b = small_board();
        b.shots = vec![Shot::new("x", 1); 7];
        share::decode(&share::encode(&b)).unwrap_err()
    };
    assert!(
        err.to_string()
            .starts_with("the share link's board cannot be opened: the board breaks"),
        "{err}"
    );
}

#[test]
fn a_board_too_big_to_share_is_refused_before_sharing() {
    let mut big = small_board();
    // Text that does not compress: a pseudo-random walk over CJK.
    let mut x: u32 = 12345;
    big.prompt = (0..40_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            char::from_u32(0x4e00 + (x >> 16) % 20_000).unwrap()
        })
        .collect();
    assert!(matches!(
        share::encode_checked(&big),
        Err(ShareError::TooLarge { .. } | ShareError::TooLong { .. })
    ));
    let fragment = share::encode(&big);
    assert!(share::decode(&fragment).is_err());
}

#[test]
fn every_board_within_the_prompt_limits_fits() {
    // The worst case: every prompt at its limit in 4-byte characters that
    // do not compress, and a long title and URLs.
    let mut x: u32 = 99;
    let mut noise = |n: usize| -> String {
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                char::from_u32(0x20000 + (x >> 16) % 40_000).unwrap()
            })
            .collect()
    };
    let board = Board {
        title: noise(100),
        prompt: noise(2500),
        references: (0..7)
            .map(|i| {
                Reference::image(
                    format!("r{i}"),
                    format!("https://e.example/{}", "x".repeat(200)),
                )
            })
            .collect(),
        shots: (0..6).map(|_| Shot::new(noise(512), 2)).collect(),
        ..Board::default()
    };
    let fragment = share::encode_checked(&board).expect("fits");
    assert_eq!(share::decode(&fragment), Ok(board));
}

// ------------------------------------------------------------------ properties

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z @.,:\"'!?-]{0,80}",
        any::<String>(),
        "[\\p{Han}\\p{Hiragana}\\p{Katakana} 。、「」]{0,40}",
        Just(String::new()),
    ]
}

fn any_reference() -> impl Strategy<Value = Reference> {
    (
        "[a-z0-9_-]{0,24}|.{0,4}",
        prop_oneof![
            any_text().prop_map(|src| ReferenceKind::Image { src }),
            any::<u64>().prop_map(|element_id| ReferenceKind::Element { element_id }),
            (any_text(), any::<bool>(), any::<bool>()).prop_map(|(src, base, keep_sound)| {
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
        .prop_map(|(name, kind)| Reference { name, kind })
}

/// Any board the model can hold, valid or not.
fn any_board() -> impl Strategy<Value = Board> {
    (
        (
            any_text(),
            prop::sample::select(Provider::ALL.to_vec()),
            prop::sample::select(Mode::ALL.to_vec()),
            prop::sample::select(AspectRatio::ALL.to_vec()),
            any::<bool>(),
            any_text(),
        ),
        prop::collection::vec(any_reference(), 0..9),
        prop::option::of(any_text()),
        prop::option::of(any_text()),
        prop::collection::vec((any_text(), prop_oneof![1u32..8, any::<u32>()]), 0..8),
    )
        .prop_map(
            |((title, provider, mode, aspect_ratio, sound, prompt), references, ff, lf, shots)| {
                Board {
                    title,
                    provider,
                    mode,
                    aspect_ratio,
                    sound,
                    prompt,
                    references,
                    first_frame: ff,
                    last_frame: lf,
                    shots: shots
                        .into_iter()
                        .map(|(prompt, duration)| Shot { prompt, duration })
                        .collect(),
                    ..Board::default()
                }
            },
        )
}

/// A board the editor can hold: 1 to 6 shots within the total.
fn draft_board() -> impl Strategy<Value = Board> {
    (
        any_board(),
        prop::collection::vec((any_text(), 1u32..=3), 1..=5),
    )
        .prop_map(|(mut board, shots)| {
            board
                .references
                .retain(|r| !matches!(r.kind, ReferenceKind::Video { .. }));
            board.shots = shots
                .into_iter()
                .map(|(prompt, duration)| Shot { prompt, duration })
                .collect();
            board
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn editor_boards_round_trip_exactly(board in draft_board()) {
        prop_assert!(Board::from_json_draft(&board.to_json()).is_ok());
        let fragment = share::encode(&board);
        prop_assert_eq!(share::decode(&fragment), Ok(board));
    }

    /// The link is exactly as strict as importing the board's file.
    #[test]
    fn decoding_is_as_strict_as_import(board in any_board()) {
        let fragment = share::encode(&board);
        match (share::decode(&fragment), Board::from_json_draft(&board.to_json())) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(&a, &board);
                prop_assert_eq!(a, b);
            }
            (Err(ShareError::Invalid(a)), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "link {:?}, import {:?}", a, b),
        }
    }

    #[test]
    fn any_text_gives_a_board_or_an_error(text in any::<String>()) {
        let _ = share::decode(&text);
        let _ = share::decode(&format!("{PREFIX}{text}"));
    }

    #[test]
    fn any_alphabet_text_gives_a_board_or_an_error(body in "[A-Za-z0-9_-]{0,400}") {
        let _ = share::decode(&format!("{PREFIX}{body}"));
    }

    #[test]
    fn any_bytes_give_a_board_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = share::decode(&format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes)));
        // And as a layout, packed validly.
        let _ = share::decode(&raw_fragment(&bytes));
    }

    #[test]
    fn mutated_links_give_a_board_or_an_error(
        board in draft_board(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>()), 1..6),
    ) {
        let fragment = share::encode(&board);
        let mut packed = URL_SAFE_NO_PAD.decode(&fragment[PREFIX.len()..]).unwrap();
        let mut chars: Vec<char> = fragment.chars().collect();
        for (at, how, value) in edits {
            match how {
                0 if !packed.is_empty() => {
                    let i = at.index(packed.len());
                    packed[i] ^= value | 1;
                }
                1 if !packed.is_empty() => {
                    packed.truncate(at.index(packed.len()));
                }
                2 => {
                    let i = at.index(packed.len() + 1);
                    packed.insert(i, value);
                }
                _ => {
                    let i = at.index(chars.len());
                    chars[i] = char::from(value);
                }
            }
        }
        let _ = share::decode(&format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&packed)));
        let _ = share::decode(&chars.into_iter().collect::<String>());
    }
}

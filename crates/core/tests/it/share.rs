//! Share links: the corpus round-trips, every refusal names its problem,
//! and no input makes the decoder panic.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use proptest::prelude::*;

use storyreel_core::share::{
    self, ShareError, MAX_FRAGMENT_CHARS, MAX_PAYLOAD_BYTES, PREFIX, PREFIX_V1, VERSION,
};
use storyreel_core::{
    AspectRatio, Board, BoardError, Provider, Reference, ReferenceKind, Resolution, Shot, VideoUse,
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

/// A corpus file (board format 1) as format 2 writes it: the tag, the
/// mode as a resolution and element ids as strings.
fn upgraded_json(v1: &str) -> String {
    let mut out = v1
        .replace("\"format\": \"storyreel/1\"", "\"format\": \"storyreel/2\"")
        .replace("\"mode\": \"std\"", "\"resolution\": \"720p\"")
        .replace("\"mode\": \"pro\"", "\"resolution\": \"1080p\"");
    let key = "\"element_id\": ";
    let mut from = 0;
    while let Some(at) = out[from..].find(key).map(|i| from + i + key.len()) {
        let digits = out[at..].bytes().take_while(u8::is_ascii_digit).count();
        let id = out[at..at + digits].to_string();
        out.replace_range(at..at + digits, &format!("\"{id}\""));
        from = at;
    }
    out
}

#[test]
fn corpus_files_are_as_format_1_wrote_them() {
    // The corpus stays in format 1 (it is also a set of version-1 files);
    // the benchmark gives lz-string the JSON an export makes of them now.
    for (name, text) in corpus() {
        assert!(text.contains("\"format\": \"storyreel/1\""), "{name}");
        let board = Board::from_json_draft(&text).unwrap();
        assert_eq!(board.to_json(), upgraded_json(&text), "{name}");
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

/// [`raw_fragment`] for a version-1 layout.
fn raw_fragment_v1(payload: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(payload, 10);
    format!("{PREFIX_V1}{}", URL_SAFE_NO_PAD.encode(packed))
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
        "this is not a Storyreel share link: it should start with 'b2.'"
    );
}

#[test]
fn an_unknown_version_is_named() {
    let fragment = share::encode(&small_board());
    assert!(fragment.starts_with("b2."), "{fragment}");
    let newer = fragment.replacen("b2.", "b3.", 1);
    let err = share::decode(&newer).unwrap_err();
    assert_eq!(
        err,
        ShareError::UnknownVersion {
            found: "3".into(),
            known: VERSION
        }
    );
    assert_eq!(
        err.to_string(),
        "the share link is version 3; this version of Storyreel reads versions 1 ('b1.') and 2 ('b2.') only"
    );
    assert!(matches!(
        share::decode(&fragment.replacen("b2.", "b0.", 1)),
        Err(ShareError::UnknownVersion { found, .. }) if found == "0"
    ));
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
    let good = raw_fragment(&PLAIN);
    assert_eq!(
        share::decode(&good).map(|b| b.shots),
        Ok(vec![Shot::new("x", 5)])
    );
    for (payload, says) in [
        (vec![0x29, 0, 0, 0, 1, 5, 1, b'x', 9], "left over"),
        (
            vec![0x29, 0, 0, 1, 3, 1, b'a', 0, 1, 5, 0],
            "unknown reference kind",
        ),
        (
            vec![0x3b, 0, 0, 0, 1, 5, 0],
            "the settings are 27; the limit is 26",
        ),
        (
            vec![0x3f, 0, 0, 0, 1, 5, 0],
            "the settings are 31; the limit is 26",
        ),
        (vec![0x29, 0, 0, 0, 1, 0x85, 0, 0], "extra bytes"),
        (vec![0x29, 0, 0, 0, 1, 5, 2, 0xff, 0xfe], "UTF-8"),
        (vec![0x29, 0, 0, 0, 200, 1], "more than the link holds"),
        (vec![0x29, 0, 0], "ends before"),
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
            any_element_id().prop_map(|element_id| ReferenceKind::Element {
                element_id,
                character: None
            }),
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

/// Element ids: Kling's (numbers up to 19 digits) and any other string a
/// draft may hold (leading zeros, 20 digits, not digits, empty).
fn any_element_id() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        (0u64..=9_999_999_999_999_999_999).prop_map(|n| n.to_string()),
        "[0-9]{1,22}",
        any_text(),
    ]
}

/// Any board the model can hold, valid or not.
fn any_board() -> impl Strategy<Value = Board> {
    (
        (
            any_text(),
            prop::sample::select(Provider::ALL.to_vec()),
            prop::sample::select(Resolution::ALL.to_vec()),
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
            |(
                (title, provider, resolution, aspect_ratio, sound, prompt),
                references,
                ff,
                lf,
                shots,
            )| {
                Board {
                    title,
                    provider,
                    resolution,
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

// ------------------------------------------------------------------ take video

const TAKE: &str = "https://cdn.klingai.example/o3/take-7f3a.mp4?sig=Q2x8&exp=1767225600";

/// `layout` with the take section (tag 1, then the URL as a string) after it.
fn with_take(layout: &[u8], url: &str) -> Vec<u8> {
    let mut out = layout.to_vec();
    out.push(1);
    let mut n = url.len();
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out.extend_from_slice(url.as_bytes());
    out
}

/// The layout of a 5-second "x" shot and nothing else (Kling, 16:9,
/// 1080p, sound: settings 9).
const PLAIN: [u8; 8] = [0x29, 0, 0, 0, 1, 5, 1, b'x'];

#[test]
fn a_take_travels_with_every_corpus_board() {
    for (name, text) in corpus() {
        let board = Board::from_json_draft(&text).unwrap();
        let with = share::encode_shared(&board, Some(TAKE)).unwrap();
        assert!(with.starts_with(PREFIX), "{name}");
        assert_eq!(
            share::decode_shared(&with),
            Ok(share::Shared {
                board: board.clone(),
                take_url: Some(TAKE.into())
            }),
            "{name}"
        );
        // decode gives the board alone.
        assert_eq!(share::decode(&with), Ok(board.clone()), "{name}");
        // Deterministic, and no take is the link encode makes.
        assert_eq!(share::encode_shared(&board, Some(TAKE)), Ok(with.clone()));
        let without = share::encode_shared(&board, None).unwrap();
        assert_eq!(without, share::encode(&board), "{name}");
        assert_eq!(
            share::decode_shared(&format!("https://storyreel.example/#{without}")),
            Ok(share::Shared {
                board,
                take_url: None
            }),
            "{name}"
        );
        assert!(with.len() > without.len(), "{name}");
    }
}

#[test]
fn a_link_made_before_takes_reads_as_before() {
    // Made by the encoder before the take section existed (at fbaed52).
    let old = "b1.U2B2y69gYGBklXEExlgFOOEBQwCYPtMz4PlLDwA";
    let board = small_board();
    // Shared now, it is a version-2 link.
    assert!(share::encode(&board).starts_with("b2."));
    assert_eq!(
        share::decode_shared(old),
        Ok(share::Shared {
            board: board.clone(),
            take_url: None
        })
    );
    assert_eq!(share::decode(old), Ok(board));
    // The same by hand: a layout that ends after its shots, in both
    // versions (version 1's pro bit is clear: 0x20).
    let shared = share::decode_shared(&raw_fragment(&PLAIN)).unwrap();
    assert_eq!(
        (shared.board.shots, shared.take_url),
        (vec![Shot::new("x", 5)], None)
    );
    let mut v1 = PLAIN;
    v1[0] = 0x20;
    let shared = share::decode_shared(&raw_fragment_v1(&v1)).unwrap();
    assert_eq!(
        (shared.board.resolution, shared.board.shots, shared.take_url),
        (Resolution::P1080, vec![Shot::new("x", 5)], None)
    );
}

#[test]
fn the_take_section_is_read_strictly() {
    let shared = share::decode_shared(&raw_fragment(&with_take(&PLAIN, TAKE))).unwrap();
    assert_eq!(shared.take_url.as_deref(), Some(TAKE));
    assert_eq!(shared.board.shots, vec![Shot::new("x", 5)]);
    // And the encoder writes exactly that layout.
    assert_eq!(
        share::fuzz_layout(&shared.board, Some(TAKE)),
        with_take(&PLAIN, TAKE)
    );
    let long = format!("https://e.example/{}", "v".repeat(300));
    let shared = share::decode_shared(&raw_fragment(&with_take(&PLAIN, &long))).unwrap();
    assert_eq!(shared.take_url, Some(long));

    let mut after = with_take(&PLAIN, TAKE);
    after.push(1);
    let mut cut = with_take(&PLAIN, TAKE);
    cut.pop();
    let mut tag_only = PLAIN.to_vec();
    tag_only.push(1);
    let mut other_tag = PLAIN.to_vec();
    other_tag.extend_from_slice(&[2, 0]);
    let mut bad_utf8 = PLAIN.to_vec();
    bad_utf8.extend_from_slice(&[1, 2, 0xc3, 0x28]);
    for (payload, says) in [
        (after, "1 bytes are left over after the take video's URL"),
        (cut, "the take video's URL is cut short"),
        (tag_only, "it ends before the take video's URL"),
        (other_tag, "2 bytes are left over after the last shot"),
        (bad_utf8, "the take video's URL is not valid UTF-8"),
    ] {
        match share::decode_shared(&raw_fragment(&payload)) {
            Err(ShareError::Corrupt(m)) => assert_eq!(m, says, "{payload:?}"),
            other => panic!("{payload:?}: {other:?}"),
        }
        assert!(matches!(
            share::decode(&raw_fragment(&payload)),
            Err(ShareError::Corrupt(_))
        ));
    }
}

#[test]
fn bad_take_urls_are_refused_on_both_sides() {
    let too_long = format!(
        "https://e.example/{}",
        "x".repeat(share::MAX_TAKE_URL_CHARS)
    );
    let problem = format!("is {} characters long", too_long.len());
    for (url, problem) in [
        (
            "javascript:alert(document.cookie)",
            "is a 'javascript:' URL",
        ),
        (
            "JavaScript:alert(1)//https://e.example/",
            "is a 'JavaScript:' URL",
        ),
        ("data:video/mp4;base64,AAAAIGZ0eXBpc29t", "is a 'data:' URL"),
        ("blob:https://storyreel.example/5f1c", "is a 'blob:' URL"),
        ("file:///home/me/take.mp4", "is a 'file:' URL"),
        (
            "cdn.example.com/take.mp4",
            "does not start with http:// or https://",
        ),
        (too_long.as_str(), problem.as_str()),
        (
            "https://user@cdn.example.com/t.mp4",
            "has a user name before its host ('@')",
        ),
        (
            "https://cdn.example.com@evil.example/t.mp4",
            "has a user name before its host ('@')",
        ),
        (
            "https://user:pw@cdn.example.com:8443/",
            "has a user name before its host ('@')",
        ),
        ("https:///t.mp4", "has no host"),
        ("https://e.example/a b.mp4", "has ' ' at character 20"),
        ("https://e.example/\u{0}", "has '\\0' at character 19"),
        (
            "https://e.example/\u{2028}",
            "has '\\u{2028}' at character 19",
        ),
        ("", "is empty"),
    ] {
        let expected = ShareError::BadTakeUrl {
            problem: problem.into(),
        };
        assert_eq!(share::check_take_url(url), Err(expected.clone()), "{url}");
        assert_eq!(
            share::encode_shared(&small_board(), Some(url)),
            Err(expected.clone()),
            "{url}"
        );
        // A link made by hand with it is refused, by decode as well.
        let link = raw_fragment(&with_take(&PLAIN, url));
        assert_eq!(share::decode_shared(&link), Err(expected.clone()), "{url}");
        assert_eq!(share::decode(&link), Err(expected), "{url}");
    }
    let err = share::encode_shared(&small_board(), Some("javascript:alert(1)")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the take video URL is a 'javascript:' URL; it must be an http:// or https:// URL \
         with a host and no user name, at most 2048 characters, without whitespace or \
         control characters"
    );
    // At the limit is fine; an '@' after the host is not a user name.
    let at_limit = &too_long[..share::MAX_TAKE_URL_CHARS];
    for url in [
        at_limit,
        "https://cdn.example.com/@me/t.mp4?by=a@b",
        "http://[::1]:9/t",
    ] {
        let fragment = share::encode_shared(&small_board(), Some(url)).unwrap();
        assert_eq!(
            share::decode_shared(&fragment).map(|s| s.take_url),
            Ok(Some(url.to_string()))
        );
    }
}

#[test]
fn a_bad_board_is_refused_before_its_take() {
    let mut seven = small_board();
    seven.shots = vec![Shot::new("x", 1); 7];
    let link = share::encode_shared(&seven, Some(TAKE)).unwrap();
    assert!(matches!(
        share::decode_shared(&link),
        Err(ShareError::Invalid(_))
    ));
}

/// A take URL at its limit that does not compress.
fn noisy_take() -> String {
    let mut x: u32 = 7;
    let noise: String = (0..share::MAX_TAKE_URL_CHARS - 18)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            char::from(
                b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    [(x >> 16) as usize % 62],
            )
        })
        .collect();
    let take = format!("https://e.example/{noise}");
    assert_eq!(take.len(), share::MAX_TAKE_URL_CHARS);
    take
}

#[test]
fn a_take_counts_toward_the_size_cap() {
    // A board that barely fits alone, prompt far past its limit.
    let mut board = small_board();
    let mut y: u32 = 12345;
    let alone = loop {
        for _ in 0..256 {
            y = y.wrapping_mul(1_103_515_245).wrapping_add(12345);
            board
                .prompt
                .push(char::from_u32(0x4e00 + (y >> 16) % 20_000).unwrap());
        }
        let fragment = share::encode_checked(&board).expect("fits alone");
        if fragment.len() > MAX_FRAGMENT_CHARS - 1000 {
            break fragment;
        }
    };
    match share::encode_shared(&board, Some(&noisy_take())) {
        Err(ShareError::TooLong { len, max }) => {
            assert_eq!(max, MAX_FRAGMENT_CHARS);
            assert!(
                len > alone.len() + 1500,
                "{len} with, {} alone",
                alone.len()
            );
        }
        other => panic!("{other:?}"),
    }
}

/// The worst board of `every_board_within_the_prompt_limits_fits`.
fn worst_board() -> Board {
    let mut x: u32 = 99;
    let mut noise = |n: usize| -> String {
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                char::from_u32(0x20000 + (x >> 16) % 40_000).unwrap()
            })
            .collect()
    };
    Board {
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
    }
}

#[test]
fn every_board_within_the_prompt_limits_fits_with_a_take() {
    // In ASCII, and in 4-byte characters (other than the board's).
    let mut x: u32 = 5;
    let wide: String = (0..share::MAX_TAKE_URL_CHARS - 18)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            char::from_u32(0x30000 + (x >> 16) % 4_000).unwrap()
        })
        .collect();
    let wide = format!("https://e.example/{wide}");
    assert_eq!(wide.chars().count(), share::MAX_TAKE_URL_CHARS);
    let board = worst_board();
    for take in [noisy_take(), wide] {
        let fragment = share::encode_shared(&board, Some(&take)).expect("fits");
        assert_eq!(
            share::decode_shared(&fragment),
            Ok(share::Shared {
                board: board.clone(),
                take_url: Some(take)
            })
        );
    }
}

fn valid_take_url() -> impl Strategy<Value = String> {
    (
        "(https|http|HTTPS|Http)://",
        prop_oneof![
            "[a-z0-9-]{1,20}(\\.[a-z0-9-]{1,20}){0,3}",
            "\\[[0-9a-f:]{2,39}\\]",
            "[0-9]{1,3}(\\.[0-9]{1,3}){3}",
        ],
        "(:[0-9]{1,5})?",
        prop_oneof![
            "(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,40}){0,6}",
            "/[\\p{L}\\p{N}/._@-]{0,60}",
        ],
        "(\\?[A-Za-z0-9=&%._~@:/?-]{0,200})?",
        "(#[A-Za-z0-9=&%._~@:/?#-]{0,40})?",
    )
        .prop_map(|(scheme, host, port, path, query, hash)| {
            format!("{scheme}{host}{port}{path}{query}{hash}")
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn boards_with_a_take_round_trip(board in draft_board(), url in valid_take_url()) {
        prop_assert_eq!(share::check_take_url(&url), Ok(()));
        let fragment = share::encode_shared(&board, Some(&url)).unwrap();
        let back = share::decode_shared(&fragment).unwrap();
        prop_assert_eq!(&back.board, &board);
        prop_assert_eq!(back.take_url.as_deref(), Some(url.as_str()));
        prop_assert_eq!(share::decode(&fragment), Ok(board));
    }

    #[test]
    fn take_urls_with_a_user_name_are_refused(
        url in valid_take_url(),
        user in "[A-Za-z0-9._~%-]{0,12}(:[A-Za-z0-9]{0,8})?",
    ) {
        let (scheme, rest) = url.split_once("://").unwrap();
        let url = format!("{scheme}://{user}@{rest}");
        let refused = ShareError::BadTakeUrl {
            problem: "has a user name before its host ('@')".into(),
        };
        prop_assert_eq!(share::encode_shared(&small_board(), Some(&url)), Err(refused.clone()));
        let link = raw_fragment(&with_take(&PLAIN, &url));
        prop_assert_eq!(share::decode_shared(&link), Err(refused));
    }

    #[test]
    fn any_take_text_is_shared_or_refused_alike(url in prop_oneof![any::<String>(), valid_take_url()]) {
        let link = raw_fragment(&with_take(&PLAIN, &url));
        match (share::encode_shared(&small_board(), Some(&url)), share::decode_shared(&link)) {
            (Ok(fragment), Ok(shared)) => {
                prop_assert_eq!(shared.take_url.as_deref(), Some(url.as_str()));
                prop_assert_eq!(share::decode_shared(&fragment).map(|s| s.take_url), Ok(Some(url)));
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "encode {:?}, decode {:?}", a, b),
        }
    }
}

#[test]
fn uploads_travel_as_the_servers_public_links() {
    let hash = "ab".repeat(32);
    let mut board = small_board();
    board.references = vec![
        storyreel_core::Reference::image("mia", format!("upload:{hash}")),
        storyreel_core::Reference::image("sky", "https://cdn.example.com/sky.jpg"),
        storyreel_core::Reference::image("draft", "data:image/png;base64,AAAA"),
    ];
    // No public address: nothing changes, and the upload is named.
    let same = share::for_recipients(&board, None);
    assert_eq!(same, board);
    assert_eq!(share::local_only_references(&same), vec!["mia", "draft"]);

    let out = share::for_recipients(&board, Some("https://media.example.net/uploads/"));
    assert_eq!(
        out.references[0].src(),
        Some(format!("https://media.example.net/uploads/{hash}").as_str())
    );
    assert_eq!(out.references[1], board.references[1]);
    assert_eq!(out.references[2], board.references[2]);
    assert_eq!(share::local_only_references(&out), vec!["draft"]);
    assert!(share::is_browser_only("data:image/png;base64,AAAA"));
    assert!(share::is_browser_only("blob:https://x/1"));
    assert!(!share::is_browser_only(&format!("upload:{hash}")));
}

// ------------------------------------------------------------------ version 1 links

/// The links in `fixtures/share-v1/links.tsv`: made by the encoder before
/// board format 2 (at 98a336f) from the share corpus, each without and
/// with [`TAKE`]. As (corpus board name, with the take, link).
fn v1_links() -> Vec<(String, bool, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/share-v1/links.tsv");
    std::fs::read_to_string(path)
        .expect("the version-1 links")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (name, link) = l.split_once('\t').expect("name, tab, link");
            let (name, take) = match name.strip_suffix("+take") {
                Some(n) => (n, true),
                None => (name, false),
            };
            (name.to_string(), take, link.to_string())
        })
        .collect()
}

fn corpus_board(name: &str) -> (String, Board) {
    let text = std::fs::read_to_string(corpus_dir().join(format!("{name}.board.json")))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let board = Board::from_json_draft(&text).unwrap();
    (text, board)
}

#[test]
fn version_1_links_open_as_the_boards_upgraded() {
    let links = v1_links();
    assert_eq!(links.len(), 2 * corpus().len());
    let mut elements = 0;
    for (name, take, link) in links {
        assert!(link.starts_with(PREFIX_V1), "{name}");
        let (text, board) = corpus_board(&name);
        // The board as format 2 reads its version-1 file: std → 720p,
        // pro → 1080p, element ids as the digits of their numbers.
        let resolution = if text.contains("\"mode\": \"std\"") {
            Resolution::P720
        } else {
            Resolution::P1080
        };
        assert_eq!(board.resolution, resolution, "{name}");
        let shared = share::decode_shared(&link).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            shared,
            share::Shared {
                board: board.clone(),
                take_url: take.then(|| TAKE.to_string())
            },
            "{name}"
        );
        for r in shared.board.elements() {
            let ReferenceKind::Element { element_id, .. } = &r.kind else {
                unreachable!()
            };
            assert!(
                text.contains(&format!("\"element_id\": {element_id}")),
                "{name}"
            );
            elements += 1;
        }
        // Shared again, it is a version-2 link holding the same.
        let again = share::encode_shared(&board, take.then_some(TAKE)).unwrap();
        assert!(again.starts_with(PREFIX), "{name}");
        assert_eq!(share::decode_shared(&again), Ok(shared), "{name}");
        // As a whole URL too.
        let url = format!("https://storyreel.example/#{link}");
        assert_eq!(share::decode(&url), Ok(board), "{name}");
    }
    assert!(elements >= 4, "{elements} elements");
}

#[test]
fn version_2_links_are_as_short_as_version_1() {
    let mut total = (0, 0);
    let mut report = String::new();
    for (name, take, v1) in v1_links() {
        let (_, board) = corpus_board(&name);
        let v2 = share::encode_shared(&board, take.then_some(TAKE)).unwrap();
        report.push_str(&format!(
            "{name}{}: b1 {} b2 {}\n",
            if take { "+take" } else { "" },
            v1.len(),
            v2.len()
        ));
        assert!(
            v2.len() <= v1.len() + 4,
            "{name}: b2 {} characters, b1 {}",
            v2.len(),
            v1.len()
        );
        total.0 += v1.len();
        total.1 += v2.len();
    }
    eprintln!("{report}total: b1 {} b2 {}", total.0, total.1);
    assert!(total.1 <= total.0 + total.0 / 100, "{total:?}");
}

#[test]
fn a_version_1_layout_reads_as_before() {
    // Flags: provider fal (1), std (bit 2), 9:16 (1 << 3), sound; an
    // element whose id is u64::MAX, which version 1 could write.
    let mut layout = vec![0x20 | 1 | 4 | 1 << 3, 0, 0, 1, 1, 1, b'e'];
    layout.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    layout.extend_from_slice(&[1, 5, 1, b'x']);
    let board = share::decode(&raw_fragment_v1(&layout)).unwrap();
    assert_eq!(
        (
            board.provider,
            board.resolution,
            board.aspect_ratio,
            board.sound
        ),
        (Provider::Fal, Resolution::P720, AspectRatio::Portrait, true)
    );
    assert_eq!(board.references, vec![Reference::element("e", u64::MAX)]);
    assert_eq!(share::fuzz_layout_v1(&board, None), Some(layout.clone()));
    // Twenty digits: carried as text in version 2.
    let again = share::decode(&share::encode(&board)).unwrap();
    assert_eq!(again, board);
    // Version 1's unused values stay errors; its mode bit has no 4K.
    for (flags, says) in [(0x23, "unknown provider"), (0x38, "unknown aspect ratio")] {
        let mut bad = layout.clone();
        bad[0] = flags;
        match share::decode(&raw_fragment_v1(&bad)) {
            Err(ShareError::Corrupt(m)) => assert_eq!(m, says),
            other => panic!("{flags:#x}: {other:?}"),
        }
    }
    let k4 = Board {
        resolution: Resolution::K4,
        ..board
    };
    assert_eq!(share::fuzz_layout_v1(&k4, None), None);
}

fn board_with_elements(ids: &[&str]) -> Board {
    let mut board = Board {
        title: String::new(),
        ..small_board()
    };
    board.shots = vec![Shot::new("x", 5)];
    board.references = ids
        .iter()
        .enumerate()
        .map(|(i, id)| Reference::element(format!("e{i}"), id))
        .collect();
    board
}

#[test]
fn four_k_and_long_element_ids_round_trip() {
    let ids = [
        "9999999999999999999", // 19 digits, the most Kling's ids have
        "1000000000000000000",
        "860019735912247296",
        "0",
        "7",
        "0042",                 // a leading zero: text
        "18446744073709551615", // 20 digits: text
        "123456789012345678901234567890",
        "",
        "abc",
    ];
    for resolution in Resolution::ALL {
        let board = Board {
            resolution,
            ..board_with_elements(&ids)
        };
        let fragment = share::encode(&board);
        assert!(fragment.starts_with("b2."), "{fragment}");
        assert_eq!(
            share::decode(&fragment),
            Ok(board.clone()),
            "{resolution:?}"
        );
        let with = share::encode_shared(&board, Some(TAKE)).unwrap();
        assert_eq!(
            share::decode_shared(&with),
            Ok(share::Shared {
                board,
                take_url: Some(TAKE.into())
            })
        );
    }
}

#[test]
fn an_element_id_has_one_layout() {
    // A number up to 19 digits is a varint (tag 1), as compact as version
    // 1; anything else is text (tag 5).
    let layout = share::fuzz_layout(&board_with_elements(&["12"]), None);
    assert_eq!(&layout[..7], &[0x29, 0, 0, 1, 1, 2, b'e']);
    assert_eq!(&layout[7..9], &[b'0', 12]);
    let layout = share::fuzz_layout(&board_with_elements(&["012"]), None);
    assert_eq!(&layout[3..12], &[1, 5, 2, b'e', b'0', 3, b'0', b'1', b'2']);
    let nineteen = share::fuzz_layout(&board_with_elements(&["9999999999999999999"]), None);
    assert_eq!(nineteen.len(), PLAIN.len() + 4 + 10, "a 10-byte varint");

    let shots = [1, 5, 1, b'x'];
    let with_ref = |reference: &[u8]| {
        let mut out = vec![0x29, 0, 0, 1];
        out.extend_from_slice(reference);
        out.extend_from_slice(&shots);
        out
    };
    // Text where a number belongs, a number past 19 digits, unknown bits.
    let mut too_big = vec![1, 1, b'e'];
    too_big.extend_from_slice(&[0x80, 0x80, 0xa0, 0xcf, 0xc8, 0xe0, 0xc8, 0xe3, 0x8a, 0x01]);
    for (reference, says) in [
        (
            vec![5, 1, b'e', 2, b'1', b'2'],
            "the element id '12' is written as text; a number is written as a number",
        ),
        (
            vec![5, 1, b'e', 1, b'0'],
            "the element id '0' is written as text; a number is written as a number",
        ),
        (
            too_big,
            "an element's id is 10000000000000000000; the limit is 9999999999999999999",
        ),
        (vec![9, 1, b'e', 1], "unknown reference kind 9"),
        (vec![4, 1, b'e', 0], "unknown reference kind 4"),
        (vec![3, 1, b'e', 0], "unknown reference kind 3"),
    ] {
        match share::decode(&raw_fragment(&with_ref(&reference))) {
            Err(ShareError::Corrupt(m)) => assert_eq!(m, says, "{reference:?}"),
            other => panic!("{reference:?}: {other:?}"),
        }
    }
    // The same varint is a fine version-1 id.
    let mut v1 = with_ref(&[
        1, 1, b'e', 0x80, 0x80, 0xa0, 0xcf, 0xc8, 0xe0, 0xc8, 0xe3, 0x8a, 0x01,
    ]);
    v1[0] = 0x20;
    let board = share::decode(&raw_fragment_v1(&v1)).unwrap();
    assert_eq!(
        board.references,
        vec![Reference::element("e", "10000000000000000000")]
    );
}

#[test]
fn every_setting_has_its_own_byte() {
    let mut seen = std::collections::BTreeSet::new();
    for provider in Provider::ALL {
        for aspect_ratio in AspectRatio::ALL {
            for resolution in Resolution::ALL {
                for sound in [false, true] {
                    let board = Board {
                        provider,
                        aspect_ratio,
                        resolution,
                        sound,
                        ..small_board()
                    };
                    let flags = share::fuzz_layout(&board, None)[0];
                    assert!(flags & 0x1f < 27, "{flags:#x}");
                    assert!(seen.insert(flags), "{flags:#x} twice");
                    assert_eq!(share::decode(&share::encode(&board)), Ok(board));
                }
            }
        }
    }
    assert_eq!(seen.len(), 54);
}

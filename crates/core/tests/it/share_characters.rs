//! Share links carry library characters: their element id, pictures and
//! voice travel in layout version 2's character section, a recipient is
//! told what an element id is worth, and pictures only this server holds
//! are named or published.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use storyreel_core::character::{CharacterLink, Look, Voice, VoiceSource};
use storyreel_core::share::{self, ShareError, PREFIX};
use storyreel_core::{Board, Reference, Shot};

const UP: &str = "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn images(front: &str, others: &[&str]) -> Look {
    Look::Images {
        frontal: front.into(),
        others: others.iter().map(|s| s.to_string()).collect(),
    }
}

fn cast_board() -> Board {
    let mia = CharacterLink {
        id: "c-mia".into(),
        look: images(UP, &["https://example.com/mia-side.png"]),
        voice: Some(Voice {
            voice_id: "829824295735410756".into(),
            name: "Sunny girl".into(),
            source: VoiceSource::Preset,
            trial_url: Some("https://example.com/trial.mp3".into()),
        }),
    };
    let tom = CharacterLink {
        id: "c-tom".into(),
        look: Look::Video {
            src: "https://example.com/tom.mp4".into(),
        },
        voice: Some(Voice {
            voice_id: "v1".into(),
            name: "Tom".into(),
            source: VoiceSource::Cloned,
            trial_url: None,
        }),
    };
    let ann = CharacterLink {
        id: "c-ann".into(),
        look: images(
            "https://example.com/ann.png",
            &[
                "https://example.com/a.png",
                "https://example.com/b.png",
                "https://example.com/c.png",
            ],
        ),
        voice: None,
    };
    Board {
        title: "Market".into(),
        references: vec![
            Reference::character("mia", "860000000000000001", mia),
            Reference::character("tom", "", tom),
            Reference::character("ann", "0123", ann),
            Reference::element("lamp", "7"),
            Reference::image("stall", "https://example.com/stall.png"),
        ],
        shots: vec![Shot::new("@mia and @tom talk at @stall.", 5)],
        ..Board::default()
    }
}

fn raw_fragment(payload: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(payload, 10);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

#[test]
fn a_board_with_characters_round_trips() {
    let board = cast_board();
    let fragment = share::encode_checked(&board).unwrap();
    assert!(fragment.starts_with("b2."));
    assert_eq!(share::decode(&fragment), Ok(board.clone()));
    // With a take too.
    let with_take = share::encode_shared(&board, Some("https://example.com/take.mp4")).unwrap();
    let shared = share::decode_shared(&with_take).unwrap();
    assert_eq!(shared.board, board);
    // The fuzz target's check: the layout read back is the one written.
    assert_eq!(share::fuzz_accepted(&share::fuzz_layout(&board, None)), 1);
}

#[test]
fn a_plain_element_is_written_as_before() {
    // An element without a character keeps the tag 1 layout of the first
    // version-2 links: flags, title, prompt, count, then tag 1.
    let board = Board {
        references: vec![Reference::element("lamp", "7")],
        shots: vec![Shot::new("@lamp glows.", 5)],
        ..Board::default()
    };
    let layout = share::fuzz_layout(&board, None);
    assert_eq!(layout[4], 1);
    assert_eq!(&layout[5..11], b"\x04lamp\x07");
}

#[test]
fn character_bits_without_a_character_are_refused() {
    let board = Board {
        references: vec![Reference::element("lamp", "7")],
        shots: vec![Shot::new("@lamp glows.", 5)],
        ..Board::default()
    };
    let layout = share::fuzz_layout(&board, None);
    assert_eq!(share::decode(&raw_fragment(&layout)), Ok(board));
    // Bits 3, 5, 6 need bit 4; bit 6 needs bit 5; bit 7 is unknown.
    for tag in [1 | 8, 1 | 32, 1 | 64, 1 | 16 | 64, 1 | 128] {
        let mut bad = layout.clone();
        bad[4] = tag;
        match share::decode(&raw_fragment(&bad)) {
            Err(ShareError::Corrupt(why)) => {
                assert!(why.contains("unknown reference kind"), "{tag}: {why}")
            }
            other => panic!("tag {tag}: {other:?}"),
        }
    }
    // Bit 4 with nothing after the id: cut short.
    let mut cut = layout.clone();
    cut[4] = 1 | 16;
    assert!(matches!(
        share::decode(&raw_fragment(&cut)),
        Err(ShareError::Corrupt(_))
    ));
}

#[test]
fn an_unknown_voice_source_is_refused() {
    let mut board = cast_board();
    board.references.truncate(1);
    let layout = share::fuzz_layout(&board, None);
    // The source byte is just before the trial URL's length at the end of
    // the reference.
    let url = b"https://example.com/trial.mp3";
    let at = layout
        .windows(url.len())
        .position(|w| w == url)
        .expect("the trial URL")
        - 2;
    assert_eq!(layout[at], 0, "the preset source");
    let mut bad = layout.clone();
    bad[at] = 3;
    match share::decode(&raw_fragment(&bad)) {
        Err(ShareError::Corrupt(why)) => assert!(why.contains("voice source 3"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_characters_uploads_are_named_or_published() {
    let board = cast_board();
    assert_eq!(share::local_only_references(&board), vec!["mia"]);
    let published = share::for_recipients(&board, Some("https://media.example.com/u/"));
    assert!(share::local_only_references(&published).is_empty());
    let link = published.references[0].character_link().unwrap();
    assert_eq!(
        link.look.sources()[0],
        format!("https://media.example.com/u/{HASH}")
    );
    assert_eq!(link.look.sources()[1], "https://example.com/mia-side.png");
    // Without a public base nothing changes.
    assert_eq!(share::for_recipients(&board, None), board);
}

#[test]
fn the_recipient_is_told_element_ids_need_the_same_account() {
    let board = cast_board();
    let note = share::element_note(&board).unwrap();
    // tom has no element yet, so it is not named.
    assert!(note.contains("(@mia, @ann, @lamp)"), "{note}");
    assert!(
        note.contains("only for the Kling account that made them"),
        "{note}"
    );
    let one = Board {
        references: vec![Reference::element("lamp", "7")],
        ..Board::default()
    };
    assert!(share::element_note(&one)
        .unwrap()
        .contains("a Kling element by id (@lamp); it works only"));
    let none = Board {
        references: vec![Reference::image("stall", "https://example.com/s.png")],
        ..Board::default()
    };
    assert_eq!(share::element_note(&none), None);
}

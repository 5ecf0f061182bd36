//! The core in the browser: parsing, rules, mapping and cost, run by
//! `wasm-bindgen-test` in headless Chromium, so what the editor does with
//! the core is proven on the target it ships to.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

use storyreel_core::problem::ProblemKind;
use storyreel_core::request::RequestOptions;
use storyreel_core::{check, cost, kling, mention, Board, BoardError, Shot};

wasm_bindgen_test_configure!(run_in_browser);

const DOC_EXAMPLE: &str = include_str!("fixtures/doc-example.board.json");
const DOC_EXAMPLE_FIXED: &str = include_str!("fixtures/doc-example-fixed.board.json");
const DOC_EXAMPLE_FIXED_KLING: &str = include_str!("fixtures/doc-example-fixed.kling.json");
const CAST_MENTIONS: &str = include_str!("fixtures/cast-mentions.board.json");
const CAST_MENTIONS_KLING: &str = include_str!("fixtures/cast-mentions.kling.json");

#[wasm_bindgen_test]
fn parses_and_round_trips_a_board() {
    let board = Board::from_json(DOC_EXAMPLE_FIXED).unwrap();
    assert_eq!(board.title, "Night market");
    assert_eq!(board.total_seconds(), 10);
    assert_eq!(Board::from_json(&board.to_json()).unwrap(), board);
}

#[wasm_bindgen_test]
fn parse_errors_carry_line_and_column() {
    let text = "{\n  \"format\": \"storyreel/1\",\n  \"shots\": [\n    {\"prompt\": \"a\", \"duration\": 5,}\n  ]\n}\n";
    assert!(matches!(
        Board::from_json(text),
        Err(BoardError::Syntax {
            line: 4,
            column: 35,
            ..
        })
    ));
    assert_eq!(
        Board::from_json(r#"{"format": "storyreel/3"}"#),
        Err(BoardError::UnknownFormat {
            found: "storyreel/3".into()
        })
    );
}

#[wasm_bindgen_test]
fn rules_run_in_the_browser() {
    let e = Board::from_json(DOC_EXAMPLE).unwrap_err();
    let BoardError::Invalid { problems } = e else {
        panic!("expected rule errors");
    };
    assert_eq!(problems.len(), 2);
    assert!(problems
        .iter()
        .any(|p| matches!(p.kind, ProblemKind::SoundWithVideo { .. })));

    // Characters, not bytes (or UTF-16 units): 512 emoji fit, 513 do not.
    let mut b = Board {
        shots: vec![Shot::new("🎬".repeat(512), 5)],
        ..Board::default()
    };
    assert!(check(&b).problems.is_empty());
    b.shots[0].prompt.push('🎬');
    assert!(matches!(
        check(&b).problems[0].kind,
        ProblemKind::PromptTooLong {
            chars: 513,
            max: 512
        }
    ));
}

#[wasm_bindgen_test]
fn mapping_matches_the_native_snapshots() {
    for (board, expected) in [
        (DOC_EXAMPLE_FIXED, DOC_EXAMPLE_FIXED_KLING),
        (CAST_MENTIONS, CAST_MENTIONS_KLING),
    ] {
        let b = Board::from_json(board).unwrap();
        let got = kling::request(&b, &RequestOptions::default()).unwrap();
        let expected: serde_json::Value = serde_json::from_str(expected).unwrap();
        assert_eq!(serde_json::to_value(&got).unwrap(), expected);
        assert_eq!(
            serde_json::to_string_pretty(&got).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap()
        );
    }
}

#[wasm_bindgen_test]
fn cost_is_computed_in_the_browser() {
    // Omni pro with a reference video: 1.2 units = $0.168 a second, 10 s.
    let b = Board::from_json(DOC_EXAMPLE_FIXED).unwrap();
    let e = cost::estimate(&b);
    assert_eq!(e.unit_tenths, Some(120));
    assert_eq!(e.milli_usd, Some(1680));
    assert_eq!(e.usd_text(), "$1.68");
}

#[wasm_bindgen_test]
fn mentions_over_multi_byte_text() {
    let text = "「@mia」は mia@example.com に 😀@stall!";
    let known = |n: &str| n == "mia" || n == "stall";
    let found = mention::find(text, &known);
    assert_eq!(
        found.iter().map(|m| m.name).collect::<Vec<_>>(),
        ["mia", "stall"]
    );
    for m in &found {
        assert_eq!(&text[m.start..m.end], format!("@{}", m.name));
    }
}

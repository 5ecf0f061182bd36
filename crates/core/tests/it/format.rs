//! Reading and writing board files: `storyreel/2` is written, and
//! `storyreel/1` (the fixtures here) is read, upgraded.

use std::path::{Path, PathBuf};

use serde_json::Value;
use storyreel_core::problem::ProblemKind;
use storyreel_core::{
    AspectRatio, Board, BoardError, Field, Location, Problem, Provider, Reference, ReferenceKind,
    Resolution, Shot, VideoUse,
};

const DOC_EXAMPLE: &str = include_str!("../fixtures/doc-example.board.json");
const DOC_EXAMPLE_FIXED: &str = include_str!("../fixtures/doc-example-fixed.board.json");

fn minimal(extra: &str) -> String {
    format!(
        "{{\"format\": \"storyreel/1\",{extra} \"shots\": [{{\"prompt\": \"A fox runs.\", \"duration\": 5}}]}}"
    )
}

fn shape(text: &str) -> (usize, usize, String) {
    match Board::from_json_unchecked(text) {
        Err(BoardError::Shape {
            line,
            column,
            message,
        }) => (line, column, message),
        other => panic!("expected a shape error, got {other:?}"),
    }
}

fn syntax(text: &str) -> (usize, usize, String) {
    match Board::from_json_unchecked(text) {
        Err(BoardError::Syntax {
            line,
            column,
            message,
        }) => (line, column, message),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- writing and round trip

#[test]
fn default_board_is_written_with_every_field_in_order() {
    let expected = r#"{
  "format": "storyreel/2",
  "title": "",
  "provider": "kling",
  "resolution": "1080p",
  "aspect_ratio": "16:9",
  "sound": true,
  "prompt": "",
  "references": [],
  "first_frame": null,
  "last_frame": null,
  "shots": [
    {
      "prompt": "",
      "duration": 5
    }
  ]
}"#;
    assert_eq!(Board::default().to_json(), expected);
}

#[test]
fn references_are_written_as_the_format_spells_them() {
    let b = Board {
        references: vec![
            Reference::image("mia", "https://example.com/mia.png"),
            Reference::element("lantern", 831204),
            Reference::video("moves", "https://example.com/m.mp4", VideoUse::Base),
        ],
        ..Board::default()
    };
    let v: serde_json::Value = serde_json::from_str(&b.to_json()).unwrap();
    assert_eq!(
        v["references"],
        serde_json::json!([
            {"name": "mia", "kind": "image", "src": "https://example.com/mia.png"},
            {"name": "lantern", "kind": "element", "element_id": "831204"},
            {"name": "moves", "kind": "video", "src": "https://example.com/m.mp4", "use": "base", "keep_sound": false}
        ])
    );
    let keys: Vec<&str> = v["references"][2]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["name", "kind", "src", "use", "keep_sound"]);
}

#[test]
fn doc_example_round_trips() {
    for text in [DOC_EXAMPLE, DOC_EXAMPLE_FIXED] {
        let board = Board::from_json_unchecked(text).unwrap();
        let written = board.to_json();
        assert_eq!(Board::from_json_unchecked(&written).unwrap(), board);
        // Writing is stable.
        assert_eq!(
            Board::from_json_unchecked(&written).unwrap().to_json(),
            written
        );
        // And says the same as the file, upgraded to version 2.
        let a: Value = serde_json::from_str(text).unwrap();
        let b: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(upgraded(&a), b);
    }
}

#[test]
fn doc_example_reads_as_documented() {
    let b = Board::from_json_unchecked(DOC_EXAMPLE).unwrap();
    assert_eq!(b.title, "Night market");
    assert_eq!(b.provider, Provider::Kling);
    assert_eq!(b.resolution, Resolution::P1080);
    assert_eq!(b.aspect_ratio, AspectRatio::Landscape);
    assert!(b.sound);
    assert_eq!(b.prompt, "Warm neon palette, handheld camera.");
    assert_eq!(
        b.references
            .iter()
            .map(|r| (r.name.as_str(), r.kind.label()))
            .collect::<Vec<_>>(),
        [
            ("mia", "image"),
            ("stall", "image"),
            ("lantern", "element"),
            ("moves", "video")
        ]
    );
    assert_eq!(
        b.references[3].kind,
        ReferenceKind::Video {
            src: "https://example.com/dance.mp4".into(),
            usage: VideoUse::Feature,
            keep_sound: false
        }
    );
    assert_eq!(b.first_frame, None);
    assert_eq!(b.last_frame, None);
    assert_eq!(
        b.shots.iter().map(|s| s.duration).collect::<Vec<_>>(),
        [4, 5, 3]
    );
    assert_eq!(
        b.shots[1].prompt,
        "Close-up on @mia. She says: \"Have you seen my brother?\""
    );
}

// ---------------------------------------------------------------- defaults

#[test]
fn missing_fields_take_their_defaults() {
    let b = Board::from_json(&minimal("")).unwrap();
    assert_eq!(b.title, "");
    assert_eq!(b.provider, Provider::Kling);
    assert_eq!(b.resolution, Resolution::P1080);
    assert_eq!(b.aspect_ratio, AspectRatio::Landscape);
    assert!(b.sound);
    assert_eq!(b.prompt, "");
    assert!(b.references.is_empty());
    assert_eq!(b.first_frame, None);
    assert_eq!(b.last_frame, None);
    assert_eq!(b.shots, vec![Shot::new("A fox runs.", 5)]);
}

#[test]
fn explicit_values_override_the_defaults() {
    let b = Board::from_json_unchecked(&minimal(
        r#" "title": "T", "provider": "fal", "mode": "std", "aspect_ratio": "1:1", "sound": false, "prompt": "P", "first_frame": "a", "last_frame": "b","#,
    ))
    .unwrap();
    assert_eq!(
        (
            b.title.as_str(),
            b.provider,
            b.resolution,
            b.aspect_ratio,
            b.sound,
            b.prompt.as_str()
        ),
        (
            "T",
            Provider::Fal,
            Resolution::P720,
            AspectRatio::Square,
            false,
            "P"
        )
    );
    assert_eq!(
        (b.first_frame.as_deref(), b.last_frame.as_deref()),
        (Some("a"), Some("b"))
    );
}

#[test]
fn video_reference_defaults_to_feature_without_sound() {
    let b = Board::from_json_unchecked(&minimal(
        r#" "references": [{"name": "v", "kind": "video", "src": "https://x.com/v.mp4"}],"#,
    ))
    .unwrap();
    assert_eq!(
        b.references[0].kind,
        ReferenceKind::Video {
            src: "https://x.com/v.mp4".into(),
            usage: VideoUse::Feature,
            keep_sound: false
        }
    );
}

#[test]
fn unknown_fields_are_ignored() {
    // Later versions may add optional fields.
    let b = Board::from_json(&minimal(r#" "color_grade": {"lut": "teal"},"#)).unwrap();
    assert_eq!(b.shots.len(), 1);
}

// ---------------------------------------------------------------- format tag

#[test]
fn unknown_format_is_refused_naming_it() {
    let text = r#"{"format": "storyreel/3", "shots": []}"#;
    let e = Board::from_json_unchecked(text).unwrap_err();
    assert_eq!(
        e,
        BoardError::UnknownFormat {
            found: "storyreel/3".into()
        }
    );
    let m = e.to_string();
    assert_eq!(
        m,
        "unknown board format 'storyreel/3'; this version of Storyreel reads 'storyreel/2' (and 'storyreel/1', upgraded as it is read)"
    );
    // Refused before its shape is looked at (v3 may be shaped differently).
    let e = Board::from_json(r#"{"format": "storyreel/3", "scenes": 3}"#).unwrap_err();
    assert!(matches!(e, BoardError::UnknownFormat { .. }));
    // A tag that is not a string is shown as JSON.
    let e = Board::from_json(r#"{"format": 1, "shots": []}"#).unwrap_err();
    assert_eq!(e, BoardError::UnknownFormat { found: "1".into() });
    for (tag, shown) in [
        ("null", "null"),
        ("false", "false"),
        ("-2", "-2"),
        ("[\"storyreel/2\"]", "[…]"),
        ("{\"v\": 2}", "{…}"),
    ] {
        let e = Board::from_json(&format!(r#"{{"shots": [], "format": {tag}}}"#)).unwrap_err();
        assert_eq!(
            e,
            BoardError::UnknownFormat {
                found: shown.into()
            },
            "{tag}"
        );
    }
}

#[test]
fn a_reference_reads_its_own_kinds_fields_only() {
    let text = minimal("").replace(
        "\"shots\"",
        r#""references": [
            {"name": "mia", "kind": "image", "src": "https://example.com/mia.png", "element_id": "7"},
            {"name": "rex", "kind": "element", "src": "https://example.com/rex.png"},
            {"name": "moves", "kind": "video", "src": "https://example.com/m.mp4", "keep_sound": true}
        ],
        "shots""#,
    );
    let b = Board::from_json_unchecked(&text).unwrap();
    assert_eq!(
        b.references,
        vec![
            Reference::image("mia", "https://example.com/mia.png"),
            Reference::element("rex", ""),
            Reference {
                name: "moves".into(),
                kind: ReferenceKind::Video {
                    src: "https://example.com/m.mp4".into(),
                    usage: VideoUse::Feature,
                    keep_sound: true,
                },
            },
        ]
    );
    let (_, _, message) = shape(&text.replace(r#""kind": "image""#, r#""kind": "sketch""#));
    assert!(message.starts_with("unknown variant `sketch`"), "{message}");
    let (_, _, message) = shape(&text.replace(r#""kind": "image", "#, ""));
    assert_eq!(message, "missing field `kind`");
}

#[test]
fn missing_format_is_refused() {
    let text = r#"{"title": "x", "shots": [{"prompt": "a", "duration": 5}]}"#;
    let e = Board::from_json_unchecked(text).unwrap_err();
    assert_eq!(e, BoardError::MissingFormat);
    assert!(e.to_string().contains("no \"format\" field"));
    assert!(e.to_string().contains("storyreel/2"));
}

#[test]
fn non_object_top_level_is_refused() {
    for text in [
        "[]",
        "\"storyreel/1\"",
        "42",
        "null",
        "true",
        "[{\"format\": \"storyreel/1\"}]",
    ] {
        assert_eq!(
            Board::from_json_unchecked(text).unwrap_err(),
            BoardError::NotABoard,
            "{text}"
        );
    }
    assert!(BoardError::NotABoard
        .to_string()
        .contains("not a Storyreel board"));
}

// ---------------------------------------------------------------- syntax

#[test]
fn malformed_json_reports_line_and_column() {
    let text = "{\n  \"format\": \"storyreel/1\",\n  \"shots\": [\n    {\"prompt\": \"a\", \"duration\": 5,}\n  ]\n}\n";
    let (line, column, message) = syntax(text);
    assert_eq!((line, column), (4, 35));
    assert_eq!(message, "trailing comma");
    assert_eq!(
        Board::from_json_unchecked(text).unwrap_err().to_string(),
        "not valid JSON at line 4, column 35: trailing comma"
    );
}

#[test]
fn truncated_and_empty_files_report_their_end() {
    let (line, column, message) = syntax("{\n  \"format\": \"storyreel/1\",\n  \"shots\": [");
    assert_eq!((line, column), (3, 12));
    assert!(message.contains("EOF"), "{message}");
    let (line, column, _) = syntax("");
    assert_eq!((line, column), (1, 0));
    let (line, column, _) = syntax("{\"format\": \"storyreel/1\"} trailing");
    assert_eq!((line, column), (1, 27));
}

#[test]
fn multi_byte_text_before_an_error_does_not_shift_the_line() {
    let text = "{\n  \"title\": \"夜市 🏮\",\n  \"format\": \"storyreel/1\"\n  \"shots\": []\n}";
    let (line, column, message) = syntax(text);
    assert_eq!((line, column), (4, 3));
    assert!(message.contains("expected `,` or `}`"), "{message}");
}

// ---------------------------------------------------------------- shape

#[test]
fn fractional_duration_is_refused_at_its_position() {
    let text = "{\n  \"format\": \"storyreel/1\",\n  \"shots\": [\n    {\"prompt\": \"a\", \"duration\": 2.5}\n  ]\n}";
    let (line, column, message) = shape(text);
    assert_eq!((line, column), (4, 35));
    assert!(
        message.contains("2.5") && message.contains("u32"),
        "{message}"
    );
    let e = Board::from_json(text).unwrap_err().to_string();
    assert!(e.contains("line 4, column 35"), "{e}");
}

#[test]
fn duration_as_a_string_is_refused_at_its_position() {
    let text = "{\n  \"format\": \"storyreel/1\",\n  \"shots\": [\n    {\"prompt\": \"a\", \"duration\": \"5\"}\n  ]\n}";
    let (line, column, message) = shape(text);
    assert_eq!((line, column), (4, 35));
    assert!(message.contains("invalid type: string \"5\""), "{message}");
}

#[test]
fn negative_duration_is_refused() {
    let (line, _, message) = shape(&minimal("").replace("\"duration\": 5", "\"duration\": -1"));
    assert_eq!(line, 1);
    assert!(message.contains("-1"), "{message}");
}

#[test]
fn unknown_provider_is_refused_at_its_position() {
    let text = "{\n  \"format\": \"storyreel/1\",\n  \"provider\": \"openai\",\n  \"shots\": []\n}";
    let (line, column, message) = shape(text);
    assert_eq!((line, column), (3, 22));
    assert!(
        message.contains("openai")
            && message.contains("kling")
            && message.contains("fal")
            && message.contains("replicate"),
        "{message}"
    );
}

#[test]
fn bad_enum_values_are_refused() {
    for (extra, named) in [
        (r#" "mode": "4k","#, "4k"),
        (r#" "mode": "1080p","#, "1080p"),
        (r#" "aspect_ratio": "4:3","#, "4:3"),
        (r#" "sound": "on","#, "on"),
        (
            r#" "references": [{"name": "a", "kind": "audio", "src": "https://x.com/a"}],"#,
            "audio",
        ),
        (
            r#" "references": [{"name": "v", "kind": "video", "src": "https://x.com/v", "use": "edit"}],"#,
            "edit",
        ),
    ] {
        let (line, _, message) = shape(&minimal(extra));
        assert_eq!(line, 1);
        assert!(message.contains(named), "{extra}: {message}");
    }
}

#[test]
fn wrong_type_inside_a_reference_reports_its_line() {
    let text = "{\n  \"format\": \"storyreel/1\",\n  \"references\": [\n    {\"name\": \"lantern\", \"kind\": \"video\", \"src\": 831204}\n  ],\n  \"shots\": []\n}";
    let (line, _, message) = shape(text);
    assert_eq!(line, 4);
    assert!(message.contains("831204"), "{message}");
    // An element id is a number (version 1) or a string (version 2), not
    // anything else.
    for id in ["true", "-5", "1.5", "[1]"] {
        let text = text.replace(
            "\"video\", \"src\": 831204",
            &format!("\"element\", \"element_id\": {id}"),
        );
        let (line, _, _) = shape(&text);
        assert_eq!(line, 4, "{id}");
    }
}

#[test]
fn missing_required_fields_are_refused() {
    let (_, _, message) = shape(r#"{"format": "storyreel/1"}"#);
    assert_eq!(message, "missing field `shots`");
    let (_, _, message) = shape(r#"{"format": "storyreel/1", "shots": [{"prompt": "a"}]}"#);
    assert_eq!(message, "missing field `duration`");
    let (_, _, message) = shape(
        r#"{"format": "storyreel/1", "references": [{"name": "a", "kind": "image"}], "shots": []}"#,
    );
    assert_eq!(message, "missing field `src`");
}

// ---------------------------------------------------------------- rules on reading

#[test]
fn board_with_rule_errors_is_refused_by_from_json_only() {
    let text = minimal(r#" "prompt": "In the style of @noir.","#);
    let unchecked = Board::from_json_unchecked(&text).unwrap();
    assert_eq!(unchecked.prompt, "In the style of @noir.");
    let e = Board::from_json(&text).unwrap_err();
    assert_eq!(
        e,
        BoardError::Invalid {
            problems: vec![Problem::error(
                Location::Board,
                Field::Prompt,
                ProblemKind::UnknownMention {
                    name: "noir".into()
                }
            )]
        }
    );
    assert_eq!(
        e.to_string(),
        "the board breaks 1 rule: error: board prompt: @noir is not in the cast"
    );
}

#[test]
fn warnings_do_not_stop_reading() {
    let text = minimal("").replace(
        "A fox runs.",
        r#"He says: \"one two three four five six seven eight nine ten eleven twelve thirteen\""#,
    );
    let b = Board::from_json(&text).unwrap();
    assert!(!storyreel_core::check(&b).problems.is_empty());
}

#[test]
fn doc_example_breaks_two_rules() {
    // The example in storyboard-format.md sends sound with a reference video
    // and is 12 s long, over the 10 s allowed with a reference video.
    let unchecked = Board::from_json_unchecked(DOC_EXAMPLE).unwrap();
    assert_eq!(unchecked.total_seconds(), 12);
    let e = Board::from_json(DOC_EXAMPLE).unwrap_err();
    let BoardError::Invalid { problems } = &e else {
        panic!("expected rule errors, got {e:?}");
    };
    assert_eq!(
        problems,
        &vec![
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
        ]
    );
    let m = e.to_string();
    assert!(m.starts_with("the board breaks 2 rules: "), "{m}");
    assert!(
        m.contains("sound must be off") && m.contains("'moves'"),
        "{m}"
    );
    // The editor's import (drafts) refuses it too: the length breaks the
    // timeline, which the editor itself never lets happen.
    let e = Board::from_json_draft(DOC_EXAMPLE).unwrap_err();
    assert!(
        matches!(&e, BoardError::Invalid { problems } if problems.len() == 1
            && matches!(problems[0].kind, ProblemKind::TotalTooLong { total: 12, .. })),
        "{e:?}"
    );
}

#[test]
fn corrected_doc_example_passes() {
    let b = Board::from_json(DOC_EXAMPLE_FIXED).unwrap();
    assert!(!b.sound);
    assert_eq!(b.total_seconds(), 10);
    assert!(storyreel_core::check(&b).problems.is_empty());
}

#[test]
fn drafts_keep_unfinished_work_but_not_broken_timelines() {
    // An empty prompt and an unknown mention are for the problems panel.
    let text =
        r#"{"format": "storyreel/1", "prompt": "@who", "shots": [{"prompt": "", "duration": 5}]}"#;
    assert!(Board::from_json_draft(text).is_ok());
    assert!(Board::from_json(text).is_err());
    // Seven shots, a zero-length shot, no shots, or 16 s are not.
    for shots in [
        "[{\"prompt\": \"a\", \"duration\": 1}, {\"prompt\": \"a\", \"duration\": 1}, {\"prompt\": \"a\", \"duration\": 1}, {\"prompt\": \"a\", \"duration\": 1}, {\"prompt\": \"a\", \"duration\": 1}, {\"prompt\": \"a\", \"duration\": 1}, {\"prompt\": \"a\", \"duration\": 1}]",
        "[{\"prompt\": \"a\", \"duration\": 0}, {\"prompt\": \"a\", \"duration\": 5}]",
        "[]",
        "[{\"prompt\": \"a\", \"duration\": 16}]",
    ] {
        let text = format!("{{\"format\": \"storyreel/1\", \"shots\": {shots}}}");
        assert!(
            matches!(Board::from_json_draft(&text), Err(BoardError::Invalid { .. })),
            "{shots}"
        );
    }
}

// ---------------------------------------------------------------- version 1, upgraded

/// A version-1 board file's JSON as version 2 says the same: the tag,
/// `resolution` for `mode` (std → 720p, pro or none → 1080p), element ids
/// as strings. Other fields (and missing ones) are left as they are.
fn upgraded(v1: &Value) -> Value {
    let mut v = v1.clone();
    let object = v.as_object_mut().expect("a board object");
    object.insert("format".into(), "storyreel/2".into());
    let resolution = match object.remove("mode").as_ref().and_then(Value::as_str) {
        Some("std") => "720p",
        _ => "1080p",
    };
    object.insert("resolution".into(), resolution.into());
    if let Some(Value::Array(references)) = object.get_mut("references") {
        for r in references {
            if let Some(id) = r.get("element_id").and_then(Value::as_u64) {
                r["element_id"] = id.to_string().into();
            }
        }
    }
    v
}

/// Whether `written` says everything `given` does: the same values, where
/// an object may have more fields (written with their defaults).
fn says(written: &Value, given: &Value) -> bool {
    match (written, given) {
        (Value::Object(w), Value::Object(g)) => g
            .iter()
            .all(|(k, v)| w.get(k).is_some_and(|wv| says(wv, v))),
        (Value::Array(w), Value::Array(g)) => {
            w.len() == g.len() && w.iter().zip(g).all(|(w, g)| says(w, g))
        }
        (w, g) => w == g,
    }
}

/// Every version-1 board file among the fixtures: the mapping fixtures
/// (but Kling's own examples, `kling-doc-*`, written in version 2) and the
/// share corpus.
fn v1_fixtures() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("share-corpus")] {
        for entry in std::fs::read_dir(&dir).expect("the fixtures") {
            let path = entry.expect("entry").path();
            let file = path.to_string_lossy();
            if file.ends_with(".board.json") && !file.contains("kling-doc-") {
                let text = std::fs::read_to_string(&path).expect("read");
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn version_1_fixtures_read_upgraded_and_write_version_2() {
    let files = v1_fixtures();
    assert!(files.len() >= 30, "{} fixtures", files.len());
    let (mut std, mut pro, mut none, mut elements) = (0, 0, 0, 0);
    for (path, text) in &files {
        let name = path.display();
        let v1: Value = serde_json::from_str(text).unwrap();
        assert_eq!(v1["format"], "storyreel/1", "{name} is a version-1 file");
        let board = Board::from_json_unchecked(text).unwrap_or_else(|e| panic!("{name}: {e}"));

        // Read: mode as a resolution, element ids as the digits.
        let expected = match v1.get("mode").and_then(Value::as_str) {
            Some("std") => {
                std += 1;
                Resolution::P720
            }
            Some("pro") => {
                pro += 1;
                Resolution::P1080
            }
            None => {
                none += 1;
                Resolution::P1080
            }
            Some(other) => panic!("{name}: mode {other}"),
        };
        assert_eq!(board.resolution, expected, "{name}");
        let ids: Vec<String> = v1["references"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("element_id"))
            .map(|id| id.as_u64().expect("a number in version 1").to_string())
            .collect();
        let read: Vec<&str> = board
            .references
            .iter()
            .filter_map(|r| match &r.kind {
                ReferenceKind::Element { element_id, .. } => Some(element_id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(read, ids, "{name}");
        elements += ids.len();

        // Written: version 2, a resolution, no mode, ids as strings.
        let written = board.to_json();
        let v2: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(v2["format"], "storyreel/2", "{name}");
        assert_eq!(v2["resolution"], expected.as_str(), "{name}");
        assert!(v2.get("mode").is_none(), "{name}: {written}");
        // Every field the file gives says the same, upgraded (the others
        // are written with their defaults).
        assert!(
            says(&v2, &upgraded(&v1)),
            "{name}: {written} does not say {}",
            upgraded(&v1)
        );
        // Read back, the same board; written again, the same text.
        let again = Board::from_json_unchecked(&written).unwrap();
        assert_eq!(again, board, "{name}");
        assert_eq!(again.to_json(), written, "{name}");
        // Every strength of reading agrees on the upgrade.
        if let Ok(draft) = Board::from_json_draft(text) {
            assert_eq!(draft, board, "{name}");
            assert_eq!(
                Board::from_json_draft(&written),
                Ok(board.clone()),
                "{name}"
            );
        }
        if let Ok(checked) = Board::from_json(text) {
            assert_eq!(checked, board, "{name}");
            assert_eq!(Board::from_json(&written), Ok(board), "{name}");
        }
    }
    // The fixtures cover every case of the upgrade.
    assert!(
        std >= 3 && pro >= 3 && none >= 3,
        "std {std}, pro {pro}, none {none}"
    );
    assert!(elements >= 4, "{elements} element ids");
}

#[test]
fn a_version_2_file_reads() {
    let text = r#"{
  "format": "storyreel/2",
  "title": "Lantern",
  "provider": "kling",
  "resolution": "4k",
  "aspect_ratio": "9:16",
  "references": [
    {"name": "lantern", "kind": "element", "element_id": "860019735912247296"},
    {"name": "old", "kind": "element", "element_id": 831204}
  ],
  "shots": [{"prompt": "@lantern glows beside @old.", "duration": 5}]
}"#;
    let b = Board::from_json(text).unwrap();
    assert_eq!(
        (b.resolution, b.aspect_ratio, b.title.as_str()),
        (Resolution::K4, AspectRatio::Portrait, "Lantern")
    );
    assert_eq!(
        b.references,
        vec![
            Reference::element("lantern", "860019735912247296"),
            Reference::element("old", 831204)
        ]
    );
    let written = b.to_json();
    assert!(written.contains("\"resolution\": \"4k\""), "{written}");
    assert!(written.contains("\"element_id\": \"831204\""), "{written}");
    assert_eq!(Board::from_json(&written), Ok(b));
    // Without a resolution: 1080p, as a version-1 file without a mode.
    let bare = r#"{"format": "storyreel/2", "shots": [{"prompt": "A fox runs.", "duration": 5}]}"#;
    assert_eq!(
        Board::from_json(bare).unwrap().resolution,
        Resolution::P1080
    );
    for (resolution, expected) in [
        ("720p", Resolution::P720),
        ("1080p", Resolution::P1080),
        ("4k", Resolution::K4),
    ] {
        let text = bare.replace(
            "\"shots\"",
            &format!("\"resolution\": \"{resolution}\", \"shots\""),
        );
        assert_eq!(Board::from_json(&text).unwrap().resolution, expected);
    }
}

#[test]
fn a_version_1_mode_it_never_had_is_a_shape_error() {
    let text = minimal(r#" "mode": "4k","#);
    let (line, _, message) = shape(&text);
    assert_eq!(line, 1);
    assert!(
        message.contains("'4k'") || message.contains("`4k`"),
        "{message}"
    );
    assert!(
        message.contains("std") && message.contains("pro"),
        "names what version 1 allows: {message}"
    );
    let e = Board::from_json_draft(&text).unwrap_err().to_string();
    assert!(
        e.starts_with("the board does not fit the format at line 1"),
        "{e}"
    );
}

#[test]
fn an_unknown_resolution_is_refused_naming_it() {
    let text = minimal(r#" "resolution": "9000p","#).replace("storyreel/1", "storyreel/2");
    let (line, _, message) = shape(&text);
    assert_eq!(line, 1);
    assert!(message.contains("9000p"), "{message}");
    assert!(
        message.contains("720p") && message.contains("1080p") && message.contains("4k"),
        "names the allowed values: {message}"
    );
    // A number is no resolution either.
    let (line, _, _) = shape(&text.replace("\"9000p\"", "1080"));
    assert_eq!(line, 1);
}

#[test]
fn a_version_1_board_inside_other_data_is_upgraded_too() {
    // Job snapshots and other stored records hold a board as a field and
    // read it through `Board`'s own serde, not `from_json`.
    #[derive(serde::Deserialize)]
    struct Record {
        board: Board,
    }
    for (path, text) in v1_fixtures() {
        let wrapped = format!("{{\"board\": {text}}}");
        let record: Record =
            serde_json::from_str(&wrapped).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            Ok(record.board),
            Board::from_json_unchecked(&text),
            "{}",
            path.display()
        );
    }
}

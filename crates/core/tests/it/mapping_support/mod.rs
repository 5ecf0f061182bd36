//! Shared by `fal_mapping.rs` and `replicate_mapping.rs`: snapshot cases
//! `fixtures/BOARD.board.json` → `fixtures/SNAPSHOT.<provider>.json`.
//!
//! A snapshot is either the exact request `{"method", "url", "body"}` or
//! `{"refused": [...]}`, the board's errors as `Display` lines, in order.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use storyreel_core::mapping;
use storyreel_core::request::{RequestOptions, UploadsMode};
use storyreel_core::{check_for, Board, Provider, RequestError};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn read(name: &str) -> String {
    let path = fixtures().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn board(name: &str) -> Board {
    Board::from_json_unchecked(&read(&format!("{name}.board.json")))
        .unwrap_or_else(|e| panic!("{name}.board.json: {e}"))
}

/// One snapshot: which board, with which options.
pub struct Case {
    pub snapshot: &'static str,
    pub board: &'static str,
    pub opts: RequestOptions,
}

impl Case {
    pub fn new(name: &'static str) -> Case {
        Case::with(name, name, RequestOptions::default())
    }

    pub fn with(snapshot: &'static str, board: &'static str, opts: RequestOptions) -> Case {
        Case {
            snapshot,
            board,
            opts,
        }
    }
}

pub fn upload_options() -> RequestOptions {
    RequestOptions {
        uploads: UploadsMode::PublicBase("https://media.example.com/u/".into()),
        ..RequestOptions::default()
    }
}

fn ext(provider: Provider) -> &'static str {
    provider.as_str()
}

/// Maps the case's board for `provider` and compares it with the snapshot:
/// same JSON, same key order, same text when mapped again; or, for a
/// refusal, exactly the listed errors, which are also what the rules report
/// for that provider.
pub fn assert_snapshot(provider: Provider, case: &Case) {
    let name = case.snapshot;
    let b = board(case.board);
    let expected: Value =
        serde_json::from_str(&read(&format!("{name}.{}.json", ext(provider)))).unwrap();
    let got = mapping::for_provider(provider, &b, &case.opts);

    if let Some(refused) = expected.get("refused") {
        let lines: Vec<&str> = refused
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let problems = match got {
            Err(RequestError::Invalid(problems)) => problems,
            other => panic!("{name}: expected a refusal, got {other:?}"),
        };
        let got_lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(got_lines, lines, "{name}: refused with other errors");
        let report = check_for(&b, provider, &case.opts);
        assert_eq!(
            problems,
            report.errors().cloned().collect::<Vec<_>>(),
            "{name}: the mapping and the rules disagree"
        );
        return;
    }

    let got = got.unwrap_or_else(|e| panic!("{name}: {e}: {e:?}"));
    let got_value = serde_json::to_value(&got).unwrap();
    assert_eq!(
        got_value,
        expected,
        "{name}: the request differs from the snapshot; got\n{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
    let printed = serde_json::to_string_pretty(&got).unwrap();
    assert_eq!(
        printed,
        serde_json::to_string_pretty(&expected).unwrap(),
        "{name}: same JSON, different key order"
    );
    let again = mapping::for_provider(provider, &b, &case.opts).unwrap();
    assert_eq!(serde_json::to_string_pretty(&again).unwrap(), printed);
    // The board's own provider field does not matter; `for_board` with the
    // provider set gives the same request.
    let mut own = b.clone();
    own.provider = provider;
    assert_eq!(mapping::for_board(&own, &case.opts).unwrap(), got);
}

/// Every `*.<provider>.json` file is checked by a case, and its board exists.
pub fn assert_every_snapshot_has_a_case(provider: Provider, cases: &[Case]) {
    let suffix = format!(".{}.json", ext(provider));
    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if let Some(name) = file.strip_suffix(&suffix) {
            seen += 1;
            let case = cases.iter().find(|c| c.snapshot == name);
            let case = case.unwrap_or_else(|| panic!("{file} is not checked by any case"));
            assert!(fixtures()
                .join(format!("{}.board.json", case.board))
                .exists());
        }
    }
    assert_eq!(seen, cases.len(), "a case has no snapshot file");
}

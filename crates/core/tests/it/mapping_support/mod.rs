//! The one snapshot runner of `kling_mapping.rs`, `fal_mapping.rs` and
//! `replicate_mapping.rs`: cases `fixtures/BOARD.board.json` →
//! `fixtures/SNAPSHOT.<suffix>.json`, where the suffix is the provider
//! (`kling`, `fal`, `replicate`) or `kling-legacy` for Kling's legacy design.
//!
//! A snapshot is either the exact request `{"method", "url", "body"}` or
//! `{"refused": [...]}`, the board's errors as `Display` lines, in order.
//! The snapshot files are the source of truth (written by hand from the
//! providers' documents, see each test file), never the code: a mismatch
//! fails. `STORYREEL_BLESS=1` rewrites a differing request snapshot that
//! was first made from the code (Kling's, not Kling's own examples) and
//! still fails the test, so a run with it set never passes; read the diff,
//! then run again without it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use storyreel_core::mapping;
use storyreel_core::options::KlingApi;
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

    /// The snapshot's file name for `provider`.
    pub fn file(&self, provider: Provider) -> String {
        format!("{}.{}.json", self.snapshot, suffix(provider, &self.opts))
    }
}

pub fn upload_options() -> RequestOptions {
    RequestOptions {
        uploads: UploadsMode::PublicBase("https://media.example.com/u/".into()),
        ..RequestOptions::default()
    }
}

/// What a snapshot file of `provider` mapped with `opts` ends in (before
/// `.json`).
fn suffix(provider: Provider, opts: &RequestOptions) -> &'static str {
    match (provider, opts.kling_api) {
        (Provider::Kling, KlingApi::Legacy) => "kling-legacy",
        _ => provider.as_str(),
    }
}

/// Every suffix `provider`'s snapshot files end in.
fn suffixes(provider: Provider) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = KlingApi::ALL
        .into_iter()
        .map(|api| {
            suffix(
                provider,
                &RequestOptions {
                    kling_api: api,
                    ..RequestOptions::default()
                },
            )
        })
        .collect();
    out.dedup();
    out
}

/// Maps the case's board for `provider` and compares it with the snapshot:
/// same JSON, same key order, same text when mapped again, the same request
/// from `for_board` with the board's provider set; or, for a refusal,
/// exactly the listed errors, which are also what the rules report for
/// that provider.
pub fn assert_snapshot(provider: Provider, case: &Case) {
    let name = case.snapshot;
    let file = case.file(provider);
    let b = board(case.board);
    let got = mapping::for_provider(provider, &b, &case.opts);
    let bless = may_bless(provider, name) && std::env::var_os("STORYREEL_BLESS").is_some();
    let text = match std::fs::read_to_string(fixtures().join(&file)) {
        Err(_) if bless => String::new(),
        Err(e) => panic!("{file}: {e}"),
        Ok(text) => text,
    };
    let expected: Value = match serde_json::from_str(&text) {
        Err(_) if bless => Value::Null,
        parsed => parsed.unwrap_or_else(|e| panic!("{file}: {e}")),
    };

    if let Some(refused) = expected.get("refused") {
        let lines: Vec<&str> = refused
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let problems = match got {
            Err(RequestError::Invalid(problems)) => problems,
            other => panic!("{file}: expected a refusal, got {other:?}"),
        };
        let got_lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(got_lines, lines, "{file}: refused with other errors");
        let report = check_for(&b, provider, &case.opts);
        assert_eq!(
            problems,
            report.errors().cloned().collect::<Vec<_>>(),
            "{file}: the mapping and the rules disagree"
        );
        return;
    }

    let got = got.unwrap_or_else(|e| panic!("{file}: {e}: {e:?}"));
    let got_value = serde_json::to_value(&got).unwrap();
    // Key order: the printed request lists its keys in the snapshot's order
    // (serde_json keeps insertion order in this workspace).
    let printed = serde_json::to_string_pretty(&got).unwrap();
    let differs =
        got_value != expected || printed != serde_json::to_string_pretty(&expected).unwrap();
    if differs && bless {
        std::fs::write(fixtures().join(&file), format!("{printed}\n")).unwrap();
        panic!("{file}: rewritten from the code (STORYREEL_BLESS); read the diff, run again without it");
    }
    assert_eq!(
        got_value, expected,
        "{file}: the request differs from the snapshot; got\n{printed}"
    );
    assert_eq!(
        printed,
        serde_json::to_string_pretty(&expected).unwrap(),
        "{file}: same JSON, different key order"
    );
    // ... and mapping again prints the same text.
    let again = mapping::for_provider(provider, &b, &case.opts).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&again).unwrap(),
        printed,
        "{file}: mapped again, a different text"
    );
    // The board's own provider field does not matter; `for_board` with the
    // provider set gives the same request.
    let mut own = b.clone();
    own.provider = provider;
    assert_eq!(mapping::for_board(&own, &case.opts).unwrap(), got, "{file}");
}

/// Whether `STORYREEL_BLESS` may rewrite the snapshot: Kling's were first
/// made from the code and checked by hand; Kling's own examples and the fal
/// and Replicate snapshots were written by hand from the documents.
fn may_bless(provider: Provider, name: &str) -> bool {
    provider == Provider::Kling && !name.starts_with("kling-doc-")
}

/// Every snapshot file of `provider` is checked by exactly one case, and
/// its board exists.
pub fn assert_every_snapshot_has_a_case(provider: Provider, cases: &[Case]) {
    let suffixes: Vec<String> = suffixes(provider)
        .into_iter()
        .map(|s| format!(".{s}.json"))
        .collect();
    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if suffixes.iter().any(|s| file.ends_with(s.as_str())) {
            seen += 1;
            let case = cases.iter().find(|c| c.file(provider) == file);
            let case = case.unwrap_or_else(|| panic!("{file} is not checked by any case"));
            assert!(
                fixtures()
                    .join(format!("{}.board.json", case.board))
                    .exists(),
                "{file}: no board {}",
                case.board
            );
        }
    }
    assert_eq!(seen, cases.len(), "a case has no snapshot file");
}

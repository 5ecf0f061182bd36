//! Records the app stored in IndexedDB before a change of the core's types
//! still read, and write back byte for byte: a journaled job
//! (`journal::Entry`) and a making (`character::Making`), each with the
//! lease of the tab driving it.

use serde::de::DeserializeOwned;
use serde::Serialize;
use storyreel_core::character::Making;
use storyreel_core::journal::Entry;

const ENTRY: &str = include_str!("../fixtures/stored/entry.json");
const MAKING: &str = include_str!("../fixtures/stored/making.json");

/// `json` read as a `T` and written again.
fn rewritten<T: DeserializeOwned + Serialize>(json: &str) -> String {
    serde_json::to_string(&serde_json::from_str::<T>(json).unwrap()).unwrap()
}

#[test]
fn a_stored_job_reads_and_writes_back_the_same() {
    assert_eq!(rewritten::<Entry>(ENTRY), ENTRY.trim_end());
    let entry: Entry = serde_json::from_str(ENTRY).unwrap();
    assert!(entry.may_drive("tab-a", 26_999));
    assert!(!entry.may_drive("tab-b", 26_999));
    assert!(entry.may_drive("tab-b", 27_000));
}

#[test]
fn a_stored_making_reads_and_writes_back_the_same() {
    assert_eq!(rewritten::<Making>(MAKING), MAKING.trim_end());
    let making: Making = serde_json::from_str(MAKING).unwrap();
    assert!(making.may_drive("tab-b", 26_999));
    assert!(!making.may_drive("tab-a", 26_999));
    assert!(making.may_drive("tab-a", 27_000));
}

#[test]
fn records_without_a_lease_read_as_free_and_write_an_empty_one() {
    let free = r#","owner":null,"lease_until_ms":0}"#;
    let entry = ENTRY
        .trim_end()
        .replace(r#","owner":"tab-a","lease_until_ms":27000}"#, "}");
    assert!(entry.ends_with(r#""updated_ms":5000}"#));
    let written = rewritten::<Entry>(&entry);
    assert_eq!(written.strip_suffix(free), entry.strip_suffix('}'));
    let making = MAKING
        .trim_end()
        .replace(r#","owner":"tab-b","lease_until_ms":27000}"#, "}");
    assert!(making.ends_with(r#""updated_ms":6000}"#));
    let written = rewritten::<Making>(&making);
    assert_eq!(written.strip_suffix(free), making.strip_suffix('}'));
}

//! The core's integration tests, as one test binary (`cargo test -p
//! storyreel-core --test it`): one module per concern, named as the test
//! file it once was, so a test is `share::NAME`, `rules::NAME`, ... and
//! `cargo test -p storyreel-core --test it share::` runs one module. One
//! binary links once instead of once a file. Fixtures stay in
//! `tests/fixtures/` (`wasm.rs`, the browser's copy of some of these
//! tests, reads them too and stays its own binary: it builds for wasm).
//!
//! proptest keeps the seeds of past failures in
//! `tests/proptest-regressions/<module>.txt`: its default place for a
//! source file under a directory holding a `main.rs`.

mod character_file;
mod character_media;
mod character_rules;
mod cost;
mod dialogue;
mod elements;
mod export;
mod format;
mod history;
mod journal;
mod making;
mod making_properties;
mod media;
mod playback;
mod properties;
mod response_properties;
mod responses;
mod rules;
mod share;
mod share_characters;
mod share_fuzz;
mod stored_records;
mod transport;

// The mapping snapshots declare `mod mapping_support;` themselves (the
// runner they share), as when each was its own binary. A module read
// through `#[path]` looks for its own modules beside its file, so each
// finds `it/mapping_support/` and has its own copy of it.
#[path = "fal_mapping.rs"]
#[allow(clippy::duplicate_mod)]
mod fal_mapping;
#[path = "kling_mapping.rs"]
#[allow(clippy::duplicate_mod)]
mod kling_mapping;
#[path = "replicate_mapping.rs"]
#[allow(clippy::duplicate_mod)]
mod replicate_mapping;

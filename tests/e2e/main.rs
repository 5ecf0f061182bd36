//! The end-to-end tests, as one test binary: the real server serving the
//! real release build, driven by headless Chromium (harness:
//! `support/mod.rs`, the `storyreel-e2e` library). One module per area,
//! so a test is `editor::NAME`, `share::NAME`, ...
//!
//! Each test starts its own server (no provider keys, a fresh upload
//! directory, a port of its own), its own ChromeDriver and its own browser
//! profile, so none sees another's state and they can run side by side:
//! `cargo xtask test` runs three at a time (`E2E_THREADS` in
//! xtask/src/run.rs). The target has `test = false`: it needs a built app, so it
//! runs only when named: `cargo test -p storyreel-e2e --test e2e`
//! (`cargo xtask test` does that after the release build).

mod cast;
mod characters;
mod editor;
mod generate;
mod keep;
mod share;
mod smoke;
mod static_hosting;

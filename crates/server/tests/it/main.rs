//! The server's integration tests, as one test binary (`cargo test -p
//! storyreel-server --test it`): one module per concern, named as the
//! test file it once was, so a test is `uploads::a_png_round_trips_...`.
//! One binary links once instead of once a file. Tests in different
//! modules share the process: each starts its own server (in-process on a
//! loopback port, or the binary as a child), and nothing global (a
//! metrics recorder, a tracing subscriber) is installed by any of them.
//!
//! `common/` is what they share (a dist directory, servers on loopback,
//! a recording upstream, moto for S3); `driver/` drives Kling jobs as the
//! browser does (also used by `examples/load_bench.rs`).

mod common;
mod driver;

mod cli;
mod faults;
mod inline_uploads;
mod kling_designs;
mod observability;
mod relays;
mod scale_out;
mod security;
mod serve;
mod simulator;
mod simulator_current;
mod simulator_elements;
mod static_files;
mod uploads;
mod wire;

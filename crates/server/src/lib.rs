//! The parts of `storyreel-server`, as a library so tests can drive them.

pub mod api;
pub mod app;
pub mod board_cli;
pub mod cli;
pub mod config;
pub mod guard;
pub mod health;
pub mod kling_token;
pub mod logging;
pub mod metrics;
pub mod relay;
pub mod request_id;
pub mod serve;
pub mod sim;
pub mod static_files;
pub mod uploads;

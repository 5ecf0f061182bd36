//! The parts of `storyreel-server`, as a library so tests can drive them.

pub mod board_cli;
pub mod cli;
pub mod static_files;

//! Storyreel's pure logic: the board model (format v1), the Kling O3 rules
//! and each provider's own, request mapping for Kling, fal and Replicate,
//! mentions, cost and dialogue timing.
//!
//! Nothing here does I/O or touches the browser: the crate builds natively
//! and for `wasm32-unknown-unknown`, and the app and the server both call it.

pub mod board;
pub mod cast;
pub mod character;
pub mod cost;
pub mod dialogue;
pub mod edit;
pub mod export;
pub mod fal;
pub mod format;
pub mod history;
pub mod job;
pub mod journal;
pub mod kling;
pub mod limits;
pub mod mapping;
pub mod media;
pub mod mention;
pub mod options;
pub mod plan;
pub mod playback;
pub mod problem;
pub mod reference;
pub mod replicate;
pub mod request;
pub mod response;
pub mod rules;
pub mod share;
pub mod text;
pub mod transport;
pub mod wire;

pub use board::{AspectRatio, Board, Provider, Resolution, Shot};
pub use format::BoardError;
pub use problem::{Field, Location, Problem, Severity};
pub use reference::{Reference, ReferenceKind, VideoUse};
pub use request::{KlingApi, ProviderRequest, RequestError, RequestOptions, UploadsMode};
pub use rules::{check, check_for, check_with, Report};

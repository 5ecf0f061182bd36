//! Reading and writing board files: version 2 (`storyreel/2`) is written,
//! versions 1 and 2 are read (the upgrade is in `board/wire.rs`).

use thiserror::Error;

use crate::board::{Board, FORMAT_V1, FORMAT_V2};
use crate::problem::Problem;
use crate::rules;
use tag::{Probe, Tag};

mod tag;

/// Why a file is not a board this version can use.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BoardError {
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("this is not a Storyreel board: the top level must be an object with \"format\": \"{FORMAT_V2}\"")]
    NotABoard,
    #[error("the file has no \"format\" field; a Storyreel board starts with \"format\": \"{FORMAT_V2}\"")]
    MissingFormat,
    #[error("unknown board format '{found}'; this version of Storyreel reads '{FORMAT_V2}' (and '{FORMAT_V1}', upgraded as it is read)")]
    UnknownFormat { found: String },
    #[error("the board does not fit the format at line {line}, column {column}: {message}")]
    Shape {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the board breaks {} rule{}: {}", .problems.len(), if .problems.len() == 1 { "" } else { "s" }, summary(.problems))]
    Invalid { problems: Vec<Problem> },
}

fn summary(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl Board {
    /// Reads a board file, checking its syntax, its format tag, its shape and
    /// every rule; a board with errors is refused, warnings are allowed.
    pub fn from_json(text: &str) -> Result<Board, BoardError> {
        let board = Board::from_json_unchecked(text)?;
        let report = rules::check(&board);
        if report.has_errors() {
            return Err(BoardError::Invalid {
                problems: report.errors().cloned().collect(),
            });
        }
        Ok(board)
    }

    /// Reads a board the editor may hold: syntax, format tag and shape must
    /// be right, and so must the timeline's hard limits (1 to 6 shots, each
    /// at least 1 s, the total within its maximum), which the editor never
    /// lets a board break. Everything else (an empty prompt, a prompt over
    /// its limit, an unknown mention) is left to the problems panel, so an
    /// unfinished board exported from the editor can be imported again.
    pub fn from_json_draft(text: &str) -> Result<Board, BoardError> {
        let board = Board::from_json_unchecked(text)?;
        let problems: Vec<Problem> = rules::check(&board)
            .problems
            .into_iter()
            .filter(|p| p.is_error() && p.kind.breaks_timeline())
            .collect();
        if problems.is_empty() {
            Ok(board)
        } else {
            Err(BoardError::Invalid { problems })
        }
    }

    /// Reads a board file for syntax, format tag and shape only; the rules
    /// are left to the caller (the editor restores an unfinished board, the
    /// `check` command lists its problems).
    pub fn from_json_unchecked(text: &str) -> Result<Board, BoardError> {
        let probe: Probe = serde_json::from_str(text).map_err(|e| match e.classify() {
            // Any value is read as the tag and any other field skipped, so
            // a data error can only be a top level that is not an object.
            serde_json::error::Category::Data => BoardError::NotABoard,
            _ => BoardError::Syntax {
                line: e.line(),
                column: e.column(),
                message: clean_serde_message(&e),
            },
        })?;
        match probe.0 {
            None => return Err(BoardError::MissingFormat),
            Some(Tag::Text(tag)) if tag == FORMAT_V2 || tag == FORMAT_V1 => {}
            Some(Tag::Text(found) | Tag::Other(found)) => {
                return Err(BoardError::UnknownFormat { found })
            }
        }
        serde_json::from_str(text).map_err(|e| BoardError::Shape {
            line: e.line(),
            column: e.column(),
            message: clean_serde_message(&e),
        })
    }

    /// The board file, pretty-printed.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// serde_json appends " at line L column C"; the error carries those apart.
fn clean_serde_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

//! A finished clip and the board it came from.

use serde::{Deserialize, Serialize};

use super::charge::charge_of;
use super::Entry;
use crate::board::{Board, Provider};
use crate::response::{Cash, Charge};

/// A take: a finished clip and the board it came from. The clip itself is
/// stored beside it by the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Take {
    /// The job's key.
    pub key: String,
    pub board: Board,
    pub provider: Provider,
    pub created_ms: u64,
    pub video_url: String,
    #[serde(default)]
    pub charged_units: Option<f64>,
    /// Money taken from the account balance (Kling's current design).
    #[serde(default)]
    pub charged_cash: Option<Cash>,
    #[serde(default)]
    pub estimate: Option<String>,
    /// Stored clip size in bytes.
    #[serde(default)]
    pub bytes: u64,
}

impl Take {
    /// The take of a finished entry.
    pub fn of(entry: &Entry, created_ms: u64, bytes: u64) -> Option<Take> {
        Some(Take {
            key: entry.job.key.clone(),
            board: entry.board.clone(),
            provider: entry.provider(),
            created_ms,
            video_url: entry.video_url()?.to_string(),
            charged_units: entry.charged_units,
            charged_cash: entry.charged_cash,
            estimate: entry.estimate.clone(),
            bytes,
        })
    }

    /// What the provider charged, when it said.
    pub fn charge(&self) -> Option<Charge> {
        charge_of(self.charged_units, self.charged_cash)
    }

    /// The board's title, or a stand-in.
    pub fn title(&self) -> &str {
        let t = self.board.title.trim();
        if t.is_empty() {
            "Untitled board"
        } else {
            t
        }
    }
}

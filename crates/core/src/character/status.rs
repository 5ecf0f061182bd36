//! Where a character's Kling element stands, and the library's view of all
//! of them that the rules read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A character's Kling element.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum ElementStatus {
    /// Never asked for.
    #[default]
    None,
    /// Being made: the creation is journaled under this key (Kling's
    /// `external_task_id`) and, once Kling answered, its task id.
    Making {
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_id: Option<String>,
    },
    /// Made: cite it by this id.
    Ready { element_id: String },
    /// Kling refused or failed it; the reason in plain words.
    Failed { reason: String },
    /// Deleted at Kling; boards citing this id can no longer use it.
    Deleted { element_id: String },
}

impl ElementStatus {
    /// A few words for the library's badge.
    pub fn label(&self) -> &'static str {
        match self {
            ElementStatus::None => "no Kling element",
            ElementStatus::Making { .. } => "making element…",
            ElementStatus::Ready { .. } => "Kling element",
            ElementStatus::Failed { .. } => "element failed",
            ElementStatus::Deleted { .. } => "element deleted",
        }
    }
}

/// What the library knows of each character's element, by character id.
/// Empty when there is no library (the CLI, a shared board): the rules
/// then judge a board by what it carries alone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roster {
    by_character: BTreeMap<String, ElementStatus>,
}

impl Roster {
    pub fn new() -> Roster {
        Roster::default()
    }

    pub fn insert(&mut self, character_id: impl Into<String>, status: ElementStatus) {
        self.by_character.insert(character_id.into(), status);
    }

    pub fn get(&self, character_id: &str) -> Option<&ElementStatus> {
        self.by_character.get(character_id)
    }

    pub fn is_empty(&self) -> bool {
        self.by_character.is_empty()
    }
}

impl FromIterator<(String, ElementStatus)> for Roster {
    fn from_iter<I: IntoIterator<Item = (String, ElementStatus)>>(iter: I) -> Roster {
        Roster {
            by_character: iter.into_iter().collect(),
        }
    }
}

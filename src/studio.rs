//! The generation side of the page, shared through context: the journaled
//! jobs, the takes (finished clips, stored in the browser) and what the
//! player shows.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use storyreel_core::journal::{Entry, Take};

/// A take and the object URL its stored clip plays from.
#[derive(Clone, Debug, PartialEq)]
pub struct TakeItem {
    pub take: Take,
    pub url: String,
}

#[derive(Clone, Copy)]
pub struct Studio {
    /// Every journaled job, oldest first.
    pub entries: RwSignal<Vec<Entry>>,
    /// Every take, oldest first.
    pub takes: RwSignal<Vec<TakeItem>>,
    /// The take in the player.
    pub selected: RwSignal<Option<String>>,
    /// The take shown beside it in the compare view.
    pub compare: RwSignal<Option<String>>,
    /// The shot of the selected take that is playing.
    pub playing_shot: RwSignal<Option<usize>>,
    /// The clock for elapsed times, ticking while a job is active.
    pub now: RwSignal<u64>,
    /// A Generate is being journaled (set synchronously on click).
    pub submitting: StoredValue<bool>,
    /// The jobs this page is driving.
    pub driving: StoredValue<HashSet<String>>,
    /// Object URLs of stored clips, by take key.
    pub urls: StoredValue<HashMap<String, String>>,
    /// This tab's id (kept across reloads in session storage).
    pub tab: StoredValue<String>,
}

impl Studio {
    pub fn new(tab: String) -> Studio {
        Studio {
            entries: RwSignal::new(Vec::new()),
            takes: RwSignal::new(Vec::new()),
            selected: RwSignal::new(None),
            compare: RwSignal::new(None),
            playing_shot: RwSignal::new(None),
            now: RwSignal::new(crate::net::now_ms()),
            submitting: StoredValue::new(false),
            driving: StoredValue::new(HashSet::new()),
            urls: StoredValue::new(HashMap::new()),
            tab: StoredValue::new(tab),
        }
    }

    pub fn expect() -> Studio {
        expect_context::<Studio>()
    }

    /// Adds or replaces an entry (by key).
    pub fn upsert(&self, entry: Entry) {
        self.entries.update(|all| {
            match all.iter_mut().find(|e| e.key() == entry.key()) {
                Some(slot) => *slot = entry,
                None => all.push(entry),
            }
            all.sort_by_key(|e| e.job.created_at_ms);
        });
    }

    pub fn take(&self, key: &str) -> Option<TakeItem> {
        self.takes
            .with(|t| t.iter().find(|t| t.take.key == key).cloned())
    }
}

//! The editor's state: the board, a stable key per shot for rendering, the
//! rules report, and the last status message. Every edit goes through
//! `storyreel_core::edit`, which refuses what would break the board.

use leptos::prelude::*;
use storyreel_core::edit::{self, EditError};
use storyreel_core::rules::{self, Report};
use storyreel_core::Board;

/// A message shown in the status line.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
}

/// Shared by every component through context.
#[derive(Clone, Copy)]
pub struct Editor {
    pub board: RwSignal<Board>,
    /// One key per shot, in shot order; survives reordering.
    pub keys: RwSignal<Vec<u32>>,
    next_key: StoredValue<u32>,
    pub report: Memo<Report>,
    /// The cast's names, in order; changes only when the cast does.
    pub names: Memo<Vec<String>>,
    pub status: RwSignal<Option<Status>>,
}

impl Editor {
    pub fn new(board: Board) -> Editor {
        let count = board.shots.len() as u32;
        let board = RwSignal::new(board);
        Editor {
            board,
            keys: RwSignal::new((0..count).collect()),
            next_key: StoredValue::new(count),
            report: Memo::new(move |_| board.with(rules::check)),
            names: Memo::new(move |_| {
                board.with(|b| b.reference_names().map(str::to_string).collect())
            }),
            status: RwSignal::new(None),
        }
    }

    pub fn expect() -> Editor {
        expect_context::<Editor>()
    }

    fn fresh_key(&self) -> u32 {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        key
    }

    /// The current position of the shot with `key`.
    pub fn index_of(&self, key: u32) -> Option<usize> {
        self.keys.with(|k| k.iter().position(|x| *x == key))
    }

    /// An informational message; it clears itself after a few seconds
    /// unless another message has replaced it.
    pub fn say(&self, text: impl Into<String>) {
        let shown = Status {
            text: text.into(),
            is_error: false,
        };
        self.status.set(Some(shown.clone()));
        let status = self.status;
        set_timeout(
            move || {
                if status.with_untracked(|s| s.as_ref() == Some(&shown)) {
                    status.set(None);
                }
            },
            std::time::Duration::from_secs(4),
        );
    }

    pub fn refuse(&self, err: &EditError) {
        self.status.set(Some(Status {
            text: format!("Not changed: {err}."),
            is_error: true,
        }));
    }

    /// Runs an edit; the board changes only if it succeeds.
    fn edit<T>(&self, f: impl FnOnce(&mut Board) -> Result<T, EditError>) -> Option<T> {
        let mut out = None;
        let mut err = None;
        self.board.maybe_update(|b| match f(b) {
            Ok(v) => {
                out = Some(v);
                true
            }
            Err(e) => {
                err = Some(e);
                false
            }
        });
        if let Some(e) = err {
            self.refuse(&e);
        }
        out
    }

    pub fn add_shot(&self) -> Option<u32> {
        let index = self.edit(edit::add_shot)?;
        let key = self.fresh_key();
        self.keys.update(|k| k.insert(index, key));
        self.say(format!("Shot {} added.", index + 1));
        Some(key)
    }

    pub fn duplicate_shot(&self, key: u32) -> Option<u32> {
        let from = self.index_of(key)?;
        let index = self.edit(|b| edit::duplicate_shot(b, from))?;
        let new_key = self.fresh_key();
        self.keys.update(|k| k.insert(index, new_key));
        self.say(format!(
            "Shot {} duplicated as shot {}.",
            from + 1,
            index + 1
        ));
        Some(new_key)
    }

    pub fn delete_shot(&self, key: u32) {
        let Some(index) = self.index_of(key) else {
            return;
        };
        if self.edit(|b| edit::delete_shot(b, index)).is_some() {
            self.keys.update(|k| {
                k.remove(index);
            });
            self.say(format!("Shot {} deleted.", index + 1));
        }
    }

    pub fn move_shot(&self, key: u32, to: usize) {
        let Some(from) = self.index_of(key) else {
            return;
        };
        if from == to {
            return;
        }
        if let Some(to) = self.edit(|b| edit::move_shot(b, from, to)) {
            self.keys.update(|k| {
                let moved = k.remove(from);
                k.insert(to, moved);
            });
            self.say(format!("Shot {} moved to position {}.", from + 1, to + 1));
        }
    }

    pub fn set_duration(&self, key: u32, seconds: u32) -> bool {
        let Some(index) = self.index_of(key) else {
            return false;
        };
        self.edit(|b| edit::set_duration(b, index, seconds))
            .is_some()
    }

    pub fn set_shot_prompt(&self, key: u32, prompt: String) {
        if let Some(index) = self.index_of(key) {
            self.board.update(|b| {
                if let Some(shot) = b.shots.get_mut(index) {
                    shot.prompt = prompt;
                }
            });
        }
    }

    /// Replaces the whole board (import, restore).
    pub fn replace(&self, board: Board) {
        let count = board.shots.len();
        let keys: Vec<u32> = (0..count).map(|_| self.fresh_key()).collect();
        self.keys.set(keys);
        self.board.set(board);
    }
}

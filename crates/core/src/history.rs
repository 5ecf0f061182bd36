//! Undo and redo for the editor: a bounded stack of earlier states.
//!
//! The history holds whole snapshots (for the editor, a [`Board`]), not
//! diffs. The editor calls [`History::record`] with the state as it was
//! *before* each change; [`History::undo`] and [`History::redo`] take the
//! state as it is now and give back the one to show instead.
//!
//! Typing is not one step per keystroke: changes of the same
//! [`EditKind::Typing`] field, each at most [`COALESCE_WINDOW_MS`] after
//! the one before, make one step that undoes all of them.
//!
//! # Changes that change nothing
//!
//! The history never sees the state *after* a change, so it cannot tell by
//! itself that a recorded change did nothing. The editor should record only
//! when the state really changed. Where it cannot tell, the history keeps
//! such records from turning into steps that undo nothing:
//!
//! - a `before` equal to the newest step is not stored again: that step
//!   already restores exactly this state, and now stands for the new change;
//! - [`History::undo`] and [`History::redo`] pass over (and drop) any step
//!   equal to the state they are given, so each call the editor makes
//!   changes what is shown, or returns `None`.
//!
//! A no-op record still ends redo, like any record.
//!
//! Time is a plain millisecond count from the caller (`Date.now()` in the
//! browser), so the crate needs no clock of its own.
//!
//! [`Board`]: crate::board::Board

use std::collections::VecDeque;

/// Changes of one typing run merge when each comes at most this long after
/// the one before.
pub const COALESCE_WINDOW_MS: u64 = 1000;

/// What sort of change is recorded, which decides whether it merges into
/// the step before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EditKind {
    /// Typing in one text field, named by an id of the caller's choosing
    /// (one per prompt box, the title, ...). Runs of typing in the same
    /// field merge into one step.
    Typing(u32),
    /// Any other edit (a shot moved, a duration set, a reference added):
    /// always a step of its own.
    Discrete,
}

/// The typing run the newest step may still grow by: its field and the
/// time of its latest change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    field: u32,
    last_ms: u64,
}

/// A bounded undo/redo history of snapshots of type `T`.
///
/// Holds at most `limit` undo steps; the oldest are dropped beyond that.
/// `limit` 0 keeps nothing (undo is off).
#[derive(Debug, Clone)]
pub struct History<T> {
    /// Oldest first; the back is the step [`History::undo`] restores.
    undo: VecDeque<T>,
    /// The back is the state [`History::redo`] restores.
    redo: Vec<T>,
    limit: usize,
    /// The typing run the next record may join, if any.
    run: Option<Run>,
}

impl<T: PartialEq> History<T> {
    /// An empty history keeping at most `limit` undo steps.
    pub fn new(limit: usize) -> History<T> {
        History {
            undo: VecDeque::new(),
            redo: Vec::new(),
            limit,
            run: None,
        }
    }

    /// Records a change made at `at_ms`, given the state `before` it.
    ///
    /// A [`EditKind::Typing`] change joins the newest step when that step
    /// is typing in the same field and its latest change is at most
    /// [`COALESCE_WINDOW_MS`] earlier (the step keeps its older state, so
    /// one undo takes back the whole run). Otherwise a new step is added,
    /// unless `before` equals the newest step (see the module notes). Redo
    /// is cleared either way.
    pub fn record(&mut self, before: T, at_ms: u64, kind: EditKind) {
        self.redo.clear();
        let joins = match (kind, self.run) {
            (EditKind::Typing(field), Some(run)) => {
                run.field == field
                    && !self.undo.is_empty()
                    && at_ms
                        .checked_sub(run.last_ms)
                        .is_some_and(|gap| gap <= COALESCE_WINDOW_MS)
            }
            _ => false,
        };
        if !joins && self.undo.back() != Some(&before) {
            self.push_undo(before);
        }
        self.run = match kind {
            EditKind::Typing(field) => Some(Run {
                field,
                last_ms: at_ms,
            }),
            EditKind::Discrete => None,
        };
    }

    /// The state to go back to from `current`, which is kept for redo;
    /// `None` when no earlier state differs from `current` (steps equal to
    /// it are dropped on the way, and redo is left as it was).
    pub fn undo(&mut self, current: T) -> Option<T> {
        let back = pop_different(|| self.undo.pop_back(), &current)?;
        self.redo.push(current);
        self.run = None;
        Some(back)
    }

    /// The state undone last, to go forward to from `current`, which is
    /// kept for undo; `None` when there is nothing to redo that differs
    /// from `current`.
    pub fn redo(&mut self, current: T) -> Option<T> {
        let forward = pop_different(|| self.redo.pop(), &current)?;
        self.push_undo(current);
        self.run = None;
        Some(forward)
    }

    /// Whether there is a step to undo. A step left by a record that
    /// changed nothing counts, though [`History::undo`] passes over it.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets every step (for instance when another board is opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.run = None;
    }

    /// Ends the current typing run: the next record starts a new step
    /// even if it is typing in the same field within the window (call it
    /// when a field loses focus, say).
    pub fn break_coalescing(&mut self) {
        self.run = None;
    }

    fn push_undo(&mut self, state: T) {
        self.undo.push_back(state);
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
    }
}

/// Pops states with `pop` until one differs from `current`; the equal ones
/// are dropped, as restoring them would change nothing.
fn pop_different<T: PartialEq>(mut pop: impl FnMut() -> Option<T>, current: &T) -> Option<T> {
    loop {
        let state = pop()?;
        if state != *current {
            return Some(state);
        }
    }
}

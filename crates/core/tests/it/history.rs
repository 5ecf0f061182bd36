//! Undo and redo: `history::History`, with strings standing in for boards.

use storyreel_core::history::{EditKind, History, COALESCE_WINDOW_MS};
use storyreel_core::{Board, Shot};

const TITLE: EditKind = EditKind::Typing(1);
const PROMPT: EditKind = EditKind::Typing(2);

/// Plays an editor: holds the current state and records each change.
struct Editor {
    state: String,
    history: History<String>,
}

impl Editor {
    fn new(limit: usize) -> Editor {
        Editor {
            state: String::new(),
            history: History::new(limit),
        }
    }

    fn set(&mut self, text: &str, at_ms: u64, kind: EditKind) {
        let before = std::mem::replace(&mut self.state, text.to_string());
        self.history.record(before, at_ms, kind);
    }

    fn undo(&mut self) -> bool {
        match self.history.undo(self.state.clone()) {
            Some(s) => {
                self.state = s;
                true
            }
            None => false,
        }
    }

    fn redo(&mut self) -> bool {
        match self.history.redo(self.state.clone()) {
            Some(s) => {
                self.state = s;
                true
            }
            None => false,
        }
    }

    /// Undoes until nothing is left, returning each state shown.
    fn undo_all(&mut self) -> Vec<String> {
        let mut seen = Vec::new();
        while self.undo() {
            seen.push(self.state.clone());
        }
        seen
    }
}

#[test]
fn undo_and_redo_walk_the_steps_in_order() {
    let mut e = Editor::new(10);
    e.set("a", 0, EditKind::Discrete);
    e.set("ab", 5_000, EditKind::Discrete);
    e.set("abc", 10_000, EditKind::Discrete);
    assert!(e.history.can_undo());
    assert!(!e.history.can_redo());

    assert!(e.undo());
    assert_eq!(e.state, "ab");
    assert!(e.undo());
    assert_eq!(e.state, "a");
    assert!(e.history.can_redo());

    assert!(e.redo());
    assert_eq!(e.state, "ab");
    assert!(e.redo());
    assert_eq!(e.state, "abc");
    assert!(!e.redo(), "nothing left to redo");
    assert_eq!(e.state, "abc");

    assert_eq!(e.undo_all(), vec!["ab", "a", ""]);
    assert!(!e.history.can_undo());
}

#[test]
fn empty_history_gives_nothing() {
    let mut h: History<String> = History::new(10);
    assert!(!h.can_undo());
    assert!(!h.can_redo());
    assert_eq!(h.undo("now".into()), None);
    assert_eq!(h.redo("now".into()), None);
    assert!(!h.can_redo(), "a failed undo keeps nothing for redo");
}

#[test]
fn typing_in_one_field_within_the_window_is_one_step() {
    let mut e = Editor::new(10);
    e.set("x", 0, EditKind::Discrete);
    // Each keystroke comes less than the window after the one before, so
    // the run lasts longer than the window but stays one step.
    e.set("xh", 10_000, PROMPT);
    e.set("xhe", 10_000 + 600, PROMPT);
    e.set("xhel", 10_000 + 1200, PROMPT);
    e.set("xhell", 10_000 + 1200 + COALESCE_WINDOW_MS, PROMPT);
    assert_eq!(e.undo_all(), vec!["x", ""]);
    // Redo brings the whole run back at once.
    assert!(e.redo());
    assert!(e.redo());
    assert_eq!(e.state, "xhell");
    assert!(!e.history.can_redo());
}

#[test]
fn typing_after_the_window_starts_a_new_step() {
    let mut e = Editor::new(10);
    e.set("h", 0, PROMPT);
    e.set("hi", 500, PROMPT);
    e.set("hi!", 500 + COALESCE_WINDOW_MS + 1, PROMPT);
    assert_eq!(e.undo_all(), vec!["hi", ""]);
}

#[test]
fn a_clock_going_back_starts_a_new_step() {
    let mut e = Editor::new(10);
    e.set("h", 5_000, PROMPT);
    e.set("hi", 4_000, PROMPT);
    assert_eq!(e.undo_all(), vec!["h", ""]);
}

#[test]
fn typing_in_another_field_starts_a_new_step() {
    let mut e = Editor::new(10);
    e.set("p", 0, PROMPT);
    e.set("pt", 100, TITLE);
    e.set("ptt", 200, TITLE);
    e.set("pttp", 300, PROMPT);
    assert_eq!(e.undo_all(), vec!["ptt", "p", ""]);
}

#[test]
fn discrete_edits_never_merge() {
    let mut e = Editor::new(10);
    e.set("a", 0, EditKind::Discrete);
    e.set("b", 1, EditKind::Discrete);
    e.set("c", 2, PROMPT);
    // Typing right after a discrete edit does not join it either way.
    e.set("cd", 3, EditKind::Discrete);
    e.set("cde", 4, PROMPT);
    assert_eq!(e.undo_all(), vec!["cd", "c", "b", "a", ""]);
}

#[test]
fn break_coalescing_ends_the_run() {
    let mut e = Editor::new(10);
    e.set("a", 0, PROMPT);
    e.set("ab", 100, PROMPT);
    e.history.break_coalescing();
    e.set("abc", 200, PROMPT);
    e.set("abcd", 300, PROMPT);
    assert_eq!(e.undo_all(), vec!["ab", ""]);
}

#[test]
fn undo_ends_the_run() {
    let mut e = Editor::new(10);
    e.set("a", 0, PROMPT);
    e.set("ab", 100, PROMPT);
    assert!(e.undo());
    assert_eq!(e.state, "");
    e.set("x", 200, PROMPT);
    e.set("xy", 300, PROMPT);
    assert!(e.undo());
    assert_eq!(e.state, "");
    assert!(!e.undo());
}

#[test]
fn a_new_record_clears_redo() {
    let mut e = Editor::new(10);
    e.set("a", 0, EditKind::Discrete);
    e.set("ab", 5_000, EditKind::Discrete);
    assert!(e.undo());
    assert!(e.history.can_redo());
    e.set("az", 10_000, EditKind::Discrete);
    assert!(!e.history.can_redo());
    assert!(!e.redo());
    assert_eq!(e.state, "az");
    assert_eq!(e.undo_all(), vec!["a", ""]);
}

#[test]
fn typing_after_undo_is_a_new_step_and_clears_redo() {
    let mut e = Editor::new(10);
    e.set("a", 0, PROMPT);
    e.set("ab", 5_000, EditKind::Discrete);
    assert!(e.undo());
    // The undo ended the typing run, so this is a new step; redo is gone.
    e.set("ac", 5_100, PROMPT);
    e.set("acd", 5_200, PROMPT);
    assert!(!e.history.can_redo());
    assert_eq!(e.undo_all(), vec!["a", ""]);
}

#[test]
fn the_oldest_steps_drop_past_the_limit() {
    let mut e = Editor::new(3);
    for (i, s) in ["1", "2", "3", "4", "5"].into_iter().enumerate() {
        e.set(s, i as u64 * 10_000, EditKind::Discrete);
    }
    assert_eq!(e.undo_all(), vec!["4", "3", "2"]);
    // Everything undone can be redone.
    let mut redone = Vec::new();
    while e.redo() {
        redone.push(e.state.clone());
    }
    assert_eq!(redone, vec!["3", "4", "5"]);
    assert_eq!(e.undo_all(), vec!["4", "3", "2"]);
}

#[test]
fn limit_zero_keeps_nothing() {
    let mut e = Editor::new(0);
    e.set("a", 0, EditKind::Discrete);
    e.set("ab", 10, PROMPT);
    e.set("abc", 20, PROMPT);
    assert!(!e.history.can_undo());
    assert!(!e.undo());
    assert_eq!(e.state, "abc");
}

#[test]
fn a_record_that_changed_nothing_makes_no_step() {
    let mut e = Editor::new(10);
    e.set("a", 0, EditKind::Discrete);
    // Three changes that leave the text as it was ...
    e.set("a", 5_000, EditKind::Discrete);
    e.set("a", 10_000, EditKind::Discrete);
    e.set("a", 15_000, PROMPT);
    // ... then a real one.
    e.set("ab", 20_000, EditKind::Discrete);
    // Every undo shows something new; there is no step that undoes nothing.
    assert_eq!(e.undo_all(), vec!["a", ""]);
}

#[test]
fn no_op_records_do_not_push_real_steps_past_the_limit() {
    let mut e = Editor::new(2);
    e.set("a", 0, EditKind::Discrete);
    for i in 1..=5 {
        e.set("a", i * 5_000, EditKind::Discrete);
    }
    e.set("ab", 30_000, EditKind::Discrete);
    // Both real steps are still there: the no-op records took no room.
    assert_eq!(e.undo_all(), vec!["a", ""]);
}

#[test]
fn a_trailing_no_op_record_is_passed_over_by_undo() {
    let mut e = Editor::new(10);
    e.set("a", 0, EditKind::Discrete);
    e.set("a", 5_000, EditKind::Discrete);
    assert!(e.undo());
    assert_eq!(e.state, "", "the first undo already goes back");
    assert!(!e.undo());
    // And redo after it goes forward in one go.
    assert!(e.redo());
    assert_eq!(e.state, "a");
    assert!(!e.redo());
}

#[test]
fn undo_on_only_no_op_steps_returns_none_and_keeps_redo_empty() {
    let mut h: History<String> = History::new(10);
    h.record("same".into(), 0, EditKind::Discrete);
    assert!(h.can_undo(), "the history cannot know the step was empty");
    assert_eq!(h.undo("same".into()), None);
    assert!(!h.can_undo(), "the empty step is dropped");
    assert!(!h.can_redo());
}

#[test]
fn clear_forgets_everything() {
    let mut e = Editor::new(10);
    e.set("a", 0, EditKind::Discrete);
    e.set("ab", 5_000, PROMPT);
    assert!(e.undo());
    e.history.clear();
    assert!(!e.history.can_undo());
    assert!(!e.history.can_redo());
    assert!(!e.undo());
    assert!(!e.redo());
    // A record after clear starts afresh.
    e.set("ax", 5_100, PROMPT);
    assert_eq!(e.undo_all(), vec!["a"]);
}

#[test]
fn boards_as_snapshots() {
    let first = Board {
        title: "Night market".into(),
        ..Board::default()
    };
    let mut board = first.clone();
    let mut h = History::new(50);

    let before = board.clone();
    board.shots.push(Shot::new("Close-up on @mia", 3));
    h.record(before, 0, EditKind::Discrete);

    let before = board.clone();
    board.shots[1].prompt.push('.');
    h.record(before, 100, EditKind::Typing(1));

    let after = board.clone();
    let back = h.undo(board).expect("a step to undo");
    assert_eq!(back.shots[1].prompt, "Close-up on @mia");
    let back = h.undo(back).expect("a second step");
    assert_eq!(back, first);
    assert_eq!(h.redo(back).and_then(|b| h.redo(b)), Some(after));
}

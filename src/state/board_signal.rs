//! The board as the views read it: all of it, its outline, or one shot.
//!
//! Typing in a shot's prompt is most of what happens to a board, and most
//! views do not show prompts. So the prompt text of a shot has signals of
//! its own: a keystroke there wakes the readers of the whole board (the
//! rules, the history, autosave) and that shot's readers, and none of the
//! views that read only the outline (title, settings, cost, cast, frames,
//! lengths). Every other change wakes every reader.

use leptos::prelude::*;
use storyreel_core::Board;

/// Read-only outside `state`: the board changes through `Editor` only.
#[derive(Clone, Copy)]
pub struct BoardSignal {
    /// The board. Its own subscribers are not woken by prompt typing.
    value: RwSignal<Board>,
    /// Woken when the text of any shot's prompt changes.
    prompts: Trigger,
    /// Woken when the text of that shot's prompt changes, by shot key.
    shot_prompts: StoredValue<Vec<(u32, ArcTrigger)>>,
}

impl BoardSignal {
    pub(super) fn new(value: RwSignal<Board>) -> BoardSignal {
        BoardSignal {
            value,
            prompts: Trigger::new(),
            shot_prompts: StoredValue::new(Vec::new()),
        }
    }

    /// Reads the whole board and follows every change of it.
    pub fn with<T>(&self, f: impl FnOnce(&Board) -> T) -> T {
        self.track();
        self.value.with(f)
    }

    /// Follows every change of the board.
    pub fn track(&self) {
        self.prompts.track();
        self.value.track();
    }

    /// Reads the board's outline: everything but the text of its shots'
    /// prompts, which `f` must not read (it would not be woken when they
    /// change).
    pub fn with_outline<T>(&self, f: impl FnOnce(&Board) -> T) -> T {
        self.value.with(f)
    }

    /// Reads the board for the shot with `key`: the outline and that
    /// shot's prompt, and no other shot's prompt.
    pub fn with_shot<T>(&self, key: u32, f: impl FnOnce(&Board) -> T) -> T {
        self.shot_trigger(key).track();
        self.value.with(f)
    }

    pub fn with_untracked<T>(&self, f: impl FnOnce(&Board) -> T) -> T {
        self.value.with_untracked(f)
    }

    pub fn get_untracked(&self) -> Board {
        self.value.get_untracked()
    }

    /// Sets the prompt of shot `index` (key `key`), waking the readers of
    /// the whole board and of that shot only.
    pub(super) fn set_shot_prompt(&self, index: usize, key: u32, prompt: String) {
        let changed = self
            .value
            .try_update_untracked(|b| match b.shots.get_mut(index) {
                Some(shot) if shot.prompt != prompt => {
                    shot.prompt = prompt;
                    true
                }
                _ => false,
            });
        if changed == Some(true) {
            self.shot_trigger(key).notify();
            self.prompts.notify();
        }
    }

    /// Forgets the signals of shots that are gone (`keys` are those left).
    pub(super) fn retain_shots(&self, keys: &[u32]) {
        self.shot_prompts
            .update_value(|m| m.retain(|(k, _)| keys.contains(k)));
    }

    fn shot_trigger(&self, key: u32) -> ArcTrigger {
        let known = self
            .shot_prompts
            .with_value(|m| m.iter().find(|(k, _)| *k == key).map(|(_, t)| t.clone()));
        known.unwrap_or_else(|| {
            let t = ArcTrigger::new();
            self.shot_prompts.update_value(|m| m.push((key, t.clone())));
            t
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use leptos::prelude::*;
    use storyreel_core::{Board, KlingApi, Shot};
    use wasm_bindgen_test::wasm_bindgen_test;

    use crate::state::Editor;

    /// A memo over `f` and how many times it ran.
    struct Counted<T: Send + Sync + 'static> {
        memo: Memo<T>,
        runs: Arc<AtomicU32>,
    }

    impl<T: Clone + PartialEq + Send + Sync + 'static> Counted<T> {
        fn new(f: impl Fn() -> T + Send + Sync + 'static) -> Counted<T> {
            let runs = Arc::new(AtomicU32::new(0));
            let counter = runs.clone();
            let memo = Memo::new(move |_| {
                counter.fetch_add(1, Ordering::Relaxed);
                f()
            });
            Counted { memo, runs }
        }

        /// The value now (running the memo if something it read changed)
        /// and its runs so far.
        fn read(&self) -> (T, u32) {
            let value = self.memo.get_untracked();
            (value, self.runs.load(Ordering::Relaxed))
        }
    }

    fn board(prompts: &[&str]) -> Board {
        Board {
            title: "Market".into(),
            shots: prompts.iter().map(|p| Shot::new(*p, 3)).collect(),
            ..Board::default()
        }
    }

    #[wasm_bindgen_test]
    fn typing_in_a_prompt_wakes_that_shot_and_the_whole_board_only() {
        // The editor's history is an effect, which needs an executor
        // (another test may have set it up already).
        let _ = any_spawner::Executor::init_wasm_bindgen();
        let owner = Owner::new();
        owner.set();
        let editor = Editor::new(
            board(&["a stall", "the lane", "rain"]),
            "b".into(),
            Signal::stored(KlingApi::Current),
        );
        let b = editor.board;
        let title = Counted::new(move || b.with_outline(|b| b.title.clone()));
        let lengths = Counted::new(move || {
            b.with(|b| b.shots.iter().map(|s| s.prompt.len()).collect::<Vec<_>>())
        });
        let first = Counted::new(move || b.with_shot(0, |b| b.shots[0].prompt.clone()));
        let second = Counted::new(move || b.with_shot(1, |b| b.shots[1].prompt.clone()));
        assert_eq!(title.read(), ("Market".into(), 1));
        assert_eq!(lengths.read(), (vec![7, 8, 4], 1));
        assert_eq!(first.read(), ("a stall".into(), 1));
        assert_eq!(second.read(), ("the lane".into(), 1));

        editor.set_shot_prompt(0, "a fruit stall".into());
        assert_eq!(first.read(), ("a fruit stall".into(), 2));
        assert_eq!(lengths.read(), (vec![13, 8, 4], 2));
        assert_eq!(second.read(), ("the lane".into(), 1), "another shot sleeps");
        assert_eq!(title.read(), ("Market".into(), 1), "the outline sleeps");

        // The same text again changes nothing.
        editor.set_shot_prompt(0, "a fruit stall".into());
        assert_eq!(first.read().1, 2);
        assert_eq!(lengths.read().1, 2);

        // Any other edit wakes every reader.
        assert!(editor.set_duration(2, 4));
        assert_eq!(title.read(), ("Market".into(), 2));
        assert_eq!(first.read(), ("a fruit stall".into(), 3));
        assert_eq!(second.read(), ("the lane".into(), 2));
        assert_eq!(lengths.read(), (vec![13, 8, 4], 3));

        // So does another board, whose shots have new keys.
        editor.switch_to("c".into(), board(&["dawn", "dusk"]));
        assert_eq!(first.read(), ("dawn".into(), 4));
        assert_eq!(second.read(), ("dusk".into(), 3));
        assert_eq!(lengths.read(), (vec![4, 4], 4));
        // Its shots' readers follow their own keys; a reader of a key
        // that is gone is not woken.
        let key = editor.keys.get_untracked()[0];
        let dawn = Counted::new(move || b.with_shot(key, |b| b.shots[0].prompt.clone()));
        assert_eq!(dawn.read(), ("dawn".into(), 1));
        editor.set_shot_prompt(key, "dawn, fog".into());
        assert_eq!(dawn.read(), ("dawn, fog".into(), 2));
        assert_eq!(lengths.read(), (vec![9, 4], 5));
        assert_eq!(first.read().1, 4, "key 0 is not on this board");
        owner.unset();
    }
}

//! The editor's state: the board and its id in the library, a stable key
//! per shot for rendering, the rules report, the last status message, and
//! the undo history. Every edit goes through `storyreel_core::edit`, which
//! refuses what would break the board.
//!
//! The board reads through [`BoardSignal`], whole, by outline or by shot,
//! so typing in one shot's prompt wakes only what shows that shot or
//! reads the whole board (`state/board_signal.rs`).
//!
//! Undo needs no help from the edits: an effect sees every change of the
//! board and records the state before it (`storyreel_core::history`).
//! Typing in one field within a second is one step; undo and redo only
//! set the board, so they can never start a generation.

mod board_signal;

pub use board_signal::BoardSignal;

use leptos::prelude::*;
use storyreel_core::cast;
use storyreel_core::character::{Character, Roster};
use storyreel_core::edit::{self, EditError};
use storyreel_core::history::{EditKind, History};
use storyreel_core::rules::{self, Report};
use storyreel_core::{
    AspectRatio, Board, KlingApi, Provider, Reference, ReferenceKind, RequestOptions, Resolution,
};

/// A message shown in the status line.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
}

/// Shared by every component through context.
#[derive(Clone, Copy)]
pub struct Editor {
    /// The board, read-only: it changes only through this type's methods.
    pub board: BoardSignal,
    /// The same board, writable; private so every change goes through a
    /// method here.
    writable: RwSignal<Board>,
    /// One key per shot, in shot order; survives reordering.
    pub keys: RwSignal<Vec<u32>>,
    next_key: StoredValue<u32>,
    /// The Kling design the server speaks (from the settings), which the
    /// rules and the "goes to" line follow.
    pub kling_api: Signal<KlingApi>,
    /// What the character library knows of each character's element
    /// (set by the app from `characters::Characters`), which the rules
    /// read to flag an element being made, failed or deleted.
    pub roster: RwSignal<Roster>,
    pub report: Memo<Report>,
    /// The cast's names, in order; changes only when the cast does.
    pub names: Memo<Vec<String>>,
    /// The board's length and the most it may have, in seconds; changes
    /// only when a duration or the cast's video does, not while typing.
    pub seconds: Memo<(u32, u32)>,
    pub status: RwSignal<Option<Status>>,
    /// The board's id in the library.
    pub board_id: RwSignal<String>,
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
    history: StoredValue<History<Board>>,
    /// The board as the history last saw it.
    seen: StoredValue<Board>,
    /// Set while the board is set by undo, redo or a switch of board, so
    /// the change is not recorded as an edit.
    restoring: StoredValue<bool>,
    /// The field being typed in, for the next recorded change.
    typing: StoredValue<Option<u32>>,
}

/// Undo steps kept.
const HISTORY_LIMIT: usize = 200;

/// Typing ids of fields that are not shots (shots use their key).
pub const TITLE_FIELD: u32 = u32::MAX;
pub const OVERALL_FIELD: u32 = u32::MAX - 1;

impl Editor {
    pub fn new(board: Board, board_id: String, kling_api: Signal<KlingApi>) -> Editor {
        let count = board.shots.len() as u32;
        let seen = StoredValue::new(board.clone());
        let writable = RwSignal::new(board);
        let board = BoardSignal::new(writable);
        let roster = RwSignal::new(Roster::default());
        let editor = Editor {
            board,
            writable,
            keys: RwSignal::new((0..count).collect()),
            next_key: StoredValue::new(count),
            kling_api,
            roster,
            report: Memo::new(move |_| {
                let opts = RequestOptions {
                    kling_api: kling_api.get(),
                    roster: roster.get(),
                    ..RequestOptions::default()
                };
                board.with(|b| rules::check_with(b, &opts))
            }),
            names: Memo::new(move |_| {
                board.with_outline(|b| b.reference_names().map(str::to_string).collect())
            }),
            seconds: Memo::new(move |_| {
                board.with_outline(|b| (b.total_seconds(), b.max_total_seconds()))
            }),
            status: RwSignal::new(None),
            board_id: RwSignal::new(board_id),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            history: StoredValue::new(History::new(HISTORY_LIMIT)),
            seen,
            restoring: StoredValue::new(false),
            typing: StoredValue::new(None),
        };
        Effect::new(move |_| editor.board.with(|b| editor.observe(b)));
        editor
    }

    /// Records the state before a change of the board.
    fn observe(&self, now: &Board) {
        let typing = self.typing.get_value();
        self.typing.set_value(None);
        if self.restoring.get_value() {
            self.restoring.set_value(false);
            self.seen.set_value(now.clone());
            return;
        }
        let changed = self.seen.with_value(|seen| seen != now);
        if changed {
            // The state before moves into the history; `seen` takes a copy
            // of the new one (one clone per change).
            let before = self
                .seen
                .try_update_value(|seen| std::mem::replace(seen, now.clone()));
            if let Some(before) = before {
                let kind = typing.map_or(EditKind::Discrete, EditKind::Typing);
                let at = crate::net::now_ms();
                self.history.update_value(|h| h.record(before, at, kind));
            }
        }
        self.sync_history_flags();
    }

    fn sync_history_flags(&self) {
        let (undo, redo) = self.history.with_value(|h| (h.can_undo(), h.can_redo()));
        if self.can_undo.get_untracked() != undo {
            self.can_undo.set(undo);
        }
        if self.can_redo.get_untracked() != redo {
            self.can_redo.set(redo);
        }
    }

    /// Notes that the next change is typing in `field` (a shot key, or
    /// [`TITLE_FIELD`] / [`OVERALL_FIELD`]), so a burst is one undo step.
    pub fn typing_in(&self, field: u32) {
        self.typing.set_value(Some(field));
    }

    /// Steps back one edit. Only the board changes.
    pub fn undo(&self) {
        let current = self.board.get_untracked();
        match self.history.try_update_value(|h| h.undo(current)).flatten() {
            Some(before) => {
                self.set_restored(before);
                self.say("Undone.");
            }
            None => self.say("Nothing to undo."),
        }
        self.sync_history_flags();
    }

    /// Steps forward one undone edit. Only the board changes.
    pub fn redo(&self) {
        let current = self.board.get_untracked();
        match self.history.try_update_value(|h| h.redo(current)).flatten() {
            Some(after) => {
                self.set_restored(after);
                self.say("Redone.");
            }
            None => self.say("Nothing to redo."),
        }
        self.sync_history_flags();
    }

    /// Sets the board without recording it. Shot keys stay by position
    /// (cut or extended to the new count), so the panels that remain keep
    /// their fields and the focus.
    fn set_restored(&self, board: Board) {
        let count = board.shots.len();
        if self.keys.with_untracked(Vec::len) != count {
            self.keys.update(|keys| {
                keys.truncate(count);
                while keys.len() < count {
                    keys.push(self.fresh_key());
                }
            });
            self.forget_gone_shots();
        }
        self.restoring.set_value(true);
        self.seen.set_value(board.clone());
        self.writable.set(board);
    }

    pub fn expect() -> Editor {
        expect_context::<Editor>()
    }

    fn fresh_key(&self) -> u32 {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        key
    }

    /// Drops the prompt signals of shots no longer on the board.
    fn forget_gone_shots(&self) {
        self.keys.with_untracked(|k| self.board.retain_shots(k));
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
        self.writable.maybe_update(|b| match f(b) {
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
            self.forget_gone_shots();
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

    /// A shot's prompt, as typed: wakes the readers of the whole board
    /// and of this shot only.
    pub fn set_shot_prompt(&self, key: u32, prompt: String) {
        if let Some(index) = self.index_of(key) {
            self.typing_in(key);
            self.board.set_shot_prompt(index, key, prompt);
        }
    }

    /// Changes the board's settings or text in place: each change is one
    /// undo step (typing within a second in one field is coalesced by
    /// `typing_in`).
    fn change(&self, f: impl FnOnce(&mut Board)) {
        self.writable.update(f);
    }

    /// Runs a cast edit on member `name`; the board changes only if it
    /// succeeds (once the editor is gone, there is no such member).
    fn cast_edit<T>(
        &self,
        name: &str,
        f: impl FnOnce(&mut Board) -> Result<T, cast::CastError>,
    ) -> Result<T, cast::CastError> {
        self.writable
            .try_maybe_update(|b| {
                let r = f(b);
                (r.is_ok(), r)
            })
            .unwrap_or_else(|| Err(cast::CastError::NoSuchReference(name.to_string())))
    }

    /// The title, as typed: a burst of keys is one undo step.
    pub fn set_title(&self, title: String) {
        self.typing_in(TITLE_FIELD);
        self.change(|b| b.title = title);
    }

    /// The direction for every shot, as typed: a burst of keys is one
    /// undo step.
    pub fn set_overall_prompt(&self, prompt: String) {
        self.typing_in(OVERALL_FIELD);
        self.change(|b| b.prompt = prompt);
    }

    pub fn set_provider(&self, provider: Provider) {
        self.change(|b| b.provider = provider);
    }

    pub fn set_resolution(&self, resolution: Resolution) {
        self.change(|b| b.resolution = resolution);
    }

    pub fn set_aspect_ratio(&self, aspect_ratio: AspectRatio) {
        self.change(|b| b.aspect_ratio = aspect_ratio);
    }

    pub fn set_sound(&self, on: bool) {
        self.change(|b| b.sound = on);
    }

    /// The first frame (a cast image's name), or none; a last frame needs
    /// a first, so clearing the first clears the last too.
    pub fn set_first_frame(&self, name: Option<String>) {
        self.change(|b| {
            b.first_frame = name;
            if b.first_frame.is_none() {
                b.last_frame = None;
            }
        });
    }

    /// The last frame (a cast image's name), or none.
    pub fn set_last_frame(&self, name: Option<String>) {
        self.change(|b| b.last_frame = name);
    }

    /// Renames a cast member and its mentions by `core::cast::rename`.
    pub fn rename_reference(&self, old: &str, new: &str) -> Result<(), cast::CastError> {
        self.cast_edit(old, |b| cast::rename(b, old, new))
    }

    /// Removes a cast member (and the frames naming it) by
    /// `core::cast::remove`; the mentions stay as written.
    pub fn remove_reference(&self, name: &str) -> Result<Reference, cast::CastError> {
        self.cast_edit(name, |b| cast::remove(b, name))
    }

    /// Points an image or video member at another copy of its file (the
    /// server's, once uploaded); other kinds are left as they are.
    pub fn set_reference_src(&self, name: &str, src: &str) {
        self.change(|b| {
            if let Some(r) = b.references.iter_mut().find(|r| r.name == name) {
                if let ReferenceKind::Image { src: s } | ReferenceKind::Video { src: s, .. } =
                    &mut r.kind
                {
                    *s = src.to_string();
                }
            }
        });
    }

    /// Opens another board of the library in the editor: a new history.
    pub fn switch_to(&self, id: String, board: Board) {
        let count = board.shots.len();
        let keys: Vec<u32> = (0..count).map(|_| self.fresh_key()).collect();
        self.keys.set(keys);
        self.forget_gone_shots();
        self.history.update_value(History::clear);
        self.restoring.set_value(true);
        self.seen.set_value(board.clone());
        self.board_id.set(id);
        self.writable.set(board);
        self.sync_history_flags();
    }

    /// Replaces this board's content as one edit (a version from another
    /// tab): undo brings back what was there.
    pub fn replace(&self, board: Board) {
        let count = board.shots.len();
        let keys: Vec<u32> = (0..count).map(|_| self.fresh_key()).collect();
        self.keys.set(keys);
        self.forget_gone_shots();
        self.history.update_value(History::break_coalescing);
        self.writable.set(board);
    }

    /// Adds `reference` to the cast by `core::cast::add` (the board is
    /// touched only if it is added); `None` once the editor is gone.
    pub fn add_to_cast(
        &self,
        reference: Reference,
        on_the_way: cast::OnTheWay,
    ) -> Option<Result<cast::Added, cast::AddError>> {
        self.writable.try_maybe_update(|b| {
            let r = cast::add(b, reference, on_the_way);
            (r.is_ok(), r)
        })
    }

    /// Puts a library character in the cast as an element reference with
    /// its link, under a valid name made from its own that no member has
    /// yet; the name it got.
    pub fn add_character(&self, character: &Character) -> Result<String, String> {
        let name = self.board.with_untracked(|b| {
            cast::suggest_name_avoiding(&character.name, &|n| b.reference(n).is_some())
        });
        let reference = Reference::character(
            name.clone(),
            character.element_id().unwrap_or_default(),
            character.link(),
        );
        match self.add_to_cast(reference, cast::OnTheWay::default()) {
            Some(Ok(_)) => Ok(name),
            Some(Err(cast::AddError::NoRoom(why))) => Err(why.sentence()),
            Some(Err(e)) => Err(format!("{e}")),
            None => Err("the editor is closed".into()),
        }
    }

    /// Brings the board's library characters up to date: the element id
    /// once made, and the pictures and voice as the library has them. A
    /// deleted element keeps its id on the board, where the rules flag
    /// it. The board is touched only if something differs.
    pub fn sync_characters(&self, library: &[Character]) {
        self.writable.maybe_update(|b| {
            let mut changed = false;
            for r in &mut b.references {
                let ReferenceKind::Element {
                    element_id,
                    character: Some(link),
                } = &mut r.kind
                else {
                    continue;
                };
                let Some(c) = library.iter().find(|c| c.id == link.id) else {
                    continue;
                };
                if let Some(id) = c.element_id() {
                    if element_id != id {
                        *element_id = id.to_string();
                        changed = true;
                    }
                }
                let fresh = c.link();
                if **link != fresh {
                    **link = fresh;
                    changed = true;
                }
            }
            changed
        });
    }
}

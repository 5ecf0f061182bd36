//! The library panel's state and what its buttons do: list, open, new,
//! duplicate, delete and its undo.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::Board;

use crate::autosave::Autosave;
use crate::case::lower;
use crate::library::{self, Item};
use crate::state::{Editor, Status};

/// A board's title, or "Untitled board".
pub fn title_of(board: &Board) -> String {
    if board.title.trim().is_empty() {
        "Untitled board".to_string()
    } else {
        board.title.clone()
    }
}

fn matches(board: &Board, query: &str) -> bool {
    let query = lower(query.trim());
    query.is_empty() || lower(&title_of(board)).contains(&query)
}

/// Every signal of the panel with the handles its actions use; copied
/// into each part.
#[derive(Clone, Copy)]
pub struct Shelf {
    pub editor: Editor,
    autosave: Autosave,
    /// Whether the panel is open.
    pub open: RwSignal<bool>,
    /// The kept boards, newest first.
    pub items: RwSignal<Vec<Item>>,
    /// The last action's problem.
    pub error: RwSignal<Option<String>>,
    /// The title search.
    pub query: RwSignal<String>,
    /// The last deleted board and whether it was the open one, for undo.
    pub deleted: RwSignal<Option<(Item, bool)>>,
}

impl Shelf {
    /// Reads the context, so it is made while a component is built.
    pub fn new(open: RwSignal<bool>) -> Shelf {
        Shelf {
            editor: Editor::expect(),
            autosave: Autosave::expect(),
            open,
            items: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            query: RwSignal::new(String::new()),
            deleted: RwSignal::new(None),
        }
    }

    /// Reads the list again whenever the library changes while the panel
    /// is open.
    pub fn follow_library(self) {
        Effect::new(move |_| {
            self.autosave.library_changed.track();
            if self.open.get() {
                self.refresh();
            }
        });
    }

    fn refresh(self) {
        let (items, error) = (self.items, self.error);
        spawn_local(async move {
            match library::list().await {
                Ok(list) => {
                    items.set(list);
                    error.set(None);
                }
                Err(why) => error.set(Some(format!(
                    "The library could not be read: {why}. The board open here is unaffected; export it to keep a copy."
                ))),
            }
        });
    }

    /// The boards whose title matches the search.
    pub fn shown(self) -> Vec<Item> {
        let q = self.query.get();
        self.items.with(|list| {
            list.iter()
                .filter(|i| matches(&i.board, &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    }

    fn library_changed(self) {
        self.autosave
            .library_changed
            .update(|n| *n = n.wrapping_add(1));
    }

    /// Saves the open board, then runs `then`; a failed save stops it, so
    /// nothing unsaved is ever left behind.
    fn after_saving(self, then: Box<dyn FnOnce()>) {
        let (editor, autosave) = (self.editor, self.autosave);
        spawn_local(async move {
            match autosave.flush(editor).await {
                Ok(()) => then(),
                Err(why) => editor.status.set(Some(Status {
                    text: format!(
                        "Not switched: the open board could not be saved ({why}). Export it to keep a copy."
                    ),
                    is_error: true,
                })),
            }
        });
    }

    pub fn open_item(self, item: Item) {
        let (editor, open) = (self.editor, self.open);
        self.after_saving(Box::new(move || {
            let title = title_of(&item.board);
            editor.switch_to(item.id, item.board);
            open.set(false);
            editor.say(format!("Opened '{title}'."));
        }));
    }

    pub fn new_board(self) {
        let (editor, open) = (self.editor, self.open);
        self.after_saving(Box::new(move || {
            editor.switch_to(library::new_id(), Board::default());
            open.set(false);
            editor.say("Started a new board; the previous one is in your library.");
        }));
    }

    pub fn duplicate(self, item: Item) {
        let mut board = item.board;
        board.title = format!("{} (copy)", title_of(&board));
        let title = board.title.clone();
        spawn_local(async move {
            match library::put(&library::new_id(), &board).await {
                Ok(()) => {
                    self.editor.say(format!("Duplicated as '{title}'."));
                    self.library_changed();
                }
                Err(why) => self.error.set(Some(format!("Not duplicated: {why}."))),
            }
        });
    }

    pub fn delete(self, item: Item) {
        let editor = self.editor;
        let was_current = editor.board_id.with_untracked(|id| *id == item.id);
        spawn_local(async move {
            if let Err(why) = library::delete(&item.id).await {
                self.error.set(Some(format!("Not deleted: {why}.")));
                return;
            }
            if was_current {
                let next = self
                    .items
                    .with_untracked(|list| list.iter().find(|i| i.id != item.id).cloned());
                match next {
                    Some(next) => editor.switch_to(next.id, next.board),
                    None => editor.switch_to(library::new_id(), Board::default()),
                }
            }
            editor.say(format!("Deleted '{}'.", title_of(&item.board)));
            self.deleted.set(Some((item, was_current)));
            self.library_changed();
        });
    }

    pub fn undo_delete(self) {
        let Some((item, was_current)) = self.deleted.get_untracked() else {
            return;
        };
        self.deleted.set(None);
        spawn_local(async move {
            if let Err(why) = library::restore(&item).await {
                self.error
                    .set(Some(format!("Could not bring the board back: {why}.")));
                return;
            }
            let title = title_of(&item.board);
            if was_current {
                self.editor.switch_to(item.id, item.board);
            }
            self.editor.say(format!("'{title}' is back."));
            self.library_changed();
        });
    }
}

//! Autosave: the current board and its library id in the browser's local
//! storage, read synchronously at start-up. The library (`library.rs`)
//! keeps every board in IndexedDB as well.

use leptos::prelude::*;
use storyreel_core::Board;

const KEY: &str = "storyreel.board";
const UNREADABLE_KEY: &str = "storyreel.board.unreadable";
const ID_KEY: &str = "storyreel.board.id";

/// The library id of the saved board, if one was kept.
pub fn current_id() -> Option<String> {
    local()?.get_item(ID_KEY).ok().flatten()
}

/// Remembers which library board is the current one.
pub fn set_current_id(id: &str) {
    if let Some(store) = local() {
        let _ = store.set_item(ID_KEY, id);
    }
}

fn local() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// What was found at start-up.
pub enum Restored {
    Board(Board),
    Nothing,
    /// A saved board that could not be read; it is kept under another key.
    Unreadable(String),
}

pub fn load() -> Restored {
    let Some(store) = local() else {
        return Restored::Nothing;
    };
    let Ok(Some(text)) = store.get_item(KEY) else {
        return Restored::Nothing;
    };
    match Board::from_json_draft(&text) {
        Ok(board) => Restored::Board(board),
        Err(e) => {
            let _ = store.set_item(UNREADABLE_KEY, &text);
            Restored::Unreadable(format!(
                "The saved board could not be read ({e}). It is kept in browser storage as '{UNREADABLE_KEY}'; a new board was started."
            ))
        }
    }
}

/// Saves the board; the error says why it could not be kept.
pub fn save(board: &Board) -> Result<(), String> {
    save_json(&board.to_json())
}

/// Saves a board already written as JSON (`Board::to_json`), so a caller
/// that needs the text for something else writes it once.
pub fn save_json(json: &str) -> Result<(), String> {
    let store = local().ok_or_else(|| {
        "browser storage is not available (private mode?); export the board to keep it".to_string()
    })?;
    store.set_item(KEY, json).map_err(|_| {
        "browser storage refused the board (storage full?); export the board to keep it".to_string()
    })
}

/// Where the board that a copied share link replaced is kept.
pub const BEFORE_COPY_KEY: &str = "storyreel.board.before-copy";

/// Keeps the saved board (if any) under [`BEFORE_COPY_KEY`] before a
/// shared board replaces it; returns the text kept. The error says why it
/// could not be kept, and then nothing may be replaced.
pub fn keep_before_copy() -> Result<Option<String>, String> {
    let store = local().ok_or_else(|| {
        "browser storage is not available (private mode?), so your current board could not be kept"
            .to_string()
    })?;
    let Ok(Some(text)) = store.get_item(KEY) else {
        return Ok(None);
    };
    store.set_item(BEFORE_COPY_KEY, &text).map_err(|_| {
        "browser storage refused to keep your current board (storage full?)".to_string()
    })?;
    Ok(Some(text))
}

/// Session storage: set by the share page when it made a shared board the
/// saved one, read once by the editor it then opens. `kept` when the board
/// it replaced was kept under [`BEFORE_COPY_KEY`], `none` when there was
/// none.
const COPIED_KEY: &str = "storyreel.copied";

/// A shared board the user just made their own, and the board it replaced.
#[derive(Clone)]
pub struct Copied {
    pub board: Board,
    /// The saved board before the copy, if there was one (kept under
    /// [`BEFORE_COPY_KEY`]); `None` inside if it was unreadable.
    pub previous: Option<Option<Board>>,
}

/// Makes a shared board the saved one, keeping the board it replaces,
/// and tells the editor that opens next (same tab) that it was a copy.
/// The error says why nothing was replaced.
pub fn copy_shared(board: &Board) -> Result<(), String> {
    let previous = keep_before_copy()?;
    save(board)?;
    if let Some(session) = window().session_storage().ok().flatten() {
        let mark = if previous.is_some() { "kept" } else { "none" };
        let _ = session.set_item(COPIED_KEY, mark);
    }
    Ok(())
}

/// The copy the share page just made, if this page load follows one
/// (asked once: the mark is removed).
pub fn take_copied() -> Option<Copied> {
    let session = window().session_storage().ok().flatten()?;
    let mark = session.get_item(COPIED_KEY).ok().flatten()?;
    let _ = session.remove_item(COPIED_KEY);
    let Restored::Board(board) = load() else {
        return None;
    };
    let previous = match mark.as_str() {
        "kept" => Some(
            local()
                .and_then(|store| store.get_item(BEFORE_COPY_KEY).ok().flatten())
                .and_then(|text| Board::from_json_draft(&text).ok()),
        ),
        _ => None,
    };
    Some(Copied { board, previous })
}

//! The library: every board the user keeps, in IndexedDB (store `boards`
//! of the `storyreel` database, see `database.rs`).
//!
//! A record is `{key, board, updated}`: the board's id, its file text
//! (written as format 2; records saved as format 1 before are read
//! through `Board::from_json_draft`, which upgrades them) and when it was
//! last saved (ms since the epoch). The board being edited is also
//! autosaved to local storage (`storage.rs`), read the same way
//! synchronously at start-up; its id is kept there too.

use js_sys::Reflect;
use storyreel_core::Board;
use wasm_bindgen::JsValue;

use crate::database::{self, BOARDS};

/// One board in the library, as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: String,
    pub board: Board,
    pub updated_ms: f64,
}

/// A new board id: random, URL-safe.
pub fn new_id() -> String {
    let suffix = crate::net::random_bytes(6)
        .map(|b| storyreel_core::text::lower_hex(&b))
        .unwrap_or_else(|| format!("{}", crate::net::now_ms()));
    format!("board-{suffix}")
}

/// Saves `board` under `id`, stamped now.
pub async fn put(id: &str, board: &Board) -> Result<(), String> {
    put_at(id, board, js_sys::Date::now()).await
}

async fn put_at(id: &str, board: &Board, updated_ms: f64) -> Result<(), String> {
    let value = database::stamped_record(id, "board", &board.to_json(), updated_ms)?;
    database::put(BOARDS, &value).await
}

/// Puts an item back as it was (undo of a delete).
pub async fn restore(item: &Item) -> Result<(), String> {
    put_at(&item.id, &item.board, item.updated_ms).await
}

/// Every readable board, the most recently saved first. A record that
/// does not hold a readable board is skipped, never deleted.
pub async fn list() -> Result<Vec<Item>, String> {
    let values = database::all(BOARDS).await?;
    let mut items: Vec<Item> = values.iter().filter_map(item_of).collect();
    items.sort_by(|a, b| b.updated_ms.total_cmp(&a.updated_ms));
    Ok(items)
}

fn item_of(value: &JsValue) -> Option<Item> {
    let id = database::field_text(value, "key")?;
    let board = Board::from_json_draft(&database::field_text(value, "board")?).ok()?;
    let updated_ms = Reflect::get(value, &"updated".into()).ok()?.as_f64()?;
    Some(Item {
        id,
        board,
        updated_ms,
    })
}

/// Removes a board from the library.
pub async fn delete(id: &str) -> Result<(), String> {
    database::delete(BOARDS, id).await
}

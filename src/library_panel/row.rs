//! One kept board in the library: its thumbnail, title (opens it), shots,
//! length and age, duplicate and delete.

use leptos::prelude::*;

use super::shelf::{title_of, Shelf};
use super::thumbnail::Thumbnail;
use crate::library::Item;

/// "saved 3 min ago" and the like.
fn age(updated_ms: f64) -> String {
    let secs = ((js_sys::Date::now() - updated_ms) / 1000.0).max(0.0) as u64;
    match secs {
        0..=59 => "saved just now".to_string(),
        60..=3599 => format!("saved {} min ago", secs / 60),
        3600..=86_399 => format!("saved {} h ago", secs / 3600),
        _ => format!("saved {} days ago", secs / 86_400),
    }
}

#[component]
pub fn LibraryRow(item: Item, shelf: Shelf) -> impl IntoView {
    let editor = shelf.editor;
    let current = {
        let id = item.id.clone();
        move || editor.board_id.with(|c| *c == id)
    };
    let (for_open, for_dup, for_del) = (item.clone(), item.clone(), item.clone());
    let seconds: u32 = item.board.shots.iter().map(|s| s.duration).sum();
    let shots = item.board.shots.len();
    view! {
        <li
            class="library-item"
            data-id=item.id.clone()
            aria-current=move || current().then_some("true")
        >
            <Thumbnail board=item.board.clone() />
            <div class="library-text">
                <button
                    class="library-open link-like"
                    title="Open this board"
                    on:click=move |_| shelf.open_item(for_open.clone())
                >
                    {title_of(&item.board)}
                </button>
                <span class="muted">
                    {format!(
                        "{shots} shot{} · {seconds} s · {}",
                        if shots == 1 { "" } else { "s" },
                        age(item.updated_ms),
                    )}
                </span>
            </div>
            <button class="small library-duplicate" on:click=move |_| shelf.duplicate(for_dup.clone())>
                "Duplicate"
            </button>
            <button class="small library-delete" on:click=move |_| shelf.delete(for_del.clone())>
                "Delete"
            </button>
        </li>
    }
}

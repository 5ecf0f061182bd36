//! What the library panel says after an action: a deleted board with its
//! undo, or the last problem.

use leptos::prelude::*;

use super::shelf::{title_of, Shelf};

#[component]
pub fn LibraryNotes(shelf: Shelf) -> impl IntoView {
    let (deleted, error) = (shelf.deleted, shelf.error);
    view! {
        <Show when=move || deleted.with(Option::is_some)>
            <p class="library-deleted">
                {move || deleted.with(|d| d.as_ref().map(|(i, _)| format!("Deleted '{}'.", title_of(&i.board))))}
                <button id="library-undo" class="small" on:click=move |_| shelf.undo_delete()>
                    "Undo"
                </button>
            </p>
        </Show>
        <Show when=move || error.with(Option::is_some)>
            <p id="library-error" class="error-text" role="alert">
                {move || error.get().unwrap_or_default()}
            </p>
        </Show>
    }
}

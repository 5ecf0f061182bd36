//! The library panel's heading: the title search, a new board, close.

use leptos::prelude::*;

use super::shelf::Shelf;

#[component]
pub fn LibraryHead(shelf: Shelf) -> impl IntoView {
    let (query, open) = (shelf.query, shelf.open);
    view! {
        <div class="library-head">
            <h2 id="library-heading">"Your boards"</h2>
            <input
                id="library-search"
                type="search"
                placeholder="Search titles"
                aria-label="Search board titles"
                prop:value=query
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <button id="library-new" on:click=move |_| shelf.new_board()>
                "New board"
            </button>
            <button
                class="status-close"
                aria-label="Close the library"
                on:click=move |_| open.set(false)
            >
                "×"
            </button>
        </div>
    }
}

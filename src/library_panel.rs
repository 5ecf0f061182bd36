//! The library panel: every kept board with a thumbnail of its shots,
//! title search, new, open, duplicate, and delete with undo.
//!
//! The parts: `shelf` (the panel's signals and what its buttons do),
//! `head` (search, new, close), `notes` (the undo of a delete, the last
//! problem), `row` (one board) and `thumbnail`.

mod head;
mod notes;
mod row;
mod shelf;
mod thumbnail;

use leptos::prelude::*;

use head::LibraryHead;
use notes::LibraryNotes;
use row::LibraryRow;
use shelf::Shelf;

/// Whether the library panel is open; provided by the app.
#[derive(Clone, Copy)]
pub struct LibraryOpen(pub RwSignal<bool>);

#[component]
pub fn LibraryButton() -> impl IntoView {
    let open = expect_context::<LibraryOpen>().0;
    view! {
        <button
            id="library-toggle"
            title="Your boards (Alt+B)"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            "Boards"
        </button>
    }
}

/// The panel when open; its content is code that loads the first time it
/// opens (`lazy!`, src/lazy.rs).
#[component]
pub fn LibraryPanel() -> impl IntoView {
    let shelf = Shelf::new(expect_context::<LibraryOpen>().0);
    shelf.follow_library();
    let open = shelf.open;
    view! {
        <Show when=move || open.get()>
            <Suspense>{move || Suspend::new(async move { library_content(shelf).await })}</Suspense>
        </Show>
    }
}

lazy! {
    fn library_content(shelf: Shelf) -> AnyView {
        let (items, query) = (shelf.items, shelf.query);
        view! {
            <section id="library" class="library" aria-labelledby="library-heading">
                <LibraryHead shelf />
                <LibraryNotes shelf />
                <ul id="library-list" class="library-list">
                    <For
                        each=move || shelf.shown()
                        key=|item| (item.id.clone(), item.updated_ms.to_bits())
                        children=move |item| view! { <LibraryRow item shelf /> }
                    />
                </ul>
                <Show when=move || items.with(|l| !l.is_empty()) && shelf.shown().is_empty()>
                    <p class="muted">{move || format!("No board titled like '{}'.", query.get())}</p>
                </Show>
            </section>
        }
        .into_any()
    }
}

//! The character library's panel: every character with its frontal
//! image, search by name, description and kind, a new character, export
//! and import, Kling's elements to pick from, and delete with undo. Each
//! character is a `CharacterCard`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::Character;

use crate::case::lower;
use crate::character_card::CharacterCard;
use crate::character_form::CharacterForm;
use crate::characters::Characters;
use crate::state::Editor;

/// Whether the character library is open; provided by the app.
#[derive(Clone, Copy)]
pub struct CharactersOpen(pub RwSignal<bool>);

/// A character deleted from the library, until it is brought back or
/// another is deleted.
#[derive(Clone, Copy)]
pub struct Deleted(pub RwSignal<Option<Character>>);

fn matches(c: &Character, query: &str) -> bool {
    let q = lower(query.trim());
    q.is_empty()
        || lower(&c.name).contains(&q)
        || lower(&c.description).contains(&q)
        || lower(c.tag.label()).contains(&q)
}

#[component]
pub fn CharactersButton() -> impl IntoView {
    let open = expect_context::<CharactersOpen>().0;
    view! {
        <button
            id="characters-toggle"
            title="Your characters: a cast that carries from board to board"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            "Characters"
        </button>
    }
}

/// The panel when open. Its content (with the form, the cards, the voice
/// picker and Kling's element browser) is code that loads the first time
/// it opens (`lazy!`, src/lazy.rs).
#[component]
pub fn CharactersPanel() -> impl IntoView {
    let open = expect_context::<CharactersOpen>().0;
    view! {
        <Show when=move || open.get()>
            <Suspense>{move || Suspend::new(async move { characters_content().await })}</Suspense>
        </Show>
    }
}

lazy! {
    fn characters_content() -> AnyView {
        view! { <Content /> }.into_any()
    }
}

#[component]
fn Content() -> impl IntoView {
    let characters = Characters::expect();
    let editor = Editor::expect();
    let open = expect_context::<CharactersOpen>().0;
    let query = RwSignal::new(String::new());
    let adding = RwSignal::new(false);
    let browsing = RwSignal::new(false);
    let deleted = Deleted(RwSignal::new(None));
    provide_context(deleted);
    Effect::new(move |_| {
        if open.get() {
            characters.reload();
        }
    });

    let undo_delete = move |_| {
        let Some(c) = deleted.0.get_untracked() else {
            return;
        };
        deleted.0.set(None);
        spawn_local(async move {
            let name = c.name.clone();
            match crate::characters::put(&c).await {
                Ok(()) => {
                    characters.changed();
                    editor.say(format!("'{name}' is back in your characters."));
                }
                Err(why) => characters
                    .error
                    .set(Some(format!("Could not bring '{name}' back: {why}."))),
            }
        });
    };

    let shown = move || {
        let q = query.get();
        characters.items.with(|all| {
            all.iter()
                .filter(|c| matches(c, &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    view! {
            <section id="characters" class="library characters" aria-labelledby="characters-heading">
                <div class="library-head">
                    <h2 id="characters-heading">"Your characters"</h2>
                    <input
                        id="characters-search"
                        type="search"
                        placeholder="Search characters"
                        aria-label="Search characters by name, description or kind"
                        prop:value=query
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                    <button id="characters-new" on:click=move |_| adding.update(|a| *a = !*a)>
                        "New character"
                    </button>
                    <button
                        id="characters-browse"
                        aria-expanded=move || browsing.get().to_string()
                        on:click=move |_| browsing.update(|b| *b = !*b)
                    >
                        "Kling's elements"
                    </button>
                    <crate::library_file::LibraryFile />
                    <button
                        class="status-close"
                        aria-label="Close the characters"
                        on:click=move |_| open.set(false)
                    >
                        "×"
                    </button>
                </div>
                <Show when=move || adding.get()>
                    <CharacterForm on_done=move |()| adding.set(false) />
                </Show>
                <Show when=move || browsing.get()>
                    <crate::element_browser::ElementBrowser />
                </Show>
                <Show when=move || deleted.0.with(Option::is_some)>
                    <p class="library-deleted">
                        {move || deleted.0.with(|d| d.as_ref().map(|c| format!("Deleted '{}'.", c.name)))}
                        <button id="characters-undo" class="small" on:click=undo_delete>
                            "Undo"
                        </button>
                    </p>
                </Show>
                <Show when=move || characters.error.with(Option::is_some)>
                    <p id="characters-error" class="error-text" role="alert">
                        {move || characters.error.get().unwrap_or_default()}
                    </p>
                </Show>
                <ul id="characters-list" class="library-list characters-list">
                    <For
                        each=shown
                        key=|c| (c.id.clone(), c.updated_ms, format!("{:?}", c.element))
                        let:character
                    >
                        <CharacterCard character />
                    </For>
                </ul>
                <Show when=move || characters.items.with(Vec::is_empty) && !adding.get()>
                    <p class="muted">
                        "No characters yet. A character is made once from a frontal image and 1–3 others (or one short video), becomes a Kling element, and keeps its face, clothes and voice from board to board."
                    </p>
                </Show>
                <Show when=move || characters.items.with(|l| !l.is_empty()) && shown().is_empty()>
                    <p class="muted">{move || format!("No character like '{}'.", query.get())}</p>
                </Show>
            </section>
    }
}

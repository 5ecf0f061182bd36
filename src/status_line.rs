//! The status line: the last message, announced to screen readers, with
//! Undo while the message of a copied shared board is shown.

use leptos::prelude::*;

use crate::library::{self, Item};
use crate::state::Editor;

/// What Undo in the status line restores, while `message` is shown: the
/// board the copy replaced, and the copy's id.
#[derive(Clone)]
pub struct UndoCopy {
    pub message: String,
    pub previous: Item,
    pub copy_id: String,
}

/// The last message, announced to screen readers.
#[component]
pub fn StatusLine(undo: RwSignal<Option<UndoCopy>>) -> impl IntoView {
    let editor = Editor::expect();
    // Undo is offered only while its own message is the one shown.
    let can_undo = move || {
        undo.with(|u| {
            u.as_ref().is_some_and(|u| {
                editor
                    .status
                    .with(|s| s.as_ref().is_some_and(|s| s.text == u.message))
            })
        })
    };
    let on_undo = move |_| {
        if let Some(u) = undo.get_untracked() {
            undo.set(None);
            editor.switch_to(u.previous.id, u.previous.board);
            editor.say("Your previous board is back; the shared copy was discarded.");
            leptos::task::spawn_local(async move {
                let _ = library::delete(&u.copy_id).await;
            });
        }
    };
    view! {
        <div
            id="status"
            class="status"
            role="status"
            aria-live="polite"
            class:error=move || editor.status.with(|s| s.as_ref().is_some_and(|s| s.is_error))
            class:empty=move || editor.status.with(Option::is_none)
        >
            {move || editor.status.with(|s| s.as_ref().map(|s| s.text.clone()).unwrap_or_default())}
            <Show when=can_undo>
                <button id="undo-copy" class="small" on:click=on_undo>
                    "Undo"
                </button>
            </Show>
            <Show when=move || editor.status.with(Option::is_some)>
                <button
                    class="status-close"
                    aria-label="Dismiss message"
                    on:click=move |_| editor.status.set(None)
                >
                    "×"
                </button>
            </Show>
        </div>
    }
}

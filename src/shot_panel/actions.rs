//! A shot's buttons: move earlier or later, duplicate, delete.

use leptos::prelude::*;

use crate::dom;
use crate::state::Editor;

#[component]
pub fn ShotActions(key: u32, index: Memo<usize>) -> impl IntoView {
    let editor = Editor::expect();
    let count = Memo::new(move |_| editor.keys.with(Vec::len));
    let duplicate = move |_| {
        if let Some(k) = editor.duplicate_shot(key) {
            if let Some(i) = editor.index_of(k) {
                dom::focus_id_later(format!("shot-{i}-prompt"));
            }
        }
    };

    view! {
        <div class="shot-actions">
            <button
                aria-label=move || format!("Move shot {} earlier", index.get() + 1)
                disabled=move || index.get() == 0
                on:click=move |_| {
                    editor.move_shot(key, index.get_untracked().saturating_sub(1));
                }
            >
                "←"
            </button>
            <button
                aria-label=move || format!("Move shot {} later", index.get() + 1)
                disabled=move || { index.get() + 1 >= count.get() }
                on:click=move |_| editor.move_shot(key, index.get_untracked() + 1)
            >
                "→"
            </button>
            <button
                class="shot-duplicate"
                aria-label=move || format!("Duplicate shot {}", index.get() + 1)
                on:click=duplicate
            >
                "Duplicate"
            </button>
            <button
                class="shot-delete danger"
                aria-label=move || format!("Delete shot {}", index.get() + 1)
                disabled=move || { count.get() <= 1 }
                on:click=move |_| editor.delete_shot(key)
            >
                "Delete"
            </button>
        </div>
    }
}

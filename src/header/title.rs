//! The board's title, typed in place: a burst of keys is one undo step.

use leptos::prelude::*;

use crate::state::Editor;

#[component]
pub fn TitleField() -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let title = Memo::new(move |_| board.with_outline(|b| b.title.clone()));
    view! {
        <label class="title-field">
            <span class="visually-hidden">"Board title"</span>
            <input
                id="board-title"
                type="text"
                placeholder="Untitled board"
                maxlength="120"
                prop:value=title
                on:input=move |ev| editor.set_title(event_target_value(&ev))
            />
        </label>
    }
}

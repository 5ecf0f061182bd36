//! The head of a shared board: its title and summary, "Make a copy"
//! (its error shown under it) and the way back to the user's board.

use leptos::prelude::*;
use storyreel_core::Board;

#[component]
pub fn SharedHead(
    title: String,
    summary: String,
    board: Board,
    on_copy: Callback<Board, Result<(), String>>,
    on_editor: Callback<()>,
) -> impl IntoView {
    let copy_error = RwSignal::new(None::<String>);
    let copy_board = StoredValue::new(board);
    view! {
        <section class="shared-head">
            <div class="shared-heading">
                <h2>"Shared board"</h2>
                <p class="shared-title" id="shared-title">{title}</p>
                <p class="shared-summary" id="shared-summary">{summary}</p>
            </div>
            <div class="shared-actions">
                <button
                    id="make-copy"
                    class="primary"
                    title="Open this board in your editor; your current board is kept"
                    on:click=move |_| {
                        if let Err(why) = on_copy.run(copy_board.get_value()) {
                            copy_error.set(Some(why));
                        }
                    }
                >
                    "Make a copy"
                </button>
                <button id="open-editor" on:click=move |_| on_editor.run(())>
                    "Back to my board"
                </button>
            </div>
        </section>
        {move || {
            copy_error
                .get()
                .map(|why| {
                    view! {
                        <p id="shared-copy-error" class="shared-copy-error" role="alert">
                            {format!("Not copied: {why}. Export your board first, then try again.")}
                        </p>
                    }
                })
        }}
    }
}

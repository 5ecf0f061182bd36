//! The direction for every shot: the board's overall prompt.

use leptos::prelude::*;

use crate::prompt_field::PromptField;
use crate::state::Editor;

#[component]
pub fn OverallDirection() -> impl IntoView {
    let editor = Editor::expect();
    let overall = Memo::new(move |_| editor.board.with_outline(|b| b.prompt.clone()));
    let set_overall = Callback::new(move |text: String| editor.set_overall_prompt(text));
    view! {
        <section class="overall" aria-labelledby="overall-heading">
            <h2 id="overall-heading">"Direction for every shot"</h2>
            <PromptField
                dom_id="board-prompt".to_string()
                label="Overall prompt".to_string()
                placeholder="Style, light, camera, mood: applies to every shot.".to_string()
                value=overall
                max=storyreel_core::limits::MAX_BOARD_PROMPT_CHARS
                rows=2
                on_change=set_overall
            />
        </section>
    }
}

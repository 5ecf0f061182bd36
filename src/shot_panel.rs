//! One panel per shot: its prompt, duration stepper and actions.
//!
//! The parts, each following this shot's own memos so a keystroke in
//! another shot's prompt re-runs none of them: `stepper` (the length),
//! `actions` (move, duplicate, delete), `chips` (the cast it cites),
//! `dialogue` (its quoted lines and the time they need) and `problems`.

mod actions;
mod chips;
mod dialogue;
mod problems;
mod stepper;

use leptos::prelude::*;
use storyreel_core::limits::MAX_SHOT_PROMPT_CHARS;
use wasm_bindgen::JsCast;

use crate::cast_item::DRAG_TYPE;
use crate::prompt_field::PromptField;
use crate::state::Editor;
use actions::ShotActions;
use chips::ShotChips;
use dialogue::ShotDialogue;
use problems::ShotProblems;
use stepper::Stepper;

#[component]
pub fn ShotPanels() -> impl IntoView {
    let editor = Editor::expect();
    view! {
        <section class="shots" aria-labelledby="shots-heading">
            <h2 id="shots-heading" class="visually-hidden">"Shots"</h2>
            <ol class="shot-list">
                <For each=move || editor.keys.get() key=|k| *k let:key>
                    <ShotPanel key=key />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn ShotPanel(key: u32) -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let index = Memo::new(move |_| editor.index_of(key).unwrap_or(0));
    // This shot alone: the parts below follow it, and a keystroke in
    // another shot's prompt does not even wake this memo.
    let shot = Memo::new(move |_| {
        let i = index.get();
        board
            .with_shot(key, |b| b.shots.get(i).cloned())
            .unwrap_or_default()
    });
    let prompt = Memo::new(move |_| shot.with(|s| s.prompt.clone()));
    let duration = Memo::new(move |_| shot.with(|s| s.duration));
    let on_prompt = Callback::new(move |text: String| editor.set_shot_prompt(key, text));

    view! {
        <li
            class="shot-panel"
            id=move || format!("shot-{}", index.get())
            on:dragover=move |ev: web_sys::DragEvent| {
                let ours = ev
                    .data_transfer()
                    .is_some_and(|d| d.types().iter().any(|t| t.as_string().as_deref() == Some(DRAG_TYPE)));
                if ours {
                    ev.prevent_default();
                }
            }
            on:drop=move |ev| cite_dropped(editor, key, index, prompt, ev)
        >
            <div class="shot-head">
                <h3>{move || format!("Shot {}", index.get() + 1)}</h3>
                <Stepper key index duration />
                <ShotActions key index />
            </div>
            {move || {
                let i = index.get();
                view! {
                    <PromptField
                        dom_id=format!("shot-{i}-prompt")
                        label=format!("Shot {} prompt", i + 1)
                        placeholder="What happens? Cite the cast with @name; put dialogue in quotes.".to_string()
                        value=prompt
                        max=MAX_SHOT_PROMPT_CHARS
                        on_change=on_prompt
                    />
                }
            }}
            <ShotChips index prompt />
            <ShotDialogue index prompt duration />
            <ShotProblems index />
        </li>
    }
}

/// A cast item dropped on the shot (not on its prompt, where the browser
/// inserts the `@name` at the drop point) is cited at the end.
fn cite_dropped(
    editor: Editor,
    key: u32,
    index: Memo<usize>,
    prompt: Memo<String>,
    ev: web_sys::DragEvent,
) {
    let Some(dt) = ev.data_transfer() else { return };
    let Ok(name) = dt.get_data(DRAG_TYPE) else {
        return;
    };
    let on_text = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| el.tag_name() == "TEXTAREA");
    if name.is_empty() || on_text {
        return;
    }
    ev.prevent_default();
    let text = prompt.get_untracked();
    let joined = if text.trim().is_empty() {
        format!("@{name} ")
    } else {
        format!("{} @{name}", text.trim_end())
    };
    editor.set_shot_prompt(key, joined);
    editor.say(format!(
        "@{name} cited in shot {}.",
        index.get_untracked() + 1
    ));
}

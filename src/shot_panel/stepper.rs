//! A shot's length: one second shorter or longer, within what the board
//! allows.

use leptos::prelude::*;

use crate::state::Editor;

#[component]
pub fn Stepper(key: u32, index: Memo<usize>, duration: Memo<u32>) -> impl IntoView {
    let editor = Editor::expect();
    // `edit::max_duration` from the board's seconds and this shot's.
    let max_here = Memo::new(move |_| {
        let (total, max) = editor.seconds.get();
        let current = duration.get();
        max.saturating_sub(total.saturating_sub(current))
            .max(current)
    });
    let step = move |delta: i32| {
        let next = (duration.get_untracked() as i32 + delta).max(0) as u32;
        editor.set_duration(key, next);
    };

    view! {
        <div class="stepper" role="group" aria-label=move || format!("Length of shot {}", index.get() + 1)>
            <button
                id=move || format!("shot-{}-shorter", index.get())
                aria-label="One second shorter"
                disabled=move || { duration.get() <= 1 }
                on:click=move |_| step(-1)
            >
                "−"
            </button>
            <output id=move || format!("shot-{}-duration", index.get()) tabindex="-1" aria-live="polite">
                {move || format!("{} s", duration.get())}
            </output>
            <button
                id=move || format!("shot-{}-longer", index.get())
                aria-label="One second longer"
                aria-disabled=move || { if duration.get() >= max_here.get() { "true" } else { "false" } }
                class:looks-disabled=move || { duration.get() >= max_here.get() }
                on:click=move |_| step(1)
            >
                "+"
            </button>
        </div>
    }
}

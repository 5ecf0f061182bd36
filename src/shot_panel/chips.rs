//! The cast a shot cites, as chips that show each in the cast.

use leptos::prelude::*;
use storyreel_core::cast;

use crate::cast_item::{thumb_of, ThumbView};
use crate::dom;
use crate::settings::Settings;
use crate::state::Editor;

#[component]
pub fn ShotChips(index: Memo<usize>, prompt: Memo<String>) -> impl IntoView {
    let editor = Editor::expect();
    let settings = Settings::expect();
    let chips = Memo::new(move |_| {
        editor.names.with(|names| {
            prompt.with(|p| {
                cast::mentioned_in(p, names.iter().map(String::as_str))
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
        })
    });

    view! {
        <ul class="shot-chips" aria-label=move || format!("Cast in shot {}", index.get() + 1)>
            <For each=move || chips.get() key=|n| n.clone() let:n>
                {
                    let target = format!("ref-{n}");
                    let thumb = thumb_of(editor, settings, &n);
                    view! {
                        <li>
                            <button
                                class="chip"
                                data-ref=n.clone()
                                title=format!("@{n}: show in the cast")
                                on:click=move |_| dom::focus_id(&target)
                            >
                                <ThumbView thumb=thumb name=n.clone() />
                                <span>"@" {n.clone()}</span>
                            </button>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

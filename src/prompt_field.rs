//! A prompt editor: textarea with a live character counter, `@` completion
//! of cast names, and mentions and quoted dialogue highlighted behind the
//! text (unknown mentions marked).
//!
//! The parts: `counter` (the label and the counter), `backdrop` (the
//! highlights), `completion` (the menu's state and keys) and
//! `completion_list` (the menu).

mod backdrop;
mod completion;
mod completion_list;
mod counter;

use leptos::ev;
use leptos::html::Textarea;
use leptos::prelude::*;
use storyreel_core::text::char_len;

use crate::state::Editor;
use backdrop::Backdrop;
use completion::Menu;
use completion_list::CompletionList;
use counter::LabelRow;

#[component]
pub fn PromptField(
    dom_id: String,
    label: String,
    #[prop(optional, into)] placeholder: String,
    #[prop(into)] value: Signal<String>,
    max: usize,
    #[prop(default = 4)] rows: u32,
    on_change: Callback<String>,
) -> impl IntoView {
    let editor = Editor::expect();
    let area = NodeRef::<Textarea>::new();
    let backdrop = NodeRef::<leptos::html::Div>::new();
    let menu = Menu::new(area, editor.names, on_change);
    let counter_id = format!("{dom_id}-count");
    let menu_id = format!("{dom_id}-menu");

    let chars = Memo::new(move |_| value.with(|v| char_len(v)));
    let active_option = {
        let menu_id = menu_id.clone();
        move || {
            menu.shown.with(|m| {
                m.as_ref()
                    .map(|(_, selected)| format!("{menu_id}-{selected}"))
                    .unwrap_or_default()
            })
        }
    };

    view! {
        <div class="prompt-field">
            <LabelRow label label_for=dom_id.clone() counter_id=counter_id.clone() chars max />
            <div class="prompt-box">
                <Backdrop value names=editor.names scroll_ref=backdrop />
                <textarea
                    id=dom_id
                    node_ref=area
                    rows=rows
                    placeholder=placeholder
                    spellcheck="true"
                    aria-describedby=counter_id
                    aria-autocomplete="list"
                    aria-controls=menu_id.clone()
                    aria-activedescendant=active_option
                    aria-invalid=move || { if chars.get() > max { "true" } else { "false" } }
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        on_change.run(event_target_value(&ev));
                        menu.refresh();
                    }
                    on:keydown=move |ev| menu.on_keydown(ev)
                    on:keyup=move |ev: ev::KeyboardEvent| {
                        if matches!(ev.key().as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
                            menu.refresh();
                        }
                    }
                    on:click=move |_| menu.refresh()
                    on:blur=move |_| menu.close()
                    on:scroll=move |_| {
                        if let (Some(a), Some(b)) = (area.get_untracked(), backdrop.get_untracked()) {
                            b.set_scroll_top(a.scroll_top());
                        }
                    }
                ></textarea>
                <CompletionList menu menu_id />
            </div>
        </div>
    }
}

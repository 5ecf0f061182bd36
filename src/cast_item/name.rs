//! A cast item's name, renamed in place (its mentions follow). Why a
//! rename was refused goes to `error`, which the item shows.

use leptos::prelude::*;

use crate::state::Editor;

#[component]
pub fn CastName(name: String, error: RwSignal<Option<String>>) -> impl IntoView {
    let editor = Editor::expect();
    let name = StoredValue::new(name);
    let renaming = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let stop = move || {
        renaming.set(false);
        error.set(None);
    };
    let save = move || {
        let old = name.get_value();
        let new = draft.get_untracked().trim().to_string();
        match editor.rename_reference(&old, &new) {
            Ok(()) => {
                stop();
                if old != new {
                    editor.say(format!("@{old} is now @{new}; its mentions were renamed."));
                    crate::dom::focus_id_later(format!("ref-{new}"));
                }
            }
            // Nothing changed; the draft stays for the user to fix.
            Err(e) => error.set(Some(format!("Not renamed: {e}."))),
        }
    };

    view! {
        <Show
            when=move || renaming.get()
            fallback=move || {
                view! {
                    <button
                        class="cast-name link"
                        title="Rename"
                        aria-label=move || format!("Rename @{}", name.get_value())
                        on:click=move |_| {
                            draft.set(name.get_value());
                            error.set(None);
                            renaming.set(true);
                            crate::dom::focus_id_later(format!("rename-{}", name.get_value()));
                        }
                    >
                        "@"
                        {name.get_value()}
                    </button>
                }
            }
        >
            <form
                class="cast-rename"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save();
                }
            >
                <input
                    id=format!("rename-{}", name.get_value())
                    class="cast-rename-input"
                    type="text"
                    maxlength="40"
                    aria-label="New name"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            stop();
                        }
                    }
                />
                <button type="submit" class="small">"Save"</button>
                <button type="button" class="small" on:click=move |_| stop()>
                    "Cancel"
                </button>
            </form>
        </Show>
    }
}

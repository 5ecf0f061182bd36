//! The completion menu under a prompt: the cast names that complete the
//! half-typed `@name`, the selected one marked.

use leptos::prelude::*;

use super::completion::Menu;

/// `menu_id` names the list; each option is `{menu_id}-{i}`.
#[component]
pub fn CompletionList(menu: Menu, menu_id: String) -> impl IntoView {
    let shown = menu.shown;
    let option_prefix = menu_id.clone();
    view! {
        <Show when=move || shown.with(Option::is_some)>
            <ul class="completions" role="listbox" id=menu_id.clone() aria-label="Cast names">
                {
                    let option_prefix = option_prefix.clone();
                    move || {
                        let option_prefix = option_prefix.clone();
                        shown.get()
                            .map(|(names, chosen)| {
                                names
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, n)| {
                                        let selected = i == chosen;
                                        view! {
                                            <li
                                                id=format!("{option_prefix}-{i}")
                                                role="option"
                                                aria-selected=if selected { "true" } else { "false" }
                                                class:selected=selected
                                                on:mousedown=move |ev| {
                                                    ev.prevent_default();
                                                    menu.accept(i);
                                                }
                                            >
                                                "@"
                                                {n}
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            })
                    }
                }
            </ul>
        </Show>
    }
}

//! fal's bring-your-own-key mode: the key for this tab only, with the
//! warning of what that means.

use leptos::prelude::*;

use super::Settings;

#[component]
pub fn FalKey(settings: Settings) -> impl IntoView {
    let key_typed = RwSignal::new(String::new());
    view! {
        <details class="byok" open=move || settings.fal_key.with(Option::is_some)>
            <summary>"fal: use my own key"</summary>
            <p class="warn-text">
                "The key is kept in this tab's session storage only (gone when the tab closes) "
                "and sent from your browser straight to fal. Any script or extension running in "
                "this page could read it. Use a key you can revoke."
            </p>
            <Show
                when=move || settings.fal_key.with(Option::is_some)
                fallback=move || {
                    view! {
                        <form
                            class="row"
                            on:submit=move |ev| {
                                ev.prevent_default();
                                settings.set_fal_key(Some(key_typed.get_untracked()));
                                key_typed.set(String::new());
                            }
                        >
                            <input
                                id="fal-key"
                                type="password"
                                autocomplete="off"
                                placeholder="fal key"
                                prop:value=key_typed
                                on:input=move |ev| key_typed.set(event_target_value(&ev))
                            />
                            <button type="submit" class="small">"Use for this tab"</button>
                        </form>
                    }
                }
            >
                <div class="row">
                    <span class="hint">"fal calls use your key."</span>
                    <button
                        id="fal-key-clear"
                        class="small"
                        on:click=move |_| settings.set_fal_key(None)
                    >
                        "Forget key"
                    </button>
                </div>
            </Show>
        </details>
    }
}

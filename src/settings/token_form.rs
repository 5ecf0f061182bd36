//! The server's access token for this tab: set or forget it.

use leptos::prelude::*;

use super::Settings;

#[component]
pub fn TokenForm(settings: Settings) -> impl IntoView {
    let token_typed = RwSignal::new(String::new());
    view! {
        <form
            class="token-form"
            on:submit=move |ev| {
                ev.prevent_default();
                settings.set_access_token(Some(token_typed.get_untracked()));
                token_typed.set(String::new());
            }
        >
            <label for="access-token">"Access token"</label>
            <div class="row">
                <input
                    id="access-token"
                    type="password"
                    autocomplete="off"
                    placeholder=move || {
                        if settings.access_token.with(Option::is_some) {
                            "set for this tab"
                        } else {
                            "only if the server asks for one"
                        }
                    }
                    prop:value=token_typed
                    on:input=move |ev| token_typed.set(event_target_value(&ev))
                />
                <button type="submit" id="access-token-save" class="small">"Use"</button>
                <Show when=move || settings.access_token.with(Option::is_some)>
                    <button
                        type="button"
                        id="access-token-clear"
                        class="small"
                        on:click=move |_| settings.set_access_token(None)
                    >
                        "Forget"
                    </button>
                </Show>
            </div>
        </form>
    }
}

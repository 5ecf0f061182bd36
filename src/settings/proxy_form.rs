//! The proxy URL: typed, checked and saved, with where it came from.

use leptos::prelude::*;

use super::Settings;

#[component]
pub fn ProxyForm(settings: Settings) -> impl IntoView {
    let typed = RwSignal::new(settings.proxy.get_untracked());
    let problem = RwSignal::new(None::<String>);
    let apply = move || match settings.set_proxy(&typed.get_untracked()) {
        Ok(()) => {
            problem.set(None);
            typed.set(settings.proxy.get_untracked());
        }
        Err(e) => problem.set(Some(format!("Not saved: {e}."))),
    };

    view! {
        <form
            class="proxy-form"
            on:submit=move |ev| {
                ev.prevent_default();
                apply();
            }
        >
            <label for="proxy-url">"Proxy URL"</label>
            <div class="row">
                <input
                    id="proxy-url"
                    type="text"
                    inputmode="url"
                    placeholder="this server (leave empty)"
                    prop:value=typed
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    aria-describedby="proxy-help"
                />
                <button type="submit" id="proxy-save" class="small">"Use"</button>
            </div>
        </form>
        <p id="proxy-help" class="hint">
            {move || format!("From {}. ", settings.proxy_source.get())}
            "Any server that speaks Storyreel's /api works; it holds the provider keys."
        </p>
        <p class="hint error-text" role="alert">{move || problem.get()}</p>
    }
}

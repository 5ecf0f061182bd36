//! The banners of the server's state: its simulator, and an access token
//! it needs.

use leptos::prelude::*;

use super::Settings;

/// Shown while the server runs Kling on its built-in simulator.
#[component]
pub fn SimBanner() -> impl IntoView {
    let settings = Settings::expect();
    view! {
        <Show when=move || settings.simulated()>
            <div id="sim-banner" class="sim-banner" role="note">
                <strong>"Simulator. "</strong>
                "This server has no provider keys, so Kling runs on a built-in simulator: "
                "clips are test patterns, made in seconds, and nothing is charged."
            </div>
        </Show>
    }
}

/// Shown while the server needs an access token this tab does not have.
#[component]
pub fn TokenBanner() -> impl IntoView {
    let settings = Settings::expect();
    view! {
        <Show when=move || settings.token_missing()>
            <div id="token-banner" class="token-banner" role="alert">
                <strong>"Access token needed. "</strong>
                "This server only generates and stores files for people with its access token. "
                <a href="#access-token">"Enter it in the Server settings"</a>
                "; your boards are kept either way."
            </div>
        </Show>
    }
}

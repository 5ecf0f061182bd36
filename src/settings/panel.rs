//! The Server settings panel.

use leptos::prelude::*;

use super::fal_key::FalKey;
use super::proxy_form::ProxyForm;
use super::server_lines::ServerLines;
use super::token_form::TokenForm;
use super::Settings;

/// The server (proxy) URL, what it says, its access token and fal's
/// bring-your-own-key mode.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let settings = Settings::expect();
    view! {
        <section class="panel settings-panel" id="settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading">"Server"</h2>
            <ProxyForm settings />
            <ServerLines settings />
            <TokenForm settings />
            <FalKey settings />
        </section>
    }
}

//! What the server says it can do: each provider's state, and how it
//! speaks to Kling.

use leptos::prelude::*;
use storyreel_core::wire::{KlingCredential, KlingSetup};

use super::{ServerState, Settings};

/// How the server speaks to Kling, in words: the kind of credential
/// (never the key), the design and why.
fn kling_line(k: &KlingSetup) -> String {
    let reason = k.reason.trim().trim_end_matches('.');
    let why = if reason.is_empty() {
        String::new()
    } else {
        format!(" — {reason}")
    };
    let credential = match k.credential {
        KlingCredential::None => "no credential",
        c => c.label(),
    };
    format!("Kling: {credential} · {} API design{why}.", k.api.as_str())
}

/// "Connected to …: Kling ready, fal no key, …", or why not.
fn server_line(settings: Settings) -> String {
    let target = settings.proxy.with(|p| {
        if p.is_empty() {
            "this server".to_string()
        } else {
            p.clone()
        }
    });
    match settings.server.get() {
        ServerState::Checking => format!("Checking {target}…"),
        ServerState::Unreachable(why) => format!("Cannot reach {target}: {why}."),
        ServerState::Known(s) => {
            let names: Vec<String> = storyreel_core::Provider::ALL
                .into_iter()
                .map(|p| {
                    let st = s.provider(p);
                    let word = if st.is_simulated() {
                        "simulated"
                    } else if st.ready {
                        "ready"
                    } else {
                        "no key"
                    };
                    format!("{} {word}", p.label())
                })
                .collect();
            format!("Connected to {target}: {}.", names.join(", "))
        }
    }
}

#[component]
pub fn ServerLines(settings: Settings) -> impl IntoView {
    view! {
        <p id="server-status" class="hint" aria-live="polite">{move || server_line(settings)}</p>
        <p id="kling-setup" class="hint">
            {move || {
                settings
                    .server
                    .with(|s| match s {
                        ServerState::Known(st) => Some(kling_line(&st.kling)),
                        _ => None,
                    })
            }}
        </p>
    }
}

//! The provider, resolution and aspect pickers of the top bar. Each
//! resolution shows a second's price, which depends on the provider, the
//! sound and a video in the cast alone.

use leptos::prelude::*;
use storyreel_core::{cost, AspectRatio, Provider, Resolution};

use crate::state::Editor;

#[component]
pub fn ProviderChoice(provider: Memo<Provider>) -> impl IntoView {
    let editor = Editor::expect();
    view! {
        <label>
            <span>"Provider"</span>
            <select
                id="setting-provider"
                on:change=move |ev| {
                    if let Some(p) = Provider::parse(&event_target_value(&ev)) {
                        editor.set_provider(p);
                    }
                }
            >
                {Provider::ALL
                    .into_iter()
                    .map(|p| {
                        view! {
                            <option value=p.as_str() selected=move || provider.get() == p>
                                {p.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn ResolutionChoice(
    provider: Memo<Provider>,
    sound: Memo<bool>,
    has_video: Memo<bool>,
) -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let resolution = Memo::new(move |_| board.with_outline(|b| b.resolution));
    view! {
        <label>
            <span>"Resolution"</span>
            <select
                id="setting-resolution"
                on:change=move |ev| {
                    if let Some(r) = Resolution::parse(&event_target_value(&ev)) {
                        editor.set_resolution(r);
                    }
                }
            >
                {Resolution::ALL
                    .into_iter()
                    .map(|r| {
                        let text = move || {
                            // A second's price depends on these alone.
                            provider.track();
                            sound.track();
                            has_video.track();
                            let price = board.with_untracked(|b| cost::per_second_text(b, r));
                            match price {
                                Some(p) => format!("{} · {p}", r.label()),
                                None => r.label().to_string(),
                            }
                        };
                        view! {
                            <option value=r.as_str() selected=move || resolution.get() == r>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn AspectChoice() -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let aspect = Memo::new(move |_| board.with_outline(|b| b.aspect_ratio));
    view! {
        <label>
            <span>"Aspect"</span>
            <select
                id="setting-aspect"
                on:change=move |ev| {
                    if let Some(a) = AspectRatio::parse(&event_target_value(&ev)) {
                        editor.set_aspect_ratio(a);
                    }
                }
            >
                {AspectRatio::ALL
                    .into_iter()
                    .map(|a| {
                        view! {
                            <option value=a.as_str() selected=move || aspect.get() == a>
                                {a.as_str()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

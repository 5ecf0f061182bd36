//! The Share button: the whole board in a link (`share::encode_checked`),
//! shown in a small popover with a Copy button and a warning naming the
//! references that only this browser can reach.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::share;
use wasm_bindgen::{JsCast, JsValue};

use crate::state::{Editor, Status};

/// A link just made, and the references it cannot carry.
#[derive(Clone, Debug, PartialEq)]
struct Made {
    url: String,
    local_only: Vec<String>,
}

/// The page's address without its fragment, followed by `#fragment`.
fn link_for(fragment: &str) -> String {
    let location = window().location();
    format!(
        "{}{}#{fragment}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// `navigator.clipboard.writeText(text)`, when the browser has it.
async fn write_clipboard(text: &str) -> Result<(), JsValue> {
    let navigator = js_sys::Reflect::get(&window(), &JsValue::from_str("navigator"))?;
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(JsValue::from_str("no clipboard"));
    }
    let write: js_sys::Function =
        js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))?.dyn_into()?;
    let promise: js_sys::Promise = write
        .call1(&clipboard, &JsValue::from_str(text))?
        .dyn_into()?;
    wasm_bindgen_futures::JsFuture::from(promise).await?;
    Ok(())
}

/// `document.execCommand('copy')` on the selected link: older browsers and
/// pages without clipboard permission.
fn copy_selection() -> bool {
    let doc = document();
    js_sys::Reflect::get(&doc, &JsValue::from_str("execCommand"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&doc, &JsValue::from_str("copy")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Width of the popover in CSS pixels (as in `style/main.css`).
const POPOVER_WIDTH: f64 = 460.0;

/// `top`/`left` for the fixed popover, from the Share button's box.
fn popover_place() -> String {
    let Some(button) = document().get_element_by_id("share") else {
        return String::new();
    };
    let rect = button.get_bounding_client_rect();
    let view = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1280.0);
    let width = POPOVER_WIDTH.min(view - 24.0);
    let left = (rect.right() - width).clamp(12.0, (view - width - 12.0).max(12.0));
    format!("top: {:.0}px; left: {left:.0}px;", rect.bottom() + 8.0)
}

#[component]
pub fn ShareButton() -> impl IntoView {
    let editor = Editor::expect();
    let made = RwSignal::new(None::<Made>);
    // Where the popover opens: under the button, kept inside the window
    // (the header wraps, so the button may be at either edge).
    let place = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Input>::new();

    // A link shows the board as it was: any edit makes it stale.
    Effect::new(move |_| {
        editor.board.track();
        made.set(None);
    });

    let select_link = move || {
        if let Some(el) = input.get_untracked() {
            let _ = el.focus();
            el.select();
        }
    };

    let on_share = move |_| {
        let outcome = editor.board.with_untracked(|b| {
            share::encode_checked(b).map(|fragment| Made {
                url: link_for(&fragment),
                local_only: share::local_only_references(b)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            })
        });
        match outcome {
            Ok(link) => {
                place.set(popover_place());
                made.set(Some(link));
                request_animation_frame(select_link);
            }
            Err(e) => {
                made.set(None);
                editor.status.set(Some(Status {
                    text: format!("Cannot share this board: {e}."),
                    is_error: true,
                }));
            }
        }
    };

    let on_copy = move |_| {
        let Some(url) = made.with_untracked(|m| m.as_ref().map(|m| m.url.clone())) else {
            return;
        };
        select_link();
        spawn_local(async move {
            if write_clipboard(&url).await.is_ok() || copy_selection() {
                editor.say("Share link copied.");
            } else {
                editor.status.set(Some(Status {
                    text: "The browser did not allow copying; the link is selected, press Ctrl+C (⌘C) to copy it.".into(),
                    is_error: true,
                }));
                select_link();
            }
        });
    };

    view! {
        <div class="share">
            <button
                id="share"
                title="A link that holds the whole board; nothing is uploaded"
                aria-expanded=move || made.with(Option::is_some).to_string()
                aria-controls="share-popover"
                on:click=on_share
            >
                "Share"
            </button>
            <Show when=move || made.with(Option::is_some)>
                <div
                    id="share-popover"
                    class="share-popover"
                    style=move || place.get()
                    role="dialog"
                    aria-label="Share link"
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            made.set(None);
                            crate::dom::focus_id("share");
                        }
                    }
                >
                    <div class="share-popover-head">
                        <label for="share-link">"Share link"</label>
                        <button
                            class="status-close"
                            id="share-close"
                            aria-label="Close"
                            on:click=move |_| made.set(None)
                        >
                            "×"
                        </button>
                    </div>
                    <div class="share-row">
                        <input
                            id="share-link"
                            type="text"
                            readonly
                            node_ref=input
                            prop:value=move || made.with(|m| m.as_ref().map(|m| m.url.clone()).unwrap_or_default())
                            on:focus=move |_| select_link()
                        />
                        <button id="share-copy" class="primary" on:click=on_copy>
                            "Copy"
                        </button>
                    </div>
                    <p class="share-note">
                        "The whole board is inside the link; nothing is uploaded. Later edits are not in it."
                    </p>
                    {move || {
                        made.with(|m| {
                            m.as_ref()
                                .filter(|m| !m.local_only.is_empty())
                                .map(|m| {
                                    view! {
                                        <p id="share-warning" class="share-warning" role="note">
                                            {format!(
                                                "These references are only in this browser/server and won't open for others: {}",
                                                m.local_only.join(", "),
                                            )}
                                        </p>
                                    }
                                })
                        })
                    }}
                </div>
            </Show>
        </div>
    }
}

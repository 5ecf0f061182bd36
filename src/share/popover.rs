//! The share popover: the link with its Copy button, the take it may
//! carry, and notes on what a recipient cannot open.

use leptos::prelude::*;

use super::local_warning::LocalWarning;
use super::sharing::Sharing;
use super::take_choice::TakeChoice;

#[component]
pub fn SharePopover(sharing: Sharing) -> impl IntoView {
    let (made, place) = (sharing.made, sharing.place);
    // Each new link is selected once its field is in the page: the
    // popover's code may still be loading when the first link is made
    // (`lazy!`), and an upload makes a new link in the open popover.
    Effect::new(move |_| {
        made.track();
        if sharing.input.get().is_some() {
            request_animation_frame(move || sharing.select_link());
        }
    });
    let element_note = move || {
        made.with(|m| m.as_ref().and_then(|m| m.element_note.clone()))
            .map(|note| {
                view! { <p id="share-element-note" class="share-note" role="note">{note}</p> }
            })
    };
    view! {
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
                    node_ref=sharing.input
                    prop:value=move || sharing.shown_url()
                    on:focus=move |_| sharing.select_link()
                />
                <button id="share-copy" class="primary" on:click=move |_| sharing.copy()>
                    "Copy"
                </button>
            </div>
            <p class="share-note">
                "The whole board is inside the link; nothing is uploaded. Later edits are not in it."
            </p>
            <TakeChoice sharing />
            {element_note}
            <LocalWarning sharing />
        </div>
    }
}

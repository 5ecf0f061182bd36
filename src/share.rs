//! The Share button: the whole board in a link (`share::encode_checked`),
//! shown in a small popover with a Copy button and a warning naming the
//! references that only this browser can reach.
//!
//! The parts: `sharing` (the signals each part takes as a prop, and what
//! the controls do), `made` (a link just made), `popover`, `take_choice`
//! (the latest take in the link), `local_warning` (what a recipient cannot
//! open, and its upload), `upload`, `clipboard` and `place` (where the
//! popover opens).

mod clipboard;
mod local_warning;
mod made;
mod place;
mod popover;
mod sharing;
mod take_choice;
mod upload;

use leptos::prelude::*;

use popover::SharePopover;
use sharing::Sharing;

#[component]
pub fn ShareButton() -> impl IntoView {
    let sharing = Sharing::new();
    sharing.close_on_edit();
    let made = sharing.made;
    view! {
        <div class="share">
            <button
                id="share"
                title="A link that holds the whole board; nothing is uploaded"
                aria-expanded=move || made.with(Option::is_some).to_string()
                aria-controls="share-popover"
                on:click=move |_| sharing.share()
            >
                "Share"
            </button>
            <Show when=move || made.with(Option::is_some)>
                <Suspense>{move || Suspend::new(async move { popover(sharing).await })}</Suspense>
            </Show>
        </div>
    }
}

lazy! {
    /// The popover: code that loads the first time a link is made
    /// (`lazy!`, src/lazy.rs).
    fn popover(sharing: Sharing) -> AnyView {
        view! { <SharePopover sharing /> }.into_any()
    }
}

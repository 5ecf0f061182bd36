//! Where a character's Kling element stands, and what is being made for
//! it right now.

use leptos::prelude::*;
use storyreel_core::character::ElementStatus;

use crate::character_making::Makings;

/// The element state's word in classes and `data-element`.
pub fn state_class(status: &ElementStatus) -> &'static str {
    match status {
        ElementStatus::None => "none",
        ElementStatus::Making { .. } => "making",
        ElementStatus::Ready { .. } => "ready",
        ElementStatus::Failed { .. } => "failed",
        ElementStatus::Deleted { .. } => "deleted",
    }
}

/// The element's state in words, with a progress bar while it is made.
#[component]
pub fn ElementState(status: ElementStatus) -> impl IntoView {
    let making = matches!(status, ElementStatus::Making { .. });
    view! {
        <span class=format!("character-element element-{}", state_class(&status)) role="status">
            {crate::characters::element_line(&status)}
        </span>
        {making.then(|| view! { <progress class="character-progress" aria-label="Making the Kling element"></progress> })}
    }
}

/// A passing problem of the element being made for character `id`, and
/// a custom voice being made or failed.
#[component]
pub fn MakingNotes(id: String, makings: Makings) -> impl IntoView {
    move || {
        let note = makings
            .latest_for(&id, true)
            .filter(|m| m.is_active())
            .and_then(|m| m.note);
        let voice = makings.latest_for(&id, false).and_then(|m| {
            if m.is_active() {
                Some("Making your custom voice…".to_string())
            } else {
                m.reason().map(|r| format!("Custom voice failed: {r}"))
            }
        });
        [note, voice]
            .into_iter()
            .flatten()
            .map(|t| view! { <span class="muted character-note">{t}</span> })
            .collect_view()
    }
}

//! The picture a character shows.

use leptos::prelude::*;
use storyreel_core::character::Look;

use crate::cast_item::{look_thumb, Thumb};
use crate::settings::Settings;

/// The picture a character shows: its frontal image, or its video.
#[component]
pub fn CharacterThumb(look: Look) -> impl IntoView {
    let transport = Settings::expect().transport();
    match look_thumb(&look, &transport) {
        Thumb::Image(url) => {
            view! { <img class="thumb character-thumb" src=url alt="" loading="lazy" /> }.into_any()
        }
        Thumb::Video(url) => view! {
            <video class="thumb character-thumb" src=format!("{url}#t=0.5") preload="metadata" muted=true aria-hidden="true"></video>
        }
        .into_any(),
        _ => {
            let badge = if matches!(look, Look::Video { .. }) { "▶" } else { "?" };
            view! { <span class="thumb thumb-badge" aria-hidden="true">{badge}</span> }.into_any()
        }
    }
}

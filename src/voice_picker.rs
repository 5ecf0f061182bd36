//! A character's voice (stub).

use leptos::prelude::*;

#[component]
pub fn VoicePicker(character_id: String, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let _ = (character_id, on_done);
    view! { <div class="voice-picker"></div> }
}

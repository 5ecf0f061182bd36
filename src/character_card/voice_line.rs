//! A character card's line naming its voice.

use leptos::prelude::*;
use storyreel_core::character::{Voice, VoiceSource};

/// "Voice: name (where it comes from)", or nothing without a voice.
#[component]
pub fn VoiceLine(voice: Option<Voice>) -> impl IntoView {
    voice.map(|v| {
        let source = match v.source {
            VoiceSource::Preset => "Kling preset",
            VoiceSource::Custom => "your voice",
            VoiceSource::Cloned => "cloned from the video",
        };
        view! { <span class="character-voice">{format!("Voice: {} ({source})", v.name)}</span> }
    })
}

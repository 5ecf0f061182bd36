//! A character's voice (Character tag only): one of Kling's preset voices,
//! each with its trial audio to play, or a custom voice made from a 5–30 s
//! clip of one clean voice. Kling fetches clips by URL only, so a custom
//! voice needs the server's public base URL; its price (0.05 units) is
//! shown and confirmed before it is spent.

mod custom_voice;

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::VoiceSource;
use storyreel_core::response::kling_general::{parse_voice_list, VoiceSummary};

use crate::characters::Characters;
use crate::settings::Settings;
use custom_voice::CustomVoice;

/// How many preset voices are asked for.
const PAGE: u32 = 30;

#[component]
pub fn VoicePicker(character_id: String, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let characters = Characters::expect();
    let settings = Settings::expect();
    let editor = use_context::<crate::state::Editor>();
    let id = StoredValue::new(character_id);
    let presets = RwSignal::new(None::<Result<Vec<VoiceSummary>, String>>);
    let error = RwSignal::new(None::<String>);

    spawn_local(async move {
        let call = settings.transport().voices_presets(1, PAGE);
        presets.set(Some(crate::net::browse(&call, parse_voice_list).await));
    });

    let choose = move |v: VoiceSummary| {
        let voice = v.voice(VoiceSource::Preset);
        spawn_local(async move {
            let name = voice.name.clone();
            match characters
                .change(&id.get_value(), |c| c.voice = Some(voice))
                .await
            {
                Ok(Some(c)) => {
                    let note = if c.element_id().is_some() {
                        " Make its Kling element again to bind it there."
                    } else {
                        ""
                    };
                    if let Some(e) = editor {
                        e.say(format!("'{}' now speaks in {name}.{note}", c.name));
                    }
                    on_done.run(());
                }
                Ok(None) => error.set(Some("The character is gone from the library.".into())),
                Err(why) => error.set(Some(format!("Not saved: {why}."))),
            }
        });
    };
    let clear = move |_| {
        spawn_local(async move {
            let _ = characters.change(&id.get_value(), |c| c.voice = None).await;
            on_done.run(());
        });
    };

    view! {
        <div class="voice-picker" role="group" aria-label="Voice">
            <strong>"Kling's preset voices"</strong>
            {move || match presets.get() {
                None => view! { <p class="muted">"Asking Kling for its voices…"</p> }.into_any(),
                Some(Err(why)) => view! { <p class="error-text">{format!("The preset voices could not be listed: {why}.")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="voice-list">
                        {list
                            .into_iter()
                            .map(|v| {
                                let for_choose = v.clone();
                                view! {
                                    <li class="voice-item" data-voice=v.voice_id.clone()>
                                        <span class="voice-name">{v.name.clone()}</span>
                                        {v.trial_url.clone().map(|url| view! {
                                            <audio controls=true preload="none" src=url aria-label=format!("Listen to {}", v.name)></audio>
                                        })}
                                        <button class="small voice-use" on:click=move |_| choose(for_choose.clone())>
                                            "Use this voice"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            <CustomVoice character_id=id.get_value() on_done />
            <p class="error-text" role="alert">{move || error.get().unwrap_or_default()}</p>
            <button class="small" on:click=clear>"No voice"</button>
            <button class="small link-like" on:click=move |_| on_done.run(())>"Close"</button>
        </div>
    }
}

//! A character's voice (Character tag only): one of Kling's preset voices,
//! each with its trial audio to play, or a custom voice made from a 5–30 s
//! clip of one clean voice. Kling fetches clips by URL only, so a custom
//! voice needs the server's public base URL; its price (0.05 units) is
//! shown and confirmed before it is spent.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::making::Making;
use storyreel_core::character::VoiceSource;
use storyreel_core::journal::Answer;
use storyreel_core::media::{self, MediaProblem, Role};
use storyreel_core::response::kling_general::{parse_voice_list, Browse, VoiceSummary};

use crate::characters::Characters;
use crate::settings::Settings;

/// How many preset voices are asked for.
const PAGE: u32 = 30;
/// The largest voice clip read whole into memory (a 30 s WAV at CD
/// quality is about 5 MB).
const MAX_CLIP_READ: u64 = 64 * 1024 * 1024;

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
        let out = match crate::net::send(&call).await {
            Answer::Network { message } => Err(format!("the server could not be reached ({message})")),
            Answer::Http { status, body } => match parse_voice_list(status, &body) {
                Ok(Browse::Items(v)) => Ok(v),
                Ok(Browse::Refused(f)) => Err(format!("Kling refused: {}", f.message)),
                Err(e) => Err(format!("the answer could not be read ({e})")),
            },
        };
        presets.set(Some(out));
    });

    let choose = move |v: VoiceSummary| {
        let voice = v.voice(VoiceSource::Preset);
        spawn_local(async move {
            let name = voice.name.clone();
            match characters.change(&id.get_value(), |c| c.voice = Some(voice)).await {
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

/// A custom voice from the user's clip.
#[component]
fn CustomVoice(character_id: String, on_done: Callback<()>) -> impl IntoView {
    let characters = Characters::expect();
    let settings = Settings::expect();
    let id = StoredValue::new(character_id);
    let makings = crate::character_making::Makings::expect();
    let clip = RwSignal::new_local(None::<web_sys::File>);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let public = move || settings.public_uploads_base().is_some();
    let price = StoredValue::new(storyreel_core::cost::custom_voice_text());

    let pick = move |file: web_sys::File| {
        clip.set(None);
        spawn_local(async move {
            let len = file.size().max(0.0) as u64;
            if len > MAX_CLIP_READ {
                error.set(Some(format!(
                    "{}: {:.1} MB is more than this page reads; a 5–30 s clip is far smaller.",
                    file.name(),
                    len as f64 / 1_000_000.0
                )));
                return;
            }
            let bytes = match crate::intake::read(&file, 0, len).await {
                Ok(b) => b,
                Err(why) => return error.set(Some(why)),
            };
            let verdict = media::character::check_character_file(&bytes, Some(&file.name()), Role::VoiceClip);
            let problems: Vec<String> = verdict.problems().iter().map(MediaProblem::message).collect();
            if problems.is_empty() {
                error.set(None);
                if name.get_untracked().is_empty() {
                    let stem = file.name();
                    let stem = stem.rsplit_once('.').map_or(stem.as_str(), |(s, _)| s).to_string();
                    name.set(stem.chars().take(20).collect());
                }
                clip.set(Some(file));
            } else {
                error.set(Some(format!("{}: {}", file.name(), problems.join(" "))));
            }
        });
    };
    let make = move |_| {
        let Some(file) = clip.get_untracked() else { return };
        let voice_name = name.get_untracked().trim().to_string();
        if voice_name.is_empty() || voice_name.chars().count() > 20 {
            error.set(Some(format!(
                "Voice name: {} characters; Kling needs 1 to 20.",
                voice_name.chars().count()
            )));
            return;
        }
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let transport = settings.transport();
            let stored = match crate::upload::send(&transport.uploads_url(), &transport.api_headers(), &file, |_| {}).await {
                Ok(s) => s,
                Err(why) => {
                    busy.set(false);
                    return error.set(Some(format!("Not uploaded: {why}.")));
                }
            };
            let Some(key) = crate::character_making::new_key() else {
                busy.set(false);
                return error.set(Some("This browser gave no random numbers for the task's key.".into()));
            };
            let making = match Making::voice(
                id.get_value(),
                &voice_name,
                &stored.reference,
                key,
                &transport.uploads_mode(),
                crate::net::now_ms(),
            ) {
                Ok(m) => m,
                Err(e) => {
                    busy.set(false);
                    return error.set(Some(format!("Not sent to Kling: {e}.")));
                }
            };
            match crate::character_making::begin(makings, characters, settings, making).await {
                Ok(()) => on_done.run(()),
                Err(why) => error.set(Some(format!("Not started: {why}."))),
            }
            busy.set(false);
        });
    };

    view! {
        <div class="custom-voice">
            <strong>"Your own voice"</strong>
            <Show
                when=public
                fallback=|| view! {
                    <p class="muted" id="custom-voice-needs-url">
                        "Kling fetches voice clips by URL only, and this server has no public address, so Kling could not reach your clip. Start the server with --public-base-url to make a custom voice."
                    </p>
                }
            >
                <p class="muted">"A clip of 5–30 s of one clean voice: MP3, WAV, MP4 or MOV."</p>
                <input
                    type="file"
                    accept="audio/mpeg,audio/wav,video/mp4,video/quicktime"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        if let Some(f) = crate::intake::files_of(input.files()).into_iter().next() {
                            pick(f);
                        }
                        input.set_value("");
                    }
                />
                <Show when=move || clip.with(Option::is_some)>
                    <label>
                        "Voice name "
                        <input type="text" maxlength="20" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    <button class="small custom-voice-make" disabled=move || busy.get() on:click=make>
                        {format!("Make the voice: costs {}", price.get_value())}
                    </button>
                </Show>
            </Show>
            <p class="error-text" role="alert">{move || error.get().unwrap_or_default()}</p>
        </div>
    }
}

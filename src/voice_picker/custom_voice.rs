//! A custom voice made from the user's 5–30 s clip of one clean voice,
//! once the server has a public address Kling can fetch the clip from.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::making::Making;
use storyreel_core::media::{self, MediaProblem, Role};

use crate::character_making::Makings;
use crate::characters::Characters;
use crate::settings::Settings;

/// The largest voice clip read whole into memory (a 30 s WAV at CD
/// quality is about 5 MB).
const MAX_CLIP_READ: u64 = 64 * 1024 * 1024;

/// A custom voice from the user's clip.
#[component]
pub fn CustomVoice(character_id: String, on_done: Callback<()>) -> impl IntoView {
    let characters = Characters::expect();
    let settings = Settings::expect();
    let id = StoredValue::new(character_id);
    let makings = Makings::expect();
    let clip = RwSignal::new_local(None::<web_sys::File>);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let public = move || settings.public_uploads_base().is_some();
    let price = StoredValue::new(storyreel_core::cost::custom_voice_text());

    let pick = move |file: web_sys::File| {
        clip.set(None);
        spawn_local(async move {
            if let Err(why) = check_clip(&file).await {
                return error.set(Some(why));
            }
            error.set(None);
            if name.get_untracked().is_empty() {
                name.set(name_from(&file.name()));
            }
            clip.set(Some(file));
        });
    };
    let make = move |_| {
        let Some(file) = clip.get_untracked() else {
            return;
        };
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
            match start(
                makings,
                characters,
                settings,
                id.get_value(),
                &voice_name,
                &file,
            )
            .await
            {
                Ok(()) => on_done.run(()),
                Err(why) => error.set(Some(why)),
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

/// Reads `file` and checks it as a voice clip; the problems in words.
async fn check_clip(file: &web_sys::File) -> Result<(), String> {
    let len = file.size().max(0.0) as u64;
    if len > MAX_CLIP_READ {
        return Err(format!(
            "{}: {:.1} MB is more than this page reads; a 5–30 s clip is far smaller.",
            file.name(),
            len as f64 / 1_000_000.0
        ));
    }
    let bytes = crate::intake::read(file, 0, len).await?;
    let verdict =
        media::character::check_character_file(&bytes, Some(&file.name()), Role::VoiceClip);
    let problems: Vec<String> = verdict
        .problems()
        .iter()
        .map(MediaProblem::message)
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", file.name(), problems.join(" ")))
    }
}

/// A voice name from a clip's file name: its stem, at most 20 characters.
fn name_from(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    stem.chars().take(20).collect()
}

/// Uploads the clip and starts the making of voice `voice_name` for
/// character `id`.
async fn start(
    makings: Makings,
    characters: Characters,
    settings: Settings,
    id: String,
    voice_name: &str,
    file: &web_sys::File,
) -> Result<(), String> {
    let stored = crate::upload::send_file(settings, file)
        .await
        .map_err(|why| format!("Not uploaded: {why}."))?;
    let key = crate::character_making::new_key()
        .ok_or("This browser gave no random numbers for the task's key.")?;
    let making = Making::voice(
        id,
        voice_name,
        &stored.reference,
        key,
        &settings.transport().uploads_mode(),
        crate::net::now_ms(),
    )
    .map_err(|e| format!("Not sent to Kling: {e}."))?;
    crate::character_making::begin(makings, characters, settings, making)
        .await
        .map_err(|why| format!("Not started: {why}."))
}

//! The sound switch and its note: what sound adds to the price, or why it
//! is off.

use leptos::prelude::*;
use storyreel_core::cost;

use crate::state::Editor;

/// Why sound is off with a reference video.
const SOUND_WITH_VIDEO: &str =
    "Sound is off while the cast has a reference video: Kling generates no audio with a video input. Remove the video to turn it on.";

#[component]
pub fn SoundSwitch(sound: Memo<bool>, has_video: Memo<bool>) -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    // What the price depends on, so a keystroke in a prompt does not
    // re-price the board twice over.
    let price_inputs = Memo::new(move |_| {
        board.with_outline(|b| {
            (
                b.provider,
                b.resolution,
                b.total_seconds(),
                b.shots.len(),
                b.first_frame.is_some(),
                b.last_frame.is_some(),
                b.base_video().is_some(),
                b.has_video(),
            )
        })
    });
    let sound_price = Memo::new(move |_| {
        price_inputs.track();
        board.with_untracked(cost::sound_difference_text)
    });
    let title = move || {
        if has_video.get() {
            SOUND_WITH_VIDEO
        } else {
            "Native audio: dialogue, lip-sync and sound effects"
        }
    };
    view! {
        <label class="check" title=title>
            <input
                id="setting-sound"
                type="checkbox"
                prop:checked=sound
                // A board with a video and sound on (from a file) can
                // still be switched off, never on.
                disabled=move || has_video.get() && !sound.get()
                aria-describedby="sound-note"
                on:change=move |ev| editor.set_sound(event_target_checked(&ev))
            />
            <span>"Sound"</span>
            <small id="sound-note" class="sound-note">
                {move || {
                    if has_video.get() {
                        "off: reference video".to_string()
                    } else {
                        sound_price.get().unwrap_or_default()
                    }
                }}
            </small>
        </label>
    }
}

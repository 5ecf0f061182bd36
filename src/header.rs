//! Title and generation settings, the cost estimate, import, export and
//! share.

use leptos::prelude::*;
use storyreel_core::{cost, AspectRatio, Provider, Resolution};

use crate::characters_panel::CharactersButton;
use crate::file_io::FileMenu;
use crate::generate::Generate;
use crate::library_panel::LibraryButton;
use crate::share::ShareButton;
use crate::shortcuts::HistoryButtons;
use crate::state::Editor;

/// Why sound is off with a reference video.
const SOUND_WITH_VIDEO: &str =
    "Sound is off while the cast has a reference video: Kling generates no audio with a video input. Remove the video to turn it on.";

#[component]
pub fn Header() -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let estimate = Memo::new(move |_| board.with(cost::estimate));
    let has_video = Memo::new(move |_| board.with(|b| b.has_video()));
    // Narrow views of the board, so typing in a prompt re-runs none of the
    // controls below.
    let title = Memo::new(move |_| board.with(|b| b.title.clone()));
    let provider = Memo::new(move |_| board.with(|b| b.provider));
    let resolution = Memo::new(move |_| board.with(|b| b.resolution));
    let aspect = Memo::new(move |_| board.with(|b| b.aspect_ratio));
    let sound = Memo::new(move |_| board.with(|b| b.sound));
    let kling_api = editor.kling_api;
    let destination = Memo::new(move |_| {
        let api = kling_api.get();
        board.with(|b| storyreel_core::plan::destination(b, api))
    });
    // What the price depends on, so a keystroke in a prompt does not
    // re-price the board twice over.
    let price_inputs = Memo::new(move |_| {
        board.with(|b| {
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

    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"▮▮▮"</span>
                <h1>"Storyreel"</h1>
            </div>
            <label class="title-field">
                <span class="visually-hidden">"Board title"</span>
                <input
                    id="board-title"
                    type="text"
                    placeholder="Untitled board"
                    maxlength="120"
                    prop:value=title
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        editor.set_title(v);
                    }
                />
            </label>
            <div class="settings" role="group" aria-label="Generation settings">
                <label>
                    <span>"Provider"</span>
                    <select
                        id="setting-provider"
                        on:change=move |ev| {
                            if let Some(p) = Provider::parse(&event_target_value(&ev)) {
                                editor.set_provider(p);
                            }
                        }
                    >
                        {Provider::ALL
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <option
                                        value=p.as_str()
                                        selected=move || provider.get() == p
                                    >
                                        {p.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    <span>"Resolution"</span>
                    <select
                        id="setting-resolution"
                        on:change=move |ev| {
                            if let Some(r) = Resolution::parse(&event_target_value(&ev)) {
                                editor.set_resolution(r);
                            }
                        }
                    >
                        {Resolution::ALL
                            .into_iter()
                            .map(|r| {
                                let text = move || {
                                    // A second's price depends on these alone.
                                    provider.track();
                                    sound.track();
                                    has_video.track();
                                    let price = board
                                        .with_untracked(|b| cost::per_second_text(b, r));
                                    match price {
                                        Some(p) => format!("{} · {p}", r.label()),
                                        None => r.label().to_string(),
                                    }
                                };
                                view! {
                                    <option
                                        value=r.as_str()
                                        selected=move || resolution.get() == r
                                    >
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    <span>"Aspect"</span>
                    <select
                        id="setting-aspect"
                        on:change=move |ev| {
                            if let Some(a) = AspectRatio::parse(&event_target_value(&ev)) {
                                editor.set_aspect_ratio(a);
                            }
                        }
                    >
                        {AspectRatio::ALL
                            .into_iter()
                            .map(|a| {
                                view! {
                                    <option
                                        value=a.as_str()
                                        selected=move || aspect.get() == a
                                    >
                                        {a.as_str()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="check" title=move || { if has_video.get() { SOUND_WITH_VIDEO } else { "Native audio: dialogue, lip-sync and sound effects" } }>
                    <input
                        id="setting-sound"
                        type="checkbox"
                        prop:checked=sound
                        // A board with a video and sound on (from a file) can
                        // still be switched off, never on.
                        disabled=move || has_video.get() && !sound.get()
                        aria-describedby="sound-note"
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            editor.set_sound(on);
                        }
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
            </div>
            <div class="cost" id="cost" aria-live="polite">
                <span class="cost-label">"Estimated"</span>
                <strong>{move || estimate.with(|e| e.usd_text())}</strong>
                <span class="cost-detail">
                    {move || {
                        estimate
                            .with(|e| {
                                let units = e.units_text().map(|u| format!(" · {u}")).unwrap_or_default();
                                format!("{} s{units}", e.seconds)
                            })
                    }}
                </span>
                <span class="route" title=move || format!("{}. {}.", destination.get(), estimate.with(|e| e.note))>
                    {destination}
                </span>
            </div>
            <Generate />
            <div class="file-actions">
                <HistoryButtons />
                <LibraryButton />
                <CharactersButton />
                <FileMenu />
                <ShareButton />
            </div>
        </header>
    }
}

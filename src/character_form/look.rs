//! What the character is made from: a frontal image and 1 to 3 others,
//! or one video; a choice between the two and the file slots of each.

use leptos::prelude::*;
use storyreel_core::character::MAX_OTHER_IMAGES;

use super::draft::{Draft, Mode};
use super::file_pick::FileInput;
use super::picked::{Picked, PickedView};
use crate::character_files::Want;

#[component]
pub fn LookPicker(draft: Draft) -> impl IntoView {
    view! {
        <fieldset class="wide character-look">
            <legend>"Made from"</legend>
            <ModeChoice draft mode=Mode::Images label="a frontal image and 1–3 others" />
            <ModeChoice draft mode=Mode::Video label="one 3–8 s video of a real person" />
            <Show
                when=move || draft.mode.get() == Mode::Images
                fallback=move || view! { <VideoSlot draft /> }
            >
                <FrontalSlot draft />
                <OthersSlot draft />
            </Show>
        </fieldset>
    }
}

/// One of the two ways, as a radio button.
#[component]
fn ModeChoice(draft: Draft, mode: Mode, label: &'static str) -> impl IntoView {
    view! {
        <label class="inline">
            <input
                type="radio"
                name=draft.id("mode")
                id=draft.id(&format!("mode-{}", mode.word()))
                prop:checked=move || draft.mode.get() == mode
                on:change=move |_| draft.mode.set(mode)
            />
            {label}
        </label>
    }
}

#[component]
fn FrontalSlot(draft: Draft) -> impl IntoView {
    let frontal = draft.frontal;
    let on_pick = move |mut ok: Vec<Picked>| frontal.set(ok.pop());
    view! {
        <div class="character-slot">
            <span>"Frontal image (JPEG or PNG, ≥ 300 px a side, ≤ 10 MB)"</span>
            <FileInput
                draft
                what="frontal"
                want=Want::Image
                on_pick
            />
            <div class="character-previews">
                {move || frontal.get().map(|picked| view! { <PickedView picked /> })}
            </div>
        </div>
    }
}

#[component]
fn OthersSlot(draft: Draft) -> impl IntoView {
    let others = draft.others;
    let on_pick = move |ok: Vec<Picked>| {
        others.update(|o| {
            o.extend(ok);
            o.truncate(MAX_OTHER_IMAGES);
        })
    };
    view! {
        <div class="character-slot">
            <span>"Other images (1 to 3)"</span>
            <FileInput
                draft
                what="others"
                want=Want::Image
                multiple=true
                on_pick
            />
            <div class="character-previews">
                {move || {
                    others
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, picked)| {
                            let remove = Callback::new(move |()| {
                                others.update(|o| {
                                    if i < o.len() {
                                        o.remove(i);
                                    }
                                })
                            });
                            view! { <PickedView picked remove /> }
                        })
                        .collect_view()
                }}
            </div>
        </div>
    }
}

#[component]
fn VideoSlot(draft: Draft) -> impl IntoView {
    let video = draft.video;
    let on_pick = move |mut ok: Vec<Picked>| video.set(ok.pop());
    view! {
        <div class="character-slot">
            <span>"Video (MP4 or MOV, 3–8 s, 1080p, 16:9 or 9:16, ≤ 200 MB)"</span>
            <FileInput
                draft
                what="video"
                want=Want::Video
                on_pick
            />
            {move || video.get().map(|p| view! { <span class="character-picked">{p.label}</span> })}
        </div>
    }
}

//! The timeline: a 15-second ruler and one card per shot, each as wide as
//! its duration. Cards reorder by drag or Alt+arrows and change length by
//! dragging their right edge or with + and -.
//!
//! The parts: `shot_card` (one shot) and `card_edge` (its right edge).

mod card_edge;
mod shot_card;

use leptos::prelude::*;
use storyreel_core::edit;
use storyreel_core::limits::{MAX_TOTAL_SECONDS, MAX_TOTAL_SECONDS_WITH_VIDEO};

use crate::dom;
use crate::state::Editor;
use shot_card::ShotCard;

fn percent(seconds: u32) -> String {
    format!("{:.4}%", seconds as f64 * 100.0 / MAX_TOTAL_SECONDS as f64)
}

#[component]
pub fn Timeline() -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let total = Memo::new(move |_| editor.seconds.get().0);
    let max = Memo::new(move |_| editor.seconds.get().1);
    let add_refusal = Memo::new(move |_| {
        board.with_outline(|b| edit::can_add_shot(b).err().map(|e| e.to_string()))
    });
    let track = NodeRef::<leptos::html::Div>::new();
    provide_context(TrackRef(track));

    view! {
        <section class="timeline" id="timeline" aria-labelledby="timeline-heading" tabindex="-1">
            <div class="timeline-head">
                <h2 id="timeline-heading">"Timeline"</h2>
                <p class="time-summary" id="time-summary" aria-live="polite">
                    <strong>{move || format!("{} s", total.get())}</strong>
                    {move || format!(" of {} s", max.get())}
                    " · "
                    <span class:none-left=move || { total.get() >= max.get() }>
                        {move || format!("{} s left", max.get().saturating_sub(total.get()))}
                    </span>
                </p>
                <div class="add-shot">
                    <button
                        id="add-shot"
                        class="primary"
                        disabled=move || add_refusal.with(Option::is_some)
                        aria-describedby="add-shot-why"
                        on:click=move |_| {
                            if let Some(key) = editor.add_shot() {
                                if let Some(i) = editor.index_of(key) {
                                    dom::focus_id_later(format!("shot-{i}-prompt"));
                                }
                            }
                        }
                    >
                        "+ Add shot"
                    </button>
                    <span id="add-shot-why" class="why">
                        {move || add_refusal.get().map(|r| format!("Can't add: {r}.")).unwrap_or_default()}
                    </span>
                </div>
            </div>
            <div class="ruler" aria-hidden="true">
                {(0..=MAX_TOTAL_SECONDS)
                    .map(|s| {
                        view! {
                            <span class="tick" class:major=s % 5 == 0 class:end=s == MAX_TOTAL_SECONDS style:left=percent(s)>
                                {(s % 5 == 0).then(|| format!("{s}s"))}
                            </span>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="track" node_ref=track role="list" aria-label="Shots in order">
                <For each=move || editor.keys.get() key=|k| *k let:key>
                    <ShotCard key=key />
                </For>
                <div
                    class="track-rest"
                    style:flex-basis=move || percent(max.get().saturating_sub(total.get()))
                    aria-hidden="true"
                ></div>
                <Show when=move || { max.get() < MAX_TOTAL_SECONDS }>
                    <div
                        class="track-blocked"
                        style:left=percent(MAX_TOTAL_SECONDS_WITH_VIDEO)
                        title="Not available with a reference video (10 s limit)"
                        aria-hidden="true"
                    ></div>
                </Show>
            </div>
        </section>
    }
}

/// The track the cards lie on, for the edge drag's scale.
#[derive(Clone, Copy)]
struct TrackRef(NodeRef<leptos::html::Div>);

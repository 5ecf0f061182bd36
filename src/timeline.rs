//! The timeline: a 15-second ruler and one card per shot, each as wide as
//! its duration. Cards reorder by drag or Alt+arrows and change length by
//! dragging their right edge or with + and -.

use leptos::ev;
use leptos::prelude::*;
use storyreel_core::edit;
use storyreel_core::limits::{MAX_TOTAL_SECONDS, MAX_TOTAL_SECONDS_WITH_VIDEO};

use crate::dom;
use crate::state::Editor;
use crate::studio::Studio;

fn percent(seconds: u32) -> String {
    format!("{:.4}%", seconds as f64 * 100.0 / MAX_TOTAL_SECONDS as f64)
}

#[component]
pub fn Timeline() -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let total = Memo::new(move |_| editor.seconds.get().0);
    let max = Memo::new(move |_| editor.seconds.get().1);
    let add_refusal =
        Memo::new(move |_| board.with(|b| edit::can_add_shot(b).err().map(|e| e.to_string())));
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

#[derive(Clone, Copy)]
struct TrackRef(NodeRef<leptos::html::Div>);

/// An edge drag in progress: where it started.
#[derive(Clone, Copy)]
struct Resize {
    start_x: f64,
    start_seconds: u32,
    px_per_second: f64,
}

#[component]
fn ShotCard(key: u32) -> impl IntoView {
    let editor = Editor::expect();
    let studio = Studio::expect();
    let TrackRef(track) = expect_context::<TrackRef>();
    let index = Memo::new(move |_| editor.index_of(key).unwrap_or(0));
    let shot = Memo::new(move |_| {
        let i = index.get();
        editor
            .board
            .with(|b| b.shots.get(i).cloned())
            .unwrap_or_default()
    });
    let has_error = Memo::new(move |_| {
        let i = index.get();
        editor.report.with(|r| {
            r.errors()
                .any(|p| p.location == storyreel_core::Location::Shot(i))
        })
    });
    let resize = StoredValue::new(None::<Resize>);

    // What the card shows of its shot: a keystroke past the excerpt
    // changes neither, so the card is not touched.
    let seconds = Memo::new(move |_| shot.with(|s| s.duration));
    let excerpt = Memo::new(move |_| {
        shot.with(|s| {
            if s.prompt.trim().is_empty() {
                "(no prompt yet)".to_string()
            } else {
                s.prompt.chars().take(60).collect::<String>()
            }
        })
    });

    let step = move |delta: i32| {
        let current = shot.with_untracked(|s| s.duration) as i32;
        let next = (current + delta).max(0) as u32;
        editor.set_duration(key, next);
    };

    let on_keydown = move |ev: ev::KeyboardEvent| {
        let i = index.get_untracked();
        match (ev.key().as_str(), ev.alt_key()) {
            ("ArrowLeft", true) => {
                ev.prevent_default();
                editor.move_shot(key, i.saturating_sub(1));
                dom::focus_id_later(format!("card-{key}"));
            }
            ("ArrowRight", true) => {
                ev.prevent_default();
                editor.move_shot(key, i + 1);
                dom::focus_id_later(format!("card-{key}"));
            }
            ("+", _) | ("=", _) => {
                ev.prevent_default();
                step(1);
            }
            ("-", _) => {
                ev.prevent_default();
                step(-1);
            }
            ("Enter", _) => {
                ev.prevent_default();
                dom::focus_id(&format!("shot-{i}-prompt"));
            }
            _ => {}
        }
    };

    let on_edge_down = move |ev: ev::PointerEvent| {
        ev.prevent_default();
        ev.stop_propagation();
        let width = track
            .get_untracked()
            .map_or(0.0, |t| t.client_width() as f64);
        if width <= 0.0 {
            return;
        }
        if let Some(target) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
        resize.set_value(Some(Resize {
            start_x: ev.client_x() as f64,
            start_seconds: shot.with_untracked(|s| s.duration),
            px_per_second: width / MAX_TOTAL_SECONDS as f64,
        }));
    };
    let on_edge_move = move |ev: ev::PointerEvent| {
        let Some(r) = resize.get_value() else { return };
        let delta = ((ev.client_x() as f64 - r.start_x) / r.px_per_second).round() as i64;
        let wanted = (r.start_seconds as i64 + delta).max(1) as u32;
        if wanted != shot.with_untracked(|s| s.duration) {
            editor.set_duration(key, wanted);
        }
    };
    let on_edge_up = move |_: ev::PointerEvent| resize.set_value(None);

    view! {
        <div
            class="shot-card"
            id=format!("card-{key}")
            role="listitem"
            tabindex="0"
            draggable="true"
            class:has-error=has_error
            class:playing=move || studio.playing_shot.get() == Some(index.get())
            style:flex-basis=move || percent(seconds.get())
            aria-label=move || {
                format!(
                    "Shot {}, {} seconds. Alt+Arrow keys move it, + and - change its length, Enter edits its prompt.",
                    index.get() + 1,
                    seconds.get(),
                )
            }
            on:keydown=on_keydown
            on:dragstart=move |ev: ev::DragEvent| {
                if resize.get_value().is_some() {
                    ev.prevent_default();
                    return;
                }
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/x-storyreel-shot", &key.to_string());
                    dt.set_effect_allowed("move");
                }
            }
            on:dragover=move |ev: ev::DragEvent| ev.prevent_default()
            on:drop=move |ev: ev::DragEvent| {
                ev.prevent_default();
                let dragged = ev
                    .data_transfer()
                    .and_then(|dt| dt.get_data("text/x-storyreel-shot").ok())
                    .and_then(|s| s.parse::<u32>().ok());
                if let Some(dragged) = dragged {
                    editor.move_shot(dragged, index.get_untracked());
                }
            }
            on:dblclick=move |_| dom::focus_id(&format!("shot-{}-prompt", index.get_untracked()))
        >
            <div class="card-top">
                <span class="card-number">{move || index.get() + 1}</span>
                <span class="card-seconds">{move || format!("{} s", seconds.get())}</span>
            </div>
            <p class="card-excerpt">{move || excerpt.get()}</p>
            <div
                class="card-edge"
                title="Drag to change the length"
                aria-hidden="true"
                on:pointerdown=on_edge_down
                on:pointermove=on_edge_move
                on:pointerup=on_edge_up
                on:pointercancel=on_edge_up
            ></div>
        </div>
    }
}

//! The scrubber: one chapter per shot, the playhead, pointer and keys.

use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use storyreel_core::playback;
use storyreel_core::Shot;

use super::deck::{seconds, Deck};

#[component]
pub fn Scrubber(deck: Deck, shots: Vec<Shot>) -> impl IntoView {
    let bar = NodeRef::<Div>::new();
    let Deck {
        time,
        total,
        current,
        chapters,
        looped,
        ..
    } = deck;
    let on_scrub = move |ev: ev::PointerEvent| {
        let Some(bar) = bar.get_untracked() else {
            return;
        };
        let rect = bar.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return;
        }
        let x = ((ev.client_x() as f64 - rect.left()) / rect.width()).clamp(0.0, 1.0);
        deck.seek(x * total.get_untracked());
    };
    let on_keys = move |ev: ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowLeft" => -1.0,
            "ArrowRight" => 1.0,
            " " | "k" => {
                ev.prevent_default();
                deck.toggle_play();
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        deck.step(step);
    };
    view! {
        <div
            class="scrubber"
            node_ref=bar
            role="slider"
            tabindex="0"
            aria-label="Position"
            aria-valuemin="0"
            aria-valuemax=move || format!("{:.1}", total.get())
            aria-valuenow=move || format!("{:.1}", time.get())
            aria-valuetext=move || {
                format!(
                    "{} of {}, shot {}",
                    seconds(time.get()),
                    seconds(total.get()),
                    current.get().map_or(1, |i| i + 1),
                )
            }
            on:pointerdown=move |ev: ev::PointerEvent| {
                if let Some(bar) = bar.get_untracked() {
                    let _ = bar.set_pointer_capture(ev.pointer_id());
                }
                on_scrub(ev);
            }
            on:pointermove=move |ev: ev::PointerEvent| {
                if ev.buttons() & 1 == 1 {
                    on_scrub(ev);
                }
            }
            on:keydown=on_keys
        >
            {move || {
                let t = total.get();
                chapters
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let (left, width) = playback::percent(c, t);
                        let prompt = shots.get(i).map(|s| s.prompt.clone()).unwrap_or_default();
                        view! {
                            <div
                                class="chapter"
                                class:current=move || current.get() == Some(i)
                                class:looped=move || looped.get() == Some(i)
                                data-shot=i + 1
                                style:left=format!("{left:.4}%")
                                style:width=format!("{width:.4}%")
                                title=format!("Shot {}: {:.1}–{:.1} s. {prompt}", i + 1, c.0, c.1)
                            >
                                <span class="chapter-label">{i + 1}</span>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <div
                class="playhead"
                style:left=move || {
                    let t = total.get();
                    let x = if t > 0.0 { (time.get() / t * 100.0).clamp(0.0, 100.0) } else { 0.0 };
                    format!("{x:.3}%")
                }
            ></div>
        </div>
    }
}

//! One shot on the timeline: as wide as it is long, its number, length
//! and the start of its prompt. It moves by drag or Alt+arrows, changes
//! length with + and - or by its right edge, and Enter or a double click
//! edits its prompt.

use leptos::ev;
use leptos::prelude::*;

use super::card_edge::{CardEdge, Resize};
use super::percent;
use crate::dom;
use crate::state::Editor;
use crate::studio::Studio;

/// The drag data of a card being moved: its key.
const SHOT_DRAG_TYPE: &str = "text/x-storyreel-shot";

#[component]
pub fn ShotCard(key: u32) -> impl IntoView {
    let editor = Editor::expect();
    let studio = Studio::expect();
    let index = Memo::new(move |_| editor.index_of(key).unwrap_or(0));
    let shot = Memo::new(move |_| {
        let i = index.get();
        editor
            .board
            .with_shot(key, |b| b.shots.get(i).cloned())
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
            on:keydown=move |ev| on_keydown(editor, key, index, seconds, ev)
            on:dragstart=move |ev: ev::DragEvent| {
                if resize.get_value().is_some() {
                    ev.prevent_default();
                    return;
                }
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data(SHOT_DRAG_TYPE, &key.to_string());
                    dt.set_effect_allowed("move");
                }
            }
            on:dragover=move |ev: ev::DragEvent| ev.prevent_default()
            on:drop=move |ev: ev::DragEvent| {
                ev.prevent_default();
                let dragged = ev
                    .data_transfer()
                    .and_then(|dt| dt.get_data(SHOT_DRAG_TYPE).ok())
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
            <CardEdge key seconds resize />
        </div>
    }
}

/// Alt+arrows move the card, + and - change its length, Enter edits its
/// prompt.
fn on_keydown(
    editor: Editor,
    key: u32,
    index: Memo<usize>,
    seconds: Memo<u32>,
    ev: ev::KeyboardEvent,
) {
    let step = |delta: i32| {
        let current = seconds.get_untracked() as i32;
        let next = (current + delta).max(0) as u32;
        editor.set_duration(key, next);
    };
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
}

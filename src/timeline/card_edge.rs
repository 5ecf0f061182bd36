//! A card's right edge: dragged, it changes the shot's length by the
//! seconds the pointer moved on the track.

use leptos::ev;
use leptos::prelude::*;
use storyreel_core::limits::MAX_TOTAL_SECONDS;

use super::TrackRef;
use crate::state::Editor;

/// An edge drag in progress: where it started.
#[derive(Clone, Copy)]
pub struct Resize {
    start_x: f64,
    start_seconds: u32,
    px_per_second: f64,
}

/// `resize` is shared with the card, which starts no move while it is set.
#[component]
pub fn CardEdge(
    key: u32,
    seconds: Memo<u32>,
    resize: StoredValue<Option<Resize>>,
) -> impl IntoView {
    let editor = Editor::expect();
    let TrackRef(track) = expect_context::<TrackRef>();
    let on_down = move |ev: ev::PointerEvent| {
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
            start_seconds: seconds.get_untracked(),
            px_per_second: width / MAX_TOTAL_SECONDS as f64,
        }));
    };
    let on_move = move |ev: ev::PointerEvent| {
        let Some(r) = resize.get_value() else { return };
        let delta = ((ev.client_x() as f64 - r.start_x) / r.px_per_second).round() as i64;
        let wanted = (r.start_seconds as i64 + delta).max(1) as u32;
        if wanted != seconds.get_untracked() {
            editor.set_duration(key, wanted);
        }
    };
    let on_up = move |_: ev::PointerEvent| resize.set_value(None);

    view! {
        <div
            class="card-edge"
            title="Drag to change the length"
            aria-hidden="true"
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_up
        ></div>
    }
}

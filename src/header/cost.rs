//! The cost estimate in the top bar, and where the request goes.

use leptos::prelude::*;
use storyreel_core::cost;

use crate::state::Editor;

#[component]
pub fn CostSummary() -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let estimate = Memo::new(move |_| board.with_outline(cost::estimate));
    let kling_api = editor.kling_api;
    let destination = Memo::new(move |_| {
        let api = kling_api.get();
        board.with_outline(|b| storyreel_core::plan::destination(b, api))
    });
    let detail = move || {
        estimate.with(|e| {
            let units = e
                .units_text()
                .map(|u| format!(" · {u}"))
                .unwrap_or_default();
            format!("{} s{units}", e.seconds)
        })
    };
    let route_title = move || format!("{}. {}.", destination.get(), estimate.with(|e| e.note));
    view! {
        <div class="cost" id="cost" aria-live="polite">
            <span class="cost-label">"Estimated"</span>
            <strong>{move || estimate.with(|e| e.usd_text())}</strong>
            <span class="cost-detail">{detail}</span>
            <span class="route" title=route_title>
                {destination}
            </span>
        </div>
    }
}

//! A kept board's thumbnail.

use leptos::prelude::*;
use storyreel_core::Board;

/// The shots as a strip, each as wide as it is long, with its number.
#[component]
pub fn Thumbnail(board: Board) -> impl IntoView {
    let cells = board
        .shots
        .iter()
        .enumerate()
        .map(|(i, shot)| {
            view! {
                <span
                    class=format!("thumb-shot shot-tone-{}", i % 6)
                    style:flex-grow=shot.duration.to_string()
                    title=format!("Shot {}: {} s", i + 1, shot.duration)
                >
                    {(i + 1).to_string()}
                </span>
            }
        })
        .collect_view();
    view! { <span class="thumb" aria-hidden="true">{cells}</span> }
}

//! The player's buttons: previous and next shot, play, loop a shot, the
//! time and the download.

use leptos::prelude::*;

use super::deck::{seconds, Deck};

#[component]
pub fn Controls(deck: Deck, url: String, download: String) -> impl IntoView {
    let Deck {
        time,
        total,
        current,
        chapters,
        looped,
        playing,
        ..
    } = deck;
    view! {
        <div class="player-controls">
            <button
                id="player-prev"
                class="small"
                on:click=move |_| deck.previous_shot()
                title="Previous shot"
            >
                "« Shot"
            </button>
            <button
                id="player-play"
                class="small"
                on:click=move |_| deck.toggle_play()
                aria-label=move || if playing.get() { "Pause" } else { "Play" }
            >
                {move || if playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button id="player-next" class="small" on:click=move |_| deck.next_shot() title="Next shot">
                "Shot »"
            </button>
            <button
                id="player-loop"
                class="small"
                class:on=move || looped.get().is_some()
                aria-pressed=move || if looped.get().is_some() { "true" } else { "false" }
                on:click=move |_| deck.toggle_loop()
                title="Loop the current shot"
            >
                {move || match looped.get() {
                    Some(i) => format!("⟲ Looping shot {}", i + 1),
                    None => "⟲ Loop shot".to_string(),
                }}
            </button>
            <span class="player-time" id="player-time">
                {move || format!("{} / {}", seconds(time.get()), seconds(total.get()))}
                " · "
                {move || {
                    let n = chapters.with(Vec::len);
                    format!("shot {} of {n}", current.get().map_or(1, |i| i + 1))
                }}
            </span>
            <a id="player-download" class="button-like small" href=url download=download>
                "Download MP4"
            </a>
        </div>
    }
}

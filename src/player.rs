//! The player: the selected take with one chapter per shot on the
//! scrubber, previous/next shot, loop one shot, and the playing shot's
//! card highlighted on the timeline.

mod controls;
mod deck;
mod scrubber;

use leptos::prelude::*;
use storyreel_core::journal::{units_text, Take};
use storyreel_core::playback;

use crate::studio::Studio;
use controls::Controls;
use deck::Deck;
use scrubber::Scrubber;

/// A file name for a take's download.
pub fn file_name(take: &Take) -> String {
    let title: String = take
        .title()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let short = take.key.trim_start_matches("storyreel-");
    let short: String = short.chars().take(8).collect();
    format!(
        "{}-{short}.mp4",
        crate::case::lower(title.trim_matches('-'))
    )
}

#[component]
pub fn Player() -> impl IntoView {
    let studio = Studio::expect();
    let item = Memo::new(move |_| {
        let key = studio.selected.get()?;
        studio.take(&key)
    });
    view! {
        <section id="player" class="panel player" aria-labelledby="player-heading">
            <Show
                when=move || item.with(Option::is_some)
                fallback=|| {
                    view! {
                        <h2 id="player-heading">"Player"</h2>
                        <p class="hint">"Generate the board, and its clip plays here with a chapter per shot."</p>
                    }
                }
            >
                <Suspense>
                    {move || item.get().map(|i| Suspend::new(async move { screen(i.take, i.url).await }))}
                </Suspense>
            </Show>
        </section>
    }
}

lazy! {
    /// The take's screen: code that loads the first time a take plays
    /// (`lazy!`, src/lazy.rs).
    fn screen(take: Take, url: String) -> AnyView {
        view! { <Screen take url /> }.into_any()
    }
}

#[component]
fn Screen(take: Take, url: String) -> impl IntoView {
    let studio = Studio::expect();
    let deck = Deck::new(playback::chapters(&take.board));
    let Deck {
        video,
        playing,
        looped,
        current,
        ..
    } = deck;

    // The playing shot's card is highlighted on the timeline.
    Effect::new(move |_| studio.playing_shot.set(current.get()));
    on_cleanup(move || studio.playing_shot.set(None));

    let title = take.title().to_string();
    let shots = take.board.shots.clone();
    let download = file_name(&take);
    let charged = take
        .charged_units
        .map(|u| format!(" · charged {} units", units_text(u)))
        .unwrap_or_default();
    let meta = format!(
        "{} · {} shot{} · {} s{charged}",
        take.provider.label(),
        shots.len(),
        if shots.len() == 1 { "" } else { "s" },
        take.board.total_seconds()
    );

    view! {
        <div class="player-head">
            <h2 id="player-heading">"Player"</h2>
            <span class="player-title">{title}</span>
            <span class="hint">{meta}</span>
        </div>
        <div class="screen">
            <video
                id="player-video"
                node_ref=video
                src=url.clone()
                preload="auto"
                playsinline=true
                on:loadedmetadata=move |_| deck.measure()
                on:durationchange=move |_| deck.measure()
                on:play=move |_| {
                    playing.set(true);
                    deck.tick();
                }
                on:pause=move |_| {
                    playing.set(false);
                    deck.tick();
                }
                on:ended=move |_| {
                    if looped.get_untracked().is_some() {
                        if let Some(v) = video.get_untracked() {
                            let _ = v.play();
                        }
                    }
                }
                on:seeked=move |_| deck.tick()
                on:timeupdate=move |_| {
                    if !playing.get_untracked() {
                        deck.tick();
                    }
                }
                on:click=move |_| deck.toggle_play()
            ></video>
        </div>
        <Scrubber deck shots />
        <Controls deck url download />
    }
}

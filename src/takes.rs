//! The takes gallery (every generation of this board, or of all boards)
//! and the compare view: two takes side by side, played in sync.

use leptos::html::Video;
use leptos::prelude::*;
use storyreel_core::journal::units_text;

use crate::jobs;
use crate::player::file_name;
use crate::state::Editor;
use crate::studio::{Studio, TakeItem};

fn when(ms: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

#[component]
pub fn TakesGallery() -> impl IntoView {
    let editor = Editor::expect();
    let studio = Studio::expect();
    let all_boards = RwSignal::new(false);
    let title = Memo::new(move |_| editor.board.with_outline(|b| b.title.clone()));
    let shown = Memo::new(move |_| {
        let every = all_boards.get();
        let t = title.get();
        studio.takes.with(|takes| {
            takes
                .iter()
                .rev()
                .filter(|i| every || i.take.board.title == t)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let total = Memo::new(move |_| studio.takes.with(Vec::len));
    view! {
        <section class="panel takes-panel" aria-labelledby="takes-heading">
            <div class="takes-head">
                <h2 id="takes-heading">"Takes"</h2>
                <label class="check hint">
                    <input
                        id="takes-all"
                        type="checkbox"
                        prop:checked=all_boards
                        on:change=move |ev| all_boards.set(event_target_checked(&ev))
                    />
                    {move || format!("All boards ({})", total.get())}
                </label>
            </div>
            <Show when=move || shown.with(Vec::is_empty)>
                <p class="hint">
                    {move || {
                        if total.get() == 0 {
                            "Every finished clip is kept here, with the board it came from.".to_string()
                        } else {
                            "No takes of this board yet (its title is how takes are grouped).".to_string()
                        }
                    }}
                </p>
            </Show>
            <ul id="takes" class="takes">
                <Show when=move || !shown.with(Vec::is_empty)>
                    <Suspense>{move || Suspend::new(async move { take_cards(shown).await })}</Suspense>
                </Show>
            </ul>
        </section>
    }
}

lazy! {
    /// The takes' cards: code that loads when there is a first take
    /// (`lazy!`, src/lazy.rs).
    fn take_cards(shown: Memo<Vec<TakeItem>>) -> AnyView {
        view! {
            <For each=move || shown.get() key=|i| i.take.key.clone() let:item>
                <TakeCard item=item />
            </For>
        }
        .into_any()
    }
}

#[component]
fn TakeCard(item: TakeItem) -> impl IntoView {
    let editor = Editor::expect();
    let studio = Studio::expect();
    let key = item.take.key.clone();
    let is_selected = {
        let key = key.clone();
        Memo::new(move |_| studio.selected.with(|s| s.as_deref() == Some(key.as_str())))
    };
    let is_compared = {
        let key = key.clone();
        Memo::new(move |_| studio.compare.with(|s| s.as_deref() == Some(key.as_str())))
    };
    let take = item.take.clone();
    let shots = take.board.shots.len();
    let meta = format!(
        "{} · {shots} shot{} · {} s{}",
        take.provider.label(),
        if shots == 1 { "" } else { "s" },
        take.board.total_seconds(),
        take.charged_units
            .map(|u| format!(" · {} units", units_text(u)))
            .unwrap_or_default()
    );
    let (k1, k2, k3) = (key.clone(), key.clone(), key.clone());
    let board = take.board.clone();
    view! {
        <li class="take" data-key=key.clone() class:selected=is_selected class:compared=is_compared>
            <button
                class="take-thumb"
                aria-label=format!("Play the take of {}", when(take.created_ms))
                on:click=move |_| studio.selected.set(Some(k1.clone()))
            >
                <video src=format!("{}#t=0.5", item.url) preload="auto" muted=true></video>
            </button>
            <div class="take-info">
                <strong>{take.title().to_string()}</strong>
                <span class="hint">{when(take.created_ms)}</span>
                <span class="hint">{meta}</span>
            </div>
            <div class="take-actions">
                <button
                    class="small take-compare"
                    disabled=is_selected
                    title="Play beside the take in the player"
                    on:click=move |_| {
                        if studio.selected.with_untracked(Option::is_none) {
                            studio.selected.set(Some(k2.clone()));
                        } else {
                            studio.compare.set(Some(k2.clone()));
                        }
                    }
                >
                    "Compare"
                </button>
                <a class="button-like small" href=item.url.clone() download=file_name(&take)>
                    "MP4"
                </a>
                <button
                    class="small"
                    title="Load the board this take was made from into the editor"
                    on:click=move |_| {
                        editor.replace(board.clone());
                        editor.say("The take's board is in the editor.");
                    }
                >
                    "Use board"
                </button>
                <button
                    class="small danger"
                    on:click=move |_| jobs::delete_take(studio, k3.clone())
                >
                    "Delete"
                </button>
            </div>
        </li>
    }
}

/// Two takes side by side: the player's and the one picked to compare,
/// playing together from one set of controls.
#[component]
pub fn Compare() -> impl IntoView {
    let studio = Studio::expect();
    let pair = Memo::new(move |_| {
        let a = studio.take(&studio.selected.get()?)?;
        let b = studio.take(&studio.compare.get()?)?;
        (a.take.key != b.take.key).then_some((a, b))
    });
    view! {
        <Show when=move || pair.with(Option::is_some)>
            <Suspense>
                {move || pair.get().map(|(a, b)| Suspend::new(async move { compare_view(a, b).await }))}
            </Suspense>
        </Show>
    }
}

lazy! {
    /// Two takes side by side: code that loads the first time two are
    /// compared (`lazy!`, src/lazy.rs).
    fn compare_view(a: TakeItem, b: TakeItem) -> AnyView {
        view! { <CompareView a b /> }.into_any()
    }
}

#[component]
fn CompareView(a: TakeItem, b: TakeItem) -> impl IntoView {
    let studio = Studio::expect();
    let left = NodeRef::<Video>::new();
    let right = NodeRef::<Video>::new();
    let playing = RwSignal::new(false);

    // The right follows the left: play, pause and position.
    let sync = move || {
        if let (Some(l), Some(r)) = (left.get_untracked(), right.get_untracked()) {
            let t = l.current_time();
            if (r.current_time() - t).abs() > 0.15 && t <= r.duration() {
                r.set_current_time(t);
            }
            if l.paused() != r.paused() {
                if l.paused() {
                    let _ = r.pause();
                } else {
                    let _ = r.play();
                }
            }
        }
    };
    let toggle = move |_| {
        let (Some(l), Some(r)) = (left.get_untracked(), right.get_untracked()) else {
            return;
        };
        if l.paused() {
            if l.ended() {
                l.set_current_time(0.0);
                r.set_current_time(0.0);
            }
            let _ = l.play();
            let _ = r.play();
        } else {
            let _ = l.pause();
            let _ = r.pause();
        }
    };
    let restart = move |_| {
        if let (Some(l), Some(r)) = (left.get_untracked(), right.get_untracked()) {
            l.set_current_time(0.0);
            r.set_current_time(0.0);
        }
    };
    let label = |i: &TakeItem| format!("{} · {}", i.take.title(), when(i.take.created_ms));
    let (la, lb) = (label(&a), label(&b));
    view! {
        <section id="compare" class="panel compare" aria-label="Two takes side by side">
            <div class="compare-head">
                <h2>"Compare"</h2>
                <button id="compare-play" class="small" on:click=toggle>
                    {move || if playing.get() { "❚❚ Pause both" } else { "▶ Play both" }}
                </button>
                <button id="compare-restart" class="small" on:click=restart>"« Start"</button>
                <button id="compare-close" class="small" on:click=move |_| studio.compare.set(None)>
                    "Close"
                </button>
            </div>
            <div class="compare-grid">
                <figure>
                    <video
                        id="compare-left"
                        node_ref=left
                        src=a.url.clone()
                        preload="auto"
                        muted=true
                        playsinline=true
                        on:play=move |_| {
                            playing.set(true);
                            sync();
                        }
                        on:pause=move |_| {
                            playing.set(false);
                            sync();
                        }
                        on:seeked=move |_| sync()
                        on:timeupdate=move |_| sync()
                    ></video>
                    <figcaption>{la}</figcaption>
                </figure>
                <figure>
                    <video
                        id="compare-right"
                        node_ref=right
                        src=b.url.clone()
                        preload="auto"
                        muted=true
                        playsinline=true
                    ></video>
                    <figcaption>{lb}</figcaption>
                </figure>
            </div>
        </section>
    }
}

//! A board opened from a share link (`#b2.…`, or an older `#b1.…`, read
//! upgraded): read-only, with an animatic of the shots, and a way to make
//! it the user's own board without losing the one already saved.

use std::time::Duration;

use leptos::prelude::*;
use storyreel_core::reference::ReferenceKind;
use storyreel_core::{share, Board};
use wasm_bindgen::{JsCast, JsValue};

/// How often the animatic advances.
const TICK_MS: u32 = 100;

/// The board (and take video, if linked) in the page's fragment, if the
/// fragment looks like a share link (`#b` and a version number); `Err`
/// says why it cannot be opened.
pub fn from_location() -> Option<Result<share::Shared, String>> {
    let hash = window().location().hash().ok()?;
    let body = hash.strip_prefix('#')?;
    let looks_like_link = body
        .strip_prefix('b')
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_digit());
    if !looks_like_link {
        return None;
    }
    let perf = window().performance();
    if let Some(p) = &perf {
        let _ = p.mark("storyreel-decode-start");
    }
    let decoded = share::decode_shared(&hash).map_err(|e| e.to_string());
    // Read by `cargo xtask bench`: the decode time of the link.
    if let Some(p) = &perf {
        let _ = p.mark("storyreel-decode-end");
        let _ = p.measure_with_start_mark_and_end_mark(
            "storyreel-share-decode",
            "storyreel-decode-start",
            "storyreel-decode-end",
        );
    }
    Some(decoded)
}

/// Removes the fragment from the address without a reload or a new
/// history entry.
pub fn clear_fragment() {
    let w = window();
    let location = w.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let Ok(history) = js_sys::Reflect::get(&w, &JsValue::from_str("history")) else {
        return;
    };
    if let Some(replace) = js_sys::Reflect::get(&history, &JsValue::from_str("replaceState"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = replace.call3(
            &history,
            &JsValue::NULL,
            &JsValue::from_str(""),
            &JsValue::from_str(&url),
        );
    }
}

fn summary(board: &Board) -> String {
    let shots = board.shots.len();
    format!(
        "{} · {} · {} · sound {} · {} s in {} shot{}",
        board.provider.label(),
        board.resolution.label(),
        board.aspect_ratio.as_str(),
        if board.sound { "on" } else { "off" },
        board.total_seconds(),
        shots,
        if shots == 1 { "" } else { "s" }
    )
}

/// The page for a share link. `on_copy` makes the board the user's own
/// (its error is shown here); `on_editor` leaves for the user's editor.
#[component]
pub fn SharedView(
    outcome: Result<share::Shared, String>,
    on_copy: Callback<Board, Result<(), String>>,
    on_editor: Callback<()>,
) -> impl IntoView {
    let body = match outcome {
        Ok(share::Shared { board, take_url }) => {
            view! { <Shared board take_url on_copy on_editor /> }.into_any()
        }
        Err(why) => view! {
            <section id="shared-error" class="shared-error" role="alert">
                <h2>"This share link cannot be opened"</h2>
                <p class="shared-error-why">{sentence(&why)}</p>
                <p>"Your own board is untouched."</p>
                <button id="open-editor" class="primary" on:click=move |_| on_editor.run(())>
                    "Open the editor"
                </button>
            </section>
        }
        .into_any(),
    };
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"▮▮▮"</span>
                <h1>"Storyreel"</h1>
            </div>
            <span class="shared-badge">"Shared board · read-only"</span>
        </header>
        <main id="shared-view" class="shared-view">{body}</main>
    }
}

/// `why` as a sentence: first letter in upper case, a full stop at the end.
fn sentence(why: &str) -> String {
    let mut chars = why.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[component]
fn Shared(
    board: Board,
    take_url: Option<String>,
    on_copy: Callback<Board, Result<(), String>>,
    on_editor: Callback<()>,
) -> impl IntoView {
    let durations: Vec<u32> = board.shots.iter().map(|s| s.duration.max(1)).collect();
    let total: u32 = durations.iter().sum();
    let count = durations.len();
    let current = RwSignal::new(0usize);
    let elapsed_ms = RwSignal::new(0u32);
    let playing = RwSignal::new(count > 0);
    let copy_error = RwSignal::new(None::<String>);

    {
        let durations = durations.clone();
        let tick = move || {
            if !playing.get_untracked() || count == 0 {
                return;
            }
            let shot = current.get_untracked().min(count - 1);
            let next = elapsed_ms.get_untracked() + TICK_MS;
            if next >= durations[shot] * 1000 {
                elapsed_ms.set(0);
                current.set((shot + 1) % count);
            } else {
                elapsed_ms.set(next);
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(TICK_MS.into())) {
            on_cleanup(move || handle.clear());
        }
    }

    let starts: Vec<u32> = durations
        .iter()
        .scan(0, |acc, d| {
            let start = *acc;
            *acc += d;
            Some(start)
        })
        .collect();
    let clock = {
        let starts = starts.clone();
        move || {
            let shot = current.get().min(count.saturating_sub(1));
            let at = starts.get(shot).copied().unwrap_or(0) * 1000 + elapsed_ms.get();
            format!(
                "Shot {} of {count} · {:.1} s / {total} s",
                shot + 1,
                f64::from(at) / 1000.0
            )
        }
    };

    let title = if board.title.trim().is_empty() {
        "Untitled board".to_string()
    } else {
        board.title.clone()
    };
    let overall = board.prompt.clone();
    let element_note = share::element_note(&board);
    let cards = board
        .shots
        .iter()
        .enumerate()
        .map(|(i, shot)| {
            let seconds = durations[i];
            let prompt = shot.prompt.clone();
            let empty = prompt.trim().is_empty();
            view! {
                <li
                    class="animatic-shot"
                    class:current=move || current.get() == i
                    aria-current=move || (current.get() == i).then_some("step")
                    style=format!("--grow: {seconds}")
                    on:click=move |_| {
                        current.set(i);
                        elapsed_ms.set(0);
                    }
                >
                    <div class="animatic-shot-head">
                        <span class="animatic-number">{format!("Shot {}", i + 1)}</span>
                        <span class="animatic-duration">{format!("{seconds} s")}</span>
                    </div>
                    <p class="animatic-prompt" class:empty=empty>
                        {if empty { "(no prompt)".to_string() } else { prompt }}
                    </p>
                    <div class="animatic-progress" aria-hidden="true">
                        <span style=move || {
                            let pct = if current.get() == i {
                                f64::from(elapsed_ms.get()) / f64::from(seconds * 10)
                            } else {
                                0.0
                            };
                            format!("width: {:.1}%", pct.min(100.0))
                        }></span>
                    </div>
                </li>
            }
        })
        .collect_view();

    let cast = board
        .references
        .iter()
        .map(|r| {
            let thumb = match &r.kind {
                ReferenceKind::Image { src } if !share::is_local_only(src) => Some(src.clone()),
                _ => None,
            };
            let local = r.src().is_some_and(share::is_local_only);
            view! {
                <li class="shared-ref">
                    {thumb
                        .map(|src| {
                            view! {
                                <img
                                    class="shared-thumb"
                                    src=src
                                    alt=""
                                    loading="lazy"
                                    referrerpolicy="no-referrer"
                                    on:error=move |ev| {
                                        if let Some(img) = ev
                                            .target()
                                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                                        {
                                            let _ = img.class_list().add_1("broken");
                                        }
                                    }
                                />
                            }
                        })}
                    <span class="shared-ref-name">{format!("@{}", r.name)}</span>
                    <span class="shared-ref-kind">{r.kind.label()}</span>
                    {local.then(|| view! { <span class="shared-ref-local">"not reachable from here"</span> })}
                </li>
            }
        })
        .collect_view();
    let has_cast = !board.references.is_empty();
    let summary_text = summary(&board);
    let copy_board = StoredValue::new(board);

    view! {
        <section class="shared-head">
            <div class="shared-heading">
                <h2>"Shared board"</h2>
                <p class="shared-title" id="shared-title">{title}</p>
                <p class="shared-summary" id="shared-summary">{summary_text}</p>
            </div>
            <div class="shared-actions">
                <button
                    id="make-copy"
                    class="primary"
                    title="Open this board in your editor; your current board is kept"
                    on:click=move |_| {
                        if let Err(why) = on_copy.run(copy_board.get_value()) {
                            copy_error.set(Some(why));
                        }
                    }
                >
                    "Make a copy"
                </button>
                <button id="open-editor" on:click=move |_| on_editor.run(())>
                    "Back to my board"
                </button>
            </div>
        </section>
        {move || {
            copy_error
                .get()
                .map(|why| {
                    view! {
                        <p id="shared-copy-error" class="shared-copy-error" role="alert">
                            {format!("Not copied: {why}. Export your board first, then try again.")}
                        </p>
                    }
                })
        }}
        {(!overall.trim().is_empty())
            .then(|| {
                view! {
                    <section class="shared-overall">
                        <h2>"Direction for every shot"</h2>
                        <p>{overall}</p>
                    </section>
                }
            })}
        {take_url.map(|url| view! { <TakeVideo url starts=starts.clone() current playing /> })}
        <section class="animatic" aria-labelledby="animatic-heading">
            <div class="animatic-bar">
                <h2 id="animatic-heading">"Animatic"</h2>
                <button
                    id="animatic-play"
                    disabled=count == 0
                    aria-pressed=move || playing.get().to_string()
                    on:click=move |_| playing.update(|p| *p = !*p)
                >
                    {move || if playing.get() { "❚❚ Pause" } else { "▶ Play" }}
                </button>
                <span class="animatic-clock" aria-live="off">{clock}</span>
            </div>
            <ol class="animatic-shots">{cards}</ol>
        </section>
        {has_cast
            .then(|| {
                view! {
                    <section class="shared-cast">
                        <h2>"Cast"</h2>
                        <ul>{cast}</ul>
                        {element_note
                            .map(|note| {
                                view! {
                                    <p id="shared-element-note" class="hint" role="note">
                                        {note}
                                    </p>
                                }
                            })}
                    </section>
                }
            })}
        <p class="shared-note">
            "Nothing here is saved until you make a copy. Making a copy keeps your current board."
        </p>
    }
}

/// The take's video a link carries. While it plays, the animatic follows
/// it; a video that cannot be loaded says so and leaves the animatic.
#[component]
fn TakeVideo(
    url: String,
    starts: Vec<u32>,
    current: RwSignal<usize>,
    playing: RwSignal<bool>,
) -> impl IntoView {
    let failed = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or_default()
        .to_string();
    let follow = move |ev: leptos::ev::Event| {
        let Some(video) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlMediaElement>().ok())
        else {
            return;
        };
        let at = video.current_time();
        let shot = starts
            .iter()
            .rposition(|s| f64::from(*s) <= at)
            .unwrap_or(0);
        if current.get_untracked() != shot {
            current.set(shot);
        }
    };
    view! {
        <section class="shared-take" aria-labelledby="shared-take-heading">
            <h2 id="shared-take-heading">"Take"</h2>
            <Show
                when=move || !failed.get()
                fallback=move || {
                    view! {
                        <p id="shared-take-error" class="warn-text" role="note">
                            {format!(
                                "The take's video could not be loaded from {host} (it may have expired or be private); the animatic below shows the shots."
                            )}
                        </p>
                    }
                }
            >
                <video
                    id="shared-take-video"
                    src=url.clone()
                    controls
                    preload="metadata"
                    playsinline
                    data-loaded=move || loaded.get().then_some("1")
                    on:loadedmetadata=move |_| loaded.set(true)
                    on:error=move |_| failed.set(true)
                    on:play=move |_| playing.set(false)
                    on:timeupdate=follow.clone()
                ></video>
            </Show>
        </section>
    }
}

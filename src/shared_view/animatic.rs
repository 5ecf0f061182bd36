//! The animatic of a shared board: each shot in turn for its length,
//! with a clock, play and pause, and a click to jump to a shot.

use std::time::Duration;

use leptos::prelude::*;

/// How often the animatic advances.
const TICK_MS: u32 = 100;

/// Where each shot starts, in seconds.
pub fn starts_of(durations: &[u32]) -> Vec<u32> {
    durations
        .iter()
        .scan(0, |acc, d| {
            let start = *acc;
            *acc += d;
            Some(start)
        })
        .collect()
}

/// `durations` (each at least a second) and `prompts` are the shots';
/// `current` is the shot shown, `playing` whether it advances.
#[component]
pub fn Animatic(
    durations: Vec<u32>,
    prompts: Vec<String>,
    current: RwSignal<usize>,
    playing: RwSignal<bool>,
) -> impl IntoView {
    let total: u32 = durations.iter().sum();
    let count = durations.len();
    let elapsed_ms = RwSignal::new(0u32);

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

    let starts = starts_of(&durations);
    let clock = move || {
        let shot = current.get().min(count.saturating_sub(1));
        let at = starts.get(shot).copied().unwrap_or(0) * 1000 + elapsed_ms.get();
        format!(
            "Shot {} of {count} · {:.1} s / {total} s",
            shot + 1,
            f64::from(at) / 1000.0
        )
    };
    let cards = durations
        .into_iter()
        .zip(prompts)
        .enumerate()
        .map(|(index, (seconds, prompt))| {
            view! { <AnimaticShot index seconds prompt current elapsed_ms /> }
        })
        .collect_view();

    view! {
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
    }
}

/// One shot of the animatic, as wide as it is long, with its progress.
#[component]
fn AnimaticShot(
    index: usize,
    seconds: u32,
    prompt: String,
    current: RwSignal<usize>,
    elapsed_ms: RwSignal<u32>,
) -> impl IntoView {
    let i = index;
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
}

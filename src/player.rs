//! The player: the selected take with one chapter per shot on the
//! scrubber, previous/next shot, loop one shot, and the playing shot's
//! card highlighted on the timeline.

use leptos::ev;
use leptos::html::{Div, Video};
use leptos::prelude::*;
use storyreel_core::journal::{units_text, Take};
use storyreel_core::playback::{self, Chapter};

use crate::studio::Studio;

fn seconds(t: f64) -> String {
    if t.is_finite() {
        format!("{t:.1} s")
    } else {
        "–".into()
    }
}

/// A file name for a take's download.
pub fn file_name(take: &Take) -> String {
    let title: String = take
        .title()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let short = take.key.trim_start_matches("storyreel-");
    let short: String = short.chars().take(8).collect();
    format!("{}-{short}.mp4", title.trim_matches('-').to_lowercase())
}

/// Keeps the time display, the playing shot and the shot loop up to date
/// every frame while the video plays.
#[derive(Clone, Copy)]
struct Clock {
    video: NodeRef<Video>,
    time: RwSignal<f64>,
    playing: RwSignal<bool>,
    looped: RwSignal<Option<usize>>,
    chapters: Memo<Vec<Chapter>>,
}

impl Clock {
    fn tick(self) {
        let Some(v) = self.video.get_untracked() else {
            return;
        };
        let mut t = v.current_time();
        if let Some(i) = self.looped.get_untracked() {
            if let Some((a, b)) = self.chapters.with_untracked(|c| c.get(i).copied()) {
                if t >= b - 0.03 || t < a - 0.01 || v.ended() {
                    v.set_current_time(a);
                    t = a;
                    if v.paused() && self.playing.get_untracked() {
                        let _ = v.play();
                    }
                }
            }
        }
        self.time.set(t);
        if self.playing.get_untracked() {
            request_animation_frame(move || self.tick());
        }
    }
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
                {move || item.get().map(|i| view! { <Screen take=i.take url=i.url /> })}
            </Show>
        </section>
    }
}

#[component]
fn Screen(take: Take, url: String) -> impl IntoView {
    let studio = Studio::expect();
    let video = NodeRef::<Video>::new();
    let scrubber = NodeRef::<Div>::new();
    let time = RwSignal::new(0.0f64);
    let duration = RwSignal::new(f64::NAN);
    let playing = RwSignal::new(false);
    let looped = RwSignal::new(None::<usize>);
    let planned = playback::chapters(&take.board);
    let planned_total = planned.last().map_or(0.0, |c| c.1);
    let chapters = Memo::new(move |_| playback::fit(&planned, duration.get()));
    let total = Memo::new(move |_| {
        let d = duration.get();
        if d.is_finite() && d > 0.0 {
            d
        } else {
            planned_total
        }
    });
    let current = Memo::new(move |_| chapters.with(|c| playback::shot_at(c, time.get())));
    let clock = Clock {
        video,
        time,
        playing,
        looped,
        chapters,
    };

    // The playing shot's card is highlighted on the timeline.
    Effect::new(move |_| studio.playing_shot.set(current.get()));
    on_cleanup(move || studio.playing_shot.set(None));

    let seek = move |t: f64| {
        if let Some(v) = video.get_untracked() {
            v.set_current_time(t.max(0.0));
            time.set(t.max(0.0));
            // Seeking out of a looped shot ends the loop.
            if let Some(i) = looped.get_untracked() {
                if chapters.with_untracked(|c| playback::shot_at(c, t)) != Some(i) {
                    looped.set(None);
                }
            }
        }
    };
    let toggle_play = move || {
        if let Some(v) = video.get_untracked() {
            if v.paused() {
                let _ = v.play();
            } else {
                let _ = v.pause();
            }
        }
    };
    let prev = move |_| {
        let t = time.get_untracked();
        seek(chapters.with_untracked(|c| playback::previous_start(c, t)));
    };
    let next = move |_| {
        let t = time.get_untracked();
        if let Some(n) = chapters.with_untracked(|c| playback::next_start(c, t)) {
            seek(n);
        }
    };
    let toggle_loop = move |_| {
        if looped.get_untracked().is_some() {
            looped.set(None);
        } else {
            looped.set(current.get_untracked());
        }
    };
    let on_scrub = move |ev: ev::PointerEvent| {
        let Some(bar) = scrubber.get_untracked() else {
            return;
        };
        let rect = bar.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return;
        }
        let x = ((ev.client_x() as f64 - rect.left()) / rect.width()).clamp(0.0, 1.0);
        seek(x * total.get_untracked());
    };
    let on_keys = move |ev: ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowLeft" => -1.0,
            "ArrowRight" => 1.0,
            " " | "k" => {
                ev.prevent_default();
                toggle_play();
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        seek((time.get_untracked() + step).clamp(0.0, total.get_untracked()));
    };

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
                on:loadedmetadata=move |_| {
                    if let Some(v) = video.get_untracked() {
                        duration.set(v.duration());
                    }
                }
                on:durationchange=move |_| {
                    if let Some(v) = video.get_untracked() {
                        duration.set(v.duration());
                    }
                }
                on:play=move |_| {
                    playing.set(true);
                    clock.tick();
                }
                on:pause=move |_| {
                    playing.set(false);
                    clock.tick();
                }
                on:ended=move |_| {
                    if looped.get_untracked().is_some() {
                        if let Some(v) = video.get_untracked() {
                            let _ = v.play();
                        }
                    }
                }
                on:seeked=move |_| clock.tick()
                on:timeupdate=move |_| {
                    if !playing.get_untracked() {
                        clock.tick();
                    }
                }
                on:click=move |_| toggle_play()
            ></video>
        </div>
        <div
            class="scrubber"
            node_ref=scrubber
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
                if let Some(bar) = scrubber.get_untracked() {
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
        <div class="player-controls">
            <button id="player-prev" class="small" on:click=prev title="Previous shot">
                "« Shot"
            </button>
            <button
                id="player-play"
                class="small"
                on:click=move |_| toggle_play()
                aria-label=move || if playing.get() { "Pause" } else { "Play" }
            >
                {move || if playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button id="player-next" class="small" on:click=next title="Next shot">
                "Shot »"
            </button>
            <button
                id="player-loop"
                class="small"
                class:on=move || looped.get().is_some()
                aria-pressed=move || if looped.get().is_some() { "true" } else { "false" }
                on:click=toggle_loop
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

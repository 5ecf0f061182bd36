//! The state of one take's playback and the moves on it, shared by the
//! video, the scrubber and the buttons.

use leptos::html::Video;
use leptos::prelude::*;
use storyreel_core::playback::{self, Chapter};

/// One take's playback: the video element, where it is, its chapters and
/// the looped shot. `Copy`, so each part of the player takes it as a prop.
#[derive(Clone, Copy)]
pub struct Deck {
    pub video: NodeRef<Video>,
    pub time: RwSignal<f64>,
    /// The video's own length once known, else NaN.
    pub duration: RwSignal<f64>,
    pub playing: RwSignal<bool>,
    pub looped: RwSignal<Option<usize>>,
    pub chapters: Memo<Vec<Chapter>>,
    /// The video's length, or the board's until the video says.
    pub total: Memo<f64>,
    /// The shot playing now.
    pub current: Memo<Option<usize>>,
}

impl Deck {
    /// A deck for a clip planned as `planned` (the board's chapters).
    pub fn new(planned: Vec<Chapter>) -> Deck {
        let time = RwSignal::new(0.0f64);
        let duration = RwSignal::new(f64::NAN);
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
        Deck {
            video: NodeRef::new(),
            time,
            duration,
            playing: RwSignal::new(false),
            looped: RwSignal::new(None),
            chapters,
            total,
            current,
        }
    }

    /// Keeps the time, the playing shot and the shot loop up to date every
    /// frame while the video plays.
    pub fn tick(self) {
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

    /// Reads the video's length.
    pub fn measure(self) {
        if let Some(v) = self.video.get_untracked() {
            self.duration.set(v.duration());
        }
    }

    pub fn seek(self, t: f64) {
        if let Some(v) = self.video.get_untracked() {
            v.set_current_time(t.max(0.0));
            self.time.set(t.max(0.0));
            // Seeking out of a looped shot ends the loop.
            if let Some(i) = self.looped.get_untracked() {
                if self.chapters.with_untracked(|c| playback::shot_at(c, t)) != Some(i) {
                    self.looped.set(None);
                }
            }
        }
    }

    pub fn toggle_play(self) {
        if let Some(v) = self.video.get_untracked() {
            if v.paused() {
                let _ = v.play();
            } else {
                let _ = v.pause();
            }
        }
    }

    pub fn previous_shot(self) {
        let t = self.time.get_untracked();
        self.seek(
            self.chapters
                .with_untracked(|c| playback::previous_start(c, t)),
        );
    }

    pub fn next_shot(self) {
        let t = self.time.get_untracked();
        if let Some(n) = self.chapters.with_untracked(|c| playback::next_start(c, t)) {
            self.seek(n);
        }
    }

    pub fn toggle_loop(self) {
        if self.looped.get_untracked().is_some() {
            self.looped.set(None);
        } else {
            self.looped.set(self.current.get_untracked());
        }
    }

    /// Moves by `step` seconds, within the clip.
    pub fn step(self, step: f64) {
        self.seek((self.time.get_untracked() + step).clamp(0.0, self.total.get_untracked()));
    }
}

/// Seconds for the time display.
pub fn seconds(t: f64) -> String {
    if t.is_finite() {
        format!("{t:.1} s")
    } else {
        "–".into()
    }
}

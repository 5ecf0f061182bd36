//! The jobs: each one's phase in plain words, elapsed time and the usual
//! wait, the provider's message on failure and whether it cost anything,
//! the charged units on success.

use leptos::prelude::*;
use storyreel_core::job::Phase;
use storyreel_core::journal::{charge_text, explain, units_text, ClipState, Entry};
use storyreel_core::transport::typical_wait;

use crate::settings::Settings;
use crate::studio::Studio;

fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The phase in plain words.
fn phase_words(e: &Entry) -> String {
    let provider = e.provider().label();
    match &e.job.phase {
        Phase::Journaled => "Saved in the journal, about to send".into(),
        Phase::SubmitUnknown => format!("Sending to {provider}…"),
        Phase::Submitted { .. } => format!("Queued at {provider}"),
        Phase::Running { .. } => format!("Generating at {provider}"),
        Phase::Finished { .. } => match &e.clip {
            ClipState::Pending => "Finished; storing the clip…".into(),
            ClipState::Saved => "Finished".into(),
            ClipState::Failed { .. } => "Finished; the clip is not stored".into(),
        },
        Phase::Failed { .. } => "Failed".into(),
    }
}

fn summary(e: &Entry) -> String {
    let title = e.board.title.trim();
    let title = if title.is_empty() {
        "Untitled board"
    } else {
        title
    };
    let shots = e.board.shots.len();
    format!(
        "{title} · {} · {shots} shot{} · {} s",
        e.provider().label(),
        if shots == 1 { "" } else { "s" },
        e.board.total_seconds()
    )
}

#[component]
pub fn JobsPanel() -> impl IntoView {
    let studio = Studio::expect();
    // Newest first; the newest failure carries the id `job-error`.
    let shown = Memo::new(move |_| {
        let mut all = studio.entries.get();
        all.reverse();
        all
    });
    let newest_failed = Memo::new(move |_| {
        shown.with(|all| {
            all.iter()
                .find(|e| e.failure().is_some())
                .map(|e| e.key().to_string())
        })
    });
    view! {
        <section class="panel jobs-panel" aria-labelledby="jobs-heading">
            <h2 id="jobs-heading">"Jobs"</h2>
            <Show when=move || shown.with(Vec::is_empty)>
                <p class="hint">"Nothing generated yet. Generate sends the board as it is; the job is kept in this browser until its clip is stored."</p>
            </Show>
            <ul id="jobs" class="jobs" aria-live="polite">
                <Show when=move || !shown.with(Vec::is_empty)>
                    <Suspense>{move || Suspend::new(async move { job_items(shown, newest_failed).await })}</Suspense>
                </Show>
            </ul>
        </section>
    }
}

lazy! {
    /// The jobs' items: code that loads when there is a first job
    /// (`lazy!`, src/lazy.rs).
    fn job_items(shown: Memo<Vec<Entry>>, newest_failed: Memo<Option<String>>) -> AnyView {
        view! {
            <For each=move || shown.get() key=|e| (e.key().to_string(), e.updated_ms, e.phase_tag()) let:entry>
                <JobItem entry=entry newest_failed=newest_failed />
            </For>
        }
        .into_any()
    }
}

#[component]
fn JobItem(entry: Entry, newest_failed: Memo<Option<String>>) -> impl IntoView {
    let studio = Studio::expect();
    let settings = Settings::expect();
    let key = entry.key().to_string();
    let phase = entry.phase_tag();
    let is_error_target = {
        let key = key.clone();
        move || newest_failed.with(|k| k.as_deref() == Some(key.as_str()))
    };
    let active = entry.is_active() && !matches!(entry.job.phase, Phase::Finished { .. });
    let created = entry.job.created_at_ms;
    let finished = entry.finished_at_ms;
    let provider = entry.provider();
    let time_line = move || {
        let wait = typical_wait(provider, settings.simulated());
        match finished {
            Some(end) => format!("took {}", clock(end.saturating_sub(created))),
            None => format!(
                "{} elapsed · {wait}",
                clock(studio.now.get().saturating_sub(created))
            ),
        }
    };
    let failure_text = entry
        .failure()
        .map(|f| explain(f, &entry.board, entry.provider()));
    let success_text = matches!(entry.job.phase, Phase::Finished { .. })
        .then(|| charge_text(entry.charge().as_ref(), entry.estimate.as_deref()));
    let clip_problem = match &entry.clip {
        ClipState::Failed { message } => Some(format!(
            "The clip could not be stored in this browser ({message}). The provider keeps it for 30 days."
        )),
        _ => None,
    };
    let has_take = {
        let key = key.clone();
        move || studio.take(&key).is_some()
    };
    let play_key = key.clone();
    let forget_key = key.clone();
    let over = entry.job.phase.is_over() && !entry.is_active();
    let units = entry.charged_units.map(units_text);

    view! {
        <li class="job" data-phase=phase data-key=key.clone() class:active=active>
            <div class="job-head">
                <span class=format!("phase-dot {phase}") aria-hidden="true"></span>
                <strong class="job-phase">{phase_words(&entry)}</strong>
                <span class="job-time">{time_line}</span>
            </div>
            <div class="job-summary">{summary(&entry)}</div>
            {entry.note.clone().map(|n| view! { <p class="job-note">{n}</p> })}
            {failure_text
                .map(|t| {
                    view! {
                        <p class="job-error" role="alert" id=move || is_error_target().then_some("job-error")>
                            {t}
                        </p>
                    }
                })}
            {success_text.map(|t| view! { <p class="job-charged" data-units=units.clone()>{t}</p> })}
            {clip_problem.map(|t| view! { <p class="job-note">{t}</p> })}
            <div class="job-actions">
                <Show when=has_take.clone()>
                    <button
                        class="small"
                        on:click={
                            let k = play_key.clone();
                            move |_| studio.selected.set(Some(k.clone()))
                        }
                    >
                        "Play"
                    </button>
                </Show>
                <Show when=move || over>
                    <button
                        class="small"
                        title="Remove from this list (a stored take stays)"
                        on:click={
                            let k = forget_key.clone();
                            move |_| crate::jobs::forget(studio, k.clone())
                        }
                    >
                        "Dismiss"
                    </button>
                </Show>
            </div>
        </li>
    }
}

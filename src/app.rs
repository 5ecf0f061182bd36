//! The page: header, timeline, shot panels, cast, problems.

use leptos::prelude::*;
use storyreel_core::Board;

use crate::cast_panel::CastPanel;
use crate::header::Header;
use crate::jobs;
use crate::jobs_panel::JobsPanel;
use crate::player::Player;
use crate::problems_panel::ProblemsPanel;
use crate::prompt_field::PromptField;
use crate::settings::{SettingsPanel, SimBanner};
use crate::shot_panel::ShotPanels;
use crate::state::{Editor, Status};
use crate::storage::{self, Restored};
use crate::studio::Studio;
use crate::takes::{Compare, TakesGallery};
use crate::timeline::Timeline;

#[component]
pub fn App() -> impl IntoView {
    let (board, restored_note) = match storage::load() {
        Restored::Board(b) => (b, None),
        Restored::Nothing => (Board::default(), None),
        Restored::Unreadable(note) => (Board::default(), Some(note)),
    };
    let editor = Editor::new(board);
    provide_context(editor);
    if let Some(note) = restored_note {
        editor.status.set(Some(Status {
            text: note,
            is_error: true,
        }));
    }
    let (settings, settings_warning) = crate::settings::Settings::load();
    provide_context(settings);
    if let Some(warning) = settings_warning {
        editor.status.set(Some(Status {
            text: warning,
            is_error: true,
        }));
    }
    let studio = Studio::new(jobs::tab_id());
    provide_context(studio);
    settings.refresh();
    jobs::start(studio, settings, editor.board);

    // Autosave on every change.
    Effect::new(move |_| {
        let result = editor.board.with(storage::save);
        if let Err(why) = result {
            editor.status.set(Some(Status {
                text: format!("Not saved: {why}."),
                is_error: true,
            }));
        }
    });

    let overall = Memo::new(move |_| editor.board.with(|b| b.prompt.clone()));
    let set_overall = Callback::new(move |text: String| editor.board.update(|b| b.prompt = text));

    view! {
        <Header />
        <SimBanner />
        <main id="app">
            <Timeline />
            <div class="studio">
                <Player />
                <div class="studio-side">
                    <JobsPanel />
                    <TakesGallery />
                </div>
            </div>
            <Compare />
            <div class="workspace">
                <div class="column-main">
                    <section class="overall" aria-labelledby="overall-heading">
                        <h2 id="overall-heading">"Direction for every shot"</h2>
                        <PromptField
                            dom_id="board-prompt".to_string()
                            label="Overall prompt".to_string()
                            placeholder="Style, light, camera, mood: applies to every shot.".to_string()
                            value=overall
                            max=storyreel_core::limits::MAX_BOARD_PROMPT_CHARS
                            rows=2
                            on_change=set_overall
                        />
                    </section>
                    <ShotPanels />
                </div>
                <aside class="column-side">
                    <ProblemsPanel />
                    <CastPanel />
                    <SettingsPanel />
                </aside>
            </div>
            <StatusLine />
        </main>
    }
}

/// The last message, announced to screen readers.
#[component]
fn StatusLine() -> impl IntoView {
    let editor = Editor::expect();
    view! {
        <div
            id="status"
            class="status"
            role="status"
            aria-live="polite"
            class:error=move || editor.status.with(|s| s.as_ref().is_some_and(|s| s.is_error))
            class:empty=move || editor.status.with(Option::is_none)
        >
            {move || editor.status.with(|s| s.as_ref().map(|s| s.text.clone()).unwrap_or_default())}
            <Show when=move || editor.status.with(Option::is_some)>
                <button
                    class="status-close"
                    aria-label="Dismiss message"
                    on:click=move |_| editor.status.set(None)
                >
                    "×"
                </button>
            </Show>
        </div>
    }
}

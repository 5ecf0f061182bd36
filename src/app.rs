//! The editor's page: header, timeline, shot panels, cast, problems. (A
//! share link opens `share.html` instead: `share_page.rs`.)

use leptos::prelude::*;
use storyreel_core::Board;

use crate::autosave::{self, ConflictBanner};
use crate::cast_panel::CastPanel;
use crate::characters::Characters;
use crate::characters_panel::{CharactersOpen, CharactersPanel};
use crate::header::Header;
use crate::jobs;
use crate::jobs_panel::JobsPanel;
use crate::library::{self, Item};
use crate::library_panel::{LibraryOpen, LibraryPanel};
use crate::player::Player;
use crate::problems_panel::ProblemsPanel;
use crate::prompt_field::PromptField;
use crate::settings::{SettingsPanel, SimBanner, TokenBanner};
use crate::share_page;
use crate::shortcuts::{self, HelpOpen, ShortcutsOverlay};
use crate::shot_panel::ShotPanels;
use crate::state::{Editor, Status};
use crate::storage::{self, Copied, Restored};
use crate::studio::Studio;
use crate::tabs;
use crate::takes::{Compare, TakesGallery};
use crate::timeline::Timeline;

/// What Undo in the status line restores, while `message` is shown: the
/// board the copy replaced, and the copy's id.
#[derive(Clone)]
struct UndoCopy {
    message: String,
    previous: Item,
    copy_id: String,
}

/// The editor, with the shared board the share page just made the user's
/// own, if this load follows such a copy.
#[component]
pub fn Root() -> impl IntoView {
    // A share link pasted into this tab's address bar changes only the
    // fragment: the share page opens in its place (the editor has
    // autosaved; its job runner is not started twice).
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        share_page::open_if_link();
    });
    on_cleanup(move || listener.remove());
    let copied = storage::take_copied();
    view! { <App copied /> }
}

#[component]
pub fn App(#[prop(optional_no_strip)] copied: Option<Copied>) -> impl IntoView {
    let undo = RwSignal::new(None::<UndoCopy>);
    let saved_id = storage::current_id();
    let mut keep_previous = None;
    let (board, id, restored_note) = match copied {
        Some(Copied { board, previous }) => {
            let copy_id = library::new_id();
            let note = match (previous, saved_id) {
                (Some(Some(previous)), Some(previous_id)) => {
                    let message = format!(
                        "Copied the shared board as a new board. Your previous board is in your boards (and in browser storage '{}').",
                        storage::BEFORE_COPY_KEY
                    );
                    let previous = Item {
                        id: previous_id,
                        board: previous,
                        updated_ms: js_sys::Date::now(),
                    };
                    keep_previous = Some(previous.clone());
                    undo.set(Some(UndoCopy {
                        message: message.clone(),
                        previous,
                        copy_id: copy_id.clone(),
                    }));
                    message
                }
                (Some(_), _) => format!(
                    "Copied the shared board. Your previous board was kept in browser storage '{}'.",
                    storage::BEFORE_COPY_KEY
                ),
                (None, _) => "Copied the shared board into your editor.".to_string(),
            };
            (board, copy_id, Some((note, false)))
        }
        None => {
            let id = saved_id.unwrap_or_else(library::new_id);
            match storage::load() {
                Restored::Board(b) => (b, id, None),
                Restored::Nothing => (Board::default(), id, None),
                Restored::Unreadable(note) => {
                    (Board::default(), library::new_id(), Some((note, true)))
                }
            }
        }
    };
    let (settings, settings_warning) = crate::settings::Settings::load();
    provide_context(settings);
    let editor = Editor::new(board, id, settings.kling_api.into());
    provide_context(editor);
    if let Some((note, is_error)) = restored_note {
        editor.status.set(Some(Status {
            text: note,
            is_error,
        }));
    }
    if let Some(warning) = settings_warning {
        editor.status.set(Some(Status {
            text: warning,
            is_error: true,
        }));
    }
    let tab = tabs::tab_id();
    let studio = Studio::new(tab);
    provide_context(studio);
    settings.refresh();
    jobs::start(studio, settings, editor.board);

    // Each page load speaks for itself: a duplicated tab copies session
    // storage (and so the job runner's tab id), but must still hear the
    // original's saves.
    let autosave = autosave::start(editor, library::new_id());
    provide_context(autosave);
    if let Some(previous) = keep_previous {
        // The board the copy replaced goes into the library first.
        leptos::task::spawn_local(async move {
            if let Err(why) = library::restore(&previous).await {
                editor.status.set(Some(Status {
                    text: format!(
                        "Your previous board could not be put in your boards ({why}); it is still in browser storage '{}'.",
                        storage::BEFORE_COPY_KEY
                    ),
                    is_error: true,
                }));
            }
        });
    }
    let library_open = LibraryOpen(RwSignal::new(false));
    provide_context(library_open);
    provide_context(CharactersOpen(RwSignal::new(false)));
    // The character library: its roster feeds the rules, and the board's
    // characters follow it (element ids once made, pictures, voice).
    let characters = Characters::start();
    provide_context(characters);
    // Kling elements and voices being made: resumed after a reload, driven
    // by one tab.
    provide_context(crate::character_making::start(characters, settings));
    Effect::new(move |_| {
        let roster = characters.roster.get();
        if editor.roster.with_untracked(|r| *r != roster) {
            editor.roster.set(roster);
        }
    });
    Effect::new(move |_| {
        editor.board_id.track();
        characters.items.with(|all| editor.sync_characters(all));
    });
    let help = HelpOpen(RwSignal::new(false));
    provide_context(help);
    shortcuts::install(editor, help, library_open);

    let overall = Memo::new(move |_| editor.board.with(|b| b.prompt.clone()));
    let set_overall = Callback::new(move |text: String| editor.set_overall_prompt(text));

    view! {
        <Header />
        <SimBanner />
        <TokenBanner />
        <ConflictBanner />
        <LibraryPanel />
        <CharactersPanel />
        <ShortcutsOverlay />
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
            <StatusLine undo />
        </main>
    }
}

/// The last message, announced to screen readers.
#[component]
fn StatusLine(undo: RwSignal<Option<UndoCopy>>) -> impl IntoView {
    let editor = Editor::expect();
    // Undo is offered only while its own message is the one shown.
    let can_undo = move || {
        undo.with(|u| {
            u.as_ref().is_some_and(|u| {
                editor
                    .status
                    .with(|s| s.as_ref().is_some_and(|s| s.text == u.message))
            })
        })
    };
    let on_undo = move |_| {
        if let Some(u) = undo.get_untracked() {
            undo.set(None);
            editor.switch_to(u.previous.id, u.previous.board);
            editor.say("Your previous board is back; the shared copy was discarded.");
            leptos::task::spawn_local(async move {
                let _ = library::delete(&u.copy_id).await;
            });
        }
    };
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
            <Show when=can_undo>
                <button id="undo-copy" class="small" on:click=on_undo>
                    "Undo"
                </button>
            </Show>
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

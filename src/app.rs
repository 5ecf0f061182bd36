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
use crate::overall::OverallDirection;
use crate::player::Player;
use crate::problems_panel::ProblemsPanel;
use crate::settings::{Settings, SettingsPanel, SimBanner, TokenBanner};
use crate::share_page;
use crate::shortcuts::{self, HelpOpen, ShortcutsOverlay};
use crate::shot_panel::ShotPanels;
use crate::state::{Editor, Status};
use crate::status_line::{StatusLine, UndoCopy};
use crate::storage::{self, Copied, Restored};
use crate::studio::Studio;
use crate::tabs;
use crate::takes::{Compare, TakesGallery};
use crate::timeline::Timeline;

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
    let mut opening = Opening::of(copied);
    let undo = RwSignal::new(opening.undo.take());
    let (editor, settings) = start_editor(opening);
    start_library(editor, settings);

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
                    <OverallDirection />
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

/// What the editor opens with: the board (a copied shared board, the
/// saved one, or a new one) and its id, a note for the status line, and,
/// after a copy, the board it replaced and the Undo that brings it back.
struct Opening {
    board: Board,
    id: String,
    note: Option<Status>,
    /// The board the copy replaced, to be put in the library.
    keep_previous: Option<Item>,
    undo: Option<UndoCopy>,
}

impl Opening {
    fn of(copied: Option<Copied>) -> Opening {
        let saved_id = storage::current_id();
        let Some(Copied { board, previous }) = copied else {
            let id = saved_id.unwrap_or_else(library::new_id);
            let (board, id, note) = match storage::load() {
                Restored::Board(b) => (b, id, None),
                Restored::Nothing => (Board::default(), id, None),
                Restored::Unreadable(note) => (
                    Board::default(),
                    library::new_id(),
                    Some(Status {
                        text: note,
                        is_error: true,
                    }),
                ),
            };
            return Opening {
                board,
                id,
                note,
                keep_previous: None,
                undo: None,
            };
        };
        let copy_id = library::new_id();
        let mut keep_previous = None;
        let mut undo = None;
        let text = match (previous, saved_id) {
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
                undo = Some(UndoCopy {
                    message: message.clone(),
                    previous,
                    copy_id: copy_id.clone(),
                });
                message
            }
            (Some(_), _) => format!(
                "Copied the shared board. Your previous board was kept in browser storage '{}'.",
                storage::BEFORE_COPY_KEY
            ),
            (None, _) => "Copied the shared board into your editor.".to_string(),
        };
        Opening {
            board,
            id: copy_id,
            note: Some(Status {
                text,
                is_error: false,
            }),
            keep_previous,
            undo,
        }
    }
}

/// Provides the settings, the editor on the opening board, the studio
/// with its job runner and the autosave; puts a replaced board in the
/// library.
fn start_editor(opening: Opening) -> (Editor, Settings) {
    let (settings, settings_warning) = Settings::load();
    provide_context(settings);
    let editor = Editor::new(opening.board, opening.id, settings.kling_api.into());
    provide_context(editor);
    if let Some(note) = opening.note {
        editor.status.set(Some(note));
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
    if let Some(previous) = opening.keep_previous {
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
    (editor, settings)
}

/// Provides the boards and character panels, the character library (its
/// roster feeds the rules, the board's characters follow it) with the
/// making of Kling elements and voices, and the keyboard shortcuts.
fn start_library(editor: Editor, settings: Settings) {
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
}

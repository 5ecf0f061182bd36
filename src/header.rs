//! The top bar: the title, the generation settings, the cost estimate,
//! Generate, and the board's actions (undo, boards, characters, file,
//! share).
//!
//! The parts: `title` (the board's title), `choices` (provider,
//! resolution and aspect), `sound` (the sound switch and its note),
//! `cost` (the estimate and where the request goes).

mod choices;
mod cost;
mod sound;
mod title;

use leptos::prelude::*;

use crate::characters_panel::CharactersButton;
use crate::file_io::FileMenu;
use crate::generate::Generate;
use crate::library_panel::LibraryButton;
use crate::share::ShareButton;
use crate::shortcuts::HistoryButtons;
use crate::state::Editor;
use choices::{AspectChoice, ProviderChoice, ResolutionChoice};
use cost::CostSummary;
use sound::SoundSwitch;
use title::TitleField;

#[component]
pub fn Header() -> impl IntoView {
    let board = Editor::expect().board;
    // Narrow views of the board, so typing in a prompt re-runs none of the
    // controls below.
    let provider = Memo::new(move |_| board.with_outline(|b| b.provider));
    let sound = Memo::new(move |_| board.with_outline(|b| b.sound));
    let has_video = Memo::new(move |_| board.with_outline(|b| b.has_video()));

    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"▮▮▮"</span>
                <h1>"Storyreel"</h1>
            </div>
            <TitleField />
            <div class="settings" role="group" aria-label="Generation settings">
                <ProviderChoice provider />
                <ResolutionChoice provider sound has_video />
                <AspectChoice />
                <SoundSwitch sound has_video />
            </div>
            <CostSummary />
            <Generate />
            <div class="file-actions">
                <HistoryButtons />
                <LibraryButton />
                <CharactersButton />
                <FileMenu />
                <ShareButton />
            </div>
        </header>
    }
}

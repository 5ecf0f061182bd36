//! Storyreel's browser app: a thin Leptos UI over `storyreel-core`.
//!
//! Two pages share these modules, each its own wasm (Trunk builds both
//! from `index.html`): the editor (`src/main.rs`, loaded by `index.html`)
//! and the read-only page a share link opens (`src/bin/share.rs`, loaded
//! by `share.html`), which carries only what showing a shared board
//! needs.

#[macro_use]
mod lazy;

mod app;
mod autosave;
mod case;
mod cast_item;
mod cast_panel;
mod character_card;
mod character_files;
mod character_form;
mod character_making;
mod characters;
mod characters_panel;
mod contact_sheet;
mod database;
mod dom;
mod element_browser;
mod file_io;
mod frames_picker;
mod generate;
mod header;
mod intake;
mod jobs;
mod jobs_panel;
mod library;
mod library_file;
mod library_panel;
mod net;
mod overall;
mod player;
mod problems_panel;
mod prompt_field;
mod resize;
mod settings;
mod share;
mod share_page;
mod shared_view;
mod shortcuts;
mod shot_panel;
mod state;
mod status_line;
mod storage;
mod studio;
mod tabs;
mod takes;
mod thumbs;
mod timeline;
mod upload;
mod voice_picker;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the editor, unless the address is a share link: then the share
/// page opens instead (`index.html` does this before any wasm loads; this
/// is for a page that ran no inline script).
pub fn start_editor() {
    console_error_panic_hook::set_once();
    if share_page::open_if_link() {
        return;
    }
    leptos::mount::mount_to_body(app::Root);
    dom::mark_ready();
}

/// Mounts the read-only view of the share link in the address.
pub fn start_share() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(share_page::SharePage);
    dom::mark_ready();
}

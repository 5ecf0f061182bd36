//! Storyreel's browser app: a thin Leptos UI over `storyreel-core`.

mod app;
mod autosave;
mod cast_item;
mod cast_panel;
mod character_card;
mod character_files;
mod character_form;
mod character_making;
mod characters;
mod characters_panel;
mod contact_sheet;
mod dom;
mod element_browser;
mod file_io;
mod frames_picker;
mod generate;
mod header;
mod intake;
mod jobs;
mod jobs_panel;
mod journal;
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

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::Root);
    dom::mark_ready();
}

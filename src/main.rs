//! Storyreel's browser app: a thin Leptos UI over `storyreel-core`.

mod app;
mod cast_panel;
mod dom;
mod file_io;
mod header;
mod problems_panel;
mod prompt_field;
mod shot_panel;
mod state;
mod storage;
mod timeline;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    dom::mark_ready();
}

//! The editor's page (`index.html`); the modules are in `lib.rs`.

fn main() {
    storyreel::start_editor();
}

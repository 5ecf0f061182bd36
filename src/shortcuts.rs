//! Keyboard shortcuts, the `?` overlay that lists them, and the undo and
//! redo buttons.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::library_panel::LibraryOpen;
use crate::state::Editor;

/// Every shortcut, as the overlay lists it.
const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+Z", "Undo the last edit"),
    ("Ctrl+Shift+Z or Ctrl+Y", "Redo"),
    ("Ctrl+S", "Export the board file"),
    ("Alt+N", "Add a shot"),
    ("Alt+B", "Show or hide your boards"),
    ("Alt+S", "Share link"),
    ("Alt+G", "Generate (asks before anything is spent)"),
    ("?", "Show or hide this list"),
    ("Esc", "Close this list or the boards"),
];

/// Whether the shortcut overlay is open.
#[derive(Clone, Copy)]
pub struct HelpOpen(pub RwSignal<bool>);

fn click_id(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.click();
    }
}

/// Whether keys typed now go into a text field.
fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || el.has_attribute("contenteditable")
}

/// Listens for the shortcuts on the whole page for as long as the editor
/// is shown.
pub fn install(editor: Editor, help: HelpOpen, library: LibraryOpen) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let key = ev.key();
        let command = ev.ctrl_key() || ev.meta_key();
        let handled = match (command, ev.alt_key(), key.as_str()) {
            (true, false, "z") | (true, false, "Z") if ev.shift_key() => {
                editor.redo();
                true
            }
            (true, false, "z") => {
                editor.undo();
                true
            }
            (true, false, "y") => {
                editor.redo();
                true
            }
            (true, false, "s") => {
                click_id("export");
                true
            }
            // Alt with a letter gives other characters on some layouts;
            // `code` names the key itself.
            (false, true, _) => match ev.code().as_str() {
                "KeyN" => {
                    click_id("add-shot");
                    true
                }
                "KeyB" => {
                    library.0.update(|o| *o = !*o);
                    true
                }
                "KeyS" => {
                    click_id("share");
                    true
                }
                "KeyG" => {
                    click_id("generate");
                    true
                }
                _ => false,
            },
            (false, false, "?") if !typing_in_field(&ev) => {
                help.0.update(|o| *o = !*o);
                true
            }
            (false, false, "Escape") if help.0.get_untracked() || library.0.get_untracked() => {
                help.0.set(false);
                library.0.set(false);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

/// The list of shortcuts, shown with `?`.
#[component]
pub fn ShortcutsOverlay() -> impl IntoView {
    let help = expect_context::<HelpOpen>().0;
    let rows = SHORTCUTS
        .iter()
        .map(|(keys, what)| {
            view! {
                <tr>
                    <td>
                        <kbd>{*keys}</kbd>
                    </td>
                    <td>{*what}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div
            id="shortcuts"
            class="overlay"
            class:hidden=move || !help.get()
            role="dialog"
            aria-modal="false"
            aria-labelledby="shortcuts-heading"
            on:click=move |_| help.set(false)
        >
            <div class="overlay-card" on:click=|ev| ev.stop_propagation()>
                <h2 id="shortcuts-heading">"Keyboard shortcuts"</h2>
                <table class="shortcut-table">
                    <tbody>{rows}</tbody>
                </table>
                <p class="muted">"On a Mac, Cmd works wherever Ctrl is listed."</p>
                <button id="shortcuts-close" on:click=move |_| help.set(false)>
                    "Close"
                </button>
            </div>
        </div>
    }
}

/// Undo and redo, with the shortcut and the `?` list next to them.
#[component]
pub fn HistoryButtons() -> impl IntoView {
    let editor = Editor::expect();
    let help = expect_context::<HelpOpen>().0;
    view! {
        <div class="history-actions" role="group" aria-label="Undo and redo">
            <button
                id="undo"
                title="Undo (Ctrl+Z)"
                aria-label="Undo"
                disabled=move || !editor.can_undo.get()
                on:click=move |_| editor.undo()
            >
                "↶"
            </button>
            <button
                id="redo"
                title="Redo (Ctrl+Shift+Z)"
                aria-label="Redo"
                disabled=move || !editor.can_redo.get()
                on:click=move |_| editor.redo()
            >
                "↷"
            </button>
            <button
                id="shortcuts-toggle"
                title="Keyboard shortcuts (?)"
                aria-label="Keyboard shortcuts"
                on:click=move |_| help.update(|o| *o = !*o)
            >
                "?"
            </button>
        </div>
    }
}

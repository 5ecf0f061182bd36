//! Import and export: the board file (format 2; format 1 imports,
//! upgraded), the shot list as Markdown or CSV, and the contact sheet
//! (`contact_sheet.rs`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::Board;
use wasm_bindgen::{JsCast, JsValue};

use crate::state::{Editor, Status};

/// The file name for `board` with `extension` (e.g. `storyreel.json`).
pub fn file_name(board: &Board, extension: &str) -> String {
    let stem: String = board
        .title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem = if stem.is_empty() {
        "storyboard".to_string()
    } else {
        stem
    };
    format!("{stem}.{extension}")
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    download_url(name, &web_sys::Url::create_object_url_with_blob(&blob)?)?;
    Ok(())
}

/// Offers the resource at `url` as a download named `name`; a `blob:`
/// URL is released afterwards.
pub fn download_url(name: &str, url: &str) -> Result<(), JsValue> {
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(url);
    a.set_download(name);
    a.click();
    if url.starts_with("blob:") {
        web_sys::Url::revoke_object_url(url)?;
    }
    Ok(())
}

/// What the export menu writes.
#[derive(Clone, Copy)]
enum Export {
    Board,
    Markdown,
    Csv,
    ContactSheet,
}

fn export(editor: Editor, what: Export) {
    let board = editor.board.get_untracked();
    spawn_local(async move {
        let outcome = match what {
            Export::ContactSheet => {
                // Drawn by code that loads on the first export.
                let name = file_name(&board, "contact-sheet.png");
                match crate::contact_sheet::drawn(board).await {
                    Ok(url) => download_url(&name, &url).map(|()| name).map_err(|_| ()),
                    Err(_) => Err(()),
                }
            }
            _ => written(board, what).await,
        };
        report(editor, outcome);
    });
}

lazy! {
    /// Writes `board` as the file `what` and offers it as a download;
    /// the file's name, or `Err` when the browser refused. Code that loads
    /// on the first export (`lazy!`, src/lazy.rs).
    fn written(board: Board, what: Export) -> Result<String, ()> {
        let (suffix, mime, text) = match what {
            Export::Board => ("storyreel.json", "application/json", board.to_json()),
            Export::Markdown => ("shots.md", "text/markdown", storyreel_core::export::markdown(&board)),
            Export::Csv => ("shots.csv", "text/csv", storyreel_core::export::csv(&board)),
            Export::ContactSheet => return Err(()),
        };
        let name = file_name(&board, suffix);
        download(&name, mime, &text).map(|()| name).map_err(|_| ())
    }
}

fn report(editor: Editor, outcome: Result<String, ()>) {
    match outcome {
        Ok(name) => editor.say(format!("Exported {name}.")),
        Err(_) => editor.status.set(Some(Status {
            text: "Export failed: the browser refused the download. The board is unchanged.".into(),
            is_error: true,
        })),
    }
}

/// The file menu: import a board file; export the board file, the shot
/// list, the contact sheet.
#[component]
pub fn FileMenu() -> impl IntoView {
    let editor = Editor::expect();
    let menu = NodeRef::<leptos::html::Details>::new();
    let item = move |id: &'static str, label: &'static str, what: Export| {
        view! {
            <button
                id=id
                role="menuitem"
                on:click=move |_| {
                    if let Some(menu) = menu.get_untracked() {
                        menu.set_open(false);
                    }
                    export(editor, what);
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <details class="menu" id="file-menu" node_ref=menu>
            <summary class="button-like">"File"</summary>
            <div class="menu-items" role="menu">
                <ImportButton />
                {item("export", "Export board file (.json)", Export::Board)}
                {item("export-md", "Export shot list (.md)", Export::Markdown)}
                {item("export-csv", "Export shot list (.csv)", Export::Csv)}
                {item("export-png", "Export contact sheet (.png)", Export::ContactSheet)}
            </div>
        </details>
    }
}

#[component]
fn ImportButton() -> impl IntoView {
    let editor = Editor::expect();
    let autosave = crate::autosave::Autosave::expect();
    let input = NodeRef::<leptos::html::Input>::new();

    let on_change = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let Some(file) = el.files().and_then(|f| f.get(0)) else {
            return;
        };
        el.set_value("");
        let name = file.name();
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            let outcome = match text {
                None => Err("the file could not be read as text".to_string()),
                Some(t) => Board::from_json_draft(&t).map_err(|e| e.to_string()),
            };
            match outcome {
                Ok(board) => {
                    let title = if board.title.is_empty() {
                        name.clone()
                    } else {
                        board.title.clone()
                    };
                    // The open board is saved first; a failed save stops
                    // the import, so nothing is lost.
                    if let Err(why) = autosave.flush(editor).await {
                        editor.status.set(Some(Status {
                            text: format!(
                                "Not imported: the open board could not be saved first ({why})."
                            ),
                            is_error: true,
                        }));
                        return;
                    }
                    editor.switch_to(crate::library::new_id(), board);
                    editor.say(format!(
                        "Imported '{title}' as a new board; the previous one is in your boards."
                    ));
                }
                Err(why) => editor.status.set(Some(Status {
                    text: format!(
                        "Could not import {name}: {why}. Your current board is unchanged."
                    ),
                    is_error: true,
                })),
            }
        });
    };

    view! {
        <label class="button-like" for="import-file" role="menuitem">
            "Import board file…"
        </label>
        <input
            id="import-file"
            class="visually-hidden"
            type="file"
            accept=".json,application/json"
            node_ref=input
            on:change=on_change
        />
    }
}

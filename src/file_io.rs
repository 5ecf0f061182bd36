//! Import and export of the board file.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::Board;
use wasm_bindgen::{JsCast, JsValue};

use crate::state::{Editor, Status};

fn file_name(board: &Board) -> String {
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
    format!("{stem}.storyreel.json")
}

fn download(name: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)
}

#[component]
pub fn ExportButton() -> impl IntoView {
    let editor = Editor::expect();
    view! {
        <button
            id="export"
            on:click=move |_| {
                let (name, text) = editor.board.with_untracked(|b| (file_name(b), b.to_json()));
                match download(&name, &text) {
                    Ok(()) => editor.say(format!("Exported {name}.")),
                    Err(_) => editor.status.set(Some(Status {
                        text: "Export failed: the browser refused the download.".into(),
                        is_error: true,
                    })),
                }
            }
        >
            "Export"
        </button>
    }
}

#[component]
pub fn ImportButton() -> impl IntoView {
    let editor = Editor::expect();
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
                    editor.replace(board);
                    editor.say(format!("Imported '{title}'."));
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
        <label class="button-like" for="import-file">"Import"</label>
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

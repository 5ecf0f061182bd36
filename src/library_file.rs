//! Export and import of the character library as a file (the core's
//! `storyreel-characters/1`): pictures travel by their upload refs, or by
//! the server's public address when it has one, as in share links.
//! Import adds the file's characters; one with the id of a character
//! already kept replaces it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::file;
use wasm_bindgen_futures::JsFuture;

use crate::characters::{self, Characters};
use crate::settings::Settings;
use crate::state::Editor;

#[component]
pub fn LibraryFile() -> impl IntoView {
    let characters = Characters::expect();
    let settings = Settings::expect();
    let editor = Editor::expect();

    let export = move |_| {
        let all = characters.items.get_untracked();
        if all.is_empty() {
            editor.say("There are no characters to export yet.");
            return;
        }
        let base = settings.public_uploads_base();
        let text = file::to_json(&all, base.as_deref());
        if crate::file_io::download(
            "characters.storyreel-characters.json",
            "application/json",
            &text,
        )
        .is_err()
        {
            characters
                .error
                .set(Some("The file could not be saved by this browser.".into()));
            return;
        }
        let local = file::local_only_characters(&all);
        if local.is_empty() {
            editor.say(format!("Exported {} characters.", all.len()));
        } else {
            editor.say(format!(
                "Exported {} characters. The pictures of {} are on this server only: another browser sees them only through the same server (start it with --public-base-url to make them travel).",
                all.len(),
                local.join(", ")
            ));
        }
    };
    let import = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(f) = crate::intake::files_of(input.files()).into_iter().next() else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            let text = match JsFuture::from(f.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
            {
                Some(t) => t,
                None => {
                    return characters
                        .error
                        .set(Some(format!("{} could not be read.", f.name())))
                }
            };
            let list = match file::from_json(&text) {
                Ok(l) => l,
                Err(e) => return characters.error.set(Some(format!("Not imported: {e}."))),
            };
            let count = list.len();
            for c in list {
                if let Err(why) = characters::put(&c).await {
                    characters.changed();
                    return characters
                        .error
                        .set(Some(format!("Import stopped at '{}': {why}.", c.name)));
                }
            }
            characters.changed();
            editor.say(format!("Imported {count} characters."));
        });
    };

    view! {
        <button id="characters-export" title="Save the library as a file" on:click=export>"Export"</button>
        <label class="button" for="characters-import" title="Add the characters of a library file">"Import"</label>
        <input id="characters-import" class="visually-hidden" type="file" accept=".json,application/json" on:change=import />
    }
}

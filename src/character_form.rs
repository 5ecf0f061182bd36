//! The form that adds or edits a library character: name (≤ 20),
//! description (≤ 100), tag, and either a frontal image and 1 to 3 others
//! or one 3–8 s video. Each file is checked when picked
//! (`character_files`); a refused file is listed with its reasons and is
//! never uploaded. Save uploads the new files, then writes the library.
//!
//! The parts: `draft` (the form's signals), `checks` (what makes a draft
//! unsavable), `fields` (a text field, the kind), `look` (images or a
//! video), `file_pick` (a file input and its refusals), `picked` (one
//! file of the form), `save` (upload and write).

mod checks;
mod draft;
mod fields;
mod file_pick;
mod look;
mod picked;
mod save;

use leptos::prelude::*;
use storyreel_core::character::{
    Character, MAX_CHARACTER_DESCRIPTION_CHARS, MAX_CHARACTER_NAME_CHARS,
};

pub use checks::name_problem;
use draft::Draft;
use fields::{TagField, TextField};
use file_pick::Refusals;
use look::LookPicker;

/// Adds a character (`editing` is `None`) or edits one. `on_done` runs
/// after a save or a cancel.
#[component]
pub fn CharacterForm(
    #[prop(optional_no_strip)] editing: Option<Character>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let draft = Draft::new(editing);
    let id = move |what: &str| draft.id(what);

    view! {
        <form
            class="character-form"
            id=id("form")
            on:submit=move |ev| {
                ev.prevent_default();
                save::save(draft, on_done);
            }
        >
            <TextField
                label="Name"
                id=id("name")
                max=MAX_CHARACTER_NAME_CHARS
                placeholder="Mia"
                value=draft.name
            />
            <TagField draft />
            <TextField
                label="Description"
                wide=true
                id=id("description")
                max=MAX_CHARACTER_DESCRIPTION_CHARS
                placeholder="Red coat, short dark hair, freckles"
                value=draft.description
            />
            <LookPicker draft />
            <Refusals draft />
            <p class="form-error" role="alert" id=id("error")>{move || draft.error.get().unwrap_or_default()}</p>
            <div class="character-form-actions wide">
                <button type="submit" id=id("save") disabled=move || draft.busy.with(Option::is_some)>
                    {move || draft.busy.get().unwrap_or_else(|| "Save character".into())}
                </button>
                <button type="button" class="link-like" on:click=move |_| on_done.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

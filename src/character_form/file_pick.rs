//! Picking the character form's files: an input that checks each file
//! (`character_files`) and hands on those that pass, and the list of the
//! refused ones with their reasons.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::draft::Draft;
use super::picked::Picked;
use crate::character_files::{self, Want};

/// A file input of the form, part `what` of its ids. The files that pass
/// their checks go to `on_pick`; the others to the draft's refusals.
#[component]
pub fn FileInput(
    draft: Draft,
    what: &'static str,
    want: Want,
    #[prop(optional)] multiple: bool,
    #[prop(into)] on_pick: Callback<Vec<Picked>>,
) -> impl IntoView {
    let accept = match want {
        Want::Image => "image/jpeg,image/png",
        Want::Video => "video/mp4,video/quicktime",
    };
    view! {
        <input
            id=draft.id(what)
            class="character-file"
            type="file"
            accept=accept
            multiple=multiple
            on:change=move |ev| {
                let input: web_sys::HtmlInputElement = event_target(&ev);
                let files = crate::intake::files_of(input.files());
                input.set_value("");
                check(draft, files, want, on_pick);
            }
        />
    }
}

/// Checks picked files; those that pass go to `on_pick`.
fn check(draft: Draft, files: Vec<web_sys::File>, want: Want, on_pick: Callback<Vec<Picked>>) {
    draft.refusals.set(Vec::new());
    spawn_local(async move {
        let mut ok = Vec::new();
        let mut refused = Vec::new();
        for file in files {
            match character_files::check(&file, want).await {
                Ok(()) => {
                    let preview = (want == Want::Image)
                        .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
                        .flatten();
                    ok.push(Picked {
                        label: file.name(),
                        src: None,
                        file: Some(file),
                        preview,
                    });
                }
                Err(why) => refused.push((file.name(), why)),
            }
        }
        draft.refusals.set(refused);
        if !ok.is_empty() {
            on_pick.run(ok);
        }
    });
}

/// The files last refused, each with its reasons.
#[component]
pub fn Refusals(draft: Draft) -> impl IntoView {
    view! {
        <ul class="character-refusals" id=draft.id("refusals") aria-live="polite">
            {move || {
                draft
                    .refusals
                    .get()
                    .into_iter()
                    .map(|(file, why)| {
                        view! {
                            <li class="refused" data-file=file.clone()>
                                <strong>{format!("{file}: not taken")}</strong>
                                <ul>{why.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

//! One file of the character form: kept from the character, or just
//! picked and checked; shown as a small picture with its name, and
//! uploaded on save.

use leptos::prelude::*;

use crate::settings::Settings;

/// A file of the form: one already in the character (`src`), or one just
/// picked and checked (`file`).
#[derive(Clone, Debug)]
pub struct Picked {
    pub label: String,
    /// The character's own source (`upload:…` or https) when kept.
    pub src: Option<String>,
    pub file: Option<web_sys::File>,
    /// What the form shows.
    pub preview: Option<String>,
}

impl Picked {
    pub fn kept(src: &str, settings: Settings) -> Picked {
        Picked {
            label: short(src),
            src: Some(src.to_string()),
            file: None,
            preview: crate::thumbs::url_for(src).or_else(|| settings.transport().view_url(src)),
        }
    }
}

/// A source by its last path part; an upload by a short hash.
fn short(src: &str) -> String {
    let shown = crate::cast_item::short_src(src);
    shown.rsplit('/').next().unwrap_or(&shown).to_string()
}

/// A picked image as a small picture with its name, and a remove button
/// when `remove` is given.
#[component]
pub fn PickedView(picked: Picked, #[prop(optional)] remove: Option<Callback<()>>) -> impl IntoView {
    view! {
        <span class="character-picked">
            {picked.preview.map(|url| view! { <img class="thumb" src=url alt="" /> })}
            <span class="character-picked-name">{picked.label}</span>
            {remove.map(|r| view! {
                <button type="button" class="small" aria-label="Remove this image" on:click=move |_| r.run(())>
                    "×"
                </button>
            })}
        </span>
    }
}

/// The picked file uploaded (or the kept source as it is).
pub async fn upload(settings: Settings, picked: Picked) -> Result<String, String> {
    if let Some(src) = picked.src {
        return Ok(src);
    }
    let Some(file) = picked.file else {
        return Err("a file went missing".into());
    };
    let stored = crate::upload::send_file(settings, &file)
        .await
        .map_err(|why| format!("{} was not uploaded: {why}", picked.label))?;
    crate::thumbs::remember(&stored.reference, &file);
    Ok(stored.reference)
}

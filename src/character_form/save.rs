//! Saving the character form: its checks, the upload of the newly picked
//! files, then the character written to the library.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::{Character, ElementStatus, Look};

use super::checks::{
    description_problem, frontal_missing, name_problem, others_problem, video_missing,
};
use super::draft::{Draft, Mode};
use super::picked::{upload, Picked};
use crate::settings::Settings;

/// The files a saved character is made from, before their upload.
enum Chosen {
    Images {
        frontal: Picked,
        others: Vec<Picked>,
    },
    Video(Picked),
}

impl Chosen {
    /// The draft's files, or what is wrong with them.
    fn of(draft: Draft) -> Result<Chosen, String> {
        match draft.mode.get_untracked() {
            Mode::Video => draft
                .video
                .get_untracked()
                .map(Chosen::Video)
                .ok_or_else(video_missing),
            Mode::Images => {
                let frontal = draft.frontal.get_untracked().ok_or_else(frontal_missing)?;
                let others = draft.others.get_untracked();
                match others_problem(others.len()) {
                    Some(why) => Err(why),
                    None => Ok(Chosen::Images { frontal, others }),
                }
            }
        }
    }

    fn needs_upload(&self) -> bool {
        match self {
            Chosen::Video(v) => v.src.is_none(),
            Chosen::Images { frontal, others } => std::iter::once(frontal)
                .chain(others)
                .any(|p| p.src.is_none()),
        }
    }

    /// The look once every new file is uploaded.
    async fn upload(self, settings: Settings) -> Result<Look, String> {
        match self {
            Chosen::Video(clip) => Ok(Look::Video {
                src: upload(settings, clip).await?,
            }),
            Chosen::Images { frontal, others } => {
                let frontal = upload(settings, frontal).await?;
                let mut out = Vec::new();
                for p in others {
                    out.push(upload(settings, p).await?);
                }
                Ok(Look::Images {
                    frontal,
                    others: out,
                })
            }
        }
    }
}

/// Checks the draft, uploads its new files and writes the character;
/// `on_done` runs once it is saved. A problem shows in the form.
pub fn save(draft: Draft, on_done: Callback<()>) {
    let (error, busy, settings) = (draft.error, draft.busy, draft.settings);
    if busy.with_untracked(Option::is_some) {
        return;
    }
    let name = draft.name.get_untracked().trim().to_string();
    let description = draft.description.get_untracked().trim().to_string();
    let chosen = name_problem(&name)
        .or_else(|| description_problem(&description))
        .map_or_else(|| Chosen::of(draft), Err);
    let chosen = match chosen {
        Ok(c) => c,
        Err(why) => return error.set(Some(why)),
    };
    if chosen.needs_upload() {
        if let Some(why) = crate::intake::uploads_refusal(settings) {
            return error.set(Some(why));
        }
    }
    error.set(None);
    busy.set(Some("Uploading…".into()));
    spawn_local(async move {
        let look = match chosen.upload(settings).await {
            Ok(l) => l,
            Err(why) => {
                busy.set(None);
                error.set(Some(format!("Not saved: {why}.")));
                return;
            }
        };
        let tag = draft.tag.get_untracked();
        let character = match draft.original.get_value() {
            Some(mut c) => {
                // New pictures make a new element: the old one no
                // longer looks like this character.
                if c.look != look && !matches!(c.element, ElementStatus::Making { .. }) {
                    c.element = ElementStatus::None;
                }
                c.name = name;
                c.description = description;
                c.tag = tag;
                if !c.tag.takes_voice() {
                    c.voice = None;
                }
                c.look = look;
                c
            }
            None => Character {
                id: crate::characters::new_id(),
                name,
                description,
                tag,
                look,
                voice: None,
                element: ElementStatus::None,
                updated_ms: 0,
            },
        };
        let title = character.name.clone();
        let saved = draft.characters.save(character).await;
        busy.set(None);
        match saved {
            Ok(_) => {
                draft
                    .editor
                    .say(format!("Saved '{title}' in your characters."));
                on_done.run(());
            }
            Err(why) => error.set(Some(format!("Not saved: {why}."))),
        }
    });
}

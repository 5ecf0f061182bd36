//! One character of the library: its frontal image, name (renamed in
//! place), kind, description, Kling element and voice, and what can be
//! done with it: add to the open board, edit, duplicate, delete (with
//! undo in the panel), make its Kling element, pick its voice, delete the
//! element at Kling after naming the boards that cite it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::{Character, ElementStatus, Look};
use storyreel_core::ReferenceKind;

use crate::character_form::{name_problem, CharacterForm};
use crate::characters::{self, Characters};
use crate::characters_panel::Deleted;
use crate::settings::Settings;
use crate::state::Editor;

/// The picture a character shows: its frontal image, or its video.
#[component]
pub fn CharacterThumb(look: Look) -> impl IntoView {
    let settings = Settings::expect();
    let transport = settings.transport();
    match look {
        Look::Images { frontal, .. } => {
            let url = crate::thumbs::url_for(&frontal).or_else(|| transport.view_url(&frontal));
            match url {
                Some(url) => view! { <img class="thumb character-thumb" src=url alt="" loading="lazy" /> }
                    .into_any(),
                None => view! { <span class="thumb thumb-badge" aria-hidden="true">"?"</span> }.into_any(),
            }
        }
        Look::Video { src } => match transport.view_url(&src) {
            Some(url) => view! {
                <video class="thumb character-thumb" src=format!("{url}#t=0.5") preload="metadata" muted=true aria-hidden="true"></video>
            }
            .into_any(),
            None => view! { <span class="thumb thumb-badge" aria-hidden="true">"▶"</span> }.into_any(),
        },
    }
}

/// The titles of the kept boards that cite `character` (by its library
/// id, or by its element id).
pub async fn boards_citing(character: &Character) -> Vec<String> {
    let element_id = match &character.element {
        ElementStatus::Ready { element_id } | ElementStatus::Deleted { element_id } => {
            Some(element_id.clone())
        }
        _ => None,
    };
    let Ok(items) = crate::library::list().await else {
        return Vec::new();
    };
    items
        .into_iter()
        .filter(|item| {
            item.board.references.iter().any(|r| match &r.kind {
                ReferenceKind::Element {
                    element_id: id,
                    character: link,
                } => {
                    link.as_ref().is_some_and(|l| l.id == character.id)
                        || element_id.as_deref().is_some_and(|e| e == id)
                }
                _ => false,
            })
        })
        .map(|item| {
            if item.board.title.trim().is_empty() {
                "Untitled board".to_string()
            } else {
                item.board.title
            }
        })
        .collect()
}

#[component]
pub fn CharacterCard(character: Character) -> impl IntoView {
    let characters = Characters::expect();
    let settings = Settings::expect();
    let editor = Editor::expect();
    let deleted = expect_context::<Deleted>().0;
    let makings = crate::character_making::Makings::expect();
    let c = StoredValue::new(character.clone());
    let editing = RwSignal::new(false);
    let renaming = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let voicing = RwSignal::new(false);
    // The boards named before a delete at Kling, once read.
    let confirm_delete = RwSignal::new(None::<Vec<String>>);
    let dom_id = format!("character-{}", character.id);

    let add_to_board = move |_| {
        let ch = c.get_value();
        match editor.add_character(&ch) {
            Ok(name) => {
                error.set(None);
                editor.say(format!("'{}' added to the cast as @{name}.", ch.name));
            }
            Err(why) => error.set(Some(format!("Not added to the board: {why}"))),
        }
    };
    let rename = move || {
        let new = draft.get_untracked().trim().to_string();
        if let Some(why) = name_problem(&new) {
            error.set(Some(why));
            return;
        }
        let id = c.get_value().id;
        spawn_local(async move {
            match characters.change(&id, |ch| ch.name = new).await {
                Ok(_) => {
                    renaming.set(false);
                    error.set(None);
                }
                Err(why) => error.set(Some(format!("Not renamed: {why}."))),
            }
        });
    };
    let duplicate = move |_| {
        let mut copy = c.get_value();
        copy.id = characters::new_id();
        copy.name = characters::copy_name(&copy.name);
        // The copy is a new subject for Kling: its element is made anew.
        copy.element = ElementStatus::None;
        spawn_local(async move {
            let name = copy.name.clone();
            match characters.save(copy).await {
                Ok(_) => editor.say(format!("Duplicated as '{name}'.")),
                Err(why) => error.set(Some(format!("Not duplicated: {why}."))),
            }
        });
    };
    let delete = move |_| {
        let ch = c.get_value();
        if matches!(ch.element, ElementStatus::Making { .. }) {
            error.set(Some(
                "Its Kling element is being made; delete it once Kling has answered.".into(),
            ));
            return;
        }
        spawn_local(async move {
            match characters::delete(&ch.id).await {
                Ok(()) => {
                    editor.say(format!("Deleted '{}'.", ch.name));
                    deleted.set(Some(ch));
                    characters.changed();
                }
                Err(why) => error.set(Some(format!("Not deleted: {why}."))),
            }
        });
    };
    let make = move |_| {
        error.set(None);
        crate::character_making::make(makings, characters, settings, c.get_value().id, error);
    };
    let ask_delete_at_kling = move |_| {
        let ch = c.get_value();
        spawn_local(async move {
            confirm_delete.set(Some(boards_citing(&ch).await));
        });
    };
    let delete_at_kling = move |_| {
        confirm_delete.set(None);
        crate::character_making::delete_at_kling(characters, settings, c.get_value().id, error);
    };

    let status = character.element.clone();
    let making = matches!(status, ElementStatus::Making { .. });
    let can_make = matches!(
        status,
        ElementStatus::None | ElementStatus::Failed { .. } | ElementStatus::Deleted { .. }
    );
    let ready = matches!(status, ElementStatus::Ready { .. });
    let state_class = match status {
        ElementStatus::None => "none",
        ElementStatus::Making { .. } => "making",
        ElementStatus::Ready { .. } => "ready",
        ElementStatus::Failed { .. } => "failed",
        ElementStatus::Deleted { .. } => "deleted",
    };
    let voice_line = character.voice.as_ref().map(|v| {
        let source = match v.source {
            storyreel_core::character::VoiceSource::Preset => "Kling preset",
            storyreel_core::character::VoiceSource::Custom => "your voice",
            storyreel_core::character::VoiceSource::Cloned => "cloned from the video",
        };
        format!("Voice: {} ({source})", v.name)
    });
    let takes_voice = character.tag.takes_voice();
    let is_video = matches!(character.look, Look::Video { .. });

    view! {
        <li class="library-item character-item" id=dom_id data-id=character.id.clone() data-element=state_class>
            <CharacterThumb look=character.look.clone() />
            <div class="library-text character-text">
                <Show
                    when=move || renaming.get()
                    fallback=move || view! {
                        <span class="character-name">{c.get_value().name}</span>
                    }
                >
                    <form
                        class="cast-rename"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            rename();
                        }
                    >
                        <input
                            class="character-rename-input"
                            type="text"
                            maxlength=storyreel_core::character::MAX_CHARACTER_NAME_CHARS.to_string()
                            aria-label="New name"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                        />
                        <button type="submit" class="small">"Save"</button>
                        <button type="button" class="small" on:click=move |_| renaming.set(false)>"Cancel"</button>
                    </form>
                </Show>
                <span class="muted character-kind">
                    {format!(
                        "{} · {}",
                        character.tag.label(),
                        match &character.look {
                            Look::Images { others, .. } => format!("{} images", others.len() + 1),
                            Look::Video { .. } => "video".to_string(),
                        }
                    )}
                </span>
                {(!character.description.is_empty())
                    .then(|| view! { <span class="character-description">{character.description.clone()}</span> })}
                <span class=format!("character-element element-{state_class}") role="status">
                    {characters::element_line(&status)}
                </span>
                {making.then(|| view! { <progress class="character-progress" aria-label="Making the Kling element"></progress> })}
                {voice_line.map(|v| view! { <span class="character-voice">{v}</span> })}
                {move || {
                    // A passing problem of the element being made, and a
                    // custom voice being made or failed.
                    let id = c.get_value().id;
                    let note = makings
                        .latest_for(&id, true)
                        .filter(|m| m.is_active())
                        .and_then(|m| m.note);
                    let voice = makings.latest_for(&id, false).and_then(|m| {
                        if m.is_active() {
                            Some("Making your custom voice…".to_string())
                        } else {
                            m.reason().map(|r| format!("Custom voice failed: {r}"))
                        }
                    });
                    [note, voice]
                        .into_iter()
                        .flatten()
                        .map(|t| view! { <span class="muted character-note">{t}</span> })
                        .collect_view()
                }}
                <p class="error-text character-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </div>
            <div class="character-actions">
                <button class="small character-add" on:click=add_to_board>"Add to board"</button>
                {can_make.then(|| view! {
                    <button class="small character-make" on:click=make>"Make Kling element"</button>
                })}
                {(takes_voice && !is_video && !making).then(|| view! {
                    <button
                        class="small character-voice-button"
                        aria-expanded=move || voicing.get().to_string()
                        on:click=move |_| voicing.update(|v| *v = !*v)
                    >
                        "Voice…"
                    </button>
                })}
                <button
                    class="small character-rename"
                    on:click=move |_| {
                        draft.set(c.get_value().name);
                        renaming.set(true);
                    }
                >
                    "Rename"
                </button>
                <button class="small character-edit" on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                <button class="small character-duplicate" on:click=duplicate>"Duplicate"</button>
                <button class="small danger character-delete" on:click=delete>"Delete"</button>
                {ready.then(|| view! {
                    <button class="small danger character-delete-kling" on:click=ask_delete_at_kling>
                        "Delete at Kling"
                    </button>
                })}
            </div>
            <Show when=move || confirm_delete.with(Option::is_some)>
                <div class="cast-confirm character-confirm" role="alertdialog" aria-label="Delete the element at Kling?">
                    <p>
                        {move || {
                            let boards = confirm_delete.get().unwrap_or_default();
                            let id = c.get_value().element_id().unwrap_or_default().to_string();
                            if boards.is_empty() {
                                format!("Delete element {id} at Kling? No kept board cites it. This cannot be undone.")
                            } else {
                                format!(
                                    "Delete element {id} at Kling? These boards cite it and will show a problem until it is replaced: {}. This cannot be undone.",
                                    boards.iter().map(|b| format!("'{b}'")).collect::<Vec<_>>().join(", ")
                                )
                            }
                        }}
                    </p>
                    <button class="danger small character-delete-kling-confirm" on:click=delete_at_kling>
                        "Delete at Kling"
                    </button>
                    <button class="small" on:click=move |_| confirm_delete.set(None)>"Keep"</button>
                </div>
            </Show>
            <Show when=move || voicing.get()>
                <crate::voice_picker::VoicePicker character_id=c.get_value().id on_done=move |()| voicing.set(false) />
            </Show>
            <Show when=move || editing.get()>
                <CharacterForm editing=Some(c.get_value()) on_done=move |()| editing.set(false) />
            </Show>
        </li>
    }
}

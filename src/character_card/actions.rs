//! What can be done with a character from its card: add it to the open
//! board, make its Kling element, pick its voice, rename, edit,
//! duplicate, delete (with undo in the panel) and delete its element at
//! Kling.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::{ElementStatus, Look};

use super::delete_at_kling::boards_citing;
use super::state::Card;
use crate::characters;

/// The card's row of buttons; which show follows the character as drawn.
#[component]
pub fn CardActions(card: Card) -> impl IntoView {
    let (status, takes_voice, is_video) = card.character.with_value(|c| {
        (
            c.element.clone(),
            c.tag.takes_voice(),
            matches!(c.look, Look::Video { .. }),
        )
    });
    let making = matches!(status, ElementStatus::Making { .. });
    let can_make = matches!(
        status,
        ElementStatus::None | ElementStatus::Failed { .. } | ElementStatus::Deleted { .. }
    );
    let ready = matches!(status, ElementStatus::Ready { .. });
    let (voicing, editing) = (card.voicing, card.editing);

    view! {
        <div class="character-actions">
            <button class="small character-add" on:click=move |_| add_to_board(card)>"Add to board"</button>
            {can_make.then(|| view! {
                <button class="small character-make" on:click=move |_| make(card)>"Make Kling element"</button>
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
                    card.new_name.set(card.character.with_value(|c| c.name.clone()));
                    card.renaming.set(true);
                }
            >
                "Rename"
            </button>
            <button class="small character-edit" on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
            <button class="small character-duplicate" on:click=move |_| duplicate(card)>"Duplicate"</button>
            <button class="small danger character-delete" on:click=move |_| delete(card)>"Delete"</button>
            {ready.then(|| view! {
                <button class="small danger character-delete-kling" on:click=move |_| ask_delete_at_kling(card)>
                    "Delete at Kling"
                </button>
            })}
        </div>
    }
}

fn add_to_board(card: Card) {
    let ch = card.character.get_value();
    match card.editor.add_character(&ch) {
        Ok(name) => {
            card.error.set(None);
            card.editor
                .say(format!("'{}' added to the cast as @{name}.", ch.name));
        }
        Err(why) => card
            .error
            .set(Some(format!("Not added to the board: {why}"))),
    }
}

fn make(card: Card) {
    card.error.set(None);
    crate::character_making::make(
        card.makings,
        card.characters,
        card.settings,
        card.id(),
        card.error,
    );
}

fn duplicate(card: Card) {
    let mut copy = card.character.get_value();
    copy.id = characters::new_id();
    copy.name = characters::copy_name(&copy.name);
    // The copy is a new subject for Kling: its element is made anew.
    copy.element = ElementStatus::None;
    spawn_local(async move {
        let name = copy.name.clone();
        match card.characters.save(copy).await {
            Ok(_) => card.editor.say(format!("Duplicated as '{name}'.")),
            Err(why) => card.error.set(Some(format!("Not duplicated: {why}."))),
        }
    });
}

fn delete(card: Card) {
    let ch = card.character.get_value();
    if matches!(ch.element, ElementStatus::Making { .. }) {
        card.error.set(Some(
            "Its Kling element is being made; delete it once Kling has answered.".into(),
        ));
        return;
    }
    spawn_local(async move {
        match characters::delete(&ch.id).await {
            Ok(()) => {
                card.editor.say(format!("Deleted '{}'.", ch.name));
                card.deleted.set(Some(ch));
                card.characters.changed();
            }
            Err(why) => card.error.set(Some(format!("Not deleted: {why}."))),
        }
    });
}

/// Reads the boards that cite the character, for the confirmation.
fn ask_delete_at_kling(card: Card) {
    let ch = card.character.get_value();
    spawn_local(async move {
        card.confirm_delete.set(Some(boards_citing(&ch).await));
    });
}

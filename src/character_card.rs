//! One character of the library: its frontal image, name (renamed in
//! place), kind, description, Kling element and voice, and what can be
//! done with it: add to the open board, edit, duplicate, delete (with
//! undo in the panel), make its Kling element, pick its voice, delete the
//! element at Kling after naming the boards that cite it.
//!
//! The parts: `state` (the card's signals), `thumb`, `name` (with the
//! rename), `element_status`, `voice_line`, `actions` (the buttons and
//! what they do), `delete_at_kling` (the boards that cite it and the
//! question).

mod actions;
mod delete_at_kling;
mod element_status;
mod name;
mod state;
mod thumb;
mod voice_line;

use leptos::prelude::*;
use storyreel_core::character::{Character, Look};

use crate::character_form::CharacterForm;
use crate::voice_picker::VoicePicker;
use actions::CardActions;
use delete_at_kling::DeleteAtKlingConfirm;
use element_status::{state_class, ElementState, MakingNotes};
use name::CardName;
use state::Card;
use thumb::CharacterThumb;
use voice_line::VoiceLine;

#[component]
pub fn CharacterCard(character: Character) -> impl IntoView {
    let card = Card::new(character.clone());
    let (editing, voicing, error) = (card.editing, card.voicing, card.error);
    let kind = format!(
        "{} · {}",
        character.tag.label(),
        look_words(&character.look)
    );

    view! {
        <li
            class="library-item character-item"
            id=format!("character-{}", character.id)
            data-id=character.id.clone()
            data-element=state_class(&character.element)
        >
            <CharacterThumb look=character.look.clone() />
            <div class="library-text character-text">
                <CardName card />
                <span class="muted character-kind">{kind}</span>
                {(!character.description.is_empty())
                    .then(|| view! { <span class="character-description">{character.description.clone()}</span> })}
                <ElementState status=character.element.clone() />
                <VoiceLine voice=character.voice.clone() />
                <MakingNotes id=character.id.clone() makings=card.makings />
                <p class="error-text character-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </div>
            <CardActions card />
            <DeleteAtKlingConfirm card />
            <Show when=move || voicing.get()>
                <VoicePicker character_id=card.id() on_done=move |()| voicing.set(false) />
            </Show>
            <Show when=move || editing.get()>
                <CharacterForm editing=Some(card.character.get_value()) on_done=move |()| editing.set(false) />
            </Show>
        </li>
    }
}

/// What the character is made from, as the card says it.
fn look_words(look: &Look) -> String {
    match look {
        Look::Images { others, .. } => format!("{} images", others.len() + 1),
        Look::Video { .. } => "video".to_string(),
    }
}

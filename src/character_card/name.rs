//! A character card's name, renamed in place.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::MAX_CHARACTER_NAME_CHARS;

use super::state::Card;
use crate::character_form::name_problem;

/// The name, or while renaming, a small form for the new one.
#[component]
pub fn CardName(card: Card) -> impl IntoView {
    let (renaming, new_name) = (card.renaming, card.new_name);
    view! {
        <Show
            when=move || renaming.get()
            fallback=move || view! {
                <span class="character-name">{card.character.with_value(|c| c.name.clone())}</span>
            }
        >
            <form
                class="cast-rename"
                on:submit=move |ev| {
                    ev.prevent_default();
                    rename(card);
                }
            >
                <input
                    class="character-rename-input"
                    type="text"
                    maxlength=MAX_CHARACTER_NAME_CHARS.to_string()
                    aria-label="New name"
                    prop:value=move || new_name.get()
                    on:input=move |ev| new_name.set(event_target_value(&ev))
                />
                <button type="submit" class="small">"Save"</button>
                <button type="button" class="small" on:click=move |_| renaming.set(false)>"Cancel"</button>
            </form>
        </Show>
    }
}

/// Saves the typed name, or says what is wrong with it.
fn rename(card: Card) {
    let new = card.new_name.get_untracked().trim().to_string();
    if let Some(why) = name_problem(&new) {
        card.error.set(Some(why));
        return;
    }
    let id = card.id();
    spawn_local(async move {
        match card.characters.change(&id, |ch| ch.name = new).await {
            Ok(_) => {
                card.renaming.set(false);
                card.error.set(None);
            }
            Err(why) => card.error.set(Some(format!("Not renamed: {why}."))),
        }
    });
}

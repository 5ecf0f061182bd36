//! The state one character card shares between its parts.

use leptos::prelude::*;
use storyreel_core::character::Character;

use crate::character_making::Makings;
use crate::characters::Characters;
use crate::characters_panel::Deleted;
use crate::settings::Settings;
use crate::state::Editor;

/// Every signal of one card, with the shared handles its actions use;
/// copied into each part.
#[derive(Clone, Copy)]
pub struct Card {
    /// The character as the card was drawn.
    pub character: StoredValue<Character>,
    /// The last action's problem, shown under the text.
    pub error: RwSignal<Option<String>>,
    /// Whether the edit form is open.
    pub editing: RwSignal<bool>,
    /// Whether the name is being renamed in place, and the new name.
    pub renaming: RwSignal<bool>,
    pub new_name: RwSignal<String>,
    /// Whether the voice picker is open.
    pub voicing: RwSignal<bool>,
    /// The boards named before a delete at Kling, once read.
    pub confirm_delete: RwSignal<Option<Vec<String>>>,
    pub characters: Characters,
    pub settings: Settings,
    pub editor: Editor,
    pub makings: Makings,
    /// The panel's last deleted character, for its undo.
    pub deleted: RwSignal<Option<Character>>,
}

impl Card {
    /// Reads the context, so it is made while a component is built.
    pub fn new(character: Character) -> Card {
        Card {
            character: StoredValue::new(character),
            error: RwSignal::new(None),
            editing: RwSignal::new(false),
            renaming: RwSignal::new(false),
            new_name: RwSignal::new(String::new()),
            voicing: RwSignal::new(false),
            confirm_delete: RwSignal::new(None),
            characters: Characters::expect(),
            settings: Settings::expect(),
            editor: Editor::expect(),
            makings: Makings::expect(),
            deleted: expect_context::<Deleted>().0,
        }
    }

    /// The character's library id.
    pub fn id(&self) -> String {
        self.character.with_value(|c| c.id.clone())
    }
}

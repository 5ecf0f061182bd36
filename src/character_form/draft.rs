//! The character form's state: what is typed and picked, the refusals of
//! the files last picked, the error and the busy label, with the shared
//! handles a save needs.

use leptos::prelude::*;
use storyreel_core::character::{Character, Look, Tag};

use super::picked::Picked;
use crate::characters::Characters;
use crate::settings::Settings;
use crate::state::Editor;

/// Whether the character is made from images or from a video.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Images,
    Video,
}

impl Mode {
    /// Its word in element ids.
    pub fn word(self) -> &'static str {
        match self {
            Mode::Images => "images",
            Mode::Video => "video",
        }
    }
}

/// Every signal of one form; copied into each part.
#[derive(Clone, Copy)]
pub struct Draft {
    /// `new` or `edit`: the start of every element id of the form.
    prefix: &'static str,
    /// The character being edited, as it was.
    pub original: StoredValue<Option<Character>>,
    pub name: RwSignal<String>,
    pub description: RwSignal<String>,
    pub tag: RwSignal<Tag>,
    pub mode: RwSignal<Mode>,
    pub frontal: RwSignal<Option<Picked>, LocalStorage>,
    pub others: RwSignal<Vec<Picked>, LocalStorage>,
    pub video: RwSignal<Option<Picked>, LocalStorage>,
    /// Refusals of the files last picked, each with its file name.
    pub refusals: RwSignal<Vec<(String, Vec<String>)>>,
    pub error: RwSignal<Option<String>>,
    /// What the save button says while a save runs.
    pub busy: RwSignal<Option<String>>,
    pub characters: Characters,
    pub settings: Settings,
    pub editor: Editor,
}

impl Draft {
    /// A form for a new character (`editing` is `None`) or filled from
    /// one. Reads the context, so it is made while a component is built.
    pub fn new(editing: Option<Character>) -> Draft {
        let settings = Settings::expect();
        let (mode, frontal, others, video) = match editing.as_ref().map(|c| &c.look) {
            Some(Look::Video { src }) => (
                Mode::Video,
                None,
                Vec::new(),
                Some(Picked::kept(src, settings)),
            ),
            Some(Look::Images { frontal, others }) => (
                Mode::Images,
                Some(Picked::kept(frontal, settings)),
                others.iter().map(|s| Picked::kept(s, settings)).collect(),
                None,
            ),
            None => (Mode::Images, None, Vec::new(), None),
        };
        let field = |f: fn(&Character) -> String| editing.as_ref().map(f).unwrap_or_default();
        Draft {
            prefix: if editing.is_some() { "edit" } else { "new" },
            name: RwSignal::new(field(|c| c.name.clone())),
            description: RwSignal::new(field(|c| c.description.clone())),
            tag: RwSignal::new(editing.as_ref().map(|c| c.tag).unwrap_or_default()),
            mode: RwSignal::new(mode),
            frontal: RwSignal::new_local(frontal),
            others: RwSignal::new_local(others),
            video: RwSignal::new_local(video),
            refusals: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            busy: RwSignal::new(None),
            original: StoredValue::new(editing),
            characters: Characters::expect(),
            settings,
            editor: Editor::expect(),
        }
    }

    /// The element id of part `what` of this form.
    pub fn id(&self, what: &str) -> String {
        format!("character-{}-{what}", self.prefix)
    }
}

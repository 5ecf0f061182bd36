//! Characters that carry from board to board: a subject made once (a
//! frontal image and 1 to 3 others, or one short video of a real person),
//! optionally with a voice, kept in the browser's library and made into a
//! Kling element (providers.md §0.5).
//!
//! A board cites a character through an element reference whose
//! [`CharacterLink`] carries what the board needs without the library:
//! the character's pictures (fal sends them as its `elements`) and its
//! voice (for the dialogue hints). What only the library knows, whether the
//! element is still being made, failed or was deleted, reaches the rules
//! as a [`Roster`] in the request options.

mod error;
pub mod file;
mod look;
pub mod making;
mod status;
mod tag;
pub mod wire;

pub use error::CharacterError;
pub use look::Look;
pub use making::{Made, Making, MakingAction};
pub use status::{ElementStatus, Roster};
pub use tag::Tag;

use serde::{Deserialize, Serialize};

/// Characters in a character's name (Kling's `element_name`).
pub const MAX_CHARACTER_NAME_CHARS: usize = 20;
/// Characters in a character's description (Kling's
/// `element_description`).
pub const MAX_CHARACTER_DESCRIPTION_CHARS: usize = 100;
/// Images besides the frontal one (Kling's `refer_images`: 1 to 3).
pub const MIN_OTHER_IMAGES: usize = 1;
pub const MAX_OTHER_IMAGES: usize = 3;

/// Where a voice comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VoiceSource {
    /// One of Kling's preset voices.
    Preset,
    /// A voice made from the user's own clip (`/v1/general/custom-voices`).
    Custom,
    /// Cloned by Kling from the voice in a `video_refer` element's video.
    Cloned,
}

/// A voice bound to a character (Kling's `element_voice_id` and
/// `element_voice_info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    pub voice_id: String,
    pub name: String,
    pub source: VoiceSource,
    /// Kling's trial audio, to listen to before choosing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_url: Option<String>,
}

/// A character in the browser's library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Character {
    /// The library's own id (random, never shown).
    pub id: String,
    /// 1 to 20 characters; also the cast name it gets on a board, made
    /// valid there (`cast::unique_name`).
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub tag: Tag,
    pub look: Look,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<Voice>,
    /// Its Kling element, once asked for.
    #[serde(default)]
    pub element: ElementStatus,
    /// Milliseconds since the epoch.
    #[serde(default)]
    pub updated_ms: u64,
}

impl Character {
    /// What a board carries of this character.
    pub fn link(&self) -> CharacterLink {
        CharacterLink {
            id: self.id.clone(),
            look: self.look.clone(),
            voice: self.voice.clone(),
        }
    }

    /// The Kling element id, when the element is made and not deleted.
    pub fn element_id(&self) -> Option<&str> {
        match &self.element {
            ElementStatus::Ready { element_id } => Some(element_id),
            _ => None,
        }
    }
}

/// What a board's element reference carries of a library character, so
/// that the board works without the library: fal sends the pictures as
/// its `elements`, the editor shows the voice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CharacterLink {
    /// The character's id in the library it came from.
    pub id: String,
    pub look: Look,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<Voice>,
}

//! A character's kind, as Kling tags elements (`tag_list`).

use serde::{Deserialize, Serialize};

/// Kling's element tags `o_102`…`o_108` (`o_101`, "Hottest", is Kling's
/// own ranking, not a kind a user picks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    #[default]
    Character,
    Animal,
    Item,
    Costume,
    Scene,
    Effect,
    Other,
}

impl Tag {
    pub const ALL: [Tag; 7] = [
        Tag::Character,
        Tag::Animal,
        Tag::Item,
        Tag::Costume,
        Tag::Scene,
        Tag::Effect,
        Tag::Other,
    ];

    /// Kling's `tag_id`.
    pub fn kling_id(self) -> &'static str {
        match self {
            Tag::Character => "o_102",
            Tag::Animal => "o_103",
            Tag::Item => "o_104",
            Tag::Costume => "o_105",
            Tag::Scene => "o_106",
            Tag::Effect => "o_107",
            Tag::Other => "o_108",
        }
    }

    /// The tag for Kling's `tag_id`, if it is one of these.
    pub fn from_kling_id(id: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|t| t.kling_id() == id)
    }

    /// The word shown in the library.
    pub fn label(self) -> &'static str {
        match self {
            Tag::Character => "Character",
            Tag::Animal => "Animal",
            Tag::Item => "Item",
            Tag::Costume => "Costume",
            Tag::Scene => "Scene",
            Tag::Effect => "Effect",
            Tag::Other => "Other",
        }
    }

    /// Whether Kling lets a voice be bound to it (human-like characters
    /// only).
    pub fn takes_voice(self) -> bool {
        self == Tag::Character
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kling_ids_round_trip_and_skip_hottest() {
        for t in Tag::ALL {
            assert_eq!(Tag::from_kling_id(t.kling_id()), Some(t));
        }
        assert_eq!(Tag::from_kling_id("o_101"), None);
        assert_eq!(Tag::Other.kling_id(), "o_108");
    }
}

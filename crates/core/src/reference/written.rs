//! A reference as a board file writes it: one flat object, its `kind`
//! beside its name and that kind's fields.
//!
//! ```json
//! {"name": "mia", "kind": "image", "src": "upload:…"}
//! {"name": "rex", "kind": "element", "element_id": "831204"}
//! {"name": "lantern", "kind": "video", "src": "https://…", "use": "feature", "keep_sound": false}
//! ```
//!
//! Read through one plain struct of every kind's fields rather than
//! serde's `flatten` of a tagged enum: that form buffers each object
//! twice and brought serde's whole buffering machinery into the editor's
//! first load (about 24 KB of wasm for this one type). A field of another
//! kind is ignored, as before; a missing field of its own kind is refused
//! with serde's own words (``missing field `src` ``).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::{Reference, ReferenceKind, VideoUse};
use crate::character::CharacterLink;

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Image,
    Element,
    Video,
}

/// What is read: every field any kind has.
#[derive(Deserialize)]
struct Read {
    name: String,
    kind: Kind,
    #[serde(default)]
    src: Option<String>,
    #[serde(default, deserialize_with = "element_id")]
    element_id: Option<String>,
    #[serde(default)]
    character: Option<Box<CharacterLink>>,
    #[serde(rename = "use", default)]
    usage: VideoUse,
    #[serde(default)]
    keep_sound: bool,
}

/// What is written: the fields of its kind, in the order of version 1.
#[derive(Serialize)]
struct Written<'a> {
    name: &'a str,
    kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    src: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    character: Option<&'a CharacterLink>,
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    usage: Option<VideoUse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_sound: Option<bool>,
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Written {
            name: &self.name,
            kind: Kind::Image,
            src: None,
            element_id: None,
            character: None,
            usage: None,
            keep_sound: None,
        };
        match &self.kind {
            ReferenceKind::Image { src } => out.src = Some(src),
            ReferenceKind::Element {
                element_id,
                character,
            } => {
                out.kind = Kind::Element;
                out.element_id = Some(element_id);
                out.character = character.as_deref();
            }
            ReferenceKind::Video {
                src,
                usage,
                keep_sound,
            } => {
                out.kind = Kind::Video;
                out.src = Some(src);
                out.usage = Some(*usage);
                out.keep_sound = Some(*keep_sound);
            }
        }
        out.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Reference, D::Error> {
        let read = Read::deserialize(d)?;
        let src = |src: Option<String>| src.ok_or_else(|| de::Error::missing_field("src"));
        let kind = match read.kind {
            Kind::Image => ReferenceKind::Image {
                src: src(read.src)?,
            },
            Kind::Element => ReferenceKind::Element {
                element_id: read.element_id.unwrap_or_default(),
                character: read.character,
            },
            Kind::Video => ReferenceKind::Video {
                src: src(read.src)?,
                usage: read.usage,
                keep_sound: read.keep_sound,
            },
        };
        Ok(Reference {
            name: read.name,
            kind,
        })
    }
}

/// An element id as written: a string (version 2) or a whole number
/// (version 1).
fn element_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Id;
    impl Visitor<'_> for Id {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an element id: a string of digits, or a whole number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(Id).map(Some)
}

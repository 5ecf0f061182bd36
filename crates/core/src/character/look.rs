//! What a character looks like, and how a board or library file writes it:
//! `{"kind": "images", "frontal": …, "others": […]}` or
//! `{"kind": "video", "src": …}`.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// What a character looks like: the pictures Kling makes the element from.
/// Each `src` follows the cast's rules (an https URL or `upload:<sha256>`).
/// Written as one object with a `kind` tag beside its fields, read through
/// a plain struct of every kind's fields (see `reference/written.rs` for
/// why not serde's tagged enum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Look {
    /// Kling's `image_refer`: a frontal image and 1 to 3 others.
    Images {
        frontal: String,
        others: Vec<String>,
    },
    /// Kling's `video_refer`: one 3–8 s video of a real person, whose own
    /// voice Kling clones and binds.
    Video { src: String },
}

impl Look {
    /// Kling's `reference_type`.
    pub fn reference_type(&self) -> &'static str {
        match self {
            Look::Images { .. } => "image_refer",
            Look::Video { .. } => "video_refer",
        }
    }

    /// Whether the character is made from a video.
    pub fn is_video(&self) -> bool {
        matches!(self, Look::Video { .. })
    }

    /// Every picture, the frontal one first, to change in place.
    pub fn sources_mut(&mut self) -> Vec<&mut String> {
        match self {
            Look::Images { frontal, others } => {
                std::iter::once(frontal).chain(others.iter_mut()).collect()
            }
            Look::Video { src } => vec![src],
        }
    }

    /// Every picture, the frontal one first.
    pub fn sources(&self) -> Vec<&str> {
        match self {
            Look::Images { frontal, others } => std::iter::once(frontal.as_str())
                .chain(others.iter().map(String::as_str))
                .collect(),
            Look::Video { src } => vec![src.as_str()],
        }
    }
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Images,
    Video,
}

/// Every field any kind has, as read.
#[derive(Deserialize)]
struct Read {
    kind: Kind,
    #[serde(default)]
    frontal: Option<String>,
    #[serde(default)]
    others: Option<Vec<String>>,
    #[serde(default)]
    src: Option<String>,
}

/// The fields of one kind, as written.
#[derive(Serialize)]
struct Written<'a> {
    kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    frontal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    others: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    src: Option<&'a str>,
}

impl Serialize for Look {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Look::Images { frontal, others } => Written {
                kind: Kind::Images,
                frontal: Some(frontal),
                others: Some(others),
                src: None,
            },
            Look::Video { src } => Written {
                kind: Kind::Video,
                frontal: None,
                others: None,
                src: Some(src),
            },
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Look {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Look, D::Error> {
        let read = Read::deserialize(d)?;
        Ok(match read.kind {
            Kind::Images => Look::Images {
                frontal: need::<_, D::Error>(read.frontal, "frontal")?,
                others: need::<_, D::Error>(read.others, "others")?,
            },
            Kind::Video => Look::Video {
                src: need::<_, D::Error>(read.src, "src")?,
            },
        })
    }
}

/// A field of its kind that the object lacks is serde's "missing field".
fn need<T, E: de::Error>(v: Option<T>, field: &'static str) -> Result<T, E> {
    v.ok_or_else(|| E::missing_field(field))
}

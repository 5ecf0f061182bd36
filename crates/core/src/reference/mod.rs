//! The cast: images, Kling elements and one reference video.

use serde::{Deserialize, Serialize};

use crate::character::CharacterLink;
use crate::limits::MAX_NAME_CHARS;

mod written;

/// How a reference video is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VideoUse {
    /// Learn motion and camera from it.
    #[default]
    Feature,
    /// Edit this video.
    Base,
}

impl VideoUse {
    pub fn as_str(self) -> &'static str {
        match self {
            VideoUse::Feature => "feature",
            VideoUse::Base => "base",
        }
    }
}

/// What a reference is. Written flat beside its name, with a `kind` tag
/// (`written.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceKind {
    Image {
        src: String,
    },
    Element {
        /// Kling's element id, a string of digits (version 1 wrote a
        /// number, read as the same id). Empty only while the linked
        /// library character's element is not made yet.
        element_id: String,
        /// The library character this element is, when it came from the
        /// library: its pictures and voice travel with the board.
        character: Option<Box<CharacterLink>>,
    },
    Video {
        src: String,
        /// Written as `use`.
        usage: VideoUse,
        keep_sound: bool,
    },
}

impl ReferenceKind {
    pub fn label(&self) -> &'static str {
        match self {
            ReferenceKind::Image { .. } => "image",
            ReferenceKind::Element { .. } => "element",
            ReferenceKind::Video { .. } => "video",
        }
    }
}

/// A named member of the cast, cited in prompts as `@name`. Read and
/// written as one flat object (`written.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    pub kind: ReferenceKind,
}

impl Reference {
    pub fn image(name: impl Into<String>, src: impl Into<String>) -> Reference {
        Reference {
            name: name.into(),
            kind: ReferenceKind::Image { src: src.into() },
        }
    }

    pub fn element(name: impl Into<String>, element_id: impl ToString) -> Reference {
        Reference {
            name: name.into(),
            kind: ReferenceKind::Element {
                element_id: element_id.to_string(),
                character: None,
            },
        }
    }

    /// A library character in the cast: its element id when made (empty
    /// before), its pictures and voice.
    pub fn character(
        name: impl Into<String>,
        element_id: impl Into<String>,
        link: CharacterLink,
    ) -> Reference {
        Reference {
            name: name.into(),
            kind: ReferenceKind::Element {
                element_id: element_id.into(),
                character: Some(Box::new(link)),
            },
        }
    }

    /// The library character behind an element reference, if any.
    pub fn character_link(&self) -> Option<&CharacterLink> {
        match &self.kind {
            ReferenceKind::Element { character, .. } => character.as_deref(),
            _ => None,
        }
    }

    pub fn video(name: impl Into<String>, src: impl Into<String>, usage: VideoUse) -> Reference {
        Reference {
            name: name.into(),
            kind: ReferenceKind::Video {
                src: src.into(),
                usage,
                keep_sound: false,
            },
        }
    }

    pub fn src(&self) -> Option<&str> {
        match &self.kind {
            ReferenceKind::Image { src } | ReferenceKind::Video { src, .. } => Some(src),
            ReferenceKind::Element { .. } => None,
        }
    }
}

/// Why an element id is not one Kling gives out (a string of 1 to 20
/// digits), if it is not.
pub fn element_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("the element id is empty; Kling's element ids are strings of digits".into());
    }
    if id.len() > crate::limits::MAX_ELEMENT_ID_DIGITS || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "'{}' is not a Kling element id: it must be 1 to {} digits",
            truncate(id, 30),
            crate::limits::MAX_ELEMENT_ID_DIGITS
        ));
    }
    None
}

/// A character allowed in a reference name.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
}

/// Why a name is not a valid reference name, if it is not.
pub fn name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len == 0 {
        return Some("the name is empty; use 1 to 20 characters of a-z, 0-9, _ and -".into());
    }
    if len > MAX_NAME_CHARS {
        return Some(format!(
            "the name is {len} characters long; the limit is {MAX_NAME_CHARS}"
        ));
    }
    if let Some(bad) = name.chars().find(|c| !is_name_char(*c)) {
        let shown = if bad.is_whitespace() {
            "a space".to_string()
        } else {
            format!("'{bad}'")
        };
        return Some(format!(
            "the name contains {shown}; only a-z, 0-9, _ and - are allowed"
        ));
    }
    None
}

/// Where a `src` may point: an https URL, or a file stored by the server.
pub fn src_problem(src: &str) -> Option<String> {
    if let Some(hash) = src.strip_prefix("upload:") {
        let ok = hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        return (!ok).then(|| {
            "an upload reference must be 'upload:' and 64 lowercase hex digits (sha-256)".into()
        });
    }
    match src.strip_prefix("https://") {
        Some(rest)
            if !rest.is_empty() && !rest.starts_with('/') && !src.contains(char::is_whitespace) =>
        {
            None
        }
        _ => Some(format!(
            "'{}' is not an https URL or an upload; providers fetch references over https",
            truncate(src, 60)
        )),
    }
}

/// `upload:<sha256>` as `{base}/<sha256>`; anything else as it is.
pub fn publish_upload(src: &mut String, base: &str) {
    if let Some(hash) = src.strip_prefix("upload:") {
        if src_problem(src).is_none() {
            *src = format!("{}/{hash}", base.trim_end_matches('/'));
        }
    }
}

/// Whether a reference `src` is out of reach for whoever opens a shared
/// board or library file elsewhere: anything but an `https` URL to a
/// host other than a loopback one.
pub fn is_local_only(src: &str) -> bool {
    let Some(rest) = src.strip_prefix("https://") else {
        return true;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    }
    .to_ascii_lowercase();
    host.is_empty()
        || host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

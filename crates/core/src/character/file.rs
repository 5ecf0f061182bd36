//! The character library as a file, for export and import:
//!
//! ```json
//! {"format": "storyreel-characters/1", "characters": [ ...Character... ]}
//! ```
//!
//! Pictures travel as the cast's do: an https URL, or an `upload:<sha256>`
//! ref that only the server holding the file can resolve. [`to_json`]
//! rewrites those refs to the server's public address when it has one
//! (as `share::for_recipients` does for a board), and
//! [`local_only_characters`] names the characters whose pictures another
//! browser could not fetch. A creation in progress (`Making`) is a journal
//! entry of this browser and does not travel: it is written, and read, as
//! no element.
//!
//! [`from_json`] refuses anything else with a [`LibraryFileError`] naming
//! the problem, the character and the limit; it never panics.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use super::{
    Character, ElementStatus, Look, MAX_CHARACTER_DESCRIPTION_CHARS, MAX_CHARACTER_NAME_CHARS,
    MAX_OTHER_IMAGES, MIN_OTHER_IMAGES,
};
use crate::reference::{element_id_problem, is_local_only, publish_upload, src_problem};

/// The `format` of the version written and read.
pub const FORMAT: &str = "storyreel-characters/1";
/// The largest file read: 8 MiB of JSON (a character is well under a
/// kilobyte; pictures travel by reference, never inline).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// The most characters in one file.
pub const MAX_CHARACTERS: usize = 10_000;

/// Why a library file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LibraryFileError {
    #[error("the file is {bytes} bytes; a character library file may be at most {max}")]
    TooLarge { bytes: usize, max: usize },
    #[error("the file is not JSON ({reason})")]
    NotJson { reason: String },
    #[error("the file is not a Storyreel character library: it has no \"format\" \"{FORMAT}\"")]
    NoFormat,
    #[error("the file's format is \"{found}\"; this version of Storyreel reads \"{FORMAT}\"")]
    UnknownFormat { found: String },
    #[error("the file has no \"characters\" list")]
    NoCharacters,
    #[error("the file has {count} characters; at most {max} are read")]
    TooManyCharacters { count: usize, max: usize },
    #[error("character {index}{}: {reason}", shown_name(.name))]
    BadCharacter {
        /// 1-based, in file order.
        index: usize,
        name: Option<String>,
        reason: String,
    },
    #[error("{count} characters have the id '{id}'; each needs its own")]
    DuplicateId { id: String, count: usize },
}

fn shown_name(name: &Option<String>) -> String {
    match name {
        Some(n) => format!(" (\"{}\")", n.chars().take(40).collect::<String>()),
        None => String::new(),
    }
}

#[derive(Serialize)]
struct FileOut {
    format: &'static str,
    characters: Vec<Character>,
}

/// The file for `characters`. With `public_uploads_base` (the server's
/// public address for its uploads), each `upload:<sha256>` picture becomes
/// `{base}/<sha256>`; without one they stay refs, which only a browser
/// using the same server can show ([`local_only_characters`] names them).
pub fn to_json(characters: &[Character], public_uploads_base: Option<&str>) -> String {
    let characters = characters
        .iter()
        .map(|c| {
            let mut c = c.clone();
            if let Some(base) = public_uploads_base {
                c.look
                    .sources_mut()
                    .into_iter()
                    .for_each(|src| publish_upload(src, base));
            }
            if matches!(c.element, ElementStatus::Making { .. }) {
                c.element = ElementStatus::None;
            }
            c
        })
        .collect();
    let file = FileOut {
        format: FORMAT,
        characters,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// The names of the characters with a picture only this browser or this
/// server can reach (an `upload:` ref, a loopback host, ...), in order.
pub fn local_only_characters(characters: &[Character]) -> Vec<&str> {
    characters
        .iter()
        .filter(|c| c.look.sources().into_iter().any(is_local_only))
        .map(|c| c.name.as_str())
        .collect()
}

/// The characters in a library file, checked: the format, each
/// character's name, description, pictures (the cast's source rules),
/// voice and element id, and ids unique in the file.
pub fn from_json(text: &str) -> Result<Vec<Character>, LibraryFileError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(LibraryFileError::TooLarge {
            bytes: text.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| LibraryFileError::NotJson {
        reason: e.to_string(),
    })?;
    match value.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => {
            return Err(LibraryFileError::UnknownFormat {
                found: f.chars().take(60).collect(),
            })
        }
        _ => return Err(LibraryFileError::NoFormat),
    }
    let list = value
        .get("characters")
        .and_then(Value::as_array)
        .ok_or(LibraryFileError::NoCharacters)?;
    if list.len() > MAX_CHARACTERS {
        return Err(LibraryFileError::TooManyCharacters {
            count: list.len(),
            max: MAX_CHARACTERS,
        });
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let name = item.get("name").and_then(Value::as_str).map(str::to_string);
        let bad = |reason: String| LibraryFileError::BadCharacter {
            index: i + 1,
            name: name.clone(),
            reason,
        };
        let mut c = Character::deserialize(item).map_err(|e| bad(e.to_string()))?;
        if let Some(reason) = character_problem(&c) {
            return Err(bad(reason));
        }
        if matches!(c.element, ElementStatus::Making { .. }) {
            c.element = ElementStatus::None;
        }
        out.push(c);
    }
    for c in &out {
        let count = out.iter().filter(|o| o.id == c.id).count();
        if count > 1 {
            return Err(LibraryFileError::DuplicateId {
                id: c.id.chars().take(60).collect(),
                count,
            });
        }
    }
    Ok(out)
}

/// Why a character cannot be in the library, if it cannot.
pub fn character_problem(c: &Character) -> Option<String> {
    if c.id.trim().is_empty() {
        return Some("its id is empty".into());
    }
    if let Some(reason) = name_problem(&c.name) {
        return Some(reason);
    }
    let chars = c.description.chars().count();
    if chars > MAX_CHARACTER_DESCRIPTION_CHARS {
        return Some(format!(
            "the description is {chars} characters; Kling's limit is {MAX_CHARACTER_DESCRIPTION_CHARS}"
        ));
    }
    if let Look::Images { others, .. } = &c.look {
        if !(MIN_OTHER_IMAGES..=MAX_OTHER_IMAGES).contains(&others.len()) {
            return Some(format!(
                "it has {} images besides the frontal one; Kling takes {MIN_OTHER_IMAGES} to {MAX_OTHER_IMAGES}",
                others.len()
            ));
        }
    }
    if let Some(reason) = c.look.sources().into_iter().find_map(src_problem) {
        return Some(reason);
    }
    if let Some(voice) = &c.voice {
        if voice.voice_id.trim().is_empty() {
            return Some("its voice has no id".into());
        }
        if let Some(url) = &voice.trial_url {
            if url.starts_with("upload:") || src_problem(url).is_some() {
                return Some("its voice's trial audio is not an https URL".into());
            }
        }
    }
    match &c.element {
        ElementStatus::Ready { element_id } | ElementStatus::Deleted { element_id } => {
            element_id_problem(element_id)
        }
        _ => None,
    }
}

/// Why a character's name is not one Kling takes (`element_name`: 1 to
/// 20 characters), if it is not: empty or blank, too long, or holding a
/// control character.
pub fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("the name is empty; use 1 to 20 characters".into());
    }
    let chars = name.chars().count();
    if chars > MAX_CHARACTER_NAME_CHARS {
        return Some(format!(
            "the name is {chars} characters; Kling's limit is {MAX_CHARACTER_NAME_CHARS}"
        ));
    }
    if name.chars().any(char::is_control) {
        return Some("the name contains a control character (a line break or tab)".into());
    }
    None
}

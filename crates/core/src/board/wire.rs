//! How a board is read: version 2 as written, version 1 upgraded on the
//! way in (`mode` std/pro becomes `resolution` 720p/1080p). Every reader
//! of a board (files, the editor's storage, the library, job snapshots)
//! goes through here, so an old board opens everywhere.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{AspectRatio, Board, Provider, Resolution, Shot};
use crate::reference::Reference;

/// The tag written now.
pub const FORMAT_V2: &str = "storyreel/2";
/// The first format; still read.
pub const FORMAT_V1: &str = "storyreel/1";

/// The `format` field of a board in memory: always version 2, whatever
/// was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FormatTag;

impl Serialize for FormatTag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(FORMAT_V2)
    }
}

/// The versions a reader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        let tag = String::deserialize(d)?;
        match tag.as_str() {
            FORMAT_V2 => Ok(Version::V2),
            FORMAT_V1 => Ok(Version::V1),
            _ => Err(serde::de::Error::custom(format!(
                "unknown format '{tag}'; this version reads '{FORMAT_V2}' and '{FORMAT_V1}'"
            ))),
        }
    }
}

/// Version 1's quality tier.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum V1Mode {
    Std,
    Pro,
}

fn yes() -> bool {
    true
}

/// A board file of either version, field by field.
#[derive(Deserialize)]
pub(super) struct BoardFile {
    format: Version,
    #[serde(default)]
    title: String,
    #[serde(default)]
    provider: Provider,
    #[serde(default)]
    resolution: Option<Resolution>,
    #[serde(default)]
    mode: Option<V1Mode>,
    #[serde(default)]
    aspect_ratio: AspectRatio,
    #[serde(default = "yes")]
    sound: bool,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    references: Vec<Reference>,
    #[serde(default)]
    first_frame: Option<String>,
    #[serde(default)]
    last_frame: Option<String>,
    shots: Vec<Shot>,
}

impl From<BoardFile> for Board {
    fn from(f: BoardFile) -> Board {
        let resolution = match f.format {
            Version::V2 => f.resolution.unwrap_or_default(),
            Version::V1 => match f.mode {
                Some(V1Mode::Std) => Resolution::P720,
                Some(V1Mode::Pro) | None => Resolution::P1080,
            },
        };
        Board {
            format: FormatTag,
            title: f.title,
            provider: f.provider,
            resolution,
            aspect_ratio: f.aspect_ratio,
            sound: f.sound,
            prompt: f.prompt,
            references: f.references,
            first_frame: f.first_frame,
            last_frame: f.last_frame,
            shots: f.shots,
        }
    }
}

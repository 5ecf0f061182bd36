//! The board: settings, a cast of references and an ordered list of shots
//! (format version 2; version 1 is upgraded as it is read, `wire.rs`).

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::reference::{Reference, ReferenceKind};

mod wire;

pub use wire::{FormatTag, FORMAT_V1, FORMAT_V2};

/// Where a generation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    #[default]
    Kling,
    Fal,
    Replicate,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Kling, Provider::Fal, Provider::Replicate];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Kling => "kling",
            Provider::Fal => "fal",
            Provider::Replicate => "replicate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Provider::Kling => "Kling",
            Provider::Fal => "fal",
            Provider::Replicate => "Replicate",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Output resolution (Kling's `settings.resolution`; on the legacy design
/// `mode`: std is 720p, pro is 1080p, `4k` is 4K).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Resolution {
    #[serde(rename = "720p")]
    P720,
    #[default]
    #[serde(rename = "1080p")]
    P1080,
    #[serde(rename = "4k")]
    K4,
}

impl Resolution {
    pub const ALL: [Resolution; 3] = [Resolution::P720, Resolution::P1080, Resolution::K4];

    /// The value of the board format and of Kling's `settings.resolution`.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::P720 => "720p",
            Resolution::P1080 => "1080p",
            Resolution::K4 => "4k",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Resolution::P720 => "720p",
            Resolution::P1080 => "1080p",
            Resolution::K4 => "4K",
        }
    }

    pub fn parse(s: &str) -> Option<Resolution> {
        Resolution::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Kling's legacy `mode` for this resolution.
    pub fn legacy_mode(self) -> &'static str {
        match self {
            Resolution::P720 => "std",
            Resolution::P1080 => "pro",
            Resolution::K4 => "4k",
        }
    }

    /// The resolution of a version-1 board's `mode` (`std`, `pro`).
    pub fn from_v1_mode(mode: &str) -> Option<Resolution> {
        match mode {
            "std" => Some(Resolution::P720),
            "pro" => Some(Resolution::P1080),
            _ => None,
        }
    }

    /// The output frame's size in pixels, width by height, at `aspect`.
    pub fn frame_size(self, aspect: AspectRatio) -> (u32, u32) {
        let short = match self {
            Resolution::P720 => 720,
            Resolution::P1080 => 1080,
            Resolution::K4 => 2160,
        };
        let long = short * 16 / 9;
        match aspect {
            AspectRatio::Landscape => (long, short),
            AspectRatio::Portrait => (short, long),
            AspectRatio::Square => (short, short),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum AspectRatio {
    #[default]
    #[serde(rename = "16:9")]
    Landscape,
    #[serde(rename = "9:16")]
    Portrait,
    #[serde(rename = "1:1")]
    Square,
}

impl AspectRatio {
    pub const ALL: [AspectRatio; 3] = [
        AspectRatio::Landscape,
        AspectRatio::Portrait,
        AspectRatio::Square,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AspectRatio::Landscape => "16:9",
            AspectRatio::Portrait => "9:16",
            AspectRatio::Square => "1:1",
        }
    }

    pub fn parse(s: &str) -> Option<AspectRatio> {
        AspectRatio::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One shot: what happens, for how many whole seconds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Shot {
    pub prompt: String,
    pub duration: u32,
}

impl Shot {
    pub fn new(prompt: impl Into<String>, duration: u32) -> Shot {
        Shot {
            prompt: prompt.into(),
            duration,
        }
    }
}

/// A storyboard, as saved, exported, shared and sent.
///
/// The video's length is the sum of the shot durations; it is never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "wire::BoardFile")]
pub struct Board {
    pub format: FormatTag,
    pub title: String,
    pub provider: Provider,
    pub resolution: Resolution,
    pub aspect_ratio: AspectRatio,
    pub sound: bool,
    pub prompt: String,
    pub references: Vec<Reference>,
    pub first_frame: Option<String>,
    pub last_frame: Option<String>,
    pub shots: Vec<Shot>,
}

impl Default for Board {
    /// A fresh board: one empty five-second shot, 1080p, 16:9, sound on.
    fn default() -> Board {
        Board {
            format: FormatTag,
            title: String::new(),
            provider: Provider::default(),
            resolution: Resolution::default(),
            aspect_ratio: AspectRatio::default(),
            sound: true,
            prompt: String::new(),
            references: Vec::new(),
            first_frame: None,
            last_frame: None,
            shots: vec![Shot::new("", 5)],
        }
    }
}

impl Board {
    /// The video's length in seconds (saturating: a hand-written file may
    /// hold any durations, and they must not wrap around to a short video).
    pub fn total_seconds(&self) -> u32 {
        self.shots
            .iter()
            .fold(0, |total: u32, s| total.saturating_add(s.duration))
    }

    /// The reference video, if the cast has one.
    pub fn video(&self) -> Option<&Reference> {
        self.references
            .iter()
            .find(|r| matches!(r.kind, ReferenceKind::Video { .. }))
    }

    /// The reference video, if it is to be edited (`use: base`).
    pub fn base_video(&self) -> Option<&Reference> {
        self.video().filter(|r| {
            matches!(
                r.kind,
                ReferenceKind::Video {
                    usage: crate::reference::VideoUse::Base,
                    ..
                }
            )
        })
    }

    pub fn has_video(&self) -> bool {
        self.video().is_some()
    }

    /// The longest the video may be with this cast.
    pub fn max_total_seconds(&self) -> u32 {
        if self.has_video() {
            limits::MAX_TOTAL_SECONDS_WITH_VIDEO
        } else {
            limits::MAX_TOTAL_SECONDS
        }
    }

    /// The most images and elements the cast may hold with this cast.
    pub fn max_images_and_elements(&self) -> usize {
        if self.has_video() {
            limits::MAX_IMAGES_AND_ELEMENTS_WITH_VIDEO
        } else {
            limits::MAX_IMAGES_AND_ELEMENTS
        }
    }

    /// Seconds still free under [`Board::max_total_seconds`].
    pub fn seconds_left(&self) -> u32 {
        self.max_total_seconds()
            .saturating_sub(self.total_seconds())
    }

    pub fn reference(&self, name: &str) -> Option<&Reference> {
        self.references.iter().find(|r| r.name == name)
    }

    pub fn reference_names(&self) -> impl Iterator<Item = &str> {
        self.references.iter().map(|r| r.name.as_str())
    }

    pub fn images(&self) -> impl Iterator<Item = &Reference> {
        self.references
            .iter()
            .filter(|r| matches!(r.kind, ReferenceKind::Image { .. }))
    }

    pub fn elements(&self) -> impl Iterator<Item = &Reference> {
        self.references
            .iter()
            .filter(|r| matches!(r.kind, ReferenceKind::Element { .. }))
    }
}

//! The board: settings, a cast of references and an ordered list of shots.

use serde::{Deserialize, Serialize};

use crate::format::FormatV1;
use crate::limits;
use crate::reference::{Reference, ReferenceKind};

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

/// Quality tier: std is 720p, pro is 1080p.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Std,
    #[default]
    Pro,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::Std, Mode::Pro];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Std => "std",
            Mode::Pro => "pro",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Std => "Std 720p",
            Mode::Pro => "Pro 1080p",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
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

fn yes() -> bool {
    true
}

/// A storyboard, as saved, exported, shared and sent.
///
/// The video's length is the sum of the shot durations; it is never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub format: FormatV1,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub provider: Provider,
    #[serde(default)]
    pub mode: Mode,
    #[serde(default)]
    pub aspect_ratio: AspectRatio,
    #[serde(default = "yes")]
    pub sound: bool,
    #[serde(default)]
    pub prompt: String,
    #[serde(default)]
    pub references: Vec<Reference>,
    #[serde(default)]
    pub first_frame: Option<String>,
    #[serde(default)]
    pub last_frame: Option<String>,
    pub shots: Vec<Shot>,
}

impl Default for Board {
    /// A fresh board: one empty five-second shot, pro, 16:9, sound on.
    fn default() -> Board {
        Board {
            format: FormatV1,
            title: String::new(),
            provider: Provider::default(),
            mode: Mode::default(),
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

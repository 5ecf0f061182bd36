//! A structured problem: what is wrong, where, against which limit.

use std::fmt;

use serde::Serialize;
use thiserror::Error;

use crate::board::{Provider, Resolution};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The request cannot be sent.
    Error,
    /// The request can be sent, but the result may not be what was meant.
    Warning,
}

/// The part of the board a problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "at", content = "id")]
pub enum Location {
    Board,
    /// A shot, by its 0-based position.
    Shot(usize),
    /// A reference, by name.
    Reference(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Board => f.write_str("board"),
            Location::Shot(i) => write!(f, "shot {}", i + 1),
            Location::Reference(name) => write!(f, "reference '{name}'"),
        }
    }
}

/// The field of the board (or of a shot or reference) a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Shots,
    Duration,
    Prompt,
    References,
    Name,
    Src,
    ElementId,
    Sound,
    AspectRatio,
    Resolution,
    FirstFrame,
    LastFrame,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Shots => "shots",
            Field::Duration => "duration",
            Field::Prompt => "prompt",
            Field::References => "references",
            Field::Name => "name",
            Field::Src => "src",
            Field::ElementId => "element_id",
            Field::Sound => "sound",
            Field::AspectRatio => "aspect_ratio",
            Field::Resolution => "resolution",
            Field::FirstFrame => "first_frame",
            Field::LastFrame => "last_frame",
        }
    }
}

/// What is wrong. Each variant carries the numbers its message names.
#[derive(Debug, Clone, PartialEq, Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum ProblemKind {
    #[error("the board has no shots; it needs 1 to 6")]
    NoShots,
    #[error("{count} shots; one video holds at most {max}")]
    TooManyShots { count: usize, max: usize },
    #[error("{duration} s is too short; a shot lasts at least {min} s")]
    ShotTooShort { duration: u32, min: u32 },
    #[error("the video is {total} s; it must be at least {min} s")]
    TotalTooShort { total: u32, min: u32 },
    #[error("the video is {total} s; the limit is {max} s{}", if *.with_video { " with a reference video" } else { "" })]
    TotalTooLong {
        total: u32,
        max: u32,
        with_video: bool,
    },
    #[error("the prompt is empty; say what happens in this shot")]
    EmptyPrompt,
    #[error("the prompt is {chars} characters; the limit is {max}")]
    PromptTooLong { chars: usize, max: usize },
    #[error("as sent to {} (overall direction added, @-mentions written out) the prompt is {chars} characters; the limit is {max}", .provider.label())]
    SentPromptTooLong {
        provider: Provider,
        chars: usize,
        max: usize,
    },
    #[error("{reason}")]
    BadName { name: String, reason: String },
    #[error("the name '{name}' is used by {count} references; names must be unique")]
    DuplicateName { name: String, count: usize },
    #[error("@{name} is not in the cast")]
    UnknownMention { name: String },
    #[error("{reason}")]
    BadSrc { reason: String },
    #[error("element id 0 is not a Kling element; use the id from your element library")]
    ZeroElementId,
    #[error("{reason}")]
    BadElementId { reason: String },
    #[error("{count} images and elements; the limit is {max}{}", if *.with_video { " with a reference video" } else { "" })]
    TooManyImagesAndElements {
        count: usize,
        max: usize,
        with_video: bool,
    },
    #[error("{count} reference videos; a board takes at most {max}")]
    TooManyVideos { count: usize, max: usize },
    #[error("sound must be off when a reference video ('{video}') is sent; turn sound off or remove the video")]
    SoundWithVideo { video: String },
    #[error("'{name}' is not in the cast")]
    FrameUnknown { name: String },
    #[error("'{name}' is {kind}; a frame must be an image")]
    FrameNotImage { name: String, kind: String },
    #[error("a last frame needs a first frame")]
    LastFrameWithoutFirst,
    #[error("{count} elements; with a first frame Kling takes at most {max}")]
    TooManyElementsWithFrames { count: usize, max: usize },
    #[error("{count} images; with a last frame Kling takes at most {max} (the two frames)")]
    TooManyImagesWithEndFrame { count: usize, max: usize },
    #[error("frames cannot be combined with editing a video ('{video}' is used as base)")]
    FramesWithBaseVideo { video: String },
    #[error("the prompt as sent to Kling (shot list, overall direction and @-citations included) is {chars} characters; the limit is {max}: shorten {}", shorten_what(*.shot, *.chars, *.max))]
    SentTextTooLong {
        chars: usize,
        max: usize,
        /// The shot to shorten (its index), the longest one.
        shot: Option<usize>,
    },
    #[error("the prompt as sent to Kling is {chars} characters; Kling recommends at most {recommended}, and follows shorter prompts more closely")]
    SentTextLong { chars: usize, recommended: usize },
    #[error("{count} ';' will be sent as ',': in Kling's shot list a ';' ends a shot")]
    SemicolonsRewritten { count: usize },
    #[error("the text contains '{text}', which Kling would read as a citation of an input; write it another way (for example without the @)")]
    CitationCollision { text: String },
    #[error(
        "the video edits '{video}' (use: base), which takes a single shot; this board has {shots}"
    )]
    BaseVideoOneShot { video: String, shots: usize },
    #[error("{} has no {} {what}; choose 720p or 1080p, or send the board to Kling", .provider.label(), .resolution.label())]
    ResolutionNotOnProvider {
        provider: Provider,
        resolution: Resolution,
        what: String,
    },
    #[error("the video edits '{video}', so its length follows that video rather than the shots' {total} s, and it is billed on the video's length")]
    BaseVideoSetsLength { video: String, total: u32 },
    #[error("the aspect ratio follows the first frame; the {chosen} setting is not sent")]
    AspectFollowsFrame { chosen: String },
    #[error("@{name} is in the cast but no prompt or frame uses it; cite it where it appears, or remove it")]
    UnusedReference { name: String },
    #[error("this shot cites no one from the cast, so nothing keeps its subjects consistent with the other shots; cite who or what appears with @name")]
    ShotCitesNoOne,
    #[error("@{name} is {here} here but {there} in shot {shot}; one reference drives both shots, so one description will not match")]
    DescribedDifferently {
        name: String,
        here: String,
        shot: usize,
        there: String,
    },
    #[error("the quoted lines need about {} s at a natural pace; the shot is {duration} s", tenths(*.needed_tenths))]
    DialogueTooLong { needed_tenths: u32, duration: u32 },

    // ------------------------------------------------ fal and Replicate
    #[error("'{name}' is a Kling element (element library id {element_id}) and cannot be sent to {}: {}; remove it or send the board to Kling", .provider.label(), element_reason(*.provider))]
    ElementNotOnProvider {
        provider: Provider,
        name: String,
        element_id: String,
    },
    #[error("{}: a start or end frame with {shots} shots is unconfirmed (Kling's Omni multi-shot takes no frames); use one shot or remove the frame, or turn on allow_frames_with_multi_shot for {}", .provider.label(), .provider.label())]
    FramesWithMultiShotUnconfirmed { provider: Provider, shots: usize },
    #[error("{duration} s is shorter than fal's minimum of {min} s a shot; fal's per-shot range ('3'–'15' or '1'–'15') is unconfirmed, so this minimum is configurable (fal min_shot_seconds)")]
    FalShotTooShort { duration: u32, min: u32 },
    #[error("fal takes a reference video ('{video}') only on video-to-video/reference, which documents no multi_prompt; this board has {shots} shots, so use one shot or send it to Kling")]
    FalVideoMultiShot { video: String, shots: usize },
    #[error("fal's video edit endpoint (o3/video-to-video/edit) is not verified, so '{video}' cannot be edited (use: base) on fal; use it as a feature reference or send the board to Kling")]
    FalBaseVideo { video: String },
    #[error("fal's video-to-video/reference endpoint, which takes the reference video ('{video}'), has no start or end frame; remove the frame or send the board to Kling")]
    FalVideoWithFrames { video: String },
    #[error("on Replicate the video edits '{video}', so duration is ignored and the length follows that video rather than the shots' {total} s")]
    ReplicateBaseVideoSetsLength { video: String, total: u32 },
    #[error("'{name}' is a library character; {} documents no elements or character pictures, so it cannot be sent there; remove it, or send the board to Kling or fal", .provider.label())]
    CharacterNotOnProvider { provider: Provider, name: String },
    #[error("'{name}' is made from a video, and fal takes at most {max} character made from a video in one request ({count} here)")]
    FalVideoElements {
        name: String,
        count: usize,
        max: usize,
    },
    #[error("'{name}' is made from a video; fal's video-to-video/reference, which takes the reference video ('{video}'), takes characters made from images only")]
    FalVideoElementWithVideo { name: String, video: String },

    // ------------------------------------------------ library characters
    #[error("@{name} has no Kling element yet: make it in the character library")]
    CharacterWithoutElement { name: String },
    #[error("@{name}'s Kling element is still being made; generate once it is ready")]
    CharacterElementMaking { name: String },
    #[error("@{name}'s Kling element could not be made: {reason}; make it again in the character library")]
    CharacterElementFailed { name: String, reason: String },
    #[error("@{name}'s Kling element {element_id} was deleted at Kling; make it again in the character library, or remove @{name}")]
    CharacterElementDeleted { name: String, element_id: String },
    #[error("@{name} cites Kling element {board_id}, but the character library now has element {library_id} for this character; the older element is sent")]
    CharacterElementChanged {
        name: String,
        board_id: String,
        library_id: String,
    },
    #[error("{count} characters made from a video; Kling takes at most {max} in one request")]
    TooManyVideoCharacters { count: usize, max: usize },
    #[error("{count} images and image elements beside characters made from a video; Kling takes at most {max} with them")]
    TooManyImagesWithVideoCharacters { count: usize, max: usize },
    #[error("with a reference video, Kling takes at most {max} character made from a video ({count} here) and no image elements beside it ({images} here)")]
    VideoCharactersWithVideo {
        count: usize,
        images: usize,
        max: usize,
    },
    #[error("@{name} has a voice ({voice}), but the board's sound is off, so it will not be heard; turn sound on")]
    VoiceWithSoundOff { name: String, voice: String },
    #[error("this shot has quoted speech but cites no character, so who says it, and in which voice, is left to the model; cite the speaker with @name")]
    SpeechWithoutCharacter,
}

/// Which part of a text to shorten, and by how much.
fn shorten_what(shot: Option<usize>, chars: usize, max: usize) -> String {
    let by = chars.saturating_sub(max);
    match shot {
        Some(i) => format!("shot {} (the longest) by at least {by} characters", i + 1),
        None => format!("the prompt by at least {by} characters"),
    }
}

/// Why a provider other than Kling cannot take a Kling element.
fn element_reason(provider: Provider) -> &'static str {
    match provider {
        Provider::Kling => "Kling takes it as an element",
        Provider::Fal => "fal's elements are image sets (a frontal image and reference images), not Kling library ids",
        Provider::Replicate => "Replicate's kling-v3-omni-video takes no elements",
    }
}

impl ProblemKind {
    /// Problems of shot count and length, which the editor's own edits can
    /// never cause (see `edit`).
    pub fn breaks_timeline(&self) -> bool {
        matches!(
            self,
            ProblemKind::NoShots
                | ProblemKind::TooManyShots { .. }
                | ProblemKind::ShotTooShort { .. }
                | ProblemKind::TotalTooLong { .. }
        )
    }

    /// Warnings about subject consistency across shots (see
    /// `rules::consistency`); they never block a request.
    pub fn is_consistency(&self) -> bool {
        matches!(
            self,
            ProblemKind::UnusedReference { .. }
                | ProblemKind::ShotCitesNoOne
                | ProblemKind::DescribedDifferently { .. }
        )
    }

    /// The limit the message names, as text.
    pub fn limit(&self) -> Option<String> {
        use ProblemKind::*;
        Some(match self {
            NoShots => "1 to 6 shots".into(),
            TooManyShots { max, .. } => max.to_string(),
            ShotTooShort { min, .. } => format!("{min} s"),
            TotalTooShort { min, .. } => format!("{min} s"),
            TotalTooLong { max, .. } => format!("{max} s"),
            PromptTooLong { max, .. }
            | SentPromptTooLong { max, .. }
            | SentTextTooLong { max, .. } => format!("{max} characters"),
            SentTextLong { recommended, .. } => format!("{recommended} characters"),
            BaseVideoOneShot { .. } => "1 shot".into(),
            DuplicateName { .. } => "unique".into(),
            TooManyImagesAndElements { max, .. } => max.to_string(),
            TooManyVideos { max, .. } => max.to_string(),
            TooManyElementsWithFrames { max, .. }
            | TooManyVideoCharacters { max, .. }
            | TooManyImagesWithVideoCharacters { max, .. } => max.to_string(),
            VideoCharactersWithVideo { max, .. } => {
                format!("{max} video character, no image elements")
            }
            TooManyImagesWithEndFrame { max, .. } => max.to_string(),
            DialogueTooLong { duration, .. } => format!("{duration} s"),
            FalShotTooShort { min, .. } => format!("{min} s"),
            FalVideoElements { max, .. } => max.to_string(),
            FramesWithMultiShotUnconfirmed { .. } | FalVideoMultiShot { .. } => "1 shot".into(),
            BadName { .. } => "1 to 20 characters of a-z, 0-9, _ and -".into(),
            _ => return None,
        })
    }

    /// The actual value the message names, as text.
    pub fn actual(&self) -> Option<String> {
        use ProblemKind::*;
        Some(match self {
            NoShots => "0".into(),
            TooManyShots { count, .. } => count.to_string(),
            ShotTooShort { duration, .. } => format!("{duration} s"),
            TotalTooShort { total, .. } | TotalTooLong { total, .. } => format!("{total} s"),
            PromptTooLong { chars, .. }
            | SentPromptTooLong { chars, .. }
            | SentTextTooLong { chars, .. }
            | SentTextLong { chars, .. } => format!("{chars} characters"),
            BaseVideoOneShot { shots, .. } => format!("{shots} shots"),
            ResolutionNotOnProvider { resolution, .. } => resolution.label().to_string(),
            BadName { name, .. } => name.clone(),
            DuplicateName { count, .. } => format!("{count} references"),
            UnknownMention { name } => format!("@{name}"),
            TooManyImagesAndElements { count, .. }
            | TooManyVideos { count, .. }
            | TooManyElementsWithFrames { count, .. }
            | TooManyVideoCharacters { count, .. }
            | TooManyImagesWithVideoCharacters { count, .. }
            | TooManyImagesWithEndFrame { count, .. } => count.to_string(),
            VideoCharactersWithVideo { count, images, .. } => {
                format!("{count} video characters, {images} image elements")
            }
            DialogueTooLong { needed_tenths, .. } => format!("{} s", tenths(*needed_tenths)),
            ElementNotOnProvider { element_id, .. } => format!("element {element_id}"),
            FalVideoElements { count, .. } => count.to_string(),
            CharacterElementDeleted { element_id, .. } => format!("element {element_id}"),
            CharacterElementChanged { board_id, .. } => format!("element {board_id}"),
            FalShotTooShort { duration, .. } => format!("{duration} s"),
            FramesWithMultiShotUnconfirmed { shots, .. } | FalVideoMultiShot { shots, .. } => {
                format!("{shots} shots")
            }
            _ => return None,
        })
    }
}

/// `32` tenths as `3.2`.
pub fn tenths(t: u32) -> String {
    format!("{}.{}", t / 10, t % 10)
}

/// One finding of the rules engine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub location: Location,
    pub field: Field,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn error(location: Location, field: Field, kind: ProblemKind) -> Problem {
        Problem {
            severity: Severity::Error,
            location,
            field,
            kind,
        }
    }

    pub fn warning(location: Location, field: Field, kind: ProblemKind) -> Problem {
        Problem {
            severity: Severity::Warning,
            location,
            field,
            kind,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The sentence shown to the user.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl fmt::Display for Problem {
    /// `error: shot 2 prompt: the prompt is 530 characters; the limit is 512`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{severity}: {} {}: {}",
            self.location,
            self.field.as_str(),
            self.kind
        )
    }
}

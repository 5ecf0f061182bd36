//! Checking a file in the browser before it is uploaded: what it is, from
//! its content ([`sniff`](mod@sniff)); an image's size from its header ([`image`]); a
//! video's length, size and frame rate from its `moov` box ([`video`]);
//! a voice clip's kind and length ([`audio`]); the limits of the role it
//! is picked for ([`check`], and [`character`] for the character
//! library's images, video and voice clips); and a resize plan
//! for an image that is larger than it needs to be ([`fit`]). Nothing here
//! decodes pixels, and malformed input gives an error, never a panic.

pub mod audio;
pub mod character;
pub mod check;
pub mod fit;
pub mod image;
pub mod sniff;
pub mod video;

pub use audio::{read_audio, sniff_audio, AudioError, AudioInfo, AudioKind};
pub use character::{
    check_character_file, check_element_video, check_voice_seconds, voice_clip_seconds,
};
pub use check::{check_file, check_image, check_kind, check_video, MediaProblem, Role, Verdict};
pub use fit::{Attempt, FitPlan, Next, Output};
pub use image::{read_image, ImageError, ImageInfo};
pub use sniff::{sniff, Kind, Sniffed};
pub use video::{
    locate_moov, locate_moov_from, read_moov, read_moov_seconds, read_seconds, read_video,
    MoovLocation, VideoError, VideoInfo,
};

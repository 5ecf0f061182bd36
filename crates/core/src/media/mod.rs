//! Checking a file in the browser before it is uploaded: what it is, from
//! its content ([`sniff`](mod@sniff)); an image's size from its header ([`image`]); a
//! video's length, size and frame rate from its `moov` box ([`video`]);
//! the limits of the role it is picked for ([`check`]); and a resize plan
//! for an image that is larger than it needs to be ([`fit`]). Nothing here
//! decodes pixels, and malformed input gives an error, never a panic.

pub mod check;
pub mod fit;
pub mod image;
pub mod sniff;
pub mod video;

pub use check::{check_file, check_image, check_kind, check_video, MediaProblem, Role, Verdict};
pub use fit::{Attempt, FitPlan, Next, Output};
pub use image::{read_image, ImageError, ImageInfo};
pub use sniff::{sniff, Kind, Sniffed};
pub use video::{
    locate_moov, locate_moov_from, read_moov, read_video, MoovLocation, VideoError, VideoInfo,
};

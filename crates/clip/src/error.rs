//! Why a clip cannot be rendered.

/// A [`crate::ClipSpec`] outside the limits; each message names the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClipError {
    #[error("{what} is {value}, but it must be a positive even number of pixels")]
    OddSize { what: &'static str, value: u32 },
    #[error("{what} is {value} pixels, below the minimum of {min}")]
    TooSmall {
        what: &'static str,
        value: u32,
        min: u32,
    },
    #[error("{what} is {value} pixels, above the maximum of {max}")]
    TooBig {
        what: &'static str,
        value: u32,
        max: u32,
    },
    #[error("frame rate is {fps} fps, but it must be between 1 and {max}")]
    Fps { fps: u32, max: u32 },
    #[error("the clip has no shots; it needs at least one")]
    NoShots,
    #[error("the clip has {count} shots, more than the maximum of {max}")]
    TooManyShots { count: usize, max: usize },
    #[error("shot {shot} lasts 0 seconds; every shot needs at least 1")]
    EmptyShot { shot: usize },
    #[error("the clip lasts {seconds} seconds, more than the maximum of {max}")]
    TooLong { seconds: u64, max: u32 },
}

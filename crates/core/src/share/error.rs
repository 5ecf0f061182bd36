//! Why a share link cannot be opened (or made).

use thiserror::Error;

use crate::format::BoardError;

/// Why a fragment is not a board this version can open. Every message
/// names the problem and, where there is one, the limit.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ShareError {
    /// The fragment (or the link a board would make) is longer than the cap.
    #[error("the share link is {len} characters long; the limit is {max}")]
    TooLong { len: usize, max: usize },
    /// Nothing after the `#`.
    #[error("the share link is empty; it should start with '{prefix}'", prefix = super::PREFIX)]
    Empty,
    /// The text does not start with a version marker (`b<N>.`).
    #[error("this is not a Storyreel share link: it should start with '{prefix}'", prefix = super::PREFIX)]
    NotALink,
    /// A version marker this version does not read (a newer link).
    /// `known` is the newest version read; every one from
    /// [`super::VERSION_V1`] up to it is read.
    #[error(
        "the share link is version {found}; this version of Storyreel reads versions {first} ('{p1}') and {known} ('{prefix}') only",
        first = super::VERSION_V1, p1 = super::PREFIX_V1, prefix = super::PREFIX
    )]
    UnknownVersion { found: String, known: u32 },
    /// A character outside the link alphabet (base64url: A-Z a-z 0-9 - _).
    /// `position` counts characters from 1, after any `#`.
    #[error("the share link has {found:?} at character {position}; a link holds only A-Z, a-z, 0-9, '-' and '_' after its version marker ('{prefix}' or '{p1}')", prefix = super::PREFIX, p1 = super::PREFIX_V1)]
    BadAlphabet { position: usize, found: char },
    /// The board inside unpacks to more than the cap (a zip bomb, or a
    /// board too big to share).
    #[error("the board in the share link is larger than {max} bytes unpacked; the limit is {max}")]
    TooLarge { max: usize },
    /// Damaged or truncated data; the text says what is wrong.
    #[error("the share link is damaged: {0}")]
    Corrupt(String),
    /// The link is intact but holds a board the editor cannot hold.
    #[error("the share link's board cannot be opened: {0}")]
    Invalid(BoardError),
    /// A take video URL a link may not carry (on either side); `problem`
    /// says what is wrong, in words that follow "the take video URL".
    #[error("the take video URL {problem}; it must be an http:// or https:// URL with a host and no user name, at most {max} characters, without whitespace or control characters", max = super::MAX_TAKE_URL_CHARS)]
    BadTakeUrl { problem: String },
}

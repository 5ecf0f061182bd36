//! Why a character, or a voice clip, cannot be sent to Kling: each
//! refusal names the limit and the value (Kling's Element and Voice
//! Management pages, providers.md §0.5).

use thiserror::Error;

/// A character (or a custom voice) that cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CharacterError {
    #[error("the character has no name; Kling needs one of 1 to {limit} characters")]
    NameEmpty { limit: usize },
    #[error("the name is {chars} characters long; Kling takes at most {limit}")]
    NameTooLong { limit: usize, chars: usize },
    #[error("the description is {chars} characters long; Kling takes at most {limit}")]
    DescriptionTooLong { limit: usize, chars: usize },
    #[error("the character has no frontal image; Kling makes an element from a frontal image and 1 to 3 others")]
    NoFrontalImage,
    #[error("the character has {count} other image{}; Kling needs at least {min} besides the frontal one", if *.count == 1 { "" } else { "s" })]
    TooFewOtherImages { min: usize, count: usize },
    #[error(
        "the character has {count} other images; Kling takes at most {max} besides the frontal one"
    )]
    TooManyOtherImages { max: usize, count: usize },
    #[error("the character has no video; a video element needs one 3–8 s video")]
    NoVideo,
    #[error("{what} cannot be sent: {problem}")]
    BadSource { what: String, problem: String },
    #[error("{what} is stored on this server; set a public upload URL (start the server with --public-base-url) so Kling can fetch it")]
    UploadNeedsPublicUrl { what: String },
    #[error("the character's video is stored on this server, and Kling fetches element videos by URL only: start the server with --public-base-url (an address Kling can reach), or use an https link to the video")]
    VideoNeedsPublicUrl,
    #[error("a voice can only be bound to a character tagged Character; this one is tagged {tag}")]
    VoiceOnTag { tag: &'static str },
    #[error("the voice '{name}' has no id yet; make it (or pick a preset) before binding it")]
    VoiceWithoutId { name: String },
    #[error("the voice has no name; Kling needs one of 1 to {limit} characters")]
    VoiceNameEmpty { limit: usize },
    #[error("the voice name is {chars} characters long; Kling takes at most {limit}")]
    VoiceNameTooLong { limit: usize, chars: usize },
    #[error("no voice clip was given; Kling makes a custom voice from 5–30 s of one clean voice")]
    NoVoiceClip,
    #[error("the voice clip is stored on this server, and Kling fetches voice clips by URL only (it cannot take the file inline): start the server with --public-base-url (an address Kling can reach), or give an https link to the clip")]
    VoiceClipNeedsPublicUrl,
}

//! The bodies of Kling's element and voice calls, one type per message
//! (Kling's Element and Voice Management pages, providers.md §0.5), and
//! how a library [`Character`] or a voice clip becomes one.
//!
//! - `POST /v1/general/advanced-custom-elements`: [`ElementRequest`].
//! - `POST /v1/general/custom-voices`: [`VoiceRequest`].
//! - `POST /v1/general/delete-advanced-elements`: [`DeleteElement`].
//! - `POST /v1/general/delete-voices`: [`DeleteVoice`].
//!
//! [`CreateRequest`] is either create body, as a making keeps it.
//!
//! Pictures given as `upload:<sha256>` follow the board's rules
//! ([`UploadsMode`]): a public URL, kept for the relay to inline, or
//! refused. Kling fetches videos and voice clips by URL only, so those
//! need the server's public base URL.

use serde::{Deserialize, Serialize};

use super::{
    Character, CharacterError, Look, VoiceSource, MAX_CHARACTER_DESCRIPTION_CHARS,
    MAX_CHARACTER_NAME_CHARS, MAX_OTHER_IMAGES, MIN_OTHER_IMAGES,
};
use crate::reference::src_problem;
use crate::request::{sendable_src, UploadsMode};

/// Characters in a voice's name (Kling's `voice_name`).
pub const MAX_VOICE_NAME_CHARS: usize = 20;

/// Kling's `reference_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceType {
    /// A frontal image and 1 to 3 others (`element_image_list`).
    ImageRefer,
    /// One video of a real person (`element_video_list`).
    VideoRefer,
}

/// `element_image_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementImageList {
    pub frontal_image: String,
    pub refer_images: Vec<ReferImage>,
}

/// One of `refer_images`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferImage {
    pub image_url: String,
}

/// `element_video_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementVideoList {
    pub refer_videos: Vec<ReferVideo>,
}

/// One of `refer_videos` (Kling takes at most one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferVideo {
    pub video_url: String,
}

/// One of `tag_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagId {
    pub tag_id: String,
}

/// `POST /v1/general/advanced-custom-elements`. Fields in the order of
/// Kling's examples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementRequest {
    pub element_name: String,
    /// Required by Kling, so always sent (may be empty).
    pub element_description: String,
    pub reference_type: ReferenceType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element_image_list: Option<ElementImageList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element_video_list: Option<ElementVideoList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element_voice_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_list: Vec<TagId>,
}

/// `POST /v1/general/custom-voices`, from a clip Kling fetches by URL
/// (Kling's `video_id`, a voice from one of its own videos, is not used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceRequest {
    pub voice_name: String,
    pub voice_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_task_id: Option<String>,
}

/// `POST /v1/general/delete-advanced-elements` (custom elements only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteElement {
    pub element_id: String,
}

/// `POST /v1/general/delete-voices` (custom voices only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteVoice {
    pub voice_id: String,
}

/// What is being made: the create body, kept as sent so that a re-send
/// after a reload is the very same request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "body")]
pub enum CreateRequest {
    Element(ElementRequest),
    Voice(VoiceRequest),
}

impl CreateRequest {
    /// The JSON body as sent.
    pub fn body(&self) -> String {
        match self {
            CreateRequest::Element(r) => serde_json::to_string(r),
            CreateRequest::Voice(r) => serde_json::to_string(r),
        }
        // Plain strings, lists and options: serialization cannot fail.
        .unwrap_or_default()
    }

    /// `element` or `voice`, for messages.
    pub fn noun(&self) -> &'static str {
        match self {
            CreateRequest::Element(_) => "element",
            CreateRequest::Voice(_) => "voice",
        }
    }
}

/// A name of 1 to `limit` characters, trimmed.
fn checked_name(
    name: &str,
    limit: usize,
    empty: CharacterError,
    too_long: fn(usize, usize) -> CharacterError,
) -> Result<String, CharacterError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 {
        return Err(empty);
    }
    if chars > limit {
        return Err(too_long(limit, chars));
    }
    Ok(name.to_string())
}

/// An image as sent: a well-formed source that can reach Kling.
fn image_src(src: &str, what: String, uploads: &UploadsMode) -> Result<String, CharacterError> {
    if let Some(problem) = src_problem(src) {
        return Err(CharacterError::BadSource { what, problem });
    }
    sendable_src(src, uploads).ok_or(CharacterError::UploadNeedsPublicUrl { what })
}

/// A file Kling fetches by URL only (an element's video, a voice clip):
/// an upload needs the server's public base.
fn url_only(
    src: &str,
    what: &str,
    uploads: &UploadsMode,
    refused: CharacterError,
) -> Result<String, CharacterError> {
    if let Some(problem) = src_problem(src) {
        return Err(CharacterError::BadSource {
            what: what.to_string(),
            problem,
        });
    }
    match (src.strip_prefix("upload:"), uploads) {
        (None, _) => Ok(src.to_string()),
        (Some(hash), UploadsMode::PublicBase(base)) => {
            Ok(format!("{}/{hash}", base.trim_end_matches('/')))
        }
        (Some(_), _) => Err(refused),
    }
}

impl ElementRequest {
    /// The create body for `character` under the key `key` (Kling's
    /// `external_task_id`), or why it cannot be sent.
    ///
    /// A voice is bound (`element_voice_id`) when the character has one,
    /// except a voice Kling cloned from the character's own video: sending
    /// the video again clones it again.
    pub fn from_character(
        character: &Character,
        key: &str,
        uploads: &UploadsMode,
    ) -> Result<ElementRequest, CharacterError> {
        let element_name = checked_name(
            &character.name,
            MAX_CHARACTER_NAME_CHARS,
            CharacterError::NameEmpty {
                limit: MAX_CHARACTER_NAME_CHARS,
            },
            |limit, chars| CharacterError::NameTooLong { limit, chars },
        )?;
        let description = character.description.trim();
        let chars = description.chars().count();
        if chars > MAX_CHARACTER_DESCRIPTION_CHARS {
            return Err(CharacterError::DescriptionTooLong {
                limit: MAX_CHARACTER_DESCRIPTION_CHARS,
                chars,
            });
        }
        let (reference_type, element_image_list, element_video_list) = match &character.look {
            Look::Images { frontal, others } => {
                if frontal.trim().is_empty() {
                    return Err(CharacterError::NoFrontalImage);
                }
                if others.len() < MIN_OTHER_IMAGES {
                    return Err(CharacterError::TooFewOtherImages {
                        min: MIN_OTHER_IMAGES,
                        count: others.len(),
                    });
                }
                if others.len() > MAX_OTHER_IMAGES {
                    return Err(CharacterError::TooManyOtherImages {
                        max: MAX_OTHER_IMAGES,
                        count: others.len(),
                    });
                }
                let frontal_image = image_src(frontal, "the frontal image".into(), uploads)?;
                let refer_images = others
                    .iter()
                    .enumerate()
                    .map(|(i, src)| {
                        image_src(src, format!("other image {}", i + 1), uploads)
                            .map(|image_url| ReferImage { image_url })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (
                    ReferenceType::ImageRefer,
                    Some(ElementImageList {
                        frontal_image,
                        refer_images,
                    }),
                    None,
                )
            }
            Look::Video { src } => {
                if src.trim().is_empty() {
                    return Err(CharacterError::NoVideo);
                }
                let video_url = url_only(
                    src,
                    "the video",
                    uploads,
                    CharacterError::VideoNeedsPublicUrl,
                )?;
                (
                    ReferenceType::VideoRefer,
                    None,
                    Some(ElementVideoList {
                        refer_videos: vec![ReferVideo { video_url }],
                    }),
                )
            }
        };
        let element_voice_id = match (&character.voice, &character.look) {
            (None, _) => None,
            (Some(v), Look::Video { .. }) if v.source == VoiceSource::Cloned => None,
            (Some(v), look) => {
                // Kling binds voices to multi-image elements of human-like
                // characters only.
                if matches!(look, Look::Images { .. }) && !character.tag.takes_voice() {
                    return Err(CharacterError::VoiceOnTag {
                        tag: character.tag.label(),
                    });
                }
                if v.voice_id.trim().is_empty() {
                    return Err(CharacterError::VoiceWithoutId {
                        name: v.name.clone(),
                    });
                }
                Some(v.voice_id.trim().to_string())
            }
        };
        Ok(ElementRequest {
            element_name,
            element_description: description.to_string(),
            reference_type,
            element_image_list,
            element_video_list,
            element_voice_id,
            callback_url: None,
            external_task_id: Some(key.to_string()),
            tag_list: vec![TagId {
                tag_id: character.tag.kling_id().to_string(),
            }],
        })
    }
}

impl VoiceRequest {
    /// The create body for a custom voice named `name` from the clip at
    /// `clip_src` (an https URL, or `upload:<sha256>` with a public base),
    /// under the key `key`. Kling fetches voice clips by URL only, so an
    /// upload without a public base is refused.
    pub fn new(
        name: &str,
        clip_src: &str,
        key: &str,
        uploads: &UploadsMode,
    ) -> Result<VoiceRequest, CharacterError> {
        let voice_name = checked_name(
            name,
            MAX_VOICE_NAME_CHARS,
            CharacterError::VoiceNameEmpty {
                limit: MAX_VOICE_NAME_CHARS,
            },
            |limit, chars| CharacterError::VoiceNameTooLong { limit, chars },
        )?;
        let clip = clip_src.trim();
        if clip.is_empty() {
            return Err(CharacterError::NoVoiceClip);
        }
        let voice_url = url_only(
            clip,
            "the voice clip",
            uploads,
            CharacterError::VoiceClipNeedsPublicUrl,
        )?;
        Ok(VoiceRequest {
            voice_name,
            voice_url,
            callback_url: None,
            external_task_id: Some(key.to_string()),
        })
    }
}

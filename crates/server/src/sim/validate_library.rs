//! The simulator's reading of an element create
//! (`POST /v1/general/advanced-custom-elements`) and a voice create
//! (`POST /v1/general/custom-voices`), by Kling's Element Management and
//! Voice Management pages. As on the video calls, each refusal is Kling's
//! 1201 with the field path and the value, and fields Kling does not know
//! are ignored. What needs the library (does the voice exist, is the
//! external id free) or the file itself (a video's length) is checked by
//! the callers.

use serde_json::{Map, Value};

use super::library::{Reference, TAGS};
use super::validate::{bad, chars, check_image_within, kind_of, IMAGE_MAX_BYTES};
use super::validate_current::invalid;
use super::KlingError;

/// `element_name` and `voice_name`: at most 20 characters.
pub const MAX_NAME: usize = 20;
/// `element_description`: at most 100 characters.
pub const MAX_DESCRIPTION: usize = 100;
/// `element_image_list.refer_images`: 1 to 3 besides the frontal image.
pub const MIN_REFER_IMAGES: usize = 1;
pub const MAX_REFER_IMAGES: usize = 3;
/// A reference video: 3 to 8 seconds.
pub const MIN_VIDEO_SECONDS: f64 = 3.0;
pub const MAX_VIDEO_SECONDS: f64 = 8.0;
/// A voice's audio: 5 to 30 seconds.
pub const MIN_VOICE_SECONDS: f64 = 5.0;
pub const MAX_VOICE_SECONDS: f64 = 30.0;

/// An image as sent: an address, or the bytes of a raw Base64 JPEG/PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageInput {
    Url(String),
    Inline { bytes: Vec<u8>, png: bool },
}

/// What a valid element create asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementSpec {
    pub name: String,
    pub description: String,
    pub reference: Reference,
    /// `image_refer`: the frontal image and the others, each with its path.
    pub frontal: Option<ImageInput>,
    pub refers: Vec<ImageInput>,
    /// `video_refer`: the one video's address.
    pub video: Option<String>,
    pub voice_id: Option<String>,
    pub tags: Vec<String>,
    pub external_task_id: Option<String>,
}

/// Where a voice comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceSource {
    /// `voice_url`: an mp3, wav, mp4 or mov file.
    Url(String),
    /// `video_id`: a video Kling made.
    Video(String),
}

/// What a valid voice create asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceSpec {
    pub name: String,
    pub source: VoiceSource,
    pub external_task_id: Option<String>,
}

fn object_body(body: &Value) -> Result<&Map<String, Value>, KlingError> {
    match body {
        Value::Object(b) => Ok(b),
        _ => Err(KlingError::new(
            400,
            1200,
            "the request body must be a JSON object",
        )),
    }
}

/// An optional string member; an empty one counts as absent.
fn optional_str<'a>(
    map: &'a Map<String, Value>,
    path: &str,
    name: &str,
) -> Result<Option<&'a str>, KlingError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(
            &format!("{path}{name}"),
            other,
            &format!("it must be a string, not {}", kind_of(other)),
        )),
    }
}

/// A required string member; `empty_ok` lets `""` through.
fn required_str<'a>(
    map: &'a Map<String, Value>,
    name: &str,
    empty_ok: bool,
) -> Result<&'a str, KlingError> {
    match map.get(name) {
        None | Some(Value::Null) => Err(bad(format!("{name} is required"))),
        Some(Value::String(s)) if s.trim().is_empty() && !empty_ok => {
            Err(bad(format!("{name} is required; it is empty")))
        }
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(invalid(
            name,
            other,
            &format!("it must be a string, not {}", kind_of(other)),
        )),
    }
}

fn at_most(name: &str, text: &str, max: usize) -> Result<(), KlingError> {
    let n = chars(text);
    if n > max {
        return Err(invalid(
            name,
            &Value::String(text.to_string()),
            &format!("it must be at most {max} characters; it has {n}"),
        ));
    }
    Ok(())
}

/// An image: checked as the video calls check one, then kept.
fn image(path: &str, value: Option<&Value>) -> Result<ImageInput, KlingError> {
    use base64::Engine as _;
    let text = match value {
        None | Some(Value::Null) => return Err(bad(format!("{path} is required"))),
        Some(Value::String(s)) => s.trim(),
        Some(other) => return Err(invalid(path, other, "it must be a string")),
    };
    check_image_within(path, text, IMAGE_MAX_BYTES)?;
    if text.starts_with("https://") || text.starts_with("http://") {
        return Ok(ImageInput::Url(text.to_string()));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| bad(format!("{path} is not Base64")))?;
    let png = bytes.starts_with(b"\x89PNG");
    Ok(ImageInput::Inline { bytes, png })
}

fn external_task_id(body: &Map<String, Value>) -> Result<Option<String>, KlingError> {
    if let Some(v) = body.get("callback_url") {
        if !v.is_string() && !v.is_null() {
            return Err(invalid("callback_url", v, "it must be a string"));
        }
    }
    Ok(optional_str(body, "", "external_task_id")?.map(str::to_string))
}

/// Reads and checks an element create body.
pub fn element(body: &Value) -> Result<ElementSpec, KlingError> {
    let body = object_body(body)?;
    let name = required_str(body, "element_name", false)?;
    at_most("element_name", name, MAX_NAME)?;
    let description = required_str(body, "element_description", true)?;
    at_most("element_description", description, MAX_DESCRIPTION)?;
    let reference = match body.get("reference_type") {
        None | Some(Value::Null) => return Err(bad("reference_type is required")),
        Some(v) => match v.as_str() {
            Some("image_refer") => Reference::Image,
            Some("video_refer") => Reference::Video,
            _ => {
                return Err(invalid(
                    "reference_type",
                    v,
                    "it must be image_refer or video_refer",
                ))
            }
        },
    };
    let member = |name: &str| -> Result<Option<&Map<String, Value>>, KlingError> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(other) => Err(invalid(
                name,
                other,
                &format!("it must be an object, not {}", kind_of(other)),
            )),
        }
    };
    let mut spec = ElementSpec {
        name: name.to_string(),
        description: description.to_string(),
        reference,
        frontal: None,
        refers: Vec::new(),
        video: None,
        voice_id: optional_str(body, "", "element_voice_id")?.map(str::to_string),
        tags: tags(body)?,
        external_task_id: external_task_id(body)?,
    };
    match reference {
        // The video list is "invalid when referencing images": ignored.
        Reference::Image => {
            let Some(list) = member("element_image_list")? else {
                return Err(bad(
                    "element_image_list is required when reference_type is image_refer",
                ));
            };
            if list.get("frontal_image").is_none_or(Value::is_null) {
                return Err(bad(
                    "element_image_list.frontal_image is required: an image_refer element needs a frontal image",
                ));
            }
            spec.frontal = Some(image(
                "element_image_list.frontal_image",
                list.get("frontal_image"),
            )?);
            let refers = match list.get("refer_images") {
                None | Some(Value::Null) => &[][..],
                Some(Value::Array(items)) => items.as_slice(),
                Some(other) => {
                    return Err(invalid(
                        "element_image_list.refer_images",
                        other,
                        "it must be an array of {\"image_url\": ...}",
                    ))
                }
            };
            if !(MIN_REFER_IMAGES..=MAX_REFER_IMAGES).contains(&refers.len()) {
                return Err(bad(format!(
                    "element_image_list.refer_images holds {} images; it takes {MIN_REFER_IMAGES} to {MAX_REFER_IMAGES} besides the frontal image",
                    refers.len()
                )));
            }
            for (i, item) in refers.iter().enumerate() {
                let path = format!("element_image_list.refer_images[{i}]");
                let Value::Object(item) = item else {
                    return Err(invalid(&path, item, "each item must be an object"));
                };
                spec.refers
                    .push(image(&format!("{path}.image_url"), item.get("image_url"))?);
            }
        }
        Reference::Video => {
            let Some(list) = member("element_video_list")? else {
                return Err(bad(
                    "element_video_list is required when reference_type is video_refer",
                ));
            };
            let videos = match list.get("refer_videos") {
                Some(Value::Array(items)) => items.as_slice(),
                None | Some(Value::Null) => &[][..],
                Some(other) => {
                    return Err(invalid(
                        "element_video_list.refer_videos",
                        other,
                        "it must be an array of {\"video_url\": ...}",
                    ))
                }
            };
            if videos.len() != 1 {
                return Err(bad(format!(
                    "element_video_list.refer_videos holds {} videos; a video_refer element takes exactly 1",
                    videos.len()
                )));
            }
            let path = "element_video_list.refer_videos[0]";
            let Value::Object(item) = &videos[0] else {
                return Err(invalid(path, &videos[0], "it must be an object"));
            };
            let url = match item.get("video_url") {
                Some(Value::String(s)) if !s.trim().is_empty() => s.trim(),
                None | Some(Value::Null) | Some(Value::String(_)) => {
                    return Err(bad(format!("{path}.video_url is required; it is empty")))
                }
                Some(other) => {
                    return Err(invalid(
                        &format!("{path}.video_url"),
                        other,
                        "it must be a string",
                    ))
                }
            };
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(invalid(
                    &format!("{path}.video_url"),
                    &Value::String(url.to_string()),
                    "a reference video is taken by http(s) URL only (.mp4 or .mov)",
                ));
            }
            spec.video = Some(url.to_string());
        }
    }
    Ok(spec)
}

/// `tag_list: [{tag_id}]`, each one of Kling's tags.
fn tags(body: &Map<String, Value>) -> Result<Vec<String>, KlingError> {
    let items = match body.get("tag_list") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(invalid(
                "tag_list",
                other,
                "it must be an array of {\"tag_id\": ...}",
            ))
        }
    };
    let known = TAGS
        .iter()
        .map(|(id, _)| *id)
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("tag_list[{i}].tag_id");
        let value = item.get("tag_id").unwrap_or(&Value::Null);
        match value.as_str() {
            Some(id) if TAGS.iter().any(|(t, _)| *t == id) => out.push(id.to_string()),
            _ if value.is_null() => return Err(bad(format!("{path} is required"))),
            _ => return Err(invalid(&path, value, &format!("it must be one of {known}"))),
        }
    }
    Ok(out)
}

/// Reads and checks a voice create body.
pub fn voice(body: &Value) -> Result<VoiceSpec, KlingError> {
    let body = object_body(body)?;
    let name = required_str(body, "voice_name", false)?;
    at_most("voice_name", name, MAX_NAME)?;
    let url = optional_str(body, "", "voice_url")?;
    let video = optional_str(body, "", "video_id")?;
    // Kling does not say what both at once mean; the file given wins.
    let source = match (url, video) {
        (Some(url), _) => {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(invalid(
                    "voice_url",
                    &Value::String(url.to_string()),
                    "it must be the http(s) URL of an .mp3, .wav, .mp4 or .mov file",
                ));
            }
            VoiceSource::Url(url.to_string())
        }
        (None, Some(id)) => VoiceSource::Video(id.to_string()),
        (None, None) => {
            return Err(bad(
                "one of voice_url or video_id is required: the voice needs 5 to 30 s of one clean human voice",
            ))
        }
    };
    Ok(VoiceSpec {
        name: name.to_string(),
        source,
        external_task_id: external_task_id(body)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn images() -> Value {
        json!({
            "element_name": "Mia",
            "element_description": "A girl in a red coat",
            "reference_type": "image_refer",
            "element_image_list": {
                "frontal_image": "https://x/front.png",
                "refer_images": [{"image_url": "https://x/side.png"}]
            },
            "tag_list": [{"tag_id": "o_102"}],
            "external_task_id": "k1"
        })
    }

    fn with(mut body: Value, path: &[&str], value: Value) -> Value {
        let mut at = &mut body;
        for p in &path[..path.len() - 1] {
            at = &mut at[*p];
        }
        at[path[path.len() - 1]] = value;
        body
    }

    fn says(body: Value) -> String {
        element(&body).expect_err("refused").message
    }

    #[test]
    fn kling_s_example_is_read() {
        let spec = element(&images()).expect("valid");
        assert_eq!(spec.name, "Mia");
        assert_eq!(spec.reference, Reference::Image);
        assert_eq!(
            spec.frontal,
            Some(ImageInput::Url("https://x/front.png".into()))
        );
        assert_eq!(spec.refers.len(), 1);
        assert_eq!(spec.tags, ["o_102"]);
        assert_eq!(spec.external_task_id.as_deref(), Some("k1"));
    }

    #[test]
    fn names_and_descriptions_have_limits() {
        assert!(element(&with(images(), &["element_name"], json!("a".repeat(20)))).is_ok());
        assert!(
            says(with(images(), &["element_name"], json!("a".repeat(21))))
                .contains("at most 20 characters; it has 21")
        );
        assert!(says(with(images(), &["element_name"], json!(" ")))
            .contains("element_name is required"));
        assert!(says(with(
            images(),
            &["element_description"],
            json!("d".repeat(101))
        ))
        .starts_with("element_description value 'ddd"));
    }

    #[test]
    fn base64_images_are_kept() {
        use base64::Engine as _;
        let png =
            base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        let spec = element(&with(
            images(),
            &["element_image_list", "frontal_image"],
            json!(png),
        ))
        .expect("valid");
        assert!(matches!(
            spec.frontal,
            Some(ImageInput::Inline { png: true, .. })
        ));
        assert!(says(with(
            images(),
            &["element_image_list", "frontal_image"],
            json!("data:image/png;base64,AAAA")
        ))
        .contains("without a data: prefix"));
    }

    #[test]
    fn voices_need_a_name_and_a_source() {
        let v = voice(
            &json!({"voice_name": "Narrator", "voice_url": "https://x/a.mp3", "video_id": ""}),
        )
        .expect("valid");
        assert_eq!(v.source, VoiceSource::Url("https://x/a.mp3".into()));
        let e = |b: Value| voice(&b).expect_err("refused").message;
        assert!(e(json!({"voice_name": "N"})).contains("one of voice_url or video_id"));
        assert!(e(json!({"voice_name": "N", "voice_url": "upload:abc"}))
            .contains("voice_url value 'upload:abc' is invalid"));
        assert!(e(json!({"voice_name": "x".repeat(21), "video_id": "1"})).contains("at most 20"));
    }
}

//! The simulator's reading of a create request on Kling's current design,
//! `POST /omni-video/kling-3.0-omni` with `{contents, settings, options}`
//! (providers.md §0.3 and Kling's Omni Video page). Each refusal is
//! Kling's 1201 with a message naming the field path and the value, e.g.
//! `settings.resolution value '9000p' is invalid`. Fields Kling does not
//! know are ignored, as Kling ignores them.

use serde_json::{Map, Value};
use storyreel_core::board::Resolution;
use storyreel_core::cost;

use super::shot_list;
use super::validate::{bad, chars, check_image_within, kind_of, Aspect, CitedElement, TaskSpec};
use super::KlingError;

/// The one model this simulator serves on the current design.
pub const MODEL: &str = "kling-3.0-omni";
/// Longest prompt text, in characters (2500 recommended).
pub const MAX_PROMPT: usize = 3072;
/// Largest image sent as Base64 on this design.
pub const IMAGE_MAX_BYTES: usize = 50 * 1024 * 1024;
pub const MIN_SECONDS: i64 = 3;
pub const MAX_SECONDS: i64 = 15;
pub const DEFAULT_SECONDS: u32 = 5;
/// Reference images and elements together, without and with a video.
pub const MAX_REFS: usize = 7;
pub const MAX_REFS_WITH_VIDEO: usize = 4;
/// Elements beside a first (and last) frame.
pub const MAX_ELEMENTS_WITH_FRAMES: usize = 3;
/// How much of a bad value a message quotes.
const QUOTE_CHARS: usize = 64;

const TYPES: &str =
    "prompt, first_frame, last_frame, refer_image, feature_video, base_video or element";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Prompt,
    FirstFrame,
    LastFrame,
    ReferImage,
    FeatureVideo,
    BaseVideo,
    Element,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "prompt" => Kind::Prompt,
            "first_frame" => Kind::FirstFrame,
            "last_frame" => Kind::LastFrame,
            "refer_image" => Kind::ReferImage,
            "feature_video" => Kind::FeatureVideo,
            "base_video" => Kind::BaseVideo,
            "element" => Kind::Element,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audio {
    Native,
    Original,
    Off,
}

/// `{path} value '{value}' is invalid; {hint}`: Kling's wording, with the
/// allowed values after it. Long values are cut.
pub(super) fn invalid(path: &str, value: &Value, hint: &str) -> KlingError {
    let shown = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut quoted: String = shown.chars().take(QUOTE_CHARS).collect();
    if chars(&shown) > QUOTE_CHARS {
        quoted.push('…');
    }
    bad(format!("{path} value '{quoted}' is invalid; {hint}"))
}

/// An optional object member of the body (`settings`, `options`, ...).
fn object<'a>(
    parent: Option<&'a Map<String, Value>>,
    path: &str,
    name: &str,
) -> Result<Option<&'a Map<String, Value>>, KlingError> {
    match parent.and_then(|p| p.get(name)) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(other) => Err(invalid(
            &format!("{path}{name}"),
            other,
            &format!("it must be an object, not {}", kind_of(other)),
        )),
    }
}

/// A member that must be one of `allowed` (strings), or `default`.
fn choice<'a>(
    map: Option<&'a Map<String, Value>>,
    path: &str,
    allowed: &[&'a str],
    default: &'a str,
) -> Result<&'a str, KlingError> {
    let name = path.rsplit('.').next().unwrap_or(path);
    match map.and_then(|m| m.get(name)) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_str()
            .and_then(|s| allowed.iter().find(|a| **a == s).copied())
            .ok_or_else(|| invalid(path, v, &format!("it must be {}", allowed.join(", ")))),
    }
}

/// A string member of a `contents` item that must be there.
fn required_str<'a>(
    item: &'a Map<String, Value>,
    path: &str,
    name: &str,
) -> Result<&'a str, KlingError> {
    match item.get(name) {
        None | Some(Value::Null) => Err(bad(format!("{path}.{name} is required"))),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.as_str()),
        Some(Value::String(_)) => Err(bad(format!("{path}.{name} is required; it is empty"))),
        Some(other) => Err(invalid(
            &format!("{path}.{name}"),
            other,
            "it must be a string",
        )),
    }
}

/// `@name` mentions in `text`: an `@` that starts a word (so the `@` of
/// an e-mail address is not one), then letters, digits and `_`.
fn mentions(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == '@' && prev.is_none_or(|p| !p.is_alphanumeric() && p != '_') {
            let rest = &text[i + 1..];
            let len = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                    .len();
            if len > 0 {
                found.push((i + 1, &rest[..len]));
            }
        }
        prev = Some(c);
    }
    found
}

/// What the items of `contents` hold, once each is checked.
#[derive(Default)]
struct Inputs<'a> {
    prompt: Option<(usize, &'a str)>,
    /// Every item id with the index of its item.
    ids: Vec<(&'a str, usize)>,
    images: usize,
    first_frame: bool,
    last_frame: bool,
    elements: usize,
    video: Option<Kind>,
    /// Each item as `type` or `type:id`, in order.
    seen: Vec<String>,
    /// The element ids cited, with their paths.
    cited: Vec<CitedElement>,
}

impl<'a> Inputs<'a> {
    fn read(contents: &'a [Value]) -> Result<Inputs<'a>, KlingError> {
        let mut inputs = Inputs::default();
        for (i, item) in contents.iter().enumerate() {
            inputs.item(i, item)?;
        }
        Ok(inputs)
    }

    fn item(&mut self, i: usize, item: &'a Value) -> Result<(), KlingError> {
        let path = format!("contents[{i}]");
        let Value::Object(item) = item else {
            return Err(invalid(&path, item, "each item must be an object"));
        };
        let kind = match item.get("type") {
            None | Some(Value::Null) => return Err(bad(format!("{path}.type is required"))),
            Some(v) => v.as_str().and_then(Kind::parse).ok_or_else(|| {
                invalid(&format!("{path}.type"), v, &format!("it must be {TYPES}"))
            })?,
        };
        let type_name = item.get("type").and_then(Value::as_str).unwrap_or_default();
        self.seen
            .push(match item.get("id").and_then(Value::as_str) {
                Some(id) if !id.is_empty() => format!("{type_name}:{id}"),
                _ => type_name.to_string(),
            });
        match kind {
            Kind::Prompt => {
                if let Some((first, _)) = self.prompt {
                    return Err(bad(format!(
                        "{path} is a second prompt item (contents[{first}] is the first); at most 1"
                    )));
                }
                let text = required_str(item, &path, "text")?;
                let count = chars(text);
                if count > MAX_PROMPT {
                    return Err(bad(format!(
                        "{path}.text is {count} characters long; at most {MAX_PROMPT}"
                    )));
                }
                self.prompt = Some((i, text));
                return Ok(());
            }
            Kind::FirstFrame | Kind::LastFrame | Kind::ReferImage => {
                let url = required_str(item, &path, "url")?;
                check_image_within(&format!("{path}.url"), url, IMAGE_MAX_BYTES)?;
                let seen = match kind {
                    Kind::FirstFrame => Some(("first_frame", &mut self.first_frame)),
                    Kind::LastFrame => Some(("last_frame", &mut self.last_frame)),
                    _ => None,
                };
                if let Some((name, seen)) = seen {
                    if *seen {
                        return Err(bad(format!("{path} is a second {name}; at most 1")));
                    }
                    *seen = true;
                }
                self.images += 1;
            }
            Kind::FeatureVideo | Kind::BaseVideo => {
                let url = required_str(item, &path, "url")?;
                let url_only = url.starts_with("https://") || url.starts_with("http://");
                if !url_only {
                    return Err(invalid(
                        &format!("{path}.url"),
                        &Value::String(url.to_string()),
                        "a reference video is taken by http(s) URL only",
                    ));
                }
                if self.video.is_some() {
                    return Err(bad(format!(
                        "{path} is a second reference video; at most 1"
                    )));
                }
                self.video = Some(kind);
            }
            Kind::Element => {
                match item.get("element_id") {
                    None | Some(Value::Null) => {
                        return Err(bad(format!("{path}.element_id is required")))
                    }
                    Some(Value::String(s)) if !s.trim().is_empty() => {
                        self.cited.push(CitedElement {
                            path: format!("{path}.element_id"),
                            id: s.clone(),
                        })
                    }
                    Some(other) => {
                        return Err(invalid(
                            &format!("{path}.element_id"),
                            other,
                            "it must be a non-empty string",
                        ))
                    }
                }
                self.elements += 1;
            }
        }
        self.id(i, &path, kind, item)
    }

    /// The item's `id`: optional, but required for an element, and never
    /// the same as another item's.
    fn id(
        &mut self,
        i: usize,
        path: &str,
        kind: Kind,
        item: &'a Map<String, Value>,
    ) -> Result<(), KlingError> {
        let id = match item.get("id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                return Err(invalid(&format!("{path}.id"), other, "it must be a string"))
            }
        };
        match id {
            None if kind == Kind::Element => {
                Err(bad(format!("{path}.id is required for an element")))
            }
            None => Ok(()),
            Some(id) => {
                if let Some((_, other)) = self.ids.iter().find(|(seen, _)| *seen == id) {
                    return Err(invalid(
                        &format!("{path}.id"),
                        &Value::String(id.to_string()),
                        &format!("contents[{other}] already has this id; ids must be unique"),
                    ));
                }
                self.ids.push((id, i));
                Ok(())
            }
        }
    }

    /// Whether `@name` cites an item: its id, or (for ids with other
    /// characters than letters, digits and `_`) an id the text goes on with.
    fn cites(&self, name: &str, after_at: &str) -> bool {
        self.ids
            .iter()
            .any(|(id, _)| *id == name || (id.len() > name.len() && after_at.starts_with(id)))
    }
}

/// Reads and checks a create request body of the current design.
pub fn create(body: &Value) -> Result<TaskSpec, KlingError> {
    let Value::Object(body) = body else {
        return Err(KlingError::new(
            400,
            1200,
            "the request body must be a JSON object",
        ));
    };
    let contents = match body.get("contents") {
        None | Some(Value::Null) => return Err(bad("contents is required")),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(invalid(
                "contents",
                other,
                &format!("it must be an array, not {}", kind_of(other)),
            ))
        }
    };
    let settings = object(Some(body), "", "settings")?;
    let options = object(Some(body), "", "options")?;

    // Settings, each with Kling's default.
    let multi_shot = match settings.and_then(|s| s.get("multi_shot")) {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(invalid(
                "settings.multi_shot",
                other,
                "it must be true or false",
            ))
        }
    };
    let audio = match choice(
        settings,
        "settings.audio",
        &["native", "original", "off"],
        "off",
    )? {
        "native" => Audio::Native,
        "original" => Audio::Original,
        _ => Audio::Off,
    };
    let resolution = match choice(
        settings,
        "settings.resolution",
        &["720p", "1080p", "4k"],
        "720p",
    )? {
        "1080p" => Resolution::P1080,
        "4k" => Resolution::K4,
        _ => Resolution::P720,
    };
    let aspect = match choice(
        settings,
        "settings.aspect_ratio",
        &["16:9", "9:16", "1:1"],
        "16:9",
    )? {
        "9:16" => Aspect::Tall,
        "1:1" => Aspect::Square,
        _ => Aspect::Wide,
    };
    let duration = match settings.and_then(|s| s.get("duration")) {
        None | Some(Value::Null) => DEFAULT_SECONDS,
        Some(v) => v
            .as_i64()
            .filter(|d| (MIN_SECONDS..=MAX_SECONDS).contains(d))
            .map(|d| d as u32)
            .ok_or_else(|| {
                invalid(
                    "settings.duration",
                    v,
                    &format!("it must be an integer from {MIN_SECONDS} to {MAX_SECONDS}"),
                )
            })?,
    };

    let inputs = Inputs::read(contents)?;
    let Some((prompt_at, text)) = inputs.prompt else {
        return Err(bad(
            "contents needs a prompt item: {\"type\": \"prompt\", \"text\": ...}",
        ));
    };
    combinations(&inputs, multi_shot, audio)?;

    for (at, name) in mentions(text) {
        if !inputs.cites(name, &text[at..]) {
            return Err(bad(format!(
                "contents[{prompt_at}].text mentions @{name}, but no item of contents has the id '{name}'"
            )));
        }
    }

    let shots = if multi_shot {
        match shot_list::parse(text, duration) {
            Ok(Some(shots)) => shots,
            Ok(None) => shot_list::split_at_semicolons(text, duration),
            Err(problem) => return Err(bad(format!("contents[{prompt_at}].text: {problem}"))),
        }
    } else {
        vec![(duration, text.trim().to_string())]
    };

    let external_task_id = match options.and_then(|o| o.get("external_task_id")) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(invalid(
                "options.external_task_id",
                other,
                "it must be a string",
            ))
        }
    };
    if let Some(v) = options.and_then(|o| o.get("callback_url")) {
        if !v.is_string() && !v.is_null() {
            return Err(invalid("options.callback_url", v, "it must be a string"));
        }
    }
    let watermark =
        match object(options, "options.", "watermark_info")?.and_then(|w| w.get("enabled")) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(invalid(
                    "options.watermark_info.enabled",
                    other,
                    "it must be true or false",
                ))
            }
        };

    let has_video = inputs.video.is_some();
    let per_second =
        cost::kling_unit_tenths_per_second(resolution, has_video, audio == Audio::Native);
    Ok(TaskSpec {
        unit_tenths: per_second * duration,
        shots,
        resolution,
        aspect,
        sound: audio == Audio::Native || (audio == Audio::Original && has_video),
        external_task_id,
        watermark,
        inputs: inputs.seen,
        elements: inputs.cited,
    })
}

/// Kling's rules for what goes together (providers.md §0.3).
fn combinations(inputs: &Inputs, multi_shot: bool, audio: Audio) -> Result<(), KlingError> {
    if inputs.last_frame && !inputs.first_frame {
        return Err(bad(
            "a last_frame needs a first_frame: a last frame alone is not supported",
        ));
    }
    let refs = inputs.images + inputs.elements;
    let (max, with) = match inputs.video {
        Some(_) => (MAX_REFS_WITH_VIDEO, " with a reference video"),
        None => (MAX_REFS, ""),
    };
    if refs > max {
        return Err(bad(format!(
            "contents holds {refs} reference images and elements; at most {max}{with}"
        )));
    }
    if inputs.first_frame && inputs.elements > MAX_ELEMENTS_WITH_FRAMES {
        return Err(bad(format!(
            "contents holds {} elements with a first_frame; at most {MAX_ELEMENTS_WITH_FRAMES}",
            inputs.elements
        )));
    }
    let audio_value = |a: Audio| {
        Value::String(
            match a {
                Audio::Native => "native",
                Audio::Original => "original",
                Audio::Off => "off",
            }
            .into(),
        )
    };
    match inputs.video {
        Some(Kind::FeatureVideo) if audio != Audio::Off => Err(invalid(
            "settings.audio",
            &audio_value(audio),
            "with a feature_video it must be off",
        )),
        Some(Kind::BaseVideo) => {
            if inputs.first_frame || inputs.last_frame {
                return Err(bad(
                    "a base_video cannot be combined with a first_frame or last_frame",
                ));
            }
            if multi_shot {
                return Err(invalid(
                    "settings.multi_shot",
                    &Value::Bool(true),
                    "with a base_video it must be false (it defaults to true)",
                ));
            }
            if audio == Audio::Native {
                return Err(invalid(
                    "settings.audio",
                    &audio_value(audio),
                    "with a base_video it must be original or off",
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mentions_start_a_word() {
        let m: Vec<&str> = mentions("@image_1 meets (@Zhang), mail x@gmail.com; @")
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        assert_eq!(m, vec!["image_1", "Zhang"]);
    }

    #[test]
    fn defaults_are_klings() {
        let spec = create(&json!({"contents": [{"type": "prompt", "text": "A quiet lake"}]}))
            .expect("valid");
        assert_eq!(spec.seconds(), 5);
        assert_eq!(spec.resolution, Resolution::P720);
        assert_eq!(spec.aspect, Aspect::Wide);
        assert!(!spec.sound);
        // 720p, silent: 0.6 units a second.
        assert_eq!(spec.unit_tenths, 30);
    }

    #[test]
    fn values_are_named_with_their_path() {
        let e = create(&json!({
            "contents": [{"type": "prompt", "text": "x"}],
            "settings": {"resolution": "9000p"}
        }))
        .expect_err("refused");
        assert_eq!((e.http, e.code), (400, 1201));
        assert!(
            e.message
                .contains("settings.resolution value '9000p' is invalid"),
            "{}",
            e.message
        );
    }
}

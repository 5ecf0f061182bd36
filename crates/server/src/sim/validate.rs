//! The simulator's reading of a create request: the checks Kling documents
//! (providers.md §1.3–1.5, §1.7), each refused with Kling's code for it and
//! a message that names the field, the limit and the value.

use serde_json::{Map, Value};
use storyreel_core::board::{AspectRatio, Resolution};
use storyreel_core::cost;

use super::KlingError;

/// The create routes the simulator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateRoute {
    /// `/v1/videos/omni-video`
    Omni,
    /// `/v1/videos/image2video` (`kling-v3`)
    Image2Video,
    /// `/v1/videos/text2video` (`kling-v3`)
    Text2Video,
    /// The current design's `/omni-video/kling-3.0-omni`: never named by a
    /// legacy path, so legacy queries and lists do not see its tasks.
    Current,
}

impl CreateRoute {
    pub fn from_path(segment: &str) -> Option<CreateRoute> {
        match segment {
            "omni-video" => Some(CreateRoute::Omni),
            "image2video" => Some(CreateRoute::Image2Video),
            "text2video" => Some(CreateRoute::Text2Video),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    Wide,
    Tall,
    Square,
}

/// What a valid request asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSpec {
    /// (seconds, prompt) per shot; one entry for a single-shot request.
    pub shots: Vec<(u32, String)>,
    pub resolution: Resolution,
    pub aspect: Aspect,
    pub sound: bool,
    pub external_task_id: Option<String>,
    /// Units charged, in tenths.
    pub unit_tenths: u32,
    /// Whether a watermarked copy was asked for (current design's
    /// `options.watermark_info.enabled`).
    pub watermark: bool,
    /// What the request held, for the test controls: the current design's
    /// `contents[]` as `type` or `type:id` (empty on the legacy design).
    pub inputs: Vec<String>,
    /// The elements the request cites, each with the field that names it
    /// (`contents[2].element_id`, `element_list[0].element_id`): checked
    /// against the simulator's element library when the task is stored.
    pub elements: Vec<CitedElement>,
}

/// An element id a video request cites, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedElement {
    pub path: String,
    pub id: String,
}

impl TaskSpec {
    pub fn seconds(&self) -> u32 {
        self.shots.iter().map(|(s, _)| s).sum()
    }

    /// Output size: 720p, 1080p or 4K (3840×2160 and its portrait and
    /// square forms); Kling documents no exact pixels per aspect ratio.
    pub fn size(&self) -> (u32, u32) {
        let aspect = match self.aspect {
            Aspect::Wide => AspectRatio::Landscape,
            Aspect::Tall => AspectRatio::Portrait,
            Aspect::Square => AspectRatio::Square,
        };
        self.resolution.frame_size(aspect)
    }
}

pub const MAX_SHOTS: usize = 6;
pub const MAX_SHOT_PROMPT: usize = 512;
pub const MAX_PROMPT: usize = 2500;
pub const MIN_SECONDS: u32 = 3;
pub const MAX_SECONDS: u32 = 15;
pub const MAX_SECONDS_WITH_VIDEO: u32 = 10;
pub const MAX_REFS: usize = 7;
pub const MAX_REFS_WITH_VIDEO: usize = 4;
pub const MAX_ELEMENTS_WITH_FRAMES: usize = 3;
pub const MAX_EXTERNAL_ID: usize = 64;

pub(super) fn bad(message: impl Into<String>) -> KlingError {
    KlingError::new(400, 1201, message)
}

/// Kling's limit for an image sent as Base64 (providers.md §1.5).
pub const IMAGE_MAX_BYTES: usize = 10 * 1024 * 1024;

/// An image field as the legacy design takes it: [`check_image_within`]
/// with the legacy limit of 10 MB.
fn check_image(field: &str, value: &str) -> Result<(), KlingError> {
    check_image_within(field, value, IMAGE_MAX_BYTES)
}

/// An image field as Kling takes it: an http(s) URL, or the raw Base64 of
/// a JPEG or PNG of at most `max_bytes` with no `data:` prefix. Anything
/// else (a `data:` URI, an `upload:<sha256>` the relay did not resolve,
/// text) is refused. The current design allows 50 MB, the legacy one 10.
pub fn check_image_within(field: &str, value: &str, max_bytes: usize) -> Result<(), KlingError> {
    use base64::Engine as _;
    let value = value.trim();
    let too_big = || {
        bad(format!(
            "{field}: the Base64 image is larger than {} MB",
            max_bytes / (1024 * 1024)
        ))
    };
    if value.is_empty() {
        return Err(bad(format!("{field} is required")));
    }
    if value.starts_with("data:") {
        return Err(bad(format!(
            "{field}: Base64 must be sent raw, without a data: prefix"
        )));
    }
    if value.starts_with("https://") || value.starts_with("http://") {
        return Ok(());
    }
    // 4 Base64 characters carry 3 bytes.
    if value.len() / 4 * 3 > max_bytes + 3 {
        return Err(too_big());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(|_| {
            let start: String = value.chars().take(16).collect();
            bad(format!(
                "{field} is neither an http(s) URL nor Base64 (it starts {start:?})"
            ))
        })?;
    if bytes.len() > max_bytes {
        return Err(too_big());
    }
    let jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    let png = bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
    if !jpeg && !png {
        return Err(bad(format!(
            "{field}: the Base64 is not a JPEG or PNG image"
        )));
    }
    Ok(())
}

fn str_field<'a>(body: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, KlingError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(bad(format!(
            "{name} must be a string, got {}",
            kind_of(other)
        ))),
    }
}

pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn array<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a [Value], KlingError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(bad(format!(
            "{name} must be an array, got {}",
            kind_of(other)
        ))),
    }
}

pub(super) fn chars(s: &str) -> usize {
    s.chars().count()
}

fn seconds_of(text: &str, field: &str) -> Result<u32, KlingError> {
    text.parse::<u32>().map_err(|_| {
        bad(format!(
            "{field} must be a whole number of seconds as a string, got \"{text}\""
        ))
    })
}

/// `<<<image_N>>>`-style citations in `text` whose N exceeds `count`.
fn check_citations(text: &str, kind: &str, count: usize, field: &str) -> Result<(), KlingError> {
    let open = format!("<<<{kind}_");
    let mut rest = text;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse::<usize>() {
            if n == 0 || n > count {
                let list = match kind {
                    "image" => "image_list",
                    "element" => "element_list",
                    _ => "video_list",
                };
                return Err(bad(format!(
                    "{field} cites <<<{kind}_{n}>>> but {list} has {count} item(s)"
                )));
            }
        }
        rest = &after[digits.len()..];
    }
    Ok(())
}

/// Reads and checks a create request body.
pub fn create(route: CreateRoute, body: &Value) -> Result<TaskSpec, KlingError> {
    let Value::Object(body) = body else {
        return Err(KlingError::new(
            400,
            1200,
            "the request body must be a JSON object",
        ));
    };
    let model = str_field(body, "model_name")?;
    match (route, model) {
        (CreateRoute::Omni, None | Some("kling-video-o1" | "kling-v3-omni")) => {}
        (CreateRoute::Image2Video | CreateRoute::Text2Video, Some("kling-v3")) => {}
        (_, Some(other)) => {
            return Err(KlingError::new(
                404,
                1203,
                format!("model_name {other} is not available on this endpoint"),
            ))
        }
        (_, None) => {
            return Err(bad(
                "model_name defaults to kling-v1 here, which has no multi-shot; send kling-v3",
            ))
        }
    }
    let is_o1 = route == CreateRoute::Omni && model != Some("kling-v3-omni");

    let resolution = match str_field(body, "mode")? {
        None => match route {
            CreateRoute::Omni => Resolution::P1080,
            _ => Resolution::P720,
        },
        Some("std") => Resolution::P720,
        Some("pro") => Resolution::P1080,
        Some("4k") if !is_o1 => Resolution::K4,
        Some(other) => return Err(bad(format!("mode must be std, pro or 4k, got \"{other}\""))),
    };

    let sound = match str_field(body, "sound")? {
        None | Some("off") => false,
        Some("on") => true,
        Some(other) => return Err(bad(format!("sound must be on or off, got \"{other}\""))),
    };
    if sound && is_o1 {
        return Err(bad("sound is not supported by kling-video-o1"));
    }

    let duration = match str_field(body, "duration")? {
        None => 5,
        Some(text) => seconds_of(text, "duration")?,
    };

    // References.
    let images = array(body, "image_list")?;
    let elements = array(body, "element_list")?;
    let videos = array(body, "video_list")?;
    let mut first_frame = false;
    let mut end_frame = false;
    for (i, image) in images.iter().enumerate() {
        let Value::Object(image) = image else {
            return Err(bad(format!("image_list[{i}] must be an object")));
        };
        let field = format!("image_list[{i}].image_url");
        check_image(&field, str_field(image, "image_url")?.unwrap_or(""))?;
        match str_field(image, "type")? {
            None => {}
            Some("first_frame") => first_frame = true,
            Some("end_frame") => end_frame = true,
            Some(other) => {
                return Err(bad(format!(
                    "image_list[{i}].type must be first_frame or end_frame, got \"{other}\""
                )))
            }
        }
    }
    if end_frame && !first_frame {
        return Err(bad("an end_frame needs a first_frame"));
    }
    if end_frame && images.len() > 2 {
        return Err(bad(format!(
            "with an end_frame at most 2 images are allowed, got {}",
            images.len()
        )));
    }
    let mut cited = Vec::with_capacity(elements.len());
    for (i, element) in elements.iter().enumerate() {
        match element.get("element_id").and_then(Value::as_i64) {
            Some(id) => cited.push(CitedElement {
                path: format!("element_list[{i}].element_id"),
                id: id.to_string(),
            }),
            None => {
                return Err(bad(format!(
                    "element_list[{i}].element_id must be an integer"
                )))
            }
        }
    }
    if videos.len() > 1 {
        return Err(bad(format!(
            "video_list takes 1 video, got {}",
            videos.len()
        )));
    }
    let mut base_video = false;
    if let Some(video) = videos.first() {
        let Value::Object(video) = video else {
            return Err(bad("video_list[0] must be an object"));
        };
        if str_field(video, "video_url")?.is_none_or(|u| u.trim().is_empty()) {
            return Err(bad("video_list[0].video_url is required"));
        }
        match str_field(video, "refer_type")? {
            None | Some("base") => base_video = true,
            Some("feature") => {}
            Some(other) => {
                return Err(bad(format!(
                    "video_list[0].refer_type must be feature or base, got \"{other}\""
                )))
            }
        }
        if let Some(k) = str_field(video, "keep_original_sound")? {
            if k != "yes" && k != "no" {
                return Err(bad(format!(
                    "video_list[0].keep_original_sound must be yes or no, got \"{k}\""
                )));
            }
        }
        if sound {
            return Err(bad("sound must be off when video_list is present"));
        }
        if base_video && first_frame {
            return Err(bad(
                "first/last frames cannot be combined with video editing (refer_type base)",
            ));
        }
    }
    let refs = images.len() + elements.len();
    let max_refs = if videos.is_empty() {
        MAX_REFS
    } else {
        MAX_REFS_WITH_VIDEO
    };
    if refs > max_refs {
        return Err(bad(format!(
            "image_list + element_list may hold at most {max_refs} item(s){}, got {refs}",
            if videos.is_empty() {
                ""
            } else {
                " with a reference video"
            }
        )));
    }
    if first_frame && elements.len() > MAX_ELEMENTS_WITH_FRAMES {
        return Err(bad(format!(
            "with a first frame at most {MAX_ELEMENTS_WITH_FRAMES} elements are allowed, got {}",
            elements.len()
        )));
    }
    let max_seconds = if videos.is_empty() {
        MAX_SECONDS
    } else {
        MAX_SECONDS_WITH_VIDEO
    };
    if !(MIN_SECONDS..=max_seconds).contains(&duration) {
        return Err(bad(format!(
            "duration must be {MIN_SECONDS} to {max_seconds} seconds{}, got {duration}",
            if videos.is_empty() {
                ""
            } else {
                " with a reference video"
            }
        )));
    }

    // Route-specific inputs.
    match route {
        CreateRoute::Omni => {
            let needs_aspect = !first_frame && !base_video;
            if needs_aspect && body.get("aspect_ratio").is_none() {
                return Err(bad(
                    "aspect_ratio is required unless a first frame or video editing is used",
                ));
            }
        }
        CreateRoute::Image2Video => {
            match str_field(body, "image")? {
                Some(i) if !i.trim().is_empty() => check_image("image", i)?,
                _ => return Err(bad("image (the first frame) is required")),
            }
            if let Some(tail) = str_field(body, "image_tail")? {
                check_image("image_tail", tail)?;
            }
            if body.contains_key("aspect_ratio") {
                return Err(bad(
                    "image2video takes no aspect_ratio: it follows the image",
                ));
            }
        }
        CreateRoute::Text2Video | CreateRoute::Current => {}
    }
    let aspect = match str_field(body, "aspect_ratio")? {
        None | Some("16:9") => Aspect::Wide,
        Some("9:16") => Aspect::Tall,
        Some("1:1") => Aspect::Square,
        Some(other) => {
            return Err(bad(format!(
                "aspect_ratio must be 16:9, 9:16 or 1:1, got \"{other}\""
            )))
        }
    };

    let multi_shot = match body.get("multi_shot") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(bad(format!(
                "multi_shot must be a boolean, got {}",
                kind_of(other)
            )))
        }
    };
    if multi_shot && is_o1 {
        return Err(bad(
            "multi_shot is not supported by kling-video-o1; send model_name kling-v3-omni",
        ));
    }
    let prompt = str_field(body, "prompt")?.unwrap_or("");
    if chars(prompt) > MAX_PROMPT {
        return Err(bad(format!(
            "prompt may be at most {MAX_PROMPT} characters, got {}",
            chars(prompt)
        )));
    }
    let shots = if multi_shot {
        // Frames inside a multi-shot request: refused until Kling lifted
        // the exclusion on 2026-05-07 (providers.md §0.1); accepted now.
        match str_field(body, "shot_type")? {
            Some("customize") => {}
            Some(other) => {
                return Err(bad(format!("shot_type must be customize, got \"{other}\"")))
            }
            None => return Err(bad("shot_type is required when multi_shot is true")),
        }
        let items = array(body, "multi_prompt")?;
        if items.is_empty() || items.len() > MAX_SHOTS {
            return Err(bad(format!(
                "multi_prompt must have 1 to {MAX_SHOTS} shots, got {}",
                items.len()
            )));
        }
        let mut shots = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Value::Object(item) = item else {
                return Err(bad(format!("multi_prompt[{i}] must be an object")));
            };
            let index = item.get("index").and_then(Value::as_u64);
            if index != Some(i as u64 + 1) {
                return Err(bad(format!(
                    "multi_prompt[{i}].index must be {}, got {}",
                    i + 1,
                    item.get("index")
                        .map(Value::to_string)
                        .unwrap_or_else(|| "nothing".into())
                )));
            }
            let text = str_field(item, "prompt")?.unwrap_or("");
            if text.trim().is_empty() {
                return Err(bad(format!("multi_prompt[{i}].prompt is required")));
            }
            if chars(text) > MAX_SHOT_PROMPT {
                return Err(bad(format!(
                    "multi_prompt[{i}].prompt may be at most {MAX_SHOT_PROMPT} characters, got {}",
                    chars(text)
                )));
            }
            let secs = match str_field(item, "duration")? {
                Some(d) => seconds_of(d, &format!("multi_prompt[{i}].duration"))?,
                None => return Err(bad(format!("multi_prompt[{i}].duration is required"))),
            };
            if secs < 1 || secs > duration {
                return Err(bad(format!(
                    "multi_prompt[{i}].duration must be 1 to {duration} seconds, got {secs}"
                )));
            }
            shots.push((secs, text.to_string()));
        }
        let sum: u32 = shots.iter().map(|(s, _)| s).sum();
        if sum != duration {
            return Err(bad(format!(
                "the multi_prompt durations add up to {sum} s but duration is {duration} s; they must be equal"
            )));
        }
        shots
    } else {
        if prompt.trim().is_empty() {
            return Err(bad("prompt is required when multi_shot is false"));
        }
        vec![(duration, prompt.to_string())]
    };
    for (i, (_, text)) in shots.iter().enumerate() {
        let field = if multi_shot {
            format!("multi_prompt[{i}].prompt")
        } else {
            "prompt".to_string()
        };
        check_citations(text, "image", images.len(), &field)?;
        check_citations(text, "element", elements.len(), &field)?;
        check_citations(text, "video", videos.len(), &field)?;
    }

    let external_task_id = str_field(body, "external_task_id")?
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(id) = &external_task_id {
        if chars(id) > MAX_EXTERNAL_ID {
            return Err(bad(format!(
                "external_task_id may be at most {MAX_EXTERNAL_ID} characters, got {}",
                chars(id)
            )));
        }
    }

    let per_second = cost::kling_unit_tenths_per_second(resolution, !videos.is_empty(), sound);
    Ok(TaskSpec {
        unit_tenths: per_second * duration,
        shots,
        resolution,
        aspect,
        sound,
        external_task_id,
        watermark: false,
        inputs: Vec::new(),
        elements: cited,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn omni(extra: Value) -> Value {
        let mut body = json!({
            "model_name": "kling-v3-omni",
            "multi_shot": true,
            "shot_type": "customize",
            "prompt": "",
            "multi_prompt": [
                {"index": 1, "prompt": "A door opens.", "duration": "4"},
                {"index": 2, "prompt": "A cat walks in.", "duration": "5"}
            ],
            "sound": "on",
            "mode": "pro",
            "aspect_ratio": "9:16",
            "duration": "9"
        });
        if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
            b.extend(e);
        }
        body
    }

    fn refused(body: Value) -> KlingError {
        create(CreateRoute::Omni, &body).expect_err("refused")
    }

    #[test]
    fn images_are_urls_or_raw_base64_of_a_jpeg_or_png() {
        use base64::Engine as _;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let png = b64(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        let jpeg = b64(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']);
        let with = |url: &str| omni(json!({"image_list": [{"image_url": url}]}));
        for ok in ["https://x/a.png", png.as_str(), jpeg.as_str()] {
            assert!(create(CreateRoute::Omni, &with(ok)).is_ok(), "{ok}");
        }
        let msg = |url: &str| refused(with(url)).message;
        assert!(msg(&format!("data:image/png;base64,{png}")).contains("without a data: prefix"));
        assert!(msg(&format!("upload:{}", "a".repeat(64)))
            .contains("neither an http(s) URL nor Base64"));
        assert!(msg(&b64(b"GIF89a....")).contains("not a JPEG or PNG"));
        assert!(msg("").contains("is required"));
    }

    #[test]
    fn a_good_request_is_read_whole() {
        let spec =
            create(CreateRoute::Omni, &omni(json!({"external_task_id": "k1"}))).expect("valid");
        assert_eq!(
            spec.shots,
            vec![(4, "A door opens.".into()), (5, "A cat walks in.".into())]
        );
        assert_eq!(spec.seconds(), 9);
        assert_eq!(spec.size(), (1080, 1920));
        assert!(spec.sound);
        // Omni pro with sound: 1.0 unit a second.
        assert_eq!(spec.unit_tenths, 90);
        assert_eq!(spec.external_task_id.as_deref(), Some("k1"));
    }

    #[test]
    fn durations_must_add_up() {
        let e = refused(omni(json!({"duration": "10"})));
        assert_eq!((e.http, e.code), (400, 1201));
        assert!(
            e.message.contains("add up to 9 s but duration is 10 s"),
            "{}",
            e.message
        );
    }

    #[test]
    fn numbers_where_kling_wants_strings_are_refused() {
        let e = refused(omni(json!({"duration": 9})));
        assert!(
            e.message.contains("duration must be a string"),
            "{}",
            e.message
        );
    }

    #[test]
    fn frames_are_accepted_with_multi_shot_since_2026_05() {
        let spec = create(
            CreateRoute::Omni,
            &omni(json!({"image_list": [
                {"image_url": "https://x/a.png", "type": "first_frame"},
                {"image_url": "https://x/b.png", "type": "end_frame"}
            ]})),
        )
        .expect("frames with multi-shot are accepted");
        assert_eq!(spec.shots.len(), 2);
        // An end frame alone is still refused.
        let e = refused(omni(
            json!({"image_list": [{"image_url": "https://x/a.png", "type": "end_frame"}]}),
        ));
        assert!(e.message.contains("needs a first_frame"), "{}", e.message);
    }

    #[test]
    fn sound_with_a_video_is_refused() {
        let e = refused(omni(json!({
            "duration": "9",
            "video_list": [{"video_url": "https://x/v.mp4", "refer_type": "feature"}]
        })));
        assert!(e.message.contains("sound must be off"), "{}", e.message);
    }

    #[test]
    fn citations_must_point_at_a_list_item() {
        let e = refused(omni(json!({
            "multi_prompt": [
                {"index": 1, "prompt": "<<<image_2>>> waves.", "duration": "4"},
                {"index": 2, "prompt": "Rain.", "duration": "5"}
            ],
            "image_list": [{"image_url": "https://x/a.png"}]
        })));
        assert!(e.message.contains("<<<image_2>>>"), "{}", e.message);
    }

    #[test]
    fn the_default_model_has_no_multi_shot() {
        let mut body = omni(json!({}));
        if let Value::Object(b) = &mut body {
            b.remove("model_name");
            b.insert("sound".into(), json!("off"));
        }
        let e = refused(body);
        assert!(e.message.contains("kling-video-o1"), "{}", e.message);
    }

    #[test]
    fn long_shot_prompts_are_refused_with_the_limit() {
        let long = "x".repeat(513);
        let e = refused(omni(json!({"multi_prompt": [
            {"index": 1, "prompt": long, "duration": "4"},
            {"index": 2, "prompt": "b", "duration": "5"}
        ]})));
        assert!(
            e.message.contains("at most 512 characters, got 513"),
            "{}",
            e.message
        );
    }

    #[test]
    fn too_many_references() {
        let images: Vec<Value> = (0..8)
            .map(|i| json!({"image_url": format!("https://x/{i}.png")}))
            .collect();
        let e = refused(omni(json!({"image_list": images})));
        assert!(e.message.contains("at most 7"), "{}", e.message);
    }

    #[test]
    fn image2video_needs_the_image_and_no_aspect() {
        let body = json!({
            "model_name": "kling-v3", "multi_shot": true, "shot_type": "customize",
            "multi_prompt": [{"index": 1, "prompt": "a", "duration": "3"}, {"index": 2, "prompt": "b", "duration": "2"}],
            "duration": "5", "image": "https://x/first.png"
        });
        let spec = create(CreateRoute::Image2Video, &body).expect("valid");
        assert_eq!(spec.resolution, Resolution::P720);
        let mut without = body.clone();
        if let Value::Object(b) = &mut without {
            b.remove("image");
        }
        assert!(create(CreateRoute::Image2Video, &without)
            .expect_err("refused")
            .message
            .contains("image (the first frame)"));
    }
}

//! The simulator's element and voice library (providers.md §0.5; Kling's
//! Element Management and Voice Management pages): the custom elements
//! and voices this account made, each behind the task that made it, and
//! Kling's presets. What is here is data and its JSON in Kling's shapes;
//! the calls are in `elements.rs` and `voices.rs`.
//!
//! Shapes follow Kling's response examples: `element_id` is a JSON number
//! (the example shows `"element_id": 0`; the simulator's ids stay below
//! 2^53 so a browser reads them exactly), `voice_id` a string of digits.
//! An element's `status` is `succeed`, or `deleted` once removed (it
//! stays in the list, as Kling's status enum suggests); a deleted voice
//! leaves the voice list (Kling documents no status for a voice).

use std::collections::HashMap;

use serde_json::{json, Value};

use super::task::{Life, Status};

/// Who owns what this account made (Kling's `owned_by`: `kling` for its
/// own library, else the creator's id).
pub const ACCOUNT_ID: &str = "10000001";
/// `owned_by` of Kling's presets.
pub const KLING: &str = "kling";
/// When the presets were made (2026-01-01), for their task times.
const PRESETS_MS: u64 = 1_767_225_600_000;

/// Kling's element tags (Element Management, `tag_list`).
pub const TAGS: [(&str, &str); 8] = [
    ("o_101", "Hottest"),
    ("o_102", "Character"),
    ("o_103", "Animal"),
    ("o_104", "Item"),
    ("o_105", "Costume"),
    ("o_106", "Scene"),
    ("o_107", "Effect"),
    ("o_108", "Others"),
];

/// How an element's look is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// `image_refer`: a frontal image and 1 to 3 more.
    Image,
    /// `video_refer`: one video of a person.
    Video,
}

impl Reference {
    pub fn as_str(self) -> &'static str {
        match self {
            Reference::Image => "image_refer",
            Reference::Video => "video_refer",
        }
    }
}

/// Where a picture or video of an element is: an address as given, or a
/// file the simulator serves itself (a Base64 image it was sent, a
/// preset's picture), by its path under the simulator's mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Url(String),
    Served(String),
}

impl Source {
    /// The address to answer with; `base` is the simulator's own
    /// (`http://host/sim/kling`).
    pub fn url(&self, base: &str) -> String {
        match self {
            Source::Url(u) => u.clone(),
            Source::Served(path) => format!("{base}/{path}"),
        }
    }
}

/// A voice: a preset of Kling's or one this account made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice {
    pub id: String,
    pub name: String,
    pub preset: bool,
}

impl Voice {
    /// `{voice_id, voice_name, trial_url, owned_by}`, Kling's voice
    /// object; the trial is a tone the simulator serves.
    pub fn json(&self, base: &str) -> Value {
        json!({
            "voice_id": self.id,
            "voice_name": self.name,
            "trial_url": format!("{base}/voices/{}.wav", self.id),
            "owned_by": if self.preset { KLING } else { ACCOUNT_ID },
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub reference: Reference,
    /// `image_refer`: the frontal image, then the others.
    pub frontal: Option<Source>,
    pub refers: Vec<Source>,
    /// `video_refer`: the video's address.
    pub video: Option<String>,
    /// The voice bound to it (`element_voice_id`, or cloned from the
    /// video), as it was when bound.
    pub voice: Option<Voice>,
    pub tags: Vec<String>,
    pub preset: bool,
}

impl Element {
    /// Kling's element object, with `status` `succeed` or `deleted`.
    pub fn json(&self, deleted: bool, base: &str) -> Value {
        let images = match &self.frontal {
            Some(frontal) => json!({
                "frontal_image": frontal.url(base),
                "refer_images": self
                    .refers
                    .iter()
                    .map(|s| json!({"image_url": s.url(base)}))
                    .collect::<Vec<_>>(),
            }),
            None => json!({}),
        };
        let videos = match &self.video {
            Some(url) => json!({"refer_videos": [{"video_url": url}]}),
            None => json!({}),
        };
        json!({
            "element_id": self.id,
            "element_name": self.name,
            "element_description": self.description,
            "reference_type": self.reference.as_str(),
            "element_image_list": images,
            "element_video_list": videos,
            "element_voice_info": self.voice.as_ref().map_or_else(|| json!({}), |v| v.json(base)),
            "tag_list": self.tags.iter().map(|t| json!({"tag_id": t})).collect::<Vec<_>>(),
            "owned_by": if self.preset { KLING } else { ACCOUNT_ID },
            "status": if deleted { "deleted" } else { "succeed" },
        })
    }
}

/// The task that makes an element.
#[derive(Debug, Clone)]
pub struct ElementTask {
    pub task_id: String,
    pub external_task_id: Option<String>,
    pub life: Life,
    pub element: Element,
    pub deleted: bool,
}

/// The task that makes a voice (from `voice_url`, a `video_id`, or an
/// element's video).
#[derive(Debug, Clone)]
pub struct VoiceTask {
    pub task_id: String,
    pub external_task_id: Option<String>,
    pub life: Life,
    pub voice: Voice,
    /// What it was made from, for the test controls.
    pub source: String,
    pub deleted: bool,
}

/// What every task answer of these calls holds: ids, status, times.
fn task_head(
    task_id: &str,
    external: &Option<String>,
    life: &Life,
    now_ms: u64,
) -> (Status, Value) {
    let status = life.status_at(now_ms);
    let data = json!({
        "task_id": task_id,
        "task_status": status.as_str(),
        "task_status_msg": life.failure_at(now_ms),
        "task_info": {"external_task_id": external.clone().unwrap_or_default()},
        "created_at": life.created_ms,
        "updated_at": life.updated_at(now_ms),
    });
    (status, data)
}

/// `final_unit_deduction` and `final_balance_deduction`: `units` once
/// succeeded, nothing for a failed task; no cash on this account.
fn charge(data: &mut Value, units: &str) {
    data["final_unit_deduction"] = json!(units);
    data["final_balance_deduction"] = json!({"quota": "0", "list_price": "0"});
}

impl ElementTask {
    /// The `data` of a create answer.
    pub fn created_json(&self) -> Value {
        json!({
            "task_id": self.task_id,
            "task_info": {"external_task_id": self.external_task_id.clone().unwrap_or_default()},
            "task_status": Status::Submitted.as_str(),
            "created_at": self.life.created_ms,
            "updated_at": self.life.created_ms,
        })
    }

    /// The `data` of a query answer, and an item of the list. Kling
    /// documents no price for an element: it charges 0 units here.
    pub fn json(&self, now_ms: u64, base: &str) -> Value {
        let (status, mut data) =
            task_head(&self.task_id, &self.external_task_id, &self.life, now_ms);
        match status {
            Status::Succeed => {
                data["task_result"] = json!({"elements": [self.element.json(self.deleted, base)]});
                charge(&mut data, "0");
            }
            Status::Failed => charge(&mut data, "0"),
            _ => {}
        }
        data
    }
}

/// A custom voice costs 0.05 units (providers.md §0.5).
pub const VOICE_UNITS: &str = "0.05";

impl VoiceTask {
    pub fn created_json(&self) -> Value {
        json!({
            "task_id": self.task_id,
            "task_info": {"external_task_id": self.external_task_id.clone().unwrap_or_default()},
            "task_status": Status::Submitted.as_str(),
            "created_at": self.life.created_ms,
            "updated_at": self.life.created_ms,
        })
    }

    pub fn json(&self, now_ms: u64, base: &str) -> Value {
        let (status, mut data) =
            task_head(&self.task_id, &self.external_task_id, &self.life, now_ms);
        match status {
            Status::Succeed => {
                data["task_result"] = json!({"voices": [self.voice.json(base)]});
                charge(&mut data, VOICE_UNITS);
            }
            Status::Failed => charge(&mut data, "0"),
            _ => {}
        }
        data
    }
}

/// Kling's preset voices as the simulator has them: (id, name).
const PRESET_VOICES: [(&str, &str); 4] = [
    ("829000000000000001", "Warm Narrator"),
    ("829000000000000002", "Bright Child"),
    ("829000000000000003", "Gravel Baritone"),
    ("829000000000000004", "Calm Alto"),
];

pub fn preset_voices() -> Vec<Voice> {
    PRESET_VOICES
        .iter()
        .map(|(id, name)| Voice {
            id: id.to_string(),
            name: name.to_string(),
            preset: true,
        })
        .collect()
}

/// Kling's preset elements as the simulator has them: (id, name,
/// description, tag, bound preset voice).
const PRESET_ELEMENTS: [(u64, &str, &str, &str, Option<usize>); 6] = [
    (
        880_000_000_001,
        "Harbour Keeper",
        "An old lighthouse keeper in a yellow raincoat, grey beard",
        "o_102",
        Some(2),
    ),
    (
        880_000_000_002,
        "Red Fox",
        "A red fox with a white-tipped tail",
        "o_103",
        None,
    ),
    (
        880_000_000_003,
        "Brass Lantern",
        "A dented brass storm lantern with a warm flame",
        "o_104",
        None,
    ),
    (
        880_000_000_004,
        "Night Market",
        "A lane of food stalls under strings of paper lanterns",
        "o_106",
        None,
    ),
    (
        880_000_000_005,
        "Denim Jacket",
        "A faded blue denim jacket with brass buttons",
        "o_105",
        None,
    ),
    (
        880_000_000_006,
        "Spark Burst",
        "A burst of golden sparks",
        "o_107",
        None,
    ),
];

/// The ids of Kling's preset elements (a video request may cite them).
pub fn preset_element_ids() -> impl Iterator<Item = u64> {
    PRESET_ELEMENTS.iter().map(|p| p.0)
}

pub fn preset_elements() -> Vec<Element> {
    let voices = preset_voices();
    PRESET_ELEMENTS
        .iter()
        .map(|&(id, name, description, tag, voice)| Element {
            id,
            name: name.to_string(),
            description: description.to_string(),
            reference: Reference::Image,
            frontal: Some(Source::Served(format!("elements/{id}/frontal.png"))),
            refers: vec![Source::Served(format!("elements/{id}/refer-1.png"))],
            video: None,
            voice: voice.and_then(|i| voices.get(i).cloned()),
            tags: vec![tag.to_string()],
            preset: true,
        })
        .collect()
}

/// A preset element as an item of the preset list: a finished task.
pub fn preset_element_json(element: &Element, base: &str) -> Value {
    json!({
        "task_id": element.id.to_string(),
        "task_status": Status::Succeed.as_str(),
        "task_status_msg": "",
        "task_info": {"external_task_id": ""},
        "task_result": {"elements": [element.json(false, base)]},
        "created_at": PRESETS_MS,
        "updated_at": PRESETS_MS,
    })
}

/// A preset voice as an item of the preset list.
pub fn preset_voice_json(voice: &Voice, base: &str) -> Value {
    json!({
        "task_id": voice.id,
        "task_status": Status::Succeed.as_str(),
        "task_status_msg": "",
        "created_at": PRESETS_MS,
        "updated_at": PRESETS_MS,
        "task_result": {"voices": [voice.json(base)]},
    })
}

/// A picture the simulator serves for an element.
#[derive(Debug, Clone)]
pub struct Picture {
    pub content_type: &'static str,
    pub bytes: bytes::Bytes,
}

/// Custom elements and voices, and the pictures sent inline.
#[derive(Default)]
pub struct Library {
    pub elements: Vec<ElementTask>,
    pub voices: Vec<VoiceTask>,
    /// Base64 images of custom elements, by their path under the mount.
    pub pictures: HashMap<String, Picture>,
    made_elements: u64,
    made_voices: u64,
}

/// The first custom element id; presets are below it.
const FIRST_ELEMENT_ID: u64 = 890_000_000_001;

impl Library {
    pub fn new_element_id(&mut self) -> u64 {
        self.made_elements += 1;
        FIRST_ELEMENT_ID + self.made_elements - 1
    }

    /// A voice id: 18 digits, like Kling's (`850087542757535834`).
    pub fn new_voice_id(&mut self) -> String {
        self.made_voices += 1;
        format!("85{:016}", self.made_voices)
    }

    /// Whether a video request may cite element `id` now: a preset, or a
    /// custom element that is made and not deleted. `Err` says why not.
    pub fn check_element(&self, id: &str, now_ms: u64) -> Result<(), String> {
        if preset_element_ids().any(|p| p.to_string() == id) {
            return Ok(());
        }
        let Some(task) = self
            .elements
            .iter()
            .find(|t| t.element.id.to_string() == id)
        else {
            return Err(format!(
                "no element has the id {id}; cite one you created \
                 (GET /v1/general/advanced-custom-elements) or a preset \
                 (GET /v1/general/advanced-presets-elements)"
            ));
        };
        match task.life.status_at(now_ms) {
            Status::Succeed if task.deleted => Err(format!("element {id} was deleted")),
            Status::Succeed => Ok(()),
            Status::Failed => Err(format!(
                "element {id} was never made: its task {} failed",
                task.task_id
            )),
            status => Err(format!(
                "element {id} is not ready yet: its task {} is {}",
                task.task_id,
                status.as_str()
            )),
        }
    }

    /// The voice `id` for an element to bind, if it may: a preset, or a
    /// custom voice that is made and not deleted.
    pub fn voice_to_bind(&self, id: &str, now_ms: u64) -> Result<Voice, String> {
        if let Some(v) = preset_voices().into_iter().find(|v| v.id == id) {
            return Ok(v);
        }
        let Some(task) = self.voices.iter().find(|t| t.voice.id == id) else {
            return Err(format!(
                "no voice has the id {id}; use one from GET /v1/general/custom-voices \
                 or GET /v1/general/presets-voices"
            ));
        };
        match task.life.status_at(now_ms) {
            Status::Succeed if task.deleted => Err(format!("voice {id} was deleted")),
            Status::Succeed => Ok(task.voice.clone()),
            Status::Failed => Err(format!(
                "voice {id} was never made: its task {} failed",
                task.task_id
            )),
            status => Err(format!(
                "voice {id} is not ready yet: its task {} is {}",
                task.task_id,
                status.as_str()
            )),
        }
    }

    /// An element task by its task id, or else by its external id
    /// (Kling's query takes either in the path).
    pub fn element_task(&self, id: &str) -> Option<&ElementTask> {
        self.elements.iter().find(|t| t.task_id == id).or_else(|| {
            self.elements
                .iter()
                .find(|t| t.external_task_id.as_deref() == Some(id))
        })
    }

    /// A voice task by its task id, or else by its external id.
    pub fn voice_task(&self, id: &str) -> Option<&VoiceTask> {
        self.voices.iter().find(|t| t.task_id == id).or_else(|| {
            self.voices
                .iter()
                .find(|t| t.external_task_id.as_deref() == Some(id))
        })
    }

    /// Whether an element or voice task already has external id `key`.
    pub fn external_id_taken(&self, key: &str) -> bool {
        self.elements
            .iter()
            .any(|t| t.external_task_id.as_deref() == Some(key))
            || self
                .voices
                .iter()
                .any(|t| t.external_task_id.as_deref() == Some(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::task::Outcome;

    fn life(outcome: Outcome) -> Life {
        Life {
            created_ms: 1_000,
            submit_ms: 10,
            process_ms: 10,
            outcome,
        }
    }

    fn element_task(lib: &mut Library, outcome: Outcome) -> ElementTask {
        ElementTask {
            task_id: "t1".into(),
            external_task_id: Some("k1".into()),
            life: life(outcome),
            element: Element {
                id: lib.new_element_id(),
                name: "Mia".into(),
                description: "A girl in a red coat".into(),
                reference: Reference::Image,
                frontal: Some(Source::Url("https://x/f.png".into())),
                refers: vec![Source::Served("elements/1/refer-1.png".into())],
                video: None,
                voice: preset_voices().into_iter().next(),
                tags: vec!["o_102".into()],
                preset: false,
            },
            deleted: false,
        }
    }

    #[test]
    fn an_element_task_shows_its_element_once_made() {
        let mut lib = Library::default();
        let t = element_task(&mut lib, Outcome::Succeed);
        let early = t.json(1_005, "http://h/sim/kling");
        assert_eq!(early["task_status"], "submitted");
        assert!(early.get("task_result").is_none());
        let done = t.json(2_000, "http://h/sim/kling");
        assert_eq!(done["task_status"], "succeed");
        let e = &done["task_result"]["elements"][0];
        assert_eq!(e["element_id"], FIRST_ELEMENT_ID);
        assert_eq!(e["element_image_list"]["frontal_image"], "https://x/f.png");
        assert_eq!(
            e["element_image_list"]["refer_images"][0]["image_url"],
            "http://h/sim/kling/elements/1/refer-1.png"
        );
        assert_eq!(e["element_voice_info"]["voice_id"], "829000000000000001");
        assert_eq!(
            e["element_voice_info"]["trial_url"],
            "http://h/sim/kling/voices/829000000000000001.wav"
        );
        assert_eq!(e["tag_list"], json!([{"tag_id": "o_102"}]));
        assert_eq!(e["owned_by"], ACCOUNT_ID);
        assert_eq!(e["status"], "succeed");
        assert_eq!(done["task_info"]["external_task_id"], "k1");
    }

    #[test]
    fn elements_are_checked_for_citing() {
        let mut lib = Library::default();
        let t = element_task(&mut lib, Outcome::Succeed);
        let id = t.element.id.to_string();
        lib.elements.push(t);
        assert!(lib
            .check_element(&id, 1_005)
            .unwrap_err()
            .contains("not ready yet"));
        assert!(lib.check_element(&id, 2_000).is_ok());
        assert!(lib.check_element("880000000001", 0).is_ok());
        assert!(lib
            .check_element("42", 0)
            .unwrap_err()
            .contains("no element has the id 42"));
        lib.elements[0].deleted = true;
        assert_eq!(
            lib.check_element(&id, 2_000).unwrap_err(),
            format!("element {id} was deleted")
        );
    }

    #[test]
    fn tasks_are_found_by_either_id() {
        let mut lib = Library::default();
        let t = element_task(&mut lib, Outcome::Fail("no face".into()));
        lib.elements.push(t);
        assert!(lib.element_task("t1").is_some());
        assert!(lib.element_task("k1").is_some());
        assert!(lib.element_task("k2").is_none());
        assert!(lib.external_id_taken("k1"));
        let failed = lib.elements[0].json(2_000, "b");
        assert_eq!(failed["task_status"], "failed");
        assert_eq!(failed["task_status_msg"], "no face");
    }

    #[test]
    fn ids_look_like_klings() {
        let mut lib = Library::default();
        assert_eq!(lib.new_voice_id(), "850000000000000001");
        assert_eq!(lib.new_voice_id().len(), 18);
        assert!(lib.new_element_id() < (1 << 53));
        assert!(preset_element_ids().all(|p| p < FIRST_ELEMENT_ID));
    }
}

//! Kling's `/v1/general/...` answers: elements and voices (Kling's Element
//! and Voice Management pages, providers.md §0.5).
//!
//! The envelope `{code, message, request_id, data}` and the error table
//! are the video tasks' ([`super::kling`]); a refused call is a
//! [`Failure`] read by the same code. A task is `{task_id, task_status,
//! task_status_msg, task_info.external_task_id, task_result,
//! final_unit_deduction}` with statuses `submitted` → `processing` →
//! `succeed` | `failed`. A made element is `task_result.elements[0]`, a
//! made voice `task_result.voices[0]`.
//!
//! Kling's examples show `element_id` as a number; it is read as a string
//! of digits (a string of digits is read too), like element ids on a
//! board.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::kling::{envelope, number_text, Envelope};
use super::{opt_object, opt_string, string, Charged, Failure, FailureCategory, ParseError, Scope};
use crate::character::{Character, ElementStatus, Look, Tag, Voice, VoiceSource};

/// A task's `task_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Submitted,
    Processing,
    Succeed,
    Failed,
}

impl TaskStatus {
    fn parse(text: &str) -> Result<TaskStatus, ParseError> {
        match text {
            "submitted" => Ok(TaskStatus::Submitted),
            "processing" => Ok(TaskStatus::Processing),
            "succeed" => Ok(TaskStatus::Succeed),
            "failed" => Ok(TaskStatus::Failed),
            other => Err(ParseError::UnknownStatus(other.to_string())),
        }
    }
}

/// A create call Kling accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    pub task_id: String,
    /// `task_info.external_task_id`, as echoed.
    pub external_id: Option<String>,
    pub status: TaskStatus,
}

/// The answer to a create call (element or voice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum CreateAnswer {
    Accepted(Created),
    Refused(Failure),
}

/// Where a creation task stands, with what it made once it succeeded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum TaskState<T> {
    Submitted,
    Processing,
    Succeeded {
        made: T,
    },
    /// The task failed; `reason.message` is Kling's `task_status_msg`.
    Failed {
        reason: Failure,
    },
}

/// One creation task (element or voice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneralTask<T> {
    pub task_id: String,
    pub external_id: Option<String>,
    pub state: TaskState<T>,
    /// `final_unit_deduction`, when Kling says.
    pub charged_units: Option<f64>,
}

/// The answer to a query by task id or by `external_task_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Queried<T> {
    Found(GeneralTask<T>),
    /// The call was refused ([`Scope::Request`]): not the task's failure.
    Refused(Failure),
}

/// A list answer (yours or Kling's presets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Browse<T> {
    Items(Vec<T>),
    Refused(Failure),
}

/// The answer to a delete call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum DeleteAnswer {
    Accepted { task_id: String, status: TaskStatus },
    Refused(Failure),
}

/// Who made an element or a voice (`owned_by`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by", content = "id")]
pub enum OwnedBy {
    /// Kling's own library (presets).
    Kling,
    /// A creator: this account or another, by its id.
    Creator(String),
    /// Kling did not say.
    Unknown,
}

impl OwnedBy {
    fn of(value: Option<&Value>) -> OwnedBy {
        match value {
            Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("kling") => OwnedBy::Kling,
            Some(Value::String(s)) if !s.trim().is_empty() => OwnedBy::Creator(s.trim().into()),
            Some(Value::Number(n)) => OwnedBy::Creator(n.to_string()),
            _ => OwnedBy::Unknown,
        }
    }
}

/// An element's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementState {
    Succeed,
    Deleted,
}

/// An element as a list or a query shows it, to browse and to pick into
/// the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementSummary {
    /// A string of digits.
    pub element_id: String,
    pub name: String,
    pub description: String,
    /// The first of its tags that is a kind ([`Tag`]); Kling's "Hottest"
    /// is not one.
    pub tag: Option<Tag>,
    pub frontal_image_url: Option<String>,
    /// The other images' URLs.
    pub other_urls: Vec<String>,
    /// A video element's video.
    pub video_url: Option<String>,
    pub voice: Option<Voice>,
    pub owned_by: OwnedBy,
    pub status: ElementState,
}

impl ElementSummary {
    /// What the element looks like, for the library: its images (a
    /// frontal one and others) or its video; `None` when Kling showed
    /// neither.
    pub fn look(&self) -> Option<Look> {
        if let Some(frontal) = &self.frontal_image_url {
            return Some(Look::Images {
                frontal: frontal.clone(),
                others: self.other_urls.clone(),
            });
        }
        self.video_url
            .as_ref()
            .map(|src| Look::Video { src: src.clone() })
    }

    /// A library character for this element, with the library id `id`
    /// (the app makes it); `None` when Kling showed no picture of it.
    pub fn character(&self, id: String, updated_ms: u64) -> Option<Character> {
        Some(Character {
            id,
            name: self.name.clone(),
            description: self.description.clone(),
            tag: self.tag.unwrap_or(Tag::Other),
            look: self.look()?,
            voice: self.voice.clone(),
            element: match self.status {
                ElementState::Succeed => ElementStatus::Ready {
                    element_id: self.element_id.clone(),
                },
                ElementState::Deleted => ElementStatus::Deleted {
                    element_id: self.element_id.clone(),
                },
            },
            updated_ms,
        })
    }
}

/// A voice as a list or a query shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceSummary {
    pub voice_id: String,
    pub name: String,
    /// Kling's trial audio.
    pub trial_url: Option<String>,
    pub owned_by: OwnedBy,
}

impl VoiceSummary {
    /// The voice to bind to a character: a preset when Kling owns it,
    /// else `source`.
    pub fn voice(&self, source: VoiceSource) -> Voice {
        Voice {
            voice_id: self.voice_id.clone(),
            name: self.name.clone(),
            source: if self.owned_by == OwnedBy::Kling {
                VoiceSource::Preset
            } else {
                source
            },
            trial_url: self.trial_url.clone(),
        }
    }
}

/// Reads the answer to `POST /v1/general/advanced-custom-elements` or
/// `POST /v1/general/custom-voices`.
pub fn parse_create(status: u16, body: &str) -> Result<CreateAnswer, ParseError> {
    match envelope(status, body)? {
        Envelope::Refused(failure) => Ok(CreateAnswer::Refused(failure)),
        Envelope::Data(data) => {
            let task = data_object(&data)?;
            Ok(CreateAnswer::Accepted(Created {
                task_id: task_id(task)?,
                external_id: external_id(task),
                status: TaskStatus::parse(string(task, "task_status")?)?,
            }))
        }
    }
}

/// Reads the answer to `GET /v1/general/advanced-custom-elements/{id}`.
pub fn parse_element_query(status: u16, body: &str) -> Result<Queried<ElementSummary>, ParseError> {
    query(status, body, first_element)
}

/// Reads the answer to `GET /v1/general/custom-voices/{id}`.
pub fn parse_voice_query(status: u16, body: &str) -> Result<Queried<VoiceSummary>, ParseError> {
    query(status, body, first_voice)
}

/// Reads the answer to `GET /v1/general/advanced-custom-elements` (yours)
/// or `GET /v1/general/advanced-presets-elements` (Kling's): every element
/// of every task that succeeded, deleted ones included (their status
/// says so).
pub fn parse_element_list(status: u16, body: &str) -> Result<Browse<ElementSummary>, ParseError> {
    browse(status, body, "elements", element_of)
}

/// Reads the answer to `GET /v1/general/custom-voices` (yours) or
/// `GET /v1/general/presets-voices` (Kling's).
pub fn parse_voice_list(status: u16, body: &str) -> Result<Browse<VoiceSummary>, ParseError> {
    browse(status, body, "voices", voice_of)
}

/// Reads the answer to `POST /v1/general/delete-advanced-elements` or
/// `POST /v1/general/delete-voices`.
pub fn parse_delete(status: u16, body: &str) -> Result<DeleteAnswer, ParseError> {
    match envelope(status, body)? {
        Envelope::Refused(failure) => Ok(DeleteAnswer::Refused(failure)),
        Envelope::Data(data) => {
            let task = data_object(&data)?;
            Ok(DeleteAnswer::Accepted {
                task_id: task_id(task)?,
                status: TaskStatus::parse(string(task, "task_status")?)?,
            })
        }
    }
}

fn data_object(data: &Value) -> Result<&Map<String, Value>, ParseError> {
    data.as_object().ok_or(ParseError::WrongType {
        field: "data",
        expected: "an object",
    })
}

/// `task_id`, a string (or a number, read as its digits).
fn task_id(task: &Map<String, Value>) -> Result<String, ParseError> {
    match task.get("task_id") {
        Some(Value::Number(n)) if n.is_u64() => Ok(n.to_string()),
        _ => Ok(string(task, "task_id")?.to_string()),
    }
}

fn external_id(task: &Map<String, Value>) -> Option<String> {
    opt_object(task, "task_info")
        .and_then(|info| opt_string(info, "external_task_id"))
        .filter(|k| !k.is_empty())
}

fn query<T>(
    status: u16,
    body: &str,
    made: fn(&Map<String, Value>) -> Result<T, ParseError>,
) -> Result<Queried<T>, ParseError> {
    match envelope(status, body)? {
        Envelope::Refused(failure) => Ok(Queried::Refused(failure)),
        Envelope::Data(data) => Ok(Queried::Found(task_of(data_object(&data)?, made)?)),
    }
}

fn task_of<T>(
    task: &Map<String, Value>,
    made: fn(&Map<String, Value>) -> Result<T, ParseError>,
) -> Result<GeneralTask<T>, ParseError> {
    let charged_units = number_text(task.get("final_unit_deduction"));
    let state = match TaskStatus::parse(string(task, "task_status")?)? {
        TaskStatus::Submitted => TaskState::Submitted,
        TaskStatus::Processing => TaskState::Processing,
        TaskStatus::Succeed => TaskState::Succeeded { made: made(task)? },
        TaskStatus::Failed => TaskState::Failed {
            reason: Failure {
                category: FailureCategory::Unknown,
                scope: Scope::Task,
                http_status: None,
                code: None,
                message: opt_string(task, "task_status_msg").unwrap_or_default(),
                retryable: false,
                charged: charged_units.map_or(Charged::Unknown, Charged::Units),
            },
        },
    };
    Ok(GeneralTask {
        task_id: task_id(task)?,
        external_id: external_id(task),
        state,
        charged_units,
    })
}

/// The items of `task_result.<field>`, each an object.
fn results<'a>(
    task: &'a Map<String, Value>,
    field: &'static str,
) -> Result<Vec<&'a Map<String, Value>>, ParseError> {
    let list = opt_object(task, "task_result")
        .and_then(|r| r.get(field))
        .ok_or(ParseError::Missing(match field {
            "elements" => "task_result.elements",
            _ => "task_result.voices",
        }))?
        .as_array()
        .ok_or(ParseError::WrongType {
            field: "task_result",
            expected: "a list of results",
        })?;
    list.iter()
        .map(|v| {
            v.as_object().ok_or(ParseError::WrongType {
                field: "task_result[]",
                expected: "an object",
            })
        })
        .collect()
}

fn first_element(task: &Map<String, Value>) -> Result<ElementSummary, ParseError> {
    let first = results(task, "elements")?
        .into_iter()
        .next()
        .ok_or(ParseError::Missing("task_result.elements[0]"))?;
    element_of(first)
}

fn first_voice(task: &Map<String, Value>) -> Result<VoiceSummary, ParseError> {
    let first = results(task, "voices")?
        .into_iter()
        .next()
        .ok_or(ParseError::Missing("task_result.voices[0]"))?;
    voice_of(first)
}

fn browse<T>(
    status: u16,
    body: &str,
    field: &'static str,
    item: fn(&Map<String, Value>) -> Result<T, ParseError>,
) -> Result<Browse<T>, ParseError> {
    let data = match envelope(status, body)? {
        Envelope::Refused(failure) => return Ok(Browse::Refused(failure)),
        Envelope::Data(data) => data,
    };
    let tasks = data.as_array().ok_or(ParseError::WrongType {
        field: "data",
        expected: "an array",
    })?;
    let mut items = Vec::new();
    for task in tasks {
        let task = task.as_object().ok_or(ParseError::WrongType {
            field: "data[]",
            expected: "an object",
        })?;
        // Presets may leave the status out; a task still being made or
        // failed has nothing to show.
        let status = match task.get("task_status") {
            None | Some(Value::Null) => TaskStatus::Succeed,
            Some(_) => TaskStatus::parse(string(task, "task_status")?)?,
        };
        if status != TaskStatus::Succeed {
            continue;
        }
        for result in results(task, field)? {
            items.push(item(result)?);
        }
    }
    Ok(Browse::Items(items))
}

/// An element id: a non-negative integer, or a string of digits.
fn element_id(element: &Map<String, Value>) -> Result<String, ParseError> {
    let wrong = ParseError::WrongType {
        field: "element_id",
        expected: "a string of digits",
    };
    match element.get("element_id") {
        None | Some(Value::Null) => Err(ParseError::Missing("element_id")),
        Some(Value::Number(n)) => n.as_u64().map(|n| n.to_string()).ok_or(wrong),
        Some(Value::String(s)) => {
            let s = s.trim();
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                Ok(s.to_string())
            } else {
                Err(wrong)
            }
        }
        Some(_) => Err(wrong),
    }
}

fn element_of(element: &Map<String, Value>) -> Result<ElementSummary, ParseError> {
    let element_id = element_id(element)?;
    let images = opt_object(element, "element_image_list");
    let frontal_image_url = images
        .and_then(|i| opt_string(i, "frontal_image"))
        .filter(|u| !u.is_empty());
    let other_urls = images
        .and_then(|i| i.get("refer_images"))
        .and_then(Value::as_array)
        .map(|list| urls(list, "image_url"))
        .unwrap_or_default();
    let video_url = opt_object(element, "element_video_list")
        .and_then(|v| v.get("refer_videos"))
        .and_then(Value::as_array)
        .and_then(|list| urls(list, "video_url").into_iter().next());
    let video = element.get("reference_type").and_then(Value::as_str) == Some("video_refer");
    let voice = opt_object(element, "element_voice_info")
        .and_then(|info| voice_of(info).ok())
        .map(|v| {
            v.voice(if video {
                VoiceSource::Cloned
            } else {
                VoiceSource::Custom
            })
        });
    let tag = element
        .get("tag_list")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("tag_id").and_then(Value::as_str))
        .find_map(Tag::from_kling_id);
    let status = match element.get("status") {
        None | Some(Value::Null) => ElementState::Succeed,
        Some(Value::String(s)) if s == "succeed" => ElementState::Succeed,
        Some(Value::String(s)) if s == "deleted" => ElementState::Deleted,
        Some(Value::String(s)) => return Err(ParseError::UnknownStatus(s.clone())),
        Some(_) => {
            return Err(ParseError::WrongType {
                field: "status",
                expected: "a string",
            })
        }
    };
    Ok(ElementSummary {
        element_id,
        name: opt_string(element, "element_name").unwrap_or_default(),
        description: opt_string(element, "element_description").unwrap_or_default(),
        tag,
        frontal_image_url,
        other_urls,
        video_url,
        voice,
        owned_by: OwnedBy::of(element.get("owned_by")),
        status,
    })
}

/// The non-empty `field` strings of a list of objects.
fn urls(list: &[Value], field: &str) -> Vec<String> {
    list.iter()
        .filter_map(|item| item.get(field).and_then(Value::as_str))
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect()
}

fn voice_of(voice: &Map<String, Value>) -> Result<VoiceSummary, ParseError> {
    let voice_id = match voice.get("voice_id") {
        Some(Value::Number(n)) if n.is_u64() => n.to_string(),
        _ => string(voice, "voice_id")?.to_string(),
    };
    if voice_id.trim().is_empty() {
        return Err(ParseError::Missing("voice_id"));
    }
    Ok(VoiceSummary {
        voice_id,
        name: opt_string(voice, "voice_name").unwrap_or_default(),
        trial_url: opt_string(voice, "trial_url").filter(|u| !u.is_empty()),
        owned_by: OwnedBy::of(voice.get("owned_by")),
    })
}

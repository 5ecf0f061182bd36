//! Kling's answers (providers.md §1.8–1.10): `{code, message, request_id,
//! data}`, where a non-zero `code` is an error from the table of §1.10 and
//! `data` is one task (create, query) or a list of tasks (list).
//!
//! Task statuses: `submitted` → `processing` → `succeed` | `failed` (note
//! the spelling `succeed`). The result video is `task_result.videos[0].url`;
//! its `duration` and the task's `final_unit_deduction` are strings.
//!
//! This is the legacy design (`/v1/videos/omni-video`); the current one
//! (`/omni-video/kling-3.0-omni` and `/tasks`) is read by
//! [`super::kling_current`], with the same envelope and error codes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    is_success, object, opt_object, opt_string, snippet, string, Charge, Charged, Failure,
    FailureCategory, JobState, ParseError, Scope, Submission, Ticket,
};

/// The category of a Kling business code, and whether trying again later
/// may help (§1.10).
pub fn classify(code: i64) -> (FailureCategory, bool) {
    match code {
        1000..=1004 => (FailureCategory::Auth, false),
        1100 | 1103 | 1304 => (FailureCategory::Denied, false),
        1101 | 1102 => (FailureCategory::Balance, false),
        1200 | 1201 => (FailureCategory::InvalidRequest, false),
        1202 | 1203 => (FailureCategory::NotFound, false),
        1300 | 1301 => (FailureCategory::ContentSafety, false),
        1302 => (FailureCategory::RateLimited, true),
        1303 => (FailureCategory::Concurrency, true),
        5000..=5002 => (FailureCategory::Server, true),
        _ => (FailureCategory::Unknown, false),
    }
}

/// A call refused with a non-zero business code. Nothing was charged: no
/// task was created (or, for a query, the task is not what failed).
pub fn code_failure(code: i64, message: String, http_status: u16) -> Failure {
    let (category, retryable) = classify(code);
    Failure {
        category,
        scope: Scope::Request,
        http_status: Some(http_status),
        code: Some(code.to_string()),
        message,
        retryable,
        charged: Charged::Nothing,
    }
}

/// Either the `data` of a `code: 0` answer, or the failure the answer
/// stands for.
pub(super) enum Envelope {
    Data(Value),
    Refused(Failure),
}

pub(super) fn envelope(status: u16, body: &str) -> Result<Envelope, ParseError> {
    let map = match object(body) {
        Ok(map) => map,
        // A gateway error page, or an empty body: the HTTP status is all
        // there is.
        Err(_) if !is_success(status) => {
            return Ok(Envelope::Refused(Failure::from_http(status, snippet(body))))
        }
        Err(e) => return Err(e),
    };
    let message = opt_string(&map, "message").unwrap_or_default();
    let code = match map.get("code") {
        Some(Value::Number(n)) => n.as_i64().ok_or(ParseError::WrongType {
            field: "code",
            expected: "an integer",
        })?,
        Some(Value::String(s)) => s.trim().parse().map_err(|_| ParseError::WrongType {
            field: "code",
            expected: "an integer",
        })?,
        None | Some(Value::Null) if !is_success(status) => {
            return Ok(Envelope::Refused(Failure::from_http(status, message)))
        }
        None | Some(Value::Null) => return Err(ParseError::Missing("code")),
        Some(_) => {
            return Err(ParseError::WrongType {
                field: "code",
                expected: "an integer",
            })
        }
    };
    if code != 0 {
        return Ok(Envelope::Refused(code_failure(code, message, status)));
    }
    if !is_success(status) {
        return Ok(Envelope::Refused(Failure::from_http(status, message)));
    }
    match map.get("data") {
        None | Some(Value::Null) => Err(ParseError::Missing("data")),
        Some(data) => Ok(Envelope::Data(data.clone())),
    }
}

/// Reads the answer to `POST /v1/videos/omni-video` (or image2video).
pub fn parse_create(status: u16, body: &str) -> Result<Submission, ParseError> {
    submission(status, body, task_of)
}

/// A create answer whose `data` is one task, read by `task_of` (the two
/// designs name a task's fields differently).
pub(super) fn submission(
    status: u16,
    body: &str,
    task_of: fn(&Map<String, Value>) -> Result<ListedTask, ParseError>,
) -> Result<Submission, ParseError> {
    match envelope(status, body)? {
        Envelope::Refused(failure) => Ok(Submission::Refused(failure)),
        Envelope::Data(data) => {
            let task = data.as_object().ok_or(ParseError::WrongType {
                field: "data",
                expected: "an object",
            })?;
            let listed = task_of(task)?;
            Ok(Submission::Accepted(Ticket {
                remote_id: listed.remote_id,
                external_id: listed.external_id,
                status_url: None,
                result_url: None,
                cancel_url: None,
                state: listed.state,
            }))
        }
    }
}

/// Reads the answer to `GET /v1/videos/omni-video/{task_id}`. A refused
/// query (non-zero `code`, HTTP error) comes back as
/// [`JobState::Failed`] with [`Scope::Request`]: the lookup failed, not
/// necessarily the task.
pub fn parse_query(status: u16, body: &str) -> Result<JobState, ParseError> {
    match envelope(status, body)? {
        Envelope::Refused(reason) => Ok(JobState::Failed { reason }),
        Envelope::Data(data) => {
            let task = data.as_object().ok_or(ParseError::WrongType {
                field: "data",
                expected: "an object",
            })?;
            Ok(task_of(task)?.state)
        }
    }
}

/// One task of a list answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedTask {
    pub remote_id: String,
    /// `task_info.external_task_id`: the key the job was created with.
    pub external_id: Option<String>,
    pub state: JobState,
}

/// The answer to the list call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Listing {
    Tasks(Vec<ListedTask>),
    Refused(Failure),
}

impl Listing {
    /// The task created with this key, if the list holds it.
    pub fn find_by_key(&self, key: &str) -> Option<&ListedTask> {
        match self {
            Listing::Tasks(tasks) => tasks.iter().find(|t| t.external_id.as_deref() == Some(key)),
            Listing::Refused(_) => None,
        }
    }
}

/// Reads the answer to `GET /v1/videos/omni-video` (the list call: `data`
/// is an array of task objects).
pub fn parse_list(status: u16, body: &str) -> Result<Listing, ParseError> {
    listing(status, body, task_of)
}

/// A `data` array of tasks, each read by `task_of` (the two designs name
/// a task's fields differently).
pub(super) fn listing(
    status: u16,
    body: &str,
    task_of: fn(&Map<String, Value>) -> Result<ListedTask, ParseError>,
) -> Result<Listing, ParseError> {
    match envelope(status, body)? {
        Envelope::Refused(failure) => Ok(Listing::Refused(failure)),
        Envelope::Data(Value::Array(items)) => {
            let mut tasks = Vec::with_capacity(items.len());
            for item in &items {
                let task = item.as_object().ok_or(ParseError::WrongType {
                    field: "data[]",
                    expected: "an object",
                })?;
                tasks.push(task_of(task)?);
            }
            Ok(Listing::Tasks(tasks))
        }
        Envelope::Data(_) => Err(ParseError::WrongType {
            field: "data",
            expected: "an array",
        }),
    }
}

/// A task object (create, query, list entry, callback).
fn task_of(task: &Map<String, Value>) -> Result<ListedTask, ParseError> {
    let remote_id = string(task, "task_id")?.to_string();
    let external_id =
        opt_object(task, "task_info").and_then(|info| opt_string(info, "external_task_id"));
    let state = state_of(task)?;
    Ok(ListedTask {
        remote_id,
        external_id,
        state,
    })
}

fn state_of(task: &Map<String, Value>) -> Result<JobState, ParseError> {
    let status = string(task, "task_status")?;
    let units = number_text(task.get("final_unit_deduction"));
    match status {
        "submitted" => Ok(JobState::Queued { position: None }),
        "processing" => Ok(JobState::Running),
        "succeed" => {
            let video = opt_object(task, "task_result")
                .and_then(|r| r.get("videos"))
                .and_then(Value::as_array)
                .and_then(|v| v.first())
                .and_then(Value::as_object)
                .ok_or(ParseError::Missing("task_result.videos[0]"))?;
            let video_url = match video.get("url") {
                Some(Value::String(url)) if !url.is_empty() => url.clone(),
                _ => return Err(ParseError::Missing("task_result.videos[0].url")),
            };
            Ok(JobState::Succeeded {
                video_url,
                duration_seconds: number_text(video.get("duration")),
                charged: units.map(Charge::units),
            })
        }
        "failed" => Ok(JobState::Failed {
            reason: Failure {
                category: FailureCategory::Unknown,
                scope: Scope::Task,
                http_status: None,
                code: None,
                message: opt_string(task, "task_status_msg").unwrap_or_default(),
                retryable: false,
                charged: units.map_or(Charged::Unknown, Charged::Units),
            },
        }),
        other => Err(ParseError::UnknownStatus(other.to_string())),
    }
}

/// A number sent as a string (`"5"`, `"10.0"`), or as a number. Anything
/// else, or a value that is not finite, is treated as absent.
pub(super) fn number_text(value: Option<&Value>) -> Option<f64> {
    let n = match value? {
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        Value::Number(n) => n.as_f64()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

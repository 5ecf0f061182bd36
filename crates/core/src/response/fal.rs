//! fal's queue answers (providers.md §2.5–2.6).
//!
//! - Submit: `{request_id, status_url, response_url, cancel_url, status,
//!   queue_position}`.
//! - Status: `IN_QUEUE` (with `queue_position`) → `IN_PROGRESS` →
//!   `COMPLETED`. A completed status says the job ended, not that it
//!   succeeded: the result (from `response_url`) says which.
//! - Result: `{video:{url, content_type, file_name, file_size}}`.
//! - Errors: a non-2xx status. A validation error is a 422 with
//!   `{detail:[{msg, loc, type}]}` or `{detail:"…"}`; others carry
//!   `message` or `detail`, and a failed job an `error_type`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    is_success, object, opt_object, opt_string, snippet, string, Charged, Failure, FailureCategory,
    JobState, ParseError, Scope, Submission, Ticket,
};

/// Reads the answer to the queue submit `POST`.
pub fn parse_submit(status: u16, body: &str) -> Result<Submission, ParseError> {
    if !is_success(status) {
        return Ok(Submission::Refused(error_failure(
            status,
            body,
            Scope::Request,
        )));
    }
    let map = object(body)?;
    let remote_id = string(&map, "request_id")?.to_string();
    let state = match opt_string(&map, "status").as_deref() {
        Some("IN_PROGRESS") => JobState::Running,
        _ => JobState::Queued {
            position: position(&map),
        },
    };
    Ok(Submission::Accepted(Ticket {
        remote_id,
        external_id: None,
        status_url: opt_string(&map, "status_url"),
        result_url: opt_string(&map, "response_url"),
        cancel_url: opt_string(&map, "cancel_url"),
        state,
    }))
}

/// Where a fal request stands, from its status URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum FalStatus {
    InQueue {
        position: Option<u32>,
    },
    InProgress,
    /// Ended: fetch the result from `response_url` to learn how.
    Completed,
    /// The status call was refused, or the status carried an error.
    Failed(Failure),
}

impl FalStatus {
    /// The provider-neutral state, or `None` when the result must be
    /// fetched to know it (`COMPLETED`).
    pub fn job_state(&self) -> Option<JobState> {
        match self {
            FalStatus::InQueue { position } => Some(JobState::Queued {
                position: *position,
            }),
            FalStatus::InProgress => Some(JobState::Running),
            FalStatus::Completed => None,
            FalStatus::Failed(reason) => Some(JobState::Failed {
                reason: reason.clone(),
            }),
        }
    }
}

/// Reads the answer to `GET …/requests/{id}/status`.
pub fn parse_status(status: u16, body: &str) -> Result<FalStatus, ParseError> {
    if !is_success(status) {
        return Ok(FalStatus::Failed(error_failure(
            status,
            body,
            Scope::Request,
        )));
    }
    let map = object(body)?;
    match string(&map, "status")? {
        "IN_QUEUE" => Ok(FalStatus::InQueue {
            position: position(&map),
        }),
        "IN_PROGRESS" => Ok(FalStatus::InProgress),
        "COMPLETED" => match map.get("error") {
            None | Some(Value::Null) => Ok(FalStatus::Completed),
            Some(error) => Ok(FalStatus::Failed(Failure {
                category: category_of_type(opt_string(&map, "error_type").as_deref())
                    .unwrap_or(FailureCategory::Unknown),
                scope: Scope::Task,
                http_status: None,
                code: opt_string(&map, "error_type"),
                message: match error {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
                retryable: false,
                charged: Charged::Unknown,
            })),
        },
        other => Err(ParseError::UnknownStatus(other.to_string())),
    }
}

/// Reads the answer to `GET …/requests/{id}` (the `response_url`).
pub fn parse_result(status: u16, body: &str) -> Result<JobState, ParseError> {
    if !is_success(status) {
        // A JSON error body is the job's own failure; anything else is a
        // gateway or network error on the way.
        let scope = if object(body).is_ok() {
            Scope::Task
        } else {
            Scope::Request
        };
        return Ok(JobState::Failed {
            reason: error_failure(status, body, scope),
        });
    }
    let map = object(body)?;
    let video = opt_object(&map, "video").ok_or(ParseError::Missing("video"))?;
    match video.get("url") {
        Some(Value::String(url)) if !url.is_empty() => Ok(JobState::Succeeded {
            video_url: url.clone(),
            duration_seconds: None,
            charged: None,
        }),
        _ => Err(ParseError::Missing("video.url")),
    }
}

fn position(map: &Map<String, Value>) -> Option<u32> {
    map.get("queue_position")
        .and_then(Value::as_u64)
        .and_then(|p| u32::try_from(p).ok())
}

/// fal's `error_type` values that name a category. fal documents more
/// (not in providers.md); the rest fall back to the HTTP status.
fn category_of_type(error_type: Option<&str>) -> Option<FailureCategory> {
    match error_type? {
        "content_policy_violation" => Some(FailureCategory::ContentSafety),
        "internal_server_error" | "downstream_service_error" | "generation_timeout" => {
            Some(FailureCategory::Server)
        }
        _ => None,
    }
}

/// A non-2xx answer: the status, `detail` (a list of `{msg, loc, type}` or
/// a string), `message`, `error_type`.
fn error_failure(status: u16, body: &str, scope: Scope) -> Failure {
    let Ok(map) = object(body) else {
        let mut failure = Failure::from_http(status, snippet(body));
        failure.scope = scope;
        return failure;
    };
    let mut types = Vec::new();
    let message = match map.get("detail") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                let item = item.as_object()?;
                if let Some(t) = item.get("type").and_then(Value::as_str) {
                    types.push(t.to_string());
                }
                let msg = opt_string(item, "msg").unwrap_or_default();
                let loc = item
                    .get("loc")
                    .and_then(Value::as_array)
                    .map(|parts| {
                        parts
                            .iter()
                            .map(|p| match p {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(".")
                    })
                    .filter(|l| !l.is_empty());
                Some(match loc {
                    Some(loc) => format!("{msg} (at {loc})"),
                    None => msg,
                })
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => opt_string(&map, "message").unwrap_or_default(),
    };
    let error_type = opt_string(&map, "error_type");
    let mut failure = Failure::from_http(status, message);
    failure.scope = scope;
    if let Some(category) = category_of_type(error_type.as_deref())
        .or_else(|| types.iter().find_map(|t| category_of_type(Some(t))))
    {
        failure.category = category;
    }
    failure.code = error_type;
    failure
}

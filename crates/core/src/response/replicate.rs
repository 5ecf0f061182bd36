//! Replicate's prediction answers (providers.md §3): `{id, status, output,
//! error, urls:{get, cancel}}`, the same shape for create and poll.
//!
//! Statuses: `starting` → `processing` → `succeeded` | `failed` |
//! `canceled` (or `aborted`, when the deadline passed before it started).
//! `output` is one URI string, the MP4.

use serde_json::Value;

use super::{
    is_success, object, opt_object, opt_string, snippet, string, Charged, Failure, FailureCategory,
    JobState, ParseError, Scope, Submission, Ticket,
};

/// Reads the answer to `POST …/predictions`.
pub fn parse_create(status: u16, body: &str) -> Result<Submission, ParseError> {
    if !is_success(status) {
        return Ok(Submission::Refused(error_failure(status, body)));
    }
    let map = object(body)?;
    let remote_id = string(&map, "id")?.to_string();
    let urls = opt_object(&map, "urls");
    let state = prediction_state(&map)?;
    Ok(Submission::Accepted(Ticket {
        remote_id,
        external_id: None,
        status_url: urls.and_then(|u| opt_string(u, "get")),
        result_url: None,
        cancel_url: urls.and_then(|u| opt_string(u, "cancel")),
        state,
    }))
}

/// Reads the answer to `GET /v1/predictions/{id}` (`urls.get`).
pub fn parse_prediction(status: u16, body: &str) -> Result<JobState, ParseError> {
    if !is_success(status) {
        return Ok(JobState::Failed {
            reason: error_failure(status, body),
        });
    }
    prediction_state(&object(body)?)
}

fn prediction_state(map: &serde_json::Map<String, Value>) -> Result<JobState, ParseError> {
    let status = string(map, "status")?;
    let task_failure = |category| JobState::Failed {
        reason: Failure {
            category,
            scope: Scope::Task,
            http_status: None,
            code: Some(status.to_string()),
            message: match map.get("error") {
                Some(Value::String(s)) => s.clone(),
                None | Some(Value::Null) => String::new(),
                Some(other) => other.to_string(),
            },
            retryable: false,
            charged: Charged::Unknown,
        },
    };
    match status {
        "starting" => Ok(JobState::Queued { position: None }),
        "processing" => Ok(JobState::Running),
        "succeeded" => {
            // Documented as one URI string; a list of them is taken too.
            let url = match map.get("output") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Array(items)) => {
                    items.first().and_then(Value::as_str).map(str::to_string)
                }
                _ => None,
            };
            match url {
                Some(video_url) if !video_url.is_empty() => Ok(JobState::Succeeded {
                    video_url,
                    duration_seconds: None,
                    charged: None,
                }),
                _ => Err(ParseError::Missing("output")),
            }
        }
        "failed" => Ok(task_failure(FailureCategory::Unknown)),
        "canceled" | "aborted" => Ok(task_failure(FailureCategory::Canceled)),
        other => Err(ParseError::UnknownStatus(other.to_string())),
    }
}

/// A non-2xx answer: Replicate sends `{title, detail, status}`.
fn error_failure(status: u16, body: &str) -> Failure {
    let message = match object(body) {
        Ok(map) => opt_string(&map, "detail")
            .or_else(|| opt_string(&map, "title"))
            .unwrap_or_default(),
        Err(_) => snippet(body),
    };
    Failure::from_http(status, message)
}

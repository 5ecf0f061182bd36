//! Kling's current design (providers.md §0.3–0.4): the create answer of
//! `POST /omni-video/kling-3.0-omni` and the task list of
//! `GET /tasks?task_ids=…` or `GET /tasks?external_task_ids=…`.
//!
//! The envelope `{code, message, request_id, data}` and the error codes are
//! the legacy design's (§0.7), read by the same code. What differs is the
//! task: `{id, status, message, external_id, outputs[], billing[]}` with
//! statuses `submitted` → `processing` → `succeeded` | `failed` (the legacy
//! design spells it `succeed`). The clip is the first `outputs[]` item of
//! type `video`; the charge is in `billing[]`.
//!
//! A task Kling does not know yet comes back as an empty list, not as an
//! error: that is "not visible yet" ([`Polled::NotVisible`]), never a
//! failure.

use serde_json::{Map, Value};

use super::kling::{listing, number_text, submission, ListedTask, Listing};
use super::{
    opt_string, string, Cash, Charge, Charged, Currency, Failure, FailureCategory, JobState,
    ParseError, Scope, Submission,
};

/// Reads the answer to `POST /omni-video/kling-3.0-omni`.
pub fn parse_create(status: u16, body: &str) -> Result<Submission, ParseError> {
    submission(status, body, task_of)
}

/// Reads the answer to `GET /tasks` (by ids or by external ids): `data` is
/// a list of tasks, possibly empty.
pub fn parse_tasks(status: u16, body: &str) -> Result<Listing, ParseError> {
    listing(status, body, task_of)
}

/// What a status call (`GET /tasks?task_ids=<id>`) says of one task.
#[derive(Debug, Clone, PartialEq)]
pub enum Polled {
    /// The task's state, or (as [`JobState::Failed`] with
    /// [`Scope::Request`]) the refused call.
    Found(JobState),
    /// The list does not hold the task (yet): ask again later.
    NotVisible,
}

/// Reads the answer to `GET /tasks?task_ids=<remote_id>`.
pub fn parse_poll(status: u16, body: &str, remote_id: &str) -> Result<Polled, ParseError> {
    match parse_tasks(status, body)? {
        Listing::Refused(reason) => Ok(Polled::Found(JobState::Failed { reason })),
        Listing::Tasks(tasks) => Ok(tasks
            .into_iter()
            .find(|t| t.remote_id == remote_id)
            .map_or(Polled::NotVisible, |t| Polled::Found(t.state))),
    }
}

/// A task object (create answer, list entry).
fn task_of(task: &Map<String, Value>) -> Result<ListedTask, ParseError> {
    let remote_id = string(task, "id")?.to_string();
    let external_id = opt_string(task, "external_id").filter(|k| !k.is_empty());
    let state = state_of(task)?;
    Ok(ListedTask {
        remote_id,
        external_id,
        state,
    })
}

fn state_of(task: &Map<String, Value>) -> Result<JobState, ParseError> {
    match string(task, "status")? {
        "submitted" => Ok(JobState::Queued { position: None }),
        "processing" => Ok(JobState::Running),
        "succeeded" => {
            let video = task
                .get("outputs")
                .and_then(Value::as_array)
                .and_then(|outputs| {
                    outputs
                        .iter()
                        .filter_map(Value::as_object)
                        .find(|o| o.get("type").and_then(Value::as_str) == Some("video"))
                })
                .ok_or(ParseError::Missing("outputs[type=video]"))?;
            let video_url = match video.get("url") {
                Some(Value::String(url)) if !url.is_empty() => url.clone(),
                _ => return Err(ParseError::Missing("outputs[type=video].url")),
            };
            Ok(JobState::Succeeded {
                video_url,
                duration_seconds: number_text(video.get("duration")),
                charged: billing(task).flatten(),
            })
        }
        "failed" => Ok(JobState::Failed {
            reason: Failure {
                category: FailureCategory::Unknown,
                scope: Scope::Task,
                http_status: None,
                code: None,
                message: opt_string(task, "message").unwrap_or_default(),
                retryable: false,
                charged: match billing(task) {
                    None => Charged::Unknown,
                    Some(None) => Charged::Nothing,
                    Some(Some(charge)) => charge.charged(),
                },
            },
        }),
        other => Err(ParseError::UnknownStatus(other.to_string())),
    }
}

/// The charge in `billing[]`: `None` when the task carries no usable bill
/// (absent, not a list, or no item that can be read), `Some(None)` for an
/// empty bill. Units are summed over `unit` items; cash over `cash` items
/// in the currency of the first one (Kling names one currency per
/// account, CNY or USD).
///
/// The bill only informs the user, so an odd item is skipped rather than
/// failing a finished job.
fn billing(task: &Map<String, Value>) -> Option<Option<Charge>> {
    let items = task.get("billing")?.as_array()?;
    if items.is_empty() {
        return Some(None);
    }
    let mut units: Option<f64> = None;
    let mut cash: Option<Cash> = None;
    for item in items.iter().filter_map(Value::as_object) {
        let Some(amount) = number_text(item.get("amount")) else {
            continue;
        };
        match item.get("charge_type").and_then(Value::as_str) {
            Some("unit") => *units.get_or_insert(0.0) += amount,
            Some("cash") => {
                let currency = item
                    .get("currency")
                    .and_then(Value::as_str)
                    .and_then(Currency::parse);
                match &mut cash {
                    None => cash = Some(Cash { amount, currency }),
                    Some(c) if c.currency == currency => c.amount += amount,
                    Some(_) => {}
                }
            }
            _ => {}
        }
    }
    if units.is_none() && cash.is_none() {
        return None;
    }
    Some(Some(Charge {
        units: units.unwrap_or(0.0),
        cash,
    }))
}

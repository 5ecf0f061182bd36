//! Reading the providers' answers: an HTTP status code and the body text in,
//! a provider-neutral result out.
//!
//! - [`JobState`]: where a generation stands (queued, running, done, failed).
//! - [`Submission`]: the answer to a create request (a [`Ticket`] or a
//!   [`Failure`]).
//! - [`Failure`]: what went wrong, in plain words and in the provider's own
//!   code and message, whether trying again can help and whether credits
//!   were spent.
//! - [`ParseError`]: the body did not have the shape the provider documents.
//!   A parser never panics, whatever the body.
//!
//! One module per provider: [`kling`] (with [`kling_current`] for Kling's
//! current design and [`kling_general`] for its element and voice calls),
//! [`fal`], [`replicate`].

pub mod fal;
pub mod kling;
pub mod kling_current;
pub mod kling_general;
pub mod replicate;

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;

/// Where a generation stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum JobState {
    /// Accepted, waiting for a worker. `position` is the place in the queue
    /// when the provider says (fal only).
    Queued {
        position: Option<u32>,
    },
    Running,
    Succeeded {
        video_url: String,
        /// The length of the video, when the provider says (Kling only).
        duration_seconds: Option<f64>,
        /// What the provider charged, when it says (Kling only).
        charged: Option<Charge>,
    },
    Failed {
        reason: Failure,
    },
}

impl JobState {
    /// Succeeded or failed: nothing more will happen.
    pub fn is_done(&self) -> bool {
        matches!(self, JobState::Succeeded { .. } | JobState::Failed { .. })
    }
}

/// What a provider charged for a task: resource-pack units (Kling's
/// legacy `final_unit_deduction`, or `billing[]` items with `charge_type`
/// `unit`), and money taken from the account balance (`billing[]` items
/// with `charge_type` `cash`), when there is any.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Charge {
    pub units: f64,
    /// Money taken from the balance, beside (or instead of) the units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cash: Option<Cash>,
}

impl Charge {
    /// A charge in resource-pack units only.
    pub fn units(units: f64) -> Charge {
        Charge { units, cash: None }
    }

    /// What it means for a failed task: units, else the cash, else nothing.
    pub fn charged(self) -> Charged {
        match self.cash {
            Some(cash) if self.units == 0.0 => Charged::Cash(cash),
            _ => Charged::Units(self.units),
        }
    }
}

/// Money taken from an account balance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cash {
    pub amount: f64,
    /// `None` when the provider did not name it.
    #[serde(default)]
    pub currency: Option<Currency>,
}

/// A three-letter currency code (`USD`, `CNY`), kept as its bytes so the
/// charge types stay `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    /// A code of three ASCII letters, upper-cased; anything else is `None`.
    pub fn parse(text: &str) -> Option<Currency> {
        let bytes = text.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => Some(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(text: String) -> Result<Currency, String> {
        Currency::parse(&text)
            .ok_or_else(|| format!("`{text}` is not a three-letter currency code"))
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_string()
    }
}

/// Whether a failed request cost anything.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "charged", content = "units")]
pub enum Charged {
    /// Nothing was charged: refused before a task existed, or the
    /// provider's bill for the task is empty.
    Nothing,
    /// The provider reported a deduction (it may be 0).
    Units(f64),
    /// The provider reported money taken from the balance (Kling's
    /// current design, `billing[]` with `charge_type` `cash`).
    Cash(Cash),
    /// The provider does not say.
    Unknown,
}

/// The kind of failure, for choosing what the user is told and whether to
/// try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureCategory {
    /// The input broke the provider's content or platform policy (Kling
    /// 1300, 1301).
    ContentSafety,
    /// Too many requests (Kling 1302, HTTP 429 without a code).
    RateLimited,
    /// Too many tasks at once for the account (Kling 1303).
    Concurrency,
    /// No balance, arrears or an expired resource pack (Kling 1101, 1102).
    Balance,
    /// The key or token was missing, wrong or expired (Kling 1000–1004,
    /// HTTP 401).
    Auth,
    /// The account may not do this: account exception, no permission, IP
    /// whitelist (Kling 1100, 1103, 1304, HTTP 403).
    Denied,
    /// The request was malformed or had a bad value (Kling 1200, 1201,
    /// HTTP 400/422).
    InvalidRequest,
    /// No such task, model or method (Kling 1202, 1203, HTTP 404).
    NotFound,
    /// The provider failed or was down (Kling 5000–5002, HTTP 5xx).
    Server,
    /// The job was canceled, or timed out before it started (Replicate).
    Canceled,
    Unknown,
}

impl FailureCategory {
    /// One sentence for the user.
    pub fn plain(self) -> &'static str {
        match self {
            FailureCategory::ContentSafety => {
                "The provider's content policy blocked this request; change the prompt or references."
            }
            FailureCategory::RateLimited => {
                "Too many requests in a short time; wait a moment and try again."
            }
            FailureCategory::Concurrency => {
                "Too many videos are generating at once on this account; wait for one to finish."
            }
            FailureCategory::Balance => {
                "The account has no balance left for this; top up or buy a resource pack."
            }
            FailureCategory::Auth => "The API key was refused; check it in the settings.",
            FailureCategory::Denied => "The account is not allowed to make this request.",
            FailureCategory::InvalidRequest => "The provider refused the request as invalid.",
            FailureCategory::NotFound => "The provider does not know this task or model.",
            FailureCategory::Server => {
                "The provider had an internal problem; try again later."
            }
            FailureCategory::Canceled => "The generation was canceled or timed out.",
            FailureCategory::Unknown => "The generation failed.",
        }
    }
}

/// What failed: the HTTP call, or the generation itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The call was refused (an error code or HTTP error). For a create
    /// call no job exists; for a status call the job may still be running.
    Request,
    /// The job ran and ended in failure.
    Task,
}

/// A failed request or task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub category: FailureCategory,
    pub scope: Scope,
    /// The HTTP status, when the failure came as one (not for a task that
    /// failed while the HTTP call itself succeeded).
    pub http_status: Option<u16>,
    /// The provider's own code: Kling's business `code`, fal's
    /// `error_type`, Replicate's status (`failed`, `canceled`, `aborted`).
    pub code: Option<String>,
    /// The provider's own message, as sent (may be empty).
    pub message: String,
    /// Whether the same request may succeed if sent again later.
    pub retryable: bool,
    pub charged: Charged,
}

impl Failure {
    /// What happened, in plain words, followed by the provider's message.
    pub fn describe(&self) -> String {
        let plain = self.category.plain();
        match (self.message.trim(), &self.code) {
            ("", None) => plain.to_string(),
            ("", Some(code)) => format!("{plain} ({code})"),
            (msg, None) => format!("{plain} The provider said: {msg}"),
            (msg, Some(code)) => format!("{plain} The provider said: {msg} ({code})"),
        }
    }

    /// A failure known only by its HTTP status (no usable body).
    pub fn from_http(status: u16, message: String) -> Failure {
        let category = match status {
            400 | 422 => FailureCategory::InvalidRequest,
            401 => FailureCategory::Auth,
            402 => FailureCategory::Balance,
            403 => FailureCategory::Denied,
            404 => FailureCategory::NotFound,
            429 => FailureCategory::RateLimited,
            500..=599 => FailureCategory::Server,
            _ => FailureCategory::Unknown,
        };
        let charged = match category {
            FailureCategory::Server | FailureCategory::Unknown => Charged::Unknown,
            _ => Charged::Nothing,
        };
        Failure {
            category,
            scope: Scope::Request,
            http_status: Some(status),
            code: None,
            message,
            retryable: http_retryable(status),
            charged,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// HTTP 429 and 5xx may succeed later.
pub fn http_retryable(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

fn is_success(status: u16) -> bool {
    (200..=299).contains(&status)
}

/// A job the provider accepted: how to follow it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// Kling `task_id`, fal `request_id`, Replicate `id`.
    pub remote_id: String,
    /// The caller's own key as echoed back (Kling `external_task_id`).
    pub external_id: Option<String>,
    /// Where to poll, when the provider gives it (fal `status_url`,
    /// Replicate `urls.get`).
    pub status_url: Option<String>,
    /// Where the result is, when different from `status_url` (fal
    /// `response_url`).
    pub result_url: Option<String>,
    pub cancel_url: Option<String>,
    /// The state the provider reported with the answer.
    pub state: JobState,
}

/// The answer to a create request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Submission {
    Accepted(Ticket),
    Refused(Failure),
}

/// The body did not have the documented shape.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("the response body is not JSON: {0}")]
    NotJson(String),
    #[error("the response has no `{0}`")]
    Missing(&'static str),
    #[error("`{field}` in the response is not {expected}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    #[error("the response has an unknown status `{0}`")]
    UnknownStatus(String),
}

/// The body as a JSON object.
fn object(body: &str) -> Result<Map<String, Value>, ParseError> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ParseError::WrongType {
            field: "body",
            expected: "an object",
        }),
        Err(e) => Err(ParseError::NotJson(e.to_string())),
    }
}

/// A required string field.
fn string<'a>(map: &'a Map<String, Value>, field: &'static str) -> Result<&'a str, ParseError> {
    match map.get(field) {
        None | Some(Value::Null) => Err(ParseError::Missing(field)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ParseError::WrongType {
            field,
            expected: "a string",
        }),
    }
}

/// An optional string field; a value of another type counts as absent.
fn opt_string(map: &Map<String, Value>, field: &str) -> Option<String> {
    map.get(field).and_then(Value::as_str).map(str::to_string)
}

/// An optional object field; a value of another type counts as absent.
fn opt_object<'a>(map: &'a Map<String, Value>, field: &str) -> Option<&'a Map<String, Value>> {
    map.get(field).and_then(Value::as_object)
}

/// A non-empty error body's text, cut to a readable length.
fn snippet(body: &str) -> String {
    let trimmed = body.trim();
    match trimmed.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &trimmed[..i]),
        None => trimmed.to_string(),
    }
}

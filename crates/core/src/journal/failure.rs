//! Failures as the journal reads them: a task's category, Kling's
//! duplicate key, the relay's own failures and lost answers.

use crate::response::{Charged, Failure, FailureCategory, Scope};

/// A failed task's category: the provider's, or, where it gives none, what
/// its message says (Kling reports a blocked output only in words).
pub fn task_category(failure: &Failure) -> FailureCategory {
    if failure.category != FailureCategory::Unknown {
        return failure.category;
    }
    let m = failure.message.to_ascii_lowercase();
    let safety = [
        "content safety",
        "risk control",
        "sensitive",
        "content policy",
        "policy violation",
        "nsfw",
        "moderation",
    ];
    if safety.iter().any(|w| m.contains(w)) {
        FailureCategory::ContentSafety
    } else if m.contains("timeout") || m.contains("timed out") || m.contains("internal error") {
        FailureCategory::Server
    } else {
        FailureCategory::Unknown
    }
}

pub(super) fn is_success(status: u16) -> bool {
    (200..=299).contains(&status)
}

/// Whether Kling refused a create because its `external_task_id` is
/// already taken (its answer is not documented: a 1201 naming the key).
pub fn is_duplicate_key(failure: &Failure) -> bool {
    let message = failure.message.to_ascii_lowercase();
    failure.code.as_deref() == Some("1201")
        && (message.contains("external_task_id") || message.contains("already exist"))
}

pub(super) fn network_failure(message: String) -> Failure {
    Failure {
        category: FailureCategory::Unknown,
        scope: Scope::Request,
        http_status: None,
        code: None,
        message: format!("network error: {message}"),
        retryable: true,
        charged: Charged::Unknown,
    }
}

/// The code a relay failure carries, so it reads as the server's.
pub const RELAY_CODE: &str = "relay";

pub(super) fn relay_failure(status: u16, message: String, charged: Charged) -> Failure {
    let mut f = Failure::from_http(status, message);
    f.code = Some(RELAY_CODE.into());
    f.charged = charged;
    if status == 503 || status == 404 {
        f.retryable = false;
    }
    f
}

//! Faults a test can queue up for the simulator: each one applies to the
//! next request of its kind, in order.

use std::collections::VecDeque;

use serde::Deserialize;

/// One injected fault.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Refuse with a Kling business code (and its HTTP status).
    Code { code: i64, message: Option<String> },
    /// Do the work, then lose the answer: the caller sees a 502 with no
    /// body, as after a dropped connection. For a create, the task exists.
    Drop,
    /// Answer normally, after a pause.
    Slow { ms: u64 },
    /// Do the work, then break the connection as the answer's body starts:
    /// the status line and headers go out, no body byte does. For a
    /// create, the task exists. Through the relay this is its 502.
    Reset,
    /// Do the work, then send the first half of the answer's body and
    /// break off, short of its `Content-Length`. For a create, the task
    /// exists. Through the relay this is its 502.
    Truncate,
    /// Before any work, answer with this HTTP status and a body that is
    /// not Kling's (a gateway's error page): nothing is created.
    Gateway { status: u16 },
    /// Create only: accept the task, then fail it while it generates
    /// (e.g. a content-safety block found in the output).
    FailTask { message: String },
}

/// Faults for each kind of request. `create`, `query` and `list` are the
/// video calls of both designs; `elements` and `voices` are the element
/// and voice calls (providers.md §0.5), e.g.
/// `{"elements": {"create": [{"kind": "drop"}]}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPlan {
    #[serde(default)]
    pub create: VecDeque<Fault>,
    #[serde(default)]
    pub query: VecDeque<Fault>,
    #[serde(default)]
    pub list: VecDeque<Fault>,
    #[serde(default)]
    pub elements: LibraryFaults,
    #[serde(default)]
    pub voices: LibraryFaults,
}

/// Faults for the element calls or the voice calls: `create` (the POST
/// that starts a task; `fail_task` fails it), `query` (one task by id),
/// `list` (the custom list and the preset list) and `delete`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryFaults {
    #[serde(default)]
    pub create: VecDeque<Fault>,
    #[serde(default)]
    pub query: VecDeque<Fault>,
    #[serde(default)]
    pub list: VecDeque<Fault>,
    #[serde(default)]
    pub delete: VecDeque<Fault>,
}

impl LibraryFaults {
    fn extend(&mut self, more: LibraryFaults) {
        self.create.extend(more.create);
        self.query.extend(more.query);
        self.list.extend(more.list);
        self.delete.extend(more.delete);
    }

    fn len(&self) -> usize {
        self.create.len() + self.query.len() + self.list.len() + self.delete.len()
    }
}

impl FaultPlan {
    /// Appends `more` to what is queued.
    pub fn extend(&mut self, more: FaultPlan) {
        self.create.extend(more.create);
        self.query.extend(more.query);
        self.list.extend(more.list);
        self.elements.extend(more.elements);
        self.voices.extend(more.voices);
    }

    /// How many faults are still queued, of every kind.
    pub fn len(&self) -> usize {
        self.create.len()
            + self.query.len()
            + self.list.len()
            + self.elements.len()
            + self.voices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The HTTP status Kling answers a business code with (providers.md §1.10).
pub fn http_status_of(code: i64) -> u16 {
    match code {
        0 => 200,
        1000..=1004 => 401,
        1103 => 403,
        1100..=1102 | 1302..=1304 => 429,
        1202 | 1203 => 404,
        1200..=1201 | 1300 | 1301 => 400,
        5001 => 503,
        5002 => 504,
        _ => 500,
    }
}

/// A message for a code when the test gives none.
pub fn default_message(code: i64) -> &'static str {
    match code {
        1102 => "resource pack depleted or expired",
        1300 => "the request was refused by platform policy",
        1301 => "content safety: the input was flagged by the risk control system",
        1302 => "requests too frequent, please slow down",
        1303 => "parallel task over resource pack limit",
        5000 => "internal server error",
        5001 => "service under maintenance",
        5002 => "server timeout",
        _ => "simulated failure",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_read_from_json() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"create":[{"kind":"code","code":1303},{"kind":"drop"}],"query":[{"kind":"slow","ms":50}]}"#,
        )
        .expect("parses");
        assert_eq!(
            plan.create,
            [
                Fault::Code {
                    code: 1303,
                    message: None
                },
                Fault::Drop
            ]
        );
        assert_eq!(plan.query, [Fault::Slow { ms: 50 }]);
        let more: FaultPlan = serde_json::from_str(
            r#"{"create":[{"kind":"reset"},{"kind":"truncate"},{"kind":"gateway","status":503}]}"#,
        )
        .expect("parses");
        assert_eq!(
            more.create,
            [
                Fault::Reset,
                Fault::Truncate,
                Fault::Gateway { status: 503 }
            ]
        );
        assert!(serde_json::from_str::<FaultPlan>(r#"{"creat":[]}"#).is_err());
        let library: FaultPlan = serde_json::from_str(
            r#"{"elements":{"create":[{"kind":"drop"}],"delete":[{"kind":"reset"}]},"voices":{"list":[{"kind":"slow","ms":5}]}}"#,
        )
        .expect("parses");
        assert_eq!(library.elements.create, [Fault::Drop]);
        assert_eq!(library.elements.delete, [Fault::Reset]);
        assert_eq!(library.voices.list, [Fault::Slow { ms: 5 }]);
        assert_eq!(library.len(), 3);
        assert!(serde_json::from_str::<FaultPlan>(r#"{"elements":{"remove":[]}}"#).is_err());
    }

    #[test]
    fn statuses_follow_the_table() {
        assert_eq!(http_status_of(1004), 401);
        assert_eq!(http_status_of(1301), 400);
        assert_eq!(http_status_of(1303), 429);
        assert_eq!(http_status_of(5000), 500);
        assert_eq!(http_status_of(5002), 504);
    }
}

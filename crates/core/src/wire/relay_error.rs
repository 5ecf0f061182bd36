//! The server's own error: a relay, a guard or the upload store refused
//! or failed, as opposed to an answer the provider gave.

use serde::{Deserialize, Serialize};

/// `{"error": "...", "relay": true, "request_id": "..."}`; an upload refused
/// for its kind adds `found` and `accepted`, for its size `limit` and
/// `size`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayError {
    /// The message, in words.
    #[serde(default)]
    pub error: String,
    /// Always `true`: what tells this error from a provider's.
    pub relay: bool,
    /// The id of the request that failed (`x-request-id`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// A refused upload: what the file is ("a GIF image").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// A refused upload: the content types the server takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<Vec<String>>,
    /// A too large upload: the limit that applied, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// A too large upload: its size, or how far it got, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

impl RelayError {
    /// The error with `message` and nothing else.
    pub fn new(message: impl Into<String>) -> RelayError {
        RelayError {
            error: message.into(),
            relay: true,
            request_id: None,
            found: None,
            accepted: None,
            limit: None,
            size: None,
        }
    }

    /// Reads a body; `None` when it is not the server's own error (a
    /// provider's answer, a page, nothing).
    pub fn parse(body: &str) -> Option<RelayError> {
        serde_json::from_str::<RelayError>(body)
            .ok()
            .filter(|e| e.relay)
    }

    /// The message, or a general one when the server gave none.
    pub fn message(&self) -> &str {
        if self.error.is_empty() {
            "the server could not relay the request"
        } else {
            &self.error
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_own_errors_are_read() {
        let e = RelayError::parse(r#"{"error":"no key","relay":true,"request_id":"r1"}"#)
            .expect("relay error");
        assert_eq!(e.message(), "no key");
        assert_eq!(e.request_id.as_deref(), Some("r1"));
        assert_eq!(
            RelayError::parse(r#"{"relay":true}"#)
                .expect("read")
                .message(),
            "the server could not relay the request"
        );
        for other in [
            r#"{"code":1303,"message":"busy"}"#,
            r#"{"error":"x","relay":false}"#,
            r#"{"error":"x"}"#,
            "",
            "[1]",
        ] {
            assert_eq!(RelayError::parse(other), None, "{other}");
        }
    }

    #[test]
    fn absent_details_are_not_written() {
        let text = serde_json::to_string(&RelayError::new("no such API route")).expect("json");
        assert_eq!(text, r#"{"error":"no such API route","relay":true}"#);
    }
}

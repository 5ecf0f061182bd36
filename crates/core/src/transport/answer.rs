//! What came back from one HTTP call.

/// An answer to one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Http {
        status: u16,
        body: String,
    },
    /// No answer: the request failed on the way (offline, refused, CORS).
    Network {
        message: String,
    },
}

impl Answer {
    pub fn http(status: u16, body: impl Into<String>) -> Answer {
        Answer::Http {
            status,
            body: body.into(),
        }
    }
}

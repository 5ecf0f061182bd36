//! Request ids: every response carries `x-request-id`. An incoming id is
//! kept when it is short and plain (letters, digits, `-_.:`, at most 128
//! characters), else replaced by a new UUID, so a client cannot put
//! arbitrary text into the logs. The id is in the request's tracing span
//! (every log line of the request carries it) and in the server's own
//! error bodies (`"request_id"`, see [`current`]).

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::request_id::RequestId;

/// The header, as tower-http's `x_request_id` layers use it.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The longest incoming id kept.
pub const MAX_LEN: usize = 128;

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being answered, when called while answering one
/// (inside [`scope`]).
pub fn current() -> Option<String> {
    CURRENT.try_with(|id| id.clone()).ok()
}

/// True for an id worth keeping.
pub fn is_valid(value: &HeaderValue) -> bool {
    let b = value.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_LEN
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.:".contains(c))
}

/// Removes an incoming id that is not valid, so `SetRequestId` makes a
/// new one. Runs before it.
pub async fn drop_invalid(mut req: Request, next: Next) -> Response {
    if req.headers().get(&HEADER).is_some_and(|v| !is_valid(v)) {
        req.headers_mut().remove(&HEADER);
    }
    next.run(req).await
}

/// The id `SetRequestId` settled on, as text.
pub fn of(req: &Request) -> String {
    req.extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-")
        .to_string()
}

/// Makes the request's id [`current`] while it is answered.
pub async fn scope(req: Request, next: Next) -> Response {
    let id = of(&req);
    CURRENT.scope(id, next.run(req)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_kept_and_others_are_not() {
        for ok in ["abc", "0f1e-22:33.x_y", &"a".repeat(MAX_LEN)] {
            assert!(is_valid(&HeaderValue::from_str(ok).unwrap()), "{ok}");
        }
        for bad in ["", "a b", "a\tb", "x{}", &"a".repeat(MAX_LEN + 1), "é"] {
            let Ok(v) = HeaderValue::from_str(bad) else {
                continue;
            };
            assert!(!is_valid(&v), "{bad}");
        }
    }
}

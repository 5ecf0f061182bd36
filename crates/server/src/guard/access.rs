//! `--access-token`: when set, `/api/...` (except `/api/status`, which
//! says `"access_token_required": true` so the app can ask for it) and
//! `/metrics` need `Authorization: Bearer TOKEN` or `x-storyreel-token:
//! TOKEN`. Static files, `/uploads/<sha256>` (providers fetch them),
//! `/healthz` and `/readyz` stay open. The comparison takes the same time
//! whatever the guess; the token is never echoed or logged.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::config::Secret;
use crate::relay::relay_error;

/// The header that may carry the token instead of `Authorization`.
pub const TOKEN_HEADER: &str = "x-storyreel-token";

/// The token, kept as its SHA-256 so comparing is over fixed-length
/// digests.
pub struct AccessToken {
    digest: [u8; 32],
}

impl AccessToken {
    pub fn new(token: &Secret) -> AccessToken {
        AccessToken {
            digest: Sha256::digest(token.expose().as_bytes()).into(),
        }
    }

    /// Constant-time in the guess.
    pub fn matches(&self, guess: &[u8]) -> bool {
        let d: [u8; 32] = Sha256::digest(guess).into();
        d.iter()
            .zip(self.digest.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

/// True for the paths that need the token.
pub fn needs_token(path: &str) -> bool {
    (super::is_api(path) && path != "/api/status") || path == "/metrics"
}

/// The token the request presents, if any.
fn presented(headers: &HeaderMap) -> Option<&[u8]> {
    if let Some(v) = headers.get(TOKEN_HEADER) {
        return Some(v.as_bytes());
    }
    let auth = headers.get(header::AUTHORIZATION)?.as_bytes();
    let (scheme, rest) = auth.split_at(auth.iter().position(|b| *b == b' ')?);
    scheme
        .eq_ignore_ascii_case(b"bearer")
        .then(|| rest.trim_ascii())
}

pub async fn require(State(token): State<Arc<AccessToken>>, req: Request, next: Next) -> Response {
    // Preflights carry no credentials; CORS answers them.
    if req.method() == Method::OPTIONS || !needs_token(req.uri().path()) {
        return next.run(req).await;
    }
    match presented(req.headers()) {
        Some(guess) if token.matches(guess) => next.run(req).await,
        given => {
            let message = if given.is_some() {
                "the access token is wrong: this server's API needs its access token"
            } else {
                "this server's API needs an access token: send `Authorization: Bearer <token>` or `x-storyreel-token: <token>`"
            };
            let mut res = relay_error(StatusCode::UNAUTHORIZED, message);
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"storyreel\""),
            );
            res
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_matches() {
        let t = AccessToken::new(&Secret::new("s3cret"));
        assert!(t.matches(b"s3cret"));
        for bad in [&b""[..], b"s3cre", b"s3cret ", b"S3CRET", b"s3crett"] {
            assert!(!t.matches(bad));
        }
    }

    #[test]
    fn where_the_token_is_needed() {
        for p in [
            "/api/kling/v1/videos/omni-video",
            "/api/uploads",
            "/api/nope",
            "/metrics",
        ] {
            assert!(needs_token(p), "{p}");
        }
        for p in [
            "/api/status",
            "/",
            "/healthz",
            "/readyz",
            "/uploads/ab",
            "/apix",
            "/api",
        ] {
            assert!(!needs_token(p), "{p}");
        }
    }

    #[test]
    fn the_token_is_read_from_either_header() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, "Bearer  abc ".parse().unwrap());
        assert_eq!(presented(&h), Some(&b"abc"[..]));
        h.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(presented(&h), None);
        h.insert(TOKEN_HEADER, "xyz".parse().unwrap());
        assert_eq!(presented(&h), Some(&b"xyz"[..]));
    }
}

//! Who may call the simulator, by Kling's rules (providers.md §0.2, Kling's
//! Authentication and Error Codes pages): a console API key sent as
//! `Authorization: Bearer <key>` works on both designs; an access key /
//! secret key pair's JWT only on the legacy design, the current one
//! answers it 1002. No message ever repeats what was sent.

use axum::http::{header, HeaderMap};
use storyreel_core::options::KlingApi;

use super::{KlingError, ACCESS_KEY, API_KEY, SECRET_KEY};
use crate::config::Secret;
use crate::kling_token::{self, TokenProblem};

fn refused(code: i64, message: &str) -> KlingError {
    KlingError::new(401, code, message)
}

/// Whether `token` has a JWT's shape: three non-empty base64url parts.
pub fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Checks the `Authorization` header of a call on `api`'s design.
pub fn check(headers: &HeaderMap, api: KlingApi) -> Result<(), KlingError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    let empty = || refused(TokenProblem::Empty.code(), TokenProblem::Empty.message());
    if value.is_empty() {
        return Err(empty());
    }
    let token = match value.strip_prefix("Bearer") {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => rest.trim(),
        _ => {
            return Err(refused(
                TokenProblem::Invalid.code(),
                TokenProblem::Invalid.message(),
            ))
        }
    };
    if token.is_empty() {
        return Err(empty());
    }
    if constant_time_eq(token.as_bytes(), API_KEY.as_bytes()) {
        return Ok(());
    }
    if !looks_like_jwt(token) {
        return Err(refused(
            1000,
            "Authentication failed: the API key is not known",
        ));
    }
    match api {
        KlingApi::Current => Err(refused(
            TokenProblem::Invalid.code(),
            "Authorization is invalid: this API design takes an API key, not an access key / secret key token",
        )),
        KlingApi::Legacy => kling_token::verify_at(
            token,
            ACCESS_KEY,
            &Secret::new(SECRET_KEY),
            kling_token::now_secs(),
        )
        .map(|_| ())
        .map_err(|p| refused(p.code(), p.message())),
    }
}

/// Compares without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(value: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(v) = value {
            h.insert(
                header::AUTHORIZATION,
                HeaderValue::from_str(v).expect("header"),
            );
        }
        h
    }

    fn code(value: Option<&str>, api: KlingApi) -> i64 {
        check(&with(value), api).err().map_or(0, |e| e.code)
    }

    #[test]
    fn codes_follow_klings_table() {
        let key = format!("Bearer {API_KEY}");
        let jwt = format!(
            "Bearer {}",
            crate::kling_token::KlingSigner::new(Secret::new(ACCESS_KEY), Secret::new(SECRET_KEY))
                .token()
        );
        for api in KlingApi::ALL {
            assert_eq!(code(Some(&key), api), 0, "{api:?}");
            assert_eq!(code(None, api), 1001);
            assert_eq!(code(Some("Bearer "), api), 1001);
            assert_eq!(code(Some("Bearer someone-elses-key"), api), 1000);
            assert_eq!(code(Some("Basic abc"), api), 1002);
        }
        assert_eq!(code(Some(&jwt), KlingApi::Legacy), 0);
        assert_eq!(code(Some(&jwt), KlingApi::Current), 1002);
        assert_eq!(code(Some("Bearer a.b.c"), KlingApi::Legacy), 1002);
    }
}

//! Kling's bearer token (providers.md §1.1): an HS256 JWT signed with the
//! secret key, with `iss` = access key, `exp` = now + 30 min and `nbf` =
//! now − 5 s. One token is reused until it is close to expiring.

use std::sync::Mutex;

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::Secret;

/// How long a token is valid.
pub const LIFETIME_SECS: u64 = 30 * 60;
/// How far back `nbf` is set, for clocks that run a little ahead.
pub const NOT_BEFORE_SLACK_SECS: u64 = 5;
/// A cached token is replaced when it has less than this left.
pub const RENEW_BEFORE_SECS: u64 = 5 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub exp: u64,
    pub nbf: u64,
}

struct Cached {
    token: String,
    exp: u64,
}

/// Signs and caches tokens for one key pair.
pub struct KlingSigner {
    access_key: Secret,
    secret_key: Secret,
    cached: Mutex<Option<Cached>>,
}

impl KlingSigner {
    pub fn new(access_key: Secret, secret_key: Secret) -> KlingSigner {
        KlingSigner {
            access_key,
            secret_key,
            cached: Mutex::new(None),
        }
    }

    /// The claims of a token made at `now` (seconds since the epoch).
    pub fn claims_at(&self, now: u64) -> Claims {
        Claims {
            iss: self.access_key.expose().to_string(),
            exp: now + LIFETIME_SECS,
            nbf: now.saturating_sub(NOT_BEFORE_SLACK_SECS),
        }
    }

    /// A token valid at `now`: the cached one while it has more than
    /// [`RENEW_BEFORE_SECS`] left, else a new one.
    pub fn token_at(&self, now: u64) -> String {
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cached.as_ref() {
            if c.exp > now + RENEW_BEFORE_SECS {
                return c.token.clone();
            }
        }
        let claims = self.claims_at(now);
        let token = sign(&claims, &self.secret_key);
        *cached = Some(Cached {
            token: token.clone(),
            exp: claims.exp,
        });
        token
    }

    /// A token valid now.
    pub fn token(&self) -> String {
        self.token_at(now_secs())
    }
}

/// Signs `claims` with HS256. Signing with HMAC cannot fail for any key, so
/// an error here would be a bug in the JWT crate; it yields an empty token,
/// which Kling refuses as "Authorization is empty".
pub fn sign(claims: &Claims, secret: &Secret) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.expose().as_bytes()),
    )
    .unwrap_or_default()
}

/// Why a token was refused, as Kling's codes (§1.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// 1001
    Empty,
    /// 1002
    Invalid,
    /// 1003
    NotYetValid,
    /// 1004
    Expired,
}

impl TokenProblem {
    pub fn code(self) -> i64 {
        match self {
            TokenProblem::Empty => 1001,
            TokenProblem::Invalid => 1002,
            TokenProblem::NotYetValid => 1003,
            TokenProblem::Expired => 1004,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            TokenProblem::Empty => "Authorization is empty",
            TokenProblem::Invalid => "Authorization is invalid",
            TokenProblem::NotYetValid => "Authorization is not yet valid",
            TokenProblem::Expired => "Authorization has expired",
        }
    }
}

/// Checks a token as Kling does: signature, issuer, `nbf` and `exp` at
/// `now`. Used by the simulator.
pub fn verify_at(
    token: &str,
    access_key: &str,
    secret: &Secret,
    now: u64,
) -> Result<Claims, TokenProblem> {
    if token.is_empty() {
        return Err(TokenProblem::Empty);
    }
    let mut validation = Validation::new(Algorithm::HS256);
    // Time is checked below against `now`, so tests can move the clock.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.required_spec_claims.clear();
    let data = decode::<Claims>(
        token,
        &DecodingKey::from_secret(secret.expose().as_bytes()),
        &validation,
    )
    .map_err(|_| TokenProblem::Invalid)?;
    let claims = data.claims;
    if claims.iss != access_key {
        return Err(TokenProblem::Invalid);
    }
    if now < claims.nbf {
        return Err(TokenProblem::NotYetValid);
    }
    if now >= claims.exp {
        return Err(TokenProblem::Expired);
    }
    Ok(claims)
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> KlingSigner {
        KlingSigner::new(Secret::new("ak-test"), Secret::new("sk-test"))
    }

    #[test]
    fn claims_follow_klings_recipe() {
        let now = 1_800_000_000;
        let token = signer().token_at(now);
        let claims = verify_at(&token, "ak-test", &Secret::new("sk-test"), now).expect("valid");
        assert_eq!(claims.iss, "ak-test");
        assert_eq!(claims.exp, now + 1800);
        assert_eq!(claims.nbf, now - 5);
        let header = jsonwebtoken::decode_header(&token).expect("header");
        assert_eq!(header.alg, Algorithm::HS256);
        assert_eq!(header.typ.as_deref(), Some("JWT"));
    }

    #[test]
    fn a_token_is_reused_until_it_nears_expiry() {
        let s = signer();
        let now = 1_800_000_000;
        let first = s.token_at(now);
        assert_eq!(s.token_at(now + 60), first);
        assert_eq!(
            s.token_at(now + LIFETIME_SECS - RENEW_BEFORE_SECS - 1),
            first
        );
        let renewed = s.token_at(now + LIFETIME_SECS - RENEW_BEFORE_SECS);
        assert_ne!(renewed, first);
        let claims = verify_at(
            &renewed,
            "ak-test",
            &Secret::new("sk-test"),
            now + LIFETIME_SECS - 1,
        )
        .expect("the renewed token is valid");
        assert_eq!(claims.exp, now + 2 * LIFETIME_SECS - RENEW_BEFORE_SECS);
    }

    #[test]
    fn the_checker_refuses_what_kling_refuses() {
        let now = 1_800_000_000;
        let token = signer().token_at(now);
        let sk = Secret::new("sk-test");
        assert_eq!(
            verify_at(&token, "ak-test", &sk, now - 10),
            Err(TokenProblem::NotYetValid)
        );
        assert_eq!(
            verify_at(&token, "ak-test", &sk, now + 1800),
            Err(TokenProblem::Expired)
        );
        assert_eq!(
            verify_at(&token, "ak-other", &sk, now),
            Err(TokenProblem::Invalid)
        );
        assert_eq!(
            verify_at(&token, "ak-test", &Secret::new("sk-wrong"), now),
            Err(TokenProblem::Invalid)
        );
        assert_eq!(verify_at("", "ak-test", &sk, now), Err(TokenProblem::Empty));
        assert_eq!(
            verify_at("a.b.c", "ak-test", &sk, now),
            Err(TokenProblem::Invalid)
        );
    }
}

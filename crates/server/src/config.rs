//! Provider keys and hosts: read from the environment and, optionally, a
//! TOML file. The environment wins. Keys live in [`Secret`], whose `Debug`
//! and `Display` never show the value, so a key cannot reach a log line by
//! accident.
//!
//! ```toml
//! [kling]
//! access_key = "..."
//! secret_key = "..."
//! base_url = "https://api-singapore.klingai.com"   # optional
//!
//! [fal]
//! key = "..."
//!
//! [replicate]
//! token = "..."
//! ```

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

/// A value that must never be printed.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that sends it upstream.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("…")
    }
}

/// Secrets that must not reach a log line even when a third party quotes
/// them back (an S3 error names the access key id it was sent): register
/// them once, and pass any text from outside through [`redact::scrub`]
/// before it is logged.
pub mod redact {
    use std::sync::RwLock;

    use super::Secret;

    static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

    /// Adds `secret` (values shorter than 4 characters are not worth it).
    pub fn register(secret: &Secret) {
        let v = secret.expose();
        if v.len() < 4 {
            return;
        }
        let mut all = SECRETS.write().unwrap_or_else(|e| e.into_inner());
        if !all.iter().any(|s| s == v) {
            all.push(v.to_string());
        }
    }

    /// `text` with every registered secret replaced by `…`.
    pub fn scrub(text: &str) -> String {
        let all = SECRETS.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_string();
        for s in all.iter() {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "…");
            }
        }
        out
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KlingKeys {
    pub access_key: Option<Secret>,
    pub secret_key: Option<Secret>,
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FalKeys {
    pub key: Option<Secret>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicateKeys {
    pub token: Option<Secret>,
}

/// What the relays know about the providers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    #[serde(default)]
    pub kling: KlingKeys,
    #[serde(default)]
    pub fal: FalKeys,
    #[serde(default)]
    pub replicate: ReplicateKeys,
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the config file {path} is not valid: {reason}")]
    Parse { path: String, reason: String },
    #[error("Kling needs both an access key and a secret key; only the {present} is set")]
    HalfKling { present: &'static str },
}

/// The environment variables read, in one place.
pub const ENV_KLING_ACCESS_KEY: &str = "KLING_ACCESS_KEY";
pub const ENV_KLING_SECRET_KEY: &str = "KLING_SECRET_KEY";
pub const ENV_KLING_BASE_URL: &str = "KLING_BASE_URL";
pub const ENV_FAL_KEY: &str = "FAL_KEY";
pub const ENV_REPLICATE_TOKEN: &str = "REPLICATE_API_TOKEN";

impl Keys {
    /// Reads `file` (if given), then lets `env` override each value. An
    /// empty variable counts as unset.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Keys, ConfigError> {
        let mut keys = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                // toml's message quotes the offending line, which may hold
                // a key: keep only its first line (the position and kind).
                toml::from_str(&text).map_err(|e: toml::de::Error| ConfigError::Parse {
                    path: path.display().to_string(),
                    reason: e.message().to_string(),
                })?
            }
            None => Keys::default(),
        };
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = var(ENV_KLING_ACCESS_KEY) {
            keys.kling.access_key = Some(Secret::new(v));
        }
        if let Some(v) = var(ENV_KLING_SECRET_KEY) {
            keys.kling.secret_key = Some(Secret::new(v));
        }
        if let Some(v) = var(ENV_KLING_BASE_URL) {
            keys.kling.base_url = Some(v);
        }
        if let Some(v) = var(ENV_FAL_KEY) {
            keys.fal.key = Some(Secret::new(v));
        }
        if let Some(v) = var(ENV_REPLICATE_TOKEN) {
            keys.replicate.token = Some(Secret::new(v));
        }
        match (&keys.kling.access_key, &keys.kling.secret_key) {
            (Some(_), None) => Err(ConfigError::HalfKling {
                present: "access key",
            }),
            (None, Some(_)) => Err(ConfigError::HalfKling {
                present: "secret key",
            }),
            _ => Ok(keys),
        }
    }

    /// True when no provider has a key: the server then relays Kling to
    /// its built-in simulator.
    pub fn none(&self) -> bool {
        self.kling.access_key.is_none() && self.fal.key.is_none() && self.replicate.token.is_none()
    }
}

/// For tests: an environment of these `(name, value)` pairs, to pass
/// where the real one is read.
#[cfg(test)]
pub(crate) fn env_of(
    pairs: &'static [(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys.toml");
        std::fs::write(
            &path,
            "[kling]\naccess_key = \"file-ak\"\nsecret_key = \"file-sk\"\n[fal]\nkey = \"file-fal\"\n",
        )
        .expect("write");
        let keys =
            Keys::load(Some(&path), env_of(&[("KLING_ACCESS_KEY", "env-ak")])).expect("loads");
        assert_eq!(keys.kling.access_key, Some(Secret::new("env-ak")));
        assert_eq!(keys.kling.secret_key, Some(Secret::new("file-sk")));
        assert_eq!(keys.fal.key, Some(Secret::new("file-fal")));
        assert!(!keys.none());
    }

    #[test]
    fn half_a_kling_key_pair_is_refused() {
        let err = Keys::load(None, env_of(&[("KLING_SECRET_KEY", "sk")])).unwrap_err();
        assert!(err.to_string().contains("only the secret key"), "{err}");
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let keys = Keys::load(None, env_of(&[("FAL_KEY", "  ")])).expect("loads");
        assert!(keys.none());
    }

    #[test]
    fn registered_secrets_are_scrubbed() {
        redact::register(&Secret::new("AKIDscrub0test"));
        let said = "<Error><AWSAccessKeyId>AKIDscrub0test</AWSAccessKeyId></Error>";
        assert_eq!(
            redact::scrub(said),
            "<Error><AWSAccessKeyId>…</AWSAccessKeyId></Error>"
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let keys = Keys::load(None, env_of(&[("FAL_KEY", "fal-very-secret")])).expect("loads");
        let shown = format!("{keys:?} {}", keys.fal.key.clone().expect("set"));
        assert!(!shown.contains("fal-very-secret"), "{shown}");
    }

    #[test]
    fn a_bad_file_names_the_problem_without_echoing_values() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys.toml");
        std::fs::write(&path, "[kling]\naccess_key = \"ak-leak\"\nsecret = 3\n").expect("write");
        let err = Keys::load(Some(&path), |_| None).unwrap_err().to_string();
        assert!(err.contains("not valid"), "{err}");
        assert!(!err.contains("ak-leak"), "{err}");
    }
}

//! Provider keys and hosts: read from the environment and, optionally, a
//! TOML file. The environment wins. Keys live in [`Secret`], whose `Debug`
//! and `Display` never show the value, so a key cannot reach a log line by
//! accident.
//!
//! ```toml
//! [kling]
//! api_key = "..."                # the console API key (preferred)
//! access_key = "..."             # or a key pair, legacy design only
//! secret_key = "..."
//! base_url = "https://api-singapore.klingai.com"   # optional
//! api = "current"                # or "legacy"; optional
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
use storyreel_core::options::KlingApi;
use storyreel_core::wire::{KlingCredential, KlingSetup};
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
    /// The console API key (`KLING_API_KEY`), sent as `Bearer <key>` on
    /// both designs; it wins over a key pair.
    pub api_key: Option<Secret>,
    pub access_key: Option<Secret>,
    pub secret_key: Option<Secret>,
    pub base_url: Option<String>,
    /// The design asked for (`--kling-api`, `KLING_API`, `api` here).
    pub api: Option<KlingApi>,
    /// Where [`KlingKeys::api`] came from, for the reason `/api/status`
    /// gives; a value read from the file is [`ApiSource::File`].
    #[serde(skip)]
    pub api_from: Option<ApiSource>,
}

/// Where the asked-for Kling design came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiSource {
    Flag,
    Env,
    File,
}

impl ApiSource {
    /// How the choice was made, in words ("--kling-api legacy").
    fn told(self, api: KlingApi) -> String {
        match self {
            ApiSource::Flag => format!("--kling-api {}", api.as_str()),
            ApiSource::Env => format!("{ENV_KLING_API}={}", api.as_str()),
            ApiSource::File => format!("api = \"{}\" in the config file", api.as_str()),
        }
    }
}

impl KlingKeys {
    /// The credential the relay signs with: the API key when there is one
    /// (it wins over a pair), else the pair, else none (the simulator).
    pub fn credential(&self) -> KlingCredential {
        if self.api_key.is_some() {
            KlingCredential::ApiKey
        } else if self.access_key.is_some() && self.secret_key.is_some() {
            KlingCredential::AccessKeyPair
        } else {
            KlingCredential::None
        }
    }

    /// Which design the server speaks, with which credential, and why.
    ///
    /// The current design takes only an API key, so with just a key pair
    /// the legacy design is used. [`Keys::load_with`] refuses an explicit
    /// `current` with only a pair; keys built by hand that ask for it
    /// anyway get the legacy design here, with that reason.
    pub fn setup(&self) -> KlingSetup {
        let credential = self.credential();
        let asked = self.api.map(|api| {
            (
                api,
                format!(
                    "chosen with {}",
                    self.api_from.unwrap_or(ApiSource::File).told(api)
                ),
            )
        });
        let (api, reason) = match (credential, asked) {
            (KlingCredential::AccessKeyPair, Some((KlingApi::Legacy, how))) => (
                KlingApi::Legacy,
                format!("{how}; an access key / secret key pair works only on the legacy design"),
            ),
            (KlingCredential::AccessKeyPair, _) => (
                KlingApi::Legacy,
                "only an access key / secret key pair is set, and Kling's current design accepts only API keys, so the legacy design is used".to_string(),
            ),
            (KlingCredential::ApiKey, Some((api, how))) => (api, how),
            (KlingCredential::ApiKey, None) => (
                KlingApi::Current,
                "an API key is set; Kling's current design accepts only API keys, and it is the default".to_string(),
            ),
            (KlingCredential::None, Some((api, how))) => (
                api,
                format!("no Kling keys: the built-in simulator, on the {} design ({how})", api.as_str()),
            ),
            (KlingCredential::None, None) => (
                KlingApi::Current,
                "no Kling keys: the built-in simulator, on the current design".to_string(),
            ),
        };
        KlingSetup {
            credential,
            api,
            reason,
        }
    }
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
    #[error("{ENV_KLING_API}={value:?} is not a Kling design; use current or legacy")]
    BadKlingApi { value: String },
    #[error("{how} asks for Kling's current design, which accepts only an API key, but only an access key / secret key pair is set: set {ENV_KLING_API_KEY} (the API key from Kling's console), or choose --kling-api legacy")]
    CurrentNeedsApiKey { how: String },
}

/// The environment variables read, in one place.
pub const ENV_KLING_API_KEY: &str = "KLING_API_KEY";
pub const ENV_KLING_API: &str = "KLING_API";
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
        Keys::load_with(file, env, None)
    }

    /// [`Keys::load`], with the design given by `--kling-api` (`flag`),
    /// which wins over `KLING_API`, which wins over the file. Asking for
    /// the current design with only a key pair is refused: the server
    /// would start, and every Kling call would fail.
    pub fn load_with(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
        flag: Option<KlingApi>,
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
        if keys.kling.api.is_some() {
            keys.kling.api_from = Some(ApiSource::File);
        }
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = var(ENV_KLING_API_KEY) {
            keys.kling.api_key = Some(Secret::new(v));
        }
        if let Some(v) = var(ENV_KLING_API) {
            let api = KlingApi::parse(&v).ok_or(ConfigError::BadKlingApi { value: v })?;
            keys.kling.api = Some(api);
            keys.kling.api_from = Some(ApiSource::Env);
        }
        if let Some(api) = flag {
            keys.kling.api = Some(api);
            keys.kling.api_from = Some(ApiSource::Flag);
        }
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
            _ => Ok(()),
        }?;
        if keys.kling.credential() == KlingCredential::AccessKeyPair
            && keys.kling.api == Some(KlingApi::Current)
        {
            return Err(ConfigError::CurrentNeedsApiKey {
                how: keys
                    .kling
                    .api_from
                    .unwrap_or(ApiSource::File)
                    .told(KlingApi::Current),
            });
        }
        Ok(keys)
    }

    /// True when no provider has a key: the server then relays Kling to
    /// its built-in simulator.
    pub fn none(&self) -> bool {
        self.kling.credential() == KlingCredential::None
            && self.fal.key.is_none()
            && self.replicate.token.is_none()
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
    fn the_api_key_comes_from_the_file_or_the_environment_and_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys.toml");
        std::fs::write(
            &path,
            "[kling]\napi_key = \"file-kk\"\naccess_key = \"ak\"\nsecret_key = \"sk\"\n",
        )
        .expect("write");
        let keys = Keys::load(Some(&path), |_| None).expect("loads");
        assert_eq!(keys.kling.api_key, Some(Secret::new("file-kk")));
        let setup = keys.kling.setup();
        assert_eq!(setup.credential, KlingCredential::ApiKey);
        assert_eq!(setup.api, KlingApi::Current);
        assert!(setup.reason.contains("API key"), "{}", setup.reason);
        let keys = Keys::load(Some(&path), env_of(&[("KLING_API_KEY", "env-kk")])).expect("loads");
        assert_eq!(keys.kling.api_key, Some(Secret::new("env-kk")));
        assert!(!Keys::load(None, env_of(&[("KLING_API_KEY", "kk")]))
            .expect("loads")
            .none());
    }

    #[test]
    fn a_key_pair_alone_means_the_legacy_design_with_the_reason() {
        let pair = &[("KLING_ACCESS_KEY", "ak"), ("KLING_SECRET_KEY", "sk")];
        let setup = Keys::load(None, env_of(pair)).expect("loads").kling.setup();
        assert_eq!(setup.credential, KlingCredential::AccessKeyPair);
        assert_eq!(setup.api, KlingApi::Legacy);
        assert!(
            setup.reason.contains("accepts only API keys")
                && setup.reason.contains("legacy design is used"),
            "{}",
            setup.reason
        );
        let setup = Keys::load_with(None, env_of(pair), Some(KlingApi::Legacy))
            .expect("loads")
            .kling
            .setup();
        assert_eq!(setup.api, KlingApi::Legacy);
        assert!(
            setup.reason.contains("--kling-api legacy"),
            "{}",
            setup.reason
        );
    }

    #[test]
    fn asking_for_the_current_design_with_only_a_key_pair_is_refused() {
        let pair = &[("KLING_ACCESS_KEY", "ak-x1"), ("KLING_SECRET_KEY", "sk-x1")];
        let err = Keys::load_with(None, env_of(pair), Some(KlingApi::Current))
            .unwrap_err()
            .to_string();
        assert!(err.contains("--kling-api current"), "{err}");
        assert!(
            err.contains("accepts only an API key") && err.contains("KLING_API_KEY"),
            "{err}"
        );
        assert!(!err.contains("ak-x1") && !err.contains("sk-x1"), "{err}");
        let with_env = &[
            ("KLING_ACCESS_KEY", "ak"),
            ("KLING_SECRET_KEY", "sk"),
            ("KLING_API", "current"),
        ];
        let err = Keys::load(None, env_of(with_env)).unwrap_err().to_string();
        assert!(err.contains("KLING_API=current"), "{err}");
    }

    #[test]
    fn the_design_flag_beats_the_variable_beats_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys.toml");
        std::fs::write(&path, "[kling]\napi_key = \"kk\"\napi = \"legacy\"\n").expect("write");
        let from = |env: &'static [(&'static str, &'static str)], flag| {
            Keys::load_with(Some(&path), env_of(env), flag)
                .expect("loads")
                .kling
                .setup()
        };
        let file = from(&[], None);
        assert_eq!(file.api, KlingApi::Legacy);
        assert!(
            file.reason.contains("in the config file"),
            "{}",
            file.reason
        );
        let env = from(&[("KLING_API", "current")], None);
        assert_eq!(env.api, KlingApi::Current);
        assert!(env.reason.contains("KLING_API=current"), "{}", env.reason);
        let flag = from(&[("KLING_API", "current")], Some(KlingApi::Legacy));
        assert_eq!(flag.api, KlingApi::Legacy);
        assert!(
            flag.reason.contains("--kling-api legacy"),
            "{}",
            flag.reason
        );
        let err = Keys::load(None, env_of(&[("KLING_API", "v3")])).unwrap_err();
        assert!(
            err.to_string().contains("\"v3\" is not a Kling design"),
            "{err}"
        );
    }

    #[test]
    fn no_keys_means_the_simulator_on_the_chosen_design() {
        let setup = Keys::load(None, |_| None).expect("loads").kling.setup();
        assert_eq!(setup.credential, KlingCredential::None);
        assert_eq!(setup.api, KlingApi::Current);
        assert_eq!(
            setup.reason,
            "no Kling keys: the built-in simulator, on the current design"
        );
        let setup = Keys::load_with(None, |_| None, Some(KlingApi::Legacy))
            .expect("loads")
            .kling
            .setup();
        assert_eq!(setup.api, KlingApi::Legacy);
        assert!(setup.reason.contains("simulator") && setup.reason.contains("--kling-api legacy"));
    }

    #[test]
    fn the_api_key_does_not_print() {
        let keys =
            Keys::load(None, env_of(&[("KLING_API_KEY", "kling-api-very-secret")])).expect("loads");
        let setup = keys.kling.setup();
        let shown = format!(
            "{keys:?} {} {setup:?} {}",
            keys.kling.api_key.clone().expect("set"),
            serde_json::to_string(&setup).expect("json")
        );
        assert!(!shown.contains("kling-api-very-secret"), "{shown}");
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

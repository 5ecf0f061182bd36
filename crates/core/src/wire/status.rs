//! `GET /api/status`: what the server can reach, and how.

use serde::{Deserialize, Serialize};

use crate::board::{Board, Provider};
use crate::options::KlingApi;

/// `GET /api/status`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServerStatus {
    /// Kling is the built-in simulator.
    #[serde(default)]
    pub simulator: bool,
    #[serde(default)]
    pub providers: Providers,
    #[serde(default)]
    pub uploads: UploadsStatus,
    /// The server was started with `--access-token`: `/api/...` calls
    /// need it.
    #[serde(default)]
    pub access_token_required: bool,
    /// Kling's credential and design; a server from before the current
    /// design says nothing, which means the legacy design.
    #[serde(default = "KlingSetup::unstated")]
    pub kling: KlingSetup,
}

/// What `/api/status` says of each provider.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Providers {
    #[serde(default)]
    pub kling: ProviderStatus,
    #[serde(default)]
    pub fal: ProviderStatus,
    #[serde(default)]
    pub replicate: ProviderStatus,
}

/// What `/api/status` says about one provider.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProviderStatus {
    #[serde(default)]
    pub ready: bool,
    /// Kling only (the others never say): whether it is the simulator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulated: Option<bool>,
    /// fal only: the browser may bring its own key
    /// (`--fal-allow-browser-key`, no server key).
    #[serde(default, skip_serializing_if = "is_false")]
    pub browser_key: bool,
    /// Why it is not ready, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl ProviderStatus {
    /// Ready, with nothing more to say.
    pub fn ready() -> ProviderStatus {
        ProviderStatus {
            ready: true,
            ..ProviderStatus::default()
        }
    }

    /// Not ready, and why.
    pub fn not_ready(why: impl Into<String>) -> ProviderStatus {
        ProviderStatus {
            why: Some(why.into()),
            ..ProviderStatus::default()
        }
    }

    /// Whether this is the simulator.
    pub fn is_simulated(&self) -> bool {
        self.simulated == Some(true)
    }
}

/// What `/api/status` says of uploads: `{"available": false}` alone, or
/// `available` with the [`UploadsSetup`] beside it. Read through
/// [`ReadUploads`] (not serde's `flatten`, which would bring its buffering
/// machinery into the editor's first load).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "ReadUploads")]
pub struct UploadsStatus {
    #[serde(default)]
    pub available: bool,
    /// Present when uploads are available.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<UploadsSetup>,
}

/// How a server that keeps uploads keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadsSetup {
    /// Where stored files can be fetched from outside (`--public-base-url`);
    /// `null` when the server has no public address.
    pub public_base_url: Option<String>,
    /// Where this server serves them (`/uploads`, or under the public base).
    pub upload_base_url: String,
    /// `--upload-max-bytes`.
    pub max_bytes: u64,
    /// The limit for images (the board format's, or the server's if smaller).
    pub image_max_bytes: u64,
    /// The content types the server takes.
    pub accepted: Vec<String>,
}

/// Every field of [`UploadsStatus`] as written, side by side.
#[derive(Deserialize)]
struct ReadUploads {
    #[serde(default)]
    available: bool,
    #[serde(default)]
    public_base_url: Option<String>,
    #[serde(default)]
    upload_base_url: Option<String>,
    #[serde(default)]
    max_bytes: Option<u64>,
    #[serde(default)]
    image_max_bytes: Option<u64>,
    #[serde(default)]
    accepted: Option<Vec<String>>,
}

impl From<ReadUploads> for UploadsStatus {
    /// The setup is there when all its fields are.
    fn from(r: ReadUploads) -> UploadsStatus {
        let setup = match (
            r.upload_base_url,
            r.max_bytes,
            r.image_max_bytes,
            r.accepted,
        ) {
            (Some(upload_base_url), Some(max_bytes), Some(image_max_bytes), Some(accepted)) => {
                Some(UploadsSetup {
                    public_base_url: r.public_base_url,
                    upload_base_url,
                    max_bytes,
                    image_max_bytes,
                    accepted,
                })
            }
            _ => None,
        };
        UploadsStatus {
            available: r.available,
            setup,
        }
    }
}

impl UploadsStatus {
    /// What a server that keeps no uploads says.
    pub fn unavailable() -> UploadsStatus {
        UploadsStatus::default()
    }

    /// What a server that keeps uploads says.
    pub fn available(setup: UploadsSetup) -> UploadsStatus {
        UploadsStatus {
            available: true,
            setup: Some(setup),
        }
    }

    /// The public base of `/uploads/<sha256>`, when there is one.
    pub fn public_uploads_base(&self) -> Option<String> {
        let setup = self.setup.as_ref().filter(|_| self.available)?;
        let base = setup.public_base_url.as_deref()?.trim_end_matches('/');
        (!base.is_empty()).then(|| format!("{base}/uploads"))
    }

    /// Why the files of `board` stored on this server cannot reach
    /// `provider`, if they cannot; known before anything is sent. Without a
    /// public base the relay inlines images but cannot hand over a video
    /// (providers fetch reference videos by URL only), and fal called with
    /// the user's own key (`fal_direct`) bypasses the relay altogether.
    pub fn refusal(&self, board: &Board, provider: Provider, fal_direct: bool) -> Option<String> {
        if self.public_uploads_base().is_some() {
            return None;
        }
        let stored = board
            .references
            .iter()
            .filter(|r| r.src().is_some_and(|s| s.starts_with("upload:")));
        for r in stored {
            if provider == Provider::Fal && fal_direct {
                return Some(format!(
                    "'{}' is stored on this server, but fal is called directly with your own key, so the server cannot hand it over: clear your own fal key, or start the server with --public-base-url.",
                    r.name
                ));
            }
            if matches!(r.kind, crate::reference::ReferenceKind::Video { .. }) {
                return Some(format!(
                    "'{}' is a video stored on this server, and {} fetches reference videos by URL only: start the server with --public-base-url (an address {} can reach), or use an https link to the video.",
                    r.name,
                    provider.label(),
                    provider.label()
                ));
            }
        }
        None
    }
}

/// Which Kling credential a server holds (never the credential itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KlingCredential {
    /// A console API key (`KLING_API_KEY`), sent as `Bearer <key>`.
    ApiKey,
    /// An access key / secret key pair, signed into a JWT (legacy design
    /// only).
    AccessKeyPair,
    /// None: Kling is simulated, or not available.
    #[default]
    None,
}

impl KlingCredential {
    pub fn label(self) -> &'static str {
        match self {
            KlingCredential::ApiKey => "an API key",
            KlingCredential::AccessKeyPair => "an access key / secret key pair",
            KlingCredential::None => "no Kling credential",
        }
    }
}

/// What `/api/status` says of how the server speaks to Kling: which
/// credential, which design, and why that design.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KlingSetup {
    #[serde(default)]
    pub credential: KlingCredential,
    #[serde(default)]
    pub api: KlingApi,
    /// Why this design, in words.
    #[serde(default)]
    pub reason: String,
}

impl KlingSetup {
    /// What a status without a `kling` section means: a server that only
    /// knows the legacy design.
    pub fn unstated() -> KlingSetup {
        KlingSetup {
            credential: KlingCredential::None,
            api: KlingApi::Legacy,
            reason: "the server does not say which design it speaks, so it speaks the legacy one"
                .into(),
        }
    }
}

impl Providers {
    /// What the status says of `provider`.
    pub fn get(&self, provider: Provider) -> &ProviderStatus {
        match provider {
            Provider::Kling => &self.kling,
            Provider::Fal => &self.fal,
            Provider::Replicate => &self.replicate,
        }
    }
}

impl ServerStatus {
    /// Reads the answer; `None` when it is not the status document.
    pub fn parse(body: &str) -> Option<ServerStatus> {
        serde_json::from_str(body).ok()
    }

    pub fn provider(&self, provider: Provider) -> ProviderStatus {
        self.providers.get(provider).clone()
    }

    /// Why the board's provider cannot be used through this server, if it
    /// cannot. `own_fal_key`: the user gave fal a key of their own.
    pub fn refusal(&self, provider: Provider, own_fal_key: bool) -> Option<String> {
        if provider == Provider::Fal && own_fal_key {
            return None;
        }
        let p = self.provider(provider);
        if p.ready {
            return None;
        }
        Some(match p.why {
            Some(why) => format!("{} is not available: {why}", provider.label()),
            None => format!("{} is not available on this server", provider.label()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(doc: &str) -> serde_json::Value {
        let status = ServerStatus::parse(doc).expect("a status");
        serde_json::to_value(&status).expect("json")
    }

    #[test]
    fn unavailable_uploads_say_only_so() {
        let v = serde_json::to_value(UploadsStatus::unavailable()).expect("json");
        assert_eq!(v, serde_json::json!({"available": false}));
        let doc = r#"{"available": true, "public_base_url": null, "upload_base_url": "/uploads",
            "max_bytes": 10, "image_max_bytes": 5, "accepted": ["image/png"]}"#;
        let u: UploadsStatus = serde_json::from_str(doc).expect("uploads");
        assert_eq!(u.setup.as_ref().map(|s| s.max_bytes), Some(10));
        assert_eq!(u.public_uploads_base(), None);
        let back = serde_json::to_value(&u).expect("json");
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(doc).unwrap()
        );
    }

    #[test]
    fn only_kling_says_whether_it_is_simulated() {
        let doc = r#"{"simulator":false,"providers":{"kling":{"ready":true,"simulated":false},
            "fal":{"ready":true,"browser_key":true},
            "replicate":{"ready":false,"why":"no key"}},
            "uploads":{"available":false},"access_token_required":false,
            "kling":{"credential":"api_key","api":"current","reason":"r"}}"#;
        assert_eq!(
            round_trip(doc),
            serde_json::from_str::<serde_json::Value>(doc).unwrap()
        );
    }
}

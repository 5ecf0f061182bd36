//! Settings of a request that are not part of the board: which of
//! Kling's designs to speak, where uploads go, the job's key, and what the
//! resellers accept where providers.md marks it UNCONFIRMED.

use crate::character::Roster;

/// Kling's API host outside China (providers.md §0.2).
pub const KLING_BASE_URL: &str = "https://api-singapore.klingai.com";

/// Kling's two request designs (providers.md §0.1–0.3). Kling tells them
/// apart by the URL: a model in the path is the current design, a
/// `model_name` in the body the legacy one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum KlingApi {
    /// `POST /omni-video/kling-3.0-omni` with `{contents, settings,
    /// options}`, queried at `/tasks`; API key only.
    #[default]
    Current,
    /// `POST /v1/videos/omni-video` with `model_name`; API key or an
    /// access key / secret key pair.
    Legacy,
}

impl KlingApi {
    pub const ALL: [KlingApi; 2] = [KlingApi::Current, KlingApi::Legacy];

    pub fn as_str(self) -> &'static str {
        match self {
            KlingApi::Current => "current",
            KlingApi::Legacy => "legacy",
        }
    }

    pub fn parse(s: &str) -> Option<KlingApi> {
        KlingApi::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            KlingApi::Current => "Kling's current API design",
            KlingApi::Legacy => "Kling's legacy API design",
        }
    }

    /// The design a Kling path belongs to: `/v1/...` is legacy, anything
    /// else (`/omni-video/...`, `/tasks`) current.
    pub fn of_path(path: &str) -> KlingApi {
        if path.starts_with("/v1/") {
            KlingApi::Legacy
        } else {
            KlingApi::Current
        }
    }
}

/// Where the board's overall direction goes in the one prompt text of
/// Kling's current design, which has no field of its own for it. Kling
/// does not document how the two combine (UNCONFIRMED), so it is an
/// option; the default puts it before the shot list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PromptPlacement {
    /// `direction shot 1, 4, words; shot 2, ...`
    #[default]
    BeforeShots,
    /// `shot 1, 4, direction words; shot 2, 5, direction words; ...`
    EveryShot,
}

/// Settings that are not part of the board.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestOptions {
    /// Kling's API host, without a trailing slash.
    pub kling_base_url: String,
    /// Which of Kling's two request designs to speak.
    pub kling_api: KlingApi,
    /// Where the overall direction goes in Kling's one prompt text.
    pub prompt_placement: PromptPlacement,
    /// What becomes of `upload:<sha256>` references (see [`UploadsMode`]).
    pub uploads: UploadsMode,
    /// Our own id for the task, unique per account (makes retries safe).
    pub external_task_id: Option<String>,
    pub callback_url: Option<String>,
    /// What fal accepts where providers.md marks it UNCONFIRMED.
    pub fal: FalOptions,
    /// What Replicate accepts where providers.md marks it UNCONFIRMED.
    pub replicate: ReplicateOptions,
    /// What the browser's character library knows of the elements a board
    /// cites (still being made, failed, deleted); empty without a library.
    pub roster: Roster,
}

impl Default for RequestOptions {
    fn default() -> RequestOptions {
        RequestOptions {
            kling_base_url: KLING_BASE_URL.to_string(),
            kling_api: KlingApi::default(),
            prompt_placement: PromptPlacement::default(),
            uploads: UploadsMode::Refuse,
            external_task_id: None,
            callback_url: None,
            fal: FalOptions::default(),
            replicate: ReplicateOptions::default(),
            roster: Roster::default(),
        }
    }
}

/// What a request does with a reference stored on the server
/// (`src: "upload:<sha256>"`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum UploadsMode {
    /// The server publishes uploads under this base: `upload:<sha256>`
    /// becomes `<base>/<sha256>`, a URL the provider fetches.
    PublicBase(String),
    /// The request goes through the server's relay, which resolves
    /// `upload:<sha256>` itself (a public URL, or the bytes inlined): the
    /// string is sent as written.
    ResolvedByServer,
    /// Nothing can resolve it: a board with uploads is refused
    /// ([`RequestError::UploadNeedsPublicUrl`](crate::request::RequestError::UploadNeedsPublicUrl)).
    #[default]
    Refuse,
}

impl UploadsMode {
    /// `PublicBase` when there is a base, else `Refuse` (the command
    /// line's `--upload-base-url`).
    pub fn from_base(base: Option<String>) -> UploadsMode {
        match base.map(|b| b.trim().to_string()).filter(|b| !b.is_empty()) {
            Some(b) => UploadsMode::PublicBase(b),
            None => UploadsMode::Refuse,
        }
    }
}

/// What fal accepts where providers.md marks it UNCONFIRMED (§2.4, §6 items
/// 7 and 8). The defaults are the safe choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FalOptions {
    /// The shortest shot in `multi_prompt`, in seconds. fal's per-shot
    /// `duration` enum is `'3'…'15'` in one schema snapshot and `'1'…'15'`
    /// in another; the default, 3, is accepted by both.
    pub min_shot_seconds: u32,
    /// Whether a multi-shot request carries the top-level `duration` (the
    /// sum of the shots, as a string). Whether fal requires it to equal the
    /// sum is unconfirmed; sending the sum is the safe choice.
    pub send_total_duration: bool,
    /// Whether a start or end frame may be sent with several shots. Kling's
    /// Omni multi-shot takes no frames, and what fal does with both is
    /// unconfirmed, so such a board is refused unless this is on.
    pub allow_frames_with_multi_shot: bool,
}

impl Default for FalOptions {
    fn default() -> FalOptions {
        FalOptions {
            min_shot_seconds: 3,
            send_total_duration: true,
            allow_frames_with_multi_shot: false,
        }
    }
}

/// What Replicate accepts where providers.md marks it UNCONFIRMED. The
/// defaults are the safe choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplicateOptions {
    /// Whether `start_image` / `end_image` may be sent with `multi_prompt`.
    /// Kling's Omni multi-shot takes no frames and Replicate documents
    /// nothing either way, so such a board is refused unless this is on.
    pub allow_frames_with_multi_shot: bool,
}

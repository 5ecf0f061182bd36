//! A generation job as the browser keeps it in its journal (IndexedDB):
//! the phases it goes through and the moves allowed between them.
//!
//! ```text
//! Journaled ──sending──▶ SubmitUnknown ──accepted──▶ Submitted ──running──▶ Running
//!     │                      │                          │                    │
//!     └──fail──▶ Failed ◀──fail/abandon─────────────────┴──fail──────────────┤
//!                                              Submitted/Running ──finish──▶ Finished
//! ```
//!
//! The entry is written (`Journaled`) before anything is sent, and moved to
//! `SubmitUnknown` just before the create request goes out. So a second
//! tab, a double click or a reload after a crash finds the entry and never
//! sends the same job again: only `Journaled` may submit, and no move leads
//! back to it. From `SubmitUnknown` the job is looked up by its key; only
//! where the provider refuses a second create with the same key
//! ([`idempotent_create`]) may the create be sent again.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::board::Provider;
use crate::response::{Charged, Failure, FailureCategory, JobState, Scope};

/// The key's fixed start.
pub const KEY_PREFIX: &str = "storyreel-";
/// The longest key (Kling's `external_task_id` takes it).
pub const MAX_KEY_LEN: usize = 64;
/// The fewest random bytes a key is made from.
pub const MIN_KEY_BYTES: usize = 8;

/// The first poll delay.
pub const FIRST_POLL_DELAY_MS: u64 = 2_000;
/// The longest poll delay.
pub const MAX_POLL_DELAY_MS: u64 = 30_000;
/// The shortest wait after Kling's concurrency error 1303 (K-RATE: "back
/// off ≥ 1 s, exponential").
pub const MIN_DELAY_AFTER_LIMIT_MS: u64 = 1_000;
/// Jitter adds at most this fraction of the delay.
pub const JITTER_SPREAD: f64 = 0.2;

/// Whether sending the same create request again, with the same key, is
/// safe: the provider then refuses the copy instead of starting (and
/// billing) a second job.
///
/// - Kling: yes. `external_task_id` "must be unique per account"
///   (providers.md §1.3), so a second create with it is refused.
/// - fal, Replicate: no. They take no caller key, so a second create is a
///   second job.
pub fn idempotent_create(provider: Provider) -> bool {
    match provider {
        Provider::Kling => true,
        Provider::Fal | Provider::Replicate => false,
    }
}

/// Whether a job that was sent can be found again by its key, without the
/// provider's id (Kling: the legacy list call carries `external_task_id`;
/// the current design answers `GET /tasks?external_task_ids=<key>`).
pub fn lookup_by_key(provider: Provider) -> bool {
    matches!(provider, Provider::Kling)
}

/// Where a job stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "phase")]
pub enum Phase {
    /// Written to the journal; nothing sent yet.
    Journaled,
    /// The create request may have been sent, and its answer is not
    /// recorded: it is in flight, or it was lost (network error, closed
    /// tab).
    SubmitUnknown,
    /// The provider accepted the job.
    Submitted { remote_id: String },
    /// The provider is generating.
    Running { remote_id: String },
    Finished {
        remote_id: String,
        video_url: String,
    },
    /// Refused, failed or given up. Whether it cost anything is in
    /// `failure.charged`.
    Failed { failure: Failure },
}

impl Phase {
    /// A short name, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Phase::Journaled => "journaled",
            Phase::SubmitUnknown => "awaiting its submit answer",
            Phase::Submitted { .. } => "submitted",
            Phase::Running { .. } => "running",
            Phase::Finished { .. } => "finished",
            Phase::Failed { .. } => "failed",
        }
    }

    /// Finished or failed.
    pub fn is_over(&self) -> bool {
        matches!(self, Phase::Finished { .. } | Phase::Failed { .. })
    }
}

/// A move the current phase does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JobError {
    #[error("cannot {action}: the job is {phase}")]
    NotAllowed {
        action: &'static str,
        phase: &'static str,
    },
    #[error("the job key needs at least {MIN_KEY_BYTES} random bytes, got {0}")]
    TooFewKeyBytes(usize),
}

/// One generation job, as journaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The idempotency key; sent to Kling as `external_task_id`.
    pub key: String,
    pub provider: Provider,
    /// When the job was journaled, in ms since the Unix epoch.
    pub created_at_ms: u64,
    pub phase: Phase,
}

impl Job {
    /// A new journal entry. Write it before sending anything.
    pub fn new(key: String, provider: Provider, created_at_ms: u64) -> Job {
        Job {
            key,
            provider,
            created_at_ms,
            phase: Phase::Journaled,
        }
    }

    /// Whether the create request may be sent now: only in `Journaled`,
    /// which no move returns to.
    pub fn may_submit(&self) -> bool {
        matches!(self.phase, Phase::Journaled)
    }

    /// Whether, with the submit answer unknown, the create may be sent
    /// again with the same key ([`idempotent_create`]). Otherwise look the
    /// job up, or give it up.
    pub fn may_retry_create(&self) -> bool {
        matches!(self.phase, Phase::SubmitUnknown) && idempotent_create(self.provider)
    }

    /// The provider's id, once known.
    pub fn remote_id(&self) -> Option<&str> {
        match &self.phase {
            Phase::Submitted { remote_id }
            | Phase::Running { remote_id }
            | Phase::Finished { remote_id, .. } => Some(remote_id),
            _ => None,
        }
    }

    /// For a failed job, whether it cost anything; `None` in other phases.
    pub fn charged(&self) -> Option<Charged> {
        match &self.phase {
            Phase::Failed { failure } => Some(failure.charged),
            _ => None,
        }
    }

    fn refuse(&self, action: &'static str) -> JobError {
        JobError::NotAllowed {
            action,
            phase: self.phase.name(),
        }
    }

    /// Journaled → SubmitUnknown. Record it just before sending the create
    /// request.
    pub fn sending(&mut self) -> Result<(), JobError> {
        match self.phase {
            Phase::Journaled => {
                self.phase = Phase::SubmitUnknown;
                Ok(())
            }
            _ => Err(self.refuse("send the create request")),
        }
    }

    /// SubmitUnknown → Submitted: the create answer arrived, or a lookup by
    /// key found the job.
    pub fn accepted(&mut self, remote_id: String) -> Result<(), JobError> {
        match self.phase {
            Phase::SubmitUnknown => {
                self.phase = Phase::Submitted { remote_id };
                Ok(())
            }
            _ => Err(self.refuse("record the accepted job")),
        }
    }

    /// Submitted → Running (Running stays Running).
    pub fn running(&mut self) -> Result<(), JobError> {
        match &self.phase {
            Phase::Submitted { remote_id } | Phase::Running { remote_id } => {
                self.phase = Phase::Running {
                    remote_id: remote_id.clone(),
                };
                Ok(())
            }
            _ => Err(self.refuse("mark the job running")),
        }
    }

    /// Submitted or Running → Finished.
    pub fn finish(&mut self, video_url: String) -> Result<(), JobError> {
        match &self.phase {
            Phase::Submitted { remote_id } | Phase::Running { remote_id } => {
                self.phase = Phase::Finished {
                    remote_id: remote_id.clone(),
                    video_url,
                };
                Ok(())
            }
            _ => Err(self.refuse("finish the job")),
        }
    }

    /// Any phase not over → Failed: the create was refused, the job
    /// failed, or the user canceled it before sending.
    pub fn fail(&mut self, failure: Failure) -> Result<(), JobError> {
        if self.phase.is_over() {
            return Err(self.refuse("fail the job"));
        }
        self.phase = Phase::Failed { failure };
        Ok(())
    }

    /// SubmitUnknown → Failed: the answer was lost and the job cannot be
    /// found (or looked up). It may exist and may be charged.
    pub fn abandon(&mut self) -> Result<(), JobError> {
        match self.phase {
            Phase::SubmitUnknown => {
                self.phase = Phase::Failed {
                    failure: Failure {
                        category: FailureCategory::Unknown,
                        scope: Scope::Request,
                        http_status: None,
                        code: None,
                        message: "the answer to the create request was lost; \
                                  check the provider's dashboard"
                            .to_string(),
                        retryable: false,
                        charged: Charged::Unknown,
                    },
                };
                Ok(())
            }
            _ => Err(self.refuse("abandon the job")),
        }
    }

    /// Applies a polled state to a submitted or running job. A refused
    /// status call ([`Scope::Request`]) leaves the job as it is: the lookup
    /// failed, not the job. Returns whether the phase changed.
    pub fn observe(&mut self, state: &JobState) -> Result<bool, JobError> {
        if !matches!(self.phase, Phase::Submitted { .. } | Phase::Running { .. }) {
            return Err(self.refuse("apply a polled state"));
        }
        let before = self.phase.clone();
        match state {
            // A queued report after a running one changes nothing.
            JobState::Queued { .. } => {}
            JobState::Running => self.running()?,
            JobState::Succeeded { video_url, .. } => self.finish(video_url.clone())?,
            JobState::Failed { reason } if reason.scope == Scope::Request => {}
            JobState::Failed { reason } => self.fail(reason.clone())?,
        }
        Ok(self.phase != before)
    }
}

/// A job key from random bytes the app supplies: `storyreel-` and the
/// bytes in lower-case hex. At least [`MIN_KEY_BYTES`] bytes are needed;
/// bytes beyond what fits in [`MAX_KEY_LEN`] characters (27) are not used.
pub fn key_from_random(bytes: &[u8]) -> Result<String, JobError> {
    if bytes.len() < MIN_KEY_BYTES {
        return Err(JobError::TooFewKeyBytes(bytes.len()));
    }
    let room = (MAX_KEY_LEN - KEY_PREFIX.len()) / 2;
    let used = &bytes[..bytes.len().min(room)];
    Ok(format!("{KEY_PREFIX}{}", crate::text::lower_hex(used)))
}

/// `base` (at most `cap`) moved by `jitter` (clamped to 0–1; not a number
/// is 0) times [`JITTER_SPREAD`] of itself: up while under the cap, down
/// once at it, so delays that reached the cap still differ between jobs
/// (jobs started together do not poll in step for ever).
pub fn spread(base: u64, cap: u64, jitter: f64) -> u64 {
    let fraction = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // `base` ≤ `cap` (30 s here), so the product is exact enough and in range.
    let base = base.min(cap);
    let extra = (base as f64 * JITTER_SPREAD * fraction) as u64;
    if base >= cap {
        cap - extra
    } else {
        (base + extra).min(cap)
    }
}

/// How long to wait before poll number `attempt` (0-based).
///
/// Exponential: 2 s, 4 s, 8 s, 16 s, then 30 s. After a rate or
/// concurrency refusal (Kling 1302/1303, HTTP 429) the schedule is one step
/// further on, and never under 1 s. `jitter` (0–1, see [`spread`]) adds up
/// to 20 % of the delay, or at 30 s takes up to 20 % off, so the result is
/// deterministic for a given jitter.
pub fn next_poll_delay_ms(
    attempt: u32,
    last_failure: Option<&Failure>,
    jitter: Option<f64>,
) -> u64 {
    let limited = last_failure.is_some_and(|f| {
        matches!(
            f.category,
            FailureCategory::RateLimited | FailureCategory::Concurrency
        ) || f.http_status == Some(429)
    });
    let step = attempt.saturating_add(u32::from(limited)).min(16);
    let base = FIRST_POLL_DELAY_MS
        .saturating_mul(1u64 << step)
        .min(MAX_POLL_DELAY_MS);
    let delay = spread(base, MAX_POLL_DELAY_MS, jitter.unwrap_or(0.0));
    if limited {
        delay.max(MIN_DELAY_AFTER_LIMIT_MS)
    } else {
        delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(category: FailureCategory, scope: Scope) -> Failure {
        Failure {
            category,
            scope,
            http_status: None,
            code: None,
            message: String::new(),
            retryable: false,
            charged: Charged::Nothing,
        }
    }

    fn job(provider: Provider) -> Job {
        Job::new("storyreel-00".into(), provider, 1)
    }

    fn at(phase: Phase) -> Job {
        Job {
            phase,
            ..job(Provider::Kling)
        }
    }

    fn all_phases() -> Vec<Phase> {
        vec![
            Phase::Journaled,
            Phase::SubmitUnknown,
            Phase::Submitted {
                remote_id: "t".into(),
            },
            Phase::Running {
                remote_id: "t".into(),
            },
            Phase::Finished {
                remote_id: "t".into(),
                video_url: "u".into(),
            },
            Phase::Failed {
                failure: failure(FailureCategory::Unknown, Scope::Task),
            },
        ]
    }

    /// Each move, and the phases it is allowed from.
    #[test]
    fn every_move_from_every_phase() {
        type Move = fn(&mut Job) -> Result<(), JobError>;
        let moves: [(&str, Move, &[&str]); 6] = [
            ("sending", |j| j.sending(), &["journaled"]),
            (
                "accepted",
                |j| j.accepted("t2".into()),
                &["awaiting its submit answer"],
            ),
            ("running", |j| j.running(), &["submitted", "running"]),
            (
                "finish",
                |j| j.finish("v".into()),
                &["submitted", "running"],
            ),
            (
                "fail",
                |j| j.fail(failure(FailureCategory::Server, Scope::Task)),
                &[
                    "journaled",
                    "awaiting its submit answer",
                    "submitted",
                    "running",
                ],
            ),
            ("abandon", |j| j.abandon(), &["awaiting its submit answer"]),
        ];
        for (name, apply, allowed) in moves {
            for phase in all_phases() {
                let mut j = at(phase.clone());
                let result = apply(&mut j);
                if allowed.contains(&phase.name()) {
                    assert!(result.is_ok(), "{name} from {}", phase.name());
                } else {
                    assert!(
                        matches!(result, Err(JobError::NotAllowed { .. })),
                        "{name} from {} should be refused",
                        phase.name()
                    );
                    assert_eq!(j.phase, phase, "a refused move changes nothing");
                }
            }
        }
    }

    #[test]
    fn happy_path() {
        let mut j = job(Provider::Kling);
        assert!(j.may_submit());
        j.sending().unwrap();
        assert!(!j.may_submit());
        j.accepted("task-1".into()).unwrap();
        assert_eq!(j.remote_id(), Some("task-1"));
        j.running().unwrap();
        j.finish("https://x/v.mp4".into()).unwrap();
        assert_eq!(
            j.phase,
            Phase::Finished {
                remote_id: "task-1".into(),
                video_url: "https://x/v.mp4".into()
            }
        );
        assert!(j.finish("again".into()).is_err(), "finishing twice");
        assert!(j.sending().is_err(), "submitting a finished job");
    }

    #[test]
    fn sending_twice_is_refused() {
        let mut j = job(Provider::Fal);
        j.sending().unwrap();
        assert_eq!(
            j.sending(),
            Err(JobError::NotAllowed {
                action: "send the create request",
                phase: "awaiting its submit answer"
            })
        );
    }

    #[test]
    fn retry_create_only_where_the_key_makes_it_safe() {
        assert!(idempotent_create(Provider::Kling));
        assert!(!idempotent_create(Provider::Fal));
        assert!(!idempotent_create(Provider::Replicate));
        for provider in Provider::ALL {
            let mut j = job(provider);
            assert!(!j.may_retry_create());
            j.sending().unwrap();
            assert_eq!(j.may_retry_create(), idempotent_create(provider));
            assert_eq!(lookup_by_key(provider), provider == Provider::Kling);
        }
    }

    #[test]
    fn abandon_leaves_charge_unknown() {
        let mut j = job(Provider::Replicate);
        j.sending().unwrap();
        j.abandon().unwrap();
        assert_eq!(j.charged(), Some(Charged::Unknown));
        assert!(j.abandon().is_err());
    }

    #[test]
    fn observe_applies_polled_states() {
        let mut j = at(Phase::Submitted {
            remote_id: "t".into(),
        });
        assert_eq!(
            j.observe(&JobState::Queued { position: Some(3) }),
            Ok(false)
        );
        assert_eq!(j.observe(&JobState::Running), Ok(true));
        assert_eq!(j.observe(&JobState::Running), Ok(false));
        assert_eq!(j.observe(&JobState::Queued { position: None }), Ok(false));
        let call_failed = JobState::Failed {
            reason: failure(FailureCategory::Server, Scope::Request),
        };
        assert_eq!(
            j.observe(&call_failed),
            Ok(false),
            "a failed poll is not a failed job"
        );
        let done = JobState::Succeeded {
            video_url: "v".into(),
            duration_seconds: Some(5.0),
            charged: None,
        };
        assert_eq!(j.observe(&done), Ok(true));
        assert!(j.observe(&done).is_err(), "finishing twice");

        let mut k = at(Phase::Running {
            remote_id: "t".into(),
        });
        let task_failed = JobState::Failed {
            reason: failure(FailureCategory::ContentSafety, Scope::Task),
        };
        assert_eq!(k.observe(&task_failed), Ok(true));
        assert!(matches!(k.phase, Phase::Failed { .. }));

        assert!(job(Provider::Kling).observe(&JobState::Running).is_err());
    }

    #[test]
    fn serde_round_trip() {
        for phase in all_phases() {
            let j = at(phase);
            let text = serde_json::to_string(&j).unwrap();
            let back: Job = serde_json::from_str(&text).unwrap();
            assert_eq!(back, j);
        }
        let text = serde_json::to_string(&at(Phase::Submitted {
            remote_id: "t".into(),
        }))
        .unwrap();
        assert_eq!(
            text,
            r#"{"key":"storyreel-00","provider":"kling","created_at_ms":1,"phase":{"phase":"submitted","remote_id":"t"}}"#
        );
    }

    #[test]
    fn keys() {
        assert_eq!(
            key_from_random(&[0, 1, 0xab, 0xff, 0x10, 0x20, 0x30, 0x40]).unwrap(),
            "storyreel-0001abff10203040"
        );
        assert_eq!(key_from_random(&[1; 7]), Err(JobError::TooFewKeyBytes(7)));
        let long = key_from_random(&[0xee; 100]).unwrap();
        assert_eq!(long.len(), MAX_KEY_LEN);
        assert!(long.starts_with(KEY_PREFIX));
        assert_eq!(key_from_random(&[7; 16]).unwrap().len(), 10 + 32);
    }

    #[test]
    fn backoff_schedule() {
        let plain: Vec<u64> = (0..7).map(|a| next_poll_delay_ms(a, None, None)).collect();
        assert_eq!(plain, [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
        assert_eq!(next_poll_delay_ms(u32::MAX, None, None), 30_000);
        assert_eq!(next_poll_delay_ms(0, None, Some(0.5)), 2_200);
        assert_eq!(next_poll_delay_ms(0, None, Some(1.0)), 2_400);
        assert_eq!(next_poll_delay_ms(0, None, Some(7.0)), 2_400, "clamped");
        assert_eq!(next_poll_delay_ms(0, None, Some(-1.0)), 2_000);
        assert_eq!(next_poll_delay_ms(0, None, Some(f64::NAN)), 2_000);
        // At the cap the jitter goes below it.
        assert_eq!(next_poll_delay_ms(4, None, Some(1.0)), 24_000);
        assert_eq!(next_poll_delay_ms(40, None, Some(0.5)), 27_000);
        assert_eq!(
            next_poll_delay_ms(3, None, Some(1.0)),
            19_200,
            "under the cap"
        );
        assert_eq!(
            next_poll_delay_ms(0, None, Some(0.3)),
            next_poll_delay_ms(0, None, Some(0.3)),
            "deterministic"
        );
    }

    #[test]
    fn backoff_after_limits() {
        let k1303 = failure(FailureCategory::Concurrency, Scope::Request);
        let k1302 = failure(FailureCategory::RateLimited, Scope::Request);
        let server = failure(FailureCategory::Server, Scope::Request);
        let mut http429 = failure(FailureCategory::Unknown, Scope::Request);
        http429.http_status = Some(429);
        for f in [&k1303, &k1302, &http429] {
            assert_eq!(next_poll_delay_ms(0, Some(f), None), 4_000);
            assert_eq!(next_poll_delay_ms(3, Some(f), None), 30_000);
            for a in 0..40 {
                for j in [0.0, 0.5, 1.0] {
                    assert!(next_poll_delay_ms(a, Some(f), Some(j)) >= MIN_DELAY_AFTER_LIMIT_MS);
                }
            }
        }
        assert_eq!(next_poll_delay_ms(0, Some(&server), None), 2_000);
    }
}

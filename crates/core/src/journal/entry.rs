//! One job in the journal: what it holds and what to do next.

use serde::{Deserialize, Serialize};

use super::charge::charge_of;
use super::lease::Lease;
use super::retry::{retry_delay_ms, MAX_CLIP_TRIES};
use crate::board::{Board, Provider};
use crate::job::{lookup_by_key, Job, JobError, Phase};
use crate::options::KlingApi;
use crate::response::{Cash, Charge, Failure};

/// What to do next with an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send the create call (after [`Entry::begin_create`] is journaled).
    Create,
    /// Look the job up by its key (Kling's list call).
    Lookup,
    Poll,
    /// fal: fetch the result of a completed request.
    FetchResult,
    /// Store the finished clip, from this URL.
    SaveClip(String),
    /// The create answer is lost and the job cannot be looked up: give it
    /// up ([`Entry::abandon`]).
    Abandon,
    Done,
}

/// Whether the finished clip is stored in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "clip")]
pub enum ClipState {
    #[default]
    Pending,
    Saved,
    /// Given up; the message says why. The provider's URL may still play.
    Failed {
        message: String,
    },
}

/// One job in the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub job: Job,
    /// The board as it was when Generate was pressed.
    pub board: Board,
    /// Where the create goes: Kling's path, fal's or Replicate's URL.
    pub target: String,
    /// The estimate shown when the job was confirmed.
    #[serde(default)]
    pub estimate: Option<String>,
    #[serde(default)]
    pub status_url: Option<String>,
    #[serde(default)]
    pub result_url: Option<String>,
    /// fal: the status said COMPLETED; the result says how it ended.
    #[serde(default)]
    pub completed: bool,
    /// Send the create again (with the same key) rather than look it up.
    #[serde(default)]
    pub recreate: bool,
    #[serde(default)]
    pub creates_sent: u32,
    #[serde(default)]
    pub create_retries: u32,
    #[serde(default)]
    pub lookups: u32,
    /// The page of the task list the next lookup reads (0 or 1: the first).
    #[serde(default)]
    pub lookup_page: u32,
    #[serde(default)]
    pub polls: u32,
    #[serde(default)]
    pub poll_errors: u32,
    #[serde(default)]
    pub not_found: u32,
    /// A passing problem, in plain words (a busy provider, a failed poll).
    #[serde(default)]
    pub note: Option<String>,
    /// What the provider charged for a finished job, in its units.
    #[serde(default)]
    pub charged_units: Option<f64>,
    /// What the provider took from the account balance for a finished job
    /// (Kling's current design, `billing[]` in cash).
    #[serde(default)]
    pub charged_cash: Option<Cash>,
    /// Kling's current design: lookups in a row that did not find the job.
    #[serde(default)]
    pub unseen_lookups: u32,
    /// Kling's current design: status calls in a row that did not find the
    /// job.
    #[serde(default)]
    pub unseen_polls: u32,
    #[serde(default)]
    pub clip: ClipState,
    #[serde(default)]
    pub clip_tries: u32,
    #[serde(default)]
    pub finished_at_ms: Option<u64>,
    pub updated_ms: u64,
    /// The tab driving the entry, and until when.
    #[serde(flatten)]
    pub lease: Lease,
}

impl Entry {
    /// A new entry for a journaled job.
    pub fn new(job: Job, board: Board, target: String) -> Entry {
        let now = job.created_at_ms;
        Entry {
            job,
            board,
            target,
            estimate: None,
            status_url: None,
            result_url: None,
            completed: false,
            recreate: false,
            creates_sent: 0,
            create_retries: 0,
            lookups: 0,
            lookup_page: 0,
            polls: 0,
            poll_errors: 0,
            not_found: 0,
            note: None,
            charged_units: None,
            charged_cash: None,
            unseen_lookups: 0,
            unseen_polls: 0,
            clip: ClipState::Pending,
            clip_tries: 0,
            finished_at_ms: None,
            updated_ms: now,
            lease: Lease::default(),
        }
    }

    pub fn key(&self) -> &str {
        &self.job.key
    }

    pub fn provider(&self) -> Provider {
        self.job.provider
    }

    /// The Kling design the job was created on, told by its create path
    /// (meaningless for fal and Replicate).
    pub fn kling_api(&self) -> KlingApi {
        KlingApi::of_path(&self.target)
    }

    /// A Kling job on the current design.
    pub(super) fn current(&self) -> bool {
        self.provider() == Provider::Kling && self.kling_api() == KlingApi::Current
    }

    /// What the provider charged for the finished job, when it said.
    pub fn charge(&self) -> Option<Charge> {
        charge_of(self.charged_units, self.charged_cash)
    }

    /// The phase's name as the page shows it in `data-phase`.
    pub fn phase_tag(&self) -> &'static str {
        match self.job.phase {
            Phase::Journaled => "journaled",
            Phase::SubmitUnknown => "submit_unknown",
            Phase::Submitted { .. } => "submitted",
            Phase::Running { .. } => "running",
            Phase::Finished { .. } => "finished",
            Phase::Failed { .. } => "failed",
        }
    }

    /// The failure of a failed job.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.job.phase {
            Phase::Failed { failure } => Some(failure),
            _ => None,
        }
    }

    pub fn video_url(&self) -> Option<&str> {
        match &self.job.phase {
            Phase::Finished { video_url, .. } => Some(video_url),
            _ => None,
        }
    }

    /// What to do next.
    pub fn next_action(&self) -> Action {
        match &self.job.phase {
            Phase::Journaled => Action::Create,
            Phase::SubmitUnknown => {
                if self.recreate && self.job.may_retry_create() {
                    Action::Create
                } else if lookup_by_key(self.provider()) {
                    Action::Lookup
                } else {
                    Action::Abandon
                }
            }
            Phase::Submitted { .. } | Phase::Running { .. } => {
                if self.completed {
                    Action::FetchResult
                } else {
                    Action::Poll
                }
            }
            Phase::Finished { video_url, .. } => match self.clip {
                ClipState::Pending => Action::SaveClip(video_url.clone()),
                _ => Action::Done,
            },
            Phase::Failed { .. } => Action::Done,
        }
    }

    /// Whether the entry still has work to do.
    pub fn is_active(&self) -> bool {
        self.next_action() != Action::Done
    }

    /// Whether `tab` may drive the entry at `now`: it holds the lease, or
    /// nobody does.
    pub fn may_drive(&self, tab: &str, now_ms: u64) -> bool {
        self.lease.may_drive(tab, now_ms)
    }

    /// Takes (or renews) the lease for `tab` for `wait_ms` plus
    /// [`LEASE_GRACE_MS`](super::LEASE_GRACE_MS).
    pub fn claim(&mut self, tab: &str, now_ms: u64, wait_ms: u64) {
        self.lease.claim(tab, now_ms, wait_ms);
        self.updated_ms = now_ms;
    }

    /// Lets go of the lease (the entry needs no more work, or the tab
    /// closes).
    pub fn release(&mut self) {
        self.lease.release();
    }

    /// Journaled → SubmitUnknown, or a permitted re-send of the create
    /// (Kling, same key). Journal the entry after this and before sending.
    pub fn begin_create(&mut self) -> Result<(), JobError> {
        match self.job.phase {
            Phase::Journaled => self.job.sending()?,
            Phase::SubmitUnknown if self.recreate && self.job.may_retry_create() => {}
            _ => {
                return Err(JobError::NotAllowed {
                    action: "send the create request",
                    phase: self.job.phase.name(),
                })
            }
        }
        // If this tab dies while the call is out, whoever resumes looks
        // the job up first.
        self.recreate = false;
        self.creates_sent += 1;
        self.unseen_lookups = 0;
        Ok(())
    }

    pub(super) fn fail(&mut self, failure: Failure) {
        let _ = self.job.fail(failure);
        self.note = None;
    }

    /// The clip is stored.
    pub fn clip_saved(&mut self) {
        self.clip = ClipState::Saved;
        self.note = None;
    }

    /// Storing the clip failed; returns the pause before the next try, or
    /// `None` when it is given up.
    pub fn clip_failed(&mut self, why: &str, jitter: f64) -> Option<u64> {
        self.clip_tries += 1;
        if self.clip_tries >= MAX_CLIP_TRIES {
            self.clip = ClipState::Failed {
                message: why.to_string(),
            };
            self.note = None;
            return None;
        }
        let wait = retry_delay_ms(self.clip_tries, jitter);
        self.note = Some(format!(
            "The clip could not be stored ({why}); trying again in {} s.",
            wait.div_ceil(1000)
        ));
        Some(wait)
    }
}

/// A journaled job that is still running for this same board: a second
/// Generate (double click, another tab) would start a second paid job.
pub fn busy_with<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    board: &Board,
) -> Option<&'a Entry> {
    entries
        .into_iter()
        .find(|e| !e.job.phase.is_over() && e.board == *board)
}

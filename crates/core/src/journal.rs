//! A journal entry: one job as the browser keeps it (in IndexedDB), with
//! what it needs to be driven to the end from any tab, after a reload or a
//! crash, and the decision of what to do next.
//!
//! The app loops: [`Entry::next_action`] says which call to make (built by
//! [`Transport`](crate::transport::Transport)); the answer goes to the
//! matching `on_…` method, which moves the [`Job`] and returns how long to
//! wait before the next action. The entry is written to the journal after
//! every move, and *before* a create call is sent ([`Entry::begin_create`]).
//!
//! - A create answer that is lost (network error, a gateway 502, an
//!   unreadable body) leaves the job `SubmitUnknown`. On Kling the job is
//!   then looked up by its key; only when Kling says it is not there is the
//!   create sent again, with the same key, which Kling refuses as a
//!   duplicate if it did arrive after all. fal and Replicate take no key:
//!   such a job is given up, saying that it may have been charged.
//! - A Kling job keeps the design of the path it was created at
//!   ([`Entry::kling_api`]), so a job created before the server switched
//!   designs resumes on its own. Legacy: the lookup pages the task list,
//!   and a job not in it is sent again at once. Current: the lookup asks
//!   `/tasks` for the key, and an empty answer means "not visible yet":
//!   it is asked again with growing pauses, [`MAX_UNSEEN_LOOKUPS`] times
//!   in all, before the create is sent again (same key). A status call
//!   that finds nothing is "not visible yet" too, never a failure.
//! - A create refused for a reason that passes (Kling 1302/1303/5000–5002)
//!   is sent again after a growing pause, on Kling only, at most
//!   [`MAX_CREATE_RETRIES`] times.
//! - Polls back off with [`next_poll_delay_ms`]; a failed status call is
//!   not a failed job.
//!
//! Only one tab drives an entry: the one holding its lease
//! ([`Entry::may_drive`], [`Entry::claim`]). A reload keeps the tab's id, so
//! it resumes at once; another tab takes over once the lease has run out.

use serde::{Deserialize, Serialize};

use crate::board::{Board, Provider};
use crate::job::{lookup_by_key, next_poll_delay_ms, Job, JobError, Phase};
use crate::options::KlingApi;
use crate::response::{
    self, fal::FalStatus, kling::Listing, kling_current::Polled, Cash, Charge, Charged, Failure,
    FailureCategory, JobState, Scope, Submission, Ticket,
};
use crate::transport::relay_error;

/// How long a tab's hold on an entry lasts beyond its next planned step.
pub const LEASE_GRACE_MS: u64 = 20_000;
/// How often a create refused for a passing reason is sent again.
pub const MAX_CREATE_RETRIES: u32 = 6;
/// How many failed lookups before a job whose answer was lost is given up.
pub const MAX_LOOKUPS: u32 = 8;
/// How many pages of the task list a lookup reads before it concludes
/// the create never arrived (each page is `LOOKUP_PAGE_SIZE` tasks,
/// newest first: an account busy enough to push a job off the first page
/// meanwhile still finds it).
pub const MAX_LOOKUP_PAGES: u32 = 10;
/// Failed status calls in a row before the job is given up.
pub const MAX_POLL_ERRORS: u32 = 60;
/// Kling's current design: lookups by key that find nothing before the
/// create is sent again (with the same key). The pauses between them grow
/// from 2 s, so Kling has about half a minute to show a job that arrived.
pub const MAX_UNSEEN_LOOKUPS: u32 = 5;
/// Kling's current design: status calls in a row that do not find an
/// accepted job before it is given up (with the poll backoff, about half
/// an hour).
pub const MAX_UNSEEN_POLLS: u32 = 60;
/// "Not found" status answers in a row before the job is given up.
pub const MAX_NOT_FOUND: u32 = 5;
/// Attempts at storing the finished clip.
pub const MAX_CLIP_TRIES: u32 = 5;
/// The longest pause between create retries and lookups.
pub const MAX_RETRY_DELAY_MS: u64 = 30_000;

/// An answer to one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Http {
        status: u16,
        body: String,
    },
    /// No answer: the request failed on the way (offline, refused, CORS).
    Network {
        message: String,
    },
}

impl Answer {
    pub fn http(status: u16, body: impl Into<String>) -> Answer {
        Answer::Http {
            status,
            body: body.into(),
        }
    }
}

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
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub lease_until_ms: u64,
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
            owner: None,
            lease_until_ms: 0,
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
    fn current(&self) -> bool {
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
        self.owner.as_deref() == Some(tab) || self.owner.is_none() || self.lease_until_ms <= now_ms
    }

    /// Takes (or renews) the lease for `tab` for `wait_ms` plus
    /// [`LEASE_GRACE_MS`].
    pub fn claim(&mut self, tab: &str, now_ms: u64, wait_ms: u64) {
        self.owner = Some(tab.to_string());
        self.lease_until_ms = now_ms
            .saturating_add(wait_ms)
            .saturating_add(LEASE_GRACE_MS);
        self.updated_ms = now_ms;
    }

    /// Lets go of the lease (the entry needs no more work, or the tab
    /// closes).
    pub fn release(&mut self) {
        self.owner = None;
        self.lease_until_ms = 0;
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

    /// Reads the answer to the create call. Returns the pause before the
    /// next action, in ms.
    pub fn on_create(&mut self, answer: &Answer, jitter: f64) -> u64 {
        let (status, body) = match answer {
            Answer::Network { message } => return self.lost(message),
            Answer::Http { status, body } => (*status, body.as_str()),
        };
        if let Some(message) = relay_error(body).filter(|_| !is_success(status)) {
            // The relay's own failure: 502 and 504 mean it tried the
            // provider (an answer lost, cut off or late), so the job may
            // exist; otherwise nothing was sent.
            if status == 502 || status == 504 || self.provider() == Provider::Kling {
                return self.lost(&format!("the server said: {message}"));
            }
            self.fail(relay_failure(status, message, Charged::Nothing));
            return 0;
        }
        let parsed = match self.provider() {
            Provider::Kling if self.current() => {
                response::kling_current::parse_create(status, body)
            }
            Provider::Kling => response::kling::parse_create(status, body),
            Provider::Fal => response::fal::parse_submit(status, body),
            Provider::Replicate => response::replicate::parse_create(status, body),
        };
        match parsed {
            Err(e) => self.lost(&format!("the answer could not be read ({e})")),
            Ok(Submission::Accepted(ticket)) => self.accept(&ticket),
            Ok(Submission::Refused(failure)) => self.refused(failure, jitter),
        }
    }

    /// A create refused with a failure.
    fn refused(&mut self, failure: Failure, jitter: f64) -> u64 {
        let kling = self.provider() == Provider::Kling;
        if kling && failure.code.is_none() {
            // An HTTP error with no Kling body: a gateway between us and
            // Kling, so the create may have arrived.
            return self.lost(&failure.describe());
        }
        if kling && is_duplicate_key(&failure) {
            // The key is taken: an earlier create arrived after all.
            self.note = Some("The job had already arrived; finding it by its key.".into());
            self.recreate = false;
            return 0;
        }
        // Busy refusals and lost answers share one budget of sends, so a
        // mix of the two cannot send the job more than
        // `MAX_CREATE_RETRIES + 1` times.
        if failure.retryable
            && self.job.may_retry_create()
            && self.create_retries < MAX_CREATE_RETRIES
            && self.creates_sent <= MAX_CREATE_RETRIES
        {
            let wait = retry_delay_ms(self.create_retries, jitter);
            self.create_retries += 1;
            self.recreate = true;
            self.note = Some(format!(
                "{} Sending it again in {} s (attempt {} of {}).",
                sentence(&failure.describe()),
                wait.div_ceil(1000),
                self.create_retries + 1,
                MAX_CREATE_RETRIES + 1
            ));
            return wait;
        }
        self.fail(failure);
        0
    }

    /// The create answer is lost.
    fn lost(&mut self, why: &str) -> u64 {
        self.recreate = false;
        if lookup_by_key(self.provider()) {
            self.note = Some(format!(
                "The answer to the create request was lost ({why}); looking the job up by its key."
            ));
            1_000
        } else {
            self.abandon(why);
            0
        }
    }

    fn accept(&mut self, ticket: &Ticket) -> u64 {
        if self.job.accepted(ticket.remote_id.clone()).is_err() {
            return 0;
        }
        self.status_url = ticket.status_url.clone();
        self.result_url = ticket.result_url.clone();
        self.note = None;
        self.observe(&ticket.state);
        if self.job.phase.is_over() {
            0
        } else {
            next_poll_delay_ms(0, None, None)
        }
    }

    /// Gives up a job whose create answer was lost: it may exist and may
    /// be charged.
    pub fn abandon(&mut self, why: &str) {
        if self.job.abandon().is_ok() {
            if let Phase::Failed { failure } = &mut self.job.phase {
                failure.message = format!(
                    "the answer to the create request was lost ({why}); the job may still run and be charged, check the provider's dashboard"
                );
            }
        }
        self.note = None;
    }

    fn fail(&mut self, failure: Failure) {
        let _ = self.job.fail(failure);
        self.note = None;
    }

    /// Reads the answer to the lookup (Kling's list call on the legacy
    /// design, `/tasks?external_task_ids=` on the current one).
    pub fn on_lookup(&mut self, answer: &Answer, jitter: f64) -> u64 {
        let current = self.current();
        let listing = match answer {
            Answer::Network { message } => Err(message.clone()),
            Answer::Http { status, body } => match if current {
                response::kling_current::parse_tasks(*status, body)
            } else {
                response::kling::parse_list(*status, body)
            } {
                Ok(Listing::Tasks(tasks)) => Ok(Listing::Tasks(tasks)),
                Ok(Listing::Refused(f)) => Err(f.describe()),
                Err(e) => Err(relay_error(body).unwrap_or_else(|| e.to_string())),
            },
        };
        let listing = match listing {
            Ok(l) => l,
            Err(why) => {
                self.lookups += 1;
                if self.lookups > MAX_LOOKUPS {
                    self.abandon(&format!("the job could not be looked up: {why}"));
                    return 0;
                }
                let wait = retry_delay_ms(self.lookups - 1, jitter);
                self.note = Some(format!(
                    "Looking the job up failed ({why}); trying again in {} s.",
                    wait.div_ceil(1000)
                ));
                return wait;
            }
        };
        self.lookups = 0;
        let page = self.lookup_page.max(1);
        // Only the legacy list comes in pages.
        let full = !current
            && matches!(&listing, Listing::Tasks(t) if t.len() as u32 >= crate::transport::LOOKUP_PAGE_SIZE);
        let found = listing.find_by_key(&self.job.key).cloned();
        if found.is_none() && full && page < MAX_LOOKUP_PAGES {
            // A full page without it: the job may be further down.
            self.lookup_page = page + 1;
            return 0;
        }
        self.lookup_page = 0;
        match found {
            Some(task) => {
                let _ = self.job.accepted(task.remote_id.clone());
                self.unseen_lookups = 0;
                self.note = None;
                self.observe(&task.state);
                if self.job.phase.is_over() {
                    0
                } else {
                    next_poll_delay_ms(0, None, None)
                }
            }
            None if current && self.unseen_lookups + 1 < MAX_UNSEEN_LOOKUPS => {
                // Kling may not show a job it has just accepted: look again
                // before concluding that it never arrived.
                self.unseen_lookups += 1;
                let wait = retry_delay_ms(self.unseen_lookups, jitter);
                self.note = Some(format!(
                    "Kling does not show the job yet; looking again in {} s (look {} of {}).",
                    wait.div_ceil(1000),
                    self.unseen_lookups + 1,
                    MAX_UNSEEN_LOOKUPS
                ));
                wait
            }
            None if self.creates_sent > MAX_CREATE_RETRIES => {
                self.abandon("the job was not found by its key after several tries");
                0
            }
            None => {
                // Not there: the create never arrived. Sending it again with
                // the same key is safe (Kling refuses a duplicate key).
                self.unseen_lookups = 0;
                self.recreate = true;
                self.note =
                    Some("The job did not arrive; sending it again with the same key.".into());
                0
            }
        }
    }

    /// Reads the answer to a status call.
    pub fn on_poll(&mut self, answer: &Answer, jitter: f64) -> u64 {
        let (status, body) = match answer {
            Answer::Network { message } => {
                return self.poll_failed(network_failure(message.clone()), jitter)
            }
            Answer::Http { status, body } => (*status, body.as_str()),
        };
        if let Some(message) = relay_error(body).filter(|_| !is_success(status)) {
            return self.poll_failed(relay_failure(status, message, Charged::Unknown), jitter);
        }
        let state = match self.provider() {
            Provider::Kling if self.current() => {
                let remote_id = self.job.remote_id().unwrap_or_default().to_string();
                match response::kling_current::parse_poll(status, body, &remote_id) {
                    Ok(Polled::Found(state)) => Ok(state),
                    Ok(Polled::NotVisible) => return self.not_visible(jitter),
                    Err(e) => Err(e),
                }
            }
            Provider::Kling => response::kling::parse_query(status, body),
            Provider::Replicate => response::replicate::parse_prediction(status, body),
            Provider::Fal => match response::fal::parse_status(status, body) {
                Ok(FalStatus::Completed) => {
                    self.completed = true;
                    self.poll_errors = 0;
                    self.note = None;
                    return 0;
                }
                Ok(other) => Ok(other.job_state().unwrap_or(JobState::Running)),
                Err(e) => Err(e),
            },
        };
        self.polled(state, jitter)
    }

    /// fal: reads the result of a completed request.
    pub fn on_result(&mut self, answer: &Answer, jitter: f64) -> u64 {
        let state = match answer {
            Answer::Network { message } => {
                return self.poll_failed(network_failure(message.clone()), jitter)
            }
            Answer::Http { status, body } => {
                if let Some(message) = relay_error(body).filter(|_| !is_success(*status)) {
                    return self
                        .poll_failed(relay_failure(*status, message, Charged::Unknown), jitter);
                }
                response::fal::parse_result(*status, body)
            }
        };
        self.polled(state, jitter)
    }

    fn polled(&mut self, state: Result<JobState, response::ParseError>, jitter: f64) -> u64 {
        match state {
            Err(e) => self.poll_failed(
                Failure {
                    category: FailureCategory::Unknown,
                    scope: Scope::Request,
                    http_status: None,
                    code: None,
                    message: e.to_string(),
                    retryable: true,
                    charged: Charged::Unknown,
                },
                jitter,
            ),
            Ok(JobState::Failed { reason }) if reason.scope == Scope::Request => {
                self.poll_failed(reason, jitter)
            }
            Ok(state) => {
                self.observe(&state);
                self.poll_errors = 0;
                self.not_found = 0;
                self.unseen_polls = 0;
                self.note = None;
                if self.job.phase.is_over() {
                    return 0;
                }
                self.polls += 1;
                next_poll_delay_ms(self.polls, None, Some(jitter))
            }
        }
    }

    /// Kling's current design: the status call found no task with the
    /// job's id. Kling may not show a task it has just accepted, so this
    /// is no failure: ask again with the usual backoff, and give up only
    /// after [`MAX_UNSEEN_POLLS`] such answers in a row.
    fn not_visible(&mut self, jitter: f64) -> u64 {
        self.unseen_polls += 1;
        self.poll_errors = 0;
        self.not_found = 0;
        if self.unseen_polls >= MAX_UNSEEN_POLLS {
            self.fail(Failure {
                category: FailureCategory::NotFound,
                scope: Scope::Task,
                http_status: None,
                code: None,
                message: format!(
                    "Kling did not show the job (task {}) in {} status calls in a row",
                    self.job.remote_id().unwrap_or("?"),
                    self.unseen_polls
                ),
                retryable: false,
                charged: Charged::Unknown,
            });
            return 0;
        }
        // Paced as an answer without news.
        self.polls += 1;
        let wait = next_poll_delay_ms(self.polls, None, Some(jitter));
        self.note = Some(format!(
            "Kling does not show the job yet; checking again in {} s.",
            wait.div_ceil(1000)
        ));
        wait
    }

    /// A status call failed; the job itself may be fine.
    fn poll_failed(&mut self, failure: Failure, jitter: f64) -> u64 {
        self.poll_errors += 1;
        if failure.category == FailureCategory::NotFound {
            self.not_found += 1;
        } else {
            self.not_found = 0;
        }
        if self.not_found >= MAX_NOT_FOUND || self.poll_errors >= MAX_POLL_ERRORS {
            let mut gave_up = failure;
            gave_up.scope = Scope::Task;
            gave_up.charged = Charged::Unknown;
            gave_up.message = format!(
                "gave up checking the job after {} failed status calls; the last said: {}",
                self.poll_errors, gave_up.message
            );
            self.fail(gave_up);
            return 0;
        }
        let wait = next_poll_delay_ms(self.polls, Some(&failure), Some(jitter));
        self.polls += 1;
        self.note = Some(format!(
            "Checking the job failed ({}); trying again in {} s.",
            failure.describe().trim_end_matches('.'),
            wait.div_ceil(1000)
        ));
        wait
    }

    /// Applies a state the provider reported.
    fn observe(&mut self, state: &JobState) {
        if let JobState::Failed { reason } = state {
            if reason.scope == Scope::Task {
                let mut reason = reason.clone();
                reason.category = task_category(&reason);
                let _ = self.job.observe(&JobState::Failed { reason });
                return;
            }
        }
        if let JobState::Succeeded {
            charged: Some(c), ..
        } = state
        {
            // A charge in cash alone has no units to show.
            self.charged_units = (c.cash.is_none() || c.units != 0.0).then_some(c.units);
            self.charged_cash = c.cash;
        }
        let _ = self.job.observe(state);
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

/// `text` ending with a full stop.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// A failed task's category: the provider's, or, where it gives none, what
/// its message says (Kling reports a blocked output only in words).
pub fn task_category(failure: &Failure) -> FailureCategory {
    if failure.category != FailureCategory::Unknown {
        return failure.category;
    }
    let m = failure.message.to_ascii_lowercase();
    let safety = [
        "content safety",
        "risk control",
        "sensitive",
        "content policy",
        "policy violation",
        "nsfw",
        "moderation",
    ];
    if safety.iter().any(|w| m.contains(w)) {
        FailureCategory::ContentSafety
    } else if m.contains("timeout") || m.contains("timed out") || m.contains("internal error") {
        FailureCategory::Server
    } else {
        FailureCategory::Unknown
    }
}

fn is_success(status: u16) -> bool {
    (200..=299).contains(&status)
}

/// Whether Kling refused a create because its `external_task_id` is
/// already taken (its answer is not documented: a 1201 naming the key).
pub fn is_duplicate_key(failure: &Failure) -> bool {
    let message = failure.message.to_ascii_lowercase();
    failure.code.as_deref() == Some("1201")
        && (message.contains("external_task_id") || message.contains("already exist"))
}

/// The pause before retry number `attempt` (0-based) of a create or a
/// lookup: 1 s, 2 s, 4 s … up to 30 s, with up to 20 % jitter (added
/// under 30 s, taken off at it; see [`crate::job::spread`]).
pub fn retry_delay_ms(attempt: u32, jitter: f64) -> u64 {
    let base = 1_000u64
        .saturating_mul(1u64 << attempt.min(5))
        .min(MAX_RETRY_DELAY_MS);
    crate::job::spread(base, MAX_RETRY_DELAY_MS, jitter)
}

fn network_failure(message: String) -> Failure {
    Failure {
        category: FailureCategory::Unknown,
        scope: Scope::Request,
        http_status: None,
        code: None,
        message: format!("network error: {message}"),
        retryable: true,
        charged: Charged::Unknown,
    }
}

/// The code a relay failure carries, so it reads as the server's.
pub const RELAY_CODE: &str = "relay";

fn relay_failure(status: u16, message: String, charged: Charged) -> Failure {
    let mut f = Failure::from_http(status, message);
    f.code = Some(RELAY_CODE.into());
    f.charged = charged;
    if status == 503 || status == 404 {
        f.retryable = false;
    }
    f
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

/// The first sentence of a failure, in plain words.
pub fn headline(failure: &Failure) -> &'static str {
    if failure.code.as_deref() == Some(RELAY_CODE) {
        return "The app's server could not pass the request on.";
    }
    match failure.category {
        FailureCategory::ContentSafety => {
            "Blocked by the provider's content safety check: change the prompt or the references."
        }
        other => other.plain(),
    }
}

/// Whether it cost anything, in plain words.
pub fn charged_sentence(charged: Charged) -> String {
    match charged {
        Charged::Nothing => "Nothing was charged (no credits spent).".into(),
        Charged::Units(0.0) => "Nothing was charged (0 units).".into(),
        Charged::Units(u) => format!("The provider charged {} units.", units_text(u)),
        Charged::Cash(cash) => format!("The provider charged {}.", cash_text(cash)),
        Charged::Unknown => {
            "Whether credits were charged is not known; check the provider's dashboard.".into()
        }
    }
}

/// The units and cash of a charge put together, or `None` when neither is
/// known.
fn charge_of(units: Option<f64>, cash: Option<Cash>) -> Option<Charge> {
    match (units, cash) {
        (None, None) => None,
        (units, cash) => Some(Charge {
            units: units.unwrap_or(0.0),
            cash,
        }),
    }
}

/// A charge in a few words: `15 units`, `1.20 USD`, `15 units and 1.20
/// USD`.
pub fn charge_short(charge: &Charge) -> String {
    let units = format!("{} units", units_text(charge.units));
    match charge.cash {
        None => units,
        Some(cash) if charge.units == 0.0 => cash_text(cash),
        Some(cash) => format!("{units} and {}", cash_text(cash)),
    }
}

/// What a finished job cost, beside the estimate shown before it was sent:
/// `The provider charged 15 units. Estimated $2.10 · 15 units.`
pub fn charge_text(charge: Option<&Charge>, estimate: Option<&str>) -> String {
    let charged = match charge {
        Some(c) if c.cash.is_none() && c.units == 0.0 => "Nothing was charged (0 units).".into(),
        Some(c) => format!("The provider charged {}.", charge_short(c)),
        None => "The provider did not report a charge.".to_string(),
    };
    match estimate.map(str::trim).filter(|e| !e.is_empty()) {
        Some(est) => format!("{charged} Estimated {}.", est.trim_end_matches('.')),
        None => charged,
    }
}

/// An amount of money: `1.20 USD`, `0.084 CNY` (two decimals, more only
/// where the amount has them, at most four).
pub fn cash_text(cash: Cash) -> String {
    let mut amount = format!("{:.4}", cash.amount);
    while amount.ends_with('0') && amount.len() - amount.find('.').unwrap_or(0) > 3 {
        amount.pop();
    }
    match cash.currency {
        Some(c) => format!("{amount} {c}"),
        None => format!("{amount} (currency not stated)"),
    }
}

/// `8`, `8.4`.
pub fn units_text(units: f64) -> String {
    let rounded = (units * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// What went wrong, what the provider said, where (when known) and whether
/// it cost anything.
pub fn explain(failure: &Failure, board: &Board, provider: Provider) -> String {
    let mut out = headline(failure).to_string();
    let message = failure.message.trim();
    if !message.is_empty() {
        let who = if failure.code.as_deref() == Some(RELAY_CODE) {
            "The server"
        } else {
            "The provider"
        };
        out.push_str(&format!(" {who} said: “{message}”"));
        match (&failure.code, failure.http_status) {
            (Some(code), _) if code != RELAY_CODE => out.push_str(&format!(" (code {code})")),
            (_, Some(status)) => out.push_str(&format!(" (HTTP {status})")),
            _ => {}
        }
        out.push('.');
    } else if let Some(code) = failure.code.as_deref().filter(|c| *c != RELAY_CODE) {
        out.push_str(&format!(" (code {code})"));
    }
    if let Some(place) = at_fault(message, board, provider) {
        out.push_str(&format!(" It concerns {place}."));
    }
    out.push(' ');
    out.push_str(&charged_sentence(failure.charged));
    out
}

/// The shot or reference a provider's message points at, where it names
/// one: a request field with an index (`multi_prompt[1]`,
/// `image_urls.0`), a frame or video field, or an `@name` of the cast.
pub fn at_fault(message: &str, board: &Board, provider: Provider) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    if let Some(i) = indexed(&lower, "multi_prompt") {
        if i < board.shots.len() {
            return Some(format!("shot {}", i + 1));
        }
    }
    if let Some(n) = shot_named(&lower, board.shots.len()) {
        return Some(format!("shot {n}"));
    }
    let images: Vec<&str> = match provider {
        Provider::Kling => {
            let mut names: Vec<&str> = Vec::new();
            for n in [&board.first_frame, &board.last_frame]
                .into_iter()
                .flatten()
            {
                names.push(n);
            }
            for r in board.images() {
                if !names.contains(&r.name.as_str()) {
                    names.push(&r.name);
                }
            }
            names
        }
        _ => crate::request::reference_images(board)
            .into_iter()
            .map(|r| r.name.as_str())
            .collect(),
    };
    for field in ["image_list", "image_urls", "reference_images"] {
        if let Some(name) = indexed(&lower, field).and_then(|i| images.get(i)) {
            return Some(format!("reference '{name}'"));
        }
    }
    if let Some(i) = indexed(&lower, "element_list") {
        if let Some(r) = board.elements().nth(i) {
            return Some(format!("reference '{}'", r.name));
        }
    }
    let frame_fields = [
        ("start_image", &board.first_frame),
        ("first_frame", &board.first_frame),
        ("end_image", &board.last_frame),
        ("end_frame", &board.last_frame),
    ];
    for (field, name) in frame_fields {
        if let (true, Some(name)) = (lower.contains(field), name) {
            return Some(format!("reference '{name}'"));
        }
    }
    if ["video_url", "video_list", "reference_video"]
        .iter()
        .any(|f| lower.contains(f))
    {
        if let Some(v) = board.video() {
            return Some(format!("reference '{}'", v.name));
        }
    }
    board
        .references
        .iter()
        .find(|r| message.contains(&format!("@{}", r.name)))
        .map(|r| format!("reference '{}'", r.name))
}

/// The index after `field` in `field[3]`, `field.3` or `field/3`.
fn indexed(text: &str, field: &str) -> Option<usize> {
    let mut rest = text;
    while let Some(at) = rest.find(field) {
        let after = &rest[at + field.len()..];
        let digits = after
            .strip_prefix('[')
            .or_else(|| after.strip_prefix('.'))
            .or_else(|| after.strip_prefix('/'))
            .or_else(|| after.strip_prefix(" "));
        if let Some(d) = digits {
            let n: String = d.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(i) = n.parse() {
                return Some(i);
            }
        }
        rest = after;
    }
    None
}

/// The first shot a message names (`shot 2`, `Shot 3 is too long`) that
/// the board has. On Kling's current design the shots are one text
/// (`shot 1, 4, words; shot 2, ...`), so a message may quote it: a number
/// followed by `, <seconds>` is that syntax, not a shot being named.
fn shot_named(text: &str, shots: usize) -> Option<usize> {
    let mut rest = text;
    while let Some(at) = rest.find("shot ") {
        let after = &rest[at + "shot ".len()..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let tail = after[digits.len()..].trim_start();
        let quoted = tail
            .strip_prefix(',')
            .is_some_and(|t| t.trim_start().starts_with(|c: char| c.is_ascii_digit()));
        if let Ok(n) = digits.parse::<usize>() {
            if !quoted && (1..=shots).contains(&n) {
                return Some(n);
            }
        }
        rest = after;
    }
    None
}

/// A take: a finished clip and the board it came from. The clip itself is
/// stored beside it by the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Take {
    /// The job's key.
    pub key: String,
    pub board: Board,
    pub provider: Provider,
    pub created_ms: u64,
    pub video_url: String,
    #[serde(default)]
    pub charged_units: Option<f64>,
    /// Money taken from the account balance (Kling's current design).
    #[serde(default)]
    pub charged_cash: Option<Cash>,
    #[serde(default)]
    pub estimate: Option<String>,
    /// Stored clip size in bytes.
    #[serde(default)]
    pub bytes: u64,
}

impl Take {
    /// The take of a finished entry.
    pub fn of(entry: &Entry, created_ms: u64, bytes: u64) -> Option<Take> {
        Some(Take {
            key: entry.job.key.clone(),
            board: entry.board.clone(),
            provider: entry.provider(),
            created_ms,
            video_url: entry.video_url()?.to_string(),
            charged_units: entry.charged_units,
            charged_cash: entry.charged_cash,
            estimate: entry.estimate.clone(),
            bytes,
        })
    }

    /// What the provider charged, when it said.
    pub fn charge(&self) -> Option<Charge> {
        charge_of(self.charged_units, self.charged_cash)
    }

    /// The board's title, or a stand-in.
    pub fn title(&self) -> &str {
        let t = self.board.title.trim();
        if t.is_empty() {
            "Untitled board"
        } else {
            t
        }
    }
}

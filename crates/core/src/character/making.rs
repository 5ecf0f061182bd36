//! Making a Kling element or a custom voice, journaled exactly like a
//! generation ([`crate::journal::Entry`]), sans I/O.
//!
//! The app keeps a [`Making`] in IndexedDB and loops: [`Making::next_action`]
//! says which call to make ([`Making::call`] builds it);
//! the answer goes to the matching `on_…` method, which moves the making
//! and returns how long to wait before the next action. The making is
//! written after every move, and *before* the create call leaves
//! ([`Making::begin_create`]).
//!
//! - The creation has its own key, sent as Kling's `external_task_id`.
//! - A create answer that is lost (network error, the relay's own 5xx,
//!   a gateway page, an unreadable body) is looked up by that key
//!   (`GET …/{external_task_id}`); only once Kling has said several times
//!   that it does not know the key is the create sent again, with the same
//!   key, which Kling refuses as a duplicate if it did arrive after all. A
//!   duplicate refusal means "it arrived": it is looked up.
//! - The relay's own 4xx (a stored file it cannot hand over) means nothing
//!   was sent: the creation fails with the server's words.
//! - Passing refusals (1302, 1303, 5000–5002) are sent again after a
//!   growing pause; busy refusals and lost answers share one budget, so a
//!   creation is sent at most [`MAX_CREATE_RETRIES`]` + 1` times.
//! - Polls back off with [`next_poll_delay_ms`]; a failed status call is
//!   not a failed creation.
//!
//! Only one tab drives a making: the one holding its [`Lease`], as for a
//! journal entry.

use serde::{Deserialize, Serialize};

use super::wire::{CreateRequest, ElementRequest, VoiceRequest};
use super::{Character, CharacterError, ElementStatus, Voice, VoiceSource};
use crate::job::{next_poll_delay_ms, JobError};
use crate::journal::{
    is_duplicate_key, retry_delay_ms, task_category, Lease, MAX_CREATE_RETRIES, MAX_LOOKUPS,
    MAX_NOT_FOUND, MAX_POLL_ERRORS, MAX_UNSEEN_LOOKUPS, RELAY_CODE,
};
use crate::request::UploadsMode;
use crate::response::kling_general::{
    self, CreateAnswer, ElementSummary, GeneralTask, Queried, TaskState, VoiceSummary,
};
use crate::response::{Charged, Failure, FailureCategory, FailureCategory as Category, Scope};
use crate::transport::{relay_error, Answer, HttpCall, Transport};

/// What a finished creation made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Made {
    /// An element (a string of digits), with the voice Kling bound to it
    /// (the one asked for, or one cloned from its video).
    Element {
        element_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        voice: Option<Voice>,
    },
    Voice {
        voice: Voice,
    },
}

/// Where a creation stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "stage")]
pub enum Stage {
    /// Written to the library; nothing sent yet.
    Journaled,
    /// The create may have been sent and its answer is not recorded.
    SubmitUnknown,
    Submitted {
        task_id: String,
    },
    Running {
        task_id: String,
    },
    Done {
        made: Made,
    },
    /// Refused, failed or given up; `reason` in plain words, with
    /// Kling's own message, and the failure it came from when there was
    /// one.
    Failed {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        failure: Option<Failure>,
    },
}

impl Stage {
    /// A short name, for messages and the page's `data-stage`.
    pub fn name(&self) -> &'static str {
        match self {
            Stage::Journaled => "journaled",
            Stage::SubmitUnknown => "submit_unknown",
            Stage::Submitted { .. } => "submitted",
            Stage::Running { .. } => "running",
            Stage::Done { .. } => "done",
            Stage::Failed { .. } => "failed",
        }
    }

    pub fn is_over(&self) -> bool {
        matches!(self, Stage::Done { .. } | Stage::Failed { .. })
    }

    /// Kling's task id, once known.
    pub fn task_id(&self) -> Option<&str> {
        match self {
            Stage::Submitted { task_id } | Stage::Running { task_id } => Some(task_id),
            _ => None,
        }
    }
}

/// What to do next with a making.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MakingAction {
    /// Send the create call (after [`Making::begin_create`] is stored).
    Create,
    /// Look the creation up by its key (`external_task_id`).
    Lookup,
    /// Ask Kling about the task with this id.
    Poll(String),
    Done(Made),
    /// Over; the reason in plain words.
    Failed(String),
}

/// One creation of an element or a voice, as the library keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Making {
    /// The key, sent as `external_task_id`.
    pub key: String,
    /// The library character it is for (a voice may be made for none:
    /// empty).
    #[serde(default)]
    pub character_id: String,
    pub request: CreateRequest,
    pub stage: Stage,
    pub created_ms: u64,
    /// The price shown when it was confirmed, if any.
    #[serde(default)]
    pub estimate: Option<String>,
    /// Send the create again (same key) rather than look it up.
    #[serde(default)]
    pub recreate: bool,
    #[serde(default)]
    pub creates_sent: u32,
    #[serde(default)]
    pub create_retries: u32,
    /// Lookups in a row that failed (not answered).
    #[serde(default)]
    pub lookups: u32,
    /// Lookups in a row that Kling answered without knowing the key.
    #[serde(default)]
    pub unseen_lookups: u32,
    #[serde(default)]
    pub polls: u32,
    #[serde(default)]
    pub poll_errors: u32,
    #[serde(default)]
    pub not_found: u32,
    /// A passing problem, in plain words.
    #[serde(default)]
    pub note: Option<String>,
    /// `final_unit_deduction`, when Kling said.
    #[serde(default)]
    pub charged_units: Option<f64>,
    pub updated_ms: u64,
    /// The tab driving the making, and until when.
    #[serde(flatten)]
    pub lease: Lease,
}

impl Making {
    fn new(key: String, character_id: String, request: CreateRequest, now_ms: u64) -> Making {
        Making {
            key,
            character_id,
            request,
            stage: Stage::Journaled,
            created_ms: now_ms,
            estimate: None,
            recreate: false,
            creates_sent: 0,
            create_retries: 0,
            lookups: 0,
            unseen_lookups: 0,
            polls: 0,
            poll_errors: 0,
            not_found: 0,
            note: None,
            charged_units: None,
            updated_ms: now_ms,
            lease: Lease::default(),
        }
    }

    /// The making of `character`'s element under `key` (from
    /// [`crate::job::key_from_random`]), or why it cannot be sent. Store it
    /// before anything is sent.
    pub fn element(
        character: &Character,
        key: String,
        uploads: &UploadsMode,
        now_ms: u64,
    ) -> Result<Making, CharacterError> {
        let request = ElementRequest::from_character(character, &key, uploads)?;
        Ok(Making::new(
            key,
            character.id.clone(),
            CreateRequest::Element(request),
            now_ms,
        ))
    }

    /// The making of a custom voice named `name` from the clip at
    /// `clip_src`, for the character `character_id` (empty for none).
    pub fn voice(
        character_id: impl Into<String>,
        name: &str,
        clip_src: &str,
        key: String,
        uploads: &UploadsMode,
        now_ms: u64,
    ) -> Result<Making, CharacterError> {
        let request = VoiceRequest::new(name, clip_src, &key, uploads)?;
        Ok(Making::new(
            key,
            character_id.into(),
            CreateRequest::Voice(request),
            now_ms,
        ))
    }

    pub fn is_element(&self) -> bool {
        matches!(self.request, CreateRequest::Element(_))
    }

    /// What to do next.
    pub fn next_action(&self) -> MakingAction {
        match &self.stage {
            Stage::Journaled => MakingAction::Create,
            Stage::SubmitUnknown if self.recreate => MakingAction::Create,
            Stage::SubmitUnknown => MakingAction::Lookup,
            Stage::Submitted { task_id } | Stage::Running { task_id } => {
                MakingAction::Poll(task_id.clone())
            }
            Stage::Done { made } => MakingAction::Done(made.clone()),
            Stage::Failed { reason, .. } => MakingAction::Failed(reason.clone()),
        }
    }

    /// The call the next action needs, through `transport`: the create
    /// (the body as stored), the lookup by key, or the status call.
    /// `None` when the making is over.
    pub fn call(&self, transport: &Transport) -> Option<HttpCall> {
        let element = self.is_element();
        match self.next_action() {
            MakingAction::Create => Some(transport.create_made(&self.request)),
            MakingAction::Lookup if element => Some(transport.element_query(&self.key)),
            MakingAction::Lookup => Some(transport.voice_query(&self.key)),
            MakingAction::Poll(task_id) if element => Some(transport.element_query(&task_id)),
            MakingAction::Poll(task_id) => Some(transport.voice_query(&task_id)),
            MakingAction::Done(_) | MakingAction::Failed(_) => None,
        }
    }

    /// Whether there is still work to do.
    pub fn is_active(&self) -> bool {
        !self.stage.is_over()
    }

    /// The failure reason, once failed.
    pub fn reason(&self) -> Option<&str> {
        match &self.stage {
            Stage::Failed { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// What the character's element status is at this step; `None` for a
    /// voice, which is no element.
    pub fn element_status(&self) -> Option<ElementStatus> {
        if !self.is_element() {
            return None;
        }
        Some(match &self.stage {
            Stage::Journaled | Stage::SubmitUnknown => ElementStatus::Making {
                key: self.key.clone(),
                task_id: None,
            },
            Stage::Submitted { task_id } | Stage::Running { task_id } => ElementStatus::Making {
                key: self.key.clone(),
                task_id: Some(task_id.clone()),
            },
            Stage::Done {
                made: Made::Element { element_id, .. },
            } => ElementStatus::Ready {
                element_id: element_id.clone(),
            },
            Stage::Done { .. } => return None,
            Stage::Failed { reason, .. } => ElementStatus::Failed {
                reason: reason.clone(),
            },
        })
    }

    /// Brings `character` up to date with this making: its element
    /// status, and the voice once made (a custom voice, or the one Kling
    /// bound to the element). Does nothing for another character.
    pub fn apply_to(&self, character: &mut Character) {
        if character.id != self.character_id {
            return;
        }
        if let Some(status) = self.element_status() {
            character.element = status;
        }
        match &self.stage {
            Stage::Done {
                made: Made::Voice { voice },
            }
            | Stage::Done {
                made: Made::Element {
                    voice: Some(voice), ..
                },
            } => character.voice = Some(voice.clone()),
            _ => {}
        }
        character.updated_ms = character.updated_ms.max(self.updated_ms);
    }

    /// Whether `tab` may drive the making at `now`: it holds the lease, or
    /// nobody does.
    pub fn may_drive(&self, tab: &str, now_ms: u64) -> bool {
        self.lease.may_drive(tab, now_ms)
    }

    /// Takes (or renews) the lease for `tab` for `wait_ms` plus
    /// [`LEASE_GRACE_MS`](crate::journal::LEASE_GRACE_MS).
    pub fn claim(&mut self, tab: &str, now_ms: u64, wait_ms: u64) {
        self.lease.claim(tab, now_ms, wait_ms);
        self.updated_ms = now_ms;
    }

    /// Lets go of the lease.
    pub fn release(&mut self) {
        self.lease.release();
    }

    /// Journaled → SubmitUnknown, or a permitted re-send with the same key.
    /// Store the making after this and before sending.
    pub fn begin_create(&mut self) -> Result<(), JobError> {
        match self.stage {
            Stage::Journaled => self.stage = Stage::SubmitUnknown,
            Stage::SubmitUnknown if self.recreate => {}
            _ => {
                return Err(JobError::NotAllowed {
                    action: "send the create request",
                    phase: self.stage.name(),
                })
            }
        }
        // Whoever resumes after a crash looks it up first.
        self.recreate = false;
        self.creates_sent += 1;
        self.unseen_lookups = 0;
        Ok(())
    }

    /// Gives up a creation not yet sent (the user canceled it).
    pub fn cancel(&mut self) -> Result<(), JobError> {
        if self.stage != Stage::Journaled {
            return Err(JobError::NotAllowed {
                action: "cancel",
                phase: self.stage.name(),
            });
        }
        self.fail(
            format!(
                "The {} was canceled before it was sent.",
                self.request.noun()
            ),
            None,
        );
        Ok(())
    }

    /// Reads the answer to the create call; returns the pause before the
    /// next action, in ms.
    pub fn on_create(&mut self, answer: &Answer, jitter: f64) -> u64 {
        if self.stage != Stage::SubmitUnknown {
            return 0;
        }
        let (status, body) = match answer {
            Answer::Network { message } => return self.lost(&format!("network error: {message}")),
            Answer::Http { status, body } => (*status, body.as_str()),
        };
        if let Some(message) = relay_error(body).filter(|_| !(200..=299).contains(&status)) {
            if (400..=499).contains(&status) {
                // The relay refused it before sending anything (a stored
                // file it cannot hand over, a body it cannot read).
                let reason = format!(
                    "The app's server could not pass the request on, so nothing was sent to Kling. The server said: “{}”",
                    message.trim()
                );
                let mut failure = Failure::from_http(status, message);
                failure.code = Some(RELAY_CODE.into());
                failure.charged = Charged::Nothing;
                self.fail(sentence(&reason), Some(failure));
                return 0;
            }
            // A 5xx: the relay may have passed it on before it failed.
            return self.lost(&format!("the server said: {message}"));
        }
        match kling_general::parse_create(status, body) {
            Err(e) => self.lost(&format!("the answer could not be read ({e})")),
            Ok(CreateAnswer::Accepted(created)) => {
                self.stage = Stage::Submitted {
                    task_id: created.task_id,
                };
                self.note = None;
                next_poll_delay_ms(0, None, None)
            }
            Ok(CreateAnswer::Refused(failure)) => self.refused(failure, jitter),
        }
    }

    fn refused(&mut self, failure: Failure, jitter: f64) -> u64 {
        if failure.code.is_none() {
            // An HTTP error with no Kling body: a gateway between us and
            // Kling, so the create may have arrived.
            return self.lost(&failure.describe());
        }
        if is_duplicate_key(&failure) {
            self.recreate = false;
            self.note = Some(format!(
                "The {} had already arrived; finding it by its key.",
                self.request.noun()
            ));
            return 0;
        }
        if failure.retryable
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
        let reason = format!(
            "Kling refused to make the {}. {}",
            self.request.noun(),
            sentence(&failure.describe())
        );
        self.fail(reason, Some(failure));
        0
    }

    /// The create answer is lost: look it up by its key.
    fn lost(&mut self, why: &str) -> u64 {
        self.recreate = false;
        self.note = Some(format!(
            "The answer to the create request was lost ({why}); looking the {} up by its key.",
            self.request.noun()
        ));
        1_000
    }

    /// Reads the answer to the lookup by key.
    pub fn on_lookup(&mut self, answer: &Answer, jitter: f64) -> u64 {
        if self.stage != Stage::SubmitUnknown {
            return 0;
        }
        let found = match answer {
            Answer::Network { message } => Err(format!("network error: {message}")),
            Answer::Http { status, body } => match self.query(*status, body) {
                Ok(Queried::Found(task)) => Ok(Some(task)),
                Ok(Queried::Refused(f))
                    if f.category == FailureCategory::NotFound && f.code.is_some() =>
                {
                    Ok(None)
                }
                Ok(Queried::Refused(f)) => Err(f.describe()),
                Err(e) => Err(relay_error(body).unwrap_or_else(|| e.to_string())),
            },
        };
        let found = match found {
            Ok(found) => found,
            Err(why) => {
                self.lookups += 1;
                if self.lookups > MAX_LOOKUPS {
                    let reason = format!(
                        "The answer to the create request was lost and the {} could not be looked up ({why}). It may still be made and charged: check Kling's console.",
                        self.request.noun()
                    );
                    self.fail(reason, None);
                    return 0;
                }
                let wait = retry_delay_ms(self.lookups - 1, jitter);
                self.note = Some(format!(
                    "Looking the {} up failed ({why}); trying again in {} s.",
                    self.request.noun(),
                    wait.div_ceil(1000)
                ));
                return wait;
            }
        };
        self.lookups = 0;
        match found {
            Some(task) => {
                self.stage = Stage::Submitted {
                    task_id: task.task_id.clone(),
                };
                self.unseen_lookups = 0;
                self.note = None;
                self.observe(task);
                if self.stage.is_over() {
                    0
                } else {
                    next_poll_delay_ms(0, None, None)
                }
            }
            None if self.unseen_lookups + 1 < MAX_UNSEEN_LOOKUPS => {
                // Kling may not show a task it has just accepted.
                self.unseen_lookups += 1;
                let wait = retry_delay_ms(self.unseen_lookups, jitter);
                self.note = Some(format!(
                    "Kling does not show the {} yet; looking again in {} s (look {} of {}).",
                    self.request.noun(),
                    wait.div_ceil(1000),
                    self.unseen_lookups + 1,
                    MAX_UNSEEN_LOOKUPS
                ));
                wait
            }
            None if self.creates_sent > MAX_CREATE_RETRIES => {
                let reason = format!(
                    "The {} was not found by its key after {} attempts to send it; it may still be made: check Kling's console.",
                    self.request.noun(),
                    self.creates_sent
                );
                self.fail(reason, None);
                0
            }
            None => {
                // It never arrived: sending it again with the same key is
                // safe (Kling refuses a duplicate key).
                self.unseen_lookups = 0;
                self.recreate = true;
                self.note = Some(format!(
                    "The {} did not arrive; sending it again with the same key.",
                    self.request.noun()
                ));
                0
            }
        }
    }

    /// Reads the answer to a status call.
    pub fn on_poll(&mut self, answer: &Answer, jitter: f64) -> u64 {
        let Some(task_id) = self.stage.task_id().map(str::to_string) else {
            return 0;
        };
        let (status, body) = match answer {
            Answer::Network { message } => {
                return self.poll_failed(
                    request_failure(None, format!("network error: {message}"), true),
                    jitter,
                )
            }
            Answer::Http { status, body } => (*status, body.as_str()),
        };
        if let Some(message) = relay_error(body).filter(|_| !(200..=299).contains(&status)) {
            let mut f = Failure::from_http(status, message);
            f.code = Some(RELAY_CODE.into());
            return self.poll_failed(f, jitter);
        }
        match self.query(status, body) {
            Err(e) => self.poll_failed(request_failure(None, e.to_string(), true), jitter),
            Ok(Queried::Refused(f)) => self.poll_failed(f, jitter),
            Ok(Queried::Found(task)) if task.task_id != task_id => self.poll_failed(
                request_failure(
                    None,
                    format!("Kling answered about task {} instead", task.task_id),
                    true,
                ),
                jitter,
            ),
            Ok(Queried::Found(task)) => {
                self.poll_errors = 0;
                self.not_found = 0;
                self.note = None;
                self.observe(task);
                if self.stage.is_over() {
                    return 0;
                }
                self.polls += 1;
                next_poll_delay_ms(self.polls, None, Some(jitter))
            }
        }
    }

    /// A query answer, read as this creation's kind.
    fn query(&self, status: u16, body: &str) -> Result<Queried<Made>, crate::response::ParseError> {
        fn map<T>(q: Queried<T>, made: impl Fn(T) -> Made) -> Queried<Made> {
            match q {
                Queried::Refused(f) => Queried::Refused(f),
                Queried::Found(t) => Queried::Found(GeneralTask {
                    task_id: t.task_id,
                    external_id: t.external_id,
                    charged_units: t.charged_units,
                    state: match t.state {
                        TaskState::Submitted => TaskState::Submitted,
                        TaskState::Processing => TaskState::Processing,
                        TaskState::Succeeded { made: m } => TaskState::Succeeded { made: made(m) },
                        TaskState::Failed { reason } => TaskState::Failed { reason },
                    },
                }),
            }
        }
        Ok(match self.request {
            CreateRequest::Element(_) => map(
                kling_general::parse_element_query(status, body)?,
                |e: ElementSummary| Made::Element {
                    element_id: e.element_id,
                    voice: e.voice,
                },
            ),
            CreateRequest::Voice(_) => map(
                kling_general::parse_voice_query(status, body)?,
                |v: VoiceSummary| Made::Voice {
                    voice: v.voice(VoiceSource::Custom),
                },
            ),
        })
    }

    /// Applies a task Kling reported.
    fn observe(&mut self, task: GeneralTask<Made>) {
        if task.charged_units.is_some() {
            self.charged_units = task.charged_units;
        }
        let task_id = task.task_id;
        match task.state {
            TaskState::Submitted => {}
            TaskState::Processing => self.stage = Stage::Running { task_id },
            TaskState::Succeeded { made } => {
                self.stage = Stage::Done { made };
                self.note = None;
            }
            TaskState::Failed { mut reason } => {
                reason.category = task_category(&reason);
                let noun = self.request.noun();
                let said = reason.message.trim();
                let text = if said.is_empty() {
                    format!("Kling could not make the {noun}; it gave no reason.")
                } else {
                    format!("Kling could not make the {noun}. It said: “{said}”.")
                };
                self.fail(text, Some(reason));
            }
        }
    }

    /// A status call failed; the task itself may be fine.
    fn poll_failed(&mut self, failure: Failure, jitter: f64) -> u64 {
        self.poll_errors += 1;
        if failure.category == Category::NotFound {
            self.not_found += 1;
        } else {
            self.not_found = 0;
        }
        if self.not_found >= MAX_NOT_FOUND || self.poll_errors >= MAX_POLL_ERRORS {
            let reason = format!(
                "Gave up checking the {} after {} failed status calls; the last said: {}",
                self.request.noun(),
                self.poll_errors,
                sentence(&failure.describe())
            );
            let mut failure = failure;
            failure.scope = Scope::Task;
            failure.charged = Charged::Unknown;
            self.fail(reason, Some(failure));
            return 0;
        }
        let wait = next_poll_delay_ms(self.polls, Some(&failure), Some(jitter));
        self.polls += 1;
        self.note = Some(format!(
            "Checking the {} failed ({}); trying again in {} s.",
            self.request.noun(),
            failure.describe().trim_end_matches('.'),
            wait.div_ceil(1000)
        ));
        wait
    }

    fn fail(&mut self, reason: String, failure: Option<Failure>) {
        self.stage = Stage::Failed { reason, failure };
        self.note = None;
        self.recreate = false;
    }
}

/// A making still under way for the character `character_id` and of the
/// same kind: a second "Make Kling element" (double click, another tab)
/// would start a second one.
pub fn busy_with<'a>(
    makings: impl IntoIterator<Item = &'a Making>,
    character_id: &str,
    element: bool,
) -> Option<&'a Making> {
    makings
        .into_iter()
        .find(|m| m.is_active() && m.character_id == character_id && m.is_element() == element)
}

fn request_failure(status: Option<u16>, message: String, retryable: bool) -> Failure {
    Failure {
        category: FailureCategory::Unknown,
        scope: Scope::Request,
        http_status: status,
        code: None,
        message,
        retryable,
        charged: Charged::Unknown,
    }
}

/// `text` ending with a full stop.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?', '”']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

//! Status calls and fal's result: following an accepted job to its end.

use super::failure::{is_success, network_failure, relay_failure, task_category};
use super::retry::{MAX_NOT_FOUND, MAX_POLL_ERRORS, MAX_UNSEEN_POLLS};
use super::Entry;
use crate::board::Provider;
use crate::job::next_poll_delay_ms;
use crate::response::{
    self, fal::FalStatus, kling_current::Polled, Charged, Failure, FailureCategory, JobState, Scope,
};
use crate::transport::{relay_error, Answer};

impl Entry {
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
    pub(super) fn observe(&mut self, state: &JobState) {
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
}

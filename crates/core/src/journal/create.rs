//! The create call's answer, and finding a job whose answer was lost by
//! its key.

use super::explain::sentence;
use super::failure::{is_duplicate_key, is_success, relay_failure};
use super::retry::{
    retry_delay_ms, MAX_CREATE_RETRIES, MAX_LOOKUPS, MAX_LOOKUP_PAGES, MAX_UNSEEN_LOOKUPS,
};
use super::Entry;
use crate::board::Provider;
use crate::job::{lookup_by_key, next_poll_delay_ms, Phase};
use crate::response::{self, kling::Listing, Charged, Failure, Submission, Ticket};
use crate::transport::{relay_error, Answer};

impl Entry {
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
}

//! A journal entry: one job as the browser keeps it (in IndexedDB), with
//! what it needs to be driven to the end from any tab, after a reload or a
//! crash, and the decision of what to do next.
//!
//! The app loops: [`Entry::next_action`] says which call to make (built by
//! [`Transport`](crate::transport::Transport)); the answer goes to the
//! matching `on_…` method, which moves the [`Job`](crate::job::Job) and returns how long to
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
//! - Polls back off with
//!   [`next_poll_delay_ms`](crate::job::next_poll_delay_ms); a failed status call is
//!   not a failed job.
//!
//! Only one tab drives an entry: the one holding its lease
//! ([`Entry::may_drive`], [`Entry::claim`]). A reload keeps the tab's id, so
//! it resumes at once; another tab takes over once the lease has run out.
//!
//! The parts: `entry.rs` (the [`Entry`], its [`Action`]s and the clip),
//! `create.rs` (the create's answer and the lookup by key), `poll.rs`
//! (status calls and fal's result), `retry.rs` (the limits and pauses),
//! `failure.rs` (how failures are read), `lease.rs`, `explain.rs` (a
//! failure in plain words), `charge.rs` (a charge in words) and `take.rs`
//! (a finished clip).

mod charge;
mod create;
mod entry;
mod explain;
mod failure;
mod lease;
mod poll;
mod retry;
mod take;

/// The answer the `on_…` methods read; it lives beside the calls, in
/// [`crate::transport`].
pub use crate::transport::Answer;
pub use charge::{cash_text, charge_short, charge_text, units_text};
pub use entry::{busy_with, Action, ClipState, Entry};
pub use explain::{at_fault, charged_sentence, explain, headline};
pub use failure::{is_duplicate_key, task_category, RELAY_CODE};
pub use lease::{Lease, LEASE_GRACE_MS};
pub use retry::{
    retry_delay_ms, MAX_CLIP_TRIES, MAX_CREATE_RETRIES, MAX_LOOKUPS, MAX_LOOKUP_PAGES,
    MAX_NOT_FOUND, MAX_POLL_ERRORS, MAX_RETRY_DELAY_MS, MAX_UNSEEN_LOOKUPS, MAX_UNSEEN_POLLS,
};
pub use take::Take;

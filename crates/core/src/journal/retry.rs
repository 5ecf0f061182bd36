//! How often and after how long a job's calls are tried again.

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

/// The pause before retry number `attempt` (0-based) of a create or a
/// lookup: 1 s, 2 s, 4 s … up to 30 s, with up to 20 % jitter (added
/// under 30 s, taken off at it; see [`crate::job::spread`]).
pub fn retry_delay_ms(attempt: u32, jitter: f64) -> u64 {
    let base = 1_000u64
        .saturating_mul(1u64 << attempt.min(5))
        .min(MAX_RETRY_DELAY_MS);
    crate::job::spread(base, MAX_RETRY_DELAY_MS, jitter)
}

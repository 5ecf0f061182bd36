//! Which tab drives a journaled job.

/// How long a tab's hold on an entry lasts beyond its next planned step.
pub const LEASE_GRACE_MS: u64 = 20_000;

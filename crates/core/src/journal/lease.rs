//! Which tab drives a journaled job or a making: the one holding its
//! lease. A reload keeps the tab's id, so it resumes at once; another tab
//! takes over once the lease has run out.

use serde::{Deserialize, Serialize};

/// How long a tab's hold on an entry lasts beyond its next planned step.
pub const LEASE_GRACE_MS: u64 = 20_000;

/// The tab driving a record, and until when. A record stores it
/// flattened (`#[serde(flatten)]`) as its `owner` and `lease_until_ms`
/// fields, as it did before the lease was a type of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Lease {
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default, rename = "lease_until_ms")]
    pub until_ms: u64,
}

impl Lease {
    /// Whether `tab` may drive the record at `now`: it holds the lease, or
    /// nobody does.
    pub fn may_drive(&self, tab: &str, now_ms: u64) -> bool {
        self.owner.as_deref() == Some(tab) || self.owner.is_none() || self.until_ms <= now_ms
    }

    /// Takes (or renews) the lease for `tab` for `wait_ms` plus
    /// [`LEASE_GRACE_MS`].
    pub fn claim(&mut self, tab: &str, now_ms: u64, wait_ms: u64) {
        self.owner = Some(tab.to_string());
        self.until_ms = now_ms
            .saturating_add(wait_ms)
            .saturating_add(LEASE_GRACE_MS);
    }

    /// Lets go of the lease.
    pub fn release(&mut self) {
        self.owner = None;
        self.until_ms = 0;
    }
}

//! Scheduled work, ordered by due time. Advancing the clock pops only what is due, so its cost
//! grows with the number of due items, not with the size of the cluster. Work that became moot
//! (a pod deleted before its refresh) stays queued and is skipped when popped.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use std::sync::Arc;

use super::clock::SimTime;
use super::tokens::ledger::Holder;

/// A pod whose grace period ends.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PodRef {
    pub namespace: String,
    pub name: String,
    pub uid: String,
}

/// What is due.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Work {
    /// Remove a pod whose termination grace period has ended.
    PodFinalize(Box<PodRef>),
    /// The kubelet checks a projected token of a pod and refreshes it when due. `token` is the
    /// ledger id of the token whose refresh this is (0 when there is none yet).
    KubeletSync { token: u64, holder: Arc<Holder> },
    /// A token passes its expiry (plus the review leeway).
    TokenExpiry { token: u64 },
}

impl Work {
    /// A cheap canonical tie-break for work due at the same instant: the variant, then a token
    /// id. It depends only on the cluster's state, never on insertion history, so a reloaded
    /// state runs simultaneous work in the same order as the original.
    fn tie_key(&self) -> (u8, u64) {
        match self {
            Work::PodFinalize(_) => (0, 0),
            Work::KubeletSync { token, .. } => (1, *token),
            Work::TokenExpiry { token } => (2, *token),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry(SimTime, Work);

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .cmp(&other.0)
            .then_with(|| self.1.tie_key().cmp(&other.1.tie_key()))
            .then_with(|| self.1.cmp(&other.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Schedule {
    heap: BinaryHeap<Reverse<Entry>>,
}

impl Schedule {
    pub fn push(&mut self, at: SimTime, work: Work) {
        self.heap.push(Reverse(Entry(at, work)));
    }

    /// The earliest due time, if anything is queued.
    pub fn next_at(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(Entry(t, _))| *t)
    }

    /// Pops the earliest item if it is due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, Work)> {
        if self.next_at()? <= until {
            self.heap.pop().map(|Reverse(Entry(t, w))| (t, w))
        } else {
            None
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

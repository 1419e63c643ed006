//! Scheduled work, ordered by due time. Advancing the clock pops only what is due, so its cost
//! grows with the number of due items, not with the size of the cluster. Work that became moot
//! (a pod deleted before its refresh) stays queued and is skipped when popped.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::clock::SimTime;

/// What is due. Ties at the same instant run in this enum's order, then by field, so the order
/// never depends on insertion history.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Work {
    /// Remove a pod whose termination grace period has ended.
    PodFinalize {
        namespace: String,
        name: String,
        uid: String,
    },
    /// The kubelet checks a projected token of a pod and refreshes it when due.
    KubeletSync {
        namespace: String,
        pod: String,
        uid: String,
        volume: String,
        path: String,
    },
    /// A token passes its expiry (plus the review leeway).
    TokenExpiry { token: u64 },
}

#[derive(Clone, Debug, Default)]
pub struct Schedule {
    heap: BinaryHeap<Reverse<(SimTime, Work)>>,
}

impl Schedule {
    pub fn push(&mut self, at: SimTime, work: Work) {
        self.heap.push(Reverse((at, work)));
    }

    /// The earliest due time, if anything is queued.
    pub fn next_at(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse((t, _))| *t)
    }

    /// Pops the earliest item if it is due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, Work)> {
        if self.next_at()? <= until {
            self.heap.pop().map(|Reverse(x)| x)
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

    /// Drops items matching `moot` (used to keep the queue small after bulk deletions).
    pub fn retain(&mut self, keep: impl Fn(&Work) -> bool) {
        let items = std::mem::take(&mut self.heap).into_vec();
        self.heap = items
            .into_iter()
            .filter(|Reverse((_, w))| keep(w))
            .collect();
    }
}

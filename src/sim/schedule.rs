//! Scheduled work, ordered by due time. Advancing the clock pops only what is due, so its cost
//! grows with the number of due items, not with the size of the cluster. Work that became moot
//! (a pod deleted before its refresh) stays queued and is skipped when popped.

use std::collections::{BTreeMap, VecDeque};

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
    /// The legacy service-account token cleaner's daily sync.
    LegacyTokenCleanup,
    /// A previous issuer's trust window ends.
    IssuerExpiry { issuer: String },
    /// One more control-plane node installs the latest kube-apiserver revision (OpenShift).
    RolloutStep,
    /// A node of a rolling restart reboots.
    NodeRestart { node: String },
    /// OpenShift's image-pull-secret controller refreshes a bound pull-secret token.
    PullSecretRefresh { namespace: String, secret: String },
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
            Work::LegacyTokenCleanup => (3, 0),
            Work::IssuerExpiry { .. } => (4, 0),
            Work::RolloutStep => (5, 0),
            Work::NodeRestart { .. } => (6, 0),
            Work::PullSecretRefresh { .. } => (7, 0),
        }
    }
}

/// Work grouped by due instant. Advancing takes one instant's batch at a time, sorted by the
/// canonical tie-break; a B-tree of instants keeps pops cheap and cache-friendly even with
/// hundreds of thousands of items queued.
#[derive(Clone, Debug, Default)]
pub struct Schedule {
    by_time: BTreeMap<SimTime, Vec<Work>>,
    /// The batch being run: its instant and what is left of it, in order.
    batch: Option<(SimTime, VecDeque<Work>)>,
    len: usize,
}

impl Schedule {
    pub fn push(&mut self, at: SimTime, work: Work) {
        self.by_time.entry(at).or_default().push(work);
        self.len += 1;
    }

    /// The earliest due time, if anything is queued.
    pub fn next_at(&self) -> Option<SimTime> {
        let queued = self.by_time.keys().next().copied();
        match &self.batch {
            Some((at, rest)) if !rest.is_empty() => Some(queued.map_or(*at, |q| q.min(*at))),
            _ => queued,
        }
    }

    /// Pops the earliest item if it is due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, Work)> {
        if let Some((at, rest)) = &mut self.batch
            && let Some(w) = rest.pop_front()
        {
            self.len -= 1;
            return Some((*at, w));
        }
        let (&at, _) = self.by_time.first_key_value()?;
        if at > until {
            return None;
        }
        let mut items = self.by_time.remove(&at).unwrap_or_default();
        items.sort_by(|a, b| a.tie_key().cmp(&b.tie_key()).then_with(|| a.cmp(b)));
        let mut rest: VecDeque<Work> = items.into();
        let first = rest.pop_front();
        self.batch = Some((at, rest));
        self.len -= usize::from(first.is_some());
        first.map(|w| (at, w))
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

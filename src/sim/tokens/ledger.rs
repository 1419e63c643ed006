//! The token ledger: every token the cluster issued, who holds it, and when the kubelet will
//! refresh it. Status (active, superseded, expired, revoked) is not stored here: the simulator
//! derives it with the same code TokenReview runs.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::claims::{ParsedClaims, TokenBinding, TokenTimes};
use crate::sim::clock::SimTime;
use crate::sim::fxhash::{FxHashMap, FxHashSet};
use crate::sim::objects::meta::k8s_time_opt;

/// Who holds a token.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Holder {
    /// A projected `serviceAccountToken` file the kubelet keeps fresh.
    #[serde(rename_all = "camelCase")]
    Projected {
        namespace: Arc<str>,
        pod: Arc<str>,
        pod_uid: Arc<str>,
        volume: Arc<str>,
        path: Arc<str>,
    },
    /// Returned by the TokenRequest API (`kubectl create token`) to whoever asked.
    #[serde(rename_all = "camelCase")]
    TokenRequest {
        namespace: Arc<str>,
        service_account: Arc<str>,
    },
    /// Stored in a Secret: a legacy token secret's `token`, or (OpenShift 4.16+) the bound
    /// token inside a `kubernetes.io/dockercfg` pull secret.
    #[serde(rename_all = "camelCase")]
    Secret {
        namespace: Arc<str>,
        secret: Arc<str>,
    },
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Holder::Projected {
                namespace,
                pod,
                volume,
                path,
                ..
            } => {
                write!(f, "pod {namespace}/{pod} volume {volume} path {path}")
            }
            Holder::TokenRequest { .. } => f.write_str("TokenRequest"),
            Holder::Secret { namespace, secret } => write!(f, "secret {namespace}/{secret}"),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// The signing key's id, shared by every token that key signed.
    pub kid: Arc<str>,
    pub iat: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnafter: Option<i64>,
    /// The requested lifetime after defaulting and clamping (`spec.expirationSeconds`).
    pub expiration_seconds: i64,
    /// Shared by all tokens of one holder while the claims stay the same.
    pub binding: Arc<TokenBinding>,
    pub holder: Arc<Holder>,
    /// When the kubelet will replace this token (projected tokens only).
    #[serde(
        default,
        with = "k8s_time_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub refresh_due_at: Option<SimTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<u64>,
    #[serde(
        default,
        with = "k8s_time_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub superseded_at: Option<SimTime>,
    /// A legacy (secret-based, `kubernetes/serviceaccount`) token: legacy claims, no expiry.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy: bool,
    /// The compact JWS, made the first time its bytes are needed.
    #[serde(skip)]
    pub signed: OnceLock<Arc<str>>,
}

impl Clone for TokenRecord {
    fn clone(&self) -> Self {
        TokenRecord {
            id: self.id,
            jti: self.jti.clone(),
            kid: self.kid.clone(),
            iat: self.iat,
            exp: self.exp,
            warnafter: self.warnafter,
            expiration_seconds: self.expiration_seconds,
            binding: self.binding.clone(),
            holder: self.holder.clone(),
            refresh_due_at: self.refresh_due_at,
            superseded_by: self.superseded_by,
            superseded_at: self.superseded_at,
            legacy: self.legacy,
            signed: self.signed.clone(),
        }
    }
}

impl TokenRecord {
    pub fn times(&self) -> TokenTimes {
        TokenTimes {
            iat: self.iat,
            exp: self.exp,
            warnafter: self.warnafter,
        }
    }

    pub fn claims(&self) -> ParsedClaims {
        ParsedClaims::from_binding(&self.binding, self.times(), self.jti.as_deref())
    }

    /// `status.expirationTimestamp` of the TokenRequest that made this token: iat plus the
    /// requested seconds, not the (possibly extended) JWT `exp`.
    pub fn status_expiration(&self) -> i64 {
        self.iat + self.expiration_seconds
    }

    /// The JWT `exp`, or `None` for legacy tokens, which never expire.
    pub fn expires(&self) -> Option<i64> {
        (!self.legacy).then_some(self.exp)
    }

    /// Every object UID the token names: its service account, pod, secret, node.
    fn bound_uids(&self) -> impl Iterator<Item = &str> {
        let b = &self.binding;
        std::iter::once(b.service_account.uid.as_str())
            .chain(b.pod.iter().map(|r| r.uid.as_str()))
            .chain(b.secret.iter().map(|r| r.uid.as_str()))
            .chain(
                b.node
                    .iter()
                    .filter(|_| b.pod.is_none())
                    .map(|r| r.uid.as_str()),
            )
            .filter(|u| !u.is_empty())
    }
}

/// Records by id. Ids are handed out in sequence, so a deque of slots indexed by
/// `id - base` gives O(1) access; evicted slots are emptied and the front trimmed.
#[derive(Clone, Debug, Default)]
struct Records {
    slots: VecDeque<Option<Box<TokenRecord>>>,
    base: u64,
    len: usize,
}

impl Records {
    fn index(&self, id: u64) -> Option<usize> {
        id.checked_sub(self.base)
            .map(|i| i as usize)
            .filter(|i| *i < self.slots.len())
    }

    fn insert(&mut self, r: TokenRecord) {
        if self.slots.is_empty() {
            self.base = r.id;
        }
        if r.id < self.base {
            // Out-of-order ids only come from hand-edited state files: grow the front.
            for _ in r.id..self.base {
                self.slots.push_front(None);
            }
            self.base = r.id;
        }
        let i = (r.id - self.base) as usize;
        while self.slots.len() <= i {
            self.slots.push_back(None);
        }
        if self.slots[i].replace(Box::new(r)).is_none() {
            self.len += 1;
        }
    }

    fn remove(&mut self, id: u64) -> Option<Box<TokenRecord>> {
        let i = self.index(id)?;
        let old = self.slots[i].take()?;
        self.len -= 1;
        while matches!(self.slots.front(), Some(None)) {
            self.slots.pop_front();
            self.base += 1;
        }
        Some(old)
    }

    fn get(&self, id: u64) -> Option<&TokenRecord> {
        self.slots.get(self.index(id)?)?.as_deref()
    }

    fn get_mut(&mut self, id: u64) -> Option<&mut TokenRecord> {
        let i = self.index(id)?;
        self.slots.get_mut(i)?.as_deref_mut()
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = &TokenRecord> {
        self.slots.iter().filter_map(|s| s.as_deref())
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[derive(Clone, Debug, Default)]
pub struct Ledger {
    records: Records,
    /// Every holder once; ledger entries share these allocations, and their addresses key
    /// `by_holder` (the set keeps them alive, so an address is never reused).
    holders: FxHashSet<Arc<Holder>>,
    by_holder: FxHashMap<usize, VecDeque<u64>>,
    /// Token ids by the service account, pod, secret or (pod-less) node UID they name,
    /// ascending (ids grow, so inserts append and evictions remove near the front).
    by_uid: FxHashMap<String, VecDeque<u64>>,
    next_id: u64,
    /// Records dropped because their holder had more than `history_limit` tokens.
    evicted: u64,
    history_limit: usize,
}

impl Ledger {
    pub fn new(history_limit: usize) -> Self {
        Ledger {
            next_id: 1,
            history_limit: history_limit.max(1),
            ..Default::default()
        }
    }

    pub fn restore(history_limit: usize, records: Vec<TokenRecord>, evicted: u64) -> Self {
        let mut l = Ledger::new(history_limit);
        for mut r in records {
            l.next_id = l.next_id.max(r.id + 1);
            r.holder = l.intern(&r.holder);
            l.index(&r);
            l.records.insert(r);
        }
        l.evicted = evicted;
        l
    }

    pub fn next_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The shared allocation of a holder, made on first sight.
    pub fn intern(&mut self, holder: &Arc<Holder>) -> Arc<Holder> {
        // Already the shared allocation: skip hashing its contents.
        if self.by_holder.contains_key(&(Arc::as_ptr(holder) as usize)) {
            return holder.clone();
        }
        if let Some(h) = self.holders.get(&**holder) {
            return h.clone();
        }
        self.holders.insert(holder.clone());
        holder.clone()
    }

    fn holder_key(&self, holder: &Holder) -> Option<usize> {
        let ptr = holder as *const Holder as usize;
        if self.by_holder.contains_key(&ptr) {
            return Some(ptr);
        }
        self.holders.get(holder).map(|h| Arc::as_ptr(h) as usize)
    }

    fn index(&mut self, r: &TokenRecord) {
        self.by_holder
            .entry(Arc::as_ptr(&r.holder) as usize)
            .or_default()
            .push_back(r.id);
        for uid in r.bound_uids() {
            match self.by_uid.get_mut(uid) {
                Some(ids) => match ids.back() {
                    Some(last) if *last > r.id => {
                        let at = ids.binary_search(&r.id).unwrap_or_else(|i| i);
                        ids.insert(at, r.id);
                    }
                    _ => ids.push_back(r.id),
                },
                None => drop(self.by_uid.insert(uid.to_string(), VecDeque::from([r.id]))),
            }
        }
    }

    /// Adds a record, dropping its holder's oldest superseded tokens beyond the history limit.
    /// Returns the ids dropped.
    pub fn insert(&mut self, mut r: TokenRecord) -> Vec<u64> {
        r.holder = self.intern(&r.holder);
        self.index(&r);
        let key = Arc::as_ptr(&r.holder) as usize;
        self.records.insert(r);
        let mut dropped = Vec::new();
        while let Some(ids) = self.by_holder.get_mut(&key)
            && ids.len() > self.history_limit
        {
            let Some(old) = ids.pop_front() else { break };
            if let Some(rec) = self.records.remove(old) {
                for uid in rec.bound_uids() {
                    if let Some(ids) = self.by_uid.get_mut(uid) {
                        if let Ok(at) = ids.binary_search(&old) {
                            ids.remove(at);
                        }
                        if ids.is_empty() {
                            self.by_uid.remove(uid);
                        }
                    }
                }
            }
            self.evicted += 1;
            dropped.push(old);
        }
        dropped
    }

    pub fn get(&self, id: u64) -> Option<&TokenRecord> {
        self.records.get(id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut TokenRecord> {
        self.records.get_mut(id)
    }

    /// All kept records, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &TokenRecord> {
        self.records.iter()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// The holder's newest token, if it has not been superseded.
    pub fn current_for(&self, holder: &Holder) -> Option<&TokenRecord> {
        let id = *self.by_holder.get(&self.holder_key(holder)?)?.back()?;
        self.records.get(id).filter(|r| r.superseded_by.is_none())
    }

    /// Kept tokens that name an object UID (service account, pod, secret or node).
    pub fn naming_uid<'a>(&'a self, uid: &str) -> impl Iterator<Item = &'a TokenRecord> + 'a {
        self.by_uid
            .get(uid)
            .into_iter()
            .flatten()
            .filter_map(|id| self.records.get(*id))
    }

    /// Tokens held by one pod's projected volumes, newest last.
    pub fn held_by_pod<'a>(
        &'a self,
        pod_uid: &'a str,
    ) -> impl Iterator<Item = &'a TokenRecord> + 'a {
        self.naming_uid(pod_uid).filter(
            move |r| matches!(&*r.holder, Holder::Projected { pod_uid: u, .. } if **u == *pod_uid),
        )
    }
}

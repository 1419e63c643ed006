//! The token ledger: every token the cluster issued, who holds it, and when the kubelet will
//! refresh it. Status (active, superseded, expired, revoked) is not stored here: the simulator
//! derives it with the same code TokenReview runs.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::claims::{ParsedClaims, TokenBinding, TokenTimes};
use crate::sim::clock::SimTime;
use crate::sim::objects::meta::k8s_time_opt;

/// Who holds a token.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Holder {
    /// A projected `serviceAccountToken` file the kubelet keeps fresh.
    #[serde(rename_all = "camelCase")]
    Projected {
        namespace: String,
        pod: String,
        pod_uid: String,
        volume: String,
        path: String,
    },
    /// Returned by the TokenRequest API (`kubectl create token`) to whoever asked.
    #[serde(rename_all = "camelCase")]
    TokenRequest {
        namespace: String,
        service_account: String,
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
        }
    }
}

/// The TokenRequest spec a token came from, after defaulting and clamping: what the kubelet
/// re-requests on refresh.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedSpec {
    pub audiences: Vec<String>,
    pub expiration_seconds: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    pub kid: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnafter: Option<i64>,
    pub spec: IssuedSpec,
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
            spec: self.spec.clone(),
            binding: self.binding.clone(),
            holder: self.holder.clone(),
            refresh_due_at: self.refresh_due_at,
            superseded_by: self.superseded_by,
            superseded_at: self.superseded_at,
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
        self.iat + self.spec.expiration_seconds
    }

    /// Every object UID the token names: its service account, pod, secret, node.
    fn bound_uids(&self) -> impl Iterator<Item = &str> {
        let b = &self.binding;
        std::iter::once(b.service_account.uid.as_str())
            .chain(b.pod.iter().map(|r| r.uid.as_str()))
            .chain(b.secret.iter().map(|r| r.uid.as_str()))
            .chain(b.node.iter().map(|r| r.uid.as_str()))
            .filter(|u| !u.is_empty())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Ledger {
    records: BTreeMap<u64, TokenRecord>,
    by_holder: HashMap<Arc<Holder>, VecDeque<u64>>,
    by_uid: HashMap<String, BTreeSet<u64>>,
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
        for r in records {
            l.next_id = l.next_id.max(r.id + 1);
            l.index(&r);
            l.records.insert(r.id, r);
        }
        l.evicted = evicted;
        l
    }

    pub fn next_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn index(&mut self, r: &TokenRecord) {
        self.by_holder
            .entry(r.holder.clone())
            .or_default()
            .push_back(r.id);
        for uid in r.bound_uids() {
            self.by_uid.entry(uid.to_string()).or_default().insert(r.id);
        }
    }

    /// Adds a record, dropping its holder's oldest superseded tokens beyond the history limit.
    /// Returns the ids dropped.
    pub fn insert(&mut self, r: TokenRecord) -> Vec<u64> {
        self.index(&r);
        let holder = r.holder.clone();
        self.records.insert(r.id, r);
        let mut dropped = Vec::new();
        while let Some(ids) = self.by_holder.get_mut(&holder)
            && ids.len() > self.history_limit
        {
            let Some(old) = ids.pop_front() else { break };
            if let Some(rec) = self.records.remove(&old) {
                for uid in rec.bound_uids() {
                    if let Some(set) = self.by_uid.get_mut(uid) {
                        set.remove(&old);
                        if set.is_empty() {
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
        self.records.get(&id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut TokenRecord> {
        self.records.get_mut(&id)
    }

    /// All kept records, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &TokenRecord> {
        self.records.values()
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
        let id = *self.by_holder.get(holder)?.back()?;
        self.records.get(&id).filter(|r| r.superseded_by.is_none())
    }

    /// Kept tokens that name an object UID (service account, pod, secret or node).
    pub fn naming_uid<'a>(&'a self, uid: &str) -> impl Iterator<Item = &'a TokenRecord> + 'a {
        self.by_uid
            .get(uid)
            .into_iter()
            .flatten()
            .filter_map(|id| self.records.get(id))
    }

    /// Tokens held by one pod's projected volumes, newest last.
    pub fn held_by_pod<'a>(
        &'a self,
        pod_uid: &'a str,
    ) -> impl Iterator<Item = &'a TokenRecord> + 'a {
        self.naming_uid(pod_uid).filter(
            move |r| matches!(&*r.holder, Holder::Projected { pod_uid: u, .. } if u == pod_uid),
        )
    }
}

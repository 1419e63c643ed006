//! The event log: what happened, when (simulated), to which object. Bounded: the newest
//! `limit` events are kept and older ones only counted.

use std::collections::VecDeque;

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::clock::SimTime;
use super::objects::meta::k8s_time;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    Normal,
    Warning,
}

/// What an event is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    pub kind: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub namespace: Arc<str>,
    pub name: Arc<str>,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub uid: Arc<str>,
}

impl ObjectRef {
    /// Kinds are static names (`Pod`, `ServiceAccount`), so they cost no allocation.
    pub fn new(kind: &'static str, namespace: &str, name: &str, uid: &str) -> Self {
        ObjectRef {
            kind: Cow::Borrowed(kind),
            namespace: namespace.into(),
            name: name.into(),
            uid: uid.into(),
        }
    }

    /// A reference sharing already-allocated names (no copies).
    pub fn shared(
        kind: &'static str,
        namespace: &Arc<str>,
        name: &Arc<str>,
        uid: &Arc<str>,
    ) -> Self {
        ObjectRef {
            kind: Cow::Borrowed(kind),
            namespace: namespace.clone(),
            name: name.clone(),
            uid: uid.clone(),
        }
    }

    /// `pod/nginx`, as the OBJECT column of `kubectl get events` prints it.
    pub fn short(&self) -> String {
        format!("{}/{}", self.kind.to_ascii_lowercase(), self.name)
    }
}

/// Why something happened: the event reasons kidex records.
pub mod reason {
    pub const CREATED: &str = "Created";
    pub const UPDATED: &str = "Updated";
    pub const DELETED: &str = "Deleted";
    pub const SA_ADMISSION: &str = "ServiceAccountAdmission";
    pub const SCHEDULED: &str = "Scheduled";
    pub const FAILED_SCHEDULING: &str = "FailedScheduling";
    pub const STARTED: &str = "Started";
    pub const KILLING: &str = "Killing";
    pub const FAILED_MOUNT: &str = "FailedMount";
    pub const TOKEN_ISSUED: &str = "TokenIssued";
    pub const TOKEN_REFRESHED: &str = "TokenRefreshed";
    pub const TOKEN_EXPIRED: &str = "TokenExpired";
    pub const TOKEN_REVOKED: &str = "TokenRevoked";
    pub const TOKEN_REVIEWED: &str = "TokenReviewed";
    pub const TOKEN_REJECTED: &str = "TokenRejected";
    pub const ROLLOUT: &str = "NodeInstallerProgressing";
    pub const ISSUER_CHANGED: &str = "IssuerChanged";
    pub const KEY_ROTATED: &str = "SigningKeyChanged";
    pub const REBOOTED: &str = "Rebooted";
    pub const SECRETS_LINKED: &str = "SecretsLinked";

    /// The component that reports each reason.
    pub fn source(reason: &str) -> &'static str {
        match reason {
            SCHEDULED | FAILED_SCHEDULING => "default-scheduler",
            STARTED | KILLING | FAILED_MOUNT | TOKEN_REFRESHED => "kubelet",
            SA_ADMISSION => "serviceaccount-admission",
            TOKEN_EXPIRED => "kidex",
            ROLLOUT => "kube-apiserver-operator",
            REBOOTED => "kubelet",
            _ => "kube-apiserver",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimEvent {
    /// Position in the whole history of this cluster (never reused).
    pub seq: u64,
    #[serde(with = "k8s_time")]
    pub time: SimTime,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub reason: Cow<'static, str>,
    /// The component that reported it (`kubelet`, `default-scheduler`, `kube-apiserver`, …).
    #[serde(default)]
    pub source: Cow<'static, str>,
    pub object: ObjectRef,
    pub message: String,
    /// The ledger id of the token this event is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<u64>,
}

#[derive(Clone, Debug, Default)]
pub struct EventLog {
    kept: VecDeque<SimEvent>,
    limit: usize,
    next_seq: u64,
}

impl EventLog {
    pub fn new(limit: usize) -> Self {
        EventLog {
            kept: VecDeque::new(),
            limit: limit.max(1),
            next_seq: 1,
        }
    }

    /// Restores a saved log; `next_seq` continues after the newest saved event.
    pub fn restore(limit: usize, events: Vec<SimEvent>, dropped: u64) -> Self {
        let next_seq = events.last().map_or(dropped + 1, |e| e.seq + 1);
        let mut log = EventLog {
            kept: events.into(),
            limit: limit.max(1),
            next_seq,
        };
        log.trim();
        log
    }

    pub fn record(&mut self, event: SimEventDraft, time: SimTime) {
        let e = SimEvent {
            seq: self.next_seq,
            time,
            event_type: event.event_type,
            reason: Cow::Borrowed(event.reason),
            source: Cow::Borrowed(event.source.unwrap_or_else(|| reason::source(event.reason))),
            object: event.object,
            message: event.message,
            token: event.token,
        };
        self.next_seq += 1;
        self.kept.push_back(e);
        self.trim();
    }

    /// The newest `n` kept events, oldest first.
    pub fn newest(&self, n: usize) -> impl Iterator<Item = &SimEvent> {
        self.kept.iter().skip(self.kept.len().saturating_sub(n))
    }

    fn trim(&mut self) {
        while self.kept.len() > self.limit {
            self.kept.pop_front();
        }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &SimEvent> + ExactSizeIterator {
        self.kept.iter()
    }

    /// Events recorded over the cluster's life, including those no longer kept.
    pub fn total(&self) -> u64 {
        self.next_seq - 1
    }

    /// Events no longer kept.
    pub fn dropped(&self) -> u64 {
        self.total() - self.kept.len() as u64
    }
}

/// An event before it gets its sequence number and time.
#[derive(Clone, Debug)]
pub struct SimEventDraft {
    pub event_type: EventType,
    pub reason: &'static str,
    pub object: ObjectRef,
    pub message: String,
    pub token: Option<u64>,
    /// Overrides the reason's usual source.
    pub source: Option<&'static str>,
}

impl SimEventDraft {
    pub fn normal(reason: &'static str, object: ObjectRef, message: impl Into<String>) -> Self {
        SimEventDraft {
            event_type: EventType::Normal,
            reason,
            object,
            message: message.into(),
            token: None,
            source: None,
        }
    }

    pub fn warning(reason: &'static str, object: ObjectRef, message: impl Into<String>) -> Self {
        SimEventDraft {
            event_type: EventType::Warning,
            reason,
            object,
            message: message.into(),
            token: None,
            source: None,
        }
    }

    pub fn from(mut self, source: &'static str) -> Self {
        self.source = Some(source);
        self
    }

    pub fn about_token(mut self, id: u64) -> Self {
        self.token = Some(id);
        self
    }
}

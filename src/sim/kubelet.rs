//! The kubelet's token manager (`pkg/kubelet/token/token_manager.go`) for projected
//! `serviceAccountToken` volume sources.

use std::sync::Arc;

use super::Simulator;
use super::clock::{SimTime, format_go_duration, from_unix_seconds, unix_seconds};
use super::events::{ObjectRef, SimEventDraft, reason};
use super::objects::pod::Pod;
use super::schedule::Work;
use super::store::key;
use super::tokens::ledger::{Holder, TokenRecord};
use super::tokens::request::{BoundObjectReference, Issue, RequestContext, TokenRequestSpec};

/// `maxTTL`: tokens are refreshed at least daily.
const MAX_TTL_SECONDS: i64 = 24 * 60 * 60;
/// `maxJitter`: up to 10 s earlier, in whole seconds.
const MAX_JITTER_SECONDS: u64 = 10;
/// How long the kubelet waits before retrying a failed token fetch (its volume backoff cap).
const RETRY_SECONDS: i64 = 122;

/// One projected token file of a pod.
struct Slot {
    volume: String,
    path: String,
    audience: Option<String>,
    expiration_seconds: i64,
}

fn slots(pod: &Pod) -> Vec<Slot> {
    pod.token_projections()
        .map(|(volume, t)| Slot {
            volume: volume.to_string(),
            path: t.path.clone(),
            audience: t.audience.clone().filter(|a| !a.is_empty()),
            expiration_seconds: t
                .expiration_seconds
                .unwrap_or(super::tokens::request::DEFAULT_EXPIRATION_SECONDS),
        })
        .collect()
}

fn pod_ref(pod: &Pod) -> ObjectRef {
    ObjectRef::new(
        "Pod",
        pod.metadata.ns(),
        &pod.metadata.name,
        &pod.metadata.uid,
    )
}

impl Simulator {
    /// The kubelet starts a pod: every projected token source gets a token at once.
    pub(super) fn kubelet_start_pod(&mut self, namespace: &str, name: &str) {
        let Some(pod) = self.store.pods.get(&key(namespace, name)).cloned() else {
            return;
        };
        for slot in slots(&pod) {
            self.kubelet_fetch(&pod, &slot, None);
        }
    }

    /// Scheduled check of one projected token: refresh it if `requiresRefresh` says so.
    pub(super) fn kubelet_sync(
        &mut self,
        namespace: &str,
        name: &str,
        uid: &str,
        volume: &str,
        path: &str,
    ) {
        let Some(pod) = self.store.pods.get(&key(namespace, name)).cloned() else {
            return;
        };
        if pod.metadata.uid != uid || !pod.is_running() {
            return;
        }
        let Some(slot) = slots(&pod)
            .into_iter()
            .find(|s| s.volume == volume && s.path == path)
        else {
            return;
        };
        let holder = holder_of(&pod, &slot);
        let current = self
            .ledger
            .current_for(&holder)
            .map(|r| (r.id, r.refresh_due_at));
        match current {
            // Not due yet: a stale queue entry; the current token has its own.
            Some((_, Some(due))) if due > self.now => {}
            Some((id, _)) => self.kubelet_fetch(&pod, &slot, Some(id)),
            None => self.kubelet_fetch(&pod, &slot, None),
        }
    }

    /// TokenRequest for one slot, replacing `previous` when given.
    fn kubelet_fetch(&mut self, pod: &Pod, slot: &Slot, previous: Option<u64>) {
        let spec = TokenRequestSpec {
            audiences: slot.audience.iter().cloned().collect(),
            expiration_seconds: Some(slot.expiration_seconds),
            bound_object_ref: Some(BoundObjectReference {
                kind: "Pod".into(),
                api_version: "v1".into(),
                name: pod.metadata.name.clone(),
                uid: pod.metadata.uid.clone(),
            }),
        };
        let ctx = RequestContext {
            store: &self.store,
            settings: &self.settings,
            now: self.now,
        };
        let issued = ctx.process(
            &mut self.rng,
            pod.metadata.ns(),
            pod.service_account_name(),
            &spec,
        );
        match issued {
            Ok(issue) => {
                let holder = holder_of(pod, slot);
                let id = self.store_issue(issue, holder, true);
                let record = self.ledger.get(id).cloned();
                let Some(record) = record else { return };
                match previous.and_then(|p| self.ledger.get(p).map(|r| (p, r.iat, r.jti.clone()))) {
                    Some((prev_id, prev_iat, prev_jti)) => {
                        if let Some(prev) = self.ledger.get_mut(prev_id) {
                            prev.superseded_by = Some(id);
                            prev.superseded_at = Some(self.now);
                        }
                        let age = self.now - from_unix_seconds(prev_iat);
                        self.record(
                            SimEventDraft::normal(
                                reason::TOKEN_REFRESHED,
                                pod_ref(pod),
                                format!(
                                    "kubelet refreshed the token in volume {} path {} after {} of {}s: jti {} replaced by {}",
                                    slot.volume,
                                    slot.path,
                                    format_go_duration(age),
                                    slot.expiration_seconds,
                                    short_jti(prev_jti.as_deref()),
                                    short_jti(record.jti.as_deref()),
                                ),
                            )
                            .about_token(id),
                        );
                    }
                    None => self.record(
                        SimEventDraft::normal(
                            reason::TOKEN_ISSUED,
                            pod_ref(pod),
                            format!(
                                "kubelet mounted a token for {} (audiences {}, {}s) at volume {} path {}",
                                record.binding.subject(),
                                record.spec.audiences.join(","),
                                slot.expiration_seconds,
                                slot.volume,
                                slot.path
                            ),
                        )
                        .from("kubelet")
                        .about_token(id),
                    ),
                }
            }
            Err(err) => {
                let holder = holder_of(pod, slot);
                let current_expiry = self
                    .ledger
                    .current_for(&holder)
                    .map(|r| r.status_expiration());
                let message = match current_expiry {
                    // A still-valid cached token keeps being served; only a log line upstream.
                    Some(exp) if unix_seconds(self.now) < exp => format!(
                        "kubelet could not refresh the token in volume {} path {} and keeps the current one until {}: {err}",
                        slot.volume,
                        slot.path,
                        super::clock::format_rfc3339(from_unix_seconds(exp))
                    ),
                    Some(_) => format!(
                        "MountVolume.SetUp failed for volume {:?} : token expired and refresh failed: {err}",
                        slot.volume
                    ),
                    None => format!(
                        "MountVolume.SetUp failed for volume {:?} : failed to fetch token: {err}",
                        slot.volume
                    ),
                };
                self.record(SimEventDraft::warning(
                    reason::FAILED_MOUNT,
                    pod_ref(pod),
                    message,
                ));
                self.schedule.push(
                    self.now + chrono::TimeDelta::seconds(RETRY_SECONDS),
                    sync_work(pod, slot),
                );
            }
        }
    }

    /// Records an issued token in the ledger and schedules its refresh (kubelet-held tokens)
    /// and its expiry. Returns the ledger id.
    pub(super) fn store_issue(&mut self, issue: Issue, holder: Holder, kubelet_held: bool) -> u64 {
        let id = self.ledger.next_id();
        let refresh_due_at = kubelet_held.then(|| self.refresh_due(&issue));
        let record = TokenRecord {
            id,
            jti: issue.jti,
            kid: self.keys.signing().kid.clone(),
            iat: issue.times.iat,
            exp: issue.times.exp,
            warnafter: issue.times.warnafter,
            spec: issue.spec,
            binding: Arc::new(issue.binding),
            holder: Arc::new(holder),
            refresh_due_at,
            superseded_by: None,
            superseded_at: None,
            signed: Default::default(),
        };
        let exp = record.exp;
        if let (
            Some(due),
            Holder::Projected {
                namespace,
                pod,
                pod_uid,
                volume,
                path,
            },
        ) = (refresh_due_at, &*record.holder)
        {
            self.schedule.push(
                due,
                Work::KubeletSync {
                    namespace: namespace.clone(),
                    pod: pod.clone(),
                    uid: pod_uid.clone(),
                    volume: volume.clone(),
                    path: path.clone(),
                },
            );
        }
        self.ledger.insert(record);
        self.schedule
            .push(super::expiry_instant(exp), Work::TokenExpiry { token: id });
        id
    }

    /// `requiresRefresh` turned around: the first instant it answers yes, with the jitter drawn
    /// once per token from the seeded stream.
    fn refresh_due(&mut self, issue: &Issue) -> SimTime {
        let jitter = self.rng.below(MAX_JITTER_SECONDS) as i64;
        let exp_secs = issue.spec.expiration_seconds;
        let iat = issue.expiration_timestamp - exp_secs;
        let by_age = iat + MAX_TTL_SECONDS - jitter;
        let by_ttl = issue.expiration_timestamp - (exp_secs * 20) / 100 - jitter;
        from_unix_seconds(by_age.min(by_ttl))
    }
}

fn holder_of(pod: &Pod, slot: &Slot) -> Holder {
    Holder::Projected {
        namespace: pod.metadata.ns().to_string(),
        pod: pod.metadata.name.clone(),
        pod_uid: pod.metadata.uid.clone(),
        volume: slot.volume.clone(),
        path: slot.path.clone(),
    }
}

fn sync_work(pod: &Pod, slot: &Slot) -> Work {
    Work::KubeletSync {
        namespace: pod.metadata.ns().to_string(),
        pod: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        volume: slot.volume.clone(),
        path: slot.path.clone(),
    }
}

/// The first block of a jti, enough to tell tokens apart in a message.
pub fn short_jti(jti: Option<&str>) -> String {
    jti.map(|j| j.split('-').next().unwrap_or(j).to_string())
        .unwrap_or_else(|| "(none)".into())
}

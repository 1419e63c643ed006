//! The kubelet's token manager (`pkg/kubelet/token/token_manager.go`) for projected
//! `serviceAccountToken` volume sources.

use std::sync::Arc;

use super::Simulator;
use super::clock::{GoDuration, SimTime, format_rfc3339, from_unix_seconds, unix_seconds};
use super::error::SimError;
use super::events::{ObjectRef, SimEventDraft, reason};
use super::objects::pod::{Pod, ServiceAccountTokenProjection};
use super::rng::SimRng;
use super::schedule::Work;
use super::tokens::claims::TokenBinding;
use super::tokens::ledger::{Holder, TokenRecord};
use super::tokens::request::{
    BoundRef, DEFAULT_EXPIRATION_SECONDS, Issue, Request, RequestContext,
};

/// `maxTTL`: tokens are refreshed at least daily.
const MAX_TTL_SECONDS: i64 = 24 * 60 * 60;
/// `maxJitter`: up to 10 s earlier, in whole seconds.
const MAX_JITTER_SECONDS: u64 = 10;
/// How long the kubelet waits before retrying a failed token fetch (its volume backoff cap).
const RETRY_SECONDS: i64 = 122;

/// One projected token file of a running pod.
struct Slot {
    holder: Arc<Holder>,
    expiration_seconds: i64,
}

impl Slot {
    fn volume_path(&self) -> (&str, &str) {
        match &*self.holder {
            Holder::Projected { volume, path, .. } => (volume, path),
            _ => ("", ""),
        }
    }

    fn pod_ref(&self) -> ObjectRef {
        match &*self.holder {
            Holder::Projected {
                namespace,
                pod,
                pod_uid,
                ..
            } => ObjectRef::shared("Pod", namespace, pod, pod_uid),
            _ => ObjectRef::default(),
        }
    }
}

/// The kubelet's TokenRequest for one projection of `pod`: audience as given (none means the
/// API audiences), the projection's lifetime, bound to the pod.
fn request_for(
    ctx: &RequestContext,
    rng: &mut SimRng,
    pod: &Pod,
    projection: &ServiceAccountTokenProjection,
    reuse: Option<&Arc<TokenBinding>>,
) -> Result<Issue, SimError> {
    let audiences = match &projection.audience {
        Some(a) if !a.is_empty() => std::slice::from_ref(a),
        _ => &[],
    };
    let req = Request {
        audiences,
        expiration_seconds: Some(
            projection
                .expiration_seconds
                .unwrap_or(DEFAULT_EXPIRATION_SECONDS),
        ),
        bound: Some(BoundRef {
            kind: "Pod",
            api_version: "v1",
            name: &pod.metadata.name,
            uid: &pod.metadata.uid,
        }),
    };
    ctx.process(
        rng,
        pod.metadata.ns(),
        pod.service_account_name(),
        &req,
        reuse,
    )
}

impl Simulator {
    /// The kubelet starts a pod: every projected token source gets a token at once.
    pub(super) fn kubelet_start_pod(&mut self, namespace: &str, name: &str) {
        let mut fetched = Vec::new();
        {
            let Some(pod) = self.store.pods.get(namespace, name) else {
                return;
            };
            let ctx = RequestContext {
                store: &self.store,
                settings: &self.settings,
                now: self.now,
            };
            for (volume, t) in pod.token_projections() {
                let holder = self.ledger.intern(&Arc::new(Holder::Projected {
                    namespace: pod.metadata.ns().into(),
                    pod: pod.metadata.name.as_str().into(),
                    pod_uid: pod.metadata.uid.as_str().into(),
                    volume: volume.into(),
                    path: t.path.as_str().into(),
                }));
                let slot = Slot {
                    holder,
                    expiration_seconds: t.expiration_seconds.unwrap_or(DEFAULT_EXPIRATION_SECONDS),
                };
                fetched.push((slot, request_for(&ctx, &mut self.rng, pod, t, None)));
            }
        }
        for (slot, result) in fetched {
            self.kubelet_result(&slot, result, None);
        }
    }

    /// Scheduled check of one projected token: refresh it if `requiresRefresh` says so.
    pub(super) fn kubelet_sync(&mut self, holder: &Arc<Holder>) {
        let Holder::Projected {
            namespace,
            pod,
            pod_uid,
            volume,
            path,
        } = &**holder
        else {
            return;
        };
        let current = self
            .ledger
            .current_for(holder)
            .map(|r| (r.id, r.refresh_due_at));
        // Not due yet: a stale queue entry; the current token has its own.
        if let Some((_, Some(due))) = current
            && due > self.now
        {
            return;
        }
        let previous = current.map(|(id, _)| id);
        let (slot, result) = {
            let Some(p) = self.store.pods.get(namespace, pod) else {
                return;
            };
            if *p.metadata.uid != **pod_uid || !p.is_running() {
                return;
            }
            let Some(t) = p
                .token_projections()
                .find(|(v, t)| **v == **volume && *t.path == **path)
                .map(|(_, t)| t)
            else {
                return;
            };
            let ctx = RequestContext {
                store: &self.store,
                settings: &self.settings,
                now: self.now,
            };
            let reuse = previous
                .and_then(|id| self.ledger.get(id))
                .map(|r| &r.binding);
            let slot = Slot {
                holder: holder.clone(),
                expiration_seconds: t.expiration_seconds.unwrap_or(DEFAULT_EXPIRATION_SECONDS),
            };
            (slot, request_for(&ctx, &mut self.rng, p, t, reuse))
        };
        self.kubelet_result(&slot, result, previous);
    }

    fn kubelet_result(
        &mut self,
        slot: &Slot,
        result: Result<Issue, SimError>,
        previous: Option<u64>,
    ) {
        match result {
            Ok(issue) => self.kubelet_store(slot, issue, previous),
            Err(err) => self.kubelet_failed(slot, &err.to_string()),
        }
    }

    fn kubelet_store(&mut self, slot: &Slot, issue: Issue, previous: Option<u64>) {
        let id = self.store_issue(issue, slot.holder.clone(), true);
        let (volume, path) = slot.volume_path();
        let Some(record) = self.ledger.get(id) else {
            return;
        };
        let new_jti = short_jti(record.jti.as_deref()).to_string();
        let first = match previous {
            None => Some(format!(
                "kubelet mounted a token for {} (audiences {}, {}s) at volume {volume} path {path}",
                record.binding.subject(),
                record.binding.aud.join(","),
                slot.expiration_seconds
            )),
            Some(_) => None,
        };
        let now = self.now;
        let draft = match (first, previous.and_then(|p| self.ledger.get_mut(p))) {
            (None, Some(prev)) => {
                prev.superseded_by = Some(id);
                prev.superseded_at = Some(now);
                let age = now - from_unix_seconds(prev.iat);
                SimEventDraft::normal(
                    reason::TOKEN_REFRESHED,
                    slot.pod_ref(),
                    format!(
                        "kubelet refreshed the token in volume {volume} path {path} after {} of {}s: jti {} replaced by {new_jti}",
                        GoDuration(age),
                        slot.expiration_seconds,
                        short_jti(prev.jti.as_deref()),
                    ),
                )
            }
            (message, _) => SimEventDraft::normal(
                reason::TOKEN_ISSUED,
                slot.pod_ref(),
                message.unwrap_or_default(),
            )
            .from("kubelet"),
        };
        self.record(draft.about_token(id));
    }

    fn kubelet_failed(&mut self, slot: &Slot, err: &str) {
        let (volume, path) = slot.volume_path();
        let current_expiry = self
            .ledger
            .current_for(&slot.holder)
            .map(|r| r.status_expiration());
        let message = match current_expiry {
            // A still-valid cached token keeps being served; upstream only logs this.
            Some(exp) if unix_seconds(self.now) < exp => format!(
                "kubelet could not refresh the token in volume {volume} path {path} and keeps the current one until {}: {err}",
                format_rfc3339(from_unix_seconds(exp))
            ),
            Some(_) => format!(
                "MountVolume.SetUp failed for volume {volume:?} : token expired and refresh failed: {err}"
            ),
            None => format!(
                "MountVolume.SetUp failed for volume {volume:?} : failed to fetch token: {err}"
            ),
        };
        self.record(SimEventDraft::warning(
            reason::FAILED_MOUNT,
            slot.pod_ref(),
            message,
        ));
        let retry = self.now + chrono::TimeDelta::seconds(RETRY_SECONDS);
        let token = self.ledger.current_for(&slot.holder).map_or(0, |r| r.id);
        self.schedule.push(
            retry,
            Work::KubeletSync {
                token,
                holder: slot.holder.clone(),
            },
        );
    }

    /// Records an issued token in the ledger and schedules its refresh (kubelet-held tokens)
    /// and its expiry. Returns the ledger id.
    pub(super) fn store_issue(
        &mut self,
        issue: Issue,
        holder: Arc<Holder>,
        kubelet_held: bool,
    ) -> u64 {
        let holder = self.ledger.intern(&holder);
        let id = self.ledger.next_id();
        let refresh_due_at = kubelet_held.then(|| self.refresh_due(&issue));
        let record = TokenRecord {
            id,
            jti: issue.jti,
            kid: self.keys.signing().shared_kid(),
            iat: issue.times.iat,
            exp: issue.times.exp,
            warnafter: issue.times.warnafter,
            expiration_seconds: issue.expiration_seconds,
            binding: issue.binding,
            holder: holder.clone(),
            refresh_due_at,
            superseded_by: None,
            superseded_at: None,
            legacy: false,
            signed: Default::default(),
        };
        let exp = record.exp;
        if let Some(due) = refresh_due_at {
            self.schedule
                .push(due, Work::KubeletSync { token: id, holder });
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
        let exp_secs = issue.expiration_seconds;
        let iat = issue.expiration_timestamp - exp_secs;
        let by_age = iat + MAX_TTL_SECONDS - jitter;
        let by_ttl = issue.expiration_timestamp - (exp_secs * 20) / 100 - jitter;
        from_unix_seconds(by_age.min(by_ttl))
    }
}

/// The first block of a jti, enough to tell tokens apart in a message.
pub fn short_jti(jti: Option<&str>) -> String {
    jti.map(|j| j.split('-').next().unwrap_or(j).to_string())
        .unwrap_or_else(|| "(none)".into())
}

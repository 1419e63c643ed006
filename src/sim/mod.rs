//! The simulator: a pure, synchronous, deterministic model of a cluster's workload identity.
//! `execute` and `advance` are the only ways to change it; everything else reads.

pub mod admission;
mod bootstrap;
pub mod clock;
pub mod command;
mod controllers;
pub mod error;
pub mod events;
mod fxhash;
mod kubelet;
pub mod labels;
mod legacy;
mod lifecycle;
pub mod nsmap;
pub mod objects;
mod openshift;
pub mod pods;
pub mod rbac;
pub mod rng;
pub mod rotation;
pub mod schedule;
pub mod settings;
pub mod store;
pub mod tokens;
pub mod validate;

use std::sync::Arc;

use self::clock::{SimDuration, SimTime, from_unix_seconds, whole_seconds};
use self::command::{Command, Outcome};
use self::error::SimError;
use self::events::{EventLog, SimEvent, SimEventDraft};
use self::objects::Object;
use self::rng::SimRng;
use self::schedule::{Schedule, Work};
use self::settings::ClusterSettings;
use self::store::Store;
use self::tokens::discovery::{self, Jwks, OpenIdConfiguration};
use self::tokens::keys::{KeyRing, KeySpec, SigningKey};
use self::tokens::ledger::{Ledger, TokenRecord};
use self::tokens::review::{ReviewContext, ReviewError};

/// Everything needed to rebuild a simulator exactly: what a state file holds.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub settings: ClusterSettings,
    pub now: SimTime,
    pub seed: u64,
    /// Position in the seeded random stream; `None` starts it from the beginning.
    pub rng_position: Option<u128>,
    pub keys: Vec<KeySpec>,
    pub objects: Vec<Object>,
    pub tokens: Vec<TokenRecord>,
    pub tokens_evicted: u64,
    pub events: Vec<SimEvent>,
    pub events_dropped: u64,
}

/// A token's standing, derived by the same validation TokenReview runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenStatus {
    Active,
    /// Replaced by a kubelet refresh; still accepted until it expires.
    Superseded {
        by: u64,
        at: Option<SimTime>,
    },
    Expired,
    Revoked(ReviewError),
}

impl TokenStatus {
    /// `active`, `superseded`, `expired`, `revoked`.
    pub fn label(&self) -> &'static str {
        match self {
            TokenStatus::Active => "active",
            TokenStatus::Superseded { .. } => "superseded",
            TokenStatus::Expired => "expired",
            TokenStatus::Revoked(_) => "revoked",
        }
    }

    /// Whether a review of this token would succeed.
    pub fn accepted(&self) -> bool {
        matches!(self, TokenStatus::Active | TokenStatus::Superseded { .. })
    }
}

#[derive(Clone, Debug)]
pub struct Simulator {
    settings: ClusterSettings,
    now: SimTime,
    rng: SimRng,
    store: Store,
    keys: KeyRing,
    ledger: Ledger,
    schedule: Schedule,
    events: EventLog,
    /// How many events were recorded since the last `execute`/`advance` began.
    fresh: usize,
}

impl Simulator {
    /// Builds a simulator from a snapshot, then lets the controllers and kubelet catch up with
    /// the objects it holds (default service accounts, CA ConfigMaps, tokens for running pods).
    pub fn restore(snapshot: Snapshot) -> Result<Simulator, String> {
        let Snapshot {
            settings,
            now,
            seed,
            rng_position,
            keys,
            objects,
            tokens,
            tokens_evicted,
            events,
            events_dropped,
        } = snapshot;
        settings.validate()?;
        let mut rng = match rng_position {
            Some(p) => SimRng::at_position(seed, p),
            None => SimRng::new(seed),
        };
        let now = whole_seconds(now);
        let keys = if keys.is_empty() {
            vec![SigningKey::generate(&mut rng, now)?]
        } else {
            keys.into_iter()
                .enumerate()
                .map(|(i, k)| {
                    SigningKey::from_spec(k).map_err(|e| format!("signingKeys[{i}]: {e}"))
                })
                .collect::<Result<_, _>>()?
        };
        let mut sim = Simulator {
            ledger: Ledger::restore(settings.token_history_limit, tokens, tokens_evicted),
            events: EventLog::restore(settings.event_limit, events, events_dropped),
            keys: KeyRing::new(keys)?,
            settings,
            now,
            rng,
            store: Store::default(),
            schedule: Schedule::default(),
            fresh: 0,
        };
        sim.load_objects(objects)?;
        sim.reconcile_on_start();
        sim.fresh = 0;
        Ok(sim)
    }

    /// The state to save: restoring it gives a simulator that behaves identically.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            settings: self.settings.clone(),
            now: self.now,
            seed: self.rng.seed(),
            rng_position: Some(self.rng.position()),
            keys: self.keys.specs(),
            objects: self.store.all(),
            tokens: self.ledger.iter().cloned().collect(),
            tokens_evicted: self.ledger.evicted(),
            events: self.events.iter().cloned().collect(),
            events_dropped: self.events.dropped(),
        }
    }

    /// Runs one command. On error the cluster is unchanged.
    pub fn execute(&mut self, command: Command) -> Result<Outcome, SimError> {
        self.fresh = 0;
        match command {
            Command::Apply(object) => self.apply(object, true),
            Command::Create(object) => self.apply(object, false),
            Command::Delete {
                kind,
                namespace,
                name,
                grace_period_seconds,
            } => self.delete(kind, &namespace, &name, grace_period_seconds),
            Command::CreateToken {
                namespace,
                service_account,
                spec,
            } => self.create_token(&namespace, &service_account, &spec),
            Command::ReviewToken { token, audiences } => {
                if token.is_empty() {
                    return Err(SimError::BadRequest(
                        "token is required for TokenReview in authentication".into(),
                    ));
                }
                Ok(Outcome::Review(Box::new(self.review(&token, &audiences))))
            }
            Command::SetIssuer {
                issuer,
                keep_previous,
            } => self.set_issuer(&issuer, keep_previous),
            Command::RemoveIssuer { issuer } => self.remove_issuer(&issuer),
            Command::RotateSigningKey => self.rotate_signing_key(),
            Command::RetireKey { kid } => self.retire_key(&kid),
            Command::RestartPods { namespace } => Ok(Outcome::Changed(
                self.restart_pods(namespace.as_deref(), None),
            )),
            Command::RestartNodes => Ok(self.restart_nodes()),
            Command::LinkSecrets {
                namespace,
                service_account,
                secrets,
                mount,
                pull,
            } => self.link_secrets(&namespace, &service_account, &secrets, mount, pull),
        }
    }

    /// Moves the clock forward by `d` (negative counts as zero), running everything that falls
    /// due in time order. Returns the events that happened.
    pub fn advance(&mut self, d: SimDuration) -> Vec<SimEvent> {
        let target = self.now + d.max(SimDuration::zero());
        self.advance_to(target)
    }

    /// Moves the clock to `target` (if it is later than now), running due work in order.
    pub fn advance_to(&mut self, target: SimTime) -> Vec<SimEvent> {
        let mut happened = Vec::new();
        self.advance_to_with(target, &mut |e| happened.push(e.clone()));
        happened
    }

    /// Like `advance_to`, handing each event to `sink` as it happens instead of collecting
    /// them, so a long jump on a large cluster needs no memory for its events.
    pub fn advance_to_with(&mut self, target: SimTime, sink: &mut dyn FnMut(&SimEvent)) {
        self.fresh = 0;
        while let Some((at, work)) = self.schedule.pop_due(target) {
            if at > self.now {
                self.now = at;
            }
            self.run(work);
            for e in self.events.newest(self.fresh) {
                sink(e);
            }
            self.fresh = 0;
        }
        if target > self.now {
            self.now = target;
        }
    }

    /// Jumps to the next instant at which something happens (a refresh, an expiry, a pod
    /// removal) and runs it. Returns the events; empty when nothing is scheduled.
    pub fn advance_to_next_event(&mut self) -> Vec<SimEvent> {
        let mut happened = Vec::new();
        while happened.is_empty() {
            let Some(at) = self.schedule.next_at() else {
                break;
            };
            happened = self.advance_to(at.max(self.now));
        }
        happened
    }

    /// When the next scheduled work is due (possibly work that turns out moot).
    pub fn next_event_at(&self) -> Option<SimTime> {
        self.schedule.next_at()
    }

    /// Events recorded by the last `execute`.
    pub fn take_events(&mut self) -> Vec<SimEvent> {
        let events = self.events.newest(self.fresh).cloned().collect();
        self.fresh = 0;
        events
    }

    fn run(&mut self, work: Work) {
        match work {
            Work::PodFinalize(p) => self.finalize_pod(&p.namespace, &p.name, &p.uid),
            Work::KubeletSync { holder, .. } => self.kubelet_sync(&holder),
            Work::TokenExpiry { token } => self.token_expiry(token),
            Work::LegacyTokenCleanup => self.legacy_token_cleanup(),
            Work::IssuerExpiry { issuer } => self.issuer_expiry(&issuer),
            Work::RolloutStep => self.rollout_step(),
            Work::NodeRestart { node } => self.node_restart(&node),
            Work::PullSecretRefresh { namespace, secret } => {
                self.pull_secret_refresh_due(&namespace, &secret)
            }
        }
    }

    fn record(&mut self, draft: SimEventDraft) {
        self.events.record(draft, self.now);
        self.fresh += 1;
    }

    // ---- reads ----

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn settings(&self) -> &ClusterSettings {
        &self.settings
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub fn events(&self) -> &EventLog {
        &self.events
    }

    pub fn scheduled_work(&self) -> usize {
        self.schedule.len()
    }

    pub fn jwks(&self) -> Jwks {
        discovery::jwks(&self.keys)
    }

    /// The discovery document, or why the endpoints are not served.
    pub fn openid_configuration(&self) -> Result<OpenIdConfiguration, String> {
        match discovery::discovery_unavailable(&self.settings) {
            Some(why) => Err(why),
            None => Ok(discovery::openid_configuration(&self.settings)),
        }
    }

    pub fn review_context(&self) -> ReviewContext<'_> {
        ReviewContext {
            store: &self.store,
            keys: &self.keys,
            settings: &self.settings,
            now: self.now,
        }
    }

    /// A ledger token's standing now.
    pub fn token_status(&self, record: &TokenRecord) -> TokenStatus {
        let ctx = self.review_context();
        let key_ok = self.keys.by_kid(&record.kid).is_some_and(|k| k.verifies());
        let verdict = if !key_ok {
            Err(ReviewError::NoKeysFound)
        } else if record.legacy {
            let claims = tokens::claims::ParsedClaims::legacy_from_binding(&record.binding);
            ctx.validate_legacy(&claims, &[], record.signed.get().map(|s| &**s))
                .map(|_| ())
        } else {
            ctx.check_claims(
                &record.binding.view(record.times(), record.jti.as_deref()),
                &record.binding.aud,
            )
            .map(|_| ())
        };
        match verdict {
            Err(ReviewError::Expired) => TokenStatus::Expired,
            Err(e) => TokenStatus::Revoked(e),
            Ok(()) => match record.superseded_by {
                Some(by) => TokenStatus::Superseded {
                    by,
                    at: record.superseded_at,
                },
                None => TokenStatus::Active,
            },
        }
    }

    /// The token's compact JWS. Signed on first use with the key that was current when it was
    /// issued; PKCS#1 v1.5 is deterministic, so the bytes equal an eager signature.
    pub fn token_jws(&self, record: &TokenRecord) -> Result<Arc<str>, String> {
        if let Some(s) = record.signed.get() {
            return Ok(s.clone());
        }
        let key = self
            .keys
            .by_kid(&record.kid)
            .ok_or_else(|| format!("signing key {} is unknown", record.kid))?;
        let payload = if record.legacy {
            tokens::claims::legacy_payload(&record.binding)
        } else {
            tokens::claims::bound_payload(&record.binding, record.times(), record.jti.as_deref())
        };
        let jws: Arc<str> = tokens::jwt::encode(&payload, key)?.into();
        Ok(record.signed.get_or_init(|| jws).clone())
    }

    /// Finds the ledger entry of a token this cluster issued, from its claims.
    pub fn find_token(&self, claims: &tokens::claims::ParsedClaims) -> Option<&TokenRecord> {
        if let Some(l) = &claims.legacy {
            // Legacy tokens have no jti: their secret identifies them.
            let (ns, secret) = (l.namespace.as_deref()?, l.secret_name.as_deref()?);
            let uid = l.service_account_uid.as_deref()?;
            return self
                .ledger
                .naming_uid(uid)
                .filter(|r| {
                    r.legacy
                        && r.binding.namespace == ns
                        && r.binding.secret.as_ref().is_some_and(|s| s.name == secret)
                })
                .last();
        }
        let jti = claims.jti.as_deref()?;
        let uid = claims
            .pod
            .as_ref()
            .map(|p| p.uid.as_str())
            .or(claims.service_account.as_ref().map(|s| s.uid.as_str()))?;
        self.ledger
            .naming_uid(uid)
            .find(|r| r.jti.as_deref() == Some(jti))
    }
}

/// The instant a token's expiry is final for reviewers: past `exp` plus the leeway.
fn expiry_instant(exp: i64) -> SimTime {
    from_unix_seconds(exp + tokens::review::LEEWAY_SECONDS + 1)
}

//! Legacy secret-based tokens: the token controller that fills `kubernetes.io/service-account-token`
//! secrets (and, before 1.24, made one per service account), the API server's last-used
//! tracking, and the cleaner that invalidates and deletes unused auto-generated ones (§7).

use std::sync::Arc;

use chrono::TimeDelta;

use super::Simulator;
use super::clock::{SimTime, unix_seconds};
use super::events::{ObjectRef, SimEventDraft, reason};
use super::objects::core::{ANNOTATION_SA_NAME, ANNOTATION_SA_UID, SECRET_TYPE_SA_TOKEN, Secret};
use super::objects::meta::ObjectReference;
use super::objects::{ConfigMap, Kind, Object, ObjectMeta};
use super::schedule::Work;
use super::settings::Flavor;
use super::tokens::claims::{ClaimRef, LEGACY_ISSUER, TokenBinding};
use super::tokens::ledger::{Holder, TokenRecord};
use super::tokens::review::{LABEL_INVALID_SINCE, LABEL_LAST_USED};

/// Where the API server records when legacy-token tracking began.
pub const TRACKING_CONFIGMAP: &str = "kube-apiserver-legacy-service-account-token-tracking";
/// The cleaner's sync period (`DefaultCleanerSyncInterval`).
const CLEANER_INTERVAL_HOURS: i64 = 24;

/// `2006-01-02` in UTC, the date format of the tracking labels.
pub fn date(t: SimTime) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Whether a secret is a service-account token secret for `sa` (`IsServiceAccountToken`:
/// the name must match, the UID only if the secret records one).
pub fn is_token_secret_for(secret: &Secret, sa_name: &str, sa_uid: &str) -> bool {
    secret.type_name() == SECRET_TYPE_SA_TOKEN
        && secret
            .metadata
            .annotations
            .get(ANNOTATION_SA_NAME)
            .map(String::as_str)
            == Some(sa_name)
        && secret
            .metadata
            .annotations
            .get(ANNOTATION_SA_UID)
            .is_none_or(|u| u.is_empty() || u == sa_uid)
}

impl Simulator {
    /// The token controller sees a new token secret: it fills in the token, CA and namespace
    /// for an existing service account, or deletes the secret when there is none.
    pub(super) fn token_secret_created(&mut self, ns: &str, name: &str) {
        let Some(secret) = self.store.secrets.get(ns, name) else {
            return;
        };
        if secret.type_name() != SECRET_TYPE_SA_TOKEN || secret.data.contains_key("token") {
            return;
        }
        let sa_name = secret
            .metadata
            .annotations
            .get(ANNOTATION_SA_NAME)
            .cloned()
            .unwrap_or_default();
        let sa_uid = match self.store.service_accounts.get(ns, &sa_name) {
            Some(sa) if is_token_secret_for(secret, &sa_name, &sa.metadata.uid) => {
                sa.metadata.uid.clone()
            }
            _ => {
                let oref = ObjectRef::new("Secret", ns, name, &secret.metadata.uid);
                self.record(
                    SimEventDraft::warning(
                        reason::DELETED,
                        oref,
                        format!("token controller deleted secret {ns}/{name}: service account {sa_name:?} not found"),
                    )
                    .from("tokens-controller"),
                );
                self.remove_object(Kind::Secret, ns, name);
                return;
            }
        };
        self.write_legacy_token(ns, name, &sa_name, &sa_uid);
    }

    /// Issues a legacy token for `sa` into the secret: ledger entry, signature, data.
    fn write_legacy_token(&mut self, ns: &str, secret_name: &str, sa_name: &str, sa_uid: &str) {
        let Some(secret_uid) = self
            .store
            .secrets
            .get(ns, secret_name)
            .map(|s| s.metadata.uid.clone())
        else {
            return;
        };
        let binding = TokenBinding {
            iss: LEGACY_ISSUER.into(),
            aud: Vec::new(),
            namespace: ns.into(),
            service_account: ClaimRef::new(sa_name, sa_uid),
            pod: None,
            secret: Some(ClaimRef::new(secret_name, &secret_uid)),
            node: None,
        };
        let id = self.ledger.next_id();
        let holder = self.ledger.intern(&Arc::new(Holder::Secret {
            namespace: ns.into(),
            secret: secret_name.into(),
        }));
        let record = TokenRecord {
            id,
            jti: None,
            kid: self.keys.signing().shared_kid(),
            iat: unix_seconds(self.now),
            exp: i64::MAX,
            warnafter: None,
            expiration_seconds: 0,
            binding: Arc::new(binding),
            holder,
            refresh_due_at: None,
            superseded_by: None,
            superseded_at: None,
            legacy: true,
            signed: Default::default(),
        };
        let token = match self.token_jws(&record) {
            Ok(t) => t,
            Err(_) => return,
        };
        self.ledger.insert(record);
        let rv = self.store.next_resource_version();
        let ca = self.settings.root_ca.clone();
        let openshift = self.settings.flavor == Flavor::OpenShift;
        if let Some(s) = self.store.secrets.get_mut(ns, secret_name) {
            s.data.insert("token".into(), token.as_bytes().to_vec());
            s.data.insert("ca.crt".into(), ca.clone().into_bytes());
            s.data.insert("namespace".into(), ns.as_bytes().to_vec());
            if openshift {
                s.data.insert("service-ca.crt".into(), ca.into_bytes());
            }
            s.metadata
                .annotations
                .insert(ANNOTATION_SA_UID.into(), sa_uid.into());
            s.metadata.resource_version = rv;
        }
        self.record(
            SimEventDraft::normal(
                reason::TOKEN_ISSUED,
                ObjectRef::new("Secret", ns, secret_name, &secret_uid),
                format!(
                    "token controller wrote a legacy token for system:serviceaccount:{ns}:{sa_name} into secret {ns}/{secret_name} (never expires)"
                ),
            )
            .from("tokens-controller")
            .about_token(id),
        );
    }

    /// A new service account: on clusters before 1.24 the token controller gives it a token
    /// secret (OpenShift's own controllers are in `openshift.rs`).
    pub(super) fn service_account_created(&mut self, ns: &str, name: &str) {
        if self.settings.flavor == Flavor::OpenShift {
            self.openshift_service_account_created(ns, name);
        } else if self.settings.feature_gates().legacy_auto_generate {
            self.create_auto_token_secret(ns, name);
        }
    }

    /// A new token secret named `<sa>-token-<5>` for the service account, listed in its
    /// `secrets` (clusters before 1.24, and OpenShift before 4.16).
    pub(super) fn create_auto_token_secret(&mut self, ns: &str, sa_name: &str) -> Option<String> {
        let sa_uid = self
            .store
            .service_accounts
            .get(ns, sa_name)?
            .metadata
            .uid
            .clone();
        let name = format!("{sa_name}-token-{}", self.rng.name_suffix(5));
        let mut meta = ObjectMeta::named(Some(ns), &name);
        meta.annotations
            .insert(ANNOTATION_SA_NAME.into(), sa_name.into());
        meta.annotations.insert(ANNOTATION_SA_UID.into(), sa_uid);
        let secret = Secret {
            metadata: meta,
            secret_type: Some(SECRET_TYPE_SA_TOKEN.into()),
            ..Default::default()
        };
        self.controller_put(Object::Secret(secret), "tokens-controller");
        self.link_secret(ns, sa_name, &name, true, false);
        self.token_secret_created(ns, &name);
        Some(name)
    }

    /// Adds a secret to a service account's `secrets` (mount) and/or `imagePullSecrets` (pull).
    pub(super) fn link_secret(
        &mut self,
        ns: &str,
        sa: &str,
        secret: &str,
        mount: bool,
        pull: bool,
    ) -> bool {
        let rv = self.store.next_resource_version();
        let Some(s) = self.store.service_accounts.get_mut(ns, sa) else {
            return false;
        };
        let mut changed = false;
        if mount && !s.secrets.iter().any(|r| r.name == secret) {
            s.secrets.push(ObjectReference {
                name: secret.into(),
                ..Default::default()
            });
            changed = true;
        }
        if pull && !s.image_pull_secrets.iter().any(|r| r.name == secret) {
            s.image_pull_secrets
                .push(super::objects::meta::LocalObjectReference {
                    name: secret.into(),
                });
            changed = true;
        }
        if changed {
            s.metadata.resource_version = rv;
        }
        changed
    }

    /// `oc secrets link`: every secret must exist; the found ones are linked.
    pub(super) fn link_secrets(
        &mut self,
        ns: &str,
        sa: &str,
        secrets: &[String],
        mount: bool,
        pull: bool,
    ) -> Result<super::command::Outcome, super::error::SimError> {
        use super::error::SimError;
        let Some(sa_uid) = self
            .store
            .service_accounts
            .get(ns, sa)
            .map(|s| s.metadata.uid.clone())
        else {
            return Err(SimError::not_found("serviceaccounts", sa));
        };
        let mut lines = Vec::new();
        let mut linked = Vec::new();
        for name in secrets {
            if self.store.secrets.contains(ns, name) {
                self.link_secret(ns, sa, name, mount, pull);
                linked.push(name.clone());
            } else {
                lines.push(format!("secret {name:?} not found"));
            }
        }
        if linked.is_empty() {
            let msg = if lines.len() == secrets.len() {
                "No valid secrets found"
            } else {
                "Some secrets could not be linked"
            };
            return Err(SimError::BadRequest(format!(
                "{}{msg}",
                lines.iter().map(|l| format!("{l}\n")).collect::<String>()
            )));
        }
        let how = match (mount, pull) {
            (true, true) => "mount and pull",
            (true, false) => "mount",
            _ => "pull",
        };
        self.record(SimEventDraft::normal(
            reason::SECRETS_LINKED,
            ObjectRef::new("ServiceAccount", ns, sa, &sa_uid),
            format!(
                "linked {} to service account {ns}/{sa} for {how}",
                linked.join(", ")
            ),
        ));
        Ok(super::command::Outcome::Changed(lines))
    }

    /// The service account is gone: the token controller deletes its token secrets.
    pub(super) fn service_account_deleted(&mut self, ns: &str, sa_name: &str, sa_uid: &str) {
        let doomed: Vec<String> = self
            .store
            .secrets
            .in_namespace(ns)
            .filter(|s| is_token_secret_for(s, sa_name, sa_uid))
            .map(|s| s.metadata.name.clone())
            .collect();
        for name in doomed {
            self.remove_object(Kind::Secret, ns, &name);
        }
    }

    /// A secret is gone: service accounts stop listing it.
    pub(super) fn secret_deleted(&mut self, ns: &str, name: &str) {
        let rv = self.store.next_resource_version();
        for sa in self
            .store
            .service_accounts
            .values_mut()
            .filter(|s| s.metadata.ns() == ns)
        {
            let before = sa.secrets.len() + sa.image_pull_secrets.len();
            sa.secrets.retain(|r| r.name != name);
            sa.image_pull_secrets.retain(|r| r.name != name);
            if sa.secrets.len() + sa.image_pull_secrets.len() != before {
                sa.metadata.resource_version = rv.clone();
            }
        }
    }

    /// The API server notes the use of a legacy token: `kubernetes.io/legacy-token-last-used`
    /// becomes today, unless it already says today or tomorrow.
    pub(super) fn mark_legacy_used(&mut self, ns: &str, secret: &str) {
        if !self.settings.feature_gates().legacy_tracking {
            return;
        }
        let today = date(self.now);
        let tomorrow = date(self.now + TimeDelta::days(1));
        let rv = self.store.next_resource_version();
        if let Some(s) = self.store.secrets.get_mut(ns, secret) {
            let current = s.metadata.labels.get(LABEL_LAST_USED);
            if current != Some(&today) && current != Some(&tomorrow) {
                s.metadata.labels.insert(LABEL_LAST_USED.into(), today);
                s.metadata.resource_version = rv;
            }
        }
    }

    /// Start-up work for legacy tokens: the tracking ConfigMap, missing auto-generated token
    /// secrets on old clusters, and the cleaner's first sync.
    pub(super) fn reconcile_legacy_tokens(&mut self) {
        let gates = self.settings.feature_gates();
        if gates.legacy_tracking
            && self.store.namespaces.contains_key("kube-system")
            && !self
                .store
                .config_maps
                .contains("kube-system", TRACKING_CONFIGMAP)
        {
            let mut cm = ConfigMap {
                metadata: ObjectMeta::named(Some("kube-system"), TRACKING_CONFIGMAP),
                ..Default::default()
            };
            cm.data.insert("since".into(), date(self.now));
            self.controller_put(Object::ConfigMap(cm), "kube-apiserver");
        }
        if gates.legacy_auto_generate {
            let lacking: Vec<(String, String)> = self
                .store
                .service_accounts
                .values()
                .filter(|sa| {
                    !self.store.secrets.in_namespace(sa.metadata.ns()).any(|s| {
                        is_token_secret_for(s, &sa.metadata.name, &sa.metadata.uid)
                            && sa.secrets.iter().any(|r| r.name == s.metadata.name)
                    })
                })
                .map(|sa| (sa.metadata.ns().to_string(), sa.metadata.name.clone()))
                .collect();
            for (ns, sa) in lacking {
                self.create_auto_token_secret(&ns, &sa);
            }
        }
        // Token secrets written by hand without a token yet get one now.
        let unfilled: Vec<(String, String)> = self
            .store
            .secrets
            .values()
            .filter(|s| s.type_name() == SECRET_TYPE_SA_TOKEN && !s.data.contains_key("token"))
            .map(|s| (s.metadata.ns().to_string(), s.metadata.name.clone()))
            .collect();
        for (ns, name) in unfilled {
            self.token_secret_created(&ns, &name);
        }
        if gates.legacy_cleanup {
            self.schedule.push(self.now, Work::LegacyTokenCleanup);
        }
    }

    /// `LegacySATokenCleaner.evaluateSATokens`: label unused auto-generated token secrets
    /// invalid, and delete those invalid for a whole period. Runs daily.
    pub(super) fn legacy_token_cleanup(&mut self) {
        self.schedule.push(
            self.now + TimeDelta::hours(CLEANER_INTERVAL_HOURS),
            Work::LegacyTokenCleanup,
        );
        let period = self.settings.legacy_token_clean_up_period;
        let since = self
            .store
            .config_maps
            .get("kube-system", TRACKING_CONFIGMAP)
            .and_then(|cm| cm.data.get("since"))
            .and_then(|d| parse_date(d));
        let Some(since) = since else { return };
        let today = self.now.date_naive();
        let tracked_from = since + TimeDelta::days(1);
        if self.now
            < tracked_from
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc())
                .unwrap_or(self.now)
                + period
        {
            return;
        }
        let before = self.now - period;
        let before_date = before.date_naive();
        let mut to_label = Vec::new();
        let mut to_delete = Vec::new();
        for s in self.store.secrets.values() {
            if s.type_name() != SECRET_TYPE_SA_TOKEN || s.metadata.is_terminating() {
                continue;
            }
            if s.metadata.creation_timestamp.is_none_or(|c| c >= before) {
                continue;
            }
            match s.metadata.labels.get(LABEL_LAST_USED) {
                None => {}
                Some(d) => match parse_date(d) {
                    Some(used) if used < before_date => {}
                    _ => continue,
                },
            }
            let ns = s.metadata.ns();
            let Some(sa_name) = s.metadata.annotations.get(ANNOTATION_SA_NAME) else {
                continue;
            };
            let Some(sa) = self.store.service_accounts.get(ns, sa_name) else {
                continue;
            };
            if !is_token_secret_for(s, sa_name, &sa.metadata.uid)
                || !sa.secrets.iter().any(|r| r.name == s.metadata.name)
            {
                continue;
            }
            if self
                .store
                .pods
                .in_namespace(ns)
                .any(|p| pod_references_secret(p, &s.metadata.name))
            {
                continue;
            }
            let key = (
                ns.to_string(),
                s.metadata.name.clone(),
                s.metadata.uid.clone(),
            );
            match s
                .metadata
                .labels
                .get(LABEL_INVALID_SINCE)
                .and_then(|d| parse_date(d))
            {
                None => to_label.push(key),
                Some(invalid) if invalid < before_date => to_delete.push(key),
                Some(_) => {}
            }
        }
        for (ns, name, uid) in to_label {
            let rv = self.store.next_resource_version();
            if let Some(s) = self.store.secrets.get_mut(&ns, &name) {
                s.metadata.labels.insert(
                    LABEL_INVALID_SINCE.into(),
                    today.format("%Y-%m-%d").to_string(),
                );
                s.metadata.resource_version = rv;
            }
            self.record(
                SimEventDraft::warning(
                    reason::TOKEN_REVOKED,
                    ObjectRef::new("Secret", &ns, &name, &uid),
                    format!("legacy-service-account-token-cleaner marked the unused token in secret {ns}/{name} invalid"),
                )
                .from("legacy-service-account-token-cleaner"),
            );
        }
        for (ns, name, _) in to_delete {
            self.remove_object(Kind::Secret, &ns, &name);
        }
    }
}

/// `VisitPodSecretNames` for the places kidex models: secret volumes, projected secret sources
/// and image pull secrets.
fn pod_references_secret(p: &super::objects::Pod, secret: &str) -> bool {
    p.spec.image_pull_secrets.iter().any(|r| r.name == secret)
        || p.spec.volumes.iter().any(|v| {
            v.secret.as_ref().and_then(|s| s.secret_name.as_deref()) == Some(secret)
                || v.projected
                    .iter()
                    .flat_map(|pr| pr.sources.iter())
                    .any(|src| {
                        src.secret
                            .as_ref()
                            .and_then(|s| s.get("name"))
                            .and_then(|n| n.as_str())
                            == Some(secret)
                    })
        })
}

//! OpenShift's controllers around service accounts (§9): per-project service accounts and
//! role bindings, and the registry pull secrets: before 4.16 a legacy token secret plus a
//! `kubernetes.io/dockercfg` secret per service account; from 4.16 a dockercfg secret holding a
//! token bound to that secret, refreshed by its controller.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::Simulator;
use super::clock::from_unix_seconds;
use super::events::{ObjectRef, SimEventDraft, reason};
use super::objects::core::{ANNOTATION_SA_NAME, ANNOTATION_SA_UID, Secret};
use super::objects::rbac::{RBAC_GROUP, RoleBinding, RoleRef, Subject};
use super::objects::{Kind, Object, ObjectMeta, ServiceAccount};
use super::schedule::Work;
use super::settings::Flavor;
use super::tokens::ledger::Holder;
use super::tokens::request::{BoundRef, Request, RequestContext};

/// Service accounts every project gets.
pub const PROJECT_SERVICE_ACCOUNTS: [&str; 3] = ["builder", "deployer", "default"];
/// The internal registry's service addresses, the keys of `.dockercfg`.
const REGISTRY_HOSTS: [&str; 2] = [
    "image-registry.openshift-image-registry.svc:5000",
    "image-registry.openshift-image-registry.svc.cluster.local:5000",
];
pub const SECRET_TYPE_DOCKERCFG: &str = "kubernetes.io/dockercfg";
pub const ANNOTATION_PULL_SECRET_REF: &str = "openshift.io/internal-registry-pull-secret-ref";
const ANNOTATION_AUTH_SA: &str = "openshift.io/internal-registry-auth-token.service-account";
const ANNOTATION_AUTH_BINDING: &str = "openshift.io/internal-registry-auth-token.binding";
const ANNOTATION_TOKEN_SECRET_NAME: &str = "openshift.io/token-secret.name";
const ANNOTATION_TOKEN_SECRET_VALUE: &str = "openshift.io/token-secret.value";

/// (binding, cluster role, description, subject) of the per-project role bindings.
fn project_bindings(ns: &str) -> [(&'static str, &'static str, &'static str, Subject); 3] {
    let sa = |name: &str| Subject {
        kind: "ServiceAccount".into(),
        api_group: None,
        name: name.into(),
        namespace: Some(ns.into()),
    };
    [
        (
            "system:image-pullers",
            "system:image-puller",
            "Allows all pods in this namespace to pull images from this namespace.  It is auto-managed by a controller; remove subjects to disable.",
            Subject {
                kind: "Group".into(),
                api_group: Some(RBAC_GROUP.into()),
                name: format!("system:serviceaccounts:{ns}"),
                namespace: None,
            },
        ),
        (
            "system:image-builders",
            "system:image-builder",
            "Allows builds in this namespace to push images to this namespace.  It is auto-managed by a controller; remove subjects to disable.",
            sa("builder"),
        ),
        (
            "system:deployers",
            "system:deployer",
            "Allows deploymentconfigs in this namespace to rollout pods in this namespace.  It is auto-managed by a controller; remove subjects to disable.",
            sa("deployer"),
        ),
    ]
}

/// `.dockercfg` with the token for every registry address.
fn dockercfg(username: &str, token: &str) -> Vec<u8> {
    let auth = STANDARD.encode(format!("{username}:{token}"));
    let mut m = serde_json::Map::new();
    for host in REGISTRY_HOSTS {
        m.insert(host.into(), json!({"auth": auth}));
    }
    serde_json::to_vec(&m).unwrap_or_default()
}

impl Simulator {
    fn openshift_minor(&self) -> u32 {
        let v = self.settings.version.trim_start_matches('v');
        v.split('.')
            .nth(1)
            .and_then(|m| m.parse().ok())
            .unwrap_or(16)
    }

    /// 4.16 replaced legacy token secrets with bound tokens in the pull secrets.
    pub fn openshift_bound_pull_secrets(&self) -> bool {
        self.openshift_minor() >= 16
    }

    /// A new project: its service accounts and role bindings.
    pub(super) fn openshift_project_created(&mut self, ns: &str) {
        // `default` comes from Kubernetes' own service-account controller.
        for name in PROJECT_SERVICE_ACCOUNTS
            .into_iter()
            .filter(|n| *n != "default")
        {
            if !self.store.service_accounts.contains(ns, name) {
                let sa = ServiceAccount {
                    metadata: ObjectMeta::named(Some(ns), name),
                    ..Default::default()
                };
                self.controller_put(Object::ServiceAccount(sa), "openshift-controller-manager");
            }
        }
        for (name, role, description, subject) in project_bindings(ns) {
            if self.store.role_bindings.contains(ns, name) {
                continue;
            }
            let mut meta = ObjectMeta::named(Some(ns), name);
            meta.annotations
                .insert("openshift.io/description".into(), description.into());
            let rb = RoleBinding {
                metadata: meta,
                subjects: vec![subject],
                role_ref: RoleRef {
                    api_group: RBAC_GROUP.into(),
                    kind: "ClusterRole".into(),
                    name: role.into(),
                },
            };
            self.controller_put(Object::RoleBinding(rb), "default-rolebindings-controller");
        }
    }

    /// A new service account gets its registry pull secret (and, before 4.16, a token secret).
    pub(super) fn openshift_service_account_created(&mut self, ns: &str, sa: &str) {
        if self.openshift_bound_pull_secrets() {
            self.create_bound_pull_secret(ns, sa);
        } else {
            self.create_legacy_pull_secrets(ns, sa);
        }
    }

    /// Before 4.16: a token secret and a dockercfg secret carrying its token, both listed in
    /// the service account (so `oc get sa` shows SECRETS 2).
    fn create_legacy_pull_secrets(&mut self, ns: &str, sa: &str) {
        let Some(token_secret) = self.create_auto_token_secret(ns, sa) else {
            return;
        };
        let Some(token) = self
            .store
            .secrets
            .get(ns, &token_secret)
            .and_then(|s| s.data.get("token").cloned())
        else {
            return;
        };
        let token = String::from_utf8_lossy(&token).into_owned();
        let Some(sa_uid) = self
            .store
            .service_accounts
            .get(ns, sa)
            .map(|s| s.metadata.uid.clone())
        else {
            return;
        };
        let name = format!("{sa}-dockercfg-{}", self.rng.name_suffix(5));
        let mut meta = ObjectMeta::named(Some(ns), &name);
        meta.annotations
            .insert(ANNOTATION_SA_NAME.into(), sa.into());
        meta.annotations.insert(ANNOTATION_SA_UID.into(), sa_uid);
        meta.annotations
            .insert(ANNOTATION_TOKEN_SECRET_NAME.into(), token_secret.clone());
        meta.annotations
            .insert(ANNOTATION_TOKEN_SECRET_VALUE.into(), token.clone());
        meta.annotations.insert(
            "kubernetes.io/created-by".into(),
            "openshift.io/create-dockercfg-secrets".into(),
        );
        let mut secret = Secret {
            metadata: meta,
            secret_type: Some(SECRET_TYPE_DOCKERCFG.into()),
            ..Default::default()
        };
        secret
            .data
            .insert(".dockercfg".into(), dockercfg("serviceaccount", &token));
        self.controller_put(Object::Secret(secret), "openshift-controller-manager");
        self.link_secret(ns, sa, &name, true, true);
    }

    /// From 4.16: one dockercfg secret, owned by the service account, holding a token bound to
    /// the secret itself; the service account points at it with an annotation.
    fn create_bound_pull_secret(&mut self, ns: &str, sa: &str) {
        let Some(sa_uid) = self
            .store
            .service_accounts
            .get(ns, sa)
            .map(|s| s.metadata.uid.clone())
        else {
            return;
        };
        let name = format!("{sa}-dockercfg-{}", self.rng.name_suffix(5));
        let mut meta = ObjectMeta::named(Some(ns), &name);
        meta.annotations
            .insert(ANNOTATION_AUTH_SA.into(), sa.into());
        meta.annotations
            .insert(ANNOTATION_AUTH_BINDING.into(), "bound".into());
        meta.owner_references
            .push(json!({"apiVersion": "v1", "kind": "ServiceAccount", "name": sa, "uid": sa_uid}));
        let secret = Secret {
            metadata: meta,
            secret_type: Some(SECRET_TYPE_DOCKERCFG.into()),
            ..Default::default()
        };
        self.controller_put(Object::Secret(secret), "openshift-controller-manager");
        let rv = self.store.next_resource_version();
        if let Some(s) = self.store.service_accounts.get_mut(ns, sa) {
            s.metadata
                .annotations
                .insert(ANNOTATION_PULL_SECRET_REF.into(), name.clone());
            s.metadata.resource_version = rv;
        }
        self.link_secret(ns, sa, &name, true, true);
        self.refresh_pull_secret(ns, &name);
    }

    /// The image-pull-secret controller (4.16+) writes a fresh token bound to the secret and
    /// schedules the next refresh at 80 % of its lifetime.
    pub(super) fn refresh_pull_secret(&mut self, ns: &str, name: &str) {
        let Some(secret) = self.store.secrets.get(ns, name) else {
            return;
        };
        let Some(sa) = secret.metadata.annotations.get(ANNOTATION_AUTH_SA).cloned() else {
            return;
        };
        let secret_uid = secret.metadata.uid.clone();
        let holder = self.ledger.intern(&Arc::new(Holder::Secret {
            namespace: ns.into(),
            secret: name.into(),
        }));
        let previous = self.ledger.current_for(&holder).map(|r| r.id);
        let req = Request {
            audiences: &[],
            expiration_seconds: None,
            bound: Some(BoundRef {
                kind: "Secret",
                api_version: "v1",
                name,
                uid: &secret_uid,
            }),
        };
        let ctx = RequestContext {
            store: &self.store,
            settings: &self.settings,
            now: self.now,
        };
        let reuse = previous
            .and_then(|p| self.ledger.get(p))
            .map(|r| &r.binding);
        let issue = match ctx.process(&mut self.rng, ns, &sa, &req, reuse) {
            Ok(i) => i,
            Err(_) => return,
        };
        let (iat, lifetime) = (issue.times.iat, issue.expiration_seconds);
        let id = self.store_issue(issue, holder, false);
        if let Some(p) = previous.and_then(|p| self.ledger.get_mut(p)) {
            p.superseded_by = Some(id);
            p.superseded_at = Some(self.now);
        }
        let Some(record) = self.ledger.get(id).cloned() else {
            return;
        };
        let Ok(token) = self.token_jws(&record) else {
            return;
        };
        let rv = self.store.next_resource_version();
        if let Some(s) = self.store.secrets.get_mut(ns, name) {
            s.data
                .insert(".dockercfg".into(), dockercfg("<token>", &token));
            s.metadata.resource_version = rv;
        }
        let due = from_unix_seconds(iat + lifetime * 80 / 100);
        if let Some(r) = self.ledger.get_mut(id) {
            r.refresh_due_at = Some(due);
        }
        self.schedule.push(
            due,
            Work::PullSecretRefresh {
                namespace: ns.into(),
                secret: name.into(),
            },
        );
        self.record(
            SimEventDraft::normal(
                reason::TOKEN_ISSUED,
                ObjectRef::new("Secret", ns, name, &secret_uid),
                format!("image pull secret controller wrote a token bound to secret {ns}/{name} for system:serviceaccount:{ns}:{sa}"),
            )
            .from("openshift-controller-manager")
            .about_token(id),
        );
    }

    /// A scheduled pull-secret refresh: only if the secret's current token is due.
    pub(super) fn pull_secret_refresh_due(&mut self, ns: &str, name: &str) {
        let holder = Holder::Secret {
            namespace: ns.into(),
            secret: name.into(),
        };
        let due = self
            .ledger
            .current_for(&holder)
            .and_then(|r| r.refresh_due_at);
        if due.is_none_or(|d| d <= self.now) {
            self.refresh_pull_secret(ns, name);
        }
    }

    /// Pull secrets are re-issued when the signing key changes.
    pub(super) fn reissue_pull_secrets(&mut self) {
        if self.settings.flavor != Flavor::OpenShift || !self.openshift_bound_pull_secrets() {
            return;
        }
        let secrets: Vec<(String, String)> = self
            .store
            .secrets
            .values()
            .filter(|s| {
                s.metadata
                    .annotations
                    .get(ANNOTATION_AUTH_BINDING)
                    .is_some_and(|b| b == "bound")
            })
            .map(|s| (s.metadata.ns().to_string(), s.metadata.name.clone()))
            .collect();
        for (ns, name) in secrets {
            self.refresh_pull_secret(&ns, &name);
        }
    }

    /// Before 4.16, a deleted token secret is regenerated with a new dockercfg secret.
    pub(super) fn openshift_secret_deleted(&mut self, ns: &str, secret: &Secret) {
        if self.settings.flavor != Flavor::OpenShift || self.openshift_bound_pull_secrets() {
            return;
        }
        let Some(sa) = secret.metadata.annotations.get(ANNOTATION_SA_NAME).cloned() else {
            return;
        };
        if !self.store.service_accounts.contains(ns, &sa)
            || secret.type_name() != super::objects::core::SECRET_TYPE_SA_TOKEN
        {
            return;
        }
        let dockercfgs: Vec<String> = self
            .store
            .secrets
            .in_namespace(ns)
            .filter(|s| {
                s.metadata.annotations.get(ANNOTATION_TOKEN_SECRET_NAME)
                    == Some(&secret.metadata.name)
            })
            .map(|s| s.metadata.name.clone())
            .collect();
        for d in dockercfgs {
            self.remove_object(Kind::Secret, ns, &d);
        }
        self.create_legacy_pull_secrets(ns, &sa);
    }

    /// Start-up: projects get their service accounts and bindings, service accounts their
    /// pull secrets, and bound pull-secret tokens resume their refresh schedule.
    pub(super) fn reconcile_openshift(&mut self) {
        if self.settings.flavor != Flavor::OpenShift {
            return;
        }
        let namespaces: Vec<String> = self.store.namespaces.keys().cloned().collect();
        for ns in &namespaces {
            self.openshift_project_created(ns);
        }
        let lacking: Vec<(String, String)> = self
            .store
            .service_accounts
            .values()
            .filter(|sa| {
                !sa.image_pull_secrets.iter().any(|r| {
                    self.store
                        .secrets
                        .get(sa.metadata.ns(), &r.name)
                        .is_some_and(|s| s.type_name() == SECRET_TYPE_DOCKERCFG)
                })
            })
            .map(|sa| (sa.metadata.ns().to_string(), sa.metadata.name.clone()))
            .collect();
        for (ns, sa) in lacking {
            self.openshift_service_account_created(&ns, &sa);
        }
        let bound: Vec<(String, String, Option<super::clock::SimTime>)> = self
            .store
            .secrets
            .values()
            .filter(|s| {
                s.metadata
                    .annotations
                    .get(ANNOTATION_AUTH_BINDING)
                    .is_some_and(|b| b == "bound")
            })
            .map(|s| {
                let holder = Holder::Secret {
                    namespace: s.metadata.ns().into(),
                    secret: s.metadata.name.as_str().into(),
                };
                let due = self
                    .ledger
                    .current_for(&holder)
                    .and_then(|r| r.refresh_due_at);
                (s.metadata.ns().to_string(), s.metadata.name.clone(), due)
            })
            .collect();
        for (ns, name, due) in bound {
            let at = due.unwrap_or(self.now).max(self.now);
            self.schedule.push(
                at,
                Work::PullSecretRefresh {
                    namespace: ns,
                    secret: name,
                },
            );
        }
    }
}

//! Object lifecycle: create, update (apply), delete, and what the API server and controllers do
//! around each; plus the token commands.

use super::clock::{format_rfc3339, from_unix_seconds, whole_seconds};
use super::command::{
    Change, Outcome, TokenResponse, TokenReview, TokenReviewSpec, TokenReviewStatus,
};
use super::error::{FieldError, SimError};
use super::events::{ObjectRef, SimEventDraft, reason};
use super::objects::core::{NamespaceSpec, NamespaceStatus};
use super::objects::pod::Pod;
use super::objects::{Kind, Object};
use super::schedule::Work;
use super::tokens::claims::ParsedClaims;
use super::tokens::ledger::Holder;
use super::tokens::request::{RequestContext, TokenRequestSpec};
use super::tokens::review::{Rejection, ReviewError};
use super::{Simulator, TokenStatus, admission, pods, validate};

fn object_ref(o: &Object) -> ObjectRef {
    let m = o.meta();
    ObjectRef::new(o.kind().name(), m.ns(), &m.name, &m.uid)
}

impl Simulator {
    /// `kubectl apply` (update allowed) or `kubectl create` (update refused).
    pub(super) fn apply(
        &mut self,
        mut object: Object,
        allow_update: bool,
    ) -> Result<Outcome, SimError> {
        let kind = object.kind();
        if kind.namespaced() {
            let meta = object.meta_mut();
            if meta.namespace.as_deref().is_none_or(str::is_empty) {
                meta.namespace = Some("default".into());
            }
        } else {
            object.meta_mut().namespace = None;
        }
        let ns = object.meta().ns().to_string();
        let name = object.meta().name.clone();
        let causes = validate::object_meta_errors(kind, &name, &ns);
        if !causes.is_empty() {
            return Err(SimError::Invalid {
                qualified_kind: kind.qualified_kind(),
                name,
                causes,
            });
        }
        if kind.namespaced() {
            match self.store.namespaces.get(&ns) {
                None => return Err(SimError::not_found("namespaces", &ns)),
                Some(n) if n.metadata.is_terminating() => {
                    return Err(SimError::Forbidden {
                        resource: kind.qualified_resource(),
                        name,
                        message: format!(
                            "unable to create new content in namespace {ns} because it is being terminated"
                        ),
                    });
                }
                Some(_) => {}
            }
        }
        if let Some(existing) = self.store.get(kind, &ns, &name) {
            if !allow_update {
                return Err(SimError::AlreadyExists {
                    resource: kind.qualified_resource(),
                    name,
                });
            }
            return self.update(existing, object);
        }
        self.create(object)?;
        Ok(Outcome::Applied {
            kind,
            namespace: ns,
            name,
            change: Change::Created,
        })
    }

    fn stamp_new(&mut self, object: &mut Object) {
        let now = whole_seconds(self.now);
        let uid = self.rng.uuid();
        let rv = self.store.next_resource_version();
        let meta = object.meta_mut();
        meta.uid = uid;
        meta.resource_version = rv;
        meta.creation_timestamp = Some(now);
        meta.deletion_timestamp = None;
        meta.deletion_grace_period_seconds = None;
    }

    /// Stores a new object after admission and validation, then lets controllers react.
    fn create(&mut self, mut object: Object) -> Result<(), SimError> {
        let kind = object.kind();
        let mut admitted = None;
        match &mut object {
            Object::Pod(pod) => {
                pods::apply_defaults(pod);
                admitted = Some(admission::admit_pod(
                    pod,
                    &self.store,
                    self.settings.flavor,
                    &mut self.rng,
                )?);
                let causes = pods::validate(pod);
                if !causes.is_empty() {
                    return Err(SimError::Invalid {
                        qualified_kind: "Pod".into(),
                        name: pod.metadata.name.clone(),
                        causes,
                    });
                }
                pod.status = None;
            }
            Object::Secret(secret) => {
                if secret.secret_type.as_deref() == Some(super::objects::core::SECRET_TYPE_SA_TOKEN)
                    && secret
                        .metadata
                        .annotations
                        .get(super::objects::core::ANNOTATION_SA_NAME)
                        .is_none_or(|n| n.is_empty())
                {
                    return Err(SimError::Invalid {
                        qualified_kind: "Secret".into(),
                        name: secret.metadata.name.clone(),
                        causes: vec![FieldError::required(
                            format!(
                                "metadata.annotations[{}]",
                                super::objects::core::ANNOTATION_SA_NAME
                            ),
                            "",
                        )],
                    });
                }
                for (k, v) in std::mem::take(&mut secret.string_data) {
                    secret.data.insert(k, v.into_bytes());
                }
                if secret.secret_type.as_deref().is_none_or(str::is_empty) {
                    secret.secret_type = Some("Opaque".into());
                }
            }
            Object::Namespace(ns) => {
                ns.metadata.labels.insert(
                    "kubernetes.io/metadata.name".into(),
                    ns.metadata.name.clone(),
                );
                ns.spec = Some(NamespaceSpec {
                    finalizers: vec!["kubernetes".into()],
                });
                ns.status = Some(NamespaceStatus {
                    phase: Some("Active".into()),
                    ..Default::default()
                });
            }
            Object::Node(node) => super::controllers::default_node_status(node, self.now),
            Object::RoleBinding(b) | Object::ClusterRoleBinding(b) => {
                let causes = validate::binding_errors(b, kind == Kind::ClusterRoleBinding);
                if !causes.is_empty() {
                    return Err(SimError::Invalid {
                        qualified_kind: kind.qualified_kind(),
                        name: b.metadata.name.clone(),
                        causes,
                    });
                }
            }
            _ => {}
        }
        self.stamp_new(&mut object);
        let oref = object_ref(&object);
        let ns = oref.namespace.clone();
        let name = oref.name.clone();
        self.store.put(object);
        self.record(SimEventDraft::normal(
            reason::CREATED,
            oref.clone(),
            format!("{} created", kind_path(kind, &name)),
        ));
        if let Some(a) = admitted {
            self.record(SimEventDraft::normal(
                reason::SA_ADMISSION,
                oref,
                admission_message(&a),
            ));
        }
        self.after_create(kind, &ns, &name);
        Ok(())
    }

    /// What controllers do when an object appears, whoever created it.
    pub(super) fn after_create(&mut self, kind: Kind, ns: &str, name: &str) {
        match kind {
            Kind::ClusterRole => drop(super::rbac::aggregate_cluster_roles(&mut self.store)),
            Kind::Namespace => self.namespace_created(name),
            Kind::Pod => self.schedule_and_start(ns, name),
            Kind::Node => self.schedule_pending_pods(),
            Kind::Secret => self.token_secret_created(ns, name),
            Kind::ServiceAccount => self.service_account_created(ns, name),
            _ => {}
        }
    }

    /// Updates an existing object with the fields a manifest sets.
    fn update(&mut self, existing: Object, desired: Object) -> Result<Outcome, SimError> {
        let kind = existing.kind();
        let ns = existing.meta().ns().to_string();
        let name = existing.meta().name.clone();
        let mut merged = existing.clone();
        {
            let (m, d) = (merged.meta_mut(), desired.meta());
            m.labels = d.labels.clone();
            m.annotations = d.annotations.clone();
            if kind == Kind::Namespace {
                m.labels
                    .insert("kubernetes.io/metadata.name".into(), name.clone());
            }
        }
        match (&mut merged, desired) {
            (Object::Pod(cur), Object::Pod(new)) => update_pod(cur, &new)?,
            (Object::ServiceAccount(cur), Object::ServiceAccount(new)) => {
                cur.secrets = new.secrets;
                cur.image_pull_secrets = new.image_pull_secrets;
                cur.automount_service_account_token = new.automount_service_account_token;
            }
            (Object::Secret(cur), Object::Secret(mut new)) => {
                let new_type = new
                    .secret_type
                    .clone()
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| "Opaque".into());
                if new_type != cur.type_name() {
                    return Err(SimError::Invalid {
                        qualified_kind: "Secret".into(),
                        name,
                        causes: vec![FieldError::invalid_str(
                            "type",
                            &new_type,
                            "field is immutable",
                        )],
                    });
                }
                for (k, v) in std::mem::take(&mut new.string_data) {
                    new.data.insert(k, v.into_bytes());
                }
                cur.data = new.data;
            }
            (Object::ConfigMap(cur), Object::ConfigMap(new)) => {
                cur.data = new.data;
                cur.binary_data = new.binary_data;
            }
            (Object::Role(cur), Object::Role(new)) => cur.rules = new.rules,
            (Object::ClusterRole(cur), Object::ClusterRole(new)) => {
                cur.rules = new.rules;
                cur.aggregation_rule = new.aggregation_rule;
            }
            (Object::RoleBinding(cur), Object::RoleBinding(new))
            | (Object::ClusterRoleBinding(cur), Object::ClusterRoleBinding(new)) => {
                if cur.role_ref != new.role_ref {
                    return Err(SimError::Invalid {
                        qualified_kind: kind.qualified_kind(),
                        name,
                        causes: vec![FieldError::invalid_str(
                            "roleRef",
                            &new.role_ref.name,
                            "cannot change roleRef",
                        )],
                    });
                }
                let causes = validate::binding_errors(&new, kind == Kind::ClusterRoleBinding);
                if !causes.is_empty() {
                    return Err(SimError::Invalid {
                        qualified_kind: kind.qualified_kind(),
                        name,
                        causes,
                    });
                }
                cur.subjects = new.subjects;
            }
            (Object::Node(cur), Object::Node(new)) if new.spec.is_some() => cur.spec = new.spec,
            _ => {}
        }
        if merged == existing {
            return Ok(Outcome::Applied {
                kind,
                namespace: ns,
                name,
                change: Change::Unchanged,
            });
        }
        merged.meta_mut().resource_version = self.store.next_resource_version();
        let oref = object_ref(&merged);
        self.store.put(merged);
        if kind == Kind::ClusterRole {
            super::rbac::aggregate_cluster_roles(&mut self.store);
        }
        self.record(SimEventDraft::normal(
            reason::UPDATED,
            oref,
            format!("{} configured", kind_path(kind, &name)),
        ));
        Ok(Outcome::Applied {
            kind,
            namespace: ns,
            name,
            change: Change::Configured,
        })
    }

    pub(super) fn delete(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        grace_period_seconds: Option<i64>,
    ) -> Result<Outcome, SimError> {
        let ns = if kind.namespaced() { ns } else { "" };
        let Some(object) = self.store.get(kind, ns, name) else {
            return Err(SimError::not_found(kind.qualified_resource(), name));
        };
        if let Object::Pod(pod) = &object {
            let grace = grace_period_seconds
                .or(pod.spec.termination_grace_period_seconds)
                .unwrap_or(30)
                .max(0);
            if grace > 0 {
                if pod.metadata.is_terminating() {
                    return Ok(Outcome::Deleted {
                        kind,
                        namespace: ns.into(),
                        name: name.into(),
                        terminating: true,
                    });
                }
                self.terminate_pod(pod, grace);
                return Ok(Outcome::Deleted {
                    kind,
                    namespace: ns.into(),
                    name: name.into(),
                    terminating: true,
                });
            }
        }
        self.remove_object(kind, ns, name);
        Ok(Outcome::Deleted {
            kind,
            namespace: ns.into(),
            name: name.into(),
            terminating: false,
        })
    }

    /// Graceful pod deletion: the pod is marked for deletion at now + grace, the kubelet stops
    /// its containers and stops refreshing its tokens, and the object goes when the period ends.
    fn terminate_pod(&mut self, pod: &Pod, grace: i64) {
        let at = whole_seconds(self.now) + chrono::TimeDelta::seconds(grace);
        let (ns, name, uid) = (
            pod.metadata.ns().to_string(),
            pod.metadata.name.clone(),
            pod.metadata.uid.clone(),
        );
        let rv = self.store.next_resource_version();
        if let Some(p) = self.store.pods.get_mut(&ns, &name) {
            p.metadata.deletion_timestamp = Some(at);
            p.metadata.deletion_grace_period_seconds = Some(grace);
            p.metadata.resource_version = rv;
        }
        let pref = ObjectRef::new("Pod", &ns, &name, &uid);
        for c in &pod.spec.containers {
            self.record(SimEventDraft::normal(
                reason::KILLING,
                pref.clone(),
                format!("Stopping container {}", c.name),
            ));
        }
        self.schedule.push(
            at,
            Work::PodFinalize(Box::new(crate::sim::schedule::PodRef {
                namespace: ns,
                name,
                uid,
            })),
        );
    }

    pub(super) fn finalize_pod(&mut self, ns: &str, name: &str, uid: &str) {
        if self
            .store
            .pods
            .get(ns, name)
            .is_some_and(|p| p.metadata.uid == uid)
        {
            self.remove_object(Kind::Pod, ns, name);
        }
    }

    /// Removes an object for good, cascading as the garbage collector and controllers would,
    /// and records the tokens this revokes.
    pub(super) fn remove_object(&mut self, kind: Kind, ns: &str, name: &str) {
        // Tokens accepted now, to report those the removal revokes.
        let Some(object) = self.store.get(kind, ns, name) else {
            return;
        };
        let uid = object.meta().uid.clone();
        let before: Vec<u64> = self
            .ledger
            .naming_uid(&uid)
            .filter(|r| self.token_status(r).accepted())
            .map(|r| r.id)
            .collect();
        match kind {
            Kind::Namespace => {
                for k in Kind::ALL.into_iter().filter(|k| k.namespaced()) {
                    for o in self.store.list(k, Some(name)) {
                        self.remove_object(k, name, &o.meta().name);
                    }
                }
            }
            Kind::Node => {
                let on_node: Vec<(String, String)> = self
                    .store
                    .pods
                    .iter()
                    .filter(|(_, _, p)| p.spec.node_name.as_deref() == Some(name))
                    .map(|(ns, name, _)| (ns.to_string(), name.to_string()))
                    .collect();
                for (pns, pname) in on_node {
                    self.remove_object(Kind::Pod, &pns, &pname);
                }
            }
            _ => {}
        }
        self.store.remove(kind, ns, name);
        self.store.next_resource_version();
        match kind {
            Kind::ServiceAccount => self.service_account_deleted(ns, name, &uid),
            Kind::Secret => {
                self.secret_deleted(ns, name);
                if let Object::Secret(s) = &object {
                    self.openshift_secret_deleted(ns, s);
                }
            }
            _ => {}
        }
        if kind == Kind::ClusterRole {
            super::rbac::aggregate_cluster_roles(&mut self.store);
        }
        let oref = object_ref(&object);
        self.record(SimEventDraft::normal(
            reason::DELETED,
            oref.clone(),
            format!("{} deleted", kind_path(kind, name)),
        ));
        for id in before {
            let Some(record) = self.ledger.get(id) else {
                continue;
            };
            if let TokenStatus::Revoked(why) = self.token_status(record) {
                let holder = record.holder.to_string();
                let jti = super::kubelet::short_jti(record.jti.as_deref());
                let msg = format!(
                    "token {jti} ({holder}) revoked: {why} ({} {ns}/{name} deleted)",
                    kind.name()
                );
                self.record(
                    SimEventDraft::warning(reason::TOKEN_REVOKED, oref.clone(), msg)
                        .about_token(id),
                );
            }
        }
    }

    /// The TokenRequest API, for a caller who receives the token (`kubectl create token`).
    pub(super) fn create_token(
        &mut self,
        ns: &str,
        sa: &str,
        spec: &TokenRequestSpec,
    ) -> Result<Outcome, SimError> {
        let ctx = RequestContext {
            store: &self.store,
            settings: &self.settings,
            now: self.now,
        };
        let issue = ctx.process(&mut self.rng, ns, sa, &spec.as_request(), None)?;
        let expiration_timestamp = from_unix_seconds(issue.expiration_timestamp);
        let warnings = issue.warnings.clone();
        let echoed = TokenRequestSpec {
            audiences: issue.binding.aud.clone(),
            expiration_seconds: Some(issue.expiration_seconds),
            bound_object_ref: spec.bound_object_ref.clone(),
        };
        let holder = Holder::TokenRequest {
            namespace: ns.into(),
            service_account: sa.into(),
        };
        let id = self.store_issue(issue, std::sync::Arc::new(holder), false);
        let record = self
            .ledger
            .get(id)
            .cloned()
            .ok_or_else(|| SimError::Internal("token vanished".into()))?;
        let token = self
            .token_jws(&record)
            .map_err(|e| SimError::Internal(format!("failed to generate token: {e}")))?;
        let sa_uid = record.binding.service_account.uid.clone();
        self.record(
            SimEventDraft::normal(
                reason::TOKEN_ISSUED,
                ObjectRef::new("ServiceAccount", ns, sa, &sa_uid),
                format!(
                    "TokenRequest issued a token for {} (audiences {}, {}s{}), expires {}",
                    record.binding.subject(),
                    record.binding.aud.join(","),
                    record.expiration_seconds,
                    bound_suffix(&record.binding),
                    format_rfc3339(from_unix_seconds(record.exp))
                ),
            )
            .about_token(id),
        );
        Ok(Outcome::Token(Box::new(TokenResponse {
            token_id: id,
            token: token.to_string(),
            expiration_timestamp,
            warnings,
            namespace: ns.into(),
            service_account: sa.into(),
            spec: echoed,
        })))
    }

    /// TokenReview: authenticate, record the verdict, return the review object.
    pub(super) fn review(&mut self, token: &str, audiences: &[String]) -> TokenReview {
        let verdict = self.review_context().authenticate(token, audiences);
        // A legacy token in use: the API server updates its secret's last-used label (also when
        // the cleaner has marked it invalid) and warns about auto-generated ones.
        let mut warnings = Vec::new();
        match &verdict {
            Ok(a) => {
                if let Some(l) = &a.legacy {
                    self.mark_legacy_used(&l.namespace, &l.secret);
                    if l.autogenerated {
                        warnings.push(super::tokens::review::AUTOGENERATED_WARNING.to_string());
                    }
                }
            }
            Err(Rejection::Invalid(ReviewError::LegacyMarkedInvalid {
                namespace, secret, ..
            })) => {
                let (ns, secret) = (namespace.clone(), secret.clone());
                self.mark_legacy_used(&ns, &secret);
            }
            Err(_) => {}
        }
        let claims = super::tokens::jwt::parse(token)
            .ok()
            .and_then(|j| ParsedClaims::from_json(&j.payload));
        let token_id = claims
            .as_ref()
            .and_then(|c| self.find_token(c))
            .map(|r| r.id);
        let status = match &verdict {
            Ok(a) => TokenReviewStatus {
                authenticated: true,
                user: a.user.clone(),
                audiences: a.audiences.clone(),
                error: None,
            },
            Err(r) => TokenReviewStatus {
                error: Some(r.status_error()),
                ..Default::default()
            },
        };
        let about = claims
            .as_ref()
            .and_then(|c| {
                let sa = c.service_account.as_ref()?;
                Some(ObjectRef::new(
                    "ServiceAccount",
                    c.namespace.as_deref().unwrap_or(""),
                    &sa.name,
                    &sa.uid,
                ))
            })
            .unwrap_or_else(|| ObjectRef::new("TokenReview", "", "", ""));
        let draft = match &verdict {
            Ok(a) => {
                let stale = a
                    .stale_seconds
                    .map(|s| format!(" (stale: {s}s past warnafter)"))
                    .unwrap_or_default();
                SimEventDraft::normal(
                    reason::TOKEN_REVIEWED,
                    about,
                    format!(
                        "TokenReview authenticated {} for {}{stale}",
                        a.user.username,
                        a.audiences.join(",")
                    ),
                )
            }
            Err(Rejection::NotRecognised) => SimEventDraft::warning(
                reason::TOKEN_REJECTED,
                about,
                "TokenReview rejected: invalid bearer token",
            ),
            Err(Rejection::Invalid(e)) => SimEventDraft::warning(
                reason::TOKEN_REJECTED,
                about,
                format!("TokenReview rejected: {e}"),
            ),
        };
        self.record(match token_id {
            Some(id) => draft.about_token(id),
            None => draft,
        });
        TokenReview {
            spec: TokenReviewSpec {
                token: token.to_string(),
                audiences: audiences.to_vec(),
            },
            status,
            verdict,
            token_id,
            warnings,
        }
    }

    pub(super) fn token_expiry(&mut self, id: u64) {
        let Some(record) = self.ledger.get(id) else {
            return;
        };
        if self.token_status(record) != TokenStatus::Expired {
            return;
        }
        let msg = format!(
            "token {} ({}) expired at {}; reviews reject it from now on",
            super::kubelet::short_jti(record.jti.as_deref()),
            record.holder,
            format_rfc3339(from_unix_seconds(record.exp))
        );
        let b = &record.binding;
        let oref = match &*record.holder {
            Holder::Projected {
                namespace,
                pod,
                pod_uid,
                ..
            } => ObjectRef::shared("Pod", namespace, pod, pod_uid),
            Holder::TokenRequest { .. } | Holder::Secret { .. } => ObjectRef::new(
                "ServiceAccount",
                &b.namespace,
                &b.service_account.name,
                &b.service_account.uid,
            ),
        };
        self.record(SimEventDraft::normal(reason::TOKEN_EXPIRED, oref, msg).about_token(id));
    }
}

/// Pod updates may change little; the service account never.
fn update_pod(cur: &mut Pod, new: &Pod) -> Result<(), SimError> {
    let forbidden = || SimError::Invalid {
        qualified_kind: "Pod".into(),
        name: cur.metadata.name.clone(),
        causes: vec![FieldError::forbidden(
            "spec",
            "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        )],
    };
    let new_sa = new
        .spec
        .service_account_name
        .as_deref()
        .or(new.spec.service_account.as_deref());
    if new_sa.is_some_and(|sa| sa != cur.service_account_name()) {
        return Err(forbidden());
    }
    if new
        .spec
        .node_name
        .as_deref()
        .is_some_and(|n| Some(n) != cur.spec.node_name.as_deref())
    {
        return Err(forbidden());
    }
    if new.spec.automount_service_account_token.is_some()
        && new.spec.automount_service_account_token != cur.spec.automount_service_account_token
    {
        return Err(forbidden());
    }
    for c in &new.spec.containers {
        match cur.spec.containers.iter_mut().find(|x| x.name == c.name) {
            Some(x) => {
                if c.image.is_some() {
                    x.image = c.image.clone();
                }
            }
            None => return Err(forbidden()),
        }
    }
    Ok(())
}

fn kind_path(kind: Kind, name: &str) -> String {
    format!("{}/{}", kind.info().singular, name)
}

fn bound_suffix(b: &super::tokens::claims::TokenBinding) -> String {
    if let Some(p) = &b.pod {
        format!(", bound to pod {}", p.name)
    } else if let Some(s) = &b.secret {
        format!(", bound to secret {}", s.name)
    } else if let Some(n) = &b.node {
        format!(", bound to node {}", n.name)
    } else {
        String::new()
    }
}

fn admission_message(a: &admission::Admitted) -> String {
    let mut parts = vec![format!(
        "service account {}{}",
        a.service_account,
        if a.defaulted_service_account {
            " (defaulted)"
        } else {
            ""
        }
    )];
    match &a.token_volume {
        Some(v) => parts.push(format!(
            "API token volume {v} mounted at /var/run/secrets/kubernetes.io/serviceaccount in {} container(s)",
            a.containers_mounted
        )),
        None => parts.push("no API token automounted".into()),
    }
    if a.copied_pull_secrets > 0 {
        parts.push(format!(
            "{} image pull secret(s) copied from the service account",
            a.copied_pull_secrets
        ));
    }
    parts.join("; ")
}

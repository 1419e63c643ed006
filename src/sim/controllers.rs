//! Controllers and start-up: the service-account controller (a `default` SA per namespace),
//! the root-CA publisher (`kube-root-ca.crt` per namespace), the scheduler binding pods to
//! nodes, and catching up with a freshly loaded state.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::json;

use super::clock::{unix_seconds, whole_seconds};
use super::events::{ObjectRef, SimEventDraft, reason};
use super::objects::core::{
    Condition, ConfigMap, Node, NodeStatus, ROOT_CA_CONFIGMAP, ServiceAccount,
};
use super::objects::{Object, ObjectMeta};
use super::schedule::{PodRef, Work};
use super::tokens::ledger::Holder;
use super::{Simulator, expiry_instant, pods};

/// A Node that reports Ready, for nodes created without a status.
pub fn default_node_status(node: &mut Node, now: super::clock::SimTime) {
    if node.status.is_some() {
        return;
    }
    let t = super::clock::format_rfc3339(now);
    let mut extra = BTreeMap::new();
    extra.insert("lastHeartbeatTime".to_string(), json!(t));
    extra.insert("lastTransitionTime".to_string(), json!(t));
    extra.insert(
        "message".to_string(),
        json!("kubelet is posting ready status"),
    );
    extra.insert("reason".to_string(), json!("KubeletReady"));
    node.status = Some(NodeStatus {
        conditions: vec![Condition {
            condition_type: "Ready".into(),
            status: "True".into(),
            extra,
        }],
        ..Default::default()
    });
}

impl Simulator {
    /// The service-account and root-CA controllers react to a new namespace.
    pub(super) fn namespace_created(&mut self, ns: &str) {
        if !self.store.service_accounts.contains(ns, "default") {
            let sa = ServiceAccount {
                metadata: ObjectMeta::named(Some(ns), "default"),
                ..Default::default()
            };
            self.controller_put(Object::ServiceAccount(sa), "serviceaccount-controller");
        }
        if !self.store.config_maps.contains(ns, ROOT_CA_CONFIGMAP) {
            let mut meta = ObjectMeta::named(Some(ns), ROOT_CA_CONFIGMAP);
            meta.annotations.insert(
                "kubernetes.io/description".into(),
                "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."
                    .into(),
            );
            let mut cm = ConfigMap {
                metadata: meta,
                ..Default::default()
            };
            cm.data
                .insert("ca.crt".into(), self.settings.root_ca.clone());
            self.controller_put(Object::ConfigMap(cm), "root-ca-cert-publisher");
        }
        if self.settings.flavor == super::settings::Flavor::OpenShift {
            self.openshift_project_created(ns);
        }
    }

    /// A controller creates an object (identity stamped, event recorded as coming from it).
    pub(super) fn controller_put(&mut self, mut object: Object, controller: &'static str) {
        let now = whole_seconds(self.now);
        let uid = self.rng.uuid();
        let rv = self.store.next_resource_version();
        let m = object.meta_mut();
        m.uid = uid;
        m.resource_version = rv;
        m.creation_timestamp = Some(now);
        let kind = object.kind();
        let oref = ObjectRef::new(
            kind.name(),
            object.meta().ns(),
            &object.meta().name,
            &object.meta().uid,
        );
        let what = format!("{}/{}", kind.info().singular, object.meta().name);
        let (ns, name) = (object.meta().ns().to_string(), object.meta().name.clone());
        self.store.put(object);
        self.record(
            SimEventDraft::normal(
                reason::CREATED,
                oref,
                format!("{what} created by {controller}"),
            )
            .from(controller),
        );
        self.after_create(kind, &ns, &name);
    }

    /// The scheduler binds the pod to a node (unless it names one) and the kubelet starts it.
    pub(super) fn schedule_and_start(&mut self, ns: &str, name: &str) {
        let Some(pod) = self.store.pods.get(ns, name).cloned() else {
            return;
        };
        let pref = ObjectRef::new("Pod", ns, name, &pod.metadata.uid);
        let node = match pod.spec.node_name.clone().filter(|n| !n.is_empty()) {
            Some(n) => Some(n),
            None => {
                let picked = pods::pick_node(&self.store);
                match &picked {
                    Some(n) => self.record(SimEventDraft::normal(
                        reason::SCHEDULED,
                        pref.clone(),
                        format!("Successfully assigned {ns}/{name} to {n}"),
                    )),
                    None => {
                        let total = self.store.nodes.len();
                        let msg = format!(
                            "0/{total} nodes are available: no nodes available to schedule pods."
                        );
                        self.record(SimEventDraft::warning(
                            reason::FAILED_SCHEDULING,
                            pref.clone(),
                            msg.clone(),
                        ));
                        if let Some(p) = self.store.pods.get_mut(ns, name) {
                            p.status = Some(pods::pending_status(&msg, self.now));
                        }
                    }
                }
                picked
            }
        };
        let Some(node) = node else { return };
        if !self.store.nodes.contains_key(&node) {
            // A pod bound to a node that does not exist waits forever, as it would for real.
            if let Some(p) = self.store.pods.get_mut(ns, name) {
                p.spec.node_name = Some(node);
                p.status = Some(pods::pending_status("node not found", self.now));
            }
            return;
        }
        let status = {
            let mut p = pod.clone();
            p.spec.node_name = Some(node.clone());
            pods::running_status(&p, &self.store, self.now, &mut self.rng)
        };
        if let Some(p) = self.store.pods.get_mut(ns, name) {
            p.spec.node_name = Some(node);
            p.status = Some(status);
        }
        for c in &pod.spec.containers {
            self.record(SimEventDraft::normal(
                reason::STARTED,
                pref.clone(),
                format!("Started container {}", c.name),
            ));
        }
        self.kubelet_start_pod(ns, name);
    }

    /// A node appeared: pods nobody could run get another chance.
    pub(super) fn schedule_pending_pods(&mut self) {
        let pending: Vec<(String, String)> = self
            .store
            .pods
            .iter()
            .filter(|(_, _, p)| p.phase() == "Pending" && !p.metadata.is_terminating())
            .map(|(ns, name, _)| (ns.to_string(), name.to_string()))
            .collect();
        for (ns, name) in pending {
            if let Some(p) = self.store.pods.get(&ns, &name)
                && p.spec
                    .node_name
                    .as_deref()
                    .is_some_and(|n| !self.store.nodes.contains_key(n))
            {
                continue;
            }
            self.schedule_and_start(&ns, &name);
        }
    }

    /// Puts loaded objects in the store as they are, filling in identity a hand-written state
    /// may leave out (uid, creationTimestamp, resourceVersion).
    pub(super) fn load_objects(&mut self, objects: Vec<Object>) -> Result<(), String> {
        let mut max_rv = 0u64;
        for o in &objects {
            if let Ok(rv) = o.meta().resource_version.parse::<u64>() {
                max_rv = max_rv.max(rv);
            }
        }
        self.store.resource_version = max_rv;
        for (i, mut o) in objects.into_iter().enumerate() {
            let kind = o.kind();
            if kind.namespaced() && o.meta().namespace.as_deref().is_none_or(str::is_empty) {
                o.meta_mut().namespace = Some("default".into());
            }
            let (ns, name) = (o.meta().ns().to_string(), o.meta().name.clone());
            if name.is_empty() {
                return Err(format!("items[{i}]: {} has no metadata.name", kind.name()));
            }
            if self.store.contains(kind, &ns, &name) {
                let at = if ns.is_empty() {
                    name
                } else {
                    format!("{ns}/{name}")
                };
                return Err(format!("items[{i}]: duplicate {} {at}", kind.name()));
            }
            if o.meta().uid.is_empty() {
                o.meta_mut().uid = self.rng.uuid();
            }
            if o.meta().resource_version.is_empty() {
                o.meta_mut().resource_version = self.store.next_resource_version();
            }
            if o.meta().creation_timestamp.is_none() {
                o.meta_mut().creation_timestamp = Some(whole_seconds(self.now));
            }
            self.store.put(o);
        }
        for ns in self
            .store
            .service_accounts
            .namespaces()
            .chain(self.store.pods.namespaces())
        {
            if !self.store.namespaces.contains_key(ns) {
                return Err(format!(
                    "objects in namespace {ns:?}, but there is no Namespace {ns:?}"
                ));
            }
        }
        Ok(())
    }

    /// Brings controllers and kubelets up to date with a loaded state and rebuilds the queue.
    /// The bootstrap-roles hook: missing bootstrap RBAC objects are created (silently, as the
    /// API server does at start), then aggregated ClusterRoles are filled in.
    pub(super) fn reconcile_bootstrap_policy(&mut self) {
        // Bootstrap objects are as old as the cluster: its oldest namespace.
        let born = self
            .store
            .namespaces
            .values()
            .filter_map(|n| n.metadata.creation_timestamp)
            .min();
        for mut o in super::bootstrap::policy(self.settings.flavor) {
            let (kind, name) = (o.kind(), o.meta().name.clone());
            if self.store.contains(kind, "", &name) {
                continue;
            }
            let uid = self.rng.uuid();
            let rv = self.store.next_resource_version();
            let m = o.meta_mut();
            m.uid = uid;
            m.resource_version = rv;
            m.creation_timestamp = Some(born.unwrap_or_else(|| whole_seconds(self.now)));
            self.store.put(o);
        }
        super::rbac::aggregate_cluster_roles(&mut self.store);
    }

    pub(super) fn reconcile_on_start(&mut self) {
        self.reconcile_bootstrap_policy();
        self.reconcile_legacy_tokens();
        self.reconcile_openshift();
        // Issuer trust windows and an unfinished kube-apiserver rollout resume.
        if self.settings.flavor == super::settings::Flavor::OpenShift
            && self.settings.kube_apiserver.is_none()
        {
            self.settings.kube_apiserver = Some(self.kube_apiserver_revisions());
        }
        if let Some(rev) = &self.settings.kube_apiserver
            && rev.node_revisions.iter().any(|r| *r < rev.latest_revision)
        {
            self.schedule
                .push(self.now + chrono::TimeDelta::minutes(3), Work::RolloutStep);
        }
        let windows: Vec<(String, super::clock::SimTime)> = self
            .settings
            .issuer_trusted_until
            .iter()
            .map(|(i, w)| (i.clone(), w.until))
            .collect();
        for (issuer, until) in windows {
            self.schedule
                .push(until.max(self.now), Work::IssuerExpiry { issuer });
        }
        let namespaces: Vec<String> = self.store.namespaces.keys().cloned().collect();
        for ns in namespaces {
            self.namespace_created(&ns);
        }
        // What each pod needs from the kubelet, gathered first (no pod copies).
        let mut finalize = Vec::new();
        let mut holders = Vec::new();
        for pod in self.store.pods.values() {
            let (ns, name, uid) = (pod.metadata.ns(), &pod.metadata.name, &pod.metadata.uid);
            if let Some(at) = pod.metadata.deletion_timestamp {
                finalize.push((
                    at,
                    PodRef {
                        namespace: ns.into(),
                        name: name.clone(),
                        uid: uid.clone(),
                    },
                ));
            } else if pod.is_running() {
                holders.extend(
                    pod.token_projections()
                        .map(|(volume, t)| Holder::Projected {
                            namespace: ns.into(),
                            pod: name.as_str().into(),
                            pod_uid: uid.as_str().into(),
                            volume: volume.into(),
                            path: t.path.as_str().into(),
                        }),
                );
            }
        }
        for (at, pod) in finalize {
            self.schedule
                .push(at.max(self.now), Work::PodFinalize(Box::new(pod)));
        }
        for holder in holders {
            // Tokens already held resume their schedule; missing ones are fetched now.
            let current = self
                .ledger
                .current_for(&holder)
                .map(|r| (r.id, r.refresh_due_at.unwrap_or(self.now)));
            let (token, due) = current.unwrap_or((0, self.now));
            let holder = self.ledger.intern(&Arc::new(holder));
            self.schedule
                .push(due.max(self.now), Work::KubeletSync { token, holder });
        }
        let now = unix_seconds(self.now);
        let expiries: Vec<(i64, u64)> = self
            .ledger
            .iter()
            .filter_map(|r| r.expires().map(|exp| (exp, r.id)))
            .filter(|(exp, _)| exp + super::tokens::review::LEEWAY_SECONDS + 1 > now)
            .collect();
        for (exp, id) in expiries {
            self.schedule
                .push(expiry_instant(exp), Work::TokenExpiry { token: id });
        }
        // Pods loaded without a status have just been created: schedule and start them.
        let fresh: Vec<(String, String)> = self
            .store
            .pods
            .iter()
            .filter(|(_, _, p)| p.status.is_none())
            .map(|(ns, name, _)| (ns.to_string(), name.to_string()))
            .collect();
        for (ns, name) in fresh {
            self.schedule_and_start(&ns, &name);
        }
        // Work due now (missing tokens) runs at load time.
        let _ = self.advance_to(self.now);
    }
}

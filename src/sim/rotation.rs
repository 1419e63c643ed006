//! Changing what tokens are signed with: the service-account issuer (with OpenShift's
//! kube-apiserver revision rollout and 24 h trust of the previous issuer), the signing keys,
//! and the pod and node restarts that make workloads pick up new tokens.

use chrono::TimeDelta;

use super::Simulator;
use super::clock::{SimDuration, format_rfc3339};
use super::command::Outcome;
use super::error::SimError;
use super::events::{ObjectRef, SimEventDraft, reason};
use super::objects::{Kind, Object};
use super::schedule::Work;
use super::settings::{ApiServerRevisions, Flavor, IssuerWindow, PendingIssuer};
use super::tokens::keys::{KeyState, SigningKey};

/// How long OpenShift keeps trusting the previous issuer ("currently set to 24h").
pub const OPENSHIFT_PREVIOUS_ISSUER_TRUST_HOURS: i64 = 24;
/// Time for one control-plane node to install a new kube-apiserver revision.
const NODE_INSTALL_MINUTES: i64 = 3;
/// Time for one node of a rolling restart (drain, reboot, ready).
const NODE_RESTART_MINUTES: i64 = 5;
/// The revision a fresh OpenShift control plane runs.
const INITIAL_REVISION: u32 = 11;

fn cluster_ref(kind: &'static str, name: &str) -> ObjectRef {
    ObjectRef::new(kind, "", name, "")
}

impl Simulator {
    /// Control-plane nodes (by role label); at least one, even with no Node objects.
    fn control_plane_nodes(&self) -> usize {
        let n = self
            .store
            .nodes
            .values()
            .filter(|n| {
                n.metadata
                    .labels
                    .contains_key("node-role.kubernetes.io/control-plane")
                    || n.metadata
                        .labels
                        .contains_key("node-role.kubernetes.io/master")
            })
            .count();
        n.max(1)
    }

    /// The OpenShift kube-apiserver revisions, created on first use.
    pub fn kube_apiserver_revisions(&self) -> ApiServerRevisions {
        self.settings
            .kube_apiserver
            .clone()
            .unwrap_or_else(|| ApiServerRevisions {
                latest_revision: INITIAL_REVISION,
                node_revisions: vec![INITIAL_REVISION; self.control_plane_nodes()],
                pending_issuer: None,
            })
    }

    pub(super) fn set_issuer(
        &mut self,
        issuer: &str,
        keep_previous: Option<SimDuration>,
    ) -> Result<Outcome, SimError> {
        let mut candidate = self.settings.clone();
        candidate.issuers.retain(|i| i != issuer);
        candidate.issuers.insert(0, issuer.to_string());
        candidate.validate().map_err(SimError::BadRequest)?;
        if keep_previous.is_some_and(|d| d < SimDuration::zero()) {
            return Err(SimError::BadRequest(
                "--keep-previous must not be negative".into(),
            ));
        }
        if self.settings.signing_issuer() == issuer {
            return Ok(Outcome::Changed(vec![format!(
                "{issuer} is already the signing issuer"
            )]));
        }
        if self.settings.flavor == Flavor::OpenShift {
            // The operator rolls the change out as a new kube-apiserver revision.
            let mut rev = self.kube_apiserver_revisions();
            rev.latest_revision += 1;
            let keep =
                keep_previous.unwrap_or(TimeDelta::hours(OPENSHIFT_PREVIOUS_ISSUER_TRUST_HOURS));
            rev.pending_issuer = Some(PendingIssuer {
                issuer: issuer.to_string(),
                keep_previous: keep,
            });
            let latest = rev.latest_revision;
            self.settings.kube_apiserver = Some(rev);
            self.schedule.push(
                self.now + TimeDelta::minutes(NODE_INSTALL_MINUTES),
                Work::RolloutStep,
            );
            self.record(SimEventDraft::normal(
                reason::ROLLOUT,
                cluster_ref("KubeAPIServer", "cluster"),
                format!("issuer change to {issuer}: rolling out kube-apiserver revision {latest}"),
            ));
            return Ok(Outcome::Changed(vec![
                format!(
                    "authentication.config.openshift.io/cluster patched: serviceAccountIssuer {issuer}"
                ),
                format!(
                    "kube-apiserver revision {latest} is rolling out across {} control-plane node(s); the previous issuer stays trusted for {} after it completes",
                    self.control_plane_nodes(),
                    super::clock::format_go_duration(keep)
                ),
            ]));
        }
        let previous = self.settings.signing_issuer().to_string();
        Ok(Outcome::Changed(self.apply_issuer(
            issuer,
            &previous,
            keep_previous,
        )))
    }

    /// Puts a new signing issuer in effect; the previous one stays accepted for `keep` (or
    /// until removed).
    fn apply_issuer(
        &mut self,
        issuer: &str,
        previous: &str,
        keep: Option<SimDuration>,
    ) -> Vec<String> {
        self.settings.issuers.retain(|i| i != issuer);
        self.settings.issuers.insert(0, issuer.to_string());
        self.settings.issuer_trusted_until.remove(issuer);
        let mut lines = vec![format!("signing issuer is now {issuer}")];
        match keep {
            Some(d) => {
                let until = self.now + d;
                self.settings.issuer_trusted_until.insert(previous.to_string(), IssuerWindow { until });
                self.schedule.push(until, Work::IssuerExpiry { issuer: previous.to_string() });
                lines.push(format!("previous issuer {previous} stays trusted until {}", format_rfc3339(until)));
            }
            None => lines.push(format!(
                "previous issuer {previous} is still accepted; remove it with `kidex issuer remove {previous}`"
            )),
        }
        self.record(SimEventDraft::normal(
            reason::ISSUER_CHANGED,
            cluster_ref("Cluster", &self.settings.name),
            lines.join("; "),
        ));
        lines
    }

    pub(super) fn remove_issuer(&mut self, issuer: &str) -> Result<Outcome, SimError> {
        if self.settings.signing_issuer() == issuer {
            return Err(SimError::BadRequest(format!(
                "{issuer} is the signing issuer; set another one first"
            )));
        }
        if !self.settings.issuers.iter().any(|i| i == issuer) {
            return Err(SimError::not_found("issuers", issuer));
        }
        self.drop_issuer(issuer);
        Ok(Outcome::Changed(vec![format!(
            "issuer {issuer} is no longer accepted"
        )]))
    }

    fn drop_issuer(&mut self, issuer: &str) {
        self.settings.issuers.retain(|i| i != issuer);
        self.settings.issuer_trusted_until.remove(issuer);
        self.record(SimEventDraft::warning(
            reason::ISSUER_CHANGED,
            cluster_ref("Cluster", &self.settings.name),
            format!("issuer {issuer} is no longer trusted: tokens it issued fail review"),
        ));
    }

    /// A previous issuer's trust window ended.
    pub(super) fn issuer_expiry(&mut self, issuer: &str) {
        let due = self
            .settings
            .issuer_trusted_until
            .get(issuer)
            .is_some_and(|w| w.until <= self.now);
        if due && self.settings.signing_issuer() != issuer {
            self.drop_issuer(issuer);
        }
    }

    /// One control-plane node installs the latest revision; when all have, a pending issuer
    /// change takes effect.
    pub(super) fn rollout_step(&mut self) {
        let mut rev = self.kube_apiserver_revisions();
        let latest = rev.latest_revision;
        if let Some(slot) = rev.node_revisions.iter_mut().find(|r| **r < latest) {
            *slot = latest;
        }
        let (done, message) = rollout_message(&rev);
        let pending = if done {
            rev.pending_issuer.take()
        } else {
            None
        };
        self.settings.kube_apiserver = Some(rev);
        self.record(SimEventDraft::normal(
            reason::ROLLOUT,
            cluster_ref("KubeAPIServer", "cluster"),
            message,
        ));
        if done {
            if let Some(p) = pending {
                let previous = self.settings.signing_issuer().to_string();
                self.apply_issuer(&p.issuer, &previous, Some(p.keep_previous));
            }
        } else {
            self.schedule.push(
                self.now + TimeDelta::minutes(NODE_INSTALL_MINUTES),
                Work::RolloutStep,
            );
        }
    }

    pub(super) fn rotate_signing_key(&mut self) -> Result<Outcome, SimError> {
        let key = SigningKey::generate(&mut self.rng, self.now).map_err(SimError::Internal)?;
        let kid = key.kid.clone();
        let old = self.keys.signing().kid.clone();
        self.keys.add_signing(key);
        let lines = vec![
            format!("new signing key {kid}"),
            format!(
                "key {old} now only verifies; retire it with `kidex keys retire {old}` once its tokens are replaced"
            ),
        ];
        self.record(SimEventDraft::normal(
            reason::KEY_ROTATED,
            cluster_ref("Cluster", &self.settings.name),
            lines.join("; "),
        ));
        self.reissue_pull_secrets();
        Ok(Outcome::Changed(lines))
    }

    pub(super) fn retire_key(&mut self, kid: &str) -> Result<Outcome, SimError> {
        match self.keys.by_kid(kid).map(|k| k.state()) {
            None => return Err(SimError::not_found("keys", kid)),
            Some(KeyState::Signing) => {
                return Err(SimError::BadRequest(format!(
                    "key {kid} signs new tokens; rotate to a new key before retiring it"
                )));
            }
            Some(KeyState::Retired) => {
                return Ok(Outcome::Changed(vec![format!(
                    "key {kid} is already retired"
                )]));
            }
            Some(KeyState::VerifyOnly) => {}
        }
        self.keys.retire(kid, self.now);
        let line = format!("key {kid} removed from the JWKS: tokens it signed no longer verify");
        self.record(SimEventDraft::warning(
            reason::KEY_ROTATED,
            cluster_ref("Cluster", &self.settings.name),
            line.clone(),
        ));
        Ok(Outcome::Changed(vec![line]))
    }

    /// Deletes and recreates pods (as `oc delete pods --all` with their controllers would),
    /// so they get tokens from the current issuer and key.
    pub(super) fn restart_pods(
        &mut self,
        namespace: Option<&str>,
        node: Option<&str>,
    ) -> Vec<String> {
        let pods: Vec<super::objects::Pod> = self
            .store
            .pods
            .values()
            .filter(|p| namespace.is_none_or(|ns| p.metadata.ns() == ns))
            .filter(|p| node.is_none_or(|n| p.spec.node_name.as_deref() == Some(n)))
            .filter(|p| !p.metadata.is_terminating())
            .cloned()
            .collect();
        let mut lines = Vec::new();
        for old in pods {
            let (ns, name) = (old.metadata.ns().to_string(), old.metadata.name.clone());
            self.remove_object(Kind::Pod, &ns, &name);
            let mut fresh = old.clone();
            fresh.status = None;
            fresh.metadata.uid.clear();
            fresh.metadata.resource_version.clear();
            fresh.metadata.deletion_timestamp = None;
            fresh.metadata.deletion_grace_period_seconds = None;
            match self.apply(Object::Pod(fresh), false) {
                Ok(_) => lines.push(format!("pod {ns}/{name} recreated")),
                Err(e) => lines.push(format!("pod {ns}/{name} could not be recreated: {e}")),
            }
        }
        lines
    }

    /// A rolling restart: one node every few minutes; each node's pods are recreated then.
    pub(super) fn restart_nodes(&mut self) -> Outcome {
        let nodes: Vec<String> = self.store.nodes.keys().cloned().collect();
        let mut lines = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            let at = self.now + TimeDelta::minutes(NODE_RESTART_MINUTES * (i as i64 + 1));
            self.schedule
                .push(at, Work::NodeRestart { node: node.clone() });
            lines.push(format!("node {node} restarts at {}", format_rfc3339(at)));
        }
        if nodes.is_empty() {
            lines.push("no nodes to restart".into());
        }
        Outcome::Changed(lines)
    }

    pub(super) fn node_restart(&mut self, node: &str) {
        if !self.store.nodes.contains_key(node) {
            return;
        }
        let uid = self
            .store
            .nodes
            .get(node)
            .map(|n| n.metadata.uid.clone())
            .unwrap_or_default();
        self.record(SimEventDraft::normal(
            reason::REBOOTED,
            ObjectRef::new("Node", "", node, &uid),
            format!("Node {node} has been rebooted"),
        ));
        self.restart_pods(None, Some(node));
    }
}

/// The operator's NodeInstallerProgressing message and whether every node is at the latest.
pub fn rollout_message(rev: &ApiServerRevisions) -> (bool, String) {
    let latest = rev.latest_revision;
    let at_latest = rev.node_revisions.iter().filter(|r| **r == latest).count();
    let behind: Vec<u32> = rev
        .node_revisions
        .iter()
        .copied()
        .filter(|r| *r != latest)
        .collect();
    if behind.is_empty() {
        return (true, format!("{at_latest} nodes are at revision {latest}"));
    }
    let older = behind.iter().min().copied().unwrap_or(latest);
    let at_older = behind.iter().filter(|r| **r == older).count();
    (
        false,
        format!(
            "{at_older} nodes are at revision {older}; {at_latest} nodes are at revision {latest}"
        ),
    )
}

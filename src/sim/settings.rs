//! Cluster-wide settings: what kube-apiserver flags and the cluster's flavor and version decide.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::clock::{SimDuration, format_go_duration, parse_go_duration};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    #[default]
    Kubernetes,
    /// OpenShift behaviour arrives with the OpenShift issue; the seam is here.
    OpenShift,
}

/// Settings as the state file's `cluster` block spells them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSettings {
    #[serde(default = "default_name")]
    pub name: String,
    #[serde(default)]
    pub flavor: Flavor,
    /// `1.33` for Kubernetes; `4.16` for OpenShift.
    #[serde(default = "default_version")]
    pub version: String,
    /// `--service-account-issuer`, in order: the first signs, all are accepted.
    #[serde(default = "default_issuers")]
    pub issuers: Vec<String>,
    /// `--api-audiences`; empty means the issuers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_audiences: Vec<String>,
    /// `--service-account-extend-token-expiration`.
    #[serde(default = "yes")]
    pub extend_token_expiration: bool,
    /// `--service-account-max-token-expiration` as a Go duration; absent means unset.
    #[serde(
        default,
        with = "go_duration_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_token_expiration: Option<SimDuration>,
    /// `--service-account-jwks-uri`; absent means `https://<externalHost>/openid/v1/jwks`.
    #[serde(default, rename = "jwksURI", skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// The API server's externally visible host (`--external-hostname`).
    #[serde(default = "default_external_host")]
    pub external_host: String,
    /// `--service-account-lookup`.
    #[serde(default = "yes")]
    pub service_account_lookup: bool,
    /// Superseded tokens kept per holder in the ledger; older ones are counted, not kept.
    #[serde(default = "default_history")]
    pub token_history_limit: usize,
    /// Events kept in the event log; older ones are counted, not kept.
    #[serde(default = "default_event_limit")]
    pub event_limit: usize,
    /// `--legacy-service-account-token-clean-up-period`: how long an unused auto-generated
    /// legacy token secret waits before it is marked invalid, and again before deletion.
    #[serde(
        default = "default_cleanup_period",
        with = "go_duration",
        skip_serializing_if = "is_default_cleanup"
    )]
    pub legacy_token_clean_up_period: SimDuration,
    /// PEM of the cluster CA published in every `kube-root-ca.crt` ConfigMap.
    #[serde(default = "default_root_ca", rename = "rootCA")]
    pub root_ca: String,
    /// Issuers still accepted only until a time (a previous issuer after a change).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub issuer_trusted_until: BTreeMap<String, IssuerWindow>,
    /// OpenShift: the kube-apiserver revision of each control-plane node, and an issuer change
    /// waiting for its rollout to finish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_apiserver: Option<ApiServerRevisions>,
}

/// Until when an issuer is trusted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerWindow {
    #[serde(with = "crate::sim::objects::meta::k8s_time")]
    pub until: crate::sim::clock::SimTime,
}

/// The kube-apiserver static-pod revisions across control-plane nodes (OpenShift's operator).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiServerRevisions {
    pub latest_revision: u32,
    /// One entry per control-plane node, in node-name order.
    pub node_revisions: Vec<u32>,
    /// The issuer change the latest revision carries, applied when every node runs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_issuer: Option<PendingIssuer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingIssuer {
    pub issuer: String,
    /// How long the previous issuer stays trusted once the change is in effect.
    #[serde(with = "go_duration")]
    pub keep_previous: SimDuration,
}

fn yes() -> bool {
    true
}
fn default_name() -> String {
    "kidex".into()
}
fn default_version() -> String {
    "1.33".into()
}
fn default_issuers() -> Vec<String> {
    vec!["https://kubernetes.default.svc.cluster.local".into()]
}
fn default_external_host() -> String {
    "127.0.0.1:6443".into()
}
fn default_history() -> usize {
    8
}
fn default_event_limit() -> usize {
    5000
}
fn default_cleanup_period() -> SimDuration {
    SimDuration::hours(8760)
}
fn is_default_cleanup(d: &SimDuration) -> bool {
    *d == default_cleanup_period()
}
fn default_root_ca() -> String {
    include_str!("../../assets/demo-ca.crt").to_string()
}

impl Default for ClusterSettings {
    fn default() -> Self {
        ClusterSettings {
            name: default_name(),
            flavor: Flavor::default(),
            version: default_version(),
            issuers: default_issuers(),
            api_audiences: Vec::new(),
            extend_token_expiration: true,
            max_token_expiration: None,
            jwks_uri: None,
            external_host: default_external_host(),
            service_account_lookup: true,
            token_history_limit: default_history(),
            event_limit: default_event_limit(),
            legacy_token_clean_up_period: default_cleanup_period(),
            root_ca: default_root_ca(),
            issuer_trusted_until: BTreeMap::new(),
            kube_apiserver: None,
        }
    }
}

/// Feature gates that change token contents or checks, decided by the Kubernetes minor version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureGates {
    /// `ServiceAccountTokenJTI` (beta, on, in 1.30).
    pub token_jti: bool,
    /// `ServiceAccountTokenPodNodeInfo` (beta, on, in 1.30).
    pub pod_node_info: bool,
    /// `ServiceAccountTokenNodeBinding` (beta, on, in 1.31).
    pub node_binding: bool,
    /// `ServiceAccountTokenNodeBindingValidation` (beta, on, in 1.30).
    pub node_binding_validation: bool,
    /// Before 1.24 the token controller made a token secret for every service account.
    pub legacy_auto_generate: bool,
    /// `LegacyServiceAccountTokenTracking` (beta, on, in 1.27): the last-used label.
    pub legacy_tracking: bool,
    /// `LegacyServiceAccountTokenCleanUp` (beta, on, in 1.29): the cleaner controller.
    pub legacy_cleanup: bool,
}

impl ClusterSettings {
    /// Checks what kube-apiserver checks at start-up, with its messages.
    pub fn validate(&self) -> Result<(), String> {
        if self.issuers.is_empty() {
            return Err("service-account-issuer is a required flag".into());
        }
        for (i, iss) in self.issuers.iter().enumerate() {
            if iss.is_empty() {
                return Err("service-account-issuer should not be an empty string".into());
            }
            if self.issuers[..i].contains(iss) {
                return Err(format!(
                    "service-account-issuer {iss:?} is already specified"
                ));
            }
            if iss.contains(':') && !looks_like_url(iss) {
                return Err(format!(
                    "service-account-issuer {iss:?} contained a ':' but was not a valid URL"
                ));
            }
        }
        if let Some(max) = self.max_token_expiration
            && max != SimDuration::zero()
            && (max < SimDuration::hours(1) || max.num_seconds() > 1 << 32)
        {
            return Err(
                "the service-account-max-token-expiration must be between 1 hour and 2^32 seconds"
                    .into(),
            );
        }
        if let Some(uri) = &self.jwks_uri
            && !uri.starts_with("https://")
        {
            return Err(format!(
                "service-account-jwks-uri requires https scheme, parsed as: {uri}"
            ));
        }
        if self.kubernetes_minor().is_none() {
            return Err(format!(
                "cluster version {:?} is not a version like \"1.33\" (or \"4.16\" for OpenShift)",
                self.version
            ));
        }
        Ok(())
    }

    /// The audiences tokens are checked against when a request names none.
    pub fn api_audiences(&self) -> &[String] {
        if self.api_audiences.is_empty() {
            &self.issuers
        } else {
            &self.api_audiences
        }
    }

    /// The issuer that signs new tokens.
    pub fn signing_issuer(&self) -> &str {
        self.issuers.first().map(String::as_str).unwrap_or("")
    }

    /// The maximum expiration in seconds, when one is set (0 means unset).
    pub fn max_expiration_seconds(&self) -> Option<i64> {
        self.max_token_expiration
            .map(|d| d.num_seconds())
            .filter(|s| *s > 0)
    }

    pub fn jwks_uri(&self) -> String {
        self.jwks_uri
            .clone()
            .unwrap_or_else(|| format!("https://{}/openid/v1/jwks", self.external_host))
    }

    /// The upstream Kubernetes minor version (OpenShift 4.N ships Kubernetes 1.(N+13)).
    pub fn kubernetes_minor(&self) -> Option<u32> {
        let v = self.version.trim_start_matches('v');
        let mut parts = v.split('.');
        let major: u32 = parts.next()?.parse().ok()?;
        let minor: u32 = parts.next()?.parse().ok()?;
        match (self.flavor, major) {
            (Flavor::Kubernetes, 1) => Some(minor),
            (Flavor::OpenShift, 4) => Some(minor + 13),
            _ => None,
        }
    }

    pub fn feature_gates(&self) -> FeatureGates {
        let minor = self.kubernetes_minor().unwrap_or(33);
        FeatureGates {
            token_jti: minor >= 30,
            pod_node_info: minor >= 30,
            node_binding: minor >= 31,
            node_binding_validation: minor >= 30,
            legacy_auto_generate: minor < 24,
            legacy_tracking: minor >= 27,
            legacy_cleanup: minor >= 29,
        }
    }
}

fn looks_like_url(s: &str) -> bool {
    match s.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
        }
        None => false,
    }
}

/// `SimDuration` as a Go duration string.
pub mod go_duration {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{SimDuration, format_go_duration, parse_go_duration};

    pub fn serialize<S: Serializer>(d: &SimDuration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_go_duration(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SimDuration, D::Error> {
        parse_go_duration(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// `Option<SimDuration>` as a Go duration string.
pub mod go_duration_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{SimDuration, format_go_duration, parse_go_duration};

    pub fn serialize<S: Serializer>(d: &Option<SimDuration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&format_go_duration(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SimDuration>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse_go_duration(&s)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_checks_use_upstream_messages() {
        let mut s = ClusterSettings::default();
        assert!(s.validate().is_ok());
        s.max_token_expiration = Some(SimDuration::minutes(30));
        assert_eq!(
            s.validate().unwrap_err(),
            "the service-account-max-token-expiration must be between 1 hour and 2^32 seconds"
        );
        let mut s = ClusterSettings::default();
        s.issuers.push(s.issuers[0].clone());
        assert!(s.validate().unwrap_err().ends_with("is already specified"));
    }

    #[test]
    fn openshift_versions_map_to_kubernetes_minors() {
        let s = ClusterSettings {
            flavor: Flavor::OpenShift,
            version: "4.16".into(),
            ..Default::default()
        };
        assert_eq!(s.kubernetes_minor(), Some(29));
        assert!(!s.feature_gates().token_jti);
    }
}

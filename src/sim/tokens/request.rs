//! The TokenRequest API (`POST …/serviceaccounts/{name}/token`), following
//! `pkg/registry/core/serviceaccount/storage/token.go` step by step.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::claims::{ClaimRef, TokenBinding, TokenTimes};
use crate::sim::clock::{SimTime, unix_seconds};
use crate::sim::error::{FieldError, SimError};
use crate::sim::rng::SimRng;
use crate::sim::settings::ClusterSettings;
use crate::sim::store::Store;

/// `MinTokenAgeSec`.
pub const MIN_EXPIRATION_SECONDS: i64 = 600;
/// 2^32 seconds, the validation maximum.
pub const MAX_EXPIRATION_SECONDS: i64 = 1 << 32;
/// `SetDefaults_TokenRequestSpec`.
pub const DEFAULT_EXPIRATION_SECONDS: i64 = 3600;
/// `WarnOnlyBoundTokenExpirationSeconds`: what admission writes into `kube-api-access-*`.
pub const WARN_ONLY_EXPIRATION_SECONDS: i64 = 3607;
/// `ExpirationExtensionSeconds`: one year.
pub const EXTENSION_SECONDS: i64 = 24 * 365 * 60 * 60;

/// `authenticationv1.BoundObjectReference`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoundObjectReference {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// `authenticationv1.TokenRequestSpec`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequestSpec {
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound_object_ref: Option<BoundObjectReference>,
}

/// A TokenRequest as the server reads it, borrowing its strings.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub audiences: &'a [String],
    pub expiration_seconds: Option<i64>,
    pub bound: Option<BoundRef<'a>>,
}

/// A borrowed `boundObjectRef`.
#[derive(Clone, Copy, Debug)]
pub struct BoundRef<'a> {
    pub kind: &'a str,
    pub api_version: &'a str,
    pub name: &'a str,
    pub uid: &'a str,
}

impl TokenRequestSpec {
    pub fn as_request(&self) -> Request<'_> {
        Request {
            audiences: &self.audiences,
            expiration_seconds: self.expiration_seconds,
            bound: self.bound_object_ref.as_ref().map(|r| BoundRef {
                kind: &r.kind,
                api_version: &r.api_version,
                name: &r.name,
                uid: &r.uid,
            }),
        }
    }
}

/// A token the server decided to issue, before it is signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub binding: Arc<TokenBinding>,
    pub times: TokenTimes,
    pub jti: Option<String>,
    /// The requested seconds after defaulting and clamping.
    pub expiration_seconds: i64,
    /// `status.expirationTimestamp`: now plus the (clamped) requested seconds.
    pub expiration_timestamp: i64,
    /// Warning headers (`Warning: …` in kubectl).
    pub warnings: Vec<String>,
}

pub struct RequestContext<'a> {
    pub store: &'a Store,
    pub settings: &'a ClusterSettings,
    pub now: SimTime,
}

/// `schema.GroupVersionKind.String()`: `apps/v1, Kind=Deployment`.
fn gvk_string(api_version: &str, kind: &str) -> String {
    let (group, version) = match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    format!("{group}/{version}, Kind={kind}")
}

fn uid_conflict(kind: &str, name: &str, ref_uid: &str) -> SimError {
    SimError::Conflict(format!(
        "Operation cannot be fulfilled on {kind} {name:?}: the UID in the bound object reference ({ref_uid}) does not match the UID in record. The object might have been deleted and then recreated"
    ))
}

impl RequestContext<'_> {
    pub fn process(
        &self,
        rng: &mut SimRng,
        namespace: &str,
        sa_name: &str,
        req: &Request,
        reuse: Option<&Arc<TokenBinding>>,
    ) -> Result<Issue, SimError> {
        let sa = self
            .store
            .service_accounts
            .get(namespace, sa_name)
            .ok_or_else(|| SimError::not_found("serviceaccounts", sa_name))?;
        let audiences: &[String] = if req.audiences.is_empty() {
            self.settings.api_audiences()
        } else {
            req.audiences
        };
        let mut expiration = req.expiration_seconds.unwrap_or(DEFAULT_EXPIRATION_SECONDS);

        // Static validation: the object is unnamed at this point, hence `""` in the message.
        let mut causes = Vec::new();
        if expiration < MIN_EXPIRATION_SECONDS {
            causes.push(FieldError::invalid_int(
                "spec.expirationSeconds",
                expiration,
                "may not specify a duration less than 10 minutes",
            ));
        }
        if expiration > MAX_EXPIRATION_SECONDS {
            causes.push(FieldError::invalid_int(
                "spec.expirationSeconds",
                expiration,
                "may not specify a duration larger than 2^32 seconds",
            ));
        }
        if !causes.is_empty() {
            return Err(SimError::Invalid {
                qualified_kind: "TokenRequest.authentication.k8s.io".into(),
                name: String::new(),
                causes,
            });
        }

        let gates = self.settings.feature_gates();
        let mut pod_ref = None;
        let mut secret_ref = None;
        let mut node_ref = None;
        if let Some(r) = &req.bound {
            let group = r.api_version.split_once('/').map_or("", |(g, _)| g);
            match (group, r.kind) {
                ("", "Pod") => {
                    let pod = self
                        .store
                        .pods
                        .get(namespace, r.name)
                        .ok_or_else(|| SimError::not_found("pods", r.name))?;
                    if pod.service_account_name() != sa_name {
                        return Err(SimError::BadRequest(format!(
                            "cannot bind token for serviceaccount {sa_name:?} to pod running with different serviceaccount name."
                        )));
                    }
                    if !r.uid.is_empty() && r.uid != pod.metadata.uid {
                        return Err(uid_conflict("Pod", r.name, r.uid));
                    }
                    pod_ref = Some((pod.metadata.name.as_str(), pod.metadata.uid.as_str()));
                    if gates.pod_node_info
                        && let Some(node_name) =
                            pod.spec.node_name.as_deref().filter(|n| !n.is_empty())
                    {
                        // A missing Node embeds the name only.
                        let uid = self
                            .store
                            .nodes
                            .get(node_name)
                            .map_or("", |n| n.metadata.uid.as_str());
                        node_ref = Some((node_name, uid));
                    }
                }
                ("", "Secret") => {
                    let secret = self
                        .store
                        .secrets
                        .get(namespace, r.name)
                        .ok_or_else(|| SimError::not_found("secrets", r.name))?;
                    if !r.uid.is_empty() && r.uid != secret.metadata.uid {
                        return Err(uid_conflict("Secret", r.name, r.uid));
                    }
                    secret_ref =
                        Some((secret.metadata.name.as_str(), secret.metadata.uid.as_str()));
                }
                ("", "Node") => {
                    if !gates.node_binding {
                        return Err(SimError::BadRequest(
                            "cannot bind token to a Node object as the \"ServiceAccountTokenNodeBinding\" feature-gate is disabled"
                                .into(),
                        ));
                    }
                    let node = self
                        .store
                        .nodes
                        .get(r.name)
                        .ok_or_else(|| SimError::not_found("nodes", r.name))?;
                    if !r.uid.is_empty() && r.uid != node.metadata.uid {
                        return Err(uid_conflict("Node", r.name, r.uid));
                    }
                    node_ref = Some((node.metadata.name.as_str(), node.metadata.uid.as_str()));
                }
                _ => {
                    return Err(SimError::BadRequest(format!(
                        "cannot bind token to object of type {}",
                        gvk_string(r.api_version, r.kind)
                    )));
                }
            }
        }

        let mut warnings = Vec::new();
        if let Some(max) = self.settings.max_expiration_seconds()
            && expiration > max
        {
            warnings.push(format!(
                "requested expiration of {expiration} seconds shortened to {max} seconds"
            ));
            expiration = max;
        }

        // The 1-year extension for admission-injected (3607 s) pod tokens whose audiences are
        // all API audiences (§2.4).
        let api_auds = self.settings.api_audiences();
        let extend = self.settings.extend_token_expiration
            && pod_ref.is_some()
            && expiration == WARN_ONLY_EXPIRATION_SECONDS
            && audiences.iter().all(|a| api_auds.contains(a));
        let iat = unix_seconds(self.now);
        let (exp, warnafter) = if extend {
            (iat + EXTENSION_SECONDS, Some(iat + expiration))
        } else {
            (iat + expiration, None)
        };

        let jti = gates.token_jti.then(|| rng.uuid());
        // Refreshes reuse the holder's previous binding when nothing in it changed.
        let same = |r: &Option<ClaimRef>, b: Option<(&str, &str)>| match (r, b) {
            (None, None) => true,
            (Some(r), Some((n, u))) => r.name == n && r.uid == u,
            _ => false,
        };
        let iss = self.settings.signing_issuer();
        let binding = match reuse {
            Some(prev)
                if prev.iss == iss
                    && prev.aud == audiences
                    && prev.namespace == namespace
                    && prev.service_account.name == sa.metadata.name
                    && prev.service_account.uid == sa.metadata.uid
                    && same(&prev.pod, pod_ref)
                    && same(&prev.secret, secret_ref)
                    && same(&prev.node, node_ref) =>
            {
                prev.clone()
            }
            _ => {
                let claim = |r: Option<(&str, &str)>| r.map(|(n, u)| ClaimRef::new(n, u));
                Arc::new(TokenBinding {
                    iss: iss.to_string(),
                    aud: audiences.to_vec(),
                    namespace: namespace.to_string(),
                    service_account: ClaimRef::new(&sa.metadata.name, &sa.metadata.uid),
                    pod: claim(pod_ref),
                    secret: claim(secret_ref),
                    node: claim(node_ref),
                })
            }
        };
        Ok(Issue {
            binding,
            times: TokenTimes {
                iat,
                exp,
                warnafter,
            },
            jti,
            expiration_seconds: expiration,
            expiration_timestamp: iat + expiration,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gvk_strings_match_go() {
        assert_eq!(
            gvk_string("apps/v1", "Deployment"),
            "apps/v1, Kind=Deployment"
        );
        assert_eq!(gvk_string("v1", "ConfigMap"), "/v1, Kind=ConfigMap");
    }
}

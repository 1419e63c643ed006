//! Token authentication as kube-apiserver does it for TokenReview: the service-account JWT
//! authenticator (`pkg/serviceaccount/jwt.go`) and the bound-token validator (`claims.go`),
//! in upstream order with upstream messages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::claims::{ClaimsView, ParsedClaims, sa_username};
use super::jwt::{self, UnverifiedJwt};
use super::keys::KeyRing;
use crate::sim::clock::{SimTime, unix_seconds};
use crate::sim::settings::ClusterSettings;
use crate::sim::store::Store;

/// go-jose's `DefaultLeeway`.
pub const LEEWAY_SECONDS: i64 = 60;

/// `user.Info` of an authenticated service account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub username: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Vec<String>>,
}

/// A successful authentication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    pub user: UserInfo,
    /// The token's audiences that the request accepts (`status.audiences`).
    pub audiences: Vec<String>,
    /// Seconds past `warnafter` for an extended token used after its warning point
    /// (the `authentication.k8s.io/stale-token` audit annotation).
    pub stale_seconds: Option<i64>,
}

/// Why authentication did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// No authenticator recognised the token (malformed, or an issuer this cluster does not trust).
    NotRecognised,
    /// The service-account authenticator recognised the token and rejected it.
    Invalid(ReviewError),
}

/// The service-account authenticator's error, with its upstream message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewError {
    NoKeysFound,
    BadSignature {
        go_jose_prefix: &'static str,
    },
    WrongIssuer(String),
    Audience {
        token: Vec<String>,
        requested: Vec<String>,
    },
    NotValidYet,
    Expired,
    IssuedInFuture,
    /// A lookup error passed through unchanged (a missing service account).
    ServiceAccountLookup(String),
    ServiceAccountUid {
        actual: String,
        claim: String,
    },
    ServiceAccountDeleted {
        namespace: String,
        name: String,
    },
    /// A bound pod, secret or node is gone or being deleted.
    Invalidated {
        object: &'static str,
        why: String,
    },
    PodUid {
        actual: String,
        claim: String,
    },
    SecretUid {
        actual: String,
        claim: String,
    },
    NodeUid {
        actual: String,
        claim: String,
    },
    NodeBindingValidationDisabled,
}

/// Go's `%q` of a `[]string`: `["a" "b"]`.
fn go_quoted_list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(" ")
    )
}

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReviewError::NoKeysFound => f.write_str("invalid signature, no keys found"),
            ReviewError::BadSignature { go_jose_prefix } => {
                write!(f, "{go_jose_prefix}: error in cryptographic primitive")
            }
            ReviewError::WrongIssuer(iss) => write!(f, "token issuer {iss:?} is invalid"),
            ReviewError::Audience { token, requested } => write!(
                f,
                "token audiences {} is invalid for the target audiences {}",
                go_quoted_list(token),
                go_quoted_list(requested)
            ),
            ReviewError::NotValidYet => f.write_str("service account token is not valid yet"),
            ReviewError::Expired => f.write_str("service account token has expired"),
            ReviewError::IssuedInFuture => f.write_str("service account token is issued in the future"),
            ReviewError::ServiceAccountLookup(e) => f.write_str(e),
            ReviewError::ServiceAccountUid { actual, claim } => {
                write!(f, "service account UID ({actual}) does not match claim ({claim})")
            }
            ReviewError::ServiceAccountDeleted { namespace, name } => {
                write!(f, "service account {namespace}/{name} has been deleted")
            }
            ReviewError::Invalidated { .. } => f.write_str("service account token has been invalidated"),
            ReviewError::PodUid { actual, claim } => {
                write!(f, "pod UID ({actual}) does not match service account pod ref claim ({claim})")
            }
            ReviewError::SecretUid { actual, claim } => {
                write!(f, "secret UID ({actual}) does not match service account secret ref claim ({claim})")
            }
            ReviewError::NodeUid { actual, claim } => {
                write!(f, "node UID ({actual}) does not match service account node ref claim ({claim})")
            }
            ReviewError::NodeBindingValidationDisabled => f.write_str(
                "token is bound to a Node object but the ServiceAccountTokenNodeBindingValidation feature gate is disabled",
            ),
        }
    }
}

impl ReviewError {
    /// A plain-language account of the error for people exploring, beyond the upstream text.
    pub fn explanation(&self) -> String {
        match self {
            ReviewError::Invalidated { object, why } => format!("bound {object} {why}"),
            ReviewError::Expired => "past exp plus the 60 s leeway".into(),
            ReviewError::NoKeysFound => "no key in the JWKS has the token's kid".into(),
            ReviewError::PodUid { .. } => {
                "the pod was deleted and recreated with the same name".into()
            }
            ReviewError::ServiceAccountUid { .. } => {
                "the service account was deleted and recreated with the same name".into()
            }
            other => other.to_string(),
        }
    }
}

impl Rejection {
    /// `TokenReview.status.error`: the API server's loopback authenticator always contributes
    /// `invalid bearer token` first; errors are flattened and de-duplicated.
    pub fn status_error(&self) -> String {
        match self {
            Rejection::NotRecognised => "invalid bearer token".into(),
            Rejection::Invalid(e) => format!("[invalid bearer token, {e}]"),
        }
    }
}

/// What authentication reads: the cluster's objects, keys, settings and the time.
pub struct ReviewContext<'a> {
    pub store: &'a Store,
    pub keys: &'a KeyRing,
    pub settings: &'a ClusterSettings,
    pub now: SimTime,
}

impl ReviewContext<'_> {
    /// Authenticates a token string against the requested audiences (empty: API audiences).
    pub fn authenticate(
        &self,
        token: &str,
        requested: &[String],
    ) -> Result<Authenticated, Rejection> {
        // Bearer tokens are taken verbatim after "Bearer "; a JWS with surrounding whitespace
        // does not parse, as with the real authenticator.
        let Some(iss) = jwt::unverified_issuer(token) else {
            return Err(Rejection::NotRecognised);
        };
        if !self.settings.issuers.contains(&iss) {
            return Err(Rejection::NotRecognised);
        }
        let parsed = jwt::parse(token).map_err(|_| Rejection::NotRecognised)?;
        self.verify_signature(&parsed).map_err(Rejection::Invalid)?;
        let claims = ParsedClaims::from_json(&parsed.payload).ok_or(Rejection::NotRecognised)?;
        self.validate_claims(&claims, requested)
            .map_err(Rejection::Invalid)
    }

    /// Key selection by kid, then the signature (`AuthenticateToken`).
    pub fn verify_signature(&self, jwt: &UnverifiedJwt) -> Result<(), ReviewError> {
        let mut keys = self.keys.verifying_keys_for(jwt.kid()).peekable();
        if keys.peek().is_none() {
            return Err(ReviewError::NoKeysFound);
        }
        let alg_ok = jwt.alg() == "RS256";
        if keys.any(|k| alg_ok && k.verify(&jwt.signing_input, &jwt.signature_b64)) {
            Ok(())
        } else {
            Err(ReviewError::BadSignature {
                go_jose_prefix: self.go_jose_prefix(),
            })
        }
    }

    /// 1.33 switched from square/go-jose to go-jose/go-jose, which changed the error prefix.
    fn go_jose_prefix(&self) -> &'static str {
        if self.settings.kubernetes_minor().unwrap_or(33) >= 33 {
            "go-jose/go-jose"
        } else {
            "square/go-jose"
        }
    }

    /// Everything after the signature: issuer, audiences, times, bound objects, then the user
    /// the token authenticates as.
    pub fn validate_claims(
        &self,
        c: &ParsedClaims,
        requested: &[String],
    ) -> Result<Authenticated, ReviewError> {
        let view = c.view();
        self.check_claims(&view, requested)?;
        let implicit = self.settings.api_audiences();
        let token_auds: &[String] = if view.aud.is_empty() {
            implicit
        } else {
            view.aud
        };
        let requested: &[String] = if requested.is_empty() {
            implicit
        } else {
            requested
        };
        let audiences = token_auds
            .iter()
            .filter(|a| requested.contains(a))
            .cloned()
            .collect();
        let stale_seconds = c
            .warnafter
            .map(|w| unix_seconds(self.now) - w)
            .filter(|s| *s > 0);
        Ok(Authenticated {
            user: self.user_info(&view),
            audiences,
            stale_seconds,
        })
    }

    /// The checks of `validate_claims`, in upstream order and without building anything:
    /// issuer, audience intersection, then the bound-token validator. The token ledger derives
    /// each token's status through this same function.
    pub fn check_claims(&self, c: &ClaimsView, requested: &[String]) -> Result<(), ReviewError> {
        if !self.settings.issuers.iter().any(|i| i == c.iss) {
            return Err(ReviewError::WrongIssuer(c.iss.to_string()));
        }
        let implicit = self.settings.api_audiences();
        let token_auds: &[String] = if c.aud.is_empty() { implicit } else { c.aud };
        let requested: &[String] = if requested.is_empty() {
            implicit
        } else {
            requested
        };
        if !token_auds.iter().any(|a| requested.contains(a)) && !implicit.is_empty() {
            return Err(ReviewError::Audience {
                token: token_auds.to_vec(),
                requested: requested.to_vec(),
            });
        }
        self.check_bound(c)
    }

    /// The bound-token validator (`validator.Validate`), in upstream order.
    fn check_bound(&self, c: &ClaimsView) -> Result<(), ReviewError> {
        let now = unix_seconds(self.now);
        // go-jose `ValidateWithLeeway`: nbf, then exp, then iat.
        if c.nbf.is_some_and(|nbf| now + LEEWAY_SECONDS < nbf) {
            return Err(ReviewError::NotValidYet);
        }
        if c.exp.is_some_and(|exp| now - LEEWAY_SECONDS > exp) {
            return Err(ReviewError::Expired);
        }
        if c.iat.is_some_and(|iat| now + LEEWAY_SECONDS < iat) {
            return Err(ReviewError::IssuedInFuture);
        }
        let invalid_if_deleted_before = self.now - chrono::TimeDelta::seconds(LEEWAY_SECONDS);
        let deleted_long_ago =
            |ts: Option<SimTime>| ts.is_some_and(|t| t < invalid_if_deleted_before);
        let ns = c.namespace;
        let (sa_name, sa_uid) = c
            .service_account
            .map_or(("", ""), |r| (r.name.as_str(), r.uid.as_str()));
        let sa = self
            .store
            .service_accounts
            .get(ns, sa_name)
            .ok_or_else(|| {
                ReviewError::ServiceAccountLookup(format!("serviceaccounts {sa_name:?} not found"))
            })?;
        if sa.metadata.uid != sa_uid {
            return Err(ReviewError::ServiceAccountUid {
                actual: sa.metadata.uid.clone(),
                claim: sa_uid.into(),
            });
        }
        if deleted_long_ago(sa.metadata.deletion_timestamp) {
            return Err(ReviewError::ServiceAccountDeleted {
                namespace: ns.into(),
                name: sa_name.into(),
            });
        }
        let gone = |object: &'static str, name: &str, what: &str| ReviewError::Invalidated {
            object,
            why: if object == "node" {
                format!("{name} {what}")
            } else {
                format!("{ns}/{name} {what}")
            },
        };
        if let Some(secref) = c.secret {
            let secret = self
                .store
                .secrets
                .get(ns, &secref.name)
                .ok_or_else(|| gone("secret", &secref.name, "not found"))?;
            if secret.metadata.uid != secref.uid {
                return Err(ReviewError::SecretUid {
                    actual: secret.metadata.uid.clone(),
                    claim: secref.uid.clone(),
                });
            }
            if deleted_long_ago(secret.metadata.deletion_timestamp) {
                return Err(gone("secret", &secref.name, "deleted"));
            }
        }
        if let Some(podref) = c.pod {
            let pod = self
                .store
                .pods
                .get(ns, &podref.name)
                .ok_or_else(|| gone("pod", &podref.name, "not found"))?;
            if pod.metadata.uid != podref.uid {
                return Err(ReviewError::PodUid {
                    actual: pod.metadata.uid.clone(),
                    claim: podref.uid.clone(),
                });
            }
            if deleted_long_ago(pod.metadata.deletion_timestamp) {
                return Err(gone("pod", &podref.name, "deleted"));
            }
        }
        // A node named beside a pod is only reported, never checked.
        if let (Some(noderef), None) = (c.node, c.pod) {
            if !self.settings.feature_gates().node_binding_validation {
                return Err(ReviewError::NodeBindingValidationDisabled);
            }
            let node = self
                .store
                .nodes
                .get(&noderef.name)
                .ok_or_else(|| gone("node", &noderef.name, "not found"))?;
            if node.metadata.uid != noderef.uid {
                return Err(ReviewError::NodeUid {
                    actual: node.metadata.uid.clone(),
                    claim: noderef.uid.clone(),
                });
            }
            if deleted_long_ago(node.metadata.deletion_timestamp) {
                return Err(gone("node", &noderef.name, "deleted"));
            }
        }
        Ok(())
    }

    /// `ServiceAccountInfo.UserInfo()` plus the authenticated group.
    fn user_info(&self, c: &ClaimsView) -> UserInfo {
        let mut extra = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            drop(extra.insert(format!("authentication.kubernetes.io/{k}"), vec![v]))
        };
        if let Some(p) = c.pod.filter(|p| !p.name.is_empty() && !p.uid.is_empty()) {
            put("pod-name", p.name.clone());
            put("pod-uid", p.uid.clone());
        }
        if let Some(n) = c.node
            && (c.pod.is_none() || self.settings.feature_gates().pod_node_info)
        {
            put("node-name", n.name.clone());
            if !n.uid.is_empty() {
                put("node-uid", n.uid.clone());
            }
        }
        if let Some(jti) = c.jti.filter(|j| !j.is_empty()) {
            put("credential-id", format!("JTI={jti}"));
        }
        let (name, uid) = c
            .service_account
            .map_or(("", ""), |r| (r.name.as_str(), r.uid.as_str()));
        UserInfo {
            username: sa_username(c.namespace, name),
            uid: uid.to_string(),
            groups: vec![
                "system:serviceaccounts".into(),
                format!("system:serviceaccounts:{}", c.namespace),
                "system:authenticated".into(),
            ],
            extra,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_error_quotes_like_go() {
        let e = ReviewError::Audience {
            token: vec!["coffre".into()],
            requested: vec!["https://kubernetes.default.svc.cluster.local".into()],
        };
        assert_eq!(
            Rejection::Invalid(e).status_error(),
            "[invalid bearer token, token audiences [\"coffre\"] is invalid for the target audiences [\"https://kubernetes.default.svc.cluster.local\"]]"
        );
        assert_eq!(
            Rejection::NotRecognised.status_error(),
            "invalid bearer token"
        );
    }
}

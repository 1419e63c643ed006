//! The commands that change the simulated cluster, and what they return.

use serde::{Deserialize, Serialize};

use super::clock::{SimDuration, SimTime};
use super::objects::{Kind, Object};
use super::tokens::request::TokenRequestSpec;
use super::tokens::review::{Authenticated, Rejection, UserInfo};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Create the object, or update it if it exists (`kubectl apply`).
    Apply(Object),
    /// Create the object; fail if it exists (`kubectl create`).
    Create(Object),
    /// Delete an object. Pods terminate gracefully over `grace_period_seconds` (their
    /// `terminationGracePeriodSeconds` when `None`); 0 removes them at once.
    Delete {
        kind: Kind,
        namespace: String,
        name: String,
        grace_period_seconds: Option<i64>,
    },
    /// `POST …/serviceaccounts/{name}/token`.
    CreateToken {
        namespace: String,
        service_account: String,
        spec: TokenRequestSpec,
    },
    /// `POST /apis/authentication.k8s.io/v1/tokenreviews`.
    ReviewToken {
        token: String,
        audiences: Vec<String>,
    },
    /// Make `issuer` the signing issuer. The previous one stays accepted: for `keep_previous`
    /// if given, else until removed (Kubernetes) or for 24 h (OpenShift, after the rollout).
    SetIssuer {
        issuer: String,
        keep_previous: Option<SimDuration>,
    },
    /// Stop accepting an issuer that is not the signing one.
    RemoveIssuer { issuer: String },
    /// Add a new signing key; the previous one keeps verifying.
    RotateSigningKey,
    /// Remove a verify-only key from the JWKS: tokens it signed stop verifying.
    RetireKey { kid: String },
    /// Delete and recreate every pod (of one namespace, or all), as a restart does.
    RestartPods { namespace: Option<String> },
    /// Restart the nodes one at a time, recreating the pods on each.
    RestartNodes,
    /// `oc secrets link`: list secrets in a service account's `secrets` and/or `imagePullSecrets`.
    LinkSecrets {
        namespace: String,
        service_account: String,
        secrets: Vec<String>,
        mount: bool,
        pull: bool,
    },
}

/// How an apply changed an object (kubectl's `created` / `configured` / `unchanged`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Created,
    Configured,
    Unchanged,
}

impl Change {
    pub fn verb(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Configured => "configured",
            Change::Unchanged => "unchanged",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Applied {
        kind: Kind,
        namespace: String,
        name: String,
        change: Change,
    },
    /// `terminating` is true when a pod was given a grace period and still exists.
    Deleted {
        kind: Kind,
        namespace: String,
        name: String,
        terminating: bool,
    },
    Token(Box<TokenResponse>),
    Review(Box<TokenReview>),
    /// Other changes, described in lines for people.
    Changed(Vec<String>),
}

/// The TokenRequest response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenResponse {
    pub token_id: u64,
    pub token: String,
    pub expiration_timestamp: SimTime,
    pub warnings: Vec<String>,
    pub namespace: String,
    pub service_account: String,
    /// The spec after defaulting and clamping, as the response echoes it.
    pub spec: TokenRequestSpec,
}

/// `authentication.k8s.io/v1` TokenReview, request and response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenReviewSpec {
    pub token: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenReviewStatus {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub authenticated: bool,
    /// A struct, so `{}` when nobody was authenticated.
    pub user: UserInfo,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenReview {
    pub spec: TokenReviewSpec,
    pub status: TokenReviewStatus,
    /// The verdict behind the status, for explanations.
    pub verdict: Result<Authenticated, Rejection>,
    /// The ledger entry of the reviewed token, when this cluster issued it.
    pub token_id: Option<u64>,
    /// Warning headers the API server sent (`Warning: …` in kubectl).
    pub warnings: Vec<String>,
}

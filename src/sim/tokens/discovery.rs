//! Service-account issuer discovery (`pkg/serviceaccount/openidmetadata.go`): the OpenID
//! configuration document and the JWKS, serialized in go-jose's field order.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use super::keys::KeyRing;
use crate::sim::settings::ClusterSettings;

/// One JWK as go-jose marshals it: `use`, `kty`, `kid`, `alg`, `n`, `e`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Jwk {
    #[serde(rename = "use")]
    pub key_use: &'static str,
    pub kty: &'static str,
    pub kid: String,
    pub alg: &'static str,
    pub n: String,
    pub e: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

/// `/.well-known/openid-configuration`, fields in upstream order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpenIdConfiguration {
    pub issuer: String,
    pub jwks_uri: String,
    pub response_types_supported: Vec<&'static str>,
    pub subject_types_supported: Vec<&'static str>,
    pub id_token_signing_alg_values_supported: Vec<&'static str>,
}

/// The public keys that verify tokens (retired keys are gone from the set).
pub fn jwks(keys: &KeyRing) -> Jwks {
    Jwks {
        keys: keys
            .all()
            .iter()
            .filter(|k| k.verifies())
            .map(|k| Jwk {
                key_use: "sig",
                kty: "RSA",
                kid: k.kid.clone(),
                alg: "RS256",
                n: URL_SAFE_NO_PAD.encode(&k.n),
                e: URL_SAFE_NO_PAD.encode(&k.e),
            })
            .collect(),
    }
}

pub fn openid_configuration(settings: &ClusterSettings) -> OpenIdConfiguration {
    OpenIdConfiguration {
        issuer: settings.signing_issuer().to_string(),
        jwks_uri: settings.jwks_uri(),
        response_types_supported: vec!["id_token"],
        subject_types_supported: vec!["public"],
        // The sorted, de-duplicated algorithms of the keys: kidex keys are all RSA.
        id_token_signing_alg_values_supported: vec!["RS256"],
    }
}

/// Why the discovery endpoints are not served: the issuer must be an https URL with no query
/// or fragment.
pub fn discovery_unavailable(settings: &ClusterSettings) -> Option<String> {
    let iss = settings.signing_issuer();
    if !iss.starts_with("https://") {
        return Some(format!("issuer URL must use https scheme, got: {iss}"));
    }
    if iss.contains('?') {
        return Some(format!("issuer URL must not have a query, got: {iss}"));
    }
    if iss.contains('#') {
        return Some(format!("issuer URL must not have a fragment, got: {iss}"));
    }
    None
}

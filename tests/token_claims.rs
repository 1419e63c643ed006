//! The header and claims of issued tokens, field by field (spec §1.1, §1.2, §2.4).

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use kidex::sim::clock::unix_seconds;
use kidex::sim::tokens::ledger::Holder;
use kidex::sim::tokens::request::{BoundObjectReference, TokenRequestSpec};
use rsa::BigUint;
use rsa::pkcs8::EncodePublicKey;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn raw_segment(token: &str, i: usize) -> String {
    let part = token.split('.').nth(i).unwrap();
    String::from_utf8(URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// Keys appear in the payload in sorted order, as go-jose writes them.
fn assert_sorted_keys(raw: &str, keys: &[&str]) {
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| {
            raw.find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} in {raw}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "keys out of order in {raw}"
    );
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
}

#[test]
fn create_token_header_and_claims() {
    let mut sim = demo();
    let now = unix_seconds(sim.now());
    let t = create_token(
        &mut sim,
        "default",
        "build-robot",
        TokenRequestSpec {
            audiences: vec!["vault".into()],
            expiration_seconds: Some(7200),
            bound_object_ref: None,
        },
    );
    let kid = sim.keys().signing().kid.clone();
    assert_eq!(
        raw_segment(&t.token, 0),
        format!("{{\"alg\":\"RS256\",\"kid\":\"{kid}\"}}")
    );
    let raw = raw_segment(&t.token, 1);
    assert_sorted_keys(
        &raw,
        &[
            "aud",
            "exp",
            "iat",
            "iss",
            "jti",
            "kubernetes.io",
            "nbf",
            "sub",
        ],
    );
    let p: Value = serde_json::from_str(&raw).unwrap();
    let sa_uid = sim.store().service_accounts[("default", "build-robot")]
        .metadata
        .uid
        .clone();
    assert_eq!(p["aud"], json!(["vault"]), "aud is always an array");
    assert_eq!(p["iat"], json!(now));
    assert_eq!(p["nbf"], json!(now));
    assert_eq!(p["exp"], json!(now + 7200));
    assert_eq!(
        p["iss"],
        json!("https://kubernetes.default.svc.cluster.local")
    );
    assert_eq!(p["sub"], json!("system:serviceaccount:default:build-robot"));
    assert!(is_uuid_v4(p["jti"].as_str().unwrap()));
    assert_eq!(
        p["kubernetes.io"],
        json!({"namespace": "default", "serviceaccount": {"name": "build-robot", "uid": sa_uid}})
    );
    assert_eq!(p.as_object().unwrap().len(), 8);
    // The response's expirationTimestamp is now + the requested seconds.
    assert_eq!(unix_seconds(t.expiration_timestamp), now + 7200);
}

#[test]
fn default_audience_and_expiration() {
    let mut sim = demo();
    let now = unix_seconds(sim.now());
    let t = create_token(
        &mut sim,
        "default",
        "build-robot",
        TokenRequestSpec::default(),
    );
    let p = segment(&t.token, 1);
    assert_eq!(
        p["aud"],
        json!(["https://kubernetes.default.svc.cluster.local"])
    );
    assert_eq!(p["exp"], json!(now + 3600));
}

#[test]
fn kid_is_the_sha256_of_the_pkix_key_from_the_jwks() {
    let sim = demo();
    let jwks: Value = serde_json::to_value(sim.jwks()).unwrap();
    let key = &jwks["keys"][0];
    let served = kidex::cli::token::jwks_json(&sim);
    assert!(
        served.starts_with("{\"keys\":[{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":"),
        "go-jose field order: {served}"
    );
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["alg"], "RS256");
    assert_eq!(key["e"], "AQAB");
    let n = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap());
    let e = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap());
    let public = rsa::RsaPublicKey::new(n, e).unwrap();
    let der = public.to_public_key_der().unwrap();
    let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(der.as_bytes()));
    assert_eq!(kid.len(), 43);
    assert_eq!(key["kid"], json!(kid));
    assert_eq!(sim.keys().signing().kid, kid);
}

fn projected(sim: &kidex::sim::Simulator, volume: &str) -> (String, Value) {
    let r = sim
        .ledger()
        .iter()
        .find(|r| matches!(&*r.holder, Holder::Projected { volume: v, .. } if &**v == volume))
        .expect("projected token in ledger")
        .clone();
    let jws = sim.token_jws(&r).unwrap().to_string();
    let p = segment(&jws, 1);
    (jws, p)
}

#[test]
fn projected_vault_token_is_bound_to_pod_and_node() {
    let sim = demo();
    let now = unix_seconds(sim.now());
    let (jws, p) = projected(&sim, "vault-token");
    assert_eq!(
        raw_segment(&jws, 0),
        format!(
            "{{\"alg\":\"RS256\",\"kid\":\"{}\"}}",
            sim.keys().signing().kid
        )
    );
    let pod = &sim.store().pods[("test", "nginx")];
    let sa = &sim.store().service_accounts[("test", "nginx")];
    let node = &sim.store().nodes["kidex-worker"];
    assert_eq!(p["aud"], json!(["vault"]));
    assert_eq!(
        p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(),
        7200
    );
    assert_eq!(p["iat"], json!(now));
    assert_eq!(
        p["kubernetes.io"],
        json!({
            "namespace": "test",
            "node": {"name": "kidex-worker", "uid": node.metadata.uid},
            "pod": {"name": "nginx", "uid": pod.metadata.uid},
            "serviceaccount": {"name": "nginx", "uid": sa.metadata.uid},
        })
    );
    assert_sorted_keys(
        &raw_segment(&jws, 1),
        &[
            "aud",
            "exp",
            "iat",
            "iss",
            "jti",
            "kubernetes.io",
            "nbf",
            "sub",
        ],
    );
}

#[test]
fn automounted_api_token_is_extended_to_a_year_with_warnafter() {
    let sim = demo();
    let (_, p) = projected(&sim, "kube-api-access-7xq2k");
    let iat = p["iat"].as_i64().unwrap();
    assert_eq!(
        p["aud"],
        json!(["https://kubernetes.default.svc.cluster.local"])
    );
    assert_eq!(p["exp"].as_i64().unwrap() - iat, 31_536_000);
    assert_eq!(
        p["kubernetes.io"]["warnafter"].as_i64().unwrap() - iat,
        3607
    );
}

#[test]
fn pod_bound_token_from_the_cli_carries_pod_and_node() {
    let mut sim = demo();
    let t = create_token(
        &mut sim,
        "test",
        "nginx",
        TokenRequestSpec {
            audiences: vec![],
            expiration_seconds: None,
            bound_object_ref: Some(BoundObjectReference {
                kind: "Pod".into(),
                api_version: "v1".into(),
                name: "nginx".into(),
                uid: String::new(),
            }),
        },
    );
    let p = segment(&t.token, 1);
    assert_eq!(p["kubernetes.io"]["pod"]["name"], "nginx");
    assert_eq!(p["kubernetes.io"]["node"]["name"], "kidex-worker");
    assert!(
        p["kubernetes.io"].get("warnafter").is_none(),
        "only 3607 s requests are extended"
    );
    assert_eq!(
        p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(),
        3600
    );
}

#[test]
fn signatures_verify_with_jsonwebtoken_against_the_jwks() {
    let mut sim = demo();
    let t = create_token(
        &mut sim,
        "default",
        "build-robot",
        TokenRequestSpec::default(),
    );
    let jwks: jsonwebtoken::jwk::JwkSet =
        serde_json::from_value(serde_json::to_value(sim.jwks()).unwrap()).unwrap();
    let jwk = jwks.find(&sim.keys().signing().kid).expect("kid in jwks");
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.set_audience(&["https://kubernetes.default.svc.cluster.local"]);
    v.validate_exp = false; // the simulated clock is not the wall clock
    let data = jsonwebtoken::decode::<Value>(&t.token, &key, &v).expect("valid RS256 signature");
    assert_eq!(
        data.claims["sub"],
        "system:serviceaccount:default:build-robot"
    );
}

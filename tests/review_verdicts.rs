//! TokenReview verdicts with the upstream strings (spec §5).

mod common;

use common::*;
use kidex::sim::Simulator;
use kidex::sim::clock::SimDuration;
use kidex::sim::command::Command;
use kidex::sim::objects::{Kind, Object};
use kidex::sim::tokens::ledger::Holder;
use kidex::sim::tokens::request::{BoundObjectReference, TokenRequestSpec};
use serde_json::json;

fn vault_token(sim: &mut Simulator) -> String {
    create_token(
        sim,
        "default",
        "build-robot",
        TokenRequestSpec {
            audiences: vec!["vault".into()],
            expiration_seconds: Some(7200),
            bound_object_ref: None,
        },
    )
    .token
}

fn pod_token(sim: &Simulator) -> String {
    let r = sim
        .ledger()
        .iter()
        .find(|r| matches!(&*r.holder, Holder::Projected { volume, .. } if &**volume == "vault-token"))
        .unwrap()
        .clone();
    sim.token_jws(&r).unwrap().to_string()
}

fn delete(sim: &mut Simulator, kind: Kind, ns: &str, name: &str) {
    sim.execute(Command::Delete {
        kind,
        namespace: ns.into(),
        name: name.into(),
        grace_period_seconds: Some(0),
    })
    .unwrap();
}

#[test]
fn valid_token_gives_user_info() {
    let mut sim = demo();
    let token = pod_token(&sim);
    let r = review(&mut sim, &token, &["vault"]);
    assert!(r.status.authenticated);
    assert_eq!(r.status.audiences, vec!["vault"]);
    let user = serde_json::to_value(&r.status.user).unwrap();
    let pod_uid = sim.store().pods[("test", "nginx")].metadata.uid.clone();
    let node_uid = sim.store().nodes["kidex-worker"].metadata.uid.clone();
    let jti = segment(&token, 1)["jti"].as_str().unwrap().to_string();
    assert_eq!(user["username"], "system:serviceaccount:test:nginx");
    assert_eq!(
        user["groups"],
        json!([
            "system:serviceaccounts",
            "system:serviceaccounts:test",
            "system:authenticated"
        ])
    );
    assert_eq!(
        user["extra"],
        json!({
            "authentication.kubernetes.io/credential-id": [format!("JTI={jti}")],
            "authentication.kubernetes.io/node-name": ["kidex-worker"],
            "authentication.kubernetes.io/node-uid": [node_uid],
            "authentication.kubernetes.io/pod-name": ["nginx"],
            "authentication.kubernetes.io/pod-uid": [pod_uid],
        })
    );
    assert_eq!(r.status.error, None);
}

#[test]
fn wrong_audience() {
    let mut sim = demo();
    let token = vault_token(&mut sim);
    assert_eq!(
        review_error(&mut sim, &token, &[]).unwrap(),
        "[invalid bearer token, token audiences [\"vault\"] is invalid for the target audiences [\"https://kubernetes.default.svc.cluster.local\"]]"
    );
    assert_eq!(
        review_error(&mut sim, &token, &["coffre", "other"]).unwrap(),
        "[invalid bearer token, token audiences [\"vault\"] is invalid for the target audiences [\"coffre\" \"other\"]]"
    );
}

#[test]
fn expired_after_the_60s_leeway_only() {
    let mut sim = demo();
    let token = vault_token(&mut sim);
    sim.advance(SimDuration::seconds(7200 + 60));
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]),
        None,
        "accepted within the leeway"
    );
    sim.advance(SimDuration::seconds(1));
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]).unwrap(),
        "[invalid bearer token, service account token has expired]"
    );
}

#[test]
fn pod_deleted() {
    let mut sim = demo();
    let token = pod_token(&sim);
    delete(&mut sim, Kind::Pod, "test", "nginx");
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]).unwrap(),
        "[invalid bearer token, service account token has been invalidated]"
    );
}

#[test]
fn terminating_pod_tokens_stay_valid_until_the_pod_is_gone() {
    let mut sim = demo();
    let token = pod_token(&sim);
    sim.execute(Command::Delete {
        kind: Kind::Pod,
        namespace: "test".into(),
        name: "nginx".into(),
        grace_period_seconds: None,
    })
    .unwrap();
    assert_eq!(review_error(&mut sim, &token, &["vault"]), None);
    sim.advance(SimDuration::seconds(30));
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]).unwrap(),
        "[invalid bearer token, service account token has been invalidated]"
    );
}

#[test]
fn pod_recreated_with_the_same_name() {
    let mut sim = demo();
    let token = pod_token(&sim);
    let old_uid = sim.store().pods[("test", "nginx")].metadata.uid.clone();
    delete(&mut sim, Kind::Pod, "test", "nginx");
    let pod = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"nginx","namespace":"test"},
        "spec":{"serviceAccountName":"nginx","containers":[{"name":"nginx","image":"nginx:1.27"}]}});
    sim.execute(Command::Apply(Object::from_value(pod).unwrap()))
        .unwrap();
    let new_uid = sim.store().pods[("test", "nginx")].metadata.uid.clone();
    assert_ne!(old_uid, new_uid);
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]).unwrap(),
        format!(
            "[invalid bearer token, pod UID ({new_uid}) does not match service account pod ref claim ({old_uid})]"
        )
    );
}

#[test]
fn service_account_deleted() {
    let mut sim = demo();
    let token = vault_token(&mut sim);
    delete(&mut sim, Kind::ServiceAccount, "default", "build-robot");
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]).unwrap(),
        "[invalid bearer token, serviceaccounts \"build-robot\" not found]"
    );
}

#[test]
fn service_account_recreated() {
    let mut sim = demo();
    let token = vault_token(&mut sim);
    let old = sim.store().service_accounts[("default", "build-robot")]
        .metadata
        .uid
        .clone();
    delete(&mut sim, Kind::ServiceAccount, "default", "build-robot");
    let sa = json!({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"build-robot","namespace":"default"}});
    sim.execute(Command::Apply(Object::from_value(sa).unwrap()))
        .unwrap();
    let new = sim.store().service_accounts[("default", "build-robot")]
        .metadata
        .uid
        .clone();
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]).unwrap(),
        format!("[invalid bearer token, service account UID ({new}) does not match claim ({old})]")
    );
}

#[test]
fn token_from_an_unknown_key() {
    let mut sim = demo();
    // The same cluster with a different signing key (none given: one is generated from the seed).
    let mut foreign = Simulator::restore(kidex::sim::Snapshot {
        keys: vec![],
        ..sim.snapshot()
    })
    .unwrap();
    let token = vault_token(&mut foreign);
    assert_ne!(foreign.keys().signing().kid, sim.keys().signing().kid);
    let kid = foreign.keys().signing().kid.clone();
    assert!(!kid.is_empty());
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]).unwrap(),
        "[invalid bearer token, invalid signature, no keys found]"
    );
}

#[test]
fn tampered_token_fails_the_signature() {
    let mut sim = demo();
    let token = vault_token(&mut sim);
    let parts: Vec<&str> = token.split('.').collect();
    use base64::Engine;
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut payload = segment(&token, 1);
    payload["sub"] = json!("system:serviceaccount:kube-system:default");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        e.encode(serde_json::to_vec(&payload).unwrap()),
        parts[2]
    );
    assert_eq!(
        review_error(&mut sim, &forged, &["vault"]).unwrap(),
        "[invalid bearer token, go-jose/go-jose: error in cryptographic primitive]"
    );
}

#[test]
fn malformed_tokens_are_not_recognised() {
    let mut sim = demo();
    for bad in [
        "abc",
        "a.b.c",
        "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2V2aWwifQ.x",
    ] {
        let r = review(&mut sim, bad, &[]);
        assert!(!r.status.authenticated);
        assert_eq!(
            r.status.error.as_deref(),
            Some("invalid bearer token"),
            "{bad}"
        );
        assert_eq!(serde_json::to_value(&r.status.user).unwrap(), json!({}));
    }
    let err = sim
        .execute(Command::ReviewToken {
            token: String::new(),
            audiences: vec![],
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "token is required for TokenReview in authentication"
    );
}

#[test]
fn secret_bound_token_dies_with_its_secret() {
    let mut sim = demo();
    let secret = json!({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"},"stringData":{"a":"b"}});
    sim.execute(Command::Apply(Object::from_value(secret).unwrap()))
        .unwrap();
    let t = create_token(
        &mut sim,
        "default",
        "build-robot",
        TokenRequestSpec {
            audiences: vec![],
            expiration_seconds: None,
            bound_object_ref: Some(BoundObjectReference {
                kind: "Secret".into(),
                api_version: "v1".into(),
                name: "s".into(),
                uid: String::new(),
            }),
        },
    );
    assert_eq!(review_error(&mut sim, &t.token, &[]), None);
    delete(&mut sim, Kind::Secret, "default", "s");
    assert_eq!(
        review_error(&mut sim, &t.token, &[]).unwrap(),
        "[invalid bearer token, service account token has been invalidated]"
    );
}

#[test]
fn ledger_status_agrees_with_review() {
    let mut sim = demo();
    let token = pod_token(&sim);
    delete(&mut sim, Kind::Pod, "test", "nginx");
    let r = sim
        .ledger()
        .iter()
        .find(|r| matches!(&*r.holder, Holder::Projected { volume, .. } if &**volume == "vault-token"))
        .unwrap();
    assert_eq!(sim.token_status(r).label(), "revoked");
    assert!(review_error(&mut sim, &token, &["vault"]).is_some());
}

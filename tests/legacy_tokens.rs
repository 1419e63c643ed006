//! Legacy secret-based tokens (spec §1.3, §5.3 C, §7): the token controller, validation,
//! last-used tracking, auto-generation before 1.24, and the cleaner.

mod common;

use common::*;
use kidex::sim::Simulator;
use kidex::sim::clock::SimDuration;
use kidex::sim::command::Command;
use kidex::sim::objects::{Kind, Object};
use serde_json::{Value, json};

fn with(replacements: &[(&str, &str)]) -> Simulator {
    let mut yaml = kidex::state::demo::DEFAULT_YAML.to_string();
    for (from, to) in replacements {
        assert!(yaml.contains(from), "{from}");
        yaml = yaml.replacen(from, to, 1);
    }
    kidex::state::open_str(&yaml, "test.yaml", None).unwrap()
}

fn apply(sim: &mut Simulator, v: Value) {
    sim.execute(Command::Apply(Object::from_value(v).unwrap()))
        .unwrap();
}

fn token_secret(name: &str, sa: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
        "metadata": {"name": name, "namespace": "default", "annotations": {"kubernetes.io/service-account.name": sa}}})
}

fn secret_token(sim: &Simulator, name: &str) -> String {
    let s = sim.store().secrets.get("default", name).expect("secret");
    String::from_utf8(s.data["token"].clone()).unwrap()
}

fn delete(sim: &mut Simulator, kind: Kind, name: &str) {
    sim.execute(Command::Delete {
        kind,
        namespace: "default".into(),
        name: name.into(),
        grace_period_seconds: None,
    })
    .unwrap();
}

#[test]
fn the_token_controller_fills_a_manual_token_secret() {
    let mut sim = demo();
    apply(&mut sim, token_secret("build-robot-secret", "build-robot"));
    let s = sim
        .store()
        .secrets
        .get("default", "build-robot-secret")
        .unwrap();
    let sa_uid = &sim.store().service_accounts[("default", "build-robot")]
        .metadata
        .uid;
    assert_eq!(
        s.metadata.annotations["kubernetes.io/service-account.uid"],
        *sa_uid
    );
    assert_eq!(s.data["namespace"], b"default");
    assert!(String::from_utf8_lossy(&s.data["ca.crt"]).starts_with("-----BEGIN CERTIFICATE-----"));
    let token = secret_token(&sim, "build-robot-secret");
    assert_eq!(
        segment(&token, 1),
        json!({"iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": "default",
            "kubernetes.io/serviceaccount/secret.name": "build-robot-secret",
            "kubernetes.io/serviceaccount/service-account.name": "build-robot",
            "kubernetes.io/serviceaccount/service-account.uid": sa_uid,
            "sub": "system:serviceaccount:default:build-robot"})
    );
    // Manually created token secrets are not listed in the service account.
    assert!(
        sim.store().service_accounts[("default", "build-robot")]
            .secrets
            .is_empty()
    );
}

#[test]
fn legacy_tokens_never_expire_and_track_their_last_use() {
    let mut sim = demo();
    apply(&mut sim, token_secret("build-robot-secret", "build-robot"));
    let token = secret_token(&sim, "build-robot-secret");
    let r = review(&mut sim, &token, &[]);
    assert!(r.status.authenticated);
    assert!(r.warnings.is_empty(), "manual secrets earn no warning");
    assert_eq!(
        r.status.user.username,
        "system:serviceaccount:default:build-robot"
    );
    sim.advance(SimDuration::days(400));
    assert_eq!(
        review_error(&mut sim, &token, &[]),
        None,
        "still valid a year later"
    );
    let s = sim
        .store()
        .secrets
        .get("default", "build-robot-secret")
        .unwrap();
    assert_eq!(
        s.metadata.labels["kubernetes.io/legacy-token-last-used"],
        "2027-12-28"
    );
    // Legacy tokens carry no audience: the API audiences are implied.
    assert_eq!(
        review_error(&mut sim, &token, &["vault"]).unwrap(),
        "[invalid bearer token, token audiences [\"https://kubernetes.default.svc.cluster.local\"] is invalid for the target audiences [\"vault\"]]"
    );
}

#[test]
fn deleting_the_secret_invalidates_the_token() {
    let mut sim = demo();
    apply(&mut sim, token_secret("build-robot-secret", "build-robot"));
    let token = secret_token(&sim, "build-robot-secret");
    delete(&mut sim, Kind::Secret, "build-robot-secret");
    assert_eq!(
        review_error(&mut sim, &token, &[]).unwrap(),
        "[invalid bearer token, Token has been invalidated]"
    );
}

#[test]
fn deleting_the_service_account_deletes_its_token_secrets() {
    let mut sim = demo();
    apply(&mut sim, token_secret("build-robot-secret", "build-robot"));
    let token = secret_token(&sim, "build-robot-secret");
    delete(&mut sim, Kind::ServiceAccount, "build-robot");
    assert!(
        sim.store()
            .secrets
            .get("default", "build-robot-secret")
            .is_none()
    );
    assert_eq!(
        review_error(&mut sim, &token, &[]).unwrap(),
        "[invalid bearer token, Token has been invalidated]"
    );
}

#[test]
fn a_token_secret_for_a_missing_service_account_is_deleted() {
    let mut sim = demo();
    apply(&mut sim, token_secret("ghost-secret", "ghost"));
    assert!(sim.store().secrets.get("default", "ghost-secret").is_none());
    let err = sim
        .execute(Command::Apply(
            Object::from_value(json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                "metadata": {"name": "x", "namespace": "default"}}))
            .unwrap(),
        ))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Secret \"x\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value"
    );
}

#[test]
fn clusters_before_1_24_make_a_token_secret_per_service_account() {
    let mut sim = with(&[("version: \"1.33\"", "version: \"1.23\"")]);
    let sa = &sim.store().service_accounts[("default", "build-robot")];
    assert_eq!(sa.secrets.len(), 1);
    let name = sa.secrets[0].name.clone();
    assert!(
        name.starts_with("build-robot-token-") && name.len() == "build-robot-token-".len() + 5,
        "{name}"
    );
    let token = secret_token(&sim, &name);
    let r = review(&mut sim, &token, &[]);
    assert!(r.status.authenticated);
    assert_eq!(
        r.warnings,
        vec![
            "Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens."
        ]
    );
    // New service accounts get one too, and `get sa` counts it.
    apply(
        &mut sim,
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot", "namespace": "default"}}),
    );
    assert_eq!(
        sim.store().service_accounts[("default", "robot")]
            .secrets
            .len(),
        1
    );
    let table =
        kidex::present::get::table(&sim, Kind::ServiceAccount, Some("default"), Some("robot"));
    assert_eq!(table.rows[0].cells[1], "1");
    // Deleting the secret drops it from the service account.
    delete(&mut sim, Kind::Secret, &name);
    assert!(
        sim.store().service_accounts[("default", "build-robot")]
            .secrets
            .is_empty()
    );
}

#[test]
fn the_cleaner_marks_unused_autogenerated_tokens_invalid_then_deletes_them() {
    // A 1.30 cluster with a 30-day clean-up period; the tracking ConfigMap starts today.
    let mut sim = with(&[
        ("version: \"1.33\"", "version: \"1.30\""),
        (
            "  extendTokenExpiration: true\n",
            "  extendTokenExpiration: true\n  legacyTokenCleanUpPeriod: 720h\n",
        ),
    ]);
    let since = &sim
        .store()
        .config_maps
        .get(
            "kube-system",
            "kube-apiserver-legacy-service-account-token-tracking",
        )
        .unwrap()
        .data["since"];
    assert_eq!(since, "2026-11-23");
    apply(&mut sim, token_secret("old-secret", "build-robot"));
    // Listed in the service account, it counts as auto-generated.
    apply(
        &mut sim,
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "build-robot", "namespace": "default"}, "secrets": [{"name": "old-secret"}]}),
    );
    let token = secret_token(&sim, "old-secret");
    let labels = |sim: &Simulator| {
        sim.store()
            .secrets
            .get("default", "old-secret")
            .map(|s| s.metadata.labels.clone())
    };
    // Day 30: not yet (the cleaner waits for tracking start + 1 day + the period).
    sim.advance(SimDuration::days(30));
    assert!(
        !labels(&sim)
            .unwrap()
            .contains_key("kubernetes.io/legacy-token-invalid-since")
    );
    sim.advance(SimDuration::days(2));
    assert_eq!(
        labels(&sim).unwrap()["kubernetes.io/legacy-token-invalid-since"],
        "2026-12-24"
    );
    assert_eq!(
        review_error(&mut sim, &token, &[]).unwrap(),
        "[invalid bearer token, the token in secret default/old-secret for service account default/build-robot has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token]"
    );
    // Once both the label and the last use (the rejected review above, 2026-12-25, counts as a
    // use) are older than a whole period, the secret is deleted: at the sync of 2027-01-25.
    sim.advance(SimDuration::days(30));
    assert!(labels(&sim).is_some());
    sim.advance(SimDuration::days(1));
    assert!(labels(&sim).is_none(), "deleted");
}

#[test]
fn removing_the_invalid_since_label_re_enables_the_token() {
    let mut sim = with(&[
        ("version: \"1.33\"", "version: \"1.30\""),
        (
            "  extendTokenExpiration: true\n",
            "  extendTokenExpiration: true\n  legacyTokenCleanUpPeriod: 720h\n",
        ),
    ]);
    apply(&mut sim, token_secret("old-secret", "build-robot"));
    apply(
        &mut sim,
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "build-robot", "namespace": "default"}, "secrets": [{"name": "old-secret"}]}),
    );
    let token = secret_token(&sim, "old-secret");
    sim.advance(SimDuration::days(33));
    assert!(review_error(&mut sim, &token, &[]).is_some());
    let mut s =
        serde_json::to_value(sim.store().secrets.get("default", "old-secret").unwrap()).unwrap();
    s["metadata"]["labels"]
        .as_object_mut()
        .unwrap()
        .remove("kubernetes.io/legacy-token-invalid-since");
    s["apiVersion"] = json!("v1");
    s["kind"] = json!("Secret");
    apply(&mut sim, s);
    assert_eq!(review_error(&mut sim, &token, &[]), None);
}

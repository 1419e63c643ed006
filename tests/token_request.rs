//! TokenRequest validation, binding and clamping (spec §2.2).

mod common;

use common::*;
use kidex::sim::Simulator;
use kidex::sim::clock::{SimDuration, unix_seconds};
use kidex::sim::command::Command;
use kidex::sim::tokens::request::{BoundObjectReference, TokenRequestSpec};

fn request(
    sim: &mut Simulator,
    ns: &str,
    sa: &str,
    spec: TokenRequestSpec,
) -> Result<String, String> {
    sim.execute(Command::CreateToken {
        namespace: ns.into(),
        service_account: sa.into(),
        spec,
    })
    .map(|_| String::new())
    .map_err(|e| e.to_string())
}

fn secs(n: i64) -> TokenRequestSpec {
    TokenRequestSpec {
        expiration_seconds: Some(n),
        ..Default::default()
    }
}

fn bound(kind: &str, name: &str, uid: &str) -> TokenRequestSpec {
    TokenRequestSpec {
        bound_object_ref: Some(BoundObjectReference {
            kind: kind.into(),
            api_version: "v1".into(),
            name: name.into(),
            uid: uid.into(),
        }),
        ..Default::default()
    }
}

#[test]
fn durations_below_600s_or_above_2_pow_32_are_invalid() {
    let mut sim = demo();
    assert_eq!(
        request(&mut sim, "default", "build-robot", secs(599)).unwrap_err(),
        "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes"
    );
    assert_eq!(
        request(&mut sim, "default", "build-robot", secs((1 << 32) + 1)).unwrap_err(),
        "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds"
    );
    assert!(request(&mut sim, "default", "build-robot", secs(600)).is_ok());
    assert!(request(&mut sim, "default", "build-robot", secs(1 << 32)).is_ok());
}

#[test]
fn missing_service_account() {
    let mut sim = demo();
    assert_eq!(
        request(&mut sim, "default", "nope", secs(3600)).unwrap_err(),
        "serviceaccounts \"nope\" not found"
    );
}

#[test]
fn binding_to_a_pod_of_another_service_account_is_rejected() {
    let mut sim = demo();
    assert_eq!(
        request(&mut sim, "test", "default", bound("Pod", "nginx", "")).unwrap_err(),
        "cannot bind token for serviceaccount \"default\" to pod running with different serviceaccount name."
    );
    assert_eq!(
        request(&mut sim, "test", "nginx", bound("Pod", "nope", "")).unwrap_err(),
        "pods \"nope\" not found"
    );
}

#[test]
fn bound_object_uid_must_match() {
    let mut sim = demo();
    assert_eq!(
        request(&mut sim, "test", "nginx", bound("Pod", "nginx", "0000")).unwrap_err(),
        "Operation cannot be fulfilled on Pod \"nginx\": the UID in the bound object reference (0000) does not match the UID in record. The object might have been deleted and then recreated"
    );
    let uid = sim.store().pods[("test", "nginx")].metadata.uid.clone();
    assert!(request(&mut sim, "test", "nginx", bound("Pod", "nginx", &uid)).is_ok());
}

#[test]
fn unsupported_bound_kinds() {
    let mut sim = demo();
    let mut spec = bound("Deployment", "web", "");
    spec.bound_object_ref.as_mut().unwrap().api_version = "apps/v1".into();
    assert_eq!(
        request(&mut sim, "default", "build-robot", spec).unwrap_err(),
        "cannot bind token to object of type apps/v1, Kind=Deployment"
    );
}

#[test]
fn node_bound_tokens_name_the_node() {
    let mut sim = demo();
    let t = create_token(
        &mut sim,
        "default",
        "build-robot",
        bound("Node", "kidex-worker", ""),
    );
    let p = segment(&t.token, 1);
    assert_eq!(p["kubernetes.io"]["node"]["name"], "kidex-worker");
    assert_eq!(review_error(&mut sim, &t.token, &[]), None);
}

#[test]
fn max_expiration_clamps_with_a_warning() {
    let yaml = kidex::state::demo::DEFAULT_YAML.replace(
        "  extendTokenExpiration: true\n",
        "  extendTokenExpiration: true\n  maxTokenExpiration: 24h\n",
    );
    let mut sim = kidex::state::open_str(&yaml, "clamped.yaml", None).unwrap();
    let now = unix_seconds(sim.now());
    let t = create_token(&mut sim, "default", "build-robot", secs(31_536_000));
    assert_eq!(
        t.warnings,
        vec!["requested expiration of 31536000 seconds shortened to 86400 seconds"]
    );
    assert_eq!(segment(&t.token, 1)["exp"].as_i64().unwrap(), now + 86_400);
    assert_eq!(unix_seconds(t.expiration_timestamp), now + 86_400);
    let t = create_token(&mut sim, "default", "build-robot", secs(3600));
    assert!(t.warnings.is_empty());
}

#[test]
fn only_pod_bound_3607s_api_audience_requests_are_extended() {
    let mut sim = demo();
    let now = unix_seconds(sim.now());
    // Not pod-bound: no extension.
    let t = create_token(&mut sim, "default", "build-robot", secs(3607));
    assert_eq!(segment(&t.token, 1)["exp"].as_i64().unwrap(), now + 3607);
    // Pod-bound, 3607 s, API audience: one year, and warnafter.
    let mut spec = bound("Pod", "nginx", "");
    spec.expiration_seconds = Some(3607);
    let t = create_token(&mut sim, "test", "nginx", spec.clone());
    let p = segment(&t.token, 1);
    assert_eq!(p["exp"].as_i64().unwrap(), now + 31_536_000);
    assert_eq!(
        p["kubernetes.io"]["warnafter"].as_i64().unwrap(),
        now + 3607
    );
    assert_eq!(
        unix_seconds(t.expiration_timestamp),
        now + 3607,
        "expirationTimestamp is not extended"
    );
    // A non-API audience is not extended.
    spec.audiences = vec!["vault".into()];
    let t = create_token(&mut sim, "test", "nginx", spec.clone());
    assert_eq!(segment(&t.token, 1)["exp"].as_i64().unwrap(), now + 3607);
    // Past warnafter the extended token is still accepted (stale).
    spec.audiences = vec![];
    let t = create_token(&mut sim, "test", "nginx", spec);
    sim.advance(SimDuration::hours(2));
    let r = review(&mut sim, &t.token, &[]);
    assert!(r.status.authenticated);
    match r.verdict {
        Ok(a) => assert_eq!(a.stale_seconds, Some(7200 - 3607)),
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn extension_can_be_turned_off() {
    let yaml = kidex::state::demo::DEFAULT_YAML.replace(
        "extendTokenExpiration: true",
        "extendTokenExpiration: false",
    );
    let sim = kidex::state::open_str(&yaml, "x.yaml", None).unwrap();
    let r = sim
        .ledger()
        .iter()
        .find(|r| r.expiration_seconds == 3607)
        .unwrap();
    assert_eq!(r.exp - r.iat, 3607);
    assert_eq!(r.warnafter, None);
}

//! The ServiceAccount admission plugin on pod create (spec §4.2), and pod immutability.

mod common;

use common::*;
use kidex::sim::Simulator;
use kidex::sim::command::Command;
use kidex::sim::objects::pod::Pod;
use kidex::sim::objects::{Kind, Object};
use serde_json::{Value, json};

fn apply(sim: &mut Simulator, v: Value) -> Result<(), String> {
    sim.execute(Command::Apply(Object::from_value(v).unwrap()))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn pod(sim: &Simulator, ns: &str, name: &str) -> Pod {
    sim.store().pods[(ns, name)].clone()
}

fn simple_pod(name: &str, extra_spec: Value) -> Value {
    let mut spec = json!({"containers": [{"name": "app", "image": "busybox:1.36"}]});
    for (k, v) in extra_spec.as_object().unwrap() {
        spec[k] = v.clone();
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "test"}, "spec": spec})
}

#[test]
fn default_service_account_and_api_token_volume() {
    let mut sim = demo();
    apply(&mut sim, simple_pod("p", json!({}))).unwrap();
    let p = pod(&sim, "test", "p");
    assert_eq!(p.spec.service_account_name.as_deref(), Some("default"));
    assert_eq!(p.spec.service_account.as_deref(), Some("default"));
    let vol = p
        .spec
        .volumes
        .iter()
        .find(|v| v.name.starts_with("kube-api-access-"))
        .expect("volume");
    assert_eq!(vol.name.len(), "kube-api-access-".len() + 5);
    let v = serde_json::to_value(vol).unwrap();
    assert_eq!(
        v["projected"],
        json!({"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
        ]})
    );
    let m = &p.spec.containers[0].volume_mounts[0];
    assert_eq!(
        m.mount_path,
        "/var/run/secrets/kubernetes.io/serviceaccount"
    );
    assert_eq!(m.read_only, Some(true));
    assert_eq!(m.name, vol.name);
    assert_eq!(p.phase(), "Running");
    assert_eq!(
        p.spec.node_name.as_deref(),
        Some("kidex-worker"),
        "the tainted control plane is skipped"
    );
}

#[test]
fn missing_service_account_is_forbidden() {
    let mut sim = demo();
    assert_eq!(
        apply(
            &mut sim,
            simple_pod("p", json!({"serviceAccountName": "foo"}))
        )
        .unwrap_err(),
        "pods \"p\" is forbidden: error looking up service account test/foo: serviceaccount \"foo\" not found"
    );
    assert!(!sim.store().pods.contains("test", "p"), "nothing stored");
}

#[test]
fn automount_precedence_is_pod_then_sa_then_true() {
    let mut sim = demo();
    apply(&mut sim, json!({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"quiet","namespace":"test"},
        "automountServiceAccountToken": false}))
    .unwrap();
    let has_api_volume = |p: &Pod| {
        p.spec
            .volumes
            .iter()
            .any(|v| v.name.starts_with("kube-api-access-"))
    };
    apply(
        &mut sim,
        simple_pod("a", json!({"serviceAccountName": "quiet"})),
    )
    .unwrap();
    assert!(!has_api_volume(&pod(&sim, "test", "a")), "SA false");
    apply(
        &mut sim,
        simple_pod(
            "b",
            json!({"serviceAccountName": "quiet", "automountServiceAccountToken": true}),
        ),
    )
    .unwrap();
    assert!(
        has_api_volume(&pod(&sim, "test", "b")),
        "pod true beats SA false"
    );
    apply(
        &mut sim,
        simple_pod("c", json!({"automountServiceAccountToken": false})),
    )
    .unwrap();
    assert!(!has_api_volume(&pod(&sim, "test", "c")), "pod false");
    let tokens_of_a = sim
        .ledger()
        .iter()
        .filter(|r| r.binding.pod.as_ref().is_some_and(|p| p.name == "a"))
        .count();
    assert_eq!(tokens_of_a, 0);
}

#[test]
fn existing_mount_path_is_left_alone_and_pull_secrets_copied() {
    let mut sim = demo();
    apply(&mut sim, json!({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"puller","namespace":"test"},
        "imagePullSecrets":[{"name":"regcred"}]}))
    .unwrap();
    apply(
        &mut sim,
        simple_pod(
            "p",
            json!({"serviceAccountName": "puller",
                "containers": [
                    {"name": "a", "image": "x", "volumeMounts": [{"name": "mine", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]},
                    {"name": "b", "image": "y"}],
                "volumes": [{"name": "mine", "emptyDir": {}}]}),
        ),
    )
    .unwrap();
    let p = pod(&sim, "test", "p");
    assert_eq!(
        p.spec.containers[0].volume_mounts.len(),
        1,
        "container a keeps its own mount"
    );
    assert!(
        p.spec.containers[1].volume_mounts[0]
            .name
            .starts_with("kube-api-access-")
    );
    assert_eq!(p.spec.image_pull_secrets[0].name, "regcred");
}

#[test]
fn a_pods_service_account_cannot_change() {
    let mut sim = demo();
    let err = apply(
        &mut sim,
        simple_pod("nginx", json!({"serviceAccountName": "default"})),
    )
    .unwrap_err();
    assert!(err.starts_with("Pod \"nginx\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"), "{err}");
    assert_eq!(pod(&sim, "test", "nginx").service_account_name(), "nginx");
    // Labels may change.
    let mut v = simple_pod("nginx", json!({"serviceAccountName": "nginx"}));
    v["metadata"]["labels"] = json!({"app": "web"});
    v["spec"]["containers"][0]["name"] = json!("nginx");
    apply(&mut sim, v).unwrap();
    assert_eq!(pod(&sim, "test", "nginx").metadata.labels["app"], "web");
}

#[test]
fn projected_token_validation() {
    let mut sim = demo();
    let v = simple_pod(
        "p",
        json!({"volumes": [{"name": "t", "projected": {"sources": [
        {"serviceAccountToken": {"path": "t", "expirationSeconds": 100}}]}}]}),
    );
    assert_eq!(
        apply(&mut sim, v).unwrap_err(),
        "Pod \"p\" is invalid: spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 100: may not specify a duration less than 10 minutes"
    );
}

#[test]
fn invalid_names_use_the_upstream_messages() {
    let mut sim = demo();
    let err = apply(&mut sim, json!({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"Bad_Name","namespace":"test"}}))
        .unwrap_err();
    assert_eq!(
        err,
        "ServiceAccount \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    );
    let err = apply(
        &mut sim,
        json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a.b"}}),
    )
    .unwrap_err();
    assert_eq!(
        err,
        "Namespace \"a.b\" is invalid: metadata.name: Invalid value: \"a.b\": must not contain dots"
    );
    assert_eq!(
        apply(&mut sim, json!({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"x","namespace":"nope"}}))
            .unwrap_err(),
        "namespaces \"nope\" not found"
    );
}

#[test]
fn new_namespaces_get_a_default_sa_and_the_root_ca() {
    let mut sim = demo();
    apply(
        &mut sim,
        json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"}}),
    )
    .unwrap();
    assert!(sim.store().service_accounts.contains("team-a", "default"));
    let cm = &sim.store().config_maps[("team-a", "kube-root-ca.crt")];
    assert!(cm.data["ca.crt"].starts_with("-----BEGIN CERTIFICATE-----"));
    sim.execute(Command::Delete {
        kind: Kind::Namespace,
        namespace: String::new(),
        name: "team-a".into(),
        grace_period_seconds: None,
    })
    .unwrap();
    assert!(!sim.store().service_accounts.contains("team-a", "default"));
}

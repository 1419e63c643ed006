//! State files: round trips, kubectl dumps, and errors with file, line and column.

mod common;

use common::*;
use kidex::sim::clock::SimDuration;
use kidex::state::{self, Format, StateError};

#[test]
fn load_save_load_is_lossless() {
    let mut sim = demo();
    create_token(&mut sim, "default", "build-robot", Default::default());
    sim.advance(SimDuration::hours(3));
    for format in [Format::Yaml, Format::Json] {
        let text = state::render(&sim, format);
        let mut again = state::open_str(&text, "saved", None).unwrap();
        assert_eq!(state::render(&again, format), text, "{format:?} round trip");
        // The reloaded cluster behaves identically from here on.
        let mut original = sim.clone();
        let a: Vec<_> = original
            .advance(SimDuration::hours(30))
            .into_iter()
            .map(|e| (e.time, e.message))
            .collect();
        let b: Vec<_> = again
            .advance(SimDuration::hours(30))
            .into_iter()
            .map(|e| (e.time, e.message))
            .collect();
        assert_eq!(a, b);
        assert_eq!(
            state::render(&original, format),
            state::render(&again, format)
        );
    }
}

#[test]
fn saved_tokens_still_sign_the_same_bytes() {
    let sim = demo();
    let before: Vec<String> = sim
        .ledger()
        .iter()
        .map(|r| sim.token_jws(r).unwrap().to_string())
        .collect();
    let again = state::open_str(&state::render(&sim, Format::Yaml), "s", None).unwrap();
    let after: Vec<String> = again
        .ledger()
        .iter()
        .map(|r| again.token_jws(r).unwrap().to_string())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn a_kubectl_list_dump_loads_with_default_settings() {
    let dump = r#"{
    "apiVersion": "v1",
    "items": [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod", "uid": "11111111-1111-4111-8111-111111111111", "creationTimestamp": "2025-05-01T00:00:00Z"}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "web", "namespace": "prod", "uid": "22222222-2222-4222-8222-222222222222", "creationTimestamp": "2025-05-02T00:00:00Z", "resourceVersion": "417"}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "x"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "devs"}]}
    ],
    "kind": "List",
    "metadata": {"resourceVersion": ""}
}"#;
    let sim = state::open_str(dump, "dump.json", Some(7)).unwrap();
    assert_eq!(
        sim.settings().issuers,
        vec!["https://kubernetes.default.svc.cluster.local"]
    );
    assert_eq!(
        sim.store().service_accounts[("prod", "web")].metadata.uid,
        "22222222-2222-4222-8222-222222222222"
    );
    assert!(
        sim.store().service_accounts.contains("prod", "default"),
        "controller added it"
    );
    assert_eq!(
        kidex::sim::clock::format_rfc3339(sim.now()),
        "2025-05-02T00:01:00Z"
    );
    assert!(sim.store().resource_version >= 417);
}

#[test]
fn manifests_stream_loads_too() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s\n  namespace: a\n";
    let sim = state::open_str(text, "m.yaml", None).unwrap();
    assert!(sim.store().service_accounts.contains("a", "s"));
}

fn err(text: &str) -> String {
    match state::open_str(text, "bad.yaml", None) {
        Ok(_) => panic!("loaded"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn syntax_errors_name_file_line_and_column() {
    let e = err(
        "apiVersion: kidex.dev/v1alpha1\nkind: ClusterState\ncluster:\n  name: x\n   bad: indent\n",
    );
    assert!(e.starts_with("bad.yaml:5:"), "{e}");
    assert_eq!(e.lines().count(), 1);
}

#[test]
fn type_errors_point_at_the_field() {
    let text = "apiVersion: kidex.dev/v1alpha1\nkind: ClusterState\ncluster:\n  now: \"2026-01-01T00:00:00Z\"\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: s\n    namespace: a\n  automountServiceAccountToken: maybe\n";
    assert_eq!(
        err(text),
        "bad.yaml:15:33: automountServiceAccountToken: invalid type: string \"maybe\", expected a boolean"
    );
}

#[test]
fn unknown_fields_and_kinds_are_reported_where_they_are() {
    let text = "apiVersion: kidex.dev/v1alpha1\nkind: ClusterState\ncluster:\n  issuer: x\n";
    assert!(
        err(text).starts_with("bad.yaml:4:3: unknown field `issuer`"),
        "{}",
        err(text)
    );
    let text = "apiVersion: kidex.dev/v1alpha1\nkind: ClusterState\nitems:\n- apiVersion: v1\n  kind: Gadget\n  metadata: {name: g}\n";
    assert_eq!(
        err(text),
        "bad.yaml:5:9: no matches for kind \"Gadget\" in version \"v1\""
    );
    let text =
        "apiVersion: kidex.dev/v1alpha1\nkind: ClusterState\ncluster:\n  maxTokenExpiration: 30m\n";
    assert_eq!(
        err(text),
        "bad.yaml:4:23: the service-account-max-token-expiration must be between 1 hour and 2^32 seconds"
    );
}

#[test]
fn duplicate_objects_are_reported_at_the_item() {
    let text = "apiVersion: kidex.dev/v1alpha1\nkind: ClusterState\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n";
    assert_eq!(err(text), "bad.yaml:7:3: items[1]: duplicate Namespace a");
}

#[test]
fn saving_is_atomic() {
    let dir = scratch("atomic");
    let path = dir.join("s.yaml");
    let sim = demo();
    state::save(&sim, &path).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.starts_with("apiVersion: kidex.dev/v1alpha1\ncluster:\n"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    // A save that cannot complete leaves the old file intact.
    let bad = dir.join("missing-dir").join("s.yaml");
    assert!(matches!(
        state::save(&sim, &bad),
        Err(StateError::Io { .. })
    ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), saved);
}

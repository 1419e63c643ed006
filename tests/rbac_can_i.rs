//! RBAC authorization (spec §8): bindings, subjects, rules, aggregation, and the CLI's answers.

mod common;

use common::*;
use kidex::sim::Simulator;
use kidex::sim::command::Command;
use kidex::sim::objects::Object;
use kidex::sim::rbac::{Request, Requester, authorize};
use serde_json::{Value, json};

fn apply(sim: &mut Simulator, v: Value) -> Result<(), String> {
    sim.execute(Command::Apply(Object::from_value(v).unwrap()))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn sa(ns: &str, name: &str) -> Requester {
    Requester::impersonate(&format!("system:serviceaccount:{ns}:{name}"), &[])
}

fn res(verb: &str, group: &str, resource: &str, ns: &str) -> Request {
    Request {
        verb: verb.into(),
        api_group: group.into(),
        resource: resource.into(),
        namespace: ns.into(),
        ..Default::default()
    }
}

fn rolebinding(name: &str, ns: &str, role_kind: &str, role: &str, subjects: Value) -> Value {
    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": name, "namespace": ns},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role},
        "subjects": subjects})
}

#[test]
fn view_lets_a_service_account_list_pods_but_not_read_secrets() {
    let mut sim = demo();
    apply(
        &mut sim,
        rolebinding(
            "nginx-view",
            "test",
            "ClusterRole",
            "view",
            json!([{"kind": "ServiceAccount", "name": "nginx", "namespace": "test"}]),
        ),
    )
    .unwrap();
    let d = authorize(
        sim.store(),
        &sa("test", "nginx"),
        &res("list", "", "pods", "test"),
    );
    assert!(d.allowed);
    assert_eq!(
        d.reason,
        "RBAC: allowed by RoleBinding \"nginx-view/test\" of ClusterRole \"view\" to ServiceAccount \"nginx/test\""
    );
    assert!(
        !authorize(
            sim.store(),
            &sa("test", "nginx"),
            &res("get", "", "secrets", "test")
        )
        .allowed
    );
    // Only in the binding's namespace.
    assert!(
        !authorize(
            sim.store(),
            &sa("test", "nginx"),
            &res("list", "", "pods", "default")
        )
        .allowed
    );
}

#[test]
fn edit_reads_secrets_and_impersonates_service_accounts() {
    let mut sim = demo();
    apply(
        &mut sim,
        rolebinding(
            "e",
            "test",
            "ClusterRole",
            "edit",
            json!([{"kind": "ServiceAccount", "name": "nginx"}]),
        ),
    )
    .unwrap();
    assert!(
        authorize(
            sim.store(),
            &sa("test", "nginx"),
            &res("get", "", "secrets", "test")
        )
        .allowed
    );
    assert!(
        authorize(
            sim.store(),
            &sa("test", "nginx"),
            &res("impersonate", "", "serviceaccounts", "test")
        )
        .allowed
    );
    assert!(
        !authorize(
            sim.store(),
            &sa("test", "nginx"),
            &res(
                "create",
                "rbac.authorization.k8s.io",
                "rolebindings",
                "test"
            )
        )
        .allowed
    );
}

#[test]
fn the_namespace_service_account_group_matches() {
    let mut sim = demo();
    apply(&mut sim, rolebinding("all-sa", "test", "ClusterRole", "view",
        json!([{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "system:serviceaccounts:test"}]))).unwrap();
    let d = authorize(
        sim.store(),
        &sa("test", "default"),
        &res("get", "", "configmaps", "test"),
    );
    assert_eq!(
        d.reason,
        "RBAC: allowed by RoleBinding \"all-sa/test\" of ClusterRole \"view\" to Group \"system:serviceaccounts:test\""
    );
    assert!(
        !authorize(
            sim.store(),
            &sa("default", "default"),
            &res("get", "", "configmaps", "test")
        )
        .allowed
    );
}

#[test]
fn auth_delegator_binding_allows_token_reviews() {
    let sim = demo();
    let d = authorize(
        sim.store(),
        &sa("default", "admin-reviewer"),
        &res("create", "authentication.k8s.io", "tokenreviews", ""),
    );
    assert_eq!(
        d.reason,
        "RBAC: allowed by ClusterRoleBinding \"admin-reviewer\" of ClusterRole \"system:auth-delegator\" to ServiceAccount \"admin-reviewer/default\""
    );
    assert!(
        !authorize(
            sim.store(),
            &sa("default", "build-robot"),
            &res("create", "authentication.k8s.io", "tokenreviews", "")
        )
        .allowed
    );
}

#[test]
fn any_service_account_reads_the_jwks_but_anonymous_does_not() {
    let sim = demo();
    let jwks = Request {
        verb: "get".into(),
        path: Some("/openid/v1/jwks".into()),
        ..Default::default()
    };
    let d = authorize(sim.store(), &sa("test", "nginx"), &jwks);
    assert!(d.allowed);
    assert_eq!(
        d.grant.unwrap().binding_name,
        "system:service-account-issuer-discovery"
    );
    assert!(
        !authorize(
            sim.store(),
            &Requester::impersonate("system:anonymous", &[]),
            &jwks
        )
        .allowed
    );
    // Public info is for everyone.
    let healthz = Request {
        verb: "get".into(),
        path: Some("/healthz".into()),
        ..Default::default()
    };
    assert!(
        authorize(
            sim.store(),
            &Requester::impersonate("system:anonymous", &[]),
            &healthz
        )
        .allowed
    );
}

#[test]
fn resource_names_limit_a_rule() {
    let mut sim = demo();
    apply(&mut sim, json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": "one-secret", "namespace": "test"},
        "rules": [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["db"], "verbs": ["get"]}]})).unwrap();
    apply(
        &mut sim,
        rolebinding(
            "one",
            "test",
            "Role",
            "one-secret",
            json!([{"kind": "ServiceAccount", "name": "nginx"}]),
        ),
    )
    .unwrap();
    let mut r = res("get", "", "secrets", "test");
    r.name = "db".into();
    assert!(authorize(sim.store(), &sa("test", "nginx"), &r).allowed);
    r.name = "other".into();
    assert!(!authorize(sim.store(), &sa("test", "nginx"), &r).allowed);
    assert!(
        !authorize(
            sim.store(),
            &sa("test", "nginx"),
            &res("list", "", "secrets", "test")
        )
        .allowed,
        "lists carry no name"
    );
}

#[test]
fn aggregated_cluster_roles_pick_up_labelled_rules() {
    let mut sim = demo();
    apply(
        &mut sim,
        rolebinding(
            "v",
            "test",
            "ClusterRole",
            "view",
            json!([{"kind": "ServiceAccount", "name": "nginx"}]),
        ),
    )
    .unwrap();
    let crontabs = res("list", "stable.example.com", "crontabs", "test");
    assert!(!authorize(sim.store(), &sa("test", "nginx"), &crontabs).allowed);
    apply(&mut sim, json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": "crontab-view", "labels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}},
        "rules": [{"apiGroups": ["stable.example.com"], "resources": ["crontabs"], "verbs": ["get", "list", "watch"]}]})).unwrap();
    assert!(
        authorize(sim.store(), &sa("test", "nginx"), &crontabs).allowed,
        "view aggregates it"
    );
    // and, through view → edit → admin, so do edit and admin
    let admin = &sim.store().cluster_roles["admin"];
    assert!(
        admin
            .rules
            .iter()
            .flatten()
            .any(|r| r.resources == ["crontabs"])
    );
}

#[test]
fn subresources_and_missing_roles() {
    let mut sim = demo();
    apply(
        &mut sim,
        rolebinding(
            "gone",
            "test",
            "ClusterRole",
            "no-such-role",
            json!([{"kind": "ServiceAccount", "name": "nginx"}]),
        ),
    )
    .unwrap();
    let d = authorize(
        sim.store(),
        &sa("test", "nginx"),
        &res("get", "", "pods", "test"),
    );
    assert!(!d.allowed);
    assert_eq!(
        d.reason,
        "RBAC: clusterrole.rbac.authorization.k8s.io \"no-such-role\" not found"
    );
}

#[test]
fn invalid_bindings_are_rejected_with_upstream_messages() {
    let mut sim = demo();
    let crb = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "bad"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "x"},
        "subjects": [{"kind": "ServiceAccount", "name": "nginx"}]});
    assert_eq!(
        apply(&mut sim, crb).unwrap_err(),
        "ClusterRoleBinding.rbac.authorization.k8s.io \"bad\" is invalid: [roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\", subjects[0].namespace: Required value]"
    );
    let rb = rolebinding(
        "u",
        "test",
        "ClusterRole",
        "view",
        json!([{"kind": "User", "name": "jane"}]),
    );
    assert_eq!(
        apply(&mut sim, rb).unwrap_err(),
        "RoleBinding.rbac.authorization.k8s.io \"u\" is invalid: subjects[0].apiGroup: Unsupported value: \"\": supported values: \"rbac.authorization.k8s.io\""
    );
}

#[test]
fn cli_can_i_answers_yes_or_no_with_exit_codes() {
    let r = kidex(&[
        "auth",
        "can-i",
        "create",
        "tokenreviews",
        "--as",
        "system:serviceaccount:default:admin-reviewer",
        "-A",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "yes\n"));
    let r = kidex(&[
        "auth",
        "can-i",
        "get",
        "secrets",
        "-n",
        "test",
        "--as",
        "system:serviceaccount:test:nginx",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (1, "no\n"));
    let r = kidex(&[
        "auth",
        "can-i",
        "get",
        "/openid/v1/jwks",
        "--as",
        "system:serviceaccount:test:nginx",
        "--explain",
    ]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with(
            "yes\nRBAC: allowed by ClusterRoleBinding \"system:service-account-issuer-discovery\""
        ),
        "{}",
        r.stdout
    );
    let r = kidex(&["auth", "can-i", "delete", "nodes"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "yes\n"),
        "the default caller is the cluster admin"
    );
    let r = kidex(&[
        "auth",
        "can-i",
        "get",
        "serviceaccounts/token",
        "--as",
        "jane",
    ]);
    assert_eq!(r.code, 1);
    let r = kidex(&["auth", "who-can", "create", "tokenreviews"]);
    assert!(
        r.stdout.contains(
            "default/admin-reviewer   ServiceAccount   ClusterRoleBinding/admin-reviewer"
        ),
        "{}",
        r.stdout
    );
    let r = kidex(&["auth", "permissions", "sa/admin-reviewer"]);
    assert!(
        r.stdout.contains("tokenreviews.authentication.k8s.io"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("ClusterRoleBinding/admin-reviewer"));
}

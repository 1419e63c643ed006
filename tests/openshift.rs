//! The OpenShift flavor (spec §9): projects, pull secrets before and after 4.16, the `oc`
//! verbs of the service-account pages, and the issuer change with its rollout.

mod common;

use common::*;
use kidex::sim::Simulator;
use kidex::sim::clock::SimDuration;
use kidex::sim::command::Command;
use kidex::sim::objects::Object;
use serde_json::json;

const STATE: &str = include_str!("../demo-state/openshift.yaml");

fn openshift(version: &str) -> Simulator {
    kidex::state::open_str(
        &STATE.replace("version: \"4.15\"", &format!("version: \"{version}\"")),
        "openshift.yaml",
        None,
    )
    .unwrap()
}

#[test]
fn projects_get_service_accounts_and_role_bindings() {
    let sim = openshift("4.15");
    for sa in ["builder", "deployer", "default"] {
        assert!(sim.store().service_accounts.contains("default", sa), "{sa}");
    }
    let pullers = sim
        .store()
        .role_bindings
        .get("default", "system:image-pullers")
        .unwrap();
    assert_eq!(pullers.role_ref.name, "system:image-puller");
    assert_eq!(pullers.subjects[0].name, "system:serviceaccounts:default");
    assert!(
        pullers.metadata.annotations["openshift.io/description"]
            .contains("auto-managed by a controller")
    );
    assert_eq!(
        sim.store()
            .role_bindings
            .get("default", "system:image-builders")
            .unwrap()
            .subjects[0]
            .name,
        "builder"
    );
    assert_eq!(
        sim.store()
            .role_bindings
            .get("default", "system:deployers")
            .unwrap()
            .subjects[0]
            .name,
        "deployer"
    );
    assert!(
        sim.store()
            .cluster_roles
            .contains_key("system:image-builder")
    );
}

#[test]
fn before_4_16_every_service_account_has_a_token_and_a_dockercfg_secret() {
    let mut sim = openshift("4.15");
    let sa = &sim.store().service_accounts[("default", "builder")];
    assert_eq!(sa.secrets.len(), 2, "oc get sa shows SECRETS 2");
    let pull = sa.image_pull_secrets[0].name.clone();
    assert!(pull.starts_with("builder-dockercfg-"));
    let dockercfg = sim.store().secrets.get("default", &pull).unwrap();
    assert_eq!(dockercfg.type_name(), "kubernetes.io/dockercfg");
    let token_secret = dockercfg.metadata.annotations["openshift.io/token-secret.name"].clone();
    let token = String::from_utf8(
        sim.store()
            .secrets
            .get("default", &token_secret)
            .unwrap()
            .data["token"]
            .clone(),
    )
    .unwrap();
    assert_eq!(
        dockercfg.metadata.annotations["openshift.io/token-secret.value"],
        token
    );
    let r = review(&mut sim, &token, &[]);
    assert!(r.status.authenticated);
    // A deleted token secret is regenerated, with a new pull secret.
    sim.execute(Command::Delete {
        kind: kidex::sim::objects::Kind::Secret,
        namespace: "default".into(),
        name: token_secret.clone(),
        grace_period_seconds: None,
    })
    .unwrap();
    let sa = &sim.store().service_accounts[("default", "builder")];
    assert_eq!(sa.secrets.len(), 2);
    assert!(sa.secrets.iter().all(|s| s.name != token_secret));
    assert!(
        sa.secrets
            .iter()
            .any(|s| s.name.starts_with("builder-token-"))
    );
}

#[test]
fn from_4_16_the_pull_secret_holds_a_token_bound_to_it() {
    let mut sim = openshift("4.16");
    let sa = &sim.store().service_accounts[("default", "builder")];
    assert_eq!(sa.secrets.len(), 1, "SECRETS 1: no legacy token secret");
    let name = sa.metadata.annotations["openshift.io/internal-registry-pull-secret-ref"].clone();
    let secret = sim.store().secrets.get("default", &name).unwrap();
    assert_eq!(
        secret.metadata.annotations["openshift.io/internal-registry-auth-token.binding"],
        "bound"
    );
    let cfg: serde_json::Value = serde_json::from_slice(&secret.data[".dockercfg"]).unwrap();
    use base64::Engine;
    let auth = cfg["image-registry.openshift-image-registry.svc:5000"]["auth"]
        .as_str()
        .unwrap();
    let decoded = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(auth)
            .unwrap(),
    )
    .unwrap();
    let token = decoded.strip_prefix("<token>:").unwrap().to_string();
    let p = segment(&token, 1);
    assert_eq!(p["kubernetes.io"]["secret"]["name"], json!(name));
    assert_eq!(
        p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(),
        3600
    );
    assert!(review(&mut sim, &token, &[]).status.authenticated);
    // The controller refreshes it before it expires.
    sim.advance(SimDuration::minutes(50));
    let secret = sim.store().secrets.get("default", &name).unwrap();
    let cfg: serde_json::Value = serde_json::from_slice(&secret.data[".dockercfg"]).unwrap();
    assert_ne!(
        cfg["image-registry.openshift-image-registry.svc:5000"]["auth"]
            .as_str()
            .unwrap(),
        auth
    );
}

#[test]
fn the_openshift_page_flow() {
    let dir = scratch("openshift-flow");
    let s = dir.join("s.yaml");
    let st = s.to_str().unwrap();
    std::fs::write(&s, STATE).unwrap();
    let run = |args: &[&str]| {
        let mut full = vec!["--state", st, "--save"];
        full.extend_from_slice(args);
        kidex(&full)
    };
    let r = run(&["new-project", "top-secret"]);
    assert_eq!(
        r.stdout,
        "Now using project \"top-secret\" on server \"https://api.ocp.example.com:6443\".\n"
    );
    let r = run(&["create", "sa", "robot", "-n", "top-secret"]);
    assert_eq!(r.stdout, "serviceaccount/robot created\n");
    let r = run(&["describe", "sa", "robot", "-n", "top-secret"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "Name:                robot");
    assert!(
        lines[4].starts_with("Image pull secrets:  robot-dockercfg-"),
        "{}",
        r.stdout
    );
    assert!(
        lines[5].starts_with("Mountable secrets:   robot-"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Tokens:              robot-token-"),
        "{}",
        r.stdout
    );
    let secrets = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: secret-plans\n  namespace: top-secret\nstringData:\n  plan: world domination\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: my-pull-secret\n  namespace: top-secret\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{\"auths\":{}}'\n";
    let r = kidex_stdin(&["--state", st, "--save", "apply", "-f", "-"], secrets);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&[
        "secrets",
        "link",
        "robot",
        "secret-plans",
        "--for=mount",
        "-n",
        "top-secret",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    let r = run(&[
        "secrets",
        "link",
        "robot",
        "my-pull-secret",
        "--for=pull",
        "-n",
        "top-secret",
    ]);
    assert_eq!(r.code, 0);
    let r = run(&["get", "sa", "robot", "-n", "top-secret", "-o", "json"]);
    let sa: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        sa["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "secret-plans")
    );
    assert!(
        sa["imagePullSecrets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "my-pull-secret")
    );
    let r = run(&[
        "policy",
        "add-role-to-user",
        "view",
        "system:serviceaccount:top-secret:robot",
        "-n",
        "top-secret",
    ]);
    assert_eq!(
        r.stdout,
        "clusterrole.rbac.authorization.k8s.io/view added: \"system:serviceaccount:top-secret:robot\"\n"
    );
    let r = run(&[
        "auth",
        "can-i",
        "list",
        "pods",
        "-n",
        "top-secret",
        "--as",
        "system:serviceaccount:top-secret:robot",
    ]);
    assert_eq!(r.stdout, "yes\n");
    let token = run(&["create", "token", "robot", "-n", "top-secret"]).stdout;
    let r = run(&["whoami", "--token", &token]);
    assert_eq!(r.stdout, "system:serviceaccount:top-secret:robot\n");
    let r = run(&["whoami", "-t", "not-a-token"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "error: You must be logged in to the server (Unauthorized)\n"
        )
    );
}

#[test]
fn oc_validation_messages() {
    let r = kidex(&[
        "policy",
        "add-role-to-user",
        "edit",
        "-z",
        "system:serviceaccount:test:nginx",
    ]);
    assert_eq!(
        r.stderr,
        "error: --serviceaccount (-z) should only be used with short-form serviceaccount names (e.g. `default`)\n"
    );
    let r = kidex(&["policy", "add-role-to-user", "edit"]);
    assert_eq!(
        r.stderr,
        "error: you must specify at least one user or service account\n"
    );
    let r = kidex(&[
        "secrets",
        "link",
        "nginx",
        "x",
        "--for=sideways",
        "-n",
        "test",
    ]);
    assert_eq!(r.stderr, "error: unknown for: sideways\n");
    let r = kidex(&["secrets", "link", "nginx", "nope", "-n", "test"]);
    assert_eq!(
        r.stderr,
        "secret \"nope\" not found\nerror: No valid secrets found\n"
    );
    let r = kidex(&[
        "policy",
        "add-role-to-user",
        "edit",
        "-z",
        "nginx",
        "-n",
        "test",
    ]);
    assert_eq!(
        r.stdout,
        "clusterrole.rbac.authorization.k8s.io/edit added: \"nginx\"\n"
    );
}

#[test]
fn an_issuer_change_rolls_out_and_the_old_issuer_is_trusted_for_a_day() {
    let mut sim = openshift("4.15");
    apply_pod(&mut sim);
    let week = kidex::sim::tokens::request::TokenRequestSpec {
        expiration_seconds: Some(7 * 86_400),
        ..Default::default()
    };
    let old = create_token(&mut sim, "default", "builder", week.clone()).token;
    sim.execute(Command::SetIssuer {
        issuer: "https://issuer.example.com".into(),
        keep_previous: None,
    })
    .unwrap();
    let view =
        |sim: &Simulator| kidex::sim::rotation::rollout_message(&sim.kube_apiserver_revisions()).1;
    assert_eq!(
        view(&sim),
        "3 nodes are at revision 11; 0 nodes are at revision 12"
    );
    let events = sim.advance(SimDuration::minutes(10));
    let messages: Vec<&str> = events
        .iter()
        .filter(|e| e.reason == "NodeInstallerProgressing")
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "2 nodes are at revision 11; 1 nodes are at revision 12",
            "1 nodes are at revision 11; 2 nodes are at revision 12",
            "3 nodes are at revision 12"
        ]
    );
    assert_eq!(
        sim.settings().signing_issuer(),
        "https://issuer.example.com"
    );
    // New tokens carry the new issuer; pods restarted get them too.
    let new = create_token(&mut sim, "default", "builder", week).token;
    assert_eq!(segment(&new, 1)["iss"], "https://issuer.example.com");
    sim.execute(Command::RestartPods { namespace: None })
        .unwrap();
    let pod_tokens: Vec<_> = sim
        .ledger()
        .iter()
        .filter(|r| r.binding.pod.is_some() && r.superseded_by.is_none())
        .collect();
    assert!(
        pod_tokens
            .iter()
            .any(|r| r.binding.iss == "https://issuer.example.com")
    );
    // The old issuer: trusted 23 h later, rejected 25 h later.
    sim.advance(SimDuration::hours(23));
    assert_eq!(review_error(&mut sim, &old, &[]), None);
    sim.advance(SimDuration::hours(2));
    assert_eq!(
        review_error(&mut sim, &old, &[]).unwrap(),
        "invalid bearer token"
    );
    assert_eq!(review_error(&mut sim, &new, &[]), None);
}

fn apply_pod(sim: &mut Simulator) {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [{"name": "web", "image": "nginx"}]}});
    sim.execute(Command::Apply(Object::from_value(pod).unwrap()))
        .unwrap();
}

#[test]
fn keys_rotate_and_old_tokens_fail_once_retired() {
    let mut sim = demo();
    let old = create_token(&mut sim, "default", "build-robot", Default::default()).token;
    let old_kid = sim.keys().signing().kid.clone();
    sim.execute(Command::RotateSigningKey).unwrap();
    assert_ne!(sim.keys().signing().kid, old_kid);
    assert_eq!(sim.jwks().keys.len(), 2);
    let new = create_token(&mut sim, "default", "build-robot", Default::default()).token;
    assert_eq!(segment(&new, 0)["kid"], json!(sim.keys().signing().kid));
    assert_eq!(
        review_error(&mut sim, &old, &[]),
        None,
        "the old key still verifies"
    );
    let err = sim
        .execute(Command::RetireKey {
            kid: sim.keys().signing().kid.clone(),
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("rotate to a new key before retiring it")
    );
    sim.execute(Command::RetireKey {
        kid: old_kid.clone(),
    })
    .unwrap();
    assert_eq!(sim.jwks().keys.len(), 1);
    assert_eq!(
        review_error(&mut sim, &old, &[]).unwrap(),
        "[invalid bearer token, invalid signature, no keys found]"
    );
    assert_eq!(review_error(&mut sim, &new, &[]), None);
}

#[test]
fn kubernetes_issuer_change_keeps_the_previous_issuer_until_removed() {
    let mut sim = demo();
    let week = kidex::sim::tokens::request::TokenRequestSpec {
        expiration_seconds: Some(7 * 86_400),
        ..Default::default()
    };
    let old = create_token(&mut sim, "default", "build-robot", week).token;
    sim.execute(Command::SetIssuer {
        issuer: "https://new.example.com".into(),
        keep_previous: None,
    })
    .unwrap();
    assert_eq!(
        sim.settings().issuers,
        [
            "https://new.example.com",
            "https://kubernetes.default.svc.cluster.local"
        ]
    );
    sim.advance(SimDuration::days(2));
    assert_eq!(review_error(&mut sim, &old, &[]), None);
    sim.execute(Command::RemoveIssuer {
        issuer: "https://kubernetes.default.svc.cluster.local".into(),
    })
    .unwrap();
    assert_eq!(
        review_error(&mut sim, &old, &[]).unwrap(),
        "invalid bearer token"
    );
    let r = kidex(&["issuer", "set", "not a url:x"]);
    assert_eq!(
        r.stderr,
        "error: service-account-issuer \"not a url:x\" contained a ':' but was not a valid URL\n"
    );
}

#[test]
fn a_rolling_node_restart_recreates_pods_node_by_node() {
    let mut sim = demo();
    let before = sim.store().pods[("test", "nginx")].metadata.uid.clone();
    let out = sim.execute(Command::RestartNodes).unwrap();
    let kidex::sim::command::Outcome::Changed(lines) = out else {
        panic!()
    };
    assert_eq!(
        lines,
        [
            "node kidex-control-plane restarts at 2026-11-23T10:05:00Z",
            "node kidex-worker restarts at 2026-11-23T10:10:00Z"
        ]
    );
    sim.advance(SimDuration::minutes(6));
    assert_eq!(
        sim.store().pods[("test", "nginx")].metadata.uid,
        before,
        "nginx runs on the worker"
    );
    let events = sim.advance(SimDuration::minutes(5));
    assert!(
        events
            .iter()
            .any(|e| e.reason == "Rebooted" && e.message == "Node kidex-worker has been rebooted")
    );
    assert_ne!(sim.store().pods[("test", "nginx")].metadata.uid, before);
}

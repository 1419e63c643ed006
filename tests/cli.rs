//! The real binary: kubectl-shaped output, exit codes, one-line errors, determinism.

mod common;

use common::*;

#[test]
fn get_sa_prints_kubectls_columns() {
    let r = kidex(&["get", "sa"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "NAME             SECRETS   AGE\nadmin-reviewer   0         17h\nbuild-robot      0         2d\ndefault          0         53d\n"
    );
    let r = kidex(&["get", "serviceaccounts", "-A", "-o", "name"]);
    assert!(r.stdout.contains("serviceaccount/nginx\n"));
    let r = kidex(&["get", "crb"]);
    assert_eq!(
        r.stdout,
        "NAME                                      ROLE                                                  AGE\n\
         admin-reviewer                            ClusterRole/system:auth-delegator                     17h\n\
         cluster-admin                             ClusterRole/cluster-admin                             53d\n\
         system:basic-user                         ClusterRole/system:basic-user                         53d\n\
         system:discovery                          ClusterRole/system:discovery                          53d\n\
         system:public-info-viewer                 ClusterRole/system:public-info-viewer                 53d\n\
         system:service-account-issuer-discovery   ClusterRole/system:service-account-issuer-discovery   53d\n"
    );
}

#[test]
fn get_yaml_is_the_object() {
    let r = kidex(&["get", "sa", "nginx", "-n", "test", "-o", "yaml"]);
    assert_eq!(
        r.stdout,
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  creationTimestamp: \"2026-11-20T14:15:02Z\"\n  name: nginx\n  namespace: test\n  resourceVersion: \"110\"\n  uid: a66b0d38-9d95-447e-bd29-9753a7677796\n"
    );
    let r = kidex(&["get", "ns", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["kind"], "List");
    assert_eq!(v["items"].as_array().unwrap().len(), 3);
    assert!(
        r.stdout
            .starts_with("{\n    \"apiVersion\": \"v1\",\n    \"items\": [")
    );
}

#[test]
fn get_tokens_shows_the_ledger() {
    let r = kidex(&["get", "tokens", "-n", "test"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("JTI        SERVICEACCOUNT   HOLDER"),
        "{}",
        lines[0]
    );
    for h in ["ISSUED", "REFRESH-IN", "EXPIRES-IN", "STATUS"] {
        assert!(lines[0].contains(h));
    }
    assert_eq!(lines.len(), 3);
    assert!(lines[1].contains("pod test/nginx volume vault-token path vault-token"));
    assert!(lines[1].ends_with("2h0m0s       active"), "{}", lines[1]);
    // build-robot's pod ci-runner holds a 10-minute token for its CI audience.
    let r = kidex(&["get", "tokens"]);
    assert!(
        r.stdout
            .contains("pod default/ci-runner volume ci-token path ci-token"),
        "{}",
        r.stdout
    );
    let r = kidex(&["get", "tokens", "-n", "kube-system"]);
    assert_eq!(r.stderr, "No resources found in kube-system namespace.\n");
}

#[test]
fn not_found_and_unknown_types_are_one_line_errors() {
    let r = kidex(&["get", "sa", "nope"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "Error from server (NotFound): serviceaccounts \"nope\" not found\n"
        )
    );
    let r = kidex(&["get", "foo"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "error: the server doesn't have a resource type \"foo\"\n"
        )
    );
    let r = kidex(&["delete", "pod", "nope", "-n", "test"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Error from server (NotFound): pods \"nope\" not found\n")
    );
    let r = kidex(&["create", "sa", "nginx", "-n", "test"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "error: failed to create serviceaccount: serviceaccounts \"nginx\" already exists\n"
        )
    );
}

#[test]
fn usage_errors_exit_2() {
    let r = kidex(&["get"]);
    assert_eq!(r.code, 2);
    let r = kidex(&["frobnicate"]);
    assert_eq!(r.code, 2);
}

#[test]
fn create_token_prints_only_the_token() {
    let r = kidex(&[
        "create",
        "token",
        "build-robot",
        "--audience",
        "vault",
        "--duration",
        "2h",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches('.').count(), 2);
    assert!(
        !r.stdout.ends_with('\n'),
        "no newline when not a terminal, like kubectl"
    );
    let p = segment(&r.stdout, 1);
    assert_eq!(
        p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(),
        7200
    );
    let r = kidex(&["create", "token", "build-robot", "--duration", "599s"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes\n"
    );
    let r = kidex(&["create", "token", "build-robot", "--duration", "1500ms"]);
    assert_eq!(
        r.stderr,
        "error: --duration cannot be expressed in units less than seconds\n"
    );
    let r = kidex(&["create", "token", "build-robot", "--duration", "10"]);
    assert_eq!(
        r.stderr,
        "error: invalid argument \"10\" for \"--duration\" flag: time: missing unit in duration \"10\"\n"
    );
}

#[test]
fn review_and_decode_read_stdin() {
    let t = kidex(&["create", "token", "build-robot", "--audience", "vault"]).stdout;
    let r = kidex_stdin(&["review", "-", "--audience", "vault", "-o", "json"], &t);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["kind"], "TokenReview");
    assert_eq!(v["status"]["authenticated"], true);
    assert_eq!(
        v["status"]["user"]["username"],
        "system:serviceaccount:default:build-robot"
    );
    let r = kidex_stdin(&["review", "-"], &t);
    assert_eq!(r.code, 1, "not authenticated for the API audience");
    assert!(
        r.stdout
            .contains("error: '[invalid bearer token, token audiences [\"vault\"]")
    );
    let r = kidex_stdin(&["decode", "-"], &t);
    assert!(
        r.stdout.contains("Signature: valid (RS256, 2048-bit key"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("  exp        "));
    let r = kidex(&["decode", "not-a-token"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "error: not a JWT: a JWT has 3 dot-separated parts, this has 1\n"
        )
    );
}

#[test]
fn decode_reports_tokens_from_elsewhere_as_unknown_key() {
    // A real-looking token signed by some other cluster's key.
    let foreign = "eyJhbGciOiJSUzI1NiIsImtpZCI6Im90aGVyLWtpZCJ9.eyJhdWQiOlsiaHR0cHM6Ly9rdWJlcm5ldGVzLmRlZmF1bHQuc3ZjIl0sImV4cCI6MTczMTYxMzQxMywiaWF0IjoxNzAwMDc3NDEzLCJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMiLCJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6a3ViZS1zeXN0ZW06Y29yZWRucyJ9.c2lnbmF0dXJl";
    let r = kidex(&["decode", foreign]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("Signature: unknown key: kid other-kid is not in this cluster's JWKS"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("2024-11-14T19:43:33Z"));
}

#[test]
fn jwks_and_discovery_are_served_bytes() {
    let r = kidex(&["jwks"]);
    assert!(
        r.stdout
            .starts_with("{\"keys\":[{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":\"")
    );
    let r = kidex(&["discovery"]);
    assert_eq!(
        r.stdout,
        "{\"issuer\":\"https://kubernetes.default.svc.cluster.local\",\"jwks_uri\":\"https://172.18.0.2:6443/openid/v1/jwks\",\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}\n"
    );
}

#[test]
fn official_manifests_apply_as_they_are() {
    let docs = r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: build-robot-2
automountServiceAccountToken: false
---
apiVersion: v1
kind: Secret
metadata:
  name: build-robot-secret
  annotations:
    kubernetes.io/service-account.name: build-robot
type: kubernetes.io/service-account-token
---
apiVersion: v1
kind: Pod
metadata:
  name: nginx2
spec:
  containers:
  - image: nginx
    name: nginx
    volumeMounts:
    - mountPath: /var/run/secrets/tokens
      name: vault-token
  serviceAccountName: build-robot
  volumes:
  - name: vault-token
    projected:
      sources:
      - serviceAccountToken:
          path: vault-token
          expirationSeconds: 7200
          audience: vault
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default
  name: pod-reader
rules:
- apiGroups: [""] # "" indicates the core API group
  resources: ["pods"]
  verbs: ["get", "watch", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
- kind: User
  name: jane # "name" is case sensitive
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role #this must be Role or ClusterRole
  name: pod-reader # this must match the name of the Role or ClusterRole you wish to bind to
  apiGroup: rbac.authorization.k8s.io
"#;
    let r = kidex_stdin(&["apply", "-f", "-"], docs);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "serviceaccount/build-robot-2 created\nsecret/build-robot-secret created\npod/nginx2 created\nrole.rbac.authorization.k8s.io/pod-reader created\nrolebinding.rbac.authorization.k8s.io/read-pods created\n"
    );
}

#[test]
fn malformed_manifests_and_states_give_line_and_column() {
    let r = kidex_stdin(
        &["apply", "-f", "-"],
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: indent\n",
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: STDIN:5:"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1);
    let r = kidex_stdin(
        &["apply", "-f", "-"],
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    volumeMounts: 7\n",
    );
    assert_eq!(
        r.stderr,
        "error: STDIN:8:19: spec.containers[0].volumeMounts: invalid type: integer `7`, expected a sequence\n"
    );
    let r = kidex_stdin(
        &["apply", "-f", "-"],
        "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: RoleBinding\nmetadata:\n  name: old\n",
    );
    assert_eq!(
        r.stderr,
        "error: resource mapping not found for name: \"old\" namespace: \"\" from \"STDIN\": no matches for kind \"RoleBinding\" in version \"rbac.authorization.k8s.io/v1beta1\"\n"
    );

    let dir = scratch("bad-state");
    let path = dir.join("bad.yaml");
    std::fs::write(
        &path,
        "apiVersion: kidex.dev/v1alpha1\nkind: ClusterState\ncluster: [1, 2\n",
    )
    .unwrap();
    let r = kidex(&["--state", path.to_str().unwrap(), "get", "sa"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(&format!("error: {}:", path.display())),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1);
    let r = kidex(&["--state", "/nonexistent/state.yaml", "get", "sa"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.lines().count(), 1);
}

#[test]
fn save_writes_back_and_out_writes_a_copy() {
    let dir = scratch("save");
    let s = dir.join("s.yaml");
    let st = s.to_str().unwrap();
    let r = kidex(&["--out", st, "create", "sa", "robot", "-n", "test"]);
    assert_eq!(r.code, 0);
    let r = kidex(&[
        "--state", st, "--save", "create", "token", "robot", "-n", "test",
    ]);
    assert_eq!(r.code, 0);
    let r = kidex(&["--state", st, "get", "tokens", "-n", "test"]);
    assert!(r.stdout.contains("TokenRequest"), "{}", r.stdout);
    let r = kidex(&["--save", "get", "sa"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: --save needs --state FILE"));
}

#[test]
fn delete_pod_waits_for_termination_on_the_simulated_clock() {
    let dir = scratch("delete");
    let s = dir.join("s.yaml");
    let st = s.to_str().unwrap();
    let r = kidex(&["--out", st, "delete", "pod", "nginx", "-n", "test"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "pod \"nginx\" deleted\n"));
    let r = kidex(&["--state", st, "get", "tokens", "-n", "test"]);
    assert_eq!(
        r.stdout
            .matches("revoked: bound pod test/nginx not found")
            .count(),
        2,
        "{}",
        r.stdout
    );
    let r = kidex(&["--state", st, "events", "-n", "test"]);
    assert!(r.stdout.contains("TokenRevoked"));
}

#[test]
fn the_same_commands_give_byte_identical_output() {
    let run = |tag: &str| {
        let dir = scratch(tag);
        let s = dir.join("s.yaml");
        let st = s.to_str().unwrap();
        let mut out = String::new();
        for args in [
            vec!["--out", st, "create", "sa", "robot", "-n", "test"],
            vec![
                "--state",
                st,
                "--save",
                "create",
                "token",
                "robot",
                "-n",
                "test",
                "--duration",
                "1h",
            ],
            vec!["--state", st, "--save", "advance", "26h"],
            vec!["--state", st, "get", "tokens", "-A", "-o", "yaml"],
            vec!["--state", st, "get", "pods", "-A", "-o", "json"],
            vec!["--state", st, "events"],
        ] {
            let r = kidex(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            out.push_str(&r.stdout);
        }
        (out, std::fs::read(&s).unwrap())
    };
    let (a, sa) = run("det-a");
    let (b, sb) = run("det-b");
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    assert!(a.contains("TokenRefreshed"));
}

#[test]
fn get_filters_by_label_selector_and_shows_labels() {
    let r = kidex(&["get", "ns", "--show-labels"]);
    assert_eq!(
        r.stdout,
        "NAME          STATUS   AGE     LABELS\n\
         default       Active   53d     kubernetes.io/metadata.name=default\n\
         kube-system   Active   53d     kubernetes.io/metadata.name=kube-system\n\
         test          Active   2d19h   kubernetes.io/metadata.name=test\n"
    );
    let r = kidex(&[
        "get",
        "ns",
        "-l",
        "kubernetes.io/metadata.name notin (test,default)",
        "-o",
        "name",
    ]);
    assert_eq!(r.stdout, "namespace/kube-system\n");
    let r = kidex(&["get", "pods", "-A", "-l", "app=nginx", "-o", "name"]);
    assert_eq!(r.stdout, "pod/nginx\n");
    let r = kidex(&["get", "pods", "-A", "-l", "app=other"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    assert_eq!(r.stderr, "No resources found\n");
    let r = kidex(&["get", "sa", "-l", "app in nginx"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "error: unable to parse requirement: found 'nginx', expected: '('\n"
    );
    let r = kidex(&["get", "sa", "default", "-l", "app"]);
    assert_eq!(
        r.stderr,
        "error: name cannot be provided when a selector is specified\n"
    );
}

#[test]
fn decode_survives_extreme_claims() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let token = format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"RS256","kid":"x"}"#),
        b64(
            r#"{"iss":"a","sub":"b","aud":"c","exp":9223372036854775807,"iat":-9223372036854775807,"nbf":-9223372036854775808}"#
        )
    );
    let r = kidex(&["decode", &token]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("  lifetime   9223372036854775807s (106751991167d7h)"),
        "{}",
        r.stdout
    );
    let r = kidex(&["review", &token]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("error: invalid bearer token"),
        "{}",
        r.stdout
    );
}

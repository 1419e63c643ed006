//! Generated clusters of any size, for benchmarks and scale tests: the demo cluster's settings
//! and keys with `pods` pods spread over namespaces, service accounts and nodes. Each pod has a
//! projected `vault` token (7200 s) and the automounted API token, like the demo's nginx.

use serde_json::{Value, json};

use super::demo::{DEFAULT_NAME, DEFAULT_YAML};
use super::{StateError, parse};
use crate::sim::Snapshot;
use crate::sim::objects::Object;

pub const PODS_PER_NAMESPACE: usize = 100;
pub const PODS_PER_NODE: usize = 110;
pub const SERVICE_ACCOUNTS_PER_NAMESPACE: usize = 5;

fn object(v: Value) -> Result<Object, StateError> {
    Object::from_value(v).map_err(|e| StateError::Io {
        path: "generated".into(),
        message: e.message,
    })
}

/// A snapshot of a cluster with `pods` running pods (they start, and get their tokens, when
/// the snapshot is restored).
pub fn scale_snapshot(pods: usize, seed: u64) -> Result<Snapshot, StateError> {
    let mut snap = parse(DEFAULT_YAML, DEFAULT_NAME)?;
    snap.seed = seed;
    snap.rng_position = None;
    snap.settings.name = format!("scale-{pods}");
    let created = "2026-11-01T00:00:00Z";
    let nodes = pods.div_ceil(PODS_PER_NODE).max(1);
    let namespaces = pods.div_ceil(PODS_PER_NAMESPACE).max(1);
    let mut objects =
        Vec::with_capacity(pods + nodes + namespaces * (SERVICE_ACCOUNTS_PER_NAMESPACE + 2));
    for n in 0..nodes {
        objects.push(object(json!({"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": format!("node-{n}"), "creationTimestamp": created},
            "spec": {"podCIDR": format!("10.{}.{}.0/24", 100 + n / 250, n % 250)},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "addresses": [{"type": "InternalIP", "address": format!("172.20.{}.{}", n / 250, n % 250 + 1)}],
                       "nodeInfo": {"kubeletVersion": "v1.33.1"}}}))?);
    }
    for ns in 0..namespaces {
        let name = format!("ns-{ns}");
        objects.push(object(json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "creationTimestamp": created}, "status": {"phase": "Active"}}))?);
        for sa in 0..SERVICE_ACCOUNTS_PER_NAMESPACE {
            objects.push(object(json!({"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": {"name": format!("app-{sa}"), "namespace": name, "creationTimestamp": created}}))?);
        }
    }
    for i in 0..pods {
        let ns = format!("ns-{}", i / PODS_PER_NAMESPACE);
        let api_volume = format!("kube-api-access-{:05}", i % 100_000);
        objects.push(object(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("pod-{i}"), "namespace": ns, "creationTimestamp": created},
            "spec": {
                "serviceAccountName": format!("app-{}", i % SERVICE_ACCOUNTS_PER_NAMESPACE),
                "nodeName": format!("node-{}", i % nodes),
                "containers": [{"name": "app", "image": "nginx:1.27", "volumeMounts": [
                    {"name": "vault-token", "mountPath": "/var/run/secrets/tokens"},
                    {"name": api_volume, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}]}],
                "volumes": [
                    {"name": "vault-token", "projected": {"defaultMode": 420, "sources": [
                        {"serviceAccountToken": {"audience": "vault", "expirationSeconds": 7200, "path": "vault-token"}}]}},
                    {"name": api_volume, "projected": {"defaultMode": 420, "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}}]}}))?);
    }
    snap.objects = objects;
    Ok(snap)
}

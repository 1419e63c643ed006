//! `kubectl get` tables for each kind: kubectl's columns and cell rules
//! (`pkg/printers/internalversion/printers.go`), plus kidex's extra columns for the TUI.

use serde_json::Value;

use super::age::human_duration;
use super::table::{Row, Table, col, extra, wide};
use crate::sim::Simulator;
use crate::sim::clock::format_rfc3339;
use crate::sim::objects::core::{ANNOTATION_SA_NAME, Namespace, Node, Secret, ServiceAccount};
use crate::sim::objects::pod::Pod;
use crate::sim::objects::rbac::RoleBinding;
use crate::sim::objects::{ConfigMap, Kind, Object, ObjectMeta};

/// AGE of an object: time since its creation on the simulated clock.
pub fn age(sim: &Simulator, meta: &ObjectMeta) -> String {
    match meta.creation_timestamp {
        Some(t) => human_duration(sim.now() - t),
        None => "<unknown>".into(),
    }
}

fn row(meta: &ObjectMeta, cells: Vec<String>) -> Row {
    Row {
        namespace: meta.ns().to_string(),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        cells,
    }
}

/// The table `kubectl get KIND [NAME]` prints, over one namespace or (None) all of them.
pub fn table(sim: &Simulator, kind: Kind, namespace: Option<&str>, name: Option<&str>) -> Table {
    let ns = if kind.namespaced() { namespace } else { None };
    let objects: Vec<Object> = match name {
        Some(n) => sim
            .store()
            .get(kind, ns.unwrap_or(""), n)
            .into_iter()
            .collect(),
        None => sim.store().list(kind, ns),
    };
    let (columns, rows) = match kind {
        Kind::Namespace => (
            vec![col("NAME"), col("STATUS"), col("AGE")],
            objects
                .iter()
                .filter_map(as_namespace)
                .map(|o| namespace_row(sim, o))
                .collect(),
        ),
        Kind::ServiceAccount => (
            vec![
                col("NAME"),
                col("SECRETS"),
                col("AGE"),
                extra("TOKENS"),
                extra("AUTOMOUNT"),
            ],
            objects
                .iter()
                .filter_map(as_sa)
                .map(|o| sa_row(sim, o))
                .collect(),
        ),
        Kind::Secret => (
            vec![
                col("NAME"),
                col("TYPE"),
                col("DATA"),
                col("AGE"),
                extra("SERVICE-ACCOUNT"),
                extra("LAST-USED"),
            ],
            objects
                .iter()
                .filter_map(as_secret)
                .map(|o| secret_row(sim, o))
                .collect(),
        ),
        Kind::ConfigMap => (
            vec![col("NAME"), col("DATA"), col("AGE")],
            objects
                .iter()
                .filter_map(as_cm)
                .map(|o| configmap_row(sim, o))
                .collect(),
        ),
        Kind::Pod => (
            vec![
                col("NAME"),
                col("READY"),
                col("STATUS"),
                col("RESTARTS"),
                col("AGE"),
                wide("IP"),
                wide("NODE"),
                wide("NOMINATED NODE"),
                wide("READINESS GATES"),
                extra("SERVICE-ACCOUNT"),
                extra("PROJECTED-TOKENS"),
            ],
            objects
                .iter()
                .filter_map(as_pod)
                .map(|o| pod_row(sim, o))
                .collect(),
        ),
        Kind::Node => (
            vec![
                col("NAME"),
                col("STATUS"),
                col("ROLES"),
                col("AGE"),
                col("VERSION"),
                wide("INTERNAL-IP"),
                wide("EXTERNAL-IP"),
                wide("OS-IMAGE"),
                wide("KERNEL-VERSION"),
                wide("CONTAINER-RUNTIME"),
            ],
            objects
                .iter()
                .filter_map(as_node)
                .map(|o| node_row(sim, o))
                .collect(),
        ),
        Kind::Role | Kind::ClusterRole => (
            vec![col("NAME"), col("CREATED AT")],
            objects
                .iter()
                .map(|o| {
                    let m = o.meta();
                    row(
                        m,
                        vec![
                            m.name.clone(),
                            m.creation_timestamp.map(format_rfc3339).unwrap_or_default(),
                        ],
                    )
                })
                .collect(),
        ),
        Kind::RoleBinding | Kind::ClusterRoleBinding => (
            vec![
                col("NAME"),
                col("ROLE"),
                col("AGE"),
                wide("USERS"),
                wide("GROUPS"),
                wide("SERVICEACCOUNTS"),
                extra("SUBJECTS"),
            ],
            objects
                .iter()
                .filter_map(as_binding)
                .map(|o| binding_row(sim, o))
                .collect(),
        ),
    };
    Table {
        columns,
        rows,
        namespaced: kind.namespaced(),
    }
}

fn as_namespace(o: &Object) -> Option<&Namespace> {
    if let Object::Namespace(x) = o {
        Some(x)
    } else {
        None
    }
}
fn as_sa(o: &Object) -> Option<&ServiceAccount> {
    if let Object::ServiceAccount(x) = o {
        Some(x)
    } else {
        None
    }
}
fn as_secret(o: &Object) -> Option<&Secret> {
    if let Object::Secret(x) = o {
        Some(x)
    } else {
        None
    }
}
fn as_cm(o: &Object) -> Option<&ConfigMap> {
    if let Object::ConfigMap(x) = o {
        Some(x)
    } else {
        None
    }
}
fn as_pod(o: &Object) -> Option<&Pod> {
    if let Object::Pod(x) = o {
        Some(x)
    } else {
        None
    }
}
fn as_node(o: &Object) -> Option<&Node> {
    if let Object::Node(x) = o {
        Some(x)
    } else {
        None
    }
}
fn as_binding(o: &Object) -> Option<&RoleBinding> {
    match o {
        Object::RoleBinding(x) | Object::ClusterRoleBinding(x) => Some(x),
        _ => None,
    }
}

fn namespace_row(sim: &Simulator, n: &Namespace) -> Row {
    let status = if n.metadata.is_terminating() {
        "Terminating"
    } else {
        n.phase()
    };
    row(
        &n.metadata,
        vec![
            n.metadata.name.clone(),
            status.into(),
            age(sim, &n.metadata),
        ],
    )
}

fn sa_row(sim: &Simulator, sa: &ServiceAccount) -> Row {
    let live = sim
        .ledger()
        .naming_uid(&sa.metadata.uid)
        .filter(|r| {
            r.binding.service_account.uid == sa.metadata.uid && sim.token_status(r).accepted()
        })
        .count();
    let automount = match sa.automount_service_account_token {
        Some(true) => "true",
        Some(false) => "false",
        None => "<unset>",
    };
    row(
        &sa.metadata,
        vec![
            sa.metadata.name.clone(),
            sa.secrets.len().to_string(),
            age(sim, &sa.metadata),
            live.to_string(),
            automount.into(),
        ],
    )
}

fn secret_row(sim: &Simulator, s: &Secret) -> Row {
    let sa = s
        .metadata
        .annotations
        .get(ANNOTATION_SA_NAME)
        .cloned()
        .unwrap_or_default();
    let last_used = s
        .metadata
        .labels
        .get("kubernetes.io/legacy-token-last-used")
        .cloned()
        .unwrap_or_default();
    row(
        &s.metadata,
        vec![
            s.metadata.name.clone(),
            s.type_name().to_string(),
            s.data.len().to_string(),
            age(sim, &s.metadata),
            sa,
            last_used,
        ],
    )
}

fn configmap_row(sim: &Simulator, c: &ConfigMap) -> Row {
    row(
        &c.metadata,
        vec![
            c.metadata.name.clone(),
            (c.data.len() + c.binary_data.len()).to_string(),
            age(sim, &c.metadata),
        ],
    )
}

/// kubectl's pod STATUS: Terminating while deleting, else the phase.
pub fn pod_status(p: &Pod) -> String {
    if p.metadata.is_terminating() {
        return "Terminating".into();
    }
    if let Some(reason) = p.status.as_ref().and_then(|s| s.reason.as_deref()) {
        return reason.into();
    }
    p.phase().into()
}

fn pod_row(sim: &Simulator, p: &Pod) -> Row {
    let status = p.status.as_ref();
    let statuses = status
        .map(|s| s.container_statuses.as_slice())
        .unwrap_or(&[]);
    let ready = statuses
        .iter()
        .filter(|s| s.ready && s.state.running.is_some())
        .count();
    let restarts: i64 = statuses.iter().map(|s| s.restart_count).sum();
    let ip = status
        .and_then(|s| s.pod_ips.first())
        .map(|i| i.ip.clone())
        .unwrap_or_else(|| "<none>".into());
    let nominated = status
        .and_then(|s| s.nominated_node_name.clone())
        .unwrap_or_else(|| "<none>".into());
    let tokens = p.token_projections().count();
    row(
        &p.metadata,
        vec![
            p.metadata.name.clone(),
            format!("{ready}/{}", p.spec.containers.len()),
            pod_status(p),
            restarts.to_string(),
            age(sim, &p.metadata),
            ip,
            p.spec
                .node_name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "<none>".into()),
            nominated,
            "<none>".into(),
            p.service_account_name().to_string(),
            tokens.to_string(),
        ],
    )
}

/// Node roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels.
pub fn node_roles(n: &Node) -> String {
    let mut roles: Vec<String> = n
        .metadata
        .labels
        .iter()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) if !role.is_empty() => Some(role.to_string()),
            _ if k == "kubernetes.io/role" && !v.is_empty() => Some(v.clone()),
            _ => None,
        })
        .collect();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    }
}

fn node_row(sim: &Simulator, n: &Node) -> Row {
    let mut status = n.readiness().to_string();
    if n.spec
        .as_ref()
        .and_then(|s| s.get("unschedulable"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        status.push_str(",SchedulingDisabled");
    }
    let info = n.status.as_ref().and_then(|s| s.node_info.as_ref());
    let info_field = |k: &str| {
        info.and_then(|i| i.extra.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("<unknown>")
    };
    let address = |t: &str| {
        n.status
            .as_ref()
            .and_then(|s| s.addresses.iter().find(|a| a.address_type == t))
            .map(|a| a.address.clone())
            .unwrap_or_else(|| "<none>".into())
    };
    row(
        &n.metadata,
        vec![
            n.metadata.name.clone(),
            status,
            node_roles(n),
            age(sim, &n.metadata),
            info.map(|i| i.kubelet_version.clone()).unwrap_or_default(),
            address("InternalIP"),
            address("ExternalIP"),
            info_field("osImage").into(),
            info_field("kernelVersion").into(),
            info_field("containerRuntimeVersion").into(),
        ],
    )
}

/// `rbac.SubjectsStrings`: users, groups, and `ns/name` service accounts.
pub fn subject_strings(b: &RoleBinding) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for s in &b.subjects {
        match s.kind.as_str() {
            "User" => users.push(s.name.clone()),
            "Group" => groups.push(s.name.clone()),
            "ServiceAccount" => sas.push(format!(
                "{}/{}",
                s.namespace.as_deref().unwrap_or(""),
                s.name
            )),
            _ => {}
        }
    }
    (users, groups, sas)
}

fn binding_row(sim: &Simulator, b: &RoleBinding) -> Row {
    let (users, groups, sas) = subject_strings(b);
    let subjects: Vec<String> = b
        .subjects
        .iter()
        .map(|s| format!("{}:{}", s.kind, s.name))
        .collect();
    row(
        &b.metadata,
        vec![
            b.metadata.name.clone(),
            format!("{}/{}", b.role_ref.kind, b.role_ref.name),
            age(sim, &b.metadata),
            users.join(", "),
            groups.join(", "),
            sas.join(", "),
            subjects.join(", "),
        ],
    )
}

/// `-o name`: `serviceaccount/default`, `role.rbac.authorization.k8s.io/x`.
pub fn resource_name(kind: Kind, name: &str) -> String {
    let i = kind.info();
    if i.group.is_empty() {
        format!("{}/{name}", i.singular)
    } else {
        format!("{}.{}/{name}", i.singular, i.group)
    }
}

/// What kubectl prints on stderr when a listing is empty.
pub fn no_resources_message(kind_namespaced: bool, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if kind_namespaced => format!("No resources found in {ns} namespace."),
        _ => "No resources found".into(),
    }
}

//! `kubectl describe` layouts (`staging/src/k8s.io/kubectl/pkg/describe/describe.go`, 1.33):
//! tab-separated lines run through a tabwriter with padding 2.

use std::collections::BTreeMap;

use serde_json::Value;

use super::age::human_duration;
use super::get::node_roles;
use super::rules::{go_list, rule_rows};
use super::tabwriter;
use crate::sim::Simulator;
use crate::sim::clock::SimTime;
use crate::sim::objects::core::{ANNOTATION_SA_NAME, ANNOTATION_SA_UID, SECRET_TYPE_SA_TOKEN};
use crate::sim::objects::pod::{ContainerStatus, Pod};
use crate::sim::objects::rbac::{PolicyRule, RoleBinding};
use crate::sim::objects::{
    ConfigMap, Kind, Namespace, Node, Object, ObjectMeta, Secret, ServiceAccount,
};

/// `time.RFC1123Z`, in UTC: `Mon, 23 Nov 2026 10:00:00 +0000`.
pub fn rfc1123z(t: SimTime) -> String {
    t.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

#[derive(Default)]
struct Out {
    text: String,
}

impl Out {
    fn line(&mut self, level: usize, s: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(s);
        self.text.push('\n');
    }

    fn kv(&mut self, level: usize, label: &str, value: &str) {
        self.line(level, &format!("{label}:\t{value}"));
    }

    fn labels(&mut self, level: usize, title: &str, m: &BTreeMap<String, String>) {
        if m.is_empty() {
            return self.kv(level, title, "<none>");
        }
        for (i, (k, v)) in m.iter().enumerate() {
            if i == 0 {
                self.kv(level, title, &format!("{k}={v}"));
            } else {
                self.line(level, &format!("\t{k}={v}"));
            }
        }
    }

    fn annotations(&mut self, level: usize, m: &BTreeMap<String, String>) {
        let shown: Vec<(&String, &String)> = m.iter().filter(|(k, _)| *k != LAST_APPLIED).collect();
        if shown.is_empty() {
            return self.kv(level, "Annotations", "<none>");
        }
        for (i, (k, v)) in shown.into_iter().enumerate() {
            let first = if i == 0 { "Annotations:" } else { "" };
            let value = v.strip_suffix('\n').unwrap_or(v);
            if k.len() + value.len() + 2 > 140 || value.contains('\n') {
                self.line(level, &format!("{first}\t{k}:"));
                for l in value.split('\n') {
                    let cut: String = if l.chars().count() > 138 {
                        format!("{}...", l.chars().take(138).collect::<String>())
                    } else {
                        l.to_string()
                    };
                    self.line(level, &format!("\t  {cut}"));
                }
            } else {
                self.line(level, &format!("{first}\t{k}: {value}"));
            }
        }
    }

    fn meta(&mut self, m: &ObjectMeta, with_namespace: bool) {
        self.kv(0, "Name", &m.name);
        if with_namespace {
            self.kv(0, "Namespace", m.ns());
        }
        self.labels(0, "Labels", &m.labels);
        self.annotations(0, &m.annotations);
    }

    fn finish(self) -> String {
        tabwriter::format(&self.text, 0, 2)
    }
}

/// The describe text of one object, or kubectl's NotFound message.
pub fn describe(sim: &Simulator, kind: Kind, namespace: &str, name: &str) -> Option<String> {
    let object = sim
        .store()
        .get(kind, if kind.namespaced() { namespace } else { "" }, name)?;
    Some(match &object {
        Object::Namespace(n) => describe_namespace(n),
        Object::ServiceAccount(sa) => describe_sa(sim, sa),
        Object::Secret(s) => describe_secret(s),
        Object::ConfigMap(c) => describe_configmap(c),
        Object::Pod(p) => describe_pod(sim, p),
        Object::Node(n) => describe_node(sim, n),
        Object::Role(r) => describe_role(&r.metadata, r.rules.as_deref().unwrap_or(&[])),
        Object::ClusterRole(r) => describe_role(&r.metadata, r.rules.as_deref().unwrap_or(&[])),
        Object::RoleBinding(b) | Object::ClusterRoleBinding(b) => describe_binding(b),
    })
}

/// `Events:` for an object: `<none>` inline, or a table flushed after the main block.
fn events(sim: &Simulator, out: &mut Out, uid: &str) -> String {
    let evs: Vec<_> = sim
        .events()
        .iter()
        .filter(|e| &*e.object.uid == uid)
        .collect();
    if evs.is_empty() {
        out.kv(0, "Events", "<none>");
        return String::new();
    }
    let mut t = String::from(
        "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n",
    );
    for e in evs {
        t.push_str(&format!(
            "  {}\t{}\t{}\t{}\t{}\n",
            super::events::type_text(e.event_type),
            e.reason,
            human_duration(sim.now() - e.time),
            e.source,
            e.message.trim()
        ));
    }
    tabwriter::format(&t, 0, 2)
}

fn describe_namespace(n: &Namespace) -> String {
    let mut out = Out::default();
    out.meta(&n.metadata, false);
    out.kv(
        0,
        "Status",
        if n.metadata.is_terminating() {
            "Terminating"
        } else {
            n.phase()
        },
    );
    out.line(0, "");
    out.line(0, "No resource quota.");
    out.line(0, "");
    out.line(0, "No LimitRange resource.");
    out.finish()
}

fn describe_sa(sim: &Simulator, sa: &ServiceAccount) -> String {
    let mut out = Out::default();
    out.meta(&sa.metadata, true);
    let ns = sa.metadata.ns();
    let pull: Vec<String> = sa
        .image_pull_secrets
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let mount: Vec<String> = sa
        .secrets
        .iter()
        .map(|s| {
            let found = sim.store().secrets.contains(ns, &s.name);
            if found {
                s.name.clone()
            } else {
                format!("{} (not found)", s.name)
            }
        })
        .collect();
    let tokens: Vec<String> = sim
        .store()
        .secrets
        .in_namespace(ns)
        .filter(|s| {
            s.type_name() == SECRET_TYPE_SA_TOKEN
                && s.metadata.annotations.get(ANNOTATION_SA_NAME) == Some(&sa.metadata.name)
                && s.metadata.annotations.get(ANNOTATION_SA_UID) == Some(&sa.metadata.uid)
        })
        .map(|s| s.metadata.name.clone())
        .collect();
    // Headers are padded to 19 characters and printed in sorted order.
    for (header, names) in [
        ("Image pull secrets:", pull),
        ("Mountable secrets: ", mount),
        ("Tokens:            ", tokens),
    ] {
        if names.is_empty() {
            out.line(0, &format!("{header}\t<none>"));
        }
        for (i, n) in names.iter().enumerate() {
            let h = if i == 0 {
                header
            } else {
                "                   "
            };
            out.line(0, &format!("{h}\t{n}"));
        }
    }
    let table = events(sim, &mut out, &sa.metadata.uid);
    out.finish() + &table
}

fn describe_secret(s: &Secret) -> String {
    let mut out = Out::default();
    out.meta(&s.metadata, true);
    out.line(0, "");
    out.kv(0, "Type", s.type_name());
    out.line(0, "");
    out.line(0, "Data");
    out.line(0, "====");
    for (k, v) in &s.data {
        if k == "token" && s.type_name() == SECRET_TYPE_SA_TOKEN {
            out.kv(0, k, &String::from_utf8_lossy(v));
        } else {
            out.kv(0, k, &format!("{} bytes", v.len()));
        }
    }
    out.finish()
}

fn describe_configmap(c: &ConfigMap) -> String {
    let mut out = Out::default();
    out.meta(&c.metadata, true);
    let mut text = out.finish();
    text.push_str("\nData\n====\n");
    for (k, v) in &c.data {
        text.push_str(&format!("{k}:\n----\n{v}\n\n"));
    }
    text.push_str("\nBinaryData\n====\n");
    for (k, v) in &c.binary_data {
        let len = v.as_str().map(|s| s.len() * 3 / 4).unwrap_or(0);
        text.push_str(&format!("{k}: {len} bytes\n"));
    }
    text.push('\n');
    text
}

fn describe_pod(sim: &Simulator, p: &Pod) -> String {
    let mut out = Out::default();
    out.kv(0, "Name", &p.metadata.name);
    out.kv(0, "Namespace", p.metadata.ns());
    if let Some(prio) = p.spec.extra.get("priority").and_then(Value::as_i64) {
        out.kv(0, "Priority", &prio.to_string());
    }
    out.kv(0, "Service Account", p.service_account_name());
    let node = match p.spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => match p.status.as_ref().and_then(|s| s.host_ip.as_deref()) {
            Some(ip) => format!("{n}/{ip}"),
            None => n.to_string(),
        },
        None => "<none>".into(),
    };
    out.kv(0, "Node", &node);
    if let Some(start) = p.status.as_ref().and_then(|s| s.start_time.as_deref())
        && let Ok(t) = crate::sim::clock::parse_rfc3339(start)
    {
        out.kv(0, "Start Time", &rfc1123z(t));
    }
    out.labels(0, "Labels", &p.metadata.labels);
    out.annotations(0, &p.metadata.annotations);
    match p.metadata.deletion_timestamp {
        Some(t) => {
            out.kv(
                0,
                "Status",
                &format!("Terminating (lasts {})", human_duration(sim.now() - t)),
            );
            out.kv(
                0,
                "Termination Grace Period",
                &format!("{}s", p.metadata.deletion_grace_period_seconds.unwrap_or(0)),
            );
        }
        None => out.kv(0, "Status", p.phase()),
    }
    let status = p.status.clone().unwrap_or_default();
    out.kv(0, "IP", status.pod_ip.as_deref().unwrap_or(""));
    if status.pod_ips.is_empty() {
        out.kv(0, "IPs", "<none>");
    } else {
        out.line(0, "IPs:");
        for ip in &status.pod_ips {
            out.kv(1, "IP", &ip.ip);
        }
    }
    let statuses = &status.container_statuses;
    if !p.spec.init_containers.is_empty() {
        out.line(0, "Init Containers:");
        for c in &p.spec.init_containers {
            container(&mut out, c, statuses);
        }
    }
    if p.spec.containers.is_empty() {
        out.line(0, "Containers: <none>");
    } else {
        out.line(0, "Containers:");
        for c in &p.spec.containers {
            container(&mut out, c, statuses);
        }
    }
    if !status.conditions.is_empty() {
        out.line(0, "Conditions:");
        out.line(1, "Type\tStatus");
        for c in &status.conditions {
            out.line(1, &format!("{} \t{} ", c.condition_type, c.status));
        }
    }
    if p.spec.volumes.is_empty() {
        out.kv(0, "Volumes", "<none>");
    } else {
        out.line(0, "Volumes:");
        for v in &p.spec.volumes {
            out.line(1, &format!("{}:", v.name));
            volume(&mut out, v);
        }
    }
    let qos = status.qos_class.as_deref().unwrap_or("BestEffort");
    out.kv(0, "QoS Class", qos);
    let selectors: BTreeMap<String, String> = p
        .spec
        .extra
        .get("nodeSelector")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    out.labels(0, "Node-Selectors", &selectors);
    tolerations(&mut out, p);
    let table = events(sim, &mut out, &p.metadata.uid);
    out.finish() + &table
}

fn container(out: &mut Out, c: &crate::sim::objects::pod::Container, statuses: &[ContainerStatus]) {
    out.line(1, &format!("{}:", c.name));
    let st = statuses.iter().find(|s| s.name == c.name);
    if let Some(id) = st.and_then(|s| s.container_id.as_deref()) {
        out.kv(2, "Container ID", id);
    }
    out.kv(2, "Image", c.image.as_deref().unwrap_or(""));
    if let Some(s) = st {
        out.kv(2, "Image ID", &s.image_id);
    }
    let ports: Vec<String> = c
        .extra
        .get("ports")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| {
                    let port = p.get("containerPort").and_then(Value::as_i64).unwrap_or(0);
                    let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
                    match p.get("name").and_then(Value::as_str) {
                        Some(n) => format!("{port}/{proto} ({n})"),
                        None => format!("{port}/{proto}"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    match ports.len() {
        0 => out.kv(2, "Port", "<none>"),
        1 => out.kv(2, "Port", &ports[0]),
        _ => out.kv(2, "Ports", &ports.join(", ")),
    }
    out.kv(
        2,
        "Host Port",
        if ports.is_empty() { "<none>" } else { "0/TCP" },
    );
    let running = st.and_then(|s| s.state.running.as_ref());
    match running {
        Some(r) => {
            out.kv(2, "State", "Running");
            if let Some(t) = r
                .started_at
                .as_deref()
                .and_then(|t| crate::sim::clock::parse_rfc3339(t).ok())
            {
                out.kv(3, "Started", &rfc1123z(t));
            }
        }
        None => {
            out.kv(2, "State", "Waiting");
            out.kv(3, "Reason", "ContainerCreating");
        }
    }
    let ready = st.is_some_and(|s| s.ready);
    out.kv(2, "Ready", if ready { "True" } else { "False" });
    let restarts = st.map_or(0, |s| s.restart_count);
    out.kv(2, "Restart Count", &restarts.to_string());
    out.kv(2, "Environment", "<none>");
    if c.volume_mounts.is_empty() {
        out.kv(2, "Mounts", "<none>");
    } else {
        out.line(2, "Mounts:");
        let mut mounts: Vec<_> = c.volume_mounts.iter().collect();
        mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
        for m in mounts {
            let mode = if m.read_only == Some(true) {
                "ro"
            } else {
                "rw"
            };
            out.line(3, &format!("{} from {} ({mode})", m.mount_path, m.name));
        }
    }
}

fn volume(out: &mut Out, v: &crate::sim::objects::pod::Volume) {
    if let Some(p) = &v.projected {
        out.kv(
            2,
            "Type",
            "Projected (a volume that contains injected data from multiple sources)",
        );
        for s in &p.sources {
            if let Some(t) = &s.service_account_token {
                out.kv(
                    2,
                    "TokenExpirationSeconds",
                    &t.expiration_seconds.unwrap_or(3600).to_string(),
                );
            }
            if let Some(cm) = &s.config_map {
                out.kv(
                    2,
                    "ConfigMapName",
                    cm.get("name").and_then(Value::as_str).unwrap_or(""),
                );
                let optional = cm.get("optional").and_then(Value::as_bool).unwrap_or(false);
                out.kv(2, "Optional", &optional.to_string());
            }
            if let Some(sec) = &s.secret {
                out.kv(
                    2,
                    "SecretName",
                    sec.get("name").and_then(Value::as_str).unwrap_or(""),
                );
                let optional = sec
                    .get("optional")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                out.kv(2, "Optional", &optional.to_string());
            }
            if s.downward_api.is_some() {
                out.kv(2, "DownwardAPI", "true");
            }
        }
    } else if let Some(s) = &v.secret {
        out.kv(2, "Type", "Secret (a volume populated by a Secret)");
        out.kv(2, "SecretName", s.secret_name.as_deref().unwrap_or(""));
        let optional = s
            .extra
            .get("optional")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        out.kv(2, "Optional", &optional.to_string());
    } else if v.extra.contains_key("emptyDir") {
        out.kv(
            2,
            "Type",
            "EmptyDir (a temporary directory that shares a pod's lifetime)",
        );
        out.kv(2, "Medium", "");
        out.kv(2, "SizeLimit", "<unset>");
    } else if let Some(cm) = v.extra.get("configMap") {
        out.kv(2, "Type", "ConfigMap (a volume populated by a ConfigMap)");
        out.kv(
            2,
            "Name",
            cm.get("name").and_then(Value::as_str).unwrap_or(""),
        );
        let optional = cm.get("optional").and_then(Value::as_bool).unwrap_or(false);
        out.kv(2, "Optional", &optional.to_string());
    } else {
        let t = v
            .extra
            .keys()
            .next()
            .cloned()
            .unwrap_or_else(|| "<unknown>".into());
        out.kv(2, "Type", &t);
    }
}

fn tolerations(out: &mut Out, p: &Pod) {
    let mut ts: Vec<String> = p
        .spec
        .extra
        .get("tolerations")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|t| {
                    let g = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("");
                    let mut s = g("key").to_string();
                    if !g("value").is_empty() {
                        s.push_str(&format!("={}", g("value")));
                    }
                    if !g("effect").is_empty() {
                        s.push_str(&format!(":{}", g("effect")));
                    }
                    if g("operator") == "Exists" {
                        s.push_str(" op=Exists");
                    }
                    if let Some(secs) = t.get("tolerationSeconds").and_then(Value::as_i64) {
                        s.push_str(&format!(" for {secs}s"));
                    }
                    s
                })
                .collect()
        })
        .unwrap_or_default();
    ts.sort();
    if ts.is_empty() {
        out.kv(0, "Tolerations", "<none>");
    }
    for (i, t) in ts.iter().enumerate() {
        if i == 0 {
            out.kv(0, "Tolerations", t);
        } else {
            out.line(0, &format!("\t{t}"));
        }
    }
}

fn describe_node(sim: &Simulator, n: &Node) -> String {
    let mut out = Out::default();
    out.kv(0, "Name", &n.metadata.name);
    out.kv(0, "Roles", &node_roles(n));
    out.labels(0, "Labels", &n.metadata.labels);
    out.annotations(0, &n.metadata.annotations);
    if let Some(t) = n.metadata.creation_timestamp {
        out.kv(0, "CreationTimestamp", &rfc1123z(t));
    }
    let taints: Vec<String> = n
        .spec
        .as_ref()
        .and_then(|s| s.get("taints"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|t| {
                    let g = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("");
                    if g("value").is_empty() {
                        format!("{}:{}", g("key"), g("effect"))
                    } else {
                        format!("{}={}:{}", g("key"), g("value"), g("effect"))
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if taints.is_empty() {
        out.kv(0, "Taints", "<none>");
    }
    for (i, t) in taints.iter().enumerate() {
        if i == 0 {
            out.kv(0, "Taints", t);
        } else {
            out.line(0, &format!("\t{t}"));
        }
    }
    let unschedulable = n
        .spec
        .as_ref()
        .and_then(|s| s.get("unschedulable"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    out.kv(0, "Unschedulable", &unschedulable.to_string());
    if let Some(st) = &n.status {
        out.line(0, "Conditions:");
        out.line(1, "Type\tStatus\tReason\tMessage");
        out.line(1, "----\t------\t------\t-------");
        for c in &st.conditions {
            let g = |k: &str| {
                c.extra
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            out.line(
                1,
                &format!(
                    "{} \t{} \t{} \t{}",
                    c.condition_type,
                    c.status,
                    g("reason"),
                    g("message")
                ),
            );
        }
        out.line(0, "Addresses:");
        for a in &st.addresses {
            out.kv(1, &a.address_type, &a.address);
        }
        if let Some(info) = &st.node_info {
            out.line(0, "System Info:");
            let g = |k: &str| {
                info.extra
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            out.kv(1, "Kernel Version", &g("kernelVersion"));
            out.kv(1, "OS Image", &g("osImage"));
            out.kv(1, "Operating System", &g("operatingSystem"));
            out.kv(1, "Architecture", &g("architecture"));
            out.kv(
                1,
                "Container Runtime Version",
                &g("containerRuntimeVersion"),
            );
            out.kv(1, "Kubelet Version", &info.kubelet_version);
        }
    }
    if let Some(cidr) = n
        .spec
        .as_ref()
        .and_then(|s| s.get("podCIDR"))
        .and_then(Value::as_str)
    {
        out.kv(0, "PodCIDR", cidr);
    }
    let pods: Vec<&Pod> = sim
        .store()
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(&n.metadata.name))
        .collect();
    out.kv(
        0,
        "Non-terminated Pods",
        &format!("({} in total)", pods.len()),
    );
    if !pods.is_empty() {
        out.line(1, "Namespace\tName\tAge");
        out.line(1, "---------\t----\t---");
        for p in pods {
            out.line(
                1,
                &format!(
                    "{}\t{}\t{}",
                    p.metadata.ns(),
                    p.metadata.name,
                    super::get::age(sim, &p.metadata)
                ),
            );
        }
    }
    let table = events(sim, &mut out, &n.metadata.uid);
    out.finish() + &table
}

fn describe_role(meta: &ObjectMeta, rules: &[PolicyRule]) -> String {
    let mut out = Out::default();
    out.meta(meta, false);
    out.line(0, "PolicyRule:");
    out.line(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs");
    out.line(1, "---------\t-----------------\t--------------\t-----");
    for r in rule_rows(rules.iter().map(|r| (r, None))) {
        out.line(
            1,
            &format!(
                "{}\t{}\t{}\t{}",
                r.resource_cell(),
                go_list(&r.urls),
                go_list(&r.names),
                go_list(&r.verbs)
            ),
        );
    }
    out.finish()
}

fn describe_binding(b: &RoleBinding) -> String {
    let mut out = Out::default();
    out.meta(&b.metadata, false);
    out.line(0, "Role:");
    out.kv(1, "Kind", &b.role_ref.kind);
    out.kv(1, "Name", &b.role_ref.name);
    out.line(0, "Subjects:");
    out.line(1, "Kind\tName\tNamespace");
    out.line(1, "----\t----\t---------");
    for s in &b.subjects {
        out.line(
            1,
            &format!(
                "{}\t{}\t{}",
                s.kind,
                s.name,
                s.namespace.as_deref().unwrap_or("")
            ),
        );
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_break_down_compact_and_sort_like_kubectl() {
        let rules = vec![
            PolicyRule {
                verbs: vec!["get".into(), "watch".into(), "list".into()],
                api_groups: vec!["".into()],
                resources: vec!["pods".into()],
                ..Default::default()
            },
            PolicyRule {
                verbs: vec!["get".into()],
                api_groups: vec!["".into()],
                resources: vec!["secrets".into()],
                resource_names: vec!["my-secret".into()],
                ..Default::default()
            },
            PolicyRule {
                verbs: vec!["get".into()],
                non_resource_urls: vec!["/healthz".into()],
                ..Default::default()
            },
        ];
        let out = describe_role(&ObjectMeta::named(None, "r"), &rules);
        assert_eq!(
            out,
            "Name:         r\nLabels:       <none>\nAnnotations:  <none>\nPolicyRule:\n  Resources  Non-Resource URLs  Resource Names  Verbs\n  ---------  -----------------  --------------  -----\n  pods       []                 []              [get watch list]\n             [/healthz]         []              [get]\n  secrets    []                 [my-secret]     [get]\n"
        );
    }
}

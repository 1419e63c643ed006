//! Pod defaulting, validation, scheduling and start-up: what the API server, the scheduler and
//! the kubelet do to a pod between `kubectl apply` and `Running`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::clock::{SimTime, format_rfc3339};
use super::error::{FieldError, FieldErrorKind};
use super::objects::pod::{
    ContainerState, ContainerStatus, Pod, PodCondition, PodIp, PodStatus, RunningState,
};
use super::rng::SimRng;
use super::store::Store;
use super::tokens::request::{
    DEFAULT_EXPIRATION_SECONDS, MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS,
};

fn set_default(map: &mut BTreeMap<String, Value>, key: &str, value: Value) {
    map.entry(key.to_string()).or_insert(value);
}

/// API defaulting (`SetDefaults_Pod` and friends) plus the Priority and DefaultTolerationSeconds
/// admission plugins, so a created pod prints as a real one does.
pub fn apply_defaults(pod: &mut Pod) {
    let spec = &mut pod.spec;
    set_default(&mut spec.extra, "restartPolicy", json!("Always"));
    set_default(&mut spec.extra, "dnsPolicy", json!("ClusterFirst"));
    set_default(&mut spec.extra, "schedulerName", json!("default-scheduler"));
    set_default(&mut spec.extra, "securityContext", json!({}));
    set_default(&mut spec.extra, "enableServiceLinks", json!(true));
    set_default(&mut spec.extra, "priority", json!(0));
    set_default(
        &mut spec.extra,
        "preemptionPolicy",
        json!("PreemptLowerPriority"),
    );
    set_default(
        &mut spec.extra,
        "tolerations",
        json!([
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
        ]),
    );
    spec.termination_grace_period_seconds.get_or_insert(30);
    for c in spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut())
    {
        let pull = match c.image.as_deref() {
            Some(img) if image_tag(img).is_some_and(|t| t != "latest") => "IfNotPresent",
            _ => "Always",
        };
        set_default(&mut c.extra, "imagePullPolicy", json!(pull));
        set_default(
            &mut c.extra,
            "terminationMessagePath",
            json!("/dev/termination-log"),
        );
        set_default(&mut c.extra, "terminationMessagePolicy", json!("File"));
        set_default(&mut c.extra, "resources", json!({}));
    }
    for v in &mut spec.volumes {
        if let Some(p) = &mut v.projected {
            p.default_mode.get_or_insert(420);
            for s in &mut p.sources {
                if let Some(t) = &mut s.service_account_token {
                    t.expiration_seconds
                        .get_or_insert(DEFAULT_EXPIRATION_SECONDS);
                }
            }
        }
    }
}

/// The tag of an image reference, if it has one (`nginx:1.27` → `1.27`; digests count as tags).
fn image_tag(image: &str) -> Option<&str> {
    if let Some((_, digest)) = image.split_once('@') {
        return Some(digest);
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, t)| t)
}

/// Pod spec validation for what kidex models (containers, mounts, projected token sources).
pub fn validate(pod: &Pod) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if pod.spec.containers.is_empty() {
        errs.push(FieldError::required("spec.containers", ""));
    }
    for (i, v) in pod.spec.volumes.iter().enumerate() {
        let Some(p) = &v.projected else { continue };
        for (j, s) in p.sources.iter().enumerate() {
            let Some(t) = &s.service_account_token else {
                continue;
            };
            let at = format!(
                "spec.volumes[{i}].projected.sources[{j}].serviceAccountToken.expirationSeconds"
            );
            let secs = t.expiration_seconds.unwrap_or(DEFAULT_EXPIRATION_SECONDS);
            if secs < MIN_EXPIRATION_SECONDS {
                errs.push(FieldError::invalid_int(
                    &at,
                    secs,
                    "may not specify a duration less than 10 minutes",
                ));
            }
            if secs > MAX_EXPIRATION_SECONDS {
                errs.push(FieldError::invalid_int(
                    &at,
                    secs,
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
            // Upstream reports path errors at the volume's `projected.path`, not the source's.
            let path_at = format!("spec.volumes[{i}].projected.path");
            if t.path.is_empty() {
                errs.push(FieldError::required(&path_at, ""));
            } else if t.path.starts_with('/') {
                errs.push(FieldError::invalid_str(
                    &path_at,
                    &t.path,
                    "must be a relative path",
                ));
            } else if t.path.split('/').any(|part| part == "..") {
                errs.push(FieldError::invalid_str(
                    &path_at,
                    &t.path,
                    "must not contain '..'",
                ));
            }
        }
    }
    let volume_names: Vec<&str> = pod.spec.volumes.iter().map(|v| v.name.as_str()).collect();
    let groups = [
        ("initContainers", &pod.spec.init_containers),
        ("containers", &pod.spec.containers),
    ];
    for (field, containers) in groups {
        for (i, c) in containers.iter().enumerate() {
            if c.name.is_empty() {
                errs.push(FieldError::required(format!("spec.{field}[{i}].name"), ""));
            }
            for (j, m) in c.volume_mounts.iter().enumerate() {
                if !volume_names.contains(&m.name.as_str()) {
                    errs.push(FieldError {
                        path: format!("spec.{field}[{i}].volumeMounts[{j}].name"),
                        kind: FieldErrorKind::NotFound(format!("{:?}", m.name)),
                        detail: String::new(),
                    });
                }
            }
        }
    }
    errs
}

/// The default scheduler's choice for an unassigned pod: a Ready node with the fewest pods,
/// ties broken by name. `None` when no node can take it.
pub fn pick_node(store: &Store) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = store
        .nodes
        .values()
        .filter(|n| {
            n.readiness() == "Ready" && !n.metadata.is_terminating() && !has_no_schedule_taint(n)
        })
        .map(|n| (n.metadata.name.as_str(), 0))
        .collect();
    for p in store.pods.values() {
        if let Some(c) = p.spec.node_name.as_deref().and_then(|n| counts.get_mut(n)) {
            *c += 1;
        }
    }
    counts
        .into_iter()
        .min_by_key(|(name, c)| (*c, *name))
        .map(|(n, _)| n.to_string())
}

/// Pods created here carry no tolerations for `NoSchedule` taints (a control-plane node's).
fn has_no_schedule_taint(n: &super::objects::Node) -> bool {
    let taints = n
        .spec
        .as_ref()
        .and_then(|s| s.get("taints"))
        .and_then(Value::as_array);
    taints.is_some_and(|t| {
        t.iter()
            .any(|t| t.get("effect").and_then(Value::as_str) == Some("NoSchedule"))
    })
}

/// The status a running pod reports once the kubelet has started its containers.
pub fn running_status(pod: &Pod, store: &Store, now: SimTime, rng: &mut SimRng) -> PodStatus {
    let node = pod
        .spec
        .node_name
        .as_deref()
        .and_then(|n| store.nodes.get(n));
    let host_ip = node
        .and_then(|n| n.internal_ip())
        .unwrap_or("10.0.0.1")
        .to_string();
    // An address in the node's pod CIDR (a /24 such as 10.244.1.0/24), else the default range.
    let cidr_base = node
        .and_then(|n| {
            n.spec
                .as_ref()?
                .get("podCIDR")?
                .as_str()
                .map(str::to_string)
        })
        .and_then(|c| {
            c.split('/')
                .next()
                .map(|ip| ip.rsplit_once('.').map(|(p, _)| p.to_string()))
        })
        .flatten()
        .unwrap_or_else(|| format!("10.244.{}", 1 + rng.below(200)));
    let pod_ip = format!("{cidr_base}.{}", 2 + rng.below(250));
    let t = format_rfc3339(now);
    let container_statuses = pod
        .spec
        .containers
        .iter()
        .map(|c| {
            let image = c.image.clone().unwrap_or_default();
            ContainerStatus {
                name: c.name.clone(),
                image_id: format!("{}@sha256:{}", image_repository(&image), hex(rng, 32)),
                container_id: Some(format!("containerd://{}", hex(rng, 32))),
                image,
                ready: true,
                restart_count: 0,
                started: Some(true),
                state: ContainerState {
                    running: Some(RunningState {
                        started_at: Some(t.clone()),
                    }),
                    ..Default::default()
                },
                last_state: ContainerState::default(),
                extra: BTreeMap::new(),
            }
        })
        .collect();
    let condition = |kind: &str| PodCondition {
        condition_type: kind.into(),
        status: "True".into(),
        last_transition_time: Some(t.clone()),
        ..Default::default()
    };
    PodStatus {
        phase: Some("Running".into()),
        conditions: [
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled",
        ]
        .into_iter()
        .map(condition)
        .collect(),
        host_ip: Some(host_ip.clone()),
        host_ips: vec![PodIp { ip: host_ip }],
        pod_ip: Some(pod_ip.clone()),
        pod_ips: vec![PodIp { ip: pod_ip }],
        start_time: Some(t.clone()),
        container_statuses,
        qos_class: Some("BestEffort".into()),
        ..Default::default()
    }
}

/// The status of a pod no node can run yet.
pub fn pending_status(message: &str, now: SimTime) -> PodStatus {
    PodStatus {
        phase: Some("Pending".into()),
        conditions: vec![PodCondition {
            condition_type: "PodScheduled".into(),
            status: "False".into(),
            last_transition_time: Some(format_rfc3339(now)),
            reason: Some("Unschedulable".into()),
            message: Some(message.into()),
            ..Default::default()
        }],
        qos_class: Some("BestEffort".into()),
        ..Default::default()
    }
}

/// `nginx:1.27` → `docker.io/library/nginx`, as container runtimes report image IDs.
fn image_repository(image: &str) -> String {
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    let first = repo.split('/').next().unwrap_or("");
    if !repo.contains('/') {
        format!("docker.io/library/{repo}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        repo.to_string()
    } else {
        format!("docker.io/{repo}")
    }
}

fn hex(rng: &mut SimRng, bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rng.below(256)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pull_policy_follows_the_tag() {
        assert_eq!(image_tag("nginx"), None);
        assert_eq!(image_tag("nginx:1.27"), Some("1.27"));
        assert_eq!(image_tag("registry:5000/app"), None);
        assert_eq!(image_tag("registry:5000/app:v1"), Some("v1"));
    }
}

//! A service account's permissions as its bindings grant them: the roles named by the role and
//! cluster role bindings that include it, expanded into a resource × verb matrix with the binding
//! behind each row, as the Permissions tab shows it. The `can-i` answer (`c`) comes from the
//! simulator's RBAC authorizer, through the CLI's `auth can-i`.

use std::collections::BTreeMap;

use super::index::subject_names_sa;
use super::ui_state::Target;
use crate::sim::Simulator;
use crate::sim::objects::rbac::{PolicyRule, RoleBinding};

/// The verbs the matrix has columns for; `*` grants them all.
pub const VERBS: [&str; 8] = [
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];

/// One row of the matrix: a resource in a scope, the verbs granted, and by which bindings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PermissionRow {
    /// `cluster-wide` or the namespace a RoleBinding grants in.
    pub scope: String,
    /// `pods`, `secrets`, `tokenreviews.authentication.k8s.io`, `/healthz` …
    pub resource: String,
    pub verbs: Vec<String>,
    pub via: Vec<String>,
}

/// A binding that names the subject, and what came of its role reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub binding: String,
    pub role: String,
    /// Why no rules came from it (the role does not exist), if so.
    pub problem: Option<String>,
}

fn rules_of(sim: &Simulator, b: &RoleBinding, ns: Option<&str>) -> Result<Vec<PolicyRule>, String> {
    let store = sim.store();
    let r = &b.role_ref;
    let rules = match (r.kind.as_str(), ns) {
        ("ClusterRole", _) => store.cluster_roles.get(&r.name).map(|c| c.rules.clone()),
        ("Role", Some(ns)) => store.roles.get(ns, &r.name).map(|c| c.rules.clone()),
        _ => None,
    };
    match rules {
        Some(r) => Ok(r.unwrap_or_default()),
        None => Err("not in this cluster".into()),
    }
}

fn resource_name(group: &str, resource: &str) -> String {
    if group.is_empty() || group == "*" && resource == "*" {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    }
}

/// The permissions matrix of a service account, and the bindings behind it.
pub fn permissions(sim: &Simulator, sa: &Target) -> (Vec<PermissionRow>, Vec<Grant>) {
    let store = sim.store();
    let mut rows: BTreeMap<(String, String), PermissionRow> = BTreeMap::new();
    let mut grants = Vec::new();
    let bindings = store
        .cluster_role_bindings
        .values()
        .map(|b| (b, None))
        .chain(
            store
                .role_bindings
                .values()
                .map(|b| (b, Some(b.metadata.ns()))),
        )
        .filter(|(b, _)| {
            b.subjects
                .iter()
                .any(|s| subject_names_sa(s, &sa.namespace, &sa.name))
        });
    for (b, ns) in bindings {
        let binding = match ns {
            Some(ns) => format!("rb/{ns}/{}", b.metadata.name),
            None => format!("crb/{}", b.metadata.name),
        };
        let role = format!("{}/{}", b.role_ref.kind, b.role_ref.name);
        match rules_of(sim, b, ns) {
            Err(problem) => grants.push(Grant {
                binding,
                role,
                problem: Some(problem),
            }),
            Ok(rules) => {
                for rule in &rules {
                    let scope = ns.unwrap_or("cluster-wide").to_string();
                    let targets: Vec<String> = if rule.non_resource_urls.is_empty() {
                        let groups = if rule.api_groups.is_empty() {
                            vec![String::new()]
                        } else {
                            rule.api_groups.clone()
                        };
                        groups
                            .iter()
                            .flat_map(|g| rule.resources.iter().map(move |r| resource_name(g, r)))
                            .collect()
                    } else {
                        rule.non_resource_urls.clone()
                    };
                    for t in targets {
                        let row = rows.entry((scope.clone(), t.clone())).or_insert_with(|| {
                            PermissionRow {
                                scope: scope.clone(),
                                resource: t.clone(),
                                ..Default::default()
                            }
                        });
                        for v in &rule.verbs {
                            if !row.verbs.contains(v) {
                                row.verbs.push(v.clone());
                            }
                        }
                        if !row.via.contains(&binding) {
                            row.via.push(binding.clone());
                        }
                    }
                }
                grants.push(Grant {
                    binding,
                    role,
                    problem: None,
                });
            }
        }
    }
    (rows.into_values().collect(), grants)
}

/// Whether a row grants a verb.
pub fn grants_verb(row: &PermissionRow, verb: &str) -> bool {
    row.verbs.iter().any(|v| v == verb || v == "*")
}

/// `c`: can the service account do VERB on RESOURCE? The answer is the CLI's
/// `auth can-i … --as system:serviceaccount:NS:NAME --explain`, run by the simulator's RBAC
/// authorizer: `yes` or `no`, and the binding, role and rule that decided it. The question is
/// `VERB RESOURCE[/SUB] [NAME] [-n NS | -A]`; the namespace defaults to the account's own.
pub fn can_i_line(sa: &Target, question: &str) -> Result<String, String> {
    let words = crate::cli::args::split_words(question)?;
    if words.iter().filter(|w| !w.starts_with('-')).count() < 2 {
        return Err("can-i: type a verb and a resource, e.g. get secrets".into());
    }
    let scoped = words.iter().any(|w| {
        matches!(w.as_str(), "-n" | "-A" | "--all-namespaces") || w.starts_with("--namespace")
    });
    // Cluster-scoped resources (tokenreviews, nodes) and URLs take no namespace.
    let target = words
        .iter()
        .filter(|w| !w.starts_with('-'))
        .nth(1)
        .map_or("", String::as_str);
    let typed = target.split('/').next().unwrap_or("");
    let cluster_scoped =
        target.starts_with('/') || !crate::cli::resources::resolve(typed).namespaced;
    // -A for those, or kubectl's "not namespace scoped" warning would take the message line.
    let namespace = if scoped {
        String::new()
    } else if cluster_scoped {
        " -A".to_string()
    } else {
        format!(" -n {}", sa.namespace)
    };
    Ok(format!(
        "auth can-i {question}{namespace} --as system:serviceaccount:{}:{} --explain",
        sa.namespace, sa.name
    ))
}

//! RBAC answers for people: can-i explanations, who-can tables, and effective permissions.

use super::tabwriter;
use crate::sim::objects::rbac::PolicyRule;
use crate::sim::rbac::{Decision, Grant};

/// Go's `%v` of a `[]string`: `[a b]`.
fn go_list(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

/// A rule in one line: `verbs [get list] on pods (group "")`.
pub fn rule_text(r: &PolicyRule) -> String {
    let mut parts = vec![format!("verbs {}", go_list(&r.verbs))];
    if !r.non_resource_urls.is_empty() {
        parts.push(format!("nonResourceURLs {}", go_list(&r.non_resource_urls)));
    } else {
        parts.push(format!("apiGroups {}", go_list(&r.api_groups)));
        parts.push(format!("resources {}", go_list(&r.resources)));
        if !r.resource_names.is_empty() {
            parts.push(format!("resourceNames {}", go_list(&r.resource_names)));
        }
    }
    parts.join(", ")
}

/// The lines `--explain` adds under a can-i answer.
pub fn explain(decision: &Decision, checked: usize) -> String {
    if decision.privileged {
        return "allowed before RBAC: members of group system:masters bypass authorization\n"
            .into();
    }
    match &decision.grant {
        Some(g) => format!(
            "{}\nrule #{} of {} {}: {}\n",
            decision.reason,
            g.rule_index + 1,
            g.role_kind,
            g.role_name,
            rule_text(&g.rule)
        ),
        None if !decision.reason.is_empty() => {
            format!("no binding allows this; {}\n", decision.reason)
        }
        None => format!(
            "no rule allows this: {checked} binding(s) in scope name this user or one of its groups, and none of their roles has a matching rule\n"
        ),
    }
}

/// `who-can`: one row per subject, with the binding and role that grant the request.
pub fn who_can_table(grants: &[Grant]) -> String {
    if grants.is_empty() {
        return String::new();
    }
    let mut text = String::from("SUBJECT\tKIND\tBINDING\tROLE\tRULE\n");
    for g in grants {
        let subject = match (g.subject.kind.as_str(), g.subject.namespace.as_deref()) {
            ("ServiceAccount", Some(ns)) if !ns.is_empty() => format!("{ns}/{}", g.subject.name),
            ("ServiceAccount", _) => format!("{}/{}", g.binding_namespace, g.subject.name),
            _ => g.subject.name.clone(),
        };
        let binding = if g.binding_namespace.is_empty() {
            format!("{}/{}", g.binding_kind, g.binding_name)
        } else {
            format!(
                "{}/{} -n {}",
                g.binding_kind, g.binding_name, g.binding_namespace
            )
        };
        text.push_str(&format!(
            "{subject}\t{}\t{binding}\t{}/{}\t#{}\n",
            g.subject.kind,
            g.role_kind,
            g.role_name,
            g.rule_index + 1
        ));
    }
    tabwriter::format(&text, 6, 3)
}

/// `CombineResourceGroup`: `pods`, `deployments.apps`, `deployments.apps/scale`, `*.*`.
fn resource_group(resource: &str, group: &str) -> String {
    if group.is_empty() {
        return resource.to_string();
    }
    match resource.split_once('/') {
        Some((r, sub)) => format!("{r}.{group}/{sub}"),
        None => format!("{resource}.{group}"),
    }
}

struct Row {
    verbs: Vec<String>,
    group: Option<String>,
    resource: Option<String>,
    names: Vec<String>,
    url: Option<String>,
    from: Vec<String>,
}

/// Effective permissions as `kubectl auth can-i --list` lays them out (rules broken down to one
/// group/resource/name each, verbs merged in first-seen order, non-resource rules one per URL
/// and verb, sorted like kubectl), with a FROM column naming the bindings behind each row.
pub fn permissions_table(grants: &[Grant]) -> String {
    let mut rows: Vec<Row> = Vec::new();
    for g in grants {
        let from = format!("{}/{}", g.binding_kind, g.binding_name);
        let r = &g.rule;
        for group in &r.api_groups {
            for res in &r.resources {
                let names: Vec<Vec<String>> = if r.resource_names.is_empty() {
                    vec![vec![]]
                } else {
                    r.resource_names.iter().map(|n| vec![n.clone()]).collect()
                };
                for n in names {
                    let existing = rows.iter_mut().find(|x| {
                        x.url.is_none()
                            && x.group.as_ref() == Some(group)
                            && x.resource.as_ref() == Some(res)
                            && x.names == n
                    });
                    match existing {
                        Some(x) => {
                            for v in &r.verbs {
                                if !x.verbs.contains(v) {
                                    x.verbs.push(v.clone());
                                }
                            }
                            if !x.from.contains(&from) {
                                x.from.push(from.clone());
                            }
                        }
                        None => rows.push(Row {
                            verbs: r.verbs.clone(),
                            group: Some(group.clone()),
                            resource: Some(res.clone()),
                            names: n,
                            url: None,
                            from: vec![from.clone()],
                        }),
                    }
                }
            }
        }
        for u in &r.non_resource_urls {
            for v in &r.verbs {
                rows.push(Row {
                    verbs: vec![v.clone()],
                    group: None,
                    resource: None,
                    names: vec![],
                    url: Some(u.clone()),
                    from: vec![from.clone()],
                });
            }
        }
    }
    let key = |r: &Row| {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&r.verbs),
            go_list(&r.group.iter().cloned().collect::<Vec<_>>()),
            go_list(&r.resource.iter().cloned().collect::<Vec<_>>()),
            go_list(&r.names),
            go_list(&r.url.iter().cloned().collect::<Vec<_>>())
        )
    };
    rows.sort_by_key(key);
    let mut text = String::from("Resources\tNon-Resource URLs\tResource Names\tVerbs\tFrom\n");
    for r in &rows {
        let res = match (&r.resource, &r.group) {
            (Some(res), Some(g)) => resource_group(res, g),
            _ => String::new(),
        };
        text.push_str(&format!(
            "{res}\t{}\t{}\t{}\t{}\n",
            go_list(&r.url.iter().cloned().collect::<Vec<_>>()),
            go_list(&r.names),
            go_list(&r.verbs),
            r.from.join(", ")
        ));
    }
    tabwriter::format(&text, 6, 3)
}

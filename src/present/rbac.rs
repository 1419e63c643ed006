//! RBAC answers for people: can-i explanations, who-can tables, and effective permissions.

use super::rules::{go_list, rule_rows, rules_table};
use super::tabwriter;
use crate::sim::objects::rbac::PolicyRule;
use crate::sim::rbac::{Decision, Grant};

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

/// Effective permissions as `kubectl auth can-i --list` lays them out, with a From column
/// naming the bindings behind each row.
pub fn permissions_table(grants: &[Grant]) -> String {
    let rows = rule_rows(grants.iter().map(|g| {
        (
            &g.rule,
            Some(format!("{}/{}", g.binding_kind, g.binding_name)),
        )
    }));
    rules_table(&rows, true)
}

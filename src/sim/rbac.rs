//! The RBAC authorizer (`plugin/pkg/auth/authorizer/rbac`, `pkg/registry/rbac/validation/rule.go`,
//! `pkg/apis/rbac/v1/evaluation_helpers.go`): ClusterRoleBindings first, then the RoleBindings of
//! the request's namespace; the first rule that allows wins, and the verdict says which.

use std::collections::BTreeMap;

use super::objects::rbac::{PolicyRule, RoleBinding, Subject};
use super::store::Store;
use super::tokens::claims::SA_USERNAME_PREFIX;

/// Who is asking: a username and groups, as the authenticator (or impersonation) produced them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requester {
    pub name: String,
    pub groups: Vec<String>,
}

impl Requester {
    /// The groups Kubernetes gives a user: service accounts get `system:serviceaccounts` and
    /// `system:serviceaccounts:<ns>`; everyone but `system:anonymous` gets `system:authenticated`,
    /// anonymous gets `system:unauthenticated`. `extra_groups` are `--as-group`s.
    pub fn impersonate(name: &str, extra_groups: &[String]) -> Requester {
        let mut groups: Vec<String> = extra_groups.to_vec();
        if let Some((ns, _)) = split_sa_username(name) {
            for g in [
                "system:serviceaccounts".to_string(),
                format!("system:serviceaccounts:{ns}"),
            ] {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
        }
        let auth = if name == "system:anonymous" {
            "system:unauthenticated"
        } else {
            "system:authenticated"
        };
        if !groups
            .iter()
            .any(|g| g == "system:authenticated" || g == "system:unauthenticated")
        {
            groups.push(auth.to_string());
        }
        Requester {
            name: name.to_string(),
            groups,
        }
    }
}

/// `system:serviceaccount:<ns>:<name>` → (ns, name), if it is one.
pub fn split_sa_username(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix(SA_USERNAME_PREFIX)?;
    let (ns, sa) = rest.split_once(':')?;
    (!ns.is_empty() && !sa.is_empty() && !sa.contains(':')).then_some((ns, sa))
}

/// What is being asked: a resource request (verb on group/resource[/subresource] [name] in a
/// namespace) or a non-resource request (verb on a path).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub verb: String,
    pub namespace: String,
    pub api_group: String,
    pub resource: String,
    pub subresource: String,
    pub name: String,
    /// Set for non-resource requests (`/healthz`, `/openid/v1/jwks`).
    pub path: Option<String>,
}

impl Request {
    /// `pods`, `pods/log`: what rules' `resources` entries are compared with.
    pub fn combined_resource(&self) -> String {
        if self.subresource.is_empty() {
            self.resource.clone()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        }
    }
}

/// Where a permission comes from: a binding, its role, and the rule that matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub binding_kind: &'static str,
    pub binding_name: String,
    pub binding_namespace: String,
    pub role_kind: String,
    pub role_name: String,
    pub subject: Subject,
    pub rule_index: usize,
    pub rule: PolicyRule,
}

impl Grant {
    fn new(
        kind: &'static str,
        b: &RoleBinding,
        binding_ns: &str,
        subject: &Subject,
        i: usize,
        rule: &PolicyRule,
    ) -> Self {
        Grant {
            binding_kind: kind,
            binding_name: b.metadata.name.clone(),
            binding_namespace: binding_ns.to_string(),
            role_kind: b.role_ref.kind.clone(),
            role_name: b.role_ref.name.clone(),
            subject: subject.clone(),
            rule_index: i,
            rule: rule.clone(),
        }
    }

    /// The upstream reason text: `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`.
    pub fn describe(&self) -> String {
        let name = if self.binding_namespace.is_empty() {
            self.binding_name.clone()
        } else {
            format!("{}/{}", self.binding_name, self.binding_namespace)
        };
        format!(
            "{} {:?} of {} {:?} to {}",
            self.binding_kind,
            name,
            self.role_kind,
            self.role_name,
            describe_subject(&self.subject, &self.binding_namespace)
        )
    }
}

fn describe_subject(s: &Subject, binding_ns: &str) -> String {
    if s.kind == "ServiceAccount" {
        let ns = s
            .namespace
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(binding_ns);
        format!("{} {:?}", s.kind, format!("{}/{ns}", s.name))
    } else {
        format!("{} {:?}", s.kind, s.name)
    }
}

/// An authorization verdict with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// `RBAC: allowed by …`, `""`, or `RBAC: <resolution errors>`.
    pub reason: String,
    pub grant: Option<Grant>,
    /// Allowed before RBAC by membership of `system:masters`.
    pub privileged: bool,
}

/// The group that bypasses authorization entirely.
pub const PRIVILEGED_GROUP: &str = "system:masters";

/// `appliesTo`: the first subject of a binding that names the requester.
fn matching_subject<'a>(
    b: &'a RoleBinding,
    r: &Requester,
    binding_ns: &str,
) -> Option<&'a Subject> {
    b.subjects.iter().find(|s| match s.kind.as_str() {
        "User" => s.name == r.name,
        "Group" => r.groups.contains(&s.name),
        "ServiceAccount" => {
            let ns = s
                .namespace
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_ns);
            !ns.is_empty() && r.name == format!("{SA_USERNAME_PREFIX}{ns}:{}", s.name)
        }
        _ => false,
    })
}

fn has(list: &[String], value: &str) -> bool {
    list.iter().any(|v| v == "*" || v == value)
}

/// `RuleAllows`.
pub fn rule_allows(rule: &PolicyRule, req: &Request) -> bool {
    if !has(&rule.verbs, &req.verb) {
        return false;
    }
    match &req.path {
        Some(path) => rule.non_resource_urls.iter().any(|u| {
            u == "*"
                || u == path
                || u.strip_suffix('*')
                    .is_some_and(|prefix| path.starts_with(prefix))
        }),
        None => {
            let combined = req.combined_resource();
            has(&rule.api_groups, &req.api_group)
                && rule.resources.iter().any(|r| {
                    r == "*"
                        || *r == combined
                        || (!req.subresource.is_empty() && *r == format!("*/{}", req.subresource))
                })
                && (rule.resource_names.is_empty() || rule.resource_names.contains(&req.name))
        }
    }
}

/// The rules a binding's roleRef points at, or the error resolving it.
pub fn role_rules<'a>(
    store: &'a Store,
    b: &RoleBinding,
    binding_ns: &str,
) -> Result<&'a [PolicyRule], String> {
    match b.role_ref.kind.as_str() {
        "ClusterRole" => store
            .cluster_roles
            .get(&b.role_ref.name)
            .map(|r| r.rules.as_deref().unwrap_or(&[]))
            .ok_or_else(|| {
                format!(
                    "clusterrole.rbac.authorization.k8s.io {:?} not found",
                    b.role_ref.name
                )
            }),
        "Role" => store
            .roles
            .get(binding_ns, &b.role_ref.name)
            .map(|r| r.rules.as_deref().unwrap_or(&[]))
            .ok_or_else(|| {
                format!(
                    "role.rbac.authorization.k8s.io {:?} not found",
                    b.role_ref.name
                )
            }),
        other => Err(format!("unknown role kind {other:?}")),
    }
}

/// Every binding that applies to a request's scope: ClusterRoleBindings, then (for a
/// namespaced request) the RoleBindings of that namespace.
pub fn bindings_in_scope<'a>(
    store: &'a Store,
    namespace: &'a str,
) -> impl Iterator<Item = (&'static str, &'a RoleBinding, &'a str)> + 'a {
    let cluster = store
        .cluster_role_bindings
        .values()
        .map(|b| ("ClusterRoleBinding", b, ""));
    let local = store
        .role_bindings
        .in_namespace(namespace)
        .filter(move |_| !namespace.is_empty())
        .map(move |b| ("RoleBinding", b, namespace));
    cluster.chain(local)
}

/// Authorizes one request: the privileged group first, then RBAC.
pub fn authorize(store: &Store, who: &Requester, req: &Request) -> Decision {
    if who.groups.iter().any(|g| g == PRIVILEGED_GROUP) {
        return Decision {
            allowed: true,
            reason: String::new(),
            grant: None,
            privileged: true,
        };
    }
    let ns = if req.path.is_some() {
        ""
    } else {
        req.namespace.as_str()
    };
    let mut errors = Vec::new();
    for (kind, b, binding_ns) in bindings_in_scope(store, ns) {
        let Some(subject) = matching_subject(b, who, binding_ns) else {
            continue;
        };
        let rules = match role_rules(store, b, binding_ns) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if let Some((i, rule)) = rules
            .iter()
            .enumerate()
            .find(|(_, rule)| rule_allows(rule, req))
        {
            let grant = Grant::new(kind, b, binding_ns, subject, i, rule);
            return Decision {
                allowed: true,
                reason: format!("RBAC: allowed by {}", grant.describe()),
                grant: Some(grant),
                privileged: false,
            };
        }
    }
    let reason = match errors.as_slice() {
        [] => String::new(),
        [one] => format!("RBAC: {one}"),
        many => format!("RBAC: [{}]", many.join(", ")),
    };
    Decision {
        allowed: false,
        reason,
        grant: None,
        privileged: false,
    }
}

/// Everyone a request would be allowed for: each (binding, subject) whose role has a matching
/// rule, regardless of who asks. `system:masters` is always allowed and is not listed.
pub fn who_can(store: &Store, req: &Request) -> Vec<Grant> {
    let ns = if req.path.is_some() {
        ""
    } else {
        req.namespace.as_str()
    };
    let mut out = Vec::new();
    for (kind, b, binding_ns) in bindings_in_scope(store, ns) {
        let Ok(rules) = role_rules(store, b, binding_ns) else {
            continue;
        };
        let Some((i, rule)) = rules.iter().enumerate().find(|(_, r)| rule_allows(r, req)) else {
            continue;
        };
        for s in &b.subjects {
            out.push(Grant::new(kind, b, binding_ns, s, i, rule));
        }
    }
    out
}

/// The rules that apply to a requester in a namespace (`SelfSubjectRulesReview`), each with the
/// binding it comes from.
pub fn rules_for(store: &Store, who: &Requester, namespace: &str) -> Vec<Grant> {
    let mut out = Vec::new();
    for (kind, b, binding_ns) in bindings_in_scope(store, namespace) {
        let Some(subject) = matching_subject(b, who, binding_ns) else {
            continue;
        };
        let Ok(rules) = role_rules(store, b, binding_ns) else {
            continue;
        };
        for (i, rule) in rules.iter().enumerate() {
            out.push(Grant::new(kind, b, binding_ns, subject, i, rule));
        }
    }
    out
}

/// The clusterrole-aggregation controller: for each aggregated ClusterRole, the rules of every
/// ClusterRole its selectors match (sorted by name, itself skipped), without duplicates.
/// Repeats until nothing changes, so nested aggregation (view → edit → admin) converges.
/// Returns the names of roles whose rules changed.
pub fn aggregate_cluster_roles(store: &mut Store) -> Vec<String> {
    let mut changed = Vec::new();
    for _ in 0..8 {
        let mut updates: BTreeMap<String, Vec<PolicyRule>> = BTreeMap::new();
        for (name, role) in &store.cluster_roles {
            let Some(agg) = &role.aggregation_rule else {
                continue;
            };
            let mut rules: Vec<PolicyRule> = Vec::new();
            for selector in &agg.cluster_role_selectors {
                for (other_name, other) in &store.cluster_roles {
                    if other_name == name {
                        continue;
                    }
                    let matches = selector.match_expressions.is_empty()
                        && !selector.match_labels.is_empty()
                        && selector
                            .match_labels
                            .iter()
                            .all(|(k, v)| other.metadata.labels.get(k) == Some(v));
                    if !matches {
                        continue;
                    }
                    for r in other.rules.iter().flatten() {
                        if !rules.contains(r) {
                            rules.push(r.clone());
                        }
                    }
                }
            }
            if role.rules.as_deref().unwrap_or(&[]) != rules.as_slice() {
                updates.insert(name.clone(), rules);
            }
        }
        if updates.is_empty() {
            break;
        }
        for (name, rules) in updates {
            if let Some(r) = store.cluster_roles.get_mut(&name) {
                r.rules = Some(rules);
            }
            if !changed.contains(&name) {
                changed.push(name);
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(verbs: &[&str], groups: &[&str], resources: &[&str]) -> PolicyRule {
        PolicyRule {
            verbs: verbs.iter().map(|s| s.to_string()).collect(),
            api_groups: groups.iter().map(|s| s.to_string()).collect(),
            resources: resources.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn req(verb: &str, resource: &str, sub: &str) -> Request {
        Request {
            verb: verb.into(),
            resource: resource.into(),
            subresource: sub.into(),
            ..Default::default()
        }
    }

    #[test]
    fn subresources_need_their_own_rule() {
        let r = rule(&["get"], &[""], &["pods"]);
        assert!(rule_allows(&r, &req("get", "pods", "")));
        assert!(!rule_allows(&r, &req("get", "pods", "log")));
        assert!(rule_allows(
            &rule(&["get"], &[""], &["pods/log"]),
            &req("get", "pods", "log")
        ));
        assert!(rule_allows(
            &rule(&["get"], &[""], &["*/log"]),
            &req("get", "pods", "log")
        ));
        assert!(rule_allows(
            &rule(&["*"], &["*"], &["*"]),
            &req("delete", "pods", "exec")
        ));
    }

    #[test]
    fn non_resource_urls_match_exactly_or_by_star_prefix() {
        let r = PolicyRule {
            verbs: vec!["get".into()],
            non_resource_urls: vec!["/api/*".into()],
            ..Default::default()
        };
        let path = |p: &str| Request {
            verb: "get".into(),
            path: Some(p.into()),
            ..Default::default()
        };
        assert!(rule_allows(&r, &path("/api/v1")));
        assert!(!rule_allows(&r, &path("/api")));
    }

    #[test]
    fn impersonated_service_accounts_get_their_groups() {
        let r = Requester::impersonate("system:serviceaccount:test:nginx", &[]);
        assert_eq!(
            r.groups,
            vec![
                "system:serviceaccounts",
                "system:serviceaccounts:test",
                "system:authenticated"
            ]
        );
        assert_eq!(
            Requester::impersonate("system:anonymous", &[]).groups,
            vec!["system:unauthenticated"]
        );
    }
}

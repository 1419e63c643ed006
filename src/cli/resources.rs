//! Resolving what a user typed into an API resource, as kubectl's RESTMapper does for the
//! resources kidex stores and the ones RBAC rules commonly name.

use crate::sim::objects::Kind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceInfo {
    pub resource: String,
    pub group: String,
    pub namespaced: bool,
    /// Whether discovery knows it (unknown ones get kubectl's warning and are sent as typed).
    pub known: bool,
}

/// (resource, singular, short names, group, namespaced) beyond the kinds kidex stores.
const OTHERS: &[(&str, &str, &[&str], &str, bool)] = &[
    (
        "tokenreviews",
        "tokenreview",
        &[],
        "authentication.k8s.io",
        false,
    ),
    (
        "selfsubjectreviews",
        "selfsubjectreview",
        &[],
        "authentication.k8s.io",
        false,
    ),
    (
        "subjectaccessreviews",
        "subjectaccessreview",
        &[],
        "authorization.k8s.io",
        false,
    ),
    (
        "selfsubjectaccessreviews",
        "selfsubjectaccessreview",
        &[],
        "authorization.k8s.io",
        false,
    ),
    (
        "selfsubjectrulesreviews",
        "selfsubjectrulesreview",
        &[],
        "authorization.k8s.io",
        false,
    ),
    (
        "localsubjectaccessreviews",
        "localsubjectaccessreview",
        &[],
        "authorization.k8s.io",
        true,
    ),
    ("services", "service", &["svc"], "", true),
    ("endpoints", "endpoints", &["ep"], "", true),
    ("events", "event", &["ev"], "", true),
    (
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        &["pvc"],
        "",
        true,
    ),
    ("persistentvolumes", "persistentvolume", &["pv"], "", false),
    (
        "replicationcontrollers",
        "replicationcontroller",
        &["rc"],
        "",
        true,
    ),
    ("resourcequotas", "resourcequota", &["quota"], "", true),
    ("limitranges", "limitrange", &["limits"], "", true),
    ("deployments", "deployment", &["deploy"], "apps", true),
    ("replicasets", "replicaset", &["rs"], "apps", true),
    ("statefulsets", "statefulset", &["sts"], "apps", true),
    ("daemonsets", "daemonset", &["ds"], "apps", true),
    ("jobs", "job", &[], "batch", true),
    ("cronjobs", "cronjob", &["cj"], "batch", true),
    ("leases", "lease", &[], "coordination.k8s.io", true),
    ("ingresses", "ingress", &["ing"], "networking.k8s.io", true),
    (
        "networkpolicies",
        "networkpolicy",
        &["netpol"],
        "networking.k8s.io",
        true,
    ),
    (
        "certificatesigningrequests",
        "certificatesigningrequest",
        &["csr"],
        "certificates.k8s.io",
        false,
    ),
    (
        "customresourcedefinitions",
        "customresourcedefinition",
        &["crd", "crds"],
        "apiextensions.k8s.io",
        false,
    ),
    (
        "imagestreams",
        "imagestream",
        &["is"],
        "image.openshift.io",
        true,
    ),
    (
        "imagestreamtags",
        "imagestreamtag",
        &["istag"],
        "image.openshift.io",
        true,
    ),
    ("builds", "build", &[], "build.openshift.io", true),
    (
        "buildconfigs",
        "buildconfig",
        &["bc"],
        "build.openshift.io",
        true,
    ),
    (
        "deploymentconfigs",
        "deploymentconfig",
        &["dc"],
        "apps.openshift.io",
        true,
    ),
    ("projects", "project", &[], "project.openshift.io", false),
    ("routes", "route", &[], "route.openshift.io", true),
];

/// Resolves `sa`, `pods`, `deployments.apps`, `tokenreviews`, … ; `*` stays `*`.
pub fn resolve(typed: &str) -> ResourceInfo {
    let lower = typed.to_ascii_lowercase();
    if lower == "*" || lower == "users" || lower == "groups" {
        return ResourceInfo {
            resource: lower,
            group: String::new(),
            namespaced: false,
            known: true,
        };
    }
    if let Some(k) = Kind::resolve(&lower) {
        let i = k.info();
        return ResourceInfo {
            resource: i.plural.into(),
            group: i.group.into(),
            namespaced: i.namespaced,
            known: true,
        };
    }
    let (name, group) = match lower.split_once('.') {
        Some((n, g)) => (n.to_string(), Some(g.to_string())),
        None => (lower.clone(), None),
    };
    let found = OTHERS.iter().find(|(plural, singular, shorts, g, _)| {
        (name == *plural || name == *singular || shorts.contains(&name.as_str()))
            && group.as_deref().is_none_or(|x| x == *g)
    });
    match found {
        Some((plural, _, _, g, namespaced)) => ResourceInfo {
            resource: plural.to_string(),
            group: g.to_string(),
            namespaced: *namespaced,
            known: true,
        },
        None => ResourceInfo {
            resource: name,
            group: group.unwrap_or_default(),
            namespaced: true,
            known: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_stored_and_rbac_resources() {
        assert_eq!(resolve("sa").resource, "serviceaccounts");
        assert_eq!(resolve("tokenreviews").group, "authentication.k8s.io");
        assert!(!resolve("tokenreviews").namespaced);
        assert_eq!(resolve("deployments.apps").group, "apps");
        assert!(!resolve("foos").known);
    }
}

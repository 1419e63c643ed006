//! Name validation with the API server's messages (apimachinery `validation.go`, `generic.go`).

use super::error::FieldError;
use super::objects::Kind;

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const LABEL_MAX: usize = 63;
const SUBDOMAIN_MAX: usize = 253;

/// `RegexError(msg, fmt, examples...)`: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut s = format!("{msg} (");
    if !examples.is_empty() {
        s.push_str("e.g. ");
        let quoted: Vec<String> = examples.iter().map(|e| format!("'{e}'")).collect();
        s.push_str(&quoted.join(",  or "));
        s.push_str(", ");
    }
    s.push_str(&format!("regex used for validation is '{fmt}')"));
    s
}

fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase() | b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_lowercase() | b[b.len() - 1].is_ascii_digit()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

fn is_subdomain(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_label)
}

/// `IsDNS1123Label`: the messages for a value that is not a valid label.
pub fn dns1123_label_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_MAX {
        errs.push(format!("must be no more than {LABEL_MAX} characters"));
    }
    if !is_label(value) {
        if is_subdomain(value) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `IsDNS1123Subdomain`: the messages for a value that is not a valid subdomain.
pub fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > SUBDOMAIN_MAX {
        errs.push(format!("must be no more than {SUBDOMAIN_MAX} characters"));
    }
    if !is_subdomain(value) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `IsValidPathSegmentName`, the minimal rule RBAC object names follow.
pub fn path_segment_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value == "." || value == ".." {
        errs.push(format!("may not be '{value}'"));
        return errs;
    }
    for bad in ["/", "%"] {
        if value.contains(bad) {
            errs.push(format!("may not contain '{bad}'"));
        }
    }
    errs
}

/// The name rule of each kind (`ValidateNamespaceName`, `ValidateServiceAccountName`, …).
pub fn name_errors(kind: Kind, name: &str) -> Vec<String> {
    match kind {
        Kind::Namespace => dns1123_label_errors(name),
        Kind::Role | Kind::ClusterRole | Kind::RoleBinding | Kind::ClusterRoleBinding => {
            path_segment_errors(name)
        }
        Kind::ServiceAccount | Kind::Secret | Kind::ConfigMap | Kind::Pod | Kind::Node => {
            dns1123_subdomain_errors(name)
        }
    }
}

/// `ValidateObjectMeta` for the name and namespace of a new object.
pub fn object_meta_errors(kind: Kind, name: &str, namespace: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else {
        for msg in name_errors(kind, name) {
            errs.push(FieldError::invalid_str("metadata.name", name, msg));
        }
    }
    if kind.namespaced() {
        for msg in dns1123_label_errors(namespace) {
            errs.push(FieldError::invalid_str(
                "metadata.namespace",
                namespace,
                msg,
            ));
        }
    }
    errs
}

/// `ValidateRoleBinding` / `ValidateClusterRoleBinding`: roleRef and subjects.
pub fn binding_errors(b: &super::objects::rbac::RoleBinding, cluster: bool) -> Vec<FieldError> {
    use super::error::FieldErrorKind;
    use super::objects::rbac::RBAC_GROUP;
    let unsupported = |path: String, value: &str, supported: &[&str]| FieldError {
        path,
        kind: FieldErrorKind::NotSupported(format!("{value:?}")),
        detail: format!(
            "supported values: {}",
            supported
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut errs = Vec::new();
    if b.role_ref.api_group != RBAC_GROUP {
        errs.push(unsupported(
            "roleRef.apiGroup".into(),
            &b.role_ref.api_group,
            &[RBAC_GROUP],
        ));
    }
    let kinds: &[&str] = if cluster {
        &["ClusterRole"]
    } else {
        &["Role", "ClusterRole"]
    };
    if !kinds.contains(&b.role_ref.kind.as_str()) {
        errs.push(unsupported("roleRef.kind".into(), &b.role_ref.kind, kinds));
    }
    if b.role_ref.name.is_empty() {
        errs.push(FieldError::required("roleRef.name", ""));
    } else {
        for msg in path_segment_errors(&b.role_ref.name) {
            errs.push(FieldError::invalid_str(
                "roleRef.name",
                &b.role_ref.name,
                msg,
            ));
        }
    }
    for (i, s) in b.subjects.iter().enumerate() {
        let at = |f: &str| format!("subjects[{i}].{f}");
        if s.name.is_empty() {
            errs.push(FieldError::required(at("name"), ""));
        }
        let group = s.api_group.as_deref().unwrap_or("");
        match s.kind.as_str() {
            "ServiceAccount" => {
                if !s.name.is_empty() {
                    for msg in dns1123_subdomain_errors(&s.name) {
                        errs.push(FieldError::invalid_str(at("name"), &s.name, msg));
                    }
                }
                if !group.is_empty() {
                    errs.push(unsupported(at("apiGroup"), group, &[""]));
                }
                if cluster && s.namespace.as_deref().is_none_or(str::is_empty) {
                    errs.push(FieldError::required(at("namespace"), ""));
                }
            }
            "User" | "Group" => {
                if group != RBAC_GROUP {
                    errs.push(unsupported(at("apiGroup"), group, &[RBAC_GROUP]));
                }
            }
            other => errs.push(unsupported(
                at("kind"),
                other,
                &["ServiceAccount", "User", "Group"],
            )),
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomain_message_is_upstreams() {
        assert_eq!(
            dns1123_subdomain_errors("Bad_Name"),
            vec![
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        );
        assert!(dns1123_subdomain_errors("build-robot").is_empty());
        assert!(dns1123_subdomain_errors("a.b-c").is_empty());
    }

    #[test]
    fn label_message_has_two_spaces_before_or() {
        let e = dns1123_label_errors("Test");
        assert_eq!(
            e,
            vec![
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
        assert_eq!(dns1123_label_errors("a.b"), vec!["must not contain dots"]);
        assert_eq!(
            dns1123_label_errors(&"a".repeat(64)),
            vec!["must be no more than 63 characters"]
        );
    }

    #[test]
    fn rbac_names_only_need_a_path_segment() {
        assert!(path_segment_errors("system:auth-delegator").is_empty());
        assert_eq!(path_segment_errors("a/b"), vec!["may not contain '/'"]);
    }
}

//! The Kubernetes kinds kidex models, their API names, and decoding from/encoding to the JSON
//! shape `kubectl get -o json` prints.

pub mod core;
pub mod meta;
pub mod pod;
pub mod rbac;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub use self::core::{ConfigMap, Namespace, Node, Secret, ServiceAccount};
pub use self::meta::ObjectMeta;
pub use self::pod::Pod;
pub use self::rbac::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};

/// The kinds kidex stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespace,
    Node,
    ServiceAccount,
    Secret,
    ConfigMap,
    Pod,
    Role,
    ClusterRole,
    RoleBinding,
    ClusterRoleBinding,
}

/// Discovery facts of one kind: what `kubectl api-resources` lists.
pub struct KindInfo {
    pub kind: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub group: &'static str,
    pub version: &'static str,
    pub namespaced: bool,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Namespace,
        Kind::Node,
        Kind::ServiceAccount,
        Kind::Secret,
        Kind::ConfigMap,
        Kind::Pod,
        Kind::Role,
        Kind::ClusterRole,
        Kind::RoleBinding,
        Kind::ClusterRoleBinding,
    ];

    pub fn info(self) -> KindInfo {
        let (kind, plural, singular, short_names, group, namespaced): (
            _,
            _,
            _,
            &'static [&'static str],
            _,
            _,
        ) = match self {
            Kind::Namespace => ("Namespace", "namespaces", "namespace", &["ns"], "", false),
            Kind::Node => ("Node", "nodes", "node", &["no"], "", false),
            Kind::ServiceAccount => (
                "ServiceAccount",
                "serviceaccounts",
                "serviceaccount",
                &["sa"],
                "",
                true,
            ),
            Kind::Secret => ("Secret", "secrets", "secret", &[], "", true),
            Kind::ConfigMap => ("ConfigMap", "configmaps", "configmap", &["cm"], "", true),
            Kind::Pod => ("Pod", "pods", "pod", &["po"], "", true),
            Kind::Role => ("Role", "roles", "role", &[], rbac::RBAC_GROUP, true),
            Kind::ClusterRole => (
                "ClusterRole",
                "clusterroles",
                "clusterrole",
                &[],
                rbac::RBAC_GROUP,
                false,
            ),
            // kubectl itself has no short names for bindings; k9s's `rb`/`crb` are accepted too.
            Kind::RoleBinding => (
                "RoleBinding",
                "rolebindings",
                "rolebinding",
                &["rb"],
                rbac::RBAC_GROUP,
                true,
            ),
            Kind::ClusterRoleBinding => (
                "ClusterRoleBinding",
                "clusterrolebindings",
                "clusterrolebinding",
                &["crb"],
                rbac::RBAC_GROUP,
                false,
            ),
        };
        KindInfo {
            kind,
            plural,
            singular,
            short_names,
            group,
            version: "v1",
            namespaced,
        }
    }

    pub fn name(self) -> &'static str {
        self.info().kind
    }

    pub fn plural(self) -> &'static str {
        self.info().plural
    }

    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }

    /// `v1` or `rbac.authorization.k8s.io/v1`.
    pub fn api_version(self) -> &'static str {
        match self.info().group {
            "" => "v1",
            _ => "rbac.authorization.k8s.io/v1",
        }
    }

    /// `pods`, or `roles.rbac.authorization.k8s.io`: the qualified resource in API messages.
    pub fn qualified_resource(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.plural.to_string()
        } else {
            format!("{}.{}", i.plural, i.group)
        }
    }

    /// `ServiceAccount`, or `Role.rbac.authorization.k8s.io`: the qualified kind in Invalid errors.
    pub fn qualified_kind(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.kind.to_string()
        } else {
            format!("{}.{}", i.kind, i.group)
        }
    }

    /// Resolves what a user typed (`sa`, `serviceaccount`, `ServiceAccounts`,
    /// `roles.rbac.authorization.k8s.io`) the way kubectl's RESTMapper does.
    pub fn resolve(typed: &str) -> Option<Kind> {
        let lower = typed.to_ascii_lowercase();
        let (name, group) = match lower.split_once('.') {
            Some((n, g)) => (n.to_string(), Some(g.to_string())),
            None => (lower, None),
        };
        Kind::ALL.into_iter().find(|k| {
            let i = k.info();
            let name_matches = name == i.plural
                || name == i.singular
                || name == i.kind.to_ascii_lowercase()
                || i.short_names.contains(&name.as_str());
            let group_matches = match &group {
                None => true,
                Some(g) => g == i.group || (g == "v1" && i.group.is_empty()),
            };
            name_matches && group_matches
        })
    }

    /// Finds the kind for an `apiVersion`/`kind` pair as a manifest names it.
    pub fn from_type_meta(api_version: &str, kind: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == kind && k.api_version() == api_version)
    }
}

/// Any stored object. Pods are the largest variant; objects are few and short-lived in this
/// form (the store keeps typed maps), so boxing would only add indirection.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Object {
    Namespace(Namespace),
    Node(Node),
    ServiceAccount(ServiceAccount),
    Secret(Secret),
    ConfigMap(ConfigMap),
    Pod(Pod),
    Role(Role),
    ClusterRole(ClusterRole),
    RoleBinding(RoleBinding),
    ClusterRoleBinding(ClusterRoleBinding),
}

/// Why a document could not be turned into an object: a message and the JSON path it is about
/// (empty for the whole document), so callers can point at a line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn decode<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        DecodeError {
            message: format!(
                "{}: {}",
                if path.is_empty() { "." } else { &path },
                e.inner()
            ),
            path,
        }
    })
}

/// Top-level fields each kind accepts; anything else is rejected as the API server's strict
/// field validation (kubectl's default) rejects it.
fn known_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Namespace | Kind::Node | Kind::Pod => &["spec", "status"],
        Kind::ServiceAccount => &[
            "secrets",
            "imagePullSecrets",
            "automountServiceAccountToken",
        ],
        Kind::Secret => &["type", "data", "stringData", "immutable"],
        Kind::ConfigMap => &["data", "binaryData", "immutable"],
        Kind::Role => &["rules"],
        Kind::ClusterRole => &["rules", "aggregationRule"],
        Kind::RoleBinding | Kind::ClusterRoleBinding => &["subjects", "roleRef"],
    }
}

impl Object {
    /// Decodes one manifest. Unknown kinds and versions get kubectl's wording.
    pub fn from_value(value: Value) -> Result<Object, DecodeError> {
        let Value::Object(mut map) = value else {
            return Err(DecodeError {
                path: String::new(),
                message: "object is not a mapping".into(),
            });
        };
        let api_version = type_meta_field(&map, "apiVersion")?;
        let kind_name = type_meta_field(&map, "kind")?;
        let kind = Kind::from_type_meta(&api_version, &kind_name).ok_or_else(|| DecodeError {
            path: "kind".into(),
            message: format!("no matches for kind {kind_name:?} in version {api_version:?}"),
        })?;
        map.remove("apiVersion");
        map.remove("kind");
        let allowed = known_fields(kind);
        if let Some(unknown) = map
            .keys()
            .find(|k| *k != "metadata" && !allowed.contains(&k.as_str()))
        {
            return Err(DecodeError {
                path: unknown.clone(),
                message: format!("strict decoding error: unknown field {unknown:?}"),
            });
        }
        let value = Value::Object(map);
        Ok(match kind {
            Kind::Namespace => Object::Namespace(decode(value)?),
            Kind::Node => Object::Node(decode(value)?),
            Kind::ServiceAccount => Object::ServiceAccount(decode(value)?),
            Kind::Secret => Object::Secret(decode(value)?),
            Kind::ConfigMap => Object::ConfigMap(decode(value)?),
            Kind::Pod => Object::Pod(decode(value)?),
            Kind::Role => Object::Role(decode(value)?),
            Kind::ClusterRole => Object::ClusterRole(decode(value)?),
            Kind::RoleBinding => Object::RoleBinding(decode(value)?),
            Kind::ClusterRoleBinding => Object::ClusterRoleBinding(decode(value)?),
        })
    }

    /// The object as `kubectl get -o json` shows it: `apiVersion` and `kind` included, keys sorted.
    pub fn to_value(&self) -> Value {
        fn with_type<T: Serialize>(kind: Kind, body: &T) -> Value {
            let mut v = serde_json::to_value(body).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert(
                    "apiVersion".into(),
                    Value::String(kind.api_version().into()),
                );
                m.insert("kind".into(), Value::String(kind.name().into()));
            }
            v
        }
        let kind = self.kind();
        match self {
            Object::Namespace(o) => with_type(kind, o),
            Object::Node(o) => with_type(kind, o),
            Object::ServiceAccount(o) => with_type(kind, o),
            Object::Secret(o) => with_type(kind, o),
            Object::ConfigMap(o) => with_type(kind, o),
            Object::Pod(o) => with_type(kind, o),
            Object::Role(o) => with_type(kind, o),
            Object::ClusterRole(o) => with_type(kind, o),
            Object::RoleBinding(o) => with_type(kind, o),
            Object::ClusterRoleBinding(o) => with_type(kind, o),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::ServiceAccount(_) => Kind::ServiceAccount,
            Object::Secret(_) => Kind::Secret,
            Object::ConfigMap(_) => Kind::ConfigMap,
            Object::Pod(_) => Kind::Pod,
            Object::Role(_) => Kind::Role,
            Object::ClusterRole(_) => Kind::ClusterRole,
            Object::RoleBinding(_) => Kind::RoleBinding,
            Object::ClusterRoleBinding(_) => Kind::ClusterRoleBinding,
        }
    }

    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::Namespace(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::ServiceAccount(o) => &o.metadata,
            Object::Secret(o) => &o.metadata,
            Object::ConfigMap(o) => &o.metadata,
            Object::Pod(o) => &o.metadata,
            Object::Role(o) => &o.metadata,
            Object::ClusterRole(o) => &o.metadata,
            Object::RoleBinding(o) => &o.metadata,
            Object::ClusterRoleBinding(o) => &o.metadata,
        }
    }

    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Namespace(o) => &mut o.metadata,
            Object::Node(o) => &mut o.metadata,
            Object::ServiceAccount(o) => &mut o.metadata,
            Object::Secret(o) => &mut o.metadata,
            Object::ConfigMap(o) => &mut o.metadata,
            Object::Pod(o) => &mut o.metadata,
            Object::Role(o) => &mut o.metadata,
            Object::ClusterRole(o) => &mut o.metadata,
            Object::RoleBinding(o) => &mut o.metadata,
            Object::ClusterRoleBinding(o) => &mut o.metadata,
        }
    }
}

fn type_meta_field(map: &Map<String, Value>, field: &str) -> Result<String, DecodeError> {
    match map.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => {
            let shown = if field == "kind" { "Kind" } else { field };
            Err(DecodeError {
                path: String::new(),
                message: format!("Object '{shown}' is missing"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_kubectl_names() {
        assert_eq!(Kind::resolve("sa"), Some(Kind::ServiceAccount));
        assert_eq!(Kind::resolve("ServiceAccounts"), Some(Kind::ServiceAccount));
        assert_eq!(Kind::resolve("po"), Some(Kind::Pod));
        assert_eq!(Kind::resolve("crb"), Some(Kind::ClusterRoleBinding));
        assert_eq!(
            Kind::resolve("roles.rbac.authorization.k8s.io"),
            Some(Kind::Role)
        );
        assert_eq!(Kind::resolve("foo"), None);
    }

    #[test]
    fn decodes_and_reencodes_a_service_account() {
        let v = json!({"apiVersion":"v1","kind":"ServiceAccount",
            "metadata":{"name":"build-robot","namespace":"default","managedFields":[{"manager":"kubectl"}]},
            "automountServiceAccountToken":false});
        let o = Object::from_value(v.clone()).unwrap();
        assert_eq!(o.kind(), Kind::ServiceAccount);
        assert_eq!(o.to_value(), v);
    }

    #[test]
    fn rejects_v1beta1_rbac_and_unknown_fields() {
        let e = Object::from_value(
            json!({"apiVersion":"rbac.authorization.k8s.io/v1beta1","kind":"RoleBinding"}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "no matches for kind \"RoleBinding\" in version \"rbac.authorization.k8s.io/v1beta1\""
        );
        let e = Object::from_value(json!({"apiVersion":"v1","kind":"ServiceAccount","spec":{}}))
            .unwrap_err();
        assert_eq!(e.message, "strict decoding error: unknown field \"spec\"");
    }

    #[test]
    fn type_errors_carry_their_path() {
        let e = Object::from_value(
            json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
            "spec":{"containers":[{"name":"c","volumeMounts":[{"name":5}]}]}}),
        )
        .unwrap_err();
        assert_eq!(e.path, "spec.containers[0].volumeMounts[0].name");
    }
}

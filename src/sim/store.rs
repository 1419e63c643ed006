//! The object store: one ordered map per kind, keyed by (namespace, name) or name. Ordered maps
//! make every listing deterministic.

use std::collections::BTreeMap;

use super::nsmap::NsMap;

use super::objects::{
    ClusterRole, ClusterRoleBinding, ConfigMap, Kind, Namespace, Node, Object, Pod, Role,
    RoleBinding, Secret, ServiceAccount,
};

#[derive(Clone, Debug, Default)]
pub struct Store {
    pub namespaces: BTreeMap<String, Namespace>,
    pub nodes: BTreeMap<String, Node>,
    pub cluster_roles: BTreeMap<String, ClusterRole>,
    pub cluster_role_bindings: BTreeMap<String, ClusterRoleBinding>,
    pub service_accounts: NsMap<ServiceAccount>,
    pub secrets: NsMap<Secret>,
    pub config_maps: NsMap<ConfigMap>,
    pub pods: NsMap<Pod>,
    pub roles: NsMap<Role>,
    pub role_bindings: NsMap<RoleBinding>,
    /// The last resourceVersion handed out (etcd's revision, in effect).
    pub resource_version: u64,
}

impl Store {
    pub fn next_resource_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// A copy of one object, if it exists.
    pub fn get(&self, kind: Kind, ns: &str, name: &str) -> Option<Object> {
        match kind {
            Kind::Namespace => self.namespaces.get(name).cloned().map(Object::Namespace),
            Kind::Node => self.nodes.get(name).cloned().map(Object::Node),
            Kind::ClusterRole => self
                .cluster_roles
                .get(name)
                .cloned()
                .map(Object::ClusterRole),
            Kind::ClusterRoleBinding => self
                .cluster_role_bindings
                .get(name)
                .cloned()
                .map(Object::ClusterRoleBinding),
            Kind::ServiceAccount => self
                .service_accounts
                .get(ns, name)
                .cloned()
                .map(Object::ServiceAccount),
            Kind::Secret => self.secrets.get(ns, name).cloned().map(Object::Secret),
            Kind::ConfigMap => self
                .config_maps
                .get(ns, name)
                .cloned()
                .map(Object::ConfigMap),
            Kind::Pod => self.pods.get(ns, name).cloned().map(Object::Pod),
            Kind::Role => self.roles.get(ns, name).cloned().map(Object::Role),
            Kind::RoleBinding => self
                .role_bindings
                .get(ns, name)
                .cloned()
                .map(Object::RoleBinding),
        }
    }

    pub fn contains(&self, kind: Kind, ns: &str, name: &str) -> bool {
        match kind {
            Kind::Namespace => self.namespaces.contains_key(name),
            Kind::Node => self.nodes.contains_key(name),
            Kind::ClusterRole => self.cluster_roles.contains_key(name),
            Kind::ClusterRoleBinding => self.cluster_role_bindings.contains_key(name),
            Kind::ServiceAccount => self.service_accounts.contains(ns, name),
            Kind::Secret => self.secrets.contains(ns, name),
            Kind::ConfigMap => self.config_maps.contains(ns, name),
            Kind::Pod => self.pods.contains(ns, name),
            Kind::Role => self.roles.contains(ns, name),
            Kind::RoleBinding => self.role_bindings.contains(ns, name),
        }
    }

    /// Stores an object under its kind, namespace and name, replacing any previous one.
    pub fn put(&mut self, object: Object) {
        let ns = object.meta().ns().to_string();
        let name = object.meta().name.clone();
        match object {
            Object::Namespace(o) => drop(self.namespaces.insert(name, o)),
            Object::Node(o) => drop(self.nodes.insert(name, o)),
            Object::ClusterRole(o) => drop(self.cluster_roles.insert(name, o)),
            Object::ClusterRoleBinding(o) => drop(self.cluster_role_bindings.insert(name, o)),
            Object::ServiceAccount(o) => drop(self.service_accounts.insert(&ns, &name, o)),
            Object::Secret(o) => drop(self.secrets.insert(&ns, &name, o)),
            Object::ConfigMap(o) => drop(self.config_maps.insert(&ns, &name, o)),
            Object::Pod(o) => drop(self.pods.insert(&ns, &name, o)),
            Object::Role(o) => drop(self.roles.insert(&ns, &name, o)),
            Object::RoleBinding(o) => drop(self.role_bindings.insert(&ns, &name, o)),
        }
    }

    pub fn remove(&mut self, kind: Kind, ns: &str, name: &str) -> Option<Object> {
        match kind {
            Kind::Namespace => self.namespaces.remove(name).map(Object::Namespace),
            Kind::Node => self.nodes.remove(name).map(Object::Node),
            Kind::ClusterRole => self.cluster_roles.remove(name).map(Object::ClusterRole),
            Kind::ClusterRoleBinding => self
                .cluster_role_bindings
                .remove(name)
                .map(Object::ClusterRoleBinding),
            Kind::ServiceAccount => self
                .service_accounts
                .remove(ns, name)
                .map(Object::ServiceAccount),
            Kind::Secret => self.secrets.remove(ns, name).map(Object::Secret),
            Kind::ConfigMap => self.config_maps.remove(ns, name).map(Object::ConfigMap),
            Kind::Pod => self.pods.remove(ns, name).map(Object::Pod),
            Kind::Role => self.roles.remove(ns, name).map(Object::Role),
            Kind::RoleBinding => self.role_bindings.remove(ns, name).map(Object::RoleBinding),
        }
    }

    /// Copies of every object of a kind, in one namespace or (with `None`) all of them, ordered
    /// by namespace then name.
    pub fn list(&self, kind: Kind, ns: Option<&str>) -> Vec<Object> {
        fn pick<T: Clone>(m: &NsMap<T>, ns: Option<&str>, wrap: fn(T) -> Object) -> Vec<Object> {
            match ns {
                Some(ns) => m.in_namespace(ns).cloned().map(wrap).collect(),
                None => m.values().cloned().map(wrap).collect(),
            }
        }
        match kind {
            Kind::Namespace => self
                .namespaces
                .values()
                .cloned()
                .map(Object::Namespace)
                .collect(),
            Kind::Node => self.nodes.values().cloned().map(Object::Node).collect(),
            Kind::ClusterRole => self
                .cluster_roles
                .values()
                .cloned()
                .map(Object::ClusterRole)
                .collect(),
            Kind::ClusterRoleBinding => self
                .cluster_role_bindings
                .values()
                .cloned()
                .map(Object::ClusterRoleBinding)
                .collect(),
            Kind::ServiceAccount => pick(&self.service_accounts, ns, Object::ServiceAccount),
            Kind::Secret => pick(&self.secrets, ns, Object::Secret),
            Kind::ConfigMap => pick(&self.config_maps, ns, Object::ConfigMap),
            Kind::Pod => pick(&self.pods, ns, Object::Pod),
            Kind::Role => pick(&self.roles, ns, Object::Role),
            Kind::RoleBinding => pick(&self.role_bindings, ns, Object::RoleBinding),
        }
    }

    /// Every object, cluster-scoped kinds first, in a stable order (the order states are saved in).
    pub fn all(&self) -> Vec<Object> {
        Kind::ALL
            .into_iter()
            .flat_map(|k| self.list(k, None))
            .collect()
    }
}

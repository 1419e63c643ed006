//! Bootstrap policy: the ClusterRoles and ClusterRoleBindings kube-apiserver (and, on OpenShift,
//! openshift-apiserver) reconciles at start, present in every state. The data comes from the
//! upstream golden files (see `assets/bootstrap/*.provenance.txt`).

use serde_json::Value;

use super::objects::Object;
use super::settings::Flavor;

const KUBERNETES_RBAC: &str = include_str!("../../assets/bootstrap/kubernetes-rbac.json");
const OPENSHIFT_RBAC: &str = include_str!("../../assets/bootstrap/openshift-rbac.json");

fn list(text: &str) -> Vec<Object> {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let items = v
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    items
        .into_iter()
        .filter_map(|i| Object::from_value(i).ok())
        .collect()
}

/// The bootstrap RBAC objects of a flavor, in a stable order.
pub fn policy(flavor: Flavor) -> Vec<Object> {
    let mut objects = list(KUBERNETES_RBAC);
    if flavor == Flavor::OpenShift {
        objects.extend(list(OPENSHIFT_RBAC));
    }
    objects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_policy_decodes() {
        assert_eq!(policy(Flavor::Kubernetes).len(), 17);
        assert_eq!(policy(Flavor::OpenShift).len(), 20);
    }
}

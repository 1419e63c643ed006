//! The ServiceAccount admission plugin (`plugin/pkg/admission/serviceaccount/admission.go`),
//! which runs on Pod CREATE: default service account, automounted API token volume, and
//! image pull secrets.

use serde_json::json;

use super::error::SimError;
use super::objects::core::ServiceAccount;
use super::objects::pod::{
    KUBE_API_ACCESS_PREFIX, Pod, ProjectedVolumeSource, SA_TOKEN_MOUNT_PATH,
    ServiceAccountTokenProjection, Volume, VolumeMount, VolumeProjection,
};
use super::rng::SimRng;
use super::settings::Flavor;
use super::store::Store;
use super::tokens::request::WARN_ONLY_EXPIRATION_SECONDS;

/// The SA annotation that limits pods to the secrets the SA lists.
pub const ENFORCE_MOUNTABLE_SECRETS: &str = "kubernetes.io/enforce-mountable-secrets";

/// What admission did, for the event log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Admitted {
    pub service_account: String,
    pub defaulted_service_account: bool,
    /// The `kube-api-access-*` volume, when the token was automounted.
    pub token_volume: Option<String>,
    pub containers_mounted: usize,
    pub copied_pull_secrets: usize,
}

fn forbidden(pod: &Pod, message: String) -> SimError {
    let name = if pod.metadata.name.is_empty() {
        pod.metadata
            .generate_name
            .clone()
            .unwrap_or_else(|| "Unknown".into())
    } else {
        pod.metadata.name.clone()
    };
    SimError::Forbidden {
        resource: "pods".into(),
        name,
        message,
    }
}

/// Mutates `pod` as the plugin does, or refuses it with the plugin's Forbidden error.
pub fn admit_pod(
    pod: &mut Pod,
    store: &Store,
    flavor: Flavor,
    rng: &mut SimRng,
) -> Result<Admitted, SimError> {
    let ns = pod.metadata.ns().to_string();
    let mut admitted = Admitted::default();
    let sa_name = match pod
        .spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        Some(s) => s.to_string(),
        None => {
            admitted.defaulted_service_account = true;
            "default".to_string()
        }
    };
    pod.spec.service_account_name = Some(sa_name.clone());
    // The deprecated alias is kept equal to the real field.
    pod.spec.service_account = Some(sa_name.clone());
    admitted.service_account = sa_name.clone();

    let sa: &ServiceAccount = store.service_accounts.get(&ns, &sa_name).ok_or_else(|| {
        forbidden(pod, format!("error looking up service account {ns}/{sa_name}: serviceaccount {sa_name:?} not found"))
    })?;

    if sa
        .metadata
        .annotations
        .get(ENFORCE_MOUNTABLE_SECRETS)
        .map(String::as_str)
        == Some("true")
    {
        check_mountable_secrets(pod, sa).map_err(|m| forbidden(pod, m))?;
    }

    // Precedence: the pod's setting, then the service account's, then true.
    let automount = pod
        .spec
        .automount_service_account_token
        .or(sa.automount_service_account_token)
        .unwrap_or(true);
    if automount {
        mount_api_token(pod, flavor, rng, &mut admitted);
    }

    if pod.spec.image_pull_secrets.is_empty() && !sa.image_pull_secrets.is_empty() {
        pod.spec.image_pull_secrets = sa.image_pull_secrets.clone();
        admitted.copied_pull_secrets = sa.image_pull_secrets.len();
    }
    Ok(admitted)
}

fn check_mountable_secrets(pod: &Pod, sa: &ServiceAccount) -> Result<(), String> {
    let listed = |name: &str| sa.secrets.iter().any(|s| s.name == name);
    for v in &pod.spec.volumes {
        if let Some(name) = v.secret.as_ref().and_then(|s| s.secret_name.as_deref())
            && !listed(name)
        {
            return Err(format!(
                "volume with secret.secretName={name:?} is not allowed because service account {} does not reference that secret",
                sa.metadata.name
            ));
        }
    }
    for s in &pod.spec.image_pull_secrets {
        let ok = sa.image_pull_secrets.iter().any(|p| p.name == s.name);
        if !ok {
            return Err(format!(
                "image pull secret {:?} is not allowed because service account {} does not reference that image pull secret",
                s.name, sa.metadata.name
            ));
        }
    }
    Ok(())
}

fn mount_api_token(pod: &mut Pod, flavor: Flavor, rng: &mut SimRng, admitted: &mut Admitted) {
    let existing = pod
        .spec
        .volumes
        .iter()
        .find(|v| v.name.starts_with(KUBE_API_ACCESS_PREFIX))
        .map(|v| v.name.clone());
    let has_volume = existing.is_some();
    let volume_name =
        existing.unwrap_or_else(|| format!("{KUBE_API_ACCESS_PREFIX}{}", rng.name_suffix(5)));

    let mut needed = false;
    let containers = pod
        .spec
        .init_containers
        .iter_mut()
        .chain(pod.spec.containers.iter_mut());
    for c in containers {
        if c.volume_mounts
            .iter()
            .any(|m| m.mount_path == SA_TOKEN_MOUNT_PATH)
        {
            continue;
        }
        c.volume_mounts.push(VolumeMount {
            name: volume_name.clone(),
            mount_path: SA_TOKEN_MOUNT_PATH.into(),
            read_only: Some(true),
            extra: Default::default(),
        });
        admitted.containers_mounted += 1;
        needed = true;
    }
    if needed && !has_volume {
        pod.spec
            .volumes
            .push(api_token_volume(&volume_name, flavor));
    }
    if needed || has_volume {
        admitted.token_volume = Some(volume_name);
    }
}

/// `TokenVolumeSource`: token (3607 s), the cluster CA and the namespace, mode 0644.
pub fn api_token_volume(name: &str, flavor: Flavor) -> Volume {
    let mut sources = vec![
        VolumeProjection {
            service_account_token: Some(ServiceAccountTokenProjection {
                audience: None,
                expiration_seconds: Some(WARN_ONLY_EXPIRATION_SECONDS),
                path: "token".into(),
            }),
            ..Default::default()
        },
        VolumeProjection {
            config_map: Some(
                json!({"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}),
            ),
            ..Default::default()
        },
        VolumeProjection {
            downward_api: Some(json!({"items": [{"path": "namespace",
                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]})),
            ..Default::default()
        },
    ];
    if flavor == Flavor::OpenShift {
        // OpenShift's carry patch adds the service CA bundle.
        sources.push(VolumeProjection {
            config_map: Some(json!({"name": "openshift-service-ca.crt",
                "items": [{"key": "service-ca.crt", "path": "service-ca.crt"}]})),
            ..Default::default()
        });
    }
    Volume {
        name: name.into(),
        projected: Some(ProjectedVolumeSource {
            default_mode: Some(420),
            sources,
        }),
        secret: None,
        extra: Default::default(),
    }
}

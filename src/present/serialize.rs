//! Objects as `-o yaml`, `-o json` and `-o name` print them.

use serde_json::{Value, json};

use crate::sim::command::{TokenResponse, TokenReview};
use crate::sim::objects::Object;
use crate::state::{json_write, yaml_write};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

pub fn render(v: &Value, format: Format) -> String {
    match format {
        Format::Yaml => yaml_write::to_yaml(v),
        Format::Json => json_write::to_json_pretty(v),
    }
}

/// Several objects as kubectl wraps them: a `v1` `List`.
pub fn list_value(objects: &[Object]) -> Value {
    json!({
        "apiVersion": "v1",
        "items": objects.iter().map(Object::to_value).collect::<Vec<_>>(),
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// The `authentication.k8s.io/v1` TokenReview object the API server returns.
pub fn token_review_value(r: &TokenReview) -> Value {
    json!({
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenReview",
        "metadata": {"creationTimestamp": null},
        "spec": r.spec,
        "status": r.status,
    })
}

/// The `authentication.k8s.io/v1` TokenRequest object the API server returns.
pub fn token_request_value(t: &TokenResponse) -> Value {
    json!({
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenRequest",
        "metadata": {"creationTimestamp": null, "name": t.service_account, "namespace": t.namespace},
        "spec": t.spec,
        "status": {
            "expirationTimestamp": crate::sim::clock::format_rfc3339(t.expiration_timestamp),
            "token": t.token,
        },
    })
}

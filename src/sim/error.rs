//! Errors the simulator returns, shaped like the API server's `StatusError`s so every driver can
//! print the upstream wording.

use std::fmt;

/// One `field.Error`: a path, what is wrong, and the detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub kind: FieldErrorKind,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// `Invalid value: <value>`; the value is already rendered as Go prints it (`599`, `"x"`).
    Invalid(String),
    Required,
    Forbidden,
    NotSupported(String),
    /// `Not found: <value>`.
    NotFound(String),
}

impl FieldError {
    pub fn invalid_str(path: impl Into<String>, value: &str, detail: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            kind: FieldErrorKind::Invalid(format!("{value:?}")),
            detail: detail.into(),
        }
    }

    pub fn invalid_int(path: impl Into<String>, value: i64, detail: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            kind: FieldErrorKind::Invalid(value.to_string()),
            detail: detail.into(),
        }
    }

    pub fn required(path: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            kind: FieldErrorKind::Required,
            detail: detail.into(),
        }
    }

    pub fn forbidden(path: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            kind: FieldErrorKind::Forbidden,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.kind {
            FieldErrorKind::Invalid(v) => format!("Invalid value: {v}"),
            FieldErrorKind::Required => "Required value".to_string(),
            FieldErrorKind::Forbidden => "Forbidden".to_string(),
            FieldErrorKind::NotSupported(v) => format!("Unsupported value: {v}"),
            FieldErrorKind::NotFound(v) => format!("Not found: {v}"),
        };
        if self.detail.is_empty() {
            write!(f, "{}: {}", self.path, body)
        } else {
            write!(f, "{}: {}: {}", self.path, body, self.detail)
        }
    }
}

/// A failed operation. `Display` is the API server's `Status.message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// `serviceaccounts "x" not found`
    #[error("{resource} {name:?} not found")]
    NotFound { resource: String, name: String },
    /// `namespaces "test" already exists`
    #[error("{resource} {name:?} already exists")]
    AlreadyExists { resource: String, name: String },
    /// `ServiceAccount "Bad" is invalid: metadata.name: Invalid value: …`
    #[error("{qualified_kind} {name:?} is invalid: {}", join_causes(.causes))]
    Invalid {
        qualified_kind: String,
        name: String,
        causes: Vec<FieldError>,
    },
    /// `pods "nginx" is forbidden: error looking up service account test/x: …`
    #[error("{resource} {name:?} is forbidden: {message}")]
    Forbidden {
        resource: String,
        name: String,
        message: String,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Internal(String),
}

/// `errs.ToAggregate()`: one error alone, several in brackets.
fn join_causes(causes: &[FieldError]) -> String {
    match causes {
        [one] => one.to_string(),
        many => format!(
            "[{}]",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl SimError {
    /// The `Status.reason` kubectl shows in `Error from server (<reason>)`.
    pub fn reason(&self) -> &'static str {
        match self {
            SimError::NotFound { .. } => "NotFound",
            SimError::AlreadyExists { .. } => "AlreadyExists",
            SimError::Invalid { .. } => "Invalid",
            SimError::Forbidden { .. } => "Forbidden",
            SimError::BadRequest(_) => "BadRequest",
            SimError::Conflict(_) => "Conflict",
            SimError::Internal(_) => "InternalError",
        }
    }

    /// The HTTP status code the API server would answer with.
    pub fn code(&self) -> u16 {
        match self {
            SimError::NotFound { .. } => 404,
            SimError::AlreadyExists { .. } | SimError::Conflict(_) => 409,
            SimError::Invalid { .. } => 422,
            SimError::Forbidden { .. } => 403,
            SimError::BadRequest(_) => 400,
            SimError::Internal(_) => 500,
        }
    }

    pub fn not_found(resource: impl Into<String>, name: impl Into<String>) -> Self {
        SimError::NotFound {
            resource: resource.into(),
            name: name.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_the_api_server() {
        assert_eq!(
            SimError::not_found("serviceaccounts", "nope").to_string(),
            "serviceaccounts \"nope\" not found"
        );
        let e = SimError::Invalid {
            qualified_kind: "TokenRequest.authentication.k8s.io".into(),
            name: "build-robot".into(),
            causes: vec![FieldError::invalid_int(
                "spec.expirationSeconds",
                599,
                "may not specify a duration less than 10 minutes",
            )],
        };
        assert_eq!(
            e.to_string(),
            "TokenRequest.authentication.k8s.io \"build-robot\" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes"
        );
    }
}

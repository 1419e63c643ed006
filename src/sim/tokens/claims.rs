//! JWT claims of bound service-account tokens (`pkg/serviceaccount/claims.go`) and of legacy
//! secret tokens (`legacy.go`), and their parsing back out of arbitrary tokens.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// Issuer of legacy secret-based tokens.
pub const LEGACY_ISSUER: &str = "kubernetes/serviceaccount";
/// Prefix of every service-account username.
pub const SA_USERNAME_PREFIX: &str = "system:serviceaccount:";

/// `system:serviceaccount:<ns>:<name>` (`MakeUsername`).
pub fn sa_username(namespace: &str, name: &str) -> String {
    format!("{SA_USERNAME_PREFIX}{namespace}:{name}")
}

/// A `{"name","uid"}` reference inside the `kubernetes.io` claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRef {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl ClaimRef {
    pub fn new(name: &str, uid: &str) -> Self {
        ClaimRef {
            name: name.into(),
            uid: uid.into(),
        }
    }
}

/// What a bound token says about who holds it: shared by every refresh of the same projection,
/// so the ledger stores it once per holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenBinding {
    pub iss: String,
    pub aud: Vec<String>,
    pub namespace: String,
    pub service_account: ClaimRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<ClaimRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<ClaimRef>,
    /// A node reference; its uid is empty when the Node object was not found at issue time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<ClaimRef>,
}

impl TokenBinding {
    pub fn subject(&self) -> String {
        sa_username(&self.namespace, &self.service_account.name)
    }
}

/// The times and identity of one issued token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenTimes {
    pub iat: i64,
    pub exp: i64,
    pub warnafter: Option<i64>,
}

/// The payload exactly as the API server's generator writes it. go-jose marshals the merged
/// claims through a map, so keys come out sorted, which `serde_json::Map` also does.
pub fn bound_payload(b: &TokenBinding, t: TokenTimes, jti: Option<&str>) -> Value {
    let mut k8s = Map::new();
    k8s.insert("namespace".into(), json!(b.namespace));
    k8s.insert("serviceaccount".into(), json!(b.service_account));
    if let Some(p) = &b.pod {
        k8s.insert("pod".into(), json!(p));
    }
    if let Some(s) = &b.secret {
        k8s.insert("secret".into(), json!(s));
    }
    if let Some(n) = &b.node {
        k8s.insert("node".into(), json!(n));
    }
    if let Some(w) = t.warnafter {
        k8s.insert("warnafter".into(), json!(w));
    }
    let mut m = Map::new();
    m.insert("aud".into(), json!(b.aud));
    m.insert("exp".into(), json!(t.exp));
    m.insert("iat".into(), json!(t.iat));
    m.insert("iss".into(), json!(b.iss));
    if let Some(j) = jti {
        m.insert("jti".into(), json!(j));
    }
    m.insert("kubernetes.io".into(), Value::Object(k8s));
    m.insert("nbf".into(), json!(t.iat));
    m.insert("sub".into(), json!(b.subject()));
    Value::Object(m)
}

/// The payload of a legacy secret-based token (`LegacyClaims`): the issuer, the subject and four
/// private claims. No `aud`, `exp`, `iat`, `nbf` or `jti`.
pub fn legacy_payload(b: &TokenBinding) -> Value {
    let secret = b.secret.as_ref().map(|s| s.name.as_str()).unwrap_or("");
    let mut m = Map::new();
    m.insert("iss".into(), json!(LEGACY_ISSUER));
    m.insert(
        "kubernetes.io/serviceaccount/namespace".into(),
        json!(b.namespace),
    );
    m.insert(
        "kubernetes.io/serviceaccount/secret.name".into(),
        json!(secret),
    );
    m.insert(
        "kubernetes.io/serviceaccount/service-account.name".into(),
        json!(b.service_account.name),
    );
    m.insert(
        "kubernetes.io/serviceaccount/service-account.uid".into(),
        json!(b.service_account.uid),
    );
    m.insert("sub".into(), json!(b.subject()));
    Value::Object(m)
}

/// Claims read back out of any token, tolerant of missing or odd fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedClaims {
    pub iss: Option<String>,
    pub sub: Option<String>,
    pub aud: Vec<String>,
    pub exp: Option<i64>,
    pub nbf: Option<i64>,
    pub iat: Option<i64>,
    pub jti: Option<String>,
    pub namespace: Option<String>,
    pub service_account: Option<ClaimRef>,
    pub pod: Option<ClaimRef>,
    pub secret: Option<ClaimRef>,
    pub node: Option<ClaimRef>,
    pub warnafter: Option<i64>,
    /// Legacy (`kubernetes.io/serviceaccount/...`) private claims, when present.
    pub legacy: Option<LegacyClaims>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LegacyClaims {
    pub namespace: Option<String>,
    pub secret_name: Option<String>,
    pub service_account_name: Option<String>,
    pub service_account_uid: Option<String>,
}

fn num(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        _ => None,
    }
}

fn string(v: Option<&Value>) -> Option<String> {
    v?.as_str().map(str::to_string)
}

fn claim_ref(v: Option<&Value>) -> Option<ClaimRef> {
    let o = v?.as_object()?;
    Some(ClaimRef {
        name: string(o.get("name")).unwrap_or_default(),
        uid: string(o.get("uid")).unwrap_or_default(),
    })
}

impl ParsedClaims {
    pub fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        // go-jose accepts `aud` as a string or an array of strings.
        let aud = match o.get("aud") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        let k8s = o.get("kubernetes.io").and_then(Value::as_object);
        let get = |key: &str| k8s.and_then(|m| m.get(key));
        let legacy_key =
            |suffix: &str| string(o.get(&format!("kubernetes.io/serviceaccount/{suffix}")));
        let legacy = LegacyClaims {
            namespace: legacy_key("namespace"),
            secret_name: legacy_key("secret.name"),
            service_account_name: legacy_key("service-account.name"),
            service_account_uid: legacy_key("service-account.uid"),
        };
        let has_legacy = legacy != LegacyClaims::default();
        Some(ParsedClaims {
            iss: string(o.get("iss")),
            sub: string(o.get("sub")),
            aud,
            exp: num(o.get("exp")),
            nbf: num(o.get("nbf")),
            iat: num(o.get("iat")),
            jti: string(o.get("jti")),
            namespace: string(get("namespace")),
            service_account: claim_ref(get("serviceaccount")),
            pod: claim_ref(get("pod")),
            secret: claim_ref(get("secret")),
            node: claim_ref(get("node")),
            warnafter: num(get("warnafter")),
            legacy: has_legacy.then_some(legacy),
        })
    }

    /// The claims a legacy token with this binding decodes to.
    pub fn legacy_from_binding(b: &TokenBinding) -> Self {
        ParsedClaims::from_json(&legacy_payload(b)).unwrap_or_default()
    }

    /// The claims a ledger entry would decode to.
    pub fn from_binding(b: &TokenBinding, t: TokenTimes, jti: Option<&str>) -> Self {
        ParsedClaims {
            iss: Some(b.iss.clone()),
            sub: Some(b.subject()),
            aud: b.aud.clone(),
            exp: Some(t.exp),
            nbf: Some(t.iat),
            iat: Some(t.iat),
            jti: jti.map(str::to_string),
            namespace: Some(b.namespace.clone()),
            service_account: Some(b.service_account.clone()),
            pod: b.pod.clone(),
            secret: b.secret.clone(),
            node: b.node.clone(),
            warnafter: t.warnafter,
            legacy: None,
        }
    }
}

/// Claims borrowed from wherever they live (a parsed token, a ledger entry), for validation
/// without copying.
#[derive(Clone, Copy, Debug)]
pub struct ClaimsView<'a> {
    pub iss: &'a str,
    pub aud: &'a [String],
    pub exp: Option<i64>,
    pub nbf: Option<i64>,
    pub iat: Option<i64>,
    pub jti: Option<&'a str>,
    pub namespace: &'a str,
    pub service_account: Option<&'a ClaimRef>,
    pub pod: Option<&'a ClaimRef>,
    pub secret: Option<&'a ClaimRef>,
    pub node: Option<&'a ClaimRef>,
}

impl ParsedClaims {
    pub fn view(&self) -> ClaimsView<'_> {
        ClaimsView {
            iss: self.iss.as_deref().unwrap_or(""),
            aud: &self.aud,
            exp: self.exp,
            nbf: self.nbf,
            iat: self.iat,
            jti: self.jti.as_deref(),
            namespace: self.namespace.as_deref().unwrap_or(""),
            service_account: self.service_account.as_ref(),
            pod: self.pod.as_ref(),
            secret: self.secret.as_ref(),
            node: self.node.as_ref(),
        }
    }
}

impl TokenBinding {
    /// The claims of a token with this binding, times and jti.
    pub fn view<'a>(&'a self, t: TokenTimes, jti: Option<&'a str>) -> ClaimsView<'a> {
        ClaimsView {
            iss: &self.iss,
            aud: &self.aud,
            exp: Some(t.exp),
            nbf: Some(t.iat),
            iat: Some(t.iat),
            jti,
            namespace: &self.namespace,
            service_account: Some(&self.service_account),
            pod: self.pod.as_ref(),
            secret: self.secret.as_ref(),
            node: self.node.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_keys_are_sorted_and_aud_is_an_array() {
        let b = TokenBinding {
            iss: "https://kubernetes.default.svc".into(),
            aud: vec!["vault".into()],
            namespace: "test".into(),
            service_account: ClaimRef::new("nginx", "u1"),
            pod: Some(ClaimRef::new("nginx", "u2")),
            secret: None,
            node: Some(ClaimRef::new("node-1", "")),
        };
        let p = bound_payload(
            &b,
            TokenTimes {
                iat: 100,
                exp: 7300,
                warnafter: None,
            },
            Some("j"),
        );
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"aud":["vault"],"exp":7300,"iat":100,"iss":"https://kubernetes.default.svc","jti":"j","kubernetes.io":{"namespace":"test","node":{"name":"node-1"},"pod":{"name":"nginx","uid":"u2"},"serviceaccount":{"name":"nginx","uid":"u1"}},"nbf":100,"sub":"system:serviceaccount:test:nginx"}"#
        );
        let parsed = ParsedClaims::from_json(&p).unwrap();
        assert_eq!(
            parsed,
            ParsedClaims::from_binding(
                &b,
                TokenTimes {
                    iat: 100,
                    exp: 7300,
                    warnafter: None
                },
                Some("j")
            )
        );
    }
}

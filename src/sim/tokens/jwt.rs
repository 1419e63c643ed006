//! Compact JWS encoding and unverified decoding.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::keys::SigningKey;

/// The header the API server's signer writes: `{"alg":"RS256","kid":"…"}`, no `typ`.
pub fn header(kid: &str) -> Value {
    json!({"alg": "RS256", "kid": kid})
}

/// Signs `payload` with `key`, giving `b64(header).b64(payload).b64(signature)`.
pub fn encode(payload: &Value, key: &SigningKey) -> Result<String, String> {
    let header = serde_json::to_vec(&header(&key.kid)).map_err(|e| e.to_string())?;
    let payload = serde_json::to_vec(payload).map_err(|e| e.to_string())?;
    let mut out = String::with_capacity(900);
    out.push_str(&URL_SAFE_NO_PAD.encode(header));
    out.push('.');
    out.push_str(&URL_SAFE_NO_PAD.encode(payload));
    let sig = key.sign(out.as_bytes())?;
    out.push('.');
    out.push_str(&URL_SAFE_NO_PAD.encode(sig));
    Ok(out)
}

/// A token split into its parts, nothing verified yet.
#[derive(Clone, Debug, PartialEq)]
pub struct UnverifiedJwt {
    pub header: Value,
    pub payload: Value,
    /// `header.payload` as transmitted: the bytes the signature covers.
    pub signing_input: String,
    pub signature_b64: String,
}

impl UnverifiedJwt {
    pub fn kid(&self) -> &str {
        self.header.get("kid").and_then(Value::as_str).unwrap_or("")
    }

    pub fn alg(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or("")
    }
}

/// Why a string is not a JWS we can read.
pub fn parse(token: &str) -> Result<UnverifiedJwt, String> {
    let token = token.trim();
    if token.is_empty() {
        return Err("token is empty".into());
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(format!(
            "a JWT has 3 dot-separated parts, this has {}",
            parts.len()
        ));
    }
    let decode_json = |part: &str, what: &str| -> Result<Value, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part.trim_end_matches('='))
            .map_err(|e| format!("{what} is not base64url: {e}"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{what} is not JSON: {e}"))
    };
    let header = decode_json(parts[0], "header")?;
    let payload = decode_json(parts[1], "payload")?;
    if !header.is_object() {
        return Err("header is not a JSON object".into());
    }
    if !payload.is_object() {
        return Err("payload is not a JSON object".into());
    }
    URL_SAFE_NO_PAD
        .decode(parts[2].trim_end_matches('='))
        .map_err(|e| format!("signature is not base64url: {e}"))?;
    Ok(UnverifiedJwt {
        header,
        payload,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature_b64: parts[2].to_string(),
    })
}

/// `hasCorrectIssuer`'s reading: the unverified `iss`, if the token looks like a compact JWS
/// (not JSON serialization, three parts, base64url JSON payload).
pub fn unverified_issuer(token: &str) -> Option<String> {
    if token.starts_with('{') {
        return None;
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return None;
    }
    let payload = URL_SAFE_NO_PAD.decode(parts[1]).ok()?;
    let v: Value = serde_json::from_slice(&payload).ok()?;
    v.get("iss")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reports_what_is_wrong() {
        assert_eq!(
            parse("abc").unwrap_err(),
            "a JWT has 3 dot-separated parts, this has 1"
        );
        assert!(parse("a.b.c").unwrap_err().starts_with("header is not"));
        assert_eq!(unverified_issuer("{\"iss\":1}"), None);
    }
}

//! Tokens for people: the ledger table and a jwt.io-like decode of any JWT.

use serde_json::Value;

use super::age::{countdown, human_duration, relative};
use super::table::{Row, Table, col, extra, wide};
use crate::sim::clock::{format_rfc3339, from_unix_seconds};
use crate::sim::tokens::claims::ParsedClaims;
use crate::sim::tokens::jwt;
use crate::sim::tokens::ledger::TokenRecord;
use crate::sim::tokens::review::Rejection;
use crate::sim::{Simulator, TokenStatus};

/// The short form of a jti used in tables and messages: its first block.
pub fn short_jti(r: &TokenRecord) -> String {
    r.jti
        .as_deref()
        .map(|j| j.split('-').next().unwrap_or(j).to_string())
        .unwrap_or_else(|| format!("#{}", r.id))
}

/// `active`, `superseded`, `expired`, or `revoked: <reason>`.
pub fn status_text(s: &TokenStatus) -> String {
    match s {
        TokenStatus::Revoked(e) => format!("revoked: {}", e.explanation()),
        other => other.label().to_string(),
    }
}

/// REFRESH-IN: time until the kubelet replaces the token; `-` when nobody will.
pub fn refresh_in(sim: &Simulator, r: &TokenRecord, status: &TokenStatus) -> String {
    match (r.refresh_due_at, status) {
        (Some(due), TokenStatus::Active) => countdown(due - sim.now()),
        _ => "-".into(),
    }
}

/// EXPIRES-IN: time until `exp`; `-` once past.
pub fn expires_in(sim: &Simulator, r: &TokenRecord) -> String {
    match r.expires() {
        Some(exp) => countdown(from_unix_seconds(exp) - sim.now()),
        None => "never".into(),
    }
}

/// The ledger as `kidex get tokens` prints it, newest last.
pub fn tokens_table(sim: &Simulator, namespace: Option<&str>) -> Table {
    let rows = sim
        .ledger()
        .iter()
        .filter(|r| namespace.is_none_or(|ns| r.binding.namespace == ns))
        .map(|r| {
            let status = sim.token_status(r);
            let warn = match r.warnafter {
                Some(w) => countdown(from_unix_seconds(w) - sim.now()),
                None => "<none>".into(),
            };
            Row {
                namespace: r.binding.namespace.clone(),
                name: short_jti(r),
                uid: r.id.to_string(),
                cells: vec![
                    short_jti(r),
                    r.binding.service_account.name.clone(),
                    r.holder.to_string(),
                    r.binding.aud.join(","),
                    human_duration(sim.now() - from_unix_seconds(r.iat)),
                    refresh_in(sim, r, &status),
                    expires_in(sim, r),
                    status_text(&status),
                    r.id.to_string(),
                    warn,
                    r.kid.chars().take(8).collect(),
                    r.jti.clone().unwrap_or_default(),
                ],
            }
        })
        .collect();
    Table {
        columns: vec![
            col("JTI"),
            col("SERVICEACCOUNT"),
            col("HOLDER"),
            col("AUDIENCES"),
            col("ISSUED"),
            col("REFRESH-IN"),
            col("EXPIRES-IN"),
            col("STATUS"),
            wide("ID"),
            wide("WARN-IN"),
            wide("KID"),
            extra("FULL-JTI"),
        ],
        rows,
        namespaced: true,
    }
}

/// The signature verdict against this cluster's JWKS.
pub fn signature_verdict(sim: &Simulator, token: &jwt::UnverifiedJwt) -> String {
    let kid = token.kid();
    if token.alg() != "RS256" {
        return format!("invalid: alg {:?} is not RS256", token.alg());
    }
    let mut candidates = sim.keys().verifying_keys_for(kid).peekable();
    if candidates.peek().is_none() {
        return if kid.is_empty() {
            "unknown key: the token has no kid and the cluster has no verifying keys".into()
        } else {
            format!("unknown key: kid {kid} is not in this cluster's JWKS")
        };
    }
    match candidates.find(|k| k.verify(&token.signing_input, &token.signature_b64)) {
        Some(k) => format!("valid (RS256, {}-bit key {})", k.bits, k.kid),
        None => format!(
            "invalid: the signature does not match key {}",
            if kid.is_empty() { "(any)" } else { kid }
        ),
    }
}

fn time_line(out: &mut String, sim: &Simulator, label: &str, secs: Option<i64>) {
    if let Some(s) = secs {
        let t = from_unix_seconds(s);
        out.push_str(&format!(
            "  {label:<10} {s}  {}  ({})\n",
            format_rfc3339(t),
            relative(t - sim.now())
        ));
    }
}

/// A decode like jwt.io's: header, payload, times, signature verdict, and what a TokenReview
/// would say now. Works on any JWT; errors say what is malformed.
pub fn decode(sim: &Simulator, token: &str) -> Result<String, String> {
    let parsed = jwt::parse(token).map_err(|e| format!("not a JWT: {e}"))?;
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let indent = |s: String| s.lines().map(|l| format!("  {l}\n")).collect::<String>();
    let mut out = String::new();
    out.push_str("Header:\n");
    out.push_str(&indent(pretty(&parsed.header)));
    out.push_str("Payload:\n");
    out.push_str(&indent(pretty(&parsed.payload)));
    let claims = ParsedClaims::from_json(&parsed.payload).unwrap_or_default();
    out.push_str(&format!("Times (now {}):\n", format_rfc3339(sim.now())));
    let before = out.len();
    time_line(&mut out, sim, "iat", claims.iat);
    time_line(&mut out, sim, "nbf", claims.nbf);
    time_line(&mut out, sim, "exp", claims.exp);
    time_line(&mut out, sim, "warnafter", claims.warnafter);
    if out.len() == before {
        out.push_str("  (none: this token never expires)\n");
    } else if let (Some(iat), Some(exp)) = (claims.iat, claims.exp) {
        let span = exp.saturating_sub(iat);
        out.push_str(&format!(
            "  lifetime   {span}s ({})\n",
            countdown(super::age::seconds(span))
        ));
    }
    out.push_str(&format!("Signature: {}\n", signature_verdict(sim, &parsed)));
    let verdict = match sim.review_context().authenticate(token, &[]) {
        Ok(a) => {
            let stale = a.stale_seconds.map(|s| format!(", {s}s past warnafter (stale)")).unwrap_or_default();
            format!("authenticated as {} (audiences {}){stale}", a.user.username, a.audiences.join(","))
        }
        Err(Rejection::NotRecognised) => "not authenticated: invalid bearer token (issuer not trusted here or not a service-account token)".into(),
        Err(Rejection::Invalid(e)) => format!("not authenticated: {e}"),
    };
    out.push_str(&format!("TokenReview (API audiences): {verdict}\n"));
    if let Some(r) = sim.find_token(&claims) {
        let status = sim.token_status(r);
        out.push_str(&format!(
            "Ledger: token {} held by {}, {}, issued {} ago\n",
            short_jti(r),
            r.holder,
            status_text(&status),
            human_duration(sim.now() - from_unix_seconds(r.iat))
        ));
    }
    Ok(out)
}

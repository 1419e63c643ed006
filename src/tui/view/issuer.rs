//! The issuer view: who signs and who is trusted, the API audiences, the discovery document and
//! the JWKS, and the history of signing keys.

use ratatui::text::{Line, Span};

use crate::sim::clock::format_rfc3339;
use crate::sim::tokens::keys::KeyState;
use crate::tui::app::App;
use crate::tui::theme::Role;

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let sim = &app.sim;
    let s = sim.settings();
    let heading = |t: &str| Line::from(Span::styled(t.to_string(), theme.style(Role::Section)));
    let text = |t: String| Line::from(Span::styled(t, theme.style(Role::Row)));
    let muted = |t: String| Line::from(Span::styled(t, theme.style(Role::Muted)));
    let mut out = vec![heading(
        "Issuers (--service-account-issuer: the first signs, all are accepted)",
    )];
    for (i, iss) in s.issuers.iter().enumerate() {
        let window = s.issuer_trusted_until.get(iss).map(|w| {
            let left = w.until - sim.now();
            format!(
                "accepted until {} (in {})",
                format_rfc3339(w.until),
                crate::sim::clock::format_go_duration(left)
            )
        });
        let role = match (i, window) {
            (0, _) => "signs new tokens · accepted".to_string(),
            (_, Some(w)) => w,
            (_, None) => "accepted until removed (tokens it issued still authenticate)".to_string(),
        };
        out.push(text(format!("  {iss:<52} {role}")));
    }
    if let Some(p) = s
        .kube_apiserver
        .as_ref()
        .and_then(|k| k.pending_issuer.as_ref())
    {
        out.push(muted(format!(
            "  pending: {} signs once every control-plane node runs the new kube-apiserver revision",
            p.issuer
        )));
    }
    out.push(Line::default());
    out.push(heading("API audiences (--api-audiences)"));
    let defaulted = if s.api_audiences.is_empty() {
        "  (defaulted to the issuers)"
    } else {
        ""
    };
    out.push(text(format!(
        "  {}{defaulted}",
        s.api_audiences().join(", ")
    )));
    out.push(Line::default());
    out.push(heading("Token settings"));
    out.push(text(format!(
        "  extend kube-api-access tokens to a year: {}   max expiration: {}   service account lookup: {}",
        s.extend_token_expiration,
        s.max_token_expiration
            .map(crate::sim::clock::format_go_duration)
            .unwrap_or_else(|| "unset".into()),
        s.service_account_lookup
    )));
    out.push(Line::default());
    out.push(heading(
        "Discovery document (/.well-known/openid-configuration)",
    ));
    match sim.openid_configuration() {
        Ok(doc) => {
            let json = serde_json::to_string_pretty(&doc).unwrap_or_default();
            out.extend(json.lines().map(|l| text(format!("  {l}"))));
        }
        Err(why) => out.push(muted(format!("  not served: {why}"))),
    }
    out.push(Line::default());
    out.push(heading(&format!(
        "JWKS (/openid/v1/jwks): {} key(s)",
        sim.jwks().keys.len()
    )));
    out.push(Line::from(Span::styled(
        format!(
            "  {:<46} {:<6} {:<4} {:<4} {}",
            "KID", "ALG", "USE", "KTY", "SIZE"
        ),
        theme.style(Role::TableHeader),
    )));
    let keys = sim.keys().all();
    for jwk in sim.jwks().keys {
        let bits = keys
            .iter()
            .find(|k| k.kid == jwk.kid)
            .map(|k| format!("{}-bit", k.bits))
            .unwrap_or_default();
        out.push(text(format!(
            "  {:<46} {:<6} {:<4} {:<4} {bits}",
            jwk.kid, jwk.alg, jwk.key_use, jwk.kty
        )));
    }
    out.push(Line::default());
    out.push(heading("Signing keys, oldest first"));
    out.push(Line::from(Span::styled(
        format!(
            "  {:<46} {:<12} {:<22} {}",
            "KID", "STATE", "CREATED", "RETIRED"
        ),
        theme.style(Role::TableHeader),
    )));
    for k in keys {
        let (state, role) = match k.state() {
            KeyState::Signing => ("signing", Role::StatusOk),
            KeyState::VerifyOnly => ("verify-only", Role::StatusWarn),
            KeyState::Retired => ("retired", Role::StatusDim),
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {:<46} ", k.kid), theme.style(Role::Row)),
            Span::styled(format!("{state:<12} "), theme.style(role)),
            Span::styled(
                format!(
                    "{:<22} {}",
                    format_rfc3339(k.spec.created),
                    k.spec
                        .retired
                        .map(format_rfc3339)
                        .unwrap_or_else(|| "-".into())
                ),
                theme.style(Role::Row),
            ),
        ]));
    }
    out
}

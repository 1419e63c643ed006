//! The decode view, jwt.io-like: the encoded token with its three parts coloured, then the
//! decoded header (red), payload (purple), times in UTC and relative, the signature verdict
//! against the JWKS and the TokenReview verdict. The words come from `present::token::decode`,
//! the same text `kidex decode` prints.

use base64::Engine;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use crate::present::token::decode;
use crate::sim::objects::Object;
use crate::tui::app::App;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui_state::{Target, TargetKind};
use crate::tui::widgets::text::{width as text_width, wrap};

/// The compact token split into coloured pieces that fit `width`.
fn encoded(token: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let roles = [Role::JwtHeader, Role::JwtPayload, Role::JwtSignature];
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let width = width.max(8);
    for (i, part) in token.split('.').enumerate() {
        let style = theme.style(roles[i.min(2)]);
        let mut text = String::new();
        let pieces: Vec<char> = if i == 0 {
            part.chars().collect()
        } else {
            std::iter::once('.').chain(part.chars()).collect()
        };
        for c in pieces {
            if used == width {
                spans.push(Span::styled(std::mem::take(&mut text), style));
                lines.push(Line::from(std::mem::take(&mut spans)));
                used = 0;
            }
            let s = if c == '.' {
                theme.style(Role::Row)
            } else {
                style
            };
            if c == '.' {
                spans.push(Span::styled(std::mem::take(&mut text), style));
                spans.push(Span::styled(".", s));
            } else {
                text.push(c);
            }
            used += 1;
        }
        spans.push(Span::styled(text, style));
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// Styles the decode text by section; verdict lines wrap at `width` with an indent.
fn decoded(text: &str, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut role = Role::Row;
    let mut out = Vec::new();
    for l in text.lines() {
        let heading = !l.starts_with(' ');
        if heading {
            role = if l.starts_with("Header") {
                Role::JwtHeader
            } else if l.starts_with("Payload") {
                Role::JwtPayload
            } else {
                Role::Row
            };
        }
        let verdict_line = l.split_once(": ").filter(|(k, _)| {
            heading
                && (k.starts_with("Signature") || k.starts_with("TokenReview") || *k == "Ledger")
        });
        if let Some((label, verdict)) = verdict_line {
            let ok = verdict.starts_with("valid")
                || verdict.starts_with("authenticated")
                || label == "Ledger";
            let style = theme.style(match (label, ok) {
                ("Ledger", _) => Role::Row,
                (_, true) => Role::VerdictOk,
                (_, false) => Role::VerdictBad,
            });
            let label = format!("{label}: ");
            let first_width = width.saturating_sub(text_width(&label)).max(10);
            let mut wrapped = wrap(verdict, first_width).into_iter();
            out.push(Line::from(vec![
                Span::styled(label, theme.style(Role::Section)),
                Span::styled(wrapped.next().unwrap_or_default(), style),
            ]));
            let rest: Vec<String> = wrapped.collect();
            for w in wrap(&rest.join(" "), width.saturating_sub(4).max(10)) {
                if !w.is_empty() {
                    out.push(Line::from(Span::styled(format!("    {w}"), style)));
                }
            }
            continue;
        }
        let style = match (heading, role) {
            (true, Role::Row) => theme.style(Role::Section),
            (true, _) => theme.style(role).add_modifier(Modifier::BOLD),
            (false, _) => theme.style(role),
        };
        out.push(Line::from(Span::styled(l.to_string(), style)));
    }
    out
}

/// Splits the decode text into its sections (a heading line and its indented lines).
fn sections(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in text.lines() {
        match out.last_mut() {
            Some(s) if l.starts_with(' ') => {
                s.push('\n');
                s.push_str(l);
            }
            _ => out.push(l.to_string()),
        }
    }
    out
}

/// What a TokenReview naming the token's own audiences would say: the question a relying party
/// (vault, say) asks, next to the API audiences' answer above it.
fn own_audience_review(app: &App, token: &str) -> Option<String> {
    let parsed = crate::sim::tokens::jwt::parse(token).ok()?;
    let claims = crate::sim::tokens::claims::ParsedClaims::from_json(&parsed.payload)?;
    let aud = claims.aud.clone();
    if aud.is_empty() || aud == app.sim.settings().api_audiences() {
        return None;
    }
    let verdict = match app.sim.review_context().authenticate(token, &aud) {
        Ok(a) => format!("authenticated as {}", a.user.username),
        Err(crate::sim::tokens::review::Rejection::Invalid(e)) => {
            format!("not authenticated: {e}")
        }
        Err(crate::sim::tokens::review::Rejection::NotRecognised) => {
            "not authenticated: invalid bearer token".into()
        }
    };
    Some(format!(
        "TokenReview (audiences {}): {verdict}",
        aud.join(",")
    ))
}

/// Verdicts first (signature, TokenReview, ledger), then times, then the token itself, then
/// its header and payload: what matters is on screen without scrolling.
fn token_lines(app: &App, token: &str, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let text = match decode(&app.sim, token) {
        Ok(t) => t,
        Err(e) => return vec![Line::from(Span::styled(e, theme.style(Role::VerdictBad)))],
    };
    let parts = sections(&text);
    let pick = |prefixes: &[&str]| -> String {
        parts
            .iter()
            .filter(|s| prefixes.iter().any(|p| s.starts_with(p)))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut lines = decoded(&pick(&["Signature", "TokenReview"]), theme, width);
    if let Some(own) = own_audience_review(app, token) {
        lines.extend(decoded(&own, theme, width));
    }
    lines.extend(decoded(&pick(&["Ledger"]), theme, width));
    lines.extend(decoded(&pick(&["Times"]), theme, width));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Encoded (header.payload.signature)",
        theme.style(Role::Section),
    )));
    lines.extend(encoded(token, width, theme));
    lines.push(Line::default());
    lines.extend(decoded(&pick(&["Header", "Payload"]), theme, width));
    lines
}

/// The lines of the decode view of a token or a secret.
pub fn lines(app: &App, target: &Target, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let plain = |s: String, role: Role| Line::from(Span::styled(s, theme.style(role)));
    match target.kind {
        TargetKind::Token(id) => {
            let Some(r) = app.sim.ledger().get(id) else {
                return vec![plain(
                    "This token is no longer in the ledger".into(),
                    Role::Muted,
                )];
            };
            match app.sim.token_jws(r) {
                Ok(jws) => token_lines(app, &jws, width),
                Err(e) => vec![plain(e, Role::VerdictBad)],
            }
        }
        _ => {
            let Some(Object::Secret(s)) = app.sim.store().get(
                crate::sim::objects::Kind::Secret,
                &target.namespace,
                &target.name,
            ) else {
                return vec![plain("This secret no longer exists".into(), Role::Muted)];
            };
            let mut lines = vec![plain(
                format!("Secret {} ({})", target.path(), s.type_name()),
                Role::Section,
            )];
            if s.data.is_empty() {
                lines.push(plain("  (no data)".into(), Role::Muted));
            }
            for (key, bytes) in &s.data {
                match std::str::from_utf8(bytes) {
                    Ok(text) if crate::sim::tokens::jwt::parse(text.trim()).is_ok() => {
                        lines.push(plain(format!("{key}: a JWT"), Role::Section));
                        lines.extend(token_lines(app, text.trim(), width));
                    }
                    Ok(text) => {
                        lines.push(plain(format!("{key}:"), Role::Section));
                        lines.extend(text.lines().map(|l| plain(format!("  {l}"), Role::Row)));
                    }
                    Err(_) => lines.push(plain(
                        format!(
                            "{key}: {} bytes of binary data (base64 {})",
                            bytes.len(),
                            base64::engine::general_purpose::STANDARD
                                .encode(&bytes[..bytes.len().min(24)])
                        ),
                        Role::Row,
                    )),
                }
            }
            lines
        }
    }
}

/// Width of the widest line, for horizontal scrolling.
pub fn widest(lines: &[Line<'_>]) -> usize {
    lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| text_width(&s.content))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

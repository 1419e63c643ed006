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
use crate::tui::widgets::text::width as text_width;

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

/// Styles the decode text by section.
fn decoded(text: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut role = Role::Row;
    text.lines()
        .map(|l| {
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
            if let Some((label, verdict)) = l.split_once(": ").filter(|(k, _)| {
                heading && (k.starts_with("Signature") || k.starts_with("TokenReview"))
            }) {
                let ok = verdict.starts_with("valid") || verdict.starts_with("authenticated");
                return Line::from(vec![
                    Span::styled(format!("{label}: "), theme.style(Role::Section)),
                    Span::styled(
                        verdict.to_string(),
                        theme.style(if ok {
                            Role::VerdictOk
                        } else {
                            Role::VerdictBad
                        }),
                    ),
                ]);
            }
            let style = match (heading, role) {
                (true, Role::Row) => theme.style(Role::Section),
                (true, _) => theme.style(role).add_modifier(Modifier::BOLD),
                (false, _) => theme.style(role),
            };
            Line::from(Span::styled(l.to_string(), style))
        })
        .collect()
}

fn token_lines(app: &App, token: &str, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = vec![Line::from(Span::styled(
        "Encoded (header.payload.signature)",
        theme.style(Role::Section),
    ))];
    lines.extend(encoded(token, width, theme));
    lines.push(Line::default());
    match decode(&app.sim, token) {
        Ok(text) => lines.extend(decoded(&text, theme)),
        Err(e) => lines.push(Line::from(Span::styled(e, theme.style(Role::VerdictBad)))),
    }
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

//! Scrolling text screens: describe, YAML, decode, command output, the issuer, permissions.
//! Lines are not wrapped (YAML and tables read better cut); `h`/`l` scroll sideways.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{decode, issuer, layout, permissions};
use crate::present::describe::describe;
use crate::present::serialize::{self, Format};
use crate::present::token_describe::describe_token;
use crate::tui::app::App;
use crate::tui::theme::Role;
use crate::tui::ui_state::{Route, SaTab, Target, TargetKind};

fn plain(app: &App, text: &str) -> Vec<Line<'static>> {
    let style = app.theme.style(Role::Row);
    text.lines()
        .map(|l| Line::from(Span::styled(l.to_string(), style)))
        .collect()
}

/// Prose output wrapped at the screen's width, each piece keeping its line's indentation.
fn wrapped(app: &App, text: &str, width: u16) -> Vec<Line<'static>> {
    let style = app.theme.style(Role::Row);
    let width = usize::from(width).max(10);
    text.lines()
        .flat_map(|l| {
            let body = l.trim_start();
            let indent = &l[..l.len() - body.len()];
            if body.is_empty() {
                return vec![String::new()];
            }
            crate::tui::widgets::text::wrap(body, width.saturating_sub(indent.len()).max(10))
                .into_iter()
                .map(|piece| format!("{indent}{piece}"))
                .collect()
        })
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

fn missing(app: &App, t: &Target) -> Vec<Line<'static>> {
    vec![Line::from(Span::styled(
        format!("{} no longer exists (esc goes back)", t.path()),
        app.theme.style(Role::Muted),
    ))]
}

fn describe_lines(app: &App, t: &Target) -> Vec<Line<'static>> {
    let text = match t.kind {
        TargetKind::Object(kind) => describe(&app.sim, kind, &t.namespace, &t.name),
        TargetKind::Token(id) => app
            .sim
            .ledger()
            .get(id)
            .map(|r| describe_token(&app.sim, r)),
        TargetKind::Event(seq) => event_yaml(app, seq),
    };
    match text {
        Some(text) => plain(app, &text),
        None => missing(app, t),
    }
}

fn event_yaml(app: &App, seq: u64) -> Option<String> {
    let e = app.sim.events().iter().find(|e| e.seq == seq)?;
    let v = serde_json::to_value(e).ok()?;
    Some(serialize::render(&v, Format::Yaml))
}

fn yaml_lines(app: &App, t: &Target) -> Vec<Line<'static>> {
    let text =
        match t.kind {
            TargetKind::Object(kind) => app
                .sim
                .store()
                .get(kind, &t.namespace, &t.name)
                .map(|o| serialize::render(&o.to_value(), Format::Yaml)),
            TargetKind::Token(id) => app.sim.ledger().get(id).map(|r| {
                serialize::render(&crate::cli::get::token_value(&app.sim, r), Format::Yaml)
            }),
            TargetKind::Event(seq) => event_yaml(app, seq),
        };
    let Some(text) = text else {
        return missing(app, t);
    };
    let key = app.theme.style(Role::HelpKey);
    let row = app.theme.style(Role::Row);
    text.lines()
        .map(|l| {
            // Colour mapping keys: `  name: value`, `- name: value`.
            let body = l.trim_start_matches([' ', '-']);
            match body.split_once(':') {
                Some((k, rest))
                    if !k.is_empty()
                        && !k.contains(' ')
                        && !k.starts_with('"')
                        && (rest.is_empty() || rest.starts_with(' ')) =>
                {
                    let at = l.len() - body.len() + k.len();
                    Line::from(vec![
                        Span::styled(l[..at].to_string(), key),
                        Span::styled(l[at..].to_string(), row),
                    ])
                }
                _ => Line::from(Span::styled(l.to_string(), row)),
            }
        })
        .collect()
}

/// The lines of the text screen in view.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    match &app.ui.screen().route {
        Route::Describe(t) => describe_lines(app, t),
        Route::Yaml(t) => yaml_lines(app, t),
        Route::Decode(t) => decode::lines(app, t, usize::from(width)),
        Route::Output {
            text, wrap: true, ..
        } => wrapped(app, text, width),
        Route::Output { text, .. } => plain(app, text),
        Route::Issuer => issuer::lines(app),
        Route::ServiceAccount {
            sa,
            tab: SaTab::Permissions,
        } => permissions::lines(app, sa, width),
        _ => Vec::new(),
    }
}

/// How far the text in view scrolls: (last first line, last first column).
pub fn max_scroll(app: &App) -> (usize, usize) {
    let area = layout::areas(app).content;
    let lines = lines(app, area.width);
    (
        lines.len().saturating_sub(usize::from(area.height)),
        decode::widest(&lines).saturating_sub(usize::from(area.width)),
    )
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let (y, x) = app.ui.screen().scroll;
    let lines: Vec<Line<'static>> = lines(app, area.width)
        .into_iter()
        .skip(y)
        .take(usize::from(area.height))
        .collect();
    Paragraph::new(lines)
        .scroll((0, u16::try_from(x).unwrap_or(u16::MAX)))
        .render(area, buf);
}

/// `12-40/180` for the block's corner.
pub fn position(app: &App, area: Rect) -> String {
    let total = lines(app, area.width).len();
    let (y, _) = app.ui.screen().scroll;
    if total <= usize::from(area.height) {
        return String::new();
    }
    format!(
        "{}-{}/{total}",
        y + 1,
        (y + usize::from(area.height)).min(total)
    )
}

//! A service account's Permissions tab: the resource × verb matrix its bindings grant, and the
//! binding behind each row.

use ratatui::text::{Line, Span};

use crate::tui::app::App;
use crate::tui::rbac::{VERBS, grants_verb, permissions};
use crate::tui::theme::Role;
use crate::tui::ui_state::Target;
use crate::tui::widgets::text::wrap;

pub fn lines(app: &App, sa: &Target, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width).max(20);
    let theme = &app.theme;
    let (rows, grants) = permissions(&app.sim, sa);
    let mut out = vec![Line::from(Span::styled(
        format!(
            "Permissions of system:serviceaccount:{}:{}",
            sa.namespace, sa.name
        ),
        theme.style(Role::Section),
    ))];
    out.extend(
        wrap(
            "What its role and cluster role bindings grant, read from the roles they name (c asks can-i).",
            width,
        )
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.style(Role::Muted)))),
    );
    out.push(Line::default());
    if grants.is_empty() {
        out.extend(
            wrap(
                "No binding names this service account (or its groups): it can do nothing beyond what every authenticated user can.",
                width,
            )
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.style(Role::Row)))),
        );
        return out;
    }
    if rows.is_empty() {
        out.push(Line::from(Span::styled(
            "No rules: the roles its bindings name are not in this cluster.",
            theme.style(Role::Row),
        )));
    }
    let resource_width = rows
        .iter()
        .map(|r| r.resource.len())
        .max()
        .unwrap_or(8)
        .clamp(8, 48);
    let mut header = format!("{:<14}{:<w$}  ", "SCOPE", "RESOURCE", w = resource_width);
    for v in VERBS {
        header.push_str(&format!(
            "{:<7}",
            if v == "deletecollection" { "delcol" } else { v }
        ));
    }
    header.push_str("VIA");
    if !rows.is_empty() {
        out.push(Line::from(Span::styled(
            header,
            theme.style(Role::TableHeader),
        )));
    }
    for r in &rows {
        let mut spans = vec![Span::styled(
            format!(
                "{:<14}{:<w$}  ",
                crate::tui::widgets::text::truncate(&r.scope, 13),
                crate::tui::widgets::text::truncate(&r.resource, resource_width),
                w = resource_width
            ),
            theme.style(Role::Row),
        )];
        for v in VERBS {
            let (mark, role) = if grants_verb(r, v) {
                ("✓", Role::StatusOk)
            } else {
                ("·", Role::Muted)
            };
            spans.push(Span::styled(format!("{mark:<7}"), theme.style(role)));
        }
        spans.push(Span::styled(r.via.join(", "), theme.style(Role::Muted)));
        out.push(Line::from(spans));
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        "Bindings",
        theme.style(Role::Section),
    )));
    for g in &grants {
        let (note, role) = match &g.problem {
            Some(p) => (format!(": {p}, grants nothing"), Role::StatusWarn),
            None => (String::new(), Role::Row),
        };
        for (i, l) in wrap(&format!("{} → {}{note}", g.binding, g.role), width - 4)
            .into_iter()
            .enumerate()
        {
            let indent = if i == 0 { "  " } else { "      " };
            out.push(Line::from(Span::styled(
                format!("{indent}{l}"),
                theme.style(role),
            )));
        }
    }
    out
}

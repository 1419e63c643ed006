//! The footer: breadcrumbs (or completions while typing), then the message line or the prompt.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::tui::app::App;
use crate::tui::commands;
use crate::tui::theme::Role;
use crate::tui::ui_state::{Listing, MessageKind, PromptKind, Route, Screen};
use crate::tui::widgets::text::{put, width};

/// A screen's breadcrumb.
pub fn crumb(app: &App, screen: &Screen) -> String {
    let scope = match &app.ui.namespace {
        Some(ns) => ns.as_str(),
        None => "all",
    };
    let openshift = app.sim.settings().flavor == crate::sim::settings::Flavor::OpenShift;
    match &screen.route {
        Route::List(l)
            if openshift && l.listing == Listing::Objects(crate::sim::objects::Kind::Namespace) =>
        {
            "projects".into()
        }
        Route::List(l) => match &l.owner {
            Some(o) => format!("{} of {}", l.listing.name(), o.path()),
            None if l.listing.namespaced() => format!("{}({scope})", l.listing.name()),
            None => l.listing.name().to_string(),
        },
        Route::ServiceAccount { sa, tab } => format!("{} · {}", sa.path(), tab.title()),
        Route::Issuer => "issuer".into(),
        Route::Describe(t) => format!("describe {}", t.name),
        Route::Yaml(t) => format!("yaml {}", t.name),
        Route::Decode(t) => format!("decode {}", t.name),
        Route::Output { title, .. } => title.clone(),
    }
}

/// Each breadcrumb's label and place (a click on one goes back to it).
pub fn crumb_rects(app: &App, crumbs: Rect) -> Vec<(String, Rect)> {
    let mut x = crumbs.x;
    let mut out = Vec::new();
    for screen in &app.ui.stack {
        let label = format!(" {} ", crumb(app, screen));
        let room = crumbs.right().saturating_sub(x);
        if room < 2 {
            break;
        }
        let w = (width(&label) as u16).min(room);
        out.push((label, Rect::new(x, crumbs.y, w, 1)));
        x = x.saturating_add(w + 1);
    }
    out
}

pub fn render(app: &App, crumbs: Rect, message: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    if let Some(p) = app.ui.prompt.as_ref().filter(|p| !p.completions.is_empty()) {
        let mut x = crumbs.x;
        for (i, c) in p.completions.iter().enumerate() {
            let style = theme.style(if Some(i) == p.completion_at {
                Role::CompletionSelected
            } else {
                Role::Completion
            });
            let room = usize::from(crumbs.right().saturating_sub(x));
            if room < 2 {
                break;
            }
            x += put(buf, x, crumbs.y, &format!(" {c} "), room, style) as u16 + 1;
        }
    } else {
        let n = app.ui.stack.len();
        for (i, (label, r)) in crumb_rects(app, crumbs).into_iter().enumerate() {
            let style = theme.style(if i + 1 == n {
                Role::CrumbCurrent
            } else {
                Role::Crumb
            });
            put(buf, r.x, r.y, &label, usize::from(r.width), style);
        }
    }
    match &app.ui.prompt {
        Some(p) => {
            let label = p.label();
            let mut x = message.x;
            x += put(
                buf,
                x,
                message.y,
                &label,
                usize::from(message.width),
                theme.style(Role::Prompt),
            ) as u16;
            let room = usize::from(message.right().saturating_sub(x));
            x += put(
                buf,
                x,
                message.y,
                &p.text,
                room,
                theme.style(Role::MessageInfo),
            ) as u16;
            if p.kind == PromptKind::Command && p.completions.is_empty() {
                let (start, found) = commands::candidates(app, &p.text);
                if let Some(first) = found.first() {
                    let typed = p.text.len() - start;
                    let ghost = first.get(typed..).unwrap_or("");
                    let room = usize::from(message.right().saturating_sub(x));
                    put(
                        buf,
                        x,
                        message.y,
                        ghost,
                        room,
                        theme.style(Role::PromptGhost),
                    );
                }
            }
        }
        None => {
            if let Some(m) = &app.ui.message {
                let role = match m.kind {
                    MessageKind::Info => Role::MessageInfo,
                    MessageKind::Event => Role::MessageEvent,
                    MessageKind::Error => Role::MessageError,
                };
                let text = m.text.replace('\n', " ");
                put(
                    buf,
                    message.x,
                    message.y,
                    &text,
                    usize::from(message.width),
                    theme.style(role),
                );
            }
        }
    }
}

/// Where the terminal cursor goes: after the prompt's text, at its cursor.
pub fn cursor(app: &App, message: Rect) -> Option<Position> {
    let p = app.ui.prompt.as_ref()?;
    let before: String = p.text.chars().take(p.cursor).collect();
    let x = message.x as usize + width(&p.label()) + width(&before);
    Some(Position::new(
        (x as u16).min(message.right().saturating_sub(1)),
        message.y,
    ))
}

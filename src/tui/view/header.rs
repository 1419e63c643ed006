//! The header: which cluster (name, flavor, version, signing issuer), the simulated time, the
//! clock's speed or the PAUSED badge, then the keys that matter here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::sim::settings::Flavor;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::theme::Role;
use crate::tui::widgets::text::{put, width};

pub fn render(app: &App, area: Rect, hints: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let s = app.sim.settings();
    let flavor = match s.flavor {
        Flavor::Kubernetes => "Kubernetes",
        Flavor::OpenShift => "OpenShift",
    };
    let time = app.sim.now().format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let badge = if app.clock.paused {
        " ⏸ PAUSED ".to_string()
    } else {
        format!(" ▶ {}× ", app.clock.speed())
    };
    let badge_style = theme.style(if app.clock.paused {
        Role::BadgePaused
    } else {
        Role::BadgeRunning
    });
    // Right side first, so the left side knows how much room it has.
    let right_width = width(&time) + 1 + width(&badge);
    let right_x = area.right().saturating_sub(right_width as u16);
    put(
        buf,
        right_x,
        area.y,
        &time,
        width(&time),
        theme.style(Role::HeaderValue),
    );
    put(
        buf,
        right_x + width(&time) as u16 + 1,
        area.y,
        &badge,
        width(&badge),
        badge_style,
    );
    let room = usize::from(right_x.saturating_sub(area.x + 1));
    let mut x = area.x;
    let left = |text: &str, style: Style, x: &mut u16, buf: &mut Buffer| {
        let used = usize::from(*x - area.x);
        if used < room {
            *x += put(buf, *x, area.y, text, room - used, style) as u16;
        }
    };
    left(" kidex ", theme.style(Role::Brand), &mut x, buf);
    left(" ", theme.style(Role::Base), &mut x, buf);
    left(&s.name, theme.style(Role::HeaderValue), &mut x, buf);
    left(" · ", theme.style(Role::HeaderLabel), &mut x, buf);
    left(
        &format!("{flavor} {}", s.version),
        theme.style(Role::HeaderValue),
        &mut x,
        buf,
    );
    // The signing issuer, without its scheme when room is short.
    let issuer = s.signing_issuer();
    let label = " · issuer ";
    let rest = room.saturating_sub(usize::from(x - area.x) + width(label));
    let issuer = if width(issuer) > rest {
        issuer.trim_start_matches("https://")
    } else {
        issuer
    };
    // Too narrow for a useful part of it: the Issuer view (:issuer) has it in full.
    if rest >= 16 {
        left(label, theme.style(Role::HeaderLabel), &mut x, buf);
        left(issuer, theme.style(Role::HeaderValue), &mut x, buf);
    }
    render_hints(app, hints, buf);
}

fn render_hints(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let contexts: &[Context] = if app.is_list() {
        &[Context::List, Context::Global]
    } else {
        &[Context::Global]
    };
    // Hints in a fixed order of usefulness, whatever the keymap's order.
    let order = [
        Action::Command,
        Action::Back,
        Action::Filter,
        Action::Enter,
        Action::Describe,
        Action::Decode,
        Action::Pause,
        Action::Faster,
        Action::NextEvent,
        Action::AllNamespaces,
        Action::Help,
        Action::Quit,
    ];
    let mut hints: Vec<(&Action, String, &str)> = contexts
        .iter()
        .flat_map(|c| app.keymap.bindings(*c))
        .filter_map(|b| Some((&b.action, b.keys.first()?.to_string(), b.hint.as_deref()?)))
        // `esc` has nothing to go back to on the first screen without a filter.
        .filter(|(a, _, _)| {
            **a != Action::Back || app.ui.stack.len() > 1 || !app.ui.screen().list.filter.is_empty()
        })
        .collect();
    hints.sort_by_key(|(a, _, _)| order.iter().position(|o| o == *a).unwrap_or(order.len()));
    let mut x = area.x + 1;
    for (_, key, hint) in hints {
        let key = format!("<{key}>");
        let need = width(&key) + 1 + width(hint) + 2;
        if usize::from(x) + need > usize::from(area.right()) {
            return;
        }
        x += put(buf, x, area.y, &key, need, theme.style(Role::HintKey)) as u16 + 1;
        x += put(buf, x, area.y, hint, need, theme.style(Role::Hint)) as u16 + 2;
    }
}

//! Drawing. Every view takes `&App` and writes into a `Buffer`: nothing here changes state, so
//! the same functions draw the terminal, the snapshot tests and (later) screenshots.

pub mod decode;
pub mod dialog;
pub mod footer;
pub mod header;
pub mod help;
pub mod issuer;
pub mod layout;
pub mod list;
pub mod pane;
pub mod permissions;
pub mod text;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::app::App;
use super::theme::Role;
use super::ui_state::{Overlay, Route, SaTab};
use super::widgets::text::put;

/// Below this size there is only a note asking for more room.
const MIN_SIZE: (u16, u16) = (40, 10);

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        render(self, area, buf);
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    buf.set_style(area, theme.style(Role::Base));
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        put(
            buf,
            area.x,
            area.y,
            &format!(
                "kidex needs at least 80×24 (now {}×{})",
                area.width, area.height
            ),
            usize::from(area.width),
            theme.style(Role::MessageError),
        );
        return;
    }
    let a = layout::areas_in(app, area);
    header::render(app, a.header, a.hints, buf);
    render_body(app, &a, buf);
    if let Some(pane) = a.pane {
        pane::render(app, pane, buf);
    }
    footer::render(app, a.crumbs, a.message, buf);
    match &app.ui.overlay {
        Some(Overlay::Help { scroll }) => help::render(app, *scroll, area, buf),
        Some(Overlay::Confirm(c)) => dialog::render(app, c, area, buf),
        None => {}
    }
}

/// The block's title: what is listed, in which scope, how many, and the filter.
fn title(app: &App) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let screen = app.ui.screen();
    let mut spans = vec![Span::styled(
        format!(" {} ", footer::crumb(app, screen)),
        theme.style(Role::Title),
    )];
    if app.is_list() {
        let shown = app.index.rows.len();
        let count = if shown == app.index.total {
            format!("[{shown}] ")
        } else {
            format!("[{shown}/{}] ", app.index.total)
        };
        spans.push(Span::styled(count, theme.style(Role::TitleCount)));
        if !screen.list.filter.is_empty() {
            spans.push(Span::styled(
                format!("</{}> ", screen.list.filter),
                theme.style(Role::TitleFilter),
            ));
        }
        if app.index.query.as_ref().is_some_and(|q| q.token_history)
            && screen
                .route
                .list_route()
                .is_some_and(|l| l.listing == super::ui_state::Listing::Tokens)
        {
            spans.push(Span::styled("history ", theme.style(Role::TitleFilter)));
        }
    }
    spans
}

fn render_body(app: &App, a: &layout::Areas, buf: &mut Buffer) {
    let theme = &app.theme;
    let focused = app.ui.prompt.is_none() && app.ui.overlay.is_none();
    let corner = if app.is_list() {
        let l = &app.ui.screen().list;
        if app.index.rows.is_empty() {
            String::new()
        } else {
            format!(" {}/{} ", l.cursor + 1, app.index.rows.len())
        }
    } else {
        let p = text::position(app, a.content);
        if p.is_empty() { p } else { format!(" {p} ") }
    };
    Block::bordered()
        .border_style(theme.style(if focused {
            Role::BorderFocus
        } else {
            Role::Border
        }))
        .title(Line::from(title(app)))
        .title_bottom(Line::from(Span::styled(corner, theme.style(Role::Hint))).right_aligned())
        .render(a.body, buf);
    if let Some(tabs) = a.tabs {
        render_tabs(app, tabs, buf);
    }
    if app.is_list() {
        list::render(app, a.content, buf);
    } else {
        text::render(app, a.content, buf);
    }
}

/// Where each tab's label is, for drawing and for clicks.
pub fn tab_rects(area: Rect) -> Vec<(SaTab, Rect)> {
    let mut x = area.x + 1;
    SaTab::ALL
        .iter()
        .map(|t| {
            let w = t.title().len() as u16 + 2;
            let r = Rect::new(x, area.y, w, 1);
            x += w + 1;
            (*t, r)
        })
        .collect()
}

fn render_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let Route::ServiceAccount { tab, .. } = app.ui.screen().route else {
        return;
    };
    for (t, r) in tab_rects(area) {
        let style = app
            .theme
            .style(if t == tab { Role::TabActive } else { Role::Tab });
        put(
            buf,
            r.x,
            r.y,
            &format!(" {} ", t.title()),
            usize::from(r.width),
            style,
        );
    }
}

/// Where the terminal's cursor belongs (at the prompt), if anywhere.
pub fn cursor(app: &App, area: Rect) -> Option<Position> {
    footer::cursor(app, layout::areas_in(app, area).message)
}

//! The help overlay (`?`): what this view shows (from `assets/help/`), then every key of the
//! view with its description, generated from the keymap.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::theme::Role;
use crate::tui::ui_state::{Listing, Route};
use crate::tui::widgets::text::wrap;

/// Width of the keys column.
const KEY_COLUMN: usize = 18;

const TOKENS: &str = include_str!("../../../assets/help/tokens.txt");
const GENERAL: &str = include_str!("../../../assets/help/general.txt");
const ISSUER: &str = include_str!("../../../assets/help/issuer.txt");
const DECODE: &str = include_str!("../../../assets/help/decode.txt");

fn about(app: &App) -> &'static str {
    match &app.ui.screen().route {
        Route::Issuer => ISSUER,
        Route::Decode(_) => DECODE,
        r if r.list_route().is_some_and(|l| l.listing == Listing::Tokens) => TOKENS,
        _ => GENERAL,
    }
}

/// The help text at a width: the view's paragraphs, then the keys with their descriptions in a
/// hanging column.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let width = usize::from(width).max(20);
    let mut out: Vec<Line<'static>> = Vec::new();
    for paragraph in about(app).split("\n\n") {
        let joined = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        out.extend(
            wrap(&joined, width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.style(Role::HelpDesc)))),
        );
    }
    let mut sections = vec![(Context::Global, "Everywhere")];
    if app.is_list() {
        sections.insert(0, (Context::List, "On the selected row"));
    }
    for (context, title) in sections {
        out.push(Line::default());
        out.push(Line::from(Span::styled(
            title,
            theme.style(Role::HelpGroup),
        )));
        for b in app.keymap.bindings(context) {
            let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
            let desc = wrap(&b.desc, width.saturating_sub(KEY_COLUMN));
            for (i, d) in desc.into_iter().enumerate() {
                let key = if i == 0 {
                    keys.join(" ")
                } else {
                    String::new()
                };
                out.push(Line::from(vec![
                    Span::styled(
                        format!("  {key:<w$}", w = KEY_COLUMN - 2),
                        theme.style(Role::HelpKey),
                    ),
                    Span::styled(d, theme.style(Role::HelpDesc)),
                ]));
            }
        }
    }
    out
}

fn area_for(area: Rect) -> Rect {
    let w = area.width.saturating_sub(8).min(100);
    let h = area.height.saturating_sub(4);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn max_scroll(app: &App) -> usize {
    let (w, h) = app.ui.size;
    let inner = area_for(Rect::new(0, 0, w, h));
    lines(app, inner.width.saturating_sub(2))
        .len()
        .saturating_sub(usize::from(inner.height.saturating_sub(2)))
}

pub fn render(app: &App, scroll: usize, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let popup = area_for(area);
    Clear.render(popup, buf);
    let block = Block::bordered()
        .border_style(theme.style(Role::BorderFocus))
        .style(theme.style(Role::Base))
        .title(Span::styled(" Help ", theme.style(Role::Title)))
        .title_bottom(
            Line::from(Span::styled(
                " esc closes · j/k scroll ",
                theme.style(Role::Hint),
            ))
            .right_aligned(),
        );
    let lines: Vec<Line> = lines(app, popup.width.saturating_sub(2))
        .into_iter()
        .skip(scroll)
        .collect();
    Paragraph::new(lines).block(block).render(popup, buf);
}

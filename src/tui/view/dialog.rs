//! The confirmation dialog with its two buttons.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::tui::app::App;
use crate::tui::theme::Role;
use crate::tui::ui_state::{Button, Confirm};
use crate::tui::widgets::text::put;

const CANCEL: &str = "  Cancel  ";
const CONFIRM: &str = "  Delete  ";

pub fn popup(area: Rect) -> Rect {
    let w = area.width.saturating_sub(4).min(64);
    let h = 8.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Where the buttons are: (Cancel, Confirm).
pub fn buttons(area: Rect) -> (Rect, Rect) {
    let p = popup(area);
    let y = p.bottom().saturating_sub(2);
    let total = (CANCEL.len() + 4 + CONFIRM.len()) as u16;
    let x = p.x + p.width.saturating_sub(total) / 2;
    (
        Rect::new(x, y, CANCEL.len() as u16, 1),
        Rect::new(x + CANCEL.len() as u16 + 4, y, CONFIRM.len() as u16, 1),
    )
}

pub fn render(app: &App, c: &Confirm, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let p = popup(area);
    Clear.render(p, buf);
    let block = Block::bordered()
        .border_style(theme.style(Role::DialogBorder))
        .style(theme.style(Role::Dialog))
        .title(Span::styled(
            format!(" {} ", c.title),
            theme.style(Role::Title),
        ));
    Paragraph::new(vec![
        Line::default(),
        Line::from(Span::styled(c.message.clone(), theme.style(Role::Dialog))),
    ])
    .wrap(Wrap { trim: true })
    .block(block)
    .render(p, buf);
    let (cancel, confirm) = buttons(area);
    for (rect, label, button) in [
        (cancel, CANCEL, Button::Cancel),
        (confirm, CONFIRM, Button::Confirm),
    ] {
        let style = theme.style(if c.focus == button {
            Role::ButtonFocus
        } else {
            Role::Button
        });
        put(buf, rect.x, rect.y, label, usize::from(rect.width), style);
    }
}

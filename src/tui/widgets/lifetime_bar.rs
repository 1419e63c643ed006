//! The lifetime bar of a token: age against the refresh point and expiry, coloured by phase.

use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};

use crate::present::lifetime::{BarCell, Lifetime, Phase};
use crate::tui::theme::{Role, Theme};

/// Draws the bar in `width` cells at (x, y). `dim` greys out tokens that are history.
pub fn draw(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    lifetime: &Lifetime,
    theme: &Theme,
    dim: bool,
) {
    let elapsed = theme.style(match lifetime.phase() {
        Phase::Fresh => Role::BarElapsed,
        Phase::RefreshDue => Role::BarDue,
        Phase::Stale | Phase::Expired => Role::BarStale,
    });
    for (i, cell) in lifetime.bar(usize::from(width)).into_iter().enumerate() {
        let (symbol, style): (&str, Style) = match cell {
            BarCell::Elapsed => ("█", elapsed),
            BarCell::Remaining => ("░", theme.style(Role::BarRemaining)),
            BarCell::Mark => ("│", theme.style(Role::BarMark)),
            BarCell::MarkPassed => ("┃", elapsed),
            BarCell::Extension => ("»", theme.style(Role::BarRemaining)),
        };
        let style = if dim {
            theme.style(Role::RowDim)
        } else {
            style
        };
        // Drawn over a row that may be selected (reversed): the bar keeps its own colours.
        let style = style.remove_modifier(Modifier::REVERSED);
        let cx = x.saturating_add(i as u16);
        if cx < buf.area.right() && y < buf.area.bottom() {
            buf[(cx, y)].set_symbol(symbol).set_style(style);
        }
    }
}

//! Headless rendering: the app drawn into a plain `Buffer` of a given size, and that buffer as
//! text (one line per row, wide characters once) or as text with style runs. Snapshot tests use
//! these; so can screenshots and tapes, with no terminal involved.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::App;

/// The app drawn at its current size.
pub fn render(app: &App) -> Buffer {
    let (w, h) = app.ui.size;
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    super::view::render(app, area, &mut buf);
    buf
}

/// The screen's text, trailing spaces trimmed. The cell after a wide character (which the
/// terminal covers with it) is skipped, so CJK text reads as it shows.
pub fn to_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            line.push_str(symbol);
            skip = crate::tui::widgets::text::width(symbol).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Text plus style runs of some rows, for tests where colour matters: each line, then
/// `  [x..y fg bg mods]` for every run of identically styled cells that is not the default.
pub fn to_styled(buf: &Buffer, rows: std::ops::Range<u16>) -> String {
    let area = buf.area;
    let mut out = String::new();
    let text = to_text(buf);
    for (y, line) in (area.top()..area.bottom()).zip(text.lines()) {
        if !rows.contains(&y) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        let mut x = area.left();
        while x < area.right() {
            let style = buf[(x, y)].style();
            let start = x;
            while x < area.right() && buf[(x, y)].style() == style {
                x += 1;
            }
            if style != ratatui::style::Style::default() {
                out.push_str(&format!(
                    "  [{start}..{x} fg={:?} bg={:?} mods={:?}]\n",
                    style.fg.unwrap_or_default(),
                    style.bg.unwrap_or_default(),
                    style.add_modifier
                ));
            }
        }
    }
    out
}

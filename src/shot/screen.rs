//! A ratatui `Buffer` as a grid of glyphs with resolved colours: the one input every picture
//! format is a pure function of.
//!
//! A wide glyph (CJK) takes two columns; the buffer stores it followed by a hidden blank cell,
//! which is skipped here so no format draws a stray space over the glyph's second half.

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use super::palette::{Palette, Rgb};

/// One drawn glyph and the style it is drawn in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glyph {
    /// First column the glyph covers.
    pub col: u16,
    /// Columns covered: 1, or 2 for wide glyphs.
    pub width: u16,
    pub symbol: String,
    /// The cell's style as the terminal receives it (for ANSI and casts).
    pub fg: Color,
    pub bg: Color,
    pub underline_color: Color,
    pub modifier: Modifier,
}

/// A screen's glyphs, row by row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screen {
    pub width: u16,
    pub height: u16,
    pub rows: Vec<Vec<Glyph>>,
}

/// A glyph's colours and attributes after the palette, reverse video, dim and hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Painted {
    pub fg: Rgb,
    pub bg: Rgb,
    pub underline: Option<Rgb>,
    pub bold: bool,
    pub italic: bool,
    pub crossed_out: bool,
}

impl Screen {
    pub fn from_buffer(buffer: &Buffer) -> Screen {
        let area = buffer.area;
        let mut rows = Vec::with_capacity(usize::from(area.height));
        for y in area.top()..area.bottom() {
            let mut row = Vec::with_capacity(usize::from(area.width));
            let mut x = area.left();
            while x < area.right() {
                let cell = &buffer[(x, y)];
                let symbol = if cell.diff_option == CellDiffOption::Skip || cell.symbol().is_empty()
                {
                    " "
                } else {
                    cell.symbol()
                };
                let width = u16::try_from(symbol.width())
                    .unwrap_or(1)
                    .clamp(1, 2)
                    .min(area.right() - x);
                row.push(Glyph {
                    col: x - area.left(),
                    width,
                    symbol: symbol.to_string(),
                    fg: cell.fg,
                    bg: cell.bg,
                    underline_color: cell.underline_color,
                    modifier: cell.modifier,
                });
                x += width;
            }
            rows.push(row);
        }
        Screen {
            width: area.width,
            height: area.height,
            rows,
        }
    }

    /// The screen as plain text: one line per row, trailing blanks trimmed, as
    /// `tmux capture-pane -p` shows it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            let line: String = row.iter().map(|g| g.symbol.as_str()).collect();
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Every distinct character the screen draws.
    pub fn chars(&self) -> std::collections::BTreeSet<char> {
        self.rows
            .iter()
            .flatten()
            .flat_map(|g| g.symbol.chars())
            .collect()
    }
}

impl Glyph {
    pub fn is_blank(&self) -> bool {
        self.symbol.trim().is_empty()
    }

    /// What a terminal with `palette` shows.
    pub fn paint(&self, palette: &Palette) -> Painted {
        let m = self.modifier;
        let mut fg = palette.fg(self.fg);
        let mut bg = palette.bg(self.bg);
        if m.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fg, &mut bg);
        }
        if m.contains(Modifier::DIM) {
            fg = fg.mix(bg, 0.55);
        }
        if m.contains(Modifier::HIDDEN) {
            fg = bg;
        }
        let underline = m
            .contains(Modifier::UNDERLINED)
            .then(|| match self.underline_color {
                Color::Reset => fg,
                c => palette.fg(c),
            });
        Painted {
            fg,
            bg,
            underline,
            bold: m.contains(Modifier::BOLD),
            italic: m.contains(Modifier::ITALIC),
            crossed_out: m.contains(Modifier::CROSSED_OUT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn wide_glyphs_hide_the_next_cell() {
        let mut b = Buffer::empty(Rect::new(0, 0, 8, 1));
        b.set_string(0, 0, "a東京b", Style::default());
        let s = Screen::from_buffer(&b);
        let cols: Vec<(u16, &str)> = s.rows[0]
            .iter()
            .map(|g| (g.col, g.symbol.as_str()))
            .collect();
        assert_eq!(
            cols,
            vec![(0, "a"), (1, "東"), (3, "京"), (5, "b"), (6, " "), (7, " ")]
        );
        assert_eq!(s.text(), "a東京b\n");
    }
}

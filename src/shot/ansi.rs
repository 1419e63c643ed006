//! ANSI output: the screen with SGR colours and attributes, as a terminal would be sent it.

use ratatui::style::{Color, Modifier};

use super::screen::{Glyph, Screen};

/// The SGR parameters that set a glyph's style from a reset state.
fn sgr(g: &Glyph) -> String {
    let mut p: Vec<String> = Vec::new();
    let m = g.modifier;
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if m.contains(flag) {
            p.push(code.into());
        }
    }
    if let Some(c) = color_code(g.fg, 30) {
        p.push(c);
    }
    if let Some(c) = color_code(g.bg, 40) {
        p.push(c);
    }
    if m.contains(Modifier::UNDERLINED) {
        match g.underline_color {
            Color::Reset => {}
            Color::Rgb(r, gr, b) => p.push(format!("58;2;{r};{gr};{b}")),
            c => {
                if let Some(i) = index_of(c) {
                    p.push(format!("58;5;{i}"));
                }
            }
        }
    }
    p.join(";")
}

fn index_of(c: Color) -> Option<u8> {
    Some(match c {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => i,
        Color::Reset | Color::Rgb(..) => return None,
    })
}

/// `base` is 30 for foreground, 40 for background.
fn color_code(c: Color, base: u8) -> Option<String> {
    match c {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some(format!("{};2;{r};{g};{b}", base + 8)),
        Color::Indexed(i) => Some(format!("{};5;{i}", base + 8)),
        named => {
            let i = index_of(named)?;
            Some(if i < 8 {
                (base + i).to_string()
            } else {
                (base + 60 + i - 8).to_string()
            })
        }
    }
}

/// One row's glyphs with SGR changes where the style changes, ending in a reset.
fn row_text(row: &[Glyph], out: &mut String) {
    let mut current: Option<String> = None;
    for g in row {
        let style = sgr(g);
        if current.as_deref() != Some(style.as_str()) {
            out.push_str("\x1b[0");
            if !style.is_empty() {
                out.push(';');
                out.push_str(&style);
            }
            out.push('m');
            current = Some(style);
        }
        out.push_str(&g.symbol);
    }
    out.push_str("\x1b[0m");
}

/// The screen as ANSI text, one line per row (for `cat` in a terminal).
pub fn render(screen: &Screen) -> String {
    let mut out = String::new();
    for row in &screen.rows {
        row_text(row, &mut out);
        out.push('\n');
    }
    out
}

/// What a terminal showing `before` (or a blank one) needs to show `screen`: the rows that
/// changed, each placed absolutely so nothing ever scrolls (a newline after the last row
/// would). Rows are full width, so each overwrites the old one completely.
pub fn frame(before: Option<&Screen>, screen: &Screen) -> String {
    let mut out = String::new();
    let same_size = before.is_some_and(|b| b.width == screen.width && b.height == screen.height);
    if !same_size {
        out.push_str("\x1b[H\x1b[2J");
    }
    for (i, row) in screen.rows.iter().enumerate() {
        if same_size && before.is_some_and(|b| b.rows.get(i) == Some(row)) {
            continue;
        }
        out.push_str(&format!("\x1b[{};1H", i + 1));
        row_text(row, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn styles_become_sgr_runs() {
        let mut b = Buffer::empty(Rect::new(0, 0, 6, 1));
        b.set_string(0, 0, "ab", Style::default().fg(Color::Cyan).bold());
        b.set_string(2, 0, "c", Style::default().bg(Color::Rgb(1, 2, 3)));
        b.set_string(
            3,
            0,
            "d",
            Style::default().fg(Color::Indexed(200)).reversed(),
        );
        b.set_string(4, 0, "e", Style::default().fg(Color::LightRed));
        let s = Screen::from_buffer(&b);
        assert_eq!(
            render(&s),
            "\x1b[0;1;36mab\x1b[0;48;2;1;2;3mc\x1b[0;7;38;5;200md\x1b[0;91me\x1b[0m \x1b[0m\n"
        );
    }
}

//! HTML output: a self-contained page with the screen as selectable text in a `<pre>`, one
//! `<span>` per style run. Wide glyphs sit in boxes two cells across, so columns stay aligned
//! in any monospace font.

use std::fmt::Write as _;

use super::palette::Palette;
use super::screen::{Painted, Screen};
use super::svg::{FONT_FAMILIES, escape};

fn style(p: &Painted, palette: &Palette) -> String {
    let mut s = String::new();
    if p.fg != palette.foreground {
        let _ = write!(s, "color:{};", p.fg);
    }
    if p.bg != palette.background {
        let _ = write!(s, "background:{};", p.bg);
    }
    if p.bold {
        s.push_str("font-weight:bold;");
    }
    if p.italic {
        s.push_str("font-style:italic;");
    }
    match (p.underline, p.crossed_out) {
        (Some(u), true) => {
            let _ = write!(
                s,
                "text-decoration:underline line-through;text-decoration-color:{u};"
            );
        }
        (Some(u), false) => {
            let _ = write!(s, "text-decoration:underline;text-decoration-color:{u};");
        }
        (None, true) => s.push_str("text-decoration:line-through;"),
        (None, false) => {}
    }
    s
}

pub fn render(screen: &Screen, palette: &Palette, title: &str) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>");
    escape(title, &mut out);
    out.push_str("</title>\n<style>\n");
    let _ = writeln!(
        out,
        "body {{ margin: 0; background: {bg}; }}\n\
         pre.kidex {{ margin: 0; padding: 12px; display: inline-block; color: {fg}; background: {bg}; \
         font-family: {FONT_FAMILIES}; font-size: 15px; line-height: 18px; }}\n\
         pre.kidex .w {{ display: inline-block; width: 2ch; text-align: center; }}",
        bg = palette.background,
        fg = palette.foreground,
    );
    out.push_str("</style>\n</head>\n<body>\n<pre class=\"kidex\">");
    for (y, row) in screen.rows.iter().enumerate() {
        if y > 0 {
            out.push('\n');
        }
        let mut i = 0;
        while i < row.len() {
            let p = row[i].paint(palette);
            let css = style(&p, palette);
            let mut j = i;
            let mut body = String::new();
            while j < row.len() && row[j].paint(palette) == p {
                if row[j].width > 1 {
                    body.push_str("<span class=\"w\">");
                    escape(&row[j].symbol, &mut body);
                    body.push_str("</span>");
                } else {
                    escape(&row[j].symbol, &mut body);
                }
                j += 1;
            }
            if css.is_empty() {
                out.push_str(&body);
            } else {
                let _ = write!(out, "<span style=\"{css}\">{body}</span>");
            }
            i = j;
        }
    }
    out.push_str("</pre>\n</body>\n</html>\n");
    out
}

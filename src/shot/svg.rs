//! SVG output: a grid-exact picture of the screen. Backgrounds are one `<rect>` per run of a
//! colour, text is one `<text>` per run of a style with an explicit x for every glyph (so
//! columns never drift, wide glyphs included), and box-drawing and block characters are
//! shapes. Fonts are named, never embedded; `png` rasterises this with the fonts in
//! `assets/fonts/`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::palette::{Palette, Rgb};
use super::screen::{Glyph, Painted, Screen};
use super::shapes::{num, shape};

/// Cell size and text placement, in SVG user units (pixels at scale 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    pub cell_w: f32,
    pub cell_h: f32,
    pub font_size: f32,
    /// Baseline below the cell's top.
    pub baseline: f32,
    /// Blank border around the screen.
    pub margin: f32,
}

/// DejaVu Sans Mono at 15 px advances 9.03 px; ascent + descent is 17.5 px.
pub const GEOMETRY: Geometry = Geometry {
    cell_w: 9.0,
    cell_h: 18.0,
    font_size: 15.0,
    baseline: 14.0,
    margin: 12.0,
};

/// The families of the files in `assets/fonts/`, in the order a glyph is looked for.
pub const FONT_FAMILIES: &str =
    "'DejaVu Sans Mono', 'WenQuanYi Micro Hei Mono', 'Noto Sans Symbols2', monospace";

impl Geometry {
    pub fn size(&self, screen: &Screen) -> (f32, f32) {
        (
            f32::from(screen.width) * self.cell_w + 2.0 * self.margin,
            f32::from(screen.height) * self.cell_h + 2.0 * self.margin,
        )
    }
}

/// Text for XML and HTML: markup characters as entities, control characters as spaces.
pub fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters at all.
            c if (c as u32) < 0x20 => out.push(' '),
            c => out.push(c),
        }
    }
}

/// A run of glyphs drawn by one `<text>`.
struct TextRun {
    xs: Vec<f32>,
    text: String,
    fg: Rgb,
    bold: bool,
    italic: bool,
}

/// Fill rectangles grouped by (colour, opacity), so each becomes one `<path>`.
#[derive(Default)]
struct Fills(BTreeMap<(Rgb, u8), String>);

impl Fills {
    fn rect(&mut self, color: Rgb, opacity: f32, x: f32, y: f32, w: f32, h: f32) {
        let key = (color, (opacity * 100.0).round() as u8);
        let d = self.0.entry(key).or_default();
        let _ = write!(
            d,
            "M{} {}h{}v{}h-{}z",
            num(x),
            num(y),
            num(w),
            num(h),
            num(w)
        );
    }
}

pub fn render(screen: &Screen, palette: &Palette, g: &Geometry) -> String {
    let (width, height) = g.size(screen);
    let mut out = String::with_capacity(64 * 1024);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#,
        w = num(width),
        h = num(height)
    );
    let _ = writeln!(
        out,
        r#"<rect width="{}" height="{}" rx="6" fill="{}"/>"#,
        num(width),
        num(height),
        palette.background
    );
    let _ = writeln!(
        out,
        r#"<g transform="translate({m} {m})" font-family="{FONT_FAMILIES}" font-size="{}" xml:space="preserve">"#,
        num(g.font_size),
        m = num(g.margin),
    );

    let mut runs = Vec::new();
    let mut texts = String::with_capacity(32 * 1024);
    let mut shapes = Fills::default();
    let mut strokes: BTreeMap<Rgb, String> = BTreeMap::new();
    for (y, row) in screen.rows.iter().enumerate() {
        let top = y as f32 * g.cell_h;
        let painted: Vec<Painted> = row.iter().map(|c| c.paint(palette)).collect();
        backgrounds(row, &painted, palette, top, g, &mut out);
        let mut current: Option<TextRun> = None;
        let mut pending_blank: Vec<f32> = Vec::new();
        for (glyph, p) in row.iter().zip(&painted) {
            let x = f32::from(glyph.col) * g.cell_w;
            let first = glyph.symbol.chars().next().unwrap_or(' ');
            if let Some(s) = (glyph.symbol.chars().count() == 1)
                .then(|| {
                    shape(
                        first,
                        g.cell_w,
                        g.cell_h,
                        g.cell_w / 2.0,
                        g.cell_h / 2.0 - 0.5,
                    )
                })
                .flatten()
            {
                runs.extend(current.take());
                pending_blank.clear();
                for (rx, ry, rw, rh, o) in s.rects {
                    shapes.rect(p.fg, o, x + rx, top + ry, rw, rh);
                }
                for d in s.strokes {
                    let _ = write!(
                        strokes.entry(p.fg).or_default(),
                        r#"<path transform="translate({} {})" d="{d}"/>"#,
                        num(x),
                        num(top)
                    );
                }
                continue;
            }
            if let Some(u) = p.underline {
                let w = f32::from(glyph.width) * g.cell_w;
                shapes.rect(u, 1.0, x, top + g.baseline + 1.5, w, 1.0);
            }
            if p.crossed_out {
                let w = f32::from(glyph.width) * g.cell_w;
                shapes.rect(p.fg, 1.0, x, top + g.cell_h / 2.0, w, 1.0);
            }
            if glyph.is_blank() {
                pending_blank.push(x);
                continue;
            }
            // A wide glyph is one em across; centre it on its two cells.
            let gx = x
                + (f32::from(glyph.width) * g.cell_w
                    - if glyph.width > 1 {
                        g.font_size
                    } else {
                        g.cell_w
                    })
                    / 2.0;
            let joins = glyph.symbol.chars().count() == 1
                && current
                    .as_ref()
                    .is_some_and(|r| r.fg == p.fg && r.bold == p.bold && r.italic == p.italic);
            if joins {
                if let Some(r) = current.as_mut() {
                    for bx in pending_blank.drain(..) {
                        r.xs.push(bx);
                        r.text.push(' ');
                    }
                    r.xs.push(gx);
                    r.text.push_str(&glyph.symbol);
                }
            } else {
                runs.extend(current.take());
                pending_blank.clear();
                current = Some(TextRun {
                    xs: vec![gx],
                    text: glyph.symbol.clone(),
                    fg: p.fg,
                    bold: p.bold,
                    italic: p.italic,
                });
                // A glyph with combining marks is a run of its own: one x for the cluster.
                if glyph.symbol.chars().count() > 1 {
                    runs.extend(current.take());
                }
            }
        }
        runs.extend(current.take());
        for r in runs.drain(..) {
            text_element(&r, top + g.baseline, &mut texts);
        }
    }
    // Backgrounds first (written above), then text, then lines and blocks.
    out.push_str(&texts);
    for ((color, opacity), d) in &shapes.0 {
        let _ = write!(out, r#"<path fill="{color}""#);
        if *opacity < 100 {
            let _ = write!(
                out,
                r#" fill-opacity="{}""#,
                num(f32::from(*opacity) / 100.0)
            );
        }
        let _ = writeln!(out, r#" d="{d}"/>"#);
    }
    for (color, paths) in &strokes {
        let _ = writeln!(
            out,
            r#"<g fill="none" stroke="{color}" stroke-width="1">{paths}</g>"#
        );
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// One `<rect>` per run of a background colour other than the terminal's own.
fn backgrounds(
    row: &[Glyph],
    painted: &[Painted],
    palette: &Palette,
    top: f32,
    g: &Geometry,
    out: &mut String,
) {
    let mut i = 0;
    while i < row.len() {
        let bg = painted[i].bg;
        let start = row[i].col;
        let mut end = start + row[i].width;
        let mut j = i + 1;
        while j < row.len() && painted[j].bg == bg {
            end = row[j].col + row[j].width;
            j += 1;
        }
        if bg != palette.background {
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{bg}"/>"#,
                num(f32::from(start) * g.cell_w),
                num(top),
                num(f32::from(end - start) * g.cell_w),
                num(g.cell_h)
            );
        }
        i = j;
    }
}

fn text_element(r: &TextRun, y: f32, out: &mut String) {
    let xs: Vec<String> = r.xs.iter().map(|x| num(*x)).collect();
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" fill="{}""#,
        xs.join(" "),
        num(y),
        r.fg
    );
    if r.bold {
        out.push_str(r#" font-weight="bold""#);
    }
    if r.italic {
        out.push_str(r#" font-style="italic""#);
    }
    out.push('>');
    escape(&r.text, out);
    out.push_str("</text>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shot::palette::DARK;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};

    #[test]
    fn runs_rects_and_wide_glyphs() {
        let mut b = Buffer::empty(Rect::new(0, 0, 10, 2));
        b.set_string(0, 0, "a b", Style::default().fg(Color::Red));
        b.set_string(3, 0, "<東>", Style::default().fg(Color::Red).bold());
        b.set_string(0, 1, "┌─", Style::default().bg(Color::Blue));
        let svg = render(&Screen::from_buffer(&b), &DARK, &GEOMETRY);
        assert!(
            svg.contains(r##"<text x="0 9 18" y="14" fill="#e0616c">a b</text>"##),
            "{svg}"
        );
        assert!(
            svg.contains(r##"<text x="27 37.5 54" y="14" fill="#e0616c" font-weight="bold">&lt;東&gt;</text>"##),
            "{svg}"
        );
        assert!(
            svg.contains(r##"<rect x="0" y="18" width="18" height="18" fill="#5fa8ea"/>"##),
            "{svg}"
        );
        assert!(svg.contains(r##"<path fill="#d4d8de" d="M4 26h5v1h-5zM4 26h1v10h-1zM9 26h5v1h-5zM13 26h5v1h-5z"/>"##), "{svg}");
    }
}

//! Box-drawing and block characters drawn as shapes on the cell grid, as terminal emulators
//! do: lines meet exactly across cells whatever the font, and no glyph is missing.

/// A glyph's share of the cell, in cell units: rectangles and stroked paths.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shape {
    /// (x, y, width, height, opacity) with the cell's top-left at (0, 0).
    pub rects: Vec<(f32, f32, f32, f32, f32)>,
    /// SVG path data for 1-unit-wide strokes (rounded corners).
    pub strokes: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum W {
    No,
    Light,
    Heavy,
    Double,
}

/// Arms of a box-drawing character: left, right, up, down.
fn arms(c: char) -> Option<[W; 4]> {
    use W::*;
    Some(match c {
        '─' => [Light, Light, No, No],
        '━' => [Heavy, Heavy, No, No],
        '│' => [No, No, Light, Light],
        '┃' => [No, No, Heavy, Heavy],
        '┌' => [No, Light, No, Light],
        '┏' => [No, Heavy, No, Heavy],
        '┐' => [Light, No, No, Light],
        '┓' => [Heavy, No, No, Heavy],
        '└' => [No, Light, Light, No],
        '┗' => [No, Heavy, Heavy, No],
        '┘' => [Light, No, Light, No],
        '┛' => [Heavy, No, Heavy, No],
        '├' => [No, Light, Light, Light],
        '┣' => [No, Heavy, Heavy, Heavy],
        '┤' => [Light, No, Light, Light],
        '┫' => [Heavy, No, Heavy, Heavy],
        '┬' => [Light, Light, No, Light],
        '┳' => [Heavy, Heavy, No, Heavy],
        '┴' => [Light, Light, Light, No],
        '┻' => [Heavy, Heavy, Heavy, No],
        '┼' => [Light, Light, Light, Light],
        '╋' => [Heavy, Heavy, Heavy, Heavy],
        '╴' => [Light, No, No, No],
        '╵' => [No, No, Light, No],
        '╶' => [No, Light, No, No],
        '╷' => [No, No, No, Light],
        '╸' => [Heavy, No, No, No],
        '╹' => [No, No, Heavy, No],
        '╺' => [No, Heavy, No, No],
        '╻' => [No, No, No, Heavy],
        '═' => [Double, Double, No, No],
        '║' => [No, No, Double, Double],
        '╔' => [No, Double, No, Double],
        '╗' => [Double, No, No, Double],
        '╚' => [No, Double, Double, No],
        '╝' => [Double, No, Double, No],
        '╠' => [No, Double, Double, Double],
        '╣' => [Double, No, Double, Double],
        '╦' => [Double, Double, No, Double],
        '╩' => [Double, Double, Double, No],
        '╬' => [Double, Double, Double, Double],
        _ => return None,
    })
}

/// The shape of `c` in a `w` × `h` cell whose lines run through (`cx`, `cy`); `None` when the
/// font should draw it.
pub fn shape(c: char, w: f32, h: f32, cx: f32, cy: f32) -> Option<Shape> {
    if let Some(a) = arms(c) {
        return Some(if a.contains(&W::Double) {
            double(a, w, h, cx, cy)
        } else {
            single(a, w, h, cx, cy)
        });
    }
    if let Some(s) = rounded(c, w, h, cx, cy) {
        return Some(s);
    }
    block(c, w, h)
}

fn thickness(weight: W) -> f32 {
    match weight {
        W::Heavy => 2.0,
        _ => 1.0,
    }
}

fn single([l, r, u, d]: [W; 4], w: f32, h: f32, cx: f32, cy: f32) -> Shape {
    let mut s = Shape::default();
    // Each arm reaches past the centre by half the thickest line, so corners are filled.
    let reach = [l, r, u, d]
        .iter()
        .filter(|a| **a != W::No)
        .map(|a| thickness(*a) / 2.0)
        .fold(0.0, f32::max);
    let horizontal = |from: f32, to: f32, t: f32| (from, cy - t / 2.0, to - from, t, 1.0);
    let vertical = |from: f32, to: f32, t: f32| (cx - t / 2.0, from, t, to - from, 1.0);
    if l != W::No {
        s.rects.push(horizontal(0.0, cx + reach, thickness(l)));
    }
    if r != W::No {
        s.rects.push(horizontal(cx - reach, w, thickness(r)));
    }
    if u != W::No {
        s.rects.push(vertical(0.0, cy + reach, thickness(u)));
    }
    if d != W::No {
        s.rects.push(vertical(cy - reach, h, thickness(d)));
    }
    s
}

/// Double lines: two strokes `gap` either side of the centre line; where an arm leaves,
/// the stroke on that side is split so the arm's strokes run into the gap.
fn double([l, r, u, d]: [W; 4], w: f32, h: f32, cx: f32, cy: f32) -> Shape {
    let mut s = Shape::default();
    let g = 1.5;
    let (has_l, has_r, has_u, has_d) = (l != W::No, r != W::No, u != W::No, d != W::No);
    let hline = |y: f32, split: bool, s: &mut Shape| {
        if !(has_l || has_r) {
            return;
        }
        let mut seg = |a: f32, b: f32| s.rects.push((a, y - 0.5, b - a, 1.0, 1.0));
        if split {
            if has_l {
                seg(0.0, cx - g + 0.5);
            }
            if has_r {
                seg(cx + g - 0.5, w);
            }
        } else {
            let a = if has_l { 0.0 } else { cx - g - 0.5 };
            let b = if has_r { w } else { cx + g + 0.5 };
            seg(a, b);
        }
    };
    hline(cy - g, has_u, &mut s);
    hline(cy + g, has_d, &mut s);
    let vline = |x: f32, split: bool, s: &mut Shape| {
        if !(has_u || has_d) {
            return;
        }
        let mut seg = |a: f32, b: f32| s.rects.push((x - 0.5, a, 1.0, b - a, 1.0));
        if split {
            if has_u {
                seg(0.0, cy - g + 0.5);
            }
            if has_d {
                seg(cy + g - 0.5, h);
            }
        } else {
            let a = if has_u { 0.0 } else { cy - g - 0.5 };
            let b = if has_d { h } else { cy + g + 0.5 };
            seg(a, b);
        }
    };
    vline(cx - g, has_l, &mut s);
    vline(cx + g, has_r, &mut s);
    s
}

fn rounded(c: char, w: f32, h: f32, cx: f32, cy: f32) -> Option<Shape> {
    let r = cx.min(cy).min(4.0);
    // From the horizontal arm's edge, along to the arc, round to the vertical arm's edge.
    let (hx, vy, sweep) = match c {
        '╭' => (w, h, 0),
        '╮' => (0.0, h, 1),
        '╯' => (0.0, 0.0, 0),
        '╰' => (w, 0.0, 1),
        _ => return None,
    };
    let dir_x = if hx > cx { 1.0 } else { -1.0 };
    let dir_y = if vy > cy { 1.0 } else { -1.0 };
    let path = format!(
        "M{} {}H{}A{r} {r} 0 0 {sweep} {} {}V{}",
        num(hx),
        num(cy),
        num(cx + dir_x * r),
        num(cx),
        num(cy + dir_y * r),
        num(vy)
    );
    Some(Shape {
        rects: Vec::new(),
        strokes: vec![path],
    })
}

fn block(c: char, w: f32, h: f32) -> Option<Shape> {
    let full = |x: f32, y: f32, ww: f32, hh: f32| (x, y, ww, hh, 1.0);
    let (hw, hh) = (w / 2.0, h / 2.0);
    let rects = match c {
        '█' => vec![full(0.0, 0.0, w, h)],
        '▀' => vec![full(0.0, 0.0, w, hh)],
        '▔' => vec![full(0.0, 0.0, w, h / 8.0)],
        '▁'..='▇' => {
            let n = (c as u32 - 0x2580) as f32;
            vec![full(0.0, h - n * h / 8.0, w, n * h / 8.0)]
        }
        '▉'..='▏' => {
            let n = 8.0 - (c as u32 - 0x2588) as f32;
            vec![full(0.0, 0.0, n * w / 8.0, h)]
        }
        '▐' => vec![full(hw, 0.0, hw, h)],
        '▕' => vec![full(w - w / 8.0, 0.0, w / 8.0, h)],
        '░' => vec![(0.0, 0.0, w, h, 0.25)],
        '▒' => vec![(0.0, 0.0, w, h, 0.5)],
        '▓' => vec![(0.0, 0.0, w, h, 0.75)],
        '▖'..='▟' => {
            // Quadrants: upper-left, upper-right, lower-left, lower-right.
            let q = match c {
                '▖' => [false, false, true, false],
                '▗' => [false, false, false, true],
                '▘' => [true, false, false, false],
                '▙' => [true, false, true, true],
                '▚' => [true, false, false, true],
                '▛' => [true, true, true, false],
                '▜' => [true, true, false, true],
                '▝' => [false, true, false, false],
                '▞' => [false, true, true, false],
                _ => [false, true, true, true],
            };
            let spots = [(0.0, 0.0), (hw, 0.0), (0.0, hh), (hw, hh)];
            q.iter()
                .zip(spots)
                .filter(|(on, _)| **on)
                .map(|(_, (x, y))| full(x, y, hw, hh))
                .collect()
        }
        _ => return None,
    };
    Some(Shape {
        rects,
        strokes: Vec::new(),
    })
}

/// A coordinate without trailing zeros: `4`, `4.5`, `4.25`.
pub fn num(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_meet_at_the_cell_edges() {
        let s = shape('┌', 9.0, 18.0, 4.5, 8.5).unwrap();
        assert_eq!(
            s.rects,
            vec![(4.0, 8.0, 5.0, 1.0, 1.0), (4.0, 8.0, 1.0, 10.0, 1.0)]
        );
        let s = shape('│', 9.0, 18.0, 4.5, 8.5).unwrap();
        assert_eq!(
            s.rects,
            vec![(4.0, 0.0, 1.0, 9.0, 1.0), (4.0, 8.0, 1.0, 10.0, 1.0)]
        );
        assert!(shape('a', 9.0, 18.0, 4.5, 8.5).is_none());
        assert!(shape('┄', 9.0, 18.0, 4.5, 8.5).is_none());
    }

    #[test]
    fn blocks_fill_their_share() {
        assert_eq!(
            shape('▄', 8.0, 16.0, 4.0, 8.0).unwrap().rects,
            vec![(0.0, 8.0, 8.0, 8.0, 1.0)]
        );
        assert_eq!(
            shape('▎', 8.0, 16.0, 4.0, 8.0).unwrap().rects,
            vec![(0.0, 0.0, 2.0, 16.0, 1.0)]
        );
        assert_eq!(
            shape('░', 8.0, 16.0, 4.0, 8.0).unwrap().rects,
            vec![(0.0, 0.0, 8.0, 16.0, 0.25)]
        );
        assert_eq!(shape('▚', 8.0, 16.0, 4.0, 8.0).unwrap().rects.len(), 2);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(4.0), "4");
        assert_eq!(num(4.5), "4.5");
        assert_eq!(num(0.125), "0.13");
        assert_eq!(num(-0.0), "0");
    }
}

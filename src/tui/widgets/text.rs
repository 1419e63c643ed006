//! Text that fits: truncation by display width (a wide CJK character is never cut in half; an
//! ellipsis marks what was left out) and drawing into a width-limited cell range.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use crate::present::tabwriter::{char_width, unicode_width};

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    unicode_width(s)
}

/// `s` cut to at most `max` cells, ending in `…` when something was left out.
pub fn truncate(s: &str, max: usize) -> String {
    if unicode_width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Splits text into lines of at most `width` cells, at spaces where it can (a word longer than
/// a line is cut by width, never inside a wide character).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let w = unicode_width(word);
        if used > 0 && used + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        for c in word.chars() {
            let cw = char_width(c);
            if used + cw > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    lines.push(line);
    lines
}

/// Draws `s` at (x, y) in at most `max` cells; returns the cells used.
pub fn put(buf: &mut Buffer, x: u16, y: u16, s: &str, max: usize, style: Style) -> usize {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x >= area.right() {
        return 0;
    }
    let max = max.min(usize::from(area.right() - x));
    let text = truncate(s, max);
    let (end, _) = buf.set_stringn(x, y, &text, max, style);
    usize::from(end.saturating_sub(x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn truncation_counts_wide_characters_twice_and_never_splits_them() {
        assert_eq!(truncate("nginx", 10), "nginx");
        assert_eq!(truncate("kube-system", 6), "kube-…");
        assert_eq!(truncate("東京のサービス", 6), "東京…");
        assert_eq!(truncate("東京のサービス", 5), "東京…");
        assert_eq!(width(&truncate("東京のサービス", 4)), 3);
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("東京都 大阪", 5), ["東京", "都", "大阪"]);
    }

    #[test]
    fn a_wide_character_at_the_edge_is_left_out_whole() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        put(&mut buf, 0, 0, "ab東京", 5, Style::default());
        let symbols: Vec<&str> = (0..5).map(|x| buf[(x, 0)].symbol()).collect();
        // "ab東…" is 5 cells: the second wide character gave way to the ellipsis.
        assert_eq!(symbols, ["a", "b", "東", " ", "…"]);
    }
}

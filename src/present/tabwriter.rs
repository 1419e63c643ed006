//! Go's `text/tabwriter` (left-aligned, space padding): kubectl's `get` tables (min width 6,
//! padding 3) and `describe` layouts (min width 0, padding 2) both come out of it.
//!
//! Cells are tab-terminated; the text after a line's last tab is not part of any column.
//! A column's width is decided per block of consecutive lines that have a cell in it.

/// Formats `text` (lines ending in `\n`, cells ending in `\t`).
pub fn format(text: &str, min_width: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text
        .split_terminator('\n')
        .map(|l| l.split('\t').collect())
        .collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    format_block(
        &lines,
        0,
        lines.len(),
        &mut widths,
        min_width,
        padding,
        &mut out,
    );
    out
}

fn cell_width(s: &str) -> usize {
    unicode_width(s)
}

/// Display width in terminal cells: wide (CJK) characters count two.
pub fn unicode_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// The number of terminal columns a character occupies (0 for combining marks).
pub fn char_width(c: char) -> usize {
    let cp = c as u32;
    if c.is_control() {
        return 0;
    }
    // Combining diacritical marks and zero-width characters.
    if (0x0300..=0x036F).contains(&cp) || (0x200B..=0x200F).contains(&cp) || cp == 0xFE0F {
        return 0;
    }
    let wide = (0x1100..=0x115F).contains(&cp)
        || (0x2E80..=0x303E).contains(&cp)
        || (0x3041..=0x33FF).contains(&cp)
        || (0x3400..=0x4DBF).contains(&cp)
        || (0x4E00..=0x9FFF).contains(&cp)
        || (0xA000..=0xA4CF).contains(&cp)
        || (0xAC00..=0xD7A3).contains(&cp)
        || (0xF900..=0xFAFF).contains(&cp)
        || (0xFE30..=0xFE4F).contains(&cp)
        || (0xFF00..=0xFF60).contains(&cp)
        || (0xFFE0..=0xFFE6).contains(&cp)
        || (0x1F300..=0x1F64F).contains(&cp)
        || (0x1F900..=0x1F9FF).contains(&cp)
        || (0x20000..=0x3FFFD).contains(&cp);
    if wide { 2 } else { 1 }
}

fn format_block(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    min_width: usize,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column >= lines[this].len() - 1 {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = min_width;
        while this < line1 && column < lines[this].len() - 1 {
            width = width.max(cell_width(lines[this][column]) + padding);
            this += 1;
        }
        widths.push(width);
        format_block(lines, line0, this, widths, min_width, padding, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &[usize],
    out: &mut String,
) {
    for line in &lines[line0..line1] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() {
                let pad = widths[j].saturating_sub(cell_width(cell));
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_tables_pad_to_longest_plus_three_with_min_six() {
        let t = "NAME\tSECRETS\tAGE\ndefault\t0\t5d\nbuild-robot\t0\t10m\n";
        assert_eq!(
            format(t, 6, 3),
            "NAME          SECRETS   AGE\ndefault       0         5d\nbuild-robot   0         10m\n"
        );
    }

    #[test]
    fn describe_blocks_restart_after_untabbed_lines() {
        let t = "Name:\tx\nAnnotations:\t<none>\n\nType:\tOpaque\n";
        assert_eq!(
            format(t, 0, 2),
            "Name:         x\nAnnotations:  <none>\n\nType:  Opaque\n"
        );
    }

    #[test]
    fn empty_last_cell_keeps_padding() {
        let t = "A\tB\tC\nx\t\ty\nlong-one\tz\t\n";
        assert_eq!(
            format(t, 6, 3),
            "A          B     C\nx                y\nlong-one   z     \n"
        );
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let t = "名前\tX\nab\tY\n";
        assert_eq!(format(t, 0, 2), "名前  X\nab    Y\n");
    }
}

//! Animated GIF output from a sequence of rasterised frames (the `gif` crate, MIT/Apache).
//! After the first frame, each frame carries only the rectangle that changed (a ticking clock
//! is a few dozen pixels), and a frame identical to the one before only lengthens it.

use resvg::tiny_skia::Pixmap;

/// The smallest rectangle (x, y, w, h) holding every pixel that differs, or `None`.
fn changed(before: &[u8], after: &[u8], width: usize) -> Option<Rect> {
    let row = width * 4;
    let rows = before.len() / row;
    let differs = |y: usize| before[y * row..(y + 1) * row] != after[y * row..(y + 1) * row];
    let top = (0..rows).find(|&y| differs(y))?;
    let bottom = (top..rows).rev().find(|&y| differs(y)).unwrap_or(top);
    let mut left = width;
    let mut right = 0;
    for y in top..=bottom {
        let (a, b) = (
            &before[y * row..(y + 1) * row],
            &after[y * row..(y + 1) * row],
        );
        if let Some(x) = (0..width).find(|&x| a[x * 4..x * 4 + 4] != b[x * 4..x * 4 + 4]) {
            left = left.min(x);
        }
        if let Some(x) = (0..width)
            .rev()
            .find(|&x| a[x * 4..x * 4 + 4] != b[x * 4..x * 4 + 4])
        {
            right = right.max(x);
        }
    }
    Some((left, top, right + 1 - left, bottom + 1 - top))
}

fn crop(data: &[u8], width: usize, (x, y, w, h): Rect) -> Vec<u8> {
    let mut out = Vec::with_capacity(w * h * 4);
    for row in y..y + h {
        let start = (row * width + x) * 4;
        out.extend_from_slice(&data[start..start + w * 4]);
    }
    out
}

/// A rectangle (x, y, w, h) that changed, its pixels, and the seconds it shows.
type Part = (Rect, Vec<u8>, f64);
type Rect = (usize, usize, usize, usize);

fn centiseconds(seconds: f64) -> u16 {
    (seconds * 100.0).round().clamp(2.0, 65535.0) as u16
}

/// `frames` are (picture, how long it shows in seconds); all must have the first one's size.
pub fn encode(frames: &[(Pixmap, f64)]) -> Result<Vec<u8>, String> {
    let Some((first, _)) = frames.first() else {
        return Err("a GIF needs at least one frame".into());
    };
    let (w, h) = (first.width(), first.height());
    let (gw, gh) = (
        u16::try_from(w).map_err(|_| format!("a GIF cannot be {w} pixels wide"))?,
        u16::try_from(h).map_err(|_| format!("a GIF cannot be {h} pixels high"))?,
    );
    let mut parts: Vec<Part> = Vec::new();
    let mut previous: Option<&[u8]> = None;
    for (pixmap, seconds) in frames {
        if pixmap.width() != w || pixmap.height() != h {
            return Err("GIF frames differ in size".into());
        }
        let data = pixmap.data();
        match previous {
            None => parts.push(((0, 0, w as usize, h as usize), data.to_vec(), *seconds)),
            Some(before) => match changed(before, data, w as usize) {
                None => {
                    if let Some(last) = parts.last_mut() {
                        last.2 += seconds;
                    }
                }
                Some(rect) => parts.push((rect, crop(data, w as usize, rect), *seconds)),
            },
        }
        previous = Some(data);
    }
    let mut out = Vec::new();
    {
        let mut enc = gif::Encoder::new(&mut out, gw, gh, &[]).map_err(|e| e.to_string())?;
        enc.set_repeat(gif::Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        for ((x, y, rw, rh), mut rgba, seconds) in parts {
            let mut frame = gif::Frame::from_rgba_speed(rw as u16, rh as u16, &mut rgba, 10);
            frame.left = x as u16;
            frame.top = y as u16;
            frame.dispose = gif::DisposalMethod::Keep;
            frame.delay = centiseconds(seconds);
            enc.write_frame(&frame).map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_changed_rectangle_is_tight() {
        let w = 4;
        let a = vec![0u8; w * 3 * 4];
        let mut b = a.clone();
        b[(w + 2) * 4] = 9; // (2, 1)
        b[(2 * w + 1) * 4 + 3] = 9; // (1, 2)
        assert_eq!(changed(&a, &b, w), Some((1, 1, 2, 2)));
        assert_eq!(changed(&a, &a, w), None);
        assert_eq!(crop(&b, w, (2, 1, 1, 1)), vec![9, 0, 0, 0]);
    }
}

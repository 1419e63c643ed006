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

/// A rectangle: x, y, width, height.
type Rect = (usize, usize, usize, usize);

fn centiseconds(seconds: f64) -> u16 {
    (seconds * 100.0).round().clamp(2.0, 65535.0) as u16
}

/// Writes an animated GIF frame by frame. Each frame is shown from its time until the next
/// one's; a frame equal to the one before only lengthens it, and every frame after the first
/// carries only the rectangle that changed.
pub struct GifWriter {
    encoder: gif::Encoder<Vec<u8>>,
    width: u32,
    height: u32,
    previous: Option<Vec<u8>>,
    /// The last frame's changed part and start, written once its end is known.
    pending: Option<(Rect, Vec<u8>, f64)>,
}

impl GifWriter {
    pub fn new(width: u32, height: u32) -> Result<GifWriter, String> {
        let (gw, gh) = (
            u16::try_from(width).map_err(|_| format!("a GIF cannot be {width} pixels wide"))?,
            u16::try_from(height).map_err(|_| format!("a GIF cannot be {height} pixels high"))?,
        );
        let mut encoder = gif::Encoder::new(Vec::new(), gw, gh, &[]).map_err(|e| e.to_string())?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        Ok(GifWriter {
            encoder,
            width,
            height,
            previous: None,
            pending: None,
        })
    }

    /// Adds `pixmap`, shown from `at` seconds.
    pub fn frame(&mut self, pixmap: &Pixmap, at: f64) -> Result<(), String> {
        if pixmap.width() != self.width || pixmap.height() != self.height {
            return Err("GIF frames differ in size".into());
        }
        let data = pixmap.data();
        let w = self.width as usize;
        let rect = match &self.previous {
            None => (0, 0, w, self.height as usize),
            Some(before) => match changed(before, data, w) {
                None => return Ok(()),
                Some(r) => r,
            },
        };
        self.flush(at)?;
        self.pending = Some((rect, crop(data, w, rect), at));
        self.previous = Some(data.to_vec());
        Ok(())
    }

    fn flush(&mut self, until: f64) -> Result<(), String> {
        if let Some(((x, y, w, h), mut rgba, start)) = self.pending.take() {
            let mut frame = gif::Frame::from_rgba_speed(w as u16, h as u16, &mut rgba, 10);
            frame.left = x as u16;
            frame.top = y as u16;
            frame.dispose = gif::DisposalMethod::Keep;
            frame.delay = centiseconds(until - start);
            self.encoder
                .write_frame(&frame)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The GIF, its last frame shown until `end` seconds (at least a second).
    pub fn finish(mut self, end: f64) -> Result<Vec<u8>, String> {
        let last_start = self.pending.as_ref().map_or(0.0, |p| p.2);
        self.flush(end.max(last_start + 1.0))?;
        if self.previous.is_none() {
            return Err("a GIF needs at least one frame".into());
        }
        self.encoder.into_inner().map_err(|e| e.to_string())
    }
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

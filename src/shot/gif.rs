//! Animated GIF output from a sequence of rasterised frames (the `gif` crate, MIT/Apache).

use resvg::tiny_skia::Pixmap;

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
    let mut out = Vec::new();
    {
        let mut enc = gif::Encoder::new(&mut out, gw, gh, &[]).map_err(|e| e.to_string())?;
        enc.set_repeat(gif::Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        for (pixmap, seconds) in frames {
            if pixmap.width() != w || pixmap.height() != h {
                return Err("GIF frames differ in size".into());
            }
            let mut rgba = pixmap.data().to_vec();
            let mut frame = gif::Frame::from_rgba_speed(gw, gh, &mut rgba, 10);
            frame.delay = (seconds * 100.0).round().clamp(2.0, 65535.0) as u16;
            enc.write_frame(&frame).map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

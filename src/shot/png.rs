//! PNG output: the SVG rasterised by resvg with the shipped fonts.

use resvg::{tiny_skia, usvg};

/// The largest picture drawn: 64 million pixels (256 MB of RGBA), e.g. 8000x8000.
pub const MAX_PIXELS: u64 = 64_000_000;

/// An RGBA picture of the SVG at `scale` (2 gives crisp slides).
pub fn rasterize(
    svg: &str,
    options: &usvg::Options,
    scale: f32,
) -> Result<tiny_skia::Pixmap, String> {
    let tree =
        usvg::Tree::from_str(svg, options).map_err(|e| format!("cannot read the SVG: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| format!("cannot scale the picture by {scale}"))?;
    let pixels = u64::from(size.width()) * u64::from(size.height());
    if pixels > MAX_PIXELS {
        return Err(format!(
            "the picture would be {}x{} pixels (more than {} million); use a smaller --size or --scale",
            size.width(),
            size.height(),
            MAX_PIXELS / 1_000_000
        ));
    }
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| "the picture is empty".to_string())?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

pub fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the PNG: {e}"))
}

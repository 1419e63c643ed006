//! The fonts pictures are drawn with: the files in `assets/fonts/`, loaded by path and never
//! from the system, so a PNG's bytes depend only on the SVG, these files and resvg's version.

use std::path::{Path, PathBuf};

use resvg::usvg;

/// The shipped font files, in lookup order (see `assets/fonts/README.md`).
pub const FONT_FILES: [&str; 6] = [
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf",
    "DejaVuSansMono-BoldOblique.ttf",
    "wqy-microhei.ttc",
    "NotoSansSymbols2-Regular.ttf",
];

/// `KIDEX_FONTS` if set, else the source tree's `assets/fonts`.
pub fn default_dir() -> PathBuf {
    std::env::var_os("KIDEX_FONTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts"))
}

/// Parser options whose font database holds exactly the shipped fonts.
pub fn options(dir: &Path) -> Result<usvg::Options<'static>, String> {
    let mut opt = usvg::Options {
        font_family: "DejaVu Sans Mono".into(),
        ..usvg::Options::default()
    };
    let db = opt.fontdb_mut();
    for name in FONT_FILES {
        let path = dir.join(name);
        let data = std::fs::read(&path).map_err(|e| {
            format!(
                "cannot read font {}: {e} (set KIDEX_FONTS or --fonts to the directory holding kidex's assets/fonts)",
                path.display()
            )
        })?;
        db.load_font_data(data);
    }
    db.set_monospace_family("DejaVu Sans Mono");
    Ok(opt)
}

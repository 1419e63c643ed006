//! One screen in each output format, with the fonts loaded once per run.

use std::path::{Path, PathBuf};

use resvg::usvg;

use super::palette::Palette;
use super::screen::Screen;
use super::svg::{GEOMETRY, Geometry};
use super::{ansi, fonts, html, png, svg};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Txt,
    Ansi,
    Html,
    Svg,
    Png,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Txt,
        Format::Ansi,
        Format::Html,
        Format::Svg,
        Format::Png,
    ];

    pub fn parse(text: &str) -> Result<Format, String> {
        Ok(match text.to_ascii_lowercase().as_str() {
            "txt" | "text" => Format::Txt,
            "ansi" => Format::Ansi,
            "html" => Format::Html,
            "svg" => Format::Svg,
            "png" => Format::Png,
            other => {
                return Err(format!(
                    "unknown format {other:?} (want txt, ansi, html, svg or png)"
                ));
            }
        })
    }

    /// A comma-separated list: `svg,png`.
    pub fn parse_list(text: &str) -> Result<Vec<Format>, String> {
        let mut v = text
            .split(',')
            .filter(|s| !s.is_empty())
            .map(Format::parse)
            .collect::<Result<Vec<_>, _>>()?;
        v.sort();
        v.dedup();
        if v.is_empty() {
            return Err("no format given".into());
        }
        Ok(v)
    }

    /// The format a file name asks for: `shot.png`, `shot.txt`.
    pub fn for_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        Format::parse(if ext == "ans" { "ansi" } else { ext }).ok()
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Ansi => "ans",
            Format::Html => "html",
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }

    pub fn is_text(self) -> bool {
        !matches!(self, Format::Png)
    }
}

/// Everything a picture depends on besides the screen.
pub struct Renderer {
    pub palette: &'static Palette,
    pub geometry: Geometry,
    /// PNG pixels per SVG unit.
    pub scale: f32,
    pub fonts_dir: PathBuf,
    options: Option<usvg::Options<'static>>,
}

impl Renderer {
    pub fn new(
        palette: &'static Palette,
        scale: f32,
        fonts_dir: PathBuf,
    ) -> Result<Renderer, String> {
        if !(0.25..=8.0).contains(&scale) {
            return Err(format!("scale {scale} is out of range (0.25 to 8)"));
        }
        Ok(Renderer {
            palette,
            geometry: GEOMETRY,
            scale,
            fonts_dir,
            options: None,
        })
    }

    /// The fonts, read on first use.
    pub fn usvg_options(&mut self) -> Result<&usvg::Options<'static>, String> {
        if self.options.is_none() {
            self.options = Some(fonts::options(&self.fonts_dir)?);
        }
        self.options
            .as_ref()
            .ok_or_else(|| "fonts not loaded".to_string())
    }

    pub fn svg(&self, screen: &Screen) -> String {
        svg::render(screen, self.palette, &self.geometry)
    }

    pub fn pixmap(
        &mut self,
        screen: &Screen,
        scale: f32,
    ) -> Result<resvg::tiny_skia::Pixmap, String> {
        let text = self.svg(screen);
        let options = self.usvg_options()?;
        png::rasterize(&text, options, scale)
    }

    pub fn encode(&mut self, screen: &Screen, format: Format) -> Result<Vec<u8>, String> {
        Ok(match format {
            Format::Txt => screen.text().into_bytes(),
            Format::Ansi => ansi::render(screen).into_bytes(),
            Format::Html => html::render(screen, self.palette, "kidex").into_bytes(),
            Format::Svg => self.svg(screen).into_bytes(),
            Format::Png => {
                let scale = self.scale;
                png::encode(&self.pixmap(screen, scale)?)?
            }
        })
    }
}

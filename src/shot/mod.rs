//! `kidex shot` and `kidex record`: pictures and recordings of the real UI, rendered
//! headlessly. Every format is a pure function of a ratatui `Buffer` (see `screen`).

pub mod ansi;
pub mod cast;
pub mod cli;
pub mod drive;
pub mod fonts;
pub mod gif;
pub mod html;
pub mod palette;
pub mod png;
pub mod record;
pub mod render;
pub mod screen;
pub mod shapes;
pub mod svg;
pub mod tape;

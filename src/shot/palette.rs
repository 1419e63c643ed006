//! The terminal a picture pretends to be: its default colours, its 16 named colours, and the
//! xterm 256-colour cube and grey ramp for indexed colours.

use std::fmt;

use ratatui::style::Color;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    const fn hex(v: u32) -> Rgb {
        Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }

    /// `self` weighted by `w`, `other` by `1 - w`.
    pub fn mix(self, other: Rgb, w: f32) -> Rgb {
        let f = |a: u8, b: u8| (f32::from(a) * w + f32::from(b) * (1.0 - w)).round() as u8;
        Rgb(f(self.0, other.0), f(self.1, other.1), f(self.2, other.2))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Palette {
    pub name: &'static str,
    pub foreground: Rgb,
    pub background: Rgb,
    /// black, red, green, yellow, blue, magenta, cyan, gray, then their bright forms
    /// (darkgray, lightred, ..., white), as ratatui names them.
    pub ansi: [Rgb; 16],
}

/// A dark terminal: the look of the default and high-contrast themes.
pub const DARK: Palette = Palette {
    name: "dark",
    foreground: Rgb::hex(0xd4d8de),
    background: Rgb::hex(0x16181d),
    ansi: [
        Rgb::hex(0x23262d),
        Rgb::hex(0xe0616c),
        Rgb::hex(0x8fc470),
        Rgb::hex(0xe2b86b),
        Rgb::hex(0x5fa8ea),
        Rgb::hex(0xc17bd9),
        Rgb::hex(0x4fb6c4),
        Rgb::hex(0xb4bac4),
        Rgb::hex(0x646c7a),
        Rgb::hex(0xff7f88),
        Rgb::hex(0xb0e28e),
        Rgb::hex(0xf5d48e),
        Rgb::hex(0x8cc6ff),
        Rgb::hex(0xdda2f0),
        Rgb::hex(0x7fdbe6),
        Rgb::hex(0xf3f5f8),
    ],
};

/// A light terminal: the look of the light theme.
pub const LIGHT: Palette = Palette {
    name: "light",
    foreground: Rgb::hex(0x2b2f36),
    background: Rgb::hex(0xfbfbfa),
    ansi: [
        Rgb::hex(0x2b2f36),
        Rgb::hex(0xc8323e),
        Rgb::hex(0x3e8a2e),
        Rgb::hex(0x9a6a00),
        Rgb::hex(0x2f64d0),
        Rgb::hex(0x9a3aa8),
        Rgb::hex(0x0a7f95),
        Rgb::hex(0xc9ccd1),
        Rgb::hex(0x727985),
        Rgb::hex(0xe0475a),
        Rgb::hex(0x52a63e),
        Rgb::hex(0xb88a12),
        Rgb::hex(0x4a82f0),
        Rgb::hex(0xb657c4),
        Rgb::hex(0x1a9bb3),
        Rgb::hex(0xffffff),
    ],
};

impl Palette {
    /// The palette that suits a theme: light for `light`, dark otherwise.
    pub fn for_theme(theme: &str) -> &'static Palette {
        if theme == "light" { &LIGHT } else { &DARK }
    }

    pub fn fg(&self, c: Color) -> Rgb {
        self.resolve(c).unwrap_or(self.foreground)
    }

    pub fn bg(&self, c: Color) -> Rgb {
        self.resolve(c).unwrap_or(self.background)
    }

    /// `None` for the terminal's default colour.
    fn resolve(&self, c: Color) -> Option<Rgb> {
        Some(match c {
            Color::Reset => return None,
            Color::Black => self.ansi[0],
            Color::Red => self.ansi[1],
            Color::Green => self.ansi[2],
            Color::Yellow => self.ansi[3],
            Color::Blue => self.ansi[4],
            Color::Magenta => self.ansi[5],
            Color::Cyan => self.ansi[6],
            Color::Gray => self.ansi[7],
            Color::DarkGray => self.ansi[8],
            Color::LightRed => self.ansi[9],
            Color::LightGreen => self.ansi[10],
            Color::LightYellow => self.ansi[11],
            Color::LightBlue => self.ansi[12],
            Color::LightMagenta => self.ansi[13],
            Color::LightCyan => self.ansi[14],
            Color::White => self.ansi[15],
            Color::Rgb(r, g, b) => Rgb(r, g, b),
            Color::Indexed(i) => self.indexed(i),
        })
    }

    fn indexed(&self, i: u8) -> Rgb {
        match i {
            0..=15 => self.ansi[usize::from(i)],
            16..=231 => {
                let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
                let n = i - 16;
                Rgb(level(n / 36), level((n / 6) % 6), level(n % 6))
            }
            _ => {
                let v = 8 + (i - 232) * 10;
                Rgb(v, v, v)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xterm_cube_and_ramp() {
        assert_eq!(DARK.fg(Color::Indexed(16)), Rgb(0, 0, 0));
        assert_eq!(DARK.fg(Color::Indexed(196)), Rgb(255, 0, 0));
        assert_eq!(DARK.fg(Color::Indexed(231)), Rgb(255, 255, 255));
        assert_eq!(DARK.fg(Color::Indexed(232)), Rgb(8, 8, 8));
        assert_eq!(DARK.fg(Color::Indexed(255)), Rgb(238, 238, 238));
        assert_eq!(DARK.fg(Color::Indexed(9)), DARK.fg(Color::LightRed));
        assert_eq!(DARK.bg(Color::Reset), DARK.background);
        assert_eq!(Rgb(0x12, 0xab, 0xff).to_string(), "#12abff");
    }
}

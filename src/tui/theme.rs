//! Semantic styles. Views ask for a role (`theme.style(Role::RowSelected)`,
//! `theme.token_status(..)`), never for a colour; the colours come from `assets/themes/*.toml`.
//! `NO_COLOR` keeps only bold/underline/reverse, and terminals without true colour get the
//! nearest of their 256 or 16 colours.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The themes built into the binary: (name, TOML).
pub const BUILT_IN: [(&str, &str); 3] = [
    ("default", include_str!("../../assets/themes/default.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
];

macro_rules! roles {
    ($($variant:ident => $name:literal,)*) => {
        /// What a piece of the screen is, for the theme.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Role { $($variant,)* }
        impl Role {
            pub const ALL: &'static [Role] = &[$(Role::$variant,)*];
            pub fn name(self) -> &'static str {
                match self { $(Role::$variant => $name,)* }
            }
        }
    };
}

roles! {
    Base => "base",
    Border => "border",
    BorderFocus => "border_focus",
    Title => "title",
    TitleCount => "title_count",
    TitleFilter => "title_filter",
    Brand => "brand",
    HeaderLabel => "header_label",
    HeaderValue => "header_value",
    HintKey => "hint_key",
    Hint => "hint",
    BadgePaused => "badge_paused",
    BadgeRunning => "badge_running",
    TableHeader => "table_header",
    Row => "row",
    RowSelected => "row_selected",
    RowFlash => "row_flash",
    RowDim => "row_dim",
    Crumb => "crumb",
    CrumbCurrent => "crumb_current",
    MessageInfo => "message_info",
    MessageEvent => "message_event",
    MessageError => "message_error",
    Prompt => "prompt",
    PromptGhost => "prompt_ghost",
    Completion => "completion",
    CompletionSelected => "completion_selected",
    Tab => "tab",
    TabActive => "tab_active",
    Dialog => "dialog",
    DialogBorder => "dialog_border",
    Button => "button",
    ButtonFocus => "button_focus",
    HelpKey => "help_key",
    HelpDesc => "help_desc",
    HelpGroup => "help_group",
    StatusOk => "status_ok",
    StatusWarn => "status_warn",
    StatusBad => "status_bad",
    StatusDim => "status_dim",
    BarElapsed => "bar_elapsed",
    BarDue => "bar_due",
    BarStale => "bar_stale",
    BarRemaining => "bar_remaining",
    BarMark => "bar_mark",
    JwtHeader => "jwt_header",
    JwtPayload => "jwt_payload",
    JwtSignature => "jwt_signature",
    VerdictOk => "verdict_ok",
    VerdictBad => "verdict_bad",
    Section => "section",
    Muted => "muted",
}

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorSupport {
    #[default]
    TrueColor,
    Ansi256,
    Ansi16,
    /// `NO_COLOR`: attributes only.
    None,
}

impl ColorSupport {
    /// From the environment's `NO_COLOR`, `COLORTERM` and `TERM` values.
    pub fn detect(no_color: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> Self {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return ColorSupport::None;
        }
        if colorterm.is_some_and(|c| c == "truecolor" || c == "24bit") {
            return ColorSupport::TrueColor;
        }
        if term.is_some_and(|t| t.contains("256")) {
            return ColorSupport::Ansi256;
        }
        ColorSupport::Ansi16
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<ColorSpec>,
    bg: Option<ColorSpec>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reversed: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ColorSpec {
    Name(String),
    Index(u8),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    #[serde(default)]
    styles: BTreeMap<String, StyleSpec>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub name: String,
    styles: Vec<Style>,
}

fn parse_color(spec: &ColorSpec) -> Result<Color, String> {
    let name = match spec {
        ColorSpec::Index(i) => return Ok(Color::Indexed(*i)),
        ColorSpec::Name(n) => n.to_ascii_lowercase(),
    };
    if let Some(hex) = name.strip_prefix('#') {
        let v = u32::from_str_radix(hex, 16).map_err(|_| format!("bad colour {name:?}"))?;
        if hex.len() != 6 {
            return Err(format!("bad colour {name:?} (want #rrggbb)"));
        }
        return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    Ok(match name.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return Err(format!("unknown colour {name:?}")),
    })
}

/// xterm's default RGB values of the 16 ANSI colours, for the nearest-colour fallback.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).unsigned_abs();
    d(a.0, b.0).pow(2) + d(a.1, b.1).pow(2) + d(a.2, b.2).pow(2)
}

/// The nearest of the 16 ANSI colours to an RGB colour.
pub fn nearest_ansi16(rgb: (u8, u8, u8)) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, c)| distance(*c, rgb))
        .map(|(c, _)| *c)
        .unwrap_or(Color::Reset)
}

/// The nearest colour of xterm's 6×6×6 cube or grey ramp.
fn nearest_ansi256(rgb: (u8, u8, u8)) -> Color {
    let level = |v: u8| -> u8 {
        if v < 48 {
            0
        } else if v < 115 {
            1
        } else {
            (v - 35) / 40
        }
    };
    let (r, g, b) = (level(rgb.0), level(rgb.1), level(rgb.2));
    let step = |l: u8| if l == 0 { 0 } else { 55 + 40 * l };
    let cube = (step(r), step(g), step(b));
    let grey_level = ((u32::from(rgb.0) + u32::from(rgb.1) + u32::from(rgb.2)) / 3) as u8;
    let gi = if grey_level > 238 {
        23
    } else {
        grey_level.saturating_sub(3) / 10
    };
    let grey = 8 + 10 * gi;
    if distance((grey, grey, grey), rgb) < distance(cube, rgb) {
        Color::Indexed(232 + gi)
    } else {
        Color::Indexed(16 + 36 * r + 6 * g + b)
    }
}

fn adapt(color: Option<Color>, support: ColorSupport) -> Option<Color> {
    match (color, support) {
        (_, ColorSupport::None) => None,
        (Some(Color::Rgb(r, g, b)), ColorSupport::Ansi16) => Some(nearest_ansi16((r, g, b))),
        (Some(Color::Rgb(r, g, b)), ColorSupport::Ansi256) => Some(nearest_ansi256((r, g, b))),
        (Some(Color::Indexed(i)), ColorSupport::Ansi16) if i >= 16 => Some(Color::Reset),
        (c, _) => c,
    }
}

fn to_style(spec: &StyleSpec, support: ColorSupport) -> Result<Style, String> {
    let mut style = Style::default();
    if let Some(c) = adapt(spec.fg.as_ref().map(parse_color).transpose()?, support) {
        style = style.fg(c);
    }
    if let Some(c) = adapt(spec.bg.as_ref().map(parse_color).transpose()?, support) {
        style = style.bg(c);
    }
    for (on, m) in [
        (spec.bold, Modifier::BOLD),
        (spec.dim, Modifier::DIM),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.reversed, Modifier::REVERSED),
    ] {
        if on {
            style = style.add_modifier(m);
        }
    }
    Ok(style)
}

impl Theme {
    /// Parses a theme file; roles it leaves out take the default theme's styles.
    pub fn parse(text: &str, support: ColorSupport) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let defaults: ThemeFile = toml::from_str(BUILT_IN[0].1).map_err(|e| e.to_string())?;
        if let Some(unknown) = file
            .styles
            .keys()
            .find(|k| !Role::ALL.iter().any(|r| r.name() == k.as_str()))
        {
            return Err(format!("unknown style role {unknown:?}"));
        }
        let styles = Role::ALL
            .iter()
            .map(|r| {
                let spec = file
                    .styles
                    .get(r.name())
                    .or_else(|| defaults.styles.get(r.name()));
                match spec {
                    Some(s) => to_style(s, support).map_err(|e| format!("{}: {e}", r.name())),
                    None => Ok(Style::default()),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Theme {
            name: file.name.unwrap_or_else(|| "custom".into()),
            styles,
        })
    }

    /// A built-in theme by name.
    pub fn built_in(name: &str, support: ColorSupport) -> Result<Theme, String> {
        let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            format!("no theme {name:?} (built in: default, light, high-contrast)")
        })?;
        Theme::parse(text, support)
    }

    pub fn style(&self, role: Role) -> Style {
        let i = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
        let base = self.styles.first().copied().unwrap_or_default();
        base.patch(self.styles.get(i).copied().unwrap_or_default())
    }

    /// The style of a STATUS cell: tokens' `active`/`superseded`/`expired`/`revoked: …`, pods'
    /// phases, nodes' readiness.
    pub fn status(&self, text: &str) -> Style {
        let word = text.split([':', ',']).next().unwrap_or("").trim();
        self.style(match word {
            "active" | "Running" | "Active" | "Ready" | "Succeeded" | "Bound" | "valid" => {
                Role::StatusOk
            }
            "superseded" | "Pending" | "Terminating" | "ContainerCreating" | "Warning" => {
                Role::StatusWarn
            }
            "expired" | "Completed" => Role::StatusDim,
            "revoked" | "Failed" | "NotReady" | "Unknown" | "Error" | "CrashLoopBackOff" => {
                Role::StatusBad
            }
            _ => Role::Row,
        })
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::built_in("default", ColorSupport::Ansi16).unwrap_or(Theme {
            name: "default".into(),
            styles: vec![Style::default(); Role::ALL.len()],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_parses_and_the_default_names_every_role() {
        for (name, text) in BUILT_IN {
            let t = Theme::parse(text, ColorSupport::TrueColor).unwrap();
            assert_eq!(t.name, name);
        }
        let defaults: ThemeFile = toml::from_str(BUILT_IN[0].1).unwrap();
        for r in Role::ALL {
            assert!(defaults.styles.contains_key(r.name()), "{}", r.name());
        }
    }

    #[test]
    fn no_color_keeps_attributes_only() {
        let t = Theme::built_in("default", ColorSupport::None).unwrap();
        let s = t.style(Role::RowSelected);
        assert_eq!(s.fg, None);
        assert!(s.add_modifier.contains(Modifier::REVERSED));
        assert_eq!(t.style(Role::StatusBad).fg, None);
    }

    #[test]
    fn true_colour_falls_back_to_16_colours() {
        let t = Theme::built_in("light", ColorSupport::Ansi16).unwrap();
        assert_eq!(t.style(Role::StatusBad).fg, Some(Color::Red));
        assert_eq!(nearest_ansi16((0x1a, 0x7f, 0x37)), Color::Green);
        assert!(matches!(
            Theme::built_in("light", ColorSupport::Ansi256)
                .unwrap()
                .style(Role::StatusOk)
                .fg,
            Some(Color::Indexed(_))
        ));
        assert_eq!(
            ColorSupport::detect(Some("1"), Some("truecolor"), None),
            ColorSupport::None
        );
        assert_eq!(
            ColorSupport::detect(None, None, Some("xterm-256color")),
            ColorSupport::Ansi256
        );
    }
}

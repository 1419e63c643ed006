//! What reaches the app: keys, mouse, resizes, pastes, wall-clock ticks and files the loop read.
//! Plain data, no terminal types: `input.rs` converts crossterm's events into these, and tests and
//! tapes write them in the key notation `parse_keys` reads.

use std::fmt;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mods {
    pub ctrl: bool,
    pub alt: bool,
}

/// A key press. Shift is folded into the character (`G`, `?`), as terminals report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub mods: Mods,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: Mods {
                ctrl: false,
                alt: false,
            },
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: Mods {
                ctrl: true,
                alt: false,
            },
        }
    }

    /// A character to insert at a prompt, if this key types one.
    pub fn typed_char(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.mods.ctrl && !self.mods.alt => Some(c),
            _ => None,
        }
    }

    /// Parses a key name: `q`, `G`, `?`, `ctrl-d`, `alt-x`, `enter`, `esc`, `shift-tab`, `space`,
    /// `pgdown`, `f5`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = Mods::default();
        let mut rest = text;
        let mut shift = false;
        // A lone "-" is the minus key, not a modifier separator.
        while let Some((prefix, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
            match prefix.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => mods.ctrl = true,
                "alt" | "a" | "m" | "meta" => mods.alt = true,
                "shift" | "s" => shift = true,
                _ => break,
            }
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if shift { c.to_ascii_uppercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "ret" | "return" | "cr" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if shift => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdown" | "pgdn" | "pagedown" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                "lt" => KeyCode::Char('<'),
                "gt" => KeyCode::Char('>'),
                "minus" => KeyCode::Char('-'),
                f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key {text:?}")),
                },
                _ => return Err(format!("unknown key {text:?}")),
            },
        };
        if let KeyCode::Char(c) = code
            && mods.ctrl
        {
            return Ok(Key {
                code: KeyCode::Char(c.to_ascii_lowercase()),
                mods,
            });
        }
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.mods.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdown"),
            KeyCode::F(n) => write!(f, "f{n}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MouseKind {
    /// The left button went down.
    Click,
    ScrollUp,
    ScrollDown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub column: u16,
    pub row: u16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Key(Key),
    Mouse(Mouse),
    Resize(u16, u16),
    Paste(String),
    /// Wall-clock time since the last tick; the app turns it into simulated time (× speed).
    Tick(Duration),
    /// The files a command named (`:apply -f FILE`), read by the loop for the app.
    FilesRead {
        line: String,
        files: Vec<(String, Result<String, String>)>,
    },
    /// How an effect the loop carried out went (`Save`): a message for the footer.
    EffectDone(Result<String, String>),
}

/// Parses the key notation of tests and tapes: every character is one key press, and `<name>`
/// is a named key (`<enter>`, `<esc>`, `<tab>`, `<space>`, `<c-d>`, `<ctrl-d>`, `<pgdown>`,
/// `<lt>` for a literal `<`). So `":ns test<enter>"` types a command and runs it.
pub fn parse_keys(tape: &str) -> Result<Vec<Key>, String> {
    let mut keys = Vec::new();
    let mut chars = tape.chars();
    while let Some(c) = chars.next() {
        if c != '<' {
            keys.push(Key::char(c));
            continue;
        }
        let mut name = String::new();
        loop {
            match chars.next() {
                Some('>') => break,
                Some(x) => name.push(x),
                None => return Err(format!("unterminated <{name} in key tape")),
            }
        }
        keys.push(Key::parse(&name)?);
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_parse_and_print() {
        assert_eq!(Key::parse("ctrl-d").unwrap(), Key::ctrl('d'));
        assert_eq!(Key::parse("C-D").unwrap(), Key::ctrl('d'));
        assert_eq!(Key::parse("G").unwrap(), Key::char('G'));
        assert_eq!(Key::parse("-").unwrap(), Key::char('-'));
        assert_eq!(Key::parse("shift-tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(Key::parse("space").unwrap(), Key::char(' '));
        assert_eq!(Key::parse("pgdown").unwrap().code, KeyCode::PageDown);
        assert!(Key::parse("hyper").is_err());
        assert_eq!(Key::ctrl('d').to_string(), "ctrl-d");
    }

    #[test]
    fn tapes_are_characters_and_named_keys() {
        let keys = parse_keys(":q<enter><c-c><lt>").unwrap();
        assert_eq!(
            keys,
            vec![
                Key::char(':'),
                Key::char('q'),
                Key::plain(KeyCode::Enter),
                Key::ctrl('c'),
                Key::char('<')
            ]
        );
        assert!(parse_keys("<enter").is_err());
    }
}

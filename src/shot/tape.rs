//! Tapes: small scripts for `kidex record`. One command per line, `#` starts a comment.
//!
//! ```text
//! Set Size 120x40          # screen size, before the first action
//! Set Theme light          # default, light, high-contrast
//! Set State demo-state/openshift.yaml
//! Set Speed 60             # simulated seconds per real second: 1, 10, 60, 600, 3600
//! Set TypingDelay 80ms     # real time between typed characters
//! Set FrameRate 10         # cast frames per real second while time passes
//! At 2026-11-23T11:00:00Z  # jump the simulated clock (or At +2h)
//! Type ":ns test"          # literal characters
//! Key enter                # one named key, optionally repeated: Key down 3
//! Keys "jj<enter>"         # key notation: characters and <named> keys
//! Sleep 2s                 # real time passes; the simulated clock runs at the speed
//! Advance 15m              # simulated time jumps; no real time passes
//! Screenshot overview      # saves overview.<format> for each chosen format
//! ```

use std::time::Duration;

use crate::sim::clock::{SimDuration, SimTime, parse_go_duration, parse_rfc3339};

/// Where `At` moves the simulated clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    Instant(SimTime),
    After(SimDuration),
}

impl At {
    /// `2026-11-23T11:00:00Z`, or a duration after the state's now: `+2h`, `90m`.
    pub fn parse(text: &str) -> Result<At, String> {
        if text.contains('T') || text.contains(':') {
            return parse_rfc3339(text).map(At::Instant);
        }
        let d = parse_go_duration(text)?;
        if d < SimDuration::zero() {
            return Err(format!(
                "cannot move the clock back ({text}): the simulator only moves forward"
            ));
        }
        Ok(At::After(d))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    Size(u16, u16),
    Theme(String),
    State(String),
    Speed(u32),
    TypingDelay(Duration),
    FrameRate(u32),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Set(Setting),
    At(At),
    Type(String),
    Key { name: String, times: u32 },
    Keys(String),
    Sleep(Duration),
    Advance(SimDuration),
    Screenshot(String),
}

/// A parsed tape: each step with its 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tape {
    pub steps: Vec<(usize, Step)>,
}

pub use crate::tui::clock::SPEEDS;

/// `120x40`, each side 10..=1000.
pub fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let bad = || format!("invalid size {text:?} (want COLSxROWS, e.g. 120x40)");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u16 = w.trim().parse().map_err(|_| bad())?;
    let h: u16 = h.trim().parse().map_err(|_| bad())?;
    for (v, what) in [(w, "columns"), (h, "rows")] {
        if !(10..=1000).contains(&v) {
            return Err(format!("{what} must be between 10 and 1000, not {v}"));
        }
    }
    Ok((w, h))
}

/// A real (wall) duration: Go syntax, not negative, at most an hour.
pub fn parse_real_duration(text: &str) -> Result<Duration, String> {
    let d = parse_go_duration(text)?;
    if d < SimDuration::zero() || d > SimDuration::hours(1) {
        return Err(format!("duration {text} is out of range (0 to 1h)"));
    }
    d.to_std().map_err(|e| e.to_string())
}

/// Splits a line into words; `"..."` holds spaces (with `\"` and `\\`), `'...'` is raw.
fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' {
            break;
        }
        let mut word = String::new();
        if c == '"' || c == '\'' {
            chars.next();
            let mut closed = false;
            while let Some(x) = chars.next() {
                if x == c {
                    closed = true;
                    break;
                }
                if x == '\\' && c == '"' {
                    match chars.next() {
                        Some('n') => word.push('\n'),
                        Some('t') => word.push('\t'),
                        Some(e) => word.push(e),
                        None => break,
                    }
                } else {
                    word.push(x);
                }
            }
            if !closed {
                return Err(format!("unterminated string (missing {c})"));
            }
        } else {
            while let Some(&x) = chars.peek() {
                if x.is_whitespace() {
                    break;
                }
                word.push(x);
                chars.next();
            }
        }
        out.push(word);
    }
    Ok(out)
}

fn one<'a>(cmd: &str, args: &'a [String]) -> Result<&'a str, String> {
    match args {
        [a] => Ok(a),
        [] => Err(format!("{cmd} needs an argument")),
        _ => Err(format!("{cmd} takes one argument, not {}", args.len())),
    }
}

/// Checks a key name (`enter`, `ctrl-c`, `j`); given by the caller, which knows the UI's keys.
pub type KeyCheck<'a> = &'a dyn Fn(&str) -> Result<(), String>;

fn step(words: &[String], key_ok: KeyCheck, keys_ok: KeyCheck) -> Result<Step, String> {
    let (cmd, args) = words.split_first().ok_or("empty line")?;
    Ok(match cmd.as_str() {
        "Set" => {
            let (name, rest) = args
                .split_first()
                .ok_or("Set needs a setting: Size, Theme, State, Speed, TypingDelay, FrameRate")?;
            let value = one(&format!("Set {name}"), rest)?;
            Step::Set(match name.as_str() {
                "Size" => {
                    let (w, h) = parse_size(value)?;
                    Setting::Size(w, h)
                }
                "Theme" => Setting::Theme(value.to_string()),
                "State" => Setting::State(value.to_string()),
                "Speed" => {
                    let v: u32 = value
                        .trim_end_matches('x')
                        .parse()
                        .map_err(|_| format!("invalid speed {value:?}"))?;
                    if !SPEEDS.contains(&v) {
                        return Err(format!(
                            "speed {v} is not one of the UI's speeds {SPEEDS:?}"
                        ));
                    }
                    Setting::Speed(v)
                }
                "TypingDelay" => Setting::TypingDelay(parse_real_duration(value)?),
                "FrameRate" => {
                    let v: u32 = value
                        .parse()
                        .map_err(|_| format!("invalid frame rate {value:?}"))?;
                    if !(1..=60).contains(&v) {
                        return Err(format!("frame rate must be 1 to 60, not {v}"));
                    }
                    Setting::FrameRate(v)
                }
                other => {
                    return Err(format!(
                        "unknown setting {other:?} (want Size, Theme, State, Speed, TypingDelay or FrameRate)"
                    ));
                }
            })
        }
        "At" => Step::At(At::parse(one("At", args)?.trim_start_matches('+'))?),
        "Type" => Step::Type(one("Type", args)?.to_string()),
        "Key" => {
            let (name, rest) = args.split_first().ok_or("Key needs a key name")?;
            key_ok(name)?;
            let times = match rest {
                [] => 1,
                [n] => n
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| format!("invalid repeat count {n:?} (1 to 1000)"))?,
                _ => return Err("Key takes a key name and an optional count".into()),
            };
            Step::Key {
                name: name.clone(),
                times,
            }
        }
        "Keys" => {
            let k = one("Keys", args)?;
            keys_ok(k)?;
            Step::Keys(k.to_string())
        }
        "Sleep" => Step::Sleep(parse_real_duration(one("Sleep", args)?)?),
        "Advance" => {
            let text = one("Advance", args)?;
            let d = parse_go_duration(text)?;
            if d <= SimDuration::zero() || d > SimDuration::days(3650) {
                return Err(format!(
                    "Advance {text} is out of range (above 0, up to 10 years)"
                ));
            }
            Step::Advance(d)
        }
        "Screenshot" => {
            let name = one("Screenshot", args)?;
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                || name.starts_with('.')
            {
                return Err(format!(
                    "invalid screenshot name {name:?} (letters, digits, '-', '_', '.')"
                ));
            }
            Step::Screenshot(name.to_string())
        }
        other => {
            return Err(format!(
                "unknown command {other:?} (want Set, At, Type, Key, Keys, Sleep, Advance or Screenshot)"
            ));
        }
    })
}

impl Tape {
    /// Parses a tape; an error names `file:line`.
    pub fn parse(
        file: &str,
        text: &str,
        key_ok: KeyCheck,
        keys_ok: KeyCheck,
    ) -> Result<Tape, String> {
        let mut steps = Vec::new();
        let mut acted = false;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let w = words(line).map_err(|e| format!("{file}:{n}: {e}"))?;
            if w.is_empty() {
                continue;
            }
            let s = step(&w, key_ok, keys_ok).map_err(|e| format!("{file}:{n}: {e}"))?;
            match &s {
                Step::Set(Setting::Size(..) | Setting::State(_)) | Step::At(_) if acted => {
                    return Err(format!(
                        "{file}:{n}: {} must come before the first key, sleep or screenshot",
                        w[..w.len().min(2)].join(" ")
                    ));
                }
                Step::Set(_) | Step::At(_) => {}
                _ => acted = true,
            }
            steps.push((n, s));
        }
        Ok(Tape { steps })
    }

    /// The theme the UI starts in: the last `Set Theme` before the first action, if any.
    pub fn starting_theme(&self) -> Option<&str> {
        let mut theme = None;
        for (_, s) in &self.steps {
            match s {
                Step::Set(Setting::Theme(t)) => theme = Some(t.as_str()),
                Step::Set(_) | Step::At(_) => {}
                _ => break,
            }
        }
        theme
    }

    /// Real seconds the tape takes (typing, sleeps), for progress and checks.
    pub fn duration(&self) -> Duration {
        let mut typing = Duration::from_millis(50);
        let mut total = Duration::ZERO;
        for (_, s) in &self.steps {
            match s {
                Step::Set(Setting::TypingDelay(d)) => typing = *d,
                Step::Type(t) => total += typing * t.chars().count() as u32,
                Step::Key { times, .. } => total += typing * *times,
                Step::Keys(k) => {
                    total += typing * k.chars().filter(|c| *c == '>').count().max(1) as u32
                }
                Step::Sleep(d) => total += *d,
                _ => {}
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: &str) -> Result<(), String> {
        Ok(())
    }

    fn parse(text: &str) -> Result<Tape, String> {
        Tape::parse("t.tape", text, &any, &any)
    }

    #[test]
    fn commands_parse() {
        let t = parse(
            "# demo\nSet Size 100x30\nSet Speed 60x\nAt +2h\nType \"a \\\"b\\\"\" # typed\nKey down 3\nKeys '<enter>'\nSleep 1.5s\nAdvance 15m\nScreenshot one\n",
        )
        .unwrap();
        let steps: Vec<Step> = t.steps.into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            steps,
            vec![
                Step::Set(Setting::Size(100, 30)),
                Step::Set(Setting::Speed(60)),
                Step::At(At::After(SimDuration::hours(2))),
                Step::Type("a \"b\"".into()),
                Step::Key {
                    name: "down".into(),
                    times: 3
                },
                Step::Keys("<enter>".into()),
                Step::Sleep(Duration::from_millis(1500)),
                Step::Advance(SimDuration::minutes(15)),
                Step::Screenshot("one".into()),
            ]
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        for (text, err) in [
            (
                "Set Size 10x5",
                "t.tape:1: rows must be between 10 and 1000, not 5",
            ),
            (
                "\nFrobnicate",
                "t.tape:2: unknown command \"Frobnicate\" (want Set, At, Type, Key, Keys, Sleep, Advance or Screenshot)",
            ),
            ("Sleep 2 s", "t.tape:1: Sleep takes one argument, not 2"),
            (
                "Sleep 2x",
                "t.tape:1: time: unknown unit \"x\" in duration \"2x\"",
            ),
            (
                "Sleep 2h",
                "t.tape:1: duration 2h is out of range (0 to 1h)",
            ),
            ("Type \"abc", "t.tape:1: unterminated string (missing \")"),
            (
                "Key q\nSet Size 80x24",
                "t.tape:2: Set Size must come before the first key, sleep or screenshot",
            ),
            (
                "Set Speed 7",
                "t.tape:1: speed 7 is not one of the UI's speeds [1, 10, 60, 600, 3600]",
            ),
            (
                "Screenshot ../x",
                "t.tape:1: invalid screenshot name \"../x\" (letters, digits, '-', '_', '.')",
            ),
            (
                "At -1h",
                "t.tape:1: cannot move the clock back (-1h): the simulator only moves forward",
            ),
        ] {
            assert_eq!(parse(text).unwrap_err(), err, "{text}");
        }
        let bad_key = |k: &str| Err(format!("unknown key {k:?}"));
        assert_eq!(
            Tape::parse("t.tape", "Key hyper", &bad_key, &any).unwrap_err(),
            "t.tape:1: unknown key \"hyper\""
        );
    }
}

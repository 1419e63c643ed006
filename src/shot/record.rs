//! `kidex record`: plays a tape against the headless UI and keeps the screens it shows, with
//! the tape's own timing (typing delays, sleeps), never the machine's.

use std::time::Duration;

use crate::sim::Simulator;
use crate::tui::event::Key;
use crate::tui::theme::Theme;

use super::drive::{Headless, load_theme, move_clock};
use super::screen::Screen;
use super::tape::{Setting, Step, Tape};

/// Loads a state file a tape names (`Set State FILE`).
pub type LoadState = Box<dyn Fn(&str) -> Result<Simulator, String>>;

/// How a tape starts before its `Set` lines: the state, size and theme of the command line.
pub struct Start {
    pub sim: Simulator,
    pub size: (u16, u16),
    pub theme: String,
    /// Loads a state file named by `Set State`.
    pub load_state: LoadState,
}

/// Receives each new screen and the tape time it appeared at, as the tape plays: a long tape
/// is written as it goes, never held whole in memory.
pub type FrameSink<'a> = &'a mut dyn FnMut(Duration, &Screen) -> Result<(), String>;

/// What a played tape leaves besides its frames.
pub struct Recording {
    pub width: u16,
    pub height: u16,
    pub theme: Theme,
    /// How many distinct screens were sent to the sink (consecutive duplicates are not).
    pub frames: usize,
    /// `Screenshot NAME` steps: the name and the screen then.
    pub shots: Vec<(String, Screen)>,
    /// When the tape ends.
    pub end: Duration,
    last: Option<Screen>,
}

impl Recording {
    fn push(&mut self, at: Duration, screen: Screen, sink: &mut FrameSink) -> Result<(), String> {
        if self.last.as_ref() == Some(&screen) {
            return Ok(());
        }
        sink(at, &screen)?;
        self.frames += 1;
        self.last = Some(screen);
        Ok(())
    }
}

pub fn play(
    file: &str,
    tape: &Tape,
    start: Start,
    mut sink: FrameSink,
) -> Result<Recording, String> {
    let mut sim = Some(start.sim);
    let mut size = start.size;
    let mut theme_name = start.theme;
    let mut speed: Option<u32> = None;
    let mut typing = Duration::from_millis(50);
    let mut frame_step = Duration::from_millis(100);
    let mut ui: Option<Headless> = None;
    let mut rec: Option<Recording> = None;
    let mut t = Duration::ZERO;

    for (line, step) in &tape.steps {
        let at = |e: String| format!("{file}:{line}: {e}");
        match step {
            Step::Set(Setting::Size(w, h)) => size = (*w, *h),
            Step::Set(Setting::State(path)) => sim = Some((start.load_state)(path).map_err(at)?),
            Step::Set(Setting::Theme(name)) => {
                theme_name = name.clone();
                if let Some(ui) = ui.as_mut() {
                    ui.app.theme = load_theme(name).map_err(at)?;
                }
            }
            Step::Set(Setting::Speed(s)) => {
                speed = Some(*s);
                if let Some(ui) = ui.as_mut() {
                    set_speed(ui, *s);
                }
            }
            Step::Set(Setting::TypingDelay(d)) => typing = *d,
            Step::Set(Setting::FrameRate(n)) => frame_step = Duration::from_secs(1) / *n,
            Step::At(a) => {
                let s = sim.as_mut().ok_or_else(|| at("no state".into()))?;
                move_clock(s, a).map_err(at)?;
            }
            _ => {
                if ui.is_none() {
                    let theme = load_theme(&theme_name).map_err(at)?;
                    let s = sim.take().ok_or_else(|| at("no state".into()))?;
                    let mut h = Headless::new(s, size, theme.clone());
                    if let Some(s) = speed {
                        set_speed(&mut h, s);
                    }
                    let mut r = Recording {
                        width: size.0,
                        height: size.1,
                        theme,
                        frames: 0,
                        shots: Vec::new(),
                        end: Duration::ZERO,
                        last: None,
                    };
                    r.push(t, h.screen(), &mut sink).map_err(at)?;
                    ui = Some(h);
                    rec = Some(r);
                }
                let (Some(ui), Some(rec)) = (ui.as_mut(), rec.as_mut()) else {
                    return Err(at("the UI did not start".into()));
                };
                match step {
                    Step::Type(text) => {
                        for c in text.chars() {
                            ui.key(Key::char(c)).map_err(at)?;
                            t += typing;
                            rec.push(t, ui.screen(), &mut sink).map_err(at)?;
                        }
                    }
                    Step::Key { name, times } => {
                        let key = Key::parse(name).map_err(at)?;
                        for _ in 0..*times {
                            ui.key(key).map_err(at)?;
                            t += typing;
                            rec.push(t, ui.screen(), &mut sink).map_err(at)?;
                        }
                    }
                    Step::Keys(keys) => {
                        for key in crate::tui::event::parse_keys(keys).map_err(at)? {
                            ui.key(key).map_err(at)?;
                            t += typing;
                            rec.push(t, ui.screen(), &mut sink).map_err(at)?;
                        }
                    }
                    Step::Sleep(d) => {
                        let end = t + *d;
                        while t < end {
                            let dt = frame_step.min(end - t);
                            ui.tick(dt);
                            t += dt;
                            rec.push(t, ui.screen(), &mut sink).map_err(at)?;
                        }
                    }
                    Step::Advance(d) => {
                        if ui.quit {
                            return Err(at("the UI has quit".into()));
                        }
                        let target = ui.app.sim.now() + *d;
                        ui.app.advance_to(target);
                        ui.app.sync();
                        rec.push(t, ui.screen(), &mut sink).map_err(at)?;
                    }
                    Step::Screenshot(name) => {
                        if rec.shots.iter().any(|(n, _)| n == name) {
                            return Err(at(format!("screenshot {name:?} is taken twice")));
                        }
                        rec.shots.push((name.clone(), ui.screen()));
                    }
                    Step::Set(_) | Step::At(_) => {}
                }
            }
        }
    }
    let mut rec =
        rec.ok_or_else(|| format!("{file}: the tape has no keys, sleeps or screenshots"))?;
    rec.end = t;
    Ok(rec)
}

fn set_speed(ui: &mut Headless, speed: u32) {
    if let Some(i) = crate::tui::clock::SPEEDS.iter().position(|s| *s == speed) {
        ui.app.clock.speed_index = i;
    }
}

//! The real UI without a terminal: the TUI's `App`, fed key presses and ticks of simulated
//! wall time, drawn into a `Buffer` by the TUI's own render code. No user configuration is
//! read (keymap and theme are the built-in ones, or the theme named), so a picture depends
//! only on the state, the options and the keys.

use std::path::Path;
use std::time::Duration;

use crate::sim::Simulator;
use crate::sim::clock::SimTime;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::event::{Event, Key, parse_keys};
use crate::tui::theme::{ColorSupport, Theme};

use super::palette::Palette;
use super::screen::Screen;
use super::tape::At;

/// A built-in theme name, or a path to a theme file (`*.toml`).
pub fn load_theme(name: &str) -> Result<Theme, String> {
    if name.ends_with(".toml") || name.contains('/') {
        let text =
            std::fs::read_to_string(name).map_err(|e| format!("cannot read theme {name}: {e}"))?;
        Theme::parse(&text, ColorSupport::TrueColor).map_err(|e| format!("{name}: {e}"))
    } else {
        Theme::built_in(name, ColorSupport::TrueColor)
    }
}

/// The palette for `--palette` (`dark`, `light`), or the one that suits the theme.
pub fn palette(choice: Option<&str>, theme: &Theme) -> Result<&'static Palette, String> {
    match choice {
        None | Some("auto") => Ok(Palette::for_theme(&theme.name)),
        Some("dark") => Ok(&super::palette::DARK),
        Some("light") => Ok(&super::palette::LIGHT),
        Some(other) => Err(format!("no palette {other:?} (want auto, dark or light)")),
    }
}

/// Moves the simulator's clock as `--at` or a tape's `At` says; never backwards.
pub fn move_clock(sim: &mut Simulator, at: &At) -> Result<(), String> {
    let target: SimTime = match at {
        At::Instant(t) => *t,
        At::After(d) => sim.now() + *d,
    };
    if target < sim.now() {
        return Err(format!(
            "cannot go back to {} from {}: the simulator only moves forward",
            crate::sim::clock::format_rfc3339(target),
            crate::sim::clock::format_rfc3339(sim.now())
        ));
    }
    sim.advance_to(target);
    Ok(())
}

/// The headless app and whether it has quit.
pub struct Headless {
    pub app: App,
    pub quit: bool,
}

impl Headless {
    pub fn new(sim: Simulator, size: (u16, u16), theme: Theme) -> Headless {
        Headless {
            app: App::new(sim).with_theme(theme).with_size(size.0, size.1),
            quit: false,
        }
    }

    /// Presses the keys of a key tape (`":ns test<enter>jj"`).
    pub fn keys(&mut self, tape: &str) -> Result<(), String> {
        for key in parse_keys(tape)? {
            self.key(key)?;
        }
        Ok(())
    }

    pub fn key(&mut self, key: Key) -> Result<(), String> {
        if self.quit {
            return Err(format!("the UI has quit; cannot press {key}"));
        }
        let effects = self.app.handle(Event::Key(key));
        self.carry_out(effects);
        Ok(())
    }

    /// Lets `wall` of real time pass, as the event loop's ticks would.
    pub fn tick(&mut self, wall: Duration) {
        if !self.quit {
            let effects = self.app.handle(Event::Tick(wall));
            self.carry_out(effects);
        }
    }

    /// Effects the loop would carry out: files are read (as `:apply -f` asks), but nothing is
    /// written, so a picture never changes a file.
    fn carry_out(&mut self, effects: Vec<Effect>) {
        let mut queue = effects;
        while !queue.is_empty() {
            let mut next = Vec::new();
            for e in queue {
                match e {
                    Effect::Quit => self.quit = true,
                    Effect::ReadFiles { line, paths } => {
                        let files = paths
                            .into_iter()
                            .map(|p| {
                                let read = std::fs::read_to_string(Path::new(&p))
                                    .map_err(|e| format!("{p}: {e}"));
                                (p, read)
                            })
                            .collect();
                        next.extend(self.app.handle(Event::FilesRead { line, files }));
                    }
                    Effect::Save(path) => {
                        next.extend(self.app.handle(Event::EffectDone(Err(format!(
                            "not saved to {}: screenshots and recordings write no state",
                            path.display()
                        )))))
                    }
                    Effect::Redraw | Effect::Log(_) => {}
                }
            }
            queue = next;
        }
    }

    pub fn screen(&self) -> Screen {
        Screen::from_buffer(&crate::tui::screen::render(&self.app))
    }
}

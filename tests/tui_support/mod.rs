//! Helpers for the TUI tests: the demo app at a fixed size and instant, keys in the tape
//! notation, ticks of wall time, and the screen as text. No terminal, no runtime, no sleeping.
#![allow(dead_code)]

use std::time::Duration;

use kidex::sim::Simulator;
use kidex::tui::app::App;
use kidex::tui::effect::Effect;
use kidex::tui::event::{Event, parse_keys};
use kidex::tui::screen::{render, to_text};

/// The sizes every screen is checked at.
pub const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

pub fn demo_sim() -> Simulator {
    kidex::state::demo::open_default(None).expect("demo state loads")
}

/// The demo cluster at its built-in instant (2026-11-23T10:00:00Z), default keys and theme.
pub fn demo_app(width: u16, height: u16) -> App {
    App::new(demo_sim()).with_size(width, height)
}

/// Presses the keys of a tape (`":ns test<enter>jj<c-d>y"`); returns every effect.
pub fn keys(app: &mut App, tape: &str) -> Vec<Effect> {
    parse_keys(tape)
        .expect("valid key tape")
        .into_iter()
        .flat_map(|k| app.handle(Event::Key(k)))
        .collect()
}

/// Lets `seconds` of wall time pass, a second at a time, as the loop would.
pub fn wall(app: &mut App, seconds: u64) -> Vec<Effect> {
    (0..seconds)
        .flat_map(|_| app.handle(Event::Tick(Duration::from_secs(1))))
        .collect()
}

pub fn screen(app: &App) -> String {
    to_text(&render(app))
}

/// The footer's message line.
pub fn message(app: &App) -> String {
    app.ui
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

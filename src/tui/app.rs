//! The application: the simulator plus the UI state, and `handle(Event) -> Vec<Effect>`, the one
//! place UI logic lives. Synchronous and free of I/O, so every behaviour is testable without a
//! terminal or a runtime; `tui::run` only carries out the effects.

use std::path::PathBuf;
use std::time::Duration;

use super::action::Action;
use super::clock::TimeControl;
use super::effect::Effect;
use super::event::{Event, Key, Mouse};
use super::index::{self, Query, RowIndex, RowKey};
use super::keymap::{Context, Keymap};
use super::theme::{ColorSupport, Theme};
use super::ui_state::{FLASH, Flash, ListRoute, Listing, Overlay, Route, Target, UiState};
use super::view;
use crate::sim::Simulator;
use crate::sim::clock::{SimDuration, format_go_duration};
use crate::sim::events::{SimEvent, reason};
use crate::sim::objects::Kind;

/// Settings from the command line that the app acts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppOptions {
    /// Write the state here on quit (`--save` with `--state`, or `--out`).
    pub save_on_quit: Option<PathBuf>,
    /// The `--state` file, the default target of `:w`.
    pub state_file: Option<PathBuf>,
    /// What the terminal can show, for switching themes with `:theme`.
    pub color_support: ColorSupport,
}

pub struct App {
    pub sim: Simulator,
    pub ui: UiState,
    pub keymap: Keymap,
    pub theme: Theme,
    pub clock: TimeControl,
    /// The rows of the table in view (ids only).
    pub index: RowIndex,
    /// Counts cluster changes; the index is rebuilt when it moves.
    pub generation: u64,
    pub options: AppOptions,
}

/// How many refreshed tokens one tick lights up at most.
const MAX_FLASHES: usize = 64;

impl App {
    /// The app on a cluster, opening on the service accounts of every namespace.
    pub fn new(sim: Simulator) -> App {
        let mut app = App {
            sim,
            ui: UiState::new(Route::List(ListRoute {
                listing: Listing::Objects(Kind::ServiceAccount),
                owner: None,
            })),
            keymap: Keymap::default_keymap(),
            theme: Theme::default(),
            clock: TimeControl::default(),
            index: RowIndex::default(),
            generation: 0,
            options: AppOptions::default(),
        };
        app.ui.info(
            "Welcome: enter opens, x decodes a token, space pauses the clock, ? shows every key",
        );
        app.sync();
        app
    }

    pub fn with_size(mut self, width: u16, height: u16) -> App {
        self.ui.size = (width, height);
        self.sync();
        self
    }

    pub fn with_keymap(mut self, keymap: Keymap) -> App {
        self.keymap = keymap;
        self
    }

    pub fn with_theme(mut self, theme: Theme) -> App {
        self.theme = theme;
        self
    }

    pub fn with_options(mut self, options: AppOptions) -> App {
        self.options = options;
        self
    }

    /// The one entry point: an event in, effects out.
    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        let message_before = self.ui.message.clone();
        let mut effects = match event {
            Event::Tick(wall) => return self.tick(wall),
            Event::Resize(w, h) => {
                self.ui.size = (w, h);
                Vec::new()
            }
            Event::Key(key) => self.key(key),
            Event::Mouse(m) => self.mouse(m),
            Event::Paste(text) => {
                if let Some(p) = self.ui.prompt.as_mut() {
                    p.insert(&text.replace(['\n', '\r'], " "));
                    self.prompt_edited();
                }
                Vec::new()
            }
            Event::FilesRead { line, files } => self.run_cli_with_files(&line, files),
            Event::EffectDone(Ok(text)) => {
                self.ui.info(text);
                Vec::new()
            }
            Event::EffectDone(Err(text)) => {
                self.ui.error(text);
                Vec::new()
            }
        };
        self.sync();
        // Errors shown in the footer also go to the log, if there is one.
        if let Some(m) = &self.ui.message
            && m.kind == super::ui_state::MessageKind::Error
            && self.ui.message != message_before
        {
            effects.push(Effect::Log(format!("error: {}", m.text)));
        }
        if !effects.contains(&Effect::Redraw) && !effects.contains(&Effect::Quit) {
            effects.push(Effect::Redraw);
        }
        effects
    }

    /// Wall time until the app next needs a tick: the clock's next visible second, or a flash
    /// ending. `None` when nothing will change until input arrives.
    pub fn next_wake(&self) -> Option<Duration> {
        let flash = self.ui.flashes.iter().map(|f| f.remaining).min();
        match (self.clock.next_wake(), flash) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn tick(&mut self, wall: Duration) -> Vec<Effect> {
        let before = self.ui.flashes.len();
        for f in &mut self.ui.flashes {
            f.remaining = f.remaining.saturating_sub(wall);
        }
        self.ui.flashes.retain(|f| !f.remaining.is_zero());
        let mut redraw = self.ui.flashes.len() != before;
        let seconds = self.clock.sim_seconds(wall);
        if seconds > 0 {
            let target = self.sim.now() + SimDuration::seconds(seconds);
            self.advance_to(target);
            redraw = true;
        }
        if redraw {
            self.sync();
            vec![Effect::Redraw]
        } else {
            Vec::new()
        }
    }

    /// Runs the clock to `target`, lighting up refreshed tokens and reporting the last event.
    pub fn advance_to(&mut self, target: crate::sim::clock::SimTime) -> usize {
        let mut count = 0;
        let mut last: Option<SimEvent> = None;
        let mut fresh: Vec<u64> = Vec::new();
        self.sim.advance_to_with(target, &mut |e| {
            count += 1;
            if (e.reason == reason::TOKEN_REFRESHED || e.reason == reason::TOKEN_ISSUED)
                && fresh.len() < MAX_FLASHES
                && let Some(id) = e.token
            {
                fresh.push(id);
            }
            last = Some(e.clone());
        });
        self.after_events(count, last.as_ref(), fresh);
        count
    }

    pub(crate) fn after_events(&mut self, count: usize, last: Option<&SimEvent>, fresh: Vec<u64>) {
        if count == 0 {
            return;
        }
        self.generation += 1;
        for token in fresh {
            self.ui.flashes.retain(|f| f.token != token);
            self.ui.flashes.push(Flash {
                token,
                remaining: FLASH,
            });
        }
        if let Some(e) = last {
            let more = if count > 1 {
                format!(" (+{} more)", count - 1)
            } else {
                String::new()
            };
            self.ui.event(format!(
                "{} {} {}: {}{more}",
                e.time.format("%H:%M:%S"),
                e.object.short(),
                e.reason,
                e.message
            ));
        }
    }

    /// `]`: straight to the next instant something is scheduled.
    pub fn next_event(&mut self) {
        let from = self.sim.now();
        let events = self.sim.advance_to_next_event();
        self.clock.reset_carry();
        if events.is_empty() {
            self.ui
                .info("Nothing is scheduled: no token will refresh or expire");
            return;
        }
        let fresh = events
            .iter()
            .filter(|e| e.reason == reason::TOKEN_REFRESHED || e.reason == reason::TOKEN_ISSUED)
            .filter_map(|e| e.token)
            .take(MAX_FLASHES)
            .collect();
        self.after_events(events.len(), events.last(), fresh);
        if let Some(m) = self.ui.message.as_mut() {
            m.text = format!(
                "+{} → {}",
                format_go_duration(self.sim.now() - from),
                m.text
            );
        }
    }

    fn key(&mut self, key: Key) -> Vec<Effect> {
        if let Some(Overlay::Confirm(_)) = self.ui.overlay {
            return match self.keymap.lookup(&[Context::Dialog], key).cloned() {
                Some(a) => self.dialog_action(a),
                None => Vec::new(),
            };
        }
        if self.ui.prompt.is_some() {
            return match self.keymap.lookup(&[Context::Prompt], key).cloned() {
                Some(a) => self.prompt_action(a),
                None => {
                    if let (Some(c), Some(p)) = (key.typed_char(), self.ui.prompt.as_mut()) {
                        p.insert(&c.to_string());
                        self.prompt_edited();
                    }
                    Vec::new()
                }
            };
        }
        if let Some(Overlay::Help { .. }) = self.ui.overlay {
            return match self
                .keymap
                .lookup(&[Context::Help, Context::Global], key)
                .cloned()
            {
                Some(a) => self.help_action(a),
                None => Vec::new(),
            };
        }
        let contexts: &[Context] = if self.is_list() {
            &[Context::List, Context::Global]
        } else {
            &[Context::Global]
        };
        match self.keymap.lookup(contexts, key).cloned() {
            Some(a) => self.update(a),
            None => {
                if self
                    .keymap
                    .lookup(&[Context::List], key)
                    .is_some_and(|a| *a != Action::Noop)
                {
                    self.ui
                        .info(format!("{key} works on tables; esc goes back to one"));
                }
                Vec::new()
            }
        }
    }

    fn help_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Help { scroll }) = self.ui.overlay.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Back | Action::Help => self.ui.overlay = None,
            Action::Down => *scroll += 1,
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll += 10,
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::Top => *scroll = 0,
            Action::Quit => return self.quit(),
            _ => {}
        }
        let max = view::help::max_scroll(self);
        if let Some(Overlay::Help { scroll }) = self.ui.overlay.as_mut() {
            *scroll = (*scroll).min(max);
        }
        Vec::new()
    }

    pub(crate) fn quit(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(path) = self.options.save_on_quit.clone() {
            effects.push(Effect::Save(path));
        }
        effects.push(Effect::Quit);
        effects
    }

    fn mouse(&mut self, m: Mouse) -> Vec<Effect> {
        super::mouse::handle(self, m)
    }

    // ---- reading the state ----

    pub fn is_list(&self) -> bool {
        self.ui.screen().route.list_route().is_some()
    }

    /// The query behind the table in view.
    pub fn query(&self) -> Option<Query> {
        let screen = self.ui.screen();
        let route = screen.route.list_route()?;
        Some(Query {
            route,
            namespace: self.ui.namespace.clone(),
            filter: screen.list.filter.clone(),
            sort: screen.list.sort,
            token_history: self.ui.token_history,
        })
    }

    /// The selected row of the table in view.
    pub fn selected(&self) -> Option<&RowKey> {
        if !self.is_list() {
            return None;
        }
        self.index.rows.get(self.ui.screen().list.cursor)
    }

    pub fn selected_target(&self) -> Option<Target> {
        self.selected().map(|k| k.target.clone())
    }

    /// Rows the table shows at once.
    pub fn viewport_rows(&self) -> usize {
        usize::from(view::layout::areas(self).content.height.saturating_sub(1)).max(1)
    }

    /// Brings the index and the cursor up to date with the cluster and the screen.
    pub fn sync(&mut self) {
        let Some(query) = self.query() else {
            self.index = RowIndex::default();
            self.clamp_text_scroll();
            return;
        };
        if self.index.query.as_ref() != Some(&query) || self.index.generation != self.generation {
            // On the event log, a cursor on the newest event follows new ones (`tail -f`).
            let list = &self.ui.screen().list;
            let at_end = self.index.query.as_ref() == Some(&query)
                && query.route.listing == Listing::Events
                && query.sort.is_none()
                && list.cursor + 1 >= self.index.rows.len();
            self.index = index::build(&self.sim, &query, self.generation);
            if at_end {
                let last = self.index.rows.len().saturating_sub(1);
                let list = &mut self.ui.screen_mut().list;
                list.cursor = last;
                list.selected = None;
            }
        }
        let height = self.viewport_rows();
        let len = self.index.rows.len();
        let list = &self.ui.screen().list;
        // The cursor's row is usually still the selected one: skip the search then.
        let position = match list.selected.as_deref() {
            Some(id) if self.index.rows.get(list.cursor).is_some_and(|k| k.id == id) => {
                Some(list.cursor)
            }
            Some(id) => self.index.position(id),
            None => None,
        };
        let list = &mut self.ui.screen_mut().list;
        if let Some(p) = position {
            list.cursor = p;
        }
        list.follow(len, height);
        list.selected = self.index.rows.get(list.cursor).map(|k| k.id.clone());
    }

    /// Keeps a text screen's scroll position inside its text.
    pub fn clamp_text_scroll(&mut self) {
        if !self.ui.screen().route.is_text() {
            return;
        }
        let (max_y, max_x) = view::text::max_scroll(self);
        let s = &mut self.ui.screen_mut().scroll;
        s.0 = s.0.min(max_y);
        s.1 = s.1.min(max_x);
    }

    /// Moves the cursor to a row by id (after creating something, say).
    pub fn select_id(&mut self, id: &str) {
        self.ui.screen_mut().list.selected = Some(id.to_string());
        self.sync();
    }
}

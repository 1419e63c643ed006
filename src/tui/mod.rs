//! The interactive terminal UI: a k9s-style explorer over the live simulator.
//!
//! The shape (../shared/STYLE.md): `App::handle(Event) -> Vec<Effect>` holds all UI logic and is
//! synchronous; views take `&App`; keys become actions through `assets/keymap.toml`; the `:`
//! prompt goes through the CLI's grammar. This file owns the one async loop: it selects over the
//! input stream and a timer set to the next moment the screen changes, turns wall time into
//! ticks, carries out effects, and draws only when something changed. Only this file,
//! `terminal.rs` and `input.rs` name crossterm or tokio.

pub mod action;
pub mod app;
pub mod cells;
pub mod clock;
pub mod commands;
pub mod effect;
pub mod event;
pub mod filter;
pub mod index;
pub mod input;
pub mod keymap;
pub mod mouse;
pub mod prompt;
pub mod rbac;
pub mod screen;
pub mod terminal;
pub mod theme;
pub mod ui_state;
pub mod update;
pub mod view;
pub mod widgets;

use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};

use std::task::Poll;

use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;

use self::app::{App, AppOptions};
use self::effect::Effect;
use self::event::Event;
use self::keymap::Keymap;
use self::theme::{ColorSupport, Theme};
use crate::sim::Simulator;

/// What the binary passes in.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--log FILE` or `KIDEX_LOG`.
    pub log: Option<PathBuf>,
    pub app: AppOptions,
}

/// A log file, if one was asked for. Nothing is ever logged to the screen.
pub struct Log {
    file: Option<std::fs::File>,
}

impl Log {
    pub fn open(path: Option<&Path>) -> Result<Log, String> {
        let file = match path {
            Some(p) => Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .map_err(|e| format!("error: cannot open log file {}: {e}", p.display()))?,
            ),
            None => None,
        };
        Ok(Log { file })
    }

    pub fn none() -> Log {
        Log { file: None }
    }

    pub fn line(&mut self, sim_now: &str, text: &str) {
        if let Some(f) = self.file.as_mut() {
            let _ = writeln!(f, "{sim_now} {text}");
        }
    }
}

/// `$XDG_CONFIG_HOME/kidex`, or `~/.config/kidex`.
pub fn config_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map(|d| d.join("kidex"))
}

/// The keymap and theme: built-ins, the user's files, `KIDEX_THEME`. Problems are reported, not
/// fatal: kidex starts with the defaults and says what it skipped.
fn load_config(support: ColorSupport) -> (Keymap, Theme, Vec<String>) {
    let mut problems = Vec::new();
    let dir = config_dir();
    let mut keymap = Keymap::default_keymap();
    if let Some(path) = dir.as_ref().map(|d| d.join("keymap.toml"))
        && let Ok(text) = std::fs::read_to_string(&path)
    {
        match keymap
            .clone()
            .with_overrides(&text, &path.display().to_string())
        {
            Ok(k) => keymap = k,
            Err(e) => problems.push(format!("keymap ignored: {e}")),
        }
    }
    let choice = std::env::var("KIDEX_THEME").ok().filter(|v| !v.is_empty());
    let user_theme = dir.map(|d| d.join("theme.toml")).filter(|p| p.exists());
    let theme = match (choice, user_theme) {
        (Some(name), _) if !name.contains('/') && !name.ends_with(".toml") => {
            Theme::built_in(&name, support)
        }
        (Some(path), _) => std::fs::read_to_string(&path)
            .map_err(|e| format!("{path}: {e}"))
            .and_then(|t| Theme::parse(&t, support).map_err(|e| format!("{path}: {e}"))),
        (None, Some(path)) => std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| Theme::parse(&t, support))
            .map_err(|e| format!("{}: {e}", path.display())),
        (None, None) => Theme::built_in("default", support),
    };
    let theme = theme.unwrap_or_else(|e| {
        problems.push(format!("theme ignored: {e}"));
        Theme::built_in("default", support).unwrap_or_default()
    });
    (keymap, theme, problems)
}

/// Opens the TUI on a simulator and runs it until the user quits.
pub fn run(sim: Simulator, options: Options) -> Result<(), String> {
    let mut log = Log::open(options.log.as_deref())?;
    let support = ColorSupport::detect(
        std::env::var("NO_COLOR").ok().as_deref(),
        std::env::var("COLORTERM").ok().as_deref(),
        std::env::var("TERM").ok().as_deref(),
    );
    let (keymap, theme, problems) = load_config(support);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| format!("error: cannot start the event loop: {e}"))?;
    terminal::install_stdout_panic_hook();
    let mut guard =
        terminal::enter().map_err(|e| format!("error: cannot open the terminal: {e}"))?;
    let size = guard
        .terminal
        .size()
        .map_err(|e| format!("error: cannot read the terminal size: {e}"))?;
    let mut app_options = options.app;
    app_options.color_support = support;
    let mut app = App::new(sim)
        .with_keymap(keymap)
        .with_theme(theme)
        .with_options(app_options)
        .with_size(size.width, size.height);
    for p in &problems {
        log.line("-", p);
    }
    if let Some(p) = problems.first() {
        app.ui.error(p.clone());
    }
    log.line(
        &crate::sim::clock::format_rfc3339(app.sim.now()),
        "kidex TUI started",
    );
    let result = runtime.block_on(run_loop(
        &mut app,
        &mut guard.terminal,
        input::terminal_events(),
        &mut log,
    ));
    drop(guard);
    log.line(
        &crate::sim::clock::format_rfc3339(app.sim.now()),
        "kidex TUI stopped",
    );
    result
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &App) -> Result<(), String> {
    terminal
        .draw(|frame| {
            let area = frame.area();
            frame.render_widget(app, area);
            if let Some(p) = view::cursor(app, area) {
                frame.set_cursor_position(p);
            }
        })
        .map(|_| ())
        .map_err(|e| format!("error: cannot draw: {e}"))
}

/// Carries out effects; returns whether to quit and whether to redraw.
fn carry_out(app: &mut App, effects: Vec<Effect>, log: &mut Log) -> (bool, bool) {
    let (mut quit, mut redraw) = (false, false);
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        match effect {
            Effect::Redraw => redraw = true,
            Effect::Quit => quit = true,
            Effect::Log(line) => {
                log.line(&crate::sim::clock::format_rfc3339(app.sim.now()), &line);
            }
            Effect::Save(path) => {
                let result = crate::state::save(&app.sim, &path)
                    .map(|_| format!("Saved the state to {}", path.display()))
                    .map_err(|e| format!("cannot save state: {e}"));
                log.line(
                    &crate::sim::clock::format_rfc3339(app.sim.now()),
                    &format!("{result:?}"),
                );
                if !quit {
                    queue.extend(app.handle(Event::EffectDone(result)));
                }
            }
            Effect::ReadFiles { line, paths } => {
                let files = paths
                    .into_iter()
                    .map(|p| {
                        let r = std::fs::read_to_string(&p).map_err(|e| match e.kind() {
                            std::io::ErrorKind::NotFound => {
                                format!("the path {p:?} does not exist")
                            }
                            _ => format!("cannot read {p}: {e}"),
                        });
                        (p, r)
                    })
                    .collect();
                queue.extend(app.handle(Event::FilesRead { line, files }));
            }
        }
    }
    (quit, redraw)
}

/// The event loop: waits for input or for the next moment the screen changes (a simulated second
/// at the current speed, a highlight ending), never spinning; while paused and idle it sleeps
/// until a key arrives. Generic over the backend and the input so tests can drive it.
pub async fn run_loop<B, S>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    mut input: S,
    log: &mut Log,
) -> Result<(), String>
where
    B: Backend,
    S: Stream<Item = Event> + Unpin,
{
    draw(terminal, app)?;
    let mut last = input::wall_now();
    loop {
        let wake = app.next_wake();
        let event = tokio::select! {
            // Input first when both are ready: keys are never kept waiting behind a frame, and
            // the order is deterministic (each turn ticks the clock whichever fired).
            biased;
            e = input.next() => match e {
                Some(e) => Some(e),
                None => break,
            },
            () = async {
                match wake {
                    Some(d) => tokio::time::sleep(d).await,
                    None => std::future::pending().await,
                }
            } => None,
        };
        let now = input::wall_now();
        let mut effects = app.handle(Event::Tick(now - last));
        last = now;
        let mut ended = false;
        if let Some(e) = event {
            effects.extend(app.handle(e));
            // Take whatever else is already waiting before drawing once. Polled with this
            // task's waker (not a no-op one), so a stream that is not ready yet still wakes
            // the loop when its next event comes.
            loop {
                match std::future::poll_fn(|cx| Poll::Ready(input.poll_next_unpin(cx))).await {
                    Poll::Ready(Some(e)) => effects.extend(app.handle(e)),
                    Poll::Ready(None) => {
                        ended = true;
                        break;
                    }
                    Poll::Pending => break,
                }
            }
        }
        let (quit, redraw) = carry_out(app, effects, log);
        if quit || ended {
            break;
        }
        if redraw {
            draw(terminal, app)?;
        }
    }
    Ok(())
}

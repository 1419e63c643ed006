//! The terminal: raw mode, the alternate screen, mouse capture and bracketed paste on entry,
//! and all of it undone on every way out: a normal quit, an error (the guard's `Drop`), and a
//! panic (the hook restores the terminal before the panic message is printed).

use std::io::{self, Stdout, Write};

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Restores the terminal when dropped.
pub struct Guard {
    pub terminal: Tui,
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore(&mut io::stdout());
    }
}

/// Enters raw mode and the alternate screen.
pub fn enter() -> io::Result<Guard> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore(&mut out);
        return Err(e);
    }
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok(Guard { terminal })
}

/// Leaves raw mode and the alternate screen, shows the cursor. Safe to call twice.
pub fn restore<W: Write>(out: &mut W) {
    let _ = disable_raw_mode();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = out.flush();
}

/// Installs a panic hook that restores the terminal (writing to what `out` opens) and then runs
/// the previous hook, so the panic message lands on the normal screen.
pub fn install_panic_hook(out: fn() -> Box<dyn Write>) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore(&mut out());
        previous(info);
    }));
}

/// The hook the binary installs: restores stdout's terminal.
pub fn install_stdout_panic_hook() {
    install_panic_hook(|| Box::new(io::stdout()));
}

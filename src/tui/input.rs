//! Input: crossterm's event stream turned into kidex events, scripted input for tests and tapes,
//! and the one reading of the wall clock (the loop turns its deltas into simulated time).

use crossterm::event::{
    self as ct, Event as CtEvent, EventStream, KeyEventKind, KeyModifiers, MouseButton,
    MouseEventKind,
};
use futures_util::{Stream, StreamExt, stream};

use super::event::{Event, Key, KeyCode, Mods, Mouse, MouseKind, parse_keys};

/// Now, on the wall clock (tokio's, so a paused test runtime controls it).
#[allow(clippy::disallowed_methods)] // The TUI loop measures wall time to drive the simulated clock at its speed.
pub fn wall_now() -> tokio::time::Instant {
    tokio::time::Instant::now()
}

fn key(k: ct::KeyEvent) -> Option<Key> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    let code = match k.code {
        ct::KeyCode::Char(c) => KeyCode::Char(c),
        ct::KeyCode::Enter => KeyCode::Enter,
        ct::KeyCode::Esc => KeyCode::Esc,
        ct::KeyCode::Tab => KeyCode::Tab,
        ct::KeyCode::BackTab => KeyCode::BackTab,
        ct::KeyCode::Backspace => KeyCode::Backspace,
        ct::KeyCode::Delete => KeyCode::Delete,
        ct::KeyCode::Insert => KeyCode::Insert,
        ct::KeyCode::Up => KeyCode::Up,
        ct::KeyCode::Down => KeyCode::Down,
        ct::KeyCode::Left => KeyCode::Left,
        ct::KeyCode::Right => KeyCode::Right,
        ct::KeyCode::Home => KeyCode::Home,
        ct::KeyCode::End => KeyCode::End,
        ct::KeyCode::PageUp => KeyCode::PageUp,
        ct::KeyCode::PageDown => KeyCode::PageDown,
        ct::KeyCode::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let code = match code {
        // Terminals report ctrl-D as ctrl with 'D' or 'd'; keymaps name it ctrl-d.
        KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
        other => other,
    };
    Some(Key {
        code,
        mods: Mods {
            ctrl,
            alt: k.modifiers.contains(KeyModifiers::ALT),
        },
    })
}

/// A crossterm event as a kidex event (`None` for those kidex ignores).
pub fn convert(event: CtEvent) -> Option<Event> {
    match event {
        CtEvent::Key(k) => key(k).map(Event::Key),
        CtEvent::Mouse(m) => {
            let kind = match m.kind {
                MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
                MouseEventKind::ScrollUp => MouseKind::ScrollUp,
                MouseEventKind::ScrollDown => MouseKind::ScrollDown,
                _ => return None,
            };
            Some(Event::Mouse(Mouse {
                kind,
                column: m.column,
                row: m.row,
            }))
        }
        CtEvent::Resize(w, h) => Some(Event::Resize(w, h)),
        CtEvent::Paste(s) => Some(Event::Paste(s)),
        _ => None,
    }
}

/// The terminal's events. A read error ends the stream (and so the loop).
pub fn terminal_events() -> impl Stream<Item = Event> + Unpin {
    EventStream::new()
        .take_while(|e| std::future::ready(e.is_ok()))
        .filter_map(|e| std::future::ready(e.ok().and_then(convert)))
}

/// Scripted input for tests and tapes: the events of a key tape (see `event::parse_keys`).
pub struct ScriptedSource;

impl ScriptedSource {
    pub fn keys(tape: &str) -> Result<impl Stream<Item = Event> + Unpin, String> {
        Ok(Self::events(
            parse_keys(tape)?.into_iter().map(Event::Key).collect(),
        ))
    }

    pub fn events(events: Vec<Event>) -> impl Stream<Item = Event> + Unpin {
        stream::iter(events)
    }
}

//! asciicast v2 output (<https://docs.asciinema.org/manual/asciicast/v2/>): a JSON header
//! line, then one `[time, "o", data]` line per frame. Times are the tape's, never the
//! machine's, so the same tape gives the same file.

use std::fmt::Write as _;

use serde_json::json;

use super::ansi;
use super::screen::Screen;

#[derive(Debug)]
pub struct Cast {
    text: String,
    last: Option<Screen>,
    last_time: Option<f64>,
}

/// Events are at least a millisecond apart, so times strictly increase.
const MIN_STEP: f64 = 0.001;

impl Cast {
    pub fn new(width: u16, height: u16, title: Option<&str>) -> Cast {
        let mut header = json!({
            "version": 2,
            "width": width,
            "height": height,
            "timestamp": 0,
            "env": {"TERM": "xterm-256color", "SHELL": "/bin/sh"},
        });
        if let Some(t) = title {
            header["title"] = json!(t);
        }
        Cast {
            text: format!("{header}\n"),
            last: None,
            last_time: None,
        }
    }

    fn event(&mut self, seconds: f64, data: &str) {
        let t = match self.last_time {
            Some(last) => seconds.max(last + MIN_STEP),
            None => seconds.max(0.0),
        };
        self.last_time = Some(t);
        let _ = writeln!(self.text, "[{t:.6}, \"o\", {}]", json!(data));
    }

    /// Adds `screen` at `seconds` after the start, as the rows that changed since the previous
    /// frame; nothing when nothing changed.
    pub fn frame(&mut self, seconds: f64, screen: &Screen) {
        if self.last.as_ref() == Some(screen) {
            return;
        }
        let data = ansi::frame(self.last.as_ref(), screen);
        self.event(seconds, &data);
        self.last = Some(screen.clone());
    }

    /// The cast, with an empty event at `seconds` so players hold the last frame until the
    /// tape's end.
    pub fn finish(mut self, seconds: f64) -> String {
        if self.last_time.is_some_and(|t| seconds > t) {
            self.event(seconds, "");
        }
        self.text
    }
}

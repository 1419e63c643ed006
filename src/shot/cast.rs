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
    last: Option<String>,
    last_time: f64,
}

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
            last_time: 0.0,
        }
    }

    /// Adds `screen` at `seconds` after the start, unless it equals the previous frame.
    /// Times never go backwards.
    pub fn frame(&mut self, seconds: f64, screen: &Screen) {
        let data = ansi::frame(screen);
        if self.last.as_deref() == Some(data.as_str()) {
            return;
        }
        let t = seconds.max(self.last_time);
        self.last_time = t;
        let _ = writeln!(self.text, "[{t:.6}, \"o\", {}]", json!(data));
        self.last = Some(data);
    }

    /// A final marker so players hold the last frame until the tape's end.
    pub fn finish(mut self, seconds: f64) -> String {
        let t = seconds.max(self.last_time);
        if t > self.last_time {
            let _ = writeln!(self.text, "[{t:.6}, \"o\", \"\"]");
        }
        self.text
    }
}

//! What the app asks the loop to do: the only I/O the TUI performs, carried out by `tui::run`.

use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Something visible changed: draw a frame.
    Redraw,
    Quit,
    /// Write the state to a file (atomically).
    Save(PathBuf),
    /// Read these files and send them back as `Event::FilesRead` with the command line.
    ReadFiles {
        line: String,
        paths: Vec<String>,
    },
    /// A line for the log file (`--log FILE`), if one is open.
    Log(String),
}

//! The panic hook restores the terminal before anything is printed: raw mode off, mouse capture
//! and bracketed paste off, the alternate screen left and the cursor shown. This file holds one
//! test, so the process-wide hook it installs cannot disturb another test.

use std::io::Write;
use std::sync::Mutex;

static RESTORED: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Collects what the hook writes instead of sending it to a terminal.
struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        RESTORED.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_panic_restores_the_terminal_first() {
    kidex::tui::terminal::install_panic_hook(|| Box::new(Capture));
    let result = std::panic::catch_unwind(|| panic!("boom inside a view"));
    assert!(result.is_err());
    let written = String::from_utf8(RESTORED.lock().unwrap().clone()).unwrap();
    assert!(
        written.contains("\x1b[?1049l"),
        "left the alternate screen: {written:?}"
    );
    assert!(
        written.contains("\x1b[?25h"),
        "showed the cursor: {written:?}"
    );
    assert!(
        written.contains("\x1b[?2004l"),
        "bracketed paste off: {written:?}"
    );
    assert!(
        written.contains("\x1b[?1000l"),
        "mouse capture off: {written:?}"
    );
}

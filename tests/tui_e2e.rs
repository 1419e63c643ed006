//! The real binary in a real terminal (tmux): it starts on the demo, shows the tokens view, its
//! countdowns move as the clock runs, `q` quits with status 0, and the terminal is left as it
//! was (alternate screen off, cursor shown). Skipped, with a printed reason, where tmux is
//! missing. This is the one test that waits on wall time, by polling with a timeout.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    home: PathBuf,
}

impl Tmux {
    /// A tmux server of its own with one 100×30 session "e2e" running `command`, with a fresh
    /// HOME and config dir; `None` (after saying why) where tmux is missing.
    fn start(name: &str, command: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            println!("skipped: tmux is not installed, so the end-to-end test cannot run");
            return None;
        }
        let id = format!("kidex-e2e-{name}-{}", std::process::id());
        let home = std::env::temp_dir().join(format!("{id}-home"));
        std::fs::create_dir_all(&home).unwrap();
        let t = Tmux {
            socket: id,
            home: home.clone(),
        };
        let home_env = format!("HOME={}", home.display());
        let config_env = format!("XDG_CONFIG_HOME={}", home.join("config").display());
        t.cmd(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "100",
            "-y",
            "30",
            "-e",
            &home_env,
            "-e",
            &config_env,
            "-e",
            "TERM=xterm-256color",
            command,
        ]);
        Some(t)
    }

    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", "e2e"])
    }

    /// Polls the screen until `check` holds, for at most `secs` seconds.
    #[allow(clippy::disallowed_methods)] // A real terminal runs on real time: bounded polling.
    fn wait_for(&self, what: &str, secs: u64, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if check(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(secs) {
                panic!("timed out waiting for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// The status in the echo's output line (`KIDEX-EXITED-0`, after a prompt if the shell drew one
/// late), never in the command line that names it.
fn exit_line(line: &str) -> Option<&str> {
    if line.contains("echo") {
        return None;
    }
    line.split("KIDEX-EXITED-").nth(1).map(str::trim)
}

/// The REFRESH-IN and EXPIRES-IN cells of the vault token's row.
fn vault_row(screen: &str) -> Option<String> {
    screen.lines().find(|l| l.contains(" vault ")).map(|l| {
        l.split_whitespace()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[test]
fn the_binary_counts_down_in_tmux_and_restores_the_terminal_on_q() {
    let Some(t) = Tmux::start("countdown", "sh") else {
        return;
    };
    // Type only once the shell shows its prompt: typed early, the line is echoed before the
    // prompt is drawn, and the command's output then lands after a late prompt on one line.
    t.wait_for("the shell prompt", 30, |s| !s.trim().is_empty());
    let line = format!("'{}'; echo KIDEX-EXITED-$?", env!("CARGO_BIN_EXE_kidex"));
    t.cmd(&["send-keys", "-t", "e2e", &line, "Enter"]);
    t.wait_for("the service accounts view", 30, |s| {
        s.contains("serviceaccounts(all)")
    });
    t.cmd(&["send-keys", "-t", "e2e", ":tokens", "Enter"]);
    let first = t.wait_for("the tokens view", 30, |s| {
        s.contains("tokens(all)") && vault_row(s).is_some()
    });
    let before = vault_row(&first).unwrap();
    let after = t.wait_for("a countdown to change", 30, |s| {
        vault_row(s).is_some_and(|r| r != before)
    });
    assert_ne!(vault_row(&after), Some(before));
    assert_eq!(
        t.cmd(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "1"
    );
    // Paused, nothing wakes the loop but input: keys must still get through at once (a lost
    // input waker would leave the screen frozen here).
    t.cmd(&["send-keys", "-t", "e2e", "space"]);
    t.wait_for("the PAUSED badge", 30, |s| s.contains("PAUSED"));
    t.cmd(&["send-keys", "-t", "e2e", ":issuer", "Enter"]);
    t.wait_for("the issuer view", 30, |s| s.contains("Discovery document"));
    t.cmd(&["send-keys", "-t", "e2e", "q"]);
    // The echo's output, not the command line that names it.
    let end = t.wait_for("kidex to exit", 30, |s| {
        s.lines().any(|l| exit_line(l).is_some())
    });
    assert!(end.lines().any(|l| exit_line(l) == Some("0")), "{end}");
    assert_eq!(
        t.cmd(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "0",
        "the alternate screen was left"
    );
    assert_eq!(
        t.cmd(&["display", "-p", "-t", "e2e", "#{cursor_flag}"])
            .trim(),
        "1",
        "the cursor is visible again"
    );
    // The shell prompt is back and takes typing: the terminal is not in raw mode.
    t.cmd(&["send-keys", "-t", "e2e", "echo typed-$((40+2))", "Enter"]);
    t.wait_for("the shell to echo", 30, |s| s.contains("typed-42"));
}

/// `kidex shot` draws what the real binary shows in a real terminal: the same keys, at the same
/// simulated instant, give the same screen text as tmux captures.
#[test]
fn kidex_shot_draws_what_the_terminal_shows() {
    let exe = env!("CARGO_BIN_EXE_kidex");
    let Some(t) = Tmux::start("shot", exe) else {
        return;
    };
    t.wait_for("the service accounts view", 30, |s| {
        s.contains("serviceaccounts(all)")
    });
    t.cmd(&["send-keys", "-t", "e2e", ":tokens", "Enter"]);
    t.wait_for("the tokens view", 30, |s| s.contains("tokens(all)"));
    t.cmd(&["send-keys", "-t", "e2e", "space"]);
    t.wait_for("the PAUSED badge", 30, |s| s.contains("PAUSED"));
    // Paused, the screen no longer changes; read it once the whole frame has surely landed.
    std::thread::sleep(Duration::from_millis(300));
    let real = t.screen();
    // The simulated instant the terminal paused at: `2026-11-23 10:00:07 UTC` in the header.
    let header = real.lines().next().unwrap();
    let at = header
        .find("2026-11-23 ")
        .map(|i| &header[i + 11..i + 19])
        .expect("the header shows the time");
    let secs: Vec<u64> = at.split(':').map(|p| p.parse().unwrap()).collect();
    let offset = (secs[0] - 10) * 3600 + secs[1] * 60 + secs[2];
    let shot = Command::new(exe)
        .args([
            "shot",
            "--size",
            "100x30",
            "--at",
            &format!("{offset}s"),
            "--keys",
            ":tokens<enter><space>",
        ])
        .output()
        .unwrap();
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let trim = |s: &str| {
        s.lines()
            .map(|l| l.trim_end().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(trim(&real).len(), 30, "{real}");
    assert!(
        real.contains("pod ci-runn") && real.contains("PAUSED"),
        "{real}"
    );
    assert_eq!(trim(&String::from_utf8_lossy(&shot.stdout)), trim(&real));
    t.cmd(&["send-keys", "-t", "e2e", "q"]);
}

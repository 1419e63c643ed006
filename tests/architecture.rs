//! The layering of ../shared/STYLE.md: `sim` is pure, and dependencies point down only
//! (drivers → present → state → sim).

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Source lines outside `#[cfg(test)]` modules, comments stripped.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("").to_string();
        lines.push((i + 1, code));
    }
    lines
}

fn violations(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join(layer),
        &mut files,
    );
    assert!(!files.is_empty(), "no files in src/{layer}");
    let mut found = Vec::new();
    for f in files {
        for (n, line) in code_lines(&f) {
            for pat in forbidden {
                if line.contains(pat) {
                    found.push(format!("{}:{n}: `{pat}` in {line}", f.display()));
                }
            }
        }
    }
    found
}

#[test]
fn sim_is_pure() {
    let forbidden = [
        "ratatui",
        "crossterm",
        "tokio",
        "std::fs",
        "std::io",
        "std::net",
        "std::env",
        "std::process",
        "std::thread",
        "SystemTime",
        "Instant",
        "Utc::now",
        "Local::now",
        "thread_rng",
        "OsRng",
        "getrandom",
        "crate::state",
        "crate::present",
        "crate::cli",
        "crate::tui",
        "crate::shot",
        "println!",
        "eprintln!",
    ];
    let v = violations("sim", &forbidden);
    assert!(v.is_empty(), "src/sim must stay pure:\n{}", v.join("\n"));
}

#[test]
fn state_depends_only_on_sim() {
    let v = violations(
        "state",
        &[
            "crate::present",
            "crate::cli",
            "crate::tui",
            "crate::shot",
            "ratatui",
            "crossterm",
            "tokio",
        ],
    );
    assert!(v.is_empty(), "{}", v.join("\n"));
}

#[test]
fn present_does_no_io_and_no_driver_imports() {
    let v = violations(
        "present",
        &[
            "crate::cli",
            "crate::tui",
            "crate::shot",
            "std::fs",
            "ratatui",
            "crossterm",
            "tokio",
            "println!",
        ],
    );
    assert!(v.is_empty(), "{}", v.join("\n"));
}

#[test]
fn shot_is_headless() {
    // Pictures come from the TUI's render code into a Buffer: never a terminal, a runtime, the
    // user's configuration or a clock.
    let v = violations(
        "shot",
        &[
            "crossterm",
            "tokio",
            "tui::terminal",
            "tui::input",
            "tui::config_dir",
            "load_config",
            "SystemTime",
            "Instant::now",
            "Utc::now",
            "thread_rng",
            "OsRng",
            "load_system_fonts",
        ],
    );
    assert!(v.is_empty(), "{}", v.join("\n"));
}

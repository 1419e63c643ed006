//! The TUI's layering (../shared/STYLE.md rules 3-6): only the loop, terminal and input files
//! name crossterm or tokio; views only read the app; only `App` code changes the cluster.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Code lines before any `#[cfg(test)]`, comments stripped.
fn code(path: &Path) -> Vec<(usize, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("").to_string()))
        .collect()
}

fn tui() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui")
}

#[test]
fn only_the_loop_terminal_and_input_name_crossterm_or_tokio() {
    let mut all = Vec::new();
    files(&tui(), &mut all);
    let allowed = ["mod.rs", "terminal.rs", "input.rs"];
    let mut found = Vec::new();
    for f in all {
        let top_level = f.parent() == Some(tui().as_path());
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if top_level && allowed.contains(&name.as_str()) {
            continue;
        }
        for (n, line) in code(&f) {
            if line.contains("crossterm") || line.contains("tokio") {
                found.push(format!("{}:{n}: {line}", f.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn views_only_read_the_app() {
    let mut views = Vec::new();
    files(&tui().join("view"), &mut views);
    files(&tui().join("widgets"), &mut views);
    let mut found = Vec::new();
    for f in views {
        for (n, line) in code(&f) {
            for bad in ["&mut App", ".execute(", ".advance", "std::fs", "Instant"] {
                if line.contains(bad) {
                    found.push(format!("{}:{n}: `{bad}` in {line}", f.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_wall_clock_is_read_in_one_place() {
    let mut all = Vec::new();
    files(&tui(), &mut all);
    let reads: Vec<String> = all
        .iter()
        .flat_map(|f| {
            code(f)
                .into_iter()
                .filter(|(_, l)| l.contains("Instant::now") || l.contains("SystemTime::now"))
                .map(move |(n, l)| format!("{}:{n}: {l}", f.display()))
        })
        .collect();
    assert_eq!(reads.len(), 1, "{}", reads.join("\n"));
    assert!(reads[0].contains("input.rs"), "{}", reads[0]);
}

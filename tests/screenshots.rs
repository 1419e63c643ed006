//! The README's pictures are made by kidex itself: every tape in `assets/tapes/` is recorded
//! again, and each file it makes (the cast, and each screenshot as SVG and PNG) must equal the
//! one committed in `assets/screenshots/`. After a deliberate UI change, refresh them with
//!
//!     KIDEX_REFRESH_SCREENSHOTS=1 cargo test --test screenshots
//!
//! and commit what changed (the diff of the SVGs shows what moved).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;

const REFRESH: &str = "KIDEX_REFRESH_SCREENSHOTS=1 cargo test --test screenshots";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn listing(dir: &Path, ext: Option<&str>) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_file() && ext.is_none_or(|x| p.extension().is_some_and(|e| e == x)));
    v.sort();
    v
}

#[test]
fn committed_screenshots_are_what_the_tapes_make() {
    let tapes = listing(&root().join("assets/tapes"), Some("tape"));
    assert!(!tapes.is_empty(), "no tapes in assets/tapes");
    let out = scratch("screenshots");
    for tape in &tapes {
        let stem = tape.file_stem().unwrap().to_str().unwrap();
        // Relative paths, from the source tree, as the refresh command runs them.
        let r = kidex_in(
            root(),
            &[
                "record",
                tape.strip_prefix(root()).unwrap().to_str().unwrap(),
                "-o",
                out.join(format!("{stem}.cast")).to_str().unwrap(),
                "--format",
                "svg,png",
            ],
        );
        assert_eq!(r.code, 0, "{}: {}", tape.display(), r.stderr);
    }
    let committed_dir = root().join("assets/screenshots");
    let made: BTreeSet<String> = listing(&out, None)
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    let committed: BTreeSet<String> = listing(&committed_dir, None)
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .filter(|n| n != "README.md")
        .collect();
    if std::env::var_os("KIDEX_REFRESH_SCREENSHOTS").is_some() {
        std::fs::create_dir_all(&committed_dir).unwrap();
        for name in &made {
            std::fs::copy(out.join(name), committed_dir.join(name)).unwrap();
        }
        for name in committed.difference(&made) {
            std::fs::remove_file(committed_dir.join(name)).unwrap();
        }
        return;
    }
    let mut problems = Vec::new();
    for name in made.difference(&committed) {
        problems.push(format!("assets/screenshots/{name} is missing"));
    }
    for name in committed.difference(&made) {
        problems.push(format!("assets/screenshots/{name} is made by no tape"));
    }
    for name in made.intersection(&committed) {
        if std::fs::read(out.join(name)).unwrap()
            != std::fs::read(committed_dir.join(name)).unwrap()
        {
            problems.push(format!("assets/screenshots/{name} is stale"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrefresh them with: {REFRESH}",
        problems.join("\n")
    );
}

#[test]
fn the_readme_shows_the_committed_pictures() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut shown = 0;
    for part in readme.split("](assets/screenshots/").skip(1) {
        let name = part.split(')').next().unwrap();
        assert!(
            root().join("assets/screenshots").join(name).is_file(),
            "README links assets/screenshots/{name}, which does not exist"
        );
        shown += 1;
    }
    assert!(shown >= 4, "the README shows {shown} pictures");
}

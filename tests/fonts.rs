//! The fonts in `assets/fonts/` cover every character kidex can draw: every non-ASCII
//! character in its sources, texts and demo states, and the CJK blocks user data may hold.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kidex::shot::fonts::FONT_FILES;
use kidex::shot::shapes::shape;
use skrifa::{FontRef, MetadataProvider};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files(&p, exts, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(p);
        }
    }
}

/// Every character some shipped font maps, over all faces of all files.
fn covered() -> BTreeSet<u32> {
    let mut set = BTreeSet::new();
    for name in FONT_FILES {
        let data = std::fs::read(root().join("assets/fonts").join(name)).unwrap();
        let mut index = 0;
        while let Ok(font) = FontRef::from_index(&data, index) {
            set.extend(font.charmap().mappings().map(|(c, _)| c));
            index += 1;
        }
        assert!(index > 0, "{name} has no font in it");
    }
    set
}

fn drawable(c: char, fonts: &BTreeSet<u32>) -> bool {
    c.is_ascii()
        || c.is_control()
        || fonts.contains(&(c as u32))
        || shape(c, 9.0, 18.0, 4.5, 8.5).is_some()
}

#[test]
fn every_character_in_the_sources_and_texts_is_drawable() {
    let fonts = covered();
    let mut paths = Vec::new();
    files(&root().join("src"), &["rs"], &mut paths);
    files(
        &root().join("assets"),
        &["toml", "md", "txt", "tape", "yaml", "json"],
        &mut paths,
    );
    files(&root().join("demo-state"), &["yaml", "json"], &mut paths);
    assert!(paths.len() > 20);
    let mut missing = BTreeSet::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        for c in text.chars().filter(|c| !drawable(*c, &fonts)) {
            missing.insert(format!(
                "{c:?} U+{:04X} in {}",
                c as u32,
                p.strip_prefix(root()).unwrap().display()
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "characters no shipped font covers:\n{}",
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn cjk_blocks_are_covered() {
    let fonts = covered();
    for (name, range) in [
        // U+3095–3096 (small ka, small ke; Unicode 3.2) are not in WenQuanYi.
        ("Hiragana", 0x3041..=0x3094),
        // U+30F7–30FA (ヷ ヸ ヹ ヺ) are not in WenQuanYi either.
        ("Katakana", 0x30A1..=0x30F6),
        ("Katakana marks", 0x30FB..=0x30FE),
        ("CJK Unified Ideographs", 0x4E00..=0x9FA5),
        ("Hangul Syllables", 0xAC00..=0xD7A3),
        ("Fullwidth ASCII", 0xFF01..=0xFF5E),
        ("CJK punctuation", 0x3001..=0x3003),
    ] {
        let gaps: Vec<String> = range
            .filter(|c| !fonts.contains(c))
            .map(|c| format!("U+{c:04X}"))
            .collect();
        assert!(
            gaps.is_empty(),
            "{name}: {} characters missing, e.g. {:?}",
            gaps.len(),
            &gaps[..gaps.len().min(5)]
        );
    }
}

//! `kidex shot` and `kidex record`: every format is byte-identical run to run, the SVG is
//! well-formed with one `<text>` per style run in the right colours, the PNG decodes at the
//! expected size, the cast is asciicast v2 with increasing times, and tape errors name file
//! and line.

mod common;

use std::path::Path;

use common::*;
use kidex::shot::drive::Headless;
use kidex::shot::palette::DARK;
use kidex::shot::screen::Screen;
use kidex::shot::svg::{GEOMETRY, render as svg_render};
use kidex::tui::theme::{ColorSupport, Theme};
use resvg::tiny_skia::Pixmap;
use resvg::usvg::roxmltree;

const KEYS: &str = ":tokens<enter>";

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    let dir = scratch("shot-twice");
    for format in ["txt", "ansi", "html", "svg", "png"] {
        let mut outputs = Vec::new();
        for run in 0..2 {
            let out = dir.join(format!("{run}.{format}"));
            let r = kidex(&[
                "shot",
                "--keys",
                KEYS,
                "--at",
                "47m",
                "--format",
                format,
                "-o",
                out.to_str().unwrap(),
            ]);
            assert_eq!(r.code, 0, "{format}: {}", r.stderr);
            assert_eq!(r.stderr, format!("wrote {}\n", out.display()));
            outputs.push(read(&out));
        }
        assert!(!outputs[0].is_empty());
        assert!(outputs[0] == outputs[1], "{format} differs between runs");
    }
    let tape = dir.join("t.tape");
    std::fs::write(
        &tape,
        "Set Size 80x24\nType \":tokens\"\nKey enter\nSleep 2s\nScreenshot one\nSet Speed 600\nSleep 3s\n",
    )
    .unwrap();
    for ext in ["cast", "gif"] {
        let mut outputs = Vec::new();
        for run in 0..2 {
            let out = dir.join(format!("r{run}.{ext}"));
            let shots = dir.join(format!("shots{run}"));
            std::fs::create_dir_all(&shots).unwrap();
            let r = kidex(&[
                "record",
                tape.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--shots",
                shots.to_str().unwrap(),
                "--format",
                "txt,svg",
            ]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            outputs.push((
                read(&out),
                read(&shots.join("one.txt")),
                read(&shots.join("one.svg")),
            ));
        }
        assert!(
            outputs[0] == outputs[1],
            "record {ext} differs between runs"
        );
    }
    let gif = read(&dir.join("r0.gif"));
    assert!(gif.starts_with(b"GIF89a"));
    assert_eq!(u16::from_le_bytes([gif[6], gif[7]]), 80 * 9 + 24);
    assert_eq!(u16::from_le_bytes([gif[8], gif[9]]), 24 * 18 + 24);
}

/// Runs of glyphs the SVG writer draws as one `<text>`: same colour and weight, joined across
/// blanks, never through a box-drawing or block character.
fn expected_runs(screen: &Screen) -> Vec<(String, String)> {
    let mut runs = Vec::new();
    for row in &screen.rows {
        let mut current: Option<(String, String, bool, bool)> = None;
        let mut blanks = String::new();
        for g in row {
            let p = g.paint(&DARK);
            let c = g.symbol.chars().next().unwrap_or(' ');
            if kidex::shot::shapes::shape(c, 9.0, 18.0, 4.5, 8.5).is_some()
                && g.symbol.chars().count() == 1
            {
                runs.extend(current.take().map(|(t, f, _, _)| (t, f)));
                blanks.clear();
                continue;
            }
            if g.is_blank() {
                blanks.push(' ');
                continue;
            }
            let fill = p.fg.to_string();
            match current.as_mut() {
                Some((t, f, b, i)) if *f == fill && *b == p.bold && *i == p.italic => {
                    t.push_str(&blanks);
                    t.push_str(&g.symbol);
                }
                _ => {
                    runs.extend(current.take().map(|(t, f, _, _)| (t, f)));
                    current = Some((g.symbol.clone(), fill, p.bold, p.italic));
                }
            }
            blanks.clear();
        }
        runs.extend(current.take().map(|(t, f, _, _)| (t, f)));
    }
    runs
}

#[test]
fn svg_is_xml_with_one_text_per_style_run() {
    let theme = Theme::built_in("default", ColorSupport::TrueColor).unwrap();
    let mut ui = Headless::new(demo(), (120, 40), theme);
    ui.keys(":ns test<enter>:sa<enter>").unwrap();
    let screen = ui.screen();
    let svg = svg_render(&screen, &DARK, &GEOMETRY);
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("1104"));
    assert_eq!(root.attribute("height"), Some("744"));
    let texts: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let xs = n.attribute("x").unwrap().split(' ').count();
            let text = n.text().unwrap_or("").to_string();
            assert_eq!(xs, text.chars().count(), "one x per glyph in {text:?}");
            (text, n.attribute("fill").unwrap().to_string())
        })
        .collect();
    assert_eq!(texts, expected_runs(&screen));
    // The brand badge: black bold text on a cyan rect, from the dark palette.
    let brand = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text() == Some("kidex"))
        .unwrap();
    assert_eq!(
        brand.attribute("fill"),
        Some(DARK.ansi[0].to_string().as_str())
    );
    assert_eq!(brand.attribute("font-weight"), Some("bold"));
    assert!(doc.descendants().any(|n| n.has_tag_name("rect")
        && n.attribute("y") == Some("0")
        && n.attribute("fill") == Some(DARK.ansi[6].to_string().as_str())));
    // Every colour the screen uses appears as a fill.
    for (text, fill) in texts.iter().filter(|(t, _)| t.contains("build-robot")) {
        assert!(fill.starts_with('#'), "{text}: {fill}");
    }
}

#[test]
fn png_decodes_at_the_expected_size() {
    let dir = scratch("shot-png");
    for (size, scale, w, h) in [("120x40", "2", 2208, 1488), ("80x24", "1", 744, 456)] {
        let out = dir.join(format!("{size}.png"));
        let r = kidex(&[
            "shot",
            "--size",
            size,
            "--scale",
            scale,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let png = Pixmap::decode_png(&read(&out)).expect("a PNG");
        assert_eq!((png.width(), png.height()), (w, h));
        // The corner is the palette's background, the screen is not blank.
        let px = png.pixel(w / 2, 1).unwrap();
        assert_eq!(
            (px.red(), px.green(), px.blue()),
            (DARK.background.0, DARK.background.1, DARK.background.2)
        );
        let distinct: std::collections::BTreeSet<_> = png
            .pixels()
            .iter()
            .map(|p| (p.red(), p.green(), p.blue()))
            .collect();
        assert!(
            distinct.len() > 20,
            "{size}: only {} colours",
            distinct.len()
        );
    }
}

#[test]
fn text_output_is_the_screen_and_matches_the_tui() {
    let r = kidex(&["shot", "--keys", KEYS, "--size", "100x30"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let theme = Theme::built_in("default", ColorSupport::TrueColor).unwrap();
    let mut ui = Headless::new(demo(), (100, 30), theme);
    ui.keys(KEYS).unwrap();
    let tui_text = kidex::tui::screen::to_text(&kidex::tui::screen::render(&ui.app));
    assert_eq!(r.stdout, tui_text);
    assert_eq!(r.stdout.lines().count(), 30);
    assert!(r.stdout.contains("tokens(all)"));
    let ansi = kidex(&[
        "shot", "--keys", KEYS, "--size", "100x30", "--format", "ansi",
    ])
    .stdout;
    assert!(ansi.contains("\x1b[0;1;30;46m kidex "), "{}", &ansi[..200]);
    assert_eq!(ansi.lines().count(), 30);
}

#[test]
fn cast_is_asciicast_v2_with_increasing_times() {
    let dir = scratch("cast");
    let tape = dir.join("t.tape");
    std::fs::write(
        &tape,
        "Set Size 90x25\nSet TypingDelay 100ms\nType \":tokens\"\nKey enter\nSleep 3s\nAdvance 1h\nKey x\nSleep 1s\n",
    )
    .unwrap();
    let out = dir.join("t.cast");
    let r = kidex(&[
        "record",
        tape.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = String::from_utf8(read(&out)).unwrap();
    let mut lines = text.lines();
    let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(header["version"], 2);
    assert_eq!(
        (header["width"].as_u64(), header["height"].as_u64()),
        (Some(90), Some(25))
    );
    let mut last = -1.0;
    let mut count = 0;
    for line in lines {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = e[0].as_f64().unwrap();
        assert!(t > last, "time {t} after {last}");
        assert_eq!(e[1], "o");
        assert!(e[2].is_string());
        last = t;
        count += 1;
    }
    // 7 keys at 0.1 s, 3 s of sleep at 10 frames a second (one per simulated second), and
    // the tape ends after 0.8 + 3 + 0.1 + 1 s.
    assert!(count > 8, "{count} events");
    assert!((last - 4.9).abs() < 1e-6, "{last}");
    // Only changed rows are sent after the first frame, never a full clear.
    assert_eq!(text.matches("\\u001b[2J").count(), 1);
}

#[test]
fn tape_errors_name_file_and_line() {
    let dir = scratch("tape-errors");
    for (body, err) in [
        (
            "Set Size 80x24\nType \"x\"\nFrobnicate 3\n",
            "t.tape:3: unknown command \"Frobnicate\"",
        ),
        (
            "Sleep 2 seconds\n",
            "t.tape:1: Sleep takes one argument, not 2",
        ),
        (
            "Key enter\nSleep 5y\n",
            "t.tape:2: time: unknown unit \"y\" in duration \"5y\"",
        ),
        ("Key hyper\n", "t.tape:1: unknown key \"hyper\""),
        ("Set State nope.yaml\nKey j\n", "t.tape:1: "),
        (
            "# nothing\n",
            "t.tape: the tape has no keys, sleeps or screenshots",
        ),
    ] {
        let tape = dir.join("t.tape");
        std::fs::write(&tape, body).unwrap();
        let out = dir.join("o.cast");
        let r = kidex(&[
            "record",
            tape.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 1, "{body}");
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        let want = format!(
            "error: {}{err}",
            tape.parent().unwrap().display().to_string() + "/"
        );
        assert!(
            r.stderr.starts_with(&want),
            "{body}: {} does not start with {want}",
            r.stderr
        );
        assert!(!out.exists(), "nothing is written for a failed tape");
    }
}

#[test]
fn shot_errors_are_one_line() {
    for (args, err) in [
        (
            vec!["shot", "--size", "5x5"],
            "error: columns must be between 10 and 1000, not 5\n",
        ),
        (
            vec!["shot", "--format", "bmp"],
            "error: unknown format \"bmp\" (want txt, ansi, html, svg or png)\n",
        ),
        (
            vec!["shot", "--theme", "neon"],
            "error: no theme \"neon\" (built in: default, light, high-contrast)\n",
        ),
        (
            vec!["shot", "--at", "2020-01-01T00:00:00Z"],
            "error: cannot go back to 2020-01-01T00:00:00Z from 2026-11-23T10:00:00Z: the simulator only moves forward\n",
        ),
        (
            vec!["shot", "--at", "soon"],
            "error: time: invalid duration \"soon\"\n",
        ),
        (
            vec![
                "shot",
                "--size",
                "1000x1000",
                "--scale",
                "8",
                "-o",
                "/tmp/kidex-never.png",
            ],
            "error: the picture would be 72192x144192 pixels (more than 64 million); use a smaller --size or --scale\n",
        ),
        (
            vec!["--out", "/tmp/kidex-never.yaml", "shot"],
            "error: shot and record never change the state: --save and --out do not apply\n",
        ),
        (
            vec!["shot", "--keys", "<nope>"],
            "error: unknown key \"nope\"\n",
        ),
        (
            vec!["shot", "-o", "/nonexistent-dir/x.svg"],
            "error: the directory /nonexistent-dir does not exist\n",
        ),
        (
            vec!["shot", "-o", "x.bmp"],
            "error: cannot tell the format from x.bmp: give --format txt|ansi|html|svg|png\n",
        ),
        (
            vec![
                "shot",
                "--fonts",
                "/nonexistent",
                "--format",
                "png",
                "-o",
                "/tmp/kidex-never.png",
            ],
            "error: cannot read font /nonexistent/DejaVuSansMono.ttf: No such file or directory (os error 2) (set KIDEX_FONTS or --fonts to the directory holding kidex's assets/fonts)\n",
        ),
    ] {
        let r = kidex(&args);
        assert_eq!((r.code, r.stderr.as_str()), (1, err), "{args:?}");
    }
}

/// An independent terminal emulator (the vt100 crate) reads our ANSI and our casts back to the
/// screen kidex drew: the same text, and the brand badge in its colours.
#[test]
fn a_terminal_emulator_replays_ansi_and_casts_to_the_same_screen() {
    use std::num::NonZeroU16;
    let (w, h) = (100u16, 30u16);
    let parser = || vt100::Parser::new(NonZeroU16::new(h).unwrap(), NonZeroU16::new(w).unwrap(), 0);
    let rows = |p: &vt100::Parser| -> Vec<String> {
        p.screen()
            .rows(0, w)
            .map(|r| r.trim_end().to_string())
            .collect()
    };
    let text = kidex(&["shot", "--size", "100x30", "--keys", KEYS]).stdout;
    let want: Vec<String> = text.lines().map(str::to_string).collect();

    // ANSI, one line per row: fed with CR LF as a terminal would see `cat`, without the last one.
    let ansi = kidex(&[
        "shot", "--size", "100x30", "--keys", KEYS, "--format", "ansi",
    ])
    .stdout;
    let mut p = parser();
    p.process(ansi.trim_end_matches('\n').replace('\n', "\r\n").as_bytes());
    assert_eq!(rows(&p), want);
    let badge = p.screen().cell(0, 1).unwrap();
    assert_eq!(badge.contents(), "k");
    assert!(badge.bold());
    assert_eq!(badge.fgcolor(), vt100::Color::Idx(0));
    assert_eq!(badge.bgcolor(), vt100::Color::Idx(6));

    // A cast: every event's data in order, and the last screen is the tape's last screenshot.
    let dir = scratch("vt100");
    let tape = dir.join("t.tape");
    std::fs::write(
        &tape,
        "Set Size 100x30\nSleep 1s\nKeys \":tokens<enter>\"\nSet Speed 600\nSleep 3s\nKey x\nSleep 1s\nScreenshot last\n",
    )
    .unwrap();
    let cast = dir.join("t.cast");
    let r = kidex(&[
        "record",
        tape.to_str().unwrap(),
        "-o",
        cast.to_str().unwrap(),
        "--format",
        "txt",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut p = parser();
    for line in String::from_utf8(read(&cast)).unwrap().lines().skip(1) {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        p.process(e[2].as_str().unwrap().as_bytes());
    }
    let last = String::from_utf8(read(&dir.join("last.txt"))).unwrap();
    assert_eq!(
        rows(&p),
        last.lines().map(str::to_string).collect::<Vec<_>>()
    );
    assert!(last.contains("decode "), "{last}");
}

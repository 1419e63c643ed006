//! Pictures and recordings: a 120×40 SVG and PNG shot of the demo state (in process, and the
//! release binary end to end), and a 60-second tape recorded to a cast and to a GIF. Prints
//! figures; the goals are a 120×40 SVG shot under 100 ms and a 60-second tape under 5 s.
//!
//!     cargo bench --bench pictures
#![allow(clippy::disallowed_methods)] // A benchmark measures wall time.

use std::process::Command;
use std::time::{Duration, Instant};

use kidex::shot::cast::Cast;
use kidex::shot::drive::Headless;
use kidex::shot::fonts;
use kidex::shot::palette::DARK;
use kidex::shot::record::{Start, play};
use kidex::shot::render::{Format, Renderer};
use kidex::shot::tape::Tape;
use kidex::tui::theme::{ColorSupport, Theme};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// State loaded, keys pressed, screen drawn and encoded: what `kidex shot` does after startup.
fn shot(format: Format, renderer: &mut Renderer) -> usize {
    let sim = kidex::state::demo::open_default(None).expect("demo");
    let theme = Theme::built_in("default", ColorSupport::TrueColor).expect("theme");
    let mut ui = Headless::new(sim, (120, 40), theme);
    ui.keys(":tokens<enter>").expect("keys");
    renderer.encode(&ui.screen(), format).expect("encode").len()
}

const TAPE: &str = "Set Size 120x40\nSet TypingDelay 100ms\nSleep 2s\nKeys \":tokens<enter>\"\nSleep 3s\nScreenshot a\nKey x\nSleep 5s\nKey esc\nSet Speed 60\nSleep 20s\nKeys \":events<enter>\"\nSleep 5s\nKeys \":sa<enter>j<enter>\"\nSet Speed 600\nSleep 23s\n";

fn main() {
    let dir = fonts::default_dir();
    let mut r = Renderer::new(&DARK, 2.0, dir.clone()).expect("renderer");
    r.usvg_options().expect("fonts");
    for (name, format) in [
        ("txt", Format::Txt),
        ("svg", Format::Svg),
        ("png (scale 2)", Format::Png),
    ] {
        let runs = if format == Format::Png { 10 } else { 30 };
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..runs {
            let t = Instant::now();
            bytes = shot(format, &mut r);
            times.push(t.elapsed());
        }
        println!(
            "shot 120x40 {name}, in process: {:.1} ms median of {runs} ({bytes} bytes)",
            ms(median(times))
        );
    }

    let exe = env!("CARGO_BIN_EXE_kidex");
    let out = std::env::temp_dir().join(format!("kidex-bench-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("dir");
    for ext in ["svg", "png"] {
        let mut times = Vec::new();
        for _ in 0..10 {
            let t = Instant::now();
            let status = Command::new(exe)
                .args(["shot", "--keys", ":tokens<enter>", "-o"])
                .arg(out.join(format!("s.{ext}")))
                .output()
                .expect("kidex runs");
            times.push(t.elapsed());
            assert!(
                status.status.success(),
                "{}",
                String::from_utf8_lossy(&status.stderr)
            );
        }
        println!(
            "kidex shot 120x40 -o s.{ext} (the binary, process start to exit): {:.1} ms median of 10",
            ms(median(times))
        );
    }

    let any = |_: &str| Ok(());
    let tape = Tape::parse("bench.tape", TAPE, &any, &any).expect("tape");
    println!("tape: {:.1} s of real time", tape.duration().as_secs_f64());
    let start = || Start {
        sim: kidex::state::demo::open_default(None).expect("demo"),
        size: (120, 40),
        theme: "default".into(),
        load_state: Box::new(|_| Err("no".into())),
    };
    let t = Instant::now();
    let mut cast: Option<Cast> = None;
    let rec = play("bench.tape", &tape, start(), &mut |at, screen| {
        cast.get_or_insert_with(|| Cast::new(screen.width, screen.height, None))
            .frame(at.as_secs_f64(), screen);
        Ok(())
    })
    .expect("plays");
    let cast = cast.expect("frames").finish(rec.end.as_secs_f64());
    println!(
        "record to .cast: {:.0} ms ({} frames, {} KB)",
        ms(t.elapsed()),
        rec.frames,
        cast.len() / 1024
    );
    let tape_file = out.join("bench.tape");
    std::fs::write(&tape_file, TAPE).expect("tape file");
    for ext in ["cast", "gif"] {
        let t = Instant::now();
        let status = Command::new(exe)
            .arg("record")
            .arg(&tape_file)
            .arg("-o")
            .arg(out.join(format!("r.{ext}")))
            .output()
            .expect("kidex runs");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let size = std::fs::metadata(out.join(format!("r.{ext}")))
            .map(|m| m.len())
            .unwrap_or(0);
        println!(
            "kidex record bench.tape -o r.{ext} (the binary): {:.2} s ({} KB)",
            t.elapsed().as_secs_f64(),
            size / 1024
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}

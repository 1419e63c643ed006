//! The `shot` and `record` commands as the binary runs them: options in, files out (each
//! written whole, through a temporary file and a rename).

use std::path::{Path, PathBuf};

use crate::cli::args::{PictureArgs, RecordArgs, ShotArgs};
use crate::sim::Simulator;
use crate::state::write_atomic_bytes;

use std::time::Duration;

use super::cast::Cast;
use super::drive::{Headless, load_theme, move_clock, palette};
use super::gif::GifWriter;
use super::record::{LoadState, Start, play};
use super::render::{Format, Renderer};
use super::screen::Screen;
use super::tape::{At, Tape, parse_size};

fn renderer(p: &PictureArgs, theme: &crate::tui::theme::Theme) -> Result<Renderer, String> {
    let fonts = p.fonts.clone().unwrap_or_else(super::fonts::default_dir);
    Renderer::new(palette(Some(&p.palette), theme)?, p.scale, fonts)
}

/// A GIF shows at most five frames a second: each fifth of a second shows the screen its end
/// had, which keeps typing and countdowns readable at a fraction of the pictures.
const GIF_FRAME: std::time::Duration = std::time::Duration::from_millis(200);

/// Draws `screen` and adds it to the GIF (started at the first frame's size), from `at`.
fn gif_frame(
    r: &mut Renderer,
    writer: &mut Option<GifWriter>,
    at: Duration,
    screen: &Screen,
) -> Result<(), String> {
    let pixmap = r.pixmap(screen, 1.0)?;
    if writer.is_none() {
        *writer = Some(GifWriter::new(pixmap.width(), pixmap.height())?);
    }
    match writer.as_mut() {
        Some(w) => w.frame(&pixmap, at.as_secs_f64()),
        None => Err("the GIF did not start".to_string()),
    }
}

/// What a command wrote: bytes for standard output, and the files it wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub stdout: Vec<u8>,
    pub files: Vec<PathBuf>,
}

fn write(path: &Path, bytes: &[u8], written: &mut Written) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(format!(
            "error: the directory {} does not exist",
            dir.display()
        ));
    }
    write_atomic_bytes(path, bytes).map_err(|e| format!("error: {e}"))?;
    written.files.push(path.to_path_buf());
    Ok(())
}

/// `kidex shot`: one screen after the clock move and the keys.
pub fn shot(mut sim: Simulator, a: &ShotArgs, stdout_is_tty: bool) -> Result<Written, String> {
    let e = |m: String| format!("error: {m}");
    let size = parse_size(&a.picture.size).map_err(e)?;
    let to_stdout = a.output.as_os_str() == "-";
    let format = match &a.format {
        Some(f) => Format::parse(f).map_err(e)?,
        None if to_stdout => Format::Txt,
        None => Format::for_path(&a.output).ok_or_else(|| {
            e(format!(
                "cannot tell the format from {}: give --format txt|ansi|html|svg|png",
                a.output.display()
            ))
        })?,
    };
    if to_stdout && !format.is_text() && stdout_is_tty {
        return Err(e("a PNG would garble the terminal: give -o FILE".into()));
    }
    if let Some(at) = &a.at {
        move_clock(&mut sim, &At::parse(at.trim_start_matches('+')).map_err(e)?).map_err(e)?;
    }
    let theme = load_theme(&a.picture.theme).map_err(e)?;
    let mut r = renderer(&a.picture, &theme).map_err(e)?;
    let mut ui = Headless::new(sim, size, theme);
    ui.keys(&a.keys).map_err(e)?;
    let bytes = r.encode(&ui.screen(), format).map_err(e)?;
    let mut out = Written::default();
    if to_stdout {
        out.stdout = bytes;
    } else {
        write(&a.output, &bytes, &mut out)?;
    }
    Ok(out)
}

/// `kidex record`: a tape played into a cast or GIF, and its screenshots.
pub fn record(sim: Simulator, a: &RecordArgs, load_state: LoadState) -> Result<Written, String> {
    let e = |m: String| format!("error: {m}");
    let file = a.tape.display().to_string();
    let text = std::fs::read_to_string(&a.tape)
        .map_err(|err| e(format!("cannot read tape {file}: {err}")))?;
    let key_ok = |k: &str| crate::tui::event::Key::parse(k).map(|_| ());
    let keys_ok = |k: &str| crate::tui::event::parse_keys(k).map(|_| ());
    let tape = Tape::parse(&file, &text, &key_ok, &keys_ok).map_err(e)?;
    let formats = Format::parse_list(&a.format).map_err(e)?;
    let kind = a
        .output
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(kind.as_deref(), Some("cast" | "gif")) {
        return Err(e(format!(
            "the recording must be a .cast or .gif file, not {}",
            a.output.display()
        )));
    }
    let start = Start {
        sim,
        size: parse_size(&a.picture.size).map_err(e)?,
        theme: a.picture.theme.clone(),
        load_state,
    };
    // The palette follows the theme the tape starts with.
    let theme = load_theme(tape.starting_theme().unwrap_or(&a.picture.theme)).map_err(e)?;
    let mut r = renderer(&a.picture, &theme).map_err(e)?;
    let mut out = Written::default();
    let (rec, recording) = if kind.as_deref() == Some("gif") {
        let mut writer: Option<GifWriter> = None;
        // At most five frames a second: each fifth of a second shows the screen its end had.
        let mut window: Option<(Duration, Screen)> = None;
        let rec = play(&file, &tape, start, &mut |at, screen| {
            match &mut window {
                Some((from, latest)) if at < *from + GIF_FRAME => *latest = screen.clone(),
                _ => {
                    if let Some((from, latest)) = window.take() {
                        gif_frame(&mut r, &mut writer, from, &latest)?;
                    }
                    window = Some((at, screen.clone()));
                }
            }
            Ok(())
        })
        .map_err(e)?;
        if let Some((from, latest)) = window.take() {
            gif_frame(&mut r, &mut writer, from, &latest).map_err(e)?;
        }
        let bytes = writer
            .ok_or_else(|| e("the tape drew nothing".into()))?
            .finish(rec.end.as_secs_f64())
            .map_err(e)?;
        (rec, bytes)
    } else {
        let title = a.tape.file_stem().and_then(|s| s.to_str());
        let mut cast: Option<Cast> = None;
        let rec = play(&file, &tape, start, &mut |at, screen| {
            cast.get_or_insert_with(|| Cast::new(screen.width, screen.height, title))
                .frame(at.as_secs_f64(), screen);
            Ok(())
        })
        .map_err(e)?;
        let text = cast
            .ok_or_else(|| e("the tape drew nothing".into()))?
            .finish(rec.end.as_secs_f64());
        (rec, text.into_bytes())
    };
    write(&a.output, &recording, &mut out)?;

    let dir = a
        .shots
        .clone()
        .unwrap_or_else(|| a.output.parent().map(Path::to_path_buf).unwrap_or_default());
    for (name, screen) in &rec.shots {
        for f in &formats {
            let bytes = r.encode(screen, *f).map_err(e)?;
            write(
                &dir.join(format!("{name}.{}", f.extension())),
                &bytes,
                &mut out,
            )?;
        }
    }
    Ok(out)
}

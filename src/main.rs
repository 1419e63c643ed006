//! The `kidex` binary: parse arguments, load the state, run one command, save, and map every
//! failure to one line on stderr and an exit code (0 ok, 1 failed, 2 usage).

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use kidex::cli::{self, Cli};
use kidex::sim::Simulator;
use kidex::state;

/// mimalloc: the simulator allocates many small, short-lived strings; measured 18 % faster
/// than the system allocator on `advance 24h` over 10 000 pods (see benches/throughput.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Never show a panic's text or backtrace: one line, and a distinct exit code.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "kidex: internal error: {msg} (please report this)"
        );
    }));
    let args = match Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(args) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            let _ = writeln!(std::io::stderr(), "{msg}");
            ExitCode::from(1)
        }
    }
}

fn load(args: &cli::args::GlobalArgs) -> Result<Simulator, String> {
    let loaded = match &args.state {
        Some(path) => state::open(path, args.seed),
        None => state::demo::open_default(args.seed),
    };
    loaded.map_err(|e| format!("error: {e}"))
}

fn read_input(name: &str) -> Result<String, String> {
    if name == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(name).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("the path {name:?} does not exist"),
        _ => format!("cannot read {name}: {e}"),
    })
}

fn run(args: Cli) -> Result<u8, String> {
    if args.global.save && args.global.state.is_none() {
        return Err("error: --save needs --state FILE (the built-in demo state is read-only); use --out FILE to write a copy".into());
    }
    let mut sim = load(&args.global)?;
    let Some(command) = args.command else {
        print!("{}", kidex::present::summary::summary(&sim));
        println!();
        let mut help = <Cli as clap::CommandFactory>::command();
        let _ = help.print_help();
        return Ok(0);
    };
    let result = cli::run(&mut sim, command, &mut read_input);
    let output = match result {
        Ok(o) => o,
        Err(e) => return Err(e.0),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(output.stdout.as_bytes());
    if output.newline_only_on_tty && std::io::stdout().is_terminal() {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
    let _ = std::io::stderr().write_all(output.stderr.as_bytes());
    // --out always writes the resulting state (also a converted dump); --save only a changed one.
    if let Some(path) = args.global.out.as_deref() {
        save(&sim, path)?;
    } else if args.global.save
        && output.changed
        && let Some(path) = args.global.state.as_deref()
    {
        save(&sim, path)?;
    }
    Ok(if output.failed { 1 } else { 0 })
}

fn save(sim: &Simulator, path: &Path) -> Result<(), String> {
    state::save(sim, path).map_err(|e| format!("error: cannot save state: {e}"))
}

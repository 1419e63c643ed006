//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use kidex::sim::Simulator;
use kidex::sim::command::{Command as SimCommand, Outcome, TokenResponse, TokenReview};
use kidex::sim::tokens::request::TokenRequestSpec;

/// The built-in demo state, freshly loaded.
pub fn demo() -> Simulator {
    kidex::state::demo::open_default(None).expect("demo state loads")
}

/// The demo state with another seed.
pub fn demo_seeded(seed: u64) -> Simulator {
    kidex::state::demo::open_default(Some(seed)).expect("demo state loads")
}

pub fn create_token(
    sim: &mut Simulator,
    ns: &str,
    sa: &str,
    spec: TokenRequestSpec,
) -> TokenResponse {
    match sim.execute(SimCommand::CreateToken {
        namespace: ns.into(),
        service_account: sa.into(),
        spec,
    }) {
        Ok(Outcome::Token(t)) => *t,
        other => panic!("create token failed: {other:?}"),
    }
}

pub fn review(sim: &mut Simulator, token: &str, audiences: &[&str]) -> TokenReview {
    let cmd = SimCommand::ReviewToken {
        token: token.into(),
        audiences: audiences.iter().map(|s| s.to_string()).collect(),
    };
    match sim.execute(cmd) {
        Ok(Outcome::Review(r)) => *r,
        other => panic!("review failed: {other:?}"),
    }
}

/// The status.error of a review (None when authenticated).
pub fn review_error(sim: &mut Simulator, token: &str, audiences: &[&str]) -> Option<String> {
    review(sim, token, audiences).status.error
}

/// Output of one run of the real binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn kidex(args: &[&str]) -> Run {
    kidex_stdin(args, "")
}

pub fn kidex_stdin(args: &[&str], stdin: &str) -> Run {
    run_kidex(None, args, stdin)
}

/// Runs the binary in another working directory.
pub fn kidex_in(dir: &std::path::Path, args: &[&str]) -> Run {
    run_kidex(Some(dir), args, "")
}

fn run_kidex(dir: Option<&std::path::Path>, args: &[&str], stdin: &str) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kidex"));
    if let Some(d) = dir {
        command.current_dir(d);
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kidex starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("kidex runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "panic text reached stderr: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("RUST_BACKTRACE"),
        "backtrace hint reached stderr: {}",
        run.stderr
    );
    run
}

/// A scratch directory unique to the test.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kidex-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Decodes a JWT segment.
pub fn segment(token: &str, i: usize) -> serde_json::Value {
    use base64::Engine;
    let part = token.split('.').nth(i).expect("segment");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("json")
}

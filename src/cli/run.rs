//! Runs one parsed command against a simulator and returns what to print. No terminal, no
//! state files: the caller (the binary, or the TUI prompt) does that.

use super::args::{AdvanceArgs, Command, CreateCommand, EventsArgs, GetOutput};
use super::{apply, auth, cluster, get, openshift, token};
use crate::present::events::events_table;
use crate::present::table::RenderOptions;
use crate::sim::Simulator;
use crate::sim::clock::{format_go_duration, format_rfc3339, parse_go_duration};

/// What a command printed. `failed` makes the process exit 1 even though some output exists
/// (e.g. one document of several failed to apply).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// The command changed the cluster (so `--save`/`--out` write it).
    pub changed: bool,
    pub failed: bool,
    /// Like `kubectl create token`: end stdout with a newline only on a terminal.
    pub newline_only_on_tty: bool,
}

impl Output {
    pub fn text(stdout: impl Into<String>) -> Self {
        Output {
            stdout: stdout.into(),
            ..Default::default()
        }
    }

    pub fn changed(mut self) -> Self {
        self.changed = true;
        self
    }
}

/// A failed command: one line for stderr, exit code 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `error: <message>`, kubectl's prefix for client-side errors.
pub fn error(msg: impl std::fmt::Display) -> CliError {
    CliError(format!("error: {msg}"))
}

/// Reads a named input: a file path, or `-` for standard input.
pub type ReadInput<'a> = dyn FnMut(&str) -> Result<String, String> + 'a;

pub fn run(
    sim: &mut Simulator,
    command: Command,
    read: &mut ReadInput,
) -> Result<Output, CliError> {
    match command {
        Command::Get(a) => get::get(sim, &a),
        Command::Describe(a) => get::describe(sim, &a),
        Command::Events(a) => Ok(events(sim, &a)),
        Command::Apply(a) => apply::apply(sim, &a, read),
        Command::Create(CreateCommand::Serviceaccount { name, ns }) => {
            apply::create_service_account(sim, &name, &ns.get())
        }
        Command::Create(CreateCommand::Namespace { name }) => apply::create_namespace(sim, &name),
        Command::Create(CreateCommand::Token(a)) => token::create_token(sim, &a),
        Command::Delete(a) => apply::delete(sim, &a),
        Command::Review(a) => token::review(sim, &a, read),
        Command::Decode(a) => token::decode(sim, &a, read),
        Command::Jwks => Ok(Output::text(token::jwks_json(sim) + "\n")),
        Command::Discovery => token::discovery(sim),
        Command::Advance(a) => advance(sim, &a),
        Command::Auth(a) => auth::auth(sim, &a),
        Command::Issuer { action } => cluster::issuer(sim, action.as_ref()),
        Command::Keys { action } => cluster::keys(sim, action.as_ref()),
        Command::Restart(r) => cluster::restart(sim, &r),
        Command::Policy(p) => openshift::policy(sim, &p),
        Command::Secrets(s) => openshift::secrets(sim, &s),
        Command::Whoami { token } => openshift::whoami(sim, token.as_deref()),
        Command::NewProject { name } => openshift::new_project(sim, &name),
        Command::Shot(_) | Command::Record(_) => Err(error(
            "shot and record draw the UI to files: run them from the shell, as `kidex shot ...`",
        )),
    }
}

fn events(sim: &Simulator, a: &EventsArgs) -> Output {
    let table = events_table(sim, a.namespace.as_deref());
    if table.rows.is_empty() {
        return Output {
            stderr: "No events found.\n".into(),
            ..Default::default()
        };
    }
    Output::text(table.render(RenderOptions {
        wide: a.output == Some(GetOutput::Wide),
        ..Default::default()
    }))
}

fn advance(sim: &mut Simulator, a: &AdvanceArgs) -> Result<Output, CliError> {
    let d = parse_go_duration(&a.duration).map_err(error)?;
    if d < chrono::TimeDelta::zero() {
        return Err(error(format!(
            "cannot move the clock backwards ({})",
            a.duration
        )));
    }
    let from = sim.now();
    let happened = sim.advance(d);
    let mut out = String::new();
    if !happened.is_empty() {
        let mut text = String::from("TIME\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
        for e in &happened {
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                format_rfc3339(e.time),
                crate::present::events::type_text(e.event_type),
                e.reason,
                e.object.short(),
                e.message
            ));
        }
        out.push_str(&crate::present::tabwriter::format(&text, 6, 3));
    }
    let summary = format!(
        "advanced {} from {} to {}: {} event(s)\n",
        format_go_duration(sim.now() - from),
        format_rfc3339(from),
        format_rfc3339(sim.now()),
        happened.len()
    );
    out.push_str(&summary);
    Ok(Output {
        stdout: out,
        changed: true,
        ..Default::default()
    })
}

//! The command-line driver: clap grammar, one file per verb group, and `run` to execute a
//! parsed command against a simulator. The TUI prompt reuses `parse_line` and `run`.

pub mod apply;
pub mod args;
pub mod auth;
pub mod cluster;
pub mod get;
pub mod openshift;
pub mod resources;
pub mod run;
pub mod token;

pub use args::{Cli, Command, parse_line};
pub use run::{CliError, Output, run};

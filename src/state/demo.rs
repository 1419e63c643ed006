//! The demo states built into the binary.

use super::{StateError, open_str};
use crate::sim::Simulator;

/// How the built-in default state is named in messages.
pub const DEFAULT_NAME: &str = "demo-state/default.yaml";
/// The built-in default state: what `kidex` opens with no `--state`.
pub const DEFAULT_YAML: &str = include_str!("../../demo-state/default.yaml");

pub fn open_default(seed: Option<u64>) -> Result<Simulator, StateError> {
    open_str(DEFAULT_YAML, DEFAULT_NAME, seed)
}

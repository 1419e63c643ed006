//! kidex: a terminal explorer for Kubernetes and OpenShift workload identity, driven by a
//! deterministic simulator.
//!
//! Layers, from the bottom: [`sim`] (the pure model), [`state`] (files), [`present`] (text for
//! humans), and the drivers ([`cli`], [`tui`]). Dependencies point down only.

// Input-driven code never unwraps: errors are values a user can act on.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod cli;
pub mod present;
pub mod shot;
pub mod sim;
pub mod state;
pub mod tui;

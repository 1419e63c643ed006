//! Text for humans, shared by every driver: kubectl-style tables, describe layouts, YAML and
//! JSON, token decoding, durations. Reads the simulator; never changes it.

pub mod age;
pub mod describe;
pub mod events;
pub mod get;
pub mod lifetime;
pub mod rbac;
pub mod rules;
pub mod serialize;
pub mod summary;
pub mod table;
pub mod tabwriter;
pub mod token;
pub mod token_describe;

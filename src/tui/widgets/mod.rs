//! Small drawing helpers shared by the views.

pub mod lifetime_bar;
pub mod text;

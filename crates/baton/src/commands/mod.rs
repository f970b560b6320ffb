//! The subcommands other than `serve`.

pub mod agent;
pub mod schedule;
pub mod triggers;
pub mod workspace;

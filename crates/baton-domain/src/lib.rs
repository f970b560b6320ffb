//! Baton's domain core: the rules of the product, free of I/O.
//!
//! This crate owns conversation ownership (who may speak in a conversation at any instant), the
//! handoff policy (when a live handoff is offered and what happens otherwise), availability
//! schedules, and trigger detection. It must not touch the network, the database, the clock or the
//! file system: callers pass in instants and facts, and get decisions back. That keeps every rule
//! testable exhaustively and lets the HTTP edge, storage and AI providers change without touching it.

pub mod analytics;
pub mod brief;
pub mod contact;
pub mod handoff;
pub mod ids;
pub mod language;
pub mod message;
pub mod ownership;
pub mod schedule;
pub mod ticket;
pub mod triggers;

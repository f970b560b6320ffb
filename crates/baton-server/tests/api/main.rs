//! Integration tests: the real server on a random port with a fresh database, driven over HTTP
//! and WebSocket as the widget and the panel drive it.

mod helpers;

mod accept_race;
mod ai;
mod analytics;
mod assets;
mod attachments;
mod bad_input;
mod blob_s3;
mod bots;
mod database_outage;
mod escalation;
mod fake_freshchat;
mod flow;
mod freshchat;
mod identity;
mod isolation;
mod languages;
mod limits;
mod metrics;
mod offline;
mod openapi;
mod outbound;
mod passwords;
mod reads;
mod resume;
mod saved_replies;
mod schedule;
mod team;
mod transcripts;
mod translations;
mod triggers;

//! Baton's storage: workspaces, bots, agents, sessions, conversations with their ordered log of
//! messages and events, and handoffs.
//!
//! This crate owns the SQL and the transactions. It applies the domain's ownership rules
//! (`baton_domain::ownership`) inside the same transaction that reads the current owner, so a bot
//! reply computed before an acceptance is refused at the moment of storing, and of several
//! concurrent accepts exactly one wins. It knows nothing of HTTP, WebSockets or fan-out: callers
//! publish what a successful call returns.
//!
//! SQL is written to run on SQLite and PostgreSQL alike (`$n` parameters, text ids and timestamps,
//! no SQLite-only constructs). SQLite runs in WAL mode with one writer connection (writes are
//! serialised, which is also SQLite's fastest mode) and a pool of readers.

mod accounts;
mod conversations;
mod error;
mod freshchat;
mod handoffs;
mod knowledge;
mod records;
mod tickets;
mod time;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use accounts::{NewAgent, Session};
pub use conversations::{Appended, ConversationFilter};
pub use error::StoreError;
pub use freshchat::{
    EVENT_CONVERSATION as FRESHCHAT_EVENT_CONVERSATION, EVENT_MESSAGE as FRESHCHAT_EVENT_MESSAGE,
    FRESHCHAT_CHANNEL, FreshchatEvent, FreshchatLink, FreshchatSettings,
};
pub use handoffs::{HandoffChange, LeadPrompt, Route, WaitingHandoff};
pub use knowledge::{KnowledgeEntry, KnowledgeKind};
pub use records::*;
pub use tickets::{
    Captured, Integrations, LeadChange, NewOutboxItem, NewTicket, OutboxItem, Ticket, TicketFilter,
    TicketNote, TicketUpdate,
};
pub use time::{format_timestamp, parse_timestamp};

/// How hard SQLite works to keep a committed write across a power loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    /// fsync the WAL at every commit: survives power loss.
    Full,
    /// fsync at checkpoints only (SQLite's recommended WAL setting): survives a crash of Baton or
    /// the OS process, may lose the last commits on power loss.
    #[default]
    Normal,
}

/// The handle to Baton's database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the SQLite database at `path` and runs the migrations.
    pub async fn open_sqlite(path: &Path, durability: Durability) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.read_only(true))
            .await?;
        Ok(Store { writer, reader })
    }

    /// Opens the database named by a URL (`sqlite:///path/to/file.db`).
    pub async fn open_url(url: &str, durability: Durability) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?;
        Store::open_sqlite(options.get_filename(), durability).await
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

//! Baton's storage: workspaces, bots, agents, sessions, conversations with their ordered log of
//! messages and events, and handoffs.
//!
//! This crate owns the SQL and the transactions. It applies the domain's ownership rules
//! (`baton_domain::ownership`) inside the same transaction that reads the current owner, so a bot
//! reply computed before an acceptance is refused at the moment of storing, and of several
//! concurrent accepts exactly one wins. It knows nothing of HTTP, WebSockets or fan-out: callers
//! publish what a successful call returns.
//!
//! Two engines sit behind the one [`Store`]: SQLite (one file, the default) and PostgreSQL (one
//! database shared by several Baton processes). Every write goes to one writer thread per process
//! that owns its write connection and commits whatever has queued in one transaction (group
//! commit, `writer.rs`); reads run on a pool and see every acknowledged write. Queries are
//! written once for both engines (`db.rs`): text ids and timestamps, `$n` parameters, one
//! migrations folder per engine.

mod accounts;
mod analytics;
mod attachments;
mod cache;
mod cluster;
mod conversations;
mod db;
mod error;
mod freshchat;
mod handoffs;
mod installation;
mod knowledge;
mod reads;
mod records;
mod row;
mod saved_replies;
#[cfg(feature = "testing")]
pub mod testing;
mod tickets;
mod time;
mod visitors;
mod writer;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection as _, SqliteConnection};

pub use db::Dialect;
use db::Reader;

pub use accounts::{AgentChanges, NewAdmin, NewAgent, Session};
#[cfg(feature = "testing")]
pub use analytics::SeededHandoff;
pub use analytics::{AnalyticsRange, ExportCursor, HandoffAnalytics, HandoffExportRow};
pub use attachments::{Attached, Attachment, NewAttachment};
pub use cache::BOT_CACHE_TTL;
pub use conversations::{Appended, ConversationFilter};
pub use error::StoreError;
pub use freshchat::{
    EVENT_CONVERSATION as FRESHCHAT_EVENT_CONVERSATION, EVENT_MESSAGE as FRESHCHAT_EVENT_MESSAGE,
    FRESHCHAT_CHANNEL, FreshchatEvent, FreshchatLink, FreshchatSettings,
};
pub use handoffs::{HandoffChange, LeadPrompt, Route, WaitingHandoff};
pub use knowledge::{KnowledgeEntry, KnowledgeKind};
pub use reads::ReadState;
pub use records::*;
pub use saved_replies::SavedReply;
pub use tickets::{
    Captured, Integrations, LeadChange, NewOutboxItem, NewTicket, OutboxCount, OutboxItem, Ticket,
    TicketFilter, TicketNote, TicketUpdate,
};
pub use time::{format_timestamp, parse_timestamp};
pub use visitors::{EarlierConversation, KnownVisitor};

pub use cluster::{ClusterLock, MAX_NOTICE_BYTES, NoticeHandler};
pub use writer::{Batch, BatchObserver, MessageSink, Pending};
use writer::{Conn, PgWriter, Writer};

/// How hard SQLite works to keep a committed write across a power loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    /// fsync the WAL at every commit (one commit holds a whole batch of writes): survives power
    /// loss.
    Full,
    /// No fsync at commit (SQLite's recommended WAL setting); the checkpoint thread syncs the WAL
    /// every 50 ms while writes come: survives a crash of Baton or the OS process, may lose about
    /// the last 50 ms of commits on power loss.
    #[default]
    Normal,
}

/// How the store is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    pub durability: Durability,
    /// The most writes waiting for the writer at once; more are refused with
    /// [`StoreError::Busy`] until the queue drains.
    pub write_queue_limit: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            durability: Durability::default(),
            write_queue_limit: DEFAULT_WRITE_QUEUE_LIMIT,
        }
    }
}

/// Page cache of the write connection, in KiB (filled only as far as writes touch pages).
///
/// Enough for a full batch's dirty pages (see [`writer::MAX_BATCH`]), and no more: when a commit
/// split a B-tree page, SQLite ends the transaction by walking the whole cache's hash table (it
/// renumbers split pages through a page number far past the end of the file), so that walk costs
/// every such commit in proportion to this size. At 32 MiB that walk was a fifth of the writer
/// thread's time at 10,000 messages a second (a `perf` profile), at 4 MiB a twenty-fifth; server
/// CPU per relayed message went from 95.6–97.5 µs to 94.6–95.2 µs (BENCHMARKS.md).
const WRITER_CACHE_KIB: u32 = 8 * 1024;

/// Page cache of each read connection, in KiB.
const READER_CACHE_KIB: u32 = 512;

/// About a tenth of a second of writes at the writer's measured rate (BENCHMARKS.md).
pub const DEFAULT_WRITE_QUEUE_LIMIT: usize = 4096;

/// The handle to Baton's database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    writer: Writer,
    reader: Reader,
    bots: cache::BotCache,
    /// Where received entries and notices go (a listener feeds them on PostgreSQL).
    listeners: cluster::Listeners,
    /// Names this process in its notices (PostgreSQL).
    node: Option<String>,
}

/// Connections each process keeps to PostgreSQL for reads (the writer has its own).
const POSTGRES_READERS: u32 = 16;

impl Store {
    /// Opens (creating if needed) the SQLite database at `path` and runs the migrations.
    pub async fn open_sqlite(path: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // Migrations run once, before the writer starts, on a connection of their own.
        let mut migrating = SqliteConnection::connect_with(&connect).await?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&mut migrating)
            .await?;
        migrating.close().await?;
        let writer = Writer::start(
            Conn::Sqlite(open_writer_connection(path, options.durability)?),
            options.write_queue_limit,
        )?;
        writer.checkpoint_in_background(
            open_checkpoint_connection(path)?,
            writer::Checkpoints::for_durability(options.durability),
        )?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(
                connect
                    .synchronous(SqliteSynchronous::Normal)
                    // Each reader keeps its own page cache of the same hot pages; SQLite's
                    // default (2 MiB each) cost about 1.3 KiB of RSS per open visitor socket at
                    // 5,000 sockets. The OS page cache holds the file anyway.
                    .pragma("cache_size", format!("-{READER_CACHE_KIB}"))
                    .read_only(true),
            )
            .await?;
        let listeners = cluster::Listeners {
            sink: writer.sink_slot(),
            notices: Arc::default(),
        };
        Ok(Store {
            writer,
            reader: Reader::Sqlite(reader),
            bots: cache::BotCache::default(),
            listeners,
            node: None,
        })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user:password@host/db`) and
    /// runs its migrations: once, whichever process gets there first (sqlx holds an advisory
    /// lock while migrating, so processes starting together wait for each other).
    pub async fn open_postgres(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
        let connect = PgConnectOptions::from_str(url)?;
        let connect = match options.durability {
            Durability::Full => connect,
            // A crash of PostgreSQL itself may lose the last commits, never corrupt.
            Durability::Normal => connect.options([("synchronous_commit", "off")]),
        };
        let reader = PgPoolOptions::new()
            .max_connections(POSTGRES_READERS)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(connect.clone())
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&reader).await?;
        let node = uuid::Uuid::now_v7().simple().to_string();
        // The writer drives its connection with a runtime of its own, which must not be started
        // from inside this one.
        let writer_node = node.clone();
        let pg = tokio::task::spawn_blocking(move || PgWriter::connect(connect, writer_node))
            .await
            .map_err(|_| StoreError::Internal("connecting the writer failed unexpectedly"))??;
        let writer = Writer::start(Conn::Postgres(Box::new(pg)), options.write_queue_limit)?;
        let listeners = cluster::Listeners {
            sink: writer.sink_slot(),
            notices: Arc::default(),
        };
        let reader_pool = reader.clone();
        let reader = Reader::Postgres(reader);
        cluster::start_listener(reader_pool, reader.clone(), node.clone(), listeners.clone());
        Ok(Store {
            writer,
            reader,
            bots: cache::BotCache::default(),
            listeners,
            node: Some(node),
        })
    }

    /// Opens the database a URL names: `postgres://…` (or `postgresql://…`), or
    /// `sqlite:///path/to/file.db`.
    pub async fn open_url(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
        match url.split_once("://").map(|(scheme, _)| scheme) {
            Some("postgres" | "postgresql") => Store::open_postgres(url, options).await,
            Some("sqlite") => {
                let connect = SqliteConnectOptions::from_str(url)?;
                Store::open_sqlite(connect.get_filename(), options).await
            }
            _ => Err(StoreError::BadUrl),
        }
    }

    /// Whether other processes may share this database (PostgreSQL): then the server sends its
    /// events to them with [`Store::notify`].
    pub fn is_shared(&self) -> bool {
        self.node.is_some()
    }

    /// Sends `body` to every other process on this database (their notice handlers receive
    /// it), at most [`MAX_NOTICE_BYTES`] long; a larger one is refused. Nothing to do on SQLite,
    /// which one process owns. Notices are not stored: a process that is not listening at that
    /// moment never gets it.
    pub async fn notify(&self, body: &str) -> Result<(), StoreError> {
        let (Some(node), Reader::Postgres(pool)) = (&self.node, &self.reader) else {
            return Ok(());
        };
        let payload = format!("{node} {body}");
        if payload.len() > MAX_NOTICE_BYTES {
            return Err(StoreError::Internal("a notice is too large to send"));
        }
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(cluster::NOTICE_CHANNEL)
            .bind(payload)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// Where the notices other processes send go from now on (see [`Store::notify`]).
    pub fn set_notice_handler(&self, handler: NoticeHandler) {
        *self
            .listeners
            .notices
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(handler);
    }

    /// Which engine this store runs on.
    pub fn dialect(&self) -> Dialect {
        match self.reader {
            Reader::Sqlite(_) => Dialect::Sqlite,
            Reader::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Hands the log entries of every committed batch to `sink`, in commit order, before the
    /// writers are answered (the server fans them out to sockets); on PostgreSQL also the
    /// entries other processes committed, as their notices arrive.
    pub fn set_message_sink(&self, sink: MessageSink) {
        self.writer.set_sink(sink);
    }

    /// Tells `observer` about every batch this process's writer settles: its size, how long it
    /// took, and the log entries it stored (the server's metrics).
    pub fn set_batch_observer(&self, observer: BatchObserver) {
        self.writer.set_observer(observer);
    }

    /// How long writes currently wait for the writer (see the server's load shedding).
    pub fn write_lag(&self) -> Duration {
        self.writer.lag()
    }

    /// Commits the writes already queued, checkpoints the WAL and closes every connection.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// The database URL with its password (if any) replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let mut redacted = format!("{scheme}://");
    // A host never holds an `@`, so the last one ends the credentials, whatever characters an
    // unencoded password holds.
    let rest = match rest.rsplit_once('@') {
        Some((userinfo, after)) => {
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    redacted.push_str(user);
                    redacted.push_str(":***");
                }
                None => redacted.push_str(userinfo),
            }
            redacted.push('@');
            after
        }
        None => rest,
    };
    // A password may also come as a query parameter (`?password=…`).
    match rest.split_once('?') {
        Some((path, query)) => {
            redacted.push_str(path);
            redacted.push('?');
            let params: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            redacted.push_str(&params.join("&"));
        }
        None => redacted.push_str(rest),
    }
    redacted
}

/// The writer's own connection: WAL, foreign keys, statements cached for the whole run.
fn open_writer_connection(
    path: &Path,
    durability: Durability,
) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(64);
    let synchronous = match durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
    };
    // Checkpoints run on a connection of their own (see `Writer::checkpoint_in_background`),
    // so a commit never waits for one. Each write's savepoint keeps its undo pages in a
    // sub-journal: in memory, not a temporary file written page by page. A batch's dirty pages
    // must fit the page cache, or SQLite spills them to the WAL mid-transaction.
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON; \
         PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY; \
         PRAGMA cache_size = -{WRITER_CACHE_KIB};"
    ))?;
    Ok(conn)
}

/// The connection that copies the WAL back into the database file.
fn open_checkpoint_connection(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redact_url("postgres://baton:s3cret@db.example.com:5432/baton"),
            "postgres://baton:***@db.example.com:5432/baton"
        );
        assert_eq!(
            redact_url("postgres://baton@127.0.0.1/baton?password=s3cret&sslmode=require"),
            "postgres://baton@127.0.0.1/baton?password=***&sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://u:p%40ss@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(
            redact_url("postgres://u:pa/ss?w@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}

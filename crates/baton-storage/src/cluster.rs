//! Several Baton processes on one PostgreSQL database: what one process commits reaches the
//! sockets held by the others.
//!
//! The writer of the process that commits a batch names its log entries (conversation id and
//! sequence number, nothing else) in a `NOTIFY` on [`LOG_CHANNEL`], sent inside the batch's
//! transaction so PostgreSQL delivers it exactly when the entries are visible. Every other
//! process listens, reads the named entries from the database and hands them to the same
//! message sink its own writer uses; sockets already skip an entry they have and fill a gap from
//! storage by sequence number, so an entry that arrives twice or late does no harm.
//!
//! A listener that loses its connection can miss notices. When it is back it reads every entry
//! created since shortly before it was last known to be listening and hands those over too.
//!
//! Events that are not log entries (a handoff announced to the panels, typing, presence) travel
//! as short notices on [`NOTICE_CHANNEL`]: the server decides what they say ([`Store::notify`])
//! and what a received one does ([`Store::set_notice_handler`]).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baton_domain::ids::ConversationId;
use sqlx::postgres::{PgListener, PgPool};

use crate::db::{Reader, params};
use crate::time::{format_timestamp, now};
use crate::writer::{LOG_CHANNEL, MessageSink};
use crate::{Message, Store, StoreError};

/// The channel of the server's own notices (see [`Store::notify`]).
pub(crate) const NOTICE_CHANNEL: &str = "baton_notice";

/// PostgreSQL refuses a notice payload of 8,000 bytes or more.
pub const MAX_NOTICE_BYTES: usize = 7_900;

/// How often an idle listener checks that its connection is alive, so that after a reconnect it
/// knows from when it may have missed notices.
const LISTENER_CHECK_EVERY: Duration = Duration::from_secs(5);

/// Entries created this long before the listener was last known to be listening are read again
/// after a reconnect (covers batches in flight and clocks a little apart between nodes).
const CATCH_UP_MARGIN: Duration = Duration::from_secs(10);

/// The most entries read back after one reconnect; sockets fill any older gap from storage as
/// soon as the conversation's next entry reaches them.
const CATCH_UP_MAX: i64 = 20_000;

/// Receives the payload of every notice another process sent with [`Store::notify`].
pub type NoticeHandler = Arc<dyn Fn(&str) + Send + Sync>;

/// What the listener hands its entries and notices to.
#[derive(Clone, Default)]
pub(crate) struct Listeners {
    pub(crate) sink: Arc<Mutex<Option<MessageSink>>>,
    pub(crate) notices: Arc<Mutex<Option<NoticeHandler>>>,
}

impl std::fmt::Debug for Listeners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listeners")
    }
}

impl Listeners {
    fn sink(&self) -> Option<MessageSink> {
        self.sink.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn notices(&self) -> Option<NoticeHandler> {
        self.notices
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Listens for the other processes' log entries and notices until the pool closes.
pub(crate) fn start_listener(pool: PgPool, reader: Reader, node: String, listeners: Listeners) {
    tokio::spawn(async move {
        let mut listener = loop {
            match connect(&pool).await {
                Ok(listener) => break listener,
                Err(_) if pool.is_closed() => return,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for other nodes' changes; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        };
        let mut listening_since = Instant::now();
        loop {
            let received = tokio::select! {
                received = listener.try_recv() => received,
                () = tokio::time::sleep(LISTENER_CHECK_EVERY) => {
                    // Idle: check the connection (a lost one is re-established by the next
                    // receive, which then reports the loss).
                    if sqlx::query("SELECT 1").execute(&mut listener).await.is_ok() {
                        listening_since = Instant::now();
                    }
                    continue;
                }
            };
            match received {
                Ok(Some(notice)) => {
                    listening_since = Instant::now();
                    let Some((from, body)) = notice.payload().split_once(' ') else {
                        continue;
                    };
                    if from == node {
                        continue;
                    }
                    match notice.channel() {
                        LOG_CHANNEL => deliver_entries(&reader, &listeners, body).await,
                        NOTICE_CHANNEL => {
                            if let Some(handle) = listeners.notices() {
                                handle(body);
                            }
                        }
                        _ => {}
                    }
                }
                // The connection was lost and is back: notices sent meanwhile are gone.
                Ok(None) => {
                    tracing::warn!("reconnected to PostgreSQL; reading the entries missed");
                    let since = listening_since.elapsed() + CATCH_UP_MARGIN;
                    catch_up(&reader, &listeners, since).await;
                    listening_since = Instant::now();
                }
                Err(_) if pool.is_closed() => return,
                Err(e) => {
                    tracing::warn!(error = %e, "listening for other nodes' changes failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    });
}

async fn connect(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([LOG_CHANNEL, NOTICE_CHANNEL]).await?;
    Ok(listener)
}

/// Reads the entries a notice names (`conversation:seq` separated by spaces) and hands them to
/// the sink, each conversation's in order.
async fn deliver_entries(reader: &Reader, listeners: &Listeners, body: &str) {
    let Some(sink) = listeners.sink() else { return };
    let mut ranges: Vec<(ConversationId, i64, i64)> = Vec::new();
    for entry in body.split_whitespace() {
        let Some((conversation, seq)) = entry.split_once(':') else {
            continue;
        };
        let (Ok(conversation), Ok(seq)) = (conversation.parse(), seq.parse::<i64>()) else {
            continue;
        };
        match ranges.iter_mut().find(|(c, _, _)| *c == conversation) {
            Some((_, low, high)) => {
                *low = (*low).min(seq);
                *high = (*high).max(seq);
            }
            None => ranges.push((conversation, seq, seq)),
        }
    }
    let mut entries = Vec::new();
    for (conversation, low, high) in ranges {
        match entries_between(reader, conversation, low, high).await {
            Ok(found) => entries.extend(found),
            Err(e) => tracing::warn!(error = %e, "cannot read another node's entries"),
        }
    }
    if !entries.is_empty() {
        sink(&entries);
    }
}

async fn entries_between(
    reader: &Reader,
    conversation: ConversationId,
    low: i64,
    high: i64,
) -> Result<Vec<Message>, StoreError> {
    let sql = format!(
        "SELECT {} FROM messages WHERE conversation_id = $1 AND seq >= $2 AND seq <= $3 \
         ORDER BY seq",
        Message::COLUMNS
    );
    let rows = reader
        .fetch_all(&sql, params![conversation.to_string(), low, high])
        .await?;
    rows.iter().map(|r| Message::from_row(r)).collect()
}

/// Hands the sink every entry created in the last `window`.
async fn catch_up(reader: &Reader, listeners: &Listeners, window: Duration) {
    let Some(sink) = listeners.sink() else { return };
    let since = now()
        .checked_sub(jiff::SignedDuration::try_from(window).unwrap_or(jiff::SignedDuration::MAX))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let sql = format!(
        "SELECT {} FROM messages WHERE created_at >= $1 ORDER BY conversation_id, seq LIMIT $2",
        Message::COLUMNS
    );
    match reader
        .fetch_all(&sql, params![format_timestamp(since), CATCH_UP_MAX])
        .await
        .and_then(|rows| {
            rows.iter()
                .map(|r| Message::from_row(r))
                .collect::<Result<Vec<_>, _>>()
        }) {
        Ok(entries) if !entries.is_empty() => sink(&entries),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot read the entries missed while reconnecting"),
    }
}

/// A lock held across every process on the database, for work that must run once (a background
/// job, first run). On PostgreSQL it is a session advisory lock on a connection of its own, so
/// a process that dies (even killed) releases it with its connection; on SQLite, which one
/// process owns, it is always granted.
pub struct ClusterLock {
    conn: Option<sqlx::PgConnection>,
}

impl std::fmt::Debug for ClusterLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClusterLock")
    }
}

impl ClusterLock {
    /// Whether the lock is still held: `false` once its connection is lost (another process
    /// may hold it by now, so the work it guards must stop).
    pub async fn is_held(&mut self) -> bool {
        match &mut self.conn {
            None => true,
            Some(conn) => sqlx::query("SELECT 1").execute(conn).await.is_ok(),
        }
    }
}

/// The advisory lock key of a named lock (stable across processes and versions).
fn lock_key(name: &str) -> i64 {
    // FNV-1a: tiny, stable, and the names are our own constants.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    i64::from_ne_bytes(hash.to_ne_bytes())
}

impl Store {
    /// Takes the named cluster-wide lock if no other process holds it.
    pub async fn try_lock(&self, name: &str) -> Result<Option<ClusterLock>, StoreError> {
        let Reader::Postgres(pool) = &self.reader else {
            return Ok(Some(ClusterLock { conn: None }));
        };
        let mut conn = pool.acquire().await?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(lock_key(name))
            .fetch_one(&mut *conn)
            .await?;
        // Taken: the connection leaves the pool, and the lock lives exactly as long as it. Not
        // taken: the connection holds nothing and goes back to the pool.
        Ok(got.then(|| ClusterLock {
            conn: Some(conn.detach()),
        }))
    }

    /// Takes the named cluster-wide lock, waiting for the process holding it to let go.
    pub async fn lock(&self, name: &str) -> Result<ClusterLock, StoreError> {
        let Reader::Postgres(pool) = &self.reader else {
            return Ok(ClusterLock { conn: None });
        };
        let mut conn = pool.acquire().await?.detach();
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(lock_key(name))
            .execute(&mut conn)
            .await?;
        Ok(ClusterLock { conn: Some(conn) })
    }

    /// Records that this process holds a Live Chat panel of each of `agents`, until `ttl` from
    /// now (see [`Store::connected_agents`]). Nothing to do on SQLite: one process holds every
    /// panel and knows it.
    pub async fn refresh_presence(
        &self,
        agents: &[baton_domain::ids::AgentId],
        ttl: Duration,
    ) -> Result<(), StoreError> {
        let (Some(node), Reader::Postgres(pool)) = (&self.node, &self.reader) else {
            return Ok(());
        };
        let expires = now()
            .checked_add(jiff::SignedDuration::try_from(ttl).unwrap_or(jiff::SignedDuration::MAX))
            .unwrap_or(jiff::Timestamp::MAX);
        let ids: Vec<String> = agents.iter().map(ToString::to_string).collect();
        // One statement for every panel this process holds.
        sqlx::query(
            "INSERT INTO agent_presence (agent_id, node, expires_at) \
             SELECT a, $2, $3 FROM UNNEST($1::text[]) AS a \
             ON CONFLICT (agent_id, node) DO UPDATE SET expires_at = EXCLUDED.expires_at",
        )
        .bind(ids)
        .bind(node)
        .bind(format_timestamp(expires))
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Forgets that this process holds a panel of `agent` (its last one here closed).
    pub async fn drop_presence(&self, agent: baton_domain::ids::AgentId) -> Result<(), StoreError> {
        let (Some(node), Reader::Postgres(pool)) = (&self.node, &self.reader) else {
            return Ok(());
        };
        sqlx::query("DELETE FROM agent_presence WHERE agent_id = $1 AND node = $2")
            .bind(agent.to_string())
            .bind(node)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// The agents of the workspace with a panel open on any process, as of their leases
    /// (PostgreSQL); empty on SQLite, where the server's own count is the whole truth.
    pub async fn connected_agents(
        &self,
        workspace_id: baton_domain::ids::WorkspaceId,
    ) -> Result<Vec<baton_domain::ids::AgentId>, StoreError> {
        if self.node.is_none() {
            return Ok(Vec::new());
        }
        let rows = self
            .reader
            .fetch_all(
                "SELECT DISTINCT p.agent_id FROM agent_presence p \
                 JOIN agents a ON a.id = p.agent_id \
                 WHERE a.workspace_id = $1 AND p.expires_at > $2",
                params![workspace_id.to_string(), format_timestamp(now())],
            )
            .await?;
        rows.iter().map(|r| crate::row::id(r, "agent_id")).collect()
    }
}

//! The one writer: a thread that owns SQLite's only write connection and commits in groups.
//!
//! Every durable write (message appends, conversation starts, owner changes with their handoff
//! records, tickets, outbox rows, settings) is a unit of work handed to this thread: a closure
//! over the connection. The thread takes the first unit waiting, then whatever else queued while
//! its previous commit ran (at most [`MAX_BATCH`], never waiting for more), runs each unit under
//! its own savepoint inside one transaction, commits once, and only then answers every caller.
//! So a write is acknowledged only after the commit that holds it, a unit that fails its checks
//! rolls back to its savepoint without touching its batch mates, and with `synchronous = FULL`
//! there is one fsync per batch, not per write.
//!
//! Units run on this thread with no hop per statement (the statements are prepared once and
//! cached), which is what makes a write cost microseconds rather than a round trip to a driver's
//! worker thread per statement. This module knows nothing of what the units do.
//!
//! Every log entry a committed batch inserted is handed, in commit order, to the store's message
//! sink (set by the server to fan them out) before any caller is answered: sockets see a
//! conversation's entries in sequence order however the callers' tasks are scheduled, and an
//! entry is published even when its caller stopped waiting. That hand-over and the answers run
//! on a publisher task of the async runtime, one settled batch after another, while the thread
//! already runs the next batch: the thread only writes, and waking sockets and callers happens
//! where they live instead of from a foreign thread. (Without a runtime, as in a plain thread,
//! the thread settles each batch itself.)
//!
//! The queue is bounded: when it is full a write is refused at once ([`StoreError::Busy`]) so the
//! edge answers "try again shortly" instead of queueing without bound. A caller that stops
//! waiting (its client went away) never stalls the thread: its answer is simply dropped.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tokio::sync::oneshot;

use crate::db::{Dialect, Value, bind, positional};
use crate::row::Cols;
use crate::{Message, StoreError};

/// Receives the log entries of each committed batch, in commit order, on the publisher task: it
/// must be quick and must not block (serialise and hand over).
pub type MessageSink = Arc<dyn Fn(&[Message]) + Send + Sync>;

/// What the writer tells its batch observer about each batch it settled.
#[derive(Debug)]
pub struct Batch<'a> {
    /// The writes run in the batch's one transaction.
    pub units: usize,
    /// How long running them and committing (or failing) took.
    pub duration: Duration,
    /// Whether the transaction committed.
    pub committed: bool,
    /// The log entries the batch stored (empty when it did not commit).
    pub messages: &'a [Message],
}

/// Receives a [`Batch`] for every batch the writer settles, on the publisher task (set by the
/// server for its metrics): it must be quick and must not block.
pub type BatchObserver = Arc<dyn Fn(&Batch<'_>) + Send + Sync>;

/// The connection the writer thread owns.
pub(crate) enum Conn {
    Sqlite(Connection),
    Postgres(Box<PgWriter>),
}

/// PostgreSQL from the writer thread: a connection driven by a runtime of the thread's own, so a
/// unit's statements run one after another without leaving the thread. Reconnects after the
/// connection is lost.
pub(crate) struct PgWriter {
    runtime: tokio::runtime::Runtime,
    options: PgConnectOptions,
    conn: RefCell<Option<PgConnection>>,
    /// Names this process in change notices, so it skips its own.
    pub(crate) node: String,
    /// Statements that change rows, run since the current unit began.
    writes: std::cell::Cell<u32>,
    /// Whether a statement failed since the current unit began (PostgreSQL then refuses every
    /// further statement of the transaction, up to a rollback).
    failed: std::cell::Cell<bool>,
}

impl PgWriter {
    pub(crate) fn connect(options: PgConnectOptions, node: String) -> Result<PgWriter, StoreError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Commit(format!("cannot start the writer's runtime: {e}")))?;
        let conn = runtime.block_on(connect_within(&options))?;
        Ok(PgWriter {
            runtime,
            options,
            conn: RefCell::new(Some(conn)),
            node,
            writes: std::cell::Cell::new(0),
            failed: std::cell::Cell::new(false),
        })
    }

    fn ensure_connected(&self) -> Result<(), StoreError> {
        if self.conn.borrow().is_some() {
            return Ok(());
        }
        let conn = self.runtime.block_on(connect_within(&self.options))?;
        *self.conn.borrow_mut() = Some(conn);
        Ok(())
    }

    fn with_conn<T>(
        &self,
        run: impl AsyncFnOnce(&mut PgConnection) -> Result<T, sqlx::Error>,
    ) -> Result<T, StoreError> {
        let mut slot = self.conn.borrow_mut();
        let Some(conn) = slot.as_mut() else {
            return Err(StoreError::Unavailable(
                "the connection to the database was lost".into(),
            ));
        };
        // A network that drops packets silently would otherwise hold the writer (and every
        // write queued behind it) for the kernel's TCP timeout, many minutes.
        // (The timer is made inside the runtime: `timeout` needs one at construction.)
        let answered = self
            .runtime
            .block_on(async { tokio::time::timeout(STATEMENT_WAIT, run(conn)).await });
        let Ok(answered) = answered else {
            *slot = None;
            return Err(StoreError::Unavailable(format!(
                "the database did not answer within {} s",
                STATEMENT_WAIT.as_secs()
            )));
        };
        match answered {
            Ok(value) => Ok(value),
            Err(e) => {
                self.failed.set(true);
                if connection_lost(&e) {
                    *slot = None;
                    return Err(StoreError::Unavailable(e.to_string()));
                }
                Err(e.into())
            }
        }
    }

    fn exec(&self, sql: &str) -> Result<(), StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        self.with_conn(async move |c| sqlx::query(sql).execute(c).await.map(|_| ()))
    }
}

/// The longest the writer waits for PostgreSQL to answer one statement (a batch's first write
/// may wait this long for a row another process holds) before it treats the connection as lost.
const STATEMENT_WAIT: Duration = Duration::from_secs(30);

/// The longest the writer waits to (re)connect.
const CONNECT_WAIT: Duration = Duration::from_secs(5);

async fn connect_within(options: &PgConnectOptions) -> Result<PgConnection, StoreError> {
    match tokio::time::timeout(CONNECT_WAIT, PgConnection::connect_with(options)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(StoreError::Unavailable(e.to_string())),
        Err(_) => Err(StoreError::Unavailable(format!(
            "no connection to the database within {} s",
            CONNECT_WAIT.as_secs()
        ))),
    }
}

/// Whether the error means the connection is gone (the server restarted, the network failed).
pub(crate) fn connection_lost(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
    ) || matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| c.starts_with("57P") || c.starts_with("08")))
}

/// What a unit of work writes through: the connection, inside the batch's transaction, and the
/// list of log entries the batch inserted (published after the commit).
pub(crate) struct Tx<'a> {
    conn: &'a Conn,
    inserted: &'a RefCell<Vec<Message>>,
}

impl Tx<'_> {
    /// Records a log entry this unit inserted, to publish once the batch commits.
    pub(crate) fn inserted(&self, message: &Message) {
        self.inserted.borrow_mut().push(message.clone());
    }

    pub(crate) fn dialect(&self) -> Dialect {
        match self.conn {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs a statement; returns how many rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match self.conn {
            Conn::Sqlite(c) => {
                let changed = c
                    .prepare_cached(&positional(sql))?
                    .execute(rusqlite::params_from_iter(params))?;
                Ok(changed as u64)
            }
            Conn::Postgres(pg) => {
                pg.writes.set(pg.writes.get() + 1);
                let sql = sqlx::AssertSqlSafe(sql.to_owned());
                pg.with_conn(async move |c| {
                    bind(sqlx::query(sql), params)
                        .execute(c)
                        .await
                        .map(|r| r.rows_affected())
                })
            }
        }
    }

    /// Every row of a query, each mapped by `map`.
    pub(crate) fn query<T>(
        &self,
        sql: &str,
        params: &[Value],
        mut map: impl FnMut(&dyn Cols) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        match self.conn {
            Conn::Sqlite(c) => {
                let mut statement = c.prepare_cached(&positional(sql))?;
                let mut rows = statement.query(rusqlite::params_from_iter(params))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(map(row)?);
                }
                Ok(out)
            }
            Conn::Postgres(pg) => {
                let sql = sqlx::AssertSqlSafe(sql.to_owned());
                let rows =
                    pg.with_conn(async move |c| bind(sqlx::query(sql), params).fetch_all(c).await)?;
                rows.iter().map(|r| map(r)).collect()
            }
        }
    }

    /// The first row of a query, if any, mapped by `map`.
    pub(crate) fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(&dyn Cols) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        match self.conn {
            Conn::Sqlite(c) => {
                let mut statement = c.prepare_cached(&positional(sql))?;
                let mut rows = statement.query(rusqlite::params_from_iter(params))?;
                rows.next()?.map(|r| map(r)).transpose()
            }
            Conn::Postgres(pg) => {
                let sql = sqlx::AssertSqlSafe(sql.to_owned());
                let row = pg.with_conn(async move |c| {
                    bind(sqlx::query(sql), params).fetch_optional(c).await
                })?;
                row.map(|r| map(&r)).transpose()
            }
        }
    }

    /// The row, mapped by `map`, of a query that always returns one (a count, a row this
    /// transaction holds); its absence is a storage bug. Lookups that may miss use
    /// [`Tx::query_opt`] and say what they did not find.
    pub(crate) fn query_one<T>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(&dyn Cols) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.query_opt(sql, params, map)?
            .ok_or(StoreError::Internal(
                "a query that always returns a row returned none",
            ))
    }
}

/// The most units committed together. Large enough that the commit's own cost is shared by many
/// writes, small enough that one batch never holds the thread for long.
pub(crate) const MAX_BATCH: usize = 256;

/// A write accepted by the writer thread, waiting for its batch.
trait Unit: Send {
    /// Runs the unit inside the batch's transaction. `false` when it failed (its savepoint is
    /// then rolled back). With `keep`, the work stays runnable for a retry (see
    /// [`Unit::contended`]).
    fn run(&mut self, tx: &Tx<'_>, keep: bool) -> bool;
    /// Whether it failed only because another process held a lock it needed: it is then run
    /// again in the next batch instead of being answered.
    fn contended(&self) -> bool;
    /// Answers the caller once the batch is settled; `failure` is set when the batch as a whole
    /// did not commit.
    fn answer(self: Box<Self>, failure: Option<&StoreError>);
    /// When the caller queued it.
    fn queued_at(&self) -> Instant;
    /// Whether it runs under a savepoint of its own (see [`Writer::submit_checked`]).
    fn savepoint(&self) -> bool;
}

enum Command {
    Write(Box<dyn Unit>),
    /// Stop after the writes queued before this one, checkpoint and close the connection.
    Close(oneshot::Sender<()>),
}

struct Call<F, R> {
    queued_at: Instant,
    savepoint: bool,
    work: Option<F>,
    result: Option<Result<R, StoreError>>,
    reply: oneshot::Sender<Result<R, StoreError>>,
}

impl<F, R> Unit for Call<F, R>
where
    F: FnOnce(&Tx<'_>) -> Result<R, StoreError> + Clone + Send,
    R: Send,
{
    fn run(&mut self, tx: &Tx<'_>, keep: bool) -> bool {
        let work = if keep {
            self.work.clone()
        } else {
            self.work.take()
        };
        let Some(work) = work else {
            return false;
        };
        // A bug in one unit must not take the writer (and every later write) down with it.
        let result = catch_unwind(AssertUnwindSafe(|| work(tx))).unwrap_or(Err(
            StoreError::Internal("a storage write failed unexpectedly"),
        ));
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn contended(&self) -> bool {
        matches!(&self.result, Some(Err(e)) if e.is_lock_contention())
    }

    fn answer(self: Box<Self>, failure: Option<&StoreError>) {
        let result = match (self.result, failure) {
            // A unit that failed on its own wrote nothing either way: its own error is the answer.
            (Some(Err(own)), _) => Err(own),
            (Some(Ok(value)), None) => Ok(value),
            (Some(Ok(_)), Some(failure)) | (None, Some(failure)) => Err(failure.for_batch_mate()),
            (None, None) => Err(StoreError::Internal("a storage write was never run")),
        };
        // The caller may have gone (client disconnected): nothing to do then.
        let _ = self.reply.send(result);
    }

    fn queued_at(&self) -> Instant {
        self.queued_at
    }

    fn savepoint(&self) -> bool {
        self.savepoint
    }
}

/// A queued write: resolves once the batch holding it committed (or failed).
#[derive(Debug)]
pub struct Pending<R>(oneshot::Receiver<Result<R, StoreError>>);

impl<R> Future for Pending<R> {
    type Output = Result<R, StoreError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|answer| answer.unwrap_or(Err(StoreError::Closed)))
    }
}

/// The handle to the writer thread. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Writer {
    queue: SyncSender<Command>,
    thread: Arc<Mutex<Option<JoinHandle<()>>>>,
    sink: Arc<Mutex<Option<MessageSink>>>,
    observer: Arc<Mutex<Option<BatchObserver>>>,
    /// Dropped at close, which stops the checkpoint thread.
    checkpoints: Arc<Mutex<Option<SyncSender<()>>>>,
    /// How long the oldest write of the latest batch waited in the queue, in microseconds.
    lag_us: Arc<AtomicU64>,
    /// Set by the checkpoint thread when the WAL has grown past [`Checkpoints::restart_pages`]: the
    /// writer then copies what is left between two batches (see [`Writer::checkpoint_in_background`]).
    finish_checkpoint: Arc<AtomicU8>,
    /// How many batches the writer has run, so the checkpoint thread syncs the WAL only after
    /// it may have changed.
    commits: Arc<AtomicU64>,
}

/// When the WAL is copied back into the database file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Checkpoints {
    /// How often the checkpoint thread copies the WAL.
    pub every: Duration,
    /// The WAL length, in pages, past which the writer finishes a checkpoint itself so that the
    /// WAL starts over from its beginning.
    pub restart_pages: i64,
    /// How often the checkpoint thread writes the WAL's new pages to disk between two copies,
    /// if at all (see [`Writer::checkpoint_in_background`]).
    pub flush_every: Option<Duration>,
}

impl Checkpoints {
    /// The schedule for a database written with `durability`.
    pub(crate) fn for_durability(durability: crate::Durability) -> Checkpoints {
        Checkpoints {
            every: Duration::from_secs(1),
            // 16 MiB at SQLite's default 4 KiB pages.
            restart_pages: 4096,
            // With `full`, every commit syncs the WAL itself.
            flush_every: match durability {
                crate::Durability::Normal => Some(Duration::from_millis(50)),
                crate::Durability::Full => None,
            },
        }
    }
}

/// What the checkpoint thread asks the writer to do between two batches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Finish {
    Nothing = 0,
    /// Copy what is left without waiting for anyone: the next write starts the WAL over unless a
    /// read that began before the copy is still running.
    Copy = 1,
    /// Copy what is left and wait for older reads to end: the WAL starts over for certain.
    CopyAndWait = 2,
}

impl Finish {
    fn from_u8(v: u8) -> Finish {
        match v {
            1 => Finish::Copy,
            2 => Finish::CopyAndWait,
            _ => Finish::Nothing,
        }
    }
}

/// How many times the WAL has started over: the checkpoint sequence number in its header, which
/// SQLite increments at each restart (bytes 12–15, big-endian; see SQLite's file format). `None`
/// while there is no WAL file or it is shorter than its header.
fn wal_restarts(wal: &std::path::Path) -> Option<u32> {
    use std::io::Read;
    let mut header = [0u8; 16];
    std::fs::File::open(wal)
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    Some(u32::from_be_bytes([
        header[12], header[13], header[14], header[15],
    ]))
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

impl Writer {
    /// Starts the thread that owns `conn`. At most `queue_limit` writes wait at any time.
    pub(crate) fn start(conn: Conn, queue_limit: usize) -> Result<Writer, StoreError> {
        let (queue, inbox) = mpsc::sync_channel(queue_limit.max(1));
        let sink = Arc::new(Mutex::new(None));
        let observer = Arc::new(Mutex::new(None));
        let publisher = Publisher::start(Arc::clone(&sink), Arc::clone(&observer));
        let lag_us = Arc::new(AtomicU64::new(0));
        let thread_lag = Arc::clone(&lag_us);
        let finish_checkpoint = Arc::new(AtomicU8::new(Finish::Nothing as u8));
        let thread_finish = Arc::clone(&finish_checkpoint);
        let commits = Arc::new(AtomicU64::new(0));
        let thread_commits = Arc::clone(&commits);
        let thread = std::thread::Builder::new()
            .name("baton-writer".into())
            .spawn(move || {
                let shared = RunShared {
                    lag_us: &thread_lag,
                    finish_checkpoint: &thread_finish,
                    commits: &thread_commits,
                };
                run(conn, inbox, &publisher, shared)
            })
            .map_err(|e| StoreError::Commit(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer {
            queue,
            thread: Arc::new(Mutex::new(Some(thread))),
            sink,
            observer,
            checkpoints: Arc::default(),
            lag_us,
            finish_checkpoint,
            commits,
        })
    }

    /// How long the oldest write of the latest batch waited for the writer: near zero while it
    /// keeps up, growing while writes arrive faster than it commits them.
    pub(crate) fn lag(&self) -> Duration {
        Duration::from_micros(self.lag_us.load(Ordering::Relaxed))
    }

    /// Copies the WAL into the database file every [`Checkpoints::every`] on `conn`, a connection
    /// of its own: SQLite would otherwise checkpoint inside a commit now and then, holding up
    /// every write of that batch for milliseconds. PASSIVE never blocks the writer or readers;
    /// what it cannot copy yet is copied next time.
    ///
    /// SQLite starts the WAL over from its beginning only when a write begins with every page of
    /// it copied, which never happens while writes keep coming: the WAL would grow for as long
    /// as the load lasts (about 150 MB a second at 5,000 messages a second), each commit
    /// appending to new parts of the file. So once it is longer than
    /// [`Checkpoints::restart_pages`], the writer copies the little that arrived since this
    /// checkpoint, between two batches, so that its next write starts the WAL over. That copy
    /// does not wait for reads still using older pages (waiting, in SQLite's busy handler's
    /// sleeps of 1, 2, 5 ms…, held up every write); a read that was running leaves the WAL as it
    /// is until the next try. If the WAL did not start over since the previous try, the writer
    /// waits for reads to end this time (SQLite's RESTART checkpoint), so the WAL stays bounded
    /// however busy the readers are.
    ///
    /// The writer's copy must not be the one that writes a second of work to disk, yet SQLite
    /// syncs the database file only after a pass that reached the WAL's end, which none does
    /// while writes keep coming: every page the passes copied would wait for the writer's copy
    /// to sync it, 1 ms at the start of a load growing to 14 ms after ten seconds of 10,000
    /// messages a second. So this thread syncs the database file after each of its passes,
    /// and, every [`Checkpoints::flush_every`], the WAL pages written since (with
    /// `--durability normal` commits do not sync them). Syncing a second of WAL at once, 250 MB
    /// at that rate, held up the writer's own writes to the WAL for up to 17 ms.
    pub(crate) fn checkpoint_in_background(
        &self,
        conn: Connection,
        when: Checkpoints,
    ) -> Result<(), StoreError> {
        let (stop, stopped) = mpsc::sync_channel::<()>(0);
        let finish = Arc::clone(&self.finish_checkpoint);
        let commits = Arc::clone(&self.commits);
        let wal = conn
            .path()
            .map(|db| std::path::PathBuf::from(format!("{db}-wal")));
        let tick = when.flush_every.map_or(when.every, |f| f.min(when.every));
        std::thread::Builder::new()
            .name("baton-checkpoint".into())
            .spawn(move || {
                // How often the WAL had started over when the writer was last asked to copy.
                let mut asked_at = None;
                let mut next_copy = Instant::now() + when.every;
                let mut flushed_at = commits.load(Ordering::Relaxed);
                // The writer's batch count when a checkpoint last left nothing to copy: while it
                // stays the same, the WAL has nothing new and the thread stays idle (a pass
                // would still sync the database file).
                let mut copied_all_at = None;
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                    if Instant::now() < next_copy {
                        let committed = commits.load(Ordering::Relaxed);
                        if committed != flushed_at {
                            flushed_at = committed;
                            if let Err(e) = sync_file(&conn, SqliteFile::Wal) {
                                tracing::warn!(error = %e, "writing the WAL to disk failed");
                            }
                        }
                        continue;
                    }
                    next_copy = Instant::now() + when.every;
                    let committed = commits.load(Ordering::Relaxed);
                    if copied_all_at == Some(committed) {
                        continue;
                    }
                    let caught_up = catch_up(&conn);
                    copied_all_at = match caught_up {
                        Ok((pages, copied)) if copied == pages => Some(committed),
                        _ => None,
                    };
                    match caught_up.map(|(pages, _)| pages) {
                        Ok(pages) if pages >= when.restart_pages => {
                            let restarts = wal.as_deref().and_then(wal_restarts);
                            let ask = if asked_at.is_some() && asked_at == restarts {
                                Finish::CopyAndWait
                            } else {
                                Finish::Copy
                            };
                            asked_at = restarts;
                            finish.fetch_max(ask as u8, Ordering::Relaxed);
                        }
                        Ok(_) => asked_at = None,
                        Err(e) => tracing::warn!(error = %e, "background checkpoint failed"),
                    }
                }
            })
            .map_err(|e| StoreError::Commit(format!("cannot start the checkpoint thread: {e}")))?;
        *self.checkpoints.lock().unwrap_or_else(|e| e.into_inner()) = Some(stop);
        Ok(())
    }

    /// The slot holding the sink (shared with the listener for other processes' entries).
    pub(crate) fn sink_slot(&self) -> Arc<Mutex<Option<MessageSink>>> {
        Arc::clone(&self.sink)
    }

    /// Where the log entries of each committed batch go from now on.
    pub(crate) fn set_sink(&self, sink: MessageSink) {
        *self.sink.lock().unwrap_or_else(|e| e.into_inner()) = Some(sink);
    }

    /// Who is told about each batch from now on.
    pub(crate) fn set_observer(&self, observer: BatchObserver) {
        *self.observer.lock().unwrap_or_else(|e| e.into_inner()) = Some(observer);
    }

    /// Runs `work` in the next batch and answers after that batch committed.
    pub(crate) async fn write<R, F>(&self, work: F) -> Result<R, StoreError>
    where
        F: FnOnce(&Tx<'_>) -> Result<R, StoreError> + Clone + Send + 'static,
        R: Send + 'static,
    {
        self.submit(work)?.await
    }

    /// Queues `work` now (writes run in the order they were queued) and returns what answers
    /// once its batch committed, so a caller can queue several writes before awaiting any.
    pub(crate) fn submit<R, F>(&self, work: F) -> Result<Pending<R>, StoreError>
    where
        F: FnOnce(&Tx<'_>) -> Result<R, StoreError> + Clone + Send + 'static,
        R: Send + 'static,
    {
        self.queue_unit(work, true)
    }

    /// [`Writer::submit`] for work that makes every check before its first write, so it needs
    /// no savepoint (a savepoint copies each page the write touches, and the writer thread is
    /// the one part that cannot spread over the cores). Failing before writing leaves its batch
    /// mates untouched, as a savepoint would; failing after writing (only a database error can)
    /// rolls the whole batch back, as a disk-full error does anyway.
    pub(crate) fn submit_checked<R, F>(&self, work: F) -> Result<Pending<R>, StoreError>
    where
        F: FnOnce(&Tx<'_>) -> Result<R, StoreError> + Clone + Send + 'static,
        R: Send + 'static,
    {
        self.queue_unit(work, false)
    }

    fn queue_unit<R, F>(&self, work: F, savepoint: bool) -> Result<Pending<R>, StoreError>
    where
        F: FnOnce(&Tx<'_>) -> Result<R, StoreError> + Clone + Send + 'static,
        R: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let unit = Box::new(Call {
            queued_at: Instant::now(),
            savepoint,
            work: Some(work),
            result: None,
            reply,
        });
        match self.queue.try_send(Command::Write(unit)) {
            Ok(()) => Ok(Pending(answer)),
            Err(TrySendError::Full(_)) => Err(StoreError::Busy),
            Err(TrySendError::Disconnected(_)) => Err(StoreError::Closed),
        }
    }

    /// Commits what is queued, checkpoints the WAL and closes the connection. Later writes get
    /// [`StoreError::Closed`].
    pub(crate) async fn close(&self) {
        drop(
            self.checkpoints
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take(),
        );
        let (done, closed) = oneshot::channel();
        // A full queue drains in milliseconds; wait for room rather than skip the checkpoint.
        let queue = self.queue.clone();
        let sent = tokio::task::spawn_blocking(move || queue.send(Command::Close(done))).await;
        if matches!(sent, Ok(Ok(()))) {
            let _ = closed.await;
        }
        let handle = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(handle) = handle {
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
    }
}

/// What the writer thread shares with the rest of the store.
struct RunShared<'a> {
    lag_us: &'a AtomicU64,
    finish_checkpoint: &'a AtomicU8,
    commits: &'a AtomicU64,
}

fn run(conn: Conn, inbox: Receiver<Command>, publisher: &Publisher, shared: RunShared<'_>) {
    let RunShared {
        lag_us,
        finish_checkpoint,
        commits,
    } = shared;
    let mut batch: Vec<Box<dyn Unit>> = Vec::with_capacity(MAX_BATCH);
    // Units that met another process's lock, run first in the next batch (PostgreSQL only).
    let mut carried: VecDeque<Box<dyn Unit>> = VecDeque::new();
    let inserted = RefCell::new(Vec::new());
    let mut closing = None;
    while closing.is_none() || !carried.is_empty() {
        batch.extend(carried.drain(..));
        if closing.is_none() {
            let first = if !batch.is_empty() {
                inbox.try_recv().ok()
            } else {
                match inbox.try_recv() {
                    Ok(first) => Some(first),
                    Err(mpsc::TryRecvError::Disconnected) => break,
                    Err(mpsc::TryRecvError::Empty) => {
                        // Nothing waits: the writer is keeping up.
                        lag_us.store(0, Ordering::Relaxed);
                        let Ok(first) = inbox.recv() else { break };
                        Some(first)
                    }
                }
            };
            let mut next = first;
            while let Some(message) = next.take() {
                match message {
                    Command::Write(unit) => batch.push(unit),
                    Command::Close(done) => {
                        closing = Some(done);
                        break;
                    }
                }
                if batch.len() < MAX_BATCH {
                    next = inbox.try_recv().ok();
                }
            }
        }
        if batch.is_empty() {
            continue;
        }
        let waited = batch[0].queued_at().elapsed();
        lag_us.store(
            u64::try_from(waited.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        let tx = Tx {
            conn: &conn,
            inserted: &inserted,
        };
        let started = Instant::now();
        let failure = match &conn {
            Conn::Sqlite(c) => commit_sqlite(c, &tx, &mut batch),
            Conn::Postgres(pg) => {
                let (failure, rest) = commit_postgres(pg, &tx, &mut batch);
                carried.extend(rest);
                failure
            }
        };
        commits.fetch_add(1, Ordering::Relaxed);
        let settled = Settled {
            stored: std::mem::take(&mut *inserted.borrow_mut()),
            units: std::mem::take(&mut batch),
            duration: started.elapsed(),
            failure,
        };
        publisher.settle(settled);
        if let Conn::Sqlite(c) = &conn {
            let finish = finish_checkpoint.swap(Finish::Nothing as u8, Ordering::Relaxed);
            finish_wal(c, Finish::from_u8(finish));
        }
    }
    if let Conn::Sqlite(c) = &conn
        && let Err(e) = c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
    {
        tracing::warn!(error = %e, "checkpoint at close failed");
    }
    drop(conn);
    if let Some(done) = closing {
        publisher.close(done);
    }
}

/// Copies the WAL into the database file, again while the pages written during the previous
/// pass are many, so that what is left for the writer is little (its copy holds up writes).
/// Each pass's pages are synced right after it. Returns how many pages the WAL holds and how
/// many of them are copied.
fn catch_up(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    // Columns: busy, pages in the WAL, pages copied.
    let pass = || {
        let counts = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        })?;
        sync_file(conn, SqliteFile::Database)?;
        Ok::<_, rusqlite::Error>(counts)
    };
    let (mut pages, mut copied) = pass()?;
    for _ in 0..4 {
        let (now, copied_now) = pass()?;
        let fresh = now - copied;
        (pages, copied) = (now, copied_now);
        if fresh < CAUGHT_UP_PAGES {
            break;
        }
    }
    Ok((pages, copied))
}

/// One of the files behind a connection.
#[derive(Clone, Copy, Debug)]
enum SqliteFile {
    Database,
    Wal,
}

/// Writes `file`'s modified pages to disk (SQLite's own sync: `fdatasync` or `fsync`) through
/// the connection's handle of it. Opening the file again would not do: closing that second
/// descriptor would drop every POSIX lock this process holds on the file, SQLite's included.
/// Returns false, having done nothing, while the connection has not opened the file.
fn sync_file(conn: &Connection, file: SqliteFile) -> rusqlite::Result<bool> {
    use rusqlite::ffi;
    let op = match file {
        SqliteFile::Database => ffi::SQLITE_FCNTL_FILE_POINTER,
        SqliteFile::Wal => ffi::SQLITE_FCNTL_JOURNAL_POINTER,
    };
    let mut handle: *mut ffi::sqlite3_file = std::ptr::null_mut();
    // SAFETY: `conn` is open for the whole call and used by this thread only; both file controls
    // write one `sqlite3_file` pointer (or null) into `handle`, which outlives the call.
    let rc = unsafe {
        ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            op,
            (&raw mut handle).cast(),
        )
    };
    if rc != ffi::SQLITE_OK {
        return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), None));
    }
    // SAFETY: a non-null handle is the connection's open file object, valid while `conn` is
    // open; its methods are null until the file is opened.
    let sync = unsafe { handle.as_ref() }
        .and_then(|f| unsafe { f.pMethods.as_ref() })
        .and_then(|m| m.xSync);
    let Some(sync) = sync else {
        return Ok(false);
    };
    // SAFETY: `sync` is this file's own method, called with its own object, as SQLite does.
    let rc = unsafe { sync(handle, ffi::SQLITE_SYNC_NORMAL) };
    if rc != ffi::SQLITE_OK {
        return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), None));
    }
    Ok(true)
}

/// Pages written during a checkpoint pass below which the background thread stops catching up.
const CAUGHT_UP_PAGES: i64 = 256;

/// Copies what is left of the WAL, on the writer's connection between two batches, so that the
/// next write starts the WAL over (see [`Writer::checkpoint_in_background`]).
fn finish_wal(c: &Connection, finish: Finish) {
    let pragma = match finish {
        Finish::Nothing => return,
        Finish::Copy => "PRAGMA wal_checkpoint(PASSIVE)",
        Finish::CopyAndWait => "PRAGMA wal_checkpoint(RESTART)",
    };
    let started = Instant::now();
    // Columns: busy, pages in the WAL, pages copied.
    match c.query_row(pragma, [], |r| {
        Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    }) {
        Ok((pages, copied)) => tracing::debug!(
            ?finish,
            pages,
            copied,
            took_us = started.elapsed().as_micros(),
            "WAL copied by the writer; the next write starts it over if every page was"
        ),
        Err(e) => tracing::warn!(error = %e, "checkpoint between batches failed"),
    }
}

/// A batch the thread is done with: what it stored and the writes whose callers wait.
struct Settled {
    stored: Vec<Message>,
    units: Vec<Box<dyn Unit>>,
    duration: Duration,
    /// Why the batch as a whole did not commit, if it did not.
    failure: Option<StoreError>,
}

/// What the publisher task receives, in order.
enum Publish {
    Batch(Settled),
    /// Every batch before this one is settled: tell the closer.
    Closed(oneshot::Sender<()>),
}

/// Settled batches not yet published before the thread waits for the publisher: enough for
/// bursts, small enough that a stalled runtime stops the writer instead of piling up answers.
const PUBLISH_QUEUE: usize = 64;

/// Where the thread sends settled batches: the publisher task, or itself when there is none.
struct Publisher {
    task: Option<tokio::sync::mpsc::Sender<Publish>>,
    sink: Arc<Mutex<Option<MessageSink>>>,
    observer: Arc<Mutex<Option<BatchObserver>>>,
}

impl Publisher {
    /// Spawns the publisher task on the current runtime, if there is one.
    fn start(
        sink: Arc<Mutex<Option<MessageSink>>>,
        observer: Arc<Mutex<Option<BatchObserver>>>,
    ) -> Publisher {
        let task = tokio::runtime::Handle::try_current().ok().map(|runtime| {
            let (task, mut inbox) = tokio::sync::mpsc::channel(PUBLISH_QUEUE);
            let (sink, observer) = (Arc::clone(&sink), Arc::clone(&observer));
            runtime.spawn(async move {
                while let Some(next) = inbox.recv().await {
                    match next {
                        Publish::Batch(settled) => settle(settled, &sink, &observer),
                        Publish::Closed(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            });
            task
        });
        Publisher {
            task,
            sink,
            observer,
        }
    }

    /// Hands a settled batch over, in order; settles it here if the runtime is gone.
    fn settle(&self, settled: Settled) {
        let Some(task) = &self.task else {
            return settle(settled, &self.sink, &self.observer);
        };
        if let Err(tokio::sync::mpsc::error::SendError(Publish::Batch(settled))) =
            task.blocking_send(Publish::Batch(settled))
        {
            settle(settled, &self.sink, &self.observer);
        }
    }

    /// Tells `done` once every batch handed over before is settled.
    fn close(&self, done: oneshot::Sender<()>) {
        match &self.task {
            Some(task) => {
                if let Err(tokio::sync::mpsc::error::SendError(Publish::Closed(done))) =
                    task.blocking_send(Publish::Closed(done))
                {
                    let _ = done.send(());
                }
            }
            None => {
                let _ = done.send(());
            }
        }
    }
}

/// Publishes what a committed batch stored, reports the batch, then answers its callers.
fn settle(
    settled: Settled,
    sink: &Mutex<Option<MessageSink>>,
    observer: &Mutex<Option<BatchObserver>>,
) {
    let Settled {
        stored,
        units,
        duration,
        failure,
    } = settled;
    match &failure {
        Some(failure) => {
            tracing::error!(error = %failure, writes = units.len(), "a batch of writes failed")
        }
        None if !stored.is_empty() => {
            let sink = sink.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(sink) = sink
                && catch_unwind(AssertUnwindSafe(|| sink(&stored))).is_err()
            {
                tracing::error!("publishing committed messages failed");
            }
        }
        None => {}
    }
    let observer = observer.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(observer) = observer {
        let report = Batch {
            units: units.len(),
            duration,
            committed: failure.is_none(),
            messages: if failure.is_none() { &stored } else { &[] },
        };
        if catch_unwind(AssertUnwindSafe(|| observer(&report))).is_err() {
            tracing::error!("the batch observer failed");
        }
    }
    for unit in units {
        unit.answer(failure.as_ref());
    }
}

/// Runs the batch in one SQLite transaction: each unit under a savepoint (or none, see
/// [`Writer::submit_checked`]), one commit at the end. Returns why the batch as a whole failed,
/// if it did (then nothing of it is stored).
fn commit_sqlite(
    conn: &Connection,
    tx: &Tx<'_>,
    batch: &mut [Box<dyn Unit>],
) -> Option<StoreError> {
    let failed = |why: String| Some(StoreError::Commit(why));
    if let Err(e) = exec(conn, "BEGIN IMMEDIATE") {
        return failed(format!("cannot begin a transaction: {e}"));
    }
    for unit in batch.iter_mut() {
        let savepoint = unit.savepoint();
        if savepoint && let Err(e) = exec(conn, "SAVEPOINT unit") {
            return failed(abort(conn, format!("cannot open a savepoint: {e}")));
        }
        let mark = tx.inserted.borrow().len();
        let changes = conn.total_changes();
        let ok = unit.run(tx, false);
        if !ok {
            tx.inserted.borrow_mut().truncate(mark);
        }
        if !savepoint {
            if !ok && conn.total_changes() != changes {
                return failed(abort(
                    conn,
                    "a write failed after changing rows; its batch is rolled back".to_owned(),
                ));
            }
            if conn.is_autocommit() {
                return failed(
                    "the database rolled the transaction back (disk full or I/O error)".to_owned(),
                );
            }
            continue;
        }
        if conn.is_autocommit() {
            // SQLite rolled the whole transaction back itself (disk full, I/O error): every
            // write of the batch is lost, so every caller is told.
            return failed(
                "the database rolled the transaction back (disk full or I/O error)".to_owned(),
            );
        }
        let settled = if ok {
            exec(conn, "RELEASE unit")
        } else {
            exec(conn, "ROLLBACK TO unit").and_then(|()| exec(conn, "RELEASE unit"))
        };
        if let Err(e) = settled {
            return failed(abort(conn, format!("cannot close a savepoint: {e}")));
        }
    }
    match exec(conn, "COMMIT") {
        Ok(()) => None,
        Err(e) => failed(abort(conn, format!("commit failed: {e}"))),
    }
}

/// How long a unit after a batch's first waits for a row another process has locked before it
/// gives up its place (and runs first in the next batch). A batch holds its locks until it
/// commits, so two nodes' batches could otherwise each wait for a row the other holds.
const LOCK_WAIT_IN_BATCH: &str = "SET LOCAL lock_timeout = '100ms'";

/// The most log entries named in one change notice (PostgreSQL caps a payload at 8,000 bytes;
/// an entry takes at most 60).
const NOTICE_ENTRIES: usize = 100;

/// The channel other nodes listen on for new log entries.
pub(crate) const LOG_CHANNEL: &str = "baton_log";

/// Runs the batch in one PostgreSQL transaction. The first unit waits for any lock it needs (it
/// holds none of the batch's yet); a later unit that meets another process's lock ends the batch
/// there, and it and the units after it are returned to run, in order, in the next batch. Before
/// the commit, a notice names the batch's log entries (ids and sequence numbers only) for the
/// other nodes; PostgreSQL delivers it only if the commit succeeds.
///
/// Units run under a savepoint of their own, except those that make every check before their
/// first write ([`Writer::submit_checked`]: message appends, the hot path), which save two round
/// trips each. When one of those meets a lock, PostgreSQL has aborted the whole transaction: the
/// units before it run again in a transaction of their own (every unit's work is kept for a
/// retry), and it and the units after it go to the next batch.
fn commit_postgres(
    pg: &PgWriter,
    tx: &Tx<'_>,
    batch: &mut Vec<Box<dyn Unit>>,
) -> (Option<StoreError>, Vec<Box<dyn Unit>>) {
    let mut later: Vec<Box<dyn Unit>> = Vec::new();
    loop {
        match run_postgres_batch(pg, tx, batch) {
            PgOutcome::Settled(failure, mut rest) => {
                rest.append(&mut later);
                return (failure, rest);
            }
            PgOutcome::RolledBack(at) => {
                tx.inserted.borrow_mut().clear();
                let mut tail = batch.split_off(at);
                tail.append(&mut later);
                later = tail;
                if batch.is_empty() {
                    return (None, later);
                }
            }
        }
    }
}

enum PgOutcome {
    /// Committed (or failed as a whole); the units to run in the next batch.
    Settled(Option<StoreError>, Vec<Box<dyn Unit>>),
    /// The unit at this index met another process's lock outside a savepoint: the whole
    /// transaction was rolled back.
    RolledBack(usize),
}

fn run_postgres_batch(pg: &PgWriter, tx: &Tx<'_>, batch: &mut Vec<Box<dyn Unit>>) -> PgOutcome {
    let failed = |e| PgOutcome::Settled(Some(pg_abort(pg, e)), Vec::new());
    if let Err(e) = pg.ensure_connected() {
        return PgOutcome::Settled(Some(e), Vec::new());
    }
    if let Err(e) = pg.exec("BEGIN") {
        // A connection that died while idle (PostgreSQL restarted) is noticed only here: nothing
        // of the batch ran yet, so reconnect once and go on.
        let retried = matches!(e, StoreError::Unavailable(_))
            && pg.ensure_connected().is_ok()
            && pg.exec("BEGIN").is_ok();
        if !retried {
            return PgOutcome::Settled(Some(e), Vec::new());
        }
    }
    let mut rest = Vec::new();
    for i in 0..batch.len() {
        if i == 1
            && let Err(e) = pg.exec(LOCK_WAIT_IN_BATCH)
        {
            return failed(e);
        }
        let savepoint = batch[i].savepoint();
        if savepoint && let Err(e) = pg.exec("SAVEPOINT unit") {
            return failed(e);
        }
        let mark = tx.inserted.borrow().len();
        pg.writes.set(0);
        pg.failed.set(false);
        let unit = &mut batch[i];
        let ok = unit.run(tx, true);
        if !ok {
            tx.inserted.borrow_mut().truncate(mark);
        }
        if !savepoint {
            if ok || (!pg.failed.get() && pg.writes.get() == 0) {
                // Stored, or refused by its checks before writing anything.
                continue;
            }
            if unit.contended() {
                let _ = pg.exec("ROLLBACK");
                return PgOutcome::RolledBack(i);
            }
            return failed(StoreError::Commit(
                "a write failed after changing rows; its batch is rolled back".to_owned(),
            ));
        }
        let settled = if ok {
            pg.exec("RELEASE unit")
        } else {
            pg.exec("ROLLBACK TO unit")
                .and_then(|()| pg.exec("RELEASE unit"))
        };
        if let Err(e) = settled {
            return failed(e);
        }
        if !ok && unit.contended() {
            rest = batch.split_off(i);
            break;
        }
    }
    let inserted = tx.inserted.borrow();
    for chunk in inserted.chunks(NOTICE_ENTRIES) {
        let mut payload = pg.node.clone();
        for m in chunk {
            payload.push_str(&format!(" {}:{}", m.conversation_id, m.seq));
        }
        if let Err(e) = tx.execute(
            "SELECT pg_notify($1, $2)",
            &[Value::Text(LOG_CHANNEL.to_owned()), Value::Text(payload)],
        ) {
            drop(inserted);
            return PgOutcome::Settled(Some(pg_abort(pg, e)), rest);
        }
    }
    drop(inserted);
    match pg.exec("COMMIT") {
        Ok(()) => PgOutcome::Settled(None, rest),
        Err(e) => PgOutcome::Settled(Some(pg_abort(pg, e)), rest),
    }
}

fn pg_abort(pg: &PgWriter, why: StoreError) -> StoreError {
    let _ = pg.exec("ROLLBACK");
    why
}

fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

fn abort(conn: &Connection, why: String) -> String {
    if !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::params;

    fn writer() -> Writer {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
            .unwrap();
        Writer::start(Conn::Sqlite(conn), 1024).unwrap()
    }

    fn insert(k: &str, v: i64) -> impl FnOnce(&Tx<'_>) -> Result<(), StoreError> + Clone + use<> {
        let k = k.to_owned();
        move |c| {
            c.execute("INSERT INTO t (k, v) VALUES ($1, $2)", params![k, v])?;
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_failing_write_rolls_back_only_itself() {
        let w = writer();
        // Queue many at once so they share batches; the duplicate keys fail, the rest commit.
        let mut calls = Vec::new();
        for i in 0..200 {
            let w = w.clone();
            calls.push(tokio::spawn(async move {
                let key = if i % 10 == 0 {
                    "dup".to_owned()
                } else {
                    format!("k{i}")
                };
                w.write(move |c| {
                    insert(&key, i)(c)?;
                    // A write that did part of its work, then failed, leaves nothing behind.
                    if i % 7 == 0 {
                        c.execute(
                            "INSERT INTO t (k, v) VALUES ($1, 0)",
                            params![format!("half{i}")],
                        )?;
                        return Err(StoreError::Conflict("refused after a partial write"));
                    }
                    Ok(())
                })
                .await
            }));
        }
        let mut ok = 0;
        for call in calls {
            if call.await.unwrap().is_ok() {
                ok += 1;
            }
        }
        let (rows, halves): (i64, i64) = w
            .write(|c| {
                Ok((
                    c.query_one("SELECT COUNT(*) AS n FROM t", params![], |r| r.int("n"))?,
                    c.query_one(
                        "SELECT COUNT(*) AS n FROM t WHERE k LIKE 'half%'",
                        params![],
                        |r| r.int("n"),
                    )?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(halves, 0);
        assert_eq!(rows, ok);
        // Of the 180 distinct keys, those that refuse themselves after writing are not stored;
        // of the 20 writes of "dup", exactly one is.
        let refused_after_write = (0..200).filter(|i| i % 7 == 0 && i % 10 != 0).count() as i64;
        assert_eq!(ok, 180 - refused_after_write + 1);
    }

    fn entry(seq: i64) -> Message {
        Message {
            id: baton_domain::ids::MessageId::new(),
            conversation_id: baton_domain::ids::ConversationId::new(),
            seq,
            kind: baton_domain::message::MessageKind::Text,
            author_kind: baton_domain::message::AuthorKind::Visitor,
            author_agent_id: None,
            author_name: None,
            body: format!("entry {seq}"),
            client_id: None,
            data: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[tokio::test]
    async fn the_batch_observer_sees_every_write_once_and_the_committed_entries() {
        let w = writer();
        // (batches, units, entries)
        let seen = Arc::new(Mutex::new((0usize, 0usize, 0usize)));
        let observer_seen = Arc::clone(&seen);
        w.set_observer(Arc::new(move |batch: &Batch<'_>| {
            let mut seen = observer_seen.lock().unwrap();
            assert!(batch.committed);
            assert!(batch.units >= 1 && batch.units <= MAX_BATCH);
            seen.0 += 1;
            seen.1 += batch.units;
            seen.2 += batch.messages.len();
        }));
        let mut calls = Vec::new();
        for seq in 1..=100 {
            let w = w.clone();
            calls.push(tokio::spawn(async move {
                w.write(move |tx| {
                    tx.inserted(&entry(seq));
                    if seq % 4 == 0 {
                        return Err(StoreError::Conflict("refused"));
                    }
                    Ok(())
                })
                .await
            }));
        }
        for call in calls {
            let _ = call.await.unwrap();
        }
        let (batches, units, entries) = *seen.lock().unwrap();
        assert_eq!(units, 100, "every write, refused or not, ran in some batch");
        assert!((1..=100).contains(&batches));
        assert_eq!(entries, 75, "the refused writes' entries were rolled back");
    }

    #[tokio::test]
    async fn committed_entries_reach_the_sink_in_order_and_failed_ones_never() {
        let w = writer();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = Arc::clone(&seen);
        w.set_sink(Arc::new(move |entries: &[Message]| {
            let mut seen = sink_seen.lock().unwrap();
            seen.extend(entries.iter().map(|m| m.seq));
        }));
        let mut calls = Vec::new();
        for seq in 1..=100 {
            let w = w.clone();
            calls.push(tokio::spawn(async move {
                w.write(move |tx| {
                    tx.inserted(&entry(seq));
                    if seq % 3 == 0 {
                        return Err(StoreError::Conflict("refused"));
                    }
                    Ok(())
                })
                .await
            }));
            // Queue them in order; the writer batches whatever is waiting.
            tokio::task::yield_now().await;
        }
        for call in calls {
            let _ = call.await.unwrap();
        }
        let expected: Vec<i64> = (1..=100).filter(|s| s % 3 != 0).collect();
        assert_eq!(*seen.lock().unwrap(), expected);
    }

    #[tokio::test]
    async fn a_full_disk_fails_writes_without_losing_acknowledged_ones() {
        let w = writer();
        // A database that cannot grow past a few pages behaves like a full disk (SQLITE_FULL).
        w.write(|c| {
            c.query("PRAGMA max_page_count = 12", params![], |_| Ok(()))?;
            Ok(())
        })
        .await
        .unwrap();
        let mut calls = Vec::new();
        for i in 0..60 {
            let w = w.clone();
            calls.push(tokio::spawn(async move {
                let key = format!("k{i}");
                let stored = w
                    .write({
                        let key = key.clone();
                        move |c| {
                            c.execute(
                                "INSERT INTO t (k, v) VALUES ($1, zeroblob(3000))",
                                params![key],
                            )?;
                            Ok(())
                        }
                    })
                    .await;
                (key, stored.is_ok())
            }));
        }
        let mut acknowledged = Vec::new();
        let mut refused = 0;
        for call in calls {
            match call.await.unwrap() {
                (key, true) => acknowledged.push(key),
                (_, false) => refused += 1,
            }
        }
        assert!(refused > 0, "the full database refused nothing");
        let keys: Vec<String> = w
            .write(|c| {
                c.query("PRAGMA max_page_count = 100000", params![], |_| Ok(()))?;
                c.query("SELECT k FROM t ORDER BY k", params![], |r| r.text("k"))
            })
            .await
            .unwrap();
        acknowledged.sort();
        assert_eq!(
            keys, acknowledged,
            "exactly the acknowledged writes are stored"
        );
        w.write(insert("after", 1)).await.unwrap();
    }

    #[tokio::test]
    async fn checked_writes_need_no_savepoint_and_a_late_failure_fails_the_batch() {
        let w = writer();
        // Refused before writing: its batch mates are stored.
        let held = w.submit(insert("a", 1)).unwrap();
        let refused = w
            .submit_checked(|_| -> Result<(), StoreError> { Err(StoreError::Conflict("no")) })
            .unwrap();
        let after = w.submit_checked(insert("b", 2)).unwrap();
        assert!(held.await.is_ok());
        assert!(matches!(refused.await, Err(StoreError::Conflict(_))));
        assert!(after.await.is_ok());
        // Failing after a write (a bug, or the database): nothing of its batch is kept. A gate
        // holds the writer until both are queued, so they share the next batch.
        let (running, is_running) = std::sync::mpsc::channel::<()>();
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(Mutex::new(hold));
        let gate = w
            .submit(move |_| {
                running.send(()).ok();
                hold.lock().unwrap().recv().ok();
                Ok(())
            })
            .unwrap();
        is_running.recv().unwrap();
        let mate = w.submit(insert("c", 3)).unwrap();
        let late = w
            .submit_checked(|c| {
                insert("d", 4)(c)?;
                Err::<(), _>(StoreError::Conflict("refused after writing"))
            })
            .unwrap();
        release.send(()).unwrap();
        assert!(gate.await.is_ok());
        assert!(matches!(mate.await, Err(StoreError::Commit(_))));
        assert!(matches!(late.await, Err(StoreError::Conflict(_))));
        let keys: Vec<String> = w
            .write(|c| c.query("SELECT k FROM t ORDER BY k", params![], |r| r.text("k")))
            .await
            .unwrap();
        assert_eq!(keys, ["a", "b"]);
    }

    #[tokio::test]
    async fn a_panicking_write_fails_alone() {
        let w = writer();
        let r = w
            .write(|_| -> Result<(), StoreError> { panic!("bug in a unit") })
            .await;
        assert!(matches!(r, Err(StoreError::Internal(_))));
        w.write(insert("after", 1)).await.unwrap();
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once() {
        let conn = Connection::open_in_memory().unwrap();
        let w = Writer::start(Conn::Sqlite(conn), 1).unwrap();
        // Hold the thread in one write while others queue behind it.
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(Mutex::new(hold));
        let held = {
            let w = w.clone();
            tokio::spawn(async move {
                w.write(move |_| {
                    hold.lock().unwrap().recv().ok();
                    Ok(())
                })
                .await
            })
        };
        // Fill the queue; at least one later write is refused rather than waiting.
        let mut refused = 0;
        let mut waiting = Vec::new();
        for _ in 0..4 {
            let w2 = w.clone();
            let call = tokio::spawn(async move { w2.write(|_| Ok(())).await });
            tokio::task::yield_now().await;
            waiting.push(call);
        }
        release.send(()).unwrap();
        held.await.unwrap().unwrap();
        for call in waiting {
            if matches!(call.await.unwrap(), Err(StoreError::Busy)) {
                refused += 1;
            }
        }
        assert!(refused >= 1, "a full queue must refuse");
    }

    #[tokio::test]
    async fn writes_after_close_are_refused() {
        let w = writer();
        w.write(insert("a", 1)).await.unwrap();
        w.close().await;
        assert!(matches!(
            w.write(insert("b", 2)).await,
            Err(StoreError::Closed)
        ));
    }

    #[test]
    fn the_checkpoint_connection_syncs_its_own_handles_of_both_files() {
        let dir = std::env::temp_dir().join(format!("baton-sync-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("baton.db");
        let writer = crate::open_writer_connection(&path, crate::Durability::Normal).unwrap();
        writer
            .execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY); INSERT INTO t VALUES ('a')")
            .unwrap();
        let conn = crate::open_checkpoint_connection(&path).unwrap();
        // Before its first read the connection has not opened the WAL.
        assert!(!super::sync_file(&conn, super::SqliteFile::Wal).unwrap());
        let (_, pages, _): (i64, i64, i64) = conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert!(pages > 0, "the write should have left pages in the WAL");
        assert!(super::sync_file(&conn, super::SqliteFile::Database).unwrap());
        assert!(super::sync_file(&conn, super::SqliteFile::Wal).unwrap());
        drop((conn, writer));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn the_wal_starts_over_while_writes_keep_coming() {
        let dir = std::env::temp_dir().join(format!("baton-wal-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("baton.db");
        let conn = crate::open_writer_connection(&path, crate::Durability::Normal).unwrap();
        conn.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
            .unwrap();
        let w = Writer::start(Conn::Sqlite(conn), 1024).unwrap();
        let restart_pages = 64;
        w.checkpoint_in_background(
            crate::open_checkpoint_connection(&path).unwrap(),
            Checkpoints {
                every: Duration::from_millis(20),
                restart_pages,
                flush_every: Some(Duration::from_millis(5)),
            },
        )
        .unwrap();
        // One commit after another, each adding at least one page to the WAL: without a restart
        // the WAL would hold every one of them; the checkpoints keep it near 64 pages plus what
        // one interval adds.
        let commits = 16_384;
        for i in 0..commits {
            // Keys spread over the whole index, as message and client ids of many conversations.
            let key = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).to_string();
            w.write(insert(&key, i)).await.unwrap();
        }
        // The pages written since the WAL last started over.
        let pages: i64 = crate::open_checkpoint_connection(&path)
            .unwrap()
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
            .unwrap();
        w.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            pages < commits / 2,
            "{pages} pages in the WAL after {commits} commits: it never started over"
        );
    }

    #[tokio::test]
    async fn the_wal_starts_over_while_reads_keep_coming_too() {
        let dir = std::env::temp_dir().join(format!("baton-wal-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("baton.db");
        let conn = crate::open_writer_connection(&path, crate::Durability::Normal).unwrap();
        conn.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
            .unwrap();
        let w = Writer::start(Conn::Sqlite(conn), 1024).unwrap();
        w.checkpoint_in_background(
            crate::open_checkpoint_connection(&path).unwrap(),
            Checkpoints {
                every: Duration::from_millis(20),
                restart_pages: 64,
                flush_every: Some(Duration::from_millis(5)),
            },
        )
        .unwrap();
        // Reads one after another, each holding a snapshot while it runs: a copy that does not
        // wait for them often meets one, and the writer must still bound the WAL.
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (stop, path) = (Arc::clone(&stop), path.clone());
            std::thread::spawn(move || {
                let c = crate::open_checkpoint_connection(&path).unwrap();
                let mut reads = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let _: i64 = c
                        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                        .unwrap();
                    reads += 1;
                }
                reads
            })
        };
        let commits = 8_192;
        for i in 0..commits {
            let key = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).to_string();
            w.write(insert(&key, i)).await.unwrap();
        }
        stop.store(true, Ordering::Relaxed);
        let reads = reader.join().unwrap();
        let pages: i64 = crate::open_checkpoint_connection(&path)
            .unwrap()
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
            .unwrap();
        w.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(reads > 100, "only {reads} reads ran beside the writes");
        assert!(
            pages < commits / 2,
            "{pages} pages in the WAL after {commits} commits and {reads} reads: it never started over"
        );
    }
}

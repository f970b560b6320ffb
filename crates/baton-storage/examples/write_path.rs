//! Which SQLite write path: the measurement behind `writer.rs`.
//!
//! Appends messages to 1,000 conversations from many concurrent tasks, as the server does, three
//! ways, and prints messages per second and CPU per message (this process, all threads):
//!
//! - `sqlx-per-write`: the earlier design, one transaction per message on sqlx's single writer
//!   connection (load the conversation, take the next seq, insert; each statement a round trip to
//!   sqlx's worker thread);
//! - `sqlx-batched`: group commit over sqlx: one task owns the connection and runs every queued
//!   append in one transaction, a savepoint each; still a round trip per statement;
//! - `writer`: `Store::append_message`, i.e. the writer thread with rusqlite and cached
//!   statements, group commit, a savepoint per write.
//!
//! `cargo run --release -p baton-storage --example write_path -- [seconds] [full|normal]`

use std::time::{Duration, Instant};

use baton_domain::ids::ConversationId;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::ownership::Speaker;
use baton_storage::{Durability, HandoffSettings, NewMessage, Store, StoreOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Row, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

const CONVERSATIONS: usize = 1000;
const TASKS: usize = 1000;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let durability = match args.next().as_deref() {
        Some("full") => Durability::Full,
        _ => Durability::Normal,
    };
    println!(
        "{TASKS} tasks appending to {CONVERSATIONS} conversations for {seconds} s, durability {durability:?}"
    );
    println!("{:<16} {:>10} {:>14}", "path", "msg/s", "CPU µs/msg");
    for path in ["sqlx-per-write", "sqlx-batched", "writer"] {
        let (count, cpu) = run(path, seconds, durability).await;
        println!(
            "{path:<16} {:>10.0} {:>14.1}",
            count as f64 / seconds,
            cpu.as_secs_f64() * 1e6 / count.max(1) as f64
        );
    }
}

async fn run(path: &str, seconds: f64, durability: Durability) -> (u64, Duration) {
    let dir = std::env::temp_dir().join(format!("baton-write-path-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("baton.db");
    let store = Store::open_sqlite(
        &file,
        StoreOptions {
            durability,
            ..StoreOptions::default()
        },
    )
    .await
    .unwrap();
    let workspace = store.create_workspace("bench").await.unwrap();
    let bot = store
        .create_bot(workspace.id, "bot", "hi", &HandoffSettings::default())
        .await
        .unwrap();
    let mut conversations = Vec::new();
    for _ in 0..CONVERSATIONS {
        let c = store
            .create_conversation(workspace.id, bot.id, "hash", None)
            .await
            .unwrap();
        conversations.push(c.id);
    }
    let appender = match path {
        "writer" => Appender::Store(store.clone()),
        "sqlx-per-write" => Appender::PerWrite(
            SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(sqlx_options(&file, durability))
                .await
                .unwrap(),
        ),
        _ => Appender::Batched(start_sqlx_batcher(&file, durability).await),
    };
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let cpu_before = process_cpu();
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let appender = appender.clone();
        let conversation = conversations[t % CONVERSATIONS];
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                appender.append(conversation, format!("t{t}-{n}")).await;
                n += 1;
            }
            n
        }));
    }
    let mut count = 0;
    for task in tasks {
        count += task.await.unwrap();
    }
    let cpu = process_cpu() - cpu_before;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    (count, cpu)
}

fn sqlx_options(file: &std::path::Path, durability: Durability) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(file)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(match durability {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        })
        .busy_timeout(Duration::from_secs(30))
}

#[derive(Clone)]
enum Appender {
    Store(Store),
    PerWrite(sqlx::SqlitePool),
    Batched(mpsc::Sender<(ConversationId, String, oneshot::Sender<()>)>),
}

impl Appender {
    async fn append(&self, conversation: ConversationId, client_id: String) {
        match self {
            Appender::Store(store) => {
                let new = NewMessage {
                    kind: MessageKind::Text,
                    author_kind: AuthorKind::Visitor,
                    author_agent_id: None,
                    author_name: None,
                    body: "a visitor message of about sixty-four bytes, as the relay sends".into(),
                    client_id: Some(client_id),
                    data: None,
                };
                store
                    .append_message(conversation, Speaker::Visitor, new, true)
                    .await
                    .unwrap();
            }
            Appender::PerWrite(pool) => {
                let mut tx = pool.begin().await.unwrap();
                sqlx_append(&mut tx, conversation, &client_id).await;
                tx.commit().await.unwrap();
            }
            Appender::Batched(queue) => {
                let (done, wait) = oneshot::channel();
                queue.send((conversation, client_id, done)).await.unwrap();
                wait.await.unwrap();
            }
        }
    }
}

/// What an append costs in statements: read the conversation, take the next seq, insert.
async fn sqlx_append(conn: &mut SqliteConnection, conversation: ConversationId, client_id: &str) {
    let id = conversation.to_string();
    sqlx::query("SELECT owner_state, owner_version, last_seq FROM conversations WHERE id = $1")
        .bind(&id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let seq: i64 = sqlx::query(
        "UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
    )
    .bind(&id)
    .fetch_one(&mut *conn)
    .await
    .unwrap()
    .get(0);
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, seq, kind, author_kind, body, client_id, \
         created_at) VALUES ($1, $2, $3, 'text', 'visitor', $4, $5, '2026-01-01T00:00:00.000000Z')",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&id)
    .bind(seq)
    .bind("a visitor message of about sixty-four bytes, as the relay sends")
    .bind(client_id)
    .execute(&mut *conn)
    .await
    .unwrap();
}

async fn start_sqlx_batcher(
    file: &std::path::Path,
    durability: Durability,
) -> mpsc::Sender<(ConversationId, String, oneshot::Sender<()>)> {
    let mut conn = SqliteConnection::connect_with(&sqlx_options(file, durability))
        .await
        .unwrap();
    let (queue, mut inbox) = mpsc::channel::<(ConversationId, String, oneshot::Sender<()>)>(4096);
    tokio::spawn(async move {
        let mut batch = Vec::new();
        while inbox.recv_many(&mut batch, 256).await > 0 {
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut conn)
                .await
                .unwrap();
            for (conversation, client_id, _) in &batch {
                sqlx::query("SAVEPOINT unit")
                    .execute(&mut conn)
                    .await
                    .unwrap();
                sqlx_append(&mut conn, *conversation, client_id).await;
                sqlx::query("RELEASE unit")
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
            sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
            for (_, _, done) in batch.drain(..) {
                let _ = done.send(());
            }
        }
    });
    queue
}

/// CPU time used by this process so far (user + system, all threads), from /proc.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_secs_f64(ticks as f64 / 100.0)
}

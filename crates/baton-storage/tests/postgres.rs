//! Storage on PostgreSQL with two processes' worth of stores on one database: writes from both
//! to the same conversations keep each conversation's sequence gap-free with every message
//! stored once, a client id is idempotent whichever store sees the retry, each store's sink gets
//! the other's committed entries, a cluster lock is held by one store at a time, and an
//! installation secret asked for by both at once is one secret.
//!
//! Runs when `BATON_TEST_DATABASE_URL` names a PostgreSQL server (the README's test command
//! starts one); each test creates a database of its own on it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use baton_domain::ids::ConversationId;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::ownership::Speaker;
use baton_storage::{HandoffSettings, Message, NewMessage, Store, StoreOptions};

fn visitor_message(client_id: &str) -> NewMessage {
    NewMessage {
        kind: MessageKind::Text,
        author_kind: AuthorKind::Visitor,
        author_agent_id: None,
        author_name: None,
        body: format!("text of {client_id}"),
        client_id: Some(client_id.to_owned()),
        data: None,
    }
}

/// Two stores on one database, as two Baton processes would have, each recording what its
/// sink receives.
async fn two_stores(url: &str) -> ([Store; 2], [Arc<Mutex<Vec<Message>>>; 2]) {
    // Both open at once: the migrations run once.
    let (one, two) = tokio::join!(
        Store::open_url(url, StoreOptions::default()),
        Store::open_url(url, StoreOptions::default())
    );
    let stores = [one.unwrap(), two.unwrap()];
    let seen: [Arc<Mutex<Vec<Message>>>; 2] = Default::default();
    for (store, seen) in stores.iter().zip(&seen) {
        let seen = Arc::clone(seen);
        store.set_message_sink(Arc::new(move |entries: &[Message]| {
            seen.lock().unwrap().extend_from_slice(entries)
        }));
    }
    (stores, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_write_the_same_conversations_without_gaps_or_duplicates() {
    let Some(url) = baton_storage::testing::scratch_postgres_database("baton_storage").await else {
        eprintln!("skipped: BATON_TEST_DATABASE_URL is not set (scripts/test sets it)");
        return;
    };
    let (stores, seen) = two_stores(&url).await;
    let workspace = stores[0].create_workspace("W").await.unwrap();
    let bot = stores[0]
        .create_bot(workspace.id, "B", "Hi", &HandoffSettings::default())
        .await
        .unwrap();
    let mut conversations = Vec::new();
    for i in 0..8 {
        let c = stores[i % 2]
            .create_conversation(workspace.id, bot.id, "hash", None)
            .await
            .unwrap();
        conversations.push(c.id);
    }
    // Every conversation gets 40 messages, each sent through both stores at once (a client
    // retrying on another node), all conversations concurrently.
    let mut calls = Vec::new();
    for &conversation in &conversations {
        for n in 0..40 {
            for store in &stores {
                let store = store.clone();
                calls.push(tokio::spawn(async move {
                    let client_id = format!("m{n}");
                    let stored = store
                        .append_message(
                            conversation,
                            Speaker::Visitor,
                            visitor_message(&client_id),
                            true,
                        )
                        .await
                        .unwrap();
                    (conversation, client_id, stored.message.seq)
                }));
            }
        }
    }
    let mut acked: HashMap<(ConversationId, String), i64> = HashMap::new();
    for call in calls {
        let (conversation, client_id, seq) = call.await.unwrap();
        // Whichever store answered, a client id names one stored message.
        let first = *acked.entry((conversation, client_id)).or_insert(seq);
        assert_eq!(
            first, seq,
            "a retried client id got a second sequence number"
        );
    }
    for &conversation in &conversations {
        let log = stores[1].messages(conversation, 0, 500).await.unwrap();
        let seqs: Vec<i64> = log.iter().map(|m| m.seq).collect();
        assert_eq!(
            seqs,
            (1..=40).collect::<Vec<_>>(),
            "gap-free, each stored once"
        );
    }
    // Each store's sink got every entry: its own as they committed, the other's by notice.
    tokio::time::sleep(Duration::from_secs(1)).await;
    for seen in &seen {
        let mut by_conversation: BTreeMap<ConversationId, Vec<i64>> = BTreeMap::new();
        for m in seen.lock().unwrap().iter() {
            by_conversation
                .entry(m.conversation_id)
                .or_default()
                .push(m.seq);
        }
        for &conversation in &conversations {
            let mut seqs = by_conversation.remove(&conversation).unwrap_or_default();
            seqs.sort_unstable();
            seqs.dedup();
            assert_eq!(seqs, (1..=40).collect::<Vec<_>>());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_lock_is_held_by_one_process_at_a_time() {
    let Some(url) = baton_storage::testing::scratch_postgres_database("baton_storage").await else {
        eprintln!("skipped: BATON_TEST_DATABASE_URL is not set (scripts/test sets it)");
        return;
    };
    let (stores, _) = two_stores(&url).await;
    let mut held = stores[0].try_lock("job").await.unwrap().expect("free");
    assert!(held.is_held().await);
    assert!(stores[1].try_lock("job").await.unwrap().is_none());
    assert!(stores[1].try_lock("other job").await.unwrap().is_some());
    drop(held);
    // The holder's connection closed: the lock is free for the other process.
    let mut taken = None;
    for _ in 0..50 {
        taken = stores[1].try_lock("job").await.unwrap();
        if taken.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(taken.is_some(), "a released lock is taken over");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_is_a_lease_across_processes() {
    let Some(url) = baton_storage::testing::scratch_postgres_database("baton_storage").await else {
        eprintln!("skipped: BATON_TEST_DATABASE_URL is not set (scripts/test sets it)");
        return;
    };
    let (stores, _) = two_stores(&url).await;
    let workspace = stores[0].create_workspace("W").await.unwrap();
    let agent = stores[0]
        .create_agent(&baton_storage::NewAgent {
            workspace_id: workspace.id,
            email: "ana@example.com".into(),
            display_name: "Ana".into(),
            password_hash: "not used".into(),
            role: baton_storage::Role::Agent,
            max_chats: 5,
        })
        .await
        .unwrap();
    stores[0]
        .refresh_presence(&[agent.id], Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(
        stores[1].connected_agents(workspace.id).await.unwrap(),
        [agent.id]
    );
    // Not renewed: the lease runs out.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(
        stores[1]
            .connected_agents(workspace.id)
            .await
            .unwrap()
            .is_empty()
    );
    // Renewed, then dropped by its holder: gone at once.
    stores[0]
        .refresh_presence(&[agent.id], Duration::from_secs(30))
        .await
        .unwrap();
    stores[0].drop_presence(agent.id).await.unwrap();
    assert!(
        stores[1]
            .connected_agents(workspace.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_that_meets_another_process_lock_waits_for_it_and_loses_nothing() {
    use sqlx::Connection as _;
    let Some(url) = baton_storage::testing::scratch_postgres_database("baton_storage").await else {
        eprintln!("skipped: BATON_TEST_DATABASE_URL is not set (scripts/test sets it)");
        return;
    };
    let (stores, _) = two_stores(&url).await;
    let store = &stores[0];
    let workspace = store.create_workspace("W").await.unwrap();
    let bot = store
        .create_bot(workspace.id, "B", "Hi", &HandoffSettings::default())
        .await
        .unwrap();
    let locked = store
        .create_conversation(workspace.id, bot.id, "hash", None)
        .await
        .unwrap()
        .id;
    let mut free = Vec::new();
    for _ in 0..20 {
        free.push(
            store
                .create_conversation(workspace.id, bot.id, "hash", None)
                .await
                .unwrap()
                .id,
        );
    }
    // Another process holds the conversation's row (as a node mid-batch would).
    let mut other = sqlx::PgConnection::connect(&url).await.unwrap();
    let mut holding = other.begin().await.unwrap();
    sqlx::query("SELECT id FROM conversations WHERE id = $1 FOR UPDATE")
        .bind(locked.to_string())
        .execute(&mut *holding)
        .await
        .unwrap();
    // Appends to free conversations with one to the locked one among them: they share
    // batches, where the locked one is now and then not first.
    let mut calls = Vec::new();
    for round in 0..5 {
        for (i, &conversation) in free.iter().enumerate() {
            let target = if i == 10 { locked } else { conversation };
            let store = store.clone();
            calls.push(tokio::spawn(async move {
                let started = std::time::Instant::now();
                let stored = store
                    .append_message(
                        target,
                        Speaker::Visitor,
                        visitor_message(&format!("r{round}")),
                        true,
                    )
                    .await;
                (target, stored.map(|a| a.message.seq), started.elapsed())
            }));
        }
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    holding.rollback().await.unwrap();
    for call in calls {
        let (target, stored, took) = call.await.unwrap();
        stored.unwrap_or_else(|e| panic!("an append failed: {e}"));
        if target == locked {
            assert!(took >= Duration::from_millis(600), "it waited for the lock");
        }
    }
    // Every append is stored once, in order (those batched after the held one were rolled back
    // with it and ran again, or ran in the next batch).
    let written = free
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 10)
        .map(|(_, c)| *c)
        .chain([locked]);
    for conversation in written {
        let seqs: Vec<i64> = store
            .messages(conversation, 0, 100)
            .await
            .unwrap()
            .iter()
            .map(|m| m.seq)
            .collect();
        assert_eq!(seqs, (1..=5).collect::<Vec<_>>());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_installation_secret_asked_for_by_two_processes_at_once_is_one_secret() {
    let Some(url) = baton_storage::testing::scratch_postgres_database("baton_storage").await else {
        eprintln!("skipped: BATON_TEST_DATABASE_URL is not set (scripts/test sets it)");
        return;
    };
    let (stores, _) = two_stores(&url).await;
    let (one, two) = tokio::join!(
        stores[0].installation_secret("attachment_links", "first"),
        stores[1].installation_secret("attachment_links", "second"),
    );
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one, two);
    assert!(one == "first" || one == "second");
    // Later asks keep it; another name is another secret.
    assert_eq!(
        stores[1]
            .installation_secret("attachment_links", "third")
            .await
            .unwrap(),
        one
    );
    assert_eq!(
        stores[0]
            .installation_secret("other", "fourth")
            .await
            .unwrap(),
        "fourth"
    );
}

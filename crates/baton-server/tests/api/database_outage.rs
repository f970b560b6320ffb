//! PostgreSQL lost while Baton runs: requests get 503 `unavailable` with a JSON error and
//! `Retry-After`, sockets stay open, and when the database is back writes succeed again, the
//! sockets get what is stored, and no acknowledged message is lost. The database is reached
//! through a TCP relay the test cuts and restores (runs on PostgreSQL only).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::helpers::*;

/// Forwards connections to `upstream` while up; cutting it closes every open connection and
/// refuses new ones.
struct Relay {
    up: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
    port: u16,
}

impl Relay {
    async fn start(upstream: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let (cut, _) = watch::channel(0u64);
        let (accept_up, accept_cut) = (Arc::clone(&up), cut.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !accept_up.load(Ordering::SeqCst) {
                    continue; // dropped: refused
                }
                let upstream = upstream.clone();
                let mut cuts = accept_cut.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cuts.changed() => {}
                    }
                });
            }
        });
        Relay { up, cut, port }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn losing_the_database_answers_503_and_loses_nothing() {
    let Some(direct) = fresh_postgres_database().await else {
        eprintln!("skipped: runs on PostgreSQL only (BATON_TEST_DATABASE_URL)");
        return;
    };
    // postgres://user@host:port/db → the same through the relay.
    let (scheme_user, rest) = direct.split_once('@').unwrap();
    let (host_port, db) = rest.split_once('/').unwrap();
    let relay = Relay::start(host_port.to_owned()).await;
    let through = format!("{scheme_user}@127.0.0.1:{}/{db}", relay.port);
    let app = spawn_app_with(
        move |c| c.database_url = Some(through),
        Arc::new(EchoEngine),
    )
    .await;
    let mut visitor = app.visitor().await;
    let mut socket = visitor.ws(0).await;
    socket.next_of_type("ready").await;
    assert_eq!(visitor.send("before").await.status(), StatusCode::CREATED);

    relay.cut();
    // Every write fails fast with a clear 503 while the database is gone; nothing is stored.
    let mut refused = 0;
    for attempt in 0..5 {
        let response = visitor
            .send_with_id(&format!("during-{attempt}"), "while down")
            .await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            assert!(response.headers().contains_key("retry-after"));
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "unavailable");
            refused += 1;
        }
    }
    assert!(
        refused >= 4,
        "writes during the outage answered 503 ({refused} of 5)"
    );

    relay.restore();
    // The same client id retried once the database is back is stored once.
    let mut stored = None;
    for _ in 0..100 {
        let response = visitor.send_with_id("during-0", "while down").await;
        if response.status() == StatusCode::CREATED {
            stored = Some(response.json::<serde_json::Value>().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stored = stored.expect("writes succeed again once the database is back");
    let seq = stored["message"]["seq"].as_i64().unwrap();
    // The socket opened before the outage is still open and gets the entry.
    loop {
        let frame = socket.next_of_type("message").await;
        if frame["message"]["seq"].as_i64() == Some(seq) {
            break;
        }
    }
    let history = visitor.history(0).await;
    let texts: Vec<&str> = history
        .iter()
        .filter(|m| m["author_kind"] == "visitor")
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["before", "while down"],
        "nothing lost, nothing doubled"
    );
}

//! Acknowledged means stored: the real `baton` binary is killed with SIGKILL while visitors send
//! messages as fast as it takes them, restarted on the same data directory, and every message it
//! acknowledged must be there exactly once with the sequence number it was acknowledged with.
//! Messages in flight at the kill (sent, never answered) are then resent with the same client id
//! and must each be stored exactly once — whether or not the killed server had stored them.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

const CONVERSATIONS: usize = 24;
const ROUNDS: usize = 3;

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `baton serve` on a free port; returns it with the demo bot's id on first run.
    fn start(data_dir: &Path, first_run: bool) -> (Server, Option<String>) {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--visitor-messages-per-minute", "100000"])
            .args(["--visitor-message-burst", "100000"])
            .args(["--conversations-per-minute-per-ip", "100000"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the baton binary starts");
        // The banner ends with the panel links; on first run the seeded bot and login follow.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut bot = None;
        let last = if first_run {
            "Add agents"
        } else {
            "Agent Editor"
        };
        for line in lines.by_ref() {
            let line = line.expect("the server's banner");
            if let Some(rest) = line.split("with a demo bot (").nth(1) {
                bot = Some(rest.trim_end_matches(").").to_owned());
            }
            if line.contains(last) {
                break;
            }
        }
        // Keep draining its output so a full pipe never blocks the server.
        std::thread::spawn(move || lines.for_each(drop));
        (
            Server {
                child,
                base: format!("http://127.0.0.1:{port}"),
            },
            bot,
        )
    }

    fn kill(mut self) {
        // Child::kill sends SIGKILL on Unix: no shutdown hook, no final checkpoint.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// What the client knows about one conversation.
#[derive(Default)]
struct Sent {
    /// client id → the seq the server acknowledged.
    acked: BTreeMap<String, i64>,
    /// Sent, never answered (in flight at the kill).
    unanswered: Vec<String>,
}

struct Visitor {
    id: String,
    token: String,
    sent: Mutex<Sent>,
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn start_visitor(http: &reqwest::Client, base: &str, bot: &str) -> Visitor {
    let started: Value = http
        .post(format!("{base}/api/v1/widget/conversations"))
        .json(&json!({ "bot_id": bot }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Visitor {
        id: started["conversation"]["id"].as_str().unwrap().to_owned(),
        token: started["token"].as_str().unwrap().to_owned(),
        sent: Mutex::default(),
    }
}

/// Posts one message; `Some(seq)` when the server acknowledged it as stored.
async fn send(http: &reqwest::Client, base: &str, v: &Visitor, client_id: &str) -> Option<i64> {
    let response = http
        .post(format!(
            "{base}/api/v1/widget/conversations/{}/messages",
            v.id
        ))
        .bearer_auth(&v.token)
        .json(&json!({ "client_id": client_id, "text": format!("message {client_id}") }))
        .send()
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body: Value = response.json().await.ok()?;
    body["message"]["seq"].as_i64()
}

/// The whole log of a conversation: (seq, client id) of each entry.
async fn history(http: &reqwest::Client, base: &str, v: &Visitor) -> Vec<(i64, Option<String>)> {
    let mut entries = Vec::new();
    let mut after = 0;
    loop {
        let page: Value = http
            .get(format!(
                "{base}/api/v1/widget/conversations/{}/messages?after={after}&limit=500",
                v.id
            ))
            .bearer_auth(&v.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let messages = page["messages"].as_array().unwrap();
        if messages.is_empty() {
            return entries;
        }
        for m in messages {
            after = m["seq"].as_i64().unwrap();
            entries.push((after, m["client_id"].as_str().map(str::to_owned)));
        }
    }
}

/// Every acknowledged message is stored once with its acknowledged seq; seqs are 1..n without
/// gaps; no client id is stored twice.
fn check(log: &[(i64, Option<String>)], sent: &Sent, conversation: &str) {
    for (i, (seq, _)) in log.iter().enumerate() {
        assert_eq!(*seq, i as i64 + 1, "seq gap in {conversation}");
    }
    let mut by_client: HashMap<&str, Vec<i64>> = HashMap::new();
    for (seq, client_id) in log {
        if let Some(c) = client_id {
            by_client.entry(c).or_default().push(*seq);
        }
    }
    for (client_id, seqs) in &by_client {
        assert_eq!(seqs.len(), 1, "{client_id} stored {} times", seqs.len());
    }
    for (client_id, seq) in &sent.acked {
        assert_eq!(
            by_client.get(client_id.as_str()),
            Some(&vec![*seq]),
            "acknowledged {client_id} (seq {seq}) missing or moved in {conversation}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_messages_survive_sigkill() {
    let data_dir: PathBuf =
        std::env::temp_dir().join(format!("baton-crash-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&data_dir).unwrap();
    let http = client();
    let (mut server, bot) = Server::start(&data_dir, true);
    let bot = bot.expect("first run prints the demo bot");
    let mut visitors = Vec::new();
    for _ in 0..CONVERSATIONS {
        visitors.push(Arc::new(start_visitor(&http, &server.base, &bot).await));
    }
    let mut total_acked = 0;
    let mut total_unanswered = 0;
    for round in 0..ROUNDS {
        // Every visitor sends back to back until the server dies under it.
        let mut senders = Vec::new();
        for v in &visitors {
            let (http, base, v) = (http.clone(), server.base.clone(), v.clone());
            senders.push(tokio::spawn(async move {
                for n in 0.. {
                    let client_id = format!("r{round}-{n}");
                    match send(&http, &base, &v, &client_id).await {
                        Some(seq) => {
                            v.sent.lock().unwrap().acked.insert(client_id, seq);
                        }
                        None => {
                            v.sent.lock().unwrap().unanswered.push(client_id);
                            return;
                        }
                    }
                }
            }));
        }
        // Let acknowledgements pile up, then kill in the middle of the traffic.
        tokio::time::sleep(Duration::from_millis(700 + 300 * round as u64)).await;
        server.kill();
        for s in senders {
            s.await.unwrap();
        }
        let (restarted, _) = Server::start(&data_dir, false);
        server = restarted;
        for v in &visitors {
            let log = history(&http, &server.base, v).await;
            let sent = v.sent.lock().unwrap();
            check(&log, &sent, &v.id);
        }
        // Resend what was in flight, with the same client id: stored once each.
        for v in &visitors {
            let unanswered = std::mem::take(&mut v.sent.lock().unwrap().unanswered);
            total_unanswered += unanswered.len();
            for client_id in unanswered {
                let first = send(&http, &server.base, v, &client_id).await;
                let again = send(&http, &server.base, v, &client_id).await;
                let seq = first.expect("a resent message is acknowledged");
                assert_eq!(again, Some(seq), "a second resend answers the same message");
                v.sent.lock().unwrap().acked.insert(client_id, seq);
            }
            let log = history(&http, &server.base, v).await;
            check(&log, &v.sent.lock().unwrap(), &v.id);
        }
    }
    for v in &visitors {
        total_acked += v.sent.lock().unwrap().acked.len();
    }
    server.kill();
    let _ = std::fs::remove_dir_all(&data_dir);
    eprintln!(
        "{ROUNDS} kills: {total_acked} acknowledged messages all stored once; \
         {total_unanswered} in flight at a kill, each stored once after resending"
    );
    assert!(
        total_acked > CONVERSATIONS * ROUNDS,
        "the server acknowledged too little to prove anything ({total_acked})"
    );
    assert!(total_unanswered > 0, "no message was in flight at any kill");
}

//! Three real `baton serve` processes on one PostgreSQL database behave as one server: a visitor
//! on node A, agents on nodes B and C; the handoff notice reaches both panels; over 100 rounds
//! exactly one of two simultaneous accepts wins; live chat flows both ways across nodes; node A
//! killed with SIGKILL mid-conversation, the visitor resumes on B from its last seq and gets
//! every entry once, in order; the background job A held (handoff accept timeouts) moves to
//! another node; an agent whose node is killed stops counting as connected within the lease.
//!
//! Runs when `BATON_TEST_DATABASE_URL` names a PostgreSQL server (the README's test command
//! starts one); each run creates a database of its own on it.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const PASSWORD: &str = "cluster test password 1234";
const ROUNDS: usize = 100;

struct Node {
    child: Child,
    base: String,
    addr: String,
    /// Everything it printed on stdout and stderr so far.
    output: Arc<Mutex<Vec<String>>>,
}

impl Node {
    fn start(database_url: &str) -> Node {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let data_dir = std::env::temp_dir().join(format!("baton-node-{}", uuid::Uuid::now_v7()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["--visitor-messages-per-minute", "100000"])
            .args(["--visitor-message-burst", "100000"])
            .args(["--conversations-per-minute-per-ip", "100000"])
            .env("BATON_DATABASE_URL", database_url)
            .env("BATON_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the baton binary starts");
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    output.lock().unwrap().push(line);
                }
            });
        }
        Node {
            child,
            base: format!("http://127.0.0.1:{port}"),
            addr: format!("127.0.0.1:{port}"),
            output,
        }
    }

    fn printed(&self, needle: &str) -> bool {
        self.output
            .lock()
            .unwrap()
            .iter()
            .any(|line| line.contains(needle))
    }

    /// Waits until the node serves (its banner is printed once it listens).
    async fn ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.printed("Agent Editor") {
            assert!(Instant::now() < deadline, "a node did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn kill(&mut self) {
        // SIGKILL: no shutdown, its database connections just drop.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Adds an agent with the CLI, as an operator would.
fn create_agent(database_url: &str, email: &str, name: &str, role: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["agent", "create", "--email", email, "--role", role])
        .args(["--name", name, "--max-chats", "100"])
        .env("BATON_DATABASE_URL", database_url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(child.wait().unwrap().success(), "baton agent create failed");
}

struct Agent {
    id: String,
    http: reqwest::Client,
    base: String,
    addr: String,
    cookie: String,
    csrf: String,
}

impl Agent {
    async fn login(node: &Node, email: &str, password: &str) -> Agent {
        let http = http();
        let response = http
            .post(format!("{}/api/v1/auth/login", node.base))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "login on {}", node.base);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body: Value = response.json().await.unwrap();
        Agent {
            id: body["agent"]["id"].as_str().unwrap().to_owned(),
            http,
            base: node.base.clone(),
            addr: node.addr.clone(),
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn panel(&self) -> Ws {
        let mut request = format!("ws://{}/api/v1/panel/ws", self.addr)
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("cookie", self.cookie.parse().unwrap());
        let (stream, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let mut ws = Ws { stream };
        ws.next_of_type("hello").await;
        ws
    }
}

struct Ws {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Ws {
    async fn next(&mut self) -> Value {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(20), self.stream.next())
                .await
                .expect("a frame within 20 s")
                .expect("the socket stays open")
                .expect("no socket error");
            if let WsMessage::Text(text) = frame {
                return serde_json::from_str(&text).unwrap();
            }
        }
    }

    async fn next_of_type(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.next().await;
            if frame["type"] == kind {
                return frame;
            }
        }
    }

    /// The next `handoff_requested` notice for this conversation.
    async fn handoff_for(&mut self, conversation: &str) -> String {
        loop {
            let frame = self.next_of_type("handoff_requested").await;
            if frame["handoff"]["conversation_id"] == conversation {
                return frame["handoff"]["id"].as_str().unwrap().to_owned();
            }
        }
    }

    async fn send_json(&mut self, value: Value) {
        self.stream
            .send(WsMessage::Text(value.to_string().into()))
            .await
            .unwrap();
    }
}

struct Visitor {
    id: String,
    token: String,
}

impl Visitor {
    async fn start(http: &reqwest::Client, node: &Node, bot: &str) -> Visitor {
        let started: Value = http
            .post(format!("{}/api/v1/widget/conversations", node.base))
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
        }
    }

    async fn request_handoff(&self, http: &reqwest::Client, node: &Node) {
        let response = http
            .post(format!(
                "{}/api/v1/widget/conversations/{}/handoff",
                node.base, self.id
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "handoff request refused");
    }

    async fn send(&self, http: &reqwest::Client, node: &Node, client_id: &str, text: &str) {
        let response = http
            .post(format!(
                "{}/api/v1/widget/conversations/{}/messages",
                node.base, self.id
            ))
            .bearer_auth(&self.token)
            .json(&json!({ "client_id": client_id, "text": text }))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "visitor message refused");
    }

    async fn ws(&self, node: &Node, after: i64) -> Ws {
        let url = format!(
            "ws://{}/api/v1/widget/conversations/{}/ws?token={}&after={after}",
            node.addr, self.id, self.token
        );
        let (stream, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        Ws { stream }
    }

    /// Every stored entry: (seq, text).
    async fn history(&self, http: &reqwest::Client, node: &Node) -> Vec<(i64, String)> {
        let page: Value = http
            .get(format!(
                "{}/api/v1/widget/conversations/{}/messages?after=0&limit=500",
                node.base, self.id
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["seq"].as_i64().unwrap(),
                    m["text"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }
}

/// Reads stored entries from a visitor socket until `text` arrives; returns their seqs.
async fn seqs_until(ws: &mut Ws, text: &str) -> Vec<i64> {
    let mut seqs = Vec::new();
    loop {
        let frame = ws.next().await;
        if frame["type"] == "message" {
            seqs.push(frame["message"]["seq"].as_i64().unwrap());
            if frame["message"]["text"] == text {
                return seqs;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_on_one_database_serve_as_one() {
    let Some(database_url) =
        baton_storage::testing::scratch_postgres_database("baton_cluster").await
    else {
        eprintln!("skipped: BATON_TEST_DATABASE_URL is not set (scripts/test sets it)");
        return;
    };
    let http = http();

    // All three start at once: migrations and first run happen once, whoever gets there first.
    let mut nodes: Vec<Node> = (0..3).map(|_| Node::start(&database_url)).collect();
    for node in &nodes {
        node.ready().await;
    }
    let seeded: Vec<&Node> = nodes.iter().filter(|n| n.printed("First run")).collect();
    assert_eq!(seeded.len(), 1, "first run must happen exactly once");
    let first_run: Vec<String> = seeded[0].output.lock().unwrap().clone();
    let password = first_run
        .iter()
        .find_map(|l| {
            l.split("Password:")
                .nth(1)
                .map(|p| p.split_whitespace().next().unwrap().to_owned())
        })
        .expect("first run prints the admin password");
    let bot = first_run
        .iter()
        .find_map(|l| {
            l.split("with a demo bot (")
                .nth(1)
                .map(|r| r.trim_end_matches(").").to_owned())
        })
        .expect("first run prints the demo bot");
    // Exactly one node runs the handoff sweep: it becomes node A, the visitor's node, which
    // is killed later; the other two serve the agents.
    let deadline = Instant::now() + Duration::from_secs(10);
    let holder = loop {
        let holders: Vec<usize> = (0..3)
            .filter(|&i| nodes[i].printed("handoff-sweep"))
            .collect();
        if let [one] = holders[..] {
            break one;
        }
        assert!(
            holders.len() <= 1,
            "two nodes run the handoff sweep at once"
        );
        assert!(Instant::now() < deadline, "no node runs the handoff sweep");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut a = nodes.remove(holder);
    let mut c = nodes.pop().unwrap();
    let b = nodes.pop().unwrap();

    create_agent(&database_url, "bea@example.com", "Bea", "agent");
    create_agent(&database_url, "cal@example.com", "Cal", "agent");
    let bea = Agent::login(&b, "bea@example.com", PASSWORD).await;
    let cal = Agent::login(&c, "cal@example.com", PASSWORD).await;
    let mut bea_panel = bea.panel().await;
    let mut cal_panel = cal.panel().await;

    // Handoffs announced on A reach both panels; exactly one of two accepts wins, every round.
    let mut wins = [0usize; 2];
    let mut last = None;
    for round in 0..ROUNDS {
        let visitor = Visitor::start(&http, &a, &bot).await;
        visitor.request_handoff(&http, &a).await;
        let handoff = bea_panel.handoff_for(&visitor.id).await;
        assert_eq!(cal_panel.handoff_for(&visitor.id).await, handoff);
        let path = format!("/api/v1/handoffs/{handoff}/accept");
        let (by_bea, by_cal) = tokio::join!(bea.post(&path, json!({})), cal.post(&path, json!({})));
        let statuses = [by_bea.status().as_u16(), by_cal.status().as_u16()];
        assert!(
            statuses == [200, 409] || statuses == [409, 200],
            "round {round}: accepts answered {statuses:?}"
        );
        wins[usize::from(statuses[1] == 200)] += 1;
        last = Some((visitor, statuses[0] == 200));
    }
    eprintln!("accepts won: Bea {}, Cal {}", wins[0], wins[1]);

    // Live chat across nodes: the visitor on A, the winning agent on B or C.
    let (visitor, bea_won) = last.unwrap();
    let (agent, agent_node) = if bea_won { (&bea, &b) } else { (&cal, &c) };
    let mut visitor_ws = visitor.ws(&a, 0).await;
    let ready = visitor_ws.next_of_type("ready").await["last_seq"]
        .as_i64()
        .unwrap();
    let mut agent_panel = agent.panel().await;
    agent_panel
        .send_json(json!({ "type": "subscribe", "conversation_id": visitor.id, "after": ready }))
        .await;
    let sent = agent
        .post(
            &format!("/api/v1/conversations/{}/messages", visitor.id),
            json!({ "client_id": "agent-1", "text": "Hello from the other node" }),
        )
        .await;
    assert_eq!(sent.status(), 201, "agent message on {}", agent_node.base);
    let seqs = seqs_until(&mut visitor_ws, "Hello from the other node").await;
    visitor
        .send(&http, &a, "visitor-1", "Thanks, heard you")
        .await;
    let mut last_seq = *seqs.last().unwrap();
    last_seq = last_seq.max(
        *seqs_until(&mut visitor_ws, "Thanks, heard you")
            .await
            .last()
            .unwrap(),
    );
    loop {
        let frame = agent_panel.next_of_type("message").await;
        if frame["message"]["text"] == "Thanks, heard you" {
            break;
        }
    }

    // Node A dies mid-conversation; the agent keeps writing; the visitor resumes on B.
    a.kill();
    for i in 1..=5 {
        let r = agent
            .post(
                &format!("/api/v1/conversations/{}/messages", visitor.id),
                json!({ "client_id": format!("agent-after-{i}"), "text": format!("after the crash {i}") }),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let mut resumed = visitor.ws(&b, last_seq).await;
    let got = seqs_until(&mut resumed, "after the crash 5").await;
    let stored = visitor.history(&http, &b).await;
    let expected: Vec<i64> = stored
        .iter()
        .map(|(seq, _)| *seq)
        .filter(|seq| *seq > last_seq)
        .collect();
    assert_eq!(
        got, expected,
        "every entry after the last seen one, once, in order"
    );

    // A held the handoff sweep: another node takes it over and a handoff nobody accepts still
    // expires. (Its accept timeout is the shortest allowed, 10 s.)
    let admin = Agent::login(&b, "admin@demo.baton", &password).await;
    let mut settings = admin
        .get(&format!("/api/v1/bots/{bot}/handoff-settings"))
        .await;
    settings["accept_timeout_seconds"] = json!(10);
    let response = admin
        .http
        .put(format!("{}/api/v1/bots/{bot}/handoff-settings", b.base))
        .header("cookie", &admin.cookie)
        .header("x-csrf-token", &admin.csrf)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "handoff settings saved");
    let waiting = Visitor::start(&http, &b, &bot).await;
    let mut waiting_ws = waiting.ws(&b, 0).await;
    waiting.request_handoff(&http, &b).await;
    let started = Instant::now();
    loop {
        let frame = waiting_ws.next().await;
        if frame["type"] == "message" && frame["message"]["kind"] == "handoff_expired" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "the handoff never expired: nobody took over the sweep"
        );
    }
    assert!(
        b.printed("handoff-sweep") || c.printed("handoff-sweep"),
        "another node took the sweep over"
    );

    // Cal's node dies without a word, Cal's panel still open: within the 30 s lease Cal stops
    // counting as connected.
    let cal_id = json!(cal.id);
    c.kill();
    let killed = Instant::now();
    loop {
        let agents = admin.get("/api/v1/agents").await;
        let connected = agents["agents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == cal_id)
            .map(|x| x["connected"] == true)
            .unwrap();
        if !connected {
            break;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(45),
            "an agent of a killed node still counts after its lease"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    drop((bea_panel, cal_panel));
}

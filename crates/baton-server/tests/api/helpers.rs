//! Test harness: start the real server on a random port with a fresh database, and drive it as
//! the widget and the panel do, over HTTP and WebSocket.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use baton_ai::{BotProfile, Engine, EngineFuture, EngineReply, Line};
use baton_server::outbound::AllowedHost;
use baton_server::state::AppState;
use baton_server::{App, Config, secrets};
use baton_storage::{Bot, HandoffSettings, NewAgent, Role, Store, Workspace};
use futures::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, oneshot};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const PASSWORD: &str = "correct horse battery staple";

/// One argon2 hash shared by every test account (hashing is deliberately slow).
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| secrets::hash_password(PASSWORD).unwrap())
}

/// An engine that holds every answer until the test releases it.
pub struct GatedEngine<E> {
    pub inner: E,
    pub gate: Arc<Semaphore>,
    pub entered: Arc<Semaphore>,
}

impl<E: Engine> Engine for GatedEngine<E> {
    fn respond<'a>(&'a self, bot: &'a BotProfile, transcript: &'a [Line]) -> EngineFuture<'a> {
        Box::pin(async move {
            self.entered.add_permits(1);
            self.gate.acquire().await.expect("gate open").forget();
            self.inner.respond(bot, transcript).await
        })
    }
}

/// An engine that always answers "echo: <last visitor message>" and never hands off.
pub struct EchoEngine;

impl Engine for EchoEngine {
    fn respond<'a>(&'a self, _bot: &'a BotProfile, transcript: &'a [Line]) -> EngineFuture<'a> {
        let last = transcript
            .last()
            .map(|l| l.text.clone())
            .unwrap_or_default();
        Box::pin(async move {
            Ok(EngineReply {
                text: Some(format!("echo: {last}")),
                handoff: None,
            })
        })
    }
}

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    pub state: AppState,
    pub workspace: Workspace,
    pub bot: Bot,
    /// Where `GET /metrics` is served, when the app was started with a metrics listener.
    pub metrics_addr: Option<SocketAddr>,
    shutdown: Option<oneshot::Sender<()>>,
    dir: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A new empty PostgreSQL database for one test when the suite runs on PostgreSQL
/// (`BATON_TEST_DATABASE_URL`); `None` means SQLite in the test's own folder.
pub async fn fresh_postgres_database() -> Option<String> {
    baton_storage::testing::scratch_postgres_database("baton_test").await
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}, Arc::new(baton_ai::builtin::BuiltinEngine)).await
}

pub async fn spawn_app_with(
    configure: impl FnOnce(&mut Config),
    engine: Arc<dyn Engine>,
) -> TestApp {
    start(configure, engine, false, None).await
}

/// An app keeping attachments' bytes in `blobs` (an S3-compatible store) instead of its folder.
pub async fn spawn_app_with_blobs(blobs: Arc<dyn baton_server::blobs::BlobStore>) -> TestApp {
    start(
        |_| {},
        Arc::new(baton_ai::builtin::BuiltinEngine),
        false,
        Some(blobs),
    )
    .await
}

/// An app that also serves its metrics on a listener of their own (random port).
pub async fn spawn_app_with_metrics() -> TestApp {
    start(
        |_| {},
        Arc::new(baton_ai::builtin::BuiltinEngine),
        true,
        None,
    )
    .await
}

async fn start(
    configure: impl FnOnce(&mut Config),
    engine: Arc<dyn Engine>,
    with_metrics: bool,
    blobs: Option<Arc<dyn baton_server::blobs::BlobStore>>,
) -> TestApp {
    let dir = std::env::temp_dir().join(format!("baton-test-{}", uuid::Uuid::now_v7()));
    let mut config = Config::new(&dir);
    config.sweep_interval = Duration::from_millis(100);
    // A debug build on a busy test machine runs behind now and then; load shedding has a test
    // of its own.
    config.limits.shed_lag = None;
    // The suite's stand-ins (webhook receivers, model servers) listen on loopback, which the
    // outbound rules refuse unless the operator allows it, as here; `outbound.rs` tests without.
    config.allowed_outbound_hosts = vec![AllowedHost::parse("127.0.0.1").unwrap()];
    configure(&mut config);
    std::fs::create_dir_all(&dir).unwrap();
    if config.database_url.is_none() {
        config.database_url = fresh_postgres_database().await;
    }
    let store = config.open_store().await.unwrap();
    let workspace = store.create_workspace("Test workspace").await.unwrap();
    let bot = store
        .create_bot(
            workspace.id,
            "Test bot",
            "Hello from the test bot",
            &HandoffSettings::default(),
        )
        .await
        .unwrap();
    let mut app = App::with_store(config, store, engine);
    if let Some(blobs) = blobs {
        app = app.with_blob_store(blobs);
    }
    let mut metrics_addr = None;
    if with_metrics {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        metrics_addr = Some(listener.local_addr().unwrap());
        app = app.with_metrics_listener(listener);
    }
    let state = app.state.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(app.serve(listener, async move {
        let _ = rx.await;
    }));
    TestApp {
        base: format!("http://{addr}"),
        addr,
        state,
        workspace,
        bot,
        metrics_addr,
        shutdown: Some(tx),
        dir,
    }
}

impl TestApp {
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// A visitor with a new conversation on the app's bot.
    pub async fn visitor(&self) -> Visitor {
        self.visitor_for(&self.bot).await
    }

    pub async fn visitor_for(&self, bot: &Bot) -> Visitor {
        self.visitor_starting(json!({ "bot_id": bot.id, "visitor_name": "Vera" }))
            .await
    }

    /// A visitor with a new conversation on the app's bot, in the language `lang` (a BCP 47 tag).
    pub async fn visitor_in(&self, lang: &str) -> Visitor {
        self.visitor_starting(
            json!({ "bot_id": self.bot.id, "visitor_name": "Vera", "lang": lang }),
        )
        .await
    }

    async fn visitor_starting(&self, start: Value) -> Visitor {
        let http = reqwest::Client::new();
        let response = http
            .post(format!("{}/api/v1/widget/conversations", self.base))
            .json(&start)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        Visitor {
            http,
            base: self.base.clone(),
            addr: self.addr,
            conversation_id: body["conversation"]["id"].as_str().unwrap().to_owned(),
            token: body["token"].as_str().unwrap().to_owned(),
            counter: 0,
        }
    }

    /// A visitor whose conversation is created in storage directly (for tests where the HTTP
    /// edge refuses new conversations).
    pub async fn visitor_from_store(&self) -> Visitor {
        let token = baton_server::secrets::new_token();
        let conversation = self
            .store()
            .create_conversation(
                self.workspace.id,
                self.bot.id,
                &baton_server::secrets::token_hash(&token),
                Some("Vera"),
            )
            .await
            .unwrap();
        Visitor {
            http: reqwest::Client::new(),
            base: self.base.clone(),
            addr: self.addr,
            conversation_id: conversation.id.to_string(),
            token,
            counter: 0,
        }
    }

    /// A logged-in agent of this app's workspace.
    pub async fn agent(&self, name: &str) -> AgentClient {
        self.agent_in(&self.workspace, name, Role::Agent, 5).await
    }

    pub async fn agent_in(
        &self,
        workspace: &Workspace,
        name: &str,
        role: Role,
        max_chats: u32,
    ) -> AgentClient {
        let email = format!(
            "{}-{}@example.com",
            name.to_lowercase(),
            uuid::Uuid::now_v7()
        );
        let hash = tokio::task::spawn_blocking(|| password_hash().to_owned())
            .await
            .unwrap();
        self.store()
            .create_agent(&NewAgent {
                workspace_id: workspace.id,
                email: email.clone(),
                display_name: name.to_owned(),
                password_hash: hash,
                role,
                max_chats,
            })
            .await
            .unwrap();
        AgentClient::login(&self.base, self.addr, &email, PASSWORD).await
    }

    /// A second workspace with its own bot.
    pub async fn other_workspace(&self) -> (Workspace, Bot) {
        let workspace = self
            .store()
            .create_workspace("Other workspace")
            .await
            .unwrap();
        let bot = self
            .store()
            .create_bot(workspace.id, "Other bot", "Hi", &HandoffSettings::default())
            .await
            .unwrap();
        (workspace, bot)
    }

    pub async fn set_handoff(&self, bot: &Bot, change: impl FnOnce(&mut HandoffSettings)) {
        let mut settings = bot.handoff.clone();
        change(&mut settings);
        self.store()
            .update_handoff_settings(bot.id, &settings, None)
            .await
            .unwrap();
    }
}

pub struct Visitor {
    pub http: reqwest::Client,
    pub base: String,
    pub addr: SocketAddr,
    pub conversation_id: String,
    pub token: String,
    counter: u32,
}

impl Visitor {
    pub fn url(&self, tail: &str) -> String {
        format!(
            "{}/api/v1/widget/conversations/{}{tail}",
            self.base, self.conversation_id
        )
    }

    pub async fn send(&mut self, text: &str) -> reqwest::Response {
        self.counter += 1;
        let client_id = format!("v-{}", self.counter);
        self.send_with_id(&client_id, text).await
    }

    pub async fn send_with_id(&self, client_id: &str, text: &str) -> reqwest::Response {
        self.http
            .post(self.url("/messages"))
            .bearer_auth(&self.token)
            .json(&json!({ "client_id": client_id, "text": text }))
            .send()
            .await
            .unwrap()
    }

    /// Asks to leave contact details and gives `email`: a ticket.
    pub async fn leave_details(&self, client_id: &str, email: &str) -> reqwest::Response {
        let asked = self
            .http
            .post(self.url("/ticket"))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert!(asked.status().is_success(), "asking for a ticket");
        self.http
            .post(self.url("/lead"))
            .bearer_auth(&self.token)
            .json(&json!({ "client_id": client_id, "email": email }))
            .send()
            .await
            .unwrap()
    }

    pub async fn request_handoff(&self) -> reqwest::Response {
        self.http
            .post(self.url("/handoff"))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    pub async fn history(&self, after: i64) -> Vec<Value> {
        let response = self
            .http
            .get(self.url(&format!("/messages?after={after}&limit=500")))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["messages"].as_array().unwrap().clone()
    }

    pub async fn ws(&self, after: i64) -> Ws {
        let url = format!(
            "ws://{}/api/v1/widget/conversations/{}/ws?token={}&after={after}",
            self.addr, self.conversation_id, self.token
        );
        let (stream, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        Ws { stream }
    }
}

pub struct AgentClient {
    pub http: reqwest::Client,
    pub base: String,
    pub addr: SocketAddr,
    pub csrf: String,
    pub id: String,
    pub cookie: String,
    counter: u32,
}

impl AgentClient {
    pub async fn login(base: &str, addr: SocketAddr, email: &str, password: &str) -> AgentClient {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let response = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "login failed");
        let cookie = response
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body: Value = response.json().await.unwrap();
        AgentClient {
            http,
            base: base.to_owned(),
            addr,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            id: body["agent"]["id"].as_str().unwrap().to_owned(),
            cookie,
            counter: 0,
        }
    }

    pub async fn post(&self, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    pub async fn put(&self, path: &str, body: Value) -> reqwest::Response {
        self.http
            .put(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, path: &str, body: Value) -> reqwest::Response {
        self.http
            .patch(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// The visitor asks for a person, this agent's `panel` is told, and the agent accepts;
    /// returns the handoff's id.
    pub async fn take_handoff(&self, panel: &mut Ws, visitor: &Visitor) -> String {
        assert_eq!(
            visitor.request_handoff().await.status(),
            StatusCode::ACCEPTED
        );
        let id = panel.next_of_type("handoff_requested").await["handoff"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(self.accept(&id).await.status(), StatusCode::OK);
        id
    }

    pub async fn accept(&self, handoff_id: &str) -> reqwest::Response {
        self.post(&format!("/api/v1/handoffs/{handoff_id}/accept"), None)
            .await
    }

    pub async fn send(&mut self, conversation_id: &str, text: &str) -> reqwest::Response {
        self.counter += 1;
        let body = json!({ "client_id": format!("a-{}", self.counter), "text": text });
        self.post(
            &format!("/api/v1/conversations/{conversation_id}/messages"),
            Some(body),
        )
        .await
    }

    pub async fn waiting(&self) -> Vec<Value> {
        let body: Value = self.get("/api/v1/handoffs").await.json().await.unwrap();
        body["handoffs"].as_array().unwrap().clone()
    }

    /// Opens the Live Chat panel socket (which makes the agent online) and waits for `hello`.
    pub async fn panel(&self) -> Ws {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
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

pub struct Ws {
    pub stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Ws {
    /// The next JSON frame, failing the test after 10 seconds.
    pub async fn next(&mut self) -> Value {
        self.next_within(Duration::from_secs(10))
            .await
            .expect("a frame within 10 s")
    }

    pub async fn next_within(&mut self, limit: Duration) -> Option<Value> {
        loop {
            let frame = tokio::time::timeout(limit, self.stream.next())
                .await
                .ok()??;
            match frame.expect("socket error") {
                WsMessage::Text(text) => return Some(serde_json::from_str(&text).unwrap()),
                WsMessage::Close(_) => return None,
                _ => continue,
            }
        }
    }

    pub async fn next_of_type(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.next().await;
            if frame["type"] == kind {
                return frame;
            }
        }
    }

    /// The next stored message of the given kind.
    pub async fn next_message(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.next_of_type("message").await;
            if frame["message"]["kind"] == kind {
                return frame["message"].clone();
            }
        }
    }

    pub async fn send_json(&mut self, value: Value) {
        self.stream
            .send(WsMessage::Text(value.to_string().into()))
            .await
            .unwrap();
    }

    /// Every frame that arrives within `limit`.
    pub async fn drain(&mut self, limit: Duration) -> Vec<Value> {
        let mut frames = Vec::new();
        while let Some(frame) = self.next_within(limit).await {
            frames.push(frame);
        }
        frames
    }
}

/// A real SMTP server (Python's aiosmtpd from PyPI, installed by the test command) writing what it
/// receives into a maildir.
pub struct SmtpServer {
    child: std::process::Child,
    pub port: u16,
    maildir: std::path::PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

pub async fn start_smtp() -> SmtpServer {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let maildir = std::env::temp_dir().join(format!("baton-mail-{}", uuid::Uuid::now_v7()));
    let child = std::process::Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(&maildir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd is needed (scripts/test installs it: pip install aiosmtpd)");
    let server = SmtpServer {
        child,
        port,
        maildir,
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("aiosmtpd did not start on port {port} (is it installed? pip install aiosmtpd)");
}

/// An app that sends email through `smtp` and retries deliveries quickly; `configure` sets more.
pub async fn spawn_app_mailing(smtp: &SmtpServer, configure: impl FnOnce(&mut Config)) -> TestApp {
    let smtp_config = smtp.config();
    spawn_app_with(
        move |c| {
            c.smtp = Some(smtp_config);
            c.outbox_base_delay = Duration::from_millis(50);
            configure(c);
        },
        Arc::new(baton_ai::builtin::BuiltinEngine),
    )
    .await
}

impl SmtpServer {
    /// The server's settings for Baton's configuration.
    pub fn config(&self) -> baton_server::config::SmtpConfig {
        baton_server::config::SmtpConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            tls: baton_server::config::SmtpTls::None,
            username: None,
            password: None,
            from: "Baton <baton@example.com>".into(),
        }
    }

    /// The raw messages received so far.
    pub fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    }

    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        for _ in 0..200 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.messages()
    }
}

//! Clients that talk to the server the way the widget and the Live Chat panel do: the same HTTP
//! endpoints and WebSockets, the same auth (a visitor's bearer token, an agent's session cookie
//! and CSRF token).
//!
//! WebSockets are opened from source addresses spread over 127.0.0.0/8, so the harness is not
//! bound by one address's ephemeral ports when it opens tens of thousands of sockets.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use futures::StreamExt;
use serde_json::{Value, json};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

pub type Ws = WebSocketStream<TcpStream>;

/// How long a setup step (an HTTP call, a WebSocket handshake and its first frame) may take.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens TCP connections to the server from rotating loopback source addresses.
pub struct Dialer {
    server: SocketAddr,
    sources: u32,
    next: AtomicU32,
}

impl Dialer {
    pub fn new(server: SocketAddr, sources: u32) -> Dialer {
        Dialer {
            server,
            sources: sources.max(1),
            next: AtomicU32::new(0),
        }
    }

    /// The next source address: 127.1.0.1, 127.1.0.2, … (only when the server is on loopback).
    fn source(&self) -> Option<IpAddr> {
        if !self.server.ip().is_loopback() || !self.server.is_ipv4() {
            return None;
        }
        let n = self.next.fetch_add(1, Ordering::Relaxed) % self.sources + 1;
        Some(IpAddr::V4(Ipv4Addr::new(
            127,
            1 + (n >> 16) as u8,
            (n >> 8) as u8,
            n as u8,
        )))
    }

    pub async fn tcp(&self) -> std::io::Result<TcpStream> {
        let socket = TcpSocket::new_v4()?;
        if let Some(source) = self.source() {
            socket.bind(SocketAddr::new(source, 0))?;
        }
        let stream = socket.connect(self.server).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    /// A WebSocket on `path` (with its query), with a session cookie for the panel.
    pub async fn ws(&self, path: &str, cookie: Option<&str>) -> anyhow::Result<Ws> {
        let mut request = format!("ws://{}{path}", self.server).into_client_request()?;
        if let Some(cookie) = cookie {
            request.headers_mut().insert("cookie", cookie.parse()?);
        }
        let tcp = self.tcp().await.context("connect")?;
        // Small buffers: the harness holds as many sockets as the server does.
        let config = WebSocketConfig::default()
            .read_buffer_size(4096)
            .write_buffer_size(0)
            .max_write_buffer_size(1 << 20);
        let (ws, _) = tokio_tungstenite::client_async_with_config(request, tcp, Some(config))
            .await
            .context("handshake")?;
        Ok(ws)
    }
}

/// The next JSON text frame, or an error if the socket closes or `limit` passes.
pub async fn next_json(ws: &mut Ws, limit: Duration) -> anyhow::Result<Value> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let frame = tokio::time::timeout_at(deadline, ws.next())
            .await
            .map_err(|_| anyhow!("no frame within {limit:?}"))?
            .ok_or_else(|| anyhow!("socket closed"))??;
        match frame {
            Message::Text(text) => return Ok(serde_json::from_str(&text)?),
            Message::Close(_) => bail!("socket closed"),
            _ => continue,
        }
    }
}

/// Reads frames until one of type `kind`.
pub async fn until_type(ws: &mut Ws, kind: &str, limit: Duration) -> anyhow::Result<Value> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let frame = next_json(ws, left).await?;
        if frame["type"] == kind {
            return Ok(frame);
        }
    }
}

/// A visitor's conversation: its id and bearer token.
#[derive(Clone, Debug)]
pub struct VisitorConv {
    pub id: String,
    pub token: String,
}

/// An agent's logged-in session.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub agent_id: String,
}

/// The HTTP API of the server under test.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(base: String) -> anyhow::Result<Api> {
        let http = reqwest::Client::builder()
            .timeout(STEP_TIMEOUT)
            .pool_max_idle_per_host(512)
            .tcp_nodelay(true)
            .build()?;
        Ok(Api { http, base })
    }

    async fn json_or_error(response: reqwest::Response, what: &str) -> anyhow::Result<Value> {
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("{what}: HTTP {status}: {body}");
        }
        Ok(body)
    }

    /// `POST /api/v1/widget/conversations`: a new visitor conversation.
    pub async fn start_conversation(&self, bot_id: &str) -> anyhow::Result<VisitorConv> {
        let response = self
            .http
            .post(format!("{}/api/v1/widget/conversations", self.base))
            .json(&json!({ "bot_id": bot_id, "visitor_name": "Bench visitor" }))
            .send()
            .await?;
        let body = Self::json_or_error(response, "start a conversation").await?;
        Ok(VisitorConv {
            id: body["conversation"]["id"]
                .as_str()
                .context("conversation.id")?
                .to_owned(),
            token: body["token"].as_str().context("token")?.to_owned(),
        })
    }

    /// `POST /api/v1/widget/conversations/{id}/handoff`: the visitor asks for a person. Returns
    /// the handoff id and the conversation's state after it ("waiting" when live).
    pub async fn request_handoff(&self, conv: &VisitorConv) -> anyhow::Result<(String, String)> {
        let response = self
            .http
            .post(format!(
                "{}/api/v1/widget/conversations/{}/handoff",
                self.base, conv.id
            ))
            .bearer_auth(&conv.token)
            .send()
            .await?;
        let body = Self::json_or_error(response, "request a handoff").await?;
        Ok((
            body["handoff"]["id"]
                .as_str()
                .context("handoff.id")?
                .to_owned(),
            body["state"].as_str().unwrap_or("").to_owned(),
        ))
    }

    /// `POST /api/v1/auth/login`.
    pub async fn login(&self, email: &str, password: &str) -> anyhow::Result<Session> {
        let response = self
            .http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await?;
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        let body = Self::json_or_error(response, "log in").await?;
        Ok(Session {
            cookie: cookie.context("no session cookie")?,
            csrf: body["csrf_token"]
                .as_str()
                .context("csrf_token")?
                .to_owned(),
            agent_id: body["agent"]["id"].as_str().unwrap_or("").to_owned(),
        })
    }

    fn agent_post(&self, session: &Session, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.base))
            .header("cookie", &session.cookie)
            .header("x-csrf-token", &session.csrf)
    }

    /// `POST /api/v1/agents` as an admin.
    pub async fn create_agent(
        &self,
        admin: &Session,
        email: &str,
        name: &str,
        password: &str,
        max_chats: u32,
    ) -> anyhow::Result<()> {
        let response = self
            .agent_post(admin, "/api/v1/agents")
            .json(&json!({
                "email": email,
                "display_name": name,
                "password": password,
                "role": "agent",
                "max_chats": max_chats,
            }))
            .send()
            .await?;
        Self::json_or_error(response, "create an agent").await?;
        Ok(())
    }

    /// The first bot of the admin's workspace (the demo bot on a fresh server).
    pub async fn first_bot(&self, admin: &Session) -> anyhow::Result<String> {
        let response = self
            .http
            .get(format!("{}/api/v1/bots", self.base))
            .header("cookie", &admin.cookie)
            .send()
            .await?;
        let body = Self::json_or_error(response, "list bots").await?;
        Ok(body["bots"][0]["id"]
            .as_str()
            .context("the workspace has no bot")?
            .to_owned())
    }

    /// `POST /api/v1/handoffs/{id}/accept`; returns the HTTP status (200 wins, 409 lost).
    pub async fn accept(&self, session: &Session, handoff_id: &str) -> anyhow::Result<u16> {
        let response = self
            .agent_post(session, &format!("/api/v1/handoffs/{handoff_id}/accept"))
            .send()
            .await?;
        Ok(response.status().as_u16())
    }

    /// `POST /api/v1/conversations/{id}/resolve`.
    pub async fn resolve(&self, session: &Session, conversation_id: &str) -> anyhow::Result<u16> {
        let response = self
            .agent_post(
                session,
                &format!("/api/v1/conversations/{conversation_id}/resolve"),
            )
            .send()
            .await?;
        Ok(response.status().as_u16())
    }
}

/// Opens a visitor's widget socket and waits for `ready`.
pub async fn visitor_socket(dialer: &Dialer, conv: &VisitorConv) -> anyhow::Result<Ws> {
    Ok(visitor_socket_ready(dialer, conv).await?.0)
}

/// Opens a visitor's widget socket, waits for `ready` and returns its `last_seq` too (messages
/// up to it were stored before the socket opened, e.g. the bot's welcome).
pub async fn visitor_socket_ready(
    dialer: &Dialer,
    conv: &VisitorConv,
) -> anyhow::Result<(Ws, i64)> {
    let path = format!(
        "/api/v1/widget/conversations/{}/ws?token={}&after=0",
        conv.id, conv.token
    );
    let mut ws = tokio::time::timeout(STEP_TIMEOUT, dialer.ws(&path, None))
        .await
        .map_err(|_| anyhow!("handshake timed out"))??;
    let ready = until_type(&mut ws, "ready", STEP_TIMEOUT)
        .await
        .context("waiting for ready")?;
    Ok((ws, ready["last_seq"].as_i64().unwrap_or(0)))
}

/// Opens an agent's panel socket (the agent is online while it is open) and waits for `hello`.
pub async fn panel_socket(dialer: &Dialer, session: &Session) -> anyhow::Result<Ws> {
    let mut ws = tokio::time::timeout(
        STEP_TIMEOUT,
        dialer.ws("/api/v1/panel/ws", Some(&session.cookie)),
    )
    .await
    .map_err(|_| anyhow!("handshake timed out"))??;
    until_type(&mut ws, "hello", STEP_TIMEOUT)
        .await
        .context("waiting for hello")?;
    Ok(ws)
}

/// The admin's session and the bot every simulated visitor talks to.
pub async fn admin_and_bot(
    api: &Api,
    email: &str,
    password: &str,
) -> anyhow::Result<(Session, String)> {
    let admin = api.login(email, password).await.context("admin login")?;
    let bot = api.first_bot(&admin).await?;
    Ok((admin, bot))
}

/// Creates `count` agents (argon2 hashing makes this the slow part of setup), logs each in,
/// and returns their sessions in order.
pub async fn create_agents(
    api: &Api,
    admin: &Session,
    count: usize,
    max_chats: u32,
    tag: &str,
) -> anyhow::Result<Vec<Session>> {
    const PASSWORD: &str = "bench-agent-password";
    let results: Vec<anyhow::Result<Session>> = futures::stream::iter(0..count)
        .map(|i| async move {
            let email = format!("bench-{tag}-{i}@bench.example");
            api.create_agent(admin, &email, &format!("Agent {i}"), PASSWORD, max_chats)
                .await?;
            api.login(&email, PASSWORD).await
        })
        .buffered(4)
        .collect()
        .await;
    results.into_iter().collect()
}

/// Messages the harness sends carry `client_id` "b<n>"; anything else is not ours.
pub fn bench_id(client_id: &str) -> Option<usize> {
    client_id.strip_prefix('b')?.parse().ok()
}

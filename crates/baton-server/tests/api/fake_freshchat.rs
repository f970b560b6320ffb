//! A local FreshChat stand-in on port 0, following the contract in docs/freshchat.md ("The
//! stand-in used by the tests"): bearer auth, users, channels, agents, conversations and messages
//! under `/v2`, signed webhooks with its own RSA key (PKCS#1 v1.5, SHA-256 over the exact body),
//! and fault injection: 429 with `Retry-After`, 5xx, an outage, "not the latest conversation",
//! duplicate and out-of-order webhook deliveries.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::{Generate, PrivateKey};
use serde_json::{Value, json};

pub const TOKEN: &str = "eyJ-test-freshchat-token";
pub const CHANNEL: &str = "c8fddfaf-622a-4a0e-b060-4f3ccbeab606";
pub const AGENT: &str = "fba1873d-0000-4000-8000-000000000001";
pub const AGENT_NAME: &str = "Ana Lima";

/// A canned failure for the next calls.
#[derive(Clone, Debug)]
pub enum Fault {
    /// 429 with `Retry-After: seconds`.
    RateLimited(u64),
    /// This status with a FreshChat error body.
    Status(u16),
    /// 400 "not the latest conversation" on the next message post.
    NotLatest,
}

#[derive(Default)]
pub struct Inner {
    users: Vec<Value>,
    conversations: HashMap<String, Value>,
    /// The order conversations were created in.
    pub created: Vec<String>,
    faults: VecDeque<Fault>,
    down: bool,
    pub webhook_url: Option<String>,
    /// Webhooks held back to be delivered later (out-of-order tests).
    holding: bool,
    held: Vec<String>,
    /// Every request: (method, path).
    pub requests: Vec<(String, String)>,
    /// When each request arrived, and the status injected for it (if any).
    pub timeline: Vec<(std::time::Instant, String, Option<u16>)>,
    /// Send every webhook twice (the second with `X-Retry-Count: 1`).
    pub duplicate_webhooks: bool,
    counter: u64,
}

#[derive(Clone)]
pub struct FakeFreshchat {
    pub addr: SocketAddr,
    pub inner: Arc<Mutex<Inner>>,
    key: Arc<SigningKey<Sha256>>,
    /// The public key in FreshChat's odd form: an "RSA PUBLIC KEY" label around SPKI, one line.
    pub public_key: String,
    http: reqwest::Client,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "code": status.as_u16(), "status": code, "message": message })),
    )
        .into_response()
}

fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Millisecond)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

impl FakeFreshchat {
    pub async fn start() -> FakeFreshchat {
        // The stand-in's own client may be built before any app installs the TLS provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let private = tokio::task::spawn_blocking(PrivateKey::generate)
            .await
            .unwrap();
        let spki = private
            .to_public_key()
            .to_public_key_der()
            .unwrap()
            .as_bytes()
            .to_vec();
        let public_key = format!(
            "-----BEGIN RSA PUBLIC KEY----- {} -----END RSA PUBLIC KEY-----",
            STANDARD.encode(spki)
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = FakeFreshchat {
            addr,
            inner: Arc::default(),
            key: Arc::new(SigningKey::<Sha256>::new(private)),
            public_key,
            http: reqwest::Client::new(),
        };
        let v2 = Router::new()
            .route("/v2/users", get(find_users).post(create_user))
            .route("/v2/users/{id}", get(user))
            .route("/v2/channels", get(channels))
            .route("/v2/groups", get(groups))
            .route("/v2/agents", get(agents))
            .route("/v2/agents/{id}", get(agent))
            .route("/v2/accounts/configuration", get(configuration))
            .route("/v2/conversations", post(create_conversation))
            .route(
                "/v2/conversations/{id}",
                get(conversation).put(update_conversation),
            )
            .route(
                "/v2/conversations/{id}/messages",
                get(messages).post(post_message),
            )
            .layer(middleware::from_fn_with_state(fake.clone(), gate));
        let app = v2
            .route("/_fake/agent_reply", post(control_agent_reply))
            .with_state(fake.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        fake
    }

    /// The API base URL to save in Baton.
    pub fn base_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }

    /// The `--allow-outbound-host` entry for this stand-in.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    pub fn set_webhook_url(&self, url: &str) {
        self.inner.lock().unwrap().webhook_url = Some(url.to_owned());
    }

    pub fn push_fault(&self, fault: Fault) {
        self.inner.lock().unwrap().faults.push_back(fault);
    }

    /// While down, every call answers 503.
    pub fn set_down(&self, down: bool) {
        self.inner.lock().unwrap().down = down;
    }

    pub fn hold_webhooks(&self) {
        self.inner.lock().unwrap().holding = true;
    }

    /// Delivers the held webhooks newest first (out of order), each once.
    pub async fn release_webhooks_reversed(&self) {
        let held = {
            let mut inner = self.inner.lock().unwrap();
            inner.holding = false;
            std::mem::take(&mut inner.held)
        };
        for body in held.into_iter().rev() {
            self.deliver(&body, 0).await;
        }
    }

    /// The conversations created, oldest first.
    pub fn conversation_ids(&self) -> Vec<String> {
        self.inner.lock().unwrap().created.clone()
    }

    pub fn conversation_json(&self, id: &str) -> Value {
        self.inner.lock().unwrap().conversations[id].clone()
    }

    /// The text of every message in a conversation with this actor type and message type, in
    /// the order FreshChat received them.
    pub fn texts(&self, id: &str, actor: &str, message_type: &str) -> Vec<String> {
        let inner = self.inner.lock().unwrap();
        inner.conversations[id]["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["actor_type"] == actor && m["message_type"] == message_type)
            .map(|m| {
                m["message_parts"][0]["text"]["content"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }

    /// Every visitor text across all conversations (after "not the latest" re-mapping too).
    pub fn all_user_texts(&self) -> Vec<String> {
        let ids = self.conversation_ids();
        ids.iter()
            .flat_map(|id| self.texts(id, "user", "normal"))
            .collect()
    }

    pub fn count_requests(&self, method: &str, path_prefix: &str) -> usize {
        self.inner
            .lock()
            .unwrap()
            .requests
            .iter()
            .filter(|(m, p)| m == method && p.starts_with(path_prefix))
            .count()
    }

    fn next_id(&self, prefix: &str) -> String {
        let mut inner = self.inner.lock().unwrap();
        inner.counter += 1;
        format!(
            "{prefix}-{:08}-{}",
            inner.counter,
            uuid::Uuid::now_v7().simple()
        )
    }

    /// The signature FreshChat would send for `body`.
    pub fn sign(&self, body: &[u8]) -> String {
        STANDARD.encode(self.key.sign(body).to_bytes())
    }

    /// Posts a signed webhook to Baton (twice when duplicates are on); held when holding.
    pub async fn webhook(&self, body: Value) {
        let text = body.to_string();
        let (holding, duplicate) = {
            let mut inner = self.inner.lock().unwrap();
            if inner.holding {
                inner.held.push(text.clone());
            }
            (inner.holding, inner.duplicate_webhooks)
        };
        if holding {
            return;
        }
        self.deliver(&text, 0).await;
        if duplicate {
            self.deliver(&text, 1).await;
        }
    }

    async fn deliver(&self, body: &str, retry: u32) -> Option<StatusCode> {
        let url = self.inner.lock().unwrap().webhook_url.clone()?;
        let response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("x-freshchat-signature", self.sign(body.as_bytes()))
            .header("x-freshchat-payload-version", "2")
            .header("x-retry-count", retry.to_string())
            .body(body.to_owned())
            .send()
            .await
            .ok()?;
        Some(response.status())
    }

    /// Stores a message in a conversation and returns it (with id and time).
    fn store_message(&self, conversation: &str, mut message: Value) -> Value {
        let id = self.next_id("msg");
        let mut inner = self.inner.lock().unwrap();
        let conv = inner.conversations.get_mut(conversation).unwrap();
        message["id"] = json!(id);
        message["created_time"] = json!(now());
        message["conversation_id"] = json!(conversation);
        message["channel_id"] = conv["channel_id"].clone();
        message["app_id"] = json!("55b190fa-5d3c-45c4-bc49-74ddcfcf53d7");
        message["freshchat_conversation_id"] = conv["freshchat_conversation_id"].clone();
        message["user_id"] = conv["users"][0]["id"].clone();
        if message.get("message_type").is_none() {
            message["message_type"] = json!("normal");
        }
        conv["messages"]
            .as_array_mut()
            .unwrap()
            .push(message.clone());
        message
    }

    /// An agent types a reply in FreshChat's inbox: stored, then the signed `message_create`.
    pub async fn agent_reply(&self, conversation: &str, agent: &str, text: &str) -> String {
        self.agent_message(conversation, agent, text, "normal")
            .await
    }

    pub async fn agent_message(
        &self,
        conversation: &str,
        agent: &str,
        text: &str,
        message_type: &str,
    ) -> String {
        let message = self.store_message(
            conversation,
            json!({
                "message_parts": [ { "text": { "content": text } } ],
                "actor_type": "agent", "actor_id": agent, "message_type": message_type,
                "message_source": "web",
            }),
        );
        let id = message["id"].as_str().unwrap().to_owned();
        self.webhook(message_create("agent", agent, message)).await;
        id
    }

    /// An agent's normal message with these parts (files, images, …), through the webhook.
    pub async fn agent_parts(&self, conversation: &str, agent: &str, parts: Value) -> String {
        let message = self.store_message(
            conversation,
            json!({
                "message_parts": parts,
                "actor_type": "agent", "actor_id": agent, "message_type": "normal",
                "message_source": "web",
            }),
        );
        let id = message["id"].as_str().unwrap().to_owned();
        self.webhook(message_create("agent", agent, message)).await;
        id
    }

    /// An agent picks the conversation: assignment webhook.
    pub async fn assign(&self, conversation: &str, agent: &str) {
        let conv = {
            let mut inner = self.inner.lock().unwrap();
            let conv = inner.conversations.get_mut(conversation).unwrap();
            conv["assigned_agent_id"] = json!(agent);
            conv["status"] = json!("assigned");
            conv.clone()
        };
        self.webhook(json!({
            "actor": { "actor_type": "agent", "actor_id": agent },
            "action": "conversation_assignment",
            "action_time": now(),
            "data": { "assignment": {
                "assignor": "agent", "assignor_id": agent,
                "to_agent_id": agent, "from_agent_id": "",
                "conversation": summary(&conv),
            } }
        }))
        .await;
    }

    pub async fn resolve(&self, conversation: &str, agent: &str) {
        let conv = self.set_status(conversation, "resolved");
        self.webhook(json!({
            "actor": { "actor_type": "agent", "actor_id": agent },
            "action": "conversation_resolution",
            "action_time": now(),
            "data": { "resolve": { "resolver": "agent", "resolver_id": agent, "conversation": summary(&conv) } }
        }))
        .await;
    }

    pub async fn reopen(&self, conversation: &str, agent: &str) {
        let conv = self.set_status(conversation, "reopened");
        self.webhook(json!({
            "actor": { "actor_type": "agent", "actor_id": agent },
            "action": "conversation_reopen",
            "action_time": now(),
            "data": { "reopen": { "reopener": "agent", "reopener_id": agent, "conversation": summary(&conv) } }
        }))
        .await;
    }

    fn set_status(&self, conversation: &str, status: &str) -> Value {
        let mut inner = self.inner.lock().unwrap();
        let conv = inner.conversations.get_mut(conversation).unwrap();
        conv["status"] = json!(status);
        conv.clone()
    }
}

fn summary(conv: &Value) -> Value {
    json!({
        "conversation_id": conv["conversation_id"], "app_id": conv["app_id"],
        "status": conv["status"], "channel_id": conv["channel_id"],
        "assigned_agent_id": conv["assigned_agent_id"], "skill_id": 0,
        "sla_policy_id": 0, "sla_breached": false,
    })
}

fn message_create(actor_type: &str, actor_id: &str, message: Value) -> Value {
    json!({
        "actor": { "actor_type": actor_type, "actor_id": actor_id },
        "action": "message_create",
        "action_time": now(),
        "data": { "message": message },
    })
}

/// Auth, the request log and injected faults, before every `/v2` route.
async fn gate(State(fake): State<FakeFreshchat>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let fault = {
        let mut inner = fake.inner.lock().unwrap();
        inner
            .requests
            .push((request.method().to_string(), path.clone()));
        if inner.down {
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "down",
            );
        }
        let auth = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if auth != Some(&format!("Bearer {TOKEN}")) {
            return error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "invalid token");
        }
        let is_message_post = request.method() == "POST" && path.ends_with("/messages");
        match inner.faults.front() {
            Some(Fault::NotLatest) if !is_message_post => None,
            Some(_) => inner.faults.pop_front(),
            None => None,
        }
    };
    fake.inner.lock().unwrap().timeline.push((
        std::time::Instant::now(),
        path.clone(),
        fault.as_ref().map(|f| match f {
            Fault::RateLimited(_) => 429,
            Fault::Status(s) => *s,
            Fault::NotLatest => 400,
        }),
    ));
    match fault {
        Some(Fault::RateLimited(seconds)) => {
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_REQUESTS",
                "rate limit exceeded",
            );
            response
                .headers_mut()
                .insert("retry-after", seconds.to_string().parse().unwrap());
            response
        }
        Some(Fault::Status(status)) => error(
            StatusCode::from_u16(status).unwrap(),
            "INTERNAL_SERVER_ERROR",
            "injected failure",
        ),
        Some(Fault::NotLatest) => error(
            StatusCode::BAD_REQUEST,
            "INVALID_VALUE",
            "conversation is not the latest conversation of the user",
        ),
        None => next.run(request).await,
    }
}

async fn find_users(
    State(fake): State<FakeFreshchat>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let filter = q
        .get("reference_id")
        .map(|r| ("reference_id", r))
        .or(q.get("email").map(|e| ("email", e)));
    let Some((field, value)) = filter else {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_VALUE",
            "at least one filter is required",
        );
    };
    let inner = fake.inner.lock().unwrap();
    let users: Vec<&Value> = inner
        .users
        .iter()
        .filter(|u| u[field].as_str() == Some(value.as_str()))
        .collect();
    axum::Json(json!({
        "users": users,
        "pagination": { "total_items": users.len(), "total_pages": 1, "current_page": 1, "items_per_page": 10 },
        "links": {},
    }))
    .into_response()
}

async fn create_user(
    State(fake): State<FakeFreshchat>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut user = body;
    user["id"] = json!(fake.next_id("user"));
    user["created_time"] = json!(now());
    fake.inner.lock().unwrap().users.push(user.clone());
    axum::Json(user).into_response()
}

async fn user(State(fake): State<FakeFreshchat>, Path(id): Path<String>) -> Response {
    let inner = fake.inner.lock().unwrap();
    match inner.users.iter().find(|u| u["id"] == id) {
        Some(user) => axum::Json(user.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, "USER_NOT_FOUND", "user not found"),
    }
}

async fn channels() -> Response {
    axum::Json(json!({
        "channels": [ { "id": CHANNEL, "name": "Support", "enabled": true, "public": true, "tags": [] } ],
        "pagination": { "total_items": 1, "total_pages": 1, "current_page": 1, "items_per_page": 50 },
        "links": {},
    }))
    .into_response()
}

async fn groups() -> Response {
    axum::Json(
        json!({ "groups": [ { "id": "group-1", "name": "Support", "agents": [] } ], "links": {} }),
    )
    .into_response()
}

fn agent_json() -> Value {
    json!({ "id": AGENT, "email": "ana@example.com", "first_name": "Ana", "last_name": "Lima",
            "availability_status": "AVAILABLE", "groups": ["group-1"] })
}

async fn agents() -> Response {
    axum::Json(json!({ "agents": [ agent_json() ], "links": {} })).into_response()
}

async fn agent(Path(id): Path<String>) -> Response {
    if id == AGENT {
        axum::Json(agent_json()).into_response()
    } else {
        error(StatusCode::NOT_FOUND, "AGENT_NOT_FOUND", "agent not found")
    }
}

async fn configuration() -> Response {
    axum::Json(json!({ "organisation_id": 1234, "app_id": "55b190fa-5d3c-45c4-bc49-74ddcfcf53d7" }))
        .into_response()
}

/// Checks a message per the contract: non-empty parts, exactly one key each, a known actor.
fn invalid_message(message: &Value) -> Option<&'static str> {
    let parts = message["message_parts"].as_array()?;
    if parts.is_empty() {
        return Some("message_parts is empty");
    }
    if parts
        .iter()
        .any(|p| p.as_object().is_none_or(|o| o.len() != 1))
    {
        return Some("exactly one part should be present");
    }
    match message["actor_type"].as_str() {
        Some("user" | "agent" | "bot" | "system") => None,
        _ => Some("invalid actor_type"),
    }
}

async fn create_conversation(
    State(fake): State<FakeFreshchat>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if body["channel_id"] != CHANNEL {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_VALUE",
            "invalid channel_id",
        );
    }
    let Some(user_id) = body["users"][0]["id"].as_str().map(str::to_owned) else {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_VALUE",
            "users is required",
        );
    };
    if !fake
        .inner
        .lock()
        .unwrap()
        .users
        .iter()
        .any(|u| u["id"] == user_id)
    {
        return error(StatusCode::BAD_REQUEST, "INVALID_VALUE", "user not found");
    }
    let Some(messages) = body["messages"].as_array() else {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_VALUE",
            "messages is required",
        );
    };
    for m in messages {
        if let Some(problem) = invalid_message(m).or((m["actor_type"] == "user"
            && m["actor_id"] != user_id.as_str())
        .then_some("actor_id must be a user of the conversation"))
        {
            return error(StatusCode::BAD_REQUEST, "INVALID_VALUE", problem);
        }
    }
    let id = uuid::Uuid::now_v7().to_string();
    let numeric = (1_000_000_000_000u64 + fake.inner.lock().unwrap().counter).to_string();
    let status = if body.get("assigned_agent_id").is_some() {
        "assigned"
    } else {
        "new"
    };
    {
        let mut inner = fake.inner.lock().unwrap();
        inner.conversations.insert(
            id.clone(),
            json!({
                "conversation_id": id, "freshchat_conversation_id": numeric,
                "app_id": "55b190fa-5d3c-45c4-bc49-74ddcfcf53d7",
                "channel_id": CHANNEL, "status": status,
                "users": [ { "id": user_id } ], "messages": [],
                "assigned_agent_id": body["assigned_agent_id"],
            }),
        );
        inner.created.push(id.clone());
    }
    let stored: Vec<Value> = messages
        .iter()
        .map(|m| fake.store_message(&id, m.clone()))
        .collect();
    let webhooks = fake.clone();
    let echoes = stored.clone();
    tokio::spawn(async move {
        for m in echoes {
            let actor = m["actor_type"].as_str().unwrap_or("user").to_owned();
            let actor_id = m["actor_id"].as_str().unwrap_or_default().to_owned();
            webhooks.webhook(message_create(&actor, &actor_id, m)).await;
        }
    });
    let mut conv = fake.conversation_json(&id);
    conv["messages"] = json!(stored);
    axum::Json(conv).into_response()
}

async fn conversation(State(fake): State<FakeFreshchat>, Path(id): Path<String>) -> Response {
    let inner = fake.inner.lock().unwrap();
    match inner.conversations.get(&id) {
        Some(conv) => {
            let mut shown = conv.clone();
            shown.as_object_mut().unwrap().remove("messages");
            axum::Json(shown).into_response()
        }
        None => error(StatusCode::NOT_FOUND, "CONVERSATION_NOT_FOUND", "not found"),
    }
}

async fn update_conversation(
    State(fake): State<FakeFreshchat>,
    Path(id): Path<String>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if !fake.inner.lock().unwrap().conversations.contains_key(&id) {
        return error(StatusCode::NOT_FOUND, "CONVERSATION_NOT_FOUND", "not found");
    }
    match body["status"].as_str() {
        Some("resolved") => fake.resolve(&id, AGENT).await,
        Some("reopened") => fake.reopen(&id, AGENT).await,
        _ => {}
    }
    if let Some(agent) = body["assigned_agent_id"].as_str()
        && !agent.trim().is_empty()
    {
        fake.assign(&id, agent).await;
    }
    conversation(State(fake), Path(id)).await
}

async fn post_message(
    State(fake): State<FakeFreshchat>,
    Path(id): Path<String>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let status = {
        let inner = fake.inner.lock().unwrap();
        match inner.conversations.get(&id) {
            Some(conv) => conv["status"].as_str().unwrap_or_default().to_owned(),
            None => return error(StatusCode::NOT_FOUND, "CONVERSATION_NOT_FOUND", "not found"),
        }
    };
    let problem = if body["message_parts"].is_array() {
        invalid_message(&body)
    } else {
        Some("message_parts is required")
    };
    if let Some(problem) = problem {
        return error(StatusCode::BAD_REQUEST, "INVALID_VALUE", problem);
    }
    let is_user = body["actor_type"] == "user";
    if is_user && status == "resolved" {
        // A user message reopens a resolved conversation: reopen first, then the message.
        fake.reopen(&id, "").await;
    }
    let message = fake.store_message(&id, body);
    let webhooks = fake.clone();
    let echo = message.clone();
    tokio::spawn(async move {
        let actor = echo["actor_type"].as_str().unwrap_or("user").to_owned();
        let actor_id = echo["actor_id"].as_str().unwrap_or_default().to_owned();
        webhooks
            .webhook(message_create(&actor, &actor_id, echo))
            .await;
    });
    axum::Json(message).into_response()
}

async fn messages(State(fake): State<FakeFreshchat>, Path(id): Path<String>) -> Response {
    let inner = fake.inner.lock().unwrap();
    match inner.conversations.get(&id) {
        Some(conv) => {
            let mut list = conv["messages"].as_array().cloned().unwrap_or_default();
            list.reverse();
            axum::Json(json!({ "messages": list })).into_response()
        }
        None => error(StatusCode::NOT_FOUND, "CONVERSATION_NOT_FOUND", "not found"),
    }
}

/// Test-only (not FreshChat): an agent replies from the inbox.
async fn control_agent_reply(
    State(fake): State<FakeFreshchat>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let conversation = body["conversation_id"].as_str().unwrap_or_default();
    if !fake
        .inner
        .lock()
        .unwrap()
        .conversations
        .contains_key(conversation)
    {
        return error(StatusCode::NOT_FOUND, "CONVERSATION_NOT_FOUND", "not found");
    }
    let id = fake
        .agent_message(
            conversation,
            body["agent_id"].as_str().unwrap_or(AGENT),
            body["text"].as_str().unwrap_or_default(),
            body["message_type"].as_str().unwrap_or("normal"),
        )
        .await;
    axum::Json(json!({ "id": id })).into_response()
}

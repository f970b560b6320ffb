//! The WebSockets: the visitor's (one conversation) and the agent's panel (the workspace's
//! handoff queue plus the conversations the agent opens). Protocol: docs/websocket.md.
//!
//! Stored events carry their sequence number. A socket remembers the next number it owes its
//! client; it subscribes before reading history, skips what it already sent, and fills any gap
//! (a lagging channel, an event published out of order) from storage — so a client that resumes
//! with the last number it saw gets exactly the missed events, no gap and no duplicate. A gap is
//! filled only up to the entry that revealed it, and after a lag the pieces of a streamed reply
//! the socket missed (which are not stored) are sent among the stored entries in the order they
//! were published, so the preview reads as it was streamed and is replaced by the stored reply.
//!
//! An open visitor socket mostly waits. Everything it holds lives in one [`VisitorSocket`]
//! allocation and the task's own future stays small: the rare branches (history, frames from the
//! client) are boxed while they run.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use baton_domain::entity::Entity;
use baton_domain::ids::ConversationId;
use baton_domain::message::AuthorKind;
use baton_domain::ownership::Owner;
use baton_storage::{Agent, Conversation};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc};

use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::CurrentAgent;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiQuery, PathId, parse_id};
use super::openapi::{Forbidden, Id, NotFound, TooManyRequests, Unauthorized};
use crate::events::{ErrorBody, Event};
use crate::hub::{ConversationSubscription, Frame, Received};
use crate::state::AppState;
use crate::views::{AgentView, MessageView};

/// Read buffer per socket, allocated up front for every socket (the library default is 128 KiB).
/// Client frames are small (a typing notice, a chat message); larger ones (up to
/// `max_ws_frame_bytes`) still arrive, read in steps of this size.
const READ_BUFFER_BYTES: usize = 256;
const WRITE_BUFFER_BYTES: usize = 4 * 1024;
/// History is replayed in pages of this size.
const CATCH_UP_PAGE: u32 = 500;
/// How often a panel socket is pinged; an agent whose panel stops answering goes offline.
const PANEL_HEARTBEAT: Duration = Duration::from_secs(20);
/// The most queued frames a panel socket writes at once.
const PANEL_WRITE_BATCH: usize = 64;
/// The most messages of one panel socket waiting to be stored; past it the socket is not read.
const PANEL_SENDS_IN_FLIGHT: usize = 256;

/// An agent's messages queued for storing, each resolving to its ack or error frame.
type Sends = futures::stream::FuturesUnordered<
    std::pin::Pin<Box<dyn std::future::Future<Output = Utf8Bytes> + Send>>,
>;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(visitor_upgrade))
        .routes(routes!(panel_upgrade))
}

fn configure(ws: WebSocketUpgrade, state: &AppState) -> WebSocketUpgrade {
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(state.config.limits.max_ws_frame_bytes)
        .max_frame_size(state.config.limits.max_ws_frame_bytes)
}

// ---- shared: resuming a conversation's stream --------------------------------------------------

/// Where a socket stands in one conversation's stream.
struct Cursor {
    conversation_id: ConversationId,
    /// The next sequence number owed to the client.
    next_seq: i64,
}

impl Cursor {
    /// Stored entries from `next_seq` on (all of them, page by page), as wire frames.
    async fn catch_up(&mut self, state: &AppState) -> Result<Vec<Utf8Bytes>, ()> {
        let mut frames = Vec::new();
        self.catch_up_into(state, i64::MAX, &mut frames).await?;
        Ok(frames)
    }

    /// Appends the stored entries from `next_seq` up to `until` (included) to `frames`. Entries
    /// after `until` are left for later, so they keep their place among ephemeral events.
    async fn catch_up_into(
        &mut self,
        state: &AppState,
        until: i64,
        frames: &mut Vec<Utf8Bytes>,
    ) -> Result<(), ()> {
        while self.next_seq <= until {
            let page = state
                .store
                .messages(self.conversation_id, self.next_seq - 1, CATCH_UP_PAGE)
                .await
                .map_err(|err| tracing::error!(error = %err, "could not replay history"))?;
            let full = page.len() == CATCH_UP_PAGE as usize;
            for message in page.iter().take_while(|m| m.seq <= until) {
                frames.push(Utf8Bytes::from(
                    Event::Message {
                        message: MessageView::from(message),
                    }
                    .to_json(),
                ));
                self.next_seq = message.seq + 1;
            }
            if !full {
                break;
            }
        }
        Ok(())
    }

    /// What to send for one event from the hub.
    async fn on_frame(
        &mut self,
        state: &AppState,
        frame: &Frame,
        out: &mut Vec<Utf8Bytes>,
    ) -> Result<(), ()> {
        match frame.seq {
            Some(seq) if seq < self.next_seq => return Ok(()),
            // A gap (entries dropped for a lagging socket, or published out of order): the
            // entries before this one from storage.
            Some(seq) if seq > self.next_seq => {
                self.catch_up_into(state, seq - 1, out).await?;
                if self.next_seq != seq {
                    // Storage disagrees with the hub; storage wins.
                    return self.catch_up_into(state, i64::MAX, out).await;
                }
            }
            _ => {}
        }
        if let Some(seq) = frame.seq {
            self.next_seq = seq + 1;
        }
        out.push(Utf8Bytes::from(frame.json.as_ref()));
        Ok(())
    }

    /// What to send for what the hub delivered, keeping the frames `wanted` says this socket
    /// forwards.
    async fn on_received(
        &mut self,
        state: &AppState,
        received: Received,
        wanted: fn(&Frame) -> bool,
    ) -> Result<Vec<Utf8Bytes>, ()> {
        let mut out = Vec::new();
        match received {
            Received::Frames(frames) => {
                for frame in frames.iter().filter(|f| wanted(f)) {
                    self.on_frame(state, frame, &mut out).await?;
                }
            }
            // The missed pieces of the reply being streamed (not stored), each after the stored
            // entries published before it, so the client sees them in the order they happened.
            Received::Lagged { missed, until_seq } => {
                for missed in missed.iter().filter(|m| wanted(&m.frame)) {
                    self.catch_up_into(state, missed.after_seq, &mut out)
                        .await?;
                    out.push(Utf8Bytes::from(missed.frame.json.as_ref()));
                }
                self.catch_up_into(state, until_seq, &mut out).await?;
            }
        }
        Ok(out)
    }
}

fn error_frame(code: &str, message: &str, client_id: Option<&str>) -> Utf8Bytes {
    Utf8Bytes::from(
        Event::Error {
            client_id,
            conversation_id: None,
            error: ErrorBody {
                code,
                message,
                retry_after: None,
            },
        }
        .to_json(),
    )
}

/// The `error` frame for a refused request; a refusal to retry later (`rate_limited`,
/// `overloaded`) says after how many seconds, as the HTTP endpoints' `Retry-After` does.
fn api_error_frame(err: &ApiError, client_id: Option<&str>) -> Utf8Bytes {
    Utf8Bytes::from(
        Event::Error {
            client_id,
            conversation_id: None,
            error: ErrorBody {
                code: err.code,
                message: &err.message,
                retry_after: err.retry_after.map(|wait| wait.as_secs().max(1)),
            },
        }
        .to_json(),
    )
}

fn ack_frame(client_id: &str, message: &baton_storage::Message) -> Utf8Bytes {
    Utf8Bytes::from(
        Event::Ack {
            client_id,
            message: MessageView::from(message),
        }
        .to_json(),
    )
}

/// Frames clients may send.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ClientFrame {
    Ping,
    Typing {
        #[serde(default)]
        conversation_id: Option<String>,
    },
    Send {
        #[serde(default)]
        conversation_id: Option<String>,
        client_id: String,
        text: String,
    },
    Subscribe {
        conversation_id: String,
        #[serde(default)]
        after: i64,
    },
    Unsubscribe {
        conversation_id: String,
    },
}

fn parse_client_frame(text: &str) -> Result<ClientFrame, Utf8Bytes> {
    serde_json::from_str(text)
        .map_err(|e| error_frame("invalid", &format!("invalid frame: {e}"), None))
}

// ---- the visitor's socket ----------------------------------------------------------------------

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct VisitorQuery {
    /// The visitor token returned by `POST /api/v1/widget/conversations`.
    token: String,
    /// Only messages with a sequence number greater than this; 0 = from the start.
    #[serde(default)]
    #[param(minimum = 0, default = 0)]
    after: i64,
}

/// The visitor's WebSocket
///
/// A WebSocket upgrade (`GET` with `Connection: Upgrade`, `Upgrade: websocket`). Streams every
/// event of the conversation (messages, typing, handoff requested, queue position, agent joined,
/// agent left, handed back) and accepts the visitor's frames (messages, typing). Browsers cannot
/// set headers on a WebSocket, so the visitor token goes in the `token` query parameter. On
/// connect the server first sends every message with a sequence number greater than `after`, so
/// a reconnect with the last `seq` seen gets exactly the missed events. At most 8 sockets per
/// conversation by default (429 beyond). Frames and events: see docs/websocket.md.
#[utoipa::path(
    get,
    path = "/api/v1/widget/conversations/{id}/ws",
    tags = ["websocket", "widget"],
    operation_id = "visitorWebSocket",
    params(("id" = Id, Path, description = "The conversation's id."), VisitorQuery),
    responses(
        (status = 101, description = "Switching protocols: the WebSocket is open. See docs/websocket.md."),
        (status = 400, description = "`token` is missing or the query string does not parse, or \
         `after` is negative (JSON error); or the request is not a WebSocket upgrade (plain-text \
         error from the framework).", content(
            (super::error::ErrorBody = "application/json"),
            (String = "text/plain"),
        )),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
    )
)]
async fn visitor_upgrade(
    State(state): State<AppState>,
    PathId(id): PathId<ConversationId>,
    ApiQuery(q): ApiQuery<VisitorQuery>,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    if q.after < 0 {
        return Err(ApiError::bad_request(
            "after",
            "after must be 0 or a sequence number",
        ));
    }
    let conversation = state.visitor_conversation(id, &q.token).await?;
    if state
        .visitor_sockets
        .connect(
            conversation.id,
            state.config.limits.sockets_per_conversation,
        )
        .is_none()
    {
        return Err(ApiError::too_many(
            format!(
                "this conversation already has {} open connections; close a tab",
                state.config.limits.sockets_per_conversation
            ),
            Duration::from_secs(5),
        ));
    }
    // The callback's captures, and the arguments of an async fn, stay in the socket's task for
    // its whole life (twice, for the arguments): one pointer each.
    let session = Box::new(VisitorSession::new(state.clone(), conversation, q.after));
    Ok(configure(ws, &state).on_upgrade(move |socket| {
        visitor_socket(Box::new(VisitorSocket {
            socket,
            session: *session,
        }))
    }))
}

/// What an open visitor socket holds, in one allocation (see the module docs).
struct VisitorSocket {
    socket: WebSocket,
    session: VisitorSession,
}

/// A visitor's place in its conversation's stream; made before the upgrade.
struct VisitorSession {
    state: AppState,
    conversation: Conversation,
    subscription: ConversationSubscription,
    cursor: Cursor,
}

impl VisitorSession {
    /// Subscribes before history is read, so nothing published in between is missed.
    fn new(state: AppState, conversation: Conversation, after: i64) -> VisitorSession {
        let subscription = state.hub.subscribe_conversation(conversation.id);
        let cursor = Cursor {
            conversation_id: conversation.id,
            next_seq: after + 1,
        };
        VisitorSession {
            state,
            conversation,
            subscription,
            cursor,
        }
    }

    /// History from `after` on, the owner, then `ready`.
    async fn opening(&mut self) -> Result<Vec<Utf8Bytes>, ()> {
        let mut opening = self.cursor.catch_up(&self.state).await?;
        opening.push(Utf8Bytes::from(
            visitor_state_json(&self.state, self.conversation.id).await,
        ));
        opening.push(Utf8Bytes::from(
            Event::Ready {
                last_seq: self.cursor.next_seq - 1,
            }
            .to_json(),
        ));
        Ok(opening)
    }

    async fn after_opening(&self) {
        if self.conversation.owner == Owner::Waiting {
            self.state
                .publish_queue(self.conversation.workspace_id)
                .await;
        }
    }
}

impl Drop for VisitorSession {
    fn drop(&mut self) {
        self.state.visitor_sockets.disconnect(self.conversation.id);
    }
}

fn for_visitor(frame: &Frame) -> bool {
    frame.for_visitor
}

/// Writes the frames and flushes once: one write to the network for all of them (an ack and
/// the message it acknowledges, a page of history).
async fn send_all(socket: &mut WebSocket, frames: Vec<Utf8Bytes>) -> Result<(), ()> {
    if frames.is_empty() {
        return Ok(());
    }
    for frame in frames {
        socket.feed(WsMessage::Text(frame)).await.map_err(|_| ())?;
    }
    socket.flush().await.map_err(|_| ())
}

async fn visitor_socket(mut open: Box<VisitorSocket>) {
    let VisitorSocket { socket, session } = &mut *open;
    let _counted = session.state.metrics.visitor_socket();
    let Ok(opening) = Box::pin(session.opening()).await else {
        return;
    };
    if Box::pin(send_all(socket, opening)).await.is_err() {
        return;
    }
    Box::pin(session.after_opening()).await;
    loop {
        let s = &mut *session;
        let outgoing = tokio::select! {
            received = s.subscription.recv() => {
                Box::pin(s.cursor.on_received(&s.state, received, for_visitor)).await
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(WsMessage::Text(text))) => Ok(Box::pin(visitor_frame(&s.state, &s.conversation, &mut s.cursor, &text)).await),
                Some(Ok(WsMessage::Binary(_))) => Ok(vec![error_frame("invalid", "send text frames with JSON", None)]),
                Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => break,
            },
        };
        let Ok(frames) = outgoing else { break };
        if !frames.is_empty() && Box::pin(send_all(socket, frames)).await.is_err() {
            return;
        }
    }
}

async fn visitor_state_json(state: &AppState, id: ConversationId) -> String {
    match state.store.conversation(id).await {
        Ok(c) => Event::State {
            conversation_id: c.id,
            state: Some(c.owner.state_name()),
            agent_id: c.owner.agent(),
            agent_name: state.agent_name(&c).await,
        }
        .to_json(),
        Err(_) => Event::State {
            conversation_id: id,
            state: None,
            agent_id: None,
            agent_name: None,
        }
        .to_json(),
    }
}

async fn visitor_frame(
    state: &AppState,
    conversation: &Conversation,
    cursor: &mut Cursor,
    text: &str,
) -> Vec<Utf8Bytes> {
    match parse_client_frame(text) {
        Err(frame) => vec![frame],
        Ok(ClientFrame::Ping) => vec![Utf8Bytes::from(Event::Pong.to_json())],
        Ok(ClientFrame::Typing { .. }) => {
            state.publish_typing(
                conversation,
                AuthorKind::Visitor,
                conversation.visitor_name.as_deref(),
            );
            Vec::new()
        }
        Ok(ClientFrame::Send {
            client_id, text, ..
        }) => {
            match state
                .post_visitor_message(conversation, &client_id, &text)
                .await
            {
                Ok(appended) => {
                    // The ack carries the stored message: when it is the next entry this socket
                    // owes (nothing earlier is outstanding), it counts as delivered and is not
                    // written again as a `message` frame.
                    if !appended.replayed && appended.message.seq == cursor.next_seq {
                        cursor.next_seq += 1;
                    }
                    vec![ack_frame(&client_id, &appended.message)]
                }
                Err(err) => vec![api_error_frame(&err.into(), Some(&client_id))],
            }
        }
        Ok(ClientFrame::Subscribe { .. } | ClientFrame::Unsubscribe { .. }) => {
            vec![error_frame(
                "invalid",
                "a visitor socket follows its own conversation only",
                None,
            )]
        }
    }
}

// ---- the agent's panel socket ------------------------------------------------------------------

/// The Live Chat panel's WebSocket
///
/// A WebSocket upgrade authorised by the session cookie. While at least one panel socket is
/// connected (and the status is not `away`) the agent is online. Carries the workspace's live
/// events (handoff requested with its brief, handoff taken or withdrawn, queue, presence,
/// conversation updates, messages of the conversations the panel watches) and the agent's frames.
/// When the request has an `Origin` header, its host must equal the `Host` header (403
/// otherwise), so other sites cannot open it with the agent's cookie. At most 8 panels per agent
/// by default (429 beyond). Frames and events: see docs/websocket.md.
#[utoipa::path(
    get,
    path = "/api/v1/panel/ws",
    tags = ["websocket", "agent"],
    operation_id = "panelWebSocket",
    security(("agentSession" = [])),
    responses(
        (status = 101, description = "Switching protocols: the WebSocket is open. See docs/websocket.md."),
        (status = 400, description = "The request is not a WebSocket upgrade (plain-text error \
         from the framework).", content_type = "text/plain", body = String),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
    )
)]
async fn panel_upgrade(
    State(state): State<AppState>,
    current: CurrentAgent,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    // A page on another site must not open a panel socket with the agent's cookie.
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        if origin_host != host {
            return Err(ApiError::forbidden(
                "the panel socket only accepts connections from this server's pages",
            ));
        }
    }
    let CurrentAgent {
        agent, token_hash, ..
    } = current;
    let Some(count) = state
        .presence
        .connect(agent.id, state.config.limits.sockets_per_agent)
    else {
        return Err(ApiError::too_many(
            format!(
                "you already have {} panels open; close one",
                state.config.limits.sockets_per_agent
            ),
            Duration::from_secs(5),
        ));
    };
    if count == 1 {
        state.share_presence(agent.id, true).await;
        state.publish_presence(agent.workspace_id, agent.id).await;
        state.publish_queue(agent.workspace_id).await;
    }
    Ok(configure(ws, &state).on_upgrade(move |socket| async move {
        let counted = state.metrics.panel_socket();
        panel_socket(state.clone(), agent.clone(), token_hash, socket).await;
        drop(counted);
        if state.presence.disconnect(agent.id) == 0 {
            state.share_presence(agent.id, false).await;
            state.publish_presence(agent.workspace_id, agent.id).await;
            state.publish_queue(agent.workspace_id).await;
        }
    }))
}

/// The close code a panel socket gets when its session ends (logout elsewhere, deactivation, a
/// password reset): the panel shows the login form instead of reconnecting.
pub const SESSION_ENDED_CLOSE: u16 = 4401;

async fn panel_socket(state: AppState, agent: Agent, token_hash: String, mut socket: WebSocket) {
    let mut workspace = state.hub.subscribe_workspace(agent.workspace_id);
    let mut sessions_ended = state.sessions_ended.subscribe();
    let (out_tx, mut out_rx) = mpsc::channel::<Utf8Bytes>(256);
    let mut forwarders: HashMap<ConversationId, tokio::task::JoinHandle<()>> = HashMap::new();
    let mut sends = Sends::new();
    let handoffs = state
        .waiting_briefs(agent.workspace_id)
        .await
        .unwrap_or_default();
    let hello = Event::Hello {
        agent: AgentView::from(&agent),
        handoffs,
    }
    .to_json();
    if socket
        .send(WsMessage::Text(Utf8Bytes::from(hello)))
        .await
        .is_err()
    {
        return;
    }
    let mut heartbeat = tokio::time::interval(PANEL_HEARTBEAT);
    heartbeat.tick().await;
    let mut awaiting_pong = false;
    loop {
        let frames: Vec<Utf8Bytes> = tokio::select! {
            event = workspace.receiver().recv() => match event {
                Ok(json) => vec![Utf8Bytes::from(json.as_ref())],
                // Too slow to keep up: tell the panel to reload its lists.
                Err(broadcast::error::RecvError::Lagged(_)) => vec![Utf8Bytes::from(Event::Resync.to_json())],
                Err(broadcast::error::RecvError::Closed) => break,
            },
            Some(frame) = out_rx.recv() => {
                // Whatever else the conversation forwarders queued goes out in the same write.
                let mut frames = vec![frame];
                while frames.len() < PANEL_WRITE_BATCH {
                    match out_rx.try_recv() {
                        Ok(frame) => frames.push(frame),
                        Err(_) => break,
                    }
                }
                frames
            }
            Some(frame) = sends.next(), if !sends.is_empty() => vec![frame],
            ended = sessions_ended.recv() => {
                let ours = match ended {
                    Ok(id) => id == agent.id,
                    Err(broadcast::error::RecvError::Lagged(_)) => true,
                    Err(broadcast::error::RecvError::Closed) => false,
                };
                if !ours || matches!(state.store.session(&token_hash).await, Ok(Some(_)) | Err(_)) {
                    continue;
                }
                let close = axum::extract::ws::CloseFrame {
                    code: SESSION_ENDED_CLOSE,
                    reason: Utf8Bytes::from_static("your session has ended; log in again"),
                };
                let _ = socket.send(WsMessage::Close(Some(close))).await;
                break;
            }
            // With too many messages waiting to be stored, stop reading until some are.
            incoming = socket.recv(), if sends.len() < PANEL_SENDS_IN_FLIGHT => match incoming {
                Some(Ok(WsMessage::Text(text))) => Box::pin(panel_frame(&state, &agent, &text, &out_tx, &mut forwarders, &mut sends)).await,
                Some(Ok(WsMessage::Binary(_))) => vec![error_frame("invalid", "send text frames with JSON", None)],
                Some(Ok(WsMessage::Pong(_))) => { awaiting_pong = false; continue }
                Some(Ok(WsMessage::Ping(_))) => continue,
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => break,
            },
            _ = heartbeat.tick() => {
                if awaiting_pong {
                    break;
                }
                awaiting_pong = true;
                if socket.send(WsMessage::Ping(Default::default())).await.is_err() {
                    break;
                }
                continue;
            }
        };
        if send_all(&mut socket, frames).await.is_err() {
            break;
        }
    }
    for (_, task) in forwarders {
        task.abort();
    }
}

async fn panel_frame(
    state: &AppState,
    agent: &Agent,
    text: &str,
    out: &mpsc::Sender<Utf8Bytes>,
    forwarders: &mut HashMap<ConversationId, tokio::task::JoinHandle<()>>,
    sends: &mut Sends,
) -> Vec<Utf8Bytes> {
    let frame = match parse_client_frame(text) {
        Ok(frame) => frame,
        Err(error) => return vec![error],
    };
    match frame {
        ClientFrame::Ping => vec![Utf8Bytes::from(Event::Pong.to_json())],
        ClientFrame::Typing { conversation_id } => {
            match panel_conversation(state, agent, conversation_id).await {
                Ok(c) if c.owner == Owner::Human(agent.id) => {
                    state.publish_typing(&c, AuthorKind::Agent, Some(&agent.display_name));
                    Vec::new()
                }
                Ok(_) => Vec::new(),
                Err(err) => vec![api_error_frame(&err, None)],
            }
        }
        ClientFrame::Send {
            conversation_id,
            client_id,
            text,
        } => panel_send(state, agent, conversation_id, client_id, &text, sends),
        ClientFrame::Subscribe {
            conversation_id,
            after,
        } => panel_subscribe(state, agent, conversation_id, after, out, forwarders).await,
        ClientFrame::Unsubscribe { conversation_id } => {
            if let Ok(id) = conversation_id.parse::<ConversationId>()
                && let Some(task) = forwarders.remove(&id)
            {
                task.abort();
            }
            Vec::new()
        }
    }
}

/// The conversation a panel frame names, if the agent may see it.
async fn panel_conversation(
    state: &AppState,
    agent: &Agent,
    raw: Option<String>,
) -> Result<Conversation, ApiError> {
    let raw =
        raw.ok_or_else(|| ApiError::bad_request("conversation_id", "conversation_id is required"))?;
    let id = parse_id(&raw, Entity::Conversation)?;
    Ok(state.agent_conversation(agent, id).await?)
}

/// Queues an agent's message now, in the order the agent sent them; it is acknowledged as its
/// batch commits, while the socket goes on reading (an agent with many chats sends many).
fn panel_send(
    state: &AppState,
    agent: &Agent,
    conversation_id: Option<String>,
    client_id: String,
    text: &str,
    sends: &mut Sends,
) -> Vec<Utf8Bytes> {
    // post_agent_message checks the workspace itself: no second lookup here.
    let id = conversation_id
        .ok_or_else(|| ApiError::bad_request("conversation_id", "conversation_id is required"))
        .and_then(|raw| parse_id::<ConversationId>(&raw, Entity::Conversation));
    let submitted = id.and_then(|id| Ok(state.submit_agent_message(agent, id, &client_id, text)?));
    match submitted {
        Ok(pending) => {
            sends.push(Box::pin(async move {
                match pending.await {
                    Ok(appended) => ack_frame(&client_id, &appended.message),
                    Err(err) => api_error_frame(&ApiError::from(err), Some(&client_id)),
                }
            }));
            Vec::new()
        }
        Err(err) => vec![api_error_frame(&err, Some(&client_id))],
    }
}

/// Starts streaming a conversation to the panel from `after` on (replacing an earlier stream of
/// the same conversation).
async fn panel_subscribe(
    state: &AppState,
    agent: &Agent,
    conversation_id: String,
    after: i64,
    out: &mpsc::Sender<Utf8Bytes>,
    forwarders: &mut HashMap<ConversationId, tokio::task::JoinHandle<()>>,
) -> Vec<Utf8Bytes> {
    if after < 0 {
        return vec![error_frame(
            "invalid",
            "after must be 0 or a sequence number",
            None,
        )];
    }
    match panel_conversation(state, agent, Some(conversation_id.clone())).await {
        Ok(c) => {
            if let Some(old) = forwarders.remove(&c.id) {
                old.abort();
            }
            let task = tokio::spawn(forward_conversation(
                state.clone(),
                c.id,
                after,
                out.clone(),
            ));
            forwarders.insert(c.id, task);
            Vec::new()
        }
        Err(err) => vec![Utf8Bytes::from(
            Event::Error {
                client_id: None,
                conversation_id: Some(&conversation_id),
                error: ErrorBody {
                    code: err.code,
                    message: &err.message,
                    retry_after: None,
                },
            }
            .to_json(),
        )],
    }
}

/// Streams one conversation to a panel socket, from `after` on.
async fn forward_conversation(
    state: AppState,
    id: ConversationId,
    after: i64,
    out: mpsc::Sender<Utf8Bytes>,
) {
    let mut subscription = state.hub.subscribe_conversation(id);
    let mut cursor = Cursor {
        conversation_id: id,
        next_seq: after + 1,
    };
    let Ok(history) = Box::pin(cursor.catch_up(&state)).await else {
        return;
    };
    let subscribed = Event::Subscribed {
        conversation_id: id,
        last_seq: cursor.next_seq - 1,
    };
    for frame in history
        .into_iter()
        .chain([Utf8Bytes::from(subscribed.to_json())])
    {
        if out.send(frame).await.is_err() {
            return;
        }
    }
    loop {
        let received = subscription.recv().await;
        let Ok(frames) = Box::pin(cursor.on_received(&state, received, |f| f.for_agents)).await
        else {
            return;
        };
        for frame in frames {
            if out.send(frame).await.is_err() {
                return;
            }
        }
    }
}

impl AppState {
    /// Tells the workspace's panels whether an agent is online.
    pub(crate) async fn publish_presence(
        &self,
        workspace_id: baton_domain::ids::WorkspaceId,
        agent_id: baton_domain::ids::AgentId,
    ) {
        let Ok(agent) = self.store.agent(agent_id).await else {
            return;
        };
        let online = agent.status == baton_storage::AgentStatus::Online
            && self.agent_connected(workspace_id, agent_id).await;
        self.hub.publish_workspace(
            workspace_id,
            Event::Presence {
                agent_id,
                display_name: &agent.display_name,
                status: agent.status.as_str(),
                online,
            }
            .to_json(),
        );
    }
}

//! The agent API used by the Live Chat panel: login, presence, the handoff queue, accepting,
//! chatting, resolving or handing back, and reading every conversation of the workspace.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use baton_domain::account;
use baton_domain::entity::Entity;
use baton_domain::ids::{AgentId, ConversationId, HandoffId};
use baton_storage::{AgentStatus, ConversationFilter};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentAgent, SESSION_COOKIE};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, ClientIp, PathId};
use super::openapi::{
    BadRequest, Conflict, Forbidden, Id, NotFound, Overloaded, PayloadTooLarge, TooManyRequests,
    Unauthorized, UnsupportedMediaType, component, integer, query_param,
};
use super::openapi::{max_bytes_string, text};
use super::widget::{HistoryQuery, SendRequest, check_history_query};
use crate::secrets;
use crate::state::AppState;
use crate::views::{AgentView, ConversationView, HandoffView, MessageView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(set_status))
        .routes(routes!(set_password))
        .routes(routes!(waiting_handoffs))
        .routes(routes!(accept))
        .routes(routes!(conversations))
        .routes(routes!(conversation))
        .routes(routes!(history, send))
        .routes(routes!(join))
        .routes(routes!(mark_read))
        .routes(routes!(hand_back))
        .routes(routes!(resolve))
}

/// The longest password a login reads, in UTF-8 bytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LoginRequest {
    #[schema(schema_with = login_email_schema)]
    email: String,
    #[schema(schema_with = login_password_schema)]
    password: String,
}

fn login_email_schema() -> utoipa::openapi::Object {
    text(
        1,
        baton_domain::contact::MAX_EMAIL_LEN,
        "Trimmed and lower-cased before lookup.",
    )
}

fn login_password_schema() -> utoipa::openapi::Object {
    max_bytes_string(0, MAX_PASSWORD_BYTES, "At most 1024 bytes.")
}

/// The logged-in agent and the session's CSRF token.
#[derive(Serialize, ToSchema)]
#[schema(as = Session)]
pub struct SessionView {
    #[schema(value_type = super::admin::AgentDoc)]
    agent: AgentView,
    /// Send as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE of this session.
    csrf_token: String,
}

/// Log in as an agent
///
/// Checks the email and password (in constant time, also for unknown emails) and opens a
/// session: the response sets the HttpOnly cookie `baton_session` (SameSite=Strict, Path=/,
/// Max-Age = session lifetime, default 12 h; `Secure` when configured) and returns the session's
/// CSRF token, to be sent as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE. Failed logins
/// are limited per email and client address (default 10 per 15 minutes), then 429.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    operation_id = "login",
    request_body(content = LoginRequest, example = json!({
        "email": "ana@example.com",
        "password": "correct horse battery staple"
    })),
    responses(
        (status = 200, description = "Logged in.", body = SessionView, headers(
            ("Set-Cookie" = String, description = "`baton_session=<token>; HttpOnly; \
                                                   SameSite=Strict; Path=/; Max-Age=<seconds>[; Secure]`"),
        )),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
    )
)]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<(HeaderMap, Json<SessionView>)> {
    let email = body.email.trim().to_lowercase();
    if email.is_empty() || email.len() > baton_domain::contact::MAX_EMAIL_LEN {
        return Err(ApiError::bad_request(
            "email",
            "enter the email address of your account",
        ));
    }
    if body.password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::bad_request(
            "password",
            "the password is too long",
        ));
    }
    let key = (email.clone(), ip);
    if let Err(wait) = state.limiters.login_failures.check(&key, Instant::now()) {
        return Err(ApiError::too_many(
            "too many failed logins for this account; wait before trying again",
            wait,
        ));
    }
    let found = state.store.agent_for_login(&email).await?;
    // Verify against a decoy hash when the account does not exist, so the answer takes as long
    // either way.
    let stored = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| secrets::decoy_hash().to_owned());
    let password = body.password;
    let verified =
        tokio::task::spawn_blocking(move || secrets::verify_password(&password, &stored))
            .await
            .unwrap_or(false);
    let agent = match (found, verified) {
        // A deactivated agent reads the same answer as a wrong password.
        (Some((agent, _)), true) if agent.active => agent,
        _ => {
            let _ = state.limiters.login_failures.take(&key, Instant::now());
            return Err(ApiError::unauthorized("wrong email or password"));
        }
    };
    let token = secrets::new_token();
    let csrf_token = secrets::new_token();
    let ttl = state.config.session_ttl;
    let expires = Timestamp::now()
        + SignedDuration::from_secs(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2));
    state
        .store
        .create_session(&secrets::token_hash(&token), agent.id, &csrf_token, expires)
        .await?;
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        ttl.as_secs()
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie)
            .map_err(|e| ApiError::internal("the session cookie makes no header", e))?,
    );
    Ok((
        headers,
        Json(SessionView {
            agent: AgentView::from(&agent),
            csrf_token,
        }),
    ))
}

/// Log out
///
/// Ends the session and clears the cookie. No request body.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    operation_id = "logout",
    security(("agentSession" = [], "csrfToken" = [])),
    responses(
        (status = 204, description = "Logged out.", headers(
            ("Set-Cookie" = String, description = "`baton_session=; HttpOnly; SameSite=Strict; \
                                                   Path=/; Max-Age=0`"),
        )),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
async fn logout(
    State(state): State<AppState>,
    current: CurrentAgent,
) -> ApiResult<(HeaderMap, StatusCode)> {
    state.store.delete_session(&current.token_hash).await?;
    state.sessions_ended(current.agent.id);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_static("baton_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok((headers, StatusCode::NO_CONTENT))
}

/// The logged-in agent and the session's CSRF token
///
/// The panel calls it on load to learn who is logged in and to recover the CSRF token.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "auth",
    operation_id = "getMe",
    security(("agentSession" = [])),
    responses(
        (status = 200, description = "The current session.", body = SessionView),
        (status = 401, response = Unauthorized),
    )
)]
async fn me(current: CurrentAgent) -> Json<SessionView> {
    Json(SessionView {
        agent: AgentView::from(&current.agent),
        csrf_token: current.csrf_token,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusRequest {
    status: String,
}

/// Set the agent's status
///
/// An agent is *online* (offered handoffs) while at least one panel WebSocket is connected and the
/// status is `online`; `away` keeps the panel open without receiving new handoffs.
#[utoipa::path(
    post,
    path = "/api/v1/me/status",
    tag = "agent",
    operation_id = "setStatus",
    security(("agentSession" = [], "csrfToken" = [])),
    request_body(content = StatusRequestDoc, example = json!({"status": "away"})),
    responses(
        (status = 200, description = "The status was set.", body = StatusResponseDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn set_status(
    State(state): State<AppState>,
    current: CurrentAgent,
    ApiJson(body): ApiJson<StatusRequest>,
) -> ApiResult<impl IntoResponse> {
    let status = AgentStatus::parse(&body.status)
        .ok_or_else(|| ApiError::bad_request("status", "status must be \"online\" or \"away\""))?;
    state
        .store
        .set_agent_status(current.agent.id, status)
        .await?;
    state
        .publish_presence(current.agent.workspace_id, current.agent.id)
        .await;
    state.publish_queue(current.agent.workspace_id).await;
    Ok(axum::Json(json!({ "status": status.as_str() })))
}

/// The handoff queue
///
/// Every handoff of the agent's workspace waiting for an agent, in queue order (oldest first), each
/// with its brief: trigger, reason, and the last messages of the conversation.
#[utoipa::path(
    get,
    path = "/api/v1/handoffs",
    tag = "agent",
    operation_id = "listWaitingHandoffs",
    security(("agentSession" = [])),
    responses(
        (status = 200, description = "The waiting handoffs.", body = HandoffQueueDoc),
        (status = 401, response = Unauthorized),
    )
)]
async fn waiting_handoffs(
    State(state): State<AppState>,
    current: CurrentAgent,
) -> ApiResult<impl IntoResponse> {
    let briefs = state.waiting_briefs(current.agent.workspace_id).await?;
    Ok(axum::Json(json!({ "handoffs": briefs })))
}

/// Accept a waiting handoff
///
/// Atomic: of several concurrent accepts exactly one wins; the others get 409 and the handoff
/// disappears from every panel. The conversation becomes `human`, owned by this agent, and the AI
/// is paused there. Also 409 when the agent is at their maximum number of concurrent chats, or the
/// handoff was cancelled or expired. A handoff of another workspace is 404. No request body.
#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/accept",
    tag = "agent",
    operation_id = "acceptHandoff",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The handoff's id.")),
    responses(
        (
            status = 200,
            description = "Accepted: this agent now owns the conversation.",
            body = HandoffAcceptedResponseDoc,
        ),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
async fn accept(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<HandoffId>,
) -> ApiResult<impl IntoResponse> {
    let change = state.accept_handoff(&current.agent, id).await?;
    let view = state.conversation_view(change.conversation.id).await?;
    Ok(axum::Json(
        json!({ "handoff": HandoffView::from(&change.handoff), "conversation": view }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    #[serde(default)]
    state: Option<String>,
    #[serde(default = "default_list_limit")]
    limit: u32,
}

/// The largest page of conversations, and the page when `limit` is absent.
pub const MAX_CONVERSATION_PAGE: u32 = 500;
const DEFAULT_CONVERSATION_PAGE: u32 = 100;

fn default_list_limit() -> u32 {
    DEFAULT_CONVERSATION_PAGE
}

impl utoipa::IntoParams for ListQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![
            query_param(
                "state",
                "Only conversations in this state (see `ConversationState`). Absent or empty: all \
                 states. Anything else is 400 (field `state`).",
                component("ConversationState"),
            ),
            query_param(
                "limit",
                "At most this many conversations.",
                integer(
                    1,
                    MAX_CONVERSATION_PAGE as usize,
                    Some(DEFAULT_CONVERSATION_PAGE as usize),
                ),
            ),
        ]
    }
}

/// Conversations of the workspace
///
/// Every conversation of the agent's workspace, including live AI-only ones, most recently updated
/// first.
#[utoipa::path(
    get,
    path = "/api/v1/conversations",
    tag = "agent",
    operation_id = "listConversations",
    security(("agentSession" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "The conversations.", body = ConversationListDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
    )
)]
async fn conversations(
    State(state): State<AppState>,
    current: CurrentAgent,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<impl IntoResponse> {
    let filter_state = match q.state.as_deref() {
        None | Some("") => None,
        Some("ai") => Some("ai"),
        Some("waiting") => Some("waiting"),
        Some("human") => Some("human"),
        Some("closed") => Some("closed"),
        Some("lead_capture") => Some("lead_capture"),
        Some("freshchat") => Some("freshchat"),
        Some(_) => {
            return Err(ApiError::bad_request(
                "state",
                "state must be one of ai, waiting, human, lead_capture, freshchat, closed",
            ));
        }
    };
    if q.limit == 0 || q.limit > MAX_CONVERSATION_PAGE {
        return Err(ApiError::bad_request(
            "limit",
            format!("limit must be between 1 and {MAX_CONVERSATION_PAGE}"),
        ));
    }
    let list = state
        .store
        .conversations(
            current.agent.workspace_id,
            ConversationFilter {
                state: filter_state,
                limit: q.limit,
            },
        )
        .await?;
    let ids: Vec<ConversationId> = list.iter().map(|s| s.conversation.id).collect();
    let reads = state.store.read_states(current.agent.id, &ids).await?;
    let views: Vec<Value> = list
        .iter()
        .map(|summary| {
            let mut view =
                serde_json::to_value(ConversationView::from(summary)).unwrap_or_default();
            // This agent's place in it: how far they read, and the visitor's messages since.
            let read = reads.get(&summary.conversation.id);
            view["last_read_seq"] = json!(read.map(|r| r.last_read_seq));
            view["unread"] = json!(read.map_or(0, |r| r.unread));
            view
        })
        .collect();
    Ok(axum::Json(json!({ "conversations": views })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReadRequest {
    #[schema(minimum = 0, format = Int64)]
    seq: i64,
}

// Records how far the agent has read a conversation (their unread count follows them across
// reloads and browsers).
/// Record how far the agent has read a conversation
///
/// The panel calls it when a conversation is open and new entries arrive; `GET
/// /api/v1/conversations` then reports `last_read_seq` and `unread` for this agent, so unread
/// counts survive reloads and follow the agent between browsers. Never moves back. `seq` beyond the
/// last entry is a 400.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/read",
    tag = "agent",
    operation_id = "markConversationRead",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    request_body(content = inline(ReadRequest), example = json!({"seq": 12})),
    responses(
        (status = 204, description = "Recorded."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn mark_read(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<ConversationId>,
    ApiJson(body): ApiJson<ReadRequest>,
) -> ApiResult<impl IntoResponse> {
    let conversation = state.agent_conversation(&current.agent, id).await?;
    if body.seq < 0 || body.seq > conversation.last_seq {
        return Err(ApiError::bad_request(
            "seq",
            format!(
                "seq must be between 0 and the conversation's last entry ({})",
                conversation.last_seq
            ),
        ));
    }
    state
        .store
        .mark_read(current.agent.id, conversation.id, body.seq)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One conversation
///
/// A conversation of another workspace is 404.
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}",
    tag = "agent",
    operation_id = "getConversation",
    security(("agentSession" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (status = 200, description = "The conversation as agents see it.", body = ConversationDoc),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
async fn conversation(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<ConversationId>,
) -> ApiResult<impl IntoResponse> {
    let conversation = state.agent_conversation(&current.agent, id).await?;
    let view = state.conversation_view(conversation.id).await?;
    let mut body = serde_json::to_value(&view)
        .map_err(|e| ApiError::internal("a conversation does not serialize", e))?;
    // A known visitor: the site's id for them and their earlier conversations here.
    if let Some(known) = state.store.known_visitor(conversation.id).await? {
        let earlier = state
            .store
            .conversations_of_visitor(
                conversation.workspace_id,
                &known.external_id,
                conversation.id,
                EARLIER_CONVERSATIONS,
            )
            .await?;
        body["visitor_external_id"] = json!(known.external_id);
        body["earlier_conversations"] = json!(
            earlier
                .iter()
                .map(|e| json!({ "id": e.id, "state": e.state, "created_at": e.created_at.to_string() }))
                .collect::<Vec<_>>()
        );
    }
    Ok(axum::Json(body))
}

/// How many of a known visitor's earlier conversations the panel lists.
const EARLIER_CONVERSATIONS: u32 = 10;

/// Message history
///
/// Same paging as the visitor's history: messages with `seq` greater than `after`, in order.
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/messages",
    tag = "agent",
    operation_id = "listConversationMessages",
    security(("agentSession" = [])),
    params(("id" = Id, Path, description = "The conversation's id."), HistoryQuery),
    responses(
        (status = 200, description = "A page of messages.", body = super::schemas::MessagePageDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
async fn history(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<ConversationId>,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<impl IntoResponse> {
    check_history_query(&q)?;
    let conversation = state.agent_conversation(&current.agent, id).await?;
    let messages = state
        .store
        .messages(conversation.id, q.after, q.limit)
        .await?;
    let views: Vec<MessageView> = messages.iter().map(MessageView::from).collect();
    Ok(axum::Json(
        json!({ "messages": views, "last_seq": conversation.last_seq }),
    ))
}

/// Send a message as the agent
///
/// Only the agent who owns the conversation (accepted its handoff or joined it) may write; anyone
/// else gets 409 `not_owner`. Idempotent by `client_id` like the visitor's send: a retry returns
/// the stored message with 200.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/messages",
    tag = "agent",
    operation_id = "sendAgentMessage",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    request_body(
        content = super::schemas::SendMessageRequestDoc,
        example = json!({
            "client_id": "a-81c0",
            "text": "Hi Vera, I'm Ana. Let me look at your order."
        }),
    ),
    responses(
        (
            status = 201,
            description = "The message was stored.",
            body = super::schemas::MessageEnvelopeDoc,
        ),
        (
            status = 200,
            description = "A retry: this `client_id` was already stored; the stored message is \
                           returned.",
            body = super::schemas::MessageEnvelopeDoc,
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 503, response = Overloaded),
    )
)]
async fn send(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<ConversationId>,
    ApiJson(body): ApiJson<SendRequest>,
) -> ApiResult<impl IntoResponse> {
    let appended = state
        .post_agent_message(&current.agent, id, &body.client_id, &body.text)
        .await?;
    let status = if appended.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        axum::Json(json!({ "message": MessageView::from(&appended.message) })),
    ))
}

/// Take over a conversation the AI is handling
///
/// For a conversation in state `ai`, or `lead_capture` (the agent steps in while the visitor is
/// asked for contact details): the agent becomes its owner (recorded as an accepted handoff with
/// trigger `other`) and the AI is paused. 409 when it is `waiting` (accept its handoff instead),
/// already `human`, `closed`, or the agent is at capacity. No request body.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/join",
    tag = "agent",
    operation_id = "joinConversation",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (status = 200, description = "Joined.", body = ConversationDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
async fn join(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<ConversationId>,
) -> ApiResult<impl IntoResponse> {
    let change = state.take_over(&current.agent, id).await?;
    Ok(axum::Json(
        state.conversation_view(change.conversation.id).await?,
    ))
}

/// Hand the conversation back to the AI
///
/// The owning agent leaves; the conversation goes back to `ai` and the bot answers again. 409 when
/// the conversation is not `human` or another agent owns it. No request body.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/hand-back",
    tag = "agent",
    operation_id = "handBackConversation",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (status = 200, description = "Handed back.", body = ConversationDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
async fn hand_back(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<ConversationId>,
) -> ApiResult<impl IntoResponse> {
    let change = state.hand_back(&current.agent, id).await?;
    Ok(axum::Json(
        state.conversation_view(change.conversation.id).await?,
    ))
}

/// Resolve the conversation
///
/// The owning agent marks it resolved; the conversation becomes `closed`. A later visitor message
/// reopens it with the AI. 409 when the conversation is not `human` or another agent owns it. No
/// request body.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/resolve",
    tag = "agent",
    operation_id = "resolveConversation",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (status = 200, description = "Resolved.", body = ConversationDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
async fn resolve(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<ConversationId>,
) -> ApiResult<impl IntoResponse> {
    let change = state.resolve(&current.agent, id).await?;
    Ok(axum::Json(
        state.conversation_view(change.conversation.id).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetPasswordRequest {
    /// Absent when an admin resets another agent's password: one is made up and returned once.
    password: Option<String>,
    /// Required when agents change their own password.
    current_password: Option<String>,
}

// Sets an agent's password: admins for any agent of their workspace, an agent for themself
// with their current password. The agent's other sessions end (all of them when an admin
// set it).
/// Set an agent's password
///
/// Admins set the password of any agent of their workspace (leaving out `password` makes one up and
/// returns it once); every agent sets their own, giving `current_password`. The agent's other
/// sessions end, and their panel sockets close (all of them when an admin set it); the session that
/// changed its own password stays. Another workspace's agent is a 404. Wrong current passwords
/// count as failed logins (429 past `--login-failures`).
#[utoipa::path(
    post,
    path = "/api/v1/agents/{id}/password",
    tag = "agent",
    operation_id = "setPassword",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The agent's id.")),
    request_body(
        content = SetPasswordRequestDoc,
        example = json!({
            "password": "a new long passphrase",
            "current_password": "the old one, at least 10"
        }),
    ),
    responses(
        (
            status = 200,
            description = "An admin left out `password`: this one was made up and is shown only \
                           now.",
            body = OneTimePasswordDoc,
        ),
        (status = 204, description = "The password was set."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn set_password(
    State(state): State<AppState>,
    current: CurrentAgent,
    ClientIp(ip): ClientIp,
    PathId(target): PathId<AgentId>,
    ApiJson(body): ApiJson<SetPasswordRequest>,
) -> ApiResult<impl IntoResponse> {
    let own = target == current.agent.id;
    if !own {
        if current.agent.role != baton_storage::Role::Admin {
            return Err(ApiError::forbidden(
                "only an admin can set another agent's password",
            ));
        }
        let agent = state.store.agent(target).await?;
        if agent.workspace_id != current.agent.workspace_id {
            return Err(ApiError::not_found(Entity::Agent));
        }
    }
    let generated = body.password.is_none() && !own;
    let password = match body.password {
        Some(password) => password,
        None if own => {
            return Err(ApiError::bad_request("password", "enter the new password"));
        }
        None => secrets::one_time_password(),
    };
    account::check_password(&password)?;
    if own {
        let given = body.current_password.ok_or_else(|| {
            ApiError::bad_request(
                "current_password",
                "enter your current password to change it",
            )
        })?;
        // Guesses at the current password count as failed logins (the same limit).
        let key = (current.agent.email.clone(), ip);
        if let Err(wait) = state.limiters.login_failures.check(&key, Instant::now()) {
            return Err(ApiError::too_many(
                "too many wrong passwords for this account; wait before trying again",
                wait,
            ));
        }
        let (_, stored) = state
            .store
            .agent_for_login(&current.agent.email)
            .await?
            .ok_or_else(|| ApiError::not_found(Entity::Agent))?;
        let matches =
            tokio::task::spawn_blocking(move || secrets::verify_password(&given, &stored))
                .await
                .map_err(|e| ApiError::internal("checking the password failed", e))?;
        if !matches {
            let _ = state.limiters.login_failures.take(&key, Instant::now());
            return Err(
                ApiError::forbidden("the current password is wrong").field("current_password")
            );
        }
    }
    let hashing = password.clone();
    let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&hashing))
        .await
        .map_err(|e| ApiError::internal("hashing the password failed", e))?
        .map_err(|e| ApiError::internal("hashing the password failed", e))?;
    let keep = own.then_some(current.token_hash.as_str());
    state.store.set_password(target, &hash, keep).await?;
    state.sessions_ended(target);
    if generated {
        Ok(axum::Json(json!({ "password": password })).into_response())
    } else {
        Ok(StatusCode::NO_CONTENT.into_response())
    }
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct ConversationEarlierConversationsItemDoc {
    id: Id,
    state: String,
    created_at: super::openapi::Timestamp,
}

/// A conversation as agents see it in the panel.
#[derive(ToSchema)]
#[schema(as = Conversation)]
#[allow(dead_code)]
pub struct ConversationDoc {
    id: Id,
    bot_id: Id,
    bot_name: String,
    #[schema(required = true)]
    visitor_name: Option<String>,
    /// The site vouched for this visitor with a signed identity.
    visitor_verified: bool,
    /// A verified visitor's email, when the site gave one.
    #[schema(required = true)]
    visitor_email: Option<String>,
    /// A verified visitor's id on the site (`GET /api/v1/conversations/{id}` only).
    #[schema(required = false)]
    visitor_external_id: String,
    /// How far the calling agent has read it (`POST …/read`); null when they never opened it (`GET
    /// /api/v1/conversations` only).
    last_read_seq: Option<i32>,
    /// The visitor's messages after `last_read_seq`; 0 when never opened (`GET
    /// /api/v1/conversations` only).
    #[schema(minimum = 0, required = false)]
    unread: i32,
    /// A verified visitor's other conversations, newest first, at most 10 (`GET
    /// /api/v1/conversations/{id}` only).
    #[schema(inline, required = false)]
    earlier_conversations: Vec<ConversationEarlierConversationsItemDoc>,
    state: super::schemas::ConversationStateDoc,
    /// The owning agent, when `human`.
    #[schema(required = true)]
    agent_id: Option<Id>,
    /// The owning agent's display name, when `human`.
    #[schema(required = true)]
    agent_name: Option<String>,
    #[schema(minimum = 0)]
    last_seq: i64,
    /// The text of the latest `text` message.
    #[schema(required = true)]
    last_text: Option<String>,
    created_at: super::openapi::Timestamp,
    updated_at: super::openapi::Timestamp,
}

#[derive(ToSchema)]
#[schema(as = ConversationList)]
#[allow(dead_code)]
pub struct ConversationListDoc {
    conversations: Vec<ConversationDoc>,
}

/// What the visitor mentioned in their latest 200 log entries, in order of first mention, without
/// repeats, at most 5 of each.
#[derive(ToSchema)]
#[allow(dead_code)]
struct HandoffBriefDetailsDoc {
    #[schema(max_items = 5)]
    emails: Vec<String>,
    #[schema(max_items = 5)]
    phones: Vec<String>,
    /// Order, invoice, booking or ticket references.
    #[schema(max_items = 5)]
    order_numbers: Vec<String>,
}

/// A waiting handoff as agents see it before accepting: the handoff plus its context.
#[derive(ToSchema)]
#[schema(as = HandoffBrief)]
#[allow(dead_code)]
pub struct HandoffBriefDoc {
    #[serde(flatten)]
    base: super::schemas::HandoffDoc,
    bot_name: String,
    #[schema(required = true)]
    visitor_name: Option<String>,
    /// Place in the workspace's queue; 1 = next.
    #[schema(minimum = 1)]
    position: i32,
    /// The latest messages of the conversation, oldest first.
    #[schema(max_items = 8)]
    last_messages: Vec<super::schemas::MessageDoc>,
    #[schema(inline)]
    details: HandoffBriefDetailsDoc,
    /// The bot's latest answers, oldest first.
    #[schema(max_items = 3)]
    ai_answers: Vec<String>,
}

#[derive(ToSchema)]
#[schema(as = HandoffQueue)]
#[allow(dead_code)]
pub struct HandoffQueueDoc {
    handoffs: Vec<HandoffBriefDoc>,
}

#[derive(ToSchema)]
#[schema(as = HandoffAcceptedResponse)]
#[allow(dead_code)]
pub struct HandoffAcceptedResponseDoc {
    handoff: super::schemas::HandoffDoc,
    conversation: ConversationDoc,
}

#[derive(ToSchema)]
#[schema(as = OneTimePassword)]
#[allow(dead_code)]
pub struct OneTimePasswordDoc {
    /// The made-up password, shown only in this response.
    password: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum StatusResponseStatusDoc {
    #[schema(rename = "online")]
    Online,
    #[schema(rename = "away")]
    Away,
}

#[derive(ToSchema)]
#[schema(as = StatusResponse)]
#[allow(dead_code)]
pub struct StatusResponseDoc {
    #[schema(inline)]
    status: StatusResponseStatusDoc,
}

#[derive(ToSchema)]
#[schema(as = SetPasswordRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SetPasswordRequestDoc {
    /// The new password: at least 10 characters. Required when agents set their own; an admin may
    /// leave it out to have one made up.
    #[schema(min_length = 10, required = false)]
    password: String,
    /// Required when agents set their own password.
    #[schema(required = false)]
    current_password: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum StatusRequestStatusDoc {
    #[schema(rename = "online")]
    Online,
    #[schema(rename = "away")]
    Away,
}

#[derive(ToSchema)]
#[schema(as = StatusRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct StatusRequestDoc {
    #[schema(inline)]
    status: StatusRequestStatusDoc,
}

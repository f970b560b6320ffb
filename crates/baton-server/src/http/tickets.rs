//! Tickets in the Live Chat panel (what the offline path's captured leads become): list with
//! filters, read with the transcript, assign, change status or priority, internal notes and replies
//! emailed to the visitor. And, for admins, the workspace's outbound integrations and the delivery
//! outbox.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use baton_domain::contact::ContactEmail;
use baton_domain::entity::Entity;
use baton_domain::ids::{AgentId, BotId, DeliveryId, TicketId, WorkspaceId};
use baton_domain::ticket::{TicketPriority, TicketStatus};
use baton_storage::{Agent, FreshchatSettings, Integrations, Ticket, TicketFilter, TicketUpdate};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::openapi::schema::{ArrayBuilder, ArrayItems, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{AdminAgent, CurrentAgent};
use super::error::ErrorBody;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId};
use super::openapi::list_of;
use super::openapi::{
    BadRequest, Forbidden, Id, NotFound, PayloadTooLarge, Timestamp, Unauthorized,
    UnsupportedMediaType, component, integer, query_param, text,
};
use crate::delivery;
use crate::events::TicketChange;
use crate::secrets;
use crate::state::AppState;
use crate::views::{MessageView, OutboxView, TicketNoteView, TicketView};

/// The longest internal note or reply.
pub const MAX_NOTE_CHARS: usize = 10_000;
/// The longest webhook URL.
pub const MAX_URL_LEN: usize = 2000;

/// The schemas only `schema_with` functions and parameters name, which utoipa cannot follow.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(OutboxView, DeliveryStatus)))]
struct Schemas;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(<Schemas as utoipa::OpenApi>::openapi())
        .routes(routes!(list))
        .routes(routes!(read, update))
        .routes(routes!(add_note))
        .routes(routes!(reply))
        .routes(routes!(integrations, set_integrations))
        .routes(routes!(rotate_secret))
        .routes(routes!(rotate_identity_secret))
        .routes(routes!(outbox))
        .routes(routes!(retry))
}

/// How a delivery leaves: a signed webhook POST, an email, or a FreshChat API call.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documents `OutboxView::channel`
pub enum ChannelDoc {
    Webhook,
    Email,
    Freshchat,
}

/// `ticket.created` (webhook, and the notification email), `ticket.updated` (webhook),
/// `ticket.reply` (the email of an agent's reply to the visitor); `freshchat.conversation`
/// (create the FreshChat conversation of a routed handoff) and `freshchat.message` (a visitor
/// message posted into it), channel `freshchat`: delivered in order per conversation and retried
/// while FreshChat is down or throttling (never dead-lettered for that); a refusal (bad token,
/// unknown channel, another 4xx) is dead at once, with the reason in `last_error`.
#[derive(ToSchema)]
#[allow(dead_code)] // documents `OutboxView::event`
pub enum EventDoc {
    #[schema(rename = "ticket.created")]
    TicketCreated,
    #[schema(rename = "ticket.updated")]
    TicketUpdated,
    #[schema(rename = "ticket.reply")]
    TicketReply,
    #[schema(rename = "freshchat.conversation")]
    FreshchatConversation,
    #[schema(rename = "freshchat.message")]
    FreshchatMessage,
}

/// `pending`: queued, or waiting for its next attempt; `delivered`: the receiver accepted it;
/// `dead`: every attempt failed and it is no longer retried.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documents the outbox's status strings
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Dead,
}

/// Most deliveries one outbox listing shows.
pub const MAX_OUTBOX_LIST: u32 = 200;

#[derive(Serialize, ToSchema)]
pub struct OutboxList {
    #[schema(schema_with = deliveries_schema)]
    deliveries: Vec<OutboxView>,
}

fn deliveries_schema() -> utoipa::openapi::schema::Array {
    list_of(
        component("OutboxItem"),
        MAX_OUTBOX_LIST as usize,
        "Newest first.",
    )
}

/// A new secret, shown this once.
#[derive(Serialize, ToSchema)]
#[schema(as = WebhookSecret)]
pub struct NewSecret {
    /// The HMAC-SHA256 key the `X-Baton-Signature` of every delivery is computed with (or, for
    /// the identity secret, the key sites sign known visitors with). Shown once.
    #[schema(min_length = 1)]
    secret: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    bot_id: Option<String>,
    #[serde(default)]
    assignee_id: Option<String>,
    #[serde(default)]
    limit: Option<u32>,
}

/// The largest page of tickets, and the page when `limit` is absent.
pub const MAX_TICKET_PAGE: u32 = 500;
const DEFAULT_TICKET_PAGE: u32 = 100;

impl utoipa::IntoParams for ListQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![
            query_param(
                "status",
                "Only tickets with this status.",
                component("TicketStatus"),
            ),
            query_param(
                "priority",
                "Only tickets with this priority.",
                component("TicketPriority"),
            ),
            query_param(
                "bot_id",
                "Only tickets of this bot. Not an id: 400.",
                component("Id"),
            ),
            query_param(
                "assignee_id",
                "Only tickets assigned to this agent. Not an id: 400.",
                component("Id"),
            ),
            query_param(
                "limit",
                "At most this many tickets.",
                integer(
                    1,
                    MAX_TICKET_PAGE as usize,
                    Some(DEFAULT_TICKET_PAGE as usize),
                ),
            ),
        ]
    }
}

/// Tickets of the workspace
///
/// Most recently updated first, optionally filtered. An empty filter value is no filter.
/// `open_tickets` counts the workspace's unresolved tickets whatever the filters (the panel's
/// badge).
#[utoipa::path(
    get,
    path = "/api/v1/tickets",
    tag = "tickets",
    operation_id = "listTickets",
    security(("agentSession" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "The tickets.", body = TicketListDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
    )
)]
async fn list(
    State(state): State<AppState>,
    current: CurrentAgent,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<impl IntoResponse> {
    let nonempty = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    let filter = TicketFilter {
        status: nonempty(&q.status)
            .map(|s| {
                s.parse::<TicketStatus>()
                    .map_err(|e| ApiError::bad_request("status", e))
            })
            .transpose()?,
        priority: nonempty(&q.priority)
            .map(|s| {
                s.parse::<TicketPriority>()
                    .map_err(|e| ApiError::bad_request("priority", e))
            })
            .transpose()?,
        bot_id: nonempty(&q.bot_id)
            .map(|s| {
                s.parse::<BotId>()
                    .map_err(|_| ApiError::bad_request("bot_id", "not a bot id"))
            })
            .transpose()?,
        assignee_id: nonempty(&q.assignee_id)
            .map(|s| {
                s.parse::<AgentId>()
                    .map_err(|_| ApiError::bad_request("assignee_id", "not an agent id"))
            })
            .transpose()?,
        limit: match q.limit {
            None => DEFAULT_TICKET_PAGE,
            Some(n @ 1..=MAX_TICKET_PAGE) => n,
            Some(_) => {
                return Err(ApiError::bad_request(
                    "limit",
                    format!("limit must be between 1 and {MAX_TICKET_PAGE}"),
                ));
            }
        },
    };
    let workspace = current.agent.workspace_id;
    let tickets = state.store.tickets(workspace, &filter).await?;
    let open = state.store.open_ticket_count(workspace).await?;
    let views: Vec<TicketView> = tickets.iter().map(TicketView::from).collect();
    Ok(axum::Json(
        json!({ "tickets": views, "open_tickets": open }),
    ))
}

/// A ticket of the agent's workspace; any other is "not found".
async fn workspace_ticket(state: &AppState, agent: &Agent, id: TicketId) -> ApiResult<Ticket> {
    let ticket = state.store.ticket(id.as_uuid()).await?;
    if ticket.workspace_id != agent.workspace_id {
        return Err(ApiError::not_found(Entity::Ticket));
    }
    Ok(ticket)
}

/// One ticket with its notes and the conversation's transcript
///
/// A ticket of another workspace is 404.
#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    operation_id = "getTicket",
    security(("agentSession" = [])),
    params(("id" = Id, Path, description = "The ticket's id.")),
    responses(
        (status = 200, description = "The ticket.", body = TicketDetailDoc),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
async fn read(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<TicketId>,
) -> ApiResult<impl IntoResponse> {
    let ticket = workspace_ticket(&state, &current.agent, id).await?;
    let notes = state.store.ticket_notes(ticket.id).await?;
    // The whole transcript, page by page.
    let mut transcript = Vec::new();
    loop {
        let after = transcript
            .last()
            .map_or(0, |m: &baton_storage::Message| m.seq);
        let page = state
            .store
            .messages(ticket.conversation_id, after, 500)
            .await?;
        let full = page.len() == 500;
        transcript.extend(page);
        if !full {
            break;
        }
    }
    Ok(axum::Json(json!({
        "ticket": TicketView::from(&ticket),
        "notes": notes.iter().map(TicketNoteView::from).collect::<Vec<_>>(),
        "transcript": transcript.iter().map(MessageView::from).collect::<Vec<_>>(),
    })))
}

/// Change a ticket's status, priority or assignee
///
/// Send at least one of the fields; those absent are unchanged. An empty object (`{}`) changes
/// nothing and is 400 (field `body`). Any status may follow any other. Every successful update
/// bumps `updated_at` and queues the workspace's `ticket.updated` webhook (when one is configured).
/// A field that is unknown or of the wrong type, an unknown status or priority, or an assignee who
/// is not an agent of this workspace is 400 naming the field.
#[utoipa::path(
    patch,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    operation_id = "updateTicket",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The ticket's id.")),
    request_body(
        content = TicketUpdateRequestDoc,
        example = json!({
            "status": "pending_internal",
            "priority": "urgent",
            "assignee_id": "01973a5d-7b0a-7c2d-8e3f-4a5b6c7d8e9f"
        }),
    ),
    responses(
        (status = 200, description = "The ticket as updated.", body = TicketEnvelopeDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn update(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<TicketId>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<impl IntoResponse> {
    let ticket = workspace_ticket(&state, &current.agent, id).await?;
    let Some(fields) = body.as_object() else {
        return Err(ApiError::bad_request(
            "body",
            "send an object with status, priority and/or assignee_id",
        ));
    };
    let mut update = TicketUpdate::default();
    for (key, value) in fields {
        match key.as_str() {
            "status" => {
                let s = value
                    .as_str()
                    .ok_or_else(|| ApiError::bad_request("status", "status must be a string"))?;
                update.status = Some(s.parse().map_err(|e| ApiError::bad_request("status", e))?);
            }
            "priority" => {
                let p = value.as_str().ok_or_else(|| {
                    ApiError::bad_request("priority", "priority must be a string")
                })?;
                update.priority = Some(
                    p.parse()
                        .map_err(|e| ApiError::bad_request("priority", e))?,
                );
            }
            "assignee_id" => {
                update.assignee_id = Some(match value {
                    Value::Null => None,
                    Value::String(s) => {
                        let agent_id: AgentId = s
                            .parse()
                            .map_err(|_| ApiError::bad_request("assignee_id", "not an agent id"))?;
                        match state.store.agent(agent_id).await {
                            Ok(a) if a.workspace_id == current.agent.workspace_id => Some(agent_id),
                            _ => {
                                return Err(ApiError::bad_request(
                                    "assignee_id",
                                    "no such agent in this workspace",
                                ));
                            }
                        }
                    }
                    _ => {
                        return Err(ApiError::bad_request(
                            "assignee_id",
                            "assignee_id must be an agent id or null",
                        ));
                    }
                });
            }
            other => {
                return Err(ApiError::bad_request(
                    other,
                    format!("unknown field `{other}`"),
                ));
            }
        }
    }
    if fields.is_empty() {
        return Err(ApiError::bad_request(
            "body",
            "nothing to change: send status, priority and/or assignee_id",
        ));
    }

    let integrations = state
        .store
        .integrations(ticket.workspace_id)
        .await
        .unwrap_or_default();
    let base = state.public_base();
    let files = state
        .store
        .conversation_attachments(ticket.conversation_id)
        .await?;
    let updated = state
        .store
        .update_ticket(ticket.id, &update, move |t| {
            delivery::ticket_deliveries(t, "ticket.updated", &integrations, false, &base, &files)
        })
        .await?;
    state.publish_ticket(TicketChange::Updated, &updated).await;
    state.wake(crate::cluster::Job::Outbox);
    Ok(axum::Json(json!({ "ticket": TicketView::from(&updated) })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteRequest {
    text: String,
}

fn note_text(raw: &str) -> ApiResult<String> {
    let text: String = raw
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::bad_request(
            "text",
            format!("the text must be 1 to {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// Add an internal note
///
/// A note for the team, never shown to the visitor. Bumps the ticket's `updated_at`.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/notes",
    tag = "tickets",
    operation_id = "addTicketNote",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The ticket's id.")),
    request_body(
        content = NoteRequestDoc,
        example = json!({"text": "Called the bank: the card is blocked for online payments."}),
    ),
    responses(
        (status = 201, description = "The note was stored.", body = NoteEnvelopeDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn add_note(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<TicketId>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> ApiResult<impl IntoResponse> {
    let ticket = workspace_ticket(&state, &current.agent, id).await?;
    let text = note_text(&body.text)?;
    let note = state
        .store
        .add_ticket_note(&ticket, current.agent.id, "note", &text, Vec::new())
        .await?;
    announce_note(&state, &ticket).await;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "note": TicketNoteView::from(&note) })),
    ))
}

// A reply to the visitor by email (through the outbox, so a down mail server loses nothing).
/// Reply to the visitor by email
///
/// Stores the reply as a note of kind `reply` and queues an email to the ticket's `contact_email`
/// (subject `Re: <ticket subject>`) in the delivery outbox, so a mail server that is down loses
/// nothing; the email is retried like a webhook. Bumps the ticket's `updated_at`. 409 `conflict`
/// when the server has no SMTP configured (`baton serve --smtp-host`; checked before the text): add
/// an internal note instead.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/reply",
    tag = "tickets",
    operation_id = "replyToTicket",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The ticket's id.")),
    request_body(
        content = NoteRequestDoc,
        example = json!({"text": "Hi Ana, your card works again; please try once more."}),
    ),
    responses(
        (
            status = 201,
            description = "The reply was stored and its email queued.",
            body = NoteEnvelopeDoc,
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (
            status = 409,
            description = "Email is not configured on this server. Code `conflict`.",
            body = ErrorBody,
            example = json!({
                "error": {
                    "code": "conflict",
                    "message": "email is not configured on this server (see --smtp-host); add an internal note instead",
                    "field": null
                }
            }),
        ),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn reply(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<TicketId>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> ApiResult<impl IntoResponse> {
    let ticket = workspace_ticket(&state, &current.agent, id).await?;
    if state.config.smtp.is_none() {
        return Err(ApiError::conflict(
            "email is not configured on this server (see --smtp-host); add an internal note \
             instead",
        ));
    }
    let text = note_text(&body.text)?;
    let delivery = delivery::reply_delivery(&ticket, &text);
    let note = state
        .store
        .add_ticket_note(&ticket, current.agent.id, "reply", &text, vec![delivery])
        .await?;
    announce_note(&state, &ticket).await;
    state.wake(crate::cluster::Job::Outbox);
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "note": TicketNoteView::from(&note) })),
    ))
}

fn integrations_view(i: &Integrations) -> Value {
    json!({
        "notification_email": i.notification_email,
        "webhook_url": i.webhook_url,
        "webhook_secret_set": i.webhook_secret.is_some(),
        "llm_base_url": i.llm_base_url,
        "llm_model": i.llm_model,
        "llm_api_key_set": i.llm_api_key.is_some(),
    })
}

/// Absent → `None` (keep), `null` → `Some(None)` (clear), a value → `Some(Some(value))`.
fn keep_clear_or_set<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The longest model name accepted.
pub const MAX_MODEL_CHARS: usize = 200;

/// An http(s) URL of at most [`MAX_URL_LEN`] bytes, or a message naming the problem.
/// Checks an outbound URL an admin saves: its shape and length, then the operator's rules on where
/// Baton may connect ([`crate::outbound`]). The error names `field` and says `what` was refused.
fn checked_url(
    policy: &crate::outbound::OutboundPolicy,
    raw: &str,
    field: &str,
    what: &str,
) -> ApiResult<String> {
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::bad_request(
            field,
            format!("{what} must be an https:// URL without spaces"),
        ));
    }
    if raw.len() > MAX_URL_LEN {
        return Err(ApiError::bad_request(
            field,
            format!("{what} must be at most {MAX_URL_LEN} bytes"),
        ));
    }
    policy
        .check_url(raw)
        .map_err(|why| ApiError::bad_request(field, format!("{what} is refused: {why}")))?;
    Ok(raw.to_owned())
}

/// The workspace's notification email, webhook and AI model
///
/// Secrets are not returned: `webhook_secret_set` and `llm_api_key_set` tell whether the webhook
/// secret and the AI provider's API key exist.
#[utoipa::path(
    get,
    path = "/api/v1/integrations",
    tag = "admin",
    operation_id = "getIntegrations",
    security(("agentSession" = [])),
    responses(
        (status = 200, description = "The integrations.", body = IntegrationsDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
async fn integrations(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    headers: axum::http::HeaderMap,
) -> ApiResult<impl IntoResponse> {
    let i = state.store.integrations(admin.workspace_id).await?;
    let mut view = integrations_view(&i);
    add_freshchat_view(&state, admin.workspace_id, &headers, &mut view).await?;
    add_identity_view(&state, admin.workspace_id, &mut view).await?;
    Ok(axum::Json(view))
}

/// Adds whether the workspace has an identity secret (for signed known visitors).
async fn add_identity_view(
    state: &AppState,
    workspace_id: baton_domain::ids::WorkspaceId,
    view: &mut Value,
) -> ApiResult<()> {
    let secret = state.store.identity_secret(workspace_id).await?;
    view["identity_secret_set"] = json!(secret.is_some());
    Ok(())
}

/// Create a new identity secret, shown once
///
/// Replaces the workspace's identity secret, with which sites sign known visitors (`identity`
/// when a conversation starts), by a new random one and returns it. This is the only time it is
/// shown: keep it on the site's server, never in a page. Signatures made with the old secret stop
/// working at once. No request body.
#[utoipa::path(
    post,
    path = "/api/v1/integrations/identity-secret",
    tag = "admin",
    operation_id = "rotateIdentitySecret",
    security(("agentSession" = [], "csrfToken" = [])),
    responses(
        (status = 201, description = "The new secret.", body = NewSecret),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
async fn rotate_identity_secret(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
) -> ApiResult<impl IntoResponse> {
    let secret = secrets::new_token();
    state
        .store
        .set_identity_secret(admin.workspace_id, &secret)
        .await?;
    Ok((StatusCode::CREATED, Json(NewSecret { secret })))
}

/// Adds the FreshChat fields (docs/freshchat.md) to an integrations answer.
async fn add_freshchat_view(
    state: &AppState,
    workspace_id: baton_domain::ids::WorkspaceId,
    headers: &axum::http::HeaderMap,
    view: &mut Value,
) -> ApiResult<()> {
    let settings = state.store.freshchat_settings(workspace_id).await?;
    // The URL FreshChat must call: the public URL, else the address this request came to.
    let base = state.config.public_url.clone().unwrap_or_else(|| {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    });
    if let (Some(target), Value::Object(extra)) = (
        view.as_object_mut(),
        super::freshchat::settings_view(&settings, workspace_id, &base),
    ) {
        target.extend(extra);
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntegrationsRequest {
    /// Absent: unchanged; null or blank: cleared (as every field here, so a form that saves one
    /// group of settings never clears another's).
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    notification_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    webhook_url: Option<Option<String>>,
    /// The workspace's OpenAI-compatible API (absent: unchanged; null: back to the default).
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    llm_base_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    llm_model: Option<Option<String>>,
    /// Write-only: never returned.
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    llm_api_key: Option<Option<String>>,
    /// FreshChat routing (docs/freshchat.md); absent: unchanged, null: cleared.
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    freshchat_api_url: Option<Option<String>>,
    /// Write-only: never returned or logged.
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    freshchat_api_token: Option<Option<String>>,
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    freshchat_channel_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    freshchat_webhook_public_key: Option<Option<String>>,
}

/// Replace the workspace's notification email and webhook URL; set its AI model
///
/// `notification_email` and `webhook_url` are always replaced: an absent, null or blank field
/// clears it (no more notification emails, or no more webhooks). The AI provider's fields
/// (`llm_base_url`, `llm_model`, `llm_api_key`) are changed only when present: absent keeps the
/// stored value, null or blank clears it; with a base URL and a model the workspace's bots answer
/// with that OpenAI-compatible model (the built-in engine answers when it fails), otherwise with
/// the server's default engine. A base URL without a model (after the change) is 400, field
/// `llm_model`. Nothing is stored when any field is refused. The values are stored trimmed. Setting
/// a webhook URL while the workspace has no secret creates one and returns it in `webhook_secret`,
/// this once (`POST /api/v1/integrations/webhook-secret` replaces it with a new one). Returns the
/// stored settings.
#[utoipa::path(
    put,
    path = "/api/v1/integrations",
    tag = "admin",
    operation_id = "updateIntegrations",
    security(("agentSession" = [], "csrfToken" = [])),
    request_body(
        content = IntegrationsRequestDoc,
        example = json!({
            "notification_email": "support@example.com",
            "webhook_url": "https://hooks.example.com/baton"
        }),
    ),
    responses(
        (status = 200, description = "The integrations were stored.", body = IntegrationsDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn set_integrations(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<IntegrationsRequest>,
) -> ApiResult<impl IntoResponse> {
    // Checked before anything is saved, so a refused FreshChat field changes nothing.
    let freshchat = checked_freshchat(&state, admin.workspace_id, &body).await?;
    let mut current = state.store.integrations(admin.workspace_id).await?;
    apply_notifications(&state, &body, &mut current)?;
    apply_llm(&state, body, &mut current)?;
    // The first webhook URL gets a secret; it is shown in this answer, once.
    let created = (current.webhook_url.is_some() && current.webhook_secret.is_none())
        .then(secrets::new_token);
    if let Some(secret) = &created {
        current.webhook_secret = Some(secret.clone());
    }
    state
        .store
        .set_integrations(admin.workspace_id, &current)
        .await?;
    if let Some(settings) = &freshchat {
        state
            .store
            .set_freshchat_settings(admin.workspace_id, settings)
            .await?;
    }
    state.workspace_engine_changed(admin.workspace_id);
    let mut view = integrations_view(&current);
    add_freshchat_view(&state, admin.workspace_id, &headers, &mut view).await?;
    add_identity_view(&state, admin.workspace_id, &mut view).await?;
    if let Some(secret) = created {
        view["webhook_secret"] = json!(secret);
    }
    Ok(axum::Json(view))
}

/// The workspace's FreshChat settings with the request's changes, checked; `None` when the
/// request changes none of them.
async fn checked_freshchat(
    state: &AppState,
    workspace_id: WorkspaceId,
    body: &IntegrationsRequest,
) -> ApiResult<Option<FreshchatSettings>> {
    let fields = super::freshchat::FreshchatFields {
        freshchat_api_url: body.freshchat_api_url.clone(),
        freshchat_api_token: body.freshchat_api_token.clone(),
        freshchat_channel_id: body.freshchat_channel_id.clone(),
        freshchat_webhook_public_key: body.freshchat_webhook_public_key.clone(),
    };
    if fields.is_empty() {
        return Ok(None);
    }
    let mut settings = state.store.freshchat_settings(workspace_id).await?;
    fields.apply(state, &mut settings)?;
    Ok(Some(settings))
}

/// The notification address and the webhook URL: absent leaves each as it is, blank or null
/// clears it.
fn apply_notifications(
    state: &AppState,
    body: &IntegrationsRequest,
    current: &mut Integrations,
) -> ApiResult<()> {
    let given = |v: &Option<Option<String>>| {
        v.as_ref().map(|v| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        })
    };
    if let Some(email) = given(&body.notification_email) {
        current.notification_email = match email {
            None => None,
            Some(raw) => Some(
                ContactEmail::parse(&raw)
                    .map_err(|p| ApiError::bad_request("notification_email", p.to_string()))?
                    .as_str()
                    .to_owned(),
            ),
        };
    }
    if let Some(url) = given(&body.webhook_url) {
        current.webhook_url = match url {
            None => None,
            Some(raw) => Some(checked_url(
                &state.outbound,
                &raw,
                "webhook_url",
                "the webhook URL",
            )?),
        };
    }
    Ok(())
}

/// The OpenAI-compatible provider: its URL, model and key (a provider needs a model).
fn apply_llm(
    state: &AppState,
    body: IntegrationsRequest,
    current: &mut Integrations,
) -> ApiResult<()> {
    if let Some(base) = body.llm_base_url {
        current.llm_base_url = match base.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => Some(
                checked_url(
                    &state.outbound,
                    raw,
                    "llm_base_url",
                    "the AI provider's URL",
                )?
                .trim_end_matches('/')
                .to_owned(),
            ),
        };
    }
    if let Some(model) = body.llm_model {
        let model = model.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty());
        if model
            .as_ref()
            .is_some_and(|m| m.chars().count() > MAX_MODEL_CHARS || m.chars().any(char::is_control))
        {
            return Err(ApiError::bad_request(
                "llm_model",
                format!("the model name must be 1 to {MAX_MODEL_CHARS} characters"),
            ));
        }
        current.llm_model = model;
    }
    if let Some(key) = body.llm_api_key {
        current.llm_api_key = key.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty());
    }
    if current.llm_base_url.is_some() && current.llm_model.is_none() {
        return Err(ApiError::bad_request(
            "llm_model",
            "name the model to use with this AI provider",
        ));
    }
    Ok(())
}

/// Create a new webhook secret, shown once
///
/// Replaces the workspace's webhook secret with a new random one and returns it. This is the
/// only time it is shown: store it where the receiver can read it. Every delivery from now on,
/// retries of older ones included, is signed with the new secret. No request body.
#[utoipa::path(
    post,
    path = "/api/v1/integrations/webhook-secret",
    tag = "admin",
    operation_id = "rotateWebhookSecret",
    security(("agentSession" = [], "csrfToken" = [])),
    responses(
        (status = 201, description = "The new secret.", body = NewSecret),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
async fn rotate_secret(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
) -> ApiResult<impl IntoResponse> {
    let mut current = state.store.integrations(admin.workspace_id).await?;
    let secret = secrets::new_token();
    current.webhook_secret = Some(secret.clone());
    state
        .store
        .set_integrations(admin.workspace_id, &current)
        .await?;
    Ok((StatusCode::CREATED, Json(NewSecret { secret })))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct OutboxQuery {
    /// `pending` (queued or waiting for a retry), `delivered`, or `dead`. Absent or empty
    /// (`status=`): `dead`. Anything else is 400 (field `status`).
    #[serde(default)]
    #[param(value_type = Option<DeliveryStatus>, default = "dead")]
    status: Option<String>,
}

/// Deliveries of the workspace's webhooks and emails
///
/// The newest 200 deliveries with the given status. By default the dead letters: deliveries that
/// failed every attempt and are no longer retried (`POST /api/v1/outbox/{id}/retry` queues one
/// again). Payloads are not shown.
#[utoipa::path(
    get,
    path = "/api/v1/outbox",
    tag = "admin",
    operation_id = "listOutbox",
    security(("agentSession" = [])),
    params(OutboxQuery),
    responses(
        (status = 200, description = "The deliveries, newest first.", body = OutboxList),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
async fn outbox(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> ApiResult<Json<OutboxList>> {
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or("dead");
    if !matches!(status, "pending" | "delivered" | "dead") {
        return Err(ApiError::bad_request(
            "status",
            "status must be pending, delivered or dead",
        ));
    }
    let items = state
        .store
        .outbox(admin.workspace_id, status, MAX_OUTBOX_LIST)
        .await?;
    Ok(Json(OutboxList {
        deliveries: items.iter().map(OutboxView::from).collect(),
    }))
}

/// Queue a dead-lettered delivery again
///
/// The delivery goes back to `pending` and is attempted at once, with its attempt count kept (so
/// a failure dead-letters it again). Only dead deliveries: a pending or delivered one, or one of
/// another workspace, is 404. No request body.
#[utoipa::path(
    post,
    path = "/api/v1/outbox/{id}/retry",
    tag = "admin",
    operation_id = "retryDelivery",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The delivery's id.")),
    responses(
        (status = 204, description = "Queued again."),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn retry(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<DeliveryId>,
) -> ApiResult<StatusCode> {
    state
        .store
        .outbox_retry(admin.workspace_id, id.as_uuid())
        .await?;
    state.wake(crate::cluster::Job::Outbox);
    Ok(StatusCode::NO_CONTENT)
}

/// Tells the panels a ticket got a note, with the ticket as it is now (its `updated_at` moved).
async fn announce_note(state: &AppState, ticket: &Ticket) {
    match state.store.ticket(ticket.id).await {
        Ok(fresh) => state.publish_ticket(TicketChange::Updated, &fresh).await,
        Err(err) => tracing::warn!(error = %err, "could not reload a ticket after a note"),
    }
}

/// New tickets are `high` when the conversation's latest handoff was triggered by frustration or a
/// sales opportunity, otherwise `medium`.
#[derive(ToSchema)]
#[schema(as = TicketPriority)]
#[allow(dead_code)]
pub enum TicketPriorityDoc {
    #[schema(rename = "low")]
    Low,
    #[schema(rename = "medium")]
    Medium,
    #[schema(rename = "high")]
    High,
    #[schema(rename = "urgent")]
    Urgent,
}

/// A follow-up request created from the contact details a visitor left.
#[derive(ToSchema)]
#[schema(as = Ticket)]
#[allow(dead_code)]
pub struct TicketDoc {
    id: Id,
    bot_id: Id,
    conversation_id: Id,
    /// The visitor's address as validated (domain lower-cased).
    #[schema(format = "email")]
    contact_email: String,
    #[schema(schema_with = contact_name_schema, required = true)]
    contact_name: Option<String>,
    /// One line: the handoff's summary or the visitor's first question, shortened with `…`;
    /// `Conversation with a visitor` when there is neither.
    #[schema(schema_with = subject_schema)]
    subject: String,
    /// The problem in the visitor's words, or their first and latest messages.
    #[schema(schema_with = ticket_description_schema)]
    description: String,
    /// What started the conversation's latest handoff; null when there was none (the visitor asked
    /// to leave details).
    #[schema(required = true)]
    trigger: Option<super::schemas::TriggerDoc>,
    /// That handoff's reason, in words.
    #[schema(required = true)]
    reason: Option<String>,
    status: super::schemas::TicketStatusDoc,
    priority: TicketPriorityDoc,
    /// The agent the ticket is assigned to.
    #[schema(required = true)]
    assignee_id: Option<Id>,
    /// The bot's name, for display.
    bot_name: String,
    /// The assignee's display name, for display.
    #[schema(required = true)]
    assignee_name: Option<String>,
    created_at: Timestamp,
    /// Changes with every update, note and reply.
    updated_at: Timestamp,
}

#[derive(ToSchema)]
#[schema(as = TicketList)]
#[allow(dead_code)]
pub struct TicketListDoc {
    #[schema(schema_with = tickets_schema)]
    tickets: Vec<TicketDoc>,
    /// How many of the workspace's tickets are not `resolved`, whatever the filters.
    #[schema(minimum = 0)]
    open_tickets: i32,
}

#[derive(ToSchema)]
#[schema(as = TicketEnvelope)]
#[allow(dead_code)]
pub struct TicketEnvelopeDoc {
    ticket: TicketDoc,
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum TicketNoteKindDoc {
    #[schema(rename = "note")]
    Note,
    #[schema(rename = "reply")]
    Reply,
}

/// An internal note (`note`) or a reply emailed to the visitor (`reply`).
#[derive(ToSchema)]
#[schema(as = TicketNote)]
#[allow(dead_code)]
pub struct TicketNoteDoc {
    id: Id,
    agent_id: Id,
    /// The author's display name.
    agent_name: String,
    #[schema(inline)]
    kind: TicketNoteKindDoc,
    /// Plain text, never HTML: escape it when rendering.
    #[schema(schema_with = note_body_schema)]
    body: String,
    created_at: Timestamp,
}

#[derive(ToSchema)]
#[schema(as = TicketDetail)]
#[allow(dead_code)]
pub struct TicketDetailDoc {
    ticket: TicketDoc,
    /// Notes and replies, oldest first.
    notes: Vec<TicketNoteDoc>,
    /// The conversation's whole log, in order.
    transcript: Vec<super::schemas::MessageDoc>,
}

/// At least one of the fields (`{}` is 400, field `body`); those absent are unchanged.
#[derive(ToSchema)]
#[schema(as = TicketUpdateRequest, min_properties = 1)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct TicketUpdateRequestDoc {
    #[schema(required = false)]
    status: super::schemas::TicketStatusDoc,
    #[schema(required = false)]
    priority: TicketPriorityDoc,
    /// An agent of this workspace, or null to unassign.
    assignee_id: Option<Id>,
}

#[derive(ToSchema)]
#[schema(as = NoteRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct NoteRequestDoc {
    /// Control characters other than newline are removed and the ends trimmed; then 1 to 10,000
    /// characters (400 otherwise). The ticket routes have their own body limit, 4 × 10,000 bytes +
    /// 16 KiB (56,384 bytes), so any 10,000 characters fit; a larger body is 413.
    #[schema(schema_with = note_text_schema)]
    text: String,
}

#[derive(ToSchema)]
#[schema(as = NoteEnvelope)]
#[allow(dead_code)]
pub struct NoteEnvelopeDoc {
    note: TicketNoteDoc,
}

/// Where the workspace's ticket events go, which AI model its bots use, and its FreshChat
/// connection (docs/freshchat.md).
#[derive(ToSchema)]
#[schema(as = Integrations)]
#[allow(dead_code)]
pub struct IntegrationsDoc {
    /// Emailed about every new ticket when the server has SMTP configured; null: no notification
    /// emails.
    #[schema(format = "email", required = true)]
    notification_email: Option<String>,
    /// Whether the workspace has an identity secret for signed known visitors (never returned
    /// itself).
    identity_secret_set: bool,
    /// Receives every ticket event as a signed POST; null: no webhooks.
    #[schema(required = true)]
    webhook_url: Option<String>,
    /// Whether a signing secret exists.
    webhook_secret_set: bool,
    /// Only in the answer to the `PUT` that created the workspace's first secret (the first webhook
    /// URL): the signing secret, shown this once. Otherwise it is shown only by `POST
    /// /api/v1/integrations/webhook-secret`.
    #[schema(min_length = 1, required = false)]
    webhook_secret: String,
    /// The workspace's OpenAI-compatible API (e.g. `https://api.openai.com/v1`; requests go to
    /// `<llm_base_url>/chat/completions`), without a trailing `/`; null: the server's default
    /// engine answers.
    #[schema(required = true)]
    llm_base_url: Option<String>,
    /// The model asked for at that API; null when none is set.
    #[schema(schema_with = model_schema, required = true)]
    llm_model: Option<String>,
    /// Whether an API key for the AI provider is stored. The key itself is write-only: never
    /// returned.
    llm_api_key_set: bool,
    /// FreshChat's API base URL including `/v2` (e.g. `https://acme.freshchat.com/v2`), without a
    /// trailing `/`; null: not set.
    #[schema(required = true)]
    freshchat_api_url: Option<String>,
    /// Whether a FreshChat API token is stored. The token itself is write-only: never returned or
    /// logged.
    freshchat_token_set: bool,
    /// The FreshChat channel (topic) new conversations go to; null: the first channel FreshChat
    /// lists.
    #[schema(required = true)]
    freshchat_channel_id: Option<String>,
    /// The RSA public key from FreshChat's webhook settings page, as saved; webhooks are verified
    /// with it. Null: every webhook is refused (401).
    #[schema(required = true)]
    freshchat_webhook_public_key: Option<String>,
    /// The URL to paste into FreshChat's webhook settings, built from the server's public URL (or,
    /// without one, the address this request came to).
    freshchat_webhook_url: String,
}

/// `notification_email` and `webhook_url` are replaced (an absent, null or blank one clears it);
/// the `llm_` and `freshchat_` fields are changed only when present (null or blank clears one).
#[derive(ToSchema)]
#[schema(as = IntegrationsRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct IntegrationsRequestDoc {
    /// An address following the same rules as a visitor's (see `LeadRequest.email`); refused with
    /// the same messages (400, field `notification_email`).
    #[schema(schema_with = notification_email_schema)]
    notification_email: Option<String>,
    /// After trimming: starts with `http://` or `https://` (in any case: `HTTPS://` is accepted
    /// too, and stored as sent), at most 2000 bytes, no whitespace or control characters (400,
    /// field `webhook_url`, otherwise).
    #[schema(schema_with = webhook_url_schema)]
    webhook_url: Option<String>,
    /// An OpenAI-compatible API's base URL, e.g. `https://api.openai.com/v1` or
    /// `http://localhost:11434/v1`. After trimming: starts with `http://` or `https://` (in any
    /// case), at most 2000 bytes, no whitespace or control characters (400, field `llm_base_url`,
    /// otherwise); stored without a trailing `/`. Absent: unchanged; null or blank: cleared (the
    /// server's default engine answers).
    #[schema(schema_with = llm_base_url_schema)]
    llm_base_url: Option<String>,
    /// The model name, e.g. `gpt-4o-mini`. After trimming: at most 200 characters, no control
    /// characters (400, field `llm_model`, otherwise). Required once a base URL is set. Absent:
    /// unchanged; null or blank: cleared.
    #[schema(schema_with = model_request_schema)]
    llm_model: Option<String>,
    /// The API key, sent as `Authorization: Bearer` to the provider; stored trimmed and never
    /// returned (see `llm_api_key_set`). Absent: unchanged; null or blank: cleared (a provider that
    /// needs no key, such as a local one).
    #[schema(write_only)]
    llm_api_key: Option<String>,
    /// FreshChat's API base URL including `/v2`, e.g. `https://acme.freshchat.com/v2`. After
    /// trimming: `https://`, ending with `/v2`, and not a loopback, private, link-local, shared or
    /// cloud-metadata address or an internal name, unless the operator allowed that host with
    /// `baton serve --allow-outbound-host HOST[:PORT]` (only such hosts may use `http://`); 400,
    /// field `freshchat_api_url`, otherwise. Absent: unchanged; null or blank: cleared.
    #[schema(schema_with = freshchat_api_url_schema)]
    freshchat_api_url: Option<String>,
    /// The FreshChat API token (Admin Settings → API Tokens), sent as `Authorization: Bearer`.
    /// Stored trimmed (a leading `Bearer ` is dropped), never returned or logged (see
    /// `freshchat_token_set`); no whitespace inside (400, field `freshchat_api_token`). Absent:
    /// unchanged; null or blank: cleared.
    #[schema(schema_with = freshchat_api_token_schema)]
    freshchat_api_token: Option<String>,
    #[schema(schema_with = freshchat_channel_id_schema)]
    freshchat_channel_id: Option<String>,
    /// The RSA public key from FreshChat's webhook page in any form: PEM labelled `RSA PUBLIC KEY`
    /// or `PUBLIC KEY`, on one line or several, or the bare base64; SubjectPublicKeyInfo or PKCS#1
    /// inside. A key that does not parse is 400, field `freshchat_webhook_public_key`. Absent:
    /// unchanged; null or blank: cleared.
    #[schema(schema_with = freshchat_public_key_schema)]
    freshchat_webhook_public_key: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum WebhookEventEventDoc {
    #[schema(rename = "ticket.created")]
    TicketCreated,
    #[schema(rename = "ticket.updated")]
    TicketUpdated,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct WebhookEventAttachmentsItemDoc {
    id: Id,
    name: String,
    content_type: String,
    #[schema(minimum = 1)]
    size: i64,
    url: String,
}

/// The JSON body of a webhook delivery. Verify `X-Baton-Signature` against the raw bytes before
/// parsing.
#[derive(ToSchema)]
#[schema(as = WebhookEvent)]
#[allow(dead_code)]
pub struct WebhookEventDoc {
    #[schema(inline)]
    event: WebhookEventEventDoc,
    /// When the event was queued; retries send the same body.
    sent_at: Timestamp,
    ticket: TicketDoc,
    /// The ticket in the Live Chat panel (`<public URL>/panel#ticket=<id>`; agents log in to see
    /// it). Relative (`/panel#ticket=<id>`) when the server runs without `--public-url`.
    transcript_url: String,
    /// The files sent in the ticket's conversation, oldest first (empty when none). `url` downloads
    /// one for an agent of the workspace logged in to the panel (relative without `--public-url`).
    #[schema(inline)]
    attachments: Vec<WebhookEventAttachmentsItemDoc>,
}

fn contact_name_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .max_length(Some(baton_domain::contact::MAX_NAME_CHARS))
            .build(),
    )
}

fn subject_schema() -> utoipa::openapi::Object {
    text(
        1,
        baton_domain::ticket::MAX_SUBJECT_CHARS,
        "One line: the handoff's summary or the visitor's first question, shortened with \
                 `…`; `Conversation with a visitor` when there is neither.",
    )
}

fn ticket_description_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(baton_domain::contact::MAX_DESCRIPTION_CHARS))
            .description(Some(
                "The problem in the visitor's words, or their first and latest messages.",
            ))
            .build(),
    )
}

fn tickets_schema() -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(ArrayItems::RefOrSchema(Box::new(
                crate::http::openapi::component("Ticket"),
            )))
            .max_items(Some(MAX_TICKET_PAGE as usize))
            .build(),
    )
}

fn note_body_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_NOTE_CHARS,
        "Plain text, never HTML: escape it when rendering.",
    )
}

fn note_text_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_NOTE_CHARS,
        "Control characters other than newline are removed and the ends trimmed; then 1 \
                 to 10,000 characters (400 otherwise). The ticket routes have their own body limit, 4 × 10,000 \
                 bytes + 16 KiB (56,384 bytes), so any 10,000 characters fit; a larger body is 413.",
    )
}

fn model_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .max_length(Some(MAX_MODEL_CHARS))
            .description(Some(
                "The model asked for at that API; null when none is set.",
            ))
            .build(),
    )
}

fn notification_email_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .max_length(Some(baton_domain::contact::MAX_EMAIL_LEN))
            .description(Some(
                "An address following the same rules as a visitor's (see `LeadRequest.email`); \
                 refused with the same messages (400, field `notification_email`).",
            ))
            .build(),
    )
}

fn webhook_url_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(MAX_URL_LEN))
            .description(Some(
                "After trimming: starts with `http://` or `https://` (in any case: `HTTPS://` is \
                 accepted too, and stored as sent), at most 2000 bytes, no whitespace or control characters (400, \
                 field `webhook_url`, otherwise).",
            ))
            .build(),
    )
}

fn llm_base_url_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(MAX_URL_LEN))
            .description(Some(
                "An OpenAI-compatible API's base URL, e.g. `https://api.openai.com/v1` or \
                 `http://localhost:11434/v1`. After trimming: starts with `http://` or `https://` (in any case), \
                 at most 2000 bytes, no whitespace or control characters (400, field `llm_base_url`, otherwise); \
                 stored without a trailing `/`. Absent: unchanged; null or blank: cleared (the server's default \
                 engine answers).",
            ))
            .build(),
    )
}

fn model_request_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(MAX_MODEL_CHARS))
            .description(Some(
                "The model name, e.g. `gpt-4o-mini`. After trimming: at most 200 characters, no \
                 control characters (400, field `llm_model`, otherwise). Required once a base URL is set. Absent: \
                 unchanged; null or blank: cleared.",
            ))
            .build(),
    )
}

fn freshchat_api_url_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(super::freshchat::MAX_FIELD_CHARS))
            .description(Some(
                "FreshChat's API base URL including `/v2`, e.g. `https://acme.freshchat.com/v2`. \
                 After trimming: `https://`, ending with `/v2`, and not a loopback, private, link-local, shared or \
                 cloud-metadata address or an internal name, unless the operator allowed that host with `baton \
                 serve --allow-outbound-host HOST[:PORT]` (only such hosts may use `http://`); 400, field \
                 `freshchat_api_url`, otherwise. Absent: unchanged; null or blank: cleared.",
            ))
            .build(),
    )
}

fn freshchat_api_token_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(super::freshchat::MAX_FIELD_CHARS))
            .write_only(true)
            .description(Some(
                "The FreshChat API token (Admin Settings → API Tokens), sent as `Authorization: \
                 Bearer`. Stored trimmed (a leading `Bearer ` is dropped), never returned or logged (see \
                 `freshchat_token_set`); no whitespace inside (400, field `freshchat_api_token`). Absent: \
                 unchanged; null or blank: cleared.",
            ))
            .build(),
    )
}

fn freshchat_channel_id_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .max_length(Some(super::freshchat::MAX_CHANNEL_ID_CHARS))
            .description(Some(
                "The FreshChat channel new conversations go to (400, field \
                 `freshchat_channel_id`, when longer or with control characters). Absent: \
                 unchanged; null or blank: cleared (the first channel FreshChat lists).",
            ))
            .build(),
    )
}

fn freshchat_public_key_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(super::freshchat::MAX_FIELD_CHARS))
            .description(Some(
                "The RSA public key from FreshChat's webhook page in any form: PEM labelled `RSA \
                 PUBLIC KEY` or `PUBLIC KEY`, on one line or several, or the bare base64; SubjectPublicKeyInfo or \
                 PKCS#1 inside. A key that does not parse is 400, field `freshchat_webhook_public_key`. Absent: \
                 unchanged; null or blank: cleared.",
            ))
            .build(),
    )
}

/// The ticket events of a workspace's webhook (`X-Baton-Event`).
#[derive(ToSchema)]
#[allow(dead_code)] // documents the webhook's `X-Baton-Event` header
enum WebhookEventName {
    #[schema(rename = "ticket.created")]
    TicketCreated,
    #[schema(rename = "ticket.updated")]
    TicketUpdated,
}

/// A ticket was created or updated (sent to the workspace's webhook URL)
///
/// Baton POSTs each event to the workspace's `webhook_url` (see `PUT /api/v1/integrations`) with
/// the exact JSON body below and the headers documented here. The delivery goes through a durable
/// outbox written in the same transaction as the change, so it is never lost: a receiver that
/// does not answer with a 2xx status within 10 seconds is retried with exponential backoff (2 s
/// after the first failure by default, doubling each time, at most an hour apart), and after 12
/// failed attempts by default (`baton serve --outbox-max-attempts`) the delivery is
/// dead-lettered, visible in `GET /api/v1/outbox` and retryable from there. Every retry carries
/// the same body and the same `X-Baton-Delivery`: deduplicate on it. A guide with a verification
/// example is in docs/api.md.
#[utoipa::path(
    post,
    path = "ticketEvent",
    tag = "admin",
    operation_id = "ticketEventWebhook",
    params(
        (
            "X-Baton-Event" = inline(WebhookEventName),
            Header,
            description = "The event: `ticket.created` or `ticket.updated` (the same as `event` in \
                           the body).",
        ),
        (
            "X-Baton-Delivery" = Id,
            Header,
            description = "The delivery's id: the same on every retry of this delivery, so a \
                           receiver can drop duplicates. Also the `id` of the delivery in `GET /api/v1/outbox`.",
        ),
        (
            "X-Baton-Signature" = String,
            Header,
            pattern = "^sha256=[0-9a-f]{64}$",
            description = "`sha256=` followed by the lower-case hex HMAC-SHA256 of the raw request \
                           body, keyed with the workspace's webhook secret (from `POST \
                           /api/v1/integrations/webhook-secret`). Compare in constant time.",
        ),
    ),
    request_body(content = WebhookEventDoc),
    responses(
        (status = "2XX", description = "Any 2xx status: delivered; it is not sent again."),
        (
            status = "default",
            description = "Any other status, or no answer within 10 seconds: the delivery is \
                           retried later.",
        ),
    )
)]
#[allow(dead_code)] // documents what `crate::delivery` sends; never routed
pub fn ticket_event_webhook() {}

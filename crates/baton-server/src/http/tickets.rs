//! Tickets in the Live Chat panel (what the offline path's captured leads become): list with
//! filters, read with the transcript, assign, change status or priority, internal notes and replies
//! emailed to the visitor. And, for admins, the workspace's outbound integrations and the delivery
//! outbox.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use baton_domain::contact::ContactEmail;
use baton_domain::entity::Entity;
use baton_domain::ids::{AgentId, BotId, DeliveryId, TicketId, WorkspaceId};
use baton_domain::ticket::{TicketPriority, TicketStatus};
use baton_storage::{Agent, FreshchatSettings, Integrations, Ticket, TicketFilter, TicketUpdate};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{AdminAgent, CurrentAgent};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId};
use super::openapi::{BadRequest, Forbidden, Id, NotFound, Unauthorized, component, list_of};
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
        .route("/api/v1/tickets", get(list))
        .route("/api/v1/tickets/{id}", get(read).patch(update))
        .route("/api/v1/tickets/{id}/notes", post(add_note))
        .route("/api/v1/tickets/{id}/reply", post(reply))
        .route(
            "/api/v1/integrations",
            get(integrations).put(set_integrations),
        )
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
            None => 100,
            Some(n @ 1..=500) => n,
            Some(_) => {
                return Err(ApiError::bad_request(
                    "limit",
                    "limit must be between 1 and 500",
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

/// A reply to the visitor by email (through the outbox, so a down mail server loses nothing).
async fn reply(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<TicketId>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> ApiResult<impl IntoResponse> {
    let ticket = workspace_ticket(&state, &current.agent, id).await?;
    if state.config.smtp.is_none() {
        return Err(ApiError::conflict(
            "email is not configured on this server (see --smtp-host); add an internal note instead",
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

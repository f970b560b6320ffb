//! Tickets in the Live Chat panel (what the offline path's captured leads become): list with
//! filters, read with the transcript, assign, change status or priority, internal notes and replies
//! emailed to the visitor. And, for admins, the workspace's outbound integrations and the delivery
//! outbox.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use baton_domain::contact::ContactEmail;
use baton_domain::entity::Entity;
use baton_domain::ids::{AgentId, BotId, DeliveryId, TicketId, WorkspaceId};
use baton_domain::ticket::{TicketPriority, TicketStatus};
use baton_storage::{Agent, FreshchatSettings, Integrations, Ticket, TicketFilter, TicketUpdate};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{AdminAgent, CurrentAgent};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId};
use crate::delivery;
use crate::events::TicketChange;
use crate::secrets;
use crate::state::AppState;
use crate::views::{MessageView, OutboxView, TicketNoteView, TicketView};

/// The longest internal note or reply.
pub const MAX_NOTE_CHARS: usize = 10_000;
/// The longest webhook URL.
pub const MAX_URL_LEN: usize = 2000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tickets", get(list))
        .route("/api/v1/tickets/{id}", get(read).patch(update))
        .route("/api/v1/tickets/{id}/notes", post(add_note))
        .route("/api/v1/tickets/{id}/reply", post(reply))
        .route(
            "/api/v1/integrations",
            get(integrations).put(set_integrations),
        )
        .route("/api/v1/integrations/webhook-secret", post(rotate_secret))
        .route(
            "/api/v1/integrations/identity-secret",
            post(rotate_identity_secret),
        )
        .route("/api/v1/outbox", get(outbox))
        .route("/api/v1/outbox/{id}/retry", post(retry))
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

/// Creates or replaces the workspace's identity secret, with which sites sign known visitors
/// (docs/api.md, "Known visitors"); shown in this answer only.
async fn rotate_identity_secret(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
) -> ApiResult<impl IntoResponse> {
    let secret = secrets::new_token();
    state
        .store
        .set_identity_secret(admin.workspace_id, &secret)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(json!({ "secret": secret }))))
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

/// Creates a new webhook secret and shows it once; it is never returned again.
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
    Ok((StatusCode::CREATED, axum::Json(json!({ "secret": secret }))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutboxQuery {
    #[serde(default)]
    status: Option<String>,
}

async fn outbox(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> ApiResult<impl IntoResponse> {
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
    let items = state.store.outbox(admin.workspace_id, status, 200).await?;
    Ok(axum::Json(
        json!({ "deliveries": items.iter().map(OutboxView::from).collect::<Vec<_>>() }),
    ))
}

async fn retry(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<DeliveryId>,
) -> ApiResult<impl IntoResponse> {
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

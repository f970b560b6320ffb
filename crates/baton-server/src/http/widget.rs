//! The visitor (widget) API: start a conversation, send messages, ask for a person or go back to
//! the AI, read history. Callable from any site (CORS); authorised by the conversation's token.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use baton_domain::contact::ContactEmail;
use baton_domain::entity::Entity;
use baton_domain::handoff::{HandoffDecision, Trigger};
use baton_domain::ids::{BotId, ConversationId};
use baton_domain::language::Language;
use baton_domain::texts::TextKey;
use baton_storage::KnownVisitor;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{VisitorConversation, VisitorToken};
use super::error::ErrorBody;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, ClientIp, PathId, parse_id};
use super::openapi::{
    Archived, BadRequest, Conflict, Forbidden, Id, NotFound, Overloaded, PayloadTooLarge,
    Timestamp, TooManyRequests, Unauthorized, UnsupportedMediaType, integer, query_param, text,
};
use crate::service::visitor_texts::bot_text;
use crate::service::{IdentityClaim, LeadSubmission, MAX_VISITOR_NAME_CHARS};
use crate::state::AppState;
use crate::views::{HandoffView, MessageView, PublicBotView, VisitorConversationView};
use crate::widget_strings;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(bot))
        .routes(routes!(availability))
        .routes(routes!(start))
        .routes(routes!(conversation))
        .routes(routes!(history, send))
        .routes(routes!(request_handoff, cancel_handoff))
        .routes(routes!(request_ticket))
        .routes(routes!(submit_lead))
        .routes(routes!(decline_lead))
        .routes(routes!(email_transcript))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TranscriptRequest {
    /// Where to send it; a known visitor's own address when left out.
    #[serde(default)]
    email: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)] // documents `email_transcript`'s answer
struct TranscriptQueuedDoc {
    /// The address it goes to.
    sent_to: String,
}

// Emails the conversation to the visitor (through the outbox, when the server has SMTP).
/// Email the conversation to the visitor
///
/// Queues the conversation's transcript (text messages and notices, with times in UTC) for `email`,
/// or for a known visitor's own address when `email` is left out, through the outbox. 409 when the
/// server has no SMTP; 400 naming `email` when there is no address or it is not valid; 429 past 3
/// per conversation per hour (`Limits::transcript_emails_per_hour`).
#[utoipa::path(
    post,
    path = "/api/v1/widget/conversations/{id}/transcript",
    tag = "widget",
    operation_id = "emailTranscript",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    request_body(
        content = inline(TranscriptRequest),
        example = json!({"email": "vera@example.com"}),
    ),
    responses(
        (status = 202, description = "Queued.", body = inline(TranscriptQueuedDoc)),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
    )
)]
async fn email_transcript(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
    ApiJson(body): ApiJson<TranscriptRequest>,
) -> ApiResult<impl IntoResponse> {
    let to = state
        .email_transcript(&conversation, body.email.as_deref())
        .await?;
    Ok((StatusCode::ACCEPTED, axum::Json(json!({ "sent_to": to }))))
}

// The visitor asks to leave details for a ticket (at any time the AI has the conversation).
/// Ask to leave contact details for a ticket
///
/// The visitor asks to leave their details for a follow-up rather than chat now. No request body.
/// Only while the AI owns the conversation (`ai`): the conversation goes to `lead_capture` and the
/// bot's lead capture prompt is written as a `lead_requested` message whose `data.form` prefills
/// the widget's inline form. That message reaches the visitor on the WebSocket and in the history,
/// not in this response. Next the visitor submits the form (`POST .../lead`), types an email
/// address in the chat, or declines (`POST .../lead/decline`, or "no thanks" in the chat). 409 when
/// the bot has `lead_capture_enabled` off (`PublicBot.lead_capture_enabled`), a handoff is waiting,
/// an agent owns the conversation, details are already being collected, or it is closed.
#[utoipa::path(
    post,
    path = "/api/v1/widget/conversations/{id}/ticket",
    tag = "widget",
    operation_id = "requestTicket",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (
            status = 202,
            description = "Contact details are being collected.",
            body = TicketRequestedResponseDoc,
            example = json!({"state": "lead_capture"}),
        ),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
async fn request_ticket(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
) -> ApiResult<impl IntoResponse> {
    state.request_ticket(&conversation).await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(json!({ "state": "lead_capture" })),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeadRequest {
    client_id: String,
    email: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

// The inline form's submission. A double submit with the same client_id creates one ticket.
/// Submit contact details: creates a ticket
///
/// The inline form's submission (the widget shows the form on a `lead_requested` message). Creates
/// a ticket: status `open`; priority `high` when the conversation's latest handoff was triggered by
/// frustration or a sales opportunity, otherwise `medium`; subject from that handoff's summary or
/// the visitor's first question. Then writes a `lead_captured` message with the bot's
/// `lead_capture_success` text (`data.ticket_id`, `data.email`), gives the conversation back to the
/// AI (`ai`), and queues the workspace's `ticket.created` webhook and notification email (when
/// configured). Idempotent by `client_id`: a submission whose `client_id` already created a ticket
/// in this conversation answers 200 with that ticket (its current status) and the conversation's
/// current state, and creates nothing, so a double submit makes one ticket. While details are being
/// collected the fields are checked in the order `email`, `name`, `description`, `client_id`; a
/// refusal is 400 naming the field, with a message meant to be shown to the visitor as is (see
/// `LeadRequest`). Outside `lead_capture` a submission can only be a retry: one with a new
/// `client_id`, or with fields that would be refused, is 409 `conflict` (no contact details are
/// being collected).
#[utoipa::path(
    post,
    path = "/api/v1/widget/conversations/{id}/lead",
    tag = "widget",
    operation_id = "submitLead",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    request_body(
        content = LeadRequestDoc,
        example = json!({
            "client_id": "lead-7f3a",
            "email": "ana@example.com",
            "name": "Ana",
            "description": "My card was declined twice at checkout."
        }),
    ),
    responses(
        (
            status = 201,
            description = "The ticket was created; the conversation is back with the AI.",
            body = LeadCapturedResponseDoc,
            example = json!({
                "ticket": {
                    "id": "01973a61-2c3d-7e4f-9a50-6b7c8d9e0f1a",
                    "status": "open"
                },
                "state": "ai"
            }),
        ),
        (
            status = 200,
            description = "A retry: this `client_id` already created a ticket in this \
                           conversation; that ticket is returned and nothing new is created.",
            body = LeadCapturedResponseDoc,
        ),
        (
            status = 400,
            description = "While details are being collected: a field is refused, named in \
                           `error.field` (`email`, `name`, `description` or `client_id`), with a message the \
                           widget can show to the visitor. Or the JSON is malformed or has an unknown field. \
                           Code `invalid`.",
            body = ErrorBody,
            example = json!({
                "error": {
                    "code": "invalid",
                    "message": "the part after the @ should be a domain like example.com",
                    "field": "email"
                }
            }),
        ),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn submit_lead(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
    ApiJson(body): ApiJson<LeadRequest>,
) -> ApiResult<impl IntoResponse> {
    let captured = state
        .submit_lead(
            &conversation,
            LeadSubmission {
                client_key: &body.client_id,
                email: &body.email,
                name: body.name.as_deref(),
                description: body.description.as_deref(),
            },
        )
        .await?;
    let status = if captured.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        axum::Json(json!({
            "ticket": { "id": captured.ticket.id, "status": captured.ticket.status },
            "state": captured.conversation.owner.state_name(),
        })),
    ))
}

/// Decline to leave contact details
///
/// The visitor does not want to leave details (the form's "No thanks"). No request body. No ticket
/// is created: the conversation goes back to the AI (`ai`) and a `lead_declined` message is
/// written. 409 when no details are being collected (state other than `lead_capture`).
#[utoipa::path(
    post,
    path = "/api/v1/widget/conversations/{id}/lead/decline",
    tag = "widget",
    operation_id = "declineLead",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (
            status = 200,
            description = "Back with the AI.",
            body = LeadDeclinedResponseDoc,
            example = json!({"state": "ai"}),
        ),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
async fn decline_lead(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
) -> ApiResult<impl IntoResponse> {
    state.decline_lead(&conversation).await?;
    Ok(axum::Json(json!({ "state": "ai" })))
}

/// `?lang=`: the visitor's language as a BCP 47 tag. Other parameters are ignored, as they were
/// before `lang` existed (a page may add a cache-buster to the widget's requests).
#[derive(Deserialize)]
struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

impl utoipa::IntoParams for LangQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(baton_domain::language::MAX_TAG_CHARS))
            .pattern(Some("^[A-Za-z0-9-]*$"));
        let spoken = Language::ALL
            .iter()
            .map(|l| format!("`{}`", l.code()))
            .collect::<Vec<_>>()
            .join(", ");
        vec![query_param(
            "lang",
            &format!(
                "The visitor's language as a BCP 47 tag (`de`, `de-AT`, `pt-BR`). Only the primary \
                 subtag counts. Spoken: {spoken}; any other language, or none, gives English. A tag \
                 with anything but ASCII letters, digits and hyphens, or longer than {} characters, \
                 is refused with 400 (`field`: `lang`).",
                baton_domain::language::MAX_TAG_CHARS
            ),
            schema,
        )]
    }
}

/// The language a request asks for; absent or unknown is English, malformed is a 400 on `lang`.
pub(super) fn parse_lang(tag: Option<&str>) -> ApiResult<Language> {
    Language::parse_tag(tag.unwrap_or_default())
        .map_err(|e| ApiError::bad_request("lang", format!("invalid lang: {e}")))
}

/// What the widget needs to know about a bot
///
/// Public: no token needed. The widget calls it before a conversation starts to show the bot's name
/// and greeting, whether to offer "Talk to a person", the message size limit, and every text of its
/// own in the visitor's language (`strings`, chosen by `lang`). The greeting is served in that
/// language when the admin translated it (the bot's `translations`), else as written.
#[utoipa::path(
    get,
    path = "/api/v1/widget/bots/{bot_id}",
    tag = "widget",
    operation_id = "getWidgetBot",
    params(("bot_id" = Id, Path, description = "The bot's id."), LangQuery),
    responses(
        (status = 200, description = "The bot.", body = PublicBotDoc),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 410, response = Archived),
    )
)]
async fn bot(
    State(state): State<AppState>,
    PathId(bot_id): PathId<BotId>,
    ApiQuery(query): ApiQuery<LangQuery>,
) -> ApiResult<impl IntoResponse> {
    let language = parse_lang(query.lang.as_deref())?;
    let bot = state.store.bot(bot_id).await?;
    if bot.archived_at.is_some() {
        return Err(ApiError::archived());
    }
    Ok(axum::Json(PublicBotView {
        id: bot.id,
        name: bot.name.clone(),
        greeting: bot_text(&bot, TextKey::Greeting, language).to_owned(),
        handoff_enabled: bot.handoff.enabled,
        lead_capture_enabled: bot.handoff.lead_capture_enabled,
        max_message_bytes: state.config.limits.max_message_bytes,
        email_transcripts: state.config.smtp.is_some(),
        lang: language.code(),
        strings: widget_strings::strings(language),
    }))
}

// Whether a person can be reached right now, and when that changes: the widget shows it honestly
// ("We're online" / "We're away — back Monday 09:00" in the visitor's local time).
/// Whether a person can be reached right now
///
/// Public: no token needed. Lets the widget say honestly whether live chat is available ("We're
/// online" / "We're away — back Monday 09:00"). `live` is true when handoff is enabled, the bot's
/// schedule is open and at least one agent is online with spare capacity; otherwise `reason` says
/// why not. `next_change` is when the schedule next opens or closes (within 366 days).
#[utoipa::path(
    get,
    path = "/api/v1/widget/bots/{bot_id}/availability",
    tag = "widget",
    operation_id = "getWidgetAvailability",
    params(("bot_id" = Id, Path, description = "The bot's id.")),
    responses(
        (
            status = 200,
            description = "Availability now.",
            body = super::schemas::AvailabilityDoc,
            example = json!({
                "at": "2026-11-25T16:30:00.123456Z",
                "live": false,
                "reason": "schedule_closed",
                "schedule_open": false,
                "never_available": false,
                "handoff_enabled": true,
                "next_change": "2026-11-26T08:00:00Z"
            }),
        ),
        (status = 404, response = NotFound),
    )
)]
async fn availability(
    State(state): State<AppState>,
    PathId(bot_id): PathId<BotId>,
) -> ApiResult<impl IntoResponse> {
    let bot = state.store.bot(bot_id).await?;
    let now = jiff::Timestamp::now();
    let a = state.availability(&bot, now).await?;
    Ok(axum::Json(super::admin::availability_json(&a, now, false)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartRequest {
    bot_id: String,
    #[serde(default)]
    visitor_name: Option<String>,
    #[serde(default)]
    identity: Option<IdentityRequest>,
    /// The visitor's language (a BCP 47 tag), for the server's own notes in the conversation.
    #[serde(default)]
    lang: Option<String>,
}

/// A known visitor, as the site vouches for them (docs/api.md, "Known visitors").
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentityRequest {
    external_id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
    signature: String,
}

/// The longest `identity.external_id` accepted.
pub const MAX_EXTERNAL_ID_CHARS: usize = 200;

/// Checks the shape of a claimed identity (the signature is checked against the workspace's
/// secret when the conversation starts).
fn identity_claim(raw: IdentityRequest) -> ApiResult<IdentityClaim> {
    let external_id = raw.external_id.trim().to_owned();
    if external_id.is_empty()
        || external_id.chars().count() > MAX_EXTERNAL_ID_CHARS
        || external_id.chars().any(char::is_control)
    {
        return Err(ApiError::bad_request(
            "identity.external_id",
            format!(
                "external_id must be 1 to {MAX_EXTERNAL_ID_CHARS} characters, without control \
                 characters"
            ),
        ));
    }
    let signature = raw.signature.trim().to_owned();
    if signature.len() != 64 || !signature.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::bad_request(
            "identity.signature",
            "signature must be the 64 hex digits of HMAC-SHA256(identity secret, external_id)",
        ));
    }
    let email = match raw
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => None,
        Some(e) => Some(
            ContactEmail::parse(e)
                .map_err(|p| ApiError::bad_request("identity.email", p.to_string()))?
                .as_str()
                .to_owned(),
        ),
    };
    let name = match raw.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n)
            if n.chars().count() > MAX_VISITOR_NAME_CHARS || n.chars().any(char::is_control) =>
        {
            return Err(ApiError::bad_request(
                "identity.name",
                format!(
                    "the name must be at most {MAX_VISITOR_NAME_CHARS} characters, without control \
                     characters"
                ),
            ));
        }
        other => other.map(str::to_owned),
    };
    Ok(IdentityClaim {
        visitor: KnownVisitor {
            external_id,
            email,
            name,
        },
        signature,
    })
}

/// Start a conversation with a bot
///
/// Creates a conversation owned by the AI and returns the visitor token for it. The token opens
/// this conversation only; it is shown once (the server keeps only a hash) and is sent as
/// `Authorization: Bearer <token>` on the other widget routes and as `?token=` on the widget
/// WebSocket. Rate-limited per client address (default 20 per minute).
#[utoipa::path(
    post,
    path = "/api/v1/widget/conversations",
    tag = "widget",
    operation_id = "startConversation",
    request_body(
        content = StartConversationRequestDoc,
        example = json!({"bot_id": "01973a5e-8c1b-7d3e-9a40-2f5b6c7d8e9f", "visitor_name": "Vera"}),
    ),
    responses(
        (
            status = 201,
            description = "The conversation was created.",
            body = StartConversationResponseDoc,
            example = json!({
                "conversation": {
                    "id": "01973a5f-0a2b-7c4d-8e6f-1a2b3c4d5e6f",
                    "bot_id": "01973a5e-8c1b-7d3e-9a40-2f5b6c7d8e9f",
                    "state": "ai",
                    "agent_name": null,
                    "last_seq": 0,
                    "created_at": "2025-06-01T09:30:00.123456Z"
                },
                "token": "q7Yh3kX9f0w2Lr5tNc8vBp1sDa6eGm4jUz",
                "bot": {
                    "id": "01973a5e-8c1b-7d3e-9a40-2f5b6c7d8e9f",
                    "name": "Demo bot",
                    "greeting": "Hi! How can I help?"
                }
            }),
        ),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 410, response = Archived),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 503, response = Overloaded),
    )
)]
async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<StartRequest>,
) -> ApiResult<impl IntoResponse> {
    let bot_id = parse_id::<BotId>(&body.bot_id, Entity::Bot)?;
    let identity = body.identity.map(identity_claim).transpose()?;
    let language = parse_lang(body.lang.as_deref())?;
    let started = state
        .start_conversation(
            bot_id,
            body.visitor_name.as_deref(),
            identity.as_ref(),
            language,
            ip,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({
            "conversation": VisitorConversationView::new(&started.conversation, None),
            "token": started.token,
            "bot": {
                "id": started.bot.id,
                "name": started.bot.name,
                "greeting": bot_text(&started.bot, TextKey::Greeting, started.conversation.lang),
            },
        })),
    ))
}

/// The visitor's conversation
#[utoipa::path(
    get,
    path = "/api/v1/widget/conversations/{id}",
    tag = "widget",
    operation_id = "getVisitorConversation",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (
            status = 200,
            description = "The conversation as its visitor sees it.",
            body = VisitorConversationDoc,
        ),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn conversation(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
) -> ApiResult<impl IntoResponse> {
    let agent_name = state.agent_name(&conversation).await;
    Ok(axum::Json(VisitorConversationView::new(
        &conversation,
        agent_name,
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    #[serde(default)]
    pub after: i64,
    #[serde(default = "default_limit")]
    pub limit: u32,
}

/// The page size when `limit` is absent.
const DEFAULT_HISTORY_PAGE: u32 = 100;

fn default_limit() -> u32 {
    DEFAULT_HISTORY_PAGE
}

// Written out: the limits are the constants `check_history_query` uses.
impl utoipa::IntoParams for HistoryQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let mut after = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .minimum(Some(0))
            .default(Some(json!(0)))
            .build();
        after.description = None;
        vec![
            query_param(
                "after",
                "Only messages with a sequence number greater than this; 0 = from the start.",
                after,
            ),
            query_param(
                "limit",
                "At most this many messages.",
                integer(
                    1,
                    MAX_HISTORY_PAGE as usize,
                    Some(DEFAULT_HISTORY_PAGE as usize),
                ),
            ),
        ]
    }
}

/// The largest page of history.
pub const MAX_HISTORY_PAGE: u32 = 500;

pub fn check_history_query(q: &HistoryQuery) -> ApiResult<()> {
    if q.after < 0 {
        return Err(ApiError::bad_request(
            "after",
            "after must be 0 or a sequence number",
        ));
    }
    if q.limit == 0 || q.limit > MAX_HISTORY_PAGE {
        return Err(ApiError::bad_request(
            "limit",
            format!("limit must be between 1 and {MAX_HISTORY_PAGE}"),
        ));
    }
    Ok(())
}

/// Message history
///
/// The conversation's log in sequence order, starting after `after`. Includes system events
/// (handoff requested, agent joined, ...). Page with `after` = the last `seq` received until fewer
/// than `limit` messages come back.
#[utoipa::path(
    get,
    path = "/api/v1/widget/conversations/{id}/messages",
    tag = "widget",
    operation_id = "listVisitorMessages",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id."), HistoryQuery),
    responses(
        (status = 200, description = "A page of messages.", body = super::schemas::MessagePageDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn history(
    State(state): State<AppState>,
    PathId(id): PathId<ConversationId>,
    VisitorToken(token): VisitorToken,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<impl IntoResponse> {
    check_history_query(&q)?;
    let conversation = state.visitor_conversation(id, &token).await?;
    let messages = state
        .store
        .messages(conversation.id, q.after, q.limit)
        .await?;
    let views: Vec<MessageView> = messages.iter().map(MessageView::from).collect();
    Ok(axum::Json(
        json!({ "messages": views, "last_seq": conversation.last_seq }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    pub client_id: String,
    pub text: String,
}

/// Send a message as the visitor
///
/// Stores the message, then lets the bot answer if the AI owns the conversation (the answer arrives
/// on the WebSocket and in the history). Idempotent by `client_id`: a retry with a `client_id`
/// already stored in this conversation returns the stored message with 200 and creates nothing. A
/// message to a closed conversation reopens it (state back to `ai`). While the conversation is
/// `lead_capture` the bot does not answer; the message is read for contact details instead: a valid
/// email address creates the ticket as the form would (`lead_captured`, back to `ai`), an invalid
/// address or anything unclear gets a `lead_retry` re-prompt that says what is wrong, and a refusal
/// such as "no thanks" goes back to the AI (`lead_declined`). Rate-limited per conversation
/// (default 30 per minute, bursts of 10); a retry of a stored message does not count.
#[utoipa::path(
    post,
    path = "/api/v1/widget/conversations/{id}/messages",
    tag = "widget",
    operation_id = "sendVisitorMessage",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    request_body(
        content = super::schemas::SendMessageRequestDoc,
        example = json!({"client_id": "v-3f9c2a", "text": "Where is my order?"}),
    ),
    responses(
        (
            status = 201,
            description = "The message was stored.",
            body = super::schemas::MessageEnvelopeDoc,
            example = json!({
                "message": {
                    "id": "01973a60-1b2c-7d3e-8f40-5a6b7c8d9e0f",
                    "conversation_id": "01973a5f-0a2b-7c4d-8e6f-1a2b3c4d5e6f",
                    "seq": 1,
                    "kind": "text",
                    "author_kind": "visitor",
                    "author_name": "Vera",
                    "text": "Where is my order?",
                    "client_id": "v-3f9c2a",
                    "data": null,
                    "created_at": "2025-06-01T09:30:05.000123Z"
                }
            }),
        ),
        (
            status = 200,
            description = "A retry: this `client_id` was already stored; the stored message is \
                           returned and nothing new is created.",
            body = super::schemas::MessageEnvelopeDoc,
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = TooManyRequests),
        (status = 503, response = Overloaded),
    )
)]
async fn send(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
    ApiJson(body): ApiJson<SendRequest>,
) -> ApiResult<impl IntoResponse> {
    let appended = state
        .post_visitor_message(&conversation, &body.client_id, &body.text)
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

/// Ask for a person
///
/// The visitor pressed "Talk to a person" (trigger `user_request`). No request body. If handoff is
/// enabled for the bot and at least one agent is online with spare capacity, the handoff is live:
/// the conversation goes to `waiting`, every online agent of the workspace is notified, and it must
/// be accepted within the bot's accept timeout. Otherwise the handoff is recorded with status
/// `offline` and an `offline_reason`, and the visitor is shown why and the bot's offline message
/// (`handoff_offline`). Then, when the bot has `lead_capture_enabled`, the conversation goes to
/// `lead_capture` and a second message, `lead_requested`, asks for contact details for a ticket
/// (see `POST /api/v1/widget/conversations/{id}/lead`); without it the conversation stays with the
/// AI. Either way the answer is 202 with the handoff, the conversation's new state, and the system
/// messages written for the visitor. 409 when the conversation is not `ai` (a handoff is waiting,
/// an agent owns it, details are being collected, or it is closed).
#[utoipa::path(
    post,
    path = "/api/v1/widget/conversations/{id}/handoff",
    tag = "widget",
    operation_id = "requestHandoff",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (
            status = 202,
            description = "The handoff was requested (live or offline).",
            body = HandoffRequestedResponseDoc,
        ),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
async fn request_handoff(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
) -> ApiResult<impl IntoResponse> {
    let decision = HandoffDecision {
        trigger: Trigger::UserRequest,
        reason: "The visitor pressed \"Talk to a person\".".into(),
        summary: None,
    };
    let change = state.request_handoff(conversation.id, decision).await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(json!({
            "handoff": HandoffView::from(&change.handoff),
            "state": change.conversation.owner.state_name(),
            "messages": change.messages.iter().map(MessageView::from).collect::<Vec<_>>(),
        })),
    ))
}

/// Stop waiting and go back to the AI
///
/// Withdraws the waiting handoff (status `cancelled`); the conversation goes back to `ai` and the
/// handoff disappears from every panel. 409 when no handoff is waiting.
#[utoipa::path(
    delete,
    path = "/api/v1/widget/conversations/{id}/handoff",
    tag = "widget",
    operation_id = "cancelHandoff",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    responses(
        (
            status = 200,
            description = "The handoff was cancelled.",
            body = HandoffCancelledResponseDoc,
        ),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
async fn cancel_handoff(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
) -> ApiResult<impl IntoResponse> {
    let change = state.cancel_handoff(conversation.id).await?;
    Ok(axum::Json(json!({
        "handoff": HandoffView::from(&change.handoff),
        "state": change.conversation.owner.state_name(),
    })))
}

/// A conversation as its visitor sees it.
#[derive(ToSchema)]
#[schema(as = VisitorConversation)]
#[allow(dead_code)]
pub struct VisitorConversationDoc {
    id: Id,
    bot_id: Id,
    state: super::schemas::ConversationStateDoc,
    /// The display name of the agent who owns the conversation, when `human`.
    #[schema(required = true)]
    agent_name: Option<String>,
    #[schema(minimum = 0)]
    last_seq: i64,
    created_at: Timestamp,
}

#[derive(ToSchema)]
#[schema(as = HandoffRequestedResponse)]
#[allow(dead_code)]
pub struct HandoffRequestedResponseDoc {
    handoff: super::schemas::HandoffDoc,
    state: super::schemas::ConversationStateDoc,
    /// The system messages written for the visitor, in order: `handoff_requested` (we are
    /// connecting you), or `handoff_offline` (why nobody can come, then the bot's offline message)
    /// followed, when the bot has lead capture on, by `lead_requested` (the request for contact
    /// details, state `lead_capture`).
    #[schema(min_items = 1, max_items = 2)]
    messages: Vec<super::schemas::MessageDoc>,
}

#[derive(ToSchema)]
#[schema(as = HandoffCancelledResponse)]
#[allow(dead_code)]
pub struct HandoffCancelledResponseDoc {
    handoff: super::schemas::HandoffDoc,
    state: super::schemas::ConversationStateDoc,
}

/// The language of `strings`: the one `lang` asked for, or `en` when it is not spoken.
#[derive(ToSchema)]
#[allow(dead_code)]
enum PublicBotLangDoc {
    #[schema(rename = "en")]
    En,
    #[schema(rename = "de")]
    De,
    #[schema(rename = "fr")]
    Fr,
    #[schema(rename = "es")]
    Es,
    #[schema(rename = "pt")]
    Pt,
}

/// What the widget needs to know about a bot.
#[derive(ToSchema)]
#[schema(as = PublicBot)]
#[allow(dead_code)]
pub struct PublicBotDoc {
    id: Id,
    name: String,
    /// In the language of `lang` when the admin translated it, else as written.
    greeting: String,
    handoff_enabled: bool,
    /// Whether the visitor can leave contact details for a ticket (the bot's lead capture setting):
    /// offer "Leave a message" only then.
    lead_capture_enabled: bool,
    /// The server's message size limit in UTF-8 bytes (default 4096).
    #[schema(minimum = 1)]
    max_message_bytes: i32,
    /// Whether the visitor may have the conversation emailed (`POST …/transcript`): the server
    /// sends email.
    email_transcripts: bool,
    #[schema(inline)]
    lang: PublicBotLangDoc,
    /// Every text the widget shows (buttons, states, errors, labels for screen readers), by key.
    /// Parts the widget fills in are written `{name}`, e.g. `"You're number {position} in the
    /// queue."`. Every language has the same keys and placeholders.
    #[schema(schema_with = strings_schema)]
    strings: std::collections::BTreeMap<String, String>,
}

#[derive(ToSchema)]
#[schema(as = StartConversationRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct StartConversationRequestDoc {
    /// The bot to talk to. Unknown or malformed: 404.
    bot_id: String,
    /// Optional; trimmed, at most 80 characters, no control characters. Blank means no name.
    #[schema(schema_with = visitor_name_schema)]
    visitor_name: Option<String>,
    #[schema(required = false)]
    identity: VisitorIdentityDoc,
    /// The visitor's language as a BCP 47 tag (`de`, `pt-BR`), stored with the conversation: the
    /// server's own notes to the visitor (connecting to a person, back with the AI, why no person
    /// can chat) are written in it. Its primary subtag counts; a language not spoken (or none) is
    /// English. Malformed: 400 naming `lang`. Texts the admin writes are shown as written.
    #[schema(schema_with = start_lang_schema)]
    lang: Option<String>,
}

/// A visitor the site knows (a logged-in customer). `signature` is the hex HMAC-SHA256 of
/// `external_id` under the workspace's identity secret (`POST
/// /api/v1/integrations/identity-secret`), made by the site's server. A valid one marks the
/// conversation's visitor verified with this email and name; a wrong one (or a workspace without a
/// secret) is 403 and creates nothing; a malformed field is 400 naming it (`identity.signature`,
/// …).
#[derive(ToSchema)]
#[schema(as = VisitorIdentity)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct VisitorIdentityDoc {
    /// The site's own id for the visitor; no control characters.
    #[schema(schema_with = external_id_schema)]
    external_id: String,
    /// The visitor's email, used instead of asking for it.
    email: Option<String>,
    /// Shown to agents instead of `visitor_name`.
    #[schema(schema_with = identity_name_schema)]
    name: Option<String>,
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    signature: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct StartConversationResponseBotDoc {
    id: Id,
    name: String,
    greeting: String,
}

#[derive(ToSchema)]
#[schema(as = StartConversationResponse)]
#[allow(dead_code)]
pub struct StartConversationResponseDoc {
    conversation: VisitorConversationDoc,
    /// The visitor token for this conversation. Shown once: keep it.
    token: String,
    #[schema(inline)]
    bot: StartConversationResponseBotDoc,
}

/// The conversation's state now.
#[derive(ToSchema)]
#[allow(dead_code)]
enum TicketRequestedResponseStateDoc {
    #[schema(rename = "lead_capture")]
    LeadCapture,
}

#[derive(ToSchema)]
#[schema(as = TicketRequestedResponse)]
#[allow(dead_code)]
pub struct TicketRequestedResponseDoc {
    #[schema(inline)]
    state: TicketRequestedResponseStateDoc,
}

/// The conversation's state now.
#[derive(ToSchema)]
#[allow(dead_code)]
enum LeadDeclinedResponseStateDoc {
    #[schema(rename = "ai")]
    Ai,
}

#[derive(ToSchema)]
#[schema(as = LeadDeclinedResponse)]
#[allow(dead_code)]
pub struct LeadDeclinedResponseDoc {
    #[schema(inline)]
    state: LeadDeclinedResponseStateDoc,
}

#[derive(ToSchema)]
#[schema(as = LeadRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct LeadRequestDoc {
    /// The submission's idempotency key, unique within the conversation: 1 to 64 of letters,
    /// digits, `-`, `_`, `.`, `:` (the same rules as a message's client_id). Reuse it when retrying
    /// the same submission.
    #[schema(schema_with = lead_client_id_schema)]
    client_id: String,
    /// Trimmed, and a leading `mailto:` removed. Then: no whitespace or control characters; exactly
    /// one `@`; before it 1 to 64 characters of letters, digits and ``!#$%&'*+-/=?^_`{|}~.``, not
    /// starting or ending with `.` and without `..`; at most 254 bytes in all; after it a domain of
    /// at least two dot-separated labels of 1 to 63 letters, digits or hyphens (not starting or
    /// ending with a hyphen), the last one of at least two letters, so no IP addresses. Stored with
    /// the domain lower-cased and the part before the `@` as typed. Each problem has its own
    /// message: `please type your email address`; `that email address contains spaces or invisible
    /// characters` (also for a character not allowed before the `@`, or a misplaced dot); `that
    /// email address has no @ — it should look like name@example.com`; `that email address has more
    /// than one @`; `that email address has nothing before the @`; `the part before the @ is N
    /// characters long; the limit is 64`; `that email address is longer than 254 characters`; `the
    /// part after the @ should be a domain like example.com`.
    #[schema(schema_with = lead_email_schema)]
    email: String,
    /// Optional. Control characters (CR and LF included) and runs of whitespace become single
    /// spaces and the ends are trimmed; then at most 100 characters (`the name must be at most 100
    /// characters`). Absent, null or blank: no name.
    #[schema(schema_with = lead_name_schema)]
    name: Option<String>,
    /// Optional: the problem in the visitor's words. Newlines are kept, other control characters
    /// removed, the ends trimmed; then at most 2000 characters (`the description must be at most
    /// 2000 characters`). Absent, null or blank: the visitor's first and latest messages, as the
    /// form was prefilled.
    #[schema(schema_with = lead_description_schema)]
    description: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LeadCapturedResponseTicketDoc {
    id: Id,
    status: super::schemas::TicketStatusDoc,
}

#[derive(ToSchema)]
#[schema(as = LeadCapturedResponse)]
#[allow(dead_code)]
pub struct LeadCapturedResponseDoc {
    #[schema(inline)]
    ticket: LeadCapturedResponseTicketDoc,
    state: super::schemas::ConversationStateDoc,
}

fn strings_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1)),
            ))
            .examples([
                json!({"talk_to_person": "Mit einer Person sprechen", "queue_position": "Sie sind \
                                                                                         Nummer {position} in der Warteschlange."}),
            ])
            .description(Some(
                "Every text the widget shows (buttons, states, errors, labels for screen \
                 readers), by key. Parts the widget fills in are written `{name}`, e.g. `\"You're number \
                 {position} in the queue.\"`. Every language has the same keys and placeholders.",
            ))
            .build(),
    )
}

fn visitor_name_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .max_length(Some(crate::service::MAX_VISITOR_NAME_CHARS))
            .description(Some(
                "Optional; trimmed, at most 80 characters, no control characters. Blank means no \
                 name.",
            ))
            .build(),
    )
}

fn start_lang_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(baton_domain::language::MAX_TAG_CHARS))
            .pattern(Some("^[A-Za-z0-9-]*$"))
            .description(Some(
                "The visitor's language as a BCP 47 tag (`de`, `pt-BR`), stored with the \
                 conversation: the server's own notes to the visitor (connecting to a person, back with the AI, \
                 why no person can chat) are written in it. Its primary subtag counts; a language not spoken (or \
                 none) is English. Malformed: 400 naming `lang`. Texts the admin writes are shown as written.",
            ))
            .build(),
    )
}

fn external_id_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_EXTERNAL_ID_CHARS,
        "The site's own id for the visitor; no control characters.",
    )
}

fn identity_name_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .max_length(Some(crate::service::MAX_VISITOR_NAME_CHARS))
            .description(Some("Shown to agents instead of `visitor_name`."))
            .build(),
    )
}

fn lead_client_id_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(baton_domain::message::ClientMessageId::MAX_LEN))
            .pattern(Some(format!(
                "^[A-Za-z0-9._:-]{{1,{}}}$",
                baton_domain::message::ClientMessageId::MAX_LEN
            )))
            .description(Some(
                "The submission's idempotency key, unique within the conversation: 1 to 64 of \
                 letters, digits, `-`, `_`, `.`, `:` (the same rules as a message's client_id). Reuse it when \
                 retrying the same submission.",
            ))
            .build(),
    )
}

fn lead_email_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::Custom("email".into())))
            .min_length(Some(1))
            .max_length(Some(baton_domain::contact::MAX_EMAIL_LEN))
            .examples([serde_json::json!("ana@example.com")])
            .description(Some(
                "Trimmed, and a leading `mailto:` removed. Then: no whitespace or control \
                 characters; exactly one `@`; before it 1 to 64 characters of letters, digits and \
                 ``!#$%&'*+-/=?^_`{|}~.``, not starting or ending with `.` and without `..`; at most 254 bytes in \
                 all; after it a domain of at least two dot-separated labels of 1 to 63 letters, digits or hyphens \
                 (not starting or ending with a hyphen), the last one of at least two letters, so no IP addresses. \
                 Stored with the domain lower-cased and the part before the `@` as typed. Each problem has its own \
                 message: `please type your email address`; `that email address contains spaces or invisible \
                 characters` (also for a character not allowed before the `@`, or a misplaced dot); `that email \
                 address has no @ — it should look like name@example.com`; `that email address has more than one \
                 @`; `that email address has nothing before the @`; `the part before the @ is N characters long; \
                 the limit is 64`; `that email address is longer than 254 characters`; `the part after the @ \
                 should be a domain like example.com`.",
            ))
            .build(),
    )
}

fn lead_name_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(baton_domain::contact::MAX_NAME_CHARS))
            .description(Some(
                "Optional. Control characters (CR and LF included) and runs of whitespace become \
                 single spaces and the ends are trimmed; then at most 100 characters (`the name must be at most \
                 100 characters`). Absent, null or blank: no name.",
            ))
            .build(),
    )
}

fn lead_description_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .max_length(Some(baton_domain::contact::MAX_DESCRIPTION_CHARS))
            .description(Some(
                "Optional: the problem in the visitor's words. Newlines are kept, other control \
                 characters removed, the ends trimmed; then at most 2000 characters (`the description must be at \
                 most 2000 characters`). Absent, null or blank: the visitor's first and latest messages, as the \
                 form was prefilled.",
            ))
            .build(),
    )
}

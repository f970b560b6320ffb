//! The visitor (widget) API: start a conversation, send messages, ask for a person or go back to
//! the AI, read history. Callable from any site (CORS); authorised by the conversation's token.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use baton_domain::contact::ContactEmail;
use baton_domain::entity::Entity;
use baton_domain::handoff::{HandoffDecision, Trigger};
use baton_domain::ids::{BotId, ConversationId};
use baton_domain::language::Language;
use baton_domain::texts::TextKey;
use baton_storage::KnownVisitor;
use serde::Deserialize;
use serde_json::json;

use super::auth::{VisitorConversation, VisitorToken};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, ClientIp, PathId, parse_id};
use crate::service::visitor_texts::bot_text;
use crate::service::{IdentityClaim, LeadSubmission, MAX_VISITOR_NAME_CHARS};
use crate::state::AppState;
use crate::views::{HandoffView, MessageView, PublicBotView, VisitorConversationView};
use crate::widget_strings;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/widget/bots/{bot_id}", get(bot))
        .route(
            "/api/v1/widget/bots/{bot_id}/availability",
            get(availability),
        )
        .route("/api/v1/widget/conversations", post(start))
        .route("/api/v1/widget/conversations/{id}", get(conversation))
        .route(
            "/api/v1/widget/conversations/{id}/messages",
            get(history).post(send),
        )
        .route(
            "/api/v1/widget/conversations/{id}/handoff",
            post(request_handoff).delete(cancel_handoff),
        )
        .route(
            "/api/v1/widget/conversations/{id}/ticket",
            post(request_ticket),
        )
        .route("/api/v1/widget/conversations/{id}/lead", post(submit_lead))
        .route(
            "/api/v1/widget/conversations/{id}/lead/decline",
            post(decline_lead),
        )
        .route(
            "/api/v1/widget/conversations/{id}/transcript",
            post(email_transcript),
        )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TranscriptRequest {
    /// Where to send it; a known visitor's own address when left out.
    #[serde(default)]
    email: Option<String>,
}

/// Emails the conversation to the visitor (through the outbox, when the server has SMTP).
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

/// The visitor asks to leave details for a ticket (at any time the AI has the conversation).
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

/// The inline form's submission. A double submit with the same client_id creates one ticket.
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

/// The language a request asks for; absent or unknown is English, malformed is a 400 on `lang`.
pub(super) fn parse_lang(tag: Option<&str>) -> ApiResult<Language> {
    Language::parse_tag(tag.unwrap_or_default())
        .map_err(|e| ApiError::bad_request("lang", format!("invalid lang: {e}")))
}

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

/// Whether a person can be reached right now, and when that changes: the widget shows it honestly
/// ("We're online" / "We're away — back Monday 09:00" in the visitor's local time).
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
                "external_id must be 1 to {MAX_EXTERNAL_ID_CHARS} characters, without control characters"
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
                    "the name must be at most {MAX_VISITOR_NAME_CHARS} characters, without control characters"
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

fn default_limit() -> u32 {
    100
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

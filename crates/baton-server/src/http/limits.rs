//! `GET /api/v1/limits` (docs/api.md, "Limits"): the sizes and counts the server enforces on what
//! agents and admins edit, so that the panel and the Agent Editor check the same numbers before
//! sending. Every figure is read from the constant or the configuration the validators use; this
//! module owns none of them and checks nothing.

use axum::extract::State;
use axum::response::IntoResponse;
use baton_domain::account::{MAX_CHATS_LIMIT, MAX_DISPLAY_NAME_CHARS};
use baton_domain::schedule::{MAX_OVERRIDES, MAX_SLOTS_PER_DAY};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::CurrentAgent;
use super::openapi::Unauthorized;
use super::{admin, knowledge, saved_replies, tickets};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(limits))
}

// Any signed-in agent may read them: they are the same for every workspace of this server.
/// The limits the server enforces on what agents and admins edit
///
/// Sizes and counts, the same for every workspace of this server, read from the rules the server
/// checks, so that the panel and the editor check the same numbers before sending.
#[utoipa::path(
    get,
    path = "/api/v1/limits",
    tag = "agent",
    operation_id = "getLimits",
    security(("agentSession" = [])),
    responses(
        (status = 200, description = "The limits.", body = LimitsDoc),
        (status = 401, response = Unauthorized),
    )
)]
async fn limits(State(state): State<AppState>, _agent: CurrentAgent) -> impl IntoResponse {
    let config = &state.config.limits;
    axum::Json(json!({
        "message_bytes": config.max_message_bytes,
        "attachment_bytes": config.max_attachment_bytes,
        "handoff": {
            "accept_timeout_seconds": {
                "min": admin::MIN_ACCEPT_TIMEOUT_SECONDS,
                "max": admin::MAX_ACCEPT_TIMEOUT_SECONDS,
            },
            "instruction_chars": admin::MAX_INSTRUCTION_CHARS,
            "offline_message_chars": admin::MAX_OFFLINE_MESSAGE_CHARS,
        },
        "schedule": {
            "slots_per_day": MAX_SLOTS_PER_DAY,
            "overrides": MAX_OVERRIDES,
        },
        "bot": {
            "name_chars": admin::MAX_BOT_NAME_CHARS,
            "greeting_chars": admin::MAX_GREETING_CHARS,
            "persona_chars": admin::MAX_PERSONA_CHARS,
        },
        "knowledge": {
            "title_chars": knowledge::MAX_TITLE_CHARS,
            "answer_chars": knowledge::MAX_ANSWER_CHARS,
            "document_bytes": knowledge::MAX_DOCUMENT_BYTES,
            "entries_per_bot": knowledge::MAX_ENTRIES_PER_BOT,
            "search_query_bytes": knowledge::MAX_QUERY_BYTES,
        },
        "saved_replies": {
            "shortcut_chars": saved_replies::MAX_SHORTCUT_CHARS,
            "text_chars": saved_replies::MAX_SAVED_REPLY_CHARS,
            "per_workspace": saved_replies::MAX_SAVED_REPLIES,
        },
        "agent": {
            "display_name_chars": MAX_DISPLAY_NAME_CHARS,
            "max_chats": MAX_CHATS_LIMIT,
        },
        "ticket_note_chars": tickets::MAX_NOTE_CHARS,
    }))
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LimitsHandoffAcceptTimeoutSecondsDoc {
    min: i32,
    max: i32,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LimitsHandoffDoc {
    #[schema(inline)]
    accept_timeout_seconds: LimitsHandoffAcceptTimeoutSecondsDoc,
    instruction_chars: i32,
    /// Also the lead capture prompt and success message.
    offline_message_chars: i32,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LimitsScheduleDoc {
    slots_per_day: i32,
    overrides: i32,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LimitsBotDoc {
    name_chars: i32,
    greeting_chars: i32,
    persona_chars: i32,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LimitsKnowledgeDoc {
    title_chars: i32,
    answer_chars: i32,
    document_bytes: i32,
    entries_per_bot: i32,
    search_query_bytes: i32,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LimitsSavedRepliesDoc {
    shortcut_chars: i32,
    text_chars: i32,
    per_workspace: i32,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LimitsAgentDoc {
    display_name_chars: i32,
    max_chats: i32,
}

/// Character counts are Unicode scalar values; sizes are UTF-8 bytes.
#[derive(ToSchema)]
#[schema(as = Limits)]
#[allow(dead_code)]
pub struct LimitsDoc {
    message_bytes: i32,
    attachment_bytes: i32,
    #[schema(inline)]
    handoff: LimitsHandoffDoc,
    #[schema(inline)]
    schedule: LimitsScheduleDoc,
    #[schema(inline)]
    bot: LimitsBotDoc,
    #[schema(inline)]
    knowledge: LimitsKnowledgeDoc,
    #[schema(inline)]
    saved_replies: LimitsSavedRepliesDoc,
    #[schema(inline)]
    agent: LimitsAgentDoc,
    ticket_note_chars: i32,
}

//! `GET /api/v1/limits` (docs/api.md, "Limits"): the sizes and counts the server enforces on what
//! agents and admins edit, so that the panel and the Agent Editor check the same numbers before
//! sending. Every figure is read from the constant or the configuration the validators use; this
//! module owns none of them and checks nothing.

use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use baton_domain::account::{MAX_CHATS_LIMIT, MAX_DISPLAY_NAME_CHARS};
use baton_domain::schedule::{MAX_OVERRIDES, MAX_SLOTS_PER_DAY};
use serde_json::json;

use super::auth::CurrentAgent;
use super::{admin, knowledge, saved_replies, tickets};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/limits", get(limits))
}

/// Any signed-in agent may read them: they are the same for every workspace of this server.
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

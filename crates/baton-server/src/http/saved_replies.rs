//! Saved replies (docs/api.md, "Saved replies"): canned answers agents insert by typing
//! `/shortcut` in the reply box or from its picker. Every agent reads them; admins manage them.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, put};
use baton_domain::ids::SavedReplyId;
use baton_storage::SavedReply;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::auth::{AdminAgent, CurrentAgent};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, PathId};
use crate::state::AppState;

/// Limits on saved replies (named and checked at the edge).
pub const MAX_SAVED_REPLIES: u32 = 500;
pub const MAX_SHORTCUT_CHARS: usize = 32;
pub const MAX_SAVED_REPLY_CHARS: usize = 2000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/saved-replies", get(list).post(add))
        .route("/api/v1/saved-replies/{id}", put(update).delete(remove))
}

#[derive(Serialize)]
struct SavedReplyView {
    id: Uuid,
    shortcut: String,
    text: String,
    created_at: String,
    updated_at: String,
}

impl From<&SavedReply> for SavedReplyView {
    fn from(r: &SavedReply) -> Self {
        SavedReplyView {
            id: r.id,
            shortcut: r.shortcut.clone(),
            text: r.body.clone(),
            created_at: r.created_at.to_string(),
            updated_at: r.updated_at.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedReplyRequest {
    shortcut: String,
    text: String,
}

/// The shortcut lower-cased without a leading `/`, and the text trimmed; or a 400 naming the
/// field.
fn checked(body: &SavedReplyRequest) -> ApiResult<(String, String)> {
    let shortcut = body.shortcut.trim().trim_start_matches('/').to_lowercase();
    let shortcut_ok = !shortcut.is_empty()
        && shortcut.chars().count() <= MAX_SHORTCUT_CHARS
        && shortcut
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !shortcut_ok {
        return Err(ApiError::bad_request(
            "shortcut",
            format!(
                "the shortcut must be 1 to {MAX_SHORTCUT_CHARS} letters, digits, - or _ (typed after / in the reply box)"
            ),
        ));
    }
    let text = body.text.trim();
    let control = text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t');
    if text.is_empty() || text.chars().count() > MAX_SAVED_REPLY_CHARS || control {
        return Err(ApiError::bad_request(
            "text",
            format!(
                "the text must be 1 to {MAX_SAVED_REPLY_CHARS} characters, without control characters"
            ),
        ));
    }
    Ok((shortcut, text.to_owned()))
}

async fn list(
    State(state): State<AppState>,
    current: CurrentAgent,
) -> ApiResult<impl IntoResponse> {
    let replies = state
        .store
        .saved_replies(current.agent.workspace_id)
        .await?;
    let views: Vec<SavedReplyView> = replies.iter().map(SavedReplyView::from).collect();
    Ok(axum::Json(json!({ "saved_replies": views })))
}

async fn add(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    ApiJson(body): ApiJson<SavedReplyRequest>,
) -> ApiResult<impl IntoResponse> {
    let (shortcut, text) = checked(&body)?;
    let reply = state
        .store
        .add_saved_reply(admin.workspace_id, &shortcut, &text, MAX_SAVED_REPLIES)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "saved_reply": SavedReplyView::from(&reply) })),
    ))
}

async fn update(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<SavedReplyId>,
    ApiJson(body): ApiJson<SavedReplyRequest>,
) -> ApiResult<impl IntoResponse> {
    let (shortcut, text) = checked(&body)?;
    let reply = state
        .store
        .update_saved_reply(admin.workspace_id, id.as_uuid(), &shortcut, &text)
        .await?;
    Ok(axum::Json(
        json!({ "saved_reply": SavedReplyView::from(&reply) }),
    ))
}

async fn remove(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<SavedReplyId>,
) -> ApiResult<impl IntoResponse> {
    state
        .store
        .delete_saved_reply(admin.workspace_id, id.as_uuid())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

//! Saved replies (docs/api.md, "Saved replies"): canned answers agents insert by typing
//! `/shortcut` in the reply box or from its picker. Every agent reads them; admins manage them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baton_domain::ids::SavedReplyId;
use baton_storage::SavedReply;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::auth::{AdminAgent, CurrentAgent};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, PathId};
use super::openapi::{
    BadRequest, Conflict, Forbidden, Id, NotFound, PayloadTooLarge, Timestamp, Unauthorized,
    UnsupportedMediaType, text,
};
use crate::state::AppState;

/// Limits on saved replies (named and checked at the edge).
pub const MAX_SAVED_REPLIES: u32 = 500;
pub const MAX_SHORTCUT_CHARS: usize = 32;
pub const MAX_SAVED_REPLY_CHARS: usize = 2000;
/// The shortcut as it may be typed: its characters plus a leading `/`.
pub const MAX_SHORTCUT_INPUT_CHARS: usize = MAX_SHORTCUT_CHARS + 1;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(update, remove))
}

#[derive(Serialize, ToSchema)]
#[schema(as = SavedReply)]
pub struct SavedReplyView {
    #[schema(value_type = Id)]
    id: Uuid,
    /// Typed after `/` in the reply box.
    #[schema(pattern = "^[a-z0-9_-]{1,32}$")]
    shortcut: String,
    /// The text inserted; `{visitor_name}` and `{agent_name}` are filled in by the panel.
    text: String,
    #[schema(value_type = Timestamp)]
    created_at: String,
    #[schema(value_type = Timestamp)]
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct SavedReplyEnvelope {
    saved_reply: SavedReplyView,
}

#[derive(Serialize, ToSchema)]
pub struct SavedReplyList {
    saved_replies: Vec<SavedReplyView>,
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedReplyRequest {
    #[schema(schema_with = shortcut_schema)]
    shortcut: String,
    #[schema(schema_with = text_schema)]
    text: String,
}

fn shortcut_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_SHORTCUT_INPUT_CHARS,
        "1 to 32 lower-case letters, digits, `-` or `_` (upper case is lowered, a leading `/` \
         dropped).",
    )
}

fn text_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_SAVED_REPLY_CHARS,
        "1 to 2000 characters after trimming, no control characters but newlines and tabs.",
    )
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

/// The workspace's saved replies
///
/// Sorted by shortcut. `{visitor_name}` and `{agent_name}` in a text are filled in by the panel
/// when the reply is inserted.
#[utoipa::path(
    get,
    path = "/api/v1/saved-replies",
    tag = "saved-replies",
    operation_id = "listSavedReplies",
    security(("agentSession" = [])),
    responses(
        (status = 200, description = "The saved replies.", body = SavedReplyList),
        (status = 401, response = Unauthorized),
    )
)]
async fn list(
    State(state): State<AppState>,
    current: CurrentAgent,
) -> ApiResult<Json<SavedReplyList>> {
    let replies = state
        .store
        .saved_replies(current.agent.workspace_id)
        .await?;
    let views: Vec<SavedReplyView> = replies.iter().map(SavedReplyView::from).collect();
    Ok(Json(SavedReplyList {
        saved_replies: views,
    }))
}

/// Add a saved reply (admins)
///
/// The shortcut is stored lower-cased without a leading `/`; it is unique in the workspace (409
/// `taken`, field `shortcut`). At most 500 per workspace (409).
#[utoipa::path(
    post,
    path = "/api/v1/saved-replies",
    tag = "saved-replies",
    operation_id = "createSavedReply",
    security(("agentSession" = [], "csrfToken" = [])),
    request_body(content = SavedReplyRequest, example = json!({
        "shortcut": "refund",
        "text": "Hi {visitor_name}, I've started your refund: it reaches your account within 5 working days. — {agent_name}"
    })),
    responses(
        (status = 201, description = "The saved reply.", body = SavedReplyEnvelope),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn add(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    ApiJson(body): ApiJson<SavedReplyRequest>,
) -> ApiResult<(StatusCode, Json<SavedReplyEnvelope>)> {
    let (shortcut, text) = checked(&body)?;
    let reply = state
        .store
        .add_saved_reply(admin.workspace_id, &shortcut, &text, MAX_SAVED_REPLIES)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SavedReplyEnvelope {
            saved_reply: SavedReplyView::from(&reply),
        }),
    ))
}

/// Change a saved reply (admins)
///
/// Replaces its shortcut and text. Another workspace's saved reply is a 404.
#[utoipa::path(
    put,
    path = "/api/v1/saved-replies/{id}",
    tag = "saved-replies",
    operation_id = "updateSavedReply",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "A saved reply's id.")),
    request_body(content = SavedReplyRequest, example = json!({
        "shortcut": "hello",
        "text": "Hi {visitor_name}, I'm {agent_name}. How can I help?"
    })),
    responses(
        (status = 200, description = "The saved reply as it is now.", body = SavedReplyEnvelope),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn update(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<SavedReplyId>,
    ApiJson(body): ApiJson<SavedReplyRequest>,
) -> ApiResult<Json<SavedReplyEnvelope>> {
    let (shortcut, text) = checked(&body)?;
    let reply = state
        .store
        .update_saved_reply(admin.workspace_id, id.as_uuid(), &shortcut, &text)
        .await?;
    Ok(Json(SavedReplyEnvelope {
        saved_reply: SavedReplyView::from(&reply),
    }))
}

/// Delete a saved reply (admins)
#[utoipa::path(
    delete,
    path = "/api/v1/saved-replies/{id}",
    tag = "saved-replies",
    operation_id = "deleteSavedReply",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "A saved reply's id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn remove(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<SavedReplyId>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_saved_reply(admin.workspace_id, id.as_uuid())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

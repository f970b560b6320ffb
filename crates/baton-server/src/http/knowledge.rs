//! The knowledge of each bot (docs/api.md, "Knowledge"): Q&A entries and Markdown documents,
//! added in the Agent Editor or over this API (admins only), and a search preview of what the
//! engine would find.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, put};
use baton_domain::entity::Entity;
use baton_domain::ids::{BotId, KnowledgeEntryId};
use baton_storage::{Bot, KnowledgeEntry, KnowledgeKind};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::auth::AdminAgent;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId, PathIds};
use crate::state::AppState;

/// Limits on knowledge (named and checked at the edge).
pub const MAX_ENTRIES_PER_BOT: u32 = 5000;
pub const MAX_TITLE_CHARS: usize = 500;
pub const MAX_ANSWER_CHARS: usize = 10_000;
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// The longest question the search preview takes, in bytes.
pub const MAX_SEARCH_QUERY_BYTES: usize = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bots/{id}/knowledge", get(list).post(add))
        .route("/api/v1/bots/{id}/knowledge/search", get(search))
        .route(
            "/api/v1/bots/{id}/knowledge/{entry_id}",
            put(update).delete(remove),
        )
}

#[derive(Serialize)]
struct EntryView {
    id: Uuid,
    kind: &'static str,
    title: String,
    body: String,
    created_at: String,
    updated_at: String,
}

impl From<&KnowledgeEntry> for EntryView {
    fn from(e: &KnowledgeEntry) -> Self {
        EntryView {
            id: e.id,
            kind: e.kind.as_str(),
            title: e.title.clone(),
            body: e.body.clone(),
            created_at: e.created_at.to_string(),
            updated_at: e.updated_at.to_string(),
        }
    }
}

async fn workspace_bot(
    state: &AppState,
    admin: &baton_storage::Agent,
    id: BotId,
) -> ApiResult<Bot> {
    let bot = state.store.bot(id).await?;
    if bot.workspace_id != admin.workspace_id {
        return Err(ApiError::not_found(Entity::Bot));
    }
    Ok(bot)
}

async fn list(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
) -> ApiResult<impl IntoResponse> {
    let bot = workspace_bot(&state, &admin, id).await?;
    let entries = state.store.knowledge(bot.id).await?;
    Ok(axum::Json(
        json!({ "entries": entries.iter().map(EntryView::from).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryRequest {
    kind: String,
    title: String,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateRequest {
    title: String,
    body: String,
}

/// Checks an entry's text for its kind; returns the trimmed title and body.
fn validate(kind: KnowledgeKind, title: &str, body: &str) -> ApiResult<(String, String)> {
    let title = title.trim();
    let body = body.trim();
    let what = if kind == KnowledgeKind::Qa {
        "question"
    } else {
        "title"
    };
    if title.is_empty()
        || title.chars().count() > MAX_TITLE_CHARS
        || title.chars().any(char::is_control)
    {
        return Err(ApiError::bad_request(
            "title",
            format!("the {what} must be 1 to {MAX_TITLE_CHARS} characters on one line"),
        ));
    }
    match kind {
        KnowledgeKind::Qa if body.is_empty() || body.chars().count() > MAX_ANSWER_CHARS => {
            Err(ApiError::bad_request(
                "body",
                format!("the answer must be 1 to {MAX_ANSWER_CHARS} characters"),
            ))
        }
        KnowledgeKind::Document if body.is_empty() || body.len() > MAX_DOCUMENT_BYTES => {
            Err(ApiError::new(
                if body.is_empty() {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::PAYLOAD_TOO_LARGE
                },
                if body.is_empty() {
                    "invalid"
                } else {
                    "too_large"
                },
                format!(
                    "the document must be 1 byte to {} KiB of Markdown",
                    MAX_DOCUMENT_BYTES / 1024
                ),
            )
            .field("body"))
        }
        _ => Ok((title.to_owned(), body.to_owned())),
    }
}

async fn add(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiJson(body): ApiJson<EntryRequest>,
) -> ApiResult<impl IntoResponse> {
    let bot = workspace_bot(&state, &admin, id).await?;
    let kind = KnowledgeKind::parse(&body.kind)
        .ok_or_else(|| ApiError::bad_request("kind", "kind must be \"qa\" or \"document\""))?;
    let (title, text) = validate(kind, &body.title, &body.body)?;
    if state.store.knowledge_count(bot.id).await? >= MAX_ENTRIES_PER_BOT {
        return Err(ApiError::conflict(format!(
            "a bot holds at most {MAX_ENTRIES_PER_BOT} knowledge entries"
        )));
    }
    let entry = state
        .store
        .add_knowledge(bot.id, kind, &title, &text)
        .await?;
    state.knowledge_changed(bot.id);
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "entry": EntryView::from(&entry) })),
    ))
}

async fn update(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathIds(id, entry_id): PathIds<BotId, KnowledgeEntryId>,
    ApiJson(body): ApiJson<UpdateRequest>,
) -> ApiResult<impl IntoResponse> {
    let bot = workspace_bot(&state, &admin, id).await?;
    let entry_id = entry_id.as_uuid();
    let entries = state.store.knowledge(bot.id).await?;
    let existing = entries
        .iter()
        .find(|e| e.id == entry_id)
        .ok_or_else(|| ApiError::not_found(Entity::KnowledgeEntry))?;
    let (title, text) = validate(existing.kind, &body.title, &body.body)?;
    state
        .store
        .update_knowledge(bot.id, entry_id, &title, &text)
        .await?;
    state.knowledge_changed(bot.id);
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathIds(id, entry_id): PathIds<BotId, KnowledgeEntryId>,
) -> ApiResult<impl IntoResponse> {
    let bot = workspace_bot(&state, &admin, id).await?;
    let entry_id = entry_id.as_uuid();
    state.store.delete_knowledge(bot.id, entry_id).await?;
    state.knowledge_changed(bot.id);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    q: String,
    #[serde(default)]
    k: Option<usize>,
}

/// What the engine would retrieve for a question (for the editor's preview and for tests).
async fn search(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<impl IntoResponse> {
    let bot = workspace_bot(&state, &admin, id).await?;
    if q.q.trim().is_empty() || q.q.len() > MAX_SEARCH_QUERY_BYTES {
        return Err(ApiError::bad_request(
            "q",
            format!("q must be 1 to {MAX_SEARCH_QUERY_BYTES} bytes"),
        ));
    }
    let k = q.k.unwrap_or(5).clamp(1, 20);
    let index = state.knowledge_index(bot.id).await;
    let hits = index.search(&q.q, k);
    Ok(axum::Json(json!({ "hits": hits })))
}

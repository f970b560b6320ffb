//! The knowledge of each bot (docs/api.md, "Knowledge"): Q&A entries and Markdown documents,
//! added in the Agent Editor or over this API (admins only), and a search preview of what the
//! engine would find.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baton_ai::knowledge::Hit;
use baton_domain::entity::Entity;
use baton_domain::ids::{BotId, KnowledgeEntryId};
use baton_storage::{Bot, KnowledgeEntry, KnowledgeKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::auth::AdminAgent;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId, PathIds};
use super::openapi::{
    BadRequest, Conflict, Forbidden, Id, NotFound, PayloadTooLarge, Timestamp, Unauthorized,
    UnsupportedMediaType, component, integer, list_of, max_bytes_string, text,
};
use crate::state::AppState;

/// Limits on knowledge (named and checked at the edge).
pub const MAX_ENTRIES_PER_BOT: u32 = 5000;
pub const MAX_TITLE_CHARS: usize = 500;
pub const MAX_ANSWER_CHARS: usize = 10_000;
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Longest question a search takes, in UTF-8 bytes.
pub const MAX_QUERY_BYTES: usize = 1000;
/// Most passages a search returns (`k` is clamped to 1 to this).
pub const MAX_HITS: usize = 20;
/// Passages a search returns when `k` is not given.
pub const DEFAULT_HITS: usize = 5;

/// The schemas only `schema_with` functions name, which utoipa cannot follow.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(HitDoc)))]
struct Schemas;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(<Schemas as utoipa::OpenApi>::openapi())
        .routes(routes!(list, add))
        .routes(routes!(search))
        .routes(routes!(update, remove))
}

/// `qa`: a question and its answer; `document`: a Markdown document, searched section by section.
#[derive(ToSchema)]
#[schema(as = KnowledgeKind)]
#[allow(dead_code)] // documents `KnowledgeKind::as_str`
enum KindDoc {
    #[schema(rename = "qa")]
    Qa,
    #[schema(rename = "document")]
    Document,
}

#[derive(Serialize, ToSchema)]
#[schema(as = KnowledgeEntry)]
pub struct EntryView {
    #[schema(value_type = Id)]
    id: Uuid,
    #[schema(value_type = KindDoc)]
    kind: &'static str,
    #[schema(schema_with = entry_title_schema)]
    title: String,
    /// The answer (`qa`: plain text, at most 10,000 characters) or the document's Markdown
    /// (`document`: at most 256 KiB). Never HTML: escape it when rendering.
    #[schema(min_length = 1)]
    body: String,
    #[schema(value_type = Timestamp)]
    created_at: String,
    #[schema(value_type = Timestamp)]
    updated_at: String,
}

fn entry_title_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_TITLE_CHARS,
        "The question (`qa`) or the document's title (`document`): one line.",
    )
}

#[derive(Serialize, ToSchema)]
pub struct KnowledgeList {
    #[schema(schema_with = entries_schema)]
    entries: Vec<EntryView>,
}

fn entries_schema() -> utoipa::openapi::schema::Array {
    list_of(
        component("KnowledgeEntry"),
        MAX_ENTRIES_PER_BOT as usize,
        "Oldest first. A bot holds at most 5000 entries.",
    )
}

#[derive(Serialize, ToSchema)]
pub struct KnowledgeEntryEnvelope {
    entry: EntryView,
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

/// A bot's knowledge: every Q&A entry and Markdown document
///
/// Every entry of the bot, oldest first (at most 5000). Admins only (an agent without the admin
/// role is 403); a bot of another workspace is 404.
#[utoipa::path(
    get,
    path = "/api/v1/bots/{id}/knowledge",
    tag = "knowledge",
    operation_id = "listKnowledge",
    security(("agentSession" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    responses(
        (status = 200, description = "The entries.", body = KnowledgeList),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn list(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
) -> ApiResult<Json<KnowledgeList>> {
    let bot = workspace_bot(&state, &admin, id).await?;
    let entries = state.store.knowledge(bot.id).await?;
    Ok(Json(KnowledgeList {
        entries: entries.iter().map(EntryView::from).collect(),
    }))
}

/// A Q&A entry or a Markdown document, told apart by `kind`. Title and body are trimmed before
/// they are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryRequest {
    kind: String,
    title: String,
    body: String,
}

/// A Q&A entry or a Markdown document, told apart by `kind`. Title and body are trimmed before
/// they are checked.
#[derive(ToSchema)]
#[schema(as = KnowledgeEntryRequest)]
#[allow(dead_code)] // documents `EntryRequest`, which checks `kind` itself
#[serde(tag = "kind")]
enum EntryRequestDoc {
    #[schema(rename = "qa")]
    Qa(QaEntryRequest),
    #[schema(rename = "document")]
    Document(DocumentEntryRequest),
}

#[derive(ToSchema)]
#[allow(dead_code)] // documents `EntryRequest`
struct QaEntryRequest {
    #[schema(schema_with = question_schema)]
    title: String,
    #[schema(schema_with = answer_schema)]
    body: String,
}

fn question_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_TITLE_CHARS,
        "The question: after trimming, 1 to 500 characters on one line, no control characters \
         (400, field `title`, otherwise).",
    )
}

fn answer_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_ANSWER_CHARS,
        "The answer: after trimming, 1 to 10,000 characters (400, field `body`, otherwise).",
    )
}

#[derive(ToSchema)]
#[allow(dead_code)] // documents `EntryRequest`
struct DocumentEntryRequest {
    #[schema(schema_with = document_title_schema)]
    title: String,
    #[schema(schema_with = document_body_schema)]
    body: String,
}

fn document_title_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_TITLE_CHARS,
        "The document's title: after trimming, 1 to 500 characters on one line, no control \
         characters (400, field `title`, otherwise). Answers name it as their source.",
    )
}

fn document_body_schema() -> utoipa::openapi::Object {
    max_bytes_string(
        1,
        MAX_DOCUMENT_BYTES,
        "Markdown: after trimming, 1 byte to 256 KiB (262,144 UTF-8 bytes). Blank is 400, longer \
         is 413 (field `body`). Headings split it into the passages the bot searches; a \
         passage's headings become its `heading_path`.",
    )
}

/// Both values replace the entry's; the entry's `kind` decides the rules, as when adding it
/// (`QaEntryRequest`, `DocumentEntryRequest`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = KnowledgeUpdateRequest)]
struct UpdateRequest {
    #[schema(schema_with = update_title_schema)]
    title: String,
    /// After trimming: a Q&A entry's answer, 1 to 10,000 characters (400 otherwise); a
    /// document's Markdown, 1 byte to 256 KiB (blank 400, longer 413). Field `body`.
    #[schema(min_length = 1)]
    body: String,
}

fn update_title_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_TITLE_CHARS,
        "After trimming, 1 to 500 characters on one line (400, field `title`, otherwise).",
    )
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

/// Add a Q&A entry or a Markdown document
///
/// `kind` `qa`: `title` is the question and `body` the answer. `kind` `document`: `title` is the
/// document's title and `body` its Markdown, split at its headings into passages the bot
/// searches. Title and body are stored trimmed. The bot answers from the new entry at once.
/// Checked in this order: an unknown `kind` is 400 (field `kind`); a title that is blank, over
/// 500 characters or not on one line is 400 (field `title`); an answer that is blank or over
/// 10,000 characters is 400 (field `body`); a document that is blank is 400 and one over 256 KiB
/// (262,144 UTF-8 bytes) is 413 (field `body`); a bot that already holds 5000 entries is 409. A
/// whole request body over 256 KiB + 16 KiB is 413 before it is read. Admins only (403
/// otherwise); a bot of another workspace is 404.
#[utoipa::path(
    post,
    path = "/api/v1/bots/{id}/knowledge",
    tag = "knowledge",
    operation_id = "addKnowledgeEntry",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    request_body(content = EntryRequestDoc, example = json!({
        "kind": "qa",
        "title": "Can I change my delivery address?",
        "body": "Yes, until the order ships: open the order and choose Change address."
    })),
    responses(
        (status = 201, description = "The entry was stored.", body = KnowledgeEntryEnvelope),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn add(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiJson(body): ApiJson<EntryRequest>,
) -> ApiResult<(StatusCode, Json<KnowledgeEntryEnvelope>)> {
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
        Json(KnowledgeEntryEnvelope {
            entry: EntryView::from(&entry),
        }),
    ))
}

/// Replace an entry's title and body
///
/// The entry keeps its `kind`; its title and body are replaced (stored trimmed) and `updated_at`
/// bumped, with the same rules as when adding one: a title that is blank, over 500 characters or
/// not on one line is 400 (field `title`); for a Q&A entry an answer that is blank or over 10,000
/// characters is 400, for a document Markdown that is blank is 400 and over 256 KiB is 413 (field
/// `body`). An entry of another bot, or none, is 404. Admins only (403 otherwise); a bot of
/// another workspace is 404.
#[utoipa::path(
    put,
    path = "/api/v1/bots/{id}/knowledge/{entry_id}",
    tag = "knowledge",
    operation_id = "updateKnowledgeEntry",
    security(("agentSession" = [], "csrfToken" = [])),
    params(
        ("id" = Id, Path, description = "The bot's id."),
        ("entry_id" = Id, Path, description = "The knowledge entry's id."),
    ),
    request_body(content = UpdateRequest, example = json!({
        "title": "Can I change my delivery address?",
        "body": "Yes, until the order ships: open the order, choose Change address and save."
    })),
    responses(
        (status = 204, description = "The entry was replaced."),
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
    AdminAgent(admin): AdminAgent,
    PathIds(id, entry_id): PathIds<BotId, KnowledgeEntryId>,
    ApiJson(body): ApiJson<UpdateRequest>,
) -> ApiResult<StatusCode> {
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

/// Delete an entry
///
/// The bot stops answering from it at once. An entry of another bot, or none (already deleted),
/// is 404. Admins only (403 otherwise); a bot of another workspace is 404.
#[utoipa::path(
    delete,
    path = "/api/v1/bots/{id}/knowledge/{entry_id}",
    tag = "knowledge",
    operation_id = "deleteKnowledgeEntry",
    security(("agentSession" = [], "csrfToken" = [])),
    params(
        ("id" = Id, Path, description = "The bot's id."),
        ("entry_id" = Id, Path, description = "The knowledge entry's id."),
    ),
    responses(
        (status = 204, description = "The entry was deleted."),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn remove(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathIds(id, entry_id): PathIds<BotId, KnowledgeEntryId>,
) -> ApiResult<StatusCode> {
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

// Written out: utoipa's derive drops `required` from a parameter with `schema_with`, and the
// limits must be the constants.
impl IntoParams for SearchQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::Required;
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        vec![
            ParameterBuilder::new()
                .name("q")
                .parameter_in(ParameterIn::Query)
                .required(Required::True)
                .description(Some(
                    "The question: 1 to 1000 UTF-8 bytes, not blank (400, field `q`, otherwise; \
                     absent: 400, field `query`).",
                ))
                .schema(Some(max_bytes_string(1, MAX_QUERY_BYTES, "The question.")))
                .build(),
            ParameterBuilder::new()
                .name("k")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(
                    "At most this many passages. A value outside 1 to 20 is clamped to it (0 → 1, \
                     50 → 20); one that is not a non-negative integer is 400 (field `query`).",
                ))
                .schema(Some(integer(1, MAX_HITS, Some(DEFAULT_HITS))))
                .build(),
        ]
    }
}

#[derive(Serialize, ToSchema)]
pub struct KnowledgeSearchResult {
    #[schema(schema_with = hits_schema)]
    hits: Vec<Hit>,
}

fn hits_schema() -> utoipa::openapi::schema::Array {
    list_of(
        component("KnowledgeHit"),
        MAX_HITS,
        "Best first; at most `k`.",
    )
}

/// A passage the search found (`baton_ai::knowledge::Hit`).
#[derive(ToSchema)]
#[schema(as = KnowledgeHit)]
#[allow(dead_code)] // documents `Hit`
struct HitDoc {
    source: SourceDoc,
    /// The answer of a Q&A entry, or the Markdown of a document's section.
    text: String,
    /// The relevance (BM25F): comparable between the hits of one search, not across searches.
    #[schema(minimum = 0)]
    score: f64,
    /// How much of the question the passage covers, 0 to 1 (the IDF-weighted share of the
    /// question's words it contains; a word matched only through a typo counts partly).
    /// Comparable across searches: the bot's confidence thresholds use it.
    #[schema(minimum = 0, maximum = 1)]
    coverage: f64,
}

/// Where a passage comes from, told apart by `kind`: a Q&A entry, or a section of a document
/// (`baton_ai::knowledge::Source`).
#[derive(ToSchema)]
#[schema(as = KnowledgeSource)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)] // documents `Source`
enum SourceDoc {
    Qa {
        /// The Q&A entry's id.
        #[schema(value_type = Id)]
        id: String,
        /// The entry's question.
        question: String,
    },
    Document {
        /// The document's id.
        #[schema(value_type = Id)]
        id: String,
        /// The document's title.
        title: String,
        /// The headings above the passage, outermost first, without a first heading that
        /// repeats the title; empty for text before the first heading. Answers cite it as
        /// `Title › Heading › Subheading`.
        heading_path: Vec<String>,
    },
}

/// What the bot would find in its knowledge for a question
///
/// The passages the bot's knowledge search returns for `q`, best first: Q&A answers and document
/// sections, each with its source. Passages sharing no word with the question are never
/// returned, so the list may be empty. The Agent Editor's "Test a question". Admins only (403
/// otherwise); a bot of another workspace is 404.
#[utoipa::path(
    get,
    path = "/api/v1/bots/{id}/knowledge/search",
    tag = "knowledge",
    operation_id = "searchKnowledge",
    security(("agentSession" = [])),
    params(("id" = Id, Path, description = "The bot's id."), SearchQuery),
    responses(
        (status = 200, description = "The passages found, best first.", body = KnowledgeSearchResult),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn search(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<KnowledgeSearchResult>> {
    let bot = workspace_bot(&state, &admin, id).await?;
    if q.q.trim().is_empty() || q.q.len() > MAX_QUERY_BYTES {
        return Err(ApiError::bad_request(
            "q",
            format!("q must be 1 to {MAX_QUERY_BYTES} bytes"),
        ));
    }
    let k = q.k.unwrap_or(DEFAULT_HITS).clamp(1, MAX_HITS);
    let index = state.knowledge_index(bot.id).await;
    let hits = index.search(&q.q, k);
    Ok(Json(KnowledgeSearchResult { hits }))
}

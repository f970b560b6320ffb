//! Admin API: agent accounts and bots' handoff settings. Admins only, within their workspace.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use baton_domain::account::{self, DisplayName, NewAccount};
use baton_domain::entity::Entity;
use baton_domain::handoff::Offer;
use baton_domain::ids::{AgentId, BotId};
use baton_domain::schedule::{Schedule, ScheduleError};
use baton_domain::texts::{TextKey, Translations, TranslationsDocument};
use baton_storage::{AgentChanges, Bot, HandoffSettings, NewAgent, Role};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::AdminAgent;
use super::error::ErrorBody;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId};
use super::openapi::{
    BadRequest, Conflict, Forbidden, Id, NotFound, PayloadTooLarge, Unauthorized,
    UnsupportedMediaType, query_param, text,
};
use crate::secrets;
use crate::service::Availability;
use crate::state::AppState;
use crate::views::{AgentView, BotView, HandoffSettingsView};

/// Limits on admin-edited text.
pub const MAX_INSTRUCTION_CHARS: usize = 2000;
pub const MAX_OFFLINE_MESSAGE_CHARS: usize = 1000;
pub const MIN_ACCEPT_TIMEOUT_SECONDS: u32 = 10;
pub const MAX_ACCEPT_TIMEOUT_SECONDS: u32 = 3600;
/// The largest request body the bot settings routes take: room for the largest schedule the rules
/// allow (every weekday and 366 dated exceptions with the most slots each, about 150 KB) with the
/// handoff settings beside it. Chat messages keep their own, much smaller limit.
pub const MAX_SCHEDULE_BODY_BYTES: usize = 512 * 1024;

/// The schemas only `schema_with` functions name, which utoipa cannot follow.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(super::schemas::ScheduleSlotDoc, super::schemas::ScheduleDayDoc)))]
struct Schemas;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(<Schemas as utoipa::OpenApi>::openapi())
        .routes(routes!(agents, create_agent))
        .routes(routes!(update_agent))
        .routes(routes!(bots, create_bot))
        .routes(routes!(update_bot, archive_bot))
        .routes(routes!(handoff_settings, update_handoff_settings))
        .routes(routes!(schedule, update_schedule))
        .routes(routes!(availability))
        .routes(routes!(handoff, update_handoff))
        .routes(routes!(timezones))
}

/// Agent accounts of the workspace
///
/// Sorted by display name. `connected` tells whether the agent has a panel open right now.
#[utoipa::path(
    get,
    path = "/api/v1/agents",
    tag = "admin",
    operation_id = "listAgents",
    security(("agentSession" = [])),
    responses(
        (status = 200, description = "The agents.", body = AgentListDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
async fn agents(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
) -> ApiResult<impl IntoResponse> {
    let agents = state.store.agents(admin.workspace_id).await?;
    let connected = state.connected_agents(admin.workspace_id).await;
    let views: Vec<serde_json::Value> = agents
        .iter()
        .map(|a| {
            let mut v = serde_json::to_value(AgentView::from(a)).unwrap_or_default();
            v["connected"] = json!(connected.contains(&a.id));
            v
        })
        .collect();
    Ok(axum::Json(json!({ "agents": views })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateAgentRequest {
    email: String,
    display_name: String,
    /// Absent: one is made up and returned once in the response.
    password: Option<String>,
    role: String,
    #[serde(default = "default_max_chats")]
    max_chats: u32,
}

fn default_max_chats() -> u32 {
    5
}

/// Create an agent account
///
/// Emails are unique across the server (409 `taken`, field `email`). The email is stored trimmed
/// and lower-cased, the display name trimmed. Without `password`, one is made up and returned once
/// as `password` in the response.
#[utoipa::path(
    post,
    path = "/api/v1/agents",
    tag = "admin",
    operation_id = "createAgent",
    security(("agentSession" = [], "csrfToken" = [])),
    request_body(
        content = CreateAgentRequestDoc,
        example = json!({
            "email": "ben@example.com",
            "display_name": "Ben",
            "password": "a long enough password",
            "role": "agent",
            "max_chats": 5
        }),
    ),
    responses(
        (status = 201, description = "The account was created.", body = CreatedAgentDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn create_agent(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    ApiJson(body): ApiJson<CreateAgentRequest>,
) -> ApiResult<impl IntoResponse> {
    let generated = body.password.is_none();
    let password = body.password.unwrap_or_else(secrets::one_time_password);
    let account = NewAccount::parse(&body.email, &body.display_name, &password, body.max_chats)?;
    let role = Role::parse(&body.role).ok_or_else(bad_role)?;
    let hashing = password.clone();
    let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&hashing))
        .await
        .map_err(|e| ApiError::internal("hashing the password failed", e))?
        .map_err(|e| ApiError::internal("hashing the password failed", e))?;
    let agent = state
        .store
        .create_agent(&NewAgent {
            workspace_id: admin.workspace_id,
            email: account.email.into_string(),
            display_name: account.display_name.into_string(),
            password_hash: hash,
            role,
            max_chats: account.max_chats,
        })
        .await?;
    let mut body = json!({ "agent": AgentView::from(&agent) });
    if generated {
        body["password"] = json!(password);
    }
    Ok((StatusCode::CREATED, axum::Json(body)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateAgentRequest {
    display_name: Option<String>,
    role: Option<String>,
    max_chats: Option<u32>,
    active: Option<bool>,
}

// Changes an agent's name, role, capacity or active state. Deactivating ends their sessions and
// panel sockets and requeues their live conversations; the last active admin stays one (409).
/// Change an agent's name, role, capacity or active state
///
/// Any of the fields; absent ones stay. `active: false` deactivates the agent: their sessions end
/// and their panel sockets close at once (close code 4401), their logins are refused with the same
/// 401 as a wrong password, and each conversation they own goes back to the queue (or the offline
/// path when nobody can take it), its visitor told. The account and its history stay; `active:
/// true` reactivates it. The workspace's last active admin cannot be deactivated or demoted (409
/// `conflict`). Another workspace's agent is a 404.
#[utoipa::path(
    patch,
    path = "/api/v1/agents/{id}",
    tag = "admin",
    operation_id = "updateAgent",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The agent's id.")),
    request_body(content = UpdateAgentRequestDoc, example = json!({"active": false})),
    responses(
        (
            status = 200,
            description = "The agent as it is now.",
            body = AgentWithPresenceEnvelopeDoc,
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn update_agent(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<AgentId>,
    ApiJson(body): ApiJson<UpdateAgentRequest>,
) -> ApiResult<impl IntoResponse> {
    let agent_id = id;
    let display_name = body
        .display_name
        .map(|name| DisplayName::parse(&name).map(DisplayName::into_string))
        .transpose()?;
    let role = body
        .role
        .map(|role| Role::parse(&role).ok_or_else(bad_role))
        .transpose()?;
    if let Some(max_chats) = body.max_chats {
        account::check_max_chats(max_chats)?;
    }
    let changes = AgentChanges {
        display_name,
        role,
        max_chats: body.max_chats,
        active: body.active,
    };
    let agent = state
        .update_agent(admin.workspace_id, agent_id, changes)
        .await?;
    let connected = state.agent_connected(admin.workspace_id, agent.id).await;
    let mut view = serde_json::to_value(AgentView::from(&agent)).unwrap_or_default();
    view["connected"] = json!(connected && agent.active);
    Ok(axum::Json(json!({ "agent": view })))
}

fn bad_role() -> ApiError {
    ApiError::bad_request("role", "role must be \"admin\" or \"agent\"")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BotsQuery {
    /// Include archived bots.
    #[serde(default)]
    archived: bool,
}

impl utoipa::IntoParams for BotsQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![query_param(
            "archived",
            "Include archived bots.",
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .default(Some(json!(false))),
        )]
    }
}

/// Bots of the workspace with their handoff settings
///
/// Archived bots are left out unless `archived=true`.
#[utoipa::path(
    get,
    path = "/api/v1/bots",
    tag = "admin",
    operation_id = "listBots",
    security(("agentSession" = [])),
    params(BotsQuery),
    responses(
        (status = 200, description = "The bots.", body = BotListDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
async fn bots(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    ApiQuery(q): ApiQuery<BotsQuery>,
) -> ApiResult<impl IntoResponse> {
    let bots = state.store.bots_of(admin.workspace_id, q.archived).await?;
    let views: Vec<BotView> = bots.iter().map(BotView::from).collect();
    Ok(axum::Json(json!({ "bots": views })))
}

/// The longest bot name, greeting and persona, in characters.
pub const MAX_BOT_NAME_CHARS: usize = 80;
pub const MAX_GREETING_CHARS: usize = 500;
pub const MAX_PERSONA_CHARS: usize = 4000;

/// A new bot's greeting when none is given.
const DEFAULT_GREETING: &str = "Hi! How can I help? You can ask for a person at any time.";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BotRequest {
    name: Option<String>,
    greeting: Option<String>,
    persona: Option<String>,
    /// The greeting in other languages; replaces the bot's when given.
    translations: Option<TranslationsDocument>,
}

/// The longest translation of an admin-written text: the base text's limit.
fn text_limit(key: TextKey) -> usize {
    match key {
        TextKey::Greeting => MAX_GREETING_CHARS,
        TextKey::OfflineMessage | TextKey::LeadCapturePrompt | TextKey::LeadCaptureSuccess => {
            MAX_OFFLINE_MESSAGE_CHARS
        }
    }
}

/// Checks translations of the texts `keys` edited in one request; every problem is listed, each
/// naming its field (`translations.de.greeting`).
fn check_translations(
    document: &TranslationsDocument,
    keys: &[TextKey],
) -> Result<Translations, Vec<(String, String)>> {
    Translations::parse(document, keys, text_limit)
        .map_err(|problems| problems.into_iter().map(|p| (p.field, p.message)).collect())
}

/// The bot's translations with those of `keys` replaced by the ones a request gave, if any.
fn merged_translations(
    bot: &Bot,
    keys: &[TextKey],
    given: Option<&Translations>,
) -> Option<Translations> {
    given.map(|given| bot.translations.replacing(keys, given))
}

/// Checks each field given; returns them trimmed.
fn check_bot_fields(
    body: &BotRequest,
) -> ApiResult<(Option<String>, Option<String>, Option<String>)> {
    let check = |field: &'static str,
                 value: &Option<String>,
                 max: usize,
                 required: bool,
                 lines: bool|
     -> ApiResult<Option<String>> {
        let Some(value) = value else { return Ok(None) };
        let value = value.trim();
        let control = value
            .chars()
            .any(|c| c.is_control() && !(lines && (c == '\n' || c == '\t')));
        if (required && value.is_empty()) || value.chars().count() > max || control {
            let least = if required { 1 } else { 0 };
            return Err(ApiError::bad_request(
                field,
                format!(
                    "the {field} must be {least} to {max} characters, without control characters"
                ),
            ));
        }
        Ok(Some(value.to_owned()))
    };
    Ok((
        check("name", &body.name, MAX_BOT_NAME_CHARS, true, false)?,
        check("greeting", &body.greeting, MAX_GREETING_CHARS, false, true)?,
        check("persona", &body.persona, MAX_PERSONA_CHARS, false, true)?,
    ))
}

/// Create a bot
///
/// A new bot starts at the default handoff settings, always open, with no knowledge. Without a
/// greeting it gets a default one.
#[utoipa::path(
    post,
    path = "/api/v1/bots",
    tag = "admin",
    operation_id = "createBot",
    security(("agentSession" = [], "csrfToken" = [])),
    request_body(
        content = BotRequestDoc,
        example = json!({
            "name": "Sales assistant",
            "greeting": "Hi! Looking for a plan?",
            "persona": "Friendly and brief. We sell team plans from 49 EUR a month."
        }),
    ),
    responses(
        (status = 201, description = "The bot.", body = BotEnvelopeDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn create_bot(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    ApiJson(body): ApiJson<BotRequest>,
) -> ApiResult<impl IntoResponse> {
    if body.name.is_none() {
        return Err(ApiError::bad_request("name", "a bot needs a name"));
    }
    let (name, greeting, persona) = check_bot_fields(&body)?;
    let translations = bot_translations(&body)?;
    let mut bot = state
        .store
        .add_bot(
            admin.workspace_id,
            name.as_deref().unwrap_or_default(),
            greeting.as_deref().unwrap_or(DEFAULT_GREETING),
            persona.as_deref().unwrap_or_default(),
        )
        .await?;
    if let Some(translations) = translations.filter(|t| !t.is_empty()) {
        bot = state
            .store
            .update_bot(bot.id, None, None, None, Some(&translations))
            .await?;
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "bot": BotView::from(&bot) })),
    ))
}

/// Rename a bot, or change its greeting or persona
///
/// Fields left out stay as they are. A bot of another workspace is 404.
#[utoipa::path(
    patch,
    path = "/api/v1/bots/{id}",
    tag = "admin",
    operation_id = "updateBot",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    request_body(
        content = BotRequestDoc,
        example = json!({"persona": "Warm, plain words; never promise delivery dates."}),
    ),
    responses(
        (status = 200, description = "The bot as it is now.", body = BotEnvelopeDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn update_bot(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiJson(body): ApiJson<BotRequest>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    let (name, greeting, persona) = check_bot_fields(&body)?;
    let translations = bot_translations(&body)?;
    let translations = merged_translations(&bot, TextKey::BOT, translations.as_ref());
    let bot = state
        .store
        .update_bot(
            bot.id,
            name.as_deref(),
            greeting.as_deref(),
            persona.as_deref(),
            translations.as_ref(),
        )
        .await?;
    Ok(axum::Json(json!({ "bot": BotView::from(&bot) })))
}

/// The request's greeting translations, checked.
fn bot_translations(body: &BotRequest) -> ApiResult<Option<Translations>> {
    body.translations
        .as_ref()
        .map(|document| check_translations(document, TextKey::BOT))
        .transpose()
        .map_err(|problems| many_errors(problems, ""))
}

/// Archive a bot
///
/// The bot leaves the bot list (see `archived=true`), its widget answers 410 `archived` and starts
/// no conversation; its conversations and tickets stay readable. Archiving twice is harmless.
#[utoipa::path(
    delete,
    path = "/api/v1/bots/{id}",
    tag = "admin",
    operation_id = "archiveBot",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    responses(
        (status = 204, description = "The bot is archived."),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn archive_bot(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    state.store.archive_bot(bot.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn admin_bot(
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

/// A bot's handoff settings
///
/// A bot of another workspace is 404.
#[utoipa::path(
    get,
    path = "/api/v1/bots/{id}/handoff-settings",
    tag = "admin",
    operation_id = "getHandoffSettings",
    security(("agentSession" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    responses(
        (status = 200, description = "The settings.", body = HandoffSettingsDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn handoff_settings(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    Ok(axum::Json(HandoffSettingsView::new(
        &bot.handoff,
        &bot.translations,
    )))
}

/// Checked handoff settings, with the translations of their texts when the request gave them.
type CheckedHandoff = (HandoffSettings, Option<Translations>);

/// Checks every handoff setting; the first problem is reported with its field.
fn validate_handoff_settings(body: HandoffSettingsView) -> ApiResult<CheckedHandoff> {
    check_handoff_settings(body).map_err(|problems| many_errors(problems, ""))
}

/// Checks every handoff setting and reports every problem, each with its field.
fn check_handoff_settings(
    body: HandoffSettingsView,
) -> Result<CheckedHandoff, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let translations = match body.translations.as_ref() {
        None => None,
        Some(document) => match check_translations(document, TextKey::HANDOFF) {
            Ok(translations) => Some(translations),
            Err(found) => {
                problems.extend(found);
                None
            }
        },
    };
    let mut text = |field: &str, value: &str, max: usize, what: &str| -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            problems.push((field.to_owned(), format!("{what} cannot be empty")));
        } else if trimmed.chars().count() > max {
            problems.push((
                field.to_owned(),
                format!("{what} must be at most {max} characters"),
            ));
        }
        trimmed.to_owned()
    };
    let instruction = text(
        "instruction",
        &body.instruction,
        MAX_INSTRUCTION_CHARS,
        "the instruction",
    );
    let offline_message = text(
        "offline_message",
        &body.offline_message,
        MAX_OFFLINE_MESSAGE_CHARS,
        "the offline message",
    );
    let lead_capture_prompt = text(
        "lead_capture_prompt",
        &body.lead_capture_prompt,
        MAX_OFFLINE_MESSAGE_CHARS,
        "the lead capture prompt",
    );
    let lead_capture_success = text(
        "lead_capture_success",
        &body.lead_capture_success,
        MAX_OFFLINE_MESSAGE_CHARS,
        "the success message",
    );
    if !(MIN_ACCEPT_TIMEOUT_SECONDS..=MAX_ACCEPT_TIMEOUT_SECONDS)
        .contains(&body.accept_timeout_seconds)
    {
        problems.push((
            "accept_timeout_seconds".to_owned(),
            format!(
                "the accept timeout must be between {MIN_ACCEPT_TIMEOUT_SECONDS} and \
                 {MAX_ACCEPT_TIMEOUT_SECONDS} seconds"
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let settings = HandoffSettings {
        enabled: body.enabled,
        instruction,
        offline_message,
        accept_timeout_seconds: body.accept_timeout_seconds,
        ai_helps_while_waiting: body.ai_helps_while_waiting,
        lead_capture_enabled: body.lead_capture_enabled,
        lead_capture_prompt,
        lead_capture_success,
        ai_triggers: body.ai_triggers,
        freshchat_enabled: body.freshchat_enabled,
    };
    Ok((settings, translations))
}

/// Several problems as one 400: the first names the field, `errors` lists them all.
fn many_errors(problems: Vec<(String, String)>, prefix: &str) -> ApiError {
    let field = |f: &str| {
        if prefix.is_empty() {
            f.to_owned()
        } else {
            format!("{prefix}.{f}")
        }
    };
    let listed: Vec<(String, String)> = problems.into_iter().map(|(f, m)| (field(&f), m)).collect();
    let first = listed
        .first()
        .map(|(f, _)| f.clone())
        .unwrap_or_else(|| "body".to_owned());
    let mut err = ApiError::bad_request(
        &first,
        listed
            .iter()
            .map(|(f, m)| format!("{f}: {m}"))
            .collect::<Vec<_>>()
            .join("; "),
    );
    err.errors = Some(listed);
    err
}

/// Replace a bot's handoff settings
///
/// Every field is required. The texts are stored trimmed. On 400, every problem of the settings is
/// listed in `error.errors`, each with its field; `error.field` names the first. Returns the stored
/// settings. (`PUT /api/v1/bots/{id}/handoff` saves the settings and the schedule together.)
#[utoipa::path(
    put,
    path = "/api/v1/bots/{id}/handoff-settings",
    tag = "admin",
    operation_id = "updateHandoffSettings",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    request_body(
        content = HandoffSettingsDoc,
        example = json!({
            "enabled": true,
            "instruction": "Offer a handoff if the user asks for a human or if the issue is too complex to resolve.",
            "offline_message": "All our agents are currently offline. Would you like to open a ticket instead?",
            "accept_timeout_seconds": 120,
            "ai_helps_while_waiting": true,
            "lead_capture_enabled": true,
            "lead_capture_prompt": "I'd love to have someone follow up with you. Could you share your email?",
            "lead_capture_success": "Thanks! A team member will reach out shortly.",
            "ai_triggers": {
                "frustration": "medium",
                "complex_issue": "medium",
                "sales_opportunity": "off"
            }
        }),
    ),
    responses(
        (status = 200, description = "The settings were stored.", body = HandoffSettingsDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn update_handoff_settings(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiJson(body): ApiJson<HandoffSettingsView>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    let (settings, translations) = validate_handoff_settings(body)?;
    let translations = merged_translations(&bot, TextKey::HANDOFF, translations.as_ref());
    state
        .check_freshchat_toggle(
            bot.workspace_id,
            settings.freshchat_enabled,
            "freshchat_enabled",
        )
        .await?;
    state
        .store
        .update_handoff_settings(bot.id, &settings, translations.as_ref())
        .await?;
    let translations = translations.unwrap_or(bot.translations);
    Ok(axum::Json(HandoffSettingsView::new(
        &settings,
        &translations,
    )))
}

/// A bot's availability schedule
///
/// The schedule document as stored (time zone in its canonical spelling). A bot that was never
/// given one has the always-open UTC schedule. A bot of another workspace is 404.
#[utoipa::path(
    get,
    path = "/api/v1/bots/{id}/schedule",
    tag = "admin",
    operation_id = "getSchedule",
    security(("agentSession" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    responses(
        (status = 200, description = "The schedule.", body = super::schemas::ScheduleDocumentDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn schedule(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    Ok(axum::Json(bot.schedule.document().clone()))
}

// Replaces a bot's schedule. Every problem is reported, each naming its field; nothing
// half-valid is saved.
/// Replace a bot's availability schedule
///
/// Validates the whole document and saves it only if every rule holds. On 400, `error.errors` lists
/// every problem, each with its field path (e.g. `weekly.monday.slots[1].end`, `overrides[0].date`,
/// `timezone`); a structural problem (a wrong type, an unknown field) is one entry with the field
/// `body`. JSON that does not parse is a plain 400 without `errors`. Returns the stored document,
/// with the time zone in its canonical spelling (`europe/berlin` → `Europe/Berlin`).
#[utoipa::path(
    put,
    path = "/api/v1/bots/{id}/schedule",
    tag = "admin",
    operation_id = "updateSchedule",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    request_body(
        content = super::schemas::ScheduleDocumentDoc,
        example = json!({
            "timezone": "Europe/Berlin",
            "never_available": false,
            "weekly": {
                "monday": {
                    "enabled": true,
                    "slots": [
                        {
                            "start": "09:00",
                            "end": "12:00"
                        },
                        {
                            "start": "13:00",
                            "end": "17:00"
                        }
                    ]
                },
                "friday": {
                    "enabled": true,
                    "slots": [
                        {
                            "start": "22:00",
                            "end": "06:00"
                        }
                    ]
                }
            },
            "overrides": [
                {
                    "date": "2026-12-25",
                    "slots": []
                }
            ]
        }),
    ),
    responses(
        (
            status = 200,
            description = "The schedule was stored.",
            body = super::schemas::ScheduleDocumentDoc,
        ),
        (
            status = 400,
            description = "The schedule breaks one or more rules; nothing was saved. Code \
                           `invalid`, with every problem in `error.errors`.",
            body = ErrorBody,
            example = json!({
                "error": {
                    "code": "invalid",
                    "message": "timezone: unknown time zone \"Mars/Olympus\"; weekly.monday.slots[0].end: \"25:00\" is not a time; expected HH:MM from 00:00 to 24:00",
                    "field": "timezone",
                    "errors": [
                        {
                            "field": "timezone",
                            "message": "unknown time zone \"Mars/Olympus\""
                        },
                        {
                            "field": "weekly.monday.slots[0].end",
                            "message": "\"25:00\" is not a time; expected HH:MM from 00:00 to 24:00"
                        }
                    ]
                }
            }),
        ),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn update_schedule(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    let schedule = Schedule::parse_json(&body.to_string()).map_err(schedule_errors)?;
    state.store.update_schedule(bot.id, &schedule).await?;
    Ok(axum::Json(schedule.document().clone()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AtQuery {
    #[serde(default)]
    at: Option<String>,
}

/// Parses `?at=RFC3339` (default: now).
pub(super) fn instant(q: &AtQuery) -> ApiResult<Timestamp> {
    match &q.at {
        None => Ok(Timestamp::now()),
        Some(at) => at.parse().map_err(|_| {
            ApiError::bad_request(
                "at",
                "at must be an RFC 3339 instant, e.g. 2026-11-25T16:30:00Z",
            )
        }),
    }
}

/// Whether a live handoff would be offered, now or at a given instant
///
/// Like the widget's availability, plus the number of agents online with spare capacity. With `at`,
/// the schedule is evaluated at that instant (agents and settings as they are now). A bot of
/// another workspace is 404.
#[utoipa::path(
    get,
    path = "/api/v1/bots/{id}/availability",
    tag = "admin",
    operation_id = "getBotAvailability",
    security(("agentSession" = [])),
    params(
        ("id" = Id, Path, description = "The bot's id."),
        ("at" = Option<String>, Query, format = DateTime, description = "An RFC 3339 instant, e.g. \
                                                                         `2026-11-25T16:30:00Z`. Default: now."),
    ),
    responses(
        (status = 200, description = "Availability at the instant.", body = AdminAvailabilityDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn availability(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiQuery(q): ApiQuery<AtQuery>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    let at = instant(&q)?;
    let a = state.availability(&bot, at).await?;
    Ok(axum::Json(availability_json(&a, at, true)))
}

/// The availability answer; agent counts only for admins.
pub fn availability_json(a: &Availability, at: Timestamp, with_counts: bool) -> serde_json::Value {
    let (live, reason) = match a.offer {
        Offer::Live => (true, None),
        Offer::Offline(reason) => (false, Some(reason)),
    };
    let mut body = json!({
        "at": at.to_string(),
        "live": live,
        "reason": reason,
        "schedule_open": a.facts.schedule_open,
        "never_available": a.facts.never_available,
        "handoff_enabled": a.facts.handoff_enabled,
        "next_change": a.next_change.map(|t| t.round(jiff::Unit::Second).unwrap_or(t).to_string()),
    });
    if with_counts {
        body["agents_with_capacity"] = json!(a.facts.agents_with_capacity);
    }
    body
}

// Every IANA time zone name the server knows (the bundled tz database), for the editor's picker.
/// Every time zone name the server knows
///
/// The IANA names of the tz database bundled into the binary, sorted: the values a schedule's
/// `timezone` accepts.
#[utoipa::path(
    get,
    path = "/api/v1/timezones",
    tag = "admin",
    operation_id = "listTimezones",
    security(("agentSession" = [])),
    responses(
        (status = 200, description = "The names.", body = TimezoneListDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
async fn timezones(AdminAgent(_admin): AdminAgent) -> impl IntoResponse {
    axum::Json(json!({ "timezones": baton_domain::schedule::timezone_names() }))
}

/// A schedule's validation errors as one 400 listing every field.
pub(super) fn schedule_errors(errors: Vec<ScheduleError>) -> ApiError {
    many_errors(
        errors
            .into_iter()
            .map(|e| {
                (
                    if e.field.is_empty() {
                        "body".to_owned()
                    } else {
                        e.field
                    },
                    e.message,
                )
            })
            .collect(),
        "",
    )
}

/// All of a bot's Handoff tool settings at once: what the Agent Editor loads and saves.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandoffToolRequest {
    settings: HandoffSettingsView,
    schedule: serde_json::Value,
}

/// A bot's whole Handoff tool: settings and schedule
///
/// What the Agent Editor loads. A bot of another workspace is 404.
#[utoipa::path(
    get,
    path = "/api/v1/bots/{id}/handoff",
    tag = "admin",
    operation_id = "getHandoffTool",
    security(("agentSession" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    responses(
        (status = 200, description = "The settings and the schedule.", body = HandoffToolDoc),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn handoff(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    Ok(axum::Json(json!({
        "bot": { "id": bot.id, "name": bot.name },
        "settings": HandoffSettingsView::new(&bot.handoff, &bot.translations),
        "schedule": bot.schedule.document(),
    })))
}

// Saves the settings and the schedule together, after validating both: nothing half-valid is
// saved.
/// Save a bot's settings and schedule together
///
/// Validates both and saves both, or nothing. On 400, every problem of both halves is listed at
/// once in `error.errors`: settings problems with fields prefixed `settings.` (e.g.
/// `settings.offline_message`), then schedule problems prefixed `schedule.` (e.g.
/// `schedule.weekly.monday.slots[0].end`; a structural problem of the schedule has the field
/// `schedule`); `error.field` names the first. Returns what was stored (schedule time zone in its
/// canonical spelling).
#[utoipa::path(
    put,
    path = "/api/v1/bots/{id}/handoff",
    tag = "admin",
    operation_id = "updateHandoffTool",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The bot's id.")),
    request_body(content = HandoffToolRequestDoc),
    responses(
        (status = 200, description = "Both were stored.", body = HandoffToolDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn update_handoff(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiJson(body): ApiJson<HandoffToolRequest>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    // Both halves are checked before anything is reported, so every problem shows at once.
    let schedule = Schedule::parse_json(&body.schedule.to_string());
    let settings = check_handoff_settings(body.settings);
    let (schedule, (settings, translations)) = match (schedule, settings) {
        (Ok(schedule), Ok(settings)) => (schedule, settings),
        (schedule, settings) => {
            let mut problems: Vec<(String, String)> = Vec::new();
            if let Err(errors) = settings {
                problems.extend(
                    errors
                        .into_iter()
                        .map(|(f, m)| (format!("settings.{f}"), m)),
                );
            }
            if let Err(errors) = schedule {
                problems.extend(errors.into_iter().map(|e| {
                    let f = if e.field.is_empty() {
                        "schedule".to_owned()
                    } else {
                        format!("schedule.{}", e.field)
                    };
                    (f, e.message)
                }));
            }
            return Err(many_errors(problems, ""));
        }
    };
    state
        .check_freshchat_toggle(
            bot.workspace_id,
            settings.freshchat_enabled,
            "settings.freshchat_enabled",
        )
        .await?;
    let translations = merged_translations(&bot, TextKey::HANDOFF, translations.as_ref());
    state
        .store
        .update_handoff(bot.id, &settings, &schedule, translations.as_ref())
        .await?;
    let translations = translations.unwrap_or(bot.translations);
    Ok(axum::Json(json!({
        "bot": { "id": bot.id, "name": bot.name },
        "settings": HandoffSettingsView::new(&settings, &translations),
        "schedule": schedule.document(),
    })))
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum AgentRoleDoc {
    #[schema(rename = "admin")]
    Admin,
    #[schema(rename = "agent")]
    Agent,
}

/// The chosen status; the agent is online only while a panel is also connected.
#[derive(ToSchema)]
#[allow(dead_code)]
enum AgentStatusDoc {
    #[schema(rename = "online")]
    Online,
    #[schema(rename = "away")]
    Away,
}

/// A human support person's account.
#[derive(ToSchema)]
#[schema(as = Agent)]
#[allow(dead_code)]
pub struct AgentDoc {
    id: Id,
    #[schema(format = "email")]
    email: String,
    display_name: String,
    #[schema(inline)]
    role: AgentRoleDoc,
    /// Maximum concurrent chats.
    #[schema(schema_with = max_chats_schema)]
    max_chats: i32,
    #[schema(inline)]
    status: AgentStatusDoc,
    /// False once an admin deactivated the agent: no logins, no chats.
    active: bool,
}

#[derive(ToSchema)]
#[schema(as = AgentWithPresence)]
#[allow(dead_code)]
pub struct AgentWithPresenceDoc {
    #[serde(flatten)]
    base: AgentDoc,
    /// Whether the agent has a panel WebSocket open right now.
    connected: bool,
}

#[derive(ToSchema)]
#[schema(as = AgentWithPresenceEnvelope)]
#[allow(dead_code)]
pub struct AgentWithPresenceEnvelopeDoc {
    agent: AgentWithPresenceDoc,
}

#[derive(ToSchema)]
#[schema(as = CreatedAgent)]
#[allow(dead_code)]
pub struct CreatedAgentDoc {
    agent: AgentDoc,
    /// The made-up password, when the request had none. Shown only in this response.
    #[schema(required = false)]
    password: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum UpdateAgentRequestRoleDoc {
    #[schema(rename = "admin")]
    Admin,
    #[schema(rename = "agent")]
    Agent,
}

#[derive(ToSchema)]
#[schema(as = UpdateAgentRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UpdateAgentRequestDoc {
    /// 1 to 80 characters after trimming, no control characters.
    #[schema(schema_with = update_display_name_schema, required = false)]
    display_name: String,
    #[schema(inline, required = false)]
    role: UpdateAgentRequestRoleDoc,
    /// Maximum concurrent chats.
    #[schema(schema_with = max_chats_schema, required = false)]
    max_chats: i32,
    /// False deactivates the agent; true reactivates them.
    #[schema(required = false)]
    active: bool,
}

#[derive(ToSchema)]
#[schema(as = AgentList)]
#[allow(dead_code)]
pub struct AgentListDoc {
    agents: Vec<AgentWithPresenceDoc>,
}

/// A bot's handoff settings.
#[derive(ToSchema)]
#[schema(as = HandoffSettings)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct HandoffSettingsDoc {
    /// Whether visitors of this bot can be handed to a person.
    enabled: bool,
    /// When the AI should trigger a handoff on its own. Not blank.
    #[schema(schema_with = instruction_schema)]
    instruction: String,
    /// Shown when no agent is available. Not blank.
    #[schema(schema_with = offline_message_schema)]
    offline_message: String,
    /// How long a handoff waits for an agent before the visitor is told nobody is available.
    #[schema(schema_with = accept_timeout_schema)]
    accept_timeout_seconds: i32,
    /// Whether the AI keeps answering while a handoff waits.
    ai_helps_while_waiting: bool,
    /// Ask the visitor for contact details for a ticket when no live handoff can be offered (after
    /// the offline message, also when nobody accepted in time): the conversation goes to
    /// `lead_capture`. Off: the conversation stays with the AI, and the visitor cannot ask to leave
    /// details (`POST /api/v1/widget/conversations/{id}/ticket` is 409).
    lead_capture_enabled: bool,
    /// How the bot asks for contact details. Not blank.
    #[schema(schema_with = lead_capture_prompt_schema)]
    lead_capture_prompt: String,
    /// What the bot says once the details are captured. Not blank.
    #[schema(schema_with = lead_capture_success_schema)]
    lead_capture_success: String,
    ai_triggers: TriggerSettingsDoc,
    #[schema(required = false)]
    translations: HandoffTranslationsDoc,
    /// Route this bot's handoffs into the workspace's FreshChat instead of the Live Chat panel
    /// (docs/freshchat.md): with the schedule open (FreshChat agents' presence is not known to
    /// Baton), a handoff goes there and the conversation's state becomes `freshchat`. Turning it on
    /// without a saved FreshChat API URL and token is 400, field `freshchat_enabled`
    /// (`settings.freshchat_enabled` in the Handoff tool). Absent in a request: off. Cleared
    /// credentials fall back to Live Chat.
    #[schema(default = json!(false), required = false)]
    freshchat_enabled: bool,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct HandoffTranslationsEntryDoc {
    #[schema(schema_with = translated_handoff_text_schema, required = false)]
    offline_message: String,
    #[schema(schema_with = translated_handoff_text_schema, required = false)]
    lead_capture_prompt: String,
    #[schema(schema_with = translated_handoff_text_schema, required = false)]
    lead_capture_success: String,
}

/// `HandoffTranslations`: the texts of `HandoffTranslationsEntryDoc` by language code.
pub struct HandoffTranslationsDoc;

impl utoipa::PartialSchema for HandoffTranslationsDoc {
    fn schema() -> utoipa::openapi::RefOr<Schema> {
        translations_schema(
            <HandoffTranslationsEntryDoc as utoipa::PartialSchema>::schema(),
            json!({"de": {"offline_message": "Gerade ist niemand da. Möchten Sie stattdessen ein Ticket eröffnen?"}}),
            &format!(
                "The offline message and lead capture texts in other languages, by language code: \
                 a visitor whose conversation is in that language reads these (the offline \
                 reason, the offline message, the lead capture prompt and success message), \
                 everyone else the texts as written. Only {} and these three texts; each at most \
                 {MAX_OFFLINE_MESSAGE_CHARS} characters, trimmed, without control characters other \
                 than line breaks and tabs; a blank text means the one as written and is dropped. \
                 A save replaces them all; omitted in a save, the stored ones stay. Every problem \
                 is a 400 naming its field, e.g. `translations.de.offline_message` \
                 (`settings.translations.…` in the Handoff tool). Always present in answers (`{{}}` \
                 for none).",
                spoken_languages()
            ),
        )
    }
}

impl utoipa::ToSchema for HandoffTranslationsDoc {
    fn name() -> std::borrow::Cow<'static, str> {
        "HandoffTranslations".into()
    }
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct GreetingTranslationsEntryDoc {
    #[schema(schema_with = translated_greeting_schema, required = false)]
    greeting: String,
}

/// `GreetingTranslations`: the greeting by language code.
pub struct GreetingTranslationsDoc;

impl utoipa::PartialSchema for GreetingTranslationsDoc {
    fn schema() -> utoipa::openapi::RefOr<Schema> {
        translations_schema(
            <GreetingTranslationsEntryDoc as utoipa::PartialSchema>::schema(),
            json!({"de": {"greeting": "Hallo! Wie kann ich helfen?"}}),
            &format!(
                "The greeting in other languages, by language code: the widget of a visitor in \
                 that language shows it, everyone else the greeting as written. Only {}; at most \
                 {MAX_GREETING_CHARS} characters, trimmed, without control characters other than \
                 line breaks and tabs; a blank one means the greeting as written and is dropped. \
                 Given in a request, it replaces the bot's; omitted, they stay. A problem is a 400 \
                 naming its field, e.g. `translations.de.greeting`.",
                spoken_languages()
            ),
        )
    }
}

impl utoipa::ToSchema for GreetingTranslationsDoc {
    fn name() -> std::borrow::Cow<'static, str> {
        "GreetingTranslations".into()
    }
}

/// Which AI triggers are on for the bot and how sensitive each is. The visitor's explicit request
/// for a person is always honoured and is not listed here.
#[derive(ToSchema)]
#[schema(as = TriggerSettings)]
#[allow(dead_code)]
pub struct TriggerSettingsDoc {
    frustration: super::triggers::Sensitivity,
    complex_issue: super::triggers::Sensitivity,
    sales_opportunity: super::triggers::Sensitivity,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct HandoffToolBotDoc {
    id: Id,
    name: String,
}

/// All of a bot's Handoff tool settings at once, as the Agent Editor loads and saves them.
#[derive(ToSchema)]
#[schema(as = HandoffTool)]
#[allow(dead_code)]
pub struct HandoffToolDoc {
    #[schema(inline)]
    bot: HandoffToolBotDoc,
    settings: HandoffSettingsDoc,
    schedule: super::schemas::ScheduleDocumentDoc,
}

#[derive(ToSchema)]
#[schema(as = HandoffToolRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct HandoffToolRequestDoc {
    settings: HandoffSettingsDoc,
    schedule: super::schemas::ScheduleDocumentDoc,
}

#[derive(ToSchema)]
#[schema(as = TimezoneList)]
#[allow(dead_code)]
pub struct TimezoneListDoc {
    /// Sorted IANA names, e.g. `Europe/Berlin`.
    timezones: Vec<String>,
}

/// An AI agent configured by the workspace.
#[derive(ToSchema)]
#[schema(as = Bot)]
#[allow(dead_code)]
pub struct BotDoc {
    id: Id,
    name: String,
    greeting: String,
    /// The bot's own instruction to the AI (tone, what it sells); empty for none.
    persona: String,
    /// When the bot was archived; null while in use.
    #[schema(format = DateTime, required = true)]
    archived_at: Option<String>,
    translations: GreetingTranslationsDoc,
    handoff: HandoffSettingsDoc,
}

#[derive(ToSchema)]
#[schema(as = BotEnvelope)]
#[allow(dead_code)]
pub struct BotEnvelopeDoc {
    bot: BotDoc,
}

#[derive(ToSchema)]
#[schema(as = BotRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BotRequestDoc {
    /// Required when creating.
    #[schema(schema_with = bot_name_schema, required = false)]
    name: String,
    #[schema(schema_with = greeting_schema, required = false)]
    greeting: String,
    #[schema(schema_with = persona_schema, required = false)]
    persona: String,
    #[schema(required = false)]
    translations: GreetingTranslationsDoc,
}

#[derive(ToSchema)]
#[schema(as = BotList)]
#[allow(dead_code)]
pub struct BotListDoc {
    bots: Vec<BotDoc>,
}

#[derive(ToSchema)]
#[schema(as = AdminAvailability)]
#[allow(dead_code)]
pub struct AdminAvailabilityDoc {
    #[serde(flatten)]
    base: super::schemas::AvailabilityDoc,
    /// Agents online now (panel open, not away) with room for another chat.
    #[schema(minimum = 0)]
    agents_with_capacity: i32,
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum CreateAgentRequestRoleDoc {
    #[schema(rename = "admin")]
    Admin,
    #[schema(rename = "agent")]
    Agent,
}

#[derive(ToSchema)]
#[schema(as = CreateAgentRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CreateAgentRequestDoc {
    /// Must contain `@` with text on both sides and no whitespace.
    #[schema(schema_with = new_agent_email_schema)]
    email: String,
    /// 1 to 80 characters after trimming, no control characters.
    #[schema(schema_with = new_display_name_schema)]
    display_name: String,
    /// At least 10 characters and at most 1024 bytes. Left out: one is made up and returned once.
    #[schema(min_length = 10, required = false)]
    password: String,
    #[schema(inline)]
    role: CreateAgentRequestRoleDoc,
    /// Maximum concurrent chats.
    #[schema(schema_with = new_max_chats_schema, required = false)]
    max_chats: i32,
}

fn max_chats_schema() -> utoipa::openapi::Object {
    let limit = baton_domain::account::MAX_CHATS_LIMIT as usize;
    let mut schema = super::openapi::integer(1, limit, None);
    schema.description = Some("Maximum concurrent chats.".into());
    schema
}

fn update_display_name_schema() -> utoipa::openapi::Object {
    text(
        1,
        baton_domain::account::MAX_DISPLAY_NAME_CHARS,
        "1 to 80 characters after trimming, no control characters.",
    )
}

fn instruction_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_INSTRUCTION_CHARS,
        "When the AI should trigger a handoff on its own. Not blank.",
    )
}

fn offline_message_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_OFFLINE_MESSAGE_CHARS,
        "Shown when no agent is available. Not blank.",
    )
}

fn accept_timeout_schema() -> utoipa::openapi::Object {
    let (min, max) = (MIN_ACCEPT_TIMEOUT_SECONDS, MAX_ACCEPT_TIMEOUT_SECONDS);
    let mut schema = super::openapi::integer(min as usize, max as usize, None);
    schema.description = Some(
        "How long a handoff waits for an agent before the visitor is told nobody is available."
            .into(),
    );
    schema
}

fn lead_capture_prompt_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_OFFLINE_MESSAGE_CHARS,
        "How the bot asks for contact details. Not blank.",
    )
}

fn lead_capture_success_schema() -> utoipa::openapi::Object {
    text(
        1,
        MAX_OFFLINE_MESSAGE_CHARS,
        "What the bot says once the details are captured. Not blank.",
    )
}

/// A translation of one of the Handoff tool's texts (offline message, lead capture prompt and
/// success message share their limit).
fn translated_handoff_text_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(MAX_OFFLINE_MESSAGE_CHARS))
            .build(),
    )
}

fn translated_greeting_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(MAX_GREETING_CHARS))
            .build(),
    )
}

fn bot_name_schema() -> utoipa::openapi::Object {
    text(1, MAX_BOT_NAME_CHARS, "Required when creating.")
}

fn greeting_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(MAX_GREETING_CHARS))
            .build(),
    )
}

fn persona_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(MAX_PERSONA_CHARS))
            .build(),
    )
}

fn new_agent_email_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::Custom("email".into())))
            .max_length(Some(baton_domain::contact::MAX_EMAIL_LEN))
            .description(Some(
                "Must contain `@` with text on both sides and no whitespace.",
            ))
            .build(),
    )
}

fn new_display_name_schema() -> utoipa::openapi::Object {
    text(
        1,
        baton_domain::account::MAX_DISPLAY_NAME_CHARS,
        "1 to 80 characters after trimming, no control characters.",
    )
}

fn new_max_chats_schema() -> utoipa::openapi::Object {
    let mut schema = max_chats_schema();
    schema.default = Some(serde_json::json!(5));
    schema
}

/// The language codes translations are keyed by: the languages the widget speaks.
fn language_names() -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(
            baton_domain::language::Language::ALL
                .iter()
                .map(|l| l.code()),
        ))
        .build()
}

/// Texts by language code (`HandoffTranslations`, `GreetingTranslations`): each entry an `entry`,
/// keyed only by the languages the widget speaks.
fn translations_schema(
    entry: utoipa::openapi::RefOr<Schema>,
    example: serde_json::Value,
    description: &str,
) -> utoipa::openapi::RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(entry))
        .property_names(Some(language_names()))
        .examples([example])
        .description(Some(description))
        .into()
}

/// The widget's languages as prose: "`en`, `de`, `fr`, `es`, `pt`".
fn spoken_languages() -> String {
    baton_domain::language::Language::ALL
        .iter()
        .map(|l| format!("`{}`", l.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

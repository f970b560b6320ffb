//! Admin API: agent accounts and bots' handoff settings. Admins only, within their workspace.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
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

use super::auth::AdminAgent;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId};
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

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/agents", get(agents).post(create_agent))
        .route("/api/v1/agents/{id}", axum::routing::patch(update_agent))
        .route("/api/v1/bots", get(bots).post(create_bot))
        .route(
            "/api/v1/bots/{id}",
            axum::routing::patch(update_bot).delete(archive_bot),
        )
        .route(
            "/api/v1/bots/{id}/handoff-settings",
            get(handoff_settings).put(update_handoff_settings),
        )
        .route(
            "/api/v1/bots/{id}/schedule",
            get(schedule).put(update_schedule),
        )
        .route("/api/v1/bots/{id}/availability", get(availability))
        .route(
            "/api/v1/bots/{id}/handoff",
            get(handoff).put(update_handoff),
        )
        .route("/api/v1/timezones", get(timezones))
}

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

/// Changes an agent's name, role, capacity or active state. Deactivating ends their sessions and
/// panel sockets and requeues their live conversations; the last active admin stays one (409).
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

async fn schedule(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, id).await?;
    Ok(axum::Json(bot.schedule.document().clone()))
}

/// Replaces a bot's schedule. Every problem is reported, each naming its field; nothing
/// half-valid is saved.
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

/// Every IANA time zone name the server knows (the bundled tz database), for the editor's picker.
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

/// Saves the settings and the schedule together, after validating both: nothing half-valid is
/// saved.
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

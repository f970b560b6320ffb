//! Admin API: agent accounts and bots' handoff settings. Admins only, within their workspace.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use baton_domain::ids::BotId;
use baton_storage::{Bot, HandoffSettings, NewAgent, Role};
use serde::Deserialize;
use serde_json::json;

use super::auth::AdminAgent;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, parse_id};
use crate::secrets;
use crate::state::AppState;
use crate::views::{AgentView, BotView, HandoffSettingsView};

/// Limits on admin-edited text.
pub const MAX_INSTRUCTION_CHARS: usize = 2000;
pub const MAX_OFFLINE_MESSAGE_CHARS: usize = 1000;
pub const MAX_ACCEPT_TIMEOUT_SECONDS: u32 = 3600;
pub const MAX_CHATS_LIMIT: u32 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/agents", get(agents).post(create_agent))
        .route("/api/v1/bots", get(bots))
        .route(
            "/api/v1/bots/{id}/handoff-settings",
            get(handoff_settings).put(update_handoff_settings),
        )
}

async fn agents(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
) -> ApiResult<impl IntoResponse> {
    let agents = state
        .store
        .agents(admin.workspace_id)
        .await
        .map_err(|e| ApiError::from_store(e, "workspace"))?;
    let views: Vec<serde_json::Value> = agents
        .iter()
        .map(|a| {
            let mut v = serde_json::to_value(AgentView::from(a)).unwrap_or_default();
            v["connected"] = json!(state.presence.is_connected(a.id));
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
    password: String,
    role: String,
    #[serde(default = "default_max_chats")]
    max_chats: u32,
}

fn default_max_chats() -> u32 {
    5
}

/// Checks the fields of a new account the same way for the API and the CLI.
pub fn validate_new_agent(
    email: &str,
    display_name: &str,
    password: &str,
    max_chats: u32,
) -> ApiResult<()> {
    let email = email.trim();
    let at = email.find('@');
    if email.len() > 254
        || at.is_none_or(|i| i == 0 || i == email.len() - 1)
        || email.chars().any(char::is_whitespace)
    {
        return Err(ApiError::bad_request(
            "email",
            "enter a valid email address, like ana@example.com",
        ));
    }
    let name_len = display_name.trim().chars().count();
    if name_len == 0 || name_len > 80 || display_name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "display_name",
            "the name must be 1 to 80 characters",
        ));
    }
    if let Some(problem) = secrets::password_problem(password) {
        return Err(ApiError::bad_request("password", problem));
    }
    if max_chats == 0 || max_chats > MAX_CHATS_LIMIT {
        return Err(ApiError::bad_request(
            "max_chats",
            format!("max_chats must be between 1 and {MAX_CHATS_LIMIT}"),
        ));
    }
    Ok(())
}

async fn create_agent(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    ApiJson(body): ApiJson<CreateAgentRequest>,
) -> ApiResult<impl IntoResponse> {
    validate_new_agent(
        &body.email,
        &body.display_name,
        &body.password,
        body.max_chats,
    )?;
    let role = Role::parse(&body.role)
        .ok_or_else(|| ApiError::bad_request("role", "role must be \"admin\" or \"agent\""))?;
    let password = body.password;
    let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&password))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|_| ApiError::internal())?;
    let agent = state
        .store
        .create_agent(&NewAgent {
            workspace_id: admin.workspace_id,
            email: body.email.trim().to_lowercase(),
            display_name: body.display_name.trim().to_owned(),
            password_hash: hash,
            role,
            max_chats: body.max_chats,
        })
        .await
        .map_err(|e| ApiError::from_store(e, "workspace"))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "agent": AgentView::from(&agent) })),
    ))
}

async fn bots(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
) -> ApiResult<impl IntoResponse> {
    let bots = state
        .store
        .bots(admin.workspace_id)
        .await
        .map_err(|e| ApiError::from_store(e, "workspace"))?;
    let views: Vec<BotView> = bots.iter().map(BotView::from).collect();
    Ok(axum::Json(json!({ "bots": views })))
}

async fn admin_bot(state: &AppState, admin: &baton_storage::Agent, id: &str) -> ApiResult<Bot> {
    let bot = state
        .store
        .bot(parse_id::<BotId>(id, "bot")?)
        .await
        .map_err(|e| ApiError::from_store(e, "bot"))?;
    if bot.workspace_id != admin.workspace_id {
        return Err(ApiError::not_found("bot"));
    }
    Ok(bot)
}

async fn handoff_settings(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, &id).await?;
    Ok(axum::Json(HandoffSettingsView::from(&bot.handoff)))
}

async fn update_handoff_settings(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HandoffSettingsView>,
) -> ApiResult<impl IntoResponse> {
    let bot = admin_bot(&state, &admin, &id).await?;
    if body.instruction.trim().is_empty()
        || body.instruction.chars().count() > MAX_INSTRUCTION_CHARS
    {
        return Err(ApiError::bad_request(
            "instruction",
            format!("the instruction must be 1 to {MAX_INSTRUCTION_CHARS} characters"),
        ));
    }
    if body.offline_message.trim().is_empty()
        || body.offline_message.chars().count() > MAX_OFFLINE_MESSAGE_CHARS
    {
        return Err(ApiError::bad_request(
            "offline_message",
            format!("the offline message must be 1 to {MAX_OFFLINE_MESSAGE_CHARS} characters"),
        ));
    }
    if body.accept_timeout_seconds < 10 || body.accept_timeout_seconds > MAX_ACCEPT_TIMEOUT_SECONDS
    {
        return Err(ApiError::bad_request(
            "accept_timeout_seconds",
            format!(
                "the accept timeout must be between 10 and {MAX_ACCEPT_TIMEOUT_SECONDS} seconds"
            ),
        ));
    }
    let settings = HandoffSettings {
        enabled: body.enabled,
        instruction: body.instruction.trim().to_owned(),
        offline_message: body.offline_message.trim().to_owned(),
        accept_timeout_seconds: body.accept_timeout_seconds,
        ai_helps_while_waiting: body.ai_helps_while_waiting,
    };
    state
        .store
        .update_handoff_settings(bot.id, &settings)
        .await
        .map_err(|e| ApiError::from_store(e, "bot"))?;
    Ok(axum::Json(HandoffSettingsView::from(&settings)))
}

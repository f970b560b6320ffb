//! FreshChat routes (docs/freshchat.md): the webhook FreshChat calls, public and authorised only
//! by the RSA signature over the exact raw body, and the admins' "test the credentials" call. The
//! credentials themselves are fields of `/api/v1/integrations` (see `http::tickets`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use baton_domain::ids::WorkspaceId;
use baton_storage::FreshchatSettings;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::AdminAgent;
use super::error::{ApiError, ApiResult};
use super::extract::PathId;
use super::openapi::{
    BadGateway, BadRequest, Forbidden, Id, NotFound, PayloadTooLarge, Unauthorized, always_true,
};
use crate::freshchat::client::FreshchatError;
use crate::freshchat::events;
use crate::freshchat::signature::WebhookKey;
use crate::state::AppState;

/// The largest webhook body accepted (FreshChat messages with several parts stay far below);
/// applied where the router is merged.
pub const MAX_WEBHOOK_BYTES: usize = 256 * 1024;
/// The longest credential field accepted.
pub const MAX_FIELD_CHARS: usize = 4096;
/// The longest FreshChat channel id accepted.
pub const MAX_CHANNEL_ID_CHARS: usize = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(webhook))
        .routes(routes!(test))
}

#[derive(Serialize, ToSchema)]
#[schema(as = FreshchatWebhookAck)]
pub struct WebhookAck {
    #[schema(schema_with = always_true)]
    ok: bool,
    /// The same event was received before; nothing new was stored.
    duplicate: bool,
}

#[derive(Serialize, ToSchema)]
#[schema(as = FreshchatTestResult)]
pub struct TestResult {
    #[schema(schema_with = always_true)]
    ok: bool,
    /// The enabled channels (topics) FreshChat lists.
    #[schema(value_type = Vec<ChannelDoc>)]
    channels: Vec<crate::freshchat::client::Channel>,
}

/// A FreshChat channel (`freshchat::client::Channel`).
#[derive(ToSchema)]
#[schema(as = FreshchatChannel)]
#[allow(dead_code)]
struct ChannelDoc {
    id: String,
    name: String,
}

/// FreshChat's webhook (called by FreshChat)
///
/// Public: authorised only by `X-Freshchat-Signature`, the base64 RSA PKCS#1 v1.5 SHA-256
/// signature of the exact raw body, checked with the workspace's `freshchat_webhook_public_key`
/// before the body is read. A missing or wrong signature, or no saved key, is 401 and nothing is
/// stored. A verified event is stored once (by message id; lifecycle events by action,
/// conversation and action time) and answered at once, then applied: an agent's normal message
/// appears in the widget under the agent's name, an assignment says "<name> joined the chat."
/// once, a resolution closes the conversation (the AI answers the next message), a reopen gives
/// it back to FreshChat. Private notes, system messages and the echo of Baton's own posts are
/// dropped. Body at most 256 KiB. See docs/freshchat.md.
#[utoipa::path(
    post,
    path = "/api/v1/integrations/freshchat/webhook/{workspace_id}",
    tag = "admin",
    operation_id = "freshchatWebhook",
    params(
        ("workspace_id" = Id, Path, description = "The workspace's id."),
        ("X-Freshchat-Signature" = String, Header, description = "Base64 RSA-SHA256 signature of the raw body."),
    ),
    request_body(
        content = Object,
        description = "A FreshChat webhook event: `actor`, `action` (`message_create`, \
         `conversation_assignment`, `conversation_resolution` or `conversation_reopen`), \
         `action_time`, `data`.",
    ),
    responses(
        (status = 200, description = "Verified and stored, or a duplicate of a stored event.", body = WebhookAck),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    )
)]
async fn webhook(
    State(state): State<AppState>,
    PathId(workspace_id): PathId<WorkspaceId>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<WebhookAck>> {
    let settings = state.store.freshchat_settings(workspace_id).await?;
    let key = settings
        .webhook_public_key
        .as_deref()
        .and_then(|k| WebhookKey::parse(k).ok())
        .ok_or_else(|| {
            ApiError::unauthorized("no FreshChat webhook key is configured for this workspace")
        })?;
    let signature = headers
        .get("x-freshchat-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::unauthorized("the X-Freshchat-Signature header is missing"))?;
    if !key.verify(&body, signature) {
        tracing::warn!(workspace = %workspace_id, "FreshChat webhook with a bad signature refused");
        return Err(ApiError::unauthorized(
            "the X-Freshchat-Signature does not match the body",
        ));
    }
    let parsed: Value = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("body", "the body is not JSON"))?;
    let Some(intake) = events::intake(&parsed) else {
        return Err(ApiError::bad_request(
            "action",
            "not a FreshChat event (no action, or a message without an id)",
        ));
    };
    // Verified bytes are valid JSON, hence UTF-8.
    let text = String::from_utf8_lossy(&body);
    let stored = state
        .store
        .record_freshchat_event(
            workspace_id,
            &intake.dedupe_key,
            &intake.action,
            &intake.action_time,
            &text,
            false,
        )
        .await?;
    if stored {
        state.wake(crate::cluster::Job::FreshchatEvents);
    }
    Ok(Json(WebhookAck {
        ok: true,
        duplicate: !stored,
    }))
}

/// Check the saved FreshChat credentials
///
/// Calls FreshChat's `GET /channels` with the saved API URL and token and lists the channels, or
/// says what failed: 502 with a `freshchat_` code and the field to fix (see the BadGateway
/// response). 400 (field `freshchat_api_url` or `freshchat_api_token`) when either is not saved.
/// No request body. See docs/freshchat.md.
#[utoipa::path(
    post,
    path = "/api/v1/integrations/freshchat/test",
    tag = "admin",
    operation_id = "testFreshchat",
    security(("agentSession" = [], "csrfToken" = [])),
    responses(
        (status = 200, description = "FreshChat answered with these channels.", body = TestResult),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 502, response = BadGateway),
    )
)]
async fn test(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
) -> ApiResult<Json<TestResult>> {
    let settings = state.store.freshchat_settings(admin.workspace_id).await?;
    if settings.api_url.is_none() {
        return Err(ApiError::bad_request(
            "freshchat_api_url",
            "save the FreshChat API URL first",
        ));
    }
    if settings.api_token.is_none() {
        return Err(ApiError::bad_request(
            "freshchat_api_token",
            "save the FreshChat API token first",
        ));
    }
    let api = state.freshchat.api(&settings).map_err(upstream)?;
    let channels = api.channels().await.map_err(upstream)?;
    if let Some(wanted) = &settings.channel_id
        && !channels.iter().any(|c| &c.id == wanted)
    {
        return Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "freshchat_unknown_channel",
            format!("FreshChat lists no channel with the id {wanted}"),
        )
        .field("freshchat_channel_id"));
    }
    Ok(Json(TestResult { ok: true, channels }))
}

/// A FreshChat failure as a 502 naming what failed and which field to fix.
fn upstream(err: FreshchatError) -> ApiError {
    let (code, field) = match &err {
        FreshchatError::Unauthorized(_) => ("freshchat_unauthorized", "freshchat_api_token"),
        FreshchatError::Unreachable(_) => ("freshchat_unreachable", "freshchat_api_url"),
        FreshchatError::UrlRefused(_) | FreshchatError::NotConfigured => {
            ("freshchat_url_refused", "freshchat_api_url")
        }
        FreshchatError::NoChannel => ("freshchat_unknown_channel", "freshchat_channel_id"),
        FreshchatError::RateLimited { .. } => ("freshchat_rate_limited", "freshchat_api_url"),
        FreshchatError::Server(_) => ("freshchat_unavailable", "freshchat_api_url"),
        FreshchatError::Rejected { .. } | FreshchatError::BadResponse(_) => {
            ("freshchat_error", "freshchat_api_url")
        }
    };
    ApiError::new(StatusCode::BAD_GATEWAY, code, err.to_string()).field(field)
}

/// The FreshChat fields of `PUT /api/v1/integrations`: absent keeps a field, `null` clears it.
#[derive(Deserialize, Default)]
pub struct FreshchatFields {
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    pub freshchat_api_url: Option<Option<String>>,
    /// Write-only: never returned or logged.
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    pub freshchat_api_token: Option<Option<String>>,
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    pub freshchat_channel_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "keep_clear_or_set")]
    pub freshchat_webhook_public_key: Option<Option<String>>,
}

fn keep_clear_or_set<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl FreshchatFields {
    pub fn is_empty(&self) -> bool {
        self.freshchat_api_url.is_none()
            && self.freshchat_api_token.is_none()
            && self.freshchat_channel_id.is_none()
            && self.freshchat_webhook_public_key.is_none()
    }

    /// Applies the fields to `current`, validating each; the first problem names its field.
    pub fn apply(self, state: &AppState, current: &mut FreshchatSettings) -> ApiResult<()> {
        let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let bounded = |field: &str, v: &Option<String>| -> ApiResult<()> {
            match v {
                Some(s) if s.chars().count() > MAX_FIELD_CHARS => Err(ApiError::bad_request(
                    field,
                    format!("at most {MAX_FIELD_CHARS} characters"),
                )),
                _ => Ok(()),
            }
        };
        if let Some(url) = self.freshchat_api_url {
            let url = clean(url);
            bounded("freshchat_api_url", &url)?;
            if let Some(raw) = &url {
                let parsed = state.outbound.check_url(raw).map_err(|why| {
                    ApiError::bad_request(
                        "freshchat_api_url",
                        format!("the FreshChat API URL is refused: {why}"),
                    )
                })?;
                if !parsed.path().trim_end_matches('/').ends_with("/v2") {
                    return Err(ApiError::bad_request(
                        "freshchat_api_url",
                        "the FreshChat API URL ends with /v2, e.g. https://acme.freshchat.com/v2",
                    ));
                }
            }
            current.api_url = url.map(|u| u.trim_end_matches('/').to_owned());
        }
        if let Some(token) = self.freshchat_api_token {
            let token = clean(token).map(|t| {
                // Some admins paste "Bearer <token>".
                t.strip_prefix("Bearer ")
                    .map(|r| r.trim().to_owned())
                    .unwrap_or(t)
            });
            bounded("freshchat_api_token", &token)?;
            if token
                .as_ref()
                .is_some_and(|t| t.chars().any(|c| c.is_whitespace() || c.is_control()))
            {
                return Err(ApiError::bad_request(
                    "freshchat_api_token",
                    "the API token has no spaces or line breaks; paste it as FreshChat shows it",
                ));
            }
            current.api_token = token;
        }
        if let Some(channel) = self.freshchat_channel_id {
            let channel = clean(channel);
            if channel.as_ref().is_some_and(|c| {
                c.chars().count() > MAX_CHANNEL_ID_CHARS || c.chars().any(char::is_control)
            }) {
                return Err(ApiError::bad_request(
                    "freshchat_channel_id",
                    format!("the channel id is at most {MAX_CHANNEL_ID_CHARS} characters"),
                ));
            }
            current.channel_id = channel;
        }
        if let Some(key) = self.freshchat_webhook_public_key {
            let key = clean(key);
            bounded("freshchat_webhook_public_key", &key)?;
            if let Some(text) = &key {
                WebhookKey::parse(text).map_err(|why| {
                    ApiError::bad_request(
                        "freshchat_webhook_public_key",
                        format!("the webhook public key is refused: {why}; paste it from FreshChat's webhook settings page"),
                    )
                })?;
            }
            current.webhook_public_key = key;
        }
        Ok(())
    }
}

/// The FreshChat part of the integrations answer (the token only as `freshchat_token_set`).
pub fn settings_view(
    settings: &FreshchatSettings,
    workspace_id: WorkspaceId,
    base_url: &str,
) -> Value {
    json!({
        "freshchat_api_url": settings.api_url,
        "freshchat_token_set": settings.api_token.is_some(),
        "freshchat_channel_id": settings.channel_id,
        "freshchat_webhook_public_key": settings.webhook_public_key,
        "freshchat_webhook_url": format!(
            "{}/api/v1/integrations/freshchat/webhook/{workspace_id}",
            base_url.trim_end_matches('/')
        ),
    })
}

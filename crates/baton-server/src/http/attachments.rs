//! Attachments at the edge: uploads by the visitor (bearer token) and by the owning agent
//! (session cookie and CSRF header) as `multipart/form-data`, and downloads served so a file can
//! never run in Baton's origin (docs/api.md, "Attachments").
//!
//! Access rules and limits are checked before the body is read, then the body is streamed to a
//! temporary file; what the file is comes from its bytes (`baton_domain::attachment`).

use axum::Router;
use axum::body::Body;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use baton_domain::attachment::{self, FileType};
use baton_domain::entity::Entity;
use baton_domain::ids::{AttachmentId, ConversationId};
use serde::Deserialize;
use serde_json::json;

use super::auth::{CurrentAgent, VisitorConversation};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiQuery, PathId};
use crate::service::{Sender, Upload};
use crate::state::AppState;
use crate::views::MessageView;

/// Room for the multipart framing and the `client_id` field around the largest file.
pub const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;

/// The longest `client_id` field read (longer ones are refused anyway).
const MAX_FIELD_BYTES: usize = 1024;

/// The routes a widget calls from a customer's site (CORS): the visitor's upload and the
/// download.
pub fn widget_router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/widget/conversations/{id}/attachments",
            post(visitor_upload),
        )
        .route("/api/v1/attachments/{attachment_id}", get(download))
}

/// The agent's upload (same origin, cookie and CSRF header).
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/conversations/{id}/attachments", post(agent_upload))
}

async fn visitor_upload(
    State(state): State<AppState>,
    VisitorConversation(conversation): VisitorConversation,
    body: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let upload = read_upload(&state, body).await?;
    let sent = state
        .send_attachment(&conversation, Sender::Visitor, upload)
        .await?;
    Ok(created(sent))
}

async fn agent_upload(
    State(state): State<AppState>,
    current: CurrentAgent,
    PathId(id): PathId<ConversationId>,
    body: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    // Another workspace's conversation is "not found" before anything of the body is read.
    let conversation = state.agent_conversation(&current.agent, id).await?;
    let upload = read_upload(&state, body).await?;
    let sent = state
        .send_attachment(&conversation, Sender::Agent(&current.agent), upload)
        .await?;
    Ok(created(sent))
}

fn created(sent: crate::service::Sent) -> Response {
    let status = if sent.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    (
        status,
        axum::Json(json!({ "message": MessageView::from(&sent.message) })),
    )
        .into_response()
}

/// Reads the multipart body: one `file` part (streamed to a temporary file, refused as soon as
/// it passes the size limit) and a `client_id` field.
async fn read_upload(
    state: &AppState,
    body: Result<Multipart, MultipartRejection>,
) -> ApiResult<Upload> {
    let max = state.config.limits.max_attachment_bytes;
    let mut multipart = body.map_err(|rejection| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!(
                "send the file as multipart/form-data with a `file` part and a `client_id` field ({})",
                rejection.body_text()
            ),
        )
        .field("body")
    })?;
    let mut client_id = None;
    let mut file = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, max))?
    {
        match field.name() {
            Some("client_id") => {
                let mut value = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, max))? {
                    value.extend_from_slice(&chunk);
                    if value.len() > MAX_FIELD_BYTES {
                        return Err(ApiError::bad_request("client_id", "client_id is too long"));
                    }
                }
                let value = String::from_utf8(value)
                    .map_err(|_| ApiError::bad_request("client_id", "client_id is not text"))?;
                client_id = Some(value);
            }
            Some("file") => {
                if file.is_some() {
                    return Err(ApiError::bad_request("file", "send one file per request"));
                }
                let name = field.file_name().unwrap_or("").to_owned();
                let mut incoming = state
                    .blobs
                    .begin(attachment::SNIFF_BYTES)
                    .await
                    .map_err(|e| ApiError::internal("cannot start receiving an attachment", e))?;
                while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, max))? {
                    if incoming.size() + chunk.len() as u64 > max as u64 {
                        return Err(too_large(max));
                    }
                    incoming
                        .write(&chunk)
                        .await
                        .map_err(|e| ApiError::internal("cannot write an attachment", e))?;
                }
                file = Some((name, incoming));
            }
            other => {
                let other = other.unwrap_or("").to_owned();
                return Err(ApiError::bad_request(
                    &other,
                    "unknown field: send only `file` and `client_id`",
                ));
            }
        }
    }
    let client_id =
        client_id.ok_or_else(|| ApiError::bad_request("client_id", "client_id is missing"))?;
    let (file_name, file) =
        file.ok_or_else(|| ApiError::bad_request("file", "the `file` part is missing"))?;
    Ok(Upload {
        client_id,
        file_name,
        file,
    })
}

fn too_large(max: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("the file is larger than the limit of {max} bytes (max_attachment_bytes)"),
    )
    .field("file")
}

/// A body that is cut off or malformed is a 400; one past the route's body limit a 413.
fn multipart_error(e: MultipartError, max: usize) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large(max);
    }
    ApiError::bad_request(
        "body",
        format!(
            "the multipart body is malformed or incomplete: {}",
            e.body_text()
        ),
    )
}

#[derive(Deserialize)]
struct DownloadQuery {
    /// The visitor's token, for `<img src>` and links that cannot send a header.
    #[serde(default)]
    token: Option<String>,
    /// A signed link's expiry (unix seconds) and signature, for people without a session
    /// (FreshChat agents): both or neither.
    #[serde(default)]
    exp: Option<String>,
    #[serde(default)]
    sig: Option<String>,
}

/// Serves a file to the conversation's visitor (bearer token or `?token=`), to an agent of its
/// workspace (cookie), or to whoever holds a signed link that has not expired (`?exp=&sig=`). Only raster images whose bytes were checked are shown inline; every
/// answer carries `nosniff` and a sandboxing CSP, so nothing served can run as our page.
async fn download(
    State(state): State<AppState>,
    PathId(id): PathId<AttachmentId>,
    ApiQuery(query): ApiQuery<DownloadQuery>,
    mut parts: Parts,
) -> ApiResult<Response> {
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_owned())
        });
    let token = bearer.or(query.token).filter(|t| !t.is_empty());
    let signed = match (query.exp, query.sig) {
        (None, None) => None,
        (Some(exp), Some(sig)) => Some((exp, sig)),
        (None, Some(_)) => return Err(ApiError::bad_request("exp", "a signed link needs exp")),
        (Some(_), None) => return Err(ApiError::bad_request("sig", "a signed link needs sig")),
    };
    let attachment = match (signed, token) {
        (Some((exp, sig)), _) => {
            state.check_attachment_link(id, &exp, &sig).await?;
            state.store.attachment(id).await?
        }
        (None, Some(token)) => {
            let attachment = state.store.attachment(id).await?;
            // 403 for another conversation's token, as on every widget route.
            state
                .visitor_conversation(attachment.conversation_id, &token)
                .await?;
            attachment
        }
        (None, None) => {
            let current = CurrentAgent::from_request_parts(&mut parts, &state)
                .await
                .map_err(|_| {
                    ApiError::unauthorized(
                        "log in, or send the visitor token (`Authorization: Bearer` or `?token=`)",
                    )
                })?;
            let attachment = state.store.attachment(id).await?;
            if attachment.workspace_id != current.agent.workspace_id {
                return Err(ApiError::not_found(Entity::Attachment));
            }
            attachment
        }
    };
    let reader = state.blobs.open(&attachment.sha256).await.map_err(|e| {
        let context = format!("the bytes of attachment {} are missing", attachment.id);
        ApiError::internal(&context, e)
    })?;
    let file_type = FileType::parse(&attachment.content_type);
    let content_type = match file_type {
        Some(t) if t.is_inline_image() => t.content_type(),
        _ => "application/octet-stream",
    };
    let disposition = attachment::content_disposition(file_type, &attachment.name);
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(reader)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition)
            .map_err(|e| ApiError::internal("an attachment's name makes no header", e))?,
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(attachment.size));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    // The URL may carry the visitor's token: never pass it on.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(response)
}

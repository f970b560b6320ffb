//! Attachments at the edge: uploads by the visitor (bearer token) and by the owning agent
//! (session cookie and CSRF header) as `multipart/form-data`, and downloads served so a file can
//! never run in Baton's origin (docs/api.md, "Attachments").
//!
//! Access rules and limits are checked before the body is read, then the body is streamed to a
//! temporary file; what the file is comes from its bytes (`baton_domain::attachment`).

use axum::body::Body;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use baton_domain::attachment::{self, FileType};
use baton_domain::entity::Entity;
use baton_domain::ids::{AttachmentId, ConversationId};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentAgent, VisitorConversation};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiQuery, PathId};
use super::openapi::{
    BadRequest, Conflict, Forbidden, Id, NotFound, Overloaded, PayloadTooLarge, TooManyRequests,
    Unauthorized, UnsupportedFileType, query_param, text,
};
use crate::service::{Sender, Upload};
use crate::state::AppState;
use crate::views::MessageView;

/// Room for the multipart framing and the `client_id` field around the largest file.
pub const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;

/// The longest `client_id` field read (longer ones are refused anyway).
const MAX_FIELD_BYTES: usize = 1024;

/// The routes a widget calls from a customer's site (CORS): the visitor's upload and the
/// download.
pub fn widget_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(visitor_upload))
        .routes(routes!(download))
}

/// The agent's upload (same origin, cookie and CSRF header).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(agent_upload))
}

/// Send a file as the visitor
///
/// Uploads one file as `multipart/form-data` (a `file` part and a `client_id` field) and appends a
/// message of kind `attachment` showing it. The visitor may always send a file, as they may always
/// write (a closed conversation is reopened); the bot does not answer a file. What the file is
/// comes from its bytes, not from its name or the part's content type: PNG, JPEG, GIF, WebP, PDF,
/// plain text (.txt, .log), CSV, ZIP and Word, Excel and PowerPoint documents are accepted by
/// default; SVG, HTML and programs never. The sender's file name is kept only as a display name
/// (directories and control characters removed, at most 200 characters). Idempotent by `client_id`
/// as text messages are. Limits: `max_attachment_bytes` (default 10 MiB, 413),
/// `max_attachments_per_conversation` (default 20, 409), and the visitor's message rate (429). A
/// refused upload stores nothing. Download the file with `GET /api/v1/attachments/{attachment_id}`.
#[utoipa::path(
    post,
    path = "/api/v1/widget/conversations/{id}/attachments",
    tag = "widget",
    operation_id = "sendVisitorAttachment",
    security(("visitorToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    request_body(content = AttachmentUploadDoc, content_type = "multipart/form-data"),
    responses(
        (
            status = 201,
            description = "The file was stored and the message showing it appended (`kind` \
                           `attachment`; `text` is the file's display name; `data` is `{attachment_id, name, \
                           content_type, size}`).",
            body = super::schemas::MessageEnvelopeDoc,
            example = json!({
                "message": {
                    "id": "01973a60-1b2c-7d3e-8f40-5a6b7c8d9e10",
                    "conversation_id": "01973a5f-0a2b-7c4d-8e6f-1a2b3c4d5e6f",
                    "seq": 4,
                    "kind": "attachment",
                    "author_kind": "visitor",
                    "author_name": "Vera",
                    "text": "receipt.png",
                    "client_id": "v-file-1",
                    "data": {
                        "attachment_id": "01973a60-1b2c-7d3e-8f40-5a6b7c8d9e11",
                        "name": "receipt.png",
                        "content_type": "image/png",
                        "size": 48213
                    },
                    "created_at": "2025-06-01T09:31:12.000456Z"
                }
            }),
        ),
        (
            status = 200,
            description = "A retry: this `client_id` was already stored; the stored message is \
                           returned and nothing new is created (the file sent again is not kept).",
            body = super::schemas::MessageEnvelopeDoc,
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedFileType),
        (status = 429, response = TooManyRequests),
        (status = 503, response = Overloaded),
    )
)]
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

/// Send a file as the owning agent
///
/// As `POST /api/v1/widget/conversations/{id}/attachments`, for the agent who owns the conversation
/// (409 `not_owner` for anyone else, as for text messages). A conversation of another workspace is
/// 404, before the body is read.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/attachments",
    tag = "agent",
    operation_id = "sendAgentAttachment",
    security(("agentSession" = [], "csrfToken" = [])),
    params(("id" = Id, Path, description = "The conversation's id.")),
    request_body(content = AttachmentUploadDoc, content_type = "multipart/form-data"),
    responses(
        (
            status = 201,
            description = "The file was stored and the message showing it appended (`kind` \
                           `attachment`; `text` is the file's display name; `data` is `{attachment_id, name, \
                           content_type, size}`).",
            body = super::schemas::MessageEnvelopeDoc,
            example = json!({
                "message": {
                    "id": "01973a60-1b2c-7d3e-8f40-5a6b7c8d9e10",
                    "conversation_id": "01973a5f-0a2b-7c4d-8e6f-1a2b3c4d5e6f",
                    "seq": 4,
                    "kind": "attachment",
                    "author_kind": "agent",
                    "author_name": "Ada",
                    "text": "receipt.png",
                    "client_id": "a-file-1",
                    "data": {
                        "attachment_id": "01973a60-1b2c-7d3e-8f40-5a6b7c8d9e11",
                        "name": "receipt.png",
                        "content_type": "image/png",
                        "size": 48213
                    },
                    "created_at": "2025-06-01T09:31:12.000456Z"
                }
            }),
        ),
        (
            status = 200,
            description = "A retry: this `client_id` was already stored; the stored message is \
                           returned and nothing new is created (the file sent again is not kept).",
            body = super::schemas::MessageEnvelopeDoc,
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedFileType),
        (status = 503, response = Overloaded),
    )
)]
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
                "send the file as multipart/form-data with a `file` part and a `client_id` field \
                 ({})",
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

impl utoipa::IntoParams for DownloadQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![
            query_param(
                "token",
                "The visitor's token, when it cannot be sent as a header.",
                ObjectBuilder::new().schema_type(Type::String),
            ),
            query_param(
                "exp",
                "A signed link's expiry, in unix seconds (with `sig`).",
                ObjectBuilder::new().schema_type(Type::String),
            ),
            query_param(
                "sig",
                "A signed link's signature: hex HMAC-SHA256 of `<attachment_id>.<exp>` under a \
                 secret only the server knows (with `exp`).",
                ObjectBuilder::new().schema_type(Type::String),
            ),
        ]
    }
}

// Serves a file to the conversation's visitor (bearer token or `?token=`), to an agent of its
// workspace (cookie), or to whoever holds a signed link that has not expired (`?exp=&sig=`).
// Only raster images whose bytes were checked are shown inline; every answer carries `nosniff`
// and a sandboxing CSP, so nothing served can run as our page.
/// Download a file sent in a conversation
///
/// For the conversation's visitor (the token as `Authorization: Bearer` or, for `<img src>` and
/// links, as `?token=`), for every agent of its workspace (the session cookie), and for whoever
/// holds a signed link (`?exp=&sig=`, made for FreshChat agents, who have no Baton session; valid
/// for the server's `--attachment-link-days`, default 7). Another conversation's token is 403;
/// another workspace's agent gets 404; a signed link that was altered is 403 `invalid_link`, one
/// past its expiry 403 `link_expired`, half of one (`exp` without `sig` or the reverse) 400 naming
/// the missing one. Served so it cannot run in this origin: PNG, JPEG, GIF and WebP images (as
/// their bytes showed at upload) are `inline` with that image type; everything else is
/// `application/octet-stream` with `Content-Disposition: attachment`. Every answer carries
/// `X-Content-Type-Options: nosniff`, `Content-Security-Policy: default-src 'none'; sandbox` and
/// `Referrer-Policy: no-referrer`.
#[utoipa::path(
    get,
    path = "/api/v1/attachments/{attachment_id}",
    tags = ["widget", "agent"],
    operation_id = "downloadAttachment",
    security(("visitorToken" = []), ("agentSession" = [])),
    params(
        ("attachment_id" = Id, Path, description = "The attachment's id (`data.attachment_id` of \
                                                    its message)."),
        DownloadQuery,
    ),
    responses(
        (status = 200, description = "The file's bytes.",
         content(
            (inline(super::openapi::Binary) = "image/png"),
            (inline(super::openapi::Binary) = "image/jpeg"),
            (inline(super::openapi::Binary) = "image/gif"),
            (inline(super::openapi::Binary) = "image/webp"),
            (inline(super::openapi::Binary) = "application/octet-stream"),
         ),
         headers(
            (
                "Content-Disposition" = String,
                description = "`inline` for raster images, otherwise `attachment`; the display \
                               name as `filename*=UTF-8''…`."
            ),
            ("X-Content-Type-Options" = String, description = "Always `nosniff`."),
            ("Content-Security-Policy" = String, description = "Always `default-src 'none'; sandbox`."),
         )),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
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

/// One file and its idempotency key, as `multipart/form-data`.
#[derive(ToSchema)]
#[schema(as = AttachmentUpload)]
#[allow(dead_code)]
pub struct AttachmentUploadDoc {
    /// The sender's idempotency key, as for text messages.
    #[schema(schema_with = upload_client_id_schema)]
    client_id: String,
    /// The file (not empty; at most `max_attachment_bytes`, default 10 MiB). Its `filename` is
    /// shown, made safe; its type is read from its bytes.
    #[schema(schema_with = upload_file_schema)]
    file: String,
}

fn upload_client_id_schema() -> utoipa::openapi::Object {
    text(
        1,
        baton_domain::message::ClientMessageId::MAX_LEN,
        "The sender's idempotency key, as for text messages.",
    )
}

fn upload_file_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Binary,
            )))
            .description(Some(
                "The file (not empty; at most `max_attachment_bytes`, default 10 MiB). Its \
                 `filename` is shown, made safe; its type is read from its bytes.",
            ))
            .extensions(Some(
                utoipa::openapi::extensions::ExtensionsBuilder::new()
                    .add(
                        "x-maxBytes",
                        crate::config::Limits::default().max_attachment_bytes,
                    )
                    .add(
                        "x-maxPerConversation",
                        crate::config::Limits::default().max_attachments_per_conversation,
                    )
                    .build(),
            ))
            .build(),
    )
}

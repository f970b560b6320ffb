//! The OpenAPI 3.1 document of the HTTP API, served at `GET /api/v1/openapi.json`, and the Swagger
//! UI page that shows it at `/api/docs`.
//!
//! The document is derived from the code: each router is a `utoipa_axum` [`OpenApiRouter`] whose
//! handlers carry `#[utoipa::path]`, and request and response types derive `ToSchema` with their
//! limits taken from the constants the validators use. This module owns the assembly and the
//! shared pieces (the introduction, the tags, the error responses, the security schemes); the
//! operations and their schemas belong to their routers (`schemas.rs` holds those several routers
//! share).

use std::sync::{Arc, LazyLock};

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{self, ContentBuilder, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToResponse};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use crate::state::AppState;

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";
/// Where the Swagger UI page is served.
pub const DOCS_PATH: &str = "/api/docs";

/// The pieces every operation shares: the introduction, the tags, the error responses and the
/// security schemes.
#[derive(OpenApi)]
#[openapi(
    info(title = "Baton API", version = "1"),
    servers((url = "/", description = "The Baton server that serves this document.")),
    tags(
        (name = "widget", description = "The visitor's API, used by the embeddable widget. Authorised by the conversation's bearer token; callable from any origin."),
        (name = "auth", description = "Agent login, logout and the current session."),
        (name = "agent", description = "The Live Chat panel: presence, the handoff queue, accepting, chatting, handing back and resolving, reading every conversation of the workspace."),
        (name = "analytics", description = "Handoff analytics: outcomes, waits, agents' figures and hours of the day over a time range, and the handoffs behind them as CSV. Any agent of the workspace."),
        (name = "tickets", description = "Tickets created from visitors' contact details: list, read with the transcript, assign, change status or priority, internal notes, replies emailed to the visitor. Any agent of the workspace."),
        (name = "admin", description = "Agent accounts, bots' handoff settings, the workspace's integrations (notification email, webhook, its own AI model, FreshChat) and the delivery outbox. Admins only, within their own workspace; FreshChat's webhook is public and signed."),
        (name = "saved-replies", description = "Saved replies: canned answers agents insert by typing `/shortcut` in the reply box. Every agent reads them; admins manage them."),
        (name = "triggers", description = "What the built-in trigger engine would do with a visitor's words and why, as the Agent Editor's \"Try a sentence\" box shows it. Any agent of the workspace; nothing is stored."),
        (name = "knowledge", description = "A bot's knowledge, which it answers from: Q&A entries and Markdown documents, and a preview of what a question finds. Admins only, within their own workspace."),
        (name = "websocket", description = "WebSocket endpoints. The frames they carry are documented in docs/websocket.md."),
        (name = "meta", description = "Health check and this document."),
    ),
    components(
        schemas(ErrorBody),
        responses(
            BadGateway,
            BadRequest,
            Unauthorized,
            Forbidden,
            NotFound,
            Conflict,
            PayloadTooLarge,
            UnsupportedMediaType,
            TooManyRequests,
            Overloaded,
            UnsupportedFileType,
            Archived,
        )
    ),
    modifiers(&SecuritySchemes)
)]
struct Shared;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some(
            "The token returned by `POST /api/v1/widget/conversations`, as `Authorization: Bearer \
             <token>`. It opens that one conversation only: used on another conversation it is 403."
                .into(),
        );
        components.add_security_scheme(VISITOR_TOKEN, SecurityScheme::Http(bearer));
        components.add_security_scheme(
            AGENT_SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::http::auth::SESSION_COOKIE,
                "The HttpOnly session cookie set by `POST /api/v1/auth/login`. Missing or \
                 expired: 401.",
            ))),
        );
        components.add_security_scheme(
            CSRF_TOKEN,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's CSRF token (`csrf_token` from login or `GET /api/v1/me`). Required \
                 with the session cookie on every POST, PUT, PATCH and DELETE; missing or wrong: \
                 403.",
            ))),
        );
    }
}

/// An id in the API: a UUIDv7 string. Fields take this schema with `#[schema(value_type = Id)]`.
pub struct Id;

impl utoipa::PartialSchema for Id {
    fn schema() -> RefOr<openapi::schema::Schema> {
        openapi::ObjectBuilder::new()
            .schema_type(openapi::schema::Type::String)
            .format(Some(openapi::SchemaFormat::KnownFormat(
                openapi::KnownFormat::Uuid,
            )))
            .description(Some("A UUIDv7."))
            .examples([serde_json::json!("01973a5f-0a2b-7c4d-8e6f-1a2b3c4d5e6f")])
            .into()
    }
}

impl utoipa::ToSchema for Id {}

/// A file's bytes in a response body: a binary string.
pub struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> RefOr<openapi::schema::Schema> {
        openapi::ObjectBuilder::new()
            .schema_type(openapi::schema::Type::String)
            .format(Some(openapi::SchemaFormat::KnownFormat(
                openapi::KnownFormat::Binary,
            )))
            .into()
    }
}

impl utoipa::ToSchema for Binary {}

/// A point in time in the API: RFC 3339 in UTC (`#[schema(value_type = Timestamp)]`).
pub struct Timestamp;

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> RefOr<openapi::schema::Schema> {
        openapi::ObjectBuilder::new()
            .schema_type(openapi::schema::Type::String)
            .format(Some(openapi::SchemaFormat::KnownFormat(
                openapi::KnownFormat::DateTime,
            )))
            .description(Some("RFC 3339, UTC."))
            .examples([serde_json::json!("2025-06-01T09:30:00.123456Z")])
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

// Schemas with limits. utoipa's `max_length = ...` attributes take only literals; these take the
// constants the validators use, for fields declared `#[schema(schema_with = ...)]` with a small
// function that names its constant (utoipa then takes the description from there, not from the
// field's doc comment).

/// A string of `min` to `max` characters.
pub fn text(min: usize, max: usize, description: &str) -> openapi::Object {
    openapi::ObjectBuilder::new()
        .schema_type(openapi::schema::Type::String)
        .min_length(Some(min))
        .max_length(Some(max))
        .description(Some(description))
        .build()
}

/// An array of at most `max` items: a reference to a component schema (`component`) or an
/// inline schema. A component used only here is listed in its router's `OpenApi` (see
/// `knowledge::router`), as utoipa does not see through `schema_with`.
pub fn list_of(
    items: impl Into<RefOr<openapi::schema::Schema>>,
    max: usize,
    description: &str,
) -> openapi::schema::Array {
    openapi::schema::ArrayBuilder::new()
        .items(openapi::schema::ArrayItems::RefOrSchema(Box::new(
            items.into(),
        )))
        .max_items(Some(max))
        .description(Some(description))
        .build()
}

/// `true`, always: an acknowledgement's `ok`.
pub fn always_true() -> openapi::Object {
    openapi::ObjectBuilder::new()
        .schema_type(openapi::schema::Type::Boolean)
        .enum_values(Some([true]))
        .build()
}

/// A reference to the component schema `name`.
pub fn component(name: &str) -> RefOr<openapi::schema::Schema> {
    RefOr::Ref(openapi::Ref::from_schema_name(name))
}

/// An integer from `min` to `max`, `default` when absent.
pub fn integer(min: usize, max: usize, default: Option<usize>) -> openapi::Object {
    openapi::ObjectBuilder::new()
        .schema_type(openapi::schema::Type::Integer)
        .minimum(Some(min as f64))
        .maximum(Some(max as f64))
        .default(default.map(serde_json::Value::from))
        .build()
}

/// A string schema limited in UTF-8 bytes rather than characters: JSON Schema has no keyword for
/// that, so the limit is the extension `x-maxBytes`.
pub fn max_bytes_string(min_length: usize, max_bytes: usize, description: &str) -> openapi::Object {
    openapi::ObjectBuilder::new()
        .schema_type(openapi::schema::Type::String)
        .min_length(Some(min_length))
        .description(Some(description))
        .extensions(Some(
            openapi::extensions::ExtensionsBuilder::new()
                .add("x-maxBytes", max_bytes)
                .build(),
        ))
        .build()
}

/// An optional query parameter (`IntoParams` written out, for schemas whose limits are constants
/// or that carry a default: utoipa's attributes take only literals).
pub fn query_param(
    name: &str,
    description: &str,
    schema: impl Into<RefOr<openapi::schema::Schema>>,
) -> openapi::path::Parameter {
    openapi::path::ParameterBuilder::new()
        .name(name)
        .parameter_in(openapi::path::ParameterIn::Query)
        .required(openapi::Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// A string in RFC 3339 `date-time` format (a query parameter's instant).
pub fn date_time() -> openapi::Object {
    openapi::ObjectBuilder::new()
        .schema_type(openapi::schema::Type::String)
        .format(Some(openapi::SchemaFormat::KnownFormat(
            openapi::KnownFormat::DateTime,
        )))
        .build()
}

/// Security scheme names, as `#[utoipa::path(security(...))]` spells them.
pub const VISITOR_TOKEN: &str = "visitorToken";
pub const AGENT_SESSION: &str = "agentSession";
pub const CSRF_TOKEN: &str = "csrfToken";

/// A shared error response: the `Error` schema, a description and an example.
fn error_response(
    description: &str,
    example: Option<(&str, &str, Option<&str>)>,
) -> RefOr<openapi::Response> {
    let example = example.map(|(code, message, field)| {
        serde_json::json!({ "error": { "code": code, "message": message, "field": field } })
    });
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(openapi::Ref::from_schema_name("Error"))))
                .example(example)
                .build(),
        )
        .build()
        .into()
}

/// An error response that carries `Retry-After`.
fn error_response_with_retry(
    description: &str,
    example: (&str, &str, Option<&str>),
) -> RefOr<openapi::Response> {
    let RefOr::T(mut response) = error_response(description, Some(example)) else {
        unreachable!("error_response builds the response itself")
    };
    let schema = openapi::ObjectBuilder::new()
        .schema_type(openapi::schema::Type::Integer)
        .minimum(Some(1))
        .build();
    let mut retry_after = openapi::header::Header::new(schema);
    retry_after.description = Some("Seconds to wait before trying again (at least 1).".into());
    response
        .headers
        .insert("Retry-After".into(), RefOr::T(retry_after));
    response.into()
}

macro_rules! error_responses {
    ($($name:ident => $build:expr;)*) => {$(
        pub struct $name;
        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<openapi::Response>) {
                (stringify!($name), $build)
            }
        }
    )*};
}

error_responses! {
    BadRequest => error_response(
        "Invalid input: malformed JSON, a missing, unknown or invalid field (named in \
         `error.field`), an invalid query parameter (named), or a query string that does not parse \
         (field `query`). Code `invalid`.",
        Some(("invalid", "client_id must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'", Some("client_id"))),
    );
    Unauthorized => error_response(
        "Missing or invalid credentials: no visitor token, no or expired agent session, or \
         (login) a wrong email or password. Code `unauthorized`.",
        Some(("unauthorized", "log in first", None)),
    );
    Forbidden => error_response(
        "Authenticated but not allowed: a visitor token of another conversation, a missing or \
         wrong `X-CSRF-Token`, an agent without the admin role on an admin route, or a panel \
         socket opened from another origin. Code `forbidden`.",
        Some(("forbidden", "this visitor token does not open this conversation", None)),
    );
    NotFound => error_response(
        "No such bot, conversation, handoff, ticket, delivery or knowledge entry, or it belongs \
         to another workspace, or the id is malformed. Code `not_found`.",
        Some(("not_found", "conversation not found", None)),
    );
    Conflict => error_response(
        "The request does not fit the current state: code `conflict` (e.g. the handoff was \
         already taken, a handoff is already waiting, the agent is at capacity, the conversation \
         changed at the same instant, no contact details are being collected, email is not \
         configured on the server, the bot already holds 5000 knowledge entries, the conversation \
         already holds `max_attachments_per_conversation` files), `not_owner` (only the owning \
         agent may write), or `taken` (the email is already used).",
        Some(("conflict", "this handoff was already taken or withdrawn", None)),
    );
    PayloadTooLarge => error_response(
        "The message text is over `max_message_bytes` (field `text`), a file is over \
         `max_attachment_bytes` (field `file`), a knowledge document is over 256 KiB (field \
         `body`), or the whole body is over its route's body limit (field null, checked before \
         the body is parsed; see the API's description under **Limits**). Code `too_large`.",
        Some(("too_large", "the message is 5000 bytes; the limit is 4096 bytes", Some("text"))),
    );
    BadGateway => error_response(
        "FreshChat could not be used. Code `freshchat_unauthorized` (the token was refused; field \
         `freshchat_api_token`), `freshchat_unreachable`, `freshchat_url_refused`, \
         `freshchat_rate_limited`, `freshchat_unavailable` (FreshChat answered 5xx), \
         `freshchat_error` (another refusal) or `freshchat_unknown_channel` (field \
         `freshchat_channel_id`); the message says what failed.",
        Some(("freshchat_unauthorized", "FreshChat refused the API token (HTTP 401); generate a new one under Admin Settings → API Tokens", Some("freshchat_api_token"))),
    );
    UnsupportedFileType => error_response(
        "The file's content is not of an accepted type (field `file`; the message lists the \
         accepted ones). Code `unsupported_file_type`.",
        Some(("unsupported_file_type", "this type of file is not accepted (its content was checked); send one of: PNG, JPEG, GIF, WebP, PDF, text (.txt), CSV, ZIP, Word, Excel, PowerPoint", Some("file"))),
    );
    Archived => error_response(
        "The bot was archived: its chat is no longer available. Code `archived`.",
        Some(("archived", "this chat is no longer available", None)),
    );
    UnsupportedMediaType => error_response(
        "The body was not sent with `Content-Type: application/json`. Code \
         `unsupported_media_type`.",
        None,
    );
    TooManyRequests => error_response_with_retry(
        "A rate or connection limit was hit. Code `rate_limited`. Wait `Retry-After` seconds.",
        ("rate_limited", "you are sending messages too quickly (limit 30 per minute); wait a moment", None),
    );
    Overloaded => error_response_with_retry(
        "The server is past its capacity (it runs behind by more than `--shed-lag-ms`, or more \
         writes wait than `--write-queue` allows) and stored nothing. Code `overloaded`. Retry \
         after `Retry-After` seconds with the same `client_id`. Any write may answer this when \
         the write queue is full. Any request that touches storage may also answer 503 with code \
         `unavailable` while the database cannot be reached (a PostgreSQL restart or network \
         failure); it too stored nothing and carries `Retry-After`.",
        ("overloaded", "the server is busy; nothing was stored, try again in a moment", None),
    );
}

/// The webhooks Baton calls (OpenAPI's `webhooks`): documented like operations, never routed.
#[derive(OpenApi)]
#[openapi(paths(super::tickets::ticket_event_webhook))]
struct Webhooks;

/// The meta routes: the health check and this document.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(openapi_document))
}

/// Liveness check
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    operation_id = "healthz",
    responses(
        (status = 200, description = "The server is up.", content_type = "text/plain",
         body = String, example = "ok"),
    )
)]
async fn healthz() -> &'static str {
    "ok"
}

/// This OpenAPI document
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    operation_id = "getOpenApiDocument",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document describing every HTTP endpoint of \
         this server.", body = Object),
    )
)]
async fn openapi_document() -> Response {
    let mut response = SERVED.to_string().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Tools and other sites' API explorers may fetch it.
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The document as served: the same for every server of this build, made once.
static SERVED: LazyLock<Arc<str>> = LazyLock::new(|| document().to_string().into());

/// The whole document as JSON: the shared pieces, the webhooks and the operations of `derived`.
pub fn assemble(derived: openapi::OpenApi) -> Value {
    let mut api = Shared::openapi();
    api.merge(derived);
    let mut webhooks = Webhooks::openapi();
    api.webhooks = Some(std::mem::take(&mut webhooks.paths));
    // The webhooks' schemas.
    api.merge(webhooks);
    api.info.description = Some(introduction());
    api.info.license = Some(
        openapi::LicenseBuilder::new()
            .name("AGPL-3.0-only")
            .identifier(Some("AGPL-3.0-only"))
            .build(),
    );
    let mut doc = serde_json::to_value(&api).expect("the document serialises");
    unwrap_descriptions(&mut doc);
    // OpenAPI 3.1's `info.summary`, which utoipa's `Info` does not carry.
    doc["info"]["summary"] = Value::from("Self-hosted AI chat assistant with human handoff.");
    doc
}

/// The API's introduction (`info.description`), with the limits read from the constants and the
/// default configuration the server enforces.
fn introduction() -> String {
    let message = crate::config::Limits::default().max_message_bytes;
    let overhead = super::BODY_OVERHEAD_BYTES;
    let limits = format!(
        "**Limits.** Message text is at most `max_message_bytes` UTF-8 bytes (default {message}, \
        configurable; the widget reads the value from `GET /api/v1/widget/bots/{{bot_id}}`); \
        longer text is 413. A request body larger than its route's limit is 413 before it is \
        parsed: `max_message_bytes` + {overhead_kib} KiB ({default_body_kib} KiB by default) in \
        general; 4 × {note} bytes + {overhead_kib} KiB ({note_body} bytes) on the ticket routes \
        (`/api/v1/tickets…`, `/api/v1/integrations…`, `/api/v1/outbox…`), so any ticket note \
        fits; {document_kib} KiB + {overhead_kib} KiB ({document_body} bytes) on the knowledge \
        routes (`/api/v1/bots/{{id}}/knowledge…`), so a {document_kib} KiB document fits. That \
        413 has the field null. JSON bodies must be sent with `Content-Type: application/json` \
        (otherwise 415) and unknown fields are refused (400).",
        default_body_kib = (message + overhead) / 1024,
        overhead_kib = overhead / 1024,
        note = thousands(super::tickets::MAX_NOTE_CHARS),
        note_body = thousands(super::tickets::MAX_NOTE_CHARS * 4 + overhead),
        document_kib = super::knowledge::MAX_DOCUMENT_BYTES / 1024,
        document_body = thousands(super::knowledge::MAX_DOCUMENT_BYTES + overhead),
    );
    [
        "The HTTP API of a Baton server. A guide with a curl walkthrough is in docs/api.md; the \
        WebSocket events of the two sockets documented here as GET operations are in \
        docs/websocket.md.",
        "**Who calls what.** The widget (a *visitor*, on any website) uses `/api/v1/widget/...` \
        with the bearer token returned when it starts its conversation; these routes answer any \
        origin (CORS). The Live Chat panel (an *agent*, a human support person) uses the other \
        `/api/v1/...` routes with the HttpOnly session cookie `baton_session` set by `POST \
        /api/v1/auth/login`, plus the `X-CSRF-Token` header on every POST, PUT, PATCH and \
        DELETE. The admin routes, knowledge included, additionally need the `admin` role.",
        "**Tickets and webhooks.** When nobody can take a chat live, the visitor may leave \
        contact details (the conversation's `lead_capture` state); they become a *ticket* that \
        agents work under `/api/v1/tickets`. Ticket events are delivered to the workspace's \
        webhook URL as signed POSTs (see `webhooks` below and docs/api.md), retried until \
        delivered or dead-lettered (`/api/v1/outbox`).",
        "**Errors.** Every error this API produces itself has the body `{\"error\": {\"code\", \
        \"message\", \"field\"}}` (see the `Error` schema); `field` names the request field at \
        fault, or is null. 429 responses carry `Retry-After` (seconds). A query string that does \
        not parse (e.g. `limit=abc`, an unknown parameter) is a JSON 400 with field `query`. One \
        rejection comes from the HTTP framework before Baton's code runs and has a plain-text \
        body instead: a WebSocket route called without a WebSocket upgrade.",
        &limits,
        "**Ids** are UUIDv7 strings; a malformed id in a path is answered 404 like an unknown \
        one. Timestamps are RFC 3339 in UTC. Any request may also fail with 500 `internal`; the \
        cause is logged on the server, never sent.",
    ]
    .join("\n\n")
}

/// `278528` → `278,528`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Descriptions come from doc comments, wrapped at 100 columns: each wrapped line is joined to the
/// next, as Markdown would show it; a blank line still separates paragraphs.
fn unwrap_descriptions(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(text) if key == "description" || key == "summary" => {
                        *text = text
                            .split("\n\n")
                            .map(|paragraph| paragraph.split('\n').collect::<Vec<_>>().join(" "))
                            .collect::<Vec<_>>()
                            .join("\n\n");
                    }
                    _ => unwrap_descriptions(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_descriptions),
        _ => {}
    }
}

/// The document the server serves, built without a running server (for tests and tools).
pub fn document() -> Value {
    let (_, derived) =
        super::documented_routes(&crate::config::Limits::default()).split_for_parts();
    assemble(derived)
}

/// The Swagger UI page showing the document, at [`DOCS_PATH`]. Its files come from the
/// `utoipa-swagger-ui` crate (vendored: nothing is downloaded, at build or run time) and carry the
/// same headers as Baton's own pages (`assets::protect`: a strict CSP, no framing).
pub fn docs_page() -> axum::Router<AppState> {
    let config = utoipa_swagger_ui::Config::new([DOCUMENT_PATH])
        // The default validator is a badge fetched from another site, which the CSP refuses.
        .validator_url("none");
    axum::Router::from(utoipa_swagger_ui::SwaggerUi::new(DOCS_PATH).config(config)).layer(
        axum::middleware::map_response(|mut response: Response| async move {
            super::assets::protect(response.headers_mut(), false);
            response
        }),
    )
}

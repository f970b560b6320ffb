//! The HTTP/WebSocket edge: one router per area, merged here.

pub mod admin;
pub mod agent;
pub mod analytics;
pub mod assets;
pub mod attachments;
pub mod auth;
pub mod error;
pub mod extract;
pub mod freshchat;
pub mod knowledge;
pub mod limits;
pub mod openapi;
pub mod saved_replies;
pub mod schedule_preview;
pub mod schemas;
pub mod tickets;
pub mod triggers;
pub mod widget;
pub mod ws;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, header};
use tower_http::cors::{Any, CorsLayer};

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Room for the JSON around a message of the largest allowed size.
pub(crate) const BODY_OVERHEAD_BYTES: usize = 16 * 1024;

pub fn router(state: AppState) -> Router {
    let body_limit = state.config.limits.max_message_bytes + BODY_OVERHEAD_BYTES;
    let (documented, _) = documented_routes(&state.config.limits).split_for_parts();
    Router::new()
        .merge(documented)
        .merge(assets::router())
        .merge(openapi::docs_page())
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// Every API route with its documentation (`openapi.rs` assembles the document from it), each
/// router with its own layers: `limits` sizes the upload routes' body limit (the document does
/// not depend on it).
pub fn documented_routes(limits: &crate::config::Limits) -> OpenApiRouter<AppState> {
    // The widget runs on customers' sites: its API answers any origin. It is authorised by a
    // bearer token, never by cookies, so this opens nothing to other sites.
    let widget_cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600));
    // Uploads carry a whole file: their own limit, the file's plus the multipart framing.
    let upload_limit =
        DefaultBodyLimit::max(limits.max_attachment_bytes + attachments::MULTIPART_OVERHEAD_BYTES);
    OpenApiRouter::new()
        .merge(openapi::router())
        .merge(agent::router())
        .merge(saved_replies::router())
        .merge(triggers::router())
        .merge(ws::router())
        .merge(
            attachments::widget_router()
                .layer(upload_limit)
                .layer(widget_cors.clone()),
        )
        .merge(attachments::router().layer(upload_limit))
        .merge(widget::router().layer(widget_cors))
        // A schedule can be far larger than a chat message: the bot settings' own limit.
        .merge(admin::router().layer(DefaultBodyLimit::max(admin::MAX_SCHEDULE_BODY_BYTES)))
        .merge(
            schedule_preview::router().layer(DefaultBodyLimit::max(admin::MAX_SCHEDULE_BODY_BYTES)),
        )
        .merge(limits::router())
        .merge(analytics::router())
        // FreshChat's webhook bodies can be larger than a chat message.
        .merge(freshchat::router().layer(DefaultBodyLimit::max(freshchat::MAX_WEBHOOK_BYTES)))
        // Notes are larger than chat messages: their own limit applies.
        .merge(tickets::router().layer(DefaultBodyLimit::max(
            tickets::MAX_NOTE_CHARS * 4 + BODY_OVERHEAD_BYTES,
        )))
        // Knowledge documents are larger than chat messages: their own limit applies.
        .merge(knowledge::router().layer(DefaultBodyLimit::max(
            knowledge::MAX_DOCUMENT_BYTES + BODY_OVERHEAD_BYTES,
        )))
}

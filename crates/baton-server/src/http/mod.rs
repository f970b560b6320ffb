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
const BODY_OVERHEAD_BYTES: usize = 16 * 1024;

pub fn router(state: AppState) -> Router {
    // The widget runs on customers' sites: its API answers any origin. It is authorised by a
    // bearer token, never by cookies, so this opens nothing to other sites.
    let widget_cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600));
    let body_limit = state.config.limits.max_message_bytes + BODY_OVERHEAD_BYTES;
    // Uploads carry a whole file: their own limit, the file's plus the multipart framing.
    let upload_limit = DefaultBodyLimit::max(
        state.config.limits.max_attachment_bytes + attachments::MULTIPART_OVERHEAD_BYTES,
    );
    let (documented, _) = documented_routes().split_for_parts();
    Router::new()
        .merge(documented)
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
        .merge(assets::router())
        .merge(openapi::docs_page())
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// The routes whose documentation is derived from their handlers (`openapi.rs`), with their own
/// layers.
pub fn documented_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(openapi::router())
        .merge(agent::router())
        .merge(saved_replies::router())
        .merge(triggers::router())
        .merge(ws::router())
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

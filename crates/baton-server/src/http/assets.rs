//! The web UI, embedded in the binary: the widget script, the demo page that embeds it, and the
//! Live Chat panel. No Node is needed to build or run.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use baton_domain::ids::BotId;

use crate::state::AppState;

const WIDGET_JS: &str = include_str!("../../../../web/widget.js");
const DEMO_HTML: &str = include_str!("../../../../web/demo.html");
const PANEL_HTML: &str = include_str!("../../../../web/panel.html");
const PANEL_JS: &str = include_str!("../../../../web/panel.js");
const PANEL_CSS: &str = include_str!("../../../../web/panel.css");
const EDITOR_HTML: &str = include_str!("../../../../web/editor.html");
const EDITOR_JS: &str = include_str!("../../../../web/editor.js");
const EDITOR_CSS: &str = include_str!("../../../../web/editor.css");
const FAVICON_SVG: &str = include_str!("../../../../web/favicon.svg");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/panel") }))
        .route(
            "/widget.js",
            get(|| async { asset(WIDGET_JS, "text/javascript; charset=utf-8", true) }),
        )
        .route("/demo", get(demo))
        .route(
            "/panel",
            get(|| async { asset(PANEL_HTML, "text/html; charset=utf-8", false) }),
        )
        .route(
            "/panel.js",
            get(|| async { asset(PANEL_JS, "text/javascript; charset=utf-8", false) }),
        )
        .route(
            "/panel.css",
            get(|| async { asset(PANEL_CSS, "text/css; charset=utf-8", false) }),
        )
        .route(
            "/editor",
            get(|| async { asset(EDITOR_HTML, "text/html; charset=utf-8", false) }),
        )
        .route(
            "/editor.js",
            get(|| async { asset(EDITOR_JS, "text/javascript; charset=utf-8", false) }),
        )
        .route(
            "/editor.css",
            get(|| async { asset(EDITOR_CSS, "text/css; charset=utf-8", false) }),
        )
        // The pages link the SVG; browsers that ask for /favicon.ico anyway get the same picture.
        .route(
            "/favicon.svg",
            get(|| async { asset(FAVICON_SVG, "image/svg+xml", false) }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset(FAVICON_SVG, "image/svg+xml", false) }),
        )
}

/// The demo page, embedding the widget for `?bot=ID` or else the first bot of the first workspace.
async fn demo(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let requested = query.get("bot").and_then(|b| b.parse::<BotId>().ok());
    let bot_id = match requested {
        Some(id) => Some(id),
        None => match state.store.workspaces().await {
            Ok(workspaces) => match workspaces.first() {
                Some(w) => state
                    .store
                    .bots(w.id)
                    .await
                    .ok()
                    .and_then(|b| b.first().map(|b| b.id)),
                None => None,
            },
            Err(_) => None,
        },
    };
    let Some(bot_id) = bot_id else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            "no bot to show: create one first",
        )
            .into_response();
    };
    // A BotId prints as a UUID: nothing in it needs escaping.
    let page = DEMO_HTML.replace("__BATON_BOT_ID__", &bot_id.to_string());
    let mut response = asset("", "text/html; charset=utf-8", false).into_response();
    *response.body_mut() = page.into();
    response
}

fn asset(body: &'static str, content_type: &'static str, cross_origin: bool) -> impl IntoResponse {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    if cross_origin {
        // The widget script is loaded by customers' sites.
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    } else {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            ),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

//! The web UI, embedded in the binary: the widget script, the demo page that embeds it, the Live
//! Chat panel and the Agent Editor. No Node is needed to build or run. Each file is compressed
//! once (Brotli and gzip) and served in the encoding the browser takes, with an ETag.
//!
//! The panel and the editor are ES modules (`web/panel/`, `web/editor/`, and `web/shared/` for
//! what both use), served under `/ui/` with the same path as in `web/`; relative imports between
//! them resolve there. Every module is revalidated on each load, so a page never runs a mix of an
//! old server's modules and a new one's.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::OnceLock;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use baton_domain::ids::BotId;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// The widget script, one file for customers' pages, assembled at compile time from its parts in
/// `web/widget/` (one per concern) inside one function, so that nothing leaks onto the page but
/// what it sets on purpose (`window.BatonWidget`). The order matters: the parts after
/// `launcher.js` add methods to the `Widget` class it declares, and `main.js` starts it.
pub const WIDGET_JS: &str = concat!(
    include_str!("../../../../web/widget/banner.js"),
    "(() => {\n'use strict';\n\n",
    include_str!("../../../../web/widget/config.js"),
    "\n",
    include_str!("../../../../web/widget/helpers.js"),
    "\n",
    include_str!("../../../../web/widget/i18n.js"),
    "\n",
    include_str!("../../../../web/widget/styles.js"),
    "\n",
    include_str!("../../../../web/widget/launcher.js"),
    "\n",
    include_str!("../../../../web/widget/availability.js"),
    "\n",
    include_str!("../../../../web/widget/transport.js"),
    "\n",
    include_str!("../../../../web/widget/store.js"),
    "\n",
    include_str!("../../../../web/widget/render.js"),
    "\n",
    include_str!("../../../../web/widget/upload.js"),
    "\n",
    include_str!("../../../../web/widget/leads.js"),
    "\n",
    include_str!("../../../../web/widget/composer.js"),
    "\n",
    include_str!("../../../../web/widget/main.js"),
    "})();\n",
);
const DEMO_HTML: &str = include_str!("../../../../web/demo.html");
const PANEL_HTML: &str = include_str!("../../../../web/panel.html");
const PANEL_CSS: &str = include_str!("../../../../web/panel.css");
const EDITOR_HTML: &str = include_str!("../../../../web/editor.html");
const EDITOR_CSS: &str = include_str!("../../../../web/editor.css");
const FAVICON_SVG: &str = include_str!("../../../../web/favicon.svg");

/// How long browsers may keep an asset without asking again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caching {
    /// Revalidated on every use (a 304 when unchanged): the panel and the editor, which must
    /// match the server they talk to.
    Revalidate,
    /// Kept for five minutes: the widget script, loaded on every page view of customers' sites;
    /// a new version reaches every visitor within five minutes.
    Short,
}

/// One embedded file, with its compressed forms and their ETags, made once.
pub struct Asset {
    body: &'static str,
    content_type: &'static str,
    /// Loaded by other sites (the widget script): no CSP or frame rules, any origin may read it.
    cross_origin: bool,
    caching: Caching,
    encoded: OnceLock<Encoded>,
}

struct Encoded {
    gzip: Vec<u8>,
    br: Vec<u8>,
    /// The body's SHA-256, shortened; each encoding's ETag adds its name.
    hash: String,
}

impl Asset {
    const fn new(
        body: &'static str,
        content_type: &'static str,
        cross_origin: bool,
        caching: Caching,
    ) -> Asset {
        Asset {
            body,
            content_type,
            cross_origin,
            caching,
            encoded: OnceLock::new(),
        }
    }

    fn encoded(&self) -> &Encoded {
        self.encoded.get_or_init(|| {
            let bytes = self.body.as_bytes();
            let mut br = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 11,
                lgwin: 22,
                ..Default::default()
            };
            // Writing to a Vec cannot fail.
            let _ = brotli::BrotliCompress(&mut &bytes[..], &mut br, &params);
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let _ = gz.write_all(bytes);
            let gzip = gz.finish().unwrap_or_default();
            let digest = Sha256::digest(bytes);
            let hash = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
            Encoded { gzip, br, hash }
        })
    }
}

pub static WIDGET: Asset = Asset::new(
    WIDGET_JS,
    "text/javascript; charset=utf-8",
    true,
    Caching::Short,
);
static PANEL: Asset = Asset::new(PANEL_HTML, HTML, false, Caching::Revalidate);
static PANEL_STYLE: Asset = Asset::new(PANEL_CSS, CSS, false, Caching::Revalidate);
static EDITOR: Asset = Asset::new(EDITOR_HTML, HTML, false, Caching::Revalidate);
static EDITOR_STYLE: Asset = Asset::new(EDITOR_CSS, CSS, false, Caching::Revalidate);
static FAVICON: Asset = Asset::new(FAVICON_SVG, "image/svg+xml", false, Caching::Revalidate);

/// Declares `MODULES`: each listed file of `web/`, embedded, as a module served under `/ui/`.
macro_rules! modules {
    ($($path:literal),* $(,)?) => {
        static MODULES: [(&str, Asset); [$($path),*].len()] = [$((
            $path,
            Asset::new(
                include_str!(concat!("../../../../web/", $path)),
                JS,
                false,
                Caching::Revalidate,
            ),
        )),*];
    };
}

// Every module of the panel, the editor and what they share (a unit test below checks that
// none in those folders is missing).
modules![
    "shared/api.js",
    "shared/dom.js",
    "shared/session.js",
    "shared/text.js",
    "shared/time.js",
    "panel/analytics.js",
    "panel/conversation.js",
    "panel/conversations.js",
    "panel/http.js",
    "panel/integrations.js",
    "panel/labels.js",
    "panel/limits.js",
    "panel/main.js",
    "panel/notify.js",
    "panel/queue.js",
    "panel/saved-replies.js",
    "panel/sections.js",
    "panel/session.js",
    "panel/socket.js",
    "panel/state.js",
    "panel/status.js",
    "panel/team.js",
    "panel/tickets.js",
    "editor/bot.js",
    "editor/constants.js",
    "editor/errors.js",
    "editor/fields.js",
    "editor/handoff.js",
    "editor/http.js",
    "editor/knowledge.js",
    "editor/limits.js",
    "editor/load.js",
    "editor/main.js",
    "editor/model.js",
    "editor/overrides.js",
    "editor/preview.js",
    "editor/save.js",
    "editor/session.js",
    "editor/state.js",
    "editor/tabs.js",
    "editor/times.js",
    "editor/timezone.js",
    "editor/try-sentence.js",
    "editor/weekly.js",
];

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Compresses every asset now (a second or so of one core in a debug build), so the first
/// visitor does not wait for it. Called once at start, off the async threads.
pub fn warm() {
    for asset in [
        &WIDGET,
        &PANEL,
        &PANEL_STYLE,
        &EDITOR,
        &EDITOR_STYLE,
        &FAVICON,
    ] {
        asset.encoded();
    }
    for (_, module) in &MODULES {
        module.encoded();
    }
}

pub fn router() -> Router<AppState> {
    let serve =
        |asset: &'static Asset| move |headers: HeaderMap| async move { send(asset, &headers) };
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/panel") }))
        .route("/widget.js", get(serve(&WIDGET)))
        .route("/demo", get(demo))
        .route("/panel", get(serve(&PANEL)))
        .route("/panel.css", get(serve(&PANEL_STYLE)))
        .route("/editor", get(serve(&EDITOR)))
        .route("/editor.css", get(serve(&EDITOR_STYLE)))
        // The pages link the SVG; browsers that ask for /favicon.ico anyway get the same picture.
        .route("/favicon.svg", get(serve(&FAVICON)))
        .route("/favicon.ico", get(serve(&FAVICON)))
        .route("/ui/{*path}", get(module))
}

/// One module of the panel or the editor, by its path under `web/`; 404 for any other.
async fn module(
    axum::extract::Path(path): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    match MODULES.iter().find(|(name, _)| *name == path) {
        Some((_, asset)) => send(asset, &headers),
        None => (StatusCode::NOT_FOUND, "no such module").into_response(),
    }
}

/// The encodings a client accepts, best first: Brotli, gzip, or the file as it is.
fn chosen_encoding(headers: &HeaderMap) -> Option<&'static str> {
    let accepted: Vec<(String, f32)> = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (name, q)
        })
        .collect();
    let takes = |name: &str| {
        accepted
            .iter()
            .find(|(n, _)| n == name)
            .or_else(|| accepted.iter().find(|(n, _)| n == "*"))
            .is_some_and(|(_, q)| *q > 0.0)
    };
    ["br", "gzip"].into_iter().find(|name| takes(name))
}

/// The asset in the best encoding the client takes, or 304 when its copy is current.
fn send(asset: &'static Asset, request: &HeaderMap) -> Response {
    let encoded = asset.encoded();
    let encoding = chosen_encoding(request);
    let etag = match encoding {
        Some(name) => format!("\"{}-{name}\"", encoded.hash),
        None => format!("\"{}\"", encoded.hash),
    };
    let current = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*");
    let mut response = if current {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match encoding {
            Some("br") => encoded.br.clone().into_response(),
            Some(_) => encoded.gzip.clone().into_response(),
            None => asset.body.into_response(),
        }
    };
    let headers = response.headers_mut();
    if !current {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        if let Some(name) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(match asset.caching {
            Caching::Short => "public, max-age=300",
            Caching::Revalidate => "no-cache",
        }),
    );
    protect(headers, asset.cross_origin);
    response
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
        return (StatusCode::NOT_FOUND, "no bot to show: create one first").into_response();
    };
    // A BotId prints as a UUID: nothing in it needs escaping.
    let page = DEMO_HTML.replace("__BATON_BOT_ID__", &bot_id.to_string());
    let mut response = page.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(HTML));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    protect(headers, false);
    response
}

/// The headers every page and script carries: no MIME sniffing; for Baton's own pages, a strict
/// CSP and no framing; for the widget script, readable from any origin.
pub(crate) fn protect(headers: &mut HeaderMap, cross_origin: bool) {
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
}

#[cfg(test)]
mod tests {
    use super::MODULES;

    /// Every part of the widget is in the assembled script, each once.
    #[test]
    fn the_widget_script_holds_every_part_of_web_widget() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/widget");
        let mut parts = 0;
        for entry in std::fs::read_dir(folder).expect("web/widget exists") {
            let path = entry.expect("a readable entry").path();
            let text = std::fs::read_to_string(&path).expect("a readable part");
            assert_eq!(
                super::WIDGET_JS.matches(text.as_str()).count(),
                1,
                "{} is not in the widget script once",
                path.display()
            );
            parts += 1;
        }
        assert!(parts >= 10, "only {parts} parts");
        assert!(super::WIDGET_JS.starts_with("/*!"));
        assert!(super::WIDGET_JS.ends_with("})();\n"));
    }

    /// A module added to a folder but not to the table would be a 404 in the browser.
    #[test]
    fn every_module_of_the_web_folders_is_served() {
        let web = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
        for folder in ["shared", "panel", "editor"] {
            let entries = std::fs::read_dir(web.join(folder)).expect("the web folder exists");
            for entry in entries {
                let name = entry.expect("a readable entry").file_name();
                let path = format!("{folder}/{}", name.to_string_lossy());
                if !path.ends_with(".js") {
                    continue;
                }
                assert!(
                    MODULES.iter().any(|(served, _)| *served == path),
                    "web/{path} is not in the modules table of assets.rs"
                );
            }
        }
    }
}

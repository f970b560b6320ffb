//! The web assets: the widget script (and the panel's and editor's files) in the best encoding the
//! client takes, Brotli or gzip, each with its own ETag; a current copy gets 304; the widget is
//! cached for five minutes, Baton's own pages are revalidated.

use std::io::Read as _;

use reqwest::StatusCode;

use crate::helpers::*;

async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_widget_script_comes_compressed_with_an_etag_and_a_short_cache_life() {
    let app = spawn_app().await;
    let plain = fetch(&app, "/widget.js", &[]).await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["cache-control"], "public, max-age=300");
    assert_eq!(plain.headers()["vary"], "accept-encoding");
    assert_eq!(plain.headers()["access-control-allow-origin"], "*");
    let plain_etag = plain.headers()["etag"].to_str().unwrap().to_owned();
    let original = plain.bytes().await.unwrap();
    assert_eq!(original, baton_server::http::assets::WIDGET_JS.as_bytes());

    let br = fetch(
        &app,
        "/widget.js",
        &[("accept-encoding", "gzip, deflate, br")],
    )
    .await;
    assert_eq!(br.headers()["content-encoding"], "br");
    let br_etag = br.headers()["etag"].to_str().unwrap().to_owned();
    let compressed = br.bytes().await.unwrap();
    assert!(
        compressed.len() * 3 < original.len(),
        "{} of {}",
        compressed.len(),
        original.len()
    );
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&compressed[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, original);

    let gz = fetch(
        &app,
        "/widget.js",
        &[("accept-encoding", "gzip;q=1.0, br;q=0")],
    )
    .await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let gz_etag = gz.headers()["etag"].to_str().unwrap().to_owned();
    let compressed = gz.bytes().await.unwrap();
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, original);
    assert!(plain_etag != br_etag && br_etag != gz_etag && plain_etag != gz_etag);

    // A current copy is not sent again; a stale one is.
    let again = fetch(
        &app,
        "/widget.js",
        &[("accept-encoding", "br"), ("if-none-match", &br_etag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["etag"], br_etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let stale = fetch(
        &app,
        "/widget.js",
        &[("accept-encoding", "br"), ("if-none-match", "\"0123-br\"")],
    )
    .await;
    assert_eq!(stale.status(), StatusCode::OK);
    // The ETag of another encoding does not match this one.
    let other = fetch(
        &app,
        "/widget.js",
        &[("accept-encoding", "br"), ("if-none-match", &gz_etag)],
    )
    .await;
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_panel_and_editor_are_revalidated_and_keep_their_protections() {
    let app = spawn_app().await;
    for path in [
        "/panel",
        "/ui/panel/main.js",
        "/ui/panel/tickets.js",
        "/panel.css",
        "/editor",
        "/ui/editor/main.js",
        "/ui/shared/api.js",
        "/editor.css",
    ] {
        let first = fetch(&app, path, &[("accept-encoding", "br")]).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        assert_eq!(first.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(first.headers()["content-encoding"], "br", "{path}");
        assert_eq!(first.headers()["x-frame-options"], "DENY", "{path}");
        assert!(
            first.headers().contains_key("content-security-policy"),
            "{path}"
        );
        assert_eq!(
            first.headers()["x-content-type-options"],
            "nosniff",
            "{path}"
        );
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let again = fetch(
            &app,
            path,
            &[("accept-encoding", "br"), ("if-none-match", &etag)],
        )
        .await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
}

#[tokio::test]
async fn modules_are_served_as_javascript_and_unknown_ones_are_not_found() {
    let app = spawn_app().await;
    let module = fetch(&app, "/ui/shared/dom.js", &[]).await;
    assert_eq!(module.status(), StatusCode::OK);
    assert_eq!(
        module.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        module.text().await.unwrap(),
        include_str!("../../../../web/shared/dom.js")
    );
    for path in ["/ui/panel/nope.js", "/ui/panel.js", "/ui/../panel.html"] {
        let missing = fetch(&app, path, &[]).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

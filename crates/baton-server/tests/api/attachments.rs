//! Attachments: the visitor and the owning agent send files (multipart, idempotent by client id),
//! the conversation's visitor and the workspace's agents download them, everyone else is refused;
//! bad input stores nothing; files are served so they cannot run in our origin.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use baton_storage::Role;

const BOUNDARY: &str = "baton-test-7MA4YWxkTrZu0gW";

/// A PNG's magic bytes followed by some more bytes.
pub(crate) fn png(extra: &[u8]) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend_from_slice(extra);
    bytes
}

/// A multipart body with the given text fields and an optional file part.
pub(crate) fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub(crate) fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// Sends `bytes` as the visitor's file `name` (it must be stored: 201) and reads back what was
/// stored of it.
pub(crate) async fn upload_stored(
    app: &TestApp,
    visitor: &Visitor,
    client_id: &str,
    name: &str,
    bytes: &[u8],
) -> baton_storage::Attachment {
    let response = visitor_upload(
        visitor,
        multipart(&[("client_id", client_id)], Some((name, bytes))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let message: Value = response.json::<Value>().await.unwrap()["message"].clone();
    let id = message["data"]["attachment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.store().attachment(id.parse().unwrap()).await.unwrap()
}

pub(crate) async fn visitor_upload(visitor: &Visitor, body: Vec<u8>) -> reqwest::Response {
    visitor
        .http
        .post(visitor.url("/attachments"))
        .bearer_auth(&visitor.token)
        .header("content-type", content_type())
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn agent_upload(agent: &AgentClient, conversation: &str, body: Vec<u8>) -> reqwest::Response {
    agent
        .http
        .post(format!(
            "{}/api/v1/conversations/{conversation}/attachments",
            agent.base
        ))
        .header("x-csrf-token", &agent.csrf)
        .header("content-type", content_type())
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn error_of(response: reqwest::Response) -> Value {
    response.json::<Value>().await.unwrap()["error"].clone()
}

/// How many attachment entries the conversation's log holds.
async fn attachment_entries(visitor: &Visitor) -> usize {
    visitor
        .history(0)
        .await
        .iter()
        .filter(|m| m["kind"] == "attachment")
        .count()
}

async fn stored_count(app: &TestApp, visitor: &Visitor) -> u32 {
    app.store()
        .attachment_count(visitor.conversation_id.parse().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn visitor_and_owning_agent_send_files_and_both_sides_download_them() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let agent = app.agent("Ada").await;

    let image = png(b"pixels");
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "f-1")], Some(("photo.png", &image))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let message: Value = response.json::<Value>().await.unwrap()["message"].clone();
    assert_eq!(message["kind"], "attachment");
    assert_eq!(message["author_kind"], "visitor");
    assert_eq!(message["text"], "photo.png");
    assert_eq!(message["client_id"], "f-1");
    assert_eq!(message["data"]["name"], "photo.png");
    assert_eq!(message["data"]["content_type"], "image/png");
    assert_eq!(message["data"]["size"], image.len());
    let id = message["data"]["attachment_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The visitor downloads it with the bearer token and with ?token=.
    let url = format!("{}/api/v1/attachments/{id}", app.base);
    let response = visitor
        .http
        .get(&url)
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline;")
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), image.as_slice());
    let response = reqwest::get(format!("{url}?token={}", visitor.token))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.unwrap().as_ref(), image.as_slice());
    // Without any credentials: 401.
    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // Any agent of the workspace downloads it.
    let response = agent.get(&format!("/api/v1/attachments/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.unwrap().as_ref(), image.as_slice());

    // The agent takes the conversation over and sends a PDF; the visitor downloads it.
    let joined = agent
        .post(
            &format!("/api/v1/conversations/{}/join", visitor.conversation_id),
            None,
        )
        .await;
    assert!(
        joined.status().is_success(),
        "{}",
        joined.text().await.unwrap()
    );
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".to_vec();
    let response = agent_upload(
        &agent,
        &visitor.conversation_id,
        multipart(
            &[("client_id", "a-file-1")],
            Some(("Invoice March.pdf", &pdf)),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let message: Value = response.json::<Value>().await.unwrap()["message"].clone();
    assert_eq!(message["author_kind"], "agent");
    assert_eq!(message["author_name"], "Ada");
    assert_eq!(message["data"]["content_type"], "application/pdf");
    let pdf_id = message["data"]["attachment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = visitor
        .http
        .get(format!("{}/api/v1/attachments/{pdf_id}", app.base))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // Not an image: a download, never rendered by the browser.
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"Invoice March.pdf\"; filename*=UTF-8''Invoice%20March.pdf"
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), pdf.as_slice());

    // Both show in the history like other messages, with the file name as text.
    let history = visitor.history(0).await;
    let files: Vec<&Value> = history
        .iter()
        .filter(|m| m["kind"] == "attachment")
        .collect();
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["text"], "Invoice March.pdf");

    // The bytes are kept under their hash in the data folder, never under the sender's name.
    let dir = app.state.config.attachments_dir();
    let names: Vec<String> = walk(&dir);
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.len() == 64), "{names:?}");
}

/// The file names under `dir`, recursively (the temporary folder is left out).
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().unwrap() != "tmp" {
                found.extend(walk(&path));
            }
        } else {
            found.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    found
}

#[tokio::test]
async fn other_conversations_and_workspaces_cannot_reach_a_file() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let stranger = app.visitor().await;
    let (other_workspace, _) = app.other_workspace().await;
    let outsider = app.agent_in(&other_workspace, "Olga", Role::Admin, 5).await;

    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "f-1")], Some(("a.txt", b"hello"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["message"]["data"]["attachment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!("{}/api/v1/attachments/{id}", app.base);

    // Another conversation's token: 403, in the header or the query.
    let response = stranger
        .http
        .get(&url)
        .bearer_auth(&stranger.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = reqwest::get(format!("{url}?token={}", stranger.token))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Another workspace's agent: 404, as if it did not exist.
    let response = outsider.get(&format!("/api/v1/attachments/{id}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Nor can they upload to the conversation.
    let response = agent_upload(
        &outsider,
        &visitor.conversation_id,
        multipart(&[("client_id", "x-1")], Some(("a.txt", b"hi"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // A stranger's token does not open the conversation for uploads.
    let response = stranger
        .http
        .post(visitor.url("/attachments"))
        .bearer_auth(&stranger.token)
        .header("content-type", content_type())
        .body(multipart(&[("client_id", "s-1")], Some(("a.txt", b"hi"))))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // An unknown attachment: 404.
    let response = visitor
        .http
        .get(format!(
            "{}/api/v1/attachments/{}",
            app.base,
            uuid::Uuid::now_v7()
        ))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(stored_count(&app, &visitor).await, 1);
}

#[tokio::test]
async fn only_the_owning_agent_may_send_a_file() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let ada = app.agent("Ada").await;
    let ben = app.agent("Ben").await;

    // The AI owns it: no agent may post.
    let response = agent_upload(
        &ben,
        &visitor.conversation_id,
        multipart(&[("client_id", "b-1")], Some(("a.txt", b"hi"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // Ada takes it over; Ben still may not.
    let joined = ada
        .post(
            &format!("/api/v1/conversations/{}/join", visitor.conversation_id),
            None,
        )
        .await;
    assert!(joined.status().is_success());
    let response = agent_upload(
        &ben,
        &visitor.conversation_id,
        multipart(&[("client_id", "b-2")], Some(("a.txt", b"hi"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_of(response).await["code"], "not_owner");
    // Without the CSRF header: refused.
    let response = ada
        .http
        .post(format!(
            "{}/api/v1/conversations/{}/attachments",
            app.base, visitor.conversation_id
        ))
        .header("content-type", content_type())
        .body(multipart(&[("client_id", "a-1")], Some(("a.txt", b"hi"))))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored_count(&app, &visitor).await, 0);
    assert_eq!(attachment_entries(&visitor).await, 0);

    let response = agent_upload(
        &ada,
        &visitor.conversation_id,
        multipart(&[("client_id", "a-2")], Some(("a.txt", b"hi"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn bad_uploads_are_refused_with_a_clear_error_and_store_nothing() {
    let app = spawn_app_with(
        |config| config.limits.max_attachment_bytes = 1024,
        std::sync::Arc::new(baton_ai::builtin::BuiltinEngine),
    )
    .await;
    let visitor = app.visitor().await;

    // Over the size limit: 413 naming the limit.
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "f-1")], Some(("big.png", &png(&[7; 2000])))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error = error_of(response).await;
    assert_eq!(error["field"], "file");
    assert!(
        error["message"].as_str().unwrap().contains("1024"),
        "{error}"
    );
    // Far over the route's body limit: 413 too.
    let response = visitor_upload(
        &visitor,
        multipart(
            &[("client_id", "f-1")],
            Some(("big.png", &png(&[7; 200_000]))),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Empty: 400.
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "f-2")], Some(("empty.txt", b""))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(response).await["field"], "file");

    // Forbidden types, whatever the name says: an SVG, HTML named .txt, a program named .png.
    for (name, bytes) in [
        (
            "logo.svg",
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"[..],
        ),
        ("page.txt", &b"<!DOCTYPE html><script>alert(1)</script>"[..]),
        ("cat.png", &b"MZ\x90\0\x03\0\0\0"[..]),
        ("page.html", &b"<p>hi</p>"[..]),
    ] {
        let response = visitor_upload(
            &visitor,
            multipart(&[("client_id", "f-3")], Some((name, bytes))),
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{name}"
        );
        assert_eq!(error_of(response).await["field"], "file", "{name}");
    }

    // Missing parts: 400 naming them.
    let response = visitor_upload(&visitor, multipart(&[], Some(("a.txt", b"hi")))).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(response).await["field"], "client_id");
    let response = visitor_upload(&visitor, multipart(&[("client_id", "f-4")], None)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(response).await["field"], "file");
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "bad id!")], Some(("a.txt", b"hi"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(response).await["field"], "client_id");

    // A body cut off in the middle of the file: 400.
    let mut cut = multipart(&[("client_id", "f-5")], Some(("a.txt", b"hello world")));
    cut.truncate(cut.len() - 20);
    let response = visitor_upload(&visitor, cut).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(response).await["field"], "body");
    // Not multipart at all: 400.
    let response = visitor
        .http
        .post(visitor.url("/attachments"))
        .bearer_auth(&visitor.token)
        .json(&serde_json::json!({ "client_id": "f-6" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    assert_eq!(stored_count(&app, &visitor).await, 0);
    assert_eq!(attachment_entries(&visitor).await, 0);
    let dir = app.state.config.attachments_dir();
    if dir.exists() {
        assert!(walk(&dir).is_empty(), "{:?}", walk(&dir));
    }
}

#[tokio::test]
async fn unsafe_file_names_are_stored_as_safe_display_names() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    for (client_id, raw, expected) in [
        ("n-1", "../../etc/passwd.txt", "passwd.txt"),
        ("n-2", "..\\\\..\\\\boot.ini\t\u{85}.txt", "boot.ini.txt"),
    ] {
        let response = visitor_upload(
            &visitor,
            multipart(&[("client_id", client_id)], Some((raw, b"plain text"))),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{raw}");
        let message: Value = response.json::<Value>().await.unwrap()["message"].clone();
        assert_eq!(message["data"]["name"], expected);
        assert_eq!(message["text"], expected);
    }
    let long = format!("{}.txt", "a".repeat(10_000));
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "n-3")], Some((&long, b"plain text"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let name = response.json::<Value>().await.unwrap()["message"]["data"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(name.chars().count(), 200);
    assert!(name.ends_with(".txt"));
}

#[tokio::test]
async fn a_polyglot_image_is_served_as_an_image_that_cannot_run() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let polyglot = png(b"<html><script>alert(document.cookie)</script></html>");
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "p-1")], Some(("pic.html", &polyglot))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let message: Value = response.json::<Value>().await.unwrap()["message"].clone();
    assert_eq!(message["data"]["content_type"], "image/png");
    let id = message["data"]["attachment_id"].as_str().unwrap();
    let response = reqwest::get(format!(
        "{}/api/v1/attachments/{id}?token={}",
        app.base, visitor.token
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("inline;"), "{disposition}");
    assert!(!disposition.contains('/'), "{disposition}");
    assert_eq!(headers["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn a_retry_with_the_same_client_id_stores_one_file() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let body = || multipart(&[("client_id", "same-1")], Some(("a.csv", b"a,b\n1,2\n")));
    let first = visitor_upload(&visitor, body()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = visitor_upload(&visitor, body()).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["message"], again["message"]);
    assert_eq!(first["message"]["data"]["content_type"], "text/csv");
    assert_eq!(stored_count(&app, &visitor).await, 1);
    assert_eq!(attachment_entries(&visitor).await, 1);
    // The client id of a text message cannot be reused for a file by someone else either:
    // the visitor's own text message with that id is returned as it is.
    assert_eq!(
        visitor.send_with_id("same-2", "hello").await.status(),
        StatusCode::CREATED
    );
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "same-2")], Some(("a.txt", b"x"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(stored_count(&app, &visitor).await, 1);
}

#[tokio::test]
async fn a_conversation_holds_at_most_the_configured_number_of_files() {
    let app = spawn_app_with(
        |config| config.limits.max_attachments_per_conversation = 2,
        std::sync::Arc::new(baton_ai::builtin::BuiltinEngine),
    )
    .await;
    let visitor = app.visitor().await;
    for i in 0..2 {
        let response = visitor_upload(
            &visitor,
            multipart(
                &[("client_id", &format!("c-{i}"))],
                Some(("a.txt", format!("file {i}").as_bytes())),
            ),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "c-3")], Some(("a.txt", b"one more"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let error = error_of(response).await;
    assert!(error["message"].as_str().unwrap().contains('2'), "{error}");
    // A retry of a stored one is still answered.
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "c-1")], Some(("a.txt", b"file 1"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(stored_count(&app, &visitor).await, 2);
    assert_eq!(attachment_entries(&visitor).await, 2);
}

/// Keeps `bytes` in the app's blob store as an upload does, without any attachment row.
async fn keep_blob(app: &TestApp, bytes: &[u8]) -> String {
    let mut incoming = app.state.blobs.begin(0).await.unwrap();
    incoming.write(bytes).await.unwrap();
    app.state.blobs.keep(incoming).await.unwrap()
}

fn blob_path(app: &TestApp, sha: &str) -> std::path::PathBuf {
    app.state
        .config
        .attachments_dir()
        .join(&sha[..2])
        .join(&sha[2..4])
        .join(sha)
}

/// Makes a file look `age` old.
fn age_file(path: &std::path::Path, age: std::time::Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(std::time::SystemTime::now() - age)
        .unwrap();
}

#[tokio::test]
async fn the_sweep_removes_only_old_blobs_no_attachment_refers_to() {
    use baton_server::blob_sweep::sweep_unused_blobs;
    let app = spawn_app().await;
    assert_eq!(
        app.state.config.unused_blob_grace,
        std::time::Duration::from_secs(3600)
    );
    let two_hours = std::time::Duration::from_secs(2 * 3600);
    let visitor = app.visitor().await;

    // A sent file, two hours old: referenced, so kept.
    let stored = upload_stored(&app, &visitor, "kept-1", "photo.png", &png(b"kept")).await;
    age_file(&blob_path(&app, &stored.sha256), two_hours);

    // Bytes kept by an upload that never committed, two hours ago: removed.
    let orphan = keep_blob(&app, b"never referenced").await;
    age_file(&blob_path(&app, &orphan), two_hours);
    // The same, but kept a minute ago (within the grace period): an upload may be about to
    // refer to it, so it stays.
    let recent = keep_blob(&app, b"just kept").await;
    age_file(
        &blob_path(&app, &recent),
        std::time::Duration::from_secs(60),
    );
    // Old bytes that an upload keeps again just before the sweep: renewed, so they stay.
    let renewed = keep_blob(&app, b"sent again").await;
    age_file(&blob_path(&app, &renewed), two_hours);
    assert_eq!(keep_blob(&app, b"sent again").await, renewed);
    // A temporary file a crash left behind two hours ago: removed.
    let abandoned = app
        .state
        .config
        .attachments_dir()
        .join("tmp")
        .join("crashed-upload");
    std::fs::write(&abandoned, b"partial").unwrap();
    age_file(&abandoned, two_hours);

    let swept = sweep_unused_blobs(&app.state).await.unwrap();
    assert_eq!(swept.removed, 1, "{swept:?}");
    assert!(!blob_path(&app, &orphan).exists());
    assert!(blob_path(&app, &stored.sha256).exists());
    assert!(blob_path(&app, &recent).exists());
    assert!(blob_path(&app, &renewed).exists());
    assert!(!abandoned.exists());

    // The sent file still downloads; a second sweep (another node, say) finds nothing to do.
    let response = visitor
        .http
        .get(format!("{}/api/v1/attachments/{}", app.base, stored.id))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sweep_unused_blobs(&app.state).await.unwrap().removed, 0);
}

//! Where a workspace admin may point Baton: webhook URLs and the workspace's AI model base URL
//! are refused when saved (400 naming the field) if they reach loopback, private, link-local or
//! metadata addresses, unless the operator allowed the host; and checked again when connecting,
//! so a URL stored under older rules delivers nothing there.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::ai::{chunk, fake_llm};
use crate::helpers::*;
use baton_server::outbound::AllowedHost;
use baton_storage::Role;

async fn put(admin: &AgentClient, body: Value) -> (StatusCode, Value) {
    let response = admin
        .http
        .put(format!("{}/api/v1/integrations", admin.base))
        .header("x-csrf-token", &admin.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// An app whose operator allowed no internal host.
async fn strict_app() -> TestApp {
    spawn_app_with(
        |c| {
            c.allowed_outbound_hosts.clear();
            c.outbox_base_delay = Duration::from_millis(50);
        },
        Arc::new(baton_ai::builtin::BuiltinEngine),
    )
    .await
}

#[tokio::test]
async fn internal_addresses_are_refused_when_saved_naming_the_field() {
    let app = strict_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    for field in ["webhook_url", "llm_base_url"] {
        for url in [
            "http://127.0.0.1:8080/hook",
            "https://127.0.0.1/hook",
            "https://localhost/hook",
            "https://10.1.2.3/hook",
            "https://192.168.0.10/hook",
            "https://172.16.5.4/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://[fd00::1]/hook",
            "https://[fe80::1]/hook",
            "https://metadata.google.internal/hook",
            "http://hooks.example.com/plain-http",
            "https://user:pass@hooks.example.com/hook",
            "ftp://hooks.example.com/hook",
        ] {
            let mut body = json!({ field: url });
            if field == "llm_base_url" {
                body["llm_model"] = json!("m");
            }
            let (status, answer) = put(&admin, body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{field} = {url}: {answer}");
            assert_eq!(answer["error"]["field"], field, "{url}");
        }
    }
    let (status, saved) = put(&admin, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        saved["webhook_url"].is_null() && saved["llm_base_url"].is_null(),
        "{saved}"
    );

    // Public https addresses are fine.
    let (status, saved) = put(
        &admin,
        json!({ "webhook_url": "https://hooks.example.com/baton", "llm_base_url": "https://api.example.com/v1", "llm_model": "m" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["webhook_url"], "https://hooks.example.com/baton");
}

#[tokio::test]
async fn the_operator_can_allow_an_internal_host_and_port() {
    let app = spawn_app_with(
        |c| c.allowed_outbound_hosts = vec![AllowedHost::parse("10.0.0.7:8443").unwrap()],
        Arc::new(baton_ai::builtin::BuiltinEngine),
    )
    .await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let (status, _) = put(
        &admin,
        json!({ "webhook_url": "http://10.0.0.7:8443/hook" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = put(
        &admin,
        json!({ "webhook_url": "http://10.0.0.7:9000/hook" }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "another port: {answer}");
}

#[tokio::test]
async fn a_stored_internal_webhook_url_delivers_nothing() {
    // A receiver on loopback that counts what reaches it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    tokio::spawn(async move {
        while let Ok((_, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let app = strict_app().await;
    // Saved before the operator's rules changed: straight into storage.
    let mut settings = app.store().integrations(app.workspace.id).await.unwrap();
    settings.webhook_url = Some(format!("http://127.0.0.1:{port}/hook"));
    settings.webhook_secret = Some("s3cret".into());
    app.store()
        .set_integrations(app.workspace.id, &settings)
        .await
        .unwrap();

    let mut visitor = app.visitor().await;
    visitor
        .send("The export button gives me a blank page")
        .await;
    let response = visitor.leave_details("m1", "rita@example.net").await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let mut failed = None;
    for _ in 0..100 {
        let items = app
            .store()
            .outbox(app.workspace.id, "pending", 10)
            .await
            .unwrap();
        if let Some(item) = items.into_iter().find(|i| i.attempts > 0) {
            failed = Some(item);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let failed = failed.expect("the delivery was tried and failed");
    let error = failed.last_error.unwrap_or_default();
    assert!(error.contains("refused"), "{error}");
    assert_eq!(
        hits.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "nothing connected"
    );
}

#[tokio::test]
async fn a_stored_internal_model_url_is_not_called_and_the_built_in_engine_answers() {
    let (url, requests) = fake_llm(|_| {
        vec![chunk(
            json!({ "role": "assistant", "content": "From an internal model." }),
            Some("stop"),
        )]
    })
    .await;
    let app = strict_app().await;
    let mut settings = app.store().integrations(app.workspace.id).await.unwrap();
    settings.llm_base_url = Some(url);
    settings.llm_model = Some("fake".into());
    app.store()
        .set_integrations(app.workspace.id, &settings)
        .await
        .unwrap();
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.send("Hello?").await;
    let reply = loop {
        let m = widget.next_message("text").await;
        if m["author_kind"] == "bot" {
            break m;
        }
    };
    assert_ne!(reply["text"], "From an internal model.");
    assert!(
        requests.lock().unwrap().is_empty(),
        "the model was never called"
    );
}

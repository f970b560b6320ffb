//! `GET /api/v1/limits`: the numbers the panel and the editor check before sending are the ones
//! the server's validators enforce.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::Role;

#[tokio::test]
async fn every_agent_reads_the_limits_the_validators_use() {
    // A server configured with a smaller message limit announces that one.
    let app = spawn_app_with(
        |config| config.limits.max_message_bytes = 2000,
        Arc::new(baton_ai::builtin::BuiltinEngine),
    )
    .await;
    let agent = app.agent("Ann").await;
    let response = agent.get("/api/v1/limits").await;
    assert_eq!(response.status(), StatusCode::OK);
    let limits: Value = response.json().await.unwrap();
    assert_eq!(limits["message_bytes"], 2000, "{limits}");
    assert_eq!(limits["schedule"]["slots_per_day"], 12, "{limits}");
    assert_eq!(limits["schedule"]["overrides"], 366, "{limits}");
    assert_eq!(
        limits["handoff"]["accept_timeout_seconds"],
        json!({ "min": 10, "max": 3600 })
    );
    assert_eq!(limits["knowledge"]["document_bytes"], 256 * 1024);

    let anonymous = reqwest::get(format!("{}/api/v1/limits", app.base))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

/// A value at each announced limit is accepted and one past it refused, naming the field.
#[tokio::test]
async fn the_announced_limits_are_the_edges_the_server_enforces() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let limits: Value = admin.get("/api/v1/limits").await.json().await.unwrap();
    let bot = app.bot.id;

    let title_chars = limits["knowledge"]["title_chars"].as_u64().unwrap() as usize;
    let add = |title: String| {
        let admin = &admin;
        async move {
            admin
                .post(
                    &format!("/api/v1/bots/{bot}/knowledge"),
                    Some(json!({ "kind": "qa", "title": title, "body": "Nine to five." })),
                )
                .await
        }
    };
    assert!(add("é".repeat(title_chars)).await.status().is_success());
    let over = add("é".repeat(title_chars + 1)).await;
    assert_eq!(over.status(), StatusCode::BAD_REQUEST);
    let over: Value = over.json().await.unwrap();
    assert_eq!(over["error"]["field"], "title", "{over}");

    let shortcut_chars = limits["saved_replies"]["shortcut_chars"].as_u64().unwrap() as usize;
    let save = |shortcut: String| {
        let admin = &admin;
        async move {
            admin
                .post(
                    "/api/v1/saved-replies",
                    Some(json!({ "shortcut": shortcut, "text": "Hello!" })),
                )
                .await
        }
    };
    assert!(save("a".repeat(shortcut_chars)).await.status().is_success());
    let over = save("b".repeat(shortcut_chars + 1)).await;
    assert_eq!(over.status(), StatusCode::BAD_REQUEST);
    let over: Value = over.json().await.unwrap();
    assert_eq!(over["error"]["field"], "shortcut", "{over}");

    let max_slots = limits["schedule"]["slots_per_day"].as_u64().unwrap() as usize;
    let slots = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| json!({ "start": format!("{:02}:00", i), "end": format!("{:02}:30", i) }))
            .collect()
    };
    let schedule = |n: usize| json!({ "timezone": "UTC", "weekly": { "monday": { "enabled": true, "slots": slots(n) } } });
    let path = format!("/api/v1/bots/{bot}/schedule");
    assert_eq!(
        admin.put(&path, schedule(max_slots)).await.status(),
        StatusCode::OK
    );
    let over = admin.put(&path, schedule(max_slots + 1)).await;
    assert_eq!(over.status(), StatusCode::BAD_REQUEST);
    let over: Value = over.json().await.unwrap();
    assert!(
        over["error"]["field"]
            .as_str()
            .unwrap()
            .starts_with("weekly.monday.slots"),
        "{over}"
    );
}

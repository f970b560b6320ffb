//! Workspaces never see each other's data; a visitor token opens only its own conversation.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

use crate::helpers::*;
use baton_storage::Role;

#[tokio::test]
async fn an_agent_of_another_workspace_sees_and_touches_nothing() {
    let app = spawn_app().await;
    let home = app.agent("Home").await;
    let _home_panel = home.panel().await;
    let (other_ws, _other_bot) = app.other_workspace().await;
    let mut stranger = app.agent_in(&other_ws, "Stranger", Role::Admin, 5).await;
    let mut stranger_panel = stranger.panel().await;

    let visitor = app.visitor().await;
    visitor.request_handoff().await;
    let handoff_id = home.waiting().await[0]["id"].as_str().unwrap().to_owned();
    let conversation = &visitor.conversation_id;

    assert!(stranger.waiting().await.is_empty());
    let list: Value = stranger
        .get("/api/v1/conversations")
        .await
        .json()
        .await
        .unwrap();
    assert!(list["conversations"].as_array().unwrap().is_empty());
    for path in [
        format!("/api/v1/conversations/{conversation}"),
        format!("/api/v1/conversations/{conversation}/messages"),
    ] {
        assert_eq!(
            stranger.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        stranger.accept(&handoff_id).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger.send(conversation, "hi").await.status(),
        StatusCode::NOT_FOUND
    );
    for action in ["join", "hand-back", "resolve"] {
        let response = stranger
            .post(
                &format!("/api/v1/conversations/{conversation}/{action}"),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let bot_path = format!("/api/v1/bots/{}/handoff-settings", app.bot.id);
    assert_eq!(
        stranger.get(&bot_path).await.status(),
        StatusCode::NOT_FOUND
    );
    let bots: Value = stranger.get("/api/v1/bots").await.json().await.unwrap();
    assert!(
        bots["bots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["id"] != app.bot.id.to_string().as_str())
    );

    // Subscribing to the other workspace's conversation over the panel socket is refused.
    stranger_panel
        .send_json(json!({ "type": "subscribe", "conversation_id": conversation, "after": 0 }))
        .await;
    let frames = stranger_panel.drain(Duration::from_millis(500)).await;
    assert!(
        frames
            .iter()
            .any(|f| f["type"] == "error" && f["error"]["code"] == "not_found"),
        "{frames:?}"
    );
    assert!(
        frames
            .iter()
            .all(|f| f["type"] != "message" && f["type"] != "handoff_requested"),
        "{frames:?}"
    );
}

#[tokio::test]
async fn a_visitor_token_opens_only_its_own_conversation() {
    let app = spawn_app().await;
    let first = app.visitor().await;
    let second = app.visitor().await;
    let response = first
        .http
        .get(second.url("/messages"))
        .bearer_auth(&first.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = first
        .http
        .post(second.url("/messages"))
        .bearer_auth(&first.token)
        .json(&json!({ "client_id": "x1", "text": "intrusion" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let url = format!(
        "ws://{}/api/v1/widget/conversations/{}/ws?token={}",
        app.addr, second.conversation_id, first.token
    );
    let err = tokio_tungstenite::connect_async(url).await.unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    assert!(second.history(0).await.is_empty());
}

#[tokio::test]
async fn agent_endpoints_need_a_session_and_admin_endpoints_an_admin() {
    let app = spawn_app().await;
    let plain = reqwest::Client::new();
    let response = plain
        .get(format!("{}/api/v1/conversations", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let agent = app.agent("Lee").await;
    assert_eq!(
        agent.get("/api/v1/agents").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        agent.get("/api/v1/bots").await.status(),
        StatusCode::FORBIDDEN
    );
}

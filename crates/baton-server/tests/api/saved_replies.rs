//! Saved replies: admins manage them, every agent of the workspace reads them, shortcuts are
//! unique per workspace, bad input names the field, another workspace sees nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::{Role, StoreError};

async fn delete(by: &AgentClient, path: &str) -> reqwest::Response {
    by.http
        .delete(format!("{}{path}", by.base))
        .header("x-csrf-token", &by.csrf)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn admins_manage_saved_replies_and_agents_read_them() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let agent = app.agent("Ben").await;

    let response = admin
        .post(
            "/api/v1/saved-replies",
            Some(json!({ "shortcut": "/Refund", "text": "  Hi {visitor_name}, your refund is on its way. — {agent_name}\n" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let id = created["saved_reply"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["saved_reply"]["shortcut"], "refund");
    assert_eq!(
        created["saved_reply"]["text"],
        "Hi {visitor_name}, your refund is on its way. — {agent_name}"
    );
    let response = admin
        .post(
            "/api/v1/saved-replies",
            Some(json!({ "shortcut": "hello", "text": "Hello!" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // Shortcuts are unique in the workspace.
    let response = admin
        .post(
            "/api/v1/saved-replies",
            Some(json!({ "shortcut": "REFUND", "text": "Another" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "shortcut");
    let response = admin
        .put(
            &format!("/api/v1/saved-replies/{id}"),
            json!({ "shortcut": "hello", "text": "clash" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // Every agent reads them, sorted by shortcut; only admins change them.
    let list: Value = agent
        .get("/api/v1/saved-replies")
        .await
        .json()
        .await
        .unwrap();
    let shortcuts: Vec<&str> = list["saved_replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["shortcut"].as_str().unwrap())
        .collect();
    assert_eq!(shortcuts, ["hello", "refund"]);
    let response = agent
        .post(
            "/api/v1/saved-replies",
            Some(json!({ "shortcut": "mine", "text": "x" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        delete(&agent, &format!("/api/v1/saved-replies/{id}"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Changed, then deleted.
    let response = admin
        .put(
            &format!("/api/v1/saved-replies/{id}"),
            json!({ "shortcut": "refund-sent", "text": "Your refund was sent." }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["saved_reply"]["shortcut"], "refund-sent");
    assert_eq!(
        delete(&admin, &format!("/api/v1/saved-replies/{id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        delete(&admin, &format!("/api/v1/saved-replies/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Another workspace neither sees nor touches them.
    let (other, _) = app.other_workspace().await;
    let stranger = app.agent_in(&other, "Stranger", Role::Admin, 5).await;
    let theirs: Value = stranger
        .get("/api/v1/saved-replies")
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs["saved_replies"].as_array().unwrap().is_empty());
    let hello = list["saved_replies"][0]["id"].as_str().unwrap();
    let response = stranger
        .put(
            &format!("/api/v1/saved-replies/{hello}"),
            json!({ "shortcut": "hijack", "text": "x" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        delete(&stranger, &format!("/api/v1/saved-replies/{hello}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The other workspace may use the same shortcut.
    let response = stranger
        .post(
            "/api/v1/saved-replies",
            Some(json!({ "shortcut": "hello", "text": "Hi there" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn bad_saved_replies_name_the_field_and_store_nothing() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    for (body, field) in [
        (json!({ "shortcut": "", "text": "x" }), "shortcut"),
        (json!({ "shortcut": "two words", "text": "x" }), "shortcut"),
        (
            json!({ "shortcut": "x".repeat(33), "text": "x" }),
            "shortcut",
        ),
        (json!({ "shortcut": "ünï", "text": "x" }), "shortcut"),
        (json!({ "shortcut": "ok", "text": "   " }), "text"),
        (json!({ "shortcut": "ok", "text": "a\u{0}b" }), "text"),
        (
            json!({ "shortcut": "ok", "text": "x".repeat(2001) }),
            "text",
        ),
    ] {
        let response = admin
            .post("/api/v1/saved-replies", Some(body.clone()))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"]["field"], field, "{body}");
    }
    let response = admin
        .post("/api/v1/saved-replies", Some(json!({ "shortcut": "ok" })))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        app.store()
            .saved_replies(app.workspace.id)
            .await
            .unwrap()
            .is_empty()
    );
    // The per-workspace limit (500 through the API) holds in storage.
    app.store()
        .add_saved_reply(app.workspace.id, "a", "x", 2)
        .await
        .unwrap();
    app.store()
        .add_saved_reply(app.workspace.id, "b", "x", 2)
        .await
        .unwrap();
    let third = app
        .store()
        .add_saved_reply(app.workspace.id, "c", "x", 2)
        .await;
    assert!(matches!(third, Err(StoreError::Conflict(_))), "{third:?}");
}

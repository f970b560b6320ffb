//! Unread counts kept per agent on the server: how far each agent read each conversation they
//! opened, and the visitor's messages since, in the conversation list; never moving back; other
//! agents and workspaces unaffected.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::Role;

async fn read(agent: &AgentClient, id: &str, seq: i64) -> reqwest::Response {
    agent
        .post(
            &format!("/api/v1/conversations/{id}/read"),
            Some(json!({ "seq": seq })),
        )
        .await
}

async fn entry(agent: &AgentClient, conversation_id: &str) -> Value {
    let list: Value = agent
        .get("/api/v1/conversations")
        .await
        .json()
        .await
        .unwrap();
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == conversation_id)
        .cloned()
        .expect("the conversation is listed")
}

#[tokio::test]
async fn each_agent_keeps_their_own_place_in_a_conversation() {
    let app = spawn_app().await;
    let ana = app.agent("Ana").await;
    let ben = app.agent("Ben").await;
    let mut visitor = app.visitor().await;
    let id = visitor.conversation_id.clone();
    visitor.send("first question").await;
    visitor.send("second question").await;

    // Never opened: no place, nothing counted.
    let fresh = entry(&ana, &id).await;
    assert!(fresh["last_read_seq"].is_null(), "{fresh}");
    assert_eq!(fresh["unread"], 0);

    // Ana reads up to the first question; the second and a third are unread for her.
    let history = visitor.history(0).await;
    let first_seq = history
        .iter()
        .find(|m| m["text"] == "first question")
        .unwrap()["seq"]
        .as_i64()
        .unwrap();
    assert_eq!(
        read(&ana, &id, first_seq).await.status(),
        StatusCode::NO_CONTENT
    );
    visitor.send("third question").await;
    let ana_view = entry(&ana, &id).await;
    assert_eq!(ana_view["last_read_seq"], first_seq);
    assert_eq!(ana_view["unread"], 2, "{ana_view}");
    // Ben's place is his own.
    assert!(entry(&ben, &id).await["last_read_seq"].is_null());

    // Reading further counts down; an older place does not move it back.
    let last = entry(&ana, &id).await["last_seq"].as_i64().unwrap();
    assert_eq!(read(&ana, &id, last).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        read(&ana, &id, first_seq).await.status(),
        StatusCode::NO_CONTENT
    );
    let caught_up = entry(&ana, &id).await;
    assert_eq!(caught_up["last_read_seq"], last);
    assert_eq!(caught_up["unread"], 0);

    // Bad places and other workspaces are refused.
    assert_eq!(read(&ana, &id, -1).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        read(&ana, &id, last + 100).await.status(),
        StatusCode::BAD_REQUEST
    );
    let (other, _) = app.other_workspace().await;
    let stranger = app.agent_in(&other, "Stranger", Role::Agent, 5).await;
    assert_eq!(
        read(&stranger, &id, 1).await.status(),
        StatusCode::NOT_FOUND
    );
}

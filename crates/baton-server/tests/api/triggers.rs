//! The trigger explanation: any agent asks what the built-in engine would do with a visitor's
//! words under given sensitivities and why; the answer is the CLI's `--explain` JSON; bad input
//! is a 400 naming the field; a text over the message size limit is a 413; a session and the CSRF
//! token are required.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const PATH: &str = "/api/v1/triggers/explain";

#[tokio::test]
async fn an_agent_sees_the_trigger_and_why() {
    let app = spawn_app().await;
    let agent = app.agent("Ben").await;

    let response = agent
        .post(PATH, Some(json!({ "text": "no more bots please" })))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["trigger"], "user_request");
    assert_eq!(body["explain"]["family"], "refusal_of_bot");
    assert_eq!(body["explain"]["matched"], json!(["no", "bots"]));
    assert_eq!(body["explain"]["negated"], false);
    assert!(
        body["reason"]
            .as_str()
            .unwrap()
            .contains("no more bots please")
    );

    // The editor's unsaved sensitivities decide the AI triggers.
    let ask = |settings: Value| json!({ "text": "this is ridiculous", "settings": settings });
    let on: Value = agent
        .post(PATH, Some(ask(json!({ "frustration": "high" }))))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(on["trigger"], "frustration");
    let off: Value = agent
        .post(PATH, Some(ask(json!({ "frustration": "off" }))))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(off["trigger"], "none");

    // A conversation: the escalation is spread over the turns.
    let conversation = json!({ "messages": [
        { "author": "visitor", "text": "my invoice is wrong" },
        { "author": "bot", "text": "You can find your invoice in your account." },
        { "author": "visitor", "text": "the invoice amount is wrong" },
        { "author": "bot", "text": "Invoices are created automatically." },
        { "author": "visitor", "text": "the invoice is still wrong" },
    ]});
    let body: Value = agent
        .post(PATH, Some(conversation))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(body["trigger"], "none", "{body}");
    assert!(body["explain"]["turns"].as_u64().unwrap() >= 3, "{body}");

    // A question about the bot is not a request, and says so.
    let body: Value = agent
        .post(PATH, Some(json!({ "text": "could you be a real person?" })))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["trigger"], "none");
    assert_eq!(body["explain"]["family"], "bot_nature_question");
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let app = spawn_app_with(|c| c.limits.max_message_bytes = 100, Arc::new(EchoEngine)).await;
    let agent = app.agent("Ben").await;
    for (body, field) in [
        (json!({}), "text"),
        (json!({ "text": 5 }), "text"),
        (json!({ "text": "a", "messages": [] }), "text"),
        (json!({ "messages": "hi" }), "messages"),
        (
            json!({ "messages": [{ "author": "visitor", "text": "a" }, { "author": "agent", "text": "b" }] }),
            "messages[1].author",
        ),
        (
            json!({ "messages": [{ "author": "visitor" }] }),
            "messages[0].text",
        ),
        (
            json!({ "text": "a", "settings": { "frustration": "max" } }),
            "settings.frustration",
        ),
        (json!({ "text": "a", "settings": [] }), "settings"),
        (json!({ "text": "a", "mood": "x" }), "mood"),
        (json!([1, 2]), "body"),
    ] {
        let response = agent.post(PATH, Some(body.clone())).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{body}: {error}");
    }
    let response = agent
        .post(PATH, Some(json!({ "text": "x".repeat(101) })))
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["field"], "text");
    // Emoji only, empty, control characters: an answer, never an error.
    for text in ["😡🤬", "", "\u{0}\u{202e}abc"] {
        let response = agent.post(PATH, Some(json!({ "text": text }))).await;
        assert_eq!(response.status(), StatusCode::OK, "{text:?}");
    }
}

#[tokio::test]
async fn a_session_and_the_csrf_token_are_required() {
    let app = spawn_app().await;
    let agent = app.agent("Ben").await;
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}{PATH}", app.base))
        .json(&json!({ "text": "hi" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = agent
        .http
        .post(format!("{}{PATH}", agent.base))
        .json(&json!({ "text": "hi" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

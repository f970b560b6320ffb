//! The AI engines in the running server: answers from a bot's knowledge, and an
//! OpenAI-compatible provider (a local fake that follows the chat-completions streaming wire
//! format) whose text streams to the widget and whose `handoff` tool call hands off.

use std::sync::Arc;

use axum::response::IntoResponse;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::Role;

#[tokio::test]
async fn the_built_in_engine_answers_from_the_bots_knowledge_and_names_the_source() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let path = format!("/api/v1/bots/{}/knowledge", app.bot.id);
    let response = admin
        .post(&path, Some(json!({ "kind": "qa", "title": "Can I change my delivery address?", "body": "Yes, until the order ships: open the order and choose Change address." })))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = admin
        .post(&path, Some(json!({ "kind": "document", "title": "Warranty", "body": "# Warranty\n\n## Claims\nBring the receipt; claims are answered within five days." })))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let bad = admin
        .post(
            &path,
            Some(json!({ "kind": "qa", "title": "  ", "body": "x" })),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let bad = admin
        .post(
            &path,
            Some(json!({ "kind": "faq", "title": "t", "body": "x" })),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let hits: Value = admin
        .get(&format!(
            "{path}/search?q=change%20the%20delivery%20address"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(!hits["hits"].as_array().unwrap().is_empty(), "{hits}");

    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor
        .send("how can I change the delivery address of my order?")
        .await;
    widget.next_message("text").await;
    let answer = widget.next_message("text").await;
    assert_eq!(answer["author_kind"], "bot");
    let text = answer["text"].as_str().unwrap();
    assert!(text.contains("until the order ships"), "{text}");
    assert!(text.contains("FAQ"), "the source is named: {text}");

    let (other, _) = app.other_workspace().await;
    let stranger = app.agent_in(&other, "Stranger", Role::Admin, 5).await;
    assert_eq!(stranger.get(&path).await.status(), StatusCode::NOT_FOUND);
}

/// A fake OpenAI-compatible server: answers every request with the SSE chunks `reply` returns.
pub(crate) async fn fake_llm(
    reply: fn(&Value) -> Vec<Value>,
) -> (String, Arc<std::sync::Mutex<Vec<Value>>>) {
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = requests.clone();
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(body.clone());
                let mut sse = String::new();
                for chunk in reply(&body) {
                    sse.push_str(&format!("data: {chunk}\n\n"));
                }
                sse.push_str("data: [DONE]\n\n");
                ([("content-type", "text/event-stream")], sse).into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, requests)
}

pub(crate) fn chunk(delta: Value, finish: Option<&str>) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1764000000, "model": "fake",
        "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }]
    })
}

fn llm_engine(url: &str) -> Arc<dyn baton_ai::Engine> {
    let config = baton_ai::OpenAiConfig::new(url, "fake");
    Arc::new(baton_ai::FallbackEngine::new(
        baton_ai::OpenAiEngine::new(config).unwrap(),
        baton_ai::builtin::BuiltinEngine,
    ))
}

#[tokio::test]
async fn a_streamed_reply_reaches_the_widget_piece_by_piece_and_is_stored_whole() {
    let (url, requests) = fake_llm(|_| {
        vec![
            chunk(json!({ "role": "assistant", "content": "Our shop " }), None),
            chunk(json!({ "content": "opens at " }), None),
            chunk(json!({ "content": "9 o'clock." }), None),
            chunk(json!({}), Some("stop")),
        ]
    })
    .await;
    let app = spawn_app_with(|_| {}, llm_engine(&url)).await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.send("When do you open?").await;
    let mut deltas = String::new();
    let stored = loop {
        let frame = widget.next().await;
        match frame["type"].as_str() {
            Some("delta") => deltas.push_str(frame["text"].as_str().unwrap()),
            Some("message") if frame["message"]["author_kind"] == "bot" => {
                break frame["message"].clone();
            }
            _ => {}
        }
    };
    assert_eq!(deltas, "Our shop opens at 9 o'clock.");
    assert_eq!(stored["text"], "Our shop opens at 9 o'clock.");
    let request = requests.lock().unwrap()[0].clone();
    assert_eq!(request["stream"], true);
    assert_eq!(request["tools"][0]["function"]["name"], "handoff");
    assert!(
        request["tools"][0]["function"]["description"]
            .as_str()
            .unwrap()
            .contains(&app.bot.handoff.instruction)
    );
}

#[tokio::test]
async fn the_models_handoff_tool_call_hands_off_with_its_reason_and_summary() {
    let (url, _) = fake_llm(|_| {
        vec![
            chunk(json!({ "role": "assistant", "tool_calls": [{ "index": 0, "id": "call_1", "type": "function",
                "function": { "name": "handoff", "arguments": "{\"trigger\":\"sales_opportunity\",\"rea" } }] }), None),
            chunk(json!({ "tool_calls": [{ "index": 0, "function": { "arguments": "son\":\"Wants 200 seats on the enterprise plan\",\"summary\":\"Acme, 200 seats, needs SSO\"}" } }] }), None),
            chunk(json!({}), Some("tool_calls")),
        ]
    })
    .await;
    let app = spawn_app_with(|_| {}, llm_engine(&url)).await;
    let agent = app.agent("Sal").await;
    let mut panel = agent.panel().await;
    let mut visitor = app.visitor().await;
    visitor
        .send("We are evaluating your product for our whole company")
        .await;
    let brief = panel.next_of_type("handoff_requested").await["handoff"].clone();
    assert_eq!(brief["trigger"], "sales_opportunity");
    assert_eq!(brief["reason"], "Wants 200 seats on the enterprise plan");
    assert_eq!(brief["summary"], "Acme, 200 seats, needs SSO");
}

#[tokio::test]
async fn a_failing_provider_falls_back_to_the_built_in_engine() {
    // Nothing listens on this port: every attempt fails fast.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let app = spawn_app_with(|_| {}, llm_engine(&format!("http://127.0.0.1:{port}/v1"))).await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.send("Hello").await;
    widget.next_message("text").await;
    let reply = widget.next_message("text").await;
    assert_eq!(reply["author_kind"], "bot");
    assert!(!reply["text"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn a_large_markdown_document_fits_its_own_limit() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let path = format!("/api/v1/bots/{}/knowledge", app.bot.id);
    let body = "## Section\n\nSome words about returns and refunds.\n\n".repeat(4000);
    assert!(body.len() > 100_000 && body.len() < 256 * 1024);
    let response = admin
        .post(
            &path,
            Some(json!({ "kind": "document", "title": "Handbook", "body": body })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let too_big = "x".repeat(300 * 1024);
    let response = admin
        .post(
            &path,
            Some(json!({ "kind": "document", "title": "Huge", "body": too_big })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_workspace_can_bring_its_own_model_and_its_key_is_never_returned() {
    let (url, requests) = fake_llm(|_| {
        vec![chunk(
            json!({ "role": "assistant", "content": "From your own model." }),
            Some("stop"),
        )]
    })
    .await;
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let put = |body: Value| {
        admin
            .http
            .put(format!("{}/api/v1/integrations", admin.base))
            .header("x-csrf-token", &admin.csrf)
            .json(&body)
            .send()
    };
    let bad = put(json!({ "llm_base_url": "ftp://models.example.com" }))
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let no_model = put(json!({ "llm_base_url": url })).await.unwrap();
    assert_eq!(no_model.status(), StatusCode::BAD_REQUEST);
    let response =
        put(json!({ "llm_base_url": url, "llm_model": "fake", "llm_api_key": "sk-secret-123" }))
            .await
            .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(
        !text.contains("sk-secret-123"),
        "the key is never returned: {text}"
    );
    let settings: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(settings["llm_api_key_set"], true);
    // Saving other settings keeps the model (absent fields are left as they are).
    let response = put(json!({ "notification_email": "team@example.com" }))
        .await
        .unwrap();
    let settings: Value = response.json().await.unwrap();
    assert_eq!(settings["llm_model"], "fake");
    // And saving the model alone (the panel's AI form) keeps the ticket email.
    let response = put(json!({ "llm_model": "fake" })).await.unwrap();
    let settings: Value = response.json().await.unwrap();
    assert_eq!(settings["notification_email"], "team@example.com");

    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.send("Hello?").await;
    let reply = loop {
        let m = widget.next_message("text").await;
        if m["author_kind"] == "bot" {
            break m;
        }
    };
    assert_eq!(reply["text"], "From your own model.");
    assert_eq!(requests.lock().unwrap()[0]["model"], "fake");

    // Back to the built-in engine.
    let response = put(json!({ "llm_base_url": null, "llm_model": null, "llm_api_key": null }))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    visitor.send("Hello again").await;
    let reply = loop {
        let m = widget.next_message("text").await;
        if m["author_kind"] == "bot" {
            break m;
        }
    };
    assert_ne!(reply["text"], "From your own model.");
    assert_eq!(requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_streamed_turn_ends_with_delta_end_after_its_reply() {
    let (url, _) = fake_llm(|_| {
        vec![
            chunk(json!({ "role": "assistant", "content": "Let me " }), None),
            chunk(json!({ "content": "check." }), Some("stop")),
        ]
    })
    .await;
    let app = spawn_app_with(|_| {}, llm_engine(&url)).await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.send("Is the warehouse open?").await;
    let mut order = Vec::new();
    loop {
        let frame = widget.next().await;
        match frame["type"].as_str() {
            Some("delta") => order.push("delta"),
            Some("message") if frame["message"]["author_kind"] == "bot" => order.push("message"),
            Some("delta_end") => {
                order.push("delta_end");
                break;
            }
            _ => {}
        }
    }
    assert_eq!(order.last(), Some(&"delta_end"));
    assert!(
        order.contains(&"message")
            && order.iter().position(|k| *k == "message")
                < order.iter().position(|k| *k == "delta_end"),
        "{order:?}"
    );
}

#[tokio::test]
async fn a_long_streamed_reply_reaches_every_open_tab_whole_and_in_order() {
    // Far more pieces than a conversation channel keeps for a socket that is behind: a tab that
    // falls behind while they are published still gets every piece, in order.
    let (url, _) = fake_llm(|_| {
        let mut chunks = vec![chunk(json!({ "role": "assistant", "content": "" }), None)];
        chunks.extend((0..400).map(|i| chunk(json!({ "content": format!("w{i} ") }), None)));
        chunks.push(chunk(json!({}), Some("stop")));
        chunks
    })
    .await;
    let expected: String = (0..400).map(|i| format!("w{i} ")).collect();
    let app = spawn_app_with(|_| {}, llm_engine(&url)).await;
    let mut visitor = app.visitor().await;
    let mut tabs = vec![visitor.ws(0).await, visitor.ws(0).await];
    for tab in &mut tabs {
        tab.next_of_type("ready").await;
    }
    visitor.send("Tell me everything.").await;
    for tab in &mut tabs {
        let mut deltas = String::new();
        let stored = loop {
            let frame = tab.next().await;
            match frame["type"].as_str() {
                Some("delta") => deltas.push_str(frame["text"].as_str().unwrap()),
                Some("message") if frame["message"]["author_kind"] == "bot" => {
                    break frame["message"].clone();
                }
                _ => {}
            }
        };
        assert_eq!(deltas, expected);
        assert_eq!(stored["text"].as_str().unwrap().trim(), expected.trim());
    }
}

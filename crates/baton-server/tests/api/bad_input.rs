//! Bad input gets a clear error and loses nothing.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn error_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, body["error"].clone())
}

#[tokio::test]
async fn an_oversized_message_is_413_and_names_the_limit() {
    let app = spawn_app_with(|c| c.limits.max_message_bytes = 100, Arc::new(EchoEngine)).await;
    let visitor = app.visitor().await;
    let (status, error) = error_of(visitor.send_with_id("big", &"x".repeat(101)).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error["field"], "text");
    assert!(error["message"].as_str().unwrap().contains("100 bytes"));
    // Exactly at the limit is fine.
    assert_eq!(
        visitor
            .send_with_id("fits", &"x".repeat(100))
            .await
            .status(),
        StatusCode::CREATED
    );
    // A body far over the limit is refused before it is parsed.
    let (status, _) = error_of(visitor.send_with_id("huge", &"x".repeat(200_000)).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_default_message_limit_is_4_kib() {
    let app = spawn_app_with(|_| {}, Arc::new(EchoEngine)).await;
    let visitor = app.visitor().await;
    assert_eq!(
        visitor.send_with_id("ok", &"é".repeat(2048)).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        visitor.send_with_id("no", &"x".repeat(4097)).await.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[tokio::test]
async fn malformed_json_is_400_naming_the_field() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let post = |body: &'static str| {
        visitor
            .http
            .post(visitor.url("/messages"))
            .bearer_auth(&visitor.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let (status, error) = error_of(post(r#"{"client_id": "a", "text": 5}"#).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["field"], "text");
    let (status, error) = error_of(post(r#"{"text": "hi"}"#).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error["message"].as_str().unwrap().contains("client_id"),
        "{error}"
    );
    let (status, error) = error_of(post(r#"{"client_id": "a", "text": "hi""#).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], "invalid");
    let (status, error) = error_of(
        post(r#"{"client_id": "has spaces", "text": "hi"}"#)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["field"], "client_id");
    let (status, error) =
        error_of(post(r#"{"client_id": "a", "text": "   "}"#).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["field"], "text");
    let response = visitor
        .http
        .post(visitor.url("/messages"))
        .bearer_auth(&visitor.token)
        .body("client_id=a&text=hi")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        visitor.history(0).await.is_empty(),
        "nothing half-valid is stored"
    );
}

#[tokio::test]
async fn unknown_bots_and_conversations_are_404() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    for bot_id in ["0190d7d4-0000-7000-8000-000000000000", "not-an-id"] {
        let response = http
            .post(format!("{}/api/v1/widget/conversations", app.base))
            .json(&json!({ "bot_id": bot_id }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    let visitor = app.visitor().await;
    let response = http
        .get(format!(
            "{}/api/v1/widget/conversations/0190d7d4-0000-7000-8000-000000000000/messages",
            app.base
        ))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let agent = app.agent("Max").await;
    assert_eq!(
        agent
            .accept("0190d7d4-0000-7000-8000-000000000000")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_retried_message_is_stored_once() {
    let app = spawn_app_with(|_| {}, Arc::new(EchoEngine)).await;
    let visitor = app.visitor().await;
    let first = visitor.send_with_id("retry-1", "only once").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = visitor.send_with_id("retry-1", "only once").await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["message"]["id"], again["message"]["id"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let history = visitor.history(0).await;
    assert_eq!(
        history.iter().filter(|m| m["text"] == "only once").count(),
        1
    );
    // One bot answer, not two.
    assert_eq!(
        history.iter().filter(|m| m["author_kind"] == "bot").count(),
        1
    );
}

#[tokio::test]
async fn wrong_passwords_are_401_then_rate_limited_with_retry_after() {
    let app = spawn_app_with(|c| c.limits.login_failures = 3, Arc::new(EchoEngine)).await;
    let agent = app.agent("Nia").await;
    let email: Value = agent.get("/api/v1/me").await.json().await.unwrap();
    let email = email["agent"]["email"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    let login = |password: &'static str| {
        http.post(format!("{}/api/v1/auth/login", app.base))
            .json(&json!({ "email": email, "password": password }))
            .send()
    };
    for _ in 0..3 {
        let (status, error) = error_of(login("wrong password!").await.unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(error["message"], "wrong email or password");
    }
    let response = login("wrong password!").await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get("retry-after").is_some());
    // Even the right password waits: the account is protected from guessing.
    assert_eq!(
        login(PASSWORD).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // An unknown account answers the same way as a wrong password.
    let response = http
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({ "email": "nobody@example.com", "password": "whatever123" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn visitors_sending_too_fast_get_429_with_retry_after() {
    let app = spawn_app_with(
        |c| {
            c.limits.visitor_message_burst = 3;
            c.limits.visitor_messages_per_minute = 6;
        },
        Arc::new(EchoEngine),
    )
    .await;
    let mut visitor = app.visitor().await;
    for _ in 0..3 {
        assert_eq!(visitor.send("hi").await.status(), StatusCode::CREATED);
    }
    let response = visitor.send("too fast").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&retry), "{retry}");
    let (_, error) = error_of(response).await;
    assert_eq!(error["code"], "rate_limited");
    // A rate-limited message is not stored; a retry after the wait is.
    assert!(
        visitor
            .history(0)
            .await
            .iter()
            .all(|m| m["text"] != "too fast")
    );
}

#[tokio::test]
async fn state_changing_agent_requests_need_the_csrf_token() {
    let app = spawn_app().await;
    let agent = app.agent("Oli").await;
    let response = agent
        .http
        .post(format!("{}/api/v1/me/status", app.base))
        .json(&json!({ "status": "away" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = agent
        .http
        .post(format!("{}/api/v1/me/status", app.base))
        .header("x-csrf-token", "forged")
        .json(&json!({ "status": "away" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        agent
            .post("/api/v1/me/status", Some(json!({ "status": "away" })))
            .await
            .status(),
        StatusCode::OK
    );
    let (status, error) = error_of(
        agent
            .post("/api/v1/me/status", Some(json!({ "status": "asleep" })))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["field"], "status");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_logout_ends_it() {
    let app = spawn_app().await;
    let agent = app.agent("Pia").await;
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({ "email": agent.get("/api/v1/me").await.json::<Value>().await.unwrap()["agent"]["email"], "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(
        agent.post("/api/v1/auth/logout", None).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        agent.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn garbage_on_a_socket_gets_an_error_frame_and_the_socket_stays_usable() {
    let app = spawn_app_with(|_| {}, Arc::new(EchoEngine)).await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    widget.next_of_type("ready").await;
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    for garbage in [
        "not json",
        r#"{"type":"launch_missiles"}"#,
        r#"{"type":"send","text":"no id"}"#,
    ] {
        widget
            .stream
            .send(Message::Text(garbage.into()))
            .await
            .unwrap();
        let error = widget.next_of_type("error").await;
        assert_eq!(error["error"]["code"], "invalid");
    }
    widget
        .send_json(json!({ "type": "send", "client_id": "c1", "text": "x".repeat(5000) }))
        .await;
    let error = widget.next_of_type("error").await;
    assert_eq!(error["error"]["code"], "too_large");
    widget.send_json(json!({ "type": "ping" })).await;
    widget.next_of_type("pong").await;
}

#[tokio::test]
async fn too_many_sockets_on_one_conversation_are_refused() {
    let app = spawn_app_with(
        |c| c.limits.sockets_per_conversation = 2,
        Arc::new(EchoEngine),
    )
    .await;
    let visitor = app.visitor().await;
    let _a = visitor.ws(0).await;
    let _b = visitor.ws(0).await;
    let url = format!(
        "ws://{}/api/v1/widget/conversations/{}/ws?token={}",
        app.addr, visitor.conversation_id, visitor.token
    );
    let err = tokio_tungstenite::connect_async(url).await.unwrap_err();
    assert!(err.to_string().contains("429"), "{err}");
}

#[tokio::test]
async fn the_health_check_answers() {
    let app = spawn_app().await;
    let response = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_malformed_query_is_a_json_400() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let response = visitor
        .http
        .get(visitor.url("/messages?limit=abc"))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["field"], "query");
    assert!(
        error["message"].as_str().unwrap().contains("limit"),
        "{error}"
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let response = visitor
        .http
        .get(visitor.url("/messages"))
        .header("authorization", format!("bearer {}", visitor.token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_retry_is_answered_even_when_the_rate_limit_is_spent() {
    let app = spawn_app_with(
        |c| {
            c.limits.visitor_message_burst = 1;
            c.limits.visitor_messages_per_minute = 1;
        },
        Arc::new(EchoEngine),
    )
    .await;
    let visitor = app.visitor().await;
    assert_eq!(
        visitor.send_with_id("once", "hello").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        visitor.send_with_id("twice", "again").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        visitor.send_with_id("once", "hello").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_client_id_never_returns_another_authors_message() {
    let app = spawn_app_with(|_| {}, Arc::new(EchoEngine)).await;
    let agent = app.agent("Quinn").await;
    let visitor = app.visitor().await;
    agent
        .post(
            &format!("/api/v1/conversations/{}/join", visitor.conversation_id),
            None,
        )
        .await;
    assert_eq!(
        visitor
            .send_with_id("shared-key", "from the visitor")
            .await
            .status(),
        StatusCode::CREATED
    );
    let response = agent
        .post(
            &format!("/api/v1/conversations/{}/messages", visitor.conversation_id),
            Some(json!({ "client_id": "shared-key", "text": "from the agent" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_overloaded_server_refuses_new_work_at_once_and_stores_none_of_it() {
    // A zero lag means "always behind": the server sheds once it has watched itself a moment.
    let app = spawn_app_with(
        |c| c.limits.shed_lag = Some(Duration::ZERO),
        Arc::new(EchoEngine),
    )
    .await;
    for _ in 0..500 {
        if app.state.overload.is_shedding() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(app.state.overload.is_shedding());
    let mut visitor = app.visitor_from_store().await;
    let response = visitor.send("hello?").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "1");
    let (_, error) = error_of(response).await;
    assert_eq!(error["code"], "overloaded");
    assert!(
        visitor.history(0).await.is_empty(),
        "a refused message is not stored"
    );
    // On a socket the refusal is an error frame naming the message.
    let mut ws = visitor.ws(0).await;
    ws.next_of_type("ready").await;
    ws.send_json(json!({ "type": "send", "client_id": "w-1", "text": "hello?" }))
        .await;
    let frame = ws.next_of_type("error").await;
    assert_eq!(frame["client_id"], "w-1");
    assert_eq!(frame["error"]["code"], "overloaded");
    assert_eq!(frame["error"]["retry_after"], 1);
    // New conversations are refused too.
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/widget/conversations", app.base))
        .json(&json!({ "bot_id": app.bot.id }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

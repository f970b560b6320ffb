//! Bots made, renamed and archived by admins: defaults, validation naming the field, another
//! workspace's bot a 404, and an archived bot's widget gone while its conversations stay.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::Role;

async fn call(
    agent: &AgentClient,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = agent
        .http
        .request(method, format!("{}{path}", agent.base))
        .header("x-csrf-token", &agent.csrf);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn admins_create_rename_and_archive_bots() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    use reqwest::Method;

    let (status, created) = call(
        &admin,
        Method::POST,
        "/api/v1/bots",
        Some(json!({ "name": "Sales" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let bot = &created["bot"];
    let id = bot["id"].as_str().unwrap().to_owned();
    assert_eq!(bot["name"], "Sales");
    assert!(
        !bot["greeting"].as_str().unwrap().is_empty(),
        "a default greeting"
    );
    assert_eq!(bot["persona"], "");
    assert_eq!(bot["archived_at"], Value::Null);
    assert_eq!(bot["handoff"]["enabled"], true, "default handoff settings");

    let patch = json!({ "name": "Sales desk", "persona": "Brief.\nNever promise dates." });
    let (status, updated) = call(
        &admin,
        Method::PATCH,
        &format!("/api/v1/bots/{id}"),
        Some(patch),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["bot"]["name"], "Sales desk");
    assert_eq!(updated["bot"]["persona"], "Brief.\nNever promise dates.");
    assert_eq!(
        updated["bot"]["greeting"], bot["greeting"],
        "fields left out stay"
    );

    // Bad input names the field and changes nothing.
    for (body, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "x".repeat(81) }), "name"),
        (json!({ "name": "bad\u{7}name" }), "name"),
        (json!({ "persona": "p".repeat(4001) }), "persona"),
        (json!({ "greeting": "g".repeat(501) }), "greeting"),
    ] {
        let (status, error) = call(
            &admin,
            Method::PATCH,
            &format!("/api/v1/bots/{id}"),
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error["error"]["field"], field);
    }
    let (status, _) = call(
        &admin,
        Method::POST,
        "/api/v1/bots",
        Some(json!({ "greeting": "no name" })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(
        &admin,
        Method::POST,
        "/api/v1/bots",
        Some(json!({ "name": "X", "colour": "red" })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A visitor chats with it; then it is archived.
    let sales_bot = app.store().bot(id.parse().unwrap()).await.unwrap();
    let mut visitor = app.visitor_for(&sales_bot).await;
    assert_eq!(visitor.send("Hello").await.status(), StatusCode::CREATED);
    let (status, _) = call(&admin, Method::DELETE, &format!("/api/v1/bots/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&admin, Method::DELETE, &format!("/api/v1/bots/{id}"), None).await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "archiving twice is harmless"
    );

    let listed: Value = admin.get("/api/v1/bots").await.json().await.unwrap();
    assert!(
        listed["bots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["id"] != id.as_str())
    );
    let all: Value = admin
        .get("/api/v1/bots?archived=true")
        .await
        .json()
        .await
        .unwrap();
    let archived = all["bots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == id.as_str())
        .unwrap();
    assert!(archived["archived_at"].is_string());

    let http = reqwest::Client::new();
    let widget = http
        .get(format!("{}/api/v1/widget/bots/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(widget.status(), StatusCode::GONE);
    let body: Value = widget.json().await.unwrap();
    assert_eq!(body["error"]["code"], "archived");
    let start = http
        .post(format!("{}/api/v1/widget/conversations", app.base))
        .json(&json!({ "bot_id": id }))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), StatusCode::GONE);
    // Its conversation stays readable.
    let history = visitor.history(0).await;
    assert!(
        history.iter().any(|m| m["text"] == "Hello"),
        "the visitor's message is kept"
    );
    let conversation = admin
        .get(&format!(
            "/api/v1/conversations/{}",
            visitor.conversation_id
        ))
        .await;
    assert_eq!(conversation.status(), StatusCode::OK);
}

#[tokio::test]
async fn another_workspace_and_agents_cannot_touch_bots() {
    let app = spawn_app().await;
    let (other, _) = app.other_workspace().await;
    let stranger = app.agent_in(&other, "Sam", Role::Admin, 5).await;
    let agent = app.agent("Ana").await;
    use reqwest::Method;
    let ours = format!("/api/v1/bots/{}", app.bot.id);
    let rename = Some(json!({ "name": "Mine now" }));
    assert_eq!(
        call(&stranger, Method::PATCH, &ours, rename.clone())
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&stranger, Method::DELETE, &ours, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&agent, Method::PATCH, &ours, rename).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(
            &agent,
            Method::POST,
            "/api/v1/bots",
            Some(json!({ "name": "X" }))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.store().bot(app.bot.id).await.unwrap().name,
        app.bot.name
    );
}

//! Setting passwords: agents change their own with the current one, admins set anyone's in
//! their workspace; the agent's other sessions end; bad input is refused with the field named.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::{NewAgent, Role, Workspace};

const NEW_PASSWORD: &str = "a brand new passphrase";

/// An account with a known email, logged in.
async fn account(app: &TestApp, workspace: &Workspace, email: &str, role: Role) -> AgentClient {
    let hash = tokio::task::spawn_blocking(|| baton_server::secrets::hash_password(PASSWORD))
        .await
        .unwrap()
        .unwrap();
    app.store()
        .create_agent(&NewAgent {
            workspace_id: workspace.id,
            email: email.to_owned(),
            display_name: email.split('@').next().unwrap().to_owned(),
            password_hash: hash,
            role,
            max_chats: 5,
        })
        .await
        .unwrap();
    AgentClient::login(&app.base, app.addr, email, PASSWORD).await
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
}

async fn set(by: &AgentClient, id: &str, body: Value) -> (StatusCode, Value) {
    let response = by
        .post(&format!("/api/v1/agents/{id}/password"), Some(body))
        .await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn agents_change_their_own_password_with_the_current_one() {
    let app = spawn_app().await;
    let ana = account(&app, &app.workspace, "ana@example.com", Role::Agent).await;
    let other_tab = AgentClient::login(&app.base, app.addr, "ana@example.com", PASSWORD).await;

    let (status, body) = set(&ana, &ana.id, json!({ "password": NEW_PASSWORD })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "current_password");
    let wrong = json!({ "password": NEW_PASSWORD, "current_password": "not my password" });
    let (status, body) = set(&ana, &ana.id, wrong).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["field"], "current_password");
    let weak = json!({ "password": "short", "current_password": PASSWORD });
    let (status, body) = set(&ana, &ana.id, weak).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "password");
    assert_eq!(
        login_status(&app, "ana@example.com", PASSWORD).await,
        StatusCode::OK
    );

    let good = json!({ "password": NEW_PASSWORD, "current_password": PASSWORD });
    let (status, _) = set(&ana, &ana.id, good).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        login_status(&app, "ana@example.com", PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, "ana@example.com", NEW_PASSWORD).await,
        StatusCode::OK
    );
    // The session that changed it stays; the agent's other sessions end.
    assert_eq!(ana.get("/api/v1/me").await.status(), StatusCode::OK);
    assert_eq!(
        other_tab.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn admins_set_passwords_in_their_own_workspace_only() {
    let app = spawn_app().await;
    let admin = account(&app, &app.workspace, "ada@example.com", Role::Admin).await;
    let ben = account(&app, &app.workspace, "ben@example.com", Role::Agent).await;
    let cleo = account(&app, &app.workspace, "cleo@example.com", Role::Agent).await;

    // An agent cannot set someone else's password, even knowing their own.
    let attempt = json!({ "password": NEW_PASSWORD, "current_password": PASSWORD });
    let (status, _) = set(&ben, &cleo.id, attempt).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _) = set(&admin, &ben.id, json!({ "password": NEW_PASSWORD })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        ben.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, "ben@example.com", NEW_PASSWORD).await,
        StatusCode::OK
    );
    assert_eq!(admin.get("/api/v1/me").await.status(), StatusCode::OK);

    // Another workspace's admin, an unknown id and a malformed one: 404.
    let (other, _) = app.other_workspace().await;
    let stranger = account(&app, &other, "sam@other.example", Role::Admin).await;
    let body = json!({ "password": NEW_PASSWORD });
    assert_eq!(
        set(&stranger, &cleo.id, body.clone()).await.0,
        StatusCode::NOT_FOUND
    );
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        set(&admin, &unknown, body.clone()).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        set(&admin, "not-an-id", body.clone()).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        login_status(&app, "cleo@example.com", PASSWORD).await,
        StatusCode::OK
    );

    // Without the CSRF header nothing changes.
    let response = admin
        .http
        .post(format!("{}/api/v1/agents/{}/password", app.base, cleo.id))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        login_status(&app, "cleo@example.com", PASSWORD).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn guessing_the_current_password_is_limited_like_logins() {
    let app = spawn_app_with(
        |c| c.limits.login_failures = 3,
        std::sync::Arc::new(EchoEngine),
    )
    .await;
    let ana = account(&app, &app.workspace, "ana@example.com", Role::Agent).await;
    let guess = json!({ "password": NEW_PASSWORD, "current_password": "a wrong guess" });
    for _ in 0..3 {
        assert_eq!(
            set(&ana, &ana.id, guess.clone()).await.0,
            StatusCode::FORBIDDEN
        );
    }
    // Past the limit even the right one waits: nothing can be learned by guessing on.
    let right = json!({ "password": NEW_PASSWORD, "current_password": PASSWORD });
    let (status, body) = set(&ana, &ana.id, right).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["code"], "rate_limited");
}

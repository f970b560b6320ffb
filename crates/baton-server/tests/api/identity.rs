//! Known visitors: a site signs its visitor's id with the workspace's identity secret; a valid
//! signature marks the conversation's visitor verified, with their email and name, shown to agents
//! with their earlier conversations and used by lead capture; a wrong one is 403 and creates
//! nothing; a malformed one is 400 naming the field.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_server::secrets::identity_signature;
use baton_storage::{ConversationFilter, Role};

async fn start(app: &TestApp, identity: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/widget/conversations", app.base))
        .json(&json!({ "bot_id": app.bot.id, "visitor_name": "Typed name", "identity": identity }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn conversation_count(app: &TestApp) -> usize {
    app.store()
        .conversations(
            app.workspace.id,
            ConversationFilter {
                state: None,
                limit: 1000,
            },
        )
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_signed_visitor_is_verified_and_a_wrong_signature_creates_nothing() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let claim = |secret: &str| {
        json!({
            "external_id": "customer-42",
            "email": "Rita@Example.net",
            "name": "Rita Ruiz",
            "signature": identity_signature(secret, "customer-42"),
        })
    };

    // Without a secret, no identity can be verified.
    let (status, body) = start(&app, claim("guess")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["field"], "identity.signature");
    assert_eq!(conversation_count(&app).await, 0);

    // The admin creates the secret: shown once, never again.
    let response = admin
        .post("/api/v1/integrations/identity-secret", None)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let secret = response.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let settings = admin
        .get("/api/v1/integrations")
        .await
        .text()
        .await
        .unwrap();
    assert!(!settings.contains(&secret));
    assert!(
        settings.contains("\"identity_secret_set\":true"),
        "{settings}"
    );

    // A wrong signature (right shape) is refused and stores nothing.
    let (status, body) = start(&app, claim("not-the-secret")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(conversation_count(&app).await, 0);

    // The right one: verified, with the site's email and name.
    let (status, first) = start(&app, claim(&secret)).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let first_id = first["conversation"]["id"].as_str().unwrap().to_owned();
    let (status, second) = start(&app, claim(&secret)).await;
    assert_eq!(status, StatusCode::CREATED);
    let second_id = second["conversation"]["id"].as_str().unwrap().to_owned();
    let list: Value = admin
        .get("/api/v1/conversations")
        .await
        .json()
        .await
        .unwrap();
    let entry = list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == second_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(entry["visitor_verified"], true);
    assert_eq!(entry["visitor_email"], "Rita@example.net");
    assert_eq!(entry["visitor_name"], "Rita Ruiz");
    let detail: Value = admin
        .get(&format!("/api/v1/conversations/{second_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["visitor_external_id"], "customer-42");
    let earlier: Vec<&str> = detail["earlier_conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(earlier, [first_id.as_str()]);

    // An anonymous visitor is as before.
    let anonymous = app.visitor().await;
    let detail: Value = admin
        .get(&format!(
            "/api/v1/conversations/{}",
            anonymous.conversation_id
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["visitor_verified"], false);
    assert!(detail.get("earlier_conversations").is_none());

    // A new secret: the old signatures stop working.
    admin
        .post("/api/v1/integrations/identity-secret", None)
        .await;
    let (status, _) = start(&app, claim(&secret)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_identities_name_the_field() {
    let app = spawn_app().await;
    let good = identity_signature("x", "id");
    for (identity, field) in [
        (
            json!({ "external_id": "id", "signature": "abc" }),
            "identity.signature",
        ),
        (
            json!({ "external_id": "id", "signature": "z".repeat(64) }),
            "identity.signature",
        ),
        (
            json!({ "external_id": "", "signature": good }),
            "identity.external_id",
        ),
        (
            json!({ "external_id": "x".repeat(201), "signature": good }),
            "identity.external_id",
        ),
        (
            json!({ "external_id": "a\u{1}b", "signature": good }),
            "identity.external_id",
        ),
        (
            json!({ "external_id": "id", "email": "not-an-email", "signature": good }),
            "identity.email",
        ),
        (
            json!({ "external_id": "id", "name": "n".repeat(81), "signature": good }),
            "identity.name",
        ),
    ] {
        let (status, body) = start(&app, identity.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{identity}");
        assert_eq!(body["error"]["field"], field, "{identity}");
    }
    let (status, _) = start(&app, json!({ "external_id": "id" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no signature");
    assert_eq!(conversation_count(&app).await, 0);
}

#[tokio::test]
async fn lead_capture_offers_the_known_email() {
    let app = spawn_app().await;
    app.store()
        .set_identity_secret(app.workspace.id, "site-secret")
        .await
        .unwrap();
    let (status, started) = start(
        &app,
        json!({
            "external_id": "customer-7",
            "email": "sam@example.com",
            "signature": identity_signature("site-secret", "customer-7"),
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // Nobody online: asking for a person takes the offline path with the lead form.
    let response = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/widget/conversations/{}/handoff",
            app.base,
            started["conversation"]["id"].as_str().unwrap()
        ))
        .bearer_auth(started["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let conversation_id = started["conversation"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let messages = app.store().messages(conversation_id, 0, 100).await.unwrap();
    let form = messages
        .iter()
        .find(|m| m.kind.as_str() == "lead_requested")
        .and_then(|m| m.data.clone())
        .expect("a lead form");
    assert_eq!(form["form"]["email"], "sam@example.com");
}

//! A visitor asks for their conversation by email: sent through the outbox to a real SMTP
//! server, to the address given or the known visitor's own; refused clearly without SMTP, without
//! an address, with a bad one, past the per-conversation limit, or with another conversation's
//! token.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn ask(visitor: &Visitor, token: &str, body: Value) -> (StatusCode, Value) {
    let response = visitor
        .http
        .post(visitor.url("/transcript"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn without_smtp_the_visitor_is_told_it_cannot_be_sent() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let (status, body) = ask(
        &visitor,
        &visitor.token,
        json!({ "email": "vera@example.com" }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn the_transcript_is_emailed_to_the_visitor() {
    let smtp = start_smtp().await;
    let app = spawn_app_mailing(&smtp, |_| {}).await;
    let mut visitor = app.visitor().await;
    visitor.send("Where is my parcel 4711?").await;
    let response = crate::attachments::visitor_upload(
        &visitor,
        crate::attachments::multipart(
            &[("client_id", "receipt-1")],
            Some(("receipt.txt", b"Parcel 4711, paid\n")),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let other = app.visitor().await;

    // Bad input first: nothing is sent.
    let (status, body) = ask(&visitor, &visitor.token, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "email");
    let (status, body) = ask(&visitor, &visitor.token, json!({ "email": "vera@" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "email");
    let (status, _) = ask(
        &visitor,
        &other.token,
        json!({ "email": "vera@example.com" }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = ask(
        &visitor,
        &visitor.token,
        json!({ "email": "vera@example.com" }),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["sent_to"], "vera@example.com");
    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1);
    let mail = mail[0].replace("=\r\n", "").replace("\r\n", "\n");
    assert!(mail.contains("To: vera@example.com"), "{mail}");
    assert!(
        mail.contains("Subject: Your conversation with Test bot"),
        "{mail}"
    );
    assert!(mail.contains("You: Where is my parcel 4711?"), "{mail}");
    // The file by name and size, without a link that would open it.
    assert!(
        mail.contains("You: [file] receipt.txt (18 bytes)"),
        "{mail}"
    );
    assert!(!mail.contains("/api/v1/attachments/"), "{mail}");

    // Three per conversation per hour.
    for _ in 0..2 {
        let (status, _) = ask(
            &visitor,
            &visitor.token,
            json!({ "email": "vera@example.com" }),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    let (status, _) = ask(
        &visitor,
        &visitor.token,
        json!({ "email": "vera@example.com" }),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_known_visitor_gets_it_at_their_own_address() {
    let smtp = start_smtp().await;
    let app = spawn_app_mailing(&smtp, |_| {}).await;
    app.store()
        .set_identity_secret(app.workspace.id, "site-secret")
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let started: Value = http
        .post(format!("{}/api/v1/widget/conversations", app.base))
        .json(&json!({ "bot_id": app.bot.id, "identity": {
            "external_id": "c-9", "email": "kim@example.com",
            "signature": baton_server::secrets::identity_signature("site-secret", "c-9"),
        } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let response = http
        .post(format!(
            "{}/api/v1/widget/conversations/{}/transcript",
            app.base,
            started["conversation"]["id"].as_str().unwrap()
        ))
        .bearer_auth(started["token"].as_str().unwrap())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["sent_to"], "kim@example.com");
    let mail = smtp.wait_for(1).await;
    assert!(mail[0].contains("To: kim@example.com"), "{}", mail[0]);
}

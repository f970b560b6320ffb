//! The team, run by admins: changing an agent's name, role and capacity; deactivating an agent
//! (sessions and panel sockets end at once, logins refused, live conversations back to the
//! queue with the visitor told); the last active admin stays; made-up one-time passwords.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::Role;

async fn patch(by: &AgentClient, id: &str, body: Value) -> (StatusCode, Value) {
    let response = by.patch(&format!("/api/v1/agents/{id}"), body).await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn email_of(app: &TestApp, id: &str) -> String {
    app.store().agent(id.parse().unwrap()).await.unwrap().email
}

#[tokio::test]
async fn admins_change_names_roles_and_capacity_and_bad_input_names_the_field() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let ben = app.agent("Ben").await;

    let (status, body) = patch(
        &admin,
        &ben.id,
        json!({ "display_name": "  Benjamin ", "role": "admin", "max_chats": 9 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["agent"]["display_name"], "Benjamin");
    assert_eq!(body["agent"]["role"], "admin");
    assert_eq!(body["agent"]["max_chats"], 9);
    assert_eq!(body["agent"]["active"], true);
    let listed: Value = admin.get("/api/v1/agents").await.json().await.unwrap();
    let entry = listed["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == ben.id.as_str())
        .unwrap()
        .clone();
    assert_eq!(entry["display_name"], "Benjamin");

    for (body, field) in [
        (json!({ "display_name": "   " }), "display_name"),
        (json!({ "display_name": "x".repeat(81) }), "display_name"),
        (json!({ "display_name": "Bad\u{7}name" }), "display_name"),
        (json!({ "role": "boss" }), "role"),
        (json!({ "max_chats": 0 }), "max_chats"),
        (json!({ "max_chats": 101 }), "max_chats"),
    ] {
        let (status, answer) = patch(&admin, &ben.id, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer["error"]["field"], field, "{body}");
    }
    let (status, _) = patch(&admin, &ben.id, json!({ "colour": "red" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = patch(&admin, "not-an-id", json!({ "active": true })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Agents cannot; another workspace's admin sees nothing.
    let cleo = app.agent("Cleo").await;
    let (status, _) = patch(&cleo, &ben.id, json!({ "max_chats": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (other, _) = app.other_workspace().await;
    let stranger = app.agent_in(&other, "Stranger", Role::Admin, 5).await;
    let (status, _) = patch(&stranger, &ben.id, json!({ "active": false })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let unchanged = app.store().agent(ben.id.parse().unwrap()).await.unwrap();
    assert!(unchanged.active);
    assert_eq!(unchanged.max_chats, 9);
}

#[tokio::test]
async fn the_last_active_admin_can_be_neither_deactivated_nor_demoted() {
    let app = spawn_app().await;
    let ada = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    for body in [json!({ "active": false }), json!({ "role": "agent" })] {
        let (status, answer) = patch(&ada, &ada.id, body.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("at least one active admin"),
            "{answer}"
        );
    }
    // A deactivated admin does not count.
    let bob = app.agent_in(&app.workspace, "Bob", Role::Admin, 5).await;
    let (status, _) = patch(&ada, &bob.id, json!({ "active": false })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = patch(&ada, &ada.id, json!({ "role": "agent" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // With another active admin, Ada may step down.
    let (status, _) = patch(&ada, &bob.id, json!({ "active": true })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = patch(&ada, &ada.id, json!({ "role": "agent" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["agent"]["role"], "agent");
}

#[tokio::test]
async fn a_deactivated_agent_is_signed_out_everywhere_and_their_chat_goes_back_to_the_queue() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let ben = app.agent("Ben").await;
    let cleo = app.agent("Cleo").await;
    let mut ben_panel = ben.panel().await;
    let mut cleo_panel = cleo.panel().await;

    let mut visitor = app.visitor().await;
    visitor.send("my order never arrived").await;
    let mut visitor_ws = visitor.ws(0).await;
    assert_eq!(
        visitor.request_handoff().await.status(),
        StatusCode::ACCEPTED
    );
    let waiting = ben.waiting().await;
    assert_eq!(waiting.len(), 1);
    let handoff = waiting[0].clone();
    let trigger = handoff["trigger"].clone();
    assert_eq!(
        ben.accept(handoff["id"].as_str().unwrap()).await.status(),
        StatusCode::OK
    );
    visitor_ws.next_message("agent_joined").await;
    cleo_panel.drain(Duration::from_millis(300)).await;

    let (status, body) = patch(&admin, &ben.id, json!({ "active": false })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["agent"]["active"], false);

    // Ben's open panel is closed with the session-ended code, at once.
    let close = tokio::time::timeout(Duration::from_secs(5), async {
        use futures::StreamExt;
        loop {
            match ben_panel.stream.next().await {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame))) => {
                    return frame.map(|f| u16::from(f.code));
                }
                Some(Ok(_)) => continue,
                _ => return None,
            }
        }
    })
    .await
    .expect("Ben's panel closes within 5 s");
    assert_eq!(close, Some(4401));
    // Ben's cookie is dead and his password no longer opens the door, with the usual answer.
    assert_eq!(
        ben.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let email = email_of(&app, &ben.id).await;
    let (status, answer) = login_status(&app, &email, PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, wrong) = login_status(&app, &email, "not the password at all").await;
    assert_eq!(answer["error"]["message"], wrong["error"]["message"]);

    // The visitor is told and waits again, with the same trigger; Cleo is offered it and takes it.
    let told = visitor_ws.next_message("handoff_requested").await;
    assert!(
        told["text"]
            .as_str()
            .unwrap()
            .contains("Ben is no longer available"),
        "{told}"
    );
    let offered = cleo_panel.next_of_type("handoff_requested").await;
    assert_eq!(offered["handoff"]["trigger"], trigger);
    let requeued = offered["handoff"]["id"].as_str().unwrap().to_owned();
    assert_eq!(cleo.accept(&requeued).await.status(), StatusCode::OK);
    visitor_ws.next_message("agent_joined").await;
    let owner = app
        .store()
        .conversation(visitor.conversation_id.parse().unwrap())
        .await
        .unwrap()
        .owner;
    assert_eq!(owner.agent().map(|a| a.to_string()), Some(cleo.id.clone()));

    assert!(
        app.state
            .metrics
            .render()
            .contains("baton_handoff_requeues_total 1\n")
    );
    // Ben's handoff ended when the new one began.
    let old = app
        .store()
        .handoff(handoff["id"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap();
    assert_eq!(old.status.as_str(), "ended");

    // Reactivated, Ben can log in again.
    let (status, _) = patch(&admin, &ben.id, json!({ "active": true })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(login_status(&app, &email, PASSWORD).await.0, StatusCode::OK);
}

#[tokio::test]
async fn with_nobody_left_to_take_it_a_deactivated_agents_chat_takes_the_offline_path() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let ben = app.agent("Ben").await;
    let _ben_panel = ben.panel().await;
    let mut visitor = app.visitor().await;
    visitor.send("hello").await;
    let mut visitor_ws = visitor.ws(0).await;
    let response = ben
        .post(
            &format!("/api/v1/conversations/{}/join", visitor.conversation_id),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    visitor_ws.next_message("agent_joined").await;

    let (status, _) = patch(&admin, &ben.id, json!({ "active": false })).await;
    assert_eq!(status, StatusCode::OK);
    let offline = visitor_ws.next_message("handoff_offline").await;
    assert!(offline["text"].as_str().unwrap().len() > 10, "{offline}");
    let state = app
        .store()
        .conversation(visitor.conversation_id.parse().unwrap())
        .await
        .unwrap();
    assert_ne!(state.owner.state_name(), "human");
    let admin_queue = admin.waiting().await;
    assert!(admin_queue.is_empty(), "{admin_queue:?}");
}

#[tokio::test]
async fn admins_get_a_made_up_password_once_for_new_agents_and_resets() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let response = admin
        .post(
            "/api/v1/agents",
            Some(json!({ "email": "dana@example.com", "display_name": "Dana", "role": "agent" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let first = body["password"].as_str().unwrap().to_owned();
    assert!(first.len() >= 16);
    let dana = AgentClient::login(&app.base, app.addr, "dana@example.com", &first).await;
    // The password appears nowhere else.
    let listed = admin.get("/api/v1/agents").await.text().await.unwrap();
    assert!(!listed.contains(&first));

    let response = admin
        .post(
            &format!("/api/v1/agents/{}/password", dana.id),
            Some(json!({})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let reset: Value = response.json().await.unwrap();
    let second = reset["password"].as_str().unwrap();
    assert_ne!(second, first);
    assert_eq!(
        dana.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, "dana@example.com", &first).await.0,
        StatusCode::UNAUTHORIZED
    );
    let dana = AgentClient::login(&app.base, app.addr, "dana@example.com", second).await;
    // An agent changing their own must choose it.
    let response = dana
        .post(
            &format!("/api/v1/agents/{}/password", dana.id),
            Some(json!({})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

//! FreshChat routing (docs/freshchat.md) end to end against the local stand-in: credentials,
//! routing a handoff, agent replies back to the widget, signatures, duplicates and out-of-order
//! webhooks, an outage, refusals, "not the latest conversation", and the panel's read-only view.

use std::sync::Arc;
use std::time::Duration;

use baton_server::outbound::AllowedHost;
use baton_storage::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fake_freshchat::{AGENT, AGENT_NAME, CHANNEL, FakeFreshchat, Fault, TOKEN};
use crate::helpers::{AgentClient, EchoEngine, TestApp, Visitor, spawn_app_with};

struct Setup {
    app: TestApp,
    fake: FakeFreshchat,
    admin: AgentClient,
}

/// An app allowed to reach the stand-in, an admin, and (when `connect`) the credentials saved,
/// the webhook URL given to the stand-in and FreshChat routing on for the app's bot.
async fn setup_with(connect: bool) -> Setup {
    setup_with_engine(connect, Arc::new(EchoEngine)).await
}

async fn setup_with_engine(connect: bool, engine: Arc<dyn baton_ai::Engine>) -> Setup {
    let fake = FakeFreshchat::start().await;
    let host = fake.host();
    let app = spawn_app_with(
        move |c| {
            c.allowed_outbound_hosts = vec![AllowedHost::parse(&host).unwrap()];
            c.outbox_base_delay = Duration::from_millis(40);
        },
        engine,
    )
    .await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let setup = Setup { app, fake, admin };
    if connect {
        let body = save_credentials(&setup, TOKEN).await;
        setup
            .fake
            .set_webhook_url(body["freshchat_webhook_url"].as_str().unwrap());
        let mut settings = handoff_settings(&setup).await;
        settings["freshchat_enabled"] = json!(true);
        let response = setup
            .admin
            .put(
                &format!("/api/v1/bots/{}/handoff-settings", setup.app.bot.id),
                settings,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    setup
}

async fn setup() -> Setup {
    setup_with(true).await
}

async fn save_credentials(setup: &Setup, token: &str) -> Value {
    let response = setup
        .admin
        .put(
            "/api/v1/integrations",
            json!({
                "freshchat_api_url": setup.fake.base_url(),
                "freshchat_api_token": token,
                "freshchat_webhook_public_key": setup.fake.public_key,
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn handoff_settings(setup: &Setup) -> Value {
    setup
        .admin
        .get(&format!(
            "/api/v1/bots/{}/handoff-settings",
            setup.app.bot.id
        ))
        .await
        .json()
        .await
        .unwrap()
}

/// Waits (up to 20 s) until `check` holds.
async fn eventually<F: FnMut() -> bool>(what: &str, mut check: F) {
    for _ in 0..400 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

/// Waits (up to 20 s) until the visitor's history has an entry matching `pick`, and returns it.
async fn history_entry(visitor: &Visitor, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..400 {
        if let Some(found) = visitor.history(0).await.into_iter().find(|m| pick(m)) {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// A visitor who wrote `first`, asked for a person, and whose FreshChat conversation exists.
async fn routed_visitor(setup: &Setup, first: &str) -> (Visitor, String) {
    let mut visitor = setup.app.visitor().await;
    assert_eq!(visitor.send(first).await.status(), StatusCode::CREATED);
    history_entry(&visitor, "the AI's answer", |m| m["author_kind"] == "bot").await;
    let before = setup.fake.conversation_ids().len();
    let response = visitor.request_handoff().await;
    assert!(response.status().is_success(), "{}", response.status());
    eventually("FreshChat has the conversation", || {
        setup.fake.conversation_ids().len() > before
    })
    .await;
    let remote = setup.fake.conversation_ids().last().unwrap().clone();
    // The mapping is stored right after FreshChat answers.
    let id: baton_domain::ids::ConversationId = visitor.conversation_id.parse().unwrap();
    for _ in 0..200 {
        let link = setup.app.store().freshchat_link(id).await.unwrap();
        if link.and_then(|l| l.remote_id).is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    (visitor, remote)
}

fn texts_by(history: &[Value], author: &str) -> Vec<String> {
    history
        .iter()
        .filter(|m| m["kind"] == "text" && m["author_kind"] == author)
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_handoff_goes_to_freshchat_and_agent_replies_reach_the_widget() {
    let setup = setup().await;
    // With FreshChat routing the schedule alone decides: live although no agent is online.
    let availability: Value = reqwest::get(format!(
        "{}/api/v1/widget/bots/{}/availability",
        setup.app.base, setup.app.bot.id
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(availability["live"], true, "{availability}");
    let (mut visitor, remote) = routed_visitor(&setup, "My order 12345 never arrived").await;
    let conversation_id = visitor.conversation_id.clone();

    // The visitor is told, and the AI is silent from now on.
    let history = visitor.history(0).await;
    let routed = history
        .iter()
        .find(|m| m["kind"] == "handoff_requested")
        .unwrap();
    assert!(routed["text"].as_str().unwrap().contains("support team"));
    let view: Value = setup
        .admin
        .get(&format!("/api/v1/conversations/{conversation_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["state"], "freshchat", "{view}");

    // FreshChat got the user (reference_id = our conversation), the brief as a private note
    // and the visitor's words as the user.
    let conversation = setup.fake.conversation_json(&remote);
    assert_eq!(conversation["channel_id"], CHANNEL);
    let notes = setup.fake.texts(&remote, "bot", "private");
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("Trigger: user_request"), "{}", notes[0]);
    assert!(notes[0].contains("Visitor: My order 12345 never arrived"));
    assert!(notes[0].contains("AI: echo: My order 12345 never arrived"));
    assert_eq!(
        setup.fake.texts(&remote, "user", "normal"),
        vec!["My order 12345 never arrived"]
    );
    assert_eq!(setup.fake.count_requests("POST", "/v2/users"), 1);

    // An agent picks it up and replies; a private note stays in FreshChat.
    let mut ws = visitor.ws(0).await;
    setup.fake.assign(&remote, AGENT).await;
    let joined = ws.next_message("agent_joined").await;
    assert_eq!(joined["text"], format!("{AGENT_NAME} joined the chat."));
    setup
        .fake
        .agent_message(&remote, AGENT, "internal: check the warehouse", "private")
        .await;
    setup
        .fake
        .agent_reply(&remote, AGENT, "Hi, I'm Ana. Let me check <that> for you.")
        .await;
    let reply = ws.next_message("text").await;
    assert_eq!(reply["author_kind"], "agent");
    assert_eq!(reply["author_name"], AGENT_NAME);
    assert_eq!(reply["text"], "Hi, I'm Ana. Let me check <that> for you.");

    // The visitor answers: it goes to FreshChat, and the AI does not answer.
    assert_eq!(
        visitor.send("Thanks, it is order 12345").await.status(),
        StatusCode::CREATED
    );
    eventually("the visitor's message reaches FreshChat", || {
        setup.fake.texts(&remote, "user", "normal").len() == 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let history = visitor.history(0).await;
    assert_eq!(
        texts_by(&history, "bot"),
        vec!["echo: My order 12345 never arrived"]
    );
    assert!(
        !history
            .iter()
            .any(|m| m["text"].as_str().unwrap_or_default().contains("internal"))
    );
    // Our own posts echo back as webhooks and are dropped.
    assert_eq!(texts_by(&history, "agent").len(), 1);

    // FreshChat resolves: closed for the visitor, and the AI answers the next message.
    setup.fake.resolve(&remote, AGENT).await;
    let left = ws.next_message("agent_left").await;
    assert!(left["text"].as_str().unwrap().contains("resolved"));
    let state = ws.next_of_type("state").await;
    assert_eq!(state["state"], "closed");
    visitor.send("One more question").await;
    history_entry(&visitor, "the AI answering again", |m| {
        m["text"] == "echo: One more question"
    })
    .await;
}

#[tokio::test]
async fn a_reopen_in_freshchat_takes_the_conversation_back_from_the_ai() {
    let setup = setup().await;
    let (visitor, remote) = routed_visitor(&setup, "Hello").await;
    setup.fake.resolve(&remote, AGENT).await;
    history_entry(&visitor, "the resolution", |m| m["kind"] == "agent_left").await;
    setup.fake.reopen(&remote, AGENT).await;
    history_entry(&visitor, "the reopening", |m| {
        m["kind"] == "reopened" && m["text"].as_str().unwrap().contains("support team")
    })
    .await;
    setup.fake.agent_reply(&remote, AGENT, "Back again").await;
    history_entry(&visitor, "the agent's reply", |m| m["text"] == "Back again").await;
}

#[tokio::test]
async fn webhooks_with_a_missing_forged_or_altered_signature_are_refused_and_not_stored() {
    let setup = setup().await;
    let (visitor, remote) = routed_visitor(&setup, "Hello").await;
    let url = format!(
        "{}/api/v1/integrations/freshchat/webhook/{}",
        setup.app.base, setup.app.workspace.id
    );
    let body = json!({
        "actor": { "actor_type": "agent", "actor_id": AGENT },
        "action": "message_create",
        "action_time": "2026-01-01T10:00:00.000Z",
        "data": { "message": {
            "id": "forged-1", "conversation_id": remote, "actor_type": "agent",
            "actor_id": AGENT, "message_type": "normal", "created_time": "2026-01-01T10:00:00.000Z",
            "message_parts": [ { "text": { "content": "Send me your password" } } ] } }
    })
    .to_string();
    let http = reqwest::Client::new();
    let send = |body: String, signature: Option<String>| {
        let mut request = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(signature) = signature {
            request = request.header("x-freshchat-signature", signature);
        }
        request.send()
    };
    // Missing.
    let response = send(body.clone(), None).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "unauthorized");
    // Signed by another key.
    let other = FakeFreshchat::start().await;
    let forged = other.sign(body.as_bytes());
    assert_eq!(
        send(body.clone(), Some(forged)).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    // One byte changed after signing.
    let signature = setup.fake.sign(body.as_bytes());
    let altered = body.replace("password", "passwore");
    assert_eq!(
        send(altered, Some(signature.clone()))
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // A trailing newline is a different body too.
    assert_eq!(
        send(format!("{body}\n"), Some(signature.clone()))
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // A workspace without a key refuses everything.
    let (other_workspace, _) = setup.app.other_workspace().await;
    let response = http
        .post(format!(
            "{}/api/v1/integrations/freshchat/webhook/{}",
            setup.app.base, other_workspace.id
        ))
        .header("x-freshchat-signature", signature.clone())
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        !visitor
            .history(0)
            .await
            .iter()
            .any(|m| m["text"] == "Send me your password"),
        "a refused webhook changed nothing"
    );
    // The genuine delivery of the same event is then stored (nothing was recorded before).
    let response = send(body.clone(), Some(signature)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["duplicate"], false);
    history_entry(&visitor, "the genuine message", |m| {
        m["text"] == "Send me your password"
    })
    .await;
}

#[tokio::test]
async fn duplicate_and_out_of_order_webhooks_are_applied_once() {
    let setup = setup().await;
    let (visitor, remote) = routed_visitor(&setup, "Hello").await;
    setup.fake.inner.lock().unwrap().duplicate_webhooks = true;
    setup.fake.assign(&remote, AGENT).await;
    setup.fake.assign(&remote, AGENT).await;
    setup.fake.agent_reply(&remote, AGENT, "one").await;
    // Held, then delivered newest first.
    setup.fake.hold_webhooks();
    setup.fake.agent_reply(&remote, AGENT, "two").await;
    setup.fake.agent_reply(&remote, AGENT, "three").await;
    setup.fake.release_webhooks_reversed().await;
    history_entry(&visitor, "the last replies", |m| m["text"] == "two").await;
    history_entry(&visitor, "the last replies", |m| m["text"] == "three").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let history = visitor.history(0).await;
    let mut replies = texts_by(&history, "agent");
    replies.sort();
    assert_eq!(replies, vec!["one", "three", "two"]);
    let joined = history
        .iter()
        .filter(|m| m["kind"] == "agent_joined")
        .count();
    assert_eq!(joined, 1, "joined once");
}

#[tokio::test]
async fn an_outage_loses_no_visitor_message_and_keeps_their_order() {
    let setup = setup().await;
    // FreshChat is down before the handoff: the conversation is created once it is back.
    setup.fake.set_down(true);
    let mut visitor = setup.app.visitor().await;
    visitor.send("first words").await;
    history_entry(&visitor, "the AI's answer", |m| m["author_kind"] == "bot").await;
    assert!(visitor.request_handoff().await.status().is_success());
    let sent: Vec<String> = (1..=6).map(|i| format!("message {i}")).collect();
    for text in &sent[..3] {
        assert_eq!(visitor.send(text).await.status(), StatusCode::CREATED);
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(setup.fake.conversation_ids().is_empty());
    setup.fake.set_down(false);
    // Then throttling and server errors in the middle of the conversation.
    setup.fake.push_fault(Fault::RateLimited(1));
    setup.fake.push_fault(Fault::Status(500));
    setup.fake.push_fault(Fault::Status(503));
    for text in &sent[3..] {
        assert_eq!(visitor.send(text).await.status(), StatusCode::CREATED);
    }
    eventually("every message reached FreshChat", || {
        setup.fake.all_user_texts().len() >= 7
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut expected = vec!["first words".to_owned()];
    expected.extend(sent.iter().cloned());
    assert_eq!(setup.fake.all_user_texts(), expected);
    // The 429's Retry-After (1 s) was honoured before the next call.
    let timeline = setup.fake.inner.lock().unwrap().timeline.clone();
    let throttled = timeline
        .iter()
        .position(|(_, _, status)| *status == Some(429))
        .expect("a 429 was answered");
    let waited = timeline[throttled + 1].0 - timeline[throttled].0;
    assert!(
        waited >= Duration::from_millis(950),
        "retried {waited:?} after a 429 with Retry-After: 1"
    );
    assert_eq!(setup.fake.conversation_ids().len(), 1);
    // The visitor saw their messages at once, and no AI answer after the handoff.
    let history = visitor.history(0).await;
    assert_eq!(texts_by(&history, "visitor"), expected);
    assert_eq!(texts_by(&history, "bot").len(), 1);
}

#[tokio::test]
async fn a_refused_conversation_sends_the_visitor_down_the_offline_path() {
    let setup = setup().await;
    // The token was regenerated in FreshChat: every call is refused.
    save_credentials(&setup, "an-old-token").await;
    let mut visitor = setup.app.visitor().await;
    visitor.send("Hello").await;
    history_entry(&visitor, "the AI's answer", |m| m["author_kind"] == "bot").await;
    assert!(visitor.request_handoff().await.status().is_success());
    let offline = history_entry(&visitor, "the offline path", |m| {
        m["kind"] == "handoff_offline"
    })
    .await;
    assert!(
        offline["text"]
            .as_str()
            .unwrap()
            .contains("Would you like to open a ticket")
    );
    history_entry(&visitor, "the lead capture prompt", |m| {
        m["kind"] == "lead_requested"
    })
    .await;
    // Admins see why in the outbox.
    let dead: Value = setup
        .admin
        .get("/api/v1/outbox?status=dead")
        .await
        .json()
        .await
        .unwrap();
    let deliveries = dead["deliveries"].as_array().unwrap();
    let failed = deliveries
        .iter()
        .find(|d| d["channel"] == "freshchat")
        .expect("a dead FreshChat delivery");
    assert!(
        failed["last_error"].as_str().unwrap().contains("token"),
        "{failed}"
    );
    assert!(!failed.to_string().contains("an-old-token"));
}

#[tokio::test]
async fn not_the_latest_conversation_starts_a_new_one_and_remaps() {
    let setup = setup().await;
    let (mut visitor, first) = routed_visitor(&setup, "Hello").await;
    setup.fake.push_fault(Fault::NotLatest);
    visitor.send("Are you there?").await;
    eventually("a new FreshChat conversation", || {
        setup.fake.conversation_ids().len() == 2
    })
    .await;
    let second = setup.fake.conversation_ids()[1].clone();
    assert_ne!(first, second);
    assert_eq!(
        setup.fake.texts(&second, "user", "normal"),
        vec!["Are you there?"]
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    setup.fake.agent_reply(&second, AGENT, "Yes, here").await;
    history_entry(&visitor, "the reply in the new conversation", |m| {
        m["text"] == "Yes, here"
    })
    .await;
}

#[tokio::test]
async fn credentials_are_validated_and_the_token_is_write_only() {
    let setup = setup_with(false).await;
    let initial: Value = setup
        .admin
        .get("/api/v1/integrations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(initial["freshchat_token_set"], false);
    assert_eq!(initial["freshchat_api_url"], Value::Null);
    assert!(
        initial["freshchat_webhook_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!(
                "/api/v1/integrations/freshchat/webhook/{}",
                setup.app.workspace.id
            ))
    );
    // Turning routing on without credentials names the field.
    let mut settings = handoff_settings(&setup).await;
    assert_eq!(settings["freshchat_enabled"], false);
    settings["freshchat_enabled"] = json!(true);
    let response = setup
        .admin
        .put(
            &format!("/api/v1/bots/{}/handoff-settings", setup.app.bot.id),
            settings.clone(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["field"], "freshchat_enabled");
    let tool: Value = setup
        .admin
        .get(&format!("/api/v1/bots/{}/handoff", setup.app.bot.id))
        .await
        .json()
        .await
        .unwrap();
    let response = setup
        .admin
        .put(
            &format!("/api/v1/bots/{}/handoff", setup.app.bot.id),
            json!({ "settings": settings, "schedule": tool["schedule"] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["field"], "settings.freshchat_enabled");

    // Refused URLs and keys.
    for (body, field) in [
        (
            json!({ "freshchat_api_url": "http://acme.freshchat.com/v2" }),
            "freshchat_api_url",
        ),
        (
            json!({ "freshchat_api_url": "https://10.0.0.7/v2" }),
            "freshchat_api_url",
        ),
        (
            json!({ "freshchat_api_url": "https://169.254.169.254/v2" }),
            "freshchat_api_url",
        ),
        (
            json!({ "freshchat_api_url": "http://127.0.0.1:1/v2" }),
            "freshchat_api_url",
        ),
        (
            json!({ "freshchat_api_url": "https://acme.freshchat.com/" }),
            "freshchat_api_url",
        ),
        (
            json!({ "freshchat_webhook_public_key": "-----BEGIN RSA PUBLIC KEY----- aGVsbG8= -----END RSA PUBLIC KEY-----" }),
            "freshchat_webhook_public_key",
        ),
        (
            json!({ "freshchat_api_token": "two words" }),
            "freshchat_api_token",
        ),
        (json!({ "freshchat_api_url": 7 }), "body"),
    ] {
        let response = setup.admin.put("/api/v1/integrations", body.clone()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        if field != "body" {
            assert_eq!(error["error"]["field"], field, "{body}");
        }
    }
    // The test button before anything is saved.
    let response = setup
        .admin
        .post("/api/v1/integrations/freshchat/test", None)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // Saved: the token is never returned.
    let saved = save_credentials(&setup, TOKEN).await;
    assert_eq!(saved["freshchat_token_set"], true);
    assert_eq!(saved["freshchat_api_url"], setup.fake.base_url());
    let read: Value = setup
        .admin
        .get("/api/v1/integrations")
        .await
        .json()
        .await
        .unwrap();
    assert!(!read.to_string().contains(TOKEN));
    assert_eq!(read["freshchat_webhook_public_key"], setup.fake.public_key);

    // The test button lists the channels.
    let response = setup
        .admin
        .post("/api/v1/integrations/freshchat/test", None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(body["channels"][0]["id"], CHANNEL);

    // A wrong token is reported as such.
    setup
        .admin
        .put(
            "/api/v1/integrations",
            json!({ "freshchat_api_token": "wrong" }),
        )
        .await;
    let response = setup
        .admin
        .post("/api/v1/integrations/freshchat/test", None)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "freshchat_unauthorized");
    assert_eq!(error["error"]["field"], "freshchat_api_token");

    // An agent (not admin) cannot read or test.
    let agent = setup.app.agent("Bob").await;
    assert_eq!(
        agent
            .post("/api/v1/integrations/freshchat/test", None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // null clears.
    let cleared: Value = setup
        .admin
        .put(
            "/api/v1/integrations",
            json!({ "freshchat_api_token": null, "freshchat_webhook_public_key": null }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["freshchat_token_set"], false);
    assert_eq!(cleared["freshchat_webhook_public_key"], Value::Null);
    assert_eq!(cleared["freshchat_api_url"], setup.fake.base_url());
}

#[tokio::test]
async fn the_panel_lists_routed_conversations_read_only() {
    let setup = setup().await;
    let (visitor, _remote) = routed_visitor(&setup, "Hello").await;
    let agent = setup.app.agent("Bob").await;
    let list: Value = agent
        .get("/api/v1/conversations?state=freshchat")
        .await
        .json()
        .await
        .unwrap();
    let listed = list["conversations"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], visitor.conversation_id.as_str());
    // The transcript is there; joining or writing is refused.
    let history: Value = agent
        .get(&format!(
            "/api/v1/conversations/{}/messages",
            visitor.conversation_id
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(!history["messages"].as_array().unwrap().is_empty());
    let response = agent
        .post(
            &format!("/api/v1/conversations/{}/join", visitor.conversation_id),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let mut agent = agent;
    let response = agent.send(&visitor.conversation_id, "Hi").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    // Nobody was notified of a Live Chat handoff.
    assert!(agent.waiting().await.is_empty());
}

#[tokio::test]
async fn outside_the_schedule_the_offline_path_runs_without_calling_freshchat() {
    let setup = setup().await;
    let tool: Value = setup
        .admin
        .get(&format!("/api/v1/bots/{}/handoff", setup.app.bot.id))
        .await
        .json()
        .await
        .unwrap();
    let mut schedule = tool["schedule"].clone();
    schedule["never_available"] = json!(true);
    let response = setup
        .admin
        .put(
            &format!("/api/v1/bots/{}/handoff", setup.app.bot.id),
            json!({ "settings": tool["settings"], "schedule": schedule }),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let visitor = setup.app.visitor().await;
    assert!(visitor.request_handoff().await.status().is_success());
    history_entry(&visitor, "the offline path", |m| {
        m["kind"] == "handoff_offline"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(setup.fake.conversation_ids().is_empty());
}

#[tokio::test]
async fn a_handoff_the_ai_triggers_goes_to_freshchat_too() {
    let setup = setup_with_engine(true, Arc::new(baton_ai::builtin::BuiltinEngine)).await;
    let mut visitor = setup.app.visitor().await;
    visitor.send("Can I talk to a real person please?").await;
    eventually("FreshChat has the conversation", || {
        !setup.fake.conversation_ids().is_empty()
    })
    .await;
    let remote = setup.fake.conversation_ids()[0].clone();
    assert_eq!(
        setup.fake.texts(&remote, "user", "normal"),
        vec!["Can I talk to a real person please?"]
    );
    let history = visitor.history(0).await;
    assert!(
        history
            .iter()
            .any(|m| m["kind"] == "handoff_requested" && m["data"]["freshchat"] == true),
        "{history:?}"
    );
}

#[tokio::test]
async fn a_reply_delivered_after_the_resolution_it_preceded_is_still_shown() {
    let setup = setup().await;
    let (visitor, remote) = routed_visitor(&setup, "Hello").await;
    setup.fake.hold_webhooks();
    setup
        .fake
        .agent_reply(&remote, AGENT, "Glad I could help!")
        .await;
    setup.fake.resolve(&remote, AGENT).await;
    // The resolution arrives first, the reply written before it afterwards.
    setup.fake.release_webhooks_reversed().await;
    history_entry(&visitor, "the resolution", |m| m["kind"] == "agent_left").await;
    let reply = history_entry(&visitor, "the late reply", |m| {
        m["text"] == "Glad I could help!"
    })
    .await;
    assert_eq!(reply["author_kind"], "agent");
    assert_eq!(reply["author_name"], AGENT_NAME);
}

#[tokio::test]
async fn a_visitors_file_reaches_freshchat_as_a_signed_link_that_downloads_it() {
    use crate::attachments::{multipart, visitor_upload};
    let setup = setup().await;
    let (visitor, remote) = routed_visitor(&setup, "My invoice is wrong, I need a person").await;
    let bytes = b"Invoice 42: total 10 EUR\n";
    let response = visitor_upload(
        &visitor,
        multipart(&[("client_id", "file-1")], Some(("invoice.txt", bytes))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // The FreshChat agent reads the file's name and size and a link, as the visitor.
    let mut note = String::new();
    eventually("FreshChat has the file's note", || {
        let found = setup
            .fake
            .texts(&remote, "user", "normal")
            .into_iter()
            .find(|t| t.starts_with("Sent a file: invoice.txt"));
        note = found.unwrap_or_default();
        !note.is_empty()
    })
    .await;
    assert!(note.contains("(25 bytes)"), "{note}");
    let link = note.lines().last().unwrap().to_owned();
    let prefix = format!("{}/api/v1/attachments/", setup.app.base);
    assert!(link.starts_with(&prefix), "{link}");
    assert!(link.contains("?exp=") && link.contains("&sig="), "{link}");

    // Anyone holding the link downloads the file, with the same safe headers; no session.
    let anonymous = reqwest::Client::new();
    let response = anonymous.get(&link).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), bytes);

    // A changed signature, a moved expiry or another file's id is refused with a clear error.
    let (base, query) = link.split_once('?').unwrap();
    let (exp, sig) = query
        .strip_prefix("exp=")
        .unwrap()
        .split_once("&sig=")
        .unwrap();
    let flipped = format!(
        "{}{}",
        &sig[..sig.len() - 1],
        if sig.ends_with('0') { "1" } else { "0" }
    );
    let later: u64 = exp.parse::<u64>().unwrap() + 1;
    let other_id = baton_domain::ids::AttachmentId::new();
    for tampered in [
        format!("{base}?exp={exp}&sig={flipped}"),
        format!("{base}?exp={later}&sig={sig}"),
        format!("{prefix}{other_id}?exp={exp}&sig={sig}"),
        format!("{base}?exp=soon&sig={sig}"),
    ] {
        let response = anonymous.get(&tampered).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{tampered}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_link", "{tampered}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("not valid")
        );
    }
    // Half a link is a bad request naming what is missing.
    let response = anonymous
        .get(format!("{base}?exp={exp}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "sig");

    // A link past its expiry, though rightly signed, is refused as expired.
    let secret = setup
        .app
        .store()
        .installation_secret("attachment_links", "unused")
        .await
        .unwrap();
    let id = base.rsplit('/').next().unwrap();
    let past = u64::try_from(jiff::Timestamp::now().as_second()).unwrap() - 60;
    let expired_sig = baton_server::secrets::attachment_link_signature(&secret, id, past);
    let response = anonymous
        .get(format!("{base}?exp={past}&sig={expired_sig}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "link_expired");
}

#[tokio::test]
async fn a_file_a_freshchat_agent_sends_reaches_the_visitor_as_a_named_link() {
    let setup = setup().await;
    let (visitor, remote) = routed_visitor(&setup, "Can I have my invoice? I need a human").await;
    setup
        .fake
        .agent_parts(
            &remote,
            AGENT,
            json!([
                { "text": { "content": "Here it is" } },
                { "file": { "name": "invoice.pdf", "url": "https://cdn.example/i.pdf" } },
                { "file": { "name": "trap", "url": "javascript:alert(1)" } },
            ]),
        )
        .await;
    let reply = history_entry(&visitor, "the agent's file", |m| {
        m["author_kind"] == "agent" && m["kind"] == "text"
    })
    .await;
    assert_eq!(
        reply["text"],
        "Here it is\n[File invoice.pdf: https://cdn.example/i.pdf]\n[File trap: javascript:alert(1)]"
    );
    assert_eq!(
        reply["data"]["links"],
        json!([{
            "placeholder": "[File invoice.pdf: https://cdn.example/i.pdf]",
            "name": "invoice.pdf",
            "url": "https://cdn.example/i.pdf",
        }])
    );
}

#[tokio::test]
async fn a_file_sent_before_the_handoff_is_in_the_new_freshchat_conversation() {
    use crate::attachments::{multipart, png, visitor_upload};
    let setup = setup().await;
    let mut visitor = setup.app.visitor().await;
    assert_eq!(
        visitor.send("The checkout page breaks").await.status(),
        StatusCode::CREATED
    );
    let response = visitor_upload(
        &visitor,
        multipart(
            &[("client_id", "shot-1")],
            Some(("error.png", &png(b"shot"))),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = visitor.request_handoff().await;
    assert!(response.status().is_success(), "{}", response.status());
    eventually("FreshChat has the conversation", || {
        !setup.fake.conversation_ids().is_empty()
    })
    .await;
    let remote = setup.fake.conversation_ids()[0].clone();
    let texts = setup.fake.texts(&remote, "user", "normal");
    assert_eq!(texts[0], "The checkout page breaks");
    assert!(
        texts[1].starts_with("Sent a file: error.png (20 bytes)\n"),
        "{texts:?}"
    );
    assert!(texts[1].contains("/api/v1/attachments/"), "{texts:?}");
}

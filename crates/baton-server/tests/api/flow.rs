//! The whole handoff flow (request → every online agent notified → one accept wins → direct chat
//! → resolve or hand back), as a visitor and agents live it.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::helpers::*;

#[tokio::test]
async fn a_visitor_asks_for_a_person_an_agent_accepts_they_chat_and_the_ai_comes_back() {
    let app = spawn_app().await;
    let mut agent = app.agent("Alice").await;
    let mut panel = agent.panel().await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    assert_eq!(widget.next_of_type("ready").await["last_seq"], 0);

    // The AI answers first.
    assert_eq!(visitor.send("Hello").await.status(), StatusCode::CREATED);
    let reply = widget.next_message("text").await;
    assert_eq!(reply["author_kind"], "visitor");
    let reply = widget.next_message("text").await;
    assert_eq!(reply["author_kind"], "bot");

    // The visitor asks for a person: the handoff is requested, every online agent is told.
    visitor.send("Can I talk to a real person please?").await;
    let requested = widget.next_message("handoff_requested").await;
    assert_eq!(requested["author_kind"], "system");
    assert_eq!(widget.next_of_type("state").await["state"], "waiting");
    let queue = widget.next_of_type("queue").await;
    assert_eq!(queue["position"], 1);

    let notification = panel.next_of_type("handoff_requested").await;
    let brief = &notification["handoff"];
    assert_eq!(brief["trigger"], "user_request");
    assert_eq!(brief["conversation_id"], visitor.conversation_id.as_str());
    assert!(!brief["reason"].as_str().unwrap().is_empty());
    let last_texts: Vec<&str> = brief["last_messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert!(
        last_texts.contains(&"Can I talk to a real person please?"),
        "{last_texts:?}"
    );

    // The agent accepts: the visitor is told who joined.
    let handoff_id = brief["id"].as_str().unwrap();
    let response = agent.accept(handoff_id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let joined = widget.next_message("agent_joined").await;
    assert_eq!(joined["author_name"], "Alice");
    let state = widget.next_of_type("state").await;
    assert_eq!(state["state"], "human");
    assert_eq!(state["agent_name"], "Alice");
    let taken = panel.next_of_type("handoff_taken").await;
    assert_eq!(taken["handoff_id"], handoff_id);

    // Direct chat both ways, live.
    panel
        .send_json(
            json!({ "type": "subscribe", "conversation_id": visitor.conversation_id, "after": 0 }),
        )
        .await;
    assert_eq!(
        agent
            .send(&visitor.conversation_id, "Hi, I'm Alice. How can I help?")
            .await
            .status(),
        StatusCode::CREATED
    );
    let from_agent = widget.next_message("text").await;
    assert_eq!(from_agent["author_kind"], "agent");
    assert_eq!(from_agent["author_name"], "Alice");
    assert_eq!(from_agent["text"], "Hi, I'm Alice. How can I help?");

    visitor.send("My order 4411 never arrived").await;
    let seen_by_agent = loop {
        let frame = panel.next_of_type("message").await;
        if frame["message"]["text"] == "My order 4411 never arrived" {
            break frame["message"].clone();
        }
    };
    assert_eq!(seen_by_agent["author_kind"], "visitor");
    // The AI stays silent while the agent owns the conversation.
    let quiet = widget.drain(Duration::from_millis(400)).await;
    assert!(
        quiet.iter().all(|f| f["message"]["author_kind"] != "bot"),
        "the AI spoke over the agent: {quiet:?}"
    );

    // Hand back: the AI answers again.
    let response = agent
        .post(
            &format!(
                "/api/v1/conversations/{}/hand-back",
                visitor.conversation_id
            ),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    widget.next_message("handed_back").await;
    assert_eq!(widget.next_of_type("state").await["state"], "ai");
    visitor.send("thanks").await;
    widget.next_message("text").await;
    let bot = widget.next_message("text").await;
    assert_eq!(bot["author_kind"], "bot");

    // Every stored entry is in the history, in order, exactly once.
    let history = visitor.history(0).await;
    let seqs: Vec<i64> = history.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
}

#[tokio::test]
async fn resolving_closes_the_conversation_and_a_new_message_reopens_it_with_the_ai() {
    let app = spawn_app().await;
    let agent = app.agent("Bob").await;
    let mut panel = agent.panel().await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    agent.take_handoff(&mut panel, &visitor).await;
    let response = agent
        .post(
            &format!("/api/v1/conversations/{}/resolve", visitor.conversation_id),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let left = widget.next_message("agent_left").await;
    assert!(left["text"].as_str().unwrap().contains("Bob"));
    assert_eq!(widget.next_of_type("state").await["state"], "closed");

    visitor.send("One more question").await;
    widget.next_message("reopened").await;
    assert_eq!(widget.next_of_type("state").await["state"], "ai");
    let reply = loop {
        let m = widget.next_message("text").await;
        if m["author_kind"] == "bot" {
            break m;
        }
    };
    assert!(!reply["text"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn an_agent_can_take_over_a_live_ai_conversation() {
    let app = spawn_app().await;
    let mut agent = app.agent("Carla").await;
    let _panel = agent.panel().await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.send("Hello").await;
    widget.next_message("text").await;

    // The agent sees the AI-only conversation in the workspace's list.
    let list: Value = agent
        .get("/api/v1/conversations?state=ai")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        list["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == visitor.conversation_id.as_str())
    );

    let response = agent
        .post(
            &format!("/api/v1/conversations/{}/join", visitor.conversation_id),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        widget.next_message("agent_joined").await["author_name"],
        "Carla"
    );
    assert_eq!(
        agent
            .send(&visitor.conversation_id, "Carla here")
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(widget.next_message("text").await["text"], "Carla here");
}

#[tokio::test]
async fn with_nobody_online_the_visitor_gets_the_offline_message() {
    let app = spawn_app().await;
    // Without lead capture the AI keeps helping (the lead capture path: offline.rs).
    app.set_handoff(&app.bot, |h| h.lead_capture_enabled = false)
        .await;
    let _offline_agent = app.agent("Dana").await; // logged in, but no panel open: not online
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    let response = visitor.request_handoff().await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["state"], "ai");
    assert_eq!(body["handoff"]["status"], "offline");
    assert_eq!(body["handoff"]["offline_reason"], "nobody_available");
    let offline = widget.next_message("handoff_offline").await;
    let text = offline["text"].as_str().unwrap();
    assert!(
        text.contains("Nobody from our team is available right now"),
        "{text}"
    );
    assert!(text.contains(&app.bot.handoff.offline_message), "{text}");
    // The AI keeps helping.
    visitor.send("ok, what else can you do?").await;
    widget.next_message("text").await;
    assert_eq!(widget.next_message("text").await["author_kind"], "bot");
}

#[tokio::test]
async fn an_agent_set_to_away_does_not_count_as_available() {
    let app = spawn_app().await;
    let agent = app.agent("Eve").await;
    let _panel = agent.panel().await;
    let response = agent
        .post("/api/v1/me/status", Some(json!({ "status": "away" })))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let visitor = app.visitor().await;
    let body: Value = visitor.request_handoff().await.json().await.unwrap();
    assert_eq!(body["handoff"]["offline_reason"], "nobody_available");
}

#[tokio::test]
async fn a_disabled_handoff_is_never_live() {
    let app = spawn_app().await;
    app.set_handoff(&app.bot, |h| h.enabled = false).await;
    let agent = app.agent("Finn").await;
    let _panel = agent.panel().await;
    let visitor = app.visitor().await;
    let body: Value = visitor.request_handoff().await.json().await.unwrap();
    assert_eq!(body["handoff"]["offline_reason"], "handoff_disabled");
}

#[tokio::test]
async fn nobody_accepting_in_time_falls_back_to_the_offline_path() {
    let app = spawn_app().await;
    app.set_handoff(&app.bot, |h| {
        h.accept_timeout_seconds = 1;
        h.lead_capture_enabled = false;
    })
    .await;
    let agent = app.agent("Gus").await;
    let mut panel = agent.panel().await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.request_handoff().await;
    let id = panel.next_of_type("handoff_requested").await["handoff"]["id"].clone();
    let expired = widget.next_message("handoff_expired").await;
    assert!(
        expired["text"]
            .as_str()
            .unwrap()
            .contains("nobody from our team could take your chat in time")
    );
    assert_eq!(widget.next_of_type("state").await["state"], "ai");
    let withdrawn = panel.next_of_type("handoff_withdrawn").await;
    assert_eq!(withdrawn["handoff_id"], id);
    assert_eq!(withdrawn["reason"], "expired");
    // Too late to accept now.
    assert_eq!(
        agent.accept(id.as_str().unwrap()).await.status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn the_visitor_can_go_back_to_the_ai_while_waiting() {
    let app = spawn_app().await;
    let agent = app.agent("Hana").await;
    let mut panel = agent.panel().await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.request_handoff().await;
    panel.next_of_type("handoff_requested").await;
    let response = visitor
        .http
        .delete(visitor.url("/handoff"))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    widget.next_message("handoff_cancelled").await;
    assert_eq!(
        panel.next_of_type("handoff_withdrawn").await["reason"],
        "cancelled"
    );
    assert!(agent.waiting().await.is_empty());
}

#[tokio::test]
async fn a_second_request_while_waiting_starts_no_second_handoff() {
    let app = spawn_app().await;
    let agent = app.agent("Ivan").await;
    let _panel = agent.panel().await;
    let mut visitor = app.visitor().await;
    assert_eq!(
        visitor.request_handoff().await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        visitor.request_handoff().await.status(),
        StatusCode::CONFLICT
    );
    visitor.send("I want a human agent right now").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(agent.waiting().await.len(), 1);
}

/// A bot reply computed before an acceptance is dropped, never shown.
#[tokio::test]
async fn a_bot_reply_racing_an_acceptance_is_never_shown() {
    let gate = Arc::new(Semaphore::new(0));
    let entered = Arc::new(Semaphore::new(0));
    let engine = GatedEngine {
        inner: EchoEngine,
        gate: gate.clone(),
        entered: entered.clone(),
    };
    let app = spawn_app_with(|_| {}, Arc::new(engine)).await;
    let agent = app.agent("Jo").await;
    let mut panel = agent.panel().await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;

    // While waiting the AI keeps helping: its answer is being computed when the agent accepts.
    visitor.request_handoff().await;
    let id = panel.next_of_type("handoff_requested").await["handoff"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    visitor.send("Are you still there?").await;
    entered.acquire().await.unwrap().forget();
    assert_eq!(agent.accept(&id).await.status(), StatusCode::OK);
    gate.add_permits(1);

    // An agent-owned conversation: the reply must never arrive nor be stored.
    let frames = widget.drain(Duration::from_millis(700)).await;
    assert!(
        frames.iter().all(|f| f["message"]["author_kind"] != "bot"),
        "{frames:?}"
    );
    let history = visitor.history(0).await;
    assert!(
        history.iter().all(|m| m["author_kind"] != "bot"),
        "{history:?}"
    );

    // Same race with a take-over of an AI conversation.
    let mut other = app.visitor().await;
    other.send("Question one").await;
    entered.acquire().await.unwrap().forget();
    let response = agent
        .post(
            &format!("/api/v1/conversations/{}/join", other.conversation_id),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    gate.add_permits(1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        other
            .history(0)
            .await
            .iter()
            .all(|m| m["author_kind"] != "bot")
    );
}

#[tokio::test]
async fn an_agent_sending_many_messages_at_once_gets_each_stored_once_in_the_order_sent() {
    let app = spawn_app().await;
    let agent = app.agent("Quinn").await;
    let mut panel = agent.panel().await;
    let visitor = app.visitor().await;
    agent.take_handoff(&mut panel, &visitor).await;
    // Written back to back without waiting for acks, one of them twice (a retry).
    let sent: Vec<String> = (0..40).map(|n| format!("p-{n}")).collect();
    for client_id in sent.iter().chain(std::iter::once(&sent[7])) {
        panel
            .send_json(json!({
                "type": "send",
                "conversation_id": visitor.conversation_id,
                "client_id": client_id,
                "text": format!("answer {client_id}"),
            }))
            .await;
    }
    let mut acked = std::collections::HashMap::new();
    while acked.len() < sent.len() {
        let frame = panel.next_of_type("ack").await;
        let client_id = frame["client_id"].as_str().unwrap().to_owned();
        let seq = frame["message"]["seq"].as_i64().unwrap();
        assert_eq!(*acked.entry(client_id).or_insert(seq), seq);
    }
    let stored: Vec<String> = visitor
        .history(0)
        .await
        .iter()
        .filter(|m| m["author_kind"] == "agent")
        .map(|m| m["client_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(stored, sent, "stored once each, in the order sent");
}

//! The offline path: offline message, lead capture, tickets, and their outbound
//! delivery by webhook and email.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::Role;

/// Asks for a person and returns the offline reason and the lead prompt the visitor sees.
async fn offline_with_prompt(visitor: &Visitor, widget: &mut Ws) -> (Value, Value) {
    let body: Value = visitor.request_handoff().await.json().await.unwrap();
    let offline = widget.next_message("handoff_offline").await;
    let prompt = widget.next_message("lead_requested").await;
    assert_eq!(widget.next_of_type("state").await["state"], "lead_capture");
    (
        body["handoff"]["offline_reason"].clone(),
        json!({ "offline": offline, "prompt": prompt }),
    )
}

#[tokio::test]
async fn every_reason_leads_to_the_offline_message_and_the_lead_prompt() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let bot = app.bot.clone();

    // Nobody online.
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    let (reason, seen) = offline_with_prompt(&visitor, &mut widget).await;
    assert_eq!(reason, "nobody_available");
    assert!(
        seen["offline"]["text"]
            .as_str()
            .unwrap()
            .contains("Nobody from our team is available")
    );
    assert_eq!(
        seen["prompt"]["text"],
        bot.handoff.lead_capture_prompt.as_str()
    );
    assert_eq!(seen["prompt"]["data"]["form"]["name"], "Vera");

    // Schedule closed, with an agent online.
    let _panel = admin.panel().await;
    let put = |schedule: Value| {
        admin
            .http
            .put(format!("{}/api/v1/bots/{}/schedule", admin.base, bot.id))
            .header("x-csrf-token", &admin.csrf)
            .json(&schedule)
            .send()
    };
    assert_eq!(
        put(json!({ "timezone": "UTC", "weekly": {} }))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    let (reason, seen) = offline_with_prompt(&visitor, &mut widget).await;
    assert_eq!(reason, "schedule_closed");
    assert!(
        seen["offline"]["text"]
            .as_str()
            .unwrap()
            .contains("outside its working hours")
    );

    // Never available.
    let always = json!({ "timezone": "UTC", "never_available": true, "weekly": {
        "monday": { "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] } } });
    assert_eq!(put(always).await.unwrap().status(), StatusCode::OK);
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    let (reason, _) = offline_with_prompt(&visitor, &mut widget).await;
    assert_eq!(reason, "never_available");

    // Nobody accepted in time.
    assert_eq!(
        put(json!({ "timezone": "UTC", "weekly": {
        "monday": { "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] },
        "tuesday": { "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] },
        "wednesday": { "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] },
        "thursday": { "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] },
        "friday": { "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] },
        "saturday": { "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] },
        "sunday": { "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] } } }))
        .await
        .unwrap()
        .status(),
        StatusCode::OK
    );
    app.set_handoff(&bot, |h| h.accept_timeout_seconds = 1)
        .await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.request_handoff().await;
    let expired = widget.next_message("handoff_expired").await;
    assert!(
        expired["text"]
            .as_str()
            .unwrap()
            .contains("could take your chat in time")
    );
    widget.next_message("lead_requested").await;
}

#[tokio::test]
async fn contact_details_typed_in_chat_invalid_then_valid_create_a_ticket() {
    let app = spawn_app().await;
    let agent = app.agent("Tess").await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.send("My invoice shows the wrong VAT number").await;
    widget.next_message("text").await;
    widget.next_message("text").await;
    visitor.send("I want to talk to a human").await;
    widget.next_message("handoff_offline").await;
    widget.next_message("lead_requested").await;

    visitor.send("sure: ana@example").await;
    let retry = widget.next_message("lead_retry").await;
    assert!(
        retry["text"]
            .as_str()
            .unwrap()
            .contains("domain like example.com"),
        "{retry}"
    );
    visitor.send("what for?").await;
    let retry = widget.next_message("lead_retry").await;
    assert!(
        retry["text"].as_str().unwrap().contains("email address"),
        "{retry}"
    );

    visitor.send("ok, ana@example.com").await;
    let captured = widget.next_message("lead_captured").await;
    assert_eq!(
        captured["text"],
        app.bot.handoff.lead_capture_success.as_str()
    );
    assert_eq!(widget.next_of_type("state").await["state"], "ai");

    // The AI resumes.
    visitor.send("thanks").await;
    let reply = loop {
        let m = widget.next_message("text").await;
        if m["author_kind"] == "bot" {
            break m;
        }
    };
    assert!(!reply["text"].as_str().unwrap().is_empty());

    // The ticket holds the contact, the trigger and the transcript.
    let tickets: Value = agent.get("/api/v1/tickets").await.json().await.unwrap();
    assert_eq!(tickets["open_tickets"], 1);
    let ticket = &tickets["tickets"][0];
    assert_eq!(ticket["contact_email"], "ana@example.com");
    assert_eq!(ticket["trigger"], "user_request");
    assert_eq!(ticket["status"], "open");
    assert_eq!(ticket["priority"], "medium");
    assert!(
        ticket["description"]
            .as_str()
            .unwrap()
            .contains("wrong VAT number"),
        "{ticket}"
    );
    let full: Value = agent
        .get(&format!(
            "/api/v1/tickets/{}",
            ticket["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    let transcript: Vec<&str> = full["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert!(transcript.contains(&"My invoice shows the wrong VAT number"));
    assert!(transcript.contains(&"ok, ana@example.com"));
}

/// Once a ticket is taken the conversation starts a new episode: the AI does not read the request
/// for a person made before it as still standing.
#[tokio::test]
async fn after_a_ticket_the_earlier_request_is_not_asked_again() {
    let app = spawn_app().await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.send("I want to talk to a human").await;
    widget.next_message("handoff_offline").await;
    widget.next_message("lead_requested").await;
    visitor.send("ana@example.com").await;
    widget.next_message("lead_captured").await;
    assert_eq!(widget.next_of_type("state").await["state"], "ai");

    // Read with the request before the ticket, this would carry it over ("that call").
    visitor.send("I will wait for that call then").await;
    let mut kinds = Vec::new();
    loop {
        let m = widget.next_of_type("message").await["message"].clone();
        kinds.push(m["kind"].as_str().unwrap_or_default().to_owned());
        if m["kind"] == "text" && m["author_kind"] == "bot" {
            break;
        }
    }
    assert!(
        kinds
            .iter()
            .all(|k| !k.starts_with("handoff") && !k.starts_with("lead")),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn declining_goes_back_to_the_ai_without_a_ticket() {
    let app = spawn_app().await;
    let agent = app.agent("Uma").await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.request_handoff().await;
    widget.next_message("lead_requested").await;
    visitor.send("no thanks").await;
    widget.next_message("lead_declined").await;
    assert_eq!(widget.next_of_type("state").await["state"], "ai");
    let tickets: Value = agent.get("/api/v1/tickets").await.json().await.unwrap();
    assert!(tickets["tickets"].as_array().unwrap().is_empty());
    // The decline endpoint does the same for the widget's button; now there is nothing to decline.
    let response = visitor
        .http
        .post(visitor.url("/lead/decline"))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_form_is_validated_and_a_double_submit_makes_one_ticket() {
    let app = spawn_app().await;
    let agent = app.agent("Vic").await;
    let visitor = app.visitor().await;
    let response = visitor
        .http
        .post(visitor.url("/ticket"))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let submit = |body: Value| {
        visitor
            .http
            .post(visitor.url("/lead"))
            .bearer_auth(&visitor.token)
            .json(&body)
            .send()
    };

    let long_local = format!("{}@example.com", "a".repeat(300));
    for (email, words) in [
        ("no-at-sign", "no @"),
        (long_local.as_str(), "limit is 64"),
        ("ana\r\nBcc: x@evil.com", "spaces or invisible characters"),
    ] {
        let response = submit(json!({ "client_id": "f1", "email": email }))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], "email");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(words),
            "{body}"
        );
    }
    let response =
        submit(json!({ "client_id": "f1", "email": "ana@example.com", "name": "n".repeat(101) }))
            .await
            .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let form = json!({ "client_id": "f1", "email": "ana@example.com", "name": "Ana\r\nBcc: x@evil.com", "description": "Card declined twice" });
    let (first, second) = tokio::join!(submit(form.clone()), submit(form.clone()));
    let mut statuses = [first.unwrap().status(), second.unwrap().status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CREATED]);
    let again = submit(form).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let tickets: Value = agent.get("/api/v1/tickets").await.json().await.unwrap();
    let tickets = tickets["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 1);
    assert_eq!(
        tickets[0]["contact_name"], "Ana Bcc: x@evil.com",
        "CR/LF never reach a header"
    );
    assert_eq!(tickets[0]["description"], "Card declined twice");
}

#[tokio::test]
async fn agents_work_tickets_from_the_panel() {
    let app = spawn_app().await;
    let agent = app.agent("Wes").await;
    let mut panel = agent.panel().await;
    let visitor = app.visitor().await;
    visitor
        .http
        .post(visitor.url("/ticket"))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    visitor
        .http
        .post(visitor.url("/lead"))
        .bearer_auth(&visitor.token)
        .json(&json!({ "client_id": "x", "email": "zoe@example.org" }))
        .send()
        .await
        .unwrap();
    let created = panel.next_of_type("ticket_created").await;
    assert_eq!(created["open_tickets"], 1);
    let id = created["ticket"]["id"].as_str().unwrap().to_owned();

    let patch = |body: Value| {
        agent
            .http
            .patch(format!("{}/api/v1/tickets/{id}", agent.base))
            .header("x-csrf-token", &agent.csrf)
            .json(&body)
            .send()
    };
    let response = patch(
        json!({ "status": "pending_internal", "priority": "urgent", "assignee_id": agent.id }),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let updated = panel.next_of_type("ticket_updated").await;
    assert_eq!(updated["ticket"]["priority"], "urgent");
    assert_eq!(updated["ticket"]["assignee_id"], agent.id.as_str());
    assert_eq!(
        patch(json!({ "status": "closed-ish" }))
            .await
            .unwrap()
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        patch(json!({ "assignee_id": "0190d7d4-0000-7000-8000-000000000000" }))
            .await
            .unwrap()
            .status(),
        StatusCode::BAD_REQUEST
    );

    let filtered: Value = agent
        .get("/api/v1/tickets?priority=urgent&status=pending_internal")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["tickets"].as_array().unwrap().len(), 1);
    let none: Value = agent
        .get("/api/v1/tickets?status=resolved")
        .await
        .json()
        .await
        .unwrap();
    assert!(none["tickets"].as_array().unwrap().is_empty());
    assert_eq!(
        agent.get("/api/v1/tickets?priority=meh").await.status(),
        StatusCode::BAD_REQUEST
    );

    let response = agent
        .post(
            &format!("/api/v1/tickets/{id}/notes"),
            Some(json!({ "text": "Called the bank" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let full: Value = agent
        .get(&format!("/api/v1/tickets/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["notes"][0]["body"], "Called the bank");
    assert_eq!(full["notes"][0]["kind"], "note");
    // Without SMTP a reply cannot be emailed, and says so.
    let response = agent
        .post(
            &format!("/api/v1/tickets/{id}/reply"),
            Some(json!({ "text": "Hi Zoe" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // Another workspace cannot see it.
    let (other, _) = app.other_workspace().await;
    let stranger = app.agent_in(&other, "Stranger", Role::Agent, 5).await;
    assert_eq!(
        stranger
            .get(&format!("/api/v1/tickets/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// A local webhook receiver that fails the first `failures` deliveries with 500.
#[derive(Clone, Default)]
struct Receiver {
    calls: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

async fn start_receiver(failures: usize) -> (String, Receiver) {
    let receiver = Receiver::default();
    let calls = receiver.calls.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let calls = calls.clone();
            async move {
                let mut calls = calls.lock().unwrap();
                calls.push((headers, body));
                if calls.len() <= failures {
                    AxumStatus::INTERNAL_SERVER_ERROR
                } else {
                    AxumStatus::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, receiver)
}

#[tokio::test]
async fn a_signed_webhook_reaches_a_receiver_that_fails_three_times_exactly_once() {
    let app = spawn_app_with(
        |c| c.outbox_base_delay = Duration::from_millis(50),
        Arc::new(baton_ai::builtin::BuiltinEngine),
    )
    .await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let (url, receiver) = start_receiver(3).await;
    let response = admin
        .http
        .put(format!("{}/api/v1/integrations", admin.base))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({ "webhook_url": url, "notification_email": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let settings: Value = response.json().await.unwrap();
    assert_eq!(settings["webhook_secret_set"], true);
    assert!(
        settings["webhook_secret"]
            .as_str()
            .is_some_and(|s| s.len() >= 32),
        "the new secret is shown once: {settings}"
    );
    let again: Value = admin
        .get("/api/v1/integrations")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        again.get("webhook_secret").is_none(),
        "and never again: {again}"
    );
    let secret: Value = admin
        .post("/api/v1/integrations/webhook-secret", None)
        .await
        .json()
        .await
        .unwrap();
    let secret = secret["secret"].as_str().unwrap().to_owned();

    let visitor = app.visitor().await;
    let response = visitor.leave_details("w1", "sam@example.com").await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // Three failures, then one success; nothing after it.
    for _ in 0..100 {
        if receiver.calls.lock().unwrap().len() >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let calls = receiver.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 4, "three failed attempts and one delivery");
    let delivery_ids: Vec<&str> = calls
        .iter()
        .map(|(h, _)| h["x-baton-delivery"].to_str().unwrap())
        .collect();
    assert!(
        delivery_ids.windows(2).all(|w| w[0] == w[1]),
        "one delivery id across retries"
    );
    let (headers, body) = &calls[3];
    assert_eq!(headers["x-baton-event"], "ticket.created");
    let expected = baton_server::delivery::sign(&secret, body);
    assert_eq!(headers["x-baton-signature"].to_str().unwrap(), expected);
    let event: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(event["event"], "ticket.created");
    assert_eq!(event["ticket"]["contact_email"], "sam@example.com");

    let delivered: Value = admin
        .get("/api/v1/outbox?status=delivered")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(delivered["deliveries"][0]["attempts"], 4);
}

#[tokio::test]
async fn a_receiver_that_never_answers_ends_dead_lettered_and_visible() {
    let app = spawn_app_with(
        |c| {
            c.outbox_base_delay = Duration::from_millis(20);
            c.outbox_max_attempts = 3;
        },
        Arc::new(baton_ai::builtin::BuiltinEngine),
    )
    .await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let (url, receiver) = start_receiver(usize::MAX).await;
    admin
        .http
        .put(format!("{}/api/v1/integrations", admin.base))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({ "webhook_url": url }))
        .send()
        .await
        .unwrap();
    let visitor = app.visitor().await;
    visitor
        .http
        .post(visitor.url("/ticket"))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    visitor
        .http
        .post(visitor.url("/lead"))
        .bearer_auth(&visitor.token)
        .json(&json!({ "client_id": "d1", "email": "dee@example.com" }))
        .send()
        .await
        .unwrap();
    let mut dead = Value::Null;
    for _ in 0..100 {
        dead = admin
            .get("/api/v1/outbox?status=dead")
            .await
            .json()
            .await
            .unwrap();
        if !dead["deliveries"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let item = &dead["deliveries"][0];
    assert_eq!(item["attempts"], 3);
    assert!(item["last_error"].as_str().unwrap().contains("500"));
    assert_eq!(receiver.calls.lock().unwrap().len(), 3);
    // An admin can put it back in the queue.
    let id = item["id"].as_str().unwrap();
    assert_eq!(
        admin
            .post(&format!("/api/v1/outbox/{id}/retry"), None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn new_tickets_and_replies_are_emailed_through_a_real_smtp_server() {
    let smtp = start_smtp().await;
    let app = spawn_app_mailing(&smtp, |_| {}).await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let response = admin
        .http
        .put(format!("{}/api/v1/integrations", admin.base))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({ "notification_email": "team@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let mut visitor = app.visitor().await;
    visitor
        .send("The export button gives me a blank page")
        .await;
    let response = crate::attachments::visitor_upload(
        &visitor,
        crate::attachments::multipart(
            &[("client_id", "shot-1")],
            Some(("blank page.png", &crate::attachments::png(b"screen"))),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let file: Value = response.json::<Value>().await.unwrap()["message"]["data"].clone();
    visitor
        .http
        .post(visitor.url("/ticket"))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    let response = visitor
        .http
        .post(visitor.url("/lead"))
        .bearer_auth(&visitor.token)
        .json(&json!({ "client_id": "m1", "email": "rita@example.net", "name": "Rita\r\nBcc: spy@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let ticket_id = response.json::<Value>().await.unwrap()["ticket"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let received = smtp.wait_for(1).await;
    assert_eq!(received.len(), 1, "one notification");
    let mail = &received[0];
    assert!(mail.contains("To: team@example.com"), "{mail}");
    assert!(
        mail.contains("Subject: New ticket: The export button gives me a blank page"),
        "{mail}"
    );
    assert!(mail.contains("rita@example.net"), "{mail}");
    assert!(!mail.contains("\nBcc:"), "no header injection: {mail}");
    // The visitor's file, by name and size, with the link agents open from the panel's session.
    let mail = mail
        .replace("\r\n", "\n")
        .replace("=\n", "")
        .replace("=3D", "=");
    let link = format!(
        "- blank page.png (22 bytes): {}/api/v1/attachments/{}",
        app.state.config.public_url.clone().unwrap_or_default(),
        file["attachment_id"].as_str().unwrap()
    );
    assert!(mail.contains(&link), "{link} in {mail}");

    let response = admin
        .post(
            &format!("/api/v1/tickets/{ticket_id}/reply"),
            Some(json!({ "text": "Hi Rita, a fix is on its way." })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let received = smtp.wait_for(2).await;
    let reply = received
        .iter()
        .find(|m| m.contains("To: rita@example.net"))
        .expect("the reply to the visitor");
    assert!(
        reply.contains("Subject: Re: The export button gives me a blank page"),
        "{reply}"
    );
    assert!(reply.contains("a fix is on its way"), "{reply}");
}

#[tokio::test]
async fn a_blank_description_is_filled_from_the_conversation_and_form_ids_are_checked() {
    let app = spawn_app().await;
    let agent = app.agent("Yan").await;
    let mut visitor = app.visitor().await;
    visitor.send("The invoice PDF will not download").await;
    visitor
        .http
        .post(visitor.url("/ticket"))
        .bearer_auth(&visitor.token)
        .send()
        .await
        .unwrap();
    let submit = |body: Value| {
        visitor
            .http
            .post(visitor.url("/lead"))
            .bearer_auth(&visitor.token)
            .json(&body)
            .send()
    };
    let response = submit(json!({ "client_id": "has spaces", "email": "yan@example.com" }))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "client_id");
    let response =
        submit(json!({ "client_id": "f-1", "email": "yan@example.com", "description": "   " }))
            .await
            .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let tickets: Value = agent.get("/api/v1/tickets").await.json().await.unwrap();
    assert!(
        tickets["tickets"][0]["description"]
            .as_str()
            .unwrap()
            .contains("invoice PDF"),
        "{tickets}"
    );
}

//! Escalation before the offline path: a handoff nobody accepts by half the bot's accept timeout
//! rings again, once — the panels get `handoff_escalated` and show it urgent, the workspace's
//! notification address gets the brief by email through a real SMTP server, and the waiting
//! visitor's line is refreshed; at the full timeout the offline path runs as before.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use baton_storage::Role;

#[tokio::test]
async fn a_handoff_nobody_accepts_rings_again_at_half_its_timeout_then_goes_offline() {
    let smtp = start_smtp().await;
    let app = spawn_app_mailing(&smtp, |c| {
        c.public_url = Some("https://chat.example.com".into());
    })
    .await;
    app.set_handoff(&app.bot, |h| h.accept_timeout_seconds = 10)
        .await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let response = admin
        .http
        .put(format!("{}/api/v1/integrations", admin.base))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({ "notification_email": "team@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut panel = admin.panel().await;

    // Two visitors ask for a person; the agent takes the first at once and lets the second wait.
    let mut taken = app.visitor().await;
    taken.send("My invoice is wrong").await;
    assert_eq!(taken.request_handoff().await.status(), StatusCode::ACCEPTED);
    let first = panel.next_of_type("handoff_requested").await["handoff"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(admin.accept(&first).await.status(), StatusCode::OK);

    let mut waiting = app.visitor().await;
    waiting
        .send("The export button gives me a blank page")
        .await;
    let mut widget = waiting.ws(0).await;
    let asked = Instant::now();
    assert_eq!(
        waiting.request_handoff().await.status(),
        StatusCode::ACCEPTED
    );
    let second = panel.next_of_type("handoff_requested").await["handoff"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    widget.next_of_type("queue").await;

    // At half the timeout (5 s), and not before, the panel is told once.
    let escalated = panel.next_of_type("handoff_escalated").await;
    let after = asked.elapsed();
    assert_eq!(escalated["handoff_id"], second.as_str());
    assert_eq!(
        escalated["conversation_id"],
        waiting.conversation_id.as_str()
    );
    assert!(
        after >= Duration::from_millis(4500) && after < Duration::from_secs(9),
        "escalated after {after:?}"
    );
    // The queue says so after a reload too.
    let queue = admin.waiting().await;
    assert_eq!(queue.len(), 1);
    assert!(queue[0]["escalated_at"].is_string(), "{queue:?}");
    // The waiting visitor's line is refreshed.
    let line = widget.next_of_type("queue").await;
    assert_eq!(line["position"], 1);

    // One email, with the brief and a link that opens the conversation in the panel.
    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1, "one escalation email");
    let mail = quoted_printable(&mail[0]);
    assert!(mail.contains("To: team@example.com"), "{mail}");
    assert!(
        mail.contains("Subject: Waiting for an agent: Vera on Test bot"),
        "{mail}"
    );
    assert!(
        mail.contains("The export button gives me a blank page"),
        "{mail}"
    );
    assert!(
        mail.contains(&format!(
            "https://chat.example.com/panel#c={}",
            waiting.conversation_id
        )),
        "{mail}"
    );

    // At the full timeout the offline path runs; nothing rings a second time.
    let expired = panel.next_of_type("handoff_withdrawn").await;
    assert_eq!(expired["handoff_id"], second.as_str());
    assert_eq!(expired["reason"], "expired");
    widget.next_message("handoff_expired").await;
    let rest = panel.drain(Duration::from_millis(500)).await;
    assert!(
        rest.iter().all(|f| f["type"] != "handoff_escalated"),
        "{rest:?}"
    );
    assert_eq!(smtp.messages().len(), 1, "still one email");
    let metrics = app.state.metrics.render();
    assert!(
        metrics.contains("baton_handoff_escalations_total 1\n"),
        "{metrics}"
    );
    let accepted = app.store().handoff(first.parse().unwrap()).await.unwrap();
    assert_eq!(
        accepted.escalated_at, None,
        "an accepted handoff never rings again"
    );
}

/// The text of a quoted-printable email body: soft line breaks joined, `=XX` bytes decoded.
fn quoted_printable(raw: &str) -> String {
    let joined = raw.replace("\r\n", "\n").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

//! Delivering the outbox: signed webhooks and emails, retried with exponential backoff
//! until delivered or dead-lettered, never blocking the visitor's flow and never losing an event
//! (the outbox is written in the same transaction as the change it announces).
//!
//! Webhooks are `POST`ed with the exact stored JSON body and these headers:
//! `X-Baton-Event` (e.g. `ticket.created`), `X-Baton-Delivery` (the outbox id: the same on every
//! retry, so receivers can drop duplicates) and `X-Baton-Signature: sha256=<hex>`, the HMAC-SHA256
//! of the raw body with the workspace's webhook secret.

use std::time::Duration;

use baton_domain::contact::single_line;
use baton_domain::message::AuthorKind;
use baton_storage::{Attachment, Integrations, NewOutboxItem, OutboxItem, Ticket};
use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use sha2::Sha256;

use crate::config::{SmtpConfig, SmtpTls};
use crate::state::AppState;
use crate::views::{HandoffBrief, TicketView};

/// How many due deliveries are taken per round.
const BATCH: u32 = 50;
/// How often the queue is looked at when nothing wakes the task.
const IDLE_POLL: Duration = Duration::from_millis(500);
/// How long a receiver may take to answer.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// What a ticket event sends: a webhook when the workspace has one, and (for new tickets) an email
/// to the workspace's notification address when SMTP is configured. Both name the conversation's
/// `attachments` with a download link for the workspace's agents (their panel session opens it).
pub fn ticket_deliveries(
    ticket: &Ticket,
    event: &str,
    integrations: &Integrations,
    smtp_configured: bool,
    base_url: &str,
    attachments: &[Attachment],
) -> Vec<NewOutboxItem> {
    let mut items = Vec::new();
    let transcript_url = format!("{base_url}/panel#t={}", ticket.id);
    let file_url = |a: &Attachment| format!("{base_url}/api/v1/attachments/{}", a.id);
    if let (Some(url), Some(_)) = (&integrations.webhook_url, &integrations.webhook_secret) {
        let files: Vec<_> = attachments
            .iter()
            .map(|a| {
                json!({
                    "id": a.id,
                    "name": a.name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "url": file_url(a),
                })
            })
            .collect();
        let body = json!({
            "event": event,
            "sent_at": Timestamp::now().to_string(),
            "ticket": TicketView::from(ticket),
            "transcript_url": transcript_url,
            "attachments": files,
        });
        items.push(NewOutboxItem {
            channel: "webhook",
            event: event.to_owned(),
            destination: url.clone(),
            payload: body.to_string(),
        });
    }
    if event == "ticket.created"
        && smtp_configured
        && let Some(to) = &integrations.notification_email
    {
        let mut text = format!(
            "A visitor left their details for a follow-up.\n\nFrom: {} <{}>\nPriority: {}\nReason: {}\n\n{}\n\nTranscript: {}\n",
            ticket.contact_name.as_deref().unwrap_or("(no name)"),
            ticket.contact_email,
            ticket.priority.as_str(),
            ticket
                .reason
                .as_deref()
                .unwrap_or("(the visitor asked for a ticket)"),
            ticket.description,
            transcript_url,
        );
        if !attachments.is_empty() {
            text.push_str("\nFiles in the conversation (open while logged in to the panel):\n");
            for a in attachments {
                text.push_str(&format!(
                    "- {} ({}): {}\n",
                    single_line(&a.name),
                    baton_domain::attachment::human_size(a.size),
                    file_url(a)
                ));
            }
        }
        items.push(email_item(
            event,
            to,
            &format!("New ticket: {}", ticket.subject),
            &text,
        ));
    }
    items
}

/// The email that rings again for a handoff nobody accepted by half its accept timeout: to the
/// workspace's notification address, with the brief and a link that opens it in the panel.
pub fn escalation_email(brief: &HandoffBrief, to: &str, base_url: &str) -> NewOutboxItem {
    let visitor = brief.visitor_name.as_deref().unwrap_or("A visitor");
    let mut text = format!(
        "{visitor} has been waiting for a person on {} since {} and nobody has accepted yet.\n\n\
         Why: {}\n",
        brief.bot_name,
        readable(&brief.handoff.requested_at),
        brief.handoff.reason
    );
    if let Some(summary) = &brief.handoff.summary {
        text.push_str(&format!("About: {summary}\n"));
    }
    if let Some(deadline) = &brief.handoff.deadline_at {
        text.push_str(&format!(
            "If nobody accepts by {}, the visitor is offered to leave their details instead.\n",
            readable(deadline)
        ));
    }
    text.push_str("\nLast messages:\n");
    for m in &brief.last_messages {
        let who = match (m.author_kind, m.author_name.as_deref()) {
            (_, Some(name)) => name,
            (AuthorKind::Visitor, None) => visitor,
            (_, None) => "Notice",
        };
        text.push_str(&format!("  {who}: {}\n", single_line(&m.text)));
    }
    text.push_str(&format!(
        "\nAccept it in the Live Chat panel: {base_url}/panel#c={}\n",
        brief.handoff.conversation_id
    ));
    email_item(
        "handoff.escalated",
        to,
        &format!("Waiting for an agent: {visitor} on {}", brief.bot_name),
        &text,
    )
}

/// A conversation's transcript, emailed to its visitor at their request: every text message with
/// its author and time, oldest first.
pub fn transcript_email(
    bot_name: &str,
    messages: &[baton_storage::Message],
    to: &str,
) -> NewOutboxItem {
    let mut text = format!("Here is your conversation with {bot_name}.\n\n");
    for m in messages {
        let file = m.kind == baton_domain::message::MessageKind::Attachment;
        if m.kind != baton_domain::message::MessageKind::Text
            && m.author_kind != AuthorKind::System
            && !file
        {
            continue;
        }
        let who = match (m.author_kind, m.author_name.as_deref()) {
            (AuthorKind::Visitor, _) => "You",
            (AuthorKind::Bot, _) => bot_name,
            (_, Some(name)) => name,
            (_, None) => "Notice",
        };
        // A file by its name and size: the email may travel on, so it carries no link that
        // opens the file (the visitor downloads it in the chat).
        let body = match (&m.data, file) {
            (Some(data), true) => format!(
                "[file] {} ({})",
                m.body,
                baton_domain::attachment::human_size(data["size"].as_u64().unwrap_or(0))
            ),
            _ => m.body.clone(),
        };
        text.push_str(&format!(
            "[{}] {who}: {body}\n",
            readable(&m.created_at.to_string()),
        ));
    }
    text.push_str("\nYou received this because you asked for it in the chat.\n");
    email_item(
        "conversation.transcript",
        to,
        &format!("Your conversation with {bot_name}"),
        &text,
    )
}

/// An instant as people read it in an email: to the second, in UTC.
fn readable(instant: &str) -> String {
    instant
        .parse::<Timestamp>()
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|_| instant.to_owned())
}

/// An agent's reply to a ticket, emailed to the visitor.
pub fn reply_delivery(ticket: &Ticket, text: &str) -> NewOutboxItem {
    email_item(
        "ticket.reply",
        &ticket.contact_email,
        &format!("Re: {}", ticket.subject),
        text,
    )
}

fn email_item(event: &str, to: &str, subject: &str, text: &str) -> NewOutboxItem {
    NewOutboxItem {
        channel: "email",
        event: event.to_owned(),
        destination: to.to_owned(),
        payload: json!({ "subject": single_line(subject), "text": text }).to_string(),
    }
}

/// The signature header value for `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any size");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The wait before the next attempt after `attempts` failures.
pub fn backoff(base: Duration, attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.min(20));
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// The delivery task: runs until the server stops.
pub async fn run(state: AppState) {
    let client = match state.outbound.client(SEND_TIMEOUT) {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, "cannot build the HTTP client; webhooks will not be delivered");
            return;
        }
    };
    loop {
        let due = match state.store.due_outbox(Timestamp::now(), BATCH).await {
            Ok(due) => due,
            Err(err) => {
                tracing::error!(error = %err, "cannot read the outbox");
                Vec::new()
            }
        };
        for item in &due {
            let result = match item.channel.as_str() {
                "webhook" => send_webhook(&state, &client, item).await,
                "email" => send_email(state.config.smtp.as_ref(), item).await,
                other => Err(format!("unknown channel {other}")),
            };
            let recorded = match result {
                Ok(()) => state.store.outbox_delivered(item.id).await,
                Err(error) => {
                    let attempts = item.attempts + 1;
                    let retry_at = (attempts < state.config.outbox_max_attempts).then(|| {
                        let wait = backoff(state.config.outbox_base_delay, item.attempts);
                        Timestamp::now()
                            + SignedDuration::try_from(wait)
                                .unwrap_or(SignedDuration::from_secs(3600))
                    });
                    tracing::warn!(id = %item.id, channel = %item.channel, attempts, dead = retry_at.is_none(), %error, "delivery failed");
                    state.store.outbox_failed(item.id, &error, retry_at).await
                }
            };
            if let Err(err) = recorded {
                tracing::error!(error = %err, "cannot record a delivery outcome");
            }
        }
        if due.len() < BATCH as usize {
            tokio::select! {
                () = state.delivery_wake.notified() => {}
                () = tokio::time::sleep(IDLE_POLL) => {}
            }
        }
    }
}

async fn send_webhook(
    state: &AppState,
    client: &reqwest::Client,
    item: &OutboxItem,
) -> Result<(), String> {
    let integrations = state
        .store
        .integrations(item.workspace_id)
        .await
        .map_err(|e| e.to_string())?;
    let secret = integrations
        .webhook_secret
        .ok_or("the workspace has no webhook secret any more")?;
    // Checked again now: the operator's rules may have changed since it was saved.
    state
        .outbound
        .check_url(&item.destination)
        .map_err(|why| format!("the webhook URL is refused: {why}"))?;
    let response = client
        .post(&item.destination)
        .header("content-type", "application/json")
        .header("user-agent", concat!("Baton/", env!("CARGO_PKG_VERSION")))
        .header("x-baton-event", &item.event)
        .header("x-baton-delivery", item.id.to_string())
        .header("x-baton-signature", sign(&secret, item.payload.as_bytes()))
        .body(item.payload.clone())
        .send()
        .await
        .map_err(|e| format!("could not reach the receiver: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("the receiver answered {}", response.status()))
    }
}

async fn send_email(smtp: Option<&SmtpConfig>, item: &OutboxItem) -> Result<(), String> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let smtp = smtp.ok_or("SMTP is not configured")?;
    let payload: serde_json::Value =
        serde_json::from_str(&item.payload).map_err(|e| e.to_string())?;
    let subject = single_line(payload["subject"].as_str().unwrap_or("Baton"));
    let text = payload["text"].as_str().unwrap_or_default().to_owned();
    let message = Message::builder()
        .from(
            smtp.from
                .parse()
                .map_err(|e| format!("invalid From address: {e}"))?,
        )
        .to(item
            .destination
            .parse()
            .map_err(|e| format!("invalid recipient: {e}"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(text)
        .map_err(|e| e.to_string())?;
    let builder = match smtp.tls {
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
            .map_err(|e| e.to_string())?,
        SmtpTls::Tls => {
            AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(|e| e.to_string())?
        }
    };
    let mut builder = builder.port(smtp.port).timeout(Some(SEND_TIMEOUT));
    if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    builder
        .build()
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| format!("SMTP failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_of_the_raw_body() {
        // RFC 4231 test case 2.
        let signature = sign("Jefe", b"what do ya want for nothing?");
        assert_eq!(
            signature,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_secs(2);
        assert_eq!(backoff(base, 0), Duration::from_secs(2));
        assert_eq!(backoff(base, 3), Duration::from_secs(16));
        assert_eq!(backoff(base, 30), MAX_BACKOFF);
    }
}

//! The offline path: when no live handoff can be offered, the visitor is asked for
//! contact details — by an inline form or in plain chat — and a ticket is created; the AI then
//! resumes. Declining goes straight back to the AI.

use baton_domain::contact::{self, ContactEmail, LeadReply};
use baton_domain::ids::ConversationId;
use baton_domain::message::{AuthorKind, ClientMessageId, MessageKind};
use baton_domain::notes;
use baton_domain::ownership::{Owner, Speaker};
use baton_domain::ticket;
use baton_storage::{Bot, Captured, Conversation, LeadPrompt, NewMessage, NewTicket, Ticket};
use serde_json::json;

use crate::events::{Event, TicketChange};
use crate::service::visitor_texts::bot_text;
use crate::service::{ServiceError, ServiceResult};
use crate::state::AppState;
use crate::views::TicketView;
use baton_domain::texts::TextKey;

/// Contact details submitted by the visitor (form or chat).
pub struct LeadSubmission<'a> {
    pub client_key: &'a str,
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
}

impl AppState {
    /// The prompt that asks for contact details, with the form prefilled from the conversation.
    pub(crate) async fn lead_prompt(&self, bot: &Bot, conversation: &Conversation) -> LeadPrompt {
        let description = self.problem_summary(conversation.id).await;
        // A visitor the site vouched for is not asked for the email it already gave.
        let known_email = match self.store.known_visitor(conversation.id).await {
            Ok(known) => known.and_then(|k| k.email),
            Err(_) => None,
        };
        LeadPrompt {
            text: bot_text(bot, TextKey::LeadCapturePrompt, conversation.lang).to_owned(),
            form: json!({
                "email": known_email.unwrap_or_default(),
                "name": conversation.visitor_name,
                "description": description,
            }),
        }
    }

    /// A short description of the visitor's problem from the conversation: their first question,
    /// and their latest message when it differs.
    async fn problem_summary(&self, id: ConversationId) -> String {
        let messages = self.store.messages(id, 0, 200).await.unwrap_or_default();
        let mut visitor = messages
            .iter()
            .filter(|m| m.kind == MessageKind::Text && m.author_kind == AuthorKind::Visitor)
            .map(|m| m.body.as_str());
        let first = visitor.next();
        let last = visitor.next_back().or(first);
        let text = match (first, last) {
            (Some(f), Some(l)) if f != l => format!("{f}\n…\n{l}"),
            (Some(f), _) => f.to_owned(),
            _ => String::new(),
        };
        text.chars().take(contact::MAX_DESCRIPTION_CHARS).collect()
    }

    /// The visitor asks to leave details for a ticket at any time.
    pub async fn request_ticket(&self, conversation: &Conversation) -> ServiceResult<()> {
        let bot = self.store.bot(conversation.bot_id).await?;
        if !bot.handoff.lead_capture_enabled {
            return Err(ServiceError::conflict(
                "this assistant does not take messages for the team",
            ));
        }
        let prompt = self.lead_prompt(&bot, conversation).await;
        let change = self.store.request_ticket(conversation.id, &prompt).await?;
        self.publish_state(&change.conversation).await;
        Ok(())
    }

    /// The visitor declines to leave details.
    pub async fn decline_lead(&self, conversation: &Conversation) -> ServiceResult<()> {
        let change = self
            .store
            .decline_lead(conversation.id, notes::back_with_ai(conversation.lang))
            .await?;
        self.publish_state(&change.conversation).await;
        Ok(())
    }

    /// Validates the details and creates the ticket (once per client key).
    pub async fn submit_lead(
        &self,
        conversation: &Conversation,
        lead: LeadSubmission<'_>,
    ) -> ServiceResult<Captured> {
        // Outside lead capture a submission can only be a replay of one already stored; anything
        // else is refused as such before its fields are judged.
        let not_collecting = conversation.owner != Owner::LeadCapture;
        let refuse = |err: ServiceError| {
            if not_collecting {
                ServiceError::Refused(baton_domain::ownership::Refusal::NotCapturing)
            } else {
                err
            }
        };
        let email = ContactEmail::parse(lead.email)
            .map_err(|p| refuse(ServiceError::invalid("email", p.to_string())))?;
        let name = contact::parse_name(lead.name)
            .map_err(|p| refuse(ServiceError::invalid("name", p.to_string())))?;
        let summary = self.problem_summary(conversation.id).await;
        let description = match lead.description {
            Some(d) => contact::parse_description(d)
                .map_err(|p| refuse(ServiceError::invalid("description", p.to_string())))?,
            None => String::new(),
        };
        // A blank description is filled from the conversation, like an absent one.
        let description = if description.is_empty() {
            summary.clone()
        } else {
            description
        };
        let client_key = ClientMessageId::parse(lead.client_key)
            .map_err(|e| ServiceError::invalid("client_id", e.to_string()))?;
        let bot = self.store.bot(conversation.bot_id).await?;
        let handoff = self.latest_handoff_summary(conversation.id).await;
        let first_question = summary.lines().next().unwrap_or_default().to_owned();
        let subject = ticket::subject_from(
            handoff
                .as_ref()
                .and_then(|(_, s)| s.as_deref())
                .unwrap_or(&first_question),
        );
        let priority = ticket::default_priority(handoff.map(|(t, _)| t));
        let integrations = self
            .store
            .integrations(conversation.workspace_id)
            .await
            .unwrap_or_default();
        let smtp = self.config.smtp.is_some();
        let base = self.public_base();
        let files = self
            .store
            .conversation_attachments(conversation.id)
            .await
            .unwrap_or_default();
        let captured = self
            .store
            .capture_lead(
                conversation.id,
                NewTicket {
                    contact_email: email.as_str().to_owned(),
                    contact_name: name,
                    subject,
                    description,
                    priority,
                    client_key: client_key.as_str().to_owned(),
                },
                bot_text(&bot, TextKey::LeadCaptureSuccess, conversation.lang),
                move |ticket| {
                    crate::delivery::ticket_deliveries(
                        ticket,
                        "ticket.created",
                        &integrations,
                        smtp,
                        &base,
                        &files,
                    )
                },
            )
            .await?;
        if !captured.replayed {
            self.publish_state(&captured.conversation).await;
            self.publish_ticket(TicketChange::Created, &captured.ticket)
                .await;
            self.wake(crate::cluster::Job::Outbox);
        }
        Ok(captured)
    }

    /// The trigger and summary of the conversation's latest handoff, if any.
    async fn latest_handoff_summary(
        &self,
        id: ConversationId,
    ) -> Option<(baton_domain::handoff::Trigger, Option<String>)> {
        let messages = self.store.messages(id, 0, 500).await.ok()?;
        let handoff_id = messages
            .iter()
            .rev()
            .find(|m| {
                matches!(
                    m.kind,
                    MessageKind::HandoffRequested | MessageKind::HandoffOffline
                )
            })
            .and_then(|m| m.data.as_ref()?.get("handoff_id")?.as_str()?.parse().ok())?;
        let handoff = self.store.handoff(handoff_id).await.ok()?;
        Some((handoff.trigger, handoff.summary))
    }

    /// A visitor message while details are being collected: an address creates the ticket, an
    /// invalid one gets a re-prompt naming the problem, "no thanks" goes back to the AI.
    pub(crate) async fn read_lead_message(
        &self,
        conversation: &Conversation,
        message_id: &str,
        text: &str,
    ) {
        let outcome = match contact::read_lead_reply(text) {
            LeadReply::Email(email) => {
                let key = format!("msg-{message_id}");
                let lead = LeadSubmission {
                    client_key: &key,
                    email: email.as_str(),
                    name: None,
                    description: None,
                };
                match self.submit_lead(conversation, lead).await {
                    Ok(_) => return,
                    Err(err) => {
                        tracing::warn!(error = %err, "details from the chat not saved");
                        Some(notes::lead_not_saved(conversation.lang).to_owned())
                    }
                }
            }
            LeadReply::InvalidEmail(problem) => {
                Some(notes::lead_retry(conversation.lang, &problem))
            }
            LeadReply::Declined => {
                if let Err(err) = self.decline_lead(conversation).await {
                    tracing::debug!(error = %err, "decline not applied");
                }
                return;
            }
            LeadReply::Unclear => Some(notes::lead_unclear(conversation.lang).to_owned()),
        };
        if let Some(text) = outcome {
            let note = NewMessage::system(MessageKind::LeadRetry, text, json!({}));
            match self
                .store
                .append_message(conversation.id, Speaker::System, note, true)
                .await
            {
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "could not store a lead re-prompt"),
            }
        }
    }

    /// Sends a ticket's change to the workspace's panels, here and (as the ticket's id: it
    /// carries the visitor's words) on the other processes.
    pub(crate) async fn publish_ticket(&self, event: TicketChange, ticket: &Ticket) {
        self.publish_ticket_frame(event, ticket).await;
        self.announce(crate::cluster::Notice::Ticket {
            event,
            ticket_id: ticket.id,
        });
    }

    async fn publish_ticket_frame(&self, event: TicketChange, ticket: &Ticket) {
        let open = self
            .store
            .open_ticket_count(ticket.workspace_id)
            .await
            .unwrap_or(0);
        self.hub.publish_workspace_here(
            ticket.workspace_id,
            Event::ticket(event, TicketView::from(ticket), open)
                .to_json()
                .into(),
        );
    }

    /// Reads a ticket and sends its change to this process's panels.
    pub(crate) async fn publish_ticket_here(&self, event: TicketChange, ticket_id: uuid::Uuid) {
        match self.store.ticket(ticket_id).await {
            Ok(ticket) => self.publish_ticket_frame(event, &ticket).await,
            Err(err) => tracing::warn!(error = %err, "could not load a ticket"),
        }
    }

    /// The base URL for links in emails and webhooks.
    pub(crate) fn public_base(&self) -> String {
        self.config.public_url.clone().unwrap_or_default()
    }

    /// The base URL for links that must work on their own, outside any page of ours (a signed
    /// attachment link in FreshChat): the public URL, else the address this server listens on.
    pub(crate) fn absolute_base(&self) -> String {
        self.config
            .public_url
            .clone()
            .or_else(|| self.listen_url.get().cloned())
            .unwrap_or_default()
    }
}

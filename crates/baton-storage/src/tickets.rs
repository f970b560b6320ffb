//! The offline path's storage: collecting contact details, tickets and their notes,
//! workspace integration settings, and the durable outbox for emails and webhooks.
//!
//! Outbox entries are written in the same transaction as the change they announce, so an event
//! is never lost between "ticket stored" and "webhook queued", whatever crashes when.

use crate::db::{Value, params};
use baton_domain::entity::Entity;
use baton_domain::handoff::Trigger;
use baton_domain::ids::{AgentId, BotId, ConversationId, WorkspaceId};
use baton_domain::message::MessageKind;
use baton_domain::ownership::{self, Command};
use baton_domain::ticket::{TicketPriority, TicketStatus};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conversations::{insert_message, load_conversation, set_owner};
use crate::handoffs::LeadPrompt;
use crate::row::{Cols, id, opt_id, opt_ts, ts};
use crate::time::{format_timestamp, now};
use crate::writer::Tx;
use crate::{Conversation, Message, NewMessage, Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub bot_id: BotId,
    pub conversation_id: ConversationId,
    pub contact_email: String,
    pub contact_name: Option<String>,
    pub subject: String,
    pub description: String,
    pub trigger: Option<Trigger>,
    pub reason: Option<String>,
    pub status: TicketStatus,
    pub priority: TicketPriority,
    pub assignee_id: Option<AgentId>,
    /// Joined for display: the bot's name and the assignee's.
    pub bot_name: String,
    pub assignee_name: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Ticket {
    const SELECT: &'static str = "SELECT t.id, t.workspace_id, t.bot_id, t.conversation_id, \
        t.contact_email, t.contact_name, t.subject, t.description, t.trigger_kind, t.reason, \
        t.status, t.priority, t.assignee_id, t.created_at, t.updated_at, b.name AS bot_name, \
        a.display_name AS assignee_name FROM tickets t JOIN bots b ON b.id = t.bot_id \
        LEFT JOIN agents a ON a.id = t.assignee_id";

    fn from_row(row: &dyn Cols) -> Result<Ticket, StoreError> {
        let trigger = row.opt_text("trigger_kind")?;
        let status = row.text("status")?;
        let priority = row.text("priority")?;
        Ok(Ticket {
            id: id(row, "id")?,
            workspace_id: id(row, "workspace_id")?,
            bot_id: id(row, "bot_id")?,
            conversation_id: id(row, "conversation_id")?,
            contact_email: row.text("contact_email")?,
            contact_name: row.opt_text("contact_name")?,
            subject: row.text("subject")?,
            description: row.text("description")?,
            trigger: trigger
                .map(|t| {
                    t.parse()
                        .map_err(|_| StoreError::Corrupt("tickets.trigger_kind"))
                })
                .transpose()?,
            reason: row.opt_text("reason")?,
            status: status
                .parse()
                .map_err(|_| StoreError::Corrupt("tickets.status"))?,
            priority: priority
                .parse()
                .map_err(|_| StoreError::Corrupt("tickets.priority"))?,
            assignee_id: opt_id(row, "assignee_id")?,
            bot_name: row.text("bot_name")?,
            assignee_name: row.opt_text("assignee_name")?,
            created_at: ts(row, "created_at")?,
            updated_at: ts(row, "updated_at")?,
        })
    }
}

/// A ticket to create from captured contact details.
#[derive(Clone, Debug)]
pub struct NewTicket {
    pub contact_email: String,
    pub contact_name: Option<String>,
    pub subject: String,
    pub description: String,
    pub priority: TicketPriority,
    /// The visitor's idempotency key for the submission.
    pub client_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketNote {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub agent_id: AgentId,
    pub agent_name: String,
    /// `note` (internal) or `reply` (emailed to the visitor).
    pub kind: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// Which tickets to list.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub status: Option<TicketStatus>,
    pub priority: Option<TicketPriority>,
    pub bot_id: Option<BotId>,
    pub assignee_id: Option<AgentId>,
    pub limit: u32,
}

/// A change to a ticket's status, priority or assignee (`Some(None)` unassigns).
#[derive(Clone, Debug, Default)]
pub struct TicketUpdate {
    pub status: Option<TicketStatus>,
    pub priority: Option<TicketPriority>,
    pub assignee_id: Option<Option<AgentId>>,
}

/// A workspace's outbound integrations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Integrations {
    pub notification_email: Option<String>,
    pub webhook_url: Option<String>,
    /// Present when a secret exists; the API reports only whether it does.
    pub webhook_secret: Option<String>,
    /// The workspace's OpenAI-compatible model; `None` uses the server's default engine.
    pub llm_base_url: Option<String>,
    pub llm_model: Option<String>,
    /// Never returned by the API.
    pub llm_api_key: Option<String>,
}

/// Something to deliver outside Baton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOutboxItem {
    /// `webhook`, `email` or `freshchat`.
    pub channel: &'static str,
    pub event: String,
    pub destination: String,
    pub payload: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub channel: String,
    pub event: String,
    pub destination: String,
    pub payload: String,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    pub attempts: u32,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

/// How many outbox rows of one channel are in one status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxCount {
    pub channel: String,
    /// `pending` or `dead`.
    pub status: String,
    pub rows: u64,
}

impl OutboxItem {
    pub(crate) const COLUMNS: &'static str = "id, workspace_id, channel, event, destination, payload, status, \
        attempts, next_attempt_at, last_error, created_at, delivered_at";

    pub(crate) fn from_row(row: &dyn Cols) -> Result<OutboxItem, StoreError> {
        let attempts = row.int("attempts")?;
        Ok(OutboxItem {
            id: id(row, "id")?,
            workspace_id: id(row, "workspace_id")?,
            channel: row.text("channel")?,
            event: row.text("event")?,
            destination: row.text("destination")?,
            payload: row.text("payload")?,
            status: row.text("status")?,
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            next_attempt_at: ts(row, "next_attempt_at")?,
            last_error: row.opt_text("last_error")?,
            created_at: ts(row, "created_at")?,
            delivered_at: opt_ts(row, "delivered_at")?,
        })
    }
}

/// The outcome of capturing a lead.
#[derive(Clone, Debug)]
pub struct Captured {
    pub ticket: Ticket,
    /// The same submission was stored before: nothing new was written.
    pub replayed: bool,
    pub conversation: Conversation,
    pub messages: Vec<Message>,
}

/// A change of the conversation's owner with the entries written.
#[derive(Clone, Debug)]
pub struct LeadChange {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
}

impl Store {
    /// The visitor asks to leave details for a ticket: the conversation starts collecting them.
    pub async fn request_ticket(
        &self,
        conversation_id: ConversationId,
        prompt: &LeadPrompt,
    ) -> Result<LeadChange, StoreError> {
        let note = prompt.message();
        self.writer
            .write(move |c| {
                let mut conversation = load_conversation(c, conversation_id)?;
                let transition = ownership::apply(conversation.owner, Command::RequestTicket)?;
                set_owner(c, &mut conversation, transition.to)?;
                let message = insert_message(c, &mut conversation, note)?;
                Ok(LeadChange {
                    conversation,
                    messages: vec![message],
                })
            })
            .await
    }

    /// The visitor declines to leave details; the AI takes the conversation back.
    pub async fn decline_lead(
        &self,
        conversation_id: ConversationId,
        visitor_text: &str,
    ) -> Result<LeadChange, StoreError> {
        let note = NewMessage::system(
            MessageKind::LeadDeclined,
            visitor_text,
            serde_json::json!({}),
        );
        self.writer
            .write(move |c| {
                let mut conversation = load_conversation(c, conversation_id)?;
                let transition = ownership::apply(conversation.owner, Command::LeadDeclined)?;
                set_owner(c, &mut conversation, transition.to)?;
                let message = insert_message(c, &mut conversation, note)?;
                Ok(LeadChange {
                    conversation,
                    messages: vec![message],
                })
            })
            .await
    }

    /// Creates the ticket from valid contact details, once per `client_key`: the conversation
    /// returns to the AI, the visitor reads `success_text`, and `outbox` (given the new ticket)
    /// is queued in the same transaction. The handoff's trigger, reason and summary come from the
    /// conversation's latest handoff, if any.
    pub async fn capture_lead(
        &self,
        conversation_id: ConversationId,
        new: NewTicket,
        success_text: &str,
        outbox: impl FnOnce(&Ticket) -> Vec<NewOutboxItem> + Clone + Send + 'static,
    ) -> Result<Captured, StoreError> {
        let success_text = success_text.to_owned();
        self.writer
            .write(move |c| capture(c, conversation_id, new, &success_text, outbox))
            .await
    }

    pub async fn ticket(&self, ticket_id: Uuid) -> Result<Ticket, StoreError> {
        let sql = format!("{} WHERE t.id = $1", Ticket::SELECT);
        let row = self
            .reader
            .fetch_optional(&sql, params![ticket_id.to_string()])
            .await?
            .ok_or(StoreError::NotFound(Entity::Ticket))?;
        Ticket::from_row(&row)
    }

    /// A workspace's tickets, most recently updated first.
    pub async fn tickets(
        &self,
        workspace_id: WorkspaceId,
        filter: &TicketFilter,
    ) -> Result<Vec<Ticket>, StoreError> {
        let sql = format!(
            "{} WHERE t.workspace_id = $1 AND ($2 IS NULL OR t.status = $2) \
             AND ($3 IS NULL OR t.priority = $3) AND ($4 IS NULL OR t.bot_id = $4) \
             AND ($5 IS NULL OR t.assignee_id = $5) ORDER BY t.updated_at DESC, t.id DESC LIMIT $6",
            Ticket::SELECT
        );
        let rows = self
            .reader
            .fetch_all(
                &sql,
                params![
                    workspace_id.to_string(),
                    filter.status.map(|s| s.as_str()),
                    filter.priority.map(|p| p.as_str()),
                    filter.bot_id.map(|b| b.to_string()),
                    filter.assignee_id.map(|a| a.to_string()),
                    i64::from(filter.limit.clamp(1, 500)),
                ],
            )
            .await?;
        rows.iter().map(|r| Ticket::from_row(r)).collect()
    }

    /// How many of the workspace's tickets are not resolved.
    pub async fn open_ticket_count(&self, workspace_id: WorkspaceId) -> Result<u32, StoreError> {
        let row = self.reader.fetch_one("SELECT COUNT(*) AS n FROM tickets WHERE workspace_id = $1 AND status <> 'resolved'", params![workspace_id.to_string()])
        .await?;
        let n = row.int("n")?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Queues deliveries that belong to no ticket (a transcript emailed to a visitor).
    pub async fn queue_outbox(
        &self,
        workspace_id: WorkspaceId,
        items: Vec<NewOutboxItem>,
    ) -> Result<(), StoreError> {
        self.writer
            .write(move |c| {
                for item in &items {
                    insert_outbox(c, workspace_id, item)?;
                }
                Ok(())
            })
            .await
    }

    /// Applies `update`, queueing `outbox` (given the updated ticket) in the same transaction.
    pub async fn update_ticket(
        &self,
        ticket_id: Uuid,
        update: &TicketUpdate,
        outbox: impl FnOnce(&Ticket) -> Vec<NewOutboxItem> + Clone + Send + 'static,
    ) -> Result<Ticket, StoreError> {
        let update = update.clone();
        self.writer
            .write(move |c| {
                let mut ticket = load_ticket(c, "t.id = $1", params![ticket_id.to_string()])?
                    .ok_or(StoreError::NotFound(Entity::Ticket))?;
                if let Some(status) = update.status {
                    ticket.status = status;
                }
                if let Some(priority) = update.priority {
                    ticket.priority = priority;
                }
                if let Some(assignee) = update.assignee_id {
                    ticket.assignee_id = assignee;
                    ticket.assignee_name = assignee.map(|a| agent_name(c, a)).transpose()?;
                }
                ticket.updated_at = now();
                c.execute(
                    "UPDATE tickets SET status = $1, priority = $2, assignee_id = $3, \
                     updated_at = $4 WHERE id = $5",
                    params![
                        ticket.status.as_str(),
                        ticket.priority.as_str(),
                        ticket.assignee_id.map(|a| a.to_string()),
                        format_timestamp(ticket.updated_at),
                        ticket_id.to_string(),
                    ],
                )?;
                for item in outbox(&ticket) {
                    insert_outbox(c, ticket.workspace_id, &item)?;
                }
                Ok(ticket)
            })
            .await
    }

    /// Adds an internal note or a reply to the visitor (queueing `outbox` with it).
    pub async fn add_ticket_note(
        &self,
        ticket: &Ticket,
        agent_id: AgentId,
        kind: &'static str,
        body: &str,
        outbox: Vec<NewOutboxItem>,
    ) -> Result<TicketNote, StoreError> {
        let note = TicketNote {
            id: Uuid::now_v7(),
            ticket_id: ticket.id,
            agent_id,
            agent_name: String::new(),
            kind: kind.to_owned(),
            body: body.to_owned(),
            created_at: now(),
        };
        let workspace_id = ticket.workspace_id;
        self.writer
            .write(move |c| {
                let at = format_timestamp(note.created_at);
                c.execute(
                    "INSERT INTO ticket_notes (id, ticket_id, agent_id, kind, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    params![
                        note.id.to_string(),
                        note.ticket_id.to_string(),
                        agent_id.to_string(),
                        note.kind,
                        note.body,
                        at,
                    ],
                )?;
                c.execute(
                    "UPDATE tickets SET updated_at = $1 WHERE id = $2",
                    params![at, note.ticket_id.to_string()],
                )?;
                for item in &outbox {
                    insert_outbox(c, workspace_id, item)?;
                }
                Ok(TicketNote {
                    agent_name: agent_name(c, agent_id)?,
                    ..note
                })
            })
            .await
    }

    pub async fn ticket_notes(&self, ticket_id: Uuid) -> Result<Vec<TicketNote>, StoreError> {
        let rows = self.reader.fetch_all("SELECT n.id, n.ticket_id, n.agent_id, a.display_name, n.kind, n.body, n.created_at \
             FROM ticket_notes n JOIN agents a ON a.id = n.agent_id WHERE n.ticket_id = $1 \
             ORDER BY n.created_at, n.id", params![ticket_id.to_string()])
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TicketNote {
                    id: id(row, "id")?,
                    ticket_id: id(row, "ticket_id")?,
                    agent_id: id(row, "agent_id")?,
                    agent_name: row.text("display_name")?,
                    kind: row.text("kind")?,
                    body: row.text("body")?,
                    created_at: ts(row, "created_at")?,
                })
            })
            .collect()
    }

    pub async fn integrations(
        &self,
        workspace_id: WorkspaceId,
    ) -> Result<Integrations, StoreError> {
        let row = self
            .reader
            .fetch_optional(
                "SELECT notification_email, webhook_url, webhook_secret, llm_base_url, llm_model, \
             llm_api_key FROM workspaces WHERE id = $1",
                params![workspace_id.to_string()],
            )
            .await?
            .ok_or(StoreError::NotFound(Entity::Workspace))?;
        Ok(Integrations {
            notification_email: row.opt_text("notification_email")?,
            webhook_url: row.opt_text("webhook_url")?,
            webhook_secret: row.opt_text("webhook_secret")?,
            llm_base_url: row.opt_text("llm_base_url")?,
            llm_model: row.opt_text("llm_model")?,
            llm_api_key: row.opt_text("llm_api_key")?,
        })
    }

    pub async fn set_integrations(
        &self,
        workspace_id: WorkspaceId,
        integrations: &Integrations,
    ) -> Result<(), StoreError> {
        let i = integrations.clone();
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE workspaces SET notification_email = $1, webhook_url = $2, \
                     webhook_secret = $3, llm_base_url = $4, llm_model = $5, llm_api_key = $6 \
                     WHERE id = $7",
                    params![
                        i.notification_email,
                        i.webhook_url,
                        i.webhook_secret,
                        i.llm_base_url,
                        i.llm_model,
                        i.llm_api_key,
                        workspace_id.to_string(),
                    ],
                )?;
                Ok(())
            })
            .await
    }

    /// Pending deliveries whose time has come, oldest first. FreshChat deliveries have their own
    /// queue, in order per conversation (`due_freshchat_outbox`).
    pub async fn due_outbox(
        &self,
        at: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let sql = format!(
            "SELECT {} FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
             AND channel <> 'freshchat' ORDER BY next_attempt_at, id LIMIT $2",
            OutboxItem::COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![format_timestamp(at), i64::from(limit)])
            .await?;
        rows.iter().map(|r| OutboxItem::from_row(r)).collect()
    }

    /// The workspace's deliveries with this status (`pending`, `delivered`, `dead`), newest first.
    pub async fn outbox(
        &self,
        workspace_id: WorkspaceId,
        status: &str,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let sql = format!(
            "SELECT {} FROM outbox WHERE workspace_id = $1 AND status = $2 ORDER BY created_at DESC, id DESC LIMIT $3",
            OutboxItem::COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(
                &sql,
                params![
                    workspace_id.to_string(),
                    status,
                    i64::from(limit.clamp(1, 500))
                ],
            )
            .await?;
        rows.iter().map(|r| OutboxItem::from_row(r)).collect()
    }

    /// How many deliveries are pending and dead, per channel, across every workspace.
    pub async fn outbox_counts(&self) -> Result<Vec<OutboxCount>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT channel, status, COUNT(*) AS n FROM outbox \
                 WHERE status IN ('pending', 'dead') GROUP BY channel, status",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxCount {
                    channel: r.text("channel")?,
                    status: r.text("status")?,
                    rows: u64::try_from(r.int("n")?).unwrap_or(0),
                })
            })
            .collect()
    }

    pub async fn outbox_delivered(&self, item_id: Uuid) -> Result<(), StoreError> {
        let at = format_timestamp(now());
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, \
                     delivered_at = $1, last_error = NULL WHERE id = $2 AND status = 'pending'",
                    params![at, item_id.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    /// Records a failed attempt: retried at `retry_at`, or dead-lettered when `None`.
    pub async fn outbox_failed(
        &self,
        item_id: Uuid,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        let (status, next) = match retry_at {
            Some(at) => ("pending", at),
            None => ("dead", now()),
        };
        let error = error.to_owned();
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE outbox SET status = $1, attempts = attempts + 1, next_attempt_at = $2, \
                     last_error = $3 WHERE id = $4 AND status = 'pending'",
                    params![status, format_timestamp(next), error, item_id.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    /// Puts a dead-lettered delivery back in the queue (an admin's "retry").
    pub async fn outbox_retry(
        &self,
        workspace_id: WorkspaceId,
        item_id: Uuid,
    ) -> Result<(), StoreError> {
        self.writer
            .write(move |c| {
                let changed = c.execute(
                    "UPDATE outbox SET status = 'pending', next_attempt_at = $1 \
                         WHERE id = $2 AND workspace_id = $3 AND status = 'dead'",
                    params![
                        format_timestamp(now()),
                        item_id.to_string(),
                        workspace_id.to_string(),
                    ],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound(Entity::Delivery));
                }
                Ok(())
            })
            .await
    }

    /// Queues a delivery on its own (outside any other change).
    pub async fn enqueue_outbox(
        &self,
        workspace_id: WorkspaceId,
        item: &NewOutboxItem,
    ) -> Result<(), StoreError> {
        let item = item.clone();
        self.writer
            .write(move |c| insert_outbox(c, workspace_id, &item))
            .await
    }
}

/// Creates the ticket (once per client key) and returns the conversation to the AI.
fn capture(
    c: &Tx<'_>,
    conversation_id: ConversationId,
    new: NewTicket,
    success_text: &str,
    outbox: impl FnOnce(&Ticket) -> Vec<NewOutboxItem>,
) -> Result<Captured, StoreError> {
    let by_key = load_ticket(
        c,
        "t.conversation_id = $1 AND t.client_key = $2",
        params![conversation_id.to_string(), new.client_key],
    )?;
    if let Some(ticket) = by_key {
        return Ok(Captured {
            ticket,
            replayed: true,
            conversation: load_conversation(c, conversation_id)?,
            messages: Vec::new(),
        });
    }
    let mut conversation = load_conversation(c, conversation_id)?;
    let transition = ownership::apply(conversation.owner, Command::LeadCaptured)?;
    let latest = c.query_opt(
        "SELECT trigger_kind, reason FROM handoffs WHERE conversation_id = $1 \
         ORDER BY requested_at DESC LIMIT 1",
        params![conversation_id.to_string()],
        |row| Ok((row.text("trigger_kind")?, row.opt_text("reason")?)),
    )?;
    let (trigger, reason) = match latest {
        Some((trigger, reason)) => (trigger.parse::<Trigger>().ok(), reason),
        None => (None, None),
    };
    let bot_name = c
        .query_opt(
            "SELECT name FROM bots WHERE id = $1",
            params![conversation.bot_id.to_string()],
            |row| row.text("name"),
        )?
        .ok_or(StoreError::NotFound(Entity::Bot))?;
    let at = now();
    let ticket = Ticket {
        id: Uuid::now_v7(),
        workspace_id: conversation.workspace_id,
        bot_id: conversation.bot_id,
        conversation_id,
        contact_email: new.contact_email,
        contact_name: new.contact_name,
        subject: new.subject,
        description: new.description,
        trigger,
        reason,
        status: TicketStatus::Open,
        priority: new.priority,
        assignee_id: None,
        bot_name,
        assignee_name: None,
        created_at: at,
        updated_at: at,
    };
    c.execute(
        "INSERT INTO tickets (id, workspace_id, bot_id, conversation_id, contact_email, \
         contact_name, subject, description, trigger_kind, reason, status, priority, \
         assignee_id, client_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14, $14)",
        params![
            ticket.id.to_string(),
            ticket.workspace_id.to_string(),
            ticket.bot_id.to_string(),
            conversation_id.to_string(),
            ticket.contact_email,
            ticket.contact_name,
            ticket.subject,
            ticket.description,
            ticket.trigger.map(|t| t.as_str()),
            ticket.reason,
            ticket.status.as_str(),
            ticket.priority.as_str(),
            new.client_key,
            format_timestamp(at),
        ],
    )?;
    for item in outbox(&ticket) {
        insert_outbox(c, ticket.workspace_id, &item)?;
    }
    set_owner(c, &mut conversation, transition.to)?;
    let note = NewMessage::system(
        MessageKind::LeadCaptured,
        success_text,
        serde_json::json!({ "ticket_id": ticket.id, "email": ticket.contact_email }),
    );
    let message = insert_message(c, &mut conversation, note)?;
    Ok(Captured {
        ticket,
        replayed: false,
        conversation,
        messages: vec![message],
    })
}

/// The ticket matching `condition` (over `t`, the tickets table), inside a write.
fn load_ticket(
    c: &Tx<'_>,
    condition: &str,
    params: &[Value],
) -> Result<Option<Ticket>, StoreError> {
    let sql = format!(
        "{} WHERE {condition}{}",
        Ticket::SELECT,
        c.dialect().for_update_of("t")
    );
    c.query_opt(&sql, params, |r| Ticket::from_row(r))
}

fn agent_name(c: &Tx<'_>, agent_id: AgentId) -> Result<String, StoreError> {
    c.query_opt(
        "SELECT display_name FROM agents WHERE id = $1",
        params![agent_id.to_string()],
        |row| row.text("display_name"),
    )?
    .ok_or(StoreError::NotFound(Entity::Agent))
}

pub(crate) fn insert_outbox(
    c: &Tx<'_>,
    workspace_id: WorkspaceId,
    item: &NewOutboxItem,
) -> Result<(), StoreError> {
    let at = format_timestamp(now());
    c.execute(
        "INSERT INTO outbox (id, workspace_id, channel, event, destination, payload, status, \
         attempts, next_attempt_at, last_error, created_at, delivered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, NULL, $7, NULL)",
        params![
            Uuid::now_v7().to_string(),
            workspace_id.to_string(),
            item.channel,
            item.event,
            item.destination,
            item.payload,
            at,
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Store, StoreOptions};

    fn webhook() -> NewOutboxItem {
        NewOutboxItem {
            channel: "webhook",
            event: "ticket.created".into(),
            destination: "https://hooks.example.com/baton".into(),
            payload: "{}".into(),
        }
    }

    #[tokio::test]
    async fn the_outbox_is_counted_by_channel_and_status() {
        let dir = std::env::temp_dir().join(format!("baton-outbox-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open_sqlite(&dir.join("baton.db"), StoreOptions::default())
            .await
            .unwrap();
        assert!(store.outbox_counts().await.unwrap().is_empty());
        let workspace = store.create_workspace("Counted").await.unwrap();
        for _ in 0..3 {
            store
                .enqueue_outbox(workspace.id, &webhook())
                .await
                .unwrap();
        }
        let email = NewOutboxItem {
            channel: "email",
            ..webhook()
        };
        store.enqueue_outbox(workspace.id, &email).await.unwrap();
        let due = store
            .due_outbox(Timestamp::now() + jiff::SignedDuration::from_secs(1), 10)
            .await
            .unwrap();
        let first_webhook = due.iter().find(|i| i.channel == "webhook").unwrap();
        store
            .outbox_failed(first_webhook.id, "refused", None)
            .await
            .unwrap();
        let delivered = due.iter().find(|i| i.channel == "email").unwrap();
        store.outbox_delivered(delivered.id).await.unwrap();

        let mut counts = store.outbox_counts().await.unwrap();
        counts.sort_by(|a, b| (&a.channel, &a.status).cmp(&(&b.channel, &b.status)));
        let row = |channel: &str, status: &str, rows| OutboxCount {
            channel: channel.into(),
            status: status.into(),
            rows,
        };
        assert_eq!(
            counts,
            vec![row("webhook", "dead", 1), row("webhook", "pending", 2)]
        );
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! The offline path's storage (issue 4): collecting contact details, tickets and their notes,
//! workspace integration settings, and the durable outbox for emails and webhooks.
//!
//! Outbox entries are written in the same transaction as the change they announce, so an event
//! is never lost between "ticket stored" and "webhook queued", whatever crashes when.

use baton_domain::handoff::Trigger;
use baton_domain::ids::{AgentId, BotId, ConversationId, WorkspaceId};
use baton_domain::message::MessageKind;
use baton_domain::ownership::{self, Command};
use baton_domain::ticket::{TicketPriority, TicketStatus};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use uuid::Uuid;

use crate::conversations::{Tx, insert_message, load_conversation, set_owner};
use crate::handoffs::LeadPrompt;
use crate::records::{id, opt_id, opt_ts, ts};
use crate::time::{format_timestamp, now};
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

    fn from_row(row: &SqliteRow) -> Result<Ticket, StoreError> {
        let trigger: Option<String> = row.try_get("trigger_kind")?;
        let status: String = row.try_get("status")?;
        let priority: String = row.try_get("priority")?;
        Ok(Ticket {
            id: id(row, "id")?,
            workspace_id: id(row, "workspace_id")?,
            bot_id: id(row, "bot_id")?,
            conversation_id: id(row, "conversation_id")?,
            contact_email: row.try_get("contact_email")?,
            contact_name: row.try_get("contact_name")?,
            subject: row.try_get("subject")?,
            description: row.try_get("description")?,
            trigger: trigger
                .map(|t| {
                    t.parse()
                        .map_err(|_| StoreError::Corrupt("tickets.trigger_kind"))
                })
                .transpose()?,
            reason: row.try_get("reason")?,
            status: status
                .parse()
                .map_err(|_| StoreError::Corrupt("tickets.status"))?,
            priority: priority
                .parse()
                .map_err(|_| StoreError::Corrupt("tickets.priority"))?,
            assignee_id: opt_id(row, "assignee_id")?,
            bot_name: row.try_get("bot_name")?,
            assignee_name: row.try_get("assignee_name")?,
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

impl OutboxItem {
    pub(crate) const COLUMNS: &'static str = "id, workspace_id, channel, event, destination, payload, status, \
        attempts, next_attempt_at, last_error, created_at, delivered_at";

    pub(crate) fn from_row(row: &SqliteRow) -> Result<OutboxItem, StoreError> {
        let attempts: i64 = row.try_get("attempts")?;
        Ok(OutboxItem {
            id: id(row, "id")?,
            workspace_id: id(row, "workspace_id")?,
            channel: row.try_get("channel")?,
            event: row.try_get("event")?,
            destination: row.try_get("destination")?,
            payload: row.try_get("payload")?,
            status: row.try_get("status")?,
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            next_attempt_at: ts(row, "next_attempt_at")?,
            last_error: row.try_get("last_error")?,
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
        let mut tx = self.writer.begin().await?;
        let mut conversation = load_conversation(&mut tx, conversation_id).await?;
        let transition = ownership::apply(conversation.owner, Command::RequestTicket)?;
        set_owner(&mut tx, &mut conversation, transition.to).await?;
        let message = insert_message(&mut tx, &mut conversation, prompt.message()).await?;
        tx.commit().await?;
        Ok(LeadChange {
            conversation,
            messages: vec![message],
        })
    }

    /// The visitor declines to leave details; the AI takes the conversation back.
    pub async fn decline_lead(
        &self,
        conversation_id: ConversationId,
        visitor_text: &str,
    ) -> Result<LeadChange, StoreError> {
        let mut tx = self.writer.begin().await?;
        let mut conversation = load_conversation(&mut tx, conversation_id).await?;
        let transition = ownership::apply(conversation.owner, Command::LeadDeclined)?;
        set_owner(&mut tx, &mut conversation, transition.to).await?;
        let note = NewMessage::system(
            MessageKind::LeadDeclined,
            visitor_text,
            serde_json::json!({}),
        );
        let message = insert_message(&mut tx, &mut conversation, note).await?;
        tx.commit().await?;
        Ok(LeadChange {
            conversation,
            messages: vec![message],
        })
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
        outbox: impl FnOnce(&Ticket) -> Vec<NewOutboxItem>,
    ) -> Result<Captured, StoreError> {
        let mut tx = self.writer.begin().await?;
        if let Some(ticket) = ticket_by_key(&mut tx, conversation_id, &new.client_key).await? {
            let conversation = load_conversation(&mut tx, conversation_id).await?;
            tx.commit().await?;
            return Ok(Captured {
                ticket,
                replayed: true,
                conversation,
                messages: Vec::new(),
            });
        }
        let mut conversation = load_conversation(&mut tx, conversation_id).await?;
        let transition = ownership::apply(conversation.owner, Command::LeadCaptured)?;
        let latest = sqlx::query(
            "SELECT trigger_kind, reason FROM handoffs WHERE conversation_id = $1 \
             ORDER BY requested_at DESC LIMIT 1",
        )
        .bind(conversation_id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let (trigger, reason) = match latest {
            Some(row) => {
                let trigger: String = row.try_get("trigger_kind")?;
                (
                    trigger.parse::<Trigger>().ok(),
                    row.try_get::<Option<String>, _>("reason")?,
                )
            }
            None => (None, None),
        };
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
            bot_name: sqlx::query("SELECT name FROM bots WHERE id = $1")
                .bind(conversation.bot_id.to_string())
                .fetch_one(&mut *tx)
                .await?
                .try_get("name")?,
            assignee_name: None,
            created_at: at,
            updated_at: at,
        };
        sqlx::query(
            "INSERT INTO tickets (id, workspace_id, bot_id, conversation_id, contact_email, \
             contact_name, subject, description, trigger_kind, reason, status, priority, \
             assignee_id, client_key, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14, $14)",
        )
        .bind(ticket.id.to_string())
        .bind(ticket.workspace_id.to_string())
        .bind(ticket.bot_id.to_string())
        .bind(conversation_id.to_string())
        .bind(&ticket.contact_email)
        .bind(&ticket.contact_name)
        .bind(&ticket.subject)
        .bind(&ticket.description)
        .bind(ticket.trigger.map(|t| t.as_str()))
        .bind(&ticket.reason)
        .bind(ticket.status.as_str())
        .bind(ticket.priority.as_str())
        .bind(&new.client_key)
        .bind(format_timestamp(at))
        .execute(&mut *tx)
        .await?;
        for item in outbox(&ticket) {
            insert_outbox(&mut tx, ticket.workspace_id, &item).await?;
        }
        set_owner(&mut tx, &mut conversation, transition.to).await?;
        let note = NewMessage::system(
            MessageKind::LeadCaptured,
            success_text,
            serde_json::json!({ "ticket_id": ticket.id, "email": ticket.contact_email }),
        );
        let message = insert_message(&mut tx, &mut conversation, note).await?;
        tx.commit().await?;
        Ok(Captured {
            ticket,
            replayed: false,
            conversation,
            messages: vec![message],
        })
    }

    pub async fn ticket(&self, ticket_id: Uuid) -> Result<Ticket, StoreError> {
        let sql = format!("{} WHERE t.id = $1", Ticket::SELECT);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ticket_id.to_string())
            .fetch_optional(&self.reader)
            .await?
            .ok_or(StoreError::NotFound)?;
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
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(workspace_id.to_string())
            .bind(filter.status.map(|s| s.as_str()))
            .bind(filter.priority.map(|p| p.as_str()))
            .bind(filter.bot_id.map(|b| b.to_string()))
            .bind(filter.assignee_id.map(|a| a.to_string()))
            .bind(i64::from(filter.limit.clamp(1, 500)))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(Ticket::from_row).collect()
    }

    /// How many of the workspace's tickets are not resolved.
    pub async fn open_ticket_count(&self, workspace_id: WorkspaceId) -> Result<u32, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM tickets WHERE workspace_id = $1 AND status <> 'resolved'",
        )
        .bind(workspace_id.to_string())
        .fetch_one(&self.reader)
        .await?;
        let n: i64 = row.try_get("n")?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Applies `update`, queueing `outbox` (given the updated ticket) in the same transaction.
    pub async fn update_ticket(
        &self,
        ticket_id: Uuid,
        update: &TicketUpdate,
        outbox: impl FnOnce(&Ticket) -> Vec<NewOutboxItem>,
    ) -> Result<Ticket, StoreError> {
        let mut tx = self.writer.begin().await?;
        let sql = format!("{} WHERE t.id = $1", Ticket::SELECT);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ticket_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut ticket = Ticket::from_row(&row)?;
        if let Some(status) = update.status {
            ticket.status = status;
        }
        if let Some(priority) = update.priority {
            ticket.priority = priority;
        }
        if let Some(assignee) = update.assignee_id {
            ticket.assignee_id = assignee;
            ticket.assignee_name = match assignee {
                Some(agent) => Some(
                    sqlx::query("SELECT display_name FROM agents WHERE id = $1")
                        .bind(agent.to_string())
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get("display_name")?,
                ),
                None => None,
            };
        }
        ticket.updated_at = now();
        sqlx::query("UPDATE tickets SET status = $1, priority = $2, assignee_id = $3, updated_at = $4 WHERE id = $5")
            .bind(ticket.status.as_str())
            .bind(ticket.priority.as_str())
            .bind(ticket.assignee_id.map(|a| a.to_string()))
            .bind(format_timestamp(ticket.updated_at))
            .bind(ticket_id.to_string())
            .execute(&mut *tx)
            .await?;
        for item in outbox(&ticket) {
            insert_outbox(&mut tx, ticket.workspace_id, &item).await?;
        }
        tx.commit().await?;
        Ok(ticket)
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
        let mut tx = self.writer.begin().await?;
        let at = now();
        let note_id = Uuid::now_v7();
        sqlx::query("INSERT INTO ticket_notes (id, ticket_id, agent_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(note_id.to_string())
            .bind(ticket.id.to_string())
            .bind(agent_id.to_string())
            .bind(kind)
            .bind(body)
            .bind(format_timestamp(at))
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE tickets SET updated_at = $1 WHERE id = $2")
            .bind(format_timestamp(at))
            .bind(ticket.id.to_string())
            .execute(&mut *tx)
            .await?;
        for item in &outbox {
            insert_outbox(&mut tx, ticket.workspace_id, item).await?;
        }
        let agent_name: String = sqlx::query("SELECT display_name FROM agents WHERE id = $1")
            .bind(agent_id.to_string())
            .fetch_one(&mut *tx)
            .await?
            .try_get("display_name")?;
        tx.commit().await?;
        Ok(TicketNote {
            id: note_id,
            ticket_id: ticket.id,
            agent_id,
            agent_name,
            kind: kind.to_owned(),
            body: body.to_owned(),
            created_at: at,
        })
    }

    pub async fn ticket_notes(&self, ticket_id: Uuid) -> Result<Vec<TicketNote>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.ticket_id, n.agent_id, a.display_name, n.kind, n.body, n.created_at \
             FROM ticket_notes n JOIN agents a ON a.id = n.agent_id WHERE n.ticket_id = $1 \
             ORDER BY n.created_at, n.id",
        )
        .bind(ticket_id.to_string())
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TicketNote {
                    id: id(row, "id")?,
                    ticket_id: id(row, "ticket_id")?,
                    agent_id: id(row, "agent_id")?,
                    agent_name: row.try_get("display_name")?,
                    kind: row.try_get("kind")?,
                    body: row.try_get("body")?,
                    created_at: ts(row, "created_at")?,
                })
            })
            .collect()
    }

    pub async fn integrations(
        &self,
        workspace_id: WorkspaceId,
    ) -> Result<Integrations, StoreError> {
        let row = sqlx::query(
            "SELECT notification_email, webhook_url, webhook_secret, llm_base_url, llm_model, \
             llm_api_key FROM workspaces WHERE id = $1",
        )
        .bind(workspace_id.to_string())
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(Integrations {
            notification_email: row.try_get("notification_email")?,
            webhook_url: row.try_get("webhook_url")?,
            webhook_secret: row.try_get("webhook_secret")?,
            llm_base_url: row.try_get("llm_base_url")?,
            llm_model: row.try_get("llm_model")?,
            llm_api_key: row.try_get("llm_api_key")?,
        })
    }

    pub async fn set_integrations(
        &self,
        workspace_id: WorkspaceId,
        integrations: &Integrations,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE workspaces SET notification_email = $1, webhook_url = $2, webhook_secret = $3, \
             llm_base_url = $4, llm_model = $5, llm_api_key = $6 WHERE id = $7",
        )
        .bind(&integrations.notification_email)
        .bind(&integrations.webhook_url)
        .bind(&integrations.webhook_secret)
        .bind(&integrations.llm_base_url)
        .bind(&integrations.llm_model)
        .bind(&integrations.llm_api_key)
        .bind(workspace_id.to_string())
        .execute(&self.writer)
        .await?;
        Ok(())
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
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(format_timestamp(at))
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(OutboxItem::from_row).collect()
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
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(workspace_id.to_string())
            .bind(status)
            .bind(i64::from(limit.clamp(1, 500)))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(OutboxItem::from_row).collect()
    }

    pub async fn outbox_delivered(&self, item_id: Uuid) -> Result<(), StoreError> {
        let at = format_timestamp(now());
        sqlx::query("UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = $1, last_error = NULL WHERE id = $2 AND status = 'pending'")
            .bind(at)
            .bind(item_id.to_string())
            .execute(&self.writer)
            .await?;
        Ok(())
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
        sqlx::query("UPDATE outbox SET status = $1, attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $4 AND status = 'pending'")
            .bind(status)
            .bind(format_timestamp(next))
            .bind(error)
            .bind(item_id.to_string())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Puts a dead-lettered delivery back in the queue (an admin's "retry").
    pub async fn outbox_retry(
        &self,
        workspace_id: WorkspaceId,
        item_id: Uuid,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE outbox SET status = 'pending', next_attempt_at = $1 WHERE id = $2 AND workspace_id = $3 AND status = 'dead'")
            .bind(format_timestamp(now()))
            .bind(item_id.to_string())
            .bind(workspace_id.to_string())
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Queues a delivery on its own (outside any other change).
    pub async fn enqueue_outbox(
        &self,
        workspace_id: WorkspaceId,
        item: &NewOutboxItem,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        insert_outbox(&mut tx, workspace_id, item).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn ticket_by_key(
    tx: &mut Tx<'_>,
    conversation_id: ConversationId,
    key: &str,
) -> Result<Option<Ticket>, StoreError> {
    let sql = format!(
        "{} WHERE t.conversation_id = $1 AND t.client_key = $2",
        Ticket::SELECT
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(conversation_id.to_string())
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(Ticket::from_row).transpose()
}

pub(crate) async fn insert_outbox(
    tx: &mut Tx<'_>,
    workspace_id: WorkspaceId,
    item: &NewOutboxItem,
) -> Result<(), StoreError> {
    let at = format_timestamp(now());
    sqlx::query(
        "INSERT INTO outbox (id, workspace_id, channel, event, destination, payload, status, \
         attempts, next_attempt_at, last_error, created_at, delivered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, NULL, $7, NULL)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(workspace_id.to_string())
    .bind(item.channel)
    .bind(&item.event)
    .bind(&item.destination)
    .bind(&item.payload)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

//! FreshChat routing (docs/freshchat.md): a workspace's credentials, the mapping between a routed
//! conversation and FreshChat's, the ownership changes FreshChat drives (routed, failed, resolved,
//! reopened), the inbox of verified webhook events, and the per-conversation delivery queue.
//!
//! Every write is one unit on the writer thread (`writer.rs`): the statements of one change run
//! in one closure, so they commit together or not at all, and units never interleave. Ownership
//! changes reuse the handoff helpers, so the domain's rules (`baton_domain::ownership`) are checked
//! against the owner read in the same unit, as for Live Chat. Reads stay on the reader pool.
//! Nothing here talks to FreshChat.

use crate::db::params;
use crate::writer::Tx;
use baton_domain::entity::Entity;
use baton_domain::handoff::{HandoffDecision, OfflineReason, Trigger};
use baton_domain::ids::{BotId, ConversationId, HandoffId, WorkspaceId};
use baton_domain::message::MessageKind;
use baton_domain::ownership::{self, Command};
use jiff::Timestamp;
use uuid::Uuid;

use crate::conversations::{insert_message, load_conversation, set_owner};
use crate::handoffs::{end_handoff, insert_handoff, open_handoff};
use crate::row::{Cols, id, opt_ts, ts};
use crate::tickets::insert_outbox;
use crate::time::{format_timestamp, now};
use crate::{
    Handoff, HandoffChange, HandoffStatus, LeadPrompt, Message, NewMessage, NewOutboxItem,
    OutboxItem, Store, StoreError,
};

/// The outbox channel of deliveries to FreshChat.
pub const FRESHCHAT_CHANNEL: &str = "freshchat";
/// Outbox event: create the FreshChat conversation for a routed handoff.
pub const EVENT_CONVERSATION: &str = "freshchat.conversation";
/// Outbox event: post a visitor message into the FreshChat conversation.
pub const EVENT_MESSAGE: &str = "freshchat.message";

/// A workspace's FreshChat credentials. The token is write-only at the API.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FreshchatSettings {
    pub api_url: Option<String>,
    pub api_token: Option<String>,
    pub channel_id: Option<String>,
    pub webhook_public_key: Option<String>,
}

impl FreshchatSettings {
    /// Whether conversations can be created: a URL and a token.
    pub fn is_configured(&self) -> bool {
        self.api_url.is_some() && self.api_token.is_some()
    }
}

impl std::fmt::Debug for FreshchatSettings {
    // The token never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreshchatSettings")
            .field("api_url", &self.api_url)
            .field("api_token", &self.api_token.as_ref().map(|_| "***"))
            .field("channel_id", &self.channel_id)
            .field("webhook_public_key", &self.webhook_public_key.is_some())
            .finish()
    }
}

/// A conversation routed to FreshChat and what is known of its FreshChat side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreshchatLink {
    pub conversation_id: ConversationId,
    pub workspace_id: WorkspaceId,
    pub handoff_id: HandoffId,
    pub user_id: Option<String>,
    pub remote_id: Option<String>,
    pub remote_numeric_id: Option<String>,
    pub announced_agent_id: Option<String>,
    pub lifecycle_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub routed_at: Timestamp,
}

impl FreshchatLink {
    const COLUMNS: &'static str = "conversation_id, workspace_id, handoff_id, user_id, remote_id, \
        remote_numeric_id, announced_agent_id, lifecycle_at, resolved_at, routed_at";

    fn from_row(row: &dyn Cols) -> Result<FreshchatLink, StoreError> {
        Ok(FreshchatLink {
            conversation_id: id(row, "conversation_id")?,
            workspace_id: id(row, "workspace_id")?,
            handoff_id: id(row, "handoff_id")?,
            user_id: row.opt_text("user_id")?,
            remote_id: row.opt_text("remote_id")?,
            remote_numeric_id: row.opt_text("remote_numeric_id")?,
            announced_agent_id: row.opt_text("announced_agent_id")?,
            lifecycle_at: opt_ts(row, "lifecycle_at")?,
            resolved_at: opt_ts(row, "resolved_at")?,
            routed_at: ts(row, "routed_at")?,
        })
    }
}

/// A verified webhook delivery waiting to be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreshchatEvent {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub action: String,
    pub action_time: String,
    /// The exact body FreshChat signed.
    pub body: String,
    pub attempts: u32,
}

impl Store {
    /// The workspace's FreshChat credentials (all empty when never set).
    pub async fn freshchat_settings(
        &self,
        workspace_id: WorkspaceId,
    ) -> Result<FreshchatSettings, StoreError> {
        let row = self
            .reader
            .fetch_optional(
                "SELECT api_url, api_token, channel_id, webhook_public_key FROM freshchat_settings \
             WHERE workspace_id = $1",
                params![workspace_id.to_string()],
            )
            .await?;
        let Some(row) = row else {
            return Ok(FreshchatSettings::default());
        };
        Ok(FreshchatSettings {
            api_url: row.opt_text("api_url")?,
            api_token: row.opt_text("api_token")?,
            channel_id: row.opt_text("channel_id")?,
            webhook_public_key: row.opt_text("webhook_public_key")?,
        })
    }

    pub async fn set_freshchat_settings(
        &self,
        workspace_id: WorkspaceId,
        settings: &FreshchatSettings,
    ) -> Result<(), StoreError> {
        let s = settings.clone();
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO freshchat_settings (workspace_id, api_url, api_token, channel_id, \
                     webhook_public_key, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (workspace_id) DO UPDATE SET api_url = $2, api_token = $3, \
                     channel_id = $4, webhook_public_key = $5, updated_at = $6",
                    params![
                        workspace_id.to_string(),
                        s.api_url,
                        s.api_token,
                        s.channel_id,
                        s.webhook_public_key,
                        format_timestamp(now()),
                    ],
                )?;
                Ok(())
            })
            .await
    }

    /// Turns FreshChat routing on or off for one bot.
    pub async fn set_bot_freshchat(&self, bot_id: BotId, enabled: bool) -> Result<(), StoreError> {
        let written = self
            .writer
            .write(move |c| {
                let changed = c.execute(
                    "UPDATE bots SET freshchat_enabled = $1, updated_at = $2 WHERE id = $3",
                    params![enabled, format_timestamp(now()), bot_id.to_string()],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound(Entity::Bot));
                }
                Ok(())
            })
            .await;
        // The bot cache must not serve the bot as it was (`cache.rs`).
        self.bots.forget(bot_id);
        written
    }

    /// Routes a handoff into FreshChat: the conversation's owner becomes FreshChat (the AI stays
    /// silent), the visitor reads `visitor_text`, and the creation of the FreshChat conversation
    /// is queued in the same transaction (with the transcript up to this point).
    pub async fn route_to_freshchat(
        &self,
        conversation_id: ConversationId,
        decision: &HandoffDecision,
        visitor_text: &str,
    ) -> Result<HandoffChange, StoreError> {
        let decision = decision.clone();
        let visitor_text = visitor_text.to_owned();
        self.writer
            .write(move |c| {
                let mut conversation = load_conversation(c, conversation_id)?;
                let transition = ownership::apply(conversation.owner, Command::RouteToFreshchat)?;
                let at = now();
                let handoff = Handoff {
                    id: HandoffId::new(),
                    workspace_id: conversation.workspace_id,
                    conversation_id,
                    bot_id: conversation.bot_id,
                    trigger: decision.trigger,
                    reason: decision.reason,
                    summary: decision.summary,
                    status: HandoffStatus::Routed,
                    offline_reason: None,
                    agent_id: None,
                    requested_at: at,
                    deadline_at: None,
                    accepted_at: None,
                    ended_at: None,
                    escalated_at: None,
                };
                insert_handoff(c, &handoff)?;
                set_owner(c, &mut conversation, transition.to)?;
                let note = NewMessage::system(
                    MessageKind::HandoffRequested,
                    visitor_text,
                    serde_json::json!({ "handoff_id": handoff.id, "trigger": handoff.trigger, "freshchat": true }),
                );
                let message = insert_message(c, &mut conversation, note)?;
                // A new handoff gets a new FreshChat conversation; the FreshChat user is kept.
                // What was said so far goes with the creation (the transcript), later messages
                // one by one.
                c.execute("INSERT INTO freshchat_links (conversation_id, workspace_id, handoff_id, \
                     routed_at, forwarded_seq) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (conversation_id) DO UPDATE SET handoff_id = $3, \
                     remote_id = NULL, remote_numeric_id = NULL, announced_agent_id = NULL, \
                     resolved_at = NULL, routed_at = $4, forwarded_seq = $5", params![
                    conversation_id.to_string(),
                    conversation.workspace_id.to_string(),
                    handoff.id.to_string(),
                    format_timestamp(at),
                    message.seq,
                ])?;
                let item = NewOutboxItem {
                    channel: FRESHCHAT_CHANNEL,
                    event: EVENT_CONVERSATION.to_owned(),
                    destination: conversation_id.to_string(),
                    payload: serde_json::json!({
                        "handoff_id": handoff.id,
                        "upto_seq": message.seq,
                    })
                    .to_string(),
                };
                insert_outbox(c, conversation.workspace_id, &item)?;
                Ok(HandoffChange {
                    handoff,
                    conversation,
                    messages: vec![message],
                })
            })
            .await
    }

    /// Queues for FreshChat, in order, every visitor message of the conversation up to `upto_seq`
    /// that was not queued before, while FreshChat owns the conversation; returns how many. Each
    /// call takes every earlier message not yet queued too, so two messages posted at the same
    /// time, or one stored just before a restart, are still queued once each and in order.
    pub async fn queue_freshchat_messages(
        &self,
        conversation_id: ConversationId,
        upto_seq: i64,
    ) -> Result<u32, StoreError> {
        // One unit: the writer runs units one at a time, so reading `forwarded_seq`, queueing
        // what follows it and moving it forward cannot interleave with another call.
        self.writer
            .write(move |c| {
                let conversation = load_conversation(c, conversation_id)?;
                if conversation.owner != ownership::Owner::Freshchat {
                    return Ok(0);
                }
                let forwarded: Option<i64> = c.query_opt(
                    "SELECT forwarded_seq FROM freshchat_links WHERE conversation_id = $1",
                    params![conversation_id.to_string()],
                    |row| row.int("forwarded_seq"),
                )?;
                let Some(forwarded) = forwarded else {
                    return Ok(0);
                };
                if upto_seq <= forwarded {
                    return Ok(0);
                }
                // Texts, and files as their entry's data (the link is signed when sent).
                let pending = c.query(
                    "SELECT id, body, kind, data FROM messages WHERE conversation_id = $1 \
                     AND seq > $2 AND seq <= $3 AND author_kind = 'visitor' \
                     AND kind IN ('text', 'attachment') ORDER BY seq",
                    params![conversation_id.to_string(), forwarded, upto_seq],
                    |row| {
                        Ok((
                            row.text("id")?,
                            row.text("body")?,
                            row.text("kind")?,
                            row.opt_text("data")?,
                        ))
                    },
                )?;
                for (id, body, kind, data) in &pending {
                    let mut payload = serde_json::json!({ "message_id": id, "text": body });
                    if kind == "attachment" {
                        payload["attachment"] = data
                            .as_deref()
                            .and_then(|d| serde_json::from_str(d).ok())
                            .unwrap_or_default();
                    }
                    let item = NewOutboxItem {
                        channel: FRESHCHAT_CHANNEL,
                        event: EVENT_MESSAGE.to_owned(),
                        destination: conversation_id.to_string(),
                        payload: payload.to_string(),
                    };
                    insert_outbox(c, conversation.workspace_id, &item)?;
                }
                c.execute(
                    "UPDATE freshchat_links SET forwarded_seq = $1 WHERE conversation_id = $2",
                    params![upto_seq, conversation_id.to_string()],
                )?;
                Ok(u32::try_from(pending.len()).unwrap_or(u32::MAX))
            })
            .await
    }

    /// FreshChat-owned conversations with their last sequence number: what
    /// [`Store::queue_freshchat_messages`] is run for when the server starts.
    pub async fn freshchat_backlog(&self) -> Result<Vec<(ConversationId, i64)>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT c.id, c.last_seq FROM conversations c \
             JOIN freshchat_links l ON l.conversation_id = c.id \
             WHERE c.owner_state = 'freshchat' AND c.last_seq > l.forwarded_seq",
                params![],
            )
            .await?;
        rows.iter()
            .map(|row| Ok((id(row, "id")?, row.int("last_seq")?)))
            .collect()
    }

    /// The routing record of a conversation, if it was ever routed to FreshChat.
    pub async fn freshchat_link(
        &self,
        conversation_id: ConversationId,
    ) -> Result<Option<FreshchatLink>, StoreError> {
        let sql = format!(
            "SELECT {} FROM freshchat_links WHERE conversation_id = $1",
            FreshchatLink::COLUMNS
        );
        let row = self
            .reader
            .fetch_optional(&sql, params![conversation_id.to_string()])
            .await?;
        row.as_ref().map(|r| FreshchatLink::from_row(r)).transpose()
    }

    /// The routed conversation FreshChat knows by `remote` (its GUID or its numeric alias).
    pub async fn freshchat_link_by_remote(
        &self,
        workspace_id: WorkspaceId,
        remote: &str,
    ) -> Result<Option<FreshchatLink>, StoreError> {
        let sql = format!(
            "SELECT {} FROM freshchat_links WHERE workspace_id = $1 \
             AND (remote_id = $2 OR remote_numeric_id = $2) ORDER BY routed_at DESC LIMIT 1",
            FreshchatLink::COLUMNS
        );
        let row = self
            .reader
            .fetch_optional(&sql, params![workspace_id.to_string(), remote])
            .await?;
        row.as_ref().map(|r| FreshchatLink::from_row(r)).transpose()
    }

    /// Whether a FreshChat conversation of the workspace is being created (routed, not mapped
    /// yet): only then can a webhook about an unknown conversation become one of ours.
    pub async fn freshchat_creation_in_flight(
        &self,
        workspace_id: WorkspaceId,
    ) -> Result<bool, StoreError> {
        let row = self
            .reader
            .fetch_one(
                "SELECT COUNT(*) AS n FROM freshchat_links l \
             JOIN conversations c ON c.id = l.conversation_id \
             WHERE l.workspace_id = $1 AND l.remote_id IS NULL AND c.owner_state = 'freshchat'",
                params![workspace_id.to_string()],
            )
            .await?;
        let n = row.int("n")?;
        Ok(n > 0)
    }

    /// Remembers the FreshChat user standing for the conversation's visitor.
    pub async fn set_freshchat_user(
        &self,
        conversation_id: ConversationId,
        user_id: &str,
    ) -> Result<(), StoreError> {
        let user_id = user_id.to_owned();
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE freshchat_links SET user_id = $1 WHERE conversation_id = $2",
                    params![user_id, conversation_id.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    /// Maps the conversation to FreshChat's (a new one replaces the old: "not the latest
    /// conversation", docs/freshchat.md).
    pub async fn set_freshchat_conversation(
        &self,
        conversation_id: ConversationId,
        remote_id: &str,
        remote_numeric_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let remote_id = remote_id.to_owned();
        let remote_numeric_id = remote_numeric_id.map(str::to_owned);
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE freshchat_links SET remote_id = $1, remote_numeric_id = $2 \
                     WHERE conversation_id = $3",
                    params![remote_id, remote_numeric_id, conversation_id.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    /// Says that a FreshChat agent joined, once per agent: records `agent_id` as the agent
    /// announced and stores `note` in one write. `None` (nothing written) when that agent was
    /// announced already or FreshChat no longer owns the conversation.
    pub async fn announce_freshchat_agent(
        &self,
        conversation_id: ConversationId,
        agent_id: &str,
        note: NewMessage,
    ) -> Result<Option<Message>, StoreError> {
        let agent_id = agent_id.to_owned();
        self.writer
            .write(move |c| {
                let mut conversation = load_conversation(c, conversation_id)?;
                if conversation.owner != ownership::Owner::Freshchat {
                    return Ok(None);
                }
                let changed = c.execute(
                    "UPDATE freshchat_links SET announced_agent_id = $1 \
                         WHERE conversation_id = $2 \
                         AND (announced_agent_id IS NULL OR announced_agent_id <> $1)",
                    params![agent_id, conversation_id.to_string()],
                )?;
                if changed == 0 {
                    return Ok(None);
                }
                Ok(Some(insert_message(c, &mut conversation, note)?))
            })
            .await
    }

    /// Records that a lifecycle event of `at` was applied; `false` (nothing written) when a newer
    /// one was applied before, so a late, older event is ignored.
    pub async fn advance_freshchat_lifecycle(
        &self,
        conversation_id: ConversationId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let at = format_timestamp(at);
        self.writer
            .write(move |c| {
                let changed = c.execute(
                    "UPDATE freshchat_links SET lifecycle_at = $1 WHERE conversation_id = $2 \
                         AND (lifecycle_at IS NULL OR lifecycle_at < $1)",
                    params![at, conversation_id.to_string()],
                )?;
                Ok(changed == 1)
            })
            .await
    }

    /// FreshChat refused the conversation for good: the routed handoff ends and the offline path
    /// runs (the visitor reads `visitor_text`, then the lead capture prompt when given).
    pub async fn freshchat_failed(
        &self,
        conversation_id: ConversationId,
        visitor_text: &str,
        lead_prompt: Option<LeadPrompt>,
    ) -> Result<HandoffChange, StoreError> {
        let visitor_text = visitor_text.to_owned();
        self.writer
            .write(move |c| {
                let mut conversation = load_conversation(c, conversation_id)?;
                let transition = ownership::apply(
                    conversation.owner,
                    Command::FreshchatFailed {
                        lead_capture: lead_prompt.is_some(),
                    },
                )?;
                let mut handoff = routed_handoff(c, conversation_id)?;
                end_handoff(
                    c,
                    &mut handoff,
                    HandoffStatus::Offline,
                    Some(OfflineReason::NobodyAvailable),
                )?;
                set_owner(c, &mut conversation, transition.to)?;
                let note = NewMessage::system(
                    MessageKind::HandoffOffline,
                    visitor_text,
                    serde_json::json!({ "handoff_id": handoff.id, "trigger": handoff.trigger, "reason": OfflineReason::NobodyAvailable, "freshchat": true }),
                );
                let mut messages = vec![insert_message(c, &mut conversation, note)?];
                if let Some(prompt) = lead_prompt {
                    messages.push(insert_message(c, &mut conversation, prompt.message())?);
                }
                Ok(HandoffChange {
                    handoff,
                    conversation,
                    messages,
                })
            })
            .await
    }

    /// A FreshChat agent resolved the conversation: it closes for the visitor (who reads
    /// `visitor_text`, said by `agent_name`), and a later visitor message reopens it with the AI.
    pub async fn freshchat_resolved(
        &self,
        conversation_id: ConversationId,
        agent_name: &str,
        visitor_text: &str,
    ) -> Result<HandoffChange, StoreError> {
        let agent_name = agent_name.to_owned();
        let visitor_text = visitor_text.to_owned();
        self.writer
            .write(move |c| {
                let mut conversation = load_conversation(c, conversation_id)?;
                let transition = ownership::apply(conversation.owner, Command::FreshchatResolved)?;
                let mut handoff = routed_handoff(c, conversation_id)?;
                end_handoff(c, &mut handoff, HandoffStatus::Ended, None)?;
                set_owner(c, &mut conversation, transition.to)?;
                let mut note = NewMessage::system(
                    MessageKind::AgentLeft,
                    visitor_text,
                    serde_json::json!({ "handoff_id": handoff.id, "resolved": true, "freshchat": true }),
                );
                note.author_name = Some(agent_name);
                let message = insert_message(c, &mut conversation, note)?;
                c.execute("UPDATE freshchat_links SET resolved_at = $1 WHERE conversation_id = $2", params![
                    format_timestamp(now()),
                    conversation_id.to_string()
                ])?;
                Ok(HandoffChange {
                    handoff,
                    conversation,
                    messages: vec![message],
                })
            })
            .await
    }

    /// FreshChat reopened the conversation: its team owns it again. `None` when it already did.
    pub async fn freshchat_reopened(
        &self,
        conversation_id: ConversationId,
        visitor_text: &str,
    ) -> Result<Option<HandoffChange>, StoreError> {
        let visitor_text = visitor_text.to_owned();
        self.writer
            .write(move |c| {
                let mut conversation = load_conversation(c, conversation_id)?;
                let transition = ownership::apply(conversation.owner, Command::FreshchatReopened)?;
                if transition.to == transition.from {
                    return Ok(None);
                }
                let at = now();
                let handoff = Handoff {
                    id: HandoffId::new(),
                    workspace_id: conversation.workspace_id,
                    conversation_id,
                    bot_id: conversation.bot_id,
                    trigger: Trigger::Other,
                    reason: "Reopened in FreshChat".to_owned(),
                    summary: None,
                    status: HandoffStatus::Routed,
                    offline_reason: None,
                    agent_id: None,
                    requested_at: at,
                    deadline_at: None,
                    accepted_at: None,
                    ended_at: None,
                    escalated_at: None,
                };
                insert_handoff(c, &handoff)?;
                set_owner(c, &mut conversation, transition.to)?;
                let note = NewMessage::system(
                    MessageKind::Reopened,
                    visitor_text,
                    serde_json::json!({ "handoff_id": handoff.id, "freshchat": true }),
                );
                let message = insert_message(c, &mut conversation, note)?;
                c.execute(
                    "UPDATE freshchat_links SET handoff_id = $1, resolved_at = NULL, \
                     forwarded_seq = $2 WHERE conversation_id = $3",
                    params![
                        handoff.id.to_string(),
                        message.seq,
                        conversation_id.to_string()
                    ],
                )?;
                Ok(Some(HandoffChange {
                    handoff,
                    conversation,
                    messages: vec![message],
                }))
            })
            .await
    }

    /// Stores a verified webhook event unless one with the same key was stored before; `true` when
    /// it is new. `processed` stores it as already handled (e.g. the ids of our own posts, so
    /// their echo is dropped).
    pub async fn record_freshchat_event(
        &self,
        workspace_id: WorkspaceId,
        dedupe_key: &str,
        action: &str,
        action_time: &str,
        body: &str,
        processed: bool,
    ) -> Result<bool, StoreError> {
        let dedupe_key = dedupe_key.to_owned();
        let action = action.to_owned();
        let action_time = action_time.to_owned();
        let body = body.to_owned();
        self.writer
            .write(move |c| {
                let at = format_timestamp(now());
                let changed = c.execute(
                    "INSERT INTO freshchat_events (id, workspace_id, dedupe_key, action, \
                         action_time, body, attempts, next_attempt_at, last_error, received_at, \
                         processed_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, NULL, $7, $8) \
                         ON CONFLICT (workspace_id, dedupe_key) DO NOTHING",
                    params![
                        Uuid::now_v7().to_string(),
                        workspace_id.to_string(),
                        dedupe_key,
                        action,
                        action_time,
                        body,
                        at,
                        processed.then_some(&at),
                    ],
                )?;
                Ok(changed == 1)
            })
            .await
    }

    /// Events to apply now, in FreshChat's order (`action_time`), then arrival order.
    pub async fn pending_freshchat_events(
        &self,
        at: Timestamp,
        limit: u32,
    ) -> Result<Vec<FreshchatEvent>, StoreError> {
        let rows = self.reader.fetch_all("SELECT id, workspace_id, action, action_time, body, attempts FROM freshchat_events \
             WHERE processed_at IS NULL AND next_attempt_at <= $1 \
             ORDER BY action_time, received_at, id LIMIT $2", params![format_timestamp(at), i64::from(limit)])
        .await?;
        rows.iter()
            .map(|row| {
                let attempts = row.int("attempts")?;
                Ok(FreshchatEvent {
                    id: id(row, "id")?,
                    workspace_id: id(row, "workspace_id")?,
                    action: row.text("action")?,
                    action_time: row.text("action_time")?,
                    body: row.text("body")?,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// Marks an event handled (applied, or dropped with `note` saying why).
    pub async fn freshchat_event_done(
        &self,
        event_id: Uuid,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let note = note.map(str::to_owned);
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE freshchat_events SET processed_at = $1, attempts = attempts + 1, \
                     last_error = $2 WHERE id = $3",
                    params![format_timestamp(now()), note, event_id.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    /// Tries an event again at `retry_at` (e.g. its conversation is not mapped yet).
    pub async fn freshchat_event_later(
        &self,
        event_id: Uuid,
        retry_at: Timestamp,
        error: &str,
    ) -> Result<(), StoreError> {
        let error = error.to_owned();
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE freshchat_events SET attempts = attempts + 1, next_attempt_at = $1, \
                     last_error = $2 WHERE id = $3",
                    params![format_timestamp(retry_at), error, event_id.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    /// Due FreshChat deliveries: for each conversation only its oldest pending one, so a
    /// conversation's messages reach FreshChat in order even while earlier ones are retried.
    pub async fn due_freshchat_outbox(
        &self,
        at: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let sql = format!(
            "SELECT {} FROM outbox o WHERE o.channel = 'freshchat' AND o.status = 'pending' \
             AND o.next_attempt_at <= $1 AND NOT EXISTS (SELECT 1 FROM outbox p \
             WHERE p.channel = 'freshchat' AND p.status = 'pending' \
             AND p.destination = o.destination \
             AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.id < o.id))) \
             ORDER BY o.next_attempt_at, o.id LIMIT $2",
            OutboxItem::COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![format_timestamp(at), i64::from(limit)])
            .await?;
        rows.iter().map(|r| OutboxItem::from_row(r)).collect()
    }
}

/// The conversation's open routed handoff, inside a write.
fn routed_handoff(c: &Tx<'_>, conversation_id: ConversationId) -> Result<Handoff, StoreError> {
    open_handoff(c, conversation_id, HandoffStatus::Routed)?.ok_or(StoreError::Corrupt(
        "conversation routed to FreshChat without a routed handoff",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HandoffSettings, StoreOptions};
    use baton_domain::ownership::Owner;

    async fn store() -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("baton-fc-storage-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open_sqlite(&dir.join("baton.db"), StoreOptions::default())
            .await
            .unwrap();
        (store, dir)
    }

    fn decision() -> HandoffDecision {
        HandoffDecision {
            trigger: Trigger::UserRequest,
            reason: "asked".into(),
            summary: None,
        }
    }

    fn message(conversation: ConversationId, text: &str) -> NewOutboxItem {
        NewOutboxItem {
            channel: FRESHCHAT_CHANNEL,
            event: EVENT_MESSAGE.to_owned(),
            destination: conversation.to_string(),
            payload: serde_json::json!({ "text": text }).to_string(),
        }
    }

    #[tokio::test]
    async fn a_bot_keeps_its_freshchat_switch() {
        let (store, dir) = store().await;
        let workspace = store.create_workspace("W").await.unwrap();
        let on = HandoffSettings {
            freshchat_enabled: true,
            ..HandoffSettings::default()
        };
        let bot = store
            .create_bot(workspace.id, "B", "Hi", &on)
            .await
            .unwrap();
        assert!(store.bot(bot.id).await.unwrap().handoff.freshchat_enabled);
        store.set_bot_freshchat(bot.id, false).await.unwrap();
        // Read just before the change, the bot is not served from the cache as it was.
        assert!(!store.bot(bot.id).await.unwrap().handoff.freshchat_enabled);
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn deliveries_of_a_conversation_go_one_at_a_time_in_order() {
        let (store, dir) = store().await;
        let workspace = store.create_workspace("W").await.unwrap();
        let bot = store
            .create_bot(workspace.id, "B", "Hi", &HandoffSettings::default())
            .await
            .unwrap();
        let a = store
            .create_conversation(workspace.id, bot.id, "hash-a", None)
            .await
            .unwrap();
        let b = store
            .create_conversation(workspace.id, bot.id, "hash-b", None)
            .await
            .unwrap();
        let routed = store
            .route_to_freshchat(a.id, &decision(), "passing you on")
            .await
            .unwrap();
        assert_eq!(routed.conversation.owner, Owner::Freshchat);
        assert_eq!(routed.handoff.status, HandoffStatus::Routed);
        // A second route is refused by the ownership rules.
        assert!(matches!(
            store.route_to_freshchat(a.id, &decision(), "again").await,
            Err(StoreError::Refused(_))
        ));
        store
            .enqueue_outbox(workspace.id, &message(a.id, "one"))
            .await
            .unwrap();
        store
            .enqueue_outbox(workspace.id, &message(a.id, "two"))
            .await
            .unwrap();
        store
            .enqueue_outbox(workspace.id, &message(b.id, "other"))
            .await
            .unwrap();
        let due = |at| {
            let store = store.clone();
            async move {
                store
                    .due_freshchat_outbox(at, 50)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|i| (i.destination, i.event, i.payload, i.id))
                    .collect::<Vec<_>>()
            }
        };
        let now = Timestamp::now();
        let first = due(now).await;
        assert_eq!(first.len(), 2, "one head per conversation: {first:?}");
        assert_eq!(first[0].1, EVENT_CONVERSATION);
        assert_eq!(first[1].0, b.id.to_string());
        // The other channels' queue does not see these.
        assert!(store.due_outbox(now, 50).await.unwrap().is_empty());
        // The head fails and waits: nothing behind it goes first.
        store
            .outbox_failed(
                first[0].3,
                "down",
                Some(now + jiff::SignedDuration::from_secs(3600)),
            )
            .await
            .unwrap();
        let blocked = due(Timestamp::now()).await;
        assert!(
            blocked.iter().all(|d| d.0 != a.id.to_string()),
            "{blocked:?}"
        );
        store.outbox_delivered(first[0].3).await.unwrap();
        let next = due(Timestamp::now()).await;
        let of_a: Vec<_> = next.iter().filter(|d| d.0 == a.id.to_string()).collect();
        assert_eq!(of_a.len(), 1);
        assert!(of_a[0].2.contains("one"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn events_are_stored_once_and_lifecycle_only_moves_forward() {
        let (store, dir) = store().await;
        let workspace = store.create_workspace("W").await.unwrap();
        let bot = store
            .create_bot(workspace.id, "B", "Hi", &HandoffSettings::default())
            .await
            .unwrap();
        let c = store
            .create_conversation(workspace.id, bot.id, "hash", None)
            .await
            .unwrap();
        assert!(
            store
                .record_freshchat_event(
                    workspace.id,
                    "message:m1",
                    "message_create",
                    "t",
                    "{}",
                    false
                )
                .await
                .unwrap()
        );
        assert!(
            !store
                .record_freshchat_event(
                    workspace.id,
                    "message:m1",
                    "message_create",
                    "t",
                    "{}",
                    false
                )
                .await
                .unwrap()
        );
        store
            .route_to_freshchat(c.id, &decision(), "passing you on")
            .await
            .unwrap();
        store
            .set_freshchat_conversation(c.id, "guid-1", Some("42"))
            .await
            .unwrap();
        let by_numeric = store
            .freshchat_link_by_remote(workspace.id, "42")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(by_numeric.conversation_id, c.id);
        let t1: Timestamp = "2026-01-01T10:00:00Z".parse().unwrap();
        let t0: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        assert!(store.advance_freshchat_lifecycle(c.id, t1).await.unwrap());
        assert!(!store.advance_freshchat_lifecycle(c.id, t0).await.unwrap());
        let joined = || {
            NewMessage::system(
                baton_domain::message::MessageKind::AgentJoined,
                "Ana joined the chat.",
                serde_json::json!({}),
            )
        };
        let said = store
            .announce_freshchat_agent(c.id, "ana", joined())
            .await
            .unwrap();
        assert_eq!(said.unwrap().body, "Ana joined the chat.");
        assert!(
            store
                .announce_freshchat_agent(c.id, "ana", joined())
                .await
                .unwrap()
                .is_none(),
            "said once per agent"
        );
        let resolved = store
            .freshchat_resolved(c.id, "Ana", "resolved")
            .await
            .unwrap();
        assert_eq!(resolved.conversation.owner, Owner::Closed);
        assert_eq!(resolved.handoff.status, HandoffStatus::Ended);
        let reopened = store.freshchat_reopened(c.id, "back").await.unwrap();
        assert_eq!(reopened.unwrap().conversation.owner, Owner::Freshchat);
        assert!(
            store
                .freshchat_reopened(c.id, "again")
                .await
                .unwrap()
                .is_none()
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn visitor_messages_are_queued_once_each_in_order_whoever_calls_first() {
        use baton_domain::message::AuthorKind;
        use baton_domain::ownership::Speaker;
        let (store, dir) = store().await;
        let workspace = store.create_workspace("W").await.unwrap();
        let bot = store
            .create_bot(workspace.id, "B", "Hi", &HandoffSettings::default())
            .await
            .unwrap();
        let c = store
            .create_conversation(workspace.id, bot.id, "hash", None)
            .await
            .unwrap();
        let say = |text: &str| NewMessage {
            kind: MessageKind::Text,
            author_kind: AuthorKind::Visitor,
            author_agent_id: None,
            author_name: None,
            body: text.to_owned(),
            client_id: Some(format!("c-{text}")),
            data: None,
        };
        store
            .append_message(c.id, Speaker::Visitor, say("before"), true)
            .await
            .unwrap();
        store
            .route_to_freshchat(c.id, &decision(), "passing you on")
            .await
            .unwrap();
        let first = store
            .append_message(c.id, Speaker::Visitor, say("one"), true)
            .await
            .unwrap();
        let second = store
            .append_message(c.id, Speaker::Visitor, say("two"), true)
            .await
            .unwrap();
        // The second message's call comes first: it queues both, in order.
        assert_eq!(
            store
                .queue_freshchat_messages(c.id, second.message.seq)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .queue_freshchat_messages(c.id, first.message.seq)
                .await
                .unwrap(),
            0
        );
        assert!(store.freshchat_backlog().await.unwrap().is_empty());
        let queued: Vec<String> = store
            .outbox(workspace.id, "pending", 50)
            .await
            .unwrap()
            .into_iter()
            .filter(|i| i.event == EVENT_MESSAGE)
            .map(|i| i.payload)
            .collect();
        // Newest first in this listing.
        assert_eq!(queued.len(), 2);
        assert!(
            queued[0].contains("two") && queued[1].contains("one"),
            "{queued:?}"
        );
        // A stored message whose queueing never ran shows in the backlog.
        store
            .append_message(c.id, Speaker::Visitor, say("three"), true)
            .await
            .unwrap();
        let backlog = store.freshchat_backlog().await.unwrap();
        assert_eq!(backlog.len(), 1);
        assert_eq!(
            store
                .queue_freshchat_messages(backlog[0].0, backlog[0].1)
                .await
                .unwrap(),
            1
        );
        std::fs::remove_dir_all(dir).ok();
    }
}

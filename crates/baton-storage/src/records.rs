//! What storage hands back: plain records with domain types, never raw rows.

pub use baton_domain::account::{Agent, AgentStatus, Role};
pub use baton_domain::handoff::HandoffSettings;
use baton_domain::handoff::{OfflineReason, Trigger};
use baton_domain::ids::{AgentId, BotId, ConversationId, HandoffId, MessageId, WorkspaceId};
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::ownership::Owner;
use baton_domain::schedule::Schedule;
use baton_domain::texts::{TextKey, Translations, TranslationsDocument};
use baton_domain::triggers::TriggerSettings;
use jiff::Timestamp;

use crate::StoreError;
use crate::row::{Cols, count, id, opt_id, opt_ts, ts};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct Bot {
    pub id: BotId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    /// The first line the widget shows.
    pub greeting: String,
    pub handoff: HandoffSettings,
    /// When a live handoff can be offered: the bot's availability schedule.
    pub schedule: Schedule,
    /// The bot's own instruction to the AI (tone, what it sells); empty for none.
    pub persona: String,
    /// When the bot was archived: its widget opens nothing new, its conversations stay readable.
    pub archived_at: Option<Timestamp>,
    /// The greeting, offline message and lead capture texts in other languages.
    pub translations: Translations,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    pub id: ConversationId,
    pub workspace_id: WorkspaceId,
    pub bot_id: BotId,
    pub visitor_name: Option<String>,
    pub owner: Owner,
    pub owner_version: i64,
    /// The sequence number of the last log entry (0 when empty).
    pub last_seq: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The visitor's language: the server's own notes to the visitor are written in it.
    pub lang: baton_domain::language::Language,
}

/// A conversation as listed in the panel: the record plus a preview of its last text message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversationSummary {
    pub conversation: Conversation,
    pub bot_name: String,
    pub owner_name: Option<String>,
    pub last_text: Option<String>,
    /// The site vouched for this visitor (a signed identity).
    pub visitor_verified: bool,
    pub visitor_email: Option<String>,
}

/// One entry of a conversation's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub seq: i64,
    pub kind: MessageKind,
    pub author_kind: AuthorKind,
    pub author_agent_id: Option<AgentId>,
    pub author_name: Option<String>,
    pub body: String,
    pub client_id: Option<String>,
    /// Structured details of system events (e.g. the handoff id), as JSON.
    pub data: Option<serde_json::Value>,
    pub created_at: Timestamp,
}

/// A message to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    pub kind: MessageKind,
    pub author_kind: AuthorKind,
    pub author_agent_id: Option<AgentId>,
    pub author_name: Option<String>,
    pub body: String,
    pub client_id: Option<String>,
    pub data: Option<serde_json::Value>,
}

impl NewMessage {
    /// A system event with visitor-readable text.
    pub fn system(
        kind: MessageKind,
        body: impl Into<String>,
        data: serde_json::Value,
    ) -> NewMessage {
        NewMessage {
            kind,
            author_kind: AuthorKind::System,
            author_agent_id: None,
            author_name: None,
            body: body.into(),
            client_id: None,
            data: Some(data),
        }
    }
}

baton_domain::named_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum HandoffStatus {
        Waiting = "waiting",
        Accepted = "accepted",
        Ended = "ended",
        Cancelled = "cancelled",
        Expired = "expired",
        Offline = "offline",
        /// Routed into the workspace's FreshChat; its team answers there.
        Routed = "routed",
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handoff {
    pub id: HandoffId,
    pub workspace_id: WorkspaceId,
    pub conversation_id: ConversationId,
    pub bot_id: BotId,
    pub trigger: Trigger,
    pub reason: String,
    pub summary: Option<String>,
    pub status: HandoffStatus,
    pub offline_reason: Option<OfflineReason>,
    pub agent_id: Option<AgentId>,
    pub requested_at: Timestamp,
    pub deadline_at: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    /// When nobody had accepted at half the accept timeout and the handoff was rung again.
    pub escalated_at: Option<Timestamp>,
}

// ---- row mapping -------------------------------------------------------------------------------

impl Workspace {
    pub(crate) fn from_row(row: &dyn Cols) -> Result<Self, StoreError> {
        Ok(Workspace {
            id: id(row, "id")?,
            name: row.text("name")?,
            created_at: ts(row, "created_at")?,
        })
    }
}

impl Bot {
    pub(crate) const COLUMNS: &'static str = "id, workspace_id, name, greeting, handoff_enabled, \
        handoff_instruction, offline_message, accept_timeout_seconds, ai_helps_while_waiting, schedule, lead_capture_enabled, lead_capture_prompt, \
        lead_capture_success, ai_triggers, freshchat_enabled, persona, archived_at, text_translations";

    pub(crate) fn from_row(row: &dyn Cols) -> Result<Self, StoreError> {
        Ok(Bot {
            id: id(row, "id")?,
            workspace_id: id(row, "workspace_id")?,
            name: row.text("name")?,
            greeting: row.text("greeting")?,
            handoff: HandoffSettings {
                enabled: row.flag("handoff_enabled")?,
                instruction: row.text("handoff_instruction")?,
                offline_message: row.text("offline_message")?,
                accept_timeout_seconds: count(row, "accept_timeout_seconds")?,
                ai_helps_while_waiting: row.flag("ai_helps_while_waiting")?,
                lead_capture_enabled: row.flag("lead_capture_enabled")?,
                lead_capture_prompt: row.text("lead_capture_prompt")?,
                lead_capture_success: row.text("lead_capture_success")?,
                ai_triggers: {
                    let text = row.opt_text("ai_triggers")?;
                    match text {
                        None => TriggerSettings::default(),
                        Some(text) => serde_json::from_str(&text)
                            .map_err(|_| StoreError::Corrupt("bots.ai_triggers"))?,
                    }
                },
                freshchat_enabled: row.flag("freshchat_enabled")?,
            },
            schedule: {
                let text = row.opt_text("schedule")?;
                match text {
                    None => Schedule::always_open_utc(),
                    Some(text) => Schedule::parse_json(&text)
                        .map_err(|_| StoreError::Corrupt("bots.schedule"))?,
                }
            },
            persona: row.text("persona")?,
            archived_at: opt_ts(row, "archived_at")?,
            translations: {
                let text = row.text("text_translations")?;
                let document: TranslationsDocument = serde_json::from_str(&text)
                    .map_err(|_| StoreError::Corrupt("bots.text_translations"))?;
                Translations::parse(&document, &TextKey::ALL, |_| usize::MAX)
                    .map_err(|_| StoreError::Corrupt("bots.text_translations"))?
            },
        })
    }
}

/// The stored form of a bot's translations.
pub(crate) fn translations_json(translations: &Translations) -> Result<String, StoreError> {
    serde_json::to_string(&translations.document())
        .map_err(|_| StoreError::Corrupt("bots.text_translations"))
}

/// The columns [`agent_from_row`] reads.
pub(crate) const AGENT_COLUMNS: &str =
    "id, workspace_id, email, display_name, role, max_chats, status, active";

/// An agent's account from its row (the record itself is a domain noun).
pub(crate) fn agent_from_row(row: &dyn Cols) -> Result<Agent, StoreError> {
    let role = row.text("role")?;
    let status = row.text("status")?;
    Ok(Agent {
        id: id(row, "id")?,
        workspace_id: id(row, "workspace_id")?,
        email: row.text("email")?,
        display_name: row.text("display_name")?,
        role: Role::parse(&role).ok_or(StoreError::Corrupt("agents.role"))?,
        max_chats: count(row, "max_chats")?,
        status: AgentStatus::parse(&status).ok_or(StoreError::Corrupt("agents.status"))?,
        active: row.flag("active")?,
    })
}

impl Conversation {
    pub(crate) const COLUMNS: &'static str = "c.id, c.workspace_id, c.bot_id, c.visitor_name, \
        c.owner_state, c.owner_agent_id, c.owner_version, c.last_seq, c.created_at, c.updated_at, \
        c.lang";

    pub(crate) fn from_row(row: &dyn Cols) -> Result<Self, StoreError> {
        let state = row.text("owner_state")?;
        let owner = Owner::from_parts(&state, opt_id(row, "owner_agent_id")?)
            .ok_or(StoreError::Corrupt("conversations.owner_state"))?;
        Ok(Conversation {
            id: id(row, "id")?,
            workspace_id: id(row, "workspace_id")?,
            bot_id: id(row, "bot_id")?,
            visitor_name: row.opt_text("visitor_name")?,
            owner,
            owner_version: row.int("owner_version")?,
            last_seq: row.int("last_seq")?,
            created_at: ts(row, "created_at")?,
            updated_at: ts(row, "updated_at")?,
            // A language no longer spoken reads as English rather than failing the conversation.
            lang: baton_domain::language::Language::from_code(&row.text("lang")?)
                .unwrap_or_default(),
        })
    }
}

impl Message {
    pub(crate) const COLUMNS: &'static str = "id, conversation_id, seq, kind, author_kind, \
        author_agent_id, author_name, body, client_id, data, created_at";

    pub(crate) fn from_row(row: &dyn Cols) -> Result<Self, StoreError> {
        let kind = row.text("kind")?;
        let author = row.text("author_kind")?;
        let data = row.opt_text("data")?;
        Ok(Message {
            id: id(row, "id")?,
            conversation_id: id(row, "conversation_id")?,
            seq: row.int("seq")?,
            kind: MessageKind::parse(&kind).ok_or(StoreError::Corrupt("messages.kind"))?,
            author_kind: AuthorKind::parse(&author)
                .ok_or(StoreError::Corrupt("messages.author_kind"))?,
            author_agent_id: opt_id(row, "author_agent_id")?,
            author_name: row.opt_text("author_name")?,
            body: row.text("body")?,
            client_id: row.opt_text("client_id")?,
            data: data
                .map(|d| serde_json::from_str(&d).map_err(|_| StoreError::Corrupt("messages.data")))
                .transpose()?,
            created_at: ts(row, "created_at")?,
        })
    }
}

impl Handoff {
    pub(crate) const COLUMNS: &'static str = "h.id, h.workspace_id, h.conversation_id, h.bot_id, \
        h.trigger_kind, h.reason, h.summary, h.status, h.offline_reason, h.agent_id, \
        h.requested_at, h.deadline_at, h.accepted_at, h.ended_at, h.escalated_at";

    pub(crate) fn from_row(row: &dyn Cols) -> Result<Self, StoreError> {
        let trigger = row.text("trigger_kind")?;
        let status = row.text("status")?;
        let offline = row.opt_text("offline_reason")?;
        Ok(Handoff {
            id: id(row, "id")?,
            workspace_id: id(row, "workspace_id")?,
            conversation_id: id(row, "conversation_id")?,
            bot_id: id(row, "bot_id")?,
            trigger: trigger
                .parse()
                .map_err(|_| StoreError::Corrupt("handoffs.trigger_kind"))?,
            reason: row.text("reason")?,
            summary: row.opt_text("summary")?,
            status: HandoffStatus::parse(&status).ok_or(StoreError::Corrupt("handoffs.status"))?,
            offline_reason: offline
                .map(|o| {
                    parse_offline_reason(&o).ok_or(StoreError::Corrupt("handoffs.offline_reason"))
                })
                .transpose()?,
            agent_id: opt_id(row, "agent_id")?,
            requested_at: ts(row, "requested_at")?,
            deadline_at: opt_ts(row, "deadline_at")?,
            accepted_at: opt_ts(row, "accepted_at")?,
            ended_at: opt_ts(row, "ended_at")?,
            escalated_at: opt_ts(row, "escalated_at")?,
        })
    }
}

pub(crate) fn parse_offline_reason(s: &str) -> Option<OfflineReason> {
    [
        OfflineReason::HandoffDisabled,
        OfflineReason::NeverAvailable,
        OfflineReason::ScheduleClosed,
        OfflineReason::NobodyAvailable,
        OfflineReason::NobodyAccepted,
    ]
    .into_iter()
    .find(|r| r.as_str() == s)
}

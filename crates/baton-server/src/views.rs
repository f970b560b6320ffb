//! The JSON shapes of the API and the WebSocket events (documented in docs/api.md and
//! docs/websocket.md). Records become views here and nowhere else.

use baton_domain::handoff::{OfflineReason, Trigger};
use baton_domain::ids::{AgentId, BotId, ConversationId, HandoffId, MessageId};
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::texts::{TextKey, Translations, TranslationsDocument};
use baton_domain::ticket::{TicketPriority, TicketStatus};
use baton_domain::triggers::TriggerSettings;
use baton_storage::{
    Agent, Bot, Conversation, ConversationSummary, Handoff, HandoffSettings, Message, OutboxItem,
    Ticket, TicketNote,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize)]
pub struct MessageView {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub seq: i64,
    pub kind: MessageKind,
    pub author_kind: AuthorKind,
    pub author_name: Option<String>,
    pub text: String,
    pub client_id: Option<String>,
    pub data: Option<serde_json::Value>,
    pub created_at: String,
}

impl From<&Message> for MessageView {
    fn from(m: &Message) -> Self {
        MessageView {
            id: m.id,
            conversation_id: m.conversation_id,
            seq: m.seq,
            kind: m.kind,
            author_kind: m.author_kind,
            author_name: m.author_name.clone(),
            text: m.body.clone(),
            client_id: m.client_id.clone(),
            data: m.data.clone(),
            created_at: m.created_at.to_string(),
        }
    }
}

/// A conversation as its visitor sees it.
#[derive(Clone, Debug, Serialize)]
pub struct VisitorConversationView {
    pub id: ConversationId,
    pub bot_id: BotId,
    pub state: &'static str,
    pub agent_name: Option<String>,
    pub last_seq: i64,
    pub created_at: String,
}

impl VisitorConversationView {
    pub fn new(c: &Conversation, agent_name: Option<String>) -> Self {
        VisitorConversationView {
            id: c.id,
            bot_id: c.bot_id,
            state: c.owner.state_name(),
            agent_name,
            last_seq: c.last_seq,
            created_at: c.created_at.to_string(),
        }
    }
}

/// A conversation as agents see it in the panel.
#[derive(Clone, Debug, Serialize)]
pub struct ConversationView {
    pub id: ConversationId,
    pub bot_id: BotId,
    pub bot_name: String,
    pub visitor_name: Option<String>,
    /// The site vouched for the visitor (a signed identity); then their email, when it gave one.
    pub visitor_verified: bool,
    pub visitor_email: Option<String>,
    pub state: &'static str,
    pub agent_id: Option<AgentId>,
    pub agent_name: Option<String>,
    pub last_seq: i64,
    pub last_text: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&ConversationSummary> for ConversationView {
    fn from(s: &ConversationSummary) -> Self {
        let c = &s.conversation;
        ConversationView {
            id: c.id,
            bot_id: c.bot_id,
            bot_name: s.bot_name.clone(),
            visitor_name: c.visitor_name.clone(),
            visitor_verified: s.visitor_verified,
            visitor_email: s.visitor_email.clone(),
            state: c.owner.state_name(),
            agent_id: c.owner.agent(),
            agent_name: s.owner_name.clone(),
            last_seq: c.last_seq,
            last_text: s.last_text.clone(),
            created_at: c.created_at.to_string(),
            updated_at: c.updated_at.to_string(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct HandoffView {
    pub id: HandoffId,
    pub conversation_id: ConversationId,
    pub bot_id: BotId,
    pub trigger: Trigger,
    pub reason: String,
    pub summary: Option<String>,
    pub status: &'static str,
    pub offline_reason: Option<OfflineReason>,
    pub agent_id: Option<AgentId>,
    pub requested_at: String,
    pub deadline_at: Option<String>,
    pub accepted_at: Option<String>,
    pub ended_at: Option<String>,
    /// Set once nobody had accepted at half the accept timeout: the panel marks it urgent.
    pub escalated_at: Option<String>,
}

impl From<&Handoff> for HandoffView {
    fn from(h: &Handoff) -> Self {
        HandoffView {
            id: h.id,
            conversation_id: h.conversation_id,
            bot_id: h.bot_id,
            trigger: h.trigger,
            reason: h.reason.clone(),
            summary: h.summary.clone(),
            status: h.status.as_str(),
            offline_reason: h.offline_reason,
            agent_id: h.agent_id,
            requested_at: h.requested_at.to_string(),
            deadline_at: h.deadline_at.map(|t| t.to_string()),
            accepted_at: h.accepted_at.map(|t| t.to_string()),
            ended_at: h.ended_at.map(|t| t.to_string()),
            escalated_at: h.escalated_at.map(|t| t.to_string()),
        }
    }
}

/// What an agent sees of a waiting handoff before accepting it (the handoff brief).
#[derive(Clone, Debug, Serialize)]
pub struct HandoffBrief {
    #[serde(flatten)]
    pub handoff: HandoffView,
    pub bot_name: String,
    pub visitor_name: Option<String>,
    /// 1 = next in the workspace's queue.
    pub position: u32,
    pub last_messages: Vec<MessageView>,
    /// Contact details and order numbers the visitor mentioned.
    pub details: baton_domain::brief::Details,
    /// What the AI already answered (its latest replies, oldest first).
    pub ai_answers: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgentView {
    pub id: AgentId,
    pub email: String,
    pub display_name: String,
    pub role: &'static str,
    pub max_chats: u32,
    pub status: &'static str,
    pub active: bool,
}

impl From<&Agent> for AgentView {
    fn from(a: &Agent) -> Self {
        AgentView {
            id: a.id,
            email: a.email.clone(),
            display_name: a.display_name.clone(),
            role: a.role.as_str(),
            max_chats: a.max_chats,
            status: a.status.as_str(),
            active: a.active,
        }
    }
}

/// A bot's handoff settings as exchanged by the API.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoffSettingsView {
    pub enabled: bool,
    pub instruction: String,
    pub offline_message: String,
    pub accept_timeout_seconds: u32,
    pub ai_helps_while_waiting: bool,
    pub lead_capture_enabled: bool,
    pub lead_capture_prompt: String,
    pub lead_capture_success: String,
    pub ai_triggers: TriggerSettings,
    /// Route this bot's handoffs into the workspace's FreshChat (docs/freshchat.md).
    #[serde(default)]
    pub freshchat_enabled: bool,
    /// The offline message and lead capture texts in other languages:
    /// `{"de": {"offline_message": "..."}}`. Omitted on a save, the stored ones stay.
    #[serde(default)]
    pub translations: Option<TranslationsDocument>,
}

impl HandoffSettingsView {
    /// The settings with the bot's translations of their texts.
    pub fn new(h: &HandoffSettings, translations: &Translations) -> Self {
        HandoffSettingsView {
            enabled: h.enabled,
            instruction: h.instruction.clone(),
            offline_message: h.offline_message.clone(),
            accept_timeout_seconds: h.accept_timeout_seconds,
            ai_helps_while_waiting: h.ai_helps_while_waiting,
            lead_capture_enabled: h.lead_capture_enabled,
            lead_capture_prompt: h.lead_capture_prompt.clone(),
            lead_capture_success: h.lead_capture_success.clone(),
            ai_triggers: h.ai_triggers.clone(),
            freshchat_enabled: h.freshchat_enabled,
            translations: Some(translations.only(TextKey::HANDOFF).document()),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct BotView {
    pub id: BotId,
    pub name: String,
    pub greeting: String,
    pub persona: String,
    /// When the bot was archived; `null` while it is in use.
    pub archived_at: Option<jiff::Timestamp>,
    /// The greeting in other languages: `{"de": {"greeting": "..."}}`.
    pub translations: TranslationsDocument,
    pub handoff: HandoffSettingsView,
}

impl From<&Bot> for BotView {
    fn from(b: &Bot) -> Self {
        BotView {
            id: b.id,
            name: b.name.clone(),
            greeting: b.greeting.clone(),
            persona: b.persona.clone(),
            archived_at: b.archived_at,
            translations: b.translations.only(TextKey::BOT).document(),
            handoff: HandoffSettingsView::new(&b.handoff, &b.translations),
        }
    }
}

/// What the widget needs to know about a bot before a conversation starts.
#[derive(Clone, Debug, Serialize)]
pub struct PublicBotView {
    pub id: BotId,
    pub name: String,
    /// In the language asked for when the admin wrote it in that language, else as written.
    pub greeting: String,
    pub handoff_enabled: bool,
    /// Whether the visitor can leave details for a ticket.
    pub lead_capture_enabled: bool,
    pub max_message_bytes: usize,
    /// Whether the visitor may have the conversation emailed (the server sends email).
    pub email_transcripts: bool,
    /// The language of `strings` (`en` when the one asked for is not spoken).
    pub lang: &'static str,
    /// Every text the widget shows, in that language.
    pub strings: &'static crate::widget_strings::Strings,
}

#[derive(Clone, Debug, Serialize)]
pub struct TicketView {
    pub id: uuid::Uuid,
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
    pub bot_name: String,
    pub assignee_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Ticket> for TicketView {
    fn from(t: &Ticket) -> Self {
        TicketView {
            id: t.id,
            bot_id: t.bot_id,
            conversation_id: t.conversation_id,
            contact_email: t.contact_email.clone(),
            contact_name: t.contact_name.clone(),
            subject: t.subject.clone(),
            description: t.description.clone(),
            trigger: t.trigger,
            reason: t.reason.clone(),
            status: t.status,
            priority: t.priority,
            assignee_id: t.assignee_id,
            bot_name: t.bot_name.clone(),
            assignee_name: t.assignee_name.clone(),
            created_at: t.created_at.to_string(),
            updated_at: t.updated_at.to_string(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TicketNoteView {
    pub id: uuid::Uuid,
    pub agent_id: AgentId,
    pub agent_name: String,
    pub kind: String,
    pub body: String,
    pub created_at: String,
}

impl From<&TicketNote> for TicketNoteView {
    fn from(n: &TicketNote) -> Self {
        TicketNoteView {
            id: n.id,
            agent_id: n.agent_id,
            agent_name: n.agent_name.clone(),
            kind: n.kind.clone(),
            body: n.body.clone(),
            created_at: n.created_at.to_string(),
        }
    }
}

/// A delivery in the outbox, as admins see it (payloads are not shown: they may hold contact
/// details, and the secret-signed body is the receiver's business).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[schema(as = OutboxItem)]
pub struct OutboxView {
    /// Also the `X-Baton-Delivery` header of a webhook.
    #[schema(value_type = crate::http::openapi::Id)]
    pub id: uuid::Uuid,
    #[schema(value_type = crate::http::tickets::ChannelDoc, inline)]
    pub channel: String,
    #[schema(value_type = crate::http::tickets::EventDoc, inline)]
    pub event: String,
    /// The webhook URL or the email address, as when it was queued; for `freshchat`, the Baton
    /// conversation id.
    pub destination: String,
    #[schema(value_type = crate::http::tickets::DeliveryStatus)]
    pub status: String,
    /// Attempts made so far.
    #[schema(minimum = 0)]
    pub attempts: u32,
    /// When a pending delivery is next attempted.
    #[schema(value_type = crate::http::openapi::Timestamp)]
    pub next_attempt_at: String,
    /// Why the latest attempt failed (e.g. `the receiver answered 500 Internal Server Error`).
    #[schema(required = true)]
    pub last_error: Option<String>,
    #[schema(value_type = crate::http::openapi::Timestamp)]
    pub created_at: String,
    #[schema(value_type = Option<crate::http::openapi::Timestamp>, required = true)]
    pub delivered_at: Option<String>,
}

impl From<&OutboxItem> for OutboxView {
    fn from(o: &OutboxItem) -> Self {
        OutboxView {
            id: o.id,
            channel: o.channel.clone(),
            event: o.event.clone(),
            destination: o.destination.clone(),
            status: o.status.clone(),
            attempts: o.attempts,
            next_attempt_at: o.next_attempt_at.to_string(),
            last_error: o.last_error.clone(),
            created_at: o.created_at.to_string(),
            delivered_at: o.delivered_at.map(|t| t.to_string()),
        }
    }
}

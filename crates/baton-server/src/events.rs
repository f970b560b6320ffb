//! Every frame the server sends on a WebSocket, as one type (documented in docs/websocket.md;
//! a test below keeps the two in step).
//!
//! A frame is built as an [`Event`] and serialised once, where it is published; the hub hands the
//! same bytes to every socket that receives it. Nothing else in the server writes a frame's JSON.

use baton_domain::ids::{AgentId, ConversationId, HandoffId};
use serde::{Deserialize, Serialize};

use crate::views::{AgentView, ConversationView, HandoffBrief, MessageView, TicketView};

/// A server → client frame. `type` names the variant in snake case.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event<'a> {
    // ---- a conversation's listeners (the visitor's socket, panels following it)
    /// A stored log entry.
    Message {
        message: MessageView,
    },
    /// The conversation's owner. `state` is `null` when the conversation could not be read.
    State {
        conversation_id: ConversationId,
        state: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        agent_id: Option<AgentId>,
        agent_name: Option<String>,
    },
    /// The waiting visitor's place in the queue.
    Queue {
        conversation_id: ConversationId,
        position: u32,
        expected_wait_seconds: Option<u32>,
    },
    Typing {
        conversation_id: ConversationId,
        author_kind: baton_domain::message::AuthorKind,
        name: Option<&'a str>,
    },
    /// A piece of the bot's reply while it streams.
    Delta {
        conversation_id: ConversationId,
        text: &'a str,
    },
    /// The bot's turn is over.
    DeltaEnd {
        conversation_id: ConversationId,
    },

    // ---- answers to one socket
    /// The visitor socket's replay is complete.
    Ready {
        last_seq: i64,
    },
    /// The panel socket follows a conversation from here on.
    Subscribed {
        conversation_id: ConversationId,
        last_seq: i64,
    },
    /// A `send` was stored (or had been: a retry of its client id).
    Ack {
        client_id: &'a str,
        message: MessageView,
    },
    /// A client frame was refused.
    Error {
        client_id: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        conversation_id: Option<&'a str>,
        error: ErrorBody<'a>,
    },
    Pong,
    /// The panel socket's first frame.
    Hello {
        agent: AgentView,
        handoffs: Vec<HandoffBrief>,
    },

    // ---- a workspace's panels
    HandoffRequested {
        handoff: HandoffBrief,
    },
    HandoffTaken {
        handoff_id: HandoffId,
        conversation_id: ConversationId,
        agent_id: AgentId,
        agent_name: &'a str,
    },
    HandoffWithdrawn {
        handoff_id: HandoffId,
        conversation_id: ConversationId,
        reason: &'a str,
    },
    HandoffEscalated {
        handoff_id: HandoffId,
        conversation_id: ConversationId,
        escalated_at: Option<String>,
    },
    Conversation {
        conversation: ConversationView,
    },
    Presence {
        agent_id: AgentId,
        display_name: &'a str,
        status: &'static str,
        online: bool,
    },
    TicketCreated {
        ticket: TicketView,
        open_tickets: u32,
    },
    TicketUpdated {
        ticket: TicketView,
        open_tickets: u32,
    },
    /// The panel fell behind and events were dropped: reload over HTTP.
    Resync,
}

/// The `error` member of an [`Event::Error`].
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    pub code: &'a str,
    pub message: &'a str,
    /// Seconds to wait before retrying (refusals to retry later only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Event<'_> {
    /// The frame's JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an event always serialises")
    }
}

/// What happened to a ticket: the two ticket events, as cluster notices name them too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketChange {
    #[serde(rename = "ticket_created")]
    Created,
    #[serde(rename = "ticket_updated")]
    Updated,
}

impl Event<'_> {
    /// The event for a ticket's change.
    pub fn ticket(change: TicketChange, ticket: TicketView, open_tickets: u32) -> Self {
        match change {
            TicketChange::Created => Event::TicketCreated {
                ticket,
                open_tickets,
            },
            TicketChange::Updated => Event::TicketUpdated {
                ticket,
                open_tickets,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use baton_domain::handoff::Trigger;
    use baton_domain::ids::{BotId, MessageId};
    use baton_domain::message::{AuthorKind, MessageKind};
    use baton_domain::ticket::{TicketPriority, TicketStatus};

    use super::*;
    use crate::views::HandoffView;

    const DOC: &str = include_str!("../../../docs/websocket.md");

    fn message() -> MessageView {
        MessageView {
            id: MessageId::new(),
            conversation_id: ConversationId::new(),
            seq: 1,
            kind: MessageKind::Text,
            author_kind: AuthorKind::Visitor,
            author_name: None,
            text: "hi".into(),
            client_id: None,
            data: None,
            created_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    fn brief() -> HandoffBrief {
        HandoffBrief {
            handoff: HandoffView {
                id: HandoffId::new(),
                conversation_id: ConversationId::new(),
                bot_id: BotId::new(),
                trigger: Trigger::UserRequest,
                reason: "asked".into(),
                summary: None,
                status: "waiting",
                offline_reason: None,
                agent_id: None,
                requested_at: "2026-01-01T00:00:00Z".into(),
                deadline_at: None,
                accepted_at: None,
                ended_at: None,
                escalated_at: None,
            },
            bot_name: "Bot".into(),
            visitor_name: None,
            position: 1,
            last_messages: vec![],
            details: Default::default(),
            ai_answers: vec![],
        }
    }

    fn ticket() -> TicketView {
        TicketView {
            id: uuid::Uuid::now_v7(),
            bot_id: BotId::new(),
            conversation_id: ConversationId::new(),
            contact_email: "a@example.com".into(),
            contact_name: None,
            subject: "s".into(),
            description: "d".into(),
            trigger: None,
            reason: None,
            status: TicketStatus::Open,
            priority: TicketPriority::High,
            assignee_id: None,
            bot_name: "Bot".into(),
            assignee_name: None,
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    /// One of every event, each with every optional field present. The `match` makes a new
    /// variant fail to compile here until it has a sample (and so a documentation check).
    fn samples() -> Vec<Event<'static>> {
        let c = ConversationId::new;
        let all = vec![
            Event::Message { message: message() },
            Event::State {
                conversation_id: c(),
                state: Some("human"),
                agent_id: Some(AgentId::new()),
                agent_name: Some("Ana".into()),
            },
            Event::Queue {
                conversation_id: c(),
                position: 1,
                expected_wait_seconds: Some(60),
            },
            Event::Typing {
                conversation_id: c(),
                author_kind: AuthorKind::Agent,
                name: Some("Ana"),
            },
            Event::Delta {
                conversation_id: c(),
                text: "Hel",
            },
            Event::DeltaEnd {
                conversation_id: c(),
            },
            Event::Ready { last_seq: 3 },
            Event::Subscribed {
                conversation_id: c(),
                last_seq: 3,
            },
            Event::Ack {
                client_id: "w-1",
                message: message(),
            },
            Event::Error {
                client_id: Some("w-1"),
                conversation_id: Some("01963f5e"),
                error: ErrorBody {
                    code: "overloaded",
                    message: "busy",
                    retry_after: Some(1),
                },
            },
            Event::Pong,
            Event::Hello {
                agent: AgentView {
                    id: AgentId::new(),
                    email: "a@example.com".into(),
                    display_name: "Ana".into(),
                    role: "agent",
                    max_chats: 3,
                    status: "online",
                    active: true,
                },
                handoffs: vec![brief()],
            },
            Event::HandoffRequested { handoff: brief() },
            Event::HandoffTaken {
                handoff_id: HandoffId::new(),
                conversation_id: c(),
                agent_id: AgentId::new(),
                agent_name: "Ana",
            },
            Event::HandoffWithdrawn {
                handoff_id: HandoffId::new(),
                conversation_id: c(),
                reason: "cancelled",
            },
            Event::HandoffEscalated {
                handoff_id: HandoffId::new(),
                conversation_id: c(),
                escalated_at: Some("2026-01-01T00:00:00Z".into()),
            },
            Event::Conversation {
                conversation: ConversationView {
                    id: c(),
                    bot_id: BotId::new(),
                    bot_name: "Bot".into(),
                    visitor_name: None,
                    visitor_verified: false,
                    visitor_email: None,
                    state: "ai",
                    agent_id: None,
                    agent_name: None,
                    last_seq: 0,
                    last_text: None,
                    created_at: "2026-01-01T00:00:00Z".into(),
                    updated_at: "2026-01-01T00:00:00Z".into(),
                },
            },
            Event::Presence {
                agent_id: AgentId::new(),
                display_name: "Ana",
                status: "online",
                online: true,
            },
            Event::ticket(TicketChange::Created, ticket(), 1),
            Event::ticket(TicketChange::Updated, ticket(), 1),
            Event::Resync,
        ];
        for event in &all {
            match event {
                Event::Message { .. }
                | Event::State { .. }
                | Event::Queue { .. }
                | Event::Typing { .. }
                | Event::Delta { .. }
                | Event::DeltaEnd { .. }
                | Event::Ready { .. }
                | Event::Subscribed { .. }
                | Event::Ack { .. }
                | Event::Error { .. }
                | Event::Pong
                | Event::Hello { .. }
                | Event::HandoffRequested { .. }
                | Event::HandoffTaken { .. }
                | Event::HandoffWithdrawn { .. }
                | Event::HandoffEscalated { .. }
                | Event::Conversation { .. }
                | Event::Presence { .. }
                | Event::TicketCreated { .. }
                | Event::TicketUpdated { .. }
                | Event::Resync => {}
            }
        }
        all
    }

    /// The rows of docs/websocket.md's server → client tables (first header cell `` `type` ``),
    /// by type: each row's text.
    fn documented() -> BTreeMap<String, Vec<String>> {
        let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut in_table = false;
        for line in DOC.lines() {
            if line.starts_with("| `type` |") {
                in_table = true;
                continue;
            }
            if !line.starts_with('|') {
                in_table = false;
                continue;
            }
            if !in_table || line.starts_with("|---") {
                continue;
            }
            let first = line.split('|').nth(1).unwrap_or("").trim();
            if let Some(name) = first.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
                rows.entry(name.to_owned())
                    .or_default()
                    .push(line.to_owned());
            }
        }
        rows
    }

    #[test]
    fn every_event_is_documented_with_its_fields_and_nothing_else_is() {
        let documented = documented();
        let mut sent = BTreeSet::new();
        for event in samples() {
            let value = serde_json::to_value(&event).unwrap();
            let object = value.as_object().unwrap();
            let kind = object["type"].as_str().unwrap().to_owned();
            let rows = documented
                .get(&kind)
                .unwrap_or_else(|| panic!("docs/websocket.md has no row for `{kind}`"));
            for field in object.keys().filter(|k| *k != "type") {
                for row in rows {
                    assert!(
                        row.contains(&format!("`{field}")),
                        "docs/websocket.md's row for `{kind}` does not name `{field}`: {row}"
                    );
                }
            }
            sent.insert(kind);
        }
        let stale: Vec<_> = documented.keys().filter(|k| !sent.contains(*k)).collect();
        assert!(
            stale.is_empty(),
            "docs/websocket.md documents frames the server never sends: {stale:?}"
        );
    }

    #[test]
    fn frames_are_tagged_by_type_in_snake_case() {
        assert_eq!(Event::Pong.to_json(), r#"{"type":"pong"}"#);
        assert_eq!(
            Event::Ready { last_seq: 7 }.to_json(),
            r#"{"type":"ready","last_seq":7}"#
        );
        let refused = Event::Error {
            client_id: None,
            conversation_id: None,
            error: ErrorBody {
                code: "invalid",
                message: "send text frames with JSON",
                retry_after: None,
            },
        };
        assert_eq!(
            refused.to_json(),
            r#"{"type":"error","client_id":null,"error":{"code":"invalid","message":"send text frames with JSON"}}"#
        );
        let ticket =
            serde_json::to_value(Event::ticket(TicketChange::Updated, ticket(), 2)).unwrap();
        assert_eq!(ticket["type"], "ticket_updated");
        assert_eq!(ticket["open_tickets"], 2);
    }
}

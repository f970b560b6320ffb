//! Typed identifiers. Every id is a UUIDv7 (time-ordered), stored as text; the types keep a bot id
//! from ever being passed where a conversation id is expected. Generating ids reads the clock, so
//! [`new`](WorkspaceId::new) is meant for the edges; the domain only compares and carries them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::Entity;

/// An id that names what it identifies: a lookup by it that finds nothing reports this entity.
pub trait EntityId: FromStr + Copy {
    const ENTITY: Entity;
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $entity:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl EntityId for $name {
            const ENTITY: Entity = Entity::$entity;
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A tenant: its bots, agents and conversations are invisible to other workspaces.
    WorkspaceId,
    Workspace
);
id_type!(
    /// An AI bot configured by a workspace.
    BotId,
    Bot
);
id_type!(
    /// A human support agent's account.
    AgentId,
    Agent
);
id_type!(
    /// One visitor's conversation with a bot (and possibly agents).
    ConversationId,
    Conversation
);
id_type!(
    /// A stored message or conversation event.
    MessageId,
    Message
);
id_type!(
    /// One request for a person, from request to its end.
    HandoffId,
    Handoff
);
id_type!(
    /// A file sent in a conversation.
    AttachmentId,
    Attachment
);

id_type!(
    /// A ticket: a visitor's request the team answers later.
    TicketId,
    Ticket
);
id_type!(
    /// A workspace's saved reply (a canned answer agents insert by shortcut).
    SavedReplyId,
    SavedReply
);
id_type!(
    /// One entry of a bot's knowledge.
    KnowledgeEntryId,
    KnowledgeEntry
);
id_type!(
    /// One item of the outbox: an email or webhook on its way out.
    DeliveryId,
    Delivery
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text() {
        let id = ConversationId::new();
        let parsed: ConversationId = id.to_string().parse().unwrap();
        assert_eq!(id, parsed);
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = MessageId::new();
        let b = MessageId::new();
        assert!(a < b);
    }

    #[test]
    fn an_id_names_what_it_identifies() {
        assert_eq!(BotId::ENTITY, Entity::Bot);
        assert_eq!(SavedReplyId::ENTITY.noun(), "saved reply");
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert!("not-a-uuid".parse::<BotId>().is_err());
    }
}

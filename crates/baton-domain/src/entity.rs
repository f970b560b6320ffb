//! The things a request can name by id, and so find missing: one list, with the word people read
//! in an error ("conversation not found"). Storage reports which one it did not find; the HTTP
//! edge and the CLI word the answer from it.

use std::fmt;

/// A kind of stored thing that can be looked up and not found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    Workspace,
    Bot,
    Agent,
    Conversation,
    /// One entry of a conversation's log.
    Message,
    Handoff,
    Ticket,
    Attachment,
    SavedReply,
    KnowledgeEntry,
    /// One item of the outbox (an email or webhook on its way out).
    Delivery,
}

impl Entity {
    /// The word for it in messages people read.
    pub fn noun(self) -> &'static str {
        match self {
            Entity::Workspace => "workspace",
            Entity::Bot => "bot",
            Entity::Agent => "agent",
            Entity::Conversation => "conversation",
            Entity::Message => "message",
            Entity::Handoff => "handoff",
            Entity::Ticket => "ticket",
            Entity::Attachment => "attachment",
            Entity::SavedReply => "saved reply",
            Entity::KnowledgeEntry => "knowledge entry",
            Entity::Delivery => "delivery",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.noun())
    }
}

#[cfg(test)]
mod tests {
    use super::Entity;

    #[test]
    fn an_entity_reads_as_its_noun() {
        assert_eq!(Entity::SavedReply.to_string(), "saved reply");
        assert_eq!(Entity::KnowledgeEntry.to_string(), "knowledge entry");
        assert_eq!(Entity::Conversation.noun(), "conversation");
    }
}

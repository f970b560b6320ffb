//! Turning stored changes into WebSocket events.

use std::sync::Arc;

use baton_domain::ids::{ConversationId, WorkspaceId};
use baton_domain::message::{AuthorKind, MessageKind};
use baton_storage::{Conversation, ConversationSummary, Message};

use crate::events::Event;
use crate::hub::{Frame, Hub, Preview};
use crate::state::AppState;
use crate::views::{ConversationView, MessageView};

/// Publishes stored log entries to their conversations' listeners, in order. Storage calls it
/// for every committed batch (see `Store::set_message_sink`); nothing else publishes messages.
pub(crate) fn publish_messages(hub: &Hub, messages: &[Message]) {
    for message in messages {
        let json = Event::Message {
            message: MessageView::from(message),
        }
        .to_json();
        hub.publish_conversation(
            message.conversation_id,
            Frame {
                seq: Some(message.seq),
                for_visitor: true,
                for_agents: true,
                preview: if ends_preview(message) {
                    Preview::Ends
                } else {
                    Preview::Keeps
                },
                json: Arc::from(json),
            },
        );
    }
}

impl AppState {
    /// Announces the conversation's owner to its listeners and the workspace's panels.
    pub(crate) async fn publish_state(&self, conversation: &Conversation) {
        let agent_name = self.agent_name(conversation).await;
        let json = Event::State {
            conversation_id: conversation.id,
            state: Some(conversation.owner.state_name()),
            agent_id: conversation.owner.agent(),
            agent_name,
        }
        .to_json();
        self.hub.publish_conversation(
            conversation.id,
            Frame {
                seq: None,
                for_visitor: true,
                for_agents: true,
                preview: Preview::Keeps,
                json: Arc::from(json),
            },
        );
        self.publish_conversation_summary(conversation.workspace_id, conversation)
            .await;
    }

    /// Sends the panels the conversation's list entry (on creation and every owner change).
    pub(crate) async fn publish_conversation_summary(
        &self,
        workspace_id: WorkspaceId,
        conversation: &Conversation,
    ) {
        match self.store.conversation_summary(conversation.id).await {
            Ok(summary) if summary.conversation.workspace_id == workspace_id => {
                self.publish_summary(&summary)
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "could not load a conversation summary"),
        }
    }

    /// Sends a conversation as the panel lists it to its workspace's panels, here and (as its
    /// id: it carries the visitor's last words) on the other processes.
    pub(crate) fn publish_summary(&self, summary: &ConversationSummary) {
        self.publish_summary_frame(summary);
        self.announce(crate::cluster::Notice::Summary {
            conversation_id: summary.conversation.id,
        });
    }

    fn publish_summary_frame(&self, summary: &ConversationSummary) {
        self.hub.publish_workspace_here(
            summary.conversation.workspace_id,
            Event::Conversation {
                conversation: ConversationView::from(summary),
            }
            .to_json()
            .into(),
        );
    }

    /// Reads a conversation's list entry and sends it to this process's panels.
    pub(crate) async fn publish_summary_here(&self, conversation_id: ConversationId) {
        match self.store.conversation_summary(conversation_id).await {
            Ok(summary) => self.publish_summary_frame(&summary),
            Err(err) => tracing::warn!(error = %err, "could not load a conversation summary"),
        }
    }

    /// Ephemeral typing indicator.
    pub(crate) fn publish_typing(
        &self,
        conversation: &Conversation,
        author: AuthorKind,
        name: Option<&str>,
    ) {
        let json = Event::Typing {
            conversation_id: conversation.id,
            author_kind: author,
            name,
        }
        .to_json();
        self.hub.publish_conversation(
            conversation.id,
            Frame {
                seq: None,
                for_visitor: author != AuthorKind::Visitor,
                for_agents: true,
                preview: Preview::Keeps,
                json: Arc::from(json),
            },
        );
    }

    pub(crate) async fn agent_name(&self, conversation: &Conversation) -> Option<String> {
        let agent = conversation.owner.agent()?;
        self.store.agent(agent).await.ok().map(|a| a.display_name)
    }
}

/// Whether clients drop the streamed reply's preview when this entry arrives (docs/websocket.md,
/// *Streamed replies*): the bot's stored reply, and the entries after which no reply is coming.
fn ends_preview(message: &Message) -> bool {
    message.author_kind == AuthorKind::Bot
        || matches!(
            message.kind,
            MessageKind::HandoffRequested
                | MessageKind::HandoffOffline
                | MessageKind::HandoffCancelled
                | MessageKind::HandoffExpired
                | MessageKind::AgentJoined
                | MessageKind::LeadRequested
        )
}

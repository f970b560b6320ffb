//! In-process fan-out of events to WebSockets: one channel per conversation (its visitor and the
//! agents watching it) and one per workspace (every panel of that workspace).
//!
//! Events are published after they are stored, already serialised, so a thousand subscribers cost
//! one serialisation. The hub may drop events under load (a lagging subscriber); that is safe
//! because stored events carry their sequence number and subscribers fill any gap from storage.
//! Channels exist only while someone listens.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use baton_domain::ids::{ConversationId, WorkspaceId};
use tokio::sync::broadcast;

/// Small on purpose: every idle visitor socket's conversation holds one of these rings, and a
/// subscriber that falls behind refills from storage anyway.
const CONVERSATION_CAPACITY: usize = 16;
const WORKSPACE_CAPACITY: usize = 1024;

/// One event on a conversation channel.
#[derive(Debug)]
pub struct Frame {
    /// The stored log entry's sequence number; `None` for ephemeral events (typing, queue, state).
    pub seq: Option<i64>,
    /// Whether the visitor's socket should forward it (a visitor does not need its own typing).
    pub for_visitor: bool,
    /// Whether agents' sockets should forward it.
    pub for_agents: bool,
    /// The JSON text sent on the wire.
    pub json: Arc<str>,
}

#[derive(Debug, Default)]
pub struct Hub {
    conversations: Mutex<HashMap<ConversationId, broadcast::Sender<Arc<Frame>>>>,
    workspaces: Mutex<HashMap<WorkspaceId, broadcast::Sender<Arc<str>>>>,
}

/// A live subscription to a conversation's channel; the channel is removed with its last one.
pub struct ConversationSubscription {
    hub: Arc<Hub>,
    id: ConversationId,
    receiver: Option<broadcast::Receiver<Arc<Frame>>>,
}

impl ConversationSubscription {
    pub fn receiver(&mut self) -> &mut broadcast::Receiver<Arc<Frame>> {
        self.receiver.as_mut().expect("present until drop")
    }
}

impl Drop for ConversationSubscription {
    fn drop(&mut self) {
        drop(self.receiver.take());
        let mut channels = self
            .hub
            .conversations
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if channels
            .get(&self.id)
            .is_some_and(|s| s.receiver_count() == 0)
        {
            channels.remove(&self.id);
        }
    }
}

/// A live subscription to a workspace's panel channel.
pub struct WorkspaceSubscription {
    hub: Arc<Hub>,
    id: WorkspaceId,
    receiver: Option<broadcast::Receiver<Arc<str>>>,
}

impl WorkspaceSubscription {
    pub fn receiver(&mut self) -> &mut broadcast::Receiver<Arc<str>> {
        self.receiver.as_mut().expect("present until drop")
    }
}

impl Drop for WorkspaceSubscription {
    fn drop(&mut self) {
        drop(self.receiver.take());
        let mut channels = self
            .hub
            .workspaces
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if channels
            .get(&self.id)
            .is_some_and(|s| s.receiver_count() == 0)
        {
            channels.remove(&self.id);
        }
    }
}

impl Hub {
    pub fn subscribe_conversation(
        self: &Arc<Self>,
        id: ConversationId,
    ) -> ConversationSubscription {
        let mut channels = self.conversations.lock().unwrap_or_else(|e| e.into_inner());
        let receiver = channels
            .entry(id)
            .or_insert_with(|| broadcast::channel(CONVERSATION_CAPACITY).0)
            .subscribe();
        ConversationSubscription {
            hub: Arc::clone(self),
            id,
            receiver: Some(receiver),
        }
    }

    pub fn subscribe_workspace(self: &Arc<Self>, id: WorkspaceId) -> WorkspaceSubscription {
        let mut channels = self.workspaces.lock().unwrap_or_else(|e| e.into_inner());
        let receiver = channels
            .entry(id)
            .or_insert_with(|| broadcast::channel(WORKSPACE_CAPACITY).0)
            .subscribe();
        WorkspaceSubscription {
            hub: Arc::clone(self),
            id,
            receiver: Some(receiver),
        }
    }

    /// Sends to everyone listening to the conversation (nobody listening is fine).
    pub fn publish_conversation(&self, id: ConversationId, frame: Frame) {
        let channels = self.conversations.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = channels.get(&id) {
            let _ = sender.send(Arc::new(frame));
        }
    }

    /// Sends to every panel of the workspace.
    pub fn publish_workspace(&self, id: WorkspaceId, json: String) {
        let channels = self.workspaces.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = channels.get(&id) {
            let _ = sender.send(Arc::from(json));
        }
    }

    /// How many conversation channels are open (for tests and metrics).
    pub fn conversation_channels(&self) -> usize {
        self.conversations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(seq: i64) -> Frame {
        Frame {
            seq: Some(seq),
            for_visitor: true,
            for_agents: true,
            json: Arc::from(format!("{{\"seq\":{seq}}}")),
        }
    }

    #[tokio::test]
    async fn subscribers_get_what_is_published_and_channels_close_with_them() {
        let hub = Arc::new(Hub::default());
        let id = ConversationId::new();
        let mut a = hub.subscribe_conversation(id);
        let mut b = hub.subscribe_conversation(id);
        hub.publish_conversation(id, frame(1));
        assert_eq!(a.receiver().recv().await.unwrap().seq, Some(1));
        assert_eq!(b.receiver().recv().await.unwrap().seq, Some(1));
        drop(a);
        assert_eq!(hub.conversation_channels(), 1);
        drop(b);
        assert_eq!(hub.conversation_channels(), 0);
    }

    #[tokio::test]
    async fn publishing_without_listeners_is_a_no_op() {
        let hub = Arc::new(Hub::default());
        hub.publish_conversation(ConversationId::new(), frame(1));
        hub.publish_workspace(WorkspaceId::new(), "{}".into());
        assert_eq!(hub.conversation_channels(), 0);
    }
}

//! The application state shared by every request: storage, the event hub, the AI engine, agent
//! presence, rate limiters and the configuration.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use baton_ai::Engine;
use baton_domain::ids::{AgentId, ConversationId};
use baton_storage::Store;

use crate::config::Config;
use crate::hub::Hub;
use crate::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub hub: Arc<Hub>,
    pub engine: Arc<dyn Engine>,
    pub config: Arc<Config>,
    pub presence: Arc<Presence>,
    /// Open visitor sockets per conversation.
    pub visitor_sockets: Arc<SocketCounter<ConversationId>>,
    pub limiters: Arc<Limiters>,
    /// One bot turn at a time per conversation, so replies come in the order of the questions.
    pub bot_turns: Arc<Mutex<HashMap<ConversationId, Arc<tokio::sync::Mutex<()>>>>>,
    /// Each workspace's engine (see `service::engines`).
    pub engines: Arc<Mutex<HashMap<baton_domain::ids::WorkspaceId, Arc<dyn Engine>>>>,
    /// Each bot's knowledge index, built on first use (see `service::knowledge`).
    pub knowledge: Arc<Mutex<HashMap<baton_domain::ids::BotId, Arc<baton_ai::KnowledgeIndex>>>>,
    /// Wakes the outbox delivery task when something was queued.
    pub delivery_wake: Arc<tokio::sync::Notify>,
    /// Whether new messages are being refused because the server runs behind.
    pub overload: Arc<crate::overload::Overload>,
    /// The FreshChat integration's client, wake-ups and caches.
    pub freshchat: Arc<crate::freshchat::FreshchatRuntime>,
    /// The link to the other processes sharing a PostgreSQL database (`cluster.rs`); `None` on
    /// SQLite.
    pub cluster: Option<crate::cluster::Link>,
    /// Where URLs a workspace admin saves may point (webhooks, the workspace's AI model,
    /// FreshChat): checked when saved and again when connecting.
    pub outbound: Arc<crate::outbound::OutboundPolicy>,
    /// Agents some of whose sessions just ended (logout, deactivation, a password reset): each
    /// of their panel sockets checks its own session and closes when it is gone.
    pub sessions_ended: tokio::sync::broadcast::Sender<AgentId>,
    /// What this server counts for Prometheus (exported only with a metrics listener).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Attachments' bytes (local disk under the data folder; see `blobs.rs`).
    pub blobs: Arc<dyn crate::blobs::BlobStore>,
    /// The installation's secret for signed attachment links, read from storage on first use.
    pub link_secret: Arc<tokio::sync::OnceCell<String>>,
    /// `http://<address>` of the listener, for links when no public URL is configured.
    pub listen_url: Arc<std::sync::OnceLock<String>>,
}

/// The rate limiters of the named limits in [`crate::config::Limits`].
pub struct Limiters {
    pub visitor_messages: RateLimiter<ConversationId>,
    pub conversation_starts: RateLimiter<IpAddr>,
    /// Failed logins, keyed by (lower-cased email, address).
    pub login_failures: RateLimiter<(String, IpAddr)>,
    /// Transcripts emailed per conversation.
    pub transcripts: RateLimiter<ConversationId>,
}

impl Limiters {
    pub fn new(config: &Config) -> Limiters {
        let l = &config.limits;
        Limiters {
            visitor_messages: RateLimiter::new(
                l.visitor_message_burst,
                l.visitor_messages_per_minute,
                Duration::from_secs(60),
            ),
            conversation_starts: RateLimiter::new(
                l.conversations_per_minute_per_ip,
                l.conversations_per_minute_per_ip,
                Duration::from_secs(60),
            ),
            login_failures: RateLimiter::new(l.login_failures, l.login_failures, l.login_window),
            transcripts: RateLimiter::new(
                l.transcript_emails_per_hour,
                l.transcript_emails_per_hour,
                Duration::from_secs(3600),
            ),
        }
    }
}

/// Which agents have a Live Chat panel connected, and how many sockets each has open. An agent is
/// online while at least one panel is connected and their status is not away.
pub type Presence = SocketCounter<AgentId>;

/// Open WebSockets per key (an agent's panels, a conversation's visitor tabs).
#[derive(Debug)]
pub struct SocketCounter<K> {
    sockets: Mutex<HashMap<K, usize>>,
}

impl<K> Default for SocketCounter<K> {
    fn default() -> Self {
        SocketCounter {
            sockets: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + std::hash::Hash + Copy> SocketCounter<K> {
    /// Counts a new socket; returns the key's count of sockets after it, or `None` when the key
    /// is at `limit`.
    pub fn connect(&self, agent: K, limit: usize) -> Option<usize> {
        let mut sockets = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        let count = sockets.entry(agent).or_insert(0);
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(*count)
    }

    /// Forgets a panel socket; returns how many the agent still has.
    pub fn disconnect(&self, agent: K) -> usize {
        let mut sockets = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        let Some(count) = sockets.get_mut(&agent) else {
            return 0;
        };
        *count = count.saturating_sub(1);
        let left = *count;
        if left == 0 {
            sockets.remove(&agent);
        }
        left
    }

    /// Every key with at least one socket.
    pub fn keys(&self) -> Vec<K> {
        self.sockets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .copied()
            .collect()
    }

    pub fn is_connected(&self, agent: K) -> bool {
        self.sockets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(&agent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_counts_sockets_and_respects_the_limit() {
        let presence = Presence::default();
        let agent = AgentId::new();
        assert!(!presence.is_connected(agent));
        assert_eq!(presence.connect(agent, 2), Some(1));
        assert_eq!(presence.connect(agent, 2), Some(2));
        assert_eq!(presence.connect(agent, 2), None);
        assert_eq!(presence.disconnect(agent), 1);
        assert!(presence.is_connected(agent));
        assert_eq!(presence.disconnect(agent), 0);
        assert!(!presence.is_connected(agent));
        assert_eq!(presence.disconnect(agent), 0);
    }
}

//! Several `baton serve` processes on one PostgreSQL database, serving as one.
//!
//! - Stored log entries reach every process's sockets through storage (see
//!   `baton_storage`'s `cluster.rs`): a change notice names them, each process reads them.
//! - Ephemeral frames (typing, the pieces of a streamed reply, queue positions, owner changes,
//!   presence) are relayed as they are: the hub hands them here and they go out as [`Notice`]s.
//! - Frames that carry a visitor's text (a conversation's list entry, a handoff's brief, a
//!   ticket) go out as ids only; each receiving process reads the rest from the database and
//!   builds the frame itself, as it would for its own change.
//! - Presence is a lease per agent and process in the database ([`PRESENCE_TTL`]).
//! - Background jobs run on one process at a time, under a cluster-wide lock ([`singleton`]).
//!
//! On SQLite none of this runs: one process owns the database.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use baton_domain::ids::{AgentId, BotId, ConversationId, HandoffId, WorkspaceId};
use baton_storage::{MAX_NOTICE_BYTES, Store};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::hub::{Frame, Preview, Relayed};
use crate::state::AppState;

/// How long an agent counts as connected after the process holding their panel last said so: a
/// process killed without a word stops counting its agents within this.
pub const PRESENCE_TTL: Duration = Duration::from_secs(30);

/// How often a process renews the leases of the panels it holds.
const PRESENCE_REFRESH: Duration = Duration::from_secs(10);

/// Events waiting to go to the other processes; past this they are dropped (they are
/// ephemeral, and a stalled link must not hold up publishers).
const OUTGOING_QUEUE: usize = 4096;

/// How often a process that does not hold a job's lock checks whether it is free.
const LOCK_RETRY: Duration = Duration::from_secs(2);

/// How often the holder of a job's lock checks that it still holds it.
const LOCK_CHECK: Duration = Duration::from_secs(5);

/// What one process tells the others.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum Notice {
    /// An ephemeral frame for a conversation's listeners, as published.
    Conversation {
        id: ConversationId,
        visitor: bool,
        agents: bool,
        preview: PreviewWire,
        json: String,
    },
    /// A frame for a workspace's panels, as published (ids, names and states only).
    Workspace { id: WorkspaceId, json: String },
    /// A conversation's list entry changed: read it and send it to the panels.
    Summary { conversation_id: ConversationId },
    /// A handoff is waiting: build its brief and send it to the panels.
    HandoffRequested {
        workspace_id: WorkspaceId,
        handoff_id: HandoffId,
    },
    /// A ticket was created or changed.
    Ticket {
        event: crate::events::TicketChange,
        ticket_id: uuid::Uuid,
    },
    /// A bot's knowledge changed: drop its cached index.
    KnowledgeChanged { bot_id: BotId },
    /// A workspace's AI model settings changed: drop its cached engine.
    EngineChanged { workspace_id: WorkspaceId },
    /// Work was queued for a background job, which may run on another process.
    Wake { job: Job },
    /// Some of an agent's sessions ended: their panel sockets check theirs.
    SessionsEnded { agent_id: AgentId },
}

/// The background jobs woken when work is queued for them.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    /// Webhook and email deliveries.
    Outbox,
    FreshchatDeliveries,
    FreshchatEvents,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviewWire {
    Keeps,
    Piece,
    Ends,
}

impl From<Preview> for PreviewWire {
    fn from(p: Preview) -> PreviewWire {
        match p {
            Preview::Keeps => PreviewWire::Keeps,
            Preview::Piece => PreviewWire::Piece,
            Preview::Ends => PreviewWire::Ends,
        }
    }
}

impl From<PreviewWire> for Preview {
    fn from(p: PreviewWire) -> Preview {
        match p {
            PreviewWire::Keeps => Preview::Keeps,
            PreviewWire::Piece => Preview::Piece,
            PreviewWire::Ends => Preview::Ends,
        }
    }
}

/// The sending half, kept in [`AppState`].
#[derive(Clone, Debug)]
pub struct Link {
    outgoing: mpsc::Sender<Notice>,
}

impl Link {
    /// Queues a notice for the other processes (dropped if the queue is full).
    pub fn send(&self, notice: Notice) {
        if self.outgoing.try_send(notice).is_err() {
            tracing::warn!("an event for the other nodes was dropped (their link is behind)");
        }
    }
}

/// Connects this process to the others when the store is shared: returns the link to keep in
/// the state, after which [`start`] runs it.
pub fn link(store: &Store) -> Option<(Link, mpsc::Receiver<Notice>)> {
    if !store.is_shared() {
        return None;
    }
    let (outgoing, receiver) = mpsc::channel(OUTGOING_QUEUE);
    Some((Link { outgoing }, receiver))
}

/// Starts sending this process's events and handling the others'; returns the tasks to stop
/// at shutdown.
pub fn start(
    state: &AppState,
    outgoing: mpsc::Receiver<Notice>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let (relay, relayed) = mpsc::channel(OUTGOING_QUEUE);
    state.hub.set_relay(relay);
    // The store's handler only queues what arrives; a task of this server applies it. (A handler
    // holding the state itself would make the store keep itself alive, with its connections,
    // after the server stopped.)
    let (received, mut incoming) = mpsc::unbounded_channel::<String>();
    state.store.set_notice_handler(Arc::new(move |body: &str| {
        let _ = received.send(body.to_owned());
    }));
    let receiving = state.clone();
    vec![
        tokio::spawn(send(state.store.clone(), relayed, outgoing)),
        tokio::spawn(renew_presence(state.clone())),
        tokio::spawn(async move {
            while let Some(body) = incoming.recv().await {
                receive(&receiving, &body);
            }
        }),
    ]
}

/// Sends the hub's relayed frames and the state's notices, each stream in order.
async fn send(
    store: Store,
    mut relayed: mpsc::Receiver<Relayed>,
    mut outgoing: mpsc::Receiver<Notice>,
) {
    loop {
        let notice = tokio::select! {
            Some(r) = relayed.recv() => match r {
                Relayed::Conversation(id, frame) => Notice::Conversation {
                    id,
                    visitor: frame.for_visitor,
                    agents: frame.for_agents,
                    preview: frame.preview.into(),
                    json: frame.json.to_string(),
                },
                Relayed::Workspace(id, json) => Notice::Workspace { id, json: json.to_string() },
            },
            Some(notice) = outgoing.recv() => notice,
            else => return,
        };
        let Ok(body) = serde_json::to_string(&notice) else {
            continue;
        };
        if body.len() > MAX_NOTICE_BYTES - 40 {
            tracing::warn!(
                bytes = body.len(),
                "an event too large for the other nodes was not sent"
            );
            continue;
        }
        if let Err(e) = store.notify(&body).await {
            tracing::warn!(error = %e, "could not send an event to the other nodes");
        }
    }
}

/// Handles a notice from another process.
fn receive(state: &AppState, body: &str) {
    let notice: Notice = match serde_json::from_str(body) {
        Ok(notice) => notice,
        Err(e) => {
            tracing::warn!(error = %e, "an unreadable event from another node was ignored");
            return;
        }
    };
    match notice {
        Notice::Conversation {
            id,
            visitor,
            agents,
            preview,
            json,
        } => state.hub.publish_conversation_here(
            id,
            Arc::new(Frame {
                seq: None,
                for_visitor: visitor,
                for_agents: agents,
                preview: preview.into(),
                json: Arc::from(json),
            }),
        ),
        Notice::Workspace { id, json } => {
            state.hub.publish_workspace_here(id, Arc::from(json));
        }
        Notice::Summary { conversation_id } => {
            let state = state.clone();
            tokio::spawn(async move { state.publish_summary_here(conversation_id).await });
        }
        Notice::HandoffRequested {
            workspace_id,
            handoff_id,
        } => {
            let state = state.clone();
            tokio::spawn(async move {
                state
                    .publish_handoff_brief_here(workspace_id, handoff_id)
                    .await
            });
        }
        Notice::Ticket { event, ticket_id } => {
            let state = state.clone();
            tokio::spawn(async move { state.publish_ticket_here(event, ticket_id).await });
        }
        Notice::KnowledgeChanged { bot_id } => state.forget_knowledge(bot_id),
        Notice::EngineChanged { workspace_id } => state.forget_engine(workspace_id),
        Notice::Wake { job } => state.wake_here(job),
        Notice::SessionsEnded { agent_id } => {
            let _ = state.sessions_ended.send(agent_id);
        }
    }
}

/// Renews the leases of the panels this process holds.
async fn renew_presence(state: AppState) {
    let mut tick = tokio::time::interval(PRESENCE_REFRESH);
    loop {
        tick.tick().await;
        let agents = state.presence.keys();
        if agents.is_empty() {
            continue;
        }
        if let Err(e) = state.store.refresh_presence(&agents, PRESENCE_TTL).await {
            tracing::warn!(error = %e, "could not renew agent presence");
        }
    }
}

impl AppState {
    /// Wakes a background job, on whichever process runs it.
    pub(crate) fn wake(&self, job: Job) {
        self.wake_here(job);
        self.announce(Notice::Wake { job });
    }

    fn wake_here(&self, job: Job) {
        match job {
            Job::Outbox => self.delivery_wake.notify_one(),
            Job::FreshchatDeliveries => self.freshchat.deliveries_wake.notify_one(),
            Job::FreshchatEvents => self.freshchat.events_wake.notify_one(),
        }
    }

    /// Makes every panel socket of `agent` check that its session still exists, on every
    /// process; those whose session ended close.
    pub(crate) fn sessions_ended(&self, agent: AgentId) {
        let _ = self.sessions_ended.send(agent);
        self.announce(Notice::SessionsEnded { agent_id: agent });
    }

    /// Tells the other processes (nothing to do on SQLite).
    pub(crate) fn announce(&self, notice: Notice) {
        if let Some(link) = &self.cluster {
            link.send(notice);
        }
    }

    /// Whether the agent has a panel open on any process.
    pub(crate) async fn agent_connected(&self, workspace_id: WorkspaceId, agent: AgentId) -> bool {
        self.presence.is_connected(agent)
            || (self.store.is_shared()
                && self
                    .store
                    .connected_agents(workspace_id)
                    .await
                    .is_ok_and(|agents| agents.contains(&agent)))
    }

    /// The agents of the workspace with a panel open on any process.
    pub(crate) async fn connected_agents(
        &self,
        workspace_id: WorkspaceId,
    ) -> std::collections::HashSet<AgentId> {
        let mut agents: std::collections::HashSet<AgentId> = self
            .store
            .connected_agents(workspace_id)
            .await
            .unwrap_or_default()
            .into_iter()
            .collect();
        agents.extend(self.presence.keys());
        agents
    }

    /// Records at once that this process holds a panel of `agent` (the periodic renewal keeps
    /// it), or that it holds none any more.
    pub(crate) async fn share_presence(&self, agent: AgentId, connected: bool) {
        if !self.store.is_shared() {
            return;
        }
        let result = if connected {
            self.store.refresh_presence(&[agent], PRESENCE_TTL).await
        } else {
            self.store.drop_presence(agent).await
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not share agent presence");
        }
    }
}

/// Runs `job` on one process of the cluster at a time: this one waits until it holds the
/// job's lock, runs the job while it keeps it, and stops the job (to wait again) if it loses it.
/// A process that dies releases the lock with its connection, and another takes the job over.
pub async fn singleton<F, Fut>(store: Store, name: &'static str, job: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        let mut lock = match store.try_lock(name).await {
            Ok(Some(lock)) => lock,
            Ok(None) => {
                tokio::time::sleep(LOCK_RETRY).await;
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, job = name, "cannot take a background job's lock");
                tokio::time::sleep(LOCK_RETRY).await;
                continue;
            }
        };
        if store.is_shared() {
            tracing::info!(job = name, "running a background job for the cluster");
        }
        let running = job();
        tokio::pin!(running);
        let mut check = tokio::time::interval(LOCK_CHECK);
        check.tick().await;
        loop {
            tokio::select! {
                () = &mut running => return,
                _ = check.tick() => {
                    if !lock.is_held().await {
                        tracing::warn!(job = name, "lost a background job's lock; stopping it");
                        break;
                    }
                }
            }
        }
    }
}

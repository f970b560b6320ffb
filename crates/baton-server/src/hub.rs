//! In-process fan-out of events to WebSockets: one channel per conversation (its visitor and the
//! agents watching it) and one per workspace (every panel of that workspace).
//!
//! Events are published after they are stored, already serialised, so a thousand subscribers cost
//! one serialisation. Channels exist only while someone listens.
//!
//! A conversation channel is a short log of the frames some subscriber has not read yet, plus a
//! [`Notify`] that wakes the subscribers. A frame is dropped as soon as every subscriber has read
//! it, so an idle conversation's channel holds no frames at all, and a subscriber costs a position
//! in that log, not a ring of its own. A subscriber that falls more than
//! [`CONVERSATION_CAPACITY`] frames behind is told it lagged: stored events carry their sequence
//! number and it fills that gap from storage. Ephemeral events are not in storage, so the channel
//! keeps the ones that matter for what a client shows: the pieces (`delta`) of the bot's reply
//! being streamed, and the ephemeral frame that ended the previous preview (`delta_end`), until
//! every lagging subscriber has had them. Typing, queue and state frames a lagging subscriber
//! missed are not replayed (the next one replaces them).
//!
//! The hub knows nothing of the wire format beyond [`Frame`]; it must not touch storage.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use baton_domain::ids::{ConversationId, WorkspaceId};
use tokio::sync::{Notify, broadcast};

/// Frames a conversation keeps for a subscriber that has not read them. Costs nothing while
/// every subscriber keeps up: read frames are dropped and the buffer is released.
const CONVERSATION_CAPACITY: usize = 64;
/// The most pieces of one streamed reply kept for subscribers that fell behind; a reply streams
/// far fewer pieces than this, and the stored reply replaces the preview anyway.
const LOST_PIECES_MAX: usize = 4096;
const WORKSPACE_CAPACITY: usize = 1024;

/// How a frame relates to the preview of the bot's streamed reply that clients show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preview {
    /// Leaves the preview as it is (typing, queue, a visitor's or an agent's message, …).
    #[default]
    Keeps,
    /// A piece of the reply being streamed (`delta`): clients append it to the preview.
    Piece,
    /// Ends the preview (`delta_end`, the bot's stored reply, a handoff entry): clients drop it.
    Ends,
}

/// One event on a conversation channel.
#[derive(Debug)]
pub struct Frame {
    /// The stored log entry's sequence number; `None` for ephemeral events (typing, queue, state).
    pub seq: Option<i64>,
    /// Whether the visitor's socket should forward it (a visitor does not need its own typing).
    pub for_visitor: bool,
    /// Whether agents' sockets should forward it.
    pub for_agents: bool,
    /// What it does to the streamed reply's preview.
    pub preview: Preview,
    /// The JSON text sent on the wire.
    pub json: Arc<str>,
}

/// What a conversation subscriber receives.
#[derive(Debug)]
pub enum Received {
    /// The frames published since the previous call, in order.
    Frames(Vec<Arc<Frame>>),
    /// The subscriber fell behind and frames were dropped. For each of `missed` in order, send
    /// the stored entries up to its `after_seq` (from storage), then its frame; then the stored
    /// entries up to `until_seq`; then carry on receiving.
    Lagged { missed: Vec<Missed>, until_seq: i64 },
}

/// An ephemeral frame a lagging subscriber missed that matters for the preview.
#[derive(Debug)]
pub struct Missed {
    /// The highest sequence number among the stored entries dropped before this frame.
    pub after_seq: i64,
    pub frame: Arc<Frame>,
}

/// A frame and how many subscribers have yet to read it.
#[derive(Debug)]
struct Entry {
    frame: Arc<Frame>,
    unread: usize,
}

/// A preview frame dropped before every subscriber read it.
#[derive(Debug)]
struct Lost {
    position: u64,
    after_seq: i64,
    entry: Entry,
}

/// The frames of one conversation channel that somebody has yet to read.
#[derive(Debug, Default)]
struct Log {
    /// The position of `recent[0]`; every frame published on the channel takes the next one.
    first: u64,
    recent: VecDeque<Entry>,
    /// Preview frames pushed out of `recent` before every subscriber read them, by position:
    /// at most one ephemeral `Ends` frame, then the pieces published after it.
    lost: VecDeque<Lost>,
    /// The highest sequence number of the stored entries pushed out of `recent`.
    evicted_seq: i64,
    subscribers: usize,
}

impl Log {
    fn end(&self) -> u64 {
        self.first + self.recent.len() as u64
    }

    fn push(&mut self, frame: Arc<Frame>) {
        if self.subscribers == 0 {
            // The channel's last subscriber left while this was being published.
            self.first += 1;
            return;
        }
        if self.recent.len() == CONVERSATION_CAPACITY {
            self.evict();
        }
        self.recent.push_back(Entry {
            frame,
            unread: self.subscribers,
        });
    }

    /// Drops the oldest frame, which some subscriber has not read; keeps what a lagging
    /// subscriber needs of the preview.
    fn evict(&mut self) {
        let Some(entry) = self.recent.pop_front() else {
            return;
        };
        let position = self.first;
        self.first += 1;
        if let Some(seq) = entry.frame.seq {
            self.evicted_seq = self.evicted_seq.max(seq);
        }
        let lost = Lost {
            position,
            after_seq: self.evicted_seq,
            entry,
        };
        match lost.entry.frame.preview {
            Preview::Keeps => {}
            Preview::Piece => {
                if self.lost.len() == LOST_PIECES_MAX {
                    self.lost.pop_front();
                }
                self.lost.push_back(lost);
            }
            Preview::Ends => {
                // Whatever it ended is gone from every client's screen.
                self.lost.clear();
                // A stored one comes back from storage with the rest of the gap.
                if lost.entry.frame.seq.is_none() {
                    self.lost.push_back(lost);
                }
            }
        }
    }

    /// The next frames for a subscriber that has read everything before `next`.
    fn take(&mut self, next: &mut u64) -> Option<Received> {
        if *next < self.first {
            let missed = self.read_lost(*next);
            *next = self.first;
            return Some(Received::Lagged {
                missed,
                until_seq: self.evicted_seq,
            });
        }
        let end = self.end();
        if *next >= end {
            return None;
        }
        let skip = usize::try_from(*next - self.first).unwrap_or(usize::MAX);
        let frames = self
            .recent
            .iter_mut()
            .skip(skip)
            .map(|entry| {
                entry.unread = entry.unread.saturating_sub(1);
                Arc::clone(&entry.frame)
            })
            .collect();
        *next = end;
        self.release();
        Some(Received::Frames(frames))
    }

    /// The lost frames a subscriber at `next` has not read, marked read.
    fn read_lost(&mut self, next: u64) -> Vec<Missed> {
        let mut missed = Vec::new();
        for lost in self.lost.iter_mut() {
            if lost.position >= next {
                lost.entry.unread = lost.entry.unread.saturating_sub(1);
                missed.push(Missed {
                    after_seq: lost.after_seq,
                    frame: Arc::clone(&lost.entry.frame),
                });
            }
        }
        self.lost.retain(|lost| lost.entry.unread > 0);
        missed
    }

    /// A subscriber at `next` leaves: everything it had not read counts as read.
    fn leave(&mut self, next: u64) {
        self.read_lost(next);
        let skip = usize::try_from(next.saturating_sub(self.first)).unwrap_or(usize::MAX);
        for entry in self.recent.iter_mut().skip(skip) {
            entry.unread = entry.unread.saturating_sub(1);
        }
        self.subscribers = self.subscribers.saturating_sub(1);
        self.release();
    }

    /// Drops the frames every subscriber has read, and the buffers once they are empty.
    fn release(&mut self) {
        while self.recent.front().is_some_and(|entry| entry.unread == 0) {
            self.recent.pop_front();
            self.first += 1;
        }
        if self.recent.is_empty() && self.recent.capacity() > 0 {
            self.recent = VecDeque::new();
        }
        if self.lost.is_empty() && self.lost.capacity() > 0 {
            self.lost = VecDeque::new();
        }
    }
}

#[derive(Debug, Default)]
struct Channel {
    log: Mutex<Log>,
    wake: Notify,
}

impl Channel {
    fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Debug, Default)]
pub struct Hub {
    conversations: Mutex<HashMap<ConversationId, Arc<Channel>>>,
    workspaces: Mutex<HashMap<WorkspaceId, broadcast::Sender<Arc<str>>>>,
    /// Where ephemeral frames also go when other processes share the database (`cluster.rs`).
    relay: std::sync::OnceLock<Relay>,
}

/// A frame published here that the other processes' sockets need too.
#[derive(Debug)]
pub enum Relayed {
    Conversation(ConversationId, Arc<Frame>),
    Workspace(WorkspaceId, Arc<str>),
}

/// Hands relayed frames on, in publication order; never blocks a publisher.
pub type Relay = tokio::sync::mpsc::Sender<Relayed>;

/// A live subscription to a conversation's channel; the channel is removed with its last one.
pub struct ConversationSubscription {
    hub: Arc<Hub>,
    id: ConversationId,
    channel: Arc<Channel>,
    /// The position of the next frame to read.
    next: u64,
}

impl ConversationSubscription {
    /// Waits for what was published since the previous call. Cancel safe: frames are taken only
    /// when this returns.
    pub async fn recv(&mut self) -> Received {
        loop {
            let notified = self.channel.wake.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before looking, so a frame published after the look wakes it.
            notified.as_mut().enable();
            if let Some(received) = self.channel.log().take(&mut self.next) {
                return received;
            }
            notified.await;
        }
    }
}

impl Drop for ConversationSubscription {
    fn drop(&mut self) {
        let mut channels = self
            .hub
            .conversations
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let left = {
            let mut log = self.channel.log();
            log.leave(self.next);
            log.subscribers
        };
        if left == 0
            && channels
                .get(&self.id)
                .is_some_and(|c| Arc::ptr_eq(c, &self.channel))
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
    /// Subscribes to what is published on the conversation from now on.
    pub fn subscribe_conversation(
        self: &Arc<Self>,
        id: ConversationId,
    ) -> ConversationSubscription {
        let mut channels = self.conversations.lock().unwrap_or_else(|e| e.into_inner());
        let channel = Arc::clone(channels.entry(id).or_default());
        let next = {
            let mut log = channel.log();
            log.subscribers += 1;
            log.end()
        };
        ConversationSubscription {
            hub: Arc::clone(self),
            id,
            channel,
            next,
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

    /// From now on, ephemeral frames and workspace frames published here are also handed to
    /// `relay` (stored entries reach other processes from storage, not from here).
    pub fn set_relay(&self, relay: Relay) {
        let _ = self.relay.set(relay);
    }

    fn relay(&self, relayed: Relayed) {
        if let Some(relay) = self.relay.get()
            && relay.try_send(relayed).is_err()
        {
            tracing::warn!("an event for the other nodes was dropped (their link is behind)");
        }
    }

    /// Sends to everyone listening to the conversation (nobody listening is fine), on this
    /// process and, for an ephemeral frame, on the others sharing the database.
    pub fn publish_conversation(&self, id: ConversationId, frame: Frame) {
        let frame = Arc::new(frame);
        if frame.seq.is_none() && self.relay.get().is_some() {
            self.relay(Relayed::Conversation(id, Arc::clone(&frame)));
        }
        self.publish_conversation_here(id, frame);
    }

    /// Sends to the conversation's listeners on this process only.
    pub fn publish_conversation_here(&self, id: ConversationId, frame: Arc<Frame>) {
        let channel = self
            .conversations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .map(Arc::clone);
        if let Some(channel) = channel {
            channel.log().push(frame);
            channel.wake.notify_waiters();
        }
    }

    /// Sends to every panel of the workspace, on this process and the others sharing the
    /// database. For a frame that may carry a visitor's text, use
    /// [`Hub::publish_workspace_here`] and tell the others what to rebuild instead.
    pub fn publish_workspace(&self, id: WorkspaceId, json: String) {
        let json: Arc<str> = Arc::from(json);
        if self.relay.get().is_some() {
            self.relay(Relayed::Workspace(id, Arc::clone(&json)));
        }
        self.publish_workspace_here(id, json);
    }

    /// Sends to the workspace's panels on this process only; returns how many panel sockets it
    /// reached.
    pub fn publish_workspace_here(&self, id: WorkspaceId, json: Arc<str>) -> usize {
        let channels = self.workspaces.lock().unwrap_or_else(|e| e.into_inner());
        channels
            .get(&id)
            .and_then(|sender| sender.send(json).ok())
            .unwrap_or(0)
    }

    /// How many conversation channels are open (for tests and metrics).
    pub fn conversation_channels(&self) -> usize {
        self.conversations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// How many frames a conversation's channel holds for subscribers that have not read them
    /// (for tests).
    #[cfg(test)]
    fn held_frames(&self, id: ConversationId) -> usize {
        self.conversations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .map_or(0, |c| {
                let log = c.log();
                log.recent.len() + log.lost.len()
            })
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
            preview: Preview::Keeps,
            json: Arc::from(format!("{{\"seq\":{seq}}}")),
        }
    }

    fn ephemeral(preview: Preview, text: &str) -> Frame {
        Frame {
            seq: None,
            for_visitor: true,
            for_agents: true,
            preview,
            json: Arc::from(text),
        }
    }

    async fn frames(subscription: &mut ConversationSubscription) -> Vec<Arc<Frame>> {
        match subscription.recv().await {
            Received::Frames(frames) => frames,
            Received::Lagged { .. } => panic!("did not expect to lag"),
        }
    }

    fn texts(frames: &[Arc<Frame>]) -> Vec<&str> {
        frames.iter().map(|f| f.json.as_ref()).collect()
    }

    fn missed_frames(missed: Vec<Missed>) -> Vec<Arc<Frame>> {
        missed.into_iter().map(|m| m.frame).collect()
    }

    #[tokio::test]
    async fn subscribers_get_what_is_published_and_channels_close_with_them() {
        let hub = Arc::new(Hub::default());
        let id = ConversationId::new();
        let mut a = hub.subscribe_conversation(id);
        let mut b = hub.subscribe_conversation(id);
        hub.publish_conversation(id, frame(1));
        assert_eq!(frames(&mut a).await[0].seq, Some(1));
        assert_eq!(frames(&mut b).await[0].seq, Some(1));
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

    #[tokio::test]
    async fn a_waiting_subscriber_is_woken_by_a_publish() {
        let hub = Arc::new(Hub::default());
        let id = ConversationId::new();
        let mut subscription = hub.subscribe_conversation(id);
        let waiting = tokio::spawn(async move { frames(&mut subscription).await[0].seq });
        tokio::task::yield_now().await;
        hub.publish_conversation(id, frame(7));
        assert_eq!(waiting.await.unwrap(), Some(7));
    }

    #[tokio::test]
    async fn frames_are_released_once_every_subscriber_has_read_them() {
        let hub = Arc::new(Hub::default());
        let id = ConversationId::new();
        let mut a = hub.subscribe_conversation(id);
        let mut b = hub.subscribe_conversation(id);
        hub.publish_conversation(id, frame(1));
        hub.publish_conversation(id, frame(2));
        assert_eq!(hub.held_frames(id), 2);
        assert_eq!(frames(&mut a).await.len(), 2);
        assert_eq!(hub.held_frames(id), 2);
        assert_eq!(frames(&mut b).await.len(), 2);
        assert_eq!(hub.held_frames(id), 0);
        // A subscriber that leaves without reading releases its frames too.
        hub.publish_conversation(id, frame(3));
        drop(b);
        assert_eq!(frames(&mut a).await.len(), 1);
        assert_eq!(hub.held_frames(id), 0);
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_lags_and_then_continues_in_order() {
        let hub = Arc::new(Hub::default());
        let id = ConversationId::new();
        let mut slow = hub.subscribe_conversation(id);
        let total = CONVERSATION_CAPACITY as i64 + 10;
        for seq in 1..=total {
            hub.publish_conversation(id, frame(seq));
        }
        let Received::Lagged { missed, until_seq } = slow.recv().await else {
            panic!("expected to lag");
        };
        assert!(missed.is_empty());
        // Storage fills what was dropped, and no further: the rest is still to come.
        assert_eq!(until_seq, 10);
        let rest = frames(&mut slow).await;
        assert_eq!(rest.len(), CONVERSATION_CAPACITY);
        assert_eq!(rest.last().unwrap().seq, Some(total));
    }

    #[tokio::test]
    async fn a_slow_subscriber_still_gets_every_piece_of_a_streamed_reply() {
        let hub = Arc::new(Hub::default());
        let id = ConversationId::new();
        let mut fast = hub.subscribe_conversation(id);
        let mut slow = hub.subscribe_conversation(id);
        let pieces: Vec<String> = (0..CONVERSATION_CAPACITY * 5)
            .map(|i| format!("piece {i} "))
            .collect();
        for (i, piece) in pieces.iter().enumerate() {
            hub.publish_conversation(id, ephemeral(Preview::Piece, piece));
            if i % 7 == 0 {
                // Typing and stored entries in between, which storage or the next one replace.
                hub.publish_conversation(id, ephemeral(Preview::Keeps, "typing"));
            }
            // The fast subscriber keeps up.
            assert!(!frames(&mut fast).await.is_empty());
        }
        let mut seen = Vec::new();
        loop {
            match slow.recv().await {
                Received::Lagged { missed, .. } => seen.extend(missed_frames(missed)),
                Received::Frames(frames) => {
                    seen.extend(frames);
                    break;
                }
            }
        }
        let seen: Vec<&str> = texts(&seen)
            .into_iter()
            .filter(|t| *t != "typing")
            .collect();
        assert_eq!(seen, pieces);
        // Everything was read: nothing is held.
        assert_eq!(hub.held_frames(id), 0);
    }

    #[tokio::test]
    async fn a_lagging_subscriber_gets_the_end_of_a_preview_it_missed_before_the_next_one() {
        let hub = Arc::new(Hub::default());
        let id = ConversationId::new();
        let mut slow = hub.subscribe_conversation(id);
        hub.publish_conversation(id, ephemeral(Preview::Piece, "old"));
        hub.publish_conversation(id, ephemeral(Preview::Ends, "end"));
        for i in 0..CONVERSATION_CAPACITY + 3 {
            hub.publish_conversation(id, ephemeral(Preview::Piece, &format!("new {i}")));
        }
        let Received::Lagged { missed, .. } = slow.recv().await else {
            panic!("expected to lag");
        };
        assert_eq!(
            texts(&missed_frames(missed)),
            ["end", "new 0", "new 1", "new 2"][..]
        );
        let rest = frames(&mut slow).await;
        assert_eq!(rest.first().unwrap().json.as_ref(), "new 3");
    }

    #[tokio::test]
    async fn pieces_ended_by_a_stored_reply_are_not_replayed() {
        let hub = Arc::new(Hub::default());
        let id = ConversationId::new();
        let mut slow = hub.subscribe_conversation(id);
        hub.publish_conversation(id, ephemeral(Preview::Piece, "draft"));
        hub.publish_conversation(
            id,
            Frame {
                preview: Preview::Ends,
                ..frame(1)
            },
        );
        for seq in 2..=CONVERSATION_CAPACITY as i64 + 2 {
            hub.publish_conversation(id, frame(seq));
        }
        let Received::Lagged { missed, until_seq } = slow.recv().await else {
            panic!("expected to lag");
        };
        // The reply comes back from storage; its draft is of no use any more.
        assert!(missed.is_empty());
        assert_eq!(until_seq, 2);
        assert_eq!(hub.held_frames(id), CONVERSATION_CAPACITY);
    }
}

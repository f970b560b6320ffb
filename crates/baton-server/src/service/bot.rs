//! The bot's turn: after a visitor message is stored, ask the engine for a reply and/or a handoff
//! decision, and store the reply only if the AI still owns the conversation at that moment.

use std::sync::Arc;
use std::time::Duration;

use baton_ai::{BotProfile, EngineReply, Line};
use baton_domain::handoff::HandoffDecision;
use baton_domain::ids::ConversationId;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::ownership::{self, Speaker};
use baton_storage::{Bot, Conversation, NewMessage, StoreError};

use crate::events::Event;
use crate::hub::{Frame, Preview};
use crate::state::AppState;

/// How much of the conversation the engine reads.
const TRANSCRIPT_ENTRIES: u32 = 30;
/// How long the engine may take before the turn is abandoned (an LLM engine has its own, shorter
/// timeouts and falls back to the built-in engine).
const TURN_TIMEOUT: Duration = Duration::from_secs(60);

impl AppState {
    /// Runs the bot's turn in the background; turns of one conversation run one at a time.
    pub(crate) fn spawn_bot_turn(&self, conversation_id: ConversationId) {
        let state = self.clone();
        tokio::spawn(async move {
            let lock = state.bot_turn_lock(conversation_id);
            {
                let _turn = lock.lock().await;
                state.bot_turn(conversation_id).await;
            }
            drop(lock);
            state.release_bot_turn_lock(conversation_id);
        });
    }

    fn bot_turn_lock(&self, id: ConversationId) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.bot_turns.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(locks.entry(id).or_default())
    }

    fn release_bot_turn_lock(&self, id: ConversationId) {
        let mut locks = self.bot_turns.lock().unwrap_or_else(|e| e.into_inner());
        if locks.get(&id).is_some_and(|l| Arc::strong_count(l) == 1) {
            locks.remove(&id);
        }
    }

    /// One turn, step by step: read what the engine needs, show "typing", ask the engine while
    /// its text streams to the widget, store the reply (if the AI still owns the conversation),
    /// request the handoff it decided on, and end the preview.
    async fn bot_turn(&self, conversation_id: ConversationId) {
        let Some(turn) = self.turn_inputs(conversation_id).await else {
            return;
        };
        self.publish_typing(&turn.conversation, AuthorKind::Bot, Some(&turn.bot.name));
        if let Some(reply) = self.engine_reply(&turn).await {
            if let Some(text) = reply.text {
                self.store_bot_reply(&turn, text).await;
            }
            if let Some(decision) = reply.handoff {
                self.request_handoff_after_turn(conversation_id, decision)
                    .await;
            }
        }
        self.end_preview(conversation_id);
    }

    /// The conversation, its bot and the transcript the engine reads; `None` when the bot may not
    /// speak now or something cannot be read (the turn is then skipped).
    async fn turn_inputs(&self, conversation_id: ConversationId) -> Option<Turn> {
        let conversation = self.store.conversation(conversation_id).await.ok()?;
        let bot = self.store.bot(conversation.bot_id).await.ok()?;
        let helps = bot.handoff.ai_helps_while_waiting;
        if ownership::may_post(conversation.owner, Speaker::Bot, helps).is_err() {
            return None;
        }
        let messages = match self
            .store
            .last_messages(conversation_id, TRANSCRIPT_ENTRIES)
            .await
        {
            Ok(messages) => messages,
            Err(err) => {
                tracing::error!(error = %err, "could not read the transcript for the bot");
                return None;
            }
        };
        // Handoff events stay in as system lines: engines skip them in what they answer, and
        // the trigger classifier reads only what came after the last one.
        let transcript = messages
            .into_iter()
            .filter(|m| m.kind != MessageKind::Attachment)
            .map(|m| Line {
                author: if m.kind.is_handoff_event() {
                    AuthorKind::System
                } else {
                    m.author_kind
                },
                text: m.body,
            })
            .collect();
        Some(Turn {
            conversation,
            bot,
            transcript,
        })
    }

    /// Asks the workspace's engine for a reply. Streamed text reaches the widget as it arrives
    /// (ephemeral "delta" frames); only the final reply is stored, and only if the AI still owns
    /// the conversation then. `None` when the engine fails or takes too long.
    async fn engine_reply(&self, turn: &Turn) -> Option<EngineReply> {
        let bot = &turn.bot;
        let profile = BotProfile {
            name: bot.name.clone(),
            instruction: bot.handoff.instruction.clone(),
            persona: bot.persona.clone(),
            triggers: bot.handoff.ai_triggers.clone(),
            knowledge: self.knowledge_index(bot.id).await,
            lang: turn.conversation.lang,
        };
        let conversation_id = turn.conversation.id;
        let hub = Arc::clone(&self.hub);
        let on_delta = move |text: &str| {
            let json = Event::Delta {
                conversation_id,
                text,
            }
            .to_json();
            hub.publish_conversation(
                conversation_id,
                Frame {
                    seq: None,
                    for_visitor: true,
                    for_agents: true,
                    preview: Preview::Piece,
                    json: json.into(),
                },
            );
        };
        let engine = self.engine_for(bot.workspace_id).await;
        let answer = engine.respond_streaming(&profile, &turn.transcript, &on_delta);
        match tokio::time::timeout(TURN_TIMEOUT, answer).await {
            Ok(Ok(reply)) => Some(reply),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "the AI engine failed");
                None
            }
            Err(_) => {
                tracing::warn!("the AI engine timed out");
                None
            }
        }
    }

    /// Stores the bot's reply, unless the owner changed while the engine was thinking.
    async fn store_bot_reply(&self, turn: &Turn, text: String) {
        let new = NewMessage {
            kind: MessageKind::Text,
            author_kind: AuthorKind::Bot,
            author_agent_id: None,
            author_name: Some(turn.bot.name.clone()),
            body: text,
            client_id: None,
            data: None,
        };
        let helps = turn.bot.handoff.ai_helps_while_waiting;
        match self
            .store
            .append_message(turn.conversation.id, Speaker::Bot, new, helps)
            .await
        {
            // Published by storage as it committed.
            Ok(_) => {}
            // The owner changed while the engine was thinking (an agent accepted): the reply is
            // dropped, never shown.
            Err(StoreError::Silenced(why)) => tracing::debug!(%why, "bot reply dropped"),
            Err(err) => tracing::error!(error = %err, "could not store the bot reply"),
        }
    }

    /// Requests the handoff the engine decided on, if the conversation may still ask for one.
    async fn request_handoff_after_turn(
        &self,
        conversation_id: ConversationId,
        decision: HandoffDecision,
    ) {
        let Ok(current) = self.store.conversation(conversation_id).await else {
            return;
        };
        if ownership::may_request_handoff(current.owner)
            && let Err(err) = self.request_handoff(conversation_id, decision).await
        {
            tracing::debug!(error = %err, "handoff not requested");
        }
    }

    /// The preview and the "typing" notice end with the turn: a stored reply has replaced them
    /// already; a turn that ends without one (a handoff decision alone, a dropped or failed
    /// reply) must not leave "… is typing" on screen with nothing coming.
    fn end_preview(&self, conversation_id: ConversationId) {
        let json = Event::DeltaEnd { conversation_id }.to_json();
        self.hub.publish_conversation(
            conversation_id,
            Frame {
                seq: None,
                for_visitor: true,
                for_agents: true,
                preview: Preview::Ends,
                json: json.into(),
            },
        );
    }
}

/// What one turn works from: the conversation as the turn began, its bot, and the transcript the
/// engine reads.
struct Turn {
    conversation: Conversation,
    bot: Bot,
    transcript: Vec<Line>,
}

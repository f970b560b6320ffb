//! The bot's turn: after a visitor message is stored, ask the engine for a reply and/or a handoff
//! decision, and store the reply only if the AI still owns the conversation at that moment.

use std::sync::Arc;
use std::time::Duration;

use baton_ai::{BotProfile, Line};
use baton_domain::ids::ConversationId;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::ownership::{self, Speaker};
use baton_storage::{NewMessage, StoreError};

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

    async fn bot_turn(&self, conversation_id: ConversationId) {
        let Ok(conversation) = self.store.conversation(conversation_id).await else {
            return;
        };
        let Ok(bot) = self.store.bot(conversation.bot_id).await else {
            return;
        };
        let helps = bot.handoff.ai_helps_while_waiting;
        if ownership::may_post(conversation.owner, Speaker::Bot, helps).is_err() {
            return;
        }
        let transcript = match self
            .store
            .last_messages(conversation_id, TRANSCRIPT_ENTRIES)
            .await
        {
            Ok(messages) => messages
                .into_iter()
                .filter(|m| m.kind == MessageKind::Text)
                .map(|m| Line {
                    author: m.author_kind,
                    text: m.body,
                })
                .collect::<Vec<_>>(),
            Err(err) => {
                tracing::error!(error = %err, "could not read the transcript for the bot");
                return;
            }
        };
        self.publish_typing(&conversation, AuthorKind::Bot, Some(&bot.name));
        let profile = BotProfile {
            name: bot.name.clone(),
            instruction: bot.handoff.instruction.clone(),
            persona: bot.persona.clone(),
            triggers: bot.handoff.ai_triggers.clone(),
            knowledge: self.knowledge_index(bot.id).await,
        };
        // Streamed text reaches the widget as it arrives (ephemeral "delta" frames); only the
        // final reply is stored, and only if the AI still owns the conversation then.
        let hub = Arc::clone(&self.hub);
        let on_delta = move |text: &str| {
            let json = serde_json::json!({
                "type": "delta",
                "conversation_id": conversation_id,
                "text": text,
            });
            hub.publish_conversation(
                conversation_id,
                Frame {
                    seq: None,
                    for_visitor: true,
                    for_agents: true,
                    preview: Preview::Piece,
                    json: json.to_string().into(),
                },
            );
        };
        let engine = self.engine_for(bot.workspace_id).await;
        let turn = engine.respond_streaming(&profile, &transcript, &on_delta);
        async {
            let reply = match tokio::time::timeout(TURN_TIMEOUT, turn).await {
                Ok(Ok(reply)) => reply,
                Ok(Err(err)) => {
                    tracing::warn!(error = %err, "the AI engine failed");
                    return;
                }
                Err(_) => {
                    tracing::warn!("the AI engine timed out");
                    return;
                }
            };
            if let Some(text) = reply.text {
                let new = NewMessage {
                    kind: MessageKind::Text,
                    author_kind: AuthorKind::Bot,
                    author_agent_id: None,
                    author_name: Some(bot.name.clone()),
                    body: text,
                    client_id: None,
                    data: None,
                };
                match self
                    .store
                    .append_message(conversation_id, Speaker::Bot, new, helps)
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
            if let Some(decision) = reply.handoff {
                let Ok(current) = self.store.conversation(conversation_id).await else {
                    return;
                };
                if ownership::may_request_handoff(current.owner)
                    && let Err(err) = self.request_handoff(conversation_id, decision).await
                {
                    tracing::debug!(error = %err, "handoff not requested");
                }
            }
        }
        .await;
        // The preview and the "typing" notice end with the turn: a stored reply has replaced them
        // already; a turn that ends without one (a handoff decision alone, a dropped or failed
        // reply) must not leave "… is typing" on screen with nothing coming.
        let json = serde_json::json!({ "type": "delta_end", "conversation_id": conversation_id });
        self.hub.publish_conversation(
            conversation_id,
            Frame {
                seq: None,
                for_visitor: true,
                for_agents: true,
                preview: Preview::Ends,
                json: json.to_string().into(),
            },
        );
    }
}

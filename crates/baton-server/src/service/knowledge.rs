//! Each bot's knowledge index, built from storage on first use and rebuilt after every change.

use std::sync::Arc;

use baton_ai::KnowledgeIndex;
use baton_ai::knowledge::{Document, QaEntry};
use baton_domain::ids::BotId;
use baton_storage::KnowledgeKind;

use crate::state::AppState;

impl AppState {
    /// The bot's current index (empty when it has no knowledge or storage fails).
    pub async fn knowledge_index(&self, bot_id: BotId) -> Arc<KnowledgeIndex> {
        if let Some(index) = self
            .knowledge
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&bot_id)
        {
            return Arc::clone(index);
        }
        let entries = match self.store.knowledge(bot_id).await {
            Ok(entries) => entries,
            Err(err) => {
                tracing::error!(error = %err, "could not load a bot's knowledge");
                return Arc::default();
            }
        };
        let mut qa = Vec::new();
        let mut documents = Vec::new();
        for e in entries {
            match e.kind {
                KnowledgeKind::Qa => qa.push(QaEntry {
                    id: e.id.to_string(),
                    question: e.title,
                    answer: e.body,
                }),
                KnowledgeKind::Document => documents.push(Document {
                    id: e.id.to_string(),
                    title: e.title,
                    body: e.body,
                }),
            }
        }
        // Building is CPU work (tokenising every entry): keep it off the async threads.
        let index =
            tokio::task::spawn_blocking(move || Arc::new(KnowledgeIndex::build(qa, documents)))
                .await
                .unwrap_or_default();
        self.knowledge
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(bot_id, Arc::clone(&index));
        index
    }

    /// Drops the cached index after the bot's knowledge changed, here and on the other
    /// processes sharing the database.
    pub fn knowledge_changed(&self, bot_id: BotId) {
        self.forget_knowledge(bot_id);
        self.announce(crate::cluster::Notice::KnowledgeChanged { bot_id });
    }

    pub(crate) fn forget_knowledge(&self, bot_id: BotId) {
        self.knowledge
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&bot_id);
    }
}

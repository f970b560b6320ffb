//! What each agent has read: the last log entry they saw in each conversation they opened.

use std::collections::HashMap;

use baton_domain::ids::{AgentId, ConversationId};

use crate::db::{Value, params};
use crate::row::{Cols as _, id};
use crate::{Store, StoreError};

/// An agent's place in one conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadState {
    pub last_read_seq: i64,
    /// Visitor messages after it.
    pub unread: u32,
}

impl Store {
    /// Records that the agent has read the conversation up to `seq` (never moving back).
    pub async fn mark_read(
        &self,
        agent_id: AgentId,
        conversation_id: ConversationId,
        seq: i64,
    ) -> Result<(), StoreError> {
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO conversation_reads (agent_id, conversation_id, last_read_seq) \
                     VALUES ($1, $2, $3) ON CONFLICT (agent_id, conversation_id) DO UPDATE \
                     SET last_read_seq = CASE WHEN excluded.last_read_seq > \
                     conversation_reads.last_read_seq THEN excluded.last_read_seq \
                     ELSE conversation_reads.last_read_seq END",
                    params![agent_id.to_string(), conversation_id.to_string(), seq],
                )?;
                Ok(())
            })
            .await
    }

    /// The agent's read state in those of `conversations` they opened.
    pub async fn read_states(
        &self,
        agent_id: AgentId,
        conversations: &[ConversationId],
    ) -> Result<HashMap<ConversationId, ReadState>, StoreError> {
        if conversations.is_empty() {
            return Ok(HashMap::new());
        }
        let placeholders: Vec<String> = (0..conversations.len())
            .map(|i| format!("${}", i + 2))
            .collect();
        let sql = format!(
            "SELECT r.conversation_id, r.last_read_seq, \
             (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = r.conversation_id \
              AND m.seq > r.last_read_seq AND m.author_kind = 'visitor') AS unread \
             FROM conversation_reads r WHERE r.agent_id = $1 AND r.conversation_id IN ({})",
            placeholders.join(", ")
        );
        let mut values = vec![Value::Text(agent_id.to_string())];
        values.extend(conversations.iter().map(|c| Value::Text(c.to_string())));
        let rows = self.reader.fetch_all(&sql, &values).await?;
        rows.iter()
            .map(|row| {
                Ok((
                    id(row, "conversation_id")?,
                    ReadState {
                        last_read_seq: row.int("last_read_seq")?,
                        unread: u32::try_from(row.int("unread")?).unwrap_or(u32::MAX),
                    },
                ))
            })
            .collect()
    }
}

//! A bot's knowledge entries: Q&A pairs and Markdown documents.

use crate::db::params;
use crate::row::Cols as _;
use baton_domain::entity::Entity;
use baton_domain::ids::BotId;
use jiff::Timestamp;
use uuid::Uuid;

use crate::row::{id, ts};
use crate::time::{format_timestamp, now};
use crate::{Store, StoreError};

baton_domain::named_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum KnowledgeKind {
        Qa = "qa",
        Document = "document",
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnowledgeEntry {
    pub id: Uuid,
    pub bot_id: BotId,
    pub kind: KnowledgeKind,
    /// The question (Q&A) or the document's title.
    pub title: String,
    /// The answer (Q&A) or the document's Markdown.
    pub body: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Store {
    pub async fn knowledge(&self, bot_id: BotId) -> Result<Vec<KnowledgeEntry>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT id, bot_id, kind, title, body, created_at, updated_at FROM knowledge \
             WHERE bot_id = $1 ORDER BY created_at, id",
                params![bot_id.to_string()],
            )
            .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.text("kind")?;
                Ok(KnowledgeEntry {
                    id: id(row, "id")?,
                    bot_id: id(row, "bot_id")?,
                    kind: KnowledgeKind::parse(&kind)
                        .ok_or(StoreError::Corrupt("knowledge.kind"))?,
                    title: row.text("title")?,
                    body: row.text("body")?,
                    created_at: ts(row, "created_at")?,
                    updated_at: ts(row, "updated_at")?,
                })
            })
            .collect()
    }

    pub async fn knowledge_count(&self, bot_id: BotId) -> Result<u32, StoreError> {
        let row = self
            .reader
            .fetch_one(
                "SELECT COUNT(*) AS n FROM knowledge WHERE bot_id = $1",
                params![bot_id.to_string()],
            )
            .await?;
        let n: i64 = row.int("n")?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    pub async fn add_knowledge(
        &self,
        bot_id: BotId,
        kind: KnowledgeKind,
        title: &str,
        body: &str,
    ) -> Result<KnowledgeEntry, StoreError> {
        let at = now();
        let entry = KnowledgeEntry {
            id: Uuid::now_v7(),
            bot_id,
            kind,
            title: title.to_owned(),
            body: body.to_owned(),
            created_at: at,
            updated_at: at,
        };
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO knowledge (id, bot_id, kind, title, body, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6)",
                    params![
                        entry.id.to_string(),
                        entry.bot_id.to_string(),
                        entry.kind.as_str(),
                        entry.title,
                        entry.body,
                        format_timestamp(at),
                    ],
                )?;
                Ok(entry)
            })
            .await
    }

    /// Replaces an entry's title and body; `NotFound` unless it belongs to `bot_id`.
    pub async fn update_knowledge(
        &self,
        bot_id: BotId,
        entry_id: Uuid,
        title: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        let (title, body) = (title.to_owned(), body.to_owned());
        self.writer
            .write(move |c| {
                let changed = c.execute(
                    "UPDATE knowledge SET title = $1, body = $2, updated_at = $3 \
                         WHERE id = $4 AND bot_id = $5",
                    params![
                        title,
                        body,
                        format_timestamp(now()),
                        entry_id.to_string(),
                        bot_id.to_string(),
                    ],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound(Entity::KnowledgeEntry));
                }
                Ok(())
            })
            .await
    }

    pub async fn delete_knowledge(&self, bot_id: BotId, entry_id: Uuid) -> Result<(), StoreError> {
        self.writer
            .write(move |c| {
                let changed = c.execute(
                    "DELETE FROM knowledge WHERE id = $1 AND bot_id = $2",
                    params![entry_id.to_string(), bot_id.to_string()],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound(Entity::KnowledgeEntry));
                }
                Ok(())
            })
            .await
    }
}

//! Attachments' metadata: which conversation a file belongs to, its display name, type, size and
//! the hash its bytes are stored under, written in the same transaction as the conversation entry
//! that shows it. The bytes themselves are not stored here (see the server's blob store).

use crate::db::params;
use crate::row::{Cols, id, opt_id, ts};
use baton_domain::entity::Entity;
use baton_domain::ids::{AttachmentId, ConversationId, MessageId, WorkspaceId};
use baton_domain::ownership::Speaker;
use jiff::Timestamp;

use crate::conversations::{Appended, append, load_conversation};
use crate::time::{format_timestamp, now};
use crate::{NewMessage, Store, StoreError};

/// A stored file's metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub id: AttachmentId,
    pub workspace_id: WorkspaceId,
    pub conversation_id: ConversationId,
    /// The conversation entry that shows it.
    pub message_id: Option<MessageId>,
    /// Lower-case hex SHA-256 of the bytes: where the blob store keeps them.
    pub sha256: String,
    /// The display name (already made safe; never a path).
    pub name: String,
    /// Decided from the bytes, never the sender's claim.
    pub content_type: String,
    pub size: u64,
    pub created_at: Timestamp,
}

/// A file to attach (its bytes already in the blob store).
#[derive(Clone, Debug)]
pub struct NewAttachment {
    /// Chosen by the caller, so the message's `data` can name it.
    pub id: AttachmentId,
    pub sha256: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
}

/// The result of [`Store::append_attachment`].
#[derive(Clone, Debug)]
pub enum Attached {
    /// Stored now, or (`appended.replayed`) stored before under the same client id, in which
    /// case `attachment` is the earlier one.
    Stored {
        appended: Box<Appended>,
        attachment: Option<Attachment>,
    },
    /// The conversation already holds `limit` attachments: nothing was written.
    Full,
}

const COLUMNS: &str = "id, workspace_id, conversation_id, message_id, sha256, name, content_type, \
     size, created_at";

fn from_row(row: &dyn Cols) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        id: id(row, "id")?,
        workspace_id: id(row, "workspace_id")?,
        conversation_id: id(row, "conversation_id")?,
        message_id: opt_id(row, "message_id")?,
        sha256: row.text("sha256")?,
        name: row.text("name")?,
        content_type: row.text("content_type")?,
        size: u64::try_from(row.int("size")?).map_err(|_| StoreError::Corrupt("size"))?,
        created_at: ts(row, "created_at")?,
    })
}

impl Store {
    /// One attachment's metadata.
    pub async fn attachment(&self, id: AttachmentId) -> Result<Attachment, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM attachments WHERE id = $1");
        let row = self
            .reader
            .fetch_optional(&sql, params![id.to_string()])
            .await?
            .ok_or(StoreError::NotFound(Entity::Attachment))?;
        from_row(&row)
    }

    /// Every file of a conversation, oldest first (for tickets and transcripts).
    pub async fn conversation_attachments(
        &self,
        conversation_id: ConversationId,
    ) -> Result<Vec<Attachment>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attachments WHERE conversation_id = $1 ORDER BY created_at, id"
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![conversation_id.to_string()])
            .await?;
        rows.iter().map(|r| from_row(r)).collect()
    }

    /// How many attachments a conversation holds.
    pub async fn attachment_count(
        &self,
        conversation_id: ConversationId,
    ) -> Result<u32, StoreError> {
        let row = self
            .reader
            .fetch_one(
                "SELECT COUNT(*) AS n FROM attachments WHERE conversation_id = $1",
                params![conversation_id.to_string()],
            )
            .await?;
        crate::row::count(&row, "n")
    }

    /// Whether any attachment keeps bytes with this hash (a blob nobody refers to may go).
    pub async fn blob_in_use(&self, sha256: &str) -> Result<bool, StoreError> {
        let row = self
            .reader
            .fetch_optional(
                "SELECT id FROM attachments WHERE sha256 = $1 LIMIT 1",
                params![sha256],
            )
            .await?;
        Ok(row.is_some())
    }

    /// Appends the message showing a file and records the file, in one transaction, under the
    /// rules of [`Store::append_message`]: the same client id stored before returns the earlier
    /// message (and its attachment) and writes nothing; the speaker must be allowed to post now.
    /// With `workspace_id`, a conversation of another workspace is `NotFound`. A conversation
    /// that already holds `limit` attachments gets [`Attached::Full`].
    pub async fn append_attachment(
        &self,
        conversation_id: ConversationId,
        speaker: Speaker,
        workspace_id: Option<WorkspaceId>,
        new: NewMessage,
        file: NewAttachment,
        limit: u32,
    ) -> Result<Attached, StoreError> {
        let at = now();
        self.writer
            .write(move |c| {
                // Locks the conversation first (PostgreSQL), so the count below is not raced by
                // another node's upload to the same conversation.
                let conversation = load_conversation(c, conversation_id)?;
                if workspace_id.is_some_and(|w| w != conversation.workspace_id) {
                    return Err(StoreError::NotFound(Entity::Conversation));
                }
                let replayed = match new.client_id.as_deref() {
                    Some(client_id) => c.query_opt(
                        "SELECT id FROM messages WHERE conversation_id = $1 AND client_id = $2",
                        params![conversation_id.to_string(), client_id],
                        |r| r.text("id"),
                    )?,
                    None => None,
                };
                if replayed.is_none() {
                    let held = c.query_one(
                        "SELECT COUNT(*) AS n FROM attachments WHERE conversation_id = $1",
                        params![conversation_id.to_string()],
                        |r| r.int("n"),
                    )?;
                    if held >= i64::from(limit) {
                        return Ok(Attached::Full);
                    }
                }
                let appended =
                    append(c, conversation_id, speaker, new.clone(), true, workspace_id)?;
                if appended.replayed {
                    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE message_id = $1");
                    let earlier =
                        c.query_opt(&sql, params![appended.message.id.to_string()], |r| {
                            from_row(r)
                        })?;
                    return Ok(Attached::Stored {
                        appended: Box::new(appended),
                        attachment: earlier,
                    });
                }
                let attachment = Attachment {
                    id: file.id,
                    workspace_id: conversation.workspace_id,
                    conversation_id,
                    message_id: Some(appended.message.id),
                    sha256: file.sha256.clone(),
                    name: file.name.clone(),
                    content_type: file.content_type.clone(),
                    size: file.size,
                    created_at: at,
                };
                c.execute(
                    "INSERT INTO attachments (id, workspace_id, conversation_id, message_id, \
                     sha256, name, content_type, size, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    params![
                        attachment.id.to_string(),
                        attachment.workspace_id.to_string(),
                        conversation_id.to_string(),
                        appended.message.id.to_string(),
                        attachment.sha256,
                        attachment.name,
                        attachment.content_type,
                        i64::try_from(attachment.size).unwrap_or(i64::MAX),
                        format_timestamp(at),
                    ],
                )?;
                Ok(Attached::Stored {
                    appended: Box::new(appended),
                    attachment: Some(attachment),
                })
            })
            .await
    }
}

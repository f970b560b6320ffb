//! Saved replies: a workspace's canned answers, each under a shortcut unique in the workspace.

use crate::db::params;
use baton_domain::entity::Entity;
use baton_domain::ids::WorkspaceId;
use jiff::Timestamp;
use uuid::Uuid;

use crate::row::{id, ts};
use crate::time::{format_timestamp, now};
use crate::{Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedReply {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    /// Typed after `/` in the reply box: lower-case letters, digits, `-` and `_`.
    pub shortcut: String,
    /// The text inserted; `{visitor_name}` and `{agent_name}` are filled in by the panel.
    pub body: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, workspace_id, shortcut, body, created_at, updated_at";

fn from_row(row: &dyn crate::row::Cols) -> Result<SavedReply, StoreError> {
    Ok(SavedReply {
        id: id(row, "id")?,
        workspace_id: id(row, "workspace_id")?,
        shortcut: row.text("shortcut")?,
        body: row.text("body")?,
        created_at: ts(row, "created_at")?,
        updated_at: ts(row, "updated_at")?,
    })
}

impl Store {
    /// The workspace's saved replies, by shortcut.
    pub async fn saved_replies(
        &self,
        workspace_id: WorkspaceId,
    ) -> Result<Vec<SavedReply>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM saved_replies WHERE workspace_id = $1 ORDER BY shortcut"
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![workspace_id.to_string()])
            .await?;
        rows.iter().map(|r| from_row(r)).collect()
    }

    /// Adds a saved reply; `Taken("shortcut")` when the workspace has that shortcut, `Conflict`
    /// when it already has `limit` of them.
    pub async fn add_saved_reply(
        &self,
        workspace_id: WorkspaceId,
        shortcut: &str,
        body: &str,
        limit: u32,
    ) -> Result<SavedReply, StoreError> {
        let at = now();
        let reply = SavedReply {
            id: Uuid::now_v7(),
            workspace_id,
            shortcut: shortcut.to_owned(),
            body: body.to_owned(),
            created_at: at,
            updated_at: at,
        };
        self.writer
            .write(move |c| {
                let count = c.query_one(
                    "SELECT COUNT(*) AS n FROM saved_replies WHERE workspace_id = $1",
                    params![workspace_id.to_string()],
                    |row| row.int("n"),
                )?;
                if count >= i64::from(limit) {
                    return Err(StoreError::Conflict(
                        "the workspace has as many saved replies as it may; delete some first",
                    ));
                }
                let inserted = c.execute(
                    "INSERT INTO saved_replies (id, workspace_id, shortcut, body, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
                    params![
                        reply.id.to_string(),
                        workspace_id.to_string(),
                        reply.shortcut.clone(),
                        reply.body.clone(),
                        format_timestamp(at),
                    ],
                );
                match inserted {
                    Ok(_) => Ok(reply.clone()),
                    Err(err) if err.is_unique_violation() => Err(StoreError::Taken("shortcut")),
                    Err(err) => Err(err),
                }
            })
            .await
    }

    /// Replaces a saved reply's shortcut and text; `NotFound` outside the workspace.
    pub async fn update_saved_reply(
        &self,
        workspace_id: WorkspaceId,
        reply_id: Uuid,
        shortcut: &str,
        body: &str,
    ) -> Result<SavedReply, StoreError> {
        let (shortcut, body) = (shortcut.to_owned(), body.to_owned());
        self.writer
            .write(move |c| {
                let changed = c.execute(
                    "UPDATE saved_replies SET shortcut = $1, body = $2, updated_at = $3 \
                     WHERE id = $4 AND workspace_id = $5",
                    params![
                        shortcut.clone(),
                        body.clone(),
                        format_timestamp(now()),
                        reply_id.to_string(),
                        workspace_id.to_string(),
                    ],
                );
                match changed {
                    Ok(0) => return Err(StoreError::NotFound(Entity::SavedReply)),
                    Ok(_) => {}
                    Err(err) if err.is_unique_violation() => {
                        return Err(StoreError::Taken("shortcut"));
                    }
                    Err(err) => return Err(err),
                }
                let sql = format!("SELECT {COLUMNS} FROM saved_replies WHERE id = $1");
                c.query_opt(&sql, params![reply_id.to_string()], |r| from_row(r))?
                    .ok_or(StoreError::NotFound(Entity::SavedReply))
            })
            .await
    }

    /// Deletes a saved reply; `NotFound` outside the workspace.
    pub async fn delete_saved_reply(
        &self,
        workspace_id: WorkspaceId,
        reply_id: Uuid,
    ) -> Result<(), StoreError> {
        self.writer
            .write(move |c| {
                let deleted = c.execute(
                    "DELETE FROM saved_replies WHERE id = $1 AND workspace_id = $2",
                    params![reply_id.to_string(), workspace_id.to_string()],
                )?;
                if deleted == 0 {
                    return Err(StoreError::NotFound(Entity::SavedReply));
                }
                Ok(())
            })
            .await
    }
}

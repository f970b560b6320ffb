//! Known visitors: the identity a site vouched for (its own id for the visitor, their email and
//! name, signed with the workspace's identity secret), kept with the conversation; and the
//! secret itself.

use baton_domain::entity::Entity;
use baton_domain::ids::{ConversationId, WorkspaceId};
use jiff::Timestamp;

use crate::db::params;
use crate::row::{Cols as _, id, ts};
use crate::{Store, StoreError};

/// A visitor the site identified, with a valid signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownVisitor {
    /// The site's own id for this person.
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
}

/// An earlier conversation of the same known visitor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlierConversation {
    pub id: ConversationId,
    pub state: String,
    pub created_at: Timestamp,
}

impl Store {
    /// The workspace's identity secret, when an admin created one.
    pub async fn identity_secret(
        &self,
        workspace_id: WorkspaceId,
    ) -> Result<Option<String>, StoreError> {
        let row = self
            .reader
            .fetch_optional(
                "SELECT identity_secret FROM workspaces WHERE id = $1",
                params![workspace_id.to_string()],
            )
            .await?
            .ok_or(StoreError::NotFound(Entity::Workspace))?;
        row.opt_text("identity_secret")
    }

    /// Replaces the workspace's identity secret (signatures made with the old one stop working).
    pub async fn set_identity_secret(
        &self,
        workspace_id: WorkspaceId,
        secret: &str,
    ) -> Result<(), StoreError> {
        let secret = secret.to_owned();
        self.writer
            .write(move |c| {
                let changed = c.execute(
                    "UPDATE workspaces SET identity_secret = $1 WHERE id = $2",
                    params![secret.clone(), workspace_id.to_string()],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound(Entity::Workspace));
                }
                Ok(())
            })
            .await
    }

    /// Who the visitor of a conversation is, when the site vouched for them.
    pub async fn known_visitor(
        &self,
        conversation_id: ConversationId,
    ) -> Result<Option<KnownVisitor>, StoreError> {
        let row = self
            .reader
            .fetch_optional(
                "SELECT visitor_external_id, visitor_email, visitor_name, visitor_verified \
                 FROM conversations WHERE id = $1",
                params![conversation_id.to_string()],
            )
            .await?
            .ok_or(StoreError::NotFound(Entity::Conversation))?;
        if !row.flag("visitor_verified")? {
            return Ok(None);
        }
        let Some(external_id) = row.opt_text("visitor_external_id")? else {
            return Ok(None);
        };
        Ok(Some(KnownVisitor {
            external_id,
            email: row.opt_text("visitor_email")?,
            name: row.opt_text("visitor_name")?,
        }))
    }

    /// The known visitor's other conversations in the workspace, newest first.
    pub async fn conversations_of_visitor(
        &self,
        workspace_id: WorkspaceId,
        external_id: &str,
        except: ConversationId,
        limit: u32,
    ) -> Result<Vec<EarlierConversation>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT id, owner_state, created_at FROM conversations \
                 WHERE workspace_id = $1 AND visitor_external_id = $2 AND visitor_verified \
                 AND id <> $3 ORDER BY created_at DESC LIMIT $4",
                params![
                    workspace_id.to_string(),
                    external_id,
                    except.to_string(),
                    i64::from(limit)
                ],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(EarlierConversation {
                    id: id(row, "id")?,
                    state: row.text("owner_state")?,
                    created_at: ts(row, "created_at")?,
                })
            })
            .collect()
    }
}

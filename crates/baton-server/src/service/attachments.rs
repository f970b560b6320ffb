//! Sending files: checks a received file against the named limits, keeps its bytes in the blob
//! store and appends the conversation entry that shows it, once per client id, under the same
//! ownership rules as text messages.

use std::time::Instant;

use baton_domain::attachment::{self, FileType};
use baton_domain::ids::AttachmentId;
use baton_domain::message::{AuthorKind, ClientMessageId, MessageKind};
use baton_domain::ownership::Speaker;
use baton_storage::{Agent, Attached, Conversation, Message, NewAttachment, NewMessage};
use serde_json::json;

use crate::blobs::Incoming;
use crate::service::{ServiceError, ServiceResult};
use crate::state::AppState;

/// A file as received, not yet checked.
pub struct Upload {
    pub client_id: String,
    /// The name the sender gave (made safe before it is stored).
    pub file_name: String,
    pub file: Incoming,
}

/// Who sends the file.
pub enum Sender<'a> {
    Visitor,
    Agent(&'a Agent),
}

/// The stored entry showing the file, and whether it was stored before (a retry).
pub struct Sent {
    pub message: Message,
    pub replayed: bool,
}

impl AppState {
    /// Stores a file sent in `conversation`. Every check that can refuse it comes before its
    /// bytes are kept; a refusal stores nothing.
    pub async fn send_attachment(
        &self,
        conversation: &Conversation,
        sender: Sender<'_>,
        upload: Upload,
    ) -> ServiceResult<Sent> {
        let client_id = ClientMessageId::parse(&upload.client_id)
            .map_err(|e| ServiceError::invalid("client_id", e.to_string()))?;
        let limits = &self.config.limits;
        let name = attachment::display_name(&upload.file_name);
        if upload.file.size() == 0 {
            return Err(ServiceError::invalid("file", "the file is empty"));
        }
        let file_type = attachment::sniff(upload.file.head(), &name)
            .filter(|t| limits.attachment_types.contains(t))
            .ok_or_else(|| {
                ServiceError::UnsupportedFileType(format!(
                    "this type of file is not accepted (its content was checked); send one of: {}",
                    accepted_names(&limits.attachment_types)
                ))
            })?;
        let (author_kind, speaker, workspace_id, author_agent_id, author_name) = match sender {
            Sender::Visitor => (
                AuthorKind::Visitor,
                Speaker::Visitor,
                None,
                None,
                conversation.visitor_name.clone(),
            ),
            Sender::Agent(agent) => (
                AuthorKind::Agent,
                Speaker::Agent(agent.id),
                Some(agent.workspace_id),
                Some(agent.id),
                Some(agent.display_name.clone()),
            ),
        };
        // A retry of a stored file is answered from storage, without keeping the bytes again.
        let stored = self
            .store
            .message_by_client_id(conversation.id, client_id.as_str())
            .await?;
        if let Some(stored) = stored {
            if stored.author_kind != author_kind || stored.author_agent_id != author_agent_id {
                return Err(ServiceError::conflict(
                    "this client_id was already used for another author's message",
                ));
            }
            return Ok(Sent {
                message: stored,
                replayed: true,
            });
        }
        if let Speaker::Agent(_) = speaker {
            baton_domain::ownership::may_post(conversation.owner, speaker, true)?;
        }
        self.refuse_when_overloaded()?;
        let held = self.store.attachment_count(conversation.id).await?;
        if held >= limits.max_attachments_per_conversation {
            return Err(self.too_many_attachments());
        }
        if matches!(speaker, Speaker::Visitor)
            && let Err(wait) = self
                .limiters
                .visitor_messages
                .take(&conversation.id, Instant::now())
        {
            return Err(ServiceError::rate_limited(
                format!(
                    "you are sending messages too quickly (limit {} per minute); wait a moment",
                    limits.visitor_messages_per_minute
                ),
                wait,
            ));
        }

        let size = upload.file.size();
        let sha256 = self
            .blobs
            .keep(upload.file)
            .await
            .map_err(|e| ServiceError::internal("cannot store an attachment's bytes", e))?;
        let id = AttachmentId::new();
        let content_type = file_type.content_type();
        let new = NewMessage {
            kind: MessageKind::Attachment,
            author_kind,
            author_agent_id,
            author_name,
            body: name.clone(),
            client_id: Some(client_id.as_str().to_owned()),
            data: Some(json!({
                "attachment_id": id,
                "name": name,
                "content_type": content_type,
                "size": size,
            })),
        };
        let file = NewAttachment {
            id,
            sha256: sha256.clone(),
            name,
            content_type: content_type.to_owned(),
            size,
        };
        let attached = self
            .store
            .append_attachment(
                conversation.id,
                speaker,
                workspace_id,
                new,
                file,
                limits.max_attachments_per_conversation,
            )
            .await;
        let refused = match attached {
            Ok(Attached::Stored { appended, .. }) => {
                if appended.replayed {
                    self.forget_blob_if_unused(&sha256).await;
                } else if appended.reopened.is_some() {
                    self.publish_state(&appended.conversation).await;
                }
                return Ok(Sent {
                    message: appended.message,
                    replayed: appended.replayed,
                });
            }
            Ok(Attached::Full) => self.too_many_attachments(),
            Err(e) => ServiceError::from(e),
        };
        self.forget_blob_if_unused(&sha256).await;
        Err(refused)
    }

    fn too_many_attachments(&self) -> ServiceError {
        ServiceError::AttachmentsFull(format!(
            "this conversation already holds {} attachments, the most it may (max_attachments_per_conversation)",
            self.config.limits.max_attachments_per_conversation
        ))
    }

    /// Removes bytes kept for a file that was refused after all (a race another request won),
    /// unless another attachment has the same content.
    async fn forget_blob_if_unused(&self, sha256: &str) {
        if let Ok(false) = self.store.blob_in_use(sha256).await
            && let Err(e) = self.blobs.remove(sha256).await
        {
            tracing::warn!(error = %e, "cannot remove an unused attachment blob");
        }
    }
}

/// The accepted types as a sender would name them.
fn accepted_names(types: &[FileType]) -> String {
    let mut names: Vec<&str> = types
        .iter()
        .map(|t| match t {
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
            FileType::Gif => "GIF",
            FileType::Webp => "WebP",
            FileType::Pdf => "PDF",
            FileType::Text => "text (.txt)",
            FileType::Csv => "CSV",
            FileType::Zip => "ZIP",
            FileType::Docx | FileType::Doc => "Word",
            FileType::Xlsx | FileType::Xls => "Excel",
            FileType::Pptx | FileType::Ppt => "PowerPoint",
        })
        .collect();
    let mut unique: Vec<&str> = Vec::new();
    for name in names.drain(..) {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    unique.join(", ")
}

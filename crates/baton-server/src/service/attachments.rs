//! Sending files: checks a received file against the named limits, keeps its bytes in the blob
//! store and appends the conversation entry that shows it, once per client id, under the same
//! ownership rules as text messages. Also the signed links (capability URLs) to a file, for
//! people without a Baton session: FreshChat agents.

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

/// The sender as the stored entry names them.
struct Author {
    kind: AuthorKind,
    speaker: Speaker,
    /// The agent's workspace (storage checks the conversation is in it); none for the visitor.
    workspace_id: Option<baton_domain::ids::WorkspaceId>,
    agent_id: Option<baton_domain::ids::AgentId>,
    name: Option<String>,
}

impl Author {
    fn of(sender: Sender<'_>, conversation: &Conversation) -> Self {
        match sender {
            Sender::Visitor => Author {
                kind: AuthorKind::Visitor,
                speaker: Speaker::Visitor,
                workspace_id: None,
                agent_id: None,
                name: conversation.visitor_name.clone(),
            },
            Sender::Agent(agent) => Author {
                kind: AuthorKind::Agent,
                speaker: Speaker::Agent(agent.id),
                workspace_id: Some(agent.workspace_id),
                agent_id: Some(agent.id),
                name: Some(agent.display_name.clone()),
            },
        }
    }
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
        let name = attachment::display_name(&upload.file_name);
        let file_type = self.accepted_type(&upload, &name)?;
        let author = Author::of(sender, conversation);
        // A retry of a stored file is answered from storage, without keeping the bytes again.
        if let Some(sent) = self.replay(conversation, &client_id, &author).await? {
            return Ok(sent);
        }
        self.admit(conversation, &author).await?;
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
            author_kind: author.kind,
            author_agent_id: author.agent_id,
            author_name: author.name,
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
            sha256,
            name,
            content_type: content_type.to_owned(),
            size,
        };
        let attached = self
            .store
            .append_attachment(
                conversation.id,
                author.speaker,
                author.workspace_id,
                new,
                file,
                self.config.limits.max_attachments_per_conversation,
            )
            .await;
        match attached {
            // A race another request won leaves the kept bytes unreferenced: the sweep of unused
            // blobs removes them after the grace period (`blob_sweep`).
            Ok(Attached::Stored { appended, .. }) => {
                if !appended.replayed {
                    self.after_attached(
                        &appended.conversation,
                        &appended.message,
                        appended.reopened.is_some(),
                    )
                    .await;
                }
                Ok(Sent {
                    message: appended.message,
                    replayed: appended.replayed,
                })
            }
            Ok(Attached::Full) => Err(self.too_many_attachments()),
            Err(e) => Err(ServiceError::from(e)),
        }
    }

    /// The file's type, from its content: refused when empty or not one of the accepted types.
    fn accepted_type(&self, upload: &Upload, name: &str) -> ServiceResult<FileType> {
        if upload.file.size() == 0 {
            return Err(ServiceError::invalid("file", "the file is empty"));
        }
        let accepted = &self.config.limits.attachment_types;
        attachment::sniff(upload.file.head(), name)
            .filter(|t| accepted.contains(t))
            .ok_or_else(|| {
                ServiceError::UnsupportedFileType(format!(
                    "this type of file is not accepted (its content was checked); send one of: {}",
                    accepted_names(accepted)
                ))
            })
    }

    /// The entry a retry of `client_id` already stored, if any (another author's is a conflict).
    async fn replay(
        &self,
        conversation: &Conversation,
        client_id: &ClientMessageId,
        author: &Author,
    ) -> ServiceResult<Option<Sent>> {
        let stored = self
            .store
            .message_by_client_id(conversation.id, client_id.as_str())
            .await?;
        let Some(stored) = stored else {
            return Ok(None);
        };
        if stored.author_kind != author.kind || stored.author_agent_id != author.agent_id {
            return Err(ServiceError::conflict(
                "this client_id was already used for another author's message",
            ));
        }
        Ok(Some(Sent {
            message: stored,
            replayed: true,
        }))
    }

    /// Whether a new file may be sent now: the agent owns the conversation, the server is not
    /// shedding load, the conversation has room, the visitor is within their rate.
    async fn admit(&self, conversation: &Conversation, author: &Author) -> ServiceResult<()> {
        let limits = &self.config.limits;
        if let Speaker::Agent(_) = author.speaker {
            baton_domain::ownership::may_post(conversation.owner, author.speaker, true)?;
        }
        self.refuse_when_overloaded()?;
        let held = self.store.attachment_count(conversation.id).await?;
        if held >= limits.max_attachments_per_conversation {
            return Err(self.too_many_attachments());
        }
        if matches!(author.speaker, Speaker::Visitor)
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
        Ok(())
    }

    /// What follows a newly stored file: a reopened conversation's new owner is announced, and a
    /// FreshChat-owned conversation's file goes to FreshChat as a named, signed link.
    async fn after_attached(&self, conversation: &Conversation, message: &Message, reopened: bool) {
        if reopened {
            self.publish_state(conversation).await;
        }
        if conversation.owner == baton_domain::ownership::Owner::Freshchat {
            self.forward_to_freshchat(message).await;
        }
    }

    fn too_many_attachments(&self) -> ServiceError {
        ServiceError::AttachmentsFull(format!(
            "this conversation already holds {} attachments, the most it may (max_attachments_per_conversation)",
            self.config.limits.max_attachments_per_conversation
        ))
    }
}

/// The name under which the attachment link secret is kept (`installation_secrets`).
const LINK_SECRET: &str = "attachment_links";

impl AppState {
    /// The installation's link secret: read (or created, by the first node to ask) once.
    async fn link_secret(&self) -> Result<&str, baton_storage::StoreError> {
        self.link_secret
            .get_or_try_init(|| async {
                self.store
                    .installation_secret(LINK_SECRET, &crate::secrets::new_token())
                    .await
            })
            .await
            .map(String::as_str)
    }

    /// A link to an attachment that works without a session until `attachment_link_ttl` from
    /// now: `<base>/api/v1/attachments/<id>?exp=<unix seconds>&sig=<hex HMAC-SHA256>`.
    pub(crate) async fn signed_attachment_link(
        &self,
        id: AttachmentId,
    ) -> Result<String, baton_storage::StoreError> {
        let secret = self.link_secret().await?;
        let expires = jiff::Timestamp::now()
            .as_second()
            .saturating_add(i64::try_from(self.config.attachment_link_ttl.as_secs()).unwrap_or(0));
        let expires = u64::try_from(expires).unwrap_or(0);
        let sig = crate::secrets::attachment_link_signature(secret, &id.to_string(), expires);
        Ok(format!(
            "{}/api/v1/attachments/{id}?exp={expires}&sig={sig}",
            self.absolute_base()
        ))
    }

    /// Checks a signed link's expiry and signature: 403 `link_expired` or `invalid_link`
    /// otherwise (the same answer whether or not the attachment exists).
    pub(crate) async fn check_attachment_link(
        &self,
        id: AttachmentId,
        exp: &str,
        sig: &str,
    ) -> ServiceResult<()> {
        let invalid = |field| ServiceError::BadLink {
            code: "invalid_link",
            message: "this attachment link is not valid (altered or incomplete); ask for a new one",
            field,
        };
        let expires: u64 = exp.parse().map_err(|_| invalid("exp"))?;
        let secret = self.link_secret().await?;
        let expected = crate::secrets::attachment_link_signature(secret, &id.to_string(), expires);
        if !crate::secrets::constant_time_eq(
            expected.as_bytes(),
            sig.to_ascii_lowercase().as_bytes(),
        ) {
            return Err(invalid("sig"));
        }
        let now = u64::try_from(jiff::Timestamp::now().as_second()).unwrap_or(0);
        if expires <= now {
            return Err(ServiceError::BadLink {
                code: "link_expired",
                message: "this attachment link has expired; ask for a new one",
                field: "exp",
            });
        }
        Ok(())
    }

    /// What a FreshChat agent reads for a file the visitor sent: its name, size and a signed
    /// link. `data` is the attachment entry's `data` (`attachment_id`, `name`, `size`).
    pub(crate) async fn attachment_note(
        &self,
        data: &serde_json::Value,
    ) -> Result<String, baton_storage::StoreError> {
        let id: AttachmentId = data["attachment_id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or(baton_storage::StoreError::Corrupt("attachment_id"))?;
        let name = data["name"].as_str().unwrap_or("file");
        let size = data["size"].as_u64().unwrap_or(0);
        let link = self.signed_attachment_link(id).await?;
        Ok(format!(
            "Sent a file: {name} ({})\n{link}",
            attachment::human_size(size)
        ))
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

//! Starting conversations and posting visitor and agent messages.

use std::time::Instant;

use baton_domain::entity::Entity;
use baton_domain::ids::{BotId, ConversationId};
use baton_domain::message::{AuthorKind, ClientMessageId, MessageKind, MessageText};
use baton_domain::ownership::{Owner, Speaker};
use baton_storage::{Agent, Appended, Bot, Conversation, ConversationSummary, NewMessage, Pending};

use crate::secrets;
use crate::service::{ServiceError, ServiceResult};
use crate::state::AppState;
use crate::views::ConversationView;

/// A new conversation and the visitor's bearer token for it (shown once, stored only as a hash).
pub struct Started {
    pub conversation: Conversation,
    pub bot: Bot,
    pub token: String,
}

/// The longest visitor name accepted.
pub const MAX_VISITOR_NAME_CHARS: usize = 80;

/// Who a site says its visitor is, with the signature that proves it (checked in
/// [`AppState::start_conversation`]).
#[derive(Clone, Debug)]
pub struct IdentityClaim {
    pub visitor: baton_storage::KnownVisitor,
    pub signature: String,
}

impl AppState {
    pub async fn start_conversation(
        &self,
        bot_id: BotId,
        visitor_name: Option<&str>,
        identity: Option<&IdentityClaim>,
        lang: baton_domain::language::Language,
        client_ip: std::net::IpAddr,
    ) -> ServiceResult<Started> {
        let bot = self.store.bot(bot_id).await?;
        if bot.archived_at.is_some() {
            return Err(ServiceError::Archived);
        }
        let visitor_name = match visitor_name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name)
                if name.chars().count() > MAX_VISITOR_NAME_CHARS
                    || name.chars().any(char::is_control) =>
            {
                return Err(ServiceError::invalid(
                    "visitor_name",
                    format!(
                        "the name must be at most {MAX_VISITOR_NAME_CHARS} characters, without control characters"
                    ),
                ));
            }
            other => other,
        };
        if let Some(claim) = identity {
            let secret = self.store.identity_secret(bot.workspace_id).await?;
            let valid = secret.as_deref().is_some_and(|secret| {
                secrets::identity_signature_valid(
                    secret,
                    &claim.visitor.external_id,
                    &claim.signature,
                )
            });
            if !valid {
                return Err(ServiceError::Forbidden {
                    message: "the identity's signature is not valid for this site (sign external_id with the workspace's identity secret)",
                    field: Some("identity.signature"),
                });
            }
        }
        self.refuse_when_overloaded()?;
        if let Err(wait) = self
            .limiters
            .conversation_starts
            .take(&client_ip, Instant::now())
        {
            return Err(ServiceError::rate_limited(
                "too many conversations started from this address; try again shortly",
                wait,
            ));
        }
        let token = secrets::new_token();
        let conversation = self
            .store
            .create_conversation_for(
                bot.workspace_id,
                bot.id,
                &secrets::token_hash(&token),
                visitor_name,
                identity.map(|claim| &claim.visitor),
                lang,
            )
            .await?;
        // Everything the panel's list shows of a new conversation is known here: no read.
        let summary = ConversationSummary {
            conversation: conversation.clone(),
            bot_name: bot.name.clone(),
            owner_name: None,
            last_text: None,
            visitor_verified: identity.is_some(),
            visitor_email: identity.and_then(|claim| claim.visitor.email.clone()),
        };
        self.publish_summary(&summary);
        Ok(Started {
            conversation,
            bot,
            token,
        })
    }

    /// The conversation this visitor token opens: 404 when it does not exist, 403 when the token
    /// belongs to another conversation.
    pub async fn visitor_conversation(
        &self,
        id: ConversationId,
        token: &str,
    ) -> ServiceResult<Conversation> {
        let stored = self.store.visitor_token_hash(id).await?;
        let presented = secrets::token_hash(token);
        if !secrets::constant_time_eq(stored.as_bytes(), presented.as_bytes()) {
            return Err(ServiceError::Forbidden {
                message: "this visitor token does not open this conversation",
                field: None,
            });
        }
        Ok(self.store.conversation(id).await?)
    }

    /// Stores a visitor message (once per client id), then lets the bot answer.
    pub async fn post_visitor_message(
        &self,
        conversation: &Conversation,
        client_id: &str,
        text: &str,
    ) -> ServiceResult<Appended> {
        let client_id = ClientMessageId::parse(client_id)
            .map_err(|e| ServiceError::invalid("client_id", e.to_string()))?;
        let text = MessageText::parse(text, self.config.limits.max_message_bytes)
            .map_err(ServiceError::Text)?;
        self.refuse_when_overloaded()?;
        if let Err(wait) = self
            .limiters
            .visitor_messages
            .take(&conversation.id, Instant::now())
        {
            // A retry of a stored message is still answered (looked up only here, so the
            // common path costs no extra query).
            let stored = self
                .store
                .message_by_client_id(conversation.id, client_id.as_str())
                .await?
                .filter(|m| m.author_kind == AuthorKind::Visitor);
            if let Some(stored) = stored {
                return Ok(Appended {
                    message: stored,
                    replayed: true,
                    reopened: None,
                    conversation: conversation.clone(),
                });
            }
            return Err(ServiceError::rate_limited(
                format!(
                    "you are sending messages too quickly (limit {} per minute); wait a moment",
                    self.config.limits.visitor_messages_per_minute
                ),
                wait,
            ));
        }
        let new = NewMessage {
            kind: MessageKind::Text,
            author_kind: AuthorKind::Visitor,
            author_agent_id: None,
            author_name: conversation.visitor_name.clone(),
            body: text.into_string(),
            client_id: Some(client_id.as_str().to_owned()),
            data: None,
        };
        let appended = self
            .store
            .append_message(conversation.id, Speaker::Visitor, new, true)
            .await?;
        if !appended.replayed {
            // The stored entries reached the sockets from storage as they committed.
            if appended.reopened.is_some() {
                self.publish_state(&appended.conversation).await;
            }
            match appended.conversation.owner {
                Owner::LeadCapture => {
                    let id = appended.message.id.to_string();
                    self.read_lead_message(&appended.conversation, &id, &appended.message.body)
                        .await;
                }
                // An agent owns it: no bot turn at all (it could not speak anyway).
                Owner::Human(_) => {}
                // FreshChat's team owns it: the message goes there, in order, through the outbox.
                Owner::Freshchat => {
                    self.forward_to_freshchat(&appended.message).await;
                }
                _ => self.spawn_bot_turn(conversation.id),
            }
        }
        Ok(appended)
    }

    /// Stores a message from the agent who owns the conversation.
    pub async fn post_agent_message(
        &self,
        agent: &Agent,
        conversation_id: ConversationId,
        client_id: &str,
        text: &str,
    ) -> ServiceResult<Appended> {
        Ok(self
            .submit_agent_message(agent, conversation_id, client_id, text)?
            .await?)
    }

    /// Checks an agent's message and queues it for storing now; the returned write resolves
    /// when it is stored. Messages queued one after the other are stored in that order.
    pub fn submit_agent_message(
        &self,
        agent: &Agent,
        conversation_id: ConversationId,
        client_id: &str,
        text: &str,
    ) -> ServiceResult<Pending<Appended>> {
        let client_id = ClientMessageId::parse(client_id)
            .map_err(|e| ServiceError::invalid("client_id", e.to_string()))?;
        let text = MessageText::parse(text, self.config.limits.max_message_bytes)
            .map_err(ServiceError::Text)?;
        self.refuse_when_overloaded()?;
        let new = NewMessage {
            kind: MessageKind::Text,
            author_kind: AuthorKind::Agent,
            author_agent_id: Some(agent.id),
            author_name: Some(agent.display_name.clone()),
            body: text.into_string(),
            client_id: Some(client_id.as_str().to_owned()),
            data: None,
        };
        Ok(self
            .store
            .submit_agent_message(agent, conversation_id, new)?)
    }

    /// New work is refused while the server runs behind (see `overload.rs`): quickly, visibly,
    /// and before anything is stored.
    pub(crate) fn refuse_when_overloaded(&self) -> ServiceResult<()> {
        if self.overload.is_shedding() {
            return Err(ServiceError::Overloaded);
        }
        Ok(())
    }

    /// A conversation of the agent's workspace; any other is "not found" (never "forbidden", which
    /// would confirm it exists).
    pub async fn agent_conversation(
        &self,
        agent: &Agent,
        id: ConversationId,
    ) -> ServiceResult<Conversation> {
        let conversation = self.store.conversation(id).await?;
        if conversation.workspace_id != agent.workspace_id {
            return Err(ServiceError::NotFound(Entity::Conversation));
        }
        Ok(conversation)
    }

    pub async fn conversation_view(&self, id: ConversationId) -> ServiceResult<ConversationView> {
        let summary = self.store.conversation_summary(id).await?;
        Ok(ConversationView::from(&summary))
    }
}

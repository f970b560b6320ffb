//! A conversation's transcript emailed to its visitor at their request, through the outbox.

use std::time::Instant;

use baton_domain::contact::ContactEmail;
use baton_storage::Conversation;

use crate::service::{ServiceError, ServiceResult};
use crate::state::AppState;

/// The most log entries a transcript carries.
const TRANSCRIPT_ENTRIES: u32 = 500;

impl AppState {
    /// Queues the transcript of `conversation` for `email` (or the known visitor's own address);
    /// returns the address it goes to.
    pub async fn email_transcript(
        &self,
        conversation: &Conversation,
        email: Option<&str>,
    ) -> ServiceResult<String> {
        if self.config.smtp.is_none() {
            return Err(ServiceError::conflict(
                "this site cannot send emails; copy the conversation instead",
            ));
        }
        let known = self
            .store
            .known_visitor(conversation.id)
            .await?
            .and_then(|k| k.email);
        let to = match (email.map(str::trim).filter(|e| !e.is_empty()), known) {
            (Some(raw), _) => ContactEmail::parse(raw)
                .map_err(|p| ServiceError::invalid("email", p.to_string()))?
                .as_str()
                .to_owned(),
            (None, Some(known)) => known,
            (None, None) => {
                return Err(ServiceError::invalid(
                    "email",
                    "enter the email address to send the conversation to",
                ));
            }
        };
        if let Err(wait) = self
            .limiters
            .transcripts
            .take(&conversation.id, Instant::now())
        {
            return Err(ServiceError::rate_limited(
                "this conversation was emailed several times already; try again later",
                wait,
            ));
        }
        let bot = self.store.bot(conversation.bot_id).await?;
        let messages = self
            .store
            .messages(conversation.id, 0, TRANSCRIPT_ENTRIES)
            .await?;
        let item = crate::delivery::transcript_email(&bot.name, &messages, &to);
        self.store
            .queue_outbox(conversation.workspace_id, vec![item])
            .await?;
        self.wake(crate::cluster::Job::Outbox);
        Ok(to)
    }
}

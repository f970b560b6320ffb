//! What a service call fails with, in the service's own words. The HTTP edge turns each into a
//! status and a JSON body (`http/error.rs`); background jobs log them. Nothing here knows HTTP.

use std::time::Duration;

use baton_domain::entity::Entity;
use baton_domain::message::TextError;
use baton_domain::ownership::{Refusal, Silenced};
use baton_storage::StoreError;

/// Why a service refused or failed a request.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Storage refused or failed: a missing row, a refused owner change, a full write queue…
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The thing does not exist, or not where the caller may see it.
    #[error("{0} not found")]
    NotFound(Entity),
    /// A value the caller sent is not acceptable; `field` names it.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// A message text that is empty or too long.
    #[error(transparent)]
    Text(#[from] TextError),
    /// A file whose content is of a type the server does not take; the message lists those it
    /// does.
    #[error("{0}")]
    UnsupportedFileType(String),
    /// The caller may not do this (a token for another conversation, a forged identity).
    #[error("{message}")]
    Forbidden {
        message: &'static str,
        field: Option<&'static str>,
    },
    /// The request clashes with how things are (a setting that is off, a limit reached).
    #[error("{0}")]
    Conflict(String),
    /// A signed attachment link that is altered, incomplete (`code` `invalid_link`) or expired
    /// (`link_expired`); `field` names the query parameter at fault.
    #[error("{message}")]
    BadLink {
        code: &'static str,
        message: &'static str,
        field: &'static str,
    },
    /// The conversation holds the most attachments it may; the message says how many.
    #[error("{0}")]
    AttachmentsFull(String),
    /// The ownership rules refuse the change in the conversation's current state.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The speaker may not post in the conversation's current state.
    #[error(transparent)]
    Silenced(#[from] Silenced),
    /// Too many requests from this caller; try again after `retry_after`.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after: Duration,
    },
    /// The server runs behind and sheds new work; nothing was stored.
    #[error("the server is busy; nothing was stored")]
    Overloaded,
    /// The bot was archived: its widget opens nothing new.
    #[error("the bot was archived")]
    Archived,
    /// A failure on our side; `context` says what was being done.
    #[error("{context}")]
    Internal {
        context: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl ServiceError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        ServiceError::Conflict(message.into())
    }

    pub fn rate_limited(message: impl Into<String>, retry_after: Duration) -> Self {
        ServiceError::RateLimited {
            message: message.into(),
            retry_after,
        }
    }

    pub fn internal(
        context: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        ServiceError::Internal {
            context,
            source: source.into(),
        }
    }

    /// Whether the request was refused as such (the caller's to change), rather than failed on
    /// our side or shed under load.
    pub fn is_refusal(&self) -> bool {
        match self {
            ServiceError::Store(e) => matches!(
                e,
                StoreError::NotFound(_)
                    | StoreError::Refused(_)
                    | StoreError::Silenced(_)
                    | StoreError::Conflict(_)
                    | StoreError::Taken(_)
            ),
            ServiceError::Overloaded | ServiceError::Internal { .. } => false,
            ServiceError::NotFound(_)
            | ServiceError::Invalid { .. }
            | ServiceError::Text(_)
            | ServiceError::UnsupportedFileType(_)
            | ServiceError::Forbidden { .. }
            | ServiceError::BadLink { .. }
            | ServiceError::Conflict(_)
            | ServiceError::AttachmentsFull(_)
            | ServiceError::Refused(_)
            | ServiceError::Silenced(_)
            | ServiceError::RateLimited { .. }
            | ServiceError::Archived => true,
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// An error followed by each error beneath it (`outer: inner: innermost`), for the log. A source
/// whose text the error above already ends with is not repeated.
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut above = self.0.to_string();
        f.write_str(&above)?;
        let mut next = self.0.source();
        while let Some(err) = next {
            let text = err.to_string();
            if !above.ends_with(&text) {
                write!(f, ": {text}")?;
            }
            above = text;
            next = err.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_reads_every_cause_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("reading the file failed: {0}")]
        struct Outer(#[source] std::io::Error);
        let err = Outer(std::io::Error::other("disk gone"));
        assert_eq!(
            ErrorChain(&err).to_string(),
            "reading the file failed: disk gone"
        );
        #[derive(Debug, thiserror::Error)]
        #[error("storing failed")]
        struct Quiet(#[source] std::io::Error);
        let err = Quiet(std::io::Error::other("disk gone"));
        assert_eq!(ErrorChain(&err).to_string(), "storing failed: disk gone");
    }
}

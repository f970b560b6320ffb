//! Messages: who wrote them, what kind of event they record, and the validated text they carry.
//!
//! A conversation's stored history is one ordered log: visitor, bot and agent messages, and system
//! events (handoff requested, agent joined, ...) that the visitor also sees. Every entry has a
//! per-conversation sequence number, which is what clients resume from after a reconnect.

use std::fmt;

use serde::{Deserialize, Serialize};

crate::named_enum! {
    /// Who wrote a message.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AuthorKind {
        Visitor = "visitor",
        Bot = "bot",
        Agent = "agent",
        System = "system",
    }
}

crate::named_enum! {
    /// What a log entry records. Plain text messages are `Text`; the others are system events.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MessageKind {
        Text = "text",
        HandoffRequested = "handoff_requested",
        HandoffOffline = "handoff_offline",
        HandoffCancelled = "handoff_cancelled",
        HandoffExpired = "handoff_expired",
        AgentJoined = "agent_joined",
        AgentLeft = "agent_left",
        HandedBack = "handed_back",
        Reopened = "reopened",
        /// The visitor is asked for contact details (the offline path); `data.form` prefills the
        /// inline form.
        LeadRequested = "lead_requested",
        /// The details given were not usable; the text says why.
        LeadRetry = "lead_retry",
        /// A ticket was created from the details; the bot's success message.
        LeadCaptured = "lead_captured",
        /// The visitor declined to leave details.
        LeadDeclined = "lead_declined",
        /// A file sent by the visitor or an agent: the text is the file's display name, `data` is
        /// `{attachment_id, name, content_type, size}`.
        Attachment = "attachment",
    }
}

impl MessageKind {
    /// A step of a handoff or of the offline path (requested, offline, cancelled, expired, an
    /// agent joined, left or handed back, reopened, details asked for, taken or declined): what
    /// was said before it belongs to an earlier episode of the conversation. Text and
    /// attachments are not.
    pub fn is_handoff_event(self) -> bool {
        !matches!(self, MessageKind::Text | MessageKind::Attachment)
    }
}

/// Why message text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("the message is empty")]
    Empty,
    #[error("the message is {len} bytes; the limit is {limit} bytes")]
    TooLong { len: usize, limit: usize },
}

/// Message text that is non-empty, within the size limit, and free of control characters other
/// than newlines and tabs (which are kept). Escaping for display happens where it is rendered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct MessageText(String);

impl MessageText {
    /// Validates `raw` against `max_bytes` (measured before control characters are removed, so
    /// the limit a client sees is the limit it sent against).
    pub fn parse(raw: &str, max_bytes: usize) -> Result<MessageText, TextError> {
        if raw.len() > max_bytes {
            return Err(TextError::TooLong {
                len: raw.len(),
                limit: max_bytes,
            });
        }
        let cleaned: String = raw
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        if cleaned.trim().is_empty() {
            return Err(TextError::Empty);
        }
        Ok(MessageText(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for MessageText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The client's idempotency key for a message: a retry with the same key returns the stored
/// message instead of creating a second one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ClientMessageId(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("client_id must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'")]
pub struct InvalidClientId;

impl ClientMessageId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<ClientMessageId, InvalidClientId> {
        let ok = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        if ok {
            Ok(ClientMessageId(raw.to_owned()))
        } else {
            Err(InvalidClientId)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_within_the_limit_is_kept_as_written() {
        let text = MessageText::parse("Hello,\n\tworld <b>", 100).unwrap();
        assert_eq!(text.as_str(), "Hello,\n\tworld <b>");
    }

    #[test]
    fn empty_and_blank_text_is_refused() {
        assert_eq!(MessageText::parse("", 10), Err(TextError::Empty));
        assert_eq!(MessageText::parse(" \n\t ", 10), Err(TextError::Empty));
        assert_eq!(MessageText::parse("\u{0}\u{7}", 10), Err(TextError::Empty));
    }

    #[test]
    fn the_limit_is_in_bytes_and_inclusive() {
        assert!(MessageText::parse(&"a".repeat(4096), 4096).is_ok());
        assert_eq!(
            MessageText::parse(&"a".repeat(4097), 4096),
            Err(TextError::TooLong {
                len: 4097,
                limit: 4096
            })
        );
        // Four bytes per character: 1025 of them exceed 4096 bytes.
        assert!(MessageText::parse(&"😀".repeat(1025), 4096).is_err());
    }

    #[test]
    fn control_characters_are_removed() {
        let text = MessageText::parse("a\u{0}b\u{1b}[31mc\r\n", 100).unwrap();
        assert_eq!(text.as_str(), "ab[31mc\n");
    }

    #[test]
    fn client_ids_have_a_small_safe_alphabet() {
        assert!(ClientMessageId::parse("c-1700000000.42:a_b").is_ok());
        assert!(ClientMessageId::parse("").is_err());
        assert!(ClientMessageId::parse(&"x".repeat(65)).is_err());
        assert!(ClientMessageId::parse("has space").is_err());
        assert!(ClientMessageId::parse("<script>").is_err());
    }

    #[test]
    fn kinds_round_trip() {
        for kind in MessageKind::ALL {
            assert_eq!(MessageKind::parse(kind.as_str()), Some(kind));
        }
        for author in [
            AuthorKind::Visitor,
            AuthorKind::Bot,
            AuthorKind::Agent,
            AuthorKind::System,
        ] {
            assert_eq!(AuthorKind::parse(author.as_str()), Some(author));
        }
    }
}

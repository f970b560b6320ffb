//! An agent's account as an admin (in the API) or an operator (on the command line) types it:
//! email, display name, password and how many chats the agent takes at once. Each value is
//! checked here once, the same for both; a value that parses is one an account may hold. The
//! account itself ([`Agent`]) is stored by storage and read by the server.

use crate::ids::{AgentId, WorkspaceId};

crate::named_enum! {
    /// What an agent may do: an admin also manages the workspace (bots, team, settings).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Role {
        Admin = "admin",
        Agent = "agent",
    }
}

crate::named_enum! {
    /// What an agent has chosen: online (takes chats while the panel is open) or away.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum AgentStatus {
        Online = "online",
        Away = "away",
    }
}

/// A person on the team: their account, their role and how many chats they take at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    pub id: AgentId,
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub max_chats: u32,
    pub status: AgentStatus,
    /// A deactivated agent keeps their account and history but cannot log in or take chats.
    pub active: bool,
}

/// A value an account may not hold, with the field it was given in and what is wrong, in words
/// the person typing can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 80;
/// The most chats an agent may be set to take at once.
pub const MAX_CHATS_LIMIT: u32 = 100;
/// The longest email address accepted (RFC 5321 path limit).
const MAX_EMAIL_LEN: usize = 254;
const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_BYTES: usize = 1024;

/// The email an agent logs in with: trimmed and lower-cased (emails are unique across
/// workspaces, whatever their case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountEmail(String);

impl AccountEmail {
    pub fn parse(raw: &str) -> Result<AccountEmail, FieldError> {
        let email = raw.trim();
        let at = email.find('@');
        if email.len() > MAX_EMAIL_LEN
            || at.is_none_or(|i| i == 0 || i == email.len() - 1)
            || email.chars().any(char::is_whitespace)
        {
            return Err(FieldError::new(
                "email",
                "enter a valid email address, like ana@example.com",
            ));
        }
        Ok(AccountEmail(email.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The name other agents and visitors see: 1 to [`MAX_DISPLAY_NAME_CHARS`] characters once
/// trimmed, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, FieldError> {
        let name_len = raw.trim().chars().count();
        if name_len == 0 || name_len > MAX_DISPLAY_NAME_CHARS || raw.chars().any(char::is_control) {
            return Err(FieldError::new(
                "display_name",
                format!(
                    "the name must be 1 to {MAX_DISPLAY_NAME_CHARS} characters, without control characters"
                ),
            ));
        }
        Ok(DisplayName(raw.trim().to_owned()))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Checks a new password: at least 10 characters, at most 1024 bytes (hashing a longer one
/// would only cost the server time).
pub fn check_password(password: &str) -> Result<(), FieldError> {
    let problem = if password.chars().count() < MIN_PASSWORD_CHARS {
        "the password must be at least 10 characters long"
    } else if password.len() > MAX_PASSWORD_BYTES {
        "the password must be at most 1024 bytes long"
    } else {
        return Ok(());
    };
    Err(FieldError::new("password", problem))
}

/// Checks how many chats an agent takes at once: 1 to [`MAX_CHATS_LIMIT`].
pub fn check_max_chats(max_chats: u32) -> Result<u32, FieldError> {
    if max_chats == 0 || max_chats > MAX_CHATS_LIMIT {
        return Err(FieldError::new(
            "max_chats",
            format!("max_chats must be between 1 and {MAX_CHATS_LIMIT}"),
        ));
    }
    Ok(max_chats)
}

/// A new account's fields, each checked, in the order a form shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub email: AccountEmail,
    pub display_name: DisplayName,
    pub max_chats: u32,
}

impl NewAccount {
    /// Checks every field (the first problem found is reported); the password is checked but
    /// not kept, so it is hashed by the caller and never held longer than needed.
    pub fn parse(
        email: &str,
        display_name: &str,
        password: &str,
        max_chats: u32,
    ) -> Result<NewAccount, FieldError> {
        let email = AccountEmail::parse(email)?;
        let display_name = DisplayName::parse(display_name)?;
        check_password(password)?;
        let max_chats = check_max_chats(max_chats)?;
        Ok(NewAccount {
            email,
            display_name,
            max_chats,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let email = AccountEmail::parse("  Ana@Example.com ").unwrap();
        assert_eq!(email.as_str(), "ana@example.com");
    }

    #[test]
    fn an_email_needs_something_on_both_sides_of_an_at() {
        for bad in ["", "ana", "@example.com", "ana@", "ana @example.com"] {
            let err = AccountEmail::parse(bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad:?}");
        }
        assert!(AccountEmail::parse(&format!("a@{}", "b".repeat(253))).is_err());
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse(" Ana ").unwrap().into_string(), "Ana");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"a".repeat(81)).is_err());
        assert!(DisplayName::parse(&"a".repeat(80)).is_ok());
        assert_eq!(
            DisplayName::parse("A\u{7}na").unwrap_err().field,
            "display_name"
        );
    }

    #[test]
    fn passwords_are_at_least_ten_characters_and_at_most_1024_bytes() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
        assert!(check_password(&"x".repeat(1025)).is_err());
        assert_eq!(check_password("short").unwrap_err().field, "password");
    }

    #[test]
    fn capacity_is_one_to_a_hundred_chats() {
        assert!(check_max_chats(0).is_err());
        assert_eq!(check_max_chats(1), Ok(1));
        assert_eq!(check_max_chats(100), Ok(100));
        assert!(check_max_chats(101).is_err());
    }

    #[test]
    fn a_new_account_reports_the_first_field_at_fault() {
        let err = NewAccount::parse("ana", "", "short", 0).unwrap_err();
        assert_eq!(err.field, "email");
        let err = NewAccount::parse("ana@example.com", "Ana", "short", 0).unwrap_err();
        assert_eq!(err.field, "password");
        let account = NewAccount::parse("Ana@example.com", " Ana ", "long enough pass", 5).unwrap();
        assert_eq!(account.email.as_str(), "ana@example.com");
        assert_eq!(account.display_name.into_string(), "Ana");
    }
}

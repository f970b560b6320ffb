//! Contact details a visitor leaves for a ticket (the offline path): validated email, name and
//! problem description, and reading them out of a plain chat message.
//!
//! Every refusal says what is wrong in words the visitor can act on, so the widget can re-prompt
//! specifically ("that address has no domain after the @") rather than with a generic error.
//! Values that reach email headers never contain CR or LF.

use std::fmt;

use serde::Serialize;

/// The longest email address accepted (RFC 5321 path limit).
pub const MAX_EMAIL_LEN: usize = 254;
/// The longest local part (before the @) accepted (RFC 5321).
pub const MAX_LOCAL_LEN: usize = 64;
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// What is wrong with an email address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailProblem {
    #[error("please type your email address")]
    Empty,
    #[error("that email address has no @ — it should look like name@example.com")]
    MissingAt,
    #[error("that email address has more than one @")]
    SeveralAt,
    #[error("that email address has nothing before the @")]
    EmptyLocal,
    #[error("the part before the @ is {0} characters long; the limit is 64")]
    LocalTooLong(usize),
    #[error("that email address is longer than 254 characters")]
    TooLong,
    #[error("that email address contains spaces or invisible characters")]
    BadCharacters,
    #[error("the part after the @ should be a domain like example.com")]
    BadDomain,
}

/// A syntactically valid email address with a plausible domain (at least one dot, labels of
/// letters, digits and hyphens, a top-level label of two or more letters). Stored lower-cased in
/// the domain part only; the local part is kept as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ContactEmail(String);

impl ContactEmail {
    pub fn parse(raw: &str) -> Result<ContactEmail, EmailProblem> {
        let raw = raw.trim().trim_start_matches("mailto:");
        if raw.is_empty() {
            return Err(EmailProblem::Empty);
        }
        if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(EmailProblem::BadCharacters);
        }
        let (local, domain) = match raw.split_once('@') {
            None => return Err(EmailProblem::MissingAt),
            Some((_, domain)) if domain.contains('@') => return Err(EmailProblem::SeveralAt),
            Some(parts) => parts,
        };
        if local.is_empty() {
            return Err(EmailProblem::EmptyLocal);
        }
        if local.chars().count() > MAX_LOCAL_LEN {
            return Err(EmailProblem::LocalTooLong(local.chars().count()));
        }
        if raw.len() > MAX_EMAIL_LEN {
            return Err(EmailProblem::TooLong);
        }
        let local_ok = local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(EmailProblem::BadCharacters);
        }
        let domain = domain.to_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        let tld_ok = labels
            .last()
            .is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic));
        if labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
            return Err(EmailProblem::BadDomain);
        }
        Ok(ContactEmail(format!("{local}@{domain}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContactEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Removes control characters (CR and LF included: they would let a value inject email headers)
/// and collapses runs of whitespace.
pub fn single_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    #[error("the name must be at most {MAX_NAME_CHARS} characters")]
    NameTooLong,
    #[error("the description must be at most {MAX_DESCRIPTION_CHARS} characters")]
    DescriptionTooLong,
}

/// An optional display name: one line, at most [`MAX_NAME_CHARS`].
pub fn parse_name(raw: Option<&str>) -> Result<Option<String>, FieldProblem> {
    let Some(raw) = raw else { return Ok(None) };
    let name = single_line(raw);
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(FieldProblem::NameTooLong);
    }
    Ok(Some(name).filter(|n| !n.is_empty()))
}

/// A problem description: newlines kept, other control characters removed.
pub fn parse_description(raw: &str) -> Result<String, FieldProblem> {
    let text: String = raw
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let text = text.trim().to_owned();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(FieldProblem::DescriptionTooLong);
    }
    Ok(text)
}

/// What a visitor's message says while their details are being collected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeadReply {
    /// A valid email address.
    Email(ContactEmail),
    /// Something that looks like an email address, but is not valid.
    InvalidEmail(EmailProblem),
    /// "No thanks": the visitor does not want to leave details.
    Declined,
    /// Neither: ask again.
    Unclear,
}

/// Reads a chat message written while contact details are being collected.
pub fn read_lead_reply(text: &str) -> LeadReply {
    let candidate = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '"'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | '!' | '?' | ':' | '\'')))
        .find(|w| w.contains('@'));
    if let Some(candidate) = candidate {
        return match ContactEmail::parse(candidate) {
            Ok(email) => LeadReply::Email(email),
            Err(problem) => LeadReply::InvalidEmail(problem),
        };
    }
    if is_decline(text) {
        LeadReply::Declined
    } else {
        LeadReply::Unclear
    }
}

fn is_decline(text: &str) -> bool {
    let lowered = text.to_lowercase();
    let words: Vec<&str> = lowered
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    const PHRASES: &[&[&str]] = &[
        &["no"],
        &["nope"],
        &["nah"],
        &["no", "thanks"],
        &["no", "thank", "you"],
        &["not", "now"],
        &["no", "need"],
        &["never", "mind"],
        &["nevermind"],
        &["skip"],
        &["cancel"],
        &["i'd", "rather", "not"],
        &["rather", "not"],
        &["no", "gracias"],
        &["non"],
        &["non", "merci"],
        &["nein"],
        &["nein", "danke"],
        &["não"],
        &["nao"],
        &["não", "obrigado"],
        &["não", "obrigada"],
        &["nao", "obrigado"],
    ];
    PHRASES
        .iter()
        .any(|p| words.windows(p.len()).any(|w| w == *p) && (p.len() > 1 || words.len() <= 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted_and_the_domain_is_lower_cased() {
        for (raw, stored) in [
            ("ana@example.com", "ana@example.com"),
            (
                "  Ana.Lopez+support@Example.CO.uk ",
                "Ana.Lopez+support@example.co.uk",
            ),
            ("mailto:x@sub.example.org", "x@sub.example.org"),
            ("josé@correo.es", "josé@correo.es"),
        ] {
            assert_eq!(ContactEmail::parse(raw).unwrap().as_str(), stored);
        }
    }

    #[test]
    fn each_problem_is_named() {
        let local = "a".repeat(300);
        let long_local = format!("{local}@example.com");
        let cases: Vec<(&str, EmailProblem)> = vec![
            ("", EmailProblem::Empty),
            ("ana.example.com", EmailProblem::MissingAt),
            ("ana@@example.com", EmailProblem::SeveralAt),
            ("a@b@example.com", EmailProblem::SeveralAt),
            ("@example.com", EmailProblem::EmptyLocal),
            (&long_local, EmailProblem::LocalTooLong(300)),
            ("ana @example.com", EmailProblem::BadCharacters),
            ("ana\r\nBcc: x@evil.com", EmailProblem::BadCharacters),
            ("an\u{0}a@example.com", EmailProblem::BadCharacters),
            ("ana..b@example.com", EmailProblem::BadCharacters),
            ("ana@example", EmailProblem::BadDomain),
            ("ana@-example.com", EmailProblem::BadDomain),
            ("ana@example.c", EmailProblem::BadDomain),
            ("ana@example..com", EmailProblem::BadDomain),
            ("ana@exa mple.com", EmailProblem::BadCharacters),
            ("ana@127.0.0.1", EmailProblem::BadDomain),
        ];
        for (raw, problem) in cases {
            assert_eq!(ContactEmail::parse(raw), Err(problem), "{raw:?}");
        }
        let long_domain = format!("ana@{}.com", "a".repeat(260));
        assert_eq!(
            ContactEmail::parse(&long_domain),
            Err(EmailProblem::TooLong)
        );
    }

    #[test]
    fn names_and_descriptions_lose_header_injection() {
        assert_eq!(
            parse_name(Some("Ana\r\nBcc: evil@x.com")).unwrap().unwrap(),
            "Ana Bcc: evil@x.com"
        );
        assert_eq!(parse_name(Some("   ")).unwrap(), None);
        assert_eq!(parse_name(None).unwrap(), None);
        assert_eq!(
            parse_name(Some(&"n".repeat(101))),
            Err(FieldProblem::NameTooLong)
        );
        assert_eq!(
            parse_description("line one\nline two\u{7}").unwrap(),
            "line one\nline two"
        );
        assert!(parse_description(&"d".repeat(2001)).is_err());
        assert_eq!(
            single_line("Subject\r\nX-Injected: 1"),
            "Subject X-Injected: 1"
        );
    }

    #[test]
    fn chat_replies_are_read_for_an_address_or_a_refusal() {
        assert_eq!(
            read_lead_reply("sure, it's ana@example.com."),
            LeadReply::Email(ContactEmail::parse("ana@example.com").unwrap())
        );
        assert_eq!(
            read_lead_reply("<bob@example.org>"),
            LeadReply::Email(ContactEmail::parse("bob@example.org").unwrap())
        );
        assert_eq!(
            read_lead_reply("ana@example"),
            LeadReply::InvalidEmail(EmailProblem::BadDomain)
        );
        for decline in [
            "no thanks",
            "No, thank you!",
            "not now",
            "nope",
            "no gracias",
            "Non merci",
            "nein danke",
            "não, obrigado",
        ] {
            assert_eq!(read_lead_reply(decline), LeadReply::Declined, "{decline}");
        }
        for unclear in [
            "what do you need it for?",
            "my order number is 1234",
            "no idea what my email is, I think it's on my phone somewhere",
        ] {
            assert_eq!(read_lead_reply(unclear), LeadReply::Unclear, "{unclear}");
        }
    }
}

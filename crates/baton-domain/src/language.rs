//! The visitor's language: which of the languages Baton speaks to visitors a request asks for.
//!
//! A request names a language with a BCP 47 tag (`de`, `de-AT`, `pt-BR`). Only the primary subtag
//! matters; a language Baton does not speak falls back to English. This module owns that choice
//! and nothing else: the texts themselves live with the server.

use std::fmt;

/// A language the widget and the server's visitor-facing texts are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    #[default]
    English,
    German,
    French,
    Spanish,
    Portuguese,
}

/// The longest tag accepted: 35 characters covers every registered BCP 47 form that matters here.
pub const MAX_TAG_CHARS: usize = 35;

/// Why a language tag was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LanguageTagError {
    #[error("a language tag has at most {MAX_TAG_CHARS} characters")]
    TooLong,
    #[error("a language tag has only letters, digits and hyphens (like de or pt-BR)")]
    Malformed,
}

impl Language {
    /// Every language, English first.
    pub const ALL: [Language; 5] = [
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Portuguese,
    ];

    /// The ISO 639-1 code: `en`, `de`, `fr`, `es`, `pt`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Portuguese => "pt",
        }
    }

    /// The language for an ISO 639-1 code (any case), if Baton speaks it.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The language a BCP 47 tag asks for: its primary subtag if Baton speaks it, else English.
    /// An empty tag is no preference (English). A tag with anything but ASCII letters, digits and
    /// hyphens, or longer than [`MAX_TAG_CHARS`], is refused.
    pub fn parse_tag(tag: &str) -> Result<Language, LanguageTagError> {
        let tag = tag.trim();
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(LanguageTagError::TooLong);
        }
        if !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(LanguageTagError::Malformed);
        }
        let primary = tag.split('-').next().unwrap_or_default();
        Ok(Language::from_code(primary).unwrap_or_default())
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_subtag_chooses_the_language() {
        for (tag, language) in [
            ("de", Language::German),
            ("DE", Language::German),
            ("de-AT", Language::German),
            ("fr-CA", Language::French),
            ("es-419", Language::Spanish),
            ("pt-BR", Language::Portuguese),
            ("en-GB", Language::English),
            ("", Language::English),
        ] {
            assert_eq!(Language::parse_tag(tag), Ok(language), "{tag}");
        }
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        for tag in ["xx", "ja", "zh-Hant-TW", "x-private", "-", "dede"] {
            assert_eq!(Language::parse_tag(tag), Ok(Language::English), "{tag}");
        }
    }

    #[test]
    fn malformed_tags_are_refused() {
        assert_eq!(
            Language::parse_tag("de_AT"),
            Err(LanguageTagError::Malformed)
        );
        assert_eq!(
            Language::parse_tag("<script>"),
            Err(LanguageTagError::Malformed)
        );
        assert_eq!(Language::parse_tag("dé"), Err(LanguageTagError::Malformed));
        assert_eq!(
            Language::parse_tag(&"a".repeat(36)),
            Err(LanguageTagError::TooLong)
        );
        assert!(Language::parse_tag(&"a".repeat(35)).is_ok());
    }

    #[test]
    fn codes_round_trip() {
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
        }
    }
}

//! The texts an admin writes for visitors (the greeting, the offline message, the lead capture
//! prompt and success message) in other languages than the one they were first written in.
//!
//! A bot's base texts are what the admin typed; [`Translations`] holds, per language and per
//! text, an optional override. A visitor in a language with an override reads it; everyone else
//! reads the base text. This module owns the shape, the checks and that choice; where the base
//! texts live and how long they may be is the caller's.

use std::collections::BTreeMap;

use crate::language::Language;

crate::named_enum! {
    /// An admin-written, visitor-facing text of a bot.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum TextKey {
        /// The first line the widget shows.
        Greeting = "greeting",
        /// Shown when no live handoff can be offered.
        OfflineMessage = "offline_message",
        /// Asks for contact details on the offline path.
        LeadCapturePrompt = "lead_capture_prompt",
        /// Thanks the visitor once they left their details.
        LeadCaptureSuccess = "lead_capture_success",
    }
}

impl TextKey {
    /// The texts edited with the bot itself (name, greeting, persona).
    pub const BOT: &'static [TextKey] = &[TextKey::Greeting];
    /// The texts edited with the bot's handoff settings.
    pub const HANDOFF: &'static [TextKey] = &[
        TextKey::OfflineMessage,
        TextKey::LeadCapturePrompt,
        TextKey::LeadCaptureSuccess,
    ];
}

/// Translations as exchanged and stored: `{"de": {"greeting": "Hallo!"}, "fr": {...}}`, language
/// codes to text keys to texts.
pub type TranslationsDocument = BTreeMap<String, BTreeMap<String, String>>;

/// One problem with a translations document, naming the field (`translations.de.greeting`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranslationProblem {
    pub field: String,
    pub message: String,
}

/// Per-language overrides of a bot's admin-written texts. Every text held is trimmed, non-empty
/// and free of control characters other than line breaks and tabs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Translations {
    texts: BTreeMap<(Language, TextKey), String>,
}

impl Translations {
    /// Checks a document against the texts allowed here (`keys`) and their length limits.
    /// A blank text means "use the base text" and is dropped. Every problem is reported, each
    /// with its field under `translations`.
    pub fn parse(
        document: &TranslationsDocument,
        keys: &[TextKey],
        max_chars: impl Fn(TextKey) -> usize,
    ) -> Result<Translations, Vec<TranslationProblem>> {
        let mut texts = BTreeMap::new();
        let mut problems = Vec::new();
        let known_keys = keys
            .iter()
            .map(TextKey::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        for (code, entries) in document {
            let Some(lang) = Language::from_code(code).filter(|l| l.code() == code) else {
                problems.push(TranslationProblem {
                    field: format!("translations.{code}"),
                    message: format!(
                        "unknown language `{code}`; expected one of en, de, fr, es, pt"
                    ),
                });
                continue;
            };
            for (name, text) in entries {
                let field = format!("translations.{code}.{name}");
                let Some(key) = TextKey::parse(name).filter(|k| keys.contains(k)) else {
                    problems.push(TranslationProblem {
                        field,
                        message: format!("unknown text `{name}`; expected one of {known_keys}"),
                    });
                    continue;
                };
                let text = text.trim();
                let max = max_chars(key);
                if text.chars().count() > max {
                    problems.push(TranslationProblem {
                        field,
                        message: format!("the {} must be at most {max} characters", name),
                    });
                } else if text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t')
                {
                    problems.push(TranslationProblem {
                        field,
                        message: format!("the {name} cannot contain control characters"),
                    });
                } else if !text.is_empty() {
                    texts.insert((lang, key), text.to_owned());
                }
            }
        }
        if problems.is_empty() {
            Ok(Translations { texts })
        } else {
            Err(problems)
        }
    }

    /// The override of `key` in `lang`, if the admin wrote one.
    pub fn get(&self, lang: Language, key: TextKey) -> Option<&str> {
        self.texts.get(&(lang, key)).map(String::as_str)
    }

    /// The text a visitor in `lang` reads: the override when there is one, else `base`.
    pub fn pick<'a>(&'a self, lang: Language, key: TextKey, base: &'a str) -> &'a str {
        self.get(lang, key).unwrap_or(base)
    }

    /// Only the overrides of `keys`.
    pub fn only(&self, keys: &[TextKey]) -> Translations {
        Translations {
            texts: self
                .texts
                .iter()
                .filter(|((_, key), _)| keys.contains(key))
                .map(|(k, v)| (*k, v.clone()))
                .collect(),
        }
    }

    /// These overrides with those of `keys` replaced by `other`'s: one editor saves some texts
    /// without touching the others.
    pub fn replacing(&self, keys: &[TextKey], other: &Translations) -> Translations {
        let mut texts: BTreeMap<_, _> = self
            .texts
            .iter()
            .filter(|((_, key), _)| !keys.contains(key))
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        texts.extend(
            other
                .texts
                .iter()
                .filter(|((_, key), _)| keys.contains(key))
                .map(|(k, v)| (*k, v.clone())),
        );
        Translations { texts }
    }

    /// The document form, languages and texts in a stable order.
    pub fn document(&self) -> TranslationsDocument {
        let mut document = TranslationsDocument::new();
        for ((lang, key), text) in &self.texts {
            document
                .entry(lang.code().to_owned())
                .or_default()
                .insert(key.as_str().to_owned(), text.clone());
        }
        document
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(entries: &[(&str, &str, &str)]) -> TranslationsDocument {
        let mut d = TranslationsDocument::new();
        for (lang, key, text) in entries {
            d.entry((*lang).to_owned())
                .or_default()
                .insert((*key).to_owned(), (*text).to_owned());
        }
        d
    }

    fn parse(
        d: &TranslationsDocument,
        keys: &[TextKey],
    ) -> Result<Translations, Vec<TranslationProblem>> {
        Translations::parse(d, keys, |_| 20)
    }

    #[test]
    fn a_visitor_reads_the_override_of_their_language_else_the_base_text() {
        let t = parse(&doc(&[("de", "greeting", " Hallo! ")]), &TextKey::ALL).unwrap();
        assert_eq!(t.pick(Language::German, TextKey::Greeting, "Hi!"), "Hallo!");
        assert_eq!(t.pick(Language::French, TextKey::Greeting, "Hi!"), "Hi!");
        assert_eq!(
            t.pick(Language::German, TextKey::OfflineMessage, "Offline"),
            "Offline"
        );
    }

    #[test]
    fn blank_texts_mean_the_base_text() {
        let t = parse(
            &doc(&[("de", "greeting", "  "), ("fr", "greeting", "")]),
            &TextKey::ALL,
        )
        .unwrap();
        assert!(t.is_empty());
    }

    #[test]
    fn unknown_languages_and_texts_are_refused_with_their_field() {
        let problems = parse(
            &doc(&[
                ("xx", "greeting", "a"),
                ("DE", "greeting", "a"),
                ("de", "farewell", "a"),
                ("fr", "offline_message", "a"),
            ]),
            TextKey::BOT,
        )
        .unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "translations.DE",
                "translations.de.farewell",
                "translations.fr.offline_message",
                "translations.xx"
            ]
        );
        assert!(problems[2].message.contains("expected one of greeting"));
    }

    #[test]
    fn the_base_texts_limits_hold() {
        let long = "x".repeat(21);
        let problems = parse(&doc(&[("de", "greeting", &long)]), &TextKey::ALL).unwrap_err();
        assert_eq!(problems[0].field, "translations.de.greeting");
        assert!(problems[0].message.contains("at most 20"));
        assert!(parse(&doc(&[("de", "greeting", &"x".repeat(20))]), &TextKey::ALL).is_ok());
        assert!(parse(&doc(&[("de", "greeting", "a\u{7}b")]), &TextKey::ALL).is_err());
        assert!(parse(&doc(&[("de", "greeting", "a\nb")]), &TextKey::ALL).is_ok());
    }

    #[test]
    fn replacing_keeps_the_other_editors_texts() {
        let stored = parse(
            &doc(&[
                ("de", "greeting", "Hallo"),
                ("de", "offline_message", "Weg"),
            ]),
            &TextKey::ALL,
        )
        .unwrap();
        let edited = parse(
            &doc(&[("fr", "offline_message", "Absent")]),
            TextKey::HANDOFF,
        )
        .unwrap();
        let saved = stored.replacing(TextKey::HANDOFF, &edited);
        assert_eq!(
            saved.get(Language::German, TextKey::Greeting),
            Some("Hallo")
        );
        assert_eq!(saved.get(Language::German, TextKey::OfflineMessage), None);
        assert_eq!(
            saved.get(Language::French, TextKey::OfflineMessage),
            Some("Absent")
        );
        assert_eq!(
            saved.only(TextKey::BOT).document(),
            doc(&[("de", "greeting", "Hallo")])
        );
    }

    #[test]
    fn documents_round_trip() {
        let d = doc(&[
            ("de", "greeting", "Hallo"),
            ("pt", "lead_capture_success", "Obrigado"),
        ]);
        assert_eq!(parse(&d, &TextKey::ALL).unwrap().document(), d);
    }
}

//! Every text the visitor widget shows, per language, in one place: one JSON file per language
//! under `web/i18n/`, embedded in the binary and served with the bot
//! (`GET /api/v1/widget/bots/{bot_id}?lang=…`). A file is a flat object of keys to texts; parts
//! filled in by the widget are written `{name}`. English is the reference: every other language
//! has exactly its keys and placeholders (the tests below hold that).
//!
//! This module only holds the widget's texts; admin-written texts (greeting, offline message) are
//! the bot's and are served as written.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use baton_domain::language::Language;

/// The texts of one language: key → text.
pub type Strings = BTreeMap<String, String>;

const SOURCES: [(Language, &str); 5] = [
    (Language::English, include_str!("../../../web/i18n/en.json")),
    (Language::German, include_str!("../../../web/i18n/de.json")),
    (Language::French, include_str!("../../../web/i18n/fr.json")),
    (Language::Spanish, include_str!("../../../web/i18n/es.json")),
    (
        Language::Portuguese,
        include_str!("../../../web/i18n/pt.json"),
    ),
];

fn source(language: Language) -> &'static str {
    SOURCES
        .iter()
        .find(|(l, _)| *l == language)
        .map(|(_, text)| *text)
        .expect("every language has a strings file")
}

/// The widget's texts in `language`.
pub fn strings(language: Language) -> &'static Strings {
    static TABLES: OnceLock<Vec<(Language, Strings)>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        Language::ALL
            .into_iter()
            .map(|l| {
                // The files are part of the build and checked by the tests below.
                let table = serde_json::from_str(source(l))
                    .unwrap_or_else(|e| panic!("web/i18n/{}.json: {e}", l.code()));
                (l, table)
            })
            .collect()
    });
    tables
        .iter()
        .find(|(l, _)| *l == language)
        .map(|(_, t)| t)
        .expect("a table for every language")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{placeholders}` a text fills in, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    found.push(&after[..close]);
                    rest = &after[close + 1..];
                }
                None => break,
            }
        }
        found.sort_unstable();
        found
    }

    #[test]
    fn every_language_has_exactly_the_english_keys_none_empty() {
        let english = strings(Language::English);
        assert!(english.len() > 50, "the English table looks truncated");
        for language in Language::ALL {
            let table = strings(language);
            let code = language.code();
            for key in english.keys() {
                let text = table.get(key);
                assert!(text.is_some(), "{code}.json lacks {key}");
                assert!(
                    !text.unwrap().trim().is_empty(),
                    "{code}.json has an empty {key}"
                );
            }
            for key in table.keys() {
                assert!(
                    english.contains_key(key),
                    "{code}.json has {key}, which English does not"
                );
            }
        }
    }

    #[test]
    fn every_translation_fills_in_the_english_placeholders() {
        let english = strings(Language::English);
        for language in Language::ALL {
            let table = strings(language);
            for (key, text) in english {
                assert_eq!(
                    placeholders(&table[key]),
                    placeholders(text),
                    "{}.json {key}: {:?} against English {text:?}",
                    language.code(),
                    table[key]
                );
            }
        }
    }

    /// The widget's few built-in texts (used before the server's arrive) are the English ones.
    #[test]
    fn the_widget_fallback_is_the_english_table() {
        let widget = include_str!("../../../web/widget/i18n.js");
        let start = widget
            .find("const FALLBACK_STRINGS = {")
            .expect("widget/i18n.js has its fallback texts");
        let block = &widget[start..];
        let block = &block[block.find('{').unwrap() + 1..block.find("};").unwrap()];
        let english = strings(Language::English);
        let mut seen = 0;
        for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (key, text) = line.split_once(": ").expect("key: 'text',");
            let text = text.trim_end_matches(',');
            let text = &text[1..text.len() - 1];
            assert_eq!(
                english.get(key).map(String::as_str),
                Some(text),
                "widget/i18n.js fallback {key}"
            );
            seen += 1;
        }
        assert!(seen >= 5, "only {seen} fallback texts read");
    }

    #[test]
    fn placeholders_are_read_from_braces() {
        assert_eq!(placeholders("{b} and {a}"), vec!["a", "b"]);
        assert!(placeholders("no parts").is_empty());
    }
}

//! The handoff brief's details: contact details and order numbers the visitor
//! mentioned, so the agent has them before accepting.

use serde::Serialize;

use crate::contact::ContactEmail;

/// The most of each kind a brief lists.
const MAX_EACH: usize = 5;

/// What the visitor mentioned, in order of first mention, without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Details {
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub order_numbers: Vec<String>,
}

/// Words that announce an order, invoice or ticket reference, in the supported languages.
const REFERENCE_WORDS: &[&str] = &[
    "order",
    "orders",
    "invoice",
    "ticket",
    "booking",
    "reservation",
    "reference",
    "ref",
    "tracking",
    "pedido",
    "factura",
    "reserva",
    "commande",
    "facture",
    "réservation",
    "bestellung",
    "bestellnummer",
    "rechnung",
    "auftrag",
    "buchung",
    "encomenda",
    "fatura",
    "número",
    "numero",
    "number",
    "no",
    "nr",
    "nº",
    "n°",
];

fn push_unique(list: &mut Vec<String>, value: String) {
    if list.len() < MAX_EACH && !list.contains(&value) {
        list.push(value);
    }
}

fn digits(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

/// Looks like a reference: 3 to 24 letters, digits and dashes, with at least 3 digits.
fn reference_like(token: &str) -> bool {
    (3..=24).contains(&token.len())
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && digits(token) >= 3
}

/// Extracts details from the visitor's messages.
pub fn extract_details<'a>(visitor_texts: impl IntoIterator<Item = &'a str>) -> Details {
    let mut details = Details::default();
    for text in visitor_texts {
        let words: Vec<&str> = text
            .split(|c: char| {
                c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '<' | '>' | '"')
            })
            .filter(|w| !w.is_empty())
            .collect();
        for (i, raw) in words.iter().enumerate() {
            let word = raw.trim_matches(|c: char| matches!(c, '.' | ':' | '!' | '?' | '\''));
            if word.contains('@') {
                if let Ok(email) = ContactEmail::parse(word) {
                    push_unique(&mut details.emails, email.as_str().to_owned());
                }
                continue;
            }
            if let Some(reference) = word.strip_prefix('#') {
                if reference_like(reference) {
                    push_unique(&mut details.order_numbers, reference.to_owned());
                }
                continue;
            }
            let after_keyword = (1..=3).any(|back| {
                i >= back
                    && REFERENCE_WORDS.contains(
                        &words[i - back]
                            .trim_matches(|c: char| !c.is_alphanumeric())
                            .to_lowercase()
                            .as_str(),
                    )
            });
            let shaped =
                word.contains('-') && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            if reference_like(word) && (after_keyword || shaped) && !is_phone_digits(word) {
                push_unique(&mut details.order_numbers, word.to_owned());
            }
        }
        for phone in phone_numbers(text) {
            if !details.order_numbers.iter().any(|o| o == &phone) {
                push_unique(&mut details.phones, phone);
            }
        }
    }
    details
}

fn is_phone_digits(word: &str) -> bool {
    word.starts_with('+')
}

/// Runs of digits, spaces, dashes, dots and parentheses (optionally after a `+`) holding 8 to 15
/// digits: phone numbers in the usual written forms.
fn phone_numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i] == '+' || chars[i] == '(' || chars[i].is_ascii_digit();
        let boundary =
            i == 0 || chars[i - 1].is_whitespace() || matches!(chars[i - 1], ':' | ',' | ';');
        if !(starts && boundary) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_digit() || " -.()+".contains(chars[j])) {
            if chars[j] == '+' && j != i {
                break;
            }
            j += 1;
        }
        let candidate: String = chars[i..j]
            .iter()
            .collect::<String>()
            .trim_end_matches([' ', '-', '.', '('])
            .to_owned();
        let count = digits(&candidate);
        let ends_cleanly = j == chars.len() || !chars[j].is_alphanumeric();
        let separated =
            candidate.contains([' ', '-', '.', '(']) || candidate.starts_with('+') || count >= 10;
        if (8..=15).contains(&count) && ends_cleanly && separated && !candidate.contains("..") {
            found.push(candidate);
        }
        i = j.max(i + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_phones_and_order_numbers_are_found() {
        let d = extract_details([
            "Hi, my order #A12345 never arrived",
            "You can reach me at ana.lopez@example.com or +49 30 1234 5678",
            "The invoice number is INV-2024-0042, order 998877",
        ]);
        assert_eq!(d.emails, vec!["ana.lopez@example.com"]);
        assert_eq!(d.phones, vec!["+49 30 1234 5678"]);
        assert_eq!(d.order_numbers, vec!["A12345", "INV-2024-0042", "998877"]);
    }

    #[test]
    fn other_languages_announce_references_too() {
        let d = extract_details([
            "mi pedido 55512 no ha llegado",
            "ma commande n° 778899",
            "Bestellnummer 4455667",
        ]);
        assert_eq!(d.order_numbers, vec!["55512", "778899", "4455667"]);
    }

    #[test]
    fn ordinary_numbers_are_not_references_or_phones() {
        let d = extract_details([
            "I bought 3 items for 120 euros in 2024",
            "we have 250 employees",
        ]);
        assert_eq!(d, Details::default());
    }

    #[test]
    fn repeats_are_listed_once_and_lists_are_bounded() {
        let d = extract_details(["order #111222", "again: order #111222"]);
        assert_eq!(d.order_numbers, vec!["111222"]);
        let many: Vec<String> = (0..10).map(|i| format!("order #{}", 100_000 + i)).collect();
        let d = extract_details(many.iter().map(String::as_str));
        assert_eq!(d.order_numbers.len(), MAX_EACH);
    }
}

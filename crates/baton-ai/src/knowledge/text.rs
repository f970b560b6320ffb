//! Text normalisation for retrieval: lowercasing, accent folding, stop words and a light stemmer
//! for English, Spanish, French, German and Portuguese.
//!
//! The visitor's language is not known, so every rule applies to every word. What matters is that
//! a question and the knowledge that answers it reduce to the same terms ("refunds", "refunded",
//! "refunding" → `refund`; "cancelación", "cancellation" → `cancel`), not that the stems are
//! linguistically right. This module owns only text → terms; it knows nothing of the index.

use std::collections::HashSet;
use std::sync::LazyLock;

use baton_domain::fold::fold_accent;

/// Longer "words" are noise (hashes, base64, URLs run together) and are not indexed.
const MAX_TERM_BYTES: usize = 48;

/// The terms of `text`, in order, repeated as often as they occur.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            fold_into(c, &mut word);
        } else if !word.is_empty() {
            push_term(&word, &mut out);
            word.clear();
        }
    }
    if !word.is_empty() {
        push_term(&word, &mut out);
    }
    out
}

fn push_term(word: &str, out: &mut Vec<String>) {
    let single_letter = word.chars().count() == 1 && !word.as_bytes()[0].is_ascii_digit();
    if single_letter || word.len() > MAX_TERM_BYTES || is_stop_word(word) {
        return;
    }
    out.push(stem(word));
}

/// Lowercases `c` and folds accents (é → e, ß → ss, æ → ae), appending to `out`.
pub fn fold_into(c: char, out: &mut String) {
    for lc in c.to_lowercase() {
        match fold_accent(lc) {
            Some(folded) => out.push_str(folded),
            None => out.push(lc),
        }
    }
}

/// Lowercased, accent-folded `text`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_into(c, &mut out);
    }
    out
}

/// Function words of the five languages, and the filler of chat questions ("please", "tell me",
/// "how can I"), already folded. A word that is a stop word in one language and a content word in
/// another ("die", "son") is dropped everywhere: retrieval loses little, and the list stays one list.
const STOP_WORDS: &[&str] = &[
    // English
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "get",
    "getting",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hers",
    "herself",
    "hey",
    "hi",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "know",
    "let",
    "like",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "need",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "please",
    "pls",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "want",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "yes",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "dont",
    "cant",
    "ive",
    "id",
    "ill",
    "youre",
    "whats",
    "thats",
    "theres",
    "wanna",
    "gonna",
    // Spanish
    "al",
    "algo",
    "como",
    "con",
    "cual",
    "cuales",
    "cuando",
    "de",
    "del",
    "donde",
    "el",
    "ella",
    "ellos",
    "en",
    "es",
    "esa",
    "ese",
    "eso",
    "esta",
    "estan",
    "estas",
    "este",
    "esto",
    "estos",
    "favor",
    "gracias",
    "hay",
    "hola",
    "la",
    "las",
    "le",
    "les",
    "lo",
    "los",
    "mas",
    "mi",
    "mis",
    "muy",
    "nos",
    "nosotros",
    "o",
    "para",
    "pero",
    "por",
    "porque",
    "puede",
    "pueden",
    "puedo",
    "que",
    "quiero",
    "se",
    "sea",
    "ser",
    "si",
    "sin",
    "sobre",
    "son",
    "su",
    "sus",
    "te",
    "tengo",
    "tiene",
    "tu",
    "tus",
    "un",
    "una",
    "unas",
    "uno",
    "unos",
    "usted",
    "y",
    "ya",
    "yo",
    // French
    "au",
    "aux",
    "avec",
    "avez",
    "bonjour",
    "ce",
    "ces",
    "cet",
    "cette",
    "comment",
    "dans",
    "des",
    "du",
    "elle",
    "est",
    "et",
    "etre",
    "il",
    "ils",
    "je",
    "les",
    "leur",
    "ma",
    "mais",
    "merci",
    "mes",
    "moi",
    "mon",
    "ne",
    "notre",
    "nous",
    "ou",
    "par",
    "pas",
    "peut",
    "peux",
    "pour",
    "pouvez",
    "quand",
    "quel",
    "quelle",
    "qui",
    "quoi",
    "sa",
    "ses",
    "sont",
    "suis",
    "sur",
    "ta",
    "toi",
    "ton",
    "une",
    "veux",
    "vos",
    "votre",
    "vous",
    // German
    "auch",
    "auf",
    "aus",
    "bei",
    "bin",
    "bist",
    "bitte",
    "danke",
    "das",
    "dass",
    "dem",
    "den",
    "der",
    "des",
    "die",
    "dir",
    "doch",
    "du",
    "ein",
    "eine",
    "einem",
    "einen",
    "einer",
    "eines",
    "er",
    "es",
    "fur",
    "gibt",
    "hallo",
    "hast",
    "ich",
    "ihr",
    "ihre",
    "im",
    "ist",
    "kann",
    "kannst",
    "konnen",
    "mein",
    "meine",
    "meinen",
    "meiner",
    "mich",
    "mir",
    "mit",
    "nicht",
    "noch",
    "oder",
    "sie",
    "sind",
    "uber",
    "um",
    "und",
    "uns",
    "vom",
    "von",
    "warum",
    "was",
    "wie",
    "wir",
    "wo",
    "zu",
    "zum",
    "zur",
    // Portuguese
    "as",
    "ao",
    "aos",
    "com",
    "da",
    "das",
    "do",
    "dos",
    "e",
    "ela",
    "ele",
    "eu",
    "isso",
    "isto",
    "meu",
    "minha",
    "na",
    "nas",
    "no",
    "nao",
    "obrigada",
    "obrigado",
    "ola",
    "onde",
    "os",
    "pode",
    "posso",
    "quero",
    "seu",
    "sua",
    "tem",
    "um",
    "uma",
    "voce",
];

static STOP_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());

/// Whether a folded word carries no meaning for retrieval.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_SET.contains(folded)
}

/// A light stemmer over folded words, the same rules for all five languages:
/// 1. plurals (`-s`, `-ies`, Portuguese `-ções`, German `-ungen`);
/// 2. a final `-e` (price/prices/priced meet at `pric`, ciudades/ciudad at `ciudad`);
/// 3. one inflectional or derivational ending (`-ing`, `-ed`, `-ation`/`-ación`/`-ação`, `-ung`,
///    `-en`, `-ment`, `-amente`/`-ement`, Spanish/Portuguese `-ar`/`-ir`);
/// 4. a final `-y` becomes `-i` (policy/policies), and a final double consonant is undoubled
///    (shipping/ship, cancelled/cancel).
///
/// Words with digits ("404", "v2") and words outside ASCII after folding are kept as they are.
pub fn stem(word: &str) -> String {
    if !word.is_ascii() || word.len() <= 3 || word.bytes().any(|b| b.is_ascii_digit()) {
        return word.to_owned();
    }
    let mut w = word.to_owned();
    // 1. plurals
    let _ = strip(&mut w, "ungen", "ung", 3)
        || strip(&mut w, "coes", "cao", 2)
        || strip(&mut w, "soes", "sao", 2)
        || strip(&mut w, "ies", "i", 3)
        || (!w.ends_with("ss")
            && !w.ends_with("us")
            && !w.ends_with("is")
            && strip(&mut w, "s", "", 3));
    // 2. a final -e
    strip(&mut w, "e", "", 3);
    // 3. one ending
    const ENDINGS: &[(&str, usize)] = &[
        ("ation", 3),
        ("acion", 3),
        ("acao", 3),
        ("ition", 3),
        ("icion", 3),
        ("icao", 3),
        ("tion", 4),
        ("cion", 4),
        ("sion", 4),
        ("cao", 4),
        ("amente", 3),
        ("ament", 3),
        ("ement", 3),
        ("mente", 3),
        ("ment", 3),
        ("ing", 3),
        ("ung", 3),
        ("ed", 3),
        ("en", 3),
        ("ar", 4),
        ("ir", 4),
    ];
    for (ending, min_stem) in ENDINGS {
        if strip(&mut w, ending, "", *min_stem) {
            break;
        }
    }
    // 4. final -y, double consonants
    if w.len() > 3 && w.ends_with('y') {
        w.pop();
        w.push('i');
    }
    let bytes = w.as_bytes();
    let n = bytes.len();
    if n > 3 && bytes[n - 1] == bytes[n - 2] && !b"aeiou".contains(&bytes[n - 1]) {
        w.pop();
    }
    w
}

/// Replaces `suffix` by `replacement` when at least `min_stem` bytes remain before it.
fn strip(w: &mut String, suffix: &str, replacement: &str, min_stem: usize) -> bool {
    if w.len() >= suffix.len() + min_stem && w.ends_with(suffix) {
        w.truncate(w.len() - suffix.len());
        w.push_str(replacement);
        true
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_stem(words: &[&str]) {
        let stems: Vec<String> = words.iter().map(|w| stem(&fold(w))).collect();
        assert!(
            stems.windows(2).all(|p| p[0] == p[1]),
            "{words:?} should share a stem, got {stems:?}"
        );
    }

    #[test]
    fn lowercases_folds_accents_and_drops_stop_words() {
        assert_eq!(terms("Où est ma COMMANDE?"), ["command"]);
        assert_eq!(
            terms("¿Cómo cancelo mi suscripción?"),
            ["cancelo", "suscrip"]
        );
        assert_eq!(terms("Straße"), terms("strasse"));
        assert_eq!(terms("How do I reset my password?"), ["reset", "password"]);
    }

    #[test]
    fn keeps_numbers_and_error_codes() {
        assert_eq!(terms("Error 404 on v2 API"), ["error", "404", "v2", "api"]);
    }

    #[test]
    fn splits_on_punctuation_and_drops_single_letters() {
        assert_eq!(terms("l'adresse e-mail"), ["adres", "mail"]);
        assert_eq!(terms("customer's orders"), ["customer", "order"]);
    }

    #[test]
    fn inflections_of_a_word_share_a_stem() {
        same_stem(&["refund", "refunds", "refunded", "refunding"]);
        same_stem(&["order", "orders", "ordered", "ordering"]);
        same_stem(&["price", "prices", "priced", "pricing"]);
        same_stem(&["ship", "shipping", "shipped", "ships"]);
        same_stem(&[
            "cancel",
            "cancelled",
            "canceling",
            "cancellation",
            "cancels",
        ]);
        same_stem(&["policy", "policies"]);
        same_stem(&["address", "addresses"]);
        same_stem(&["box", "boxes"]);
        same_stem(&["pay", "payment", "payments", "paying"]);
        same_stem(&["delivery", "deliveries"]);
    }

    #[test]
    fn romance_and_german_inflections_share_a_stem() {
        same_stem(&[
            "cancelación",
            "cancelaciones",
            "cancelar",
            "cancelação",
            "cancel",
        ]);
        same_stem(&["informação", "informações", "información", "information"]);
        same_stem(&["ciudad", "ciudades"]);
        same_stem(&["commande", "commandes", "commandé"]);
        same_stem(&["Rechnung", "Rechnungen"]);
        same_stem(&["bestellen", "Bestellung"]);
        same_stem(&["rapidement", "rápidamente", "rapid"]);
    }

    #[test]
    fn short_words_and_words_with_digits_are_not_stemmed() {
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("404s"), "404s");
        assert_eq!(stem("user"), "user");
    }

    #[test]
    fn stop_word_list_is_folded() {
        for w in STOP_WORDS {
            assert_eq!(&fold(w), w, "stop words must be stored folded");
        }
    }
}

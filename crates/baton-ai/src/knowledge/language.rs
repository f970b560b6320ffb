//! Which of the visitor languages a piece of knowledge is written in, guessed from its text.
//!
//! Admins write their FAQ and documents in whatever language their customers speak, often
//! several side by side; asking them to label every entry would be one more field to forget.
//! The words that glue sentences together ("the", "und", "les", "que", "não") give a text's
//! language away reliably once a sentence or two is there, so that is what is counted here. A text
//! too short or too mixed to tell is left unlabelled, and then it suits every visitor.

use baton_domain::language::Language;

use super::text;

/// Frequent function words of each language, folded (lower case, accents removed). A word shared
/// by two languages ("de", "a", "que" in es and pt) is left out of both, or kept only where it is
/// far more frequent.
const MARKERS: [(Language, &[&str]); 5] = [
    (
        Language::English,
        &[
            "the", "and", "is", "are", "you", "your", "to", "of", "we", "our", "with", "for", "it",
            "can", "will", "this", "that", "have", "be", "how", "what", "in", "on", "within",
        ],
    ),
    (
        Language::German,
        &[
            "der",
            "die",
            "das",
            "und",
            "ist",
            "sie",
            "ihre",
            "ihr",
            "wir",
            "unsere",
            "mit",
            "fur",
            "nicht",
            "ein",
            "eine",
            "zu",
            "auf",
            "wie",
            "werden",
            "wird",
            "innerhalb",
            "bei",
            "nach",
            "sind",
            "konnen",
            "ich",
        ],
    ),
    (
        Language::French,
        &[
            "le", "la", "les", "et", "est", "vous", "votre", "vos", "nous", "notre", "avec",
            "pour", "une", "des", "du", "dans", "sont", "pas", "sur", "qui", "comment", "sous",
        ],
    ),
    (
        Language::Spanish,
        &[
            "el", "los", "las", "y", "es", "usted", "su", "sus", "nosotros", "nuestro", "con",
            "para", "una", "del", "en", "son", "por", "como", "puede", "dias", "hay", "muy",
        ],
    ),
    (
        Language::Portuguese,
        &[
            "o", "os", "as", "e", "voce", "seu", "sua", "nos", "nosso", "nossa", "com", "para",
            "uma", "do", "da", "dos", "das", "no", "na", "nao", "em", "sao", "pode", "dias",
        ],
    ),
];

/// At least this many marker words must be found before a language is named.
const MIN_MARKERS: usize = 2;

/// The language `text` is written in, when its function words say so clearly: the language with
/// the most marker words, if it has at least [`MIN_MARKERS`] and more than any other.
pub fn detect(text: &str) -> Option<Language> {
    let mut counts = [0usize; 5];
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let folded = text::fold(word);
        for (i, (_, markers)) in MARKERS.iter().enumerate() {
            if markers.contains(&folded.as_str()) {
                counts[i] += 1;
            }
        }
    }
    let (best, &most) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    let clear = most >= MIN_MARKERS && counts.iter().filter(|&&c| c == most).count() == 1;
    clear.then_some(MARKERS[best].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_is_recognised_from_a_sentence() {
        for (text, language) in [
            (
                "We ship within 2 business days and you can track your parcel.",
                Language::English,
            ),
            (
                "Wir versenden innerhalb von 2 Werktagen und Sie können Ihr Paket verfolgen.",
                Language::German,
            ),
            (
                "Nous expédions sous 2 jours ouvrés et vous pouvez suivre votre colis.",
                Language::French,
            ),
            (
                "Enviamos en 2 días hábiles y usted puede seguir su paquete con el número.",
                Language::Spanish,
            ),
            (
                "Enviamos em 2 dias úteis e você pode acompanhar o seu pacote no site.",
                Language::Portuguese,
            ),
        ] {
            assert_eq!(detect(text), Some(language), "{text}");
        }
    }

    #[test]
    fn too_little_to_tell_names_no_language() {
        for text in ["", "Returns", "SKU 1234-XL", "Versand: 4,90 €"] {
            assert_eq!(detect(text), None, "{text}");
        }
    }
}

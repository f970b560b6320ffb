//! Tagging a tokenised turn with concepts: the [`Doc`] every detector reads.
//!
//! Single words first (their listed concepts, or a typo's), then multi-word entries (which
//! replace the grammar concepts of their last word and mark the earlier words covered), then
//! other-sense phrases (which strip person concepts); last, clauses split at contrastive
//! conjunctions. Owns no word lists (`words`) and no rules about what a turn means.

use std::ops::Deref;

use super::concepts::Concepts;
use super::words;
use crate::triggers::text::{F_NUMBER, Tokens};

/// Concepts that describe a word's role in a request; a multi-word entry replaces these on its
/// last word ("live chat" is a person concept, not the verb "chat") and keeps the others.
const GRAMMAR: Concepts = Concepts::P_ANY
    .union(Concepts::QUAL)
    .union(Concepts::CONTACT)
    .union(Concepts::CONTACT_ING)
    .union(Concepts::CONTACT_STATE)
    .union(Concepts::TRANSFER)
    .union(Concepts::DESIRE)
    .union(Concepts::MODAL)
    .union(Concepts::NEG)
    .union(Concepts::IDENTITY)
    .union(Concepts::BEYOU)
    .union(Concepts::AUX)
    .union(Concepts::BE_AUX)
    .union(Concepts::QWORD)
    .union(Concepts::AVAIL)
    .union(Concepts::PASSIVE)
    .union(Concepts::HAVE)
    .union(Concepts::AFFIRM)
    .union(Concepts::COURTESY)
    .union(Concepts::PLEASE)
    .union(Concepts::HELPWORD)
    .union(Concepts::SPLIT)
    .union(Concepts::ADV)
    .union(Concepts::INFO);

/// A tokenised turn with the concepts of each word: what every detector reads. Derefs to the
/// [`Tokens`] (words, clauses, surface statistics).
pub(in crate::triggers) struct Doc<'a> {
    tokens: Tokens<'a>,
    /// The concepts of token `i`, one entry per token.
    concepts: Vec<Concepts>,
}

impl<'a> Deref for Doc<'a> {
    type Target = Tokens<'a>;

    fn deref(&self) -> &Tokens<'a> {
        &self.tokens
    }
}

impl<'a> Doc<'a> {
    /// Tokenises `text`, tags each word with its concepts and splits clauses at contrastive
    /// conjunctions: the turn every detector reads.
    pub fn new(text: &'a str) -> Doc<'a> {
        let mut tokens = Tokens::new(text);
        let concepts = tag(&tokens);
        tokens.split_clauses(|i| concepts[i].intersects(Concepts::SPLIT));
        Doc { tokens, concepts }
    }

    /// The concepts of token `i`.
    #[inline]
    pub fn bits(&self, i: usize) -> Concepts {
        self.concepts[i]
    }

    /// True when token `i` exists and has any of `mask`.
    #[inline]
    pub fn has(&self, i: usize, mask: Concepts) -> bool {
        i < self.concepts.len() && self.concepts[i].intersects(mask)
    }

    /// True when any token of the document has any of `mask`.
    pub fn any(&self, mask: Concepts) -> bool {
        self.concepts.iter().any(|c| c.intersects(mask))
    }

    /// Every concept of tokens `[a, b)`.
    pub fn concepts_in(&self, a: usize, b: usize) -> Concepts {
        self.concepts[a..b]
            .iter()
            .fold(Concepts::empty(), |acc, c| acc | *c)
    }
}

/// The concepts of every token of `tokens`.
fn tag(tokens: &Tokens<'_>) -> Vec<Concepts> {
    let n = tokens.toks.len();
    let mut concepts: Vec<Concepts> = (0..n)
        .map(|i| {
            if tokens.toks[i].flags & F_NUMBER != 0 {
                Concepts::empty()
            } else {
                words::word_concepts(tokens.word(i))
            }
        })
        .collect();
    for i in 0..n {
        apply_phrases(tokens, i, &mut concepts);
    }
    concepts
}

/// Applies every multi-word entry that starts at token `i`.
fn apply_phrases(tokens: &Tokens<'_>, i: usize, concepts: &mut [Concepts]) {
    let n = tokens.toks.len();
    let clause = tokens.toks[i].clause;
    for p in words::phrases(tokens.word(i)) {
        let len = p.rest.len();
        if i + len >= n {
            continue;
        }
        let matched = p
            .rest
            .iter()
            .enumerate()
            .all(|(k, part)| tokens.word(i + 1 + k) == *part);
        if !matched || tokens.toks[i + len].clause != clause {
            continue;
        }
        if p.bits.intersects(Concepts::BLOCKED) {
            for c in &mut concepts[i..=i + len] {
                *c = c.difference(Concepts::P_ANY | Concepts::QUAL) | Concepts::BLOCKED;
            }
            // Keep the phrase's other concepts (e.g. "personne ne" is also frustration-ish).
            concepts[i + len] |= p.bits.difference(Concepts::BLOCKED);
        } else {
            for c in &mut concepts[i..i + len] {
                *c |= Concepts::COVERED;
            }
            let last = &mut concepts[i + len];
            // A phrase is more specific than its last word alone ("live chat" is a person
            // concept, not the verb "chat"); the word keeps its other concepts.
            *last = if last.intersects(Concepts::BLOCKED) {
                *last | p.bits.difference(Concepts::P_ANY)
            } else {
                last.difference(GRAMMAR) | p.bits
            };
        }
        // Every entry that matches applies ("sigue sin" and "sigue sin funcionar" both count):
        // each tags its own last word.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits_of(text: &str) -> Vec<Concepts> {
        let d = Doc::new(text);
        (0..d.toks.len()).map(|i| d.bits(i)).collect()
    }

    #[test]
    fn typos_of_key_words_are_person_words() {
        for w in ["humna", "reprensentative", "opertor", "somone", "atendnte"] {
            assert!(bits_of(w)[0].intersects(Concepts::P_ANY), "{w}");
        }
        for w in ["humane", "contract", "manger", "urgent", "agenda"] {
            assert!(!bits_of(w)[0].intersects(Concepts::P_ANY), "{w}");
        }
    }

    #[test]
    fn other_senses_lose_person_concepts() {
        let b = bits_of("the gate agent and human resources");
        assert!(!b[2].intersects(Concepts::P_ANY) && b[2].intersects(Concepts::BLOCKED));
        assert!(!b[4].intersects(Concepts::P_ANY));
        let b = bits_of("agente de viajes");
        assert!(!b[0].intersects(Concepts::P_ANY));
    }

    #[test]
    fn phrases_tag_their_last_word() {
        let b = bits_of("get in touch with a live chat");
        assert!(b[2].intersects(Concepts::CONTACT) && b[0].intersects(Concepts::COVERED));
        assert!(b[6].intersects(Concepts::P_STRONG) && !b[6].intersects(Concepts::CONTACT));
    }

    #[test]
    fn german_compounds_end_in_person_words() {
        assert!(bits_of("Kundenservicemitarbeiter")[0].intersects(Concepts::P_STRONG));
    }

    #[test]
    fn clauses_split_at_punctuation_and_but() {
        let d = Doc::new("I don't want a bot, I want a human. Now? yes but later");
        let spans: Vec<&str> = d.clauses.iter().map(|c| d.span(c.start, c.end)).collect();
        assert_eq!(
            spans,
            [
                "I don't want a bot",
                "I want a human",
                "Now",
                "yes",
                "but later"
            ]
        );
    }

    #[test]
    fn concepts_past_the_first_64_bits_tag_words() {
        assert!(Concepts::HELP_VERB.bits() > u128::from(u64::MAX));
        assert!(bits_of("ayudando")[0].contains(Concepts::HELP_VERB));
    }
}

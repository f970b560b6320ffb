//! A bot's knowledge: Q&A entries and Markdown documents, chunked and indexed for
//! retrieval. It is the source of the built-in engine's answers and of the LLM engine's context,
//! and every hit names its source so answers can cite it.
//!
//! The index is BM25F over three fields — a Q&A question (boosted most: visitors ask questions),
//! a document's title and heading path, and the body (an answer or a chunk) — with one term
//! statistics table across Q&A and documents. It is built once per bot from what the server stored
//! and is read-only afterwards, so it can be shared (`Arc`) across concurrent conversations.
//! Search is deterministic: ties break on the order the knowledge was given in. This module never
//! stores anything; the server owns persistence.

pub mod chunk;
pub mod language;
mod text;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use baton_domain::language::Language;
use serde::{Deserialize, Serialize};

pub use chunk::{Chunk, MAX_CHUNK_CHARS, chunk_markdown};

/// A question and its answer, written by the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaEntry {
    /// The caller's identifier (the server's entry id), returned in [`Source::Qa`].
    pub id: String,
    pub question: String,
    pub answer: String,
}

/// A Markdown document, written or uploaded by the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The caller's identifier (the server's document id), returned in [`Source::Document`].
    pub id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// Where a hit comes from, for citation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Qa {
        id: String,
        question: String,
    },
    Document {
        id: String,
        title: String,
        /// The headings above the chunk, outermost first, without a first heading that repeats
        /// the title.
        heading_path: Vec<String>,
    },
}

impl Source {
    /// How an answer names this source: "our FAQ", or the title and heading path
    /// ("Shipping guide › Returns › Refunds").
    pub fn label(&self) -> String {
        match self {
            Source::Qa { .. } => "our FAQ".to_owned(),
            Source::Document {
                title,
                heading_path,
                ..
            } => std::iter::once(title.as_str())
                .chain(heading_path.iter().map(String::as_str))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" › "),
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub source: Source,
    /// The answer of a Q&A entry, or the text of a document chunk (Markdown).
    pub text: String,
    /// The BM25F score: comparable between hits of one query, not across queries.
    pub score: f32,
    /// How much of the query this hit covers, 0 to 1: the IDF-weighted share of the query's terms
    /// it contains (a term matched only through a typo counts [`FUZZY_FACTOR`]). Unlike `score`,
    /// it is comparable across queries, so confidence thresholds use it.
    pub coverage: f32,
    /// The language the entry or document is written in, when its text tells
    /// ([`language::detect`]); `None` suits every visitor.
    #[serde(skip)]
    pub lang: Option<Language>,
}

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;

/// The indexed fields, and their (boost, length normalisation `b`).
const QUESTION: usize = 0;
const HEADING: usize = 1;
const BODY: usize = 2;
const FIELDS: [(f32, f32); 3] = [(3.0, 0.5), (2.0, 0.5), (1.0, 0.75)];

/// A query term that matched only after correcting one typo counts this much.
pub const FUZZY_FACTOR: f32 = 0.7;
/// Typos are corrected only in terms at least this long ("pasword" → "password", but never
/// "cat" → "car").
const FUZZY_MIN_BYTES: usize = 5;

struct Passage {
    source: Source,
    text: String,
    /// Of the whole entry or document, not of the chunk alone: a short chunk says too little.
    lang: Option<Language>,
}

struct Posting {
    passage: u32,
    /// The saturated, length-normalised, field-boosted term frequency; the score adds idf × this.
    weight: f32,
}

struct Term {
    text: String,
    idf: f32,
    postings: Vec<Posting>,
}

/// The retrieval index of one bot's knowledge. Build it with [`KnowledgeIndex::build`] whenever the
/// bot's knowledge changes; an empty index ([`Default`]) finds nothing.
pub struct KnowledgeIndex {
    passages: Vec<Passage>,
    vocabulary: HashMap<String, u32>,
    terms: Vec<Term>,
    /// Each term of at least [`FUZZY_MIN_BYTES`] with one character deleted → the terms it came
    /// from (symmetric-delete typo correction).
    deletions: HashMap<String, Vec<u32>>,
    /// The IDF a term found nowhere would have: unmatched query terms weigh this in `coverage`.
    unknown_idf: f32,
    qa_entries: usize,
    documents: usize,
}

impl Default for KnowledgeIndex {
    fn default() -> Self {
        KnowledgeIndex::build(Vec::new(), Vec::new())
    }
}

impl fmt::Debug for KnowledgeIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Counts only: a profile is logged now and then, its knowledge must not be.
        f.debug_struct("KnowledgeIndex")
            .field("qa_entries", &self.qa_entries)
            .field("documents", &self.documents)
            .field("passages", &self.passages.len())
            .field("terms", &self.terms.len())
            .finish()
    }
}

impl KnowledgeIndex {
    /// Indexes Q&A entries and documents (chunked with [`chunk_markdown`] at [`MAX_CHUNK_CHARS`]).
    /// Entries with neither question nor answer, and documents with an empty body, add nothing.
    pub fn build(entries: Vec<QaEntry>, documents: Vec<Document>) -> KnowledgeIndex {
        let qa_entries = entries.len();
        let document_count = documents.len();
        let (mut passages, mut fields) = qa_passages(entries);
        documents_passages(documents, &mut passages, &mut fields);
        let n = passages.len();
        let (vocabulary, terms) = weigh_terms(&fields, n);
        let deletions = deletion_index(&terms);
        KnowledgeIndex {
            passages,
            vocabulary,
            terms,
            deletions,
            unknown_idf: idf(n, 0),
            qa_entries,
            documents: document_count,
        }
    }

    /// The `k` passages that best answer `query`, best first. Passages sharing no term with the
    /// query are never returned.
    pub fn search(&self, query: &str, k: usize) -> Vec<Hit> {
        if k == 0 || self.passages.is_empty() {
            return Vec::new();
        }
        let mut query_terms = text::terms(query);
        dedup_in_order(&mut query_terms);
        if query_terms.is_empty() {
            return Vec::new();
        }

        let mut resolved: Vec<(u32, f32)> = Vec::new();
        let mut query_weight = 0.0f32;
        for term in &query_terms {
            let (id, factor) = match self.vocabulary.get(term) {
                Some(&id) => (id, 1.0),
                None => match self.correct(term) {
                    Some(id) => (id, FUZZY_FACTOR),
                    None => {
                        query_weight += self.unknown_idf;
                        continue;
                    }
                },
            };
            if resolved.iter().any(|(seen, _)| *seen == id) {
                continue;
            }
            query_weight += self.terms[id as usize].idf;
            resolved.push((id, factor));
        }

        let mut scores = vec![0.0f32; self.passages.len()];
        let mut matched = vec![0.0f32; self.passages.len()];
        let mut touched: Vec<u32> = Vec::new();
        for &(id, factor) in &resolved {
            let term = &self.terms[id as usize];
            for posting in &term.postings {
                let p = posting.passage as usize;
                if matched[p] == 0.0 {
                    touched.push(posting.passage);
                }
                scores[p] += term.idf * posting.weight * factor;
                matched[p] += term.idf * factor;
            }
        }

        let order = |a: &u32, b: &u32| {
            scores[*b as usize]
                .total_cmp(&scores[*a as usize])
                .then(a.cmp(b))
        };
        if touched.len() > k {
            touched.select_nth_unstable_by(k - 1, order);
            touched.truncate(k);
        }
        touched.sort_unstable_by(order);
        touched
            .into_iter()
            .map(|p| {
                let passage = &self.passages[p as usize];
                Hit {
                    source: passage.source.clone(),
                    text: passage.text.clone(),
                    score: scores[p as usize],
                    coverage: (matched[p as usize] / query_weight).min(1.0),
                    lang: passage.lang,
                }
            })
            .collect()
    }

    /// How many passages (Q&A entries and document chunks) are indexed.
    pub fn len(&self) -> usize {
        self.passages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    /// How many Q&A entries and documents the index was built from.
    pub fn counts(&self) -> (usize, usize) {
        (self.qa_entries, self.documents)
    }

    /// The indexed term one edit away from `term` (a typo), the most frequent one if several are.
    fn correct(&self, term: &str) -> Option<u32> {
        if !fuzzy_candidate(term) {
            return None;
        }
        let mut candidates: Vec<u32> = Vec::new();
        // The query term misses a letter of an indexed term.
        if let Some(ids) = self.deletions.get(term) {
            candidates.extend(ids);
        }
        for i in 0..term.len() {
            let mut key = term.to_owned();
            key.remove(i);
            // It has one letter too many…
            if let Some(&id) = self.vocabulary.get(&key) {
                candidates.push(id);
            }
            // …or a wrong or swapped letter.
            if let Some(ids) = self.deletions.get(&key) {
                candidates.extend(ids);
            }
        }
        candidates
            .into_iter()
            .filter(|&id| within_one_edit(term, &self.terms[id as usize].text))
            .min_by(|&a, &b| {
                let (ta, tb) = (&self.terms[a as usize], &self.terms[b as usize]);
                tb.postings
                    .len()
                    .cmp(&ta.postings.len())
                    .then_with(|| ta.text.cmp(&tb.text))
            })
    }
}

fn idf(n: usize, df: usize) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn fuzzy_candidate(term: &str) -> bool {
    term.len() >= FUZZY_MIN_BYTES && term.bytes().all(|b| b.is_ascii_lowercase())
}

/// Whether `a` and `b` differ by at most one insertion, deletion, substitution or swap of two
/// neighbouring letters.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let Some(i) = short.iter().zip(long).position(|(x, y)| x != y) else {
        return true;
    };
    if short.len() == long.len() {
        short[i + 1..] == long[i + 1..]
            || (i + 1 < short.len()
                && short[i] == long[i + 1]
                && short[i + 1] == long[i]
                && short[i + 2..] == long[i + 2..])
    } else {
        short[i..] == long[i + 1..]
    }
}

fn dedup_in_order(terms: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    terms.retain(|t| seen.insert(t.clone()));
}

/// The passages of the question-and-answer entries (blank ones left out) and their fields'
/// terms.
fn qa_passages(entries: Vec<QaEntry>) -> (Vec<Passage>, Vec<[Vec<String>; 3]>) {
    let mut passages = Vec::new();
    let mut fields = Vec::new();
    for entry in entries {
        if entry.question.trim().is_empty() && entry.answer.trim().is_empty() {
            continue;
        }
        let mut passage_fields: [Vec<String>; 3] = Default::default();
        passage_fields[QUESTION] = text::terms(&entry.question);
        passage_fields[BODY] = text::terms(&entry.answer);
        fields.push(passage_fields);
        passages.push(Passage {
            source: Source::Qa {
                id: entry.id,
                question: entry.question.trim().to_owned(),
            },
            text: entry.answer.trim().to_owned(),
            lang: language::detect(&format!("{}\n{}", entry.question, entry.answer)),
        });
    }
    (passages, fields)
}

/// Adds each document's chunks as passages, the title and headings above a chunk as its
/// heading field.
fn documents_passages(
    documents: Vec<Document>,
    passages: &mut Vec<Passage>,
    fields: &mut Vec<[Vec<String>; 3]>,
) {
    for document in documents {
        let title = document.title.trim();
        let lang = language::detect(&format!("{title}\n{}", document.body));
        for chunk in chunk_markdown(&document.body, MAX_CHUNK_CHARS) {
            let mut heading_path = chunk.heading_path;
            if heading_path
                .first()
                .is_some_and(|h| text::fold(h) == text::fold(title))
            {
                heading_path.remove(0);
            }
            let mut heading_terms = text::terms(title);
            for heading in &heading_path {
                heading_terms.extend(text::terms(heading));
            }
            let mut passage_fields: [Vec<String>; 3] = Default::default();
            passage_fields[HEADING] = heading_terms;
            passage_fields[BODY] = text::terms(&chunk.text);
            fields.push(passage_fields);
            passages.push(Passage {
                source: Source::Document {
                    id: document.id.clone(),
                    title: title.to_owned(),
                    heading_path,
                },
                text: chunk.text,
                lang,
            });
        }
    }
}

/// The vocabulary and each term's BM25F weight in every passage holding it, with its idf over
/// the `n` passages.
fn weigh_terms(fields: &[[Vec<String>; 3]], n: usize) -> (HashMap<String, u32>, Vec<Term>) {
    let mut average = [1.0f32; 3];
    for (f, avg) in average.iter_mut().enumerate() {
        let lengths: Vec<usize> = fields
            .iter()
            .map(|p| p[f].len())
            .filter(|l| *l > 0)
            .collect();
        if !lengths.is_empty() {
            *avg = lengths.iter().sum::<usize>() as f32 / lengths.len() as f32;
        }
    }
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let mut terms: Vec<Term> = Vec::new();
    for (p, passage_fields) in fields.iter().enumerate() {
        let mut tf: BTreeMap<&str, [u32; 3]> = BTreeMap::new();
        for (f, field_terms) in passage_fields.iter().enumerate() {
            for term in field_terms {
                tf.entry(term.as_str()).or_default()[f] += 1;
            }
        }
        for (term, counts) in tf {
            // BM25F: per-field length normalisation, boosted sum, then one saturation.
            let mut weighted = 0.0f32;
            for (f, &count) in counts.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                let (boost, b) = FIELDS[f];
                let length = passage_fields[f].len() as f32;
                weighted += boost * count as f32 / (1.0 - b + b * length / average[f]);
            }
            let weight = weighted * (K1 + 1.0) / (K1 + weighted);
            let id = *vocabulary.entry(term.to_owned()).or_insert_with(|| {
                terms.push(Term {
                    text: term.to_owned(),
                    idf: 0.0,
                    postings: Vec::new(),
                });
                (terms.len() - 1) as u32
            });
            terms[id as usize].postings.push(Posting {
                passage: p as u32,
                weight,
            });
        }
    }
    for term in &mut terms {
        term.idf = idf(n, term.postings.len());
    }
    (vocabulary, terms)
}

/// For typo tolerance: every term that may be misspelt, under each form with one letter
/// deleted.
fn deletion_index(terms: &[Term]) -> HashMap<String, Vec<u32>> {
    let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
    for (id, term) in terms.iter().enumerate() {
        if !fuzzy_candidate(&term.text) {
            continue;
        }
        for i in 0..term.text.len() {
            let mut key = term.text.clone();
            key.remove(i);
            let ids = deletions.entry(key).or_default();
            if ids.last() != Some(&(id as u32)) {
                ids.push(id as u32);
            }
        }
    }
    deletions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qa(id: &str, question: &str, answer: &str) -> QaEntry {
        QaEntry {
            id: id.into(),
            question: question.into(),
            answer: answer.into(),
        }
    }

    fn ids(hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| match &h.source {
                Source::Qa { id, .. } => id.clone(),
                Source::Document {
                    id, heading_path, ..
                } => format!("{id}#{}", heading_path.join("/")),
            })
            .collect()
    }

    /// A corpus small enough to check by hand:
    /// - `a` "Red apples" / "Apples are red."    terms q[red, appl]   body[appl, red]
    /// - `b` "Green apples" / "Green green."     terms q[green, appl] body[green, green]
    /// - `c` "Yellow bananas" / "Bananas are yellow." terms q[yellow, banana] body[banana, yellow]
    fn fruit() -> KnowledgeIndex {
        KnowledgeIndex::build(
            vec![
                qa("a", "Red apples", "Apples are red."),
                qa("b", "Green apples", "Green green."),
                qa("c", "Yellow bananas", "Bananas are yellow."),
            ],
            vec![],
        )
    }

    #[test]
    fn bm25f_scores_match_a_hand_computation() {
        let index = fruit();
        // N = 3. idf(red) = ln(1 + 2.5/1.5); both the question field and the body average 2 terms.
        // Passage a, term "red": question tf 1 (len 2, avg 2) → 3.0·1/1 = 3; body tf 1 → 1.0·1/1
        // = 1; weighted 4, saturated 4·2.2/5.2.
        let hits = index.search("red", 3);
        assert_eq!(ids(&hits), ["a"]);
        let idf_red = (1.0f32 + 2.5 / 1.5).ln();
        let expected = idf_red * 4.0 * 2.2 / (1.2 + 4.0);
        assert!((hits[0].score - expected).abs() < 1e-5, "{}", hits[0].score);
        assert_eq!(hits[0].coverage, 1.0);

        // "apples" is in a and b; b's body is all "green", a's body mentions apples once more.
        let hits = index.search("apples", 3);
        assert_eq!(ids(&hits), ["a", "b"]);
        let idf_apple = (1.0f32 + 1.5 / 2.5).ln();
        let expected_a = idf_apple * 4.0 * 2.2 / 5.2;
        let expected_b = idf_apple * 3.0 * 2.2 / 4.2;
        assert!((hits[0].score - expected_a).abs() < 1e-5);
        assert!((hits[1].score - expected_b).abs() < 1e-5);
    }

    #[test]
    fn rarer_terms_weigh_more_and_coverage_counts_unmatched_terms() {
        let index = fruit();
        let hits = index.search("green apples", 3);
        assert_eq!(ids(&hits), ["b", "a"]);
        assert_eq!(hits[0].coverage, 1.0);
        assert!(hits[1].coverage < 0.5, "{}", hits[1].coverage);
        // A word the knowledge never uses lowers coverage but not the ranking.
        let hits = index.search("yellow bananas in Peru", 3);
        assert_eq!(ids(&hits), ["c"]);
        assert!(
            hits[0].coverage > 0.3 && hits[0].coverage < 0.7,
            "{}",
            hits[0].coverage
        );
    }

    #[test]
    fn questions_outrank_answers_that_merely_mention_the_words() {
        let index = KnowledgeIndex::build(
            vec![
                qa(
                    "mention",
                    "Do you sell gift cards?",
                    "Yes. Gift cards never expire, and a refund of a gift card goes back to the card.",
                ),
                qa(
                    "refund",
                    "How do I get a refund?",
                    "Write to us within 30 days of delivery.",
                ),
            ],
            vec![],
        );
        assert_eq!(
            ids(&index.search("How can I get a refund?", 2)),
            ["refund", "mention"]
        );
    }

    #[test]
    fn documents_are_chunked_and_cited_by_heading_path() {
        let index = KnowledgeIndex::build(
            vec![],
            vec![Document {
                id: "guide".into(),
                title: "Shipping guide".into(),
                body: "# Shipping guide\n\nHow we ship.\n\n## Costs\n\nShipping is free over 50 euros.\n\n## Returns\n\n### Refunds\n\nRefunds reach your card within 5 days."
                    .into(),
            }],
        );
        assert_eq!(index.len(), 3);
        let hits = index.search("when do refunds arrive on my card", 1);
        assert_eq!(ids(&hits), ["guide#Returns/Refunds"]);
        assert_eq!(hits[0].source.label(), "Shipping guide › Returns › Refunds");
        assert_eq!(hits[0].text, "Refunds reach your card within 5 days.");
        // The title heading is not repeated in the path.
        let hits = index.search("how do you ship", 1);
        assert_eq!(hits[0].source.label(), "Shipping guide");
    }

    #[test]
    fn heading_words_find_their_section() {
        let index = KnowledgeIndex::build(
            vec![],
            vec![Document {
                id: "d".into(),
                title: "Help".into(),
                body: "## Invoices\n\nWe send them on the first of the month.\n\n## Security\n\nWe use two-factor sign-in."
                    .into(),
            }],
        );
        assert_eq!(ids(&index.search("invoices", 2)), ["d#Invoices"]);
    }

    #[test]
    fn one_typo_is_forgiven_at_a_discount() {
        let index = KnowledgeIndex::build(
            vec![
                qa(
                    "pw",
                    "How do I reset my password?",
                    "Use the link on the sign-in page.",
                ),
                qa("ship", "Do you ship abroad?", "Yes, to 30 countries."),
            ],
            vec![],
        );
        for query in [
            "reset my pasword",
            "reset my passwrod",
            "reset my passsword",
            "reset my passwurd",
        ] {
            let hits = index.search(query, 1);
            assert_eq!(ids(&hits), ["pw"], "{query}");
            assert!(
                hits[0].coverage < 1.0 && hits[0].coverage > 0.7,
                "{query}: {}",
                hits[0].coverage
            );
        }
        // Short words are not corrected.
        assert!(index.search("shop", 1).is_empty());
    }

    #[test]
    fn multilingual_queries_match_through_folding_and_stemming() {
        let index = KnowledgeIndex::build(
            vec![
                qa(
                    "es",
                    "¿Cómo solicito la cancelación de mi pedido?",
                    "Desde tu cuenta, en Pedidos.",
                ),
                qa(
                    "fr",
                    "Où est ma commande ?",
                    "Suivez-la depuis votre espace client.",
                ),
                qa(
                    "de",
                    "Wann kommt meine Rechnung?",
                    "Rechnungen kommen per E-Mail.",
                ),
            ],
            vec![],
        );
        assert_eq!(ids(&index.search("cancelar pedidos", 1)), ["es"]);
        assert_eq!(ids(&index.search("ou sont mes commandes", 1)), ["fr"]);
        assert_eq!(ids(&index.search("Rechnungen", 1)), ["de"]);
    }

    #[test]
    fn nothing_is_found_for_stop_words_or_unknown_words_or_an_empty_index() {
        let index = fruit();
        assert!(index.search("what is the", 5).is_empty());
        assert!(index.search("airspeed of a swallow", 5).is_empty());
        assert!(index.search("apples", 0).is_empty());
        assert!(KnowledgeIndex::default().search("apples", 5).is_empty());
    }

    #[test]
    fn ties_break_on_the_order_given_and_results_are_repeatable() {
        let index = KnowledgeIndex::build(
            (0..20)
                .map(|i| qa(&i.to_string(), "Opening hours", "Nine to five."))
                .collect(),
            vec![],
        );
        let first = index.search("opening hours", 5);
        assert_eq!(ids(&first), ["0", "1", "2", "3", "4"]);
        assert_eq!(index.search("opening hours", 5), first);
    }

    #[test]
    fn debug_shows_counts_not_content() {
        let debug = format!("{:?}", fruit());
        assert!(debug.contains("qa_entries: 3"), "{debug}");
        assert!(!debug.contains("yellow"));
    }

    #[test]
    fn edit_distance_of_one() {
        assert!(within_one_edit("password", "pasword"));
        assert!(within_one_edit("password", "passwrod"));
        assert!(within_one_edit("password", "passwurd"));
        assert!(within_one_edit("password", "passwords"));
        assert!(!within_one_edit("password", "pasward1"));
        assert!(!within_one_edit("password", "psaswrod"));
    }
}

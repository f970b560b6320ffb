//! Retrieval figures for a 1,000-entry bot (target: retrieval ≤ 1 ms; the figures are in
//! BENCHMARKS.md). Run with `cargo run -p baton-ai --release --example knowledge_bench`.
//!
//! The knowledge is synthetic and generated here, deterministically: words built from syllables
//! with a Zipf-like frequency, questions of 5–12 words, answers of 20–80. The queries mix
//! reworded questions, questions with a typo (which exercise typo correction, the slowest path),
//! and words the knowledge never uses.

use std::time::{Duration, Instant};

use baton_ai::knowledge::{Document, KnowledgeIndex, QaEntry};

const QUERIES: usize = 20_000;

/// A small deterministic generator (xorshift64*), so every run measures the same work.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Index into a vocabulary of `n` words, frequent words first (roughly Zipf).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

fn vocabulary(rng: &mut Rng, n: usize) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ba", "ke", "lo", "mi", "nu", "pa", "re", "si", "to", "va", "dor", "len", "mar", "pix",
        "qua", "ster", "tion", "ver", "zen", "cli", "fra", "gno", "hup", "jet", "wan",
    ];
    let mut words: Vec<String> = Vec::with_capacity(n);
    while words.len() < n {
        let syllables = 2 + rng.below(3);
        let word: String = (0..syllables)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

fn sentence(rng: &mut Rng, vocabulary: &[String], min: usize, max: usize) -> String {
    let len = min + rng.below(max - min + 1);
    (0..len)
        .map(|_| vocabulary[rng.zipf(vocabulary.len())].as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn typo(rng: &mut Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let i = rng.below(chars.len());
    match rng.below(3) {
        0 => {
            chars.remove(i);
        }
        1 => chars.insert(i, 'x'),
        _ => chars[i] = 'q',
    }
    chars.into_iter().collect()
}

fn measure(index: &KnowledgeIndex, queries: &[String]) -> (Duration, Duration, Duration, usize) {
    // Warm up caches and the allocator.
    for query in queries.iter().take(1000) {
        std::hint::black_box(index.search(query, 5));
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut found = 0;
    for query in queries {
        let start = Instant::now();
        let hits = std::hint::black_box(index.search(query, 5));
        times.push(start.elapsed());
        found += usize::from(!hits.is_empty());
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    (at(0.50), at(0.99), *times.last().unwrap(), found)
}

fn main() {
    let mut rng = Rng(0x5EED_BA70_2026);
    let vocabulary = vocabulary(&mut rng, 4000);
    let entries: Vec<QaEntry> = (0..1000)
        .map(|i| QaEntry {
            id: format!("qa-{i}"),
            question: sentence(&mut rng, &vocabulary, 5, 12) + "?",
            answer: sentence(&mut rng, &vocabulary, 20, 80) + ".",
        })
        .collect();
    let documents: Vec<Document> = (0..100)
        .map(|i| {
            let body = (0..6)
                .map(|s| {
                    format!(
                        "## {} {s}\n\n{}.\n\n{}.",
                        sentence(&mut rng, &vocabulary, 1, 3),
                        sentence(&mut rng, &vocabulary, 30, 90),
                        sentence(&mut rng, &vocabulary, 30, 90)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n\n");
            Document {
                id: format!("doc-{i}"),
                title: sentence(&mut rng, &vocabulary, 2, 4),
                body,
            }
        })
        .collect();

    let queries: Vec<String> = (0..QUERIES)
        .map(|_| match rng.below(10) {
            // A reworded question: some of its words, and a word of our own.
            0..=3 => {
                let question = &entries[rng.below(entries.len())].question;
                let mut words: Vec<&str> = question
                    .trim_end_matches('?')
                    .split(' ')
                    .filter(|_| rng.below(3) > 0)
                    .collect();
                words.push("please");
                words.join(" ")
            }
            // A question with a typo in each of two words.
            4..=6 => {
                let question = &entries[rng.below(entries.len())].question;
                question
                    .trim_end_matches('?')
                    .split(' ')
                    .enumerate()
                    .map(|(i, w)| {
                        if i < 2 {
                            typo(&mut rng, w)
                        } else {
                            w.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            // Words the knowledge never uses.
            _ => (0..6)
                .map(|_| format!("zz{}unknown", rng.below(100_000)))
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect();

    let start = Instant::now();
    let qa_only = KnowledgeIndex::build(entries.clone(), Vec::new());
    let build_qa = start.elapsed();
    let start = Instant::now();
    let with_documents = KnowledgeIndex::build(entries, documents);
    let build_all = start.elapsed();

    println!("knowledge retrieval, {QUERIES} queries, top 5");
    for (label, index, build) in [
        ("1,000 Q&A entries", &qa_only, build_qa),
        (
            "1,000 Q&A entries + 100 documents",
            &with_documents,
            build_all,
        ),
    ] {
        let (p50, p99, max, found) = measure(index, &queries);
        println!(
            "{label:<36} passages {:>5}  build {:>7.1} ms  p50 {:>6.1} µs  p99 {:>6.1} µs  max {:>7.1} µs  (queries with hits: {:.0}%)",
            index.len(),
            build.as_secs_f64() * 1e3,
            p50.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6,
            max.as_secs_f64() * 1e6,
            found as f64 * 100.0 / QUERIES as f64,
        );
    }
}

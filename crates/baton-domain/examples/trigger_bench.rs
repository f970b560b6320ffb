//! Micro-benchmark of the built-in trigger detection (target: ≤ 20 µs per message at p99; the
//! figures are in BENCHMARKS.md).
//!
//! Classifies every case of `tests/trigger_cases.jsonl` many times and prints the time per
//! `classify` call (one call per case: a single message, or a short conversation) and per message
//! (call time divided by the turns it read) at p50, p99 and max, in microseconds: first the rules
//! alone (`classify_with` without a model), then `classify` as shipped (rules and the learned
//! model), so both are measured under the same machine load; last, the cases with the highest
//! median time, apart from the machine's jitter. Run in release:
//! `cargo run --release -p baton-domain --example trigger_bench`.

use std::hint::black_box;
use std::time::Instant;

use baton_domain::triggers::{Blend, TriggerSettings, Turn, TurnAuthor, classify, classify_with};

const CASES: &str = include_str!("../tests/trigger_cases.jsonl");
const ROUNDS: usize = 200;

fn main() {
    let cases: Vec<Vec<(TurnAuthor, String)>> = CASES
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("case line");
            match v["text"].as_str() {
                Some(t) => vec![(TurnAuthor::Visitor, t.to_owned())],
                None => v["messages"]
                    .as_array()
                    .expect("messages")
                    .iter()
                    .map(|m| {
                        let author = if m["author"] == "bot" {
                            TurnAuthor::Bot
                        } else {
                            TurnAuthor::Visitor
                        };
                        (author, m["text"].as_str().unwrap_or_default().to_owned())
                    })
                    .collect(),
            }
        })
        .collect();
    let conversations: Vec<Vec<Turn<'_>>> = cases
        .iter()
        .map(|c| {
            c.iter()
                .map(|(a, t)| Turn {
                    author: *a,
                    text: t,
                })
                .collect()
        })
        .collect();
    let settings = TriggerSettings::default();

    // Warm up (builds the lexicon once).
    for turns in &conversations {
        black_box(classify(black_box(turns), &settings));
    }

    println!("rules only:");
    measure(&conversations, |turns| {
        black_box(classify_with(
            black_box(turns),
            &settings,
            None,
            &Blend::RULES_ONLY,
        ));
    });
    println!("rules and the learned model (classify as shipped):");
    measure(&conversations, |turns| {
        black_box(classify(black_box(turns), &settings));
    });
    slowest_cases(&conversations, |turns| {
        black_box(classify(black_box(turns), &settings));
    });
}

/// How many of the slowest cases [`slowest_cases`] prints.
const SLOWEST: usize = 8;

/// The cases whose median time per message is the highest, each case run [`REPEATS`] times in a
/// row: what a turn costs at worst once its data is in cache, apart from the machine's jitter
/// (which the percentiles above include).
fn slowest_cases(conversations: &[Vec<Turn<'_>>], run: impl Fn(&[Turn<'_>])) {
    const REPEATS: usize = 51;
    let mut medians: Vec<(u64, usize)> = conversations
        .iter()
        .enumerate()
        .map(|(i, turns)| {
            let mut ns: Vec<u64> = (0..REPEATS)
                .map(|_| {
                    let t0 = Instant::now();
                    run(turns);
                    t0.elapsed().as_nanos() as u64 / turns.len() as u64
                })
                .collect();
            ns.sort_unstable();
            (ns[REPEATS / 2], i)
        })
        .collect();
    medians.sort_unstable_by(|a, b| b.cmp(a));
    println!("  slowest cases, median of {REPEATS} runs, per message:");
    for &(ns, i) in medians.iter().take(SLOWEST) {
        let text: String = conversations[i]
            .iter()
            .map(|t| t.text)
            .collect::<Vec<_>>()
            .join(" | ")
            .replace('\n', " ");
        println!(
            "    {:>6.2} µs ({} words: {:.60})",
            ns as f64 / 1000.0,
            text.split_whitespace().count(),
            text
        );
    }
}

fn measure(conversations: &[Vec<Turn<'_>>], run: impl Fn(&[Turn<'_>])) {
    let mut single = Vec::with_capacity(conversations.len() * ROUNDS);
    let mut multi = Vec::new();
    let mut per_message = Vec::with_capacity(conversations.len() * ROUNDS);
    let started = Instant::now();
    for _ in 0..ROUNDS {
        for turns in conversations {
            let t0 = Instant::now();
            run(turns);
            let ns = t0.elapsed().as_nanos() as u64;
            per_message.push(ns / turns.len() as u64);
            if turns.len() == 1 {
                single.push(ns);
            } else {
                multi.push(ns);
            }
        }
    }
    let total = started.elapsed();
    let calls = conversations.len() * ROUNDS;
    println!(
        "trigger_bench: {} cases x {ROUNDS} rounds = {calls} classify calls in {:.2?} ({:.0} calls/s)",
        conversations.len(),
        total,
        calls as f64 / total.as_secs_f64()
    );
    report("single message", &mut single);
    report("conversation (2-5 turns)", &mut multi);
    let mut all: Vec<u64> = single.iter().chain(&multi).copied().collect();
    report("all calls", &mut all);
    report("per message (call / turns)", &mut per_message);
}

fn report(label: &str, ns: &mut [u64]) {
    if ns.is_empty() {
        return;
    }
    ns.sort_unstable();
    let pct = |p: f64| ns[((ns.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0;
    println!(
        "  {label:<26} n={:<7} p50 {:>6.2} µs   p99 {:>6.2} µs   max {:>7.2} µs",
        ns.len(),
        pct(0.50),
        pct(0.99),
        *ns.last().unwrap() as f64 / 1000.0
    );
}

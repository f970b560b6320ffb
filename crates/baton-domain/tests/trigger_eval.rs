//! Evaluation of the built-in trigger detection: precision, recall and accuracy on labelled data.
//!
//! Two measurements, printed as tables and held to thresholds:
//! - `case_file`: the hand-written labelled cases in `trigger_cases.jsonl` (five languages, every
//!   trigger, many hard negatives): per-trigger precision and recall, per-language accuracy.
//! - `bitext_dev_set`: the Bitext customer-support utterances in `../shared/eval/bitext/`, read in
//!   place (CDLA-Sharing-1.0; never copied into this repository): user_request recall on
//!   `contact_human_agent`, and the user_request rate on intents that are not about contacting
//!   anyone.
//!
//! The case file was written by hand in four batches. The rules were developed against the first
//! batch; each later batch was measured before any rule was changed for it (accuracy 0.79, 0.83
//! and 0.82: that is the honest estimate on unseen wording), then kept in the file.
//! The thresholds below leave room for that: they guard against regressions, they do not claim
//! the in-file accuracy will hold on new data.
//!
//! The case file and `families/` are also training data of the learned model
//! (`triggers::model`, `examples/train_trigger_model.rs`), so their in-file figures say even less
//! about unseen wording; the Bitext dev set is never trained on.
//!
//! - `calm_replies`: short calm replies ("ok", "ach so", "oui merci", "ya funciona", "yes
//!   please" to an offer of anything but a person), alone and as the last turn of a
//!   conversation, in `calm_replies.jsonl`: how often a handoff fires on them.
//!
//! Set `TRIGGER_EVAL_VERBOSE=1` to print every miss.

use std::collections::BTreeMap;

use baton_domain::handoff::Trigger;
use baton_domain::triggers::{Sensitivity, TriggerSettings, Turn, TurnAuthor, classify};

const CASES: &str = include_str!("trigger_cases.jsonl");
const DEV_SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/eval/bitext/bitext_customer_support_intents.csv"
);
const LABELS: [&str; 5] = [
    "user_request",
    "frustration",
    "complex_issue",
    "sales_opportunity",
    "none",
];

fn verbose() -> bool {
    std::env::var_os("TRIGGER_EVAL_VERBOSE").is_some()
}

fn label(t: Option<Trigger>) -> &'static str {
    t.map_or("none", |t| t.as_str())
}

struct Case {
    line: usize,
    lang: String,
    turns: Vec<(TurnAuthor, String)>,
    expect: String,
}

fn load_cases() -> Vec<Case> {
    parse_cases("trigger_cases.jsonl", CASES, &LABELS)
}

/// Reads labelled cases, one JSON object a line: `lang`, `expect` (one of `labels`) and either
/// `text` (one visitor turn) or `messages` (`author` and `text` each).
fn parse_cases(name: &str, text: &str, labels: &[&str]) -> Vec<Case> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{name} line {}: {e}", i + 1));
        let lang = v["lang"].as_str().expect("lang").to_owned();
        let expect = v["expect"].as_str().expect("expect").to_owned();
        assert!(
            labels.contains(&expect.as_str()),
            "{name} line {}: bad label {expect}",
            i + 1
        );
        let turns = if let Some(text) = v["text"].as_str() {
            vec![(TurnAuthor::Visitor, text.to_owned())]
        } else {
            v["messages"]
                .as_array()
                .expect("text or messages")
                .iter()
                .map(|m| {
                    let author = match m["author"].as_str() {
                        Some("visitor") => TurnAuthor::Visitor,
                        Some("bot") => TurnAuthor::Bot,
                        other => panic!("{name} line {}: bad author {other:?}", i + 1),
                    };
                    (author, m["text"].as_str().expect("message text").to_owned())
                })
                .collect()
        };
        out.push(Case {
            line: i + 1,
            lang,
            turns,
            expect,
        });
    }
    out
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

fn turns_of(c: &Case) -> Vec<Turn<'_>> {
    c.turns
        .iter()
        .map(|(a, t)| Turn {
            author: *a,
            text: t,
        })
        .collect()
}

/// The families of wording that real visitors use and the first rules missed, one file each in
/// `families/`, written by hand with positives and hard negatives in all five languages. Labels:
/// `user_request`; `handoff` (a request or frustration: either hands over); `any` (any
/// trigger: the conversation goes to a person); `no_request`
/// (anything but a request for a person: a question about the bot, a third party); `none` (no
/// trigger at all).
///
/// The files were written in batches: the rules were developed against the first; each later
/// batch was measured before any rule changed for it, then kept — 50 cases at 0.94, 27 at 0.93,
/// then (with wording chosen to be harder: roles, callbacks, legal threats, long waits, regional
/// spellings, long messages, hard negatives for the newer rules) 100 at 0.75, 109 at 0.74, 88 at
/// 0.78, 53 at 0.74, 37 at 0.97, 41 at 0.78 and 32 at 0.78; a third round (other shapes of each
/// family: contrasts, pronouns for people just named, participles, stems, embedded questions)
/// 69 explicit requests at 0.88, 50 escalations at 0.80, 24 bot-nature questions at 0.88, 23
/// third parties at 1.00 and 7 conversations at 0.43; after the rules for those, a fourth batch
/// of 42 explicit requests at 0.90, 51 escalations at 0.90, 18 bot-nature questions at 0.94, 25
/// third parties at 0.96 and 7 conversations at 0.86; then a fifth, with more hard negatives for
/// the new rules, of 40 explicit requests at 0.88, 40 escalations at 0.85, 17 bot-nature
/// questions at 1.00, 19 third parties at 1.00 and 4 conversations at 0.75; a sixth, in the
/// plainer words of everyday complaints, of 24 explicit requests at 0.83, 45 escalations at 0.73,
/// 11 bot-nature questions at 0.91 and 12 third parties at 1.00; a seventh of 24 explicit
/// requests at 0.88, 42 escalations at 0.81, 7 bot-nature questions at 0.71 and 7 third parties
/// at 1.00; 10 conversations where the bot's answers failed, at 0.50; and an eighth of 25
/// explicit requests at 0.84 and 28 escalations at 0.75; a ninth of 12 bot-nature questions at
/// 0.75 and 19 third parties at 0.95; a tenth, in chat shorthand and plain complaints, of 25
/// explicit requests at 0.88 and 24 escalations at 0.75; an eleventh of 34 escalations at 0.65
/// (compensation, a team asked to step in, hold music); a twelfth of 30 explicit requests at
/// 0.73. Those first measurements, not the in-file accuracy, are the estimate on unseen
/// wording.
const FAMILIES: [(&str, &str); 5] = [
    (
        "explicit_request",
        include_str!("families/explicit_request.jsonl"),
    ),
    ("escalation", include_str!("families/escalation.jsonl")),
    ("bot_nature", include_str!("families/bot_nature.jsonl")),
    ("third_party", include_str!("families/third_party.jsonl")),
    ("conversation", include_str!("families/conversation.jsonl")),
];

fn family_ok(expect: &str, got: Option<Trigger>) -> bool {
    match expect {
        "handoff" => matches!(got, Some(Trigger::UserRequest | Trigger::Frustration)),
        "any" => got.is_some(),
        "no_request" => got != Some(Trigger::UserRequest),
        other => label(got) == other,
    }
}

#[test]
fn families() {
    let settings = TriggerSettings::default();
    let labels = ["user_request", "handoff", "any", "no_request", "none"];
    let mut failed = Vec::new();
    println!("\ntrigger families:");
    println!("  {:<18} {:>9} {:>6}", "family", "accuracy", "cases");
    for (family, text) in FAMILIES {
        let cases = parse_cases(family, text, &labels);
        let mut langs = std::collections::BTreeSet::new();
        let mut misses = Vec::new();
        for c in &cases {
            langs.insert(c.lang.clone());
            let got = classify(&turns_of(c), &settings);
            if !family_ok(&c.expect, got.trigger) {
                let text = c.turns.last().map_or("", |t| t.1.as_str());
                misses.push(format!(
                    "    line {:>3} [{}] expected {:<12} got {:<17} {:.2} {:?} — {}",
                    c.line,
                    c.lang,
                    c.expect,
                    label(got.trigger),
                    got.score,
                    text,
                    got.reason
                ));
            }
        }
        let accuracy = 1.0 - misses.len() as f64 / cases.len() as f64;
        println!("  {family:<18} {accuracy:>9.3} {:>6}", cases.len());
        if verbose() {
            for m in &misses {
                println!("{m}");
            }
        }
        assert_eq!(langs.len(), 5, "{family}: every language needs cases");
        if accuracy < 0.95 {
            failed.push(format!("{family} {accuracy:.3}"));
        }
    }
    assert!(failed.is_empty(), "families below 0.95: {failed:?}");
}

/// Short calm replies, written for this test by an author who read neither the engine nor its
/// training data, and never trained on (the training command does not read this file): 320
/// lines, half alone and half as the last turn of a conversation with a calm question and the
/// bot's helpful answer or offer. Before the model was trained on short calm replies of its own
/// (`data/training/calm-short.jsonl`, another author's), 32 of them handed over ("yes please",
/// "fair enough", "Ja, gerne", "oh even better" read as a request or an escalation); after, 4.
const CALM_REPLIES: &str = include_str!("calm_replies.jsonl");

#[test]
fn calm_replies() {
    let settings = TriggerSettings::default();
    let cases = parse_cases("calm_replies.jsonl", CALM_REPLIES, &["none"]);
    let fired: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let got = classify(&turns_of(c), &settings);
            got.trigger.map(|t| {
                format!(
                    "    line {:>3} [{}] {:<17} {:.2} — {}",
                    c.line,
                    c.lang,
                    t.as_str(),
                    got.score,
                    got.reason
                )
            })
        })
        .collect();
    println!(
        "\ncalm replies: {} of {} hand over ({:.1}%)",
        fired.len(),
        cases.len(),
        100.0 * fired.len() as f64 / cases.len() as f64
    );
    if verbose() {
        for f in &fired {
            println!("{f}");
        }
    }
    assert!(cases.len() >= 300);
    // 4 today; a regression to the 32 of before must fail.
    assert!(fired.len() <= 6, "calm replies handed over: {fired:#?}");
}

#[test]
fn case_file() {
    let cases = load_cases();
    let settings = TriggerSettings::default();
    let mut per_label: BTreeMap<&str, Counts> =
        LABELS.iter().map(|l| (*l, Counts::default())).collect();
    let mut per_lang: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for c in &cases {
        let turns: Vec<Turn<'_>> = c
            .turns
            .iter()
            .map(|(a, t)| Turn {
                author: *a,
                text: t,
            })
            .collect();
        let got = classify(&turns, &settings);
        let got_label = label(got.trigger);
        let ok = got_label == c.expect;
        let lang = per_lang.entry(c.lang.clone()).or_default();
        lang.1 += 1;
        if ok {
            lang.0 += 1;
            per_label.get_mut(got_label).unwrap().tp += 1;
        } else {
            per_label.get_mut(got_label).unwrap().fp += 1;
            per_label.get_mut(c.expect.as_str()).unwrap().fn_ += 1;
            let text = c.turns.last().map_or("", |t| t.1.as_str());
            misses.push(format!(
                "  line {:>3} [{}] expected {:<17} got {:<17} {:.2} {:?} — {}",
                c.line, c.lang, c.expect, got_label, got.score, text, got.reason
            ));
        }
    }
    let total = cases.len();
    let correct: usize = per_lang.values().map(|v| v.0).sum();
    let accuracy = correct as f64 / total as f64;

    println!("\ntrigger case file: {total} cases, accuracy {accuracy:.3}");
    println!(
        "  {:<18} {:>9} {:>7} {:>8}",
        "trigger", "precision", "recall", "support"
    );
    for l in LABELS {
        let c = per_label[l];
        println!(
            "  {:<18} {:>9.3} {:>7.3} {:>8}",
            l,
            c.precision(),
            c.recall(),
            c.tp + c.fn_
        );
    }
    println!("  {:<6} {:>9} {:>6}", "lang", "accuracy", "cases");
    for (lang, (ok, n)) in &per_lang {
        println!("  {:<6} {:>9.3} {:>6}", lang, *ok as f64 / *n as f64, n);
    }
    println!(
        "  {} misses{}",
        misses.len(),
        if verbose() {
            ":"
        } else {
            " (TRIGGER_EVAL_VERBOSE=1 lists them)"
        }
    );
    if verbose() {
        for m in &misses {
            println!("{m}");
        }
    }

    assert!(
        total >= 400,
        "the case file needs at least 400 cases, has {total}"
    );
    let ur = per_label["user_request"];
    assert!(
        ur.precision() >= 0.95,
        "user_request precision {:.3} < 0.95",
        ur.precision()
    );
    assert!(
        ur.recall() >= 0.95,
        "user_request recall {:.3} < 0.95",
        ur.recall()
    );
    for l in ["frustration", "complex_issue", "sales_opportunity"] {
        let c = per_label[l];
        assert!(
            c.precision() >= 0.85,
            "{l} precision {:.3} < 0.85",
            c.precision()
        );
        assert!(c.recall() >= 0.85, "{l} recall {:.3} < 0.85", c.recall());
    }
    assert!(accuracy >= 0.9, "overall accuracy {accuracy:.3} < 0.9");
    for (lang, (ok, n)) in &per_lang {
        let a = *ok as f64 / *n as f64;
        assert!(a >= 0.85, "{lang} accuracy {a:.3} < 0.85");
    }
}

/// A small RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn csv_reader_handles_quotes() {
    let rows = parse_csv("a,b\n\"x, \"\"y\"\"\",2\r\n\"multi\nline\",3");
    assert_eq!(rows[1], ["x, \"y\"", "2"]);
    assert_eq!(rows[2], ["multi\nline", "3"]);
}

#[test]
fn bitext_dev_set() {
    let text = std::fs::read_to_string(DEV_SET).unwrap_or_else(|e| {
        panic!(
            "the Bitext dev set is missing at {DEV_SET} ({e}); it lives in ../shared/eval/bitext/ \
             next to the repository (CI provides it)"
        )
    });
    let rows = parse_csv(&text);
    let header = &rows[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("dev set has no `{name}` column"))
    };
    let (c_text, c_intent, c_tags) = (col("instruction"), col("intent"), col("tags"));
    let settings = TriggerSettings::default();
    // intent → (rows, per-label counts)
    let mut by_intent: BTreeMap<String, (usize, BTreeMap<&'static str, usize>)> = BTreeMap::new();
    let mut w_tag = (0usize, 0usize, 0usize);
    let high = TriggerSettings {
        frustration: Sensitivity::High,
        ..TriggerSettings::default()
    };
    // Calm refund questions (no offensive-language tag W) handed over: what a bot that
    // escalates too eagerly costs its agents.
    let mut calm_refund = (0usize, 0usize);
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for r in &rows[1..] {
        if r.len() <= c_tags {
            continue;
        }
        let got = classify(
            &[Turn {
                author: TurnAuthor::Visitor,
                text: &r[c_text],
            }],
            &settings,
        );
        let l = label(got.trigger);
        let entry = by_intent.entry(r[c_intent].clone()).or_default();
        entry.0 += 1;
        *entry.1.entry(l).or_default() += 1;
        if r[c_tags].contains('W') {
            w_tag.1 += 1;
            if l == "frustration" {
                w_tag.0 += 1;
            }
            let at_high = classify(
                &[Turn {
                    author: TurnAuthor::Visitor,
                    text: &r[c_text],
                }],
                &high,
            );
            if at_high.trigger == Some(Trigger::Frustration) {
                w_tag.2 += 1;
            }
        }
        if matches!(r[c_intent].as_str(), "get_refund" | "track_refund") && !r[c_tags].contains('W')
        {
            calm_refund.1 += 1;
            if got.trigger.is_some() {
                calm_refund.0 += 1;
            }
        }
        let contact =
            r[c_intent] == "contact_human_agent" || r[c_intent] == "contact_customer_service";
        if r[c_intent] == "contact_human_agent" && l != "user_request" {
            misses.push(format!("  miss [{l}] {}", r[c_text]));
        } else if !contact && l == "user_request" {
            false_alarms.push(format!(
                "  false alarm [{}] {} — {}",
                r[c_intent], r[c_text], got.reason
            ));
        }
    }
    let rate = |intent: &str, l: &str| {
        let (n, counts) = &by_intent[intent];
        counts.get(l).copied().unwrap_or(0) as f64 / *n as f64
    };
    let (mut other_n, mut other_ur) = (0usize, 0usize);
    for (intent, (n, counts)) in &by_intent {
        if intent != "contact_human_agent" && intent != "contact_customer_service" {
            other_n += n;
            other_ur += counts.get("user_request").copied().unwrap_or(0);
        }
    }
    let recall = rate("contact_human_agent", "user_request");
    let fp_rate = other_ur as f64 / other_n as f64;

    println!("\nBitext dev set: {} utterances", rows.len() - 1);
    println!(
        "  {:<28} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "intent", "n", "user_req", "frustr", "complex", "sales", "none"
    );
    for (intent, (n, counts)) in &by_intent {
        let pct = |l: &str| 100.0 * counts.get(l).copied().unwrap_or(0) as f64 / *n as f64;
        println!(
            "  {:<28} {:>6} {:>7.1}% {:>7.1}% {:>7.1}% {:>7.1}% {:>7.1}%",
            intent,
            n,
            pct("user_request"),
            pct("frustration"),
            pct("complex_issue"),
            pct("sales_opportunity"),
            pct("none")
        );
    }
    println!("  user_request recall on contact_human_agent: {recall:.4}");
    println!(
        "  user_request rate on the {other_n} utterances not about contacting anyone: {:.4}% ({other_ur})",
        100.0 * fp_rate
    );
    println!(
        "  (reported) user_request rate on contact_customer_service: {:.3}",
        rate("contact_customer_service", "user_request")
    );
    println!(
        "  (reported) frustration rate on complaint: {:.3}",
        rate("complaint", "frustration")
    );
    println!(
        "  (reported) frustration rate on tag W (offensive language): {:.3} of {} ({:.3} at high \
         sensitivity)",
        w_tag.0 as f64 / w_tag.1.max(1) as f64,
        w_tag.1,
        w_tag.2 as f64 / w_tag.1.max(1) as f64
    );
    println!(
        "  (reported) handoff rate on calm refund questions (get_refund and track_refund without \
         tag W): {:.3} of {}",
        calm_refund.0 as f64 / calm_refund.1.max(1) as f64,
        calm_refund.1
    );
    println!(
        "  (reported) sales_opportunity rate on place_order: {:.3}",
        rate("place_order", "sales_opportunity")
    );
    if verbose() {
        for m in misses.iter().chain(&false_alarms) {
            println!("{m}");
        }
    } else {
        println!(
            "  {} misses, {} false alarms (TRIGGER_EVAL_VERBOSE=1 lists them)",
            misses.len(),
            false_alarms.len()
        );
    }

    assert!(
        recall >= 0.95,
        "user_request recall on contact_human_agent {recall:.4} < 0.95"
    );
    assert!(
        fp_rate <= 0.005,
        "user_request rate on other intents {:.4}% > 0.5%",
        100.0 * fp_rate
    );
}

//! High-value sales opportunities (the AI trigger "high-value sales opportunity").
//!
//! Looks for scale ("for our 200 employees", "50 seats", "team of 45"), enterprise and volume
//! terms (enterprise plan, volume discount, reseller, procurement), demo and quote requests, and
//! budgets. Words that are often used in other senses (contract, quote, budget, demo) only count
//! when no other-sense word is in the same clause ("cancel my contract", "a quote from the
//! article", "on a tight budget", "demo mode"). Reads only the visitor turns it is given.

use super::Evidence;
use super::lexicon::{Concepts, Doc};
use super::text::F_NUMBER;

/// Evidence of a sales opportunity in one visitor turn.
pub(super) fn turn_score<'a>(doc: &Doc<'a>) -> Evidence<'a> {
    let mut ev = Evidence::default();
    let buyer = doc.any(Concepts::BUYER);
    let n = doc.toks.len();

    // Scale: a number counting seats, users, employees, stores...
    for i in 0..n {
        let Some(count) = quantity(doc, i) else {
            continue;
        };
        let mut j = i + 1;
        // "2 million chats", "1 000 users"
        while j < n
            && (doc.has(j, Concepts::NUMWORD) || doc.toks[j].flags & F_NUMBER != 0)
            && j < i + 3
        {
            j += 1;
        }
        let unit = (j..(j + 3).min(n))
            .find(|&k| doc.has(k, Concepts::SALES_UNIT) && !doc.has(k, Concepts::SALES_NEG));
        // "team of 45", "equipo de 45"
        let team_of = i >= 2
            && doc.has(i - 1, Concepts::DET)
            && doc.has(i - 2, Concepts::BUYER | Concepts::SALES_UNIT);
        let Some(end) = unit.or(team_of.then_some(i)) else {
            continue;
        };
        let w = match count {
            c if c >= 500 => 0.7,
            c if c >= 50 => 0.6,
            c if c >= 10 => 0.5,
            c if c >= 5 => 0.35,
            _ => 0.0,
        };
        // "team of 12" says less than "12 seats".
        let w = if unit.is_none() { w - 0.15 } else { w };
        if w > 0.0 {
            let w = if buyer { w + 0.1 } else { w };
            let start = if team_of && unit.is_none() { i - 2 } else { i };
            ev.add(w, "mentions", doc.span(start, end + 1));
        }
    }

    let mut med = 0;
    for c in &doc.clauses {
        let clause_neg = doc
            .concepts_in(c.start, c.end)
            .intersects(Concepts::SALES_NEG);
        for i in c.start..c.end {
            let b = doc.bits(i);
            if b.intersects(Concepts::SALES_STRONG) {
                let s = super::frustration::phrase_start(doc, i);
                ev.add(0.6, "mentions", doc.span(s, i + 1));
            } else if b.intersects(Concepts::SALES_MED) {
                if b.intersects(Concepts::SALES_AMBIG) && clause_neg {
                    continue;
                }
                // "eine Demo für mein Team vereinbaren", "agendar una demo": a demo being booked.
                if doc.word(i).starts_with("demo")
                    && (c.start..c.end).any(|k| is_scheduling(doc.word(k)))
                {
                    ev.add(0.6, "asks for", doc.span(i, i + 1));
                    continue;
                }
                if med < 3 {
                    let s = super::frustration::phrase_start(doc, i);
                    let w = if buyer { 0.25 } else { 0.18 };
                    ev.add(w, "mentions", doc.span(s, i + 1));
                }
                med += 1;
            }
        }
    }

    // A budget in money: "$30k", "20.000 euros", "15 000 €".
    if buyer && let Some(m) = money(doc) {
        ev.add(0.35, "mentions an amount of", m);
    }
    ev
}

/// Sales evidence over the conversation: the last visitor turn, and earlier visitor turns at a
/// discount (the seat count may come two messages before the question about discounts).
pub(super) fn conversation_score<'a>(last: &Doc<'a>, earlier_visitor: &[Doc<'a>]) -> Evidence<'a> {
    let mut ev = turn_score(last);
    for d in earlier_visitor.iter().rev().take(3) {
        let e = turn_score(d);
        if e.score > 0.0 {
            ev.add(e.score * 0.6, "earlier", e.first_text());
        }
    }
    ev
}

/// The count at token `i`: "200", "1,000", "30k", "hundreds", "2 million".
fn quantity(doc: &Doc<'_>, i: usize) -> Option<u64> {
    let t = doc.toks[i];
    let base = if t.flags & F_NUMBER != 0 || doc.word(i).ends_with('k') {
        doc.number(i)?
    } else if doc.bits(i).intersects(Concepts::NUMWORD) {
        numword_value(doc.word(i))?
    } else {
        return None;
    };
    // Only the first number of a run counts ("2 million" is read at "2").
    if i > 0 && (doc.toks[i - 1].flags & F_NUMBER != 0 || doc.has(i - 1, Concepts::NUMWORD)) {
        return None;
    }
    let mut v = base;
    if i + 1 < doc.toks.len() {
        if let Some(m) = numword_value(doc.word(i + 1)).filter(|m| *m >= 100) {
            v = v.saturating_mul(m);
        } else if doc.toks[i + 1].flags & F_NUMBER != 0 && doc.word(i + 1).len() == 3 {
            // "15 000": a thousands group written with a space.
            v = v
                .saturating_mul(1000)
                .saturating_add(doc.number(i + 1).unwrap_or(0));
        }
    }
    Some(v)
}

fn is_scheduling(w: &str) -> bool {
    matches!(
        w,
        "book"
            | "schedule"
            | "arrange"
            | "organise"
            | "organize"
            | "request"
            | "see"
            | "setup"
            | "agendar"
            | "programar"
            | "solicitar"
            | "reservar"
            | "planificar"
            | "planifier"
            | "organiser"
            | "reserver"
            | "vereinbaren"
            | "buchen"
            | "anfordern"
            | "marcar"
    )
}

fn numword_value(w: &str) -> Option<u64> {
    Some(match w {
        "two" | "dos" | "deux" | "zwei" | "dois" | "duas" => 2,
        "three" | "tres" | "trois" | "drei" | "several" | "varios" | "varias" | "plusieurs"
        | "mehrere" => 3,
        "four" | "cuatro" | "quatre" | "vier" | "quatro" => 4,
        "five" | "cinco" | "cinq" | "funf" => 5,
        "ten" | "diez" | "dix" | "zehn" | "dez" => 10,
        "dozen" => 12,
        "twenty" => 20,
        "dozens" | "fifty" => 50,
        "hundred" | "cien" | "cent" | "hundert" | "cem" => 100,
        "hundreds" | "cientos" | "cents" | "centenas" => 200,
        "thousand" | "mil" | "mille" | "tausend" => 1_000,
        "thousands" => 2_000,
        "million" | "millions" | "millones" | "milhoes" | "millionen" => 1_000_000,
        _ => return None,
    })
}

/// An amount of money of at least 1,000 in the original text.
fn money<'a>(doc: &Doc<'a>) -> Option<&'a str> {
    for i in 0..doc.toks.len() {
        let Some(v) = quantity(doc, i) else { continue };
        if v < 1000 {
            continue;
        }
        let os = doc.toks[i].os as usize;
        let before = doc.orig[..os].trim_end().chars().next_back();
        let currency_before = matches!(before, Some('$' | '€' | '£'));
        let next = if i + 1 < doc.toks.len() {
            doc.word(i + 1)
        } else {
            ""
        };
        let after = doc.orig[doc.toks[i].oe as usize..]
            .trim_start()
            .chars()
            .next();
        let currency_after = matches!(after, Some('€' | '$' | '£'))
            || matches!(
                next,
                "euros"
                    | "euro"
                    | "dollars"
                    | "usd"
                    | "eur"
                    | "reais"
                    | "gbp"
                    | "pounds"
                    | "mil"
                    | "k"
            );
        if currency_before || currency_after {
            return Some(doc.orig_word(i));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> f32 {
        turn_score(&Doc::new(text)).score
    }

    #[test]
    fn scale_and_enterprise_terms() {
        for t in [
            "We're looking at the enterprise plan for our 200 employees",
            "How much for 50 seats on the annual plan?",
            "I'd like to book a demo for my team",
            "queremos el plan empresarial para 150 empleados",
            "wir haben ein Budget von 50.000 Euro",
        ] {
            assert!(score(t) >= 0.5, "{t}: {}", score(t));
        }
    }

    #[test]
    fn sales_words_in_other_senses() {
        for t in [
            "my contract with my phone carrier ends next month",
            "I want to cancel my contract",
            "a quote from the article",
            "I'm on a tight budget",
            "the demo mode doesn't save",
            "I ordered 3 t-shirts",
        ] {
            assert!(score(t) < 0.5, "{t}: {}", score(t));
        }
    }
}

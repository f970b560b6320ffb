//! Complex technical issues (the AI trigger "complex technical issue").
//!
//! Looks for error codes (E1042, 0x80070005, HTTP 500, ECONNRESET, ERR_SYNC_CONFLICT, TypeError),
//! stack traces, steps the bot suggested that failed ("I already tried that" after "try
//! restarting"), and technical vocabulary next to failure words. Reads the visitor turns it is
//! given; bot turns only to see whether the bot suggested steps.

use super::Evidence;
use super::lexicon::{Concepts, Doc};
use super::text::{F_DIGIT, F_NUMBER};

/// Evidence of a complex technical issue in one visitor turn. `after_steps` is true when the bot
/// turn just before suggested steps to try.
pub(super) fn turn_score<'a>(doc: &Doc<'a>, after_steps: bool) -> Evidence<'a> {
    let mut ev = Evidence::default();
    if let Some(trace) = stack_trace(doc) {
        ev.add(0.8, "pasted a stack trace", trace);
    }
    if let Some(code) = error_code(doc) {
        ev.add(0.6, "reports error code", code);
    }
    let fails = add_failed_steps(doc, after_steps, &mut ev);
    if fails == 0 {
        add_tried_or_persisting(doc, after_steps, &mut ev);
    }
    add_technical_failure(doc, &mut ev);
    ev
}

/// Failed steps: "I already tried that", "ya lo intenté", "hat nicht funktioniert" (at most two
/// noted). Returns how many failure reports the turn makes.
fn add_failed_steps<'a>(doc: &Doc<'a>, after_steps: bool, ev: &mut Evidence<'a>) -> usize {
    // "did it, works fine", "hab ich gemacht, klappt": done, and it worked.
    if works_stated(doc) {
        return 0;
    }
    let mut fails = 0;
    let mut covered_to = 0usize;
    for i in 0..doc.toks.len() {
        if doc.has(i, Concepts::FAIL) {
            let s = super::frustration::phrase_start(doc, i);
            // Overlapping entries ("still not" / "not working") are one statement.
            if fails > 0 && s < covered_to {
                covered_to = i + 1;
                continue;
            }
            covered_to = i + 1;
            // After the bot suggested steps, a failure report is strong evidence; without that
            // context a second one adds less ("still not working" alone is mostly frustration).
            let (w, label) = match (after_steps, fails) {
                (true, _) => (0.7, "says the suggested steps did not help"),
                (false, 0) => (0.45, "already tried"),
                (false, _) => (0.25, "already tried"),
            };
            if fails < 2 {
                ev.add(w, label, doc.span(s, i + 1));
            }
            fails += 1;
        }
    }
    fails
}

/// Something working: "works", "funktioniert", "klappt", "marche", "funciona", "solved".
pub(super) fn is_works_word(w: &str) -> bool {
    matches!(
        w,
        "works"
            | "working"
            | "worked"
            | "funktioniert"
            | "klappt"
            | "geht"
            | "marche"
            | "fonctionne"
            | "funciona"
            | "funcionando"
            | "funcionou"
            | "resolved"
            | "solved"
    )
}

/// The turn says something works and nothing fails: "did it, works fine", "ça marche", but not
/// "still not working", "nothing works", "the wifi works but the TV box does not".
pub(super) fn works_stated(doc: &Doc<'_>) -> bool {
    let n = doc.toks.len();
    (0..n).any(|j| is_works_word(doc.word(j)))
        && !(0..n).any(|k| {
            doc.has(k, Concepts::NEG | Concepts::STILL | Concepts::PROBLEM)
                || matches!(doc.word(k), "nothing" | "nichts" | "rien" | "nada")
        })
}

/// With no failure report: the problem remains after the bot's steps, something was already
/// tried ("already reinstalled"), or the problem persists ("still crashes").
fn add_tried_or_persisting<'a>(doc: &Doc<'a>, after_steps: bool, ev: &mut Evidence<'a>) {
    if after_steps && doc.any(Concepts::STILL) && doc.any(Concepts::PROBLEM | Concepts::STILL) {
        ev.add(
            0.5,
            "says the problem remains after the suggested steps",
            "",
        );
    }
    // "already reinstalled", "ya reinstalé", "schon neu installiert": something was tried.
    let tried = (0..doc.toks.len()).find(|&i| {
        doc.has(i, Concepts::ALREADY)
            && !doc.has(i + 1, Concepts::STILL)
            && (i + 1..(i + 3).min(doc.toks.len())).any(|k| {
                doc.bits(k)
                    .difference(Concepts::TECH_WEAK | Concepts::STEP)
                    .is_empty()
                    && doc.word(k).len() > 3
            })
    });
    if let Some(i) = tried {
        ev.add(
            0.35,
            "already tried",
            doc.span(i, (i + 3).min(doc.toks.len())),
        );
    }
    // "still crashes", "continua fechando", "sigue fallando": the problem persists.
    let persists = (1..doc.toks.len()).find(|&i| {
        doc.has(i, Concepts::PROBLEM)
            && (i.saturating_sub(2)..i).any(|k| doc.has(k, Concepts::STILL))
    });
    if let Some(i) = persists {
        ev.add(
            0.3,
            "says the problem persists",
            doc.span(i.saturating_sub(2), i + 1),
        );
    }
}

/// Technical vocabulary next to failure words: infrastructure words count more than everyday
/// ones ("SSO loops back to the login page" vs "the app shows an error").
fn add_technical_failure<'a>(doc: &Doc<'a>, ev: &mut Evidence<'a>) {
    let (mut strong, mut weak, mut problems) = (0usize, 0usize, 0usize);
    let mut first_tech = "";
    let mut last_word = "";
    for i in 0..doc.toks.len() {
        let b = doc.bits(i);
        let w = doc.word(i);
        if b.intersects(Concepts::TECH | Concepts::TECH_WEAK) && w != last_word {
            if first_tech.is_empty() {
                first_tech = doc.orig_word(i);
            }
            if b.intersects(Concepts::TECH) {
                strong += 1;
            } else {
                weak += 1;
            }
        }
        if b.intersects(Concepts::PROBLEM) {
            problems += 1;
        }
        last_word = w;
    }
    let tech = 0.15 * strong.min(3) as f32 + 0.08 * weak.min(3) as f32;
    if problems > 0 && strong + weak > 0 {
        let extra = if problems >= 2 { 0.1 } else { 0.0 };
        ev.add(
            (0.3 + tech + extra).min(0.75),
            "describes a technical failure with",
            first_tech,
        );
    } else if strong >= 3 {
        ev.add(0.3, "asks a technical question about", first_tech);
    }
}

/// Complex-issue evidence over the conversation: the last visitor turn, and earlier visitor
/// turns at a discount (an error code two turns ago is still the issue).
pub(super) fn conversation_score<'a>(
    last: &Doc<'a>,
    last_after_steps: bool,
    earlier_visitor: &[Doc<'a>],
) -> Evidence<'a> {
    let mut ev = turn_score(last, last_after_steps);
    for d in earlier_visitor.iter().rev().take(3) {
        let e = turn_score(d, false);
        if e.score > 0.0 {
            ev.add(e.score * 0.6, "earlier", e.first_text());
        }
    }
    ev
}

/// The bot suggested steps to try.
pub(super) fn suggests_steps(bot: &Doc<'_>) -> bool {
    bot.any(Concepts::STEP)
}

fn stack_trace<'a>(doc: &Doc<'a>) -> Option<&'a str> {
    const MARKERS: &[&str] = &[
        "traceback",
        "panicked at",
        "exception in thread",
        "caused by",
        "stack trace",
        "stacktrace",
        "backtrace",
        "fatal error",
        "segmentation fault",
        "core dumped",
        "uncaught",
        "unhandled exception",
        "segfault",
        "sigsegv",
        "kernel panic",
        "blue screen",
    ];
    let norm = doc.norm.as_str();
    // A marker can only be in the text if all its letters are: one pass over the text spares
    // most of the sixteen substring searches.
    const NEEDS: [u32; MARKERS.len()] = {
        let mut sets = [0; MARKERS.len()];
        let mut i = 0;
        while i < MARKERS.len() {
            sets[i] = letter_set(MARKERS[i].as_bytes());
            i += 1;
        }
        sets
    };
    let present = letter_set(norm.as_bytes());
    if let Some(m) = MARKERS
        .iter()
        .zip(NEEDS)
        .find(|&(m, needs)| needs & !present == 0 && norm.contains(*m))
        .map(|(m, _)| m)
    {
        return Some(first_line_with(doc.orig, m).unwrap_or(m));
    }
    // "at com.shop.Cart.total(Cart.java:88)", "src/export.rs:112:9", "widget.js:1:20431".
    let mut frames = 0;
    for line in doc.orig.lines() {
        let l = line.trim_start();
        if l.starts_with("at ") && l.contains('(') && l.contains(':') {
            frames += 1;
        }
    }
    if frames >= 1 {
        return Some(
            doc.orig
                .lines()
                .find(|l| l.trim_start().starts_with("at "))?
                .trim(),
        );
    }
    // (Trimming keeps every ':', so a word without one is no location.)
    raw_words(doc.orig, |w| w.contains(':')).find(|w| is_source_location(w))
}

/// The lower-case ASCII letters of `bytes`, one bit each.
const fn letter_set(bytes: &[u8]) -> u32 {
    let mut set = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_lowercase() {
            set |= 1 << (bytes[i] - b'a');
        }
        i += 1;
    }
    set
}

fn first_line_with<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let first = marker.split(' ').next()?;
    text.lines()
        .find(|l| l.to_ascii_lowercase().contains(first))
        .map(str::trim)
}

/// "Cart.java:88", "src/export.rs:112:9", "/var/www/plugin.php:210".
fn is_source_location(w: &str) -> bool {
    const EXT: &[&str] = &[
        "java", "py", "rs", "js", "ts", "go", "rb", "php", "cs", "cpp", "c", "kt", "swift", "jsx",
        "tsx", "mjs", "cjs", "scala", "ex", "exs",
    ];
    let Some((file, pos)) = w.split_once(':') else {
        return false;
    };
    let Some((_, ext)) = file.rsplit_once('.') else {
        return false;
    };
    let pos = pos.trim_end_matches(|c: char| !c.is_ascii_digit());
    EXT.contains(&ext)
        && !pos.is_empty()
        && pos
            .split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Whitespace-separated words that pass `keep`, with surrounding punctuation trimmed, original
/// case kept. (`keep` sees each word before trimming: a cheap test that spares most words it.)
fn raw_words(text: &str, keep: impl Fn(&str) -> bool) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .filter(move |w| keep(w))
        .map(|w| {
            w.trim_matches(|c: char| {
                matches!(
                    c,
                    '(' | ')'
                        | '['
                        | ']'
                        | '{'
                        | '}'
                        | ','
                        | ';'
                        | '"'
                        | '\''
                        | '“'
                        | '”'
                        | '«'
                        | '»'
                        | '`'
                        | '!'
                        | '?'
                )
            })
            .trim_end_matches(['.', ':'])
        })
        .filter(|w| !w.is_empty())
}

/// The first error code in the turn, in its original spelling.
fn error_code<'a>(doc: &Doc<'a>) -> Option<&'a str> {
    let context = doc.any(Concepts::ERRWORD | Concepts::PROBLEM);
    let tech = doc.any(Concepts::TECH);
    // Every code has a capital, a digit or an underscore, which trimming never removes.
    let may_be_code = |w: &str| {
        w.bytes()
            .any(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
    };
    for w in raw_words(doc.orig, may_be_code) {
        if looks_like_code(w, context, tech) {
            return Some(w);
        }
    }
    // "error 404", "HTTP 500", "code 1603", "SQLSTATE 42P07", "exit code 1".
    for i in 1..doc.toks.len() {
        let t = doc.toks[i];
        if t.flags & F_DIGIT != 0 && doc.has(i - 1, Concepts::ERRWORD) {
            let digits = t.e - t.s;
            if (2..=8).contains(&digits) || t.flags & F_NUMBER == 0 {
                return Some(doc.orig_word(i));
            }
        }
        // "the webhook returns 403", "dá erro 500": an HTTP status next to infrastructure words.
        if t.flags & F_NUMBER != 0
            && tech
            && let Some(n) = doc.number(i)
            && (400..600).contains(&n)
            && t.e - t.s == 3
        {
            return Some(doc.orig_word(i));
        }
        // "intermittent 504s": HTTP statuses in the plural, next to infrastructure words.
        let w = doc.word(i);
        if tech
            && w.len() == 4
            && w.ends_with('s')
            && matches!(w.as_bytes()[0], b'4' | b'5')
            && w.as_bytes()[1..3].iter().all(u8::is_ascii_digit)
        {
            return Some(doc.orig_word(i));
        }
        // "429 Too Many Requests", "502 Bad Gateway".
        if t.flags & F_NUMBER != 0
            && let Some(n) = doc.number(i)
            && (400..600).contains(&n)
            && i + 1 < doc.toks.len()
            && matches!(
                doc.word(i + 1),
                "too"
                    | "bad"
                    | "internal"
                    | "service"
                    | "not"
                    | "forbidden"
                    | "unauthorized"
                    | "gateway"
                    | "unavailable"
                    | "request"
                    | "payload"
                    | "method"
                    | "conflict"
            )
        {
            return Some(doc.orig_word(i));
        }
    }
    None
}

fn looks_like_code(w: &str, context: bool, tech: bool) -> bool {
    let b = w.as_bytes();
    // 0x80070005
    if b.len() >= 6
        && (w.starts_with("0x") || w.starts_with("0X"))
        && b[2..].iter().all(u8::is_ascii_hexdigit)
    {
        return true;
    }
    // 550 5.7.1 (SMTP enhanced status)
    if b.len() == 5
        && b[1] == b'.'
        && b[3] == b'.'
        && [b[0], b[2], b[4]].iter().all(u8::is_ascii_digit)
    {
        return true;
    }
    // ECONNRESET, ETIMEDOUT: POSIX error names.
    const ERRNO: &[&str] = &[
        "ECONNRESET",
        "ECONNREFUSED",
        "ETIMEDOUT",
        "ENOENT",
        "EACCES",
        "EPERM",
        "ENOTFOUND",
        "EADDRINUSE",
        "EPIPE",
        "EHOSTUNREACH",
        "ENETUNREACH",
        "ENOMEM",
        "ENOSPC",
        "ECONNABORTED",
    ];
    if ERRNO.contains(&w) {
        return true;
    }
    // ERR_SYNC_CONFLICT, invalid_grant: identifiers in an error context.
    if w.contains('_') && b.len() >= 6 {
        let upper_snake = b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
            && b.iter().filter(|c| c.is_ascii_uppercase()).count() >= 4;
        let snake = b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
            && !w.starts_with('_')
            && !w.ends_with('_');
        if upper_snake || (snake && (tech || context)) {
            return true;
        }
    }
    // TypeError, NullPointerException, java.lang.IllegalStateException
    let last = w.rsplit('.').next().unwrap_or(w);
    if (last.ends_with("Exception") || last.ends_with("Error"))
        && last.len() > 7
        && last.as_bytes()[0].is_ascii_uppercase()
        && last.bytes().skip(1).any(|c| c.is_ascii_lowercase())
        && last.bytes().all(|c| c.is_ascii_alphanumeric())
    {
        return true;
    }
    // E1042, AUTH-403, E-07, ORA-00942: capitals then digits, in an error context.
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if (1..=6).contains(&letters) && b[..letters].iter().all(u8::is_ascii_uppercase) {
        let mut rest = &b[letters..];
        if let Some((&sep, r)) = rest.split_first()
            && (sep == b'-' || sep == b'_')
        {
            rest = r;
        }
        let digits = rest.len();
        if (2..=6).contains(&digits)
            && rest.iter().all(u8::is_ascii_digit)
            && (context || b[0] == b'E')
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> f32 {
        turn_score(&Doc::new(text), false).score
    }

    #[test]
    fn error_codes_and_traces() {
        for t in [
            "I get error 0x80070005 when installing",
            "checkout fails with error E1042",
            "the API returns HTTP 500",
            "server logs show ECONNRESET",
            "Uncaught TypeError: x is undefined",
            "at com.shop.Cart.total(Cart.java:88)",
            "panicked at src/export.rs:112:9",
        ] {
            assert!(score(t) >= 0.5, "{t}: {}", score(t));
        }
    }

    #[test]
    fn ordinary_messages_are_not_complex() {
        for t in [
            "where is my order 48213?",
            "I want to report an error with my payment",
            "order ORD-1234 has not arrived",
            "I forgot my password",
        ] {
            assert!(score(t) < 0.5, "{t}: {}", score(t));
        }
    }

    #[test]
    fn failed_steps_after_bot_suggestions() {
        let d = Doc::new("I already did that, it still crashes");
        assert!(turn_score(&d, true).score >= 0.6);
        for t in [
            "tried that, the wifi works but the TV box does not",
            "did it, nothing works",
        ] {
            assert!(turn_score(&Doc::new(t), true).score >= 0.6, "{t}");
        }
        // Done, and it worked.
        for t in [
            "did it, works fine",
            "ah ok, did it by month and it worked",
            "hab ich gemacht, klappt",
        ] {
            assert!(turn_score(&Doc::new(t), true).score < 0.5, "{t}");
        }
    }
}

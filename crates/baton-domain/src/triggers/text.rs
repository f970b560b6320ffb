//! Text normalisation for trigger detection: accent folding, lower-casing, and splitting a turn into
//! words and clauses.
//!
//! Owns only the shape of the text (where words and clauses are) and never reads the lexicon; what
//! the words mean lives in `lexicon`, which tags these tokens. Every later rule works on folded ASCII-ish words, so "Représentant", "representant"
//! and "REPRESENTANT" are the same word, and accents are optional for visitors.

use crate::fold::fold_accent;

/// The token is followed by an apostrophe joining it to the next token ("don't", "l'agent").
pub(super) const F_APOS_AFTER: u8 = 1;
/// The token is followed by a hyphen joining it to the next token ("human-readable", "passez-moi").
pub(super) const F_HYPHEN_AFTER: u8 = 2;
/// Every letter of the token is upper case and it has at least two letters.
pub(super) const F_UPPER: u8 = 4;
/// The token contains a digit.
pub(super) const F_DIGIT: u8 = 8;
/// The token is only digits (and digit separators).
pub(super) const F_NUMBER: u8 = 16;

/// Clauses longer than this are cut, so per-clause bit masks fit in a `u64`.
pub(super) const MAX_CLAUSE: usize = 48;

/// One word of a turn.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    /// Byte range of the folded word in [`Tokens::norm`].
    pub s: u32,
    pub e: u32,
    /// Byte range of the word in the original text.
    pub os: u32,
    pub oe: u32,
    /// Index of the clause the token belongs to.
    pub clause: u16,
    pub flags: u8,
}

/// A run of tokens between clause punctuation or contrastive conjunctions.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Clause {
    /// Token range `[start, end)`.
    pub start: usize,
    pub end: usize,
}

/// Surface statistics used by the frustration detector.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Stats {
    pub letters: u32,
    pub upper: u32,
    pub exclaim: u32,
    pub max_exclaim_run: u32,
    pub question: u32,
    pub max_question_run: u32,
    pub angry_emoji: u32,
}

/// A tokenised turn: its folded words and, once [`Tokens::split_clauses`] has run, its clauses.
pub(super) struct Tokens<'a> {
    pub orig: &'a str,
    pub norm: String,
    pub toks: Vec<Tok>,
    pub clauses: Vec<Clause>,
    pub stats: Stats,
}

impl<'a> Tokens<'a> {
    /// Splits `text` into folded words (no clauses until [`Tokens::split_clauses`] runs; each token
    /// carries the index of its punctuated stretch). `lexicon::Doc::new` tags the words and splits
    /// clauses.
    pub fn new(text: &'a str) -> Tokens<'a> {
        let mut doc = Tokens {
            orig: text,
            norm: String::with_capacity(text.len() + 8),
            toks: Vec::with_capacity(text.len() / 4 + 4),
            clauses: Vec::with_capacity(4),
            stats: Stats::default(),
        };
        doc.tokenize();
        doc
    }

    /// The folded text of token `i`.
    #[inline]
    pub fn word(&self, i: usize) -> &str {
        let t = &self.toks[i];
        &self.norm[t.s as usize..t.e as usize]
    }

    /// Whether the folded words from token `i` on are `phrase`, word by word.
    pub fn phrase_at(&self, i: usize, phrase: &[&str]) -> bool {
        i + phrase.len() <= self.toks.len()
            && phrase
                .iter()
                .enumerate()
                .all(|(k, w)| self.word(i + k) == *w)
    }

    /// Whether one of `phrases` (folded words) occurs anywhere in the turn as whole words.
    pub fn has_phrase(&self, phrases: &[&[&str]]) -> bool {
        (0..self.toks.len()).any(|i| phrases.iter().any(|p| self.phrase_at(i, p)))
    }

    /// The original text of token `i`.
    #[inline]
    pub fn orig_word(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.orig[t.os as usize..t.oe as usize]
    }

    /// The original text spanning tokens `[a, b)`.
    pub fn span(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.toks.len() {
            return "";
        }
        &self.orig[self.toks[a].os as usize..self.toks[b - 1].oe as usize]
    }

    /// A question mark follows token `i` (spaces allowed between): the clause it ends is asked.
    pub fn question_mark_after(&self, i: usize) -> bool {
        self.orig[self.toks[i].oe as usize..]
            .trim_start()
            .starts_with('?')
    }

    /// The number parsed from token `i`, if it is a number ("1,000", "20.000", "30k").
    pub fn number(&self, i: usize) -> Option<u64> {
        let w = self.word(i);
        let mut n: u64 = 0;
        let mut digits = 0;
        let mut suffix = 1;
        for (k, b) in w.bytes().enumerate() {
            match b {
                b'0'..=b'9' => {
                    n = n.saturating_mul(10).saturating_add(u64::from(b - b'0'));
                    digits += 1;
                }
                b'.' | b',' => {}
                b'k' if k + 1 == w.len() && digits > 0 => suffix = 1_000,
                b'm' if k + 1 == w.len() && digits > 0 => suffix = 1_000_000,
                _ => return None,
            }
        }
        (digits > 0).then(|| n.saturating_mul(suffix))
    }

    fn tokenize(&mut self) {
        let text = self.orig;
        let bytes = text.as_bytes();
        let mut clause: u16 = 0;
        let mut clause_has_tokens = false;
        let mut in_tok = false;
        let mut cur = Tok {
            s: 0,
            e: 0,
            os: 0,
            oe: 0,
            clause: 0,
            flags: 0,
        };
        let mut kinds = CharKinds::default();
        let mut runs = (0u32, 0u32);

        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let next = iter.peek().map(|&(_, n)| n);
            let before = self.norm.len();
            if push_folded(c, &mut self.norm) {
                self.count_letter(c);
                if in_tok {
                    kinds.add(c);
                } else {
                    in_tok = true;
                    cur.s = before as u32;
                    cur.os = i as u32;
                    cur.flags = 0;
                    cur.clause = clause;
                    kinds = CharKinds::start(c);
                }
                cur.e = self.norm.len() as u32;
                cur.oe = (i + c.len_utf8()) as u32;
                self.count_punct(c, &mut runs);
                continue;
            }
            // Digit separators inside numbers stay in the token: "1,000", "20.000", "5.7.1".
            if in_tok
                && (c == '.' || c == ',')
                && kinds.digits > 0
                && kinds.letters == 0
                && next.is_some_and(|n| n.is_ascii_digit())
                && i > 0
                && bytes[i - 1].is_ascii_digit()
            {
                self.norm.push(c);
                cur.e = self.norm.len() as u32;
                cur.oe = (i + 1) as u32;
                self.count_punct(c, &mut runs);
                continue;
            }
            let joiner_next = next.is_some_and(|n| n.is_alphanumeric());
            if in_tok {
                if is_apostrophe(c) && joiner_next {
                    cur.flags |= F_APOS_AFTER;
                }
                if is_hyphen(c) && joiner_next {
                    cur.flags |= F_HYPHEN_AFTER;
                }
                cur.flags |= kinds.flags();
                self.push_tok(cur, &mut clause_has_tokens);
                in_tok = false;
            }
            // Separators between words: keep the folded buffer readable.
            if !self.norm.ends_with(' ') {
                self.norm.push(' ');
            }
            self.count_punct(c, &mut runs);
            if breaks_clause(c, joiner_next) && clause_has_tokens {
                clause = clause.saturating_add(1);
                clause_has_tokens = false;
            }
        }
        if in_tok {
            cur.flags |= kinds.flags();
            self.push_tok(cur, &mut clause_has_tokens);
        }
    }

    /// Counts a word character in the surface statistics (letters, capitals).
    fn count_letter(&mut self, c: char) {
        if c.is_alphabetic() {
            self.stats.letters += 1;
            if c.is_uppercase() {
                self.stats.upper += 1;
            }
        }
    }

    /// Counts "!", "?" (and their longest runs) and angry emoji; `runs` holds the current runs
    /// of "!" and "?", which any other character ends.
    fn count_punct(&mut self, c: char, runs: &mut (u32, u32)) {
        if c != '!' {
            runs.0 = 0;
        }
        if c != '?' {
            runs.1 = 0;
        }
        match c {
            '!' => {
                self.stats.exclaim += 1;
                runs.0 += 1;
                self.stats.max_exclaim_run = self.stats.max_exclaim_run.max(runs.0);
            }
            '?' => {
                self.stats.question += 1;
                runs.1 += 1;
                self.stats.max_question_run = self.stats.max_question_run.max(runs.1);
            }
            '😡' | '🤬' | '😤' | '😠' | '🙄' | '💩' | '🖕' => {
                self.stats.angry_emoji += 1
            }
            _ => {}
        }
    }

    fn push_tok(&mut self, mut t: Tok, clause_has_tokens: &mut bool) {
        t.clause = t.clause.max(self.toks.last().map_or(0, |l| l.clause));
        self.toks.push(t);
        *clause_has_tokens = true;
    }

    /// Turns per-token clause ids into clause ranges, starting a new clause at each token `i` for
    /// which `starts_clause(i)` holds (the lexicon's contrastive conjunctions: "but", "pero",
    /// "mais", "aber", "mas") and cutting very long clauses.
    pub fn split_clauses(&mut self, starts_clause: impl Fn(usize) -> bool) {
        let mut start = 0usize;
        let n = self.toks.len();
        for i in 0..n {
            let boundary = i > start
                && (self.toks[i].clause != self.toks[i - 1].clause
                    || starts_clause(i)
                    || i - start >= MAX_CLAUSE);
            if boundary {
                self.clauses.push(Clause { start, end: i });
                start = i;
            }
        }
        if start < n {
            self.clauses.push(Clause { start, end: n });
        }
        for (ci, c) in self.clauses.iter().enumerate() {
            for t in &mut self.toks[c.start..c.end] {
                t.clause = ci as u16;
            }
        }
    }
}

/// What kinds of characters the current token holds, for its flags.
#[derive(Clone, Copy, Default)]
struct CharKinds {
    letters: u32,
    upper: u32,
    digits: u32,
    other: u32,
}

impl CharKinds {
    /// The kinds of a token's first character.
    fn start(c: char) -> Self {
        CharKinds {
            letters: u32::from(c.is_alphabetic()),
            upper: u32::from(c.is_uppercase()),
            digits: u32::from(c.is_ascii_digit()),
            other: u32::from(!c.is_alphanumeric()),
        }
    }

    /// Adds a later character of the token.
    fn add(&mut self, c: char) {
        if c.is_alphabetic() {
            self.letters += 1;
            if c.is_uppercase() {
                self.upper += 1;
            }
        } else if c.is_ascii_digit() {
            self.digits += 1;
        } else {
            self.other += 1;
        }
    }

    /// [`F_UPPER`], [`F_DIGIT`] and [`F_NUMBER`] for a token of these characters.
    fn flags(&self) -> u8 {
        let mut flags = 0;
        if self.letters >= 2 && self.upper == self.letters {
            flags |= F_UPPER;
        }
        if self.digits > 0 {
            flags |= F_DIGIT;
            if self.letters == 0 && self.other == 0 {
                flags |= F_NUMBER;
            }
        }
        flags
    }
}

/// Punctuation that ends a clause; a full stop only when no word follows at once ("5.7",
/// "node.js" stay whole).
fn breaks_clause(c: char, joiner_next: bool) -> bool {
    match c {
        '.' => !joiner_next,
        ',' | ';' | ':' | '!' | '?' | '\n' | '\r' | '(' | ')' | '[' | ']' | '{' | '}' | '"'
        | '“' | '”' | '«' | '»' | '…' | '–' | '—' | '¿' | '¡' | '|' => true,
        _ => false,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`' | '´' | 'ʼ' | '‘')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Appends the folded, lower-cased form of `c` to `out` and returns true when `c` is part of a word.
/// Latin accents fold to their base letter ("é" → "e", "ß" → "ss"), so visitors may type with or
/// without them.
#[inline]
pub(super) fn push_folded(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            return true;
        }
        if c == '_' {
            out.push('_');
            return true;
        }
        return false;
    }
    let mut word = false;
    for lc in c.to_lowercase() {
        if let Some(folded) = fold_accent(lc) {
            out.push_str(folded);
            word = true;
        } else if lc.is_alphanumeric() {
            out.push(lc);
            word = true;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let d = Tokens::new(text);
        (0..d.toks.len()).map(|i| d.word(i).to_owned()).collect()
    }

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(
            words("Représentant, SVP! Straße"),
            ["representant", "svp", "strasse"]
        );
    }

    #[test]
    fn splits_apostrophes_and_hyphens() {
        assert_eq!(words("don't"), ["don", "t"]);
        assert_eq!(
            words("passez-moi quelqu'un"),
            ["passez", "moi", "quelqu", "un"]
        );
        let d = Tokens::new("human-readable");
        assert!(d.toks[0].flags & F_HYPHEN_AFTER != 0);
    }

    #[test]
    fn keeps_numbers_whole() {
        let d = Tokens::new("about 1,000 seats or 20.000 euros, 30k budget");
        assert_eq!(d.word(1), "1,000");
        assert_eq!(d.number(1), Some(1000));
        assert_eq!(d.number(4), Some(20000));
        assert_eq!(d.number(6), Some(30000));
    }

    #[test]
    fn counts_caps_and_exclamations() {
        let d = Tokens::new("STILL NOT WORKING!!!");
        assert_eq!(d.stats.max_exclaim_run, 3);
        assert_eq!(d.stats.upper, d.stats.letters);
        assert!(d.toks[0].flags & F_UPPER != 0);
    }
}

//! Explicit requests for a person (the "visitor request" trigger), in one visitor turn.
//!
//! A person word only counts when the clause asks for that person: a contact or transfer verb
//! governs it ("talk to a human", "mit einem Mitarbeiter sprechen"), a wish does ("I want an
//! agent", "quiero un asesor"), the clause is nothing but the request ("human please"), or the
//! person is qualified as real or asked to be available ("a real person", "is an agent
//! available?"). Requests without a person word count too: a transfer ("transfer me", "pásame",
//! "could I be transferred?"), a call back ("can someone call me back?") and "who can I talk
//! to?". A call or person promised and never delivered still stands ("I was promised a call
//! from a supervisor and nobody rang"). A person word does not count when negated ("no need for
//! a human", "je ne veux pas de conseiller"), when the clause asks what the bot is ("are you a
//! real person?"), when the visitor says what they are ("I'm a travel agent"), or when the word
//! has another sense ("gate agent", "human resources", "our 200 agents"). Reads only the turn it
//! is given.

use super::lexicon::{Concepts, Doc};
use super::text::{F_APOS_AFTER, F_DIGIT, F_HYPHEN_AFTER, F_NUMBER, F_UPPER};

/// The best request found in a turn.
#[derive(Clone, Copy, Debug)]
pub(super) struct RequestHit {
    pub score: f32,
    /// Token range of the clause that asked, for the reason shown to the agent.
    pub start: usize,
    pub end: usize,
    /// The rule family that decided: "contact_verb", "transfer", "wish_for_person", ...
    pub family: &'static str,
    /// The two words that decided (a verb or wish, and the person; the same word when one).
    pub cue: usize,
    pub head: usize,
}

/// A clause that mentioned a person but was not taken as a request, and why: a question about
/// the bot, a negated request or a third party. For explanations only.
#[derive(Clone, Copy, Debug)]
pub(super) struct Declined {
    pub family: &'static str,
    pub word: usize,
}

/// Finds the strongest explicit request for a person in `doc`, unless a later clause takes it
/// back ([`taken_back_after`]).
pub(super) fn detect(doc: &Doc<'_>) -> Option<RequestHit> {
    detect_any(doc).filter(|h| taken_back_after(doc, h.end).is_none())
}

/// The bot just named a member of staff ("Our stylist Mia can help with that", "Das macht
/// unser Herr Keller") and the visitor asks for them by pronoun ("can she text me?", "put him
/// on", "ist er heute da?", "¿ella me puede llamar?"): the request rules read the pronoun as a
/// member of staff. A past report ("he already called me yesterday") stays none, as it would
/// with the staff word itself.
pub(super) fn staff_named_by_bot(bot: &Doc<'_>, last: &Doc<'_>) -> Option<RequestHit> {
    if last.toks.len() > 16 || !names_staff(bot) {
        return None;
    }
    // Not the bot's own name: "I'm Nova, an AI assistant", "Ich bin Lotta", "my name is Sam",
    // "je m'appelle Léa", "me llamo Ana".
    let own_name = |i: usize| {
        matches!(
            bot.word(i - 1),
            "m" | "am" | "bin" | "heisse" | "suis" | "appelle" | "soy" | "llamo" | "sou" | "chamo"
        ) || (i >= 2
            && matches!(bot.word(i - 1), "is" | "ist" | "est" | "es" | "e")
            && matches!(bot.word(i - 2), "name" | "nom" | "nombre" | "nome"))
    };
    let names: Vec<&str> = if bot.any(Concepts::BOTNOUN) {
        Vec::new()
    } else {
        (1..bot.toks.len())
            .filter(|&i| is_name_after_word(bot, i) && !own_name(i))
            .map(|i| bot.orig_word(i))
            .collect()
    };
    let mut text = String::with_capacity(last.orig.len() + 16);
    let mut at = 0;
    for i in 0..last.toks.len() {
        // One word for one, so token positions stay those of the visitor's turn.
        let stand_in = match last.word(i) {
            "she" | "he" | "her" | "him" => "agent",
            "er" | "ihn" | "ihm" => "Mitarbeiter",
            "elle" | "lui" => "conseiller",
            "ella" => "agente",
            "ele" | "ela" => "atendente",
            // The name itself: "can Mia call me?", "¿Javi me podría llamar?".
            _ if names.contains(&last.orig_word(i)) => "agent",
            _ => continue,
        };
        let t = &last.toks[i];
        text.push_str(&last.orig[at..t.os as usize]);
        text.push_str(stand_in);
        at = t.oe as usize;
    }
    if at == 0 {
        return None;
    }
    text.push_str(&last.orig[at..]);
    let doc = Doc::new(&text);
    detect(&doc)
        .filter(|h| !visitor_acts(last, h.start, h.cue.min(h.head)))
        .map(|h| RequestHit {
            family: "staff_named_by_bot",
            ..h
        })
}

/// The visitor is the one who will act ("I'll text her myself", "je l'appelle moi-même"): a
/// first-person subject before `at` in the clause with no wish or modal next to it ("I'd like
/// to talk to him", "can I speak to her?" still ask), or the visitor seeing to it alone.
fn visitor_acts(doc: &Doc<'_>, cs: usize, at: usize) -> bool {
    let subject = (cs..at).any(|j| {
        matches!(doc.word(j), "i" | "ich" | "je" | "j" | "yo" | "eu")
            && !(j.saturating_sub(2)..(j + 3).min(doc.toks.len()))
                .any(|k| doc.has(k, Concepts::DESIRE | Concepts::MODAL))
    });
    subject || doc.has_phrase(&super::conversation::ON_MY_OWN)
}

/// The bot's turn names a member of staff: a person word ("our technician", "un conseiller")
/// or a name after a lower-case word ("our stylist Mia", "unser Herr Keller").
fn names_staff(bot: &Doc<'_>) -> bool {
    bot.any(Concepts::P_ANY) || (1..bot.toks.len()).any(|i| is_name_after_word(bot, i))
}

/// Token `i` is a capitalised word after a lower-case one in the same clause: a name ("Mia" in
/// "our stylist Mia"), not a sentence's first word.
fn is_name_after_word(doc: &Doc<'_>, i: usize) -> bool {
    let w = doc.orig_word(i);
    let prev = doc.orig_word(i - 1);
    // At least two letters: "la L" is a size, not a name.
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().count() >= 2
        && w.chars().skip(1).all(char::is_lowercase)
        && prev.chars().next().is_some_and(char::is_lowercase)
        && doc.toks[i].clause == doc.toks[i - 1].clause
}

/// Where a clause at or after token `from` takes a request back: "I'd like an agent. Never
/// mind, found it", "Je voudrais un humain... ah non attendez, c'est bon", "queria falar com
/// alguém... ah não, esquece", "Could someone call me? Wait, no, I can do it by chat".
pub(super) fn taken_back_after(doc: &Doc<'_>, from: usize) -> Option<usize> {
    // The two words may straddle a comma: "Wait, no".
    let opens_no = |cs: usize| {
        cs + 1 < doc.toks.len()
            && matches!(
                (doc.word(cs), doc.word(cs + 1)),
                (
                    "wait" | "actually" | "ah" | "oh" | "bueno" | "pensandolo",
                    "no" | "non" | "nao"
                ) | (
                    "no" | "non" | "nao",
                    "wait" | "attendez" | "attends" | "espera" | "espere"
                ) | ("ah" | "oh", "nein")
                    | ("doch", "nicht")
            )
    };
    doc.clauses
        .iter()
        .filter(|c| c.start >= from)
        .find(|c| {
            (c.start..c.end).any(|j| doc.has(j, Concepts::RETRACT))
                || opens_no(c.start)
                || (c.start..c.end).any(|j| {
                    super::conversation::SETTLED
                        .iter()
                        .any(|p| doc.phrase_at(j, p) && j + p.len() <= c.end)
                })
        })
        .map(|c| c.start)
}

/// A word that can start what [`taken_back_after`] looks for: a quick test before the search.
fn may_take_back(doc: &Doc<'_>) -> bool {
    doc.any(Concepts::RETRACT)
        || (0..doc.toks.len()).any(|j| {
            let w = doc.word(j);
            super::conversation::SETTLED.iter().any(|p| p[0] == w)
                || matches!(w, "wait" | "actually" | "bueno" | "pensandolo" | "doch")
                || (matches!(w, "no" | "non" | "nao" | "ah" | "oh")
                    && j + 1 < doc.toks.len()
                    && matches!(
                        doc.word(j + 1),
                        "no" | "non"
                            | "nao"
                            | "nein"
                            | "wait"
                            | "attendez"
                            | "attends"
                            | "espera"
                            | "espere"
                    ))
        })
}

/// [`detect`] before a request taken back is set aside.
fn detect_any(doc: &Doc<'_>) -> Option<RequestHit> {
    let mut best: Option<RequestHit> = None;
    let mut prev_nature = false;
    let mut prev_people = false;
    let mut prev_refused_bot = false;
    for (ci, c) in doc.clauses.iter().enumerate() {
        let (cs, ce) = (c.start, c.end);
        let cbits = doc.concepts_in(cs, ce);
        // "are you a real person? I need to talk to one", "... because I need one": the request
        // points back at the person the question named. After a question about people there
        // ("is there an actual team behind this? I want to talk to them"), only a contact verb
        // with a pronoun does.
        let hit = if prev_nature {
            anaphoric_request(doc, cs, ce).or_else(|| anaphoric_contact(doc, cs, ce, cbits))
        } else if prev_people {
            anaphoric_contact(doc, cs, ce, cbits).or_else(|| anaphoric_wish(doc, cs, ce))
        } else {
            None
        };
        // "ich will keinen Bot, sondern einen Menschen", "no quiero un robot sino una persona":
        // the wish refused for the bot carries over to the person after the contrast.
        let hit = hit.or_else(|| {
            prev_refused_bot
                .then(|| contrast_person(doc, cs, ce))
                .flatten()
        });
        prev_refused_bot =
            cbits.contains(Concepts::DESIRE | Concepts::NEG) && cbits.intersects(Concepts::BOTNOUN);
        if hit.is_none()
            && !cbits.intersects(
                Concepts::P_ANY
                    | Concepts::TRANSFER
                    | Concepts::CONTACT
                    | Concepts::CONTACT_STATE
                    | Concepts::CALLBACK
                    | Concepts::PASSIVE,
            )
        {
            // A short clause in between ("if not", "wenn nicht", "sinon", "se não") keeps the
            // question it answers; anything longer starts afresh.
            let short = ce - cs <= 3;
            prev_nature &= short;
            prev_people = (prev_people && short) || asks_about_people(doc, cs, ce);
            continue;
        }
        prev_nature = nature_question(doc, cs, ce).is_some();
        prev_people = asks_about_people(doc, cs, ce);
        // A relative clause after the person continues it: "einen Mitarbeiter, der gerade
        // verfügbar ist", "someone, who can talk to me".
        let ext = match doc.clauses.get(ci + 1) {
            Some(next) if is_relative(doc.word(next.start)) => next.end.min(next.start + 6),
            _ => ce,
        };
        let hit = hit.or_else(|| clause_score(doc, cs, ce, ext, cbits));
        if let Some(h) = hit
            && hypothetical(doc, cs, h.cue.min(h.head)).is_none()
            && best.is_none_or(|b| h.score > b.score)
        {
            best = Some(h);
        }
    }
    best.or_else(|| named_presence(doc))
        .or_else(|| promised_contact(doc))
        .or_else(|| titled_person_needed(doc))
}

/// A person's call or contact promised and not kept: "I was promised a call from a supervisor
/// last week and nobody called", "the lady said she'd call me back, it's been three days", "mir
/// wurde ein Rückruf versprochen, bis heute nichts", "on m'a promis qu'un conseiller me
/// rappellerait, toujours rien", "me prometieron que un supervisor me llamaría y nadie llamó",
/// "prometeram que um atendente ia me ligar e nada". The visitor still wants that person. The
/// person is one of the business's (a person word, not another sense) or a call back; a promise
/// kept ("… and she called the same day") is no request.
fn promised_contact(doc: &Doc<'_>) -> Option<RequestHit> {
    let n = doc.toks.len();
    let p = (0..n).find(|&j| is_promise(doc, j))?;
    let clause = doc
        .clauses
        .iter()
        .position(|c| (c.start..c.end).contains(&p))?;
    // The promise and what it promised: its clause and the next.
    let end = doc
        .clauses
        .get(clause + 1)
        .map_or(doc.clauses[clause].end, |c| c.end);
    let start = doc.clauses[clause].start;
    if (start..end).any(|j| doc.has(j, Concepts::BLOCKED)) {
        return None;
    }
    let people = Concepts::P_STRONG | Concepts::P_SOMEONE | Concepts::P_WEAK | Concepts::P_GROUP;
    // Someone of theirs who promised ("your colleague said the engineer would come", "the
    // agent promised me a callback") reports what was said: that is not a request.
    if (start..p).any(|j| doc.has(j, people)) {
        return None;
    }
    // What was promised: a person or a call back after the promise, not the one who promised
    // ("compensation by your agent").
    // (German puts the participle last: "mir wurde ein Rückruf versprochen".)
    let verb_last = matches!(doc.word(p), "versprochen" | "zugesagt");
    let person = (p + 1..end)
        .find(|&j| {
            doc.has(j, people | Concepts::CALLBACK)
                && !(j.saturating_sub(2).max(p)..j)
                    .any(|k| matches!(doc.word(k), "by" | "von" | "par" | "por" | "pelo" | "pela"))
        })
        .or_else(|| {
            verb_last
                .then(|| (start..p).find(|&j| doc.has(j, Concepts::CALLBACK)))
                .flatten()
        })?;
    // Not kept: a negation, "still", "nothing", "nobody" or "it's been" after the promise,
    // stated ("is that still the plan?" asks).
    let asked = |j: usize| {
        doc.clauses
            .iter()
            .find(|c| (c.start..c.end).contains(&j))
            .is_some_and(|c| doc.question_mark_after(c.end - 1))
    };
    let unkept = (p + 1..n).filter(|&j| !asked(j)).find(|&j| {
        doc.has(j, Concepts::NEG)
            || matches!(
                doc.word(j),
                "nothing"
                    | "nichts"
                    | "rien"
                    | "nada"
                    | "nobody"
                    | "keiner"
                    | "niemand"
                    | "nadie"
                    | "still"
                    | "yet"
                    | "noch"
                    | "toujours"
                    | "todavia"
                    | "sigo"
                    | "ainda"
            )
            || doc.word(j) == "been" && matches!(doc.word(j - 1), "s" | "has" | "it")
    })?;
    Some(RequestHit {
        score: 0.8,
        start,
        end: (unkept + 1).max(end).min(n),
        family: "promised_contact",
        cue: p,
        head: person,
    })
}

/// Token `j` promises: "promised", "versprochen", "promis", "prometieron", "prometeram", "was
/// supposed to", "said she'd", "told me someone would".
fn is_promise(doc: &Doc<'_>, j: usize) -> bool {
    let next = |k: usize| {
        if j + k < doc.toks.len() {
            doc.word(j + k)
        } else {
            ""
        }
    };
    match doc.word(j) {
        "promised" | "versprochen" | "zugesagt" | "promis" | "promise" | "prometieron"
        | "prometio" | "prometido" | "prometeram" | "prometeu" => true,
        "supposed" => next(1) == "to",
        "said" | "told" => (1..5).any(|k| matches!(next(k), "would" | "d" | "will" | "ll")),
        _ => false,
    }
}

/// "Is Sarah available? She helped me yesterday", "A Ana está? Ela tratou do meu pedido", "Ist
/// Frau Berger zu sprechen?": the visitor asks whether someone, by name, is there. A capitalised
/// word the lexicon does not know is only a name when a title comes before it or a later clause
/// refers back to a person ("she", "er", "ela", "il", "helped me"), so "Is PayPal available?"
/// asks about a product; a day named ("is Anna free on Monday?") books a slot.
fn named_presence(doc: &Doc<'_>) -> Option<RequestHit> {
    for (ci, c) in doc.clauses.iter().enumerate() {
        let (cs, ce) = (c.start, c.end);
        let asked = doc.question_mark_after(ce - 1);
        if !asked || (cs..ce).any(|j| is_day_named(doc.word(j)) || doc.has(j, Concepts::NEG)) {
            continue;
        }
        // The name opens the clause, after an inverted "is"/"ist"/"está", an article ("a Ana")
        // or a title.
        let mut n = cs;
        let mut titled = false;
        while n < ce.min(cs + 3) {
            let w = doc.word(n);
            titled |= is_title(w);
            if !(is_presence_verb(w) || is_title(w) || matches!(w, "a" | "o" | "la" | "el")) {
                break;
            }
            n += 1;
        }
        if n >= ce || !is_name(doc, n) {
            continue;
        }
        let verb_before = (cs..n).any(|j| is_presence_verb(doc.word(j)));
        let verb_after = (n + 1..ce.min(n + 3)).any(|j| is_presence_verb(doc.word(j)));
        let where_ = (n + 1..ce.min(n + 5)).any(|j| is_presence_word(doc.word(j)));
        let present = (verb_before && (where_ || n + 1 == ce)) || verb_after;
        if !present {
            continue;
        }
        let referred = doc.clauses[ci + 1..].iter().take(2).any(|later| {
            (later.start..later.end.min(later.start + 4)).any(|j| is_referent(doc.word(j)))
        });
        if titled || referred {
            return Some(RequestHit {
                score: 0.8,
                start: cs,
                end: ce,
                family: "named_person",
                cue: cs,
                head: n,
            });
        }
    }
    None
}

/// A capitalised word the lexicon does not know, not a number nor an acronym.
fn is_name(doc: &Doc<'_>, j: usize) -> bool {
    let t = doc.toks[j];
    t.flags & (F_NUMBER | F_UPPER) == 0 && t.e - t.s >= 2 && is_unknown_capitalised(doc, j)
}

fn is_title(w: &str) -> bool {
    matches!(
        w,
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "dr"
            | "herr"
            | "herrn"
            | "frau"
            | "monsieur"
            | "madame"
            | "mme"
            | "senor"
            | "senora"
            | "sr"
            | "sra"
            | "dona"
            | "seu"
            | "don"
    )
}

/// "is", "ist", "está", "tá", "est", "se encuentra", "anda": being there.
fn is_presence_verb(w: &str) -> bool {
    matches!(
        w,
        "is" | "ist" | "esta" | "ta" | "est" | "encuentra" | "encontra" | "anda"
    )
}

/// Where or how someone is there: "available", "around", "in today", "da", "zu sprechen", "là",
/// "aí".
fn is_presence_word(w: &str) -> bool {
    matches!(
        w,
        "available"
            | "around"
            | "in"
            | "there"
            | "about"
            | "working"
            | "here"
            | "free"
            | "reachable"
            | "da"
            | "zu"
            | "im"
            | "erreichbar"
            | "verfugbar"
            | "la"
            | "disponible"
            | "disponivel"
            | "present"
            | "presente"
            | "ai"
            | "aqui"
            | "ahi"
            | "alli"
    )
}

/// A later clause's word that points back at a person: a third-person pronoun or a verb of help
/// already given ("she helped me", "er kennt meinen Fall", "ela atendeu", "il m'a aidé").
fn is_referent(w: &str) -> bool {
    matches!(
        w,
        "she"
            | "he"
            | "her"
            | "him"
            | "er"
            | "ihm"
            | "ihn"
            | "elle"
            | "il"
            | "ela"
            | "ele"
            | "ella"
            | "helped"
            | "handled"
            | "dealt"
            | "knows"
            | "kennt"
            | "atendeu"
            | "atendio"
            | "ajudou"
            | "cuidou"
            | "tratou"
            | "ayudo"
            | "aide"
            | "geholfen"
            | "conoce"
            | "conhece"
            | "connait"
    )
}

/// A day or a later date: "Monday", "tomorrow", "next week", "morgen", "demain", "mañana".
fn is_day_named(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "tomorrow"
            | "next"
            | "montag"
            | "dienstag"
            | "mittwoch"
            | "donnerstag"
            | "freitag"
            | "samstag"
            | "sonntag"
            | "morgen"
            | "lundi"
            | "mardi"
            | "mercredi"
            | "jeudi"
            | "vendredi"
            | "samedi"
            | "dimanche"
            | "demain"
            | "lunes"
            | "martes"
            | "miercoles"
            | "jueves"
            | "viernes"
            | "sabado"
            | "domingo"
            | "manana"
            | "segunda"
            | "terca"
            | "quarta"
            | "quinta"
            | "sexta"
            | "amanha"
    )
}

/// After a question about the bot, a later clause names a person, a contact or a wish: "are you
/// a bot? Hand me to the reception", "Sind Sie eine Maschine? Ich möchte das mit einem
/// Sachbearbeiter klären". The question does not decide the turn alone (the model may read the
/// rest as a request).
pub(super) fn more_after_nature_question(doc: &Doc<'_>) -> bool {
    let Some(q) = doc
        .clauses
        .iter()
        .position(|c| nature_question(doc, c.start, c.end).is_some())
    else {
        return false;
    };
    doc.clauses[q + 1..].iter().any(|c| {
        (c.start..c.end).any(|j| {
            doc.has(j, Concepts::P_ANY) && !doc.has(j, Concepts::BLOCKED)
                || doc.has(
                    j,
                    Concepts::TRANSFER | Concepts::CONTACT | Concepts::CALLBACK | Concepts::DESIRE,
                )
        })
    })
}

/// Why a turn that names a person is not a request, when it is one of the families agents ask
/// about: a request taken back later in the turn, a question about the bot, a negation, a
/// third party.
pub(super) fn declined(doc: &Doc<'_>) -> Option<Declined> {
    // The request rules run again only when something may take a request back.
    if may_take_back(doc)
        && let Some(word) = detect_any(doc).and_then(|h| taken_back_after(doc, h.end))
    {
        return Some(Declined {
            family: "withdrawn_request",
            word,
        });
    }
    for c in &doc.clauses {
        let (cs, ce) = (c.start, c.end);
        if let Some(y) = nature_question(doc, cs, ce) {
            return Some(Declined {
                family: "bot_nature_question",
                word: y,
            });
        }
        let cbits = doc.concepts_in(cs, ce);
        if cbits.intersects(Concepts::BEYOU)
            && cbits.intersects(Concepts::BOTNOUN | Concepts::P_ANY)
        {
            let y = (cs..ce)
                .find(|&j| doc.has(j, Concepts::BEYOU))
                .unwrap_or(cs);
            return Some(Declined {
                family: "bot_nature_question",
                word: y,
            });
        }
        if let Some(v) = names_the_visitor_by_clitic(doc, cs, ce) {
            return Some(Declined {
                family: "names_the_visitor",
                word: v,
            });
        }
        let neg = negation_mask(doc, cs, ce);
        if let Some(p) = (cs..ce)
            .find(|&p| doc.has(p, Concepts::P_ANY) && p - cs < 64 && neg & (1 << (p - cs)) != 0)
        {
            return Some(Declined {
                family: "negated_request",
                word: p,
            });
        }
        if let Some(at) = (cs..ce)
            .find(|&j| doc.has(j, Concepts::P_ANY | Concepts::CONTACT | Concepts::CALLBACK))
            .and_then(|cue| hypothetical(doc, cs, cue))
        {
            return Some(Declined {
                family: "hypothetical_request",
                word: at,
            });
        }
        if let Some(p) =
            (cs..ce).find(|&p| doc.has(p, Concepts::P_ANY) && person_kind(doc, p, cs, ce).is_none())
        {
            return Some(Declined {
                family: "other_sense_or_third_party",
                word: p,
            });
        }
    }
    None
}

/// Frames that ask whether something must be done, as folded words: before a contact verb or a
/// person in a question, the visitor asks whether a person is needed, not for one.
const OBLIGATION: [&[&str]; 17] = [
    &["do", "i", "need", "to"],
    &["do", "i", "have", "to"],
    &["do", "we", "need", "to"],
    &["do", "we", "have", "to"],
    &["must", "i"],
    &["is", "it", "necessary"],
    &["muss", "ich"],
    &["mussen", "wir"],
    &["ist", "es", "notig"],
    &["faut", "il"],
    &["dois", "je"],
    &["tengo", "que"],
    &["hay", "que"],
    &["es", "necesario"],
    &["tenho", "que"],
    &["e", "preciso"],
    &["e", "necessario"],
];

/// The first word of an obligation frame ([`OBLIGATION`]) opening the clause from `cs` (after
/// greetings or adverbs at most) before `cue`, when that clause is the question (or is followed
/// by an alternative asked: ", or can I do it online?") and no alternative ("or", "oder", "ou",
/// "o") comes between the frame and `cue`: "do I have to talk to the bot or can I get a human?"
/// asks for one, and so do "what do I need to do to contact someone?" and "tengo que hablar con
/// alguien de facturación, ¿se puede?".
fn asks_if_needed(doc: &Doc<'_>, cs: usize, cue: usize) -> Option<usize> {
    let ci = doc
        .clauses
        .iter()
        .position(|c| c.start <= cue && cue < c.end)?;
    let asked = |i: usize| {
        doc.clauses
            .get(i)
            .is_some_and(|c| c.end > c.start && doc.question_mark_after(c.end - 1))
    };
    let alternative_asked = doc.clauses.get(ci + 1).is_some_and(|c| {
        c.end > c.start && matches!(doc.word(c.start), "or" | "oder" | "ou" | "o")
    }) && asked(ci + 1);
    if !asked(ci) && !alternative_asked {
        return None;
    }
    let frame = (cs..cue)
        .take_while(|&k| {
            k == cs || doc.has(k - 1, Concepts::COURTESY | Concepts::ADV | Concepts::PLEASE)
        })
        .find(|&k| {
            OBLIGATION
                .iter()
                .any(|f| k + f.len() <= cue && doc.phrase_at(k, f))
        })?;
    let alternative = (frame..cue).any(|j| matches!(doc.word(j), "or" | "oder" | "ou" | "o"));
    (!alternative).then_some(frame)
}

/// The request whose first word is `cue`, in the clause from `cs`, is only imagined: the word
/// that says so, if any.
///
/// - A condition on the visitor's own future ("if I ever need to talk to someone, is there a
///   wait?", "si algún día necesito un asesor, ¿cómo hago?", "falls ich später jemanden
///   sprechen muss, ...", "if the bot can't answer I'll ask for a human"): an "if" before the
///   request, the visitor or an indefinite time inside the condition, and a question or a
///   future after it. "If I could speak to a manager, that would be great" is a polite request;
///   "if possible, a human please" and "if you can't help, get me a human" are requests.
/// - An intention the visitor dropped: "I was going to ask for a manager but you sorted it",
///   "j'allais demander un conseiller mais j'ai trouvé", "iba a pedir un agente pero ya está".
/// - A question whether a person is needed at all: "do I need to speak to someone to close my
///   account, or can I do it online?", "muss ich dafür mit jemandem telefonieren?", "faut-il
///   parler à quelqu'un pour résilier ?", "¿tengo que hablar con un asesor para darme de baja?".
pub(super) fn hypothetical(doc: &Doc<'_>, cs: usize, cue: usize) -> Option<usize> {
    if let Some(k) = asks_if_needed(doc, cs, cue) {
        return Some(k);
    }
    let is_if = |k: usize| {
        matches!(doc.word(k), "if" | "si" | "falls" | "wenn" | "se" | "caso")
            || (doc.word(k) == "case" && k > 0 && doc.word(k - 1) == "in")
    };
    // The condition may be the clause before, when the request is asked about: "si más
    // adelante tengo dudas, ¿podré hablar con alguien?".
    // (Two clauses back: "más" is also Portuguese "but" and starts one.)
    let before = if doc.question_mark_after(doc.toks.len() - 1) {
        doc.clauses
            .iter()
            .rev()
            .filter(|c| c.end <= cs)
            .take(2)
            .last()
            .map_or(cs, |c| c.start)
    } else {
        cs
    };
    // "if not", "if so", "wenn nicht", "si no", "se não": a condition on the answer to the
    // question before ("are you a bot? if so, get me a person"), not an imagined need.
    let on_the_answer = |k: usize| {
        k + 1 < cue
            && matches!(
                doc.word(k + 1),
                "not" | "so" | "yes" | "no" | "nicht" | "ja" | "non" | "oui" | "nao" | "sim"
            )
    };
    if let Some(k) = (before..cue).rev().find(|&k| is_if(k))
        && !on_the_answer(k)
    {
        let polite = (k + 1..cue.min(k + 4)).any(|j| {
            matches!(
                doc.word(j),
                "could"
                    | "pudiera"
                    | "podria"
                    | "pourrais"
                    | "pouvais"
                    | "konnte"
                    | "konnten"
                    | "puder"
                    | "pudesse"
            )
        });
        let own_future = (k + 1..cue).any(|j| {
            matches!(
                doc.word(j),
                "i" | "we"
                    | "ich"
                    | "wir"
                    | "je"
                    | "j"
                    | "nous"
                    | "yo"
                    | "eu"
                    | "nos"
                    | "ever"
                    | "mal"
                    | "irgendwann"
                    | "spater"
                    | "jamais"
                    | "jour"
                    | "dia"
                    | "later"
                    | "depois"
                    | "adelante"
                    | "tard"
                    | "tomorrow"
                    | "manana"
                    | "amanha"
                    | "morgen"
                    | "demain"
                    // the verb itself imagined: "si quisiera", "if I needed", "falls ich müsste"
                    | "quisiera"
                    | "necesitara"
                    | "needed"
                    | "wanted"
                    | "musste"
                    | "wollte"
                    | "voulais"
                    | "avais"
                    | "quiser"
                    | "precisar"
                    | "tiver"
                    | "tengo"
            )
        });
        let asked = doc.question_mark_after(doc.toks.len() - 1)
            || (cue + 1..doc.toks.len()).any(|j| doc.question_mark_after(j));
        let later = (k + 1..doc.toks.len()).any(|j| {
            matches!(
                doc.word(j),
                "ll" | "will"
                    | "might"
                    | "aviso"
                    | "avisare"
                    | "pedire"
                    | "melde"
                    | "demanderai"
                    | "peco"
                    | "pedirei"
            )
        });
        // "If I can't sort this today, can I talk to a manager?": a failure now, and the
        // request asked for now, not later. ("si jamais" is "if ever".)
        let failing = (k + 1..cue)
            .any(|j| doc.has(j, Concepts::NEG) && !(j == k + 1 && doc.word(j) == "jamais"));
        if !polite && own_future && (later || asked && !failing) {
            return Some(k);
        }
    }
    // A habit of the past: "I used to ask for a manager every time", "solía llamar a un
    // asesor", "costumava falar com um atendente".
    if let Some(u) = (cs..cue).find(|&j| {
        (doc.word(j) == "used" && j + 1 < cue && doc.word(j + 1) == "to")
            || matches!(doc.word(j), "solia" | "costumava" | "costumavamos")
    }) {
        return Some(u);
    }
    let dropped = (cs..cue).find(|&j| {
        let next = |d: usize| (j + d < cue).then(|| doc.word(j + d));
        match doc.word(j) {
            "was" | "were" => {
                matches!(next(1), Some("going" | "about" | "gonna"))
            }
            "allais" | "allait" | "iba" | "ia" => true,
            "estaba" | "estava" => matches!(next(1), Some("a" | "para" | "prestes")),
            "wollte" => matches!(next(1), Some("schon" | "gerade" | "eigentlich")),
            _ => false,
        }
    })?;
    (cue + 1..doc.toks.len())
        .any(|j| doc.has(j, Concepts::SPLIT))
        .then_some(dropped)
}

fn is_relative(w: &str) -> bool {
    matches!(
        w,
        "der"
            | "die"
            | "dem"
            | "den"
            | "who"
            | "that"
            | "which"
            | "whom"
            | "que"
            | "qui"
            | "quien"
            | "mit"
            | "with"
    )
}

/// The best score in a clause with the family and words that gave it.
#[derive(Clone, Copy)]
struct Best {
    score: f32,
    family: &'static str,
    cue: usize,
    head: usize,
}

impl Best {
    fn take(&mut self, score: f32, family: &'static str, cue: usize, head: usize) {
        if score > self.score {
            *self = Best {
                score,
                family,
                cue,
                head,
            };
        }
    }
}

fn clause_score(
    doc: &Doc<'_>,
    cs: usize,
    ce: usize,
    ext: usize,
    cbits: Concepts,
) -> Option<RequestHit> {
    // "are you a real person?", "ist das ein Bot?": about the bot, unless the clause also asks.
    let botq = cbits.intersects(Concepts::BEYOU)
        && !cbits
            .intersects(Concepts::DESIRE | Concepts::MODAL | Concepts::TRANSFER | Concepts::PLEASE);
    if cbits.intersects(Concepts::IN_PERSON) || nature_question(doc, cs, ce).is_some() {
        // "a store where I can talk to someone in person": a visit, not a chat handoff. "could
        // you be a real person?": a question about the bot.
        return None;
    }
    let neg = negation_mask(doc, cs, ce);
    let negated = |i: usize| i >= cs && i - cs < 64 && neg & (1u64 << (i - cs)) != 0;
    let mut best = Best {
        score: 0.0,
        family: "",
        cue: cs,
        head: cs,
    };
    for p in cs..ce {
        let Some(kind) = person_kind(doc, p, cs, ce) else {
            continue;
        };
        if negated(p)
            || is_identity(doc, p, cs)
            || talked_to_now(doc, p, cs)
            || in_embedded_question(doc, p, cs, ce)
        {
            continue;
        }
        person_score(
            doc,
            p,
            kind,
            (cs, ce, ext),
            cbits,
            botq,
            &negated,
            &mut best,
        );
    }
    if !botq {
        let (t, s) = transfer_frame(doc, cs, ce, cbits, &negated);
        best.take(
            s,
            if doc.has(t, Concepts::CALLBACK) {
                "callback"
            } else {
                "transfer"
            },
            t,
            t,
        );
        let (w, s) = who_frame(doc, cs, ce, &negated);
        best.take(s, "who_to_talk_to", w, w);
        if let Some((v, n)) = named_person(doc, cs, ce, cbits, &negated) {
            best.take(0.8, "named_person", v, n);
        }

        if let Some((v, r)) = in_charge_frame(doc, cs, ext, cbits, &negated) {
            best.take(0.8, "person_in_charge", v, r);
        }
    }
    (best.score > 0.0).then_some(RequestHit {
        score: best.score,
        start: cs,
        end: ce,
        family: best.family,
        cue: best.cue,
        head: best.head,
    })
}

/// The ways a person word `p` of kind `kind` is asked for in its clause.
#[allow(clippy::too_many_arguments)]
fn person_score(
    doc: &Doc<'_>,
    p: usize,
    kind: Concepts,
    (cs, ce, ext): (usize, usize, usize),
    cbits: Concepts,
    botq: bool,
    negated: &dyn Fn(usize) -> bool,
    best: &mut Best,
) {
    // Words of the clause, counting a multi-word entry once ("s'il vous plaît").
    let len = (cs..ce).filter(|&j| !doc.has(j, Concepts::COVERED)).count();
    let qual = qualified(doc, p, cs, ce);
    let poss1 = p > cs && doc.has(p - 1, Concepts::POSS1);
    let mut s = Best {
        score: 0.0,
        family: "",
        cue: p,
        head: p,
    };
    if let Some(verb) = contact_before(doc, p, cs, cbits, botq)
        && !negated(verb)
        && !(poss1 && is_phone_verb(doc.word(verb)))
    {
        // Not "can you call my boss", "¿puedes llamar a mi jefe?": a third party to phone.
        let v = match kind {
            k if k.intersects(Concepts::P_STRONG) => 0.95,
            k if k.intersects(Concepts::P_SOMEONE) => 0.9,
            k if k.intersects(Concepts::P_WEAK) => 0.8,
            _ if cbits.intersects(Concepts::INFO) && !by_phone(doc, cs, ce) => 0.3,
            _ if is_phone_verb(doc.word(verb)) => 0.45,
            _ => 0.75,
        };
        s.take(v, "contact_verb", verb, p);
    }
    if !poss1
        && !botq
        && let Some(verb) = contact_after(doc, p, ext)
        && !negated(verb)
    {
        let v = if kind.intersects(Concepts::P_STRONG | Concepts::P_SOMEONE) {
            0.9
        } else {
            0.7
        };
        s.take(v, "contact_verb", verb, p);
    }
    if !botq {
        wish_scores(
            doc,
            p,
            kind,
            (cs, ce, ext),
            cbits,
            len,
            qual,
            poss1,
            negated,
            &mut s,
        );
    }
    if s.score > 0.0 && qual {
        s.score = (s.score + 0.04).min(0.99);
    }
    best.take(s.score, s.family, s.cue, s.head);
}

/// A person wished for, named alone, qualified, from a named team, in a modal frame or asked to be
/// available.
#[allow(clippy::too_many_arguments)]
fn wish_scores(
    doc: &Doc<'_>,
    p: usize,
    kind: Concepts,
    (cs, ce, ext): (usize, usize, usize),
    cbits: Concepts,
    len: usize,
    qual: bool,
    poss1: bool,
    negated: &dyn Fn(usize) -> bool,
    s: &mut Best,
) {
    if !poss1
        && let Some(d) = desire_before(doc, p, cs)
        && !negated(d)
        && !german_other_verb(doc, d, p, ce)
    {
        let v = match kind {
            k if k.intersects(Concepts::P_STRONG) => 0.9,
            k if k.intersects(Concepts::P_SOMEONE) => someone_after_desire(doc, p, ce),
            _ if qual => 0.85,
            // "I need customer support", "j'ai besoin du service client": customer care as such.
            _ if is_customer_care(doc, p) => 0.75,
            _ => 0.55,
        };
        s.take(v, "wish_for_person", d, p);
    }
    if !poss1 && len <= 6 && keyword_clause(doc, cs, ce) {
        let v = match kind {
            k if k.intersects(Concepts::P_STRONG) => 0.9,
            k if k.intersects(Concepts::P_SOMEONE) => 0.75,
            k if k.intersects(Concepts::P_GROUP) => 0.7,
            _ => 0.6,
        };
        s.take(v, "person_named_alone", p, p);
    }
    // "can a real person look at this?", "real human now": a qualified person asked for.
    // Not "you sound like a real person" or "is a real human reading this?".
    if qual
        && !poss1
        && kind.intersects(Concepts::P_STRONG | Concepts::P_SOMEONE)
        && (cbits.intersects(Concepts::MODAL | Concepts::PLEASE | Concepts::DESIRE) || len <= 4)
    {
        s.take(0.8, "qualified_person", p, p);
    }
    // "is there a real person here?", "gibt es einen echten Mitarbeiter?", "¿hay un humano de
    // verdad?": a qualified person asked for by existence.
    // Not "is there a real human reading these chats?": nothing may follow but a place.
    let ends = (p + 1..ce).all(|j| {
        doc.has(j, Concepts::PLEASE | Concepts::COURTESY)
            || matches!(
                doc.word(j),
                "here" | "hier" | "aqui" | "ici" | "ahi" | "ai" | "la" | "there" | "dort"
            )
    });
    if qual && !poss1 && kind.intersects(Concepts::P_STRONG) && ends && existential(doc, cs, p) {
        s.take(0.8, "qualified_person", p, p);
    }
    // "chama um atendente por favor", "fetch a human please": a short polite order.
    if !poss1
        && kind.intersects(Concepts::P_STRONG)
        && cbits.intersects(Concepts::PLEASE)
        && len <= 6
    {
        s.take(0.75, "person_named_alone", p, p);
    }
    // "someone from sales", "alguien de soporte" with a wish or a modal: a named team.
    if kind.intersects(Concepts::P_SOMEONE)
        && cbits.intersects(Concepts::MODAL | Concepts::DESIRE)
        && p + 2 < ce
        && matches!(
            doc.word(p + 1),
            "from" | "de" | "del" | "du" | "da" | "do" | "aus" | "von"
        )
        && (doc.has(p + 2, Concepts::P_GROUP) || doc.has(p + 3, Concepts::P_GROUP))
    {
        s.take(0.8, "named_team", p, p + 2);
    }
    if modal_frame(doc, p, cs, ce, kind) {
        s.take(0.8, "modal_frame", p, p);
    }
    if !poss1
        && kind.intersects(Concepts::P_STRONG | Concepts::P_SOMEONE)
        && let Some(v) = sought_to_talk_with(doc, p, cs, ce)
    {
        s.take(0.8, "contact_verb", v, p);
    }
    if !poss1
        && kind.intersects(Concepts::P_STRONG | Concepts::P_GROUP)
        && let Some(v) = brought_in(doc, cs, ce)
    {
        s.take(0.75, "wish_for_person", v, p);
    }
    if !poss1
        && kind.intersects(Concepts::P_STRONG | Concepts::P_SOMEONE)
        && available(doc, p, cs, ext)
    {
        let base: f32 = if kind.intersects(Concepts::P_STRONG) {
            0.85
        } else {
            0.7
        };
        let v = if cbits.intersects(Concepts::INFO) {
            base * 0.6
        } else {
            base
        };
        s.take(v, "availability", p, p);
    }
}

/// The person at `p` is sought to talk with: "where can I find a real person to talk to?",
/// "¿dónde encuentro una persona real para hablar?", "uma pessoa de verdade pra conversar".
/// Returns the contact verb.
fn sought_to_talk_with(doc: &Doc<'_>, p: usize, cs: usize, ce: usize) -> Option<usize> {
    let mut k = p + 1;
    while k < ce
        && (doc.has(k, Concepts::QUAL) || matches!(doc.word(k), "de" | "verdad" | "verdade"))
        && k < p + 4
    {
        k += 1;
    }
    let purpose = k + 1 < ce
        && matches!(
            doc.word(k),
            "to" | "para" | "pra" | "pour" | "zum" | "zu" | "a"
        )
        && doc.has(k + 1, Concepts::CONTACT)
        && !doc.has(k + 1, Concepts::CONTACT_ING | Concepts::CONTACT_STATE);
    (purpose && !(cs..ce).any(|j| doc.has(j, Concepts::NEG))).then_some(k + 1)
}

/// A person or team asked to be brought in: "please get customer support involved", "faites
/// intervenir le service client", "chamem o atendimento ao cliente". Not negated or asked;
/// returns the verb.
fn brought_in(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<usize> {
    if (cs..ce).any(|j| doc.has(j, Concepts::NEG | Concepts::QWORD)) {
        return None;
    }
    (cs..ce).find(|&j| is_involve_verb(doc, j, cs))
}

/// "I'd like to speak with Maria from billing", "kann ich mit Herrn Weber sprechen?": the visitor
/// asks to talk to someone by name. The visitor is the one who talks (a wish, or "I" with a
/// modal), so "can you call Maria" is not one.
fn named_person(
    doc: &Doc<'_>,
    cs: usize,
    ce: usize,
    cbits: Concepts,
    negated: &dyn Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let first_person = (cs..ce).any(|j| {
        matches!(
            doc.word(j),
            "i" | "ich" | "je" | "yo" | "eu" | "puedo" | "posso" | "puis" | "let"
        )
    });
    let asks =
        cbits.intersects(Concepts::DESIRE) || (cbits.intersects(Concepts::MODAL) && first_person);
    if !asks {
        return None;
    }
    let name =
        |j: usize| j > cs && doc.toks[j].flags & F_NUMBER == 0 && is_unknown_capitalised(doc, j);
    for v in cs..ce {
        if !doc.has(v, Concepts::CONTACT)
            || doc.has(v, Concepts::CONTACT_ING | Concepts::CONTACT_STATE)
            || negated(v)
        {
            continue;
        }
        // After the verb ("speak with Maria") or before it, German verb-last ("mit Maria
        // sprechen"); titles ("Herrn", "Mr") may come between.
        let after = (v + 1..(v + 4).min(ce)).find(|&j| name(j));
        let before = (v.saturating_sub(3).max(cs)..v).find(|&j| name(j));
        // "über meine Bestellung reden": a German noun after a possessive or "about" is a topic,
        // not a name. (After an article it is whoever one talks with: "mit einem Mitarbieter".)
        let topic = |n: usize| {
            n > cs
                && (doc.has(n - 1, Concepts::POSS1 | Concepts::TOPIC)
                    || matches!(
                        doc.word(n - 1),
                        "my" | "mein"
                            | "meine"
                            | "meinen"
                            | "meiner"
                            | "unsere"
                            | "mi"
                            | "mon"
                            | "ma"
                            | "meu"
                            | "minha"
                    ))
        };
        if let Some(n) = after.or(before).filter(|&n| !topic(n)) {
            let linked = (v.min(n) + 1..v.max(n)).all(|j| {
                doc.has(j, Concepts::DET)
                    || matches!(doc.word(j), "mr" | "mrs" | "ms" | "herrn" | "frau")
            });
            if linked {
                return Some((v, n));
            }
        }
    }
    None
}

/// "I really need Dr Patel", "ich brauche Herrn Lange persönlich", "necesito al señor Ortega",
/// "j'ai besoin de M. Dubois", "il me faut M. Benali": the visitor needs someone by title and name. Only with a title, so
/// "I need Excel" is no one; not when the need is negated or the name owns something ("I need Dr
/// Patel's letter").
fn titled_person_needed(doc: &Doc<'_>) -> Option<RequestHit> {
    let n = doc.toks.len();
    let filler = |j: usize| {
        doc.has(j, Concepts::DET)
            || matches!(
                doc.word(j),
                "really"
                    | "specifically"
                    | "wirklich"
                    | "de"
                    | "do"
                    | "da"
                    | "al"
                    | "a"
                    | "mesmo"
                    | "realmente"
                    | "vraiment"
            )
    };
    let is_title = |j: usize| {
        matches!(
            doc.word(j),
            "mr" | "mrs"
                | "ms"
                | "dr"
                | "herr"
                | "herrn"
                | "frau"
                | "senor"
                | "senora"
                | "sr"
                | "sra"
                | "m"
                | "mme"
                | "monsieur"
                | "madame"
        )
    };
    let is_need = |j: usize| {
        matches!(
            doc.word(j),
            "need" | "brauche" | "benotige" | "necesito" | "preciso" | "besoin" | "faut"
        )
    };
    if !(0..n).any(is_need) {
        return None;
    }
    for c in &doc.clauses {
        let (cs, ce) = (c.start, c.end);
        let Some(v) = (cs..ce).find(|&j| is_need(j)) else {
            continue;
        };
        let neg = negation_mask(doc, cs, ce);
        if v - cs < 64 && neg & (1u64 << (v - cs)) != 0 {
            continue;
        }
        let Some(t) = (v + 1..(v + 4).min(ce)).find(|&j| is_title(j)) else {
            continue;
        };
        // "M. Dubois", "Sr. Almeida": the title's full stop may end the clause.
        let name = t + 1;
        if name < n
            && doc.toks[name].flags & F_NUMBER == 0
            && is_unknown_capitalised(doc, name)
            && (v + 1..t).all(filler)
            && !(name + 1 < n && doc.word(name + 1) == "s")
            && hypothetical(doc, cs, v).is_none()
        {
            return Some(RequestHit {
                score: 0.8,
                start: cs,
                end: ce,
                family: "named_person",
                cue: v,
                head: name,
            });
        }
    }
    None
}

fn existential(doc: &Doc<'_>, cs: usize, p: usize) -> bool {
    (cs..p).any(|j| {
        let w = doc.word(j);
        let next = if j + 1 < p { doc.word(j + 1) } else { "" };
        matches!(w, "hay" | "tem")
            || (w == "gibt" && next == "es")
            || (matches!(w, "is" | "are") && next == "there")
            || (w == "y" && next == "a")
    })
}

/// "customer service", "Kundenservice", "atención al cliente", "SAC": the support team as such.
fn is_customer_care(doc: &Doc<'_>, p: usize) -> bool {
    let w = doc.word(p);
    let prev = if p > 0 { doc.word(p - 1) } else { "" };
    matches!(
        w,
        "kundenservice" | "kundendienst" | "kundensupport" | "sac"
    ) || (matches!(w, "service" | "support" | "care") && prev == "customer")
        || (matches!(w, "client" | "clientele") && prev == "service")
        || (w == "cliente" && matches!(prev, "al" | "ao"))
}

/// "could you be a real person?", "may I ask if you're an AI or a human?", "would you describe
/// yourself as human?", "ich muss wissen, ob du ein Mensch bist", "¿podrías ser una persona
/// real?", "is there a human behind this chat?": a question about what the bot is, asked in a
/// modal or embedded form. Not when a wish, contact or transfer follows the "you" ("are you a bot
/// I want a human"). Returns the "you" word.
pub(super) fn nature_question(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<usize> {
    let mut found = None;
    for y in cs..ce {
        let w = doc.word(y);
        if is_you_be(w) || w == "yourself" {
            found = Some(y);
            continue;
        }
        if !is_you(w) {
            continue;
        }
        let lo = y.saturating_sub(2).max(cs);
        let hi = (y + 8).min(ce);
        if (lo..hi).any(|j| j != y && is_be(doc.word(j))) {
            found = Some(y);
        }
    }
    // "is there a human behind this chat?"
    let behind = (cs..ce).find(|&j| {
        doc.has(j, Concepts::P_STRONG | Concepts::P_SOMEONE)
            && j + 1 < ce
            && matches!(
                doc.word(j + 1),
                "behind" | "hinter" | "derriere" | "detras" | "atras"
            )
    });
    let y = found.or(behind)?;
    let about = (y..ce).any(|j| {
        doc.has(
            j,
            Concepts::P_STRONG | Concepts::P_SOMEONE | Concepts::QUAL | Concepts::BOTNOUN,
        )
    });
    let asks = (y + 1..ce).any(|j| {
        doc.has(
            j,
            Concepts::DESIRE | Concepts::TRANSFER | Concepts::CALLBACK | Concepts::PLEASE,
        ) || doc.has(j, Concepts::CONTACT)
            && !doc.has(j, Concepts::CONTACT_ING | Concepts::CONTACT_STATE)
    });
    (about && !asks).then_some(y)
}

fn is_you(w: &str) -> bool {
    matches!(
        w,
        "you" | "u" | "vous" | "tu" | "du" | "sie" | "usted" | "voce" | "vc" | "podrias"
    )
}

/// A second-person "be" in one word: "eres", "bist", "êtes".
fn is_you_be(w: &str) -> bool {
    matches!(w, "eres" | "bist" | "etes" | "sos")
}

fn is_be(w: &str) -> bool {
    matches!(
        w,
        "be" | "being"
            | "are"
            | "re"
            | "r"
            | "sein"
            | "sind"
            | "bist"
            | "etre"
            | "etes"
            | "es"
            | "ser"
            | "eres"
            | "sea"
            | "seas"
            | "e"
            | "seja"
            | "describe"
            | "consider"
    )
}

/// After a question about the bot, "I need to talk to one", "quiero hablar con uno": a wish or
/// contact verb whose person is a pronoun.
fn anaphoric_request(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<RequestHit> {
    let last = ce - 1;
    let pron = matches!(
        doc.word(last),
        "one" | "them" | "uno" | "una" | "einem" | "einen" | "un" | "une" | "um" | "uma"
    );
    let verb = (cs..last).find(|&j| {
        doc.has(j, Concepts::DESIRE | Concepts::CONTACT)
            && !doc.has(
                j,
                Concepts::CONTACT_ING | Concepts::CONTACT_STATE | Concepts::NEG,
            )
    })?;
    let neg = (cs..last).any(|j| doc.has(j, Concepts::NEG));
    (pron && !neg).then_some(RequestHit {
        score: 0.8,
        start: cs,
        end: ce,
        family: "contact_verb",
        cue: verb,
        head: last,
    })
}

/// A contact verb whose object is a pronoun standing for people named in the clause before:
/// "I want to talk to them", "je voudrais leur parler", "will ich einen sprechen", "quiero hablar
/// con ellos". Asked for (a wish, a modal or a please) and not negated.
fn anaphoric_contact(doc: &Doc<'_>, cs: usize, ce: usize, cbits: Concepts) -> Option<RequestHit> {
    if !cbits.intersects(Concepts::DESIRE | Concepts::MODAL | Concepts::PLEASE)
        || cbits.intersects(Concepts::NEG)
    {
        return None;
    }
    let v = (cs..ce).find(|&v| {
        doc.has(v, Concepts::CONTACT)
            && !doc.has(v, Concepts::CONTACT_ING | Concepts::CONTACT_STATE)
    })?;
    // Before the verb: a French clitic ("leur parler") or a German object ("einen sprechen").
    let before = v > cs && is_object_pronoun(doc.word(v - 1));
    // After it, past a preposition: "talk to them", "hablar con ellos", "falar com eles".
    let after = (v + 1..(v + 3).min(ce))
        .take_while(|&k| is_object_pronoun(doc.word(k)) || doc.has(k, Concepts::DET))
        .find(|&k| is_object_pronoun(doc.word(k)))
        .filter(|&k| k + 1 == ce || doc.has(k + 1, Concepts::PLEASE | Concepts::COURTESY));
    let pron = after.or(before.then(|| v - 1))?;
    Some(RequestHit {
        score: 0.8,
        start: cs,
        end: ce,
        family: "contact_verb",
        cue: v,
        head: pron,
    })
}

/// A wish whose object is a pronoun for people just asked about: "do you have live agents? I
/// need one", "¿tienen asesores? quiero uno". The pronoun ends the clause right after the wish.
fn anaphoric_wish(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<RequestHit> {
    let last = ce - 1;
    if last <= cs
        || !matches!(
            doc.word(last),
            "one" | "uno" | "una" | "einen" | "eine" | "un" | "une" | "um" | "uma"
        )
        || (cs..last).any(|j| doc.has(j, Concepts::NEG))
    {
        return None;
    }
    let d = last - 1;
    doc.has(d, Concepts::DESIRE).then_some(RequestHit {
        score: 0.8,
        start: cs,
        end: ce,
        family: "wish_for_person",
        cue: d,
        head: last,
    })
}

/// A pronoun that can stand for people just named: "them", "one", "leur", "einen", "ellos".
fn is_object_pronoun(w: &str) -> bool {
    matches!(
        w,
        "them"
            | "one"
            | "someone"
            | "leur"
            | "lui"
            | "eux"
            | "ihnen"
            | "einen"
            | "einem"
            | "jemanden"
            | "jemandem"
            | "denen"
            | "ellos"
            | "ellas"
            | "uno"
            | "alguno"
            | "eles"
            | "elas"
    )
}

/// The clause asks about people at the business: a question ("is there an actual team behind
/// this?", "y a-t-il de vrais gens chez vous ?", "is anyone there from the team?") naming a
/// person, a team or people.
fn asks_about_people(doc: &Doc<'_>, cs: usize, ce: usize) -> bool {
    let asked = doc.question_mark_after(ce - 1);
    asked
        && (cs..ce).any(|p| {
            person_kind(doc, p, cs, ce).is_some()
                || matches!(
                    doc.word(p),
                    "team"
                        | "people"
                        | "gens"
                        | "gente"
                        | "leute"
                        | "menschen"
                        | "equipe"
                        | "equipo"
                )
        })
        && !(cs..ce).any(|j| doc.has(j, Concepts::POSS1))
}

/// After a refused bot, a clause that opens with a contrast and names a person: "sondern einen
/// Menschen", "sino una persona", "but a real person", "mais un humain".
fn contrast_person(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<RequestHit> {
    if !matches!(
        doc.word(cs),
        "sondern" | "sino" | "but" | "mais" | "mas" | "instead" | "rather" | "lieber"
    ) {
        return None;
    }
    let p = (cs + 1..ce).find(|&p| person_kind(doc, p, cs, ce).is_some())?;
    if (cs..p).any(|j| doc.has(j, Concepts::NEG)) {
        return None;
    }
    Some(RequestHit {
        score: 0.85,
        start: cs,
        end: ce,
        family: "wish_for_person",
        cue: cs,
        head: p,
    })
}

/// The person concept of token `p`, if it is a person word in the sense of someone to talk to.
fn person_kind(doc: &Doc<'_>, p: usize, cs: usize, ce: usize) -> Option<Concepts> {
    let t = doc.toks[p];
    let tb = doc.bits(p);
    let kind = tb & Concepts::P_ANY;
    if kind.is_empty() || tb.intersects(Concepts::BLOCKED) {
        return None;
    }
    let prev = (p > cs).then(|| doc.toks[p - 1]);
    // French "personne" is also "nobody": only "une/la/cette/vraie personne" is a person.
    if doc.word(p) == "personne"
        && !prev.is_some_and(|_| {
            matches!(
                doc.word(p - 1),
                "une" | "la" | "cette" | "vraie" | "veritable" | "reelle" | "autre" | "seule"
            )
        })
    {
        return None;
    }
    // "the agent's email": possessive, unless it is the agent's help being asked for.
    if t.flags & F_APOS_AFTER != 0 && p + 1 < doc.toks.len() && doc.word(p + 1) == "s" {
        if !doc.has(p + 2, Concepts::HELPWORD) {
            return None;
        }
    } else if t.flags & F_HYPHEN_AFTER != 0
        && p + 1 < ce
        && !doc.has(p + 1, Concepts::ME | Concepts::PRON | Concepts::P_ANY)
    {
        // "human-readable", "agent-based": a compound modifier.
        return None;
    }
    if p + 1 < ce && doc.has(p + 1, Concepts::BLOCK_NEXT) && !doc.has(p + 1, Concepts::COVERED) {
        return None;
    }
    if let Some(pt) = prev {
        let pb = doc.bits(p - 1);
        // "200 agents", "several managers": a count, not someone to talk to. ("talk 2 human" is
        // "to", not a count.)
        let texted_to = matches!(doc.word(p - 1), "2" | "4")
            && p > cs + 1
            && doc.has(
                p - 2,
                Concepts::CONTACT | Concepts::TRANSFER | Concepts::DESIRE,
            );
        if (pt.flags & F_NUMBER != 0 || pb.intersects(Concepts::NUMWORD)) && !texted_to {
            return None;
        }
        // "a lot of people", "un montón de personas": a quantity before "of".
        if p > cs + 1
            && matches!(doc.word(p - 1), "of" | "de" | "von")
            && doc.has(p - 2, Concepts::NUMWORD)
        {
            return None;
        }
        if tb.intersects(Concepts::MOD_SENSITIVE) && !tb.intersects(Concepts::COVERED) {
            // "the gate agent", "a password manager", "an AI agent": an unknown or machine
            // modifier changes the sense of agent/operator/manager.
            if pb.intersects(Concepts::BOTNOUN) || (pb.is_empty() && pt.flags & F_NUMBER == 0) {
                return None;
            }
        }
    }
    if tb.intersects(Concepts::MOD_SENSITIVE) && p + 2 < ce {
        // "agente de la aduana", "agent de la banque": a Romance "de" modifier not about service.
        let w1 = doc.word(p + 1);
        if matches!(w1, "de" | "d" | "del" | "du" | "do" | "da" | "des") {
            let mut q = p + 2;
            if q + 1 < ce
                && doc.has(q, Concepts::DET)
                && !doc.has(q, Concepts::MOD_OK | Concepts::P_GROUP)
            {
                q += 1;
            }
            // "el encargado de la tienda", "o gerente da loja": the business's own place.
            if doc.bits(q).is_empty() && !is_own_place(doc.word(q)) {
                return None;
            }
        }
    }
    Some(kind)
}

/// "I'm a travel agent", "soy agente", "je suis conseiller": the visitor says what they are.
fn is_identity(doc: &Doc<'_>, p: usize, cs: usize) -> bool {
    let lo = p.saturating_sub(4).max(cs);
    for j in (lo..p).rev() {
        let b = doc.bits(j);
        if b.intersects(Concepts::IDENTITY) {
            return true;
        }
        if !b.intersects(Concepts::DET | Concepts::QUAL | Concepts::MOD_OK | Concepts::COVERED)
            && !b.is_empty()
        {
            return false;
        }
    }
    false
}

/// A real/live/actual qualifier next to the person word ("a real person", "persona real",
/// "einen echten Menschen", "pessoa de verdade").
fn qualified(doc: &Doc<'_>, p: usize, cs: usize, ce: usize) -> bool {
    let lo = p.saturating_sub(3).max(cs);
    for j in (lo..p).rev() {
        if doc.has(j, Concepts::QUAL) && !doc.has(j, Concepts::P_ANY)
            || (doc.has(j, Concepts::QUAL) && j + 1 == p)
        {
            return true;
        }
        // "einen echten Support-Mitarbeiter": a service modifier may sit in between.
        if !doc.has(
            j,
            Concepts::DET | Concepts::COVERED | Concepts::MOD_OK | Concepts::P_GROUP,
        ) {
            break;
        }
    }
    let hi = (p + 3).min(ce);
    (p + 1..hi).any(|j| doc.has(j, Concepts::QUAL) && !doc.has(j, Concepts::P_ANY))
}

/// A contact or transfer verb up to seven words before the person ("talk to one of your human
/// agents", "hablar con alguien", "mettez-moi en relation avec un conseiller").
fn contact_before(
    doc: &Doc<'_>,
    p: usize,
    cs: usize,
    cbits: Concepts,
    botq: bool,
) -> Option<usize> {
    let lo = p.saturating_sub(7).max(cs);
    for j in (lo..p).rev() {
        let b = doc.bits(j);
        if b.intersects(Concepts::TOPIC) {
            return None;
        }
        if !b.intersects(Concepts::CONTACT | Concepts::TRANSFER | Concepts::CONTACT_STATE) {
            if b.intersects(Concepts::PASSIVE) && passive_request(doc, j, cs, p) {
                return Some(j);
            }
            continue;
        }
        if b.intersects(Concepts::CONTACT_STATE)
            && (botq
                || !cbits.intersects(Concepts::QWORD | Concepts::DESIRE | Concepts::MODAL)
                || embedded_question(doc, cs, j))
        {
            // "¿hablo con una persona?" describes the chat; "¿cómo hablo con un asesor?" asks.
            return None;
        }
        // "tô sendo atendido por uma pessoa?", "am I being served by a human?": a state.
        if j > cs && matches!(doc.word(j - 1), "being" | "sendo" | "siendo" | "etant") {
            return None;
        }
        // "I was able to reach customer service", "I managed to talk to an agent": done.
        if managed(doc, j, cs) {
            return None;
        }
        // "am I talking to a human?", "I was speaking with an agent": a state, not a wish.
        if b.intersects(Concepts::CONTACT_ING) && (botq || ongoing(doc, j, cs)) {
            return None;
        }
        // "an automated chat", "the call", "a message": a noun, not a verb. Not after a person
        // ("que alguien le llame": "le" is a pronoun there).
        let after_person = j >= cs + 2 && doc.has(j - 2, Concepts::P_ANY);
        // ("have a word with", "book a call with": the article belongs to the verb phrase.)
        let article = j > cs && is_article(doc.word(j - 1)) && !doc.has(j - 1, Concepts::COVERED);
        if !after_person && (article || j > cs && doc.has(j - 1, Concepts::BOTNOUN)) {
            continue;
        }
        // "parler de", "hablar de", "falar do": talking about the person, not to them.
        if j + 1 < p
            && matches!(
                doc.word(j + 1),
                "de" | "d" | "del" | "du" | "des" | "do" | "da"
            )
        {
            return None;
        }
        // "pass the message to the human": an ambiguous transfer verb moving a thing, not the
        // visitor.
        if b.intersects(Concepts::TRANSFER)
            && !is_bare_transfer(doc.word(j))
            && moves_a_thing(doc, j, p)
        {
            return None;
        }
        // "I talk to a lot of people about it": a habit, not a request (but "how do I talk",
        // "can I talk" ask).
        if j == cs + 1
            && matches!(doc.word(cs), "i" | "we" | "they")
            && !cbits
                .intersects(Concepts::PLEASE | Concepts::DESIRE | Concepts::MODAL | Concepts::QWORD)
        {
            return None;
        }
        return Some(j);
    }
    None
}

/// The person at `p` is the one the visitor is talking to right now: "could I be talking to an
/// actual person?", "I wonder if I'm speaking with a real human". A state asked about, not a
/// wish: only articles, qualifiers and prepositions stand between the verb and the person.
fn talked_to_now(doc: &Doc<'_>, p: usize, cs: usize) -> bool {
    let mut j = p;
    while j > cs && doc.has(j - 1, Concepts::DET | Concepts::QUAL) && p - j < 4 {
        j -= 1;
    }
    j > cs
        && doc.has(j - 1, Concepts::CONTACT_ING)
        && (ongoing(doc, j - 1, cs) || embedded_question(doc, cs, j - 1))
}

/// The person at `p` is inside a question the visitor wants answered, with nothing asked of
/// them: "I'd love to know if there's a real human typing", "j'aimerais savoir si vous êtes une
/// vraie personne", "ich frage mich, ob hier ein Mensch antwortet". (But "I'd like to know if I
/// can talk to a human" or "... if an agent is available" asks: a modal, wish, contact verb,
/// call back or availability inside it.)
fn in_embedded_question(doc: &Doc<'_>, p: usize, cs: usize, ce: usize) -> bool {
    let Some(k) = (cs..p)
        .rev()
        .find(|&k| matches!(doc.word(k), "if" | "whether" | "si" | "ob" | "se"))
    else {
        return false;
    };
    let knowing = (k.saturating_sub(3).max(cs)..k).any(|j| {
        matches!(
            doc.word(j),
            "know"
                | "wonder"
                | "ask"
                | "curious"
                | "sure"
                | "tell"
                | "wissen"
                | "frage"
                | "fragen"
                | "savoir"
                | "demande"
                | "saber"
                | "pregunto"
                | "preguntar"
                | "pergunto"
                | "perguntar"
        )
    });
    let asks = (k + 1..ce).any(|j| {
        doc.has(
            j,
            Concepts::MODAL
                | Concepts::DESIRE
                | Concepts::TRANSFER
                | Concepts::CALLBACK
                | Concepts::AVAIL,
        ) || doc.has(j, Concepts::CONTACT)
            && !doc.has(j, Concepts::CONTACT_ING | Concepts::CONTACT_STATE)
    });
    knowing && !asks
}

/// "if", "whether", "si", "ob", "se" before `j`: the verb is in an embedded question ("pourrais-je
/// savoir si je parle à un humain ?", "I wonder if I'm speaking to a person"), so the modal or
/// wish before it asks to know, not to talk.
fn embedded_question(doc: &Doc<'_>, cs: usize, j: usize) -> bool {
    (cs..j).any(|k| matches!(doc.word(k), "if" | "whether" | "si" | "ob" | "se"))
}

/// The contact verb at `j` reports contact already made: "was able to reach", "managed to talk",
/// "finally got to speak", "j'ai réussi à joindre", "consegui falar".
fn managed(doc: &Doc<'_>, j: usize, cs: usize) -> bool {
    (j.saturating_sub(3).max(cs)..j).any(|k| {
        matches!(
            doc.word(k),
            "able" | "managed" | "finally" | "reussi" | "consegui" | "logre" | "geschafft"
        )
    }) && !(cs..j).any(|k| doc.has(k, Concepts::NEG | Concepts::QWORD))
}

/// The -ing contact verb at `j` describes a chat going on: "am I talking", "I was speaking",
/// Portuguese "tô falando".
fn ongoing(doc: &Doc<'_>, j: usize, cs: usize) -> bool {
    // "could I be talking to a person?", "might I be speaking with a machine?"
    (j > cs
        && (doc.has(j - 1, Concepts::BE_AUX | Concepts::BEYOU | Concepts::IDENTITY)
            || doc.word(j - 1) == "be"))
        || (j >= cs + 2
            && doc.has(j - 2, Concepts::BE_AUX)
            && doc.has(j - 1, Concepts::PRON | Concepts::ADV))
        // Portuguese "tô/tá falando" (estou/está), folded to "to"/"ta".
        || (j > cs
            && matches!(doc.word(j - 1), "to" | "tou" | "ta")
            && doc.word(j).ends_with("ando"))
}

/// The ambiguous transfer verb at `j` moves something other than the visitor or their chat to
/// the person at `p`: "pass the message to the human" (but "pass my case to an agent" asks).
fn moves_a_thing(doc: &Doc<'_>, j: usize, p: usize) -> bool {
    let filler = Concepts::ME
        | Concepts::PRON
        | Concepts::DET
        | Concepts::QUAL
        | Concepts::MOD_OK
        | Concepts::P_GROUP
        | Concepts::COVERED
        | Concepts::ADV
        | Concepts::PLEASE
        | Concepts::POSS1;
    (j + 1..p).any(|k| !doc.has(k, filler) && !is_own_chat(doc.word(k)))
}

/// The visitor's own conversation or case, which may be handed on: "chat", "ticket", "caso".
fn is_own_chat(w: &str) -> bool {
    matches!(
        w,
        // "pass this on to a human", "das an einen Menschen weitergeben": the visitor's issue.
        "this"
            | "it"
            | "das"
            | "ca"
            | "cela"
            | "esto"
            | "eso"
            | "isso"
            | "isto"
            | "chat"
            | "conversation"
            | "case"
            | "ticket"
            | "call"
            | "request"
            | "issue"
            | "question"
            | "complaint"
            | "conversa"
            | "caso"
            | "chamado"
            | "conversacion"
            | "consulta"
            | "demande"
            | "dossier"
            | "anfrage"
            | "fall"
            | "gesprach"
            | "chamada"
            | "llamada"
            | "appel"
    )
}

/// A contact verb right after the person: German verb-final ("mit einem Mitarbeiter sprechen"),
/// "a human to talk to", "can a human call me".
fn contact_after(doc: &Doc<'_>, p: usize, ce: usize) -> Option<usize> {
    let hi = (p + 5).min(ce);
    for j in p + 1..hi {
        let b = doc.bits(j);
        // "je veux qu'un conseiller me parle", "qu'un conseiller l'appelle": after "que" the
        // present form is a wish, not a description of the chat or a participle.
        let after_que = (p.saturating_sub(3)..p).any(|k| matches!(doc.word(k), "qu" | "que"));
        let wished = (p.saturating_sub(6)..p).any(|k| doc.has(k, Concepts::DESIRE));
        if after_que
            && wished
            && j > p + 1
            && matches!(
                doc.word(j - 1),
                "me" | "m" | "l" | "le" | "la" | "lui" | "nous"
            )
            && matches!(
                doc.word(j),
                "appelle" | "contacte" | "parle" | "rappelle" | "ecrive" | "joigne" | "aide"
            )
        {
            return Some(j);
        }
        if b.intersects(Concepts::CONTACT | Concepts::TRANSFER)
            && !b.intersects(Concepts::CONTACT_ING | Concepts::CONTACT_STATE)
        {
            // "the agent on the phone": a noun; "people call me Sam": a name.
            // ("que alguien le llame": "le" right after the person is a pronoun.)
            let pronoun = j == p + 2 && matches!(doc.word(j - 1), "le" | "la" | "lo" | "les" | "l");
            let noun = j > p + 1
                && is_article(doc.word(j - 1))
                && !doc.has(j - 1, Concepts::COVERED)
                && !pronoun;
            let language = j + 1 < ce && is_language(doc.word(j + 1));
            return (!noun && !language && !names_the_visitor(doc, j, ce)).then_some(j);
        }
        if b.intersects(Concepts::PASSIVE) && passive_request(doc, j, p, ce) {
            return Some(j);
        }
        // French elided pronouns: "qu'un conseiller m'appelle", "l'appelle".
        if !b.intersects(
            Concepts::DET | Concepts::PRON | Concepts::MODAL | Concepts::ME | Concepts::COVERED,
        ) && !matches!(doc.word(j), "m" | "l")
        {
            return None;
        }
    }
    None
}

/// "qu'on le rappelle", "that you call her back", "dass man ihn zurückruft": a callback to a
/// third person in a clause of its own (someone else calls), not "je veux le rappeler" (the
/// visitor calls).
fn someone_calls_them(doc: &Doc<'_>, t: usize, cs: usize) -> bool {
    t > cs
        && matches!(
            doc.word(t - 1),
            "le" | "la" | "lui" | "lo" | "ihn" | "sie" | "him" | "her" | "them" | "o" | "a" | "lhe"
        )
        && (t.saturating_sub(4).max(cs)..t - 1)
            .any(|k| matches!(doc.word(k), "que" | "qu" | "dass" | "that"))
}

/// A callback asked for as a thing, with no one named: "ich bitte um Rückruf", "request a
/// callback", "je demande un rappel".
fn is_callback_noun(w: &str) -> bool {
    matches!(w, "callback" | "ruckruf" | "rueckruf" | "rappel")
}

/// "do your operators speak Spanish?": the language a person speaks, not a wish to speak.
fn is_language(w: &str) -> bool {
    matches!(
        w,
        "english"
            | "spanish"
            | "french"
            | "german"
            | "portuguese"
            | "italian"
            | "ingles"
            | "espanol"
            | "castellano"
            | "frances"
            | "aleman"
            | "portugues"
            | "anglais"
            | "espagnol"
            | "allemand"
            | "portugais"
            | "englisch"
            | "spanisch"
            | "franzosisch"
            | "deutsch"
            | "portugiesisch"
            | "espanhol"
            | "alemao"
    )
}

/// "people call me Sam", "everyone calls me Jo": the verb names the visitor.
fn names_the_visitor(doc: &Doc<'_>, v: usize, ce: usize) -> bool {
    let verb = doc.word(v);
    (is_phone_verb(verb) || verb.starts_with("call"))
        && v + 2 < ce
        && doc.has(v + 1, Concepts::ME)
        && is_unknown_capitalised(doc, v + 2)
}

/// A capitalised word the lexicon does not know: most likely a name ("Sam", "Nacho").
fn is_unknown_capitalised(doc: &Doc<'_>, k: usize) -> bool {
    doc.bits(k).is_empty()
        && doc
            .orig_word(k)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
}

/// A place that is the business itself, after "de": "la tienda", "la loja", "le magasin".
fn is_own_place(w: &str) -> bool {
    matches!(
        w,
        "tienda"
            | "sucursal"
            | "local"
            | "empresa"
            | "loja"
            | "lojas"
            | "filial"
            | "magasin"
            | "boutique"
            | "entreprise"
            | "societe"
    )
}

/// Spanish and Portuguese ways of giving the name to use, "llámame Nacho", "pode me chamar de
/// Juca", "chama-me Zé", "me dicen Pepe": the verb of calling names the visitor, it asks for no
/// call. Only before a capitalised word the lexicon does not know, so "llámame, por favor" and
/// "me chame um atendente" keep their sense.
fn names_the_visitor_by_clitic(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<usize> {
    let is_name = |k: usize| k < ce && is_unknown_capitalised(doc, k);
    (cs..ce).find(|&v| {
        let me_before = v > cs && doc.word(v - 1) == "me";
        match doc.word(v) {
            "llamame" | "llameme" | "llamenme" => is_name(v + 1),
            "llaman" | "dicen" => me_before && is_name(v + 1),
            "chamar" | "chame" | "chamem" | "chamam" | "chama" => {
                let after = if v + 1 < ce && doc.word(v + 1) == "me" {
                    v + 2
                } else if me_before {
                    v + 1
                } else {
                    return false;
                };
                let name = if after < ce && doc.word(after) == "de" {
                    after + 1
                } else {
                    after
                };
                is_name(name)
            }
            _ => false,
        }
    })
}

/// A wish a few words before the person: "I want a human", "get me someone", "necesito un
/// agente", "ich brauche einen Ansprechpartner", "need help from a person".
fn desire_before(doc: &Doc<'_>, p: usize, cs: usize) -> Option<usize> {
    let lo = p.saturating_sub(5).max(cs);
    for j in (lo..p).rev() {
        let b = doc.bits(j);
        if b.intersects(Concepts::DESIRE)
            || (b.intersects(Concepts::HAVE) && after_wish(doc, j, cs))
        {
            return Some(j);
        }
        let filler = Concepts::DET
            | Concepts::QUAL
            | Concepts::ME
            | Concepts::PLEASE
            | Concepts::MOD_OK
            | Concepts::P_GROUP
            | Concepts::HELPWORD
            | Concepts::COVERED
            | Concepts::ADV
            | Concepts::COURTESY
            | Concepts::PRON;
        let thanks = matches!(
            doc.word(j),
            "thank" | "thanks" | "merci" | "danke" | "gracias" | "obrigado" | "obrigada"
        );
        if (b.intersects(filler) && !thanks) || (j + 1 == p && b.is_empty()) {
            continue;
        }
        return None;
    }
    None
}

/// "have/avoir/tener" right after a modal or a wish: "is it possible to have a human", "est-il
/// possible d'avoir un conseiller", "¿puedo tener un agente?".
fn after_wish(doc: &Doc<'_>, j: usize, cs: usize) -> bool {
    let lo = j.saturating_sub(3).max(cs);
    (lo..j).any(|k| doc.has(k, Concepts::MODAL | Concepts::DESIRE))
}

/// A passive transfer asked for: "could I be transferred", "I'd like to be connected", "posso ser
/// transferido", "être mis en relation", "verbunden werden".
fn passive_request(doc: &Doc<'_>, j: usize, cs: usize, ce: usize) -> bool {
    let be = |w: &str| matches!(w, "be" | "get" | "ser" | "etre" | "estar" | "sein");
    let before = j > cs && be(doc.word(j - 1))
        || (j > cs + 1 && be(doc.word(j - 2)) && doc.has(j - 1, Concepts::ADV));
    let after = j + 1 < ce && matches!(doc.word(j + 1), "werden" | "zu");
    // "I want this escalated", "I need my case transferred": a wish, its object, the participle.
    let wished = (j.saturating_sub(4).max(cs)..j).any(|d| {
        doc.has(d, Concepts::DESIRE)
            && (d + 1..j).all(|k| {
                doc.has(k, Concepts::PRON | Concepts::DET | Concepts::POSS1)
                    || matches!(
                        doc.word(k),
                        "case" | "ticket" | "issue" | "complaint" | "chat"
                    )
            })
    });
    before || after || wished
}

/// "ich möchte dem Mitarbeiter danken": a German wish whose verb comes last and is not about
/// talking to the person.
fn german_other_verb(doc: &Doc<'_>, d: usize, p: usize, ce: usize) -> bool {
    let german = matches!(
        doc.word(d),
        "mochte"
            | "moechte"
            | "will"
            | "wollen"
            | "brauche"
            | "brauchen"
            | "benotige"
            | "gern"
            | "gerne"
            | "mochten"
            | "wunsche"
            | "wuensche"
            | "muss"
    );
    german && p + 2 == ce && doc.bits(p + 1).is_empty()
}

/// "I need someone" asks for a person; "I need someone to fix my router" may not.
fn someone_after_desire(doc: &Doc<'_>, p: usize, ce: usize) -> f32 {
    if p + 2 < ce && doc.word(p + 1) == "to" {
        let b = doc.bits(p + 2);
        if !b.intersects(Concepts::CONTACT | Concepts::TRANSFER | Concepts::HELPWORD)
            && doc.word(p + 2) != "look"
        {
            return 0.5;
        }
    }
    0.8
}

/// The clause is nothing but a request: "human please", "live agent", "Mitarbeiter bitte".
fn keyword_clause(doc: &Doc<'_>, cs: usize, ce: usize) -> bool {
    let ok = Concepts::P_ANY
        | Concepts::QUAL
        | Concepts::DET
        | Concepts::PLEASE
        | Concepts::COURTESY
        | Concepts::ME
        | Concepts::MOD_OK
        | Concepts::AFFIRM
        | Concepts::HELPWORD
        | Concepts::COVERED;
    // A clause cut after an article or preposition is unfinished, not a bare request: "the
    // agent at the | car hire desk ..." ("car" also starts a French clause).
    let cut = doc.has(ce - 1, Concepts::DET)
        && !doc.has(
            ce - 1,
            Concepts::P_ANY | Concepts::PLEASE | Concepts::COURTESY | Concepts::ME,
        );
    // "nah just the agent thanks": an answer particle and "just" leave the person alone.
    let particle = |j: usize| {
        (j == cs && answer_particle(doc, j, ce)) || super::conversation::is_only(doc.word(j))
    };
    !cut && (cs..ce).all(|j| {
        (doc.has(j, ok) || particle(j)) && !doc.has(j, Concepts::POSS1 | Concepts::BLOCKED)
    })
}

/// "can an agent call me", "could someone phone me back".
fn modal_frame(doc: &Doc<'_>, p: usize, cs: usize, ce: usize, kind: Concepts) -> bool {
    // "if a human could take a look", "an agent can help me": a modal right after the person.
    // "un humain peut-il reprendre ?", "kann ein Mitarbeiter es übernehmen?": a pronoun may come
    // between the modal and the verb.
    let pron = p + 3 < ce
        && (doc.has(p + 2, Concepts::PRON)
            || matches!(doc.word(p + 2), "il" | "elle" | "er" | "he" | "she"));
    let v = if pron { p + 3 } else { p + 2 };
    if kind.intersects(Concepts::P_STRONG)
        && v < ce
        && doc.has(p + 1, Concepts::MODAL)
        && !doc.has(p + 2, Concepts::NEG)
        && (doc.has(
            v,
            Concepts::CONTACT | Concepts::HELPWORD | Concepts::CALLBACK,
        ) || is_handling_verb(doc.word(v)))
    {
        return true;
    }
    // "can an agent take over?", "let a human handle this", "could a real person look at it".
    let asker = |j: usize| doc.has(j, Concepts::MODAL) || (j == cs && doc.word(j) == "let");
    // A multi-word person ("a member of your team") starts at its first word.
    let mut q = p;
    while q > cs && doc.has(q - 1, Concepts::COVERED) {
        q -= 1;
    }
    let modal_before = (q > cs && asker(q - 1))
        || (q >= cs + 2 && asker(q - 2) && doc.has(q - 1, Concepts::DET | Concepts::QUAL));
    if !modal_before {
        return false;
    }
    let hi = (p + 3).min(ce);
    (p + 1..hi).any(|j| {
        let b = doc.bits(j);
        if kind.intersects(Concepts::P_STRONG) {
            b.intersects(Concepts::CONTACT | Concepts::TRANSFER | Concepts::HELPWORD)
                || is_handling_verb(doc.word(j))
        } else {
            // "can a member of your team take over?": a team may take the chat over.
            b.intersects(Concepts::CONTACT) && !b.intersects(Concepts::CONTACT_ING)
                || (kind.intersects(Concepts::P_GROUP) && is_takeover_verb(doc.word(j)))
        }
    })
}

/// A verb for a person taking the case over: "look", "take (over)", "handle", "übernehmen",
/// "reprendre", "encargarse", "assumir".
fn is_handling_verb(w: &str) -> bool {
    matches!(
        w,
        "look"
            | "take"
            | "check"
            | "review"
            | "assist"
            | "handle"
            | "fix"
            | "deal"
            | "reprendre"
            | "ubernehmen"
            | "ubernimmt"
            | "kummern"
            | "asumir"
            | "encargarse"
            | "encargue"
            | "ocuparse"
            | "assumir"
            | "retomar"
            | "cuidar"
    )
}

/// Bringing someone in: "involved" after "get", "intervenir", "intervenga", "einschalten" (or
/// "schalten ... ein"), "hinzuziehen", "chamem", "bring in", "loop in".
fn is_involve_verb(doc: &Doc<'_>, j: usize, cs: usize) -> bool {
    let w = doc.word(j);
    let next = if j + 1 < doc.toks.len() {
        doc.word(j + 1)
    } else {
        ""
    };
    matches!(
        w,
        "involve"
            | "involved"
            | "intervenir"
            | "intervienne"
            | "intervenga"
            | "intervengan"
            | "intervir"
            | "einschalten"
            | "hinzuziehen"
            | "chamem"
            | "chame"
    ) || (w == "schalten"
        && j >= cs
        && (j + 1..(j + 6).min(doc.toks.len())).any(|k| doc.word(k) == "ein"))
        || (matches!(w, "bring" | "loop" | "call") && next == "in")
}

/// Taking the chat over: "take (over)", "handle", "übernehmen", "reprendre", "assumir".
fn is_takeover_verb(w: &str) -> bool {
    matches!(
        w,
        "take"
            | "handle"
            | "ubernehmen"
            | "ubernimmt"
            | "reprendre"
            | "asumir"
            | "assumir"
            | "retomar"
    )
}

/// "is an agent available?", "any humans around?", "¿hay algún agente disponible?".
fn available(doc: &Doc<'_>, p: usize, cs: usize, ce: usize) -> bool {
    let hi = (p + 6).min(ce);
    for j in p + 1..hi {
        if doc.has(j, Concepts::AVAIL) {
            return true;
        }
        // Only "is/are", adverbs, a relative pronoun or the team may come between: "an agent
        // who is available", "einen Mitarbeiter, der gerade verfügbar ist", "anybody from your
        // support team online".
        if !doc.has(
            j,
            Concepts::BE_AUX
                | Concepts::AUX
                | Concepts::ADV
                | Concepts::PRON
                | Concepts::COURTESY
                | Concepts::DET
                | Concepts::P_GROUP
                | Concepts::MOD_OK
                | Concepts::COVERED,
        ) {
            return false;
        }
    }
    p > cs && doc.word(p - 1) == "available"
}

/// "transfer me", "pásame", "verbinden Sie mich", "escalate this": a transfer without naming the
/// person.
fn transfer_frame(
    doc: &Doc<'_>,
    cs: usize,
    ce: usize,
    cbits: Concepts,
    negated: &dyn Fn(usize) -> bool,
) -> (usize, f32) {
    let mut best = (cs, 0.0f32);
    for t in (cs..ce).filter(|&t| !negated(t)) {
        if let Some(v) = transfer_at(doc, t, cs, ce, cbits)
            && v > best.1
        {
            best = (t, v);
        }
    }
    // "transfer please", "weiterleiten bitte": the transfer verb alone.
    if best.1 == 0.0
        && let Some(t) = bare_transfer_clause(doc, cs, ce, negated)
    {
        best = (t, 0.8);
    }
    best
}

/// The score of a transfer at token `t` of the clause `[cs, ce)`: a passive ("could I be
/// transferred?"), a call back, "escalate" or a transfer verb with "me".
fn transfer_at(doc: &Doc<'_>, t: usize, cs: usize, ce: usize, cbits: Concepts) -> Option<f32> {
    let b = doc.bits(t);
    // "could I be transferred?", "ich möchte verbunden werden".
    if b.intersects(Concepts::PASSIVE)
        && passive_request(doc, t, cs, ce)
        && cbits.intersects(Concepts::DESIRE | Concepts::MODAL | Concepts::PLEASE | Concepts::QWORD)
        && (is_bare_transfer(doc.word(t))
            || b.intersects(Concepts::COVERED)
            || doc.word(t) == "verbunden")
    {
        return Some(0.85);
    }
    // "can someone call me back?", "request a callback", "Kann mich jemand zurückrufen?".
    if b.intersects(Concepts::CALLBACK)
        && (cbits.intersects(Concepts::DESIRE | Concepts::MODAL | Concepts::PLEASE)
            || wished_callback(doc, t, cs, ce))
        && callback_for_them(doc, t, cs, cbits)
    {
        return (!calls_a_thing(doc, t, ce)).then_some(0.8);
    }
    // Verbs of taking someone somewhere ("take me to a human") are read here only, by word: as
    // a concept they would make every bot offer to "take you to the page" an offer of a person.
    if !b.intersects(Concepts::TRANSFER) && !is_taking_verb(doc.word(t)) {
        return None;
    }
    if doc.word(t).starts_with("escal") {
        return escalation_verb(doc, t, ce).then_some(0.8);
    }
    transfer_me(doc, t, cs, ce).then_some(0.85)
}

/// A call back wished without a wish word: the subjunctive "que" ("que me devuelvan la
/// llamada", "pues que me llame el lunes", "qu'on me rappelle"), French "merci de" ("merci de
/// me rappeler au 06…"), or a phone number given with it ("call me back on 0412 555 019").
fn wished_callback(doc: &Doc<'_>, t: usize, cs: usize, ce: usize) -> bool {
    let que = (cs..t).any(|k| matches!(doc.word(k), "que" | "qu") && t - k <= 3 && k <= cs + 2);
    let merci_de = t >= cs + 2
        && (cs..t - 1).any(|k| doc.word(k) == "merci" && doc.word(k + 1) == "de" && t - k <= 3);
    let digits: usize = (t + 1..ce)
        .filter(|&k| doc.toks[k].flags & F_DIGIT != 0)
        .map(|k| doc.word(k).len())
        .sum();
    // A number after a call back asked for, not after one reported ("the callback on 0412 555
    // 019 never came") or asked about ("why did you call me back on …?").
    let told = !is_callback_noun(doc.word(t))
        && (cs..ce).all(|k| !doc.has(k, Concepts::NEG | Concepts::QWORD))
        && !doc.question_mark_after(ce - 1);
    que || merci_de || (digits >= 6 && told)
}

/// The call back at `t` is for the visitor: "call me back", "a callback", "can someone call".
fn callback_for_them(doc: &Doc<'_>, t: usize, cs: usize, cbits: Concepts) -> bool {
    cbits.intersects(Concepts::ME | Concepts::P_ANY)
        || matches!(doc.word(t), "me" | "mich" | "moi")
        || is_callback_noun(doc.word(t))
        || someone_calls_them(doc, t, cs)
}

/// "escalate", "escalate this please", "escalate to a manager": the verb at the end, before
/// courtesy or an object, or with a person word soon after.
fn escalation_verb(doc: &Doc<'_>, t: usize, ce: usize) -> bool {
    t + 1 >= ce
        || doc.has(
            t + 1,
            Concepts::PLEASE
                | Concepts::DET
                | Concepts::PRON
                | Concepts::POSS1
                | Concepts::COURTESY,
        )
        || (t + 1..(t + 4).min(ce)).any(|k| doc.has(k, Concepts::P_ANY))
        // "escálenlo por favor": a please of two words.
        || (t + 2 < ce && doc.has(t + 2, Concepts::PLEASE))
}

/// The transfer verb at `t` takes the visitor somewhere: "transfer me", "pásame", "verbinden Sie
/// mich", "pass me to billing"; not a thing ("connect me to the wifi") nor the visitor's own
/// contact ("connect me with my insurer").
fn transfer_me(doc: &Doc<'_>, t: usize, cs: usize, ce: usize) -> bool {
    let Some(m) = me_of_transfer(doc, t, cs, ce) else {
        return false;
    };
    let mut after = m.max(t) + 1;
    // A multi-word please ("s'il vous plaît") stands for its last word.
    let mut e = after;
    while e + 1 < ce && doc.has(e, Concepts::COVERED) {
        e += 1;
    }
    if e > after && doc.has(e, Concepts::PLEASE | Concepts::COURTESY) {
        after = e;
    }
    // "connect me to the wifi", "connect me to the hotel Wi-Fi", "forward me the email": a
    // thing, not a person.
    if (after..(after + 4).min(ce))
        .any(|j| doc.has(j, Concepts::TECH | Concepts::TECH_WEAK | Concepts::INFO))
    {
        return false;
    }
    // "verbinden Sie mich bitte mit …", "put me in touch with …": the preposition after a
    // please or a set phrase.
    let prep_at = (after..(after + 3).min(ce))
        .find(|&k| {
            is_transfer_prep(doc.word(k))
                && (after..k).all(|j| {
                    doc.has(
                        j,
                        Concepts::PLEASE
                            | Concepts::COURTESY
                            | Concepts::COVERED
                            | Concepts::CONTACT,
                    )
                })
        })
        .unwrap_or(after);
    let prep = prep_at < ce && is_transfer_prep(doc.word(prep_at));
    // "take me to a human", "llévame con un asesor", "me leva até um atendente": a verb of
    // taking someone somewhere counts only with a person named where it goes ("take me through
    // the steps" does not).
    if is_taking_verb(doc.word(t)) {
        return (after..(after + 4).min(ce)).any(|j| person_kind(doc, j, after, ce).is_some());
    }
    let b = doc.bits(t);
    let next_ok = if is_bare_transfer(doc.word(t)) || b.intersects(Concepts::ME | Concepts::COVERED)
    {
        after >= ce
            || prep
            || doc.has(
                after,
                Concepts::PLEASE | Concepts::COURTESY | Concepts::P_ANY | Concepts::TRANSFER,
            )
    } else {
        // "switch", "pass", "forward": only with somewhere to go ("pass me to billing").
        prep || doc.has(after, Concepts::TRANSFER | Concepts::COVERED)
    };
    // "connect me with my insurer", "mit der Hotline meiner Versicherung", "connect me to the
    // airline's desk", "put me in touch with the manufacturer": the visitor's own contact or
    // another business, a third party (unless a person of the business comes first: "with
    // someone from my branch").
    let to = prep_at + 1..(prep_at + 5).min(ce);
    let person_first = to
        .clone()
        .find(|&k| doc.has(k, Concepts::P_ANY) && !doc.has(k, Concepts::BLOCKED));
    let before_person = |k: usize| person_first.is_none_or(|p| k < p);
    let own = prep
        && to.clone().any(|k| {
            before_person(k)
                && (doc.has(k, Concepts::POSS1)
                    || is_other_business(doc.word(k))
                    || doc.toks[k].flags & F_APOS_AFTER != 0
                        && k + 1 < ce
                        && doc.word(k + 1) == "s")
        });
    next_ok && !own
}

/// Another business or service the visitor may want to reach through the bot: a maker, an
/// insurer, a lawyer, a taxi, the police. (Not "insurance" or "Versicherung": they also name a department of the business,
/// "transfer me to insurance".)
fn is_other_business(w: &str) -> bool {
    matches!(
        w,
        "manufacturer"
            | "maker"
            | "hersteller"
            | "fabricant"
            | "fabricante"
            | "insurer"
            | "versicherer"
            | "assureur"
            | "aseguradora"
            | "seguradora"
            | "lawyer"
            | "anwalt"
            | "avocat"
            | "abogado"
            | "advogado"
            | "taxi"
            | "taxis"
            | "cab"
            | "uber"
            | "taxiunternehmen"
            | "taxizentrale"
            | "police"
            | "polizei"
            | "policia"
    )
}

/// Where "me" stands for the transfer verb at `t`: fused ("pásame"), right after ("transfer
/// me", "passez-moi"), after a polite pronoun ("verbinden Sie mich"), or as a Romance clitic
/// before ("me transfere", "me puedes pasar", "mettez-moi en relation").
fn me_of_transfer(doc: &Doc<'_>, t: usize, cs: usize, ce: usize) -> Option<usize> {
    let has = |j: usize, m: Concepts| j >= cs && j < ce && doc.has(j, m);
    if doc.has(t, Concepts::ME) {
        Some(t)
    } else if has(t + 1, Concepts::ME) {
        Some(t + 1)
    } else if has(t + 1, Concepts::PRON) && has(t + 2, Concepts::ME) {
        Some(t + 2)
    } else if t > cs
        && has(t - 1, Concepts::ME)
        && !(t > cs + 1 && (doc.has(t - 2, Concepts::HELPWORD) || doc.word(t - 2) == "let"))
    {
        Some(t - 1)
    } else if t > cs + 1
        && has(t - 2, Concepts::ME)
        && doc.has(t - 1, Concepts::MODAL | Concepts::COVERED | Concepts::PRON)
    {
        Some(t - 2)
    } else {
        None
    }
}

/// A verb of taking someone somewhere: "take", "bringen", "emmenez", "llévame", "leva".
fn is_taking_verb(w: &str) -> bool {
    matches!(
        w,
        "take"
            | "bringen"
            | "emmenez"
            | "emmene"
            | "emmener"
            | "leva"
            | "levar"
            | "leve"
            | "llevar"
            | "lleva"
            | "lleve"
            | "llevame"
            | "lleveme"
            | "llevenme"
    )
}

/// A preposition after "transfer me" that names where to: "to", "con", "avec", "mit", "zu".
fn is_transfer_prep(w: &str) -> bool {
    matches!(
        w,
        "to" | "con"
            | "com"
            | "para"
            | "pro"
            | "avec"
            | "a"
            | "au"
            | "mit"
            | "an"
            | "zu"
            | "zum"
            | "weiter"
            | "durch"
            | "through"
            | "over"
            | "en"
            | "em"
            | "with"
            | "vers"
            | "hacia"
            | "towards"
            | "ate"
    )
}

/// A clause that is only a transfer or handoff word and courtesy: "transfer please",
/// "weiterleiten bitte", "human handoff".
fn bare_transfer_clause(
    doc: &Doc<'_>,
    cs: usize,
    ce: usize,
    negated: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let t = (cs..ce).find(|&j| {
        (is_bare_transfer(doc.word(j)) && doc.has(j, Concepts::TRANSFER)) || is_handoff(doc.word(j))
    })?;
    let ok = Concepts::PLEASE
        | Concepts::COURTESY
        | Concepts::AFFIRM
        | Concepts::QUAL
        | Concepts::P_STRONG
        | Concepts::COVERED
        | Concepts::DET;
    let rest = (cs..ce).all(|j| j == t || doc.has(j, ok));
    (rest && !negated(t) && ce - cs <= 4).then_some(t)
}

fn is_handoff(w: &str) -> bool {
    matches!(w, "handoff" | "handover" | "escalation")
}

/// "call me a taxi", "llámame un taxi", "ruf mir ein Taxi": calling something for the visitor.
fn calls_a_thing(doc: &Doc<'_>, t: usize, ce: usize) -> bool {
    let mut j = t + 1;
    if j < ce && doc.has(j, Concepts::ME) {
        j += 1;
    }
    j < ce
        && matches!(
            doc.word(j),
            "a" | "an" | "un" | "una" | "ein" | "um" | "uma"
        )
}

/// Verbs that mean handing the chat over even with no one named: "transfer me", "connect me".
fn is_bare_transfer(w: &str) -> bool {
    w.starts_with("transf")
        || w.starts_with("connect")
        || w.starts_with("conect")
        || w.starts_with("verbind")
        || w.starts_with("weiter")
        || matches!(w, "leiten" | "leite" | "durchstellen" | "vermitteln")
}

fn is_article(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "this"
            | "that"
            | "my"
            | "your"
            | "our"
            | "un"
            | "una"
            | "el"
            | "le"
            | "une"
            | "ce"
            | "cette"
            | "ein"
            | "eine"
            | "einen"
            | "einem"
            | "der"
            | "die"
            | "das"
            | "um"
            | "uma"
            | "o"
            | "mi"
            | "mon"
            | "ma"
            | "mein"
            | "meu"
            | "minha"
            | "este"
            | "esta"
            | "dieser"
            | "diesen"
            | "esse"
            | "essa"
    )
}

/// "who can I talk to?", "¿con quién puedo hablar?", "à qui dois-je parler ?", "mit wem kann ich
/// sprechen?", "com quem eu falo?": asking for a person without naming one.
fn who_frame(doc: &Doc<'_>, cs: usize, ce: usize, negated: &dyn Fn(usize) -> bool) -> (usize, f32) {
    let Some(w) = (cs..ce).find(|&j| {
        matches!(
            doc.word(j),
            "who" | "whom" | "quien" | "qui" | "wem" | "wen" | "quem"
        )
    }) else {
        return (cs, 0.0);
    };
    let hi = (w + 5).min(ce);
    let verb = (w + 1..hi).find(|&j| {
        doc.has(
            j,
            Concepts::CONTACT | Concepts::TRANSFER | Concepts::CONTACT_STATE,
        ) && !doc.has(j, Concepts::CONTACT_ING)
            && !is_phone_verb(doc.word(j))
    });
    // Only the visitor's own contact: "who can I talk to", not "who talked to me".
    let asker = (w + 1..hi).any(|j| {
        matches!(
            doc.word(j),
            "i" | "we" | "yo" | "je" | "ich" | "wir" | "eu" | "nous"
        ) || doc.has(j, Concepts::MODAL)
    });
    match verb {
        Some(v) if asker && !negated(v) => (w, 0.85),
        _ => (w, 0.0),
    }
}

/// Talking to whoever is responsible, named by a pronoun and what they are in charge of: "mit
/// dem sprechen, der hier zuständig ist", "parler à celui qui s'occupe de ça", "hablar con quien
/// esté a cargo", "talk to the one who's responsible". Asked for and not negated; returns the
/// verb and the responsibility word. (`ext` reaches into a relative clause after the clause.)
fn in_charge_frame(
    doc: &Doc<'_>,
    cs: usize,
    ext: usize,
    cbits: Concepts,
    negated: &dyn Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    if !cbits.intersects(Concepts::DESIRE | Concepts::MODAL | Concepts::PLEASE) {
        return None;
    }
    let v = (cs..ext).find(|&v| {
        doc.has(v, Concepts::CONTACT)
            && !doc.has(v, Concepts::CONTACT_ING | Concepts::CONTACT_STATE)
            && !negated(v)
    })?;
    let pronoun = |w: &str| {
        matches!(
            w,
            "one"
                | "whoever"
                | "who"
                | "dem"
                | "den"
                | "der"
                | "demjenigen"
                | "celui"
                | "celle"
                | "qui"
                | "quien"
                | "quem"
                | "aquel"
                | "aquele"
        )
    };
    let p = (v.saturating_sub(3).max(cs)..(v + 4).min(ext)).find(|&j| pronoun(doc.word(j)))?;
    let r = (p + 1..(p + 7).min(ext)).find(|&j| {
        let prev = if j > 0 { doc.word(j - 1) } else { "" };
        match doc.word(j) {
            "zustandig" | "verantwortlich" | "responsible" | "responsable" | "responsavel" => true,
            "charge" => prev == "in",
            "cargo" => matches!(prev, "a" | "al"),
            "occupe" => prev == "s",
            _ => false,
        }
    })?;
    Some((v, r))
}

fn is_phone_verb(w: &str) -> bool {
    matches!(
        w,
        "call"
            | "phone"
            | "ring"
            | "llamar"
            | "appeler"
            | "anrufen"
            | "ligar"
            | "telefonieren"
            | "calling"
    )
}

/// Tokens of the clause under a negation that governs a wish, a contact verb or a person word:
/// "I don't want an agent", "no need for a human", "ohne einen Menschen", "não quero falar com
/// um atendente". Inability is not negation ("I can't reach a human", "je ne peux pas parler à un
/// conseiller" still ask). The scope ends after the first person word or at the next wish, so
/// "não quero robô quero atendente" keeps its request.
fn negation_mask(doc: &Doc<'_>, cs: usize, ce: usize) -> u64 {
    let mut mask = 0u64;
    let mut k = cs;
    while k < ce {
        if !doc.has(k, Concepts::NEG) || after_modal(doc, k, cs) || answer_particle(doc, k, ce) {
            k += 1;
            continue;
        }
        match governed(doc, k, ce) {
            Governed::Inability(j) => {
                // Skip the modal and a trailing "pas"/"nicht" of the same verb.
                k = j + 1;
                while k < ce && doc.has(k, Concepts::NEG | Concepts::PRON) {
                    k += 1;
                }
            }
            Governed::Clause => return mark(mask, cs, cs, ce),
            Governed::Head(h) => {
                let end = scope_end(doc, h, ce);
                mask = mark(mask, cs, k, end);
                k = end;
            }
            Governed::Nothing => k += 1,
        }
    }
    mask
}

/// A bare "no" opening the turn that answers the bot and then says what the visitor wants
/// instead: "nah just the agent thanks", "nein einen Mitarbeiter bitte", "non un conseiller".
/// It negates nothing after it, unlike "no need for an agent" or "no agent please".
fn answer_particle(doc: &Doc<'_>, k: usize, ce: usize) -> bool {
    let particle = matches!(
        doc.word(k),
        "no" | "nah" | "nope" | "naw" | "nein" | "non" | "nao"
    );
    let instead = |j: usize| {
        j < ce
            && (super::conversation::is_only(doc.word(j))
                || matches!(
                    doc.word(j),
                    "a" | "an"
                        | "the"
                        | "un"
                        | "una"
                        | "une"
                        | "el"
                        | "la"
                        | "le"
                        | "ein"
                        | "eine"
                        | "einen"
                        | "den"
                        | "die"
                        | "um"
                        | "uma"
                        | "o"
                ))
    };
    k == 0 && particle && instead(k + 1)
}

/// `mask` with the bits of tokens `[a, b)` set (bit `i - cs` for token `i`).
fn mark(mut mask: u64, cs: usize, a: usize, b: usize) -> u64 {
    for i in a..b {
        if i - cs < 64 {
            mask |= 1u64 << (i - cs);
        }
    }
    mask
}

/// The negation at `k` follows a modal ("can't", "kann nicht", "can you not"): it negates the
/// modal, not a wish.
fn after_modal(doc: &Doc<'_>, k: usize, cs: usize) -> bool {
    (k > cs && doc.has(k - 1, Concepts::MODAL))
        || (k >= cs + 2 && doc.has(k - 2, Concepts::MODAL) && doc.has(k - 1, Concepts::PRON))
}

/// What a negation governs.
enum Governed {
    /// A modal of inability at this token ("I can't", "je ne peux pas"): not a refusal.
    Inability(usize),
    /// "a human is not needed": the whole clause.
    Clause,
    /// The wish, contact verb, transfer or person word at this token.
    Head(usize),
    /// Nothing the request rules read.
    Nothing,
}

/// What the negation at `k` governs, looking at most five words ahead past auxiliaries,
/// pronouns, articles and adverbs.
fn governed(doc: &Doc<'_>, k: usize, ce: usize) -> Governed {
    let mut j = k + 1;
    while j < ce && j <= k + 5 {
        let b = doc.bits(j);
        if b.intersects(Concepts::NEG) {
            j += 1;
            continue;
        }
        if b.intersects(Concepts::MODAL)
            && !b.intersects(Concepts::DESIRE)
            && !b.intersects(Concepts::COVERED)
        {
            return Governed::Inability(j);
        }
        if b.intersects(Concepts::NEEDED) {
            return Governed::Clause;
        }
        if b.intersects(
            Concepts::DESIRE
                | Concepts::CONTACT
                | Concepts::TRANSFER
                | Concepts::PASSIVE
                | Concepts::CALLBACK
                | Concepts::P_ANY,
        ) && !b.intersects(Concepts::BLOCKED)
        {
            return Governed::Head(j);
        }
        if b.intersects(
            Concepts::AUX
                | Concepts::BE_AUX
                | Concepts::ADV
                | Concepts::PRON
                | Concepts::ME
                | Concepts::DET
                | Concepts::QUAL
                | Concepts::POSS1
                | Concepts::COVERED,
        ) {
            j += 1;
            continue;
        }
        return unknown_verb_complement(doc, j, ce).map_or(Governed::Nothing, Governed::Head);
    }
    Governed::Nothing
}

/// "I'm not planning to talk to anyone", "je ne compte pas parler à un conseiller": the word at
/// `j` is an unknown verb whose complement is the contact verb; returns that verb.
fn unknown_verb_complement(doc: &Doc<'_>, j: usize, ce: usize) -> Option<usize> {
    if !doc.bits(j).is_empty() {
        return None;
    }
    let link = |w: &str| matches!(w, "to" | "de" | "d" | "zu" | "in" | "on" | "en" | "em");
    if j + 2 < ce && link(doc.word(j + 1)) && doc.has(j + 2, Concepts::CONTACT | Concepts::TRANSFER)
    {
        return Some(j + 2);
    }
    if j + 1 < ce
        && doc.has(j + 1, Concepts::CONTACT | Concepts::TRANSFER)
        && !doc.has(j + 1, Concepts::CONTACT_ING)
    {
        return Some(j + 1);
    }
    None
}

/// Where the scope of a negation whose head is at `h` ends: a person word ends it at once; a
/// verb's scope runs to its person word, or to a new wish that is not its complement.
fn scope_end(doc: &Doc<'_>, h: usize, ce: usize) -> usize {
    let mut end = h + 1;
    if doc.bits(h).intersects(Concepts::P_ANY) {
        return end;
    }
    while end < ce {
        let b = doc.bits(end);
        if b.intersects(Concepts::DESIRE)
            && !b.intersects(Concepts::COVERED)
            && end > h + 1
            && !linked(doc, end, h)
        {
            break;
        }
        end += 1;
        if b.intersects(Concepts::P_ANY) && !b.intersects(Concepts::BLOCKED) {
            break;
        }
    }
    end
}

/// The wish at `d` is the complement of an earlier verb ("no need to get a person", "don't want
/// to ask for an agent"), not a new wish: a linking word comes right before it.
fn linked(doc: &Doc<'_>, d: usize, floor: usize) -> bool {
    let mut j = d;
    while j > floor + 1 && doc.has(j - 1, Concepts::COVERED) {
        j -= 1;
    }
    j > floor
        && matches!(
            doc.word(j - 1),
            "to" | "de" | "d" | "zu" | "que" | "a" | "para" | "pour"
        )
}

/// The clause's information word is only the channel: "joindre le service client par
/// téléphone", "reach customer service by phone" ask for the team, not for its number.
fn by_phone(doc: &Doc<'_>, cs: usize, ce: usize) -> bool {
    (cs..ce).filter(|&j| doc.has(j, Concepts::INFO)).all(|j| {
        j > cs
            && matches!(
                doc.word(j - 1),
                "by" | "per" | "par" | "por" | "pelo" | "via" | "au" | "al" | "am"
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> f32 {
        detect(&Doc::new(text)).map_or(0.0, |h| h.score)
    }

    #[test]
    fn a_transfer_to_the_visitors_own_contact_or_another_business_is_no_request() {
        for t in [
            "Verbinden Sie mich bitte mit der Hotline meiner Versicherung.",
            "Can you put me in touch with the manufacturer of this drill?",
            "Mettez-moi en relation avec mon assureur, s'il vous plaît.",
            "connect me with my lawyer please",
            "Could you put me through to a taxi firm that takes dogs?",
            "Comunícame con un taxi que acepte perros",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
        }
        for t in [
            "put me in touch with a human please",
            "connect me with someone from my branch",
            "verbinden Sie mich bitte mit einem Mitarbeiter",
            "can you transfer me to insurance",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
    }

    #[test]
    fn asks_in_many_ways() {
        for t in [
            "can I speak to a real human please",
            "get me a human",
            "transfer me",
            "operator",
            "i want a reprensentative",
            "hablar con una persona",
            "parler à un conseiller",
            "mit einem Mitarbeiter sprechen",
            "falar com um atendente",
            "I can't reach a human",
            "je ne peux pas parler à un conseiller ?",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
    }

    #[test]
    fn a_call_promised_and_not_made_is_still_wanted() {
        let family = |t: &str| detect(&Doc::new(t)).map(|h| h.family);
        for t in [
            "I was promised a call from a supervisor last week and nobody called",
            "the lady on the phone said she'd call me back, it's been three days",
            "Mir wurde ein Rückruf versprochen, bis heute nichts",
            "On m'a promis qu'un conseiller me rappellerait, toujours rien",
            "Me prometieron que un supervisor me llamaría y nadie llamó",
            "Prometeram que um atendente ia me ligar e nada",
        ] {
            assert_eq!(family(t), Some("promised_contact"), "{t}");
        }
        for t in [
            // Kept, money rather than a person, a question, or a colleague quoted.
            "I was promised a callback and she called the same day, thanks",
            "You promised a refund and nothing came",
            "Someone on your team said the engineer would come at 8. Is that still the plan?",
            "Your colleague said she'd email me the form, not arrived yet",
            "I was promised compensation by your agent and it never came",
        ] {
            assert_ne!(family(t), Some("promised_contact"), "{t}");
        }
    }

    #[test]
    fn a_request_taken_back_in_the_same_message_is_none() {
        for t in [
            "I'd like an agent. Never mind, found it",
            "Could someone call me? Wait, no, I can do it by chat",
            "Je voudrais un conseiller... ah non attendez, c'est bon",
            "quiero hablar con alguien... bueno no, ya lo vi",
            "queria falar com alguém... ah não, esquece",
            "Ich möchte einen Mitarbeiter sprechen, ach nein, hat sich erledigt",
        ] {
            let d = Doc::new(t);
            assert!(detect(&d).is_none(), "{t}");
            assert_eq!(
                declined(&d).map(|d| d.family),
                Some("withdrawn_request"),
                "{t}"
            );
        }
        for t in [
            // Taken back before the request, or a request made again after.
            "never mind the bot, get me a human",
            "I found the form. No wait, it doesn't work, get me a person",
            "c'est bon pour la facture, mais je veux parler à un conseiller pour le contrat",
        ] {
            assert!(detect(&Doc::new(t)).is_some(), "{t}");
        }
    }

    #[test]
    fn needing_someone_by_title_and_name() {
        let family = |t: &str| detect(&Doc::new(t)).map(|h| h.family);
        for t in [
            "Sorry, I really need Mrs Okafor, she set up our account",
            "Ich brauche Herrn Albers persönlich",
            "Necesito a la señora Prieto, ella lleva mi préstamo",
            "Il me faut M. Girard, il connaît le dossier",
            "Preciso mesmo da Sra. Figueiredo",
        ] {
            assert_eq!(family(t), Some("named_person"), "{t}");
        }
        for t in [
            // What the person owns, no title, a negated or imagined need.
            "I need Dr Reyes's referral letter by Friday",
            "I need Excel for this report",
            "I don't need Mr Hale, just tell me the balance",
            "if I need Mrs Okafor later, is she in on Mondays?",
        ] {
            assert_eq!(family(t), None, "{t}");
        }
    }

    #[test]
    fn asking_whether_someone_named_is_there() {
        for t in [
            "Is Priya around? She sorted out my refund last month.",
            "is Tomasz in today? he knows my case",
            "Ist Herr Kowalski zu sprechen?",
            "Está a Beatriz? Ela tratou da minha encomenda.",
            "o Rui tá aí? foi ele que me atendeu",
            "¿Está Lucía? Ella me ayudó la otra vez.",
            "Mathilde est là ? Elle m'a aidée hier.",
        ] {
            assert_eq!(
                detect(&Doc::new(t)).map(|h| h.family),
                Some("named_person"),
                "{t}"
            );
        }
        for t in [
            "Is PayPal available? It would make paying easier.",
            "Is Anna free on Monday? She does my nails.",
            "My sister Marta is there? She went yesterday.",
            "Is Spotify included?",
            "Is Rachel not there? she said she would be.",
        ] {
            assert!(score(t) < 0.5, "{t}: {}", score(t));
        }
    }

    #[test]
    fn a_trade_counts_as_a_person_only_when_asked_for() {
        for t in [
            "Can I speak to the pharmacist about my prescription?",
            "could your events coordinator call me back",
            "Könnte sich die Filialleitung bei mir melden?",
            "Posso falar com a cabeleireira antes de marcar?",
            "¿Me puede llamar la enfermera esta tarde?",
            "je voudrais parler à l'opticien avant de commander",
        ] {
            assert!(detect(&Doc::new(t)).is_some(), "{t}");
        }
        for t in [
            "The pharmacist at your Leeds branch was lovely.",
            "my hairdresser recommended your shampoo",
            "la enfermera me dijo que viniera en ayunas",
        ] {
            assert!(detect(&Doc::new(t)).is_none(), "{t}");
        }
    }

    #[test]
    fn an_imagined_or_dropped_request_is_declined_but_a_polite_one_is_not() {
        for t in [
            "If I ever have to talk to a person, how long is the queue?",
            "if the delivery is late again I'll ask for a manager, but where is it now?",
            "Si un día necesito hablar con un agente, ¿hay que esperar mucho?",
            "Falls ich später einen Mitarbeiter sprechen muss, gibt es Wartezeiten?",
            "Se eu precisar falar com um atendente, quanto tempo demora?",
            "Si un jour je veux parler à un conseiller, c'est payant ?",
            "I was going to ask for an agent but I found it.",
            "I used to phone someone for this every month",
            "Si más adelante tengo dudas, ¿podré hablar con alguien?",
            "Si quisiera hablar con un agente, ¿tendría que pagar algo?",
            "in case I want to speak to someone later, is there a phone number?",
            "Si jamais j'ai un souci, je pourrai joindre quelqu'un ?",
            "J'allais demander un conseiller mais c'est bon",
            "iba a pedir un asesor pero ya lo resolví",
            "Ich wollte schon nach einem Mitarbeiter fragen, aber hat sich erledigt.",
            "Do I need to speak to someone to close my account, or can I do it online?",
            "do we have to call someone to add a user?",
            "Muss ich für die Kündigung mit jemandem telefonieren?",
            "Faut-il parler à un conseiller pour résilier ?",
            "¿Tengo que hablar con un asesor para darme de baja?",
            "É preciso falar com um atendente para cancelar?",
        ] {
            let d = Doc::new(t);
            assert!(detect(&d).is_none(), "{t}");
            assert_eq!(
                declined(&d).map(|d| d.family),
                Some("hypothetical_request"),
                "{t}"
            );
        }
        for t in [
            "If possible, I'd like to talk to a person.",
            "If you can't help, get me a human.",
            "If I could speak to a manager that would be great",
            "If I can't sort this today I want a manager",
            "If I can't sort this today, can I talk to a manager?",
            "I was going to wait but I want a human now",
            "si es posible quiero hablar con un asesor",
            "Do I have to keep talking to a bot or can I get a human?",
            "I need to speak to someone to close my account",
            "Tengo que hablar con un asesor ya",
            "what do I need to do to contact someone?",
            "tengo que hablar con alguien de facturación, ¿se puede?",
        ] {
            assert!(detect(&Doc::new(t)).is_some(), "{t}");
        }
    }

    #[test]
    fn does_not_fire_on_negations_bot_questions_or_other_senses() {
        for t in [
            "Can you connect me to the Wi-Fi in the lobby?",
            "connect me to the hotel wifi please",
            "no need for a human",
            "I don't want an agent",
            "are you a real person?",
            "is this a bot?",
            "I'm a travel agent",
            "the gate agent was rude",
            "human resources",
            "my agent said",
            "real estate agent",
            "human error",
            "je ne veux pas parler à un conseiller",
            "ich möchte nicht mit einem Mitarbeiter sprechen",
            "não quero falar com um atendente",
            "for our 200 agents",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
        }
    }

    #[test]
    fn the_manager_of_the_business_own_store_is_someone_to_ask_for() {
        for t in [
            "Quero falar com o gerente da loja",
            "quiero hablar con el encargado de la tienda",
            "je veux parler au responsable du magasin",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
        // Someone else's: still not a request.
        assert!(score("o gerente do banco disse que o pagamento saiu") < 0.6);
    }

    #[test]
    fn asking_in_the_future_whether_the_bot_is_a_person_is_a_question() {
        for t in [
            "¿Serás una persona de verdad?",
            "¿Será usted un robot o una persona?",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
            assert!(
                declined(&Doc::new(t)).is_some_and(|d| d.family == "bot_nature_question"),
                "{t}"
            );
        }
        // The same verb in a polite request keeps it one.
        let t = "¿Será usted tan amable de comunicarme con una persona?";
        assert!(score(t) >= 0.6, "{t}: {}", score(t));
    }

    #[test]
    fn spanish_infinitives_with_me_reach_a_person_as_hablar_con_does() {
        for t in [
            "¿Serías tan amable de pasarme con un agente?",
            "¿Podrías transferirme a un asesor?",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
        // Without a person they reach nobody: "drop by the shop", "move money to myself".
        for t in [
            "¿Puedo pasarme por la tienda mañana?",
            "no consigo transferirme el saldo a la otra cuenta",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
        }
    }

    #[test]
    fn giving_a_name_to_be_called_by_is_no_call() {
        for t in [
            "Llámame Nacho, por favor.",
            "Pode me chamar de Juca.",
            "Me chame de Bia, tá?",
            "chama-me Zé",
            "en el barrio me dicen Pepe",
        ] {
            let doc = Doc::new(t);
            assert!(
                declined(&doc).is_some_and(|d| d.family == "names_the_visitor"),
                "{t}"
            );
        }
        for t in [
            "Llámame, por favor",
            "me chame um atendente",
            "pode me chamar alguém?",
        ] {
            let doc = Doc::new(t);
            assert!(
                names_the_visitor_by_clitic(&doc, 0, doc.toks.len()).is_none(),
                "{t}"
            );
        }
    }

    #[test]
    fn a_pronoun_for_staff_the_bot_named_is_that_person() {
        let named = [
            "Our stylist Mia specialises in balayage.",
            "Our accountant Tom looks after billing.",
            "Das macht unser Herr Keller.",
            "C'est notre conseillère Julie qui s'en occupe.",
            "La encargada es Marta.",
            "Quem cuida disso é o nosso técnico Paulo.",
        ];
        for (bot, t) in named.iter().zip([
            "can you ask her to text me?",
            "can he call me?",
            "kann er mich heute zurückrufen?",
            "est-ce qu'elle peut m'appeler ?",
            "¿ella me puede llamar?",
            "ele pode me ligar amanhã?",
        ]) {
            let hit = staff_named_by_bot(&Doc::new(bot), &Doc::new(t));
            assert!(hit.is_some_and(|h| h.score >= 0.6), "{bot} | {t}");
        }
        for (bot, t) in [
            (named[0], "can Mia call me tomorrow?"),
            (named[4], "¿Marta me podría llamar?"),
        ] {
            let hit = staff_named_by_bot(&Doc::new(bot), &Doc::new(t));
            assert!(hit.is_some_and(|h| h.score >= 0.6), "{bot} | {t}");
        }
        for (bot, t) in [
            (named[1], "he already called me yesterday"),
            (named[0], "she did my hair last year, loved it"),
            (named[1], "I don't want him to call me"),
            (named[0], "no it's fine, I'll text her myself"),
            (named[1], "ok I'll call him tomorrow"),
            (named[0], "Mia did my hair last year"),
            (
                "I'm Nova, an AI assistant.",
                "hi Nova. I want to report a meter reading",
            ),
            ("Hallo! Ich bin Lotta.", "Lotta, bist du eine echte Frau?"),
            ("Hi, my name is Sam.", "Sam, are you a real person?"),
            ("Hola, me llamo Ana.", "Ana, ¿eres una persona de verdad?"),
            ("Nos queda la talla M y la L.", "pido la L"),
            (
                "Billing questions are answered in the FAQ.",
                "can he call me?",
            ),
        ] {
            let hit = staff_named_by_bot(&Doc::new(bot), &Doc::new(t));
            assert!(!hit.is_some_and(|h| h.score >= 0.6), "{bot} | {t}");
        }
    }

    #[test]
    fn a_call_back_wished_by_subjunctive_or_with_a_number_is_asked_for() {
        for t in [
            "Que me devuelvan la llamada al 655 902 114 por la tarde, gracias",
            "Pues que me llame el lunes temprano",
            "qu'on me rappelle demain matin",
            "Merci de me rappeler au 07 55 31 20 98",
            "call me back on 0412 555 019",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
        for t in [
            "the callback on 0412 555 019 never came",
            "why did you call me back on 0412 555 019?",
            "me llamo Juan, mi número es 655 902 114",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
        }
    }

    #[test]
    fn escalate_in_the_imperative_asks_for_a_person() {
        for t in [
            "escálenlo por favor",
            "ya van 9 días. escálenlo",
            "escalem isso",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
        for t in [
            "un vuelo con escala en Madrid",
            "o voo tem escala em Lisboa?",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
        }
    }

    #[test]
    fn an_answer_particle_before_a_person_is_no_refusal() {
        for t in [
            "nah just the agent thanks",
            "nein einen Mitarbeiter bitte",
            "non juste un conseiller merci",
            "no, solo la encargada",
            "mándeme a la encargada",
            "envoyez-moi le responsable",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
        for t in [
            "nah, no need for an agent",
            "no agent please",
            "no thanks, I don't need an agent",
            "nein, keinen Mitarbeiter",
            "mándeme la factura",
            "nein, nur die Rechnung bitte",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
        }
    }

    #[test]
    fn negation_scope_ends_at_the_next_wish() {
        assert!(score("nao quero falar com robo quero falar com atendente") >= 0.6);
        assert!(score("I don't want a bot I want a human") >= 0.6);
    }

    #[test]
    fn a_pronoun_after_a_question_about_people_points_back_at_them() {
        for t in [
            "is there an actual team behind this? I want to talk to them",
            "est-ce qu'il y a de vrais gens chez vous ? je voudrais leur parler",
            "bist du ein Mensch? wenn nicht, will ich einen sprechen",
            "ich will keinen Bot, sondern einen Menschen",
            "no quiero un robot sino una persona",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
        // No question about people before it, or negated: no request.
        for t in [
            "I want to talk to them",
            "is there a team discount? I'd like to talk about pricing",
            "are there people there? I don't want to talk to them",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
        }
    }

    #[test]
    fn embedded_questions_and_chats_going_on_are_states_not_requests() {
        for t in [
            "could I be talking to an actual person right now?",
            "pourrais-je savoir si je parle à un humain ?",
            "I'd love to know if there's a real human typing",
            "I was able to reach customer service, all good now",
        ] {
            assert!(score(t) < 0.6, "{t}: {}", score(t));
        }
        for t in [
            "I'd like to know if I can talk to a human",
            "may I know if an agent is available?",
            "can a member of your team take over this chat?",
        ] {
            assert!(score(t) >= 0.6, "{t}: {}", score(t));
        }
    }
}

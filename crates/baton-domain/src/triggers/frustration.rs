//! High visitor frustration (the AI trigger "high user frustration").
//!
//! Scores the language of a visitor turn (insults, "useless", "this is ridiculous", profanity,
//! capitals, runs of "!!!", angry emoji) and the conversation around it (the same question asked
//! again, the bot failing to answer or repeating itself, frustration earlier in the chat). Reads
//! only the turns it is given; never looks at what the bot said except to see that it failed.

use super::Evidence;
use super::escalation;
use super::lexicon::{Concepts, Doc};
use super::text::{F_APOS_AFTER, F_DIGIT, F_UPPER};

/// Frustration expressed in one visitor turn.
pub(super) fn turn_score<'a>(doc: &Doc<'a>) -> Evidence<'a> {
    let mut hits = [None; escalation::KINDS];
    escalation::detect(doc, &mut hits);
    turn_score_with(doc, &hits)
}

/// [`turn_score`] with the turn's escalations already found (the last turn's are found once per
/// classification).
fn turn_score_with<'a>(doc: &Doc<'a>, hits: &[Option<escalation::Hit>]) -> Evidence<'a> {
    let mut ev = Evidence::default();
    for i in 0..doc.toks.len() {
        let b = doc.bits(i);
        if !b.intersects(Concepts::FRUST_STRONG | Concepts::FRUST_MED | Concepts::FRUST_PROFANE) {
            continue;
        }
        // "not bad", "no worries": a negation right before a single frustration word.
        let negated = i > 0 && doc.has(i - 1, Concepts::NEG) && !doc.has(i - 1, Concepts::COVERED);
        if negated && !b.intersects(Concepts::COVERED) {
            continue;
        }
        let start = phrase_start(doc, i);
        // "Let me guess, you're a chatbot": a guess about the bot is a question about it.
        if start < i && is_guess(doc.word(i)) && doc.any(Concepts::BOTNOUN) {
            continue;
        }
        let text = doc.span(start, i + 1);
        if b.intersects(Concepts::FRUST_STRONG) {
            ev.add(0.55, "says", text);
        } else if b.intersects(Concepts::FRUST_MED) {
            let n = doc.toks.len();
            let at_all = (i + 2 < n && doc.word(i + 1) == "at" && doc.word(i + 2) == "all")
                || (i + 1 < n && matches!(doc.word(i + 1), "whatsoever" | "uberhaupt"));
            let intensifier = start > 0 && doc.has(start - 1, Concepts::INTENS);
            if intensifier || at_all {
                // Quote the intensifier before ("so annoying") when there is one; "at all" after
                // is part of the same words.
                let from = if intensifier { start - 1 } else { start };
                ev.add(0.5, "says", doc.span(from, i + 1));
            } else {
                ev.add(0.3, "says", text);
            }
        }
        if b.intersects(Concepts::FRUST_PROFANE) {
            ev.add(0.35, "swears", text);
        }
    }
    // "you're not helping", "no me estás ayudando", "vous ne m'aidez pas", "das hilft mir
    // nicht", "isso não tá ajudando": the answers do not help.
    if let Some((a, b)) = help_denied(doc) {
        ev.add(0.45, "says it does not help", doc.span(a, b + 1));
    }
    if let Some((a, b)) = ironic(doc) {
        ev.add(IRONY, "sounds ironic", doc.span(a, b));
    }
    // Capitals and "!!!" are loud, not necessarily angry: a happy visitor's "thank you!!!" damps
    // them unless the words already say frustration.
    let happy =
        doc.any(Concepts::POSITIVE) && !doc.any(Concepts::FRUST_STRONG | Concepts::FRUST_PROFANE);
    let loud = if happy { 0.3 } else { 1.0 };
    let st = doc.stats;
    if st.letters >= 8 && st.upper * 10 >= st.letters * 7 {
        ev.add(0.3 * loud, "writes in capitals", "");
    } else {
        let shouted = doc
            .toks
            .iter()
            .enumerate()
            .filter(|&(i, t)| {
                t.flags & F_UPPER != 0
                    && t.flags & F_DIGIT == 0
                    && t.e - t.s >= 4
                    && !doc.bits(i).intersects(Concepts::TECH | Concepts::ERRWORD)
            })
            .count();
        if shouted >= 2 {
            ev.add(0.2 * loud, "writes in capitals", "");
        }
    }
    if st.max_exclaim_run >= 3 || st.exclaim >= 4 {
        ev.add(0.3 * loud, "uses many exclamation marks", "");
    } else if st.max_exclaim_run >= 2 || st.exclaim >= 2 {
        ev.add(0.2 * loud, "uses many exclamation marks", "");
    }
    if st.max_question_run >= 3 {
        ev.add(0.15 * loud, "uses many question marks", "");
    } else if st.exclaim > 0 && st.question > 0 && doc.orig.contains("?!") {
        ev.add(0.15 * loud, "uses \"?!\"", "");
    }
    if st.angry_emoji > 0 {
        ev.add(0.35, "uses angry emoji", "");
    }
    // Complaints, accusations of fraud and demands for an immediate fix: what support teams
    // escalate even when the words are calm.
    for h in hits.iter().flatten().filter(|h| !h.kind.is_request()) {
        ev.family.get_or_insert(h.kind.family());
        ev.add(h.score, h.kind.note(), doc.span(h.start, h.end));
    }
    ev
}

/// The verb of "let me guess", "lass mich raten", "laissez-moi deviner", "déjame adivinar",
/// "deixa eu adivinhar".
fn is_guess(w: &str) -> bool {
    matches!(
        w,
        "guess" | "raten" | "deviner" | "adivinar" | "adivine" | "adivinhar"
    )
}

/// What irony alone weighs: a signal below every threshold, so it hands over only when the
/// learned model agrees (`Blend::escalate_signal`) or other frustration adds up with it.
const IRONY: f32 = 0.35;

/// Praise or thanks that, by what surrounds it, means the opposite; the span `[a, b)` said.
///
/// - Praise alone in a short sentence, with a failure elsewhere in the turn: "No call, no text.
///   Lovely.", "Keine Nachricht. Super.", "Splendid. The app logged me out mid-payment",
///   "Genial, cuarta sugerencia de reiniciar el router", "Que beleza." after a parcel left in
///   the rain. A failure is a negation, a failure or problem word, "still" or "already", a count
///   ("third time"), "again" in a turn without thanks ("the chatbot again. Super.") or words
///   in scare quotes ("«remis en main propre»").
/// - Thanks for a repeated harm: "Thanks for charging me twice", "Merci pour la troisième
///   réponse automatique", "Obrigado pela terceira resposta", "Merci pour le double
///   prélèvement".
fn ironic(doc: &Doc<'_>) -> Option<(usize, usize)> {
    let thanks = |i: usize| {
        matches!(
            doc.word(i),
            "thanks" | "thank" | "gracias" | "merci" | "danke" | "dank" | "obrigado" | "obrigada"
        )
    };
    let n = doc.toks.len();
    if let Some(t) = (0..n).find(|&i| thanks(i)) {
        // A charge doubled: "double" next to a money word ("le double prélèvement", "cobrança em
        // dobro"), not "the double room".
        let charge = |j: usize| {
            matches!(
                doc.word(j),
                "charge"
                    | "charged"
                    | "billed"
                    | "billing"
                    | "payment"
                    | "debit"
                    | "abbuchung"
                    | "lastschrift"
                    | "rechnung"
                    | "prelevement"
                    | "paiement"
                    | "facture"
                    | "cobro"
                    | "cargo"
                    | "factura"
                    | "cobranca"
                    | "boleto"
                    | "fatura"
            )
        };
        let doubled = |j: usize| {
            matches!(
                doc.word(j),
                "double" | "duplicate" | "doppelte" | "doppelten" | "doble" | "duplicado" | "dobro"
            ) && (j.saturating_sub(2)..(j + 3).min(n)).any(charge)
        };
        let counted = (t + 1..n).any(|j| {
            doc.has(j, Concepts::ORDINAL)
                || doubled(j)
                || matches!(doc.word(j), "twice" | "zweimal" | "doppelt")
                || (j + 1 < n
                    && matches!(
                        (doc.word(j), doc.word(j + 1)),
                        ("deux" | "dos" | "duas", "fois" | "veces" | "vezes")
                    ))
        });
        if counted {
            return Some((t, n));
        }
    }
    if let Some(span) = celebrated_or_sung(doc) {
        return Some(span);
    }
    if doc.clauses.len() < 2 {
        return None;
    }
    let failure = Concepts::NEG
        | Concepts::FAIL
        | Concepts::PROBLEM
        | Concepts::BOTFAIL
        | Concepts::ORDINAL
        | Concepts::ERRWORD;
    // "again", "otra vez", "de novo" stated ("Oh look, the chatbot again. Super."), in a turn
    // that neither thanks ("Great, thanks again!") nor says something works again ("ya
    // funciona de nuevo, genial").
    let again_said = !(0..n).any(|j| thanks(j) || super::complex::is_works_word(doc.word(j)))
        && doc.clauses.iter().any(|c| {
            !doc.question_mark_after(c.end - 1)
                && (c.start..c.end).any(|j| is_again(doc, j) && !doc.has(j, Concepts::QWORD))
        });
    let quoted = doc.orig.contains(['«', '„', '“', '"']);
    // The sentence is the praise and nothing else ("Lovely.", "Que beleza.", "Great stuff."),
    // not a description ("it was lovely").
    let bare = |j: usize| {
        doc.has(j, Concepts::PRAISE | Concepts::INTENS)
            || matches!(
                doc.word(j),
                "que"
                    | "how"
                    | "wie"
                    | "quel"
                    | "quelle"
                    | "what"
                    | "a"
                    | "just"
                    | "stuff"
                    | "truly"
                    | "really"
                    | "simply"
                    | "oh"
                    | "ah"
                    | "wow"
                    | "echt"
            )
    };
    doc.clauses.iter().find_map(|c| {
        let praise = c.end - c.start <= 3
            && (c.start..c.end).any(|j| doc.has(j, Concepts::PRAISE))
            && (c.start..c.end).all(bare);
        let elsewhere = (0..c.start).chain(c.end..n).any(|j| doc.has(j, failure)) || again_said;
        (praise && (elsewhere || quoted)).then_some((c.start, c.end))
    })
}

/// A birthday of the visitor's open matter ("Happy first birthday to my open ticket", "Feliz
/// primer cumpleaños a mi incidencia", "mein Ticket hat heute Halbjahresjubiläum", "Parabéns pro
/// meu chamado") or the hold music known by heart ("Je connais la musique d'attente par cœur",
/// "die Warteschleifenmusik kann ich mitsingen"): a long wait, said as a joke.
fn celebrated_or_sung(doc: &Doc<'_>) -> Option<(usize, usize)> {
    let celebration = |w: &str| {
        matches!(
            w,
            "birthday"
                | "anniversary"
                | "congratulations"
                | "congrats"
                | "cumpleanos"
                | "aniversario"
                | "felicidades"
                | "anniversaire"
                | "felicitations"
                | "geburtstag"
                | "gluckwunsch"
                | "parabens"
        ) || w.ends_with("jubilaum")
    };
    let matter = |w: &str| {
        matches!(
            w,
            "ticket"
                | "case"
                | "claim"
                | "complaint"
                | "request"
                | "refund"
                | "order"
                | "incidencia"
                | "reclamacion"
                | "reclamo"
                | "pedido"
                | "caso"
                | "solicitud"
                | "reembolso"
                | "dossier"
                | "reclamation"
                | "commande"
                | "demande"
                | "remboursement"
                | "fall"
                | "anfrage"
                | "bestellung"
                | "reklamation"
                | "beschwerde"
                | "erstattung"
                | "chamado"
                | "protocolo"
                | "reclamacao"
                | "encomenda"
        )
    };
    // "my ticket", "my open ticket", "mi incidencia abierta".
    let mine = |j: usize| {
        matter(doc.word(j)) && (j.saturating_sub(3)..j).any(|k| doc.has(k, Concepts::POSS1))
    };
    for c in &doc.clauses {
        let (cs, ce) = (c.start, c.end);
        if (cs..ce).any(|j| celebration(doc.word(j))) && (cs..ce).any(mine) {
            return Some((cs, ce));
        }
    }
    let n = doc.toks.len();
    // Hold music: "hold music", "Warteschleifenmusik", "musique d'attente", "música de espera".
    let next = |j: usize, k: usize| if j + k < n { doc.word(j + k) } else { "" };
    let music = (0..n).find(|&j| match doc.word(j) {
        "music" => j > 0 && doc.word(j - 1) == "hold",
        "musique" => next(j, 2) == "attente",
        "musica" | "musiquita" => next(j, 1) == "de" && next(j, 2) == "espera",
        w => w.starts_with("warte") && w.ends_with("musik"),
    })?;
    let by_heart = (0..n).any(|j| {
        let w = doc.word(j);
        matches!(
            w,
            "heart" | "auswendig" | "coeur" | "memoria" | "cor" | "sing" | "chanter" | "cantar"
        ) || w.ends_with("singen")
            || (w == "first" && j + 1 < n && doc.word(j + 1) == "name")
    });
    by_heart.then_some((music, n))
}

/// Token `j` ends an "again": "again", "wieder", "encore", "otra vez", "de nuevo", "de novo",
/// "outra vez".
fn is_again(doc: &Doc<'_>, j: usize) -> bool {
    let prev = if j > 0 { doc.word(j - 1) } else { "" };
    match doc.word(j) {
        "again" | "wieder" | "encore" => true,
        "vez" => matches!(prev, "otra" | "outra"),
        "nuevo" | "novo" => prev == "de",
        _ => false,
    }
}

/// A negated help verb, stated: "you're not helping", "no me ayudas", "ne m'aidez pas", "das
/// bringt alles nichts", "não está ajudando em nada". The negation comes before the verb with
/// only pronouns and auxiliaries between, or (German) after it with only pronouns and particles
/// between; "can't help it" is an idiom, a question asks. Returns the span's first and last token.
fn help_denied(doc: &Doc<'_>) -> Option<(usize, usize)> {
    let filler = Concepts::ME
        | Concepts::PRON
        | Concepts::AUX
        | Concepts::BE_AUX
        | Concepts::ADV
        | Concepts::COVERED;
    for c in &doc.clauses {
        let (cs, ce) = (c.start, c.end);
        let asked =
            (cs..ce).any(|j| doc.has(j, Concepts::QWORD)) || doc.question_mark_after(ce - 1);
        if asked {
            continue;
        }
        // A listed phrase ("didn't help", "not helping") already counted.
        let listed = Concepts::FRUST_STRONG | Concepts::FRUST_MED;
        for v in (cs..ce).filter(|&v| doc.has(v, Concepts::HELP_VERB) && !doc.has(v, listed)) {
            let mut k = v;
            // "tá", "tô": Portuguese "está", "estou" as typed.
            let aux = |k: usize| doc.has(k, filler) || matches!(doc.word(k), "ta" | "to" | "tava");
            while k > cs && aux(k - 1) && !doc.has(k - 1, Concepts::NEG) && v - k < 3 {
                k -= 1;
            }
            if k > cs
                && doc.has(k - 1, Concepts::NEG)
                && !(k > cs + 1 && doc.has(k - 2, Concepts::MODAL))
            {
                // Quote "don't help" whole, not "t help".
                let n = k - 1;
                let start = if n > cs && doc.toks[n - 1].flags & F_APOS_AFTER != 0 {
                    n - 1
                } else {
                    n
                };
                return Some((start, v));
            }
            let mut k = v + 1;
            while k < ce
                && k <= v + 3
                && (doc.has(k, filler | Concepts::DET)
                    || matches!(
                        doc.word(k),
                        "alles" | "gar" | "doch" | "das" | "uberhaupt" | "wirklich" | "echt"
                    ))
                && !doc.has(k, Concepts::NEG)
            {
                k += 1;
            }
            let german_final = k < ce && matches!(doc.word(k), "nicht" | "nichts" | "nix");
            if german_final {
                return Some((v, k));
            }
        }
    }
    None
}

/// The first token of the multi-word entry ending at `i` (or `i`).
pub(super) fn phrase_start(doc: &Doc<'_>, i: usize) -> usize {
    let mut s = i;
    while s > 0 && doc.has(s - 1, Concepts::COVERED) && s + 6 > i {
        s -= 1;
    }
    s
}

/// Frustration over the conversation: the last visitor turn, earlier visitor turns (decaying),
/// repeated questions, and the bot failing or repeating itself.
pub(super) fn conversation_score<'a>(
    last: &Doc<'a>,
    last_escalations: &[Option<escalation::Hit>],
    earlier_visitor: &[Doc<'a>],
    bots: &[Doc<'a>],
) -> Evidence<'a> {
    let mut ev = turn_score_with(last, last_escalations);
    let own = ev.score;
    // Earlier visitor turns, most recent first, count less the further back they are.
    let mut decay = 0.6f32;
    for d in earlier_visitor.iter().rev() {
        let e = turn_score(d);
        if e.score > 0.0 {
            ev.add(e.score * decay, "was already frustrated", e.first_text());
            ev.earlier_turns += 1;
        }
        decay *= 0.6;
    }
    // "this is useless" after the bot has answered twice: the answers did not help.
    if own > 0.0 && bots.len() >= 2 && !earlier_visitor.is_empty() {
        ev.add(0.3, "after several answers from the bot", "");
        ev.earlier_turns = ev.earlier_turns.max(earlier_visitor.len());
    }
    // "forget it", "ok whatever", "tant pis" ending a short clause after the bot has answered
    // twice: the visitor gives up on the chat ("whatever you recommend" is a choice).
    if bots.len() >= 2
        && let Some(i) = gives_up(last)
        && !last.any(Concepts::POSITIVE)
    {
        ev.add(
            0.55,
            "gave up after several answers",
            last.span(phrase_start(last, i), i + 1),
        );
        ev.earlier_turns = ev.earlier_turns.max(earlier_visitor.len());
    }
    let last_words = content_words(last);
    let earlier_words: Vec<Vec<&str>> = earlier_visitor.iter().map(content_words).collect();
    let repeats = earlier_words
        .iter()
        .filter(|w| similar(&last_words, w))
        .count();
    for _ in 0..repeats.min(3) {
        ev.add(0.35, "repeated the same question", "");
    }
    ev.earlier_turns = ev.earlier_turns.max(repeats);
    // The same problem reported a third time in other words ("my invoice is wrong" ... "the
    // invoice is still wrong"), with the bot answering in between.
    let same_topic = earlier_words
        .iter()
        .filter(|w| shares_topic(&last_words, w))
        .count();
    if same_topic >= 2 && repeats < 2 && bots.len() >= 2 {
        ev.add(0.35, "reported the same problem a third time", "");
        ev.earlier_turns = ev.earlier_turns.max(same_topic);
    }
    let failures = bots.iter().filter(|b| b.any(Concepts::BOTFAIL)).count();
    for _ in 0..failures.min(3) {
        ev.add(0.15, "got no answer from the bot", "");
    }
    let bot_words: Vec<Vec<&str>> = bots.iter().map(content_words).collect();
    let bot_repeated = bot_words
        .iter()
        .enumerate()
        .any(|(i, a)| bot_words[i + 1..].iter().any(|b| similar(a, b)));
    if bot_repeated {
        ev.add(0.25, "got the same answer twice", "");
    }
    ev
}

/// The last token of a give-up word or phrase that ends a clause of at most four words.
fn gives_up(doc: &Doc<'_>) -> Option<usize> {
    doc.clauses
        .iter()
        .filter(|c| c.end - c.start <= 4)
        .map(|c| c.end - 1)
        .find(|&i| doc.has(i, Concepts::GIVE_UP))
}

/// The words that carry the meaning of a turn, sorted and de-duplicated.
pub(super) fn content_words<'d>(doc: &'d Doc<'_>) -> Vec<&'d str> {
    let skip = Concepts::DET
        | Concepts::PRON
        | Concepts::AUX
        | Concepts::BE_AUX
        | Concepts::COURTESY
        | Concepts::PLEASE
        | Concepts::ME
        | Concepts::POSS1
        | Concepts::MODAL
        | Concepts::ADV;
    let mut v: Vec<&str> = (0..doc.toks.len())
        .filter(|&i| {
            let t = doc.toks[i];
            let b = doc.bits(i);
            !b.intersects(skip) && (t.e - t.s) >= 3 || b.intersects(Concepts::QWORD)
        })
        .map(|i| doc.word(i))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Two turns are about the same thing: they share two words, or one long word ("rechnung").
pub(super) fn shares_topic(a: &[&str], b: &[&str]) -> bool {
    let common = a.iter().filter(|w| b.binary_search(w).is_ok());
    let (mut n, mut long) = (0, false);
    for w in common {
        n += 1;
        long |= w.len() >= 6;
    }
    n >= 2 || long
}

/// Two turns say the same thing: most of the shorter one's words are in the other.
pub(super) fn similar(a: &[&str], b: &[&str]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < 2 {
        return false;
    }
    let common = short
        .iter()
        .filter(|w| long.binary_search(w).is_ok())
        .count();
    common >= 2 && common * 10 >= short.len() * 6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> f32 {
        turn_score(&Doc::new(text)).score
    }

    #[test]
    fn language_and_shouting_raise_the_score() {
        assert!(score("this is ridiculous") >= 0.5);
        assert!(score("STILL NOT WORKING!!!") >= 0.5);
        assert!(score("eres un bot inútil") >= 0.5);
        assert!(score("J'EN AI MARRE") >= 0.5);
        assert!(score("I'm at the end of my tether with you lot") >= 0.5);
        assert!(score("Meine Geduld ist am Ende.") >= 0.5);
        assert!(score("estoy hasta la coronilla") >= 0.5);
        assert!(score("tô de saco cheio") >= 0.5);
        // An intensifier after the first word of the turn: nothing before it to quote.
        assert!(score("annoying at all") >= 0.5);
        assert!(score("ok thanks") < 0.2);
        assert!(score("not bad") < 0.2);
    }

    #[test]
    fn repeated_questions_are_frustrating() {
        let a = Doc::new("where is my refund?");
        let b = Doc::new("where is my refund???");
        let c = Doc::new("I asked where my refund is");
        let e = conversation_score(&c, &[], &[a, b], &[]);
        assert!(e.score >= 0.5, "{}", e.score);
    }

    #[test]
    fn giving_up_is_frustration_and_a_calm_word_only_after_two_answers() {
        for t in [
            "ich gebe es auf mit euch",
            "me rindo",
            "bon, j'abandonne",
            "eu desisto",
            "what's the point of you",
        ] {
            assert!(score(t) >= 0.5, "{t}: {}", score(t));
        }
        for t in [
            "what's the point of the premium plan?",
            "para que serve o botão azul?",
        ] {
            assert!(score(t) < 0.5, "{t}: {}", score(t));
        }
        let asked = Doc::new("where is my parcel");
        let bots = [
            Doc::new("Please enter your order number."),
            Doc::new("Please enter your order number so I can check."),
        ];
        let after = |text: &str, bots: &[Doc<'_>]| {
            conversation_score(&Doc::new(text), &[], std::slice::from_ref(&asked), bots).score
        };
        for t in [
            "ok whatever",
            "Vergiss es.",
            "laissez tomber",
            "tanto faz",
            "olvídalo",
        ] {
            assert!(after(t, &bots) >= 0.5, "{t}: {}", after(t, &bots));
            assert!(after(t, &bots[..1]) < 0.5, "{t} after one answer");
        }
        for t in [
            "whatever you recommend is fine",
            "forget it, found it, thanks!",
        ] {
            assert!(after(t, &bots) < 0.5, "{t}: {}", after(t, &bots));
        }
    }

    #[test]
    fn sarcastic_set_phrases_are_frustration_unless_about_the_bot() {
        for t in [
            "Let me guess: I need to \"clear my cache\".",
            "Laissez-moi deviner : il faut redémarrer la box.",
            "Déjame adivinar: reiniciar el router.",
            "Perhaps you could let me know when it would be convenient for you to do your job.",
            "Wann wollen Sie eigentlich Ihren Job machen?",
            "Quizá podrían avisarme cuando les venga bien hacer su trabajo.",
            "Façam o seu trabalho, por favor.",
        ] {
            let s = turn_score(&Doc::new(t)).score;
            assert!(s >= 0.5, "{t}: {s}");
        }
        for t in [
            "Let me guess, you're a chatbot?",
            "Deixa eu adivinhar: você é um robô?",
            "How do I do my job with this tool?",
        ] {
            let s = turn_score(&Doc::new(t)).score;
            assert!(s < 0.5, "{t}: {s}");
        }
    }

    #[test]
    fn irony_is_a_weak_signal_and_sincere_praise_is_none() {
        for t in [
            "The plumber was booked for 9. It is 3pm, no call. Lovely.",
            "Brilliant. The app is not working after the update.",
            "Genial, tercera vez que me piden el DNI.",
            "Super, la commande n'est toujours pas partie.",
            "Keine Rückmeldung seit Montag. Reizend.",
            "Thanks for billing me twice this month.",
            "Obrigado pela terceira mensagem automática.",
            "Le colis « livré en 24 h » attend depuis une semaine. Parfait.",
            "Oh look, the chatbot again. Super.",
            "Vaya, el robot otra vez. Genial.",
            "Ah, o robô de novo. Ótimo.",
            "Merci infiniment pour le double prélèvement.",
            "Obrigado pela cobrança em dobro.",
            "Danke für die doppelte Abbuchung.",
            "Happy second birthday to my open complaint.",
            "Feliz aniversario a mi reclamación, ya tiene un año.",
            "Joyeux anniversaire à mon dossier, trois mois aujourd'hui.",
            "Meine Anfrage feiert heute Jubiläum: sechs Wochen.",
            "Parabéns ao meu pedido, faz dois meses hoje.",
            "I could sing your hold music by heart at this point.",
            "Die Warteschleifenmusik kann ich auswendig.",
            "Já sei a música de espera de cor.",
        ] {
            let d = Doc::new(t);
            assert!(ironic(&d).is_some(), "{t}");
            let s = turn_score(&d).score;
            assert!(s > super::super::LONE_WORD_SIGNAL, "{t}: {s}");
        }
        for t in [
            "Lovely, thanks, that worked.",
            "Perfect, I'll order it then.",
            "It was lovely, I'd like the same again.",
            "Super, merci beaucoup !",
            "Thanks for the quick reply.",
            "Genial, ¿y cuánto tarda el envío?",
            "Great. Could you also change the delivery address?",
            "Great, thanks again!",
            "Super, merci encore une fois !",
            "Genial, gracias otra vez.",
            "Thanks, the double room is perfect.",
            "ya funciona de nuevo, genial",
            "Great, it's working again.",
            "Super. Et on peut payer en trois fois ?",
            "Super. Sag mal, bist du ein Bot?",
            "Happy birthday to my daughter! Can I order a cake for her?",
            "Congratulations on the anniversary sale. Is my order eligible?",
            "Quel est le nom de votre musique d'attente ? J'adore.",
            "I learned the song by heart, do you sell the sheet music?",
        ] {
            assert!(ironic(&Doc::new(t)).is_none(), "{t}");
        }
    }

    #[test]
    fn a_negated_help_verb_says_the_answers_do_not_help() {
        for t in [
            "no me estás ayudando nada",
            "vous ne m'aidez pas du tout",
            "das bringt alles nichts",
            "Sie helfen mir überhaupt nicht",
            "isso não tá ajudando em nada",
        ] {
            assert!(help_denied(&Doc::new(t)).is_some(), "{t}");
        }
        for t in [
            "I don't need help anymore, thanks",
            "I can't help noticing the colour is nice",
            "does that help?",
            "that helped, thanks",
        ] {
            assert!(help_denied(&Doc::new(t)).is_none(), "{t}");
        }
    }
}

//! The conversation stage of the learned model: whether a conversation that neither the rules
//! nor the turn model hand over has become an escalation across turns, and (its request side)
//! whether a request for a person made in an earlier turn still stands.
//!
//! The turn model ([`super::model`]) reads only the last visitor turn, and on its own a short
//! "Yes. They are supposed to be." or "Never mind." is calm. After a reported problem and an
//! answer beside the point, it is not. This stage reads the shape of the conversation: how the
//! turn model read the last and the earlier visitor turns, whether the bot's answer shared any
//! word with the question, whether the visitor contradicts, repeats, gives a number, thanks.
//! It is a logistic regression over [`FEATURES`], trained by the same command as the turn model
//! on the multi-turn lines of the retired blind rounds, and it only runs on conversations with
//! an earlier visitor turn and a bot answer, so a single message is never read by it. It does
//! no I/O; `classify` decides when its probability hands over (`Blend::conversation`).
//!
//! The request side is a second logistic regression, over [`REQUEST_FEATURES`], read when an
//! earlier visitor turn was a request and the last one is not: "can I talk to someone | What
//! would you like to talk about? | a real one though", or the phone number the bot asked for
//! the callback. A last turn that withdraws the request (`withdraws`) is never read. It is
//! fitted on the retired rounds' conversations and our own (`Blend::carry`).

use super::frustration::{content_words, shares_topic, similar};
use super::lexicon::{Concepts, Doc};
use super::model::{ESCALATION, Model, REQUEST};
use super::text::F_DIGIT;
use super::{Turn, TurnAuthor};

/// How many turns before the last visitor turn are read (as the rules' conversation view).
const WINDOW: usize = 8;
/// How many earlier visitor turns the turn model reads (the most recent ones).
const EARLIER_READ: usize = 2;

/// What each feature means, in the order of the weights: also the words an explanation uses.
pub const FEATURES: [&str; 25] = [
    "the last turn read alone",
    "an earlier turn read as an escalation",
    "a problem reported earlier",
    "how often the bot answered",
    "a short reply",
    "a reply opening with yes or no",
    "still, again or already",
    "thanks or praise",
    "a question",
    "an answer beside the question",
    "a number",
    "a negation",
    "the same topic again",
    "a weak signal of the rules",
    "giving up or never mind",
    "emphasis",
    "the same answer twice from the bot",
    "a person asked for earlier",
    "the visitor corrected the bot",
    "answers beside the question",
    "a short reply after an answer that missed",
    "praise after an answer that missed",
    "details given twice",
    "the visitor says it is solved",
    "a short answer to the bot's question",
];
/// How many features the stage reads.
pub const N: usize = FEATURES.len();

/// A logistic regression over `N` features: the escalation side reads [`FEATURES`], the
/// request side [`REQUEST_FEATURES`].
#[derive(Clone, Debug, PartialEq)]
pub struct Stage<const N: usize> {
    pub bias: f32,
    pub weights: [f32; N],
}

/// The escalation side of the stage.
pub type EscalationStage = Stage<N>;
/// The request side of the stage.
pub type RequestStage = Stage<RN>;

impl<const N: usize> Stage<N> {
    /// A stage that gives every conversation 0.5 (the training command starts from it).
    pub fn zero() -> Self {
        Stage {
            bias: 0.0,
            weights: [0.0; N],
        }
    }

    /// A stage that never hands over: what a model trained without conversations carries.
    pub fn never() -> Self {
        Stage {
            bias: -100.0,
            weights: [0.0; N],
        }
    }

    /// The probability that the conversation should go to a person.
    pub fn predict(&self, x: &[f32; N]) -> f32 {
        let z = self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// The features present in the conversation that pushed most towards a handoff, strongest
    /// first, at most `n`, named by `names` (a feature absent, such as a log-odds below even,
    /// is never named).
    pub fn top_features(
        &self,
        x: &[f32; N],
        names: &[&'static str; N],
        n: usize,
    ) -> Vec<&'static str> {
        let mut pushes: Vec<(f32, usize)> = (0..N)
            .filter(|&i| x[i] > 0.0)
            .map(|i| (self.weights[i] * x[i], i))
            .filter(|(p, _)| *p > 0.0)
            .collect();
        pushes.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        pushes.iter().take(n).map(|&(_, i)| names[i]).collect()
    }

    /// Bytes of the stage: the bias and the weights, f32 LE.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.bias.to_le_bytes());
        for w in self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }

    /// Reads what [`Stage::write`] wrote; `b` must be exactly [`Stage::BYTES`] long.
    pub(super) fn read(b: &[u8]) -> Option<Self> {
        if b.len() != Self::BYTES {
            return None;
        }
        let f = |i: usize| f32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().expect("4 bytes"));
        let mut weights = [0.0; N];
        for (i, w) in weights.iter_mut().enumerate() {
            *w = f(i + 1);
        }
        Some(Stage {
            bias: f(0),
            weights,
        })
    }

    pub(super) const BYTES: usize = 4 * (N + 1);
}

/// The turn model's odds, as a log-odds scaled to [-1, 1]: the misses this stage exists for sit
/// at 0.01–0.3, where probabilities are all alike.
fn odds(p: f32) -> f32 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln() / (1e4f32).ln()
}

/// The features of the conversation whose last visitor turn is `turns[last_v]` (`last`, which
/// the turn model `m` read as `p_last`, `None` without words); `rules_score` is the rules'
/// strongest signal below threshold. `None`
/// when there is no earlier visitor turn or no bot answer before the last turn: a single
/// message is the turn model's business alone.
pub(super) fn features(
    turns: &[Turn<'_>],
    last_v: usize,
    last: &Doc<'_>,
    p_last: Option<[f32; 3]>,
    m: &Model,
    rules_score: f32,
) -> Option<[f32; N]> {
    let window = &turns[last_v.saturating_sub(WINDOW)..last_v];
    let prev_bot = window.iter().rposition(|t| t.author == TurnAuthor::Bot)?;
    let prev_visitor = window[..prev_bot]
        .iter()
        .rposition(|t| t.author == TurnAuthor::Visitor)?;
    // The earlier visitor turns, with their place in the window.
    let earlier: Vec<(usize, Doc<'_>)> = window
        .iter()
        .enumerate()
        .filter(|(_, t)| t.author == TurnAuthor::Visitor && !t.text.trim().is_empty())
        .map(|(i, t)| (i, Doc::new(t.text)))
        .collect();
    let (mut earlier_escalation, mut earlier_request) = (-1.0f32, -1.0f32);
    for (_, d) in earlier.iter().rev().take(EARLIER_READ) {
        let p = m.predict_doc(d).probs;
        earlier_escalation = earlier_escalation.max(odds(p[ESCALATION]));
        earlier_request = earlier_request.max(odds(p[REQUEST]));
    }
    let problem = Concepts::PROBLEM
        | Concepts::FAIL
        | Concepts::TECH
        | Concepts::ERRWORD
        | Concepts::FRUST_STRONG
        | Concepts::FRUST_MED;
    // Each earlier turn's content words, once (in `earlier`'s order).
    let earlier_words: Vec<Vec<&str>> = earlier.iter().map(|(_, d)| content_words(d)).collect();
    let last_words = content_words(last);
    let same_topic = earlier_words
        .iter()
        .any(|words| shares_topic(&last_words, words));
    let bot_docs: Vec<Doc<'_>> = window
        .iter()
        .filter(|t| t.author == TurnAuthor::Bot)
        .map(|t| Doc::new(t.text))
        .collect();
    let bot_words: Vec<Vec<&str>> = bot_docs.iter().map(content_words).collect();
    let bot_repeated = bot_words
        .iter()
        .enumerate()
        .any(|(i, a)| bot_words[i + 1..].iter().any(|b| similar(a, b)));
    // The bot's last answer shares no word with the visitor's turn before it.
    let asked_words: &[&str] = earlier
        .iter()
        .position(|(i, _)| *i == prev_visitor)
        .map_or(&[], |e| &earlier_words[e]);
    let beside = !asked_words.is_empty()
        && bot_words
            .last()
            .is_some_and(|a| !a.iter().any(|w| asked_words.binary_search(w).is_ok()));
    // Every bot answer that shares no word with the visitor turn just before it, and every
    // visitor turn after a bot answer that sets it right ("No, it's not the password", "I
    // already did", "Não é sobre provas").
    let (mut answers, mut answers_beside) = (0usize, 0usize);
    let mut bot_seen = 0;
    let mut corrected = false;
    for (i, t) in window.iter().enumerate() {
        if t.author == TurnAuthor::Bot {
            let before = earlier.iter().rposition(|(k, _)| *k < i);
            if let (Some(e), Some(words)) = (before, bot_words.get(bot_seen)) {
                let asked = &earlier_words[e];
                if !asked.is_empty() {
                    answers += 1;
                    answers_beside +=
                        usize::from(!words.iter().any(|w| asked.binary_search(w).is_ok()));
                }
            }
            bot_seen += 1;
        } else if bot_seen > 0
            && let Some((_, d)) = earlier.iter().find(|(k, _)| *k == i)
        {
            corrected |= corrects(d);
        }
    }
    // The bot's answers missed: one beside the question, the same answer twice, or the visitor
    // had to set it right.
    let missed = beside || bot_repeated || corrected;
    let n = last.toks.len();
    let opens_yes_no = n > 0 && last.bits(0).intersects(Concepts::AFFIRM | Concepts::NEG);
    let opens_no = n > 0 && last.bits(0).intersects(Concepts::NEG);
    let number = last.toks.iter().any(|t| t.flags & F_DIGIT != 0) || last.any(Concepts::NUMWORD);
    let stats = &last.stats;
    let emphasis = stats.exclaim > 0 || (stats.letters >= 8 && stats.upper * 2 > stats.letters);
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    Some([
        p_last.map_or(-1.0, |p| odds(p[REQUEST] + p[ESCALATION])),
        earlier_escalation,
        flag(earlier.iter().any(|(_, d)| d.any(problem))),
        bot_docs.len().min(3) as f32 / 3.0,
        flag(n <= 4),
        flag(opens_yes_no),
        flag(last.any(Concepts::STILL | Concepts::ALREADY)),
        flag(last.any(Concepts::POSITIVE)),
        flag(stats.question > 0),
        flag(beside),
        flag(number),
        flag(last.any(Concepts::NEG)),
        flag(same_topic),
        rules_score.clamp(0.0, 1.0),
        flag(last.any(Concepts::RETRACT | Concepts::GIVE_UP)),
        flag(emphasis),
        flag(bot_repeated),
        earlier_request,
        flag(corrected),
        if answers == 0 {
            0.0
        } else {
            answers_beside as f32 / answers as f32
        },
        flag(n <= 4 && missed),
        flag(last.any(Concepts::POSITIVE) && missed),
        flag(given_twice(&earlier, last)),
        flag(says_solved(last)),
        // "What's your booking number? | HX-22031": the visitor gives what the bot asked for.
        flag(
            bot_docs.last().is_some_and(|b| b.stats.question > 0)
                && n <= 8
                && !opens_no
                && !last.any(Concepts::STILL | Concepts::ALREADY),
        ),
    ])
}

/// Phrases (folded words) that say the matter is understood or works now.
const SOLVED: [&[&str]; 50] = [
    &["that", "explains", "it"],
    &["that", "did", "it"],
    &["got", "it"],
    &["makes", "sense"],
    &["found", "it"],
    &["all", "good"],
    &["panic", "over"],
    &["that", "was", "it"],
    &["hat", "geklappt"],
    &["verstanden"],
    &["alles", "klar"],
    &["stimmt", "ja"],
    &["gefunden"],
    &["c", "etait", "ca"],
    &["ca", "tient"],
    &["compris"],
    &["c", "est", "fait"],
    &["ya", "va"],
    &["entendido"],
    &["era", "eso"],
    &["ya", "esta"],
    &["listo"],
    &["era", "isso"],
    &["entendi"],
    &["ja", "esta"],
    &["voltou"],
    &["i", "m", "in"],
    &["im", "in"],
    &["now", "works"],
    &["works", "now"],
    &["works", "again"],
    &["working", "again"],
    &["worked", "this", "time"],
    &["got", "it", "this", "time"],
    &["came", "through"],
    &["lauft", "wieder"],
    &["geht", "wieder"],
    &["ist", "jetzt", "da"],
    &["jetzt", "ist", "es", "da"],
    &["ist", "angekommen"],
    &["ca", "remarche"],
    &["ca", "marche"],
    &["cette", "fois"],
    &["bien", "recu"],
    &["ya", "funciona"],
    &["ya", "llego"],
    &["funciona", "de", "nuevo"],
    &["funcionou"],
    &["ja", "chegou"],
    &["chegou", "agora"],
];

/// The last turn says the matter is understood or works now ("Ah, that explains it", "hat
/// geklappt", "c'était ça", "ya va bien", "era isso mesmo"), with no failure in it.
fn says_solved(last: &Doc<'_>) -> bool {
    let failing = last.any(Concepts::NEG | Concepts::STILL | Concepts::PROBLEM | Concepts::FAIL);
    (last.has_phrase(&SOLVED) && !failing) || super::complex::works_stated(last)
}

/// The visitor gave the same number twice: an order number, a reference or a postcode asked for
/// again ("77314. As above.").
fn given_twice(earlier: &[(usize, Doc<'_>)], last: &Doc<'_>) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for d in earlier.iter().map(|(_, d)| d).chain([last]) {
        let numbers: Vec<&str> = (0..d.toks.len())
            .filter(|&j| d.toks[j].flags & F_DIGIT != 0 && d.word(j).len() >= 3)
            .map(|j| d.word(j))
            .collect();
        if numbers.iter().any(|w| seen.contains(w)) {
            return true;
        }
        seen.extend(numbers);
    }
    false
}

/// A visitor turn that sets the bot's answer right: a negation among its first words ("No, it's
/// not the password", "Não é sobre provas", "That's not what I asked") or something already
/// done ("I already did that").
fn corrects(d: &Doc<'_>) -> bool {
    (0..d.toks.len().min(3)).any(|j| d.has(j, Concepts::NEG)) || d.any(Concepts::ALREADY)
}

/// What each feature of the request side means, in the order of its weights.
pub const REQUEST_FEATURES: [&str; 26] = [
    "a request for a person made earlier",
    "an earlier turn read as a request",
    "how often the bot answered since",
    "the last turn read alone as a request",
    "the last turn read alone as an escalation",
    "giving up",
    "a negation",
    "thanks or praise",
    "a question",
    "a short reply",
    "a reply opening with yes",
    "a reply opening with no",
    "a person or a call named again",
    "contact details",
    "still, again or already",
    "the bot offered a person",
    "the bot asked a question",
    "another trigger on the last turn",
    "the same topic as the request",
    "the bot said it is a bot",
    "a bare nudge",
    "only or just",
    "a short answer to the bot's question",
    "the bot said the request is noted",
    "the bot offered a choice",
    "the visitor sees to it alone",
];
/// How many features the request side reads.
pub const RN: usize = REQUEST_FEATURES.len();

/// A request for a person in an earlier visitor turn.
pub(super) struct EarlierRequest<'a> {
    /// The turn's index in the conversation.
    pub turn: usize,
    /// Its words.
    pub doc: Doc<'a>,
    /// The rules' confidence that it is a request, 0 when they did not read one.
    pub rules: f32,
    /// The turn model's P(request) for it.
    pub model: f32,
}

/// Phrases (folded words) that say the need is gone: a request made earlier does not carry
/// over them. Matched as whole words, so "no need" is not found in "know needles".
pub(super) const SETTLED: [&[&str]; 59] = [
    &["no", "need"],
    &["not", "needed"],
    &["no", "longer", "need"],
    &["don", "t", "need", "anyone"],
    &["dont", "need", "anyone"],
    &["don", "t", "need", "one"],
    &["found", "it"],
    &["sorted", "it"],
    &["all", "sorted"],
    &["figured", "it", "out"],
    &["worked", "it", "out"],
    &["scratch", "that"],
    &["cancel", "that"],
    &["ignore", "that"],
    &["ignore", "me"],
    &["don", "t", "bother"],
    &["dont", "bother"],
    &["cancel", "the", "call"],
    &["cancel", "the", "callback"],
    &["that", "s", "all", "i", "needed"],
    &["all", "set"],
    &["no", "hace", "falta"],
    &["ya", "lo", "encontre"],
    &["ya", "lo", "vi"],
    &["ya", "encontre"],
    &["olvide", "lo"],
    &["olvida", "lo"],
    &["olvidelo"],
    &["no", "importa"],
    &["ya", "esta", "resuelto"],
    &["pas", "besoin"],
    &["pas", "la", "peine"],
    &["inutile", "de"],
    &["plus", "besoin"],
    &["c", "est", "bon"],
    &["j", "ai", "trouve"],
    &["annulez"],
    &["oubliez"],
    &["c", "est", "regle"],
    &["hat", "sich", "erledigt"],
    &["schon", "erledigt"],
    &["passt", "schon"],
    &["hab", "s", "gefunden"],
    &["habe", "es", "gefunden"],
    &["selbst", "gefunden"],
    &["nicht", "mehr", "notig"],
    &["nicht", "notig"],
    &["vergiss", "es"],
    &["vergessen", "sie", "es"],
    &["brauche", "niemanden"],
    &["nao", "precisa"],
    &["nao", "e", "preciso"],
    &["ja", "resolvi"],
    &["ja", "achei"],
    &["ja", "consegui"],
    &["pode", "cancelar"],
    &["deixe", "estar"],
    &["deixa", "estar"],
    &["deixa", "pra", "la"],
];

/// The last turn takes a request back or says none is needed: "never mind", "no need for the
/// human then", "hat sich erledigt", "c'est bon", or a request the rules read (`family`) as
/// negated or imagined. No earlier request carries over it.
pub(super) fn withdraws(last: &Doc<'_>, family: &str) -> bool {
    if matches!(
        family,
        "negated_request" | "hypothetical_request" | "withdrawn_request"
    ) || last.any(Concepts::RETRACT)
        || (last.any(Concepts::NEG)
            && last.any(Concepts::P_ANY | Concepts::NEEDED | Concepts::TRANSFER))
    {
        return true;
    }
    last.has_phrase(&SETTLED)
}

/// The request side's features: whether the request made in `asked` still stands at the last
/// visitor turn `turns[last_v]` (`last`, which the turn model read as `p_last`; it does not
/// withdraw the request); `other_trigger`: an AI trigger fired on it.
pub(super) fn request_features(
    turns: &[Turn<'_>],
    last_v: usize,
    asked: &EarlierRequest<'_>,
    last: &Doc<'_>,
    p_last: Option<[f32; 3]>,
    other_trigger: bool,
) -> [f32; RN] {
    let since = &turns[asked.turn + 1..last_v];
    let bots = since.iter().filter(|t| t.author == TurnAuthor::Bot).count();
    let bot = since
        .iter()
        .rev()
        .find(|t| t.author == TurnAuthor::Bot)
        .map(|t| Doc::new(t.text));
    let person = Concepts::P_STRONG
        | Concepts::P_SOMEONE
        | Concepts::P_GROUP
        | Concepts::TRANSFER
        | Concepts::CALLBACK;
    let n = last.toks.len();
    let opens = |c: Concepts| n > 0 && last.bits(0).intersects(c);
    let contact = last.toks.iter().any(|t| t.flags & F_DIGIT != 0) || last.orig.contains('@');
    let same_topic = shares_topic(&content_words(last), &content_words(&asked.doc));
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let bot_asked = bot.as_ref().is_some_and(|b| b.stats.question > 0);
    // A turn without words reads as calm.
    let p = p_last.unwrap_or([0.0, 0.0, 1.0]);
    [
        asked.rules.clamp(0.0, 1.0),
        odds(asked.model),
        bots.min(3) as f32 / 3.0,
        odds(p[REQUEST]),
        odds(p[ESCALATION]),
        flag(last.any(Concepts::GIVE_UP)),
        flag(last.any(Concepts::NEG)),
        flag(last.any(Concepts::POSITIVE)),
        flag(last.stats.question > 0),
        flag(n <= 4),
        flag(opens(Concepts::AFFIRM)),
        flag(opens(Concepts::NEG)),
        flag(last.any(person | Concepts::P_WEAK | Concepts::CONTACT)),
        flag(contact),
        flag(last.any(Concepts::STILL | Concepts::ALREADY)),
        flag(bot.as_ref().is_some_and(|b| b.any(person))),
        flag(bot_asked),
        flag(other_trigger),
        flag(same_topic),
        flag(bot.as_ref().is_some_and(|b| b.any(Concepts::BOTNOUN))),
        // "so?", "und?", "¿y?", "still there?", "?": the visitor presses without saying more.
        flag(n <= 3 && (n == 0 || last.stats.question > 0)),
        // "oh, it's only the delivery date", "nur kurz, ob Sie sonntags offen haben": the
        // matter is small enough for the bot.
        flag((0..n).any(|j| is_only(last.word(j)))),
        // "Which number? | the one on my account", "¿Sobre qué es? | la cuota del gimnasio":
        // the visitor answers the follow-up and the request stands.
        flag(bot_asked && n <= 8 && !opens(Concepts::NEG) && !last.any(Concepts::GIVE_UP)),
        // "Your request is logged. | and? nobody called": pressing after a promise.
        flag(bot.as_ref().is_some_and(|b| b.has_phrase(&NOTED))),
        // "Transfer funds, or speak to an agent? | funds": the visitor picks an option.
        flag(bot_asked && bot.as_ref().is_some_and(offers_choice)),
        // "I'll ring the branch myself", "ya lo miro yo en la web", "je vais me débrouiller".
        flag(says_solved(last) || last.has_phrase(&ON_MY_OWN)),
    ]
}

/// The bot's turn offers options ("…, or speak to an agent?", "oder", "ou", "o").
fn offers_choice(b: &Doc<'_>) -> bool {
    (1..b.toks.len()).any(|j| matches!(b.word(j), "or" | "oder" | "ou" | "o"))
}

/// Phrases (folded words) of a bot turn that says a request was taken down or a call promised.
const NOTED: [&[&str]; 24] = [
    &["logged"],
    &["noted"],
    &["registered"],
    &["we", "ll", "call"],
    &["will", "call", "you"],
    &["will", "be", "in", "touch"],
    &["notiert"],
    &["aufgenommen"],
    &["vermerkt"],
    &["melden", "uns"],
    &["rufen", "sie", "zuruck"],
    &["enregistree"],
    &["notee"],
    &["vous", "rappellerons"],
    &["vous", "rappellera"],
    &["registrada"],
    &["registrado"],
    &["anotado"],
    &["anote"],
    &["lo", "llamaremos"],
    &["le", "llamaremos"],
    &["registada"],
    &["anotei"],
    &["retornaremos"],
];

/// Phrases (folded words) of a visitor who will see to the matter alone.
pub(super) const ON_MY_OWN: [&[&str]; 16] = [
    &["myself"],
    &["i", "ll", "manage"],
    &["i", "ll", "figure"],
    &["i", "ll", "sort", "it"],
    &["selbst"],
    &["selber"],
    &["lass", "mal"],
    &["lassen", "sie", "mal"],
    &["me", "debrouiller"],
    &["moi", "meme"],
    &["laissez", "faire"],
    &["laisse", "faire"],
    &["lo", "miro", "yo"],
    &["yo", "mismo"],
    &["eu", "mesmo"],
    &["eu", "mesma"],
];

/// "only", "just", "nur", "juste", "seulement", "solo", "apenas": what makes a matter small.
pub(super) fn is_only(w: &str) -> bool {
    matches!(
        w,
        "only"
            | "just"
            | "merely"
            | "nur"
            | "bloss"
            | "juste"
            | "seulement"
            | "simplement"
            | "solo"
            | "solamente"
            | "simplemente"
            | "apenas"
            | "somente"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_round_trips_and_explains_its_strongest_pushes() {
        let mut s = EscalationStage::zero();
        s.bias = -1.0;
        s.weights[4] = 2.0;
        s.weights[7] = -3.0;
        s.weights[9] = 1.0;
        let mut b = Vec::new();
        s.write(&mut b);
        assert_eq!(b.len(), EscalationStage::BYTES);
        assert_eq!(EscalationStage::read(&b), Some(s.clone()));
        assert_eq!(EscalationStage::read(&b[1..]), None);
        let mut x = [0.0; N];
        x[4] = 1.0;
        x[7] = 1.0;
        x[9] = 1.0;
        assert_eq!(
            s.top_features(&x, &FEATURES, 3),
            vec!["a short reply", "an answer beside the question"]
        );
        assert!(s.predict(&x) < 0.5);
    }

    #[test]
    fn a_withdrawal_is_a_whole_phrase_or_a_declined_request() {
        for t in [
            "no need, found it",
            "c'est bon merci",
            "Hat sich erledigt.",
            "não precisa, já resolvi",
            "never mind",
            "I don't need anyone now",
        ] {
            assert!(withdraws(&Doc::new(t), "none"), "{t}");
        }
        for t in [
            "I know needles are sharp",
            "still need that callback",
            "the person please",
            "found",
            "",
        ] {
            assert!(!withdraws(&Doc::new(t), "none"), "{t}");
        }
        assert!(withdraws(&Doc::new("talk to a human"), "negated_request"));
    }

    #[test]
    fn solved_means_it_works_now_not_a_nudge_or_a_question() {
        for t in [
            "ah that explains it",
            "ok it worked this time",
            "got it this time, thanks",
            "jetzt ist es da",
            "ist jetzt da, danke",
            "ça remarche",
        ] {
            assert!(says_solved(&Doc::new(t)), "{t}");
        }
        for t in [
            "Hallo, ist da jemand?",
            "ist da noch wer",
            "why this time?",
            "not this time either",
            "ça marche pas",
        ] {
            assert!(!says_solved(&Doc::new(t)), "{t}");
        }
    }

    #[test]
    fn a_single_message_or_no_answer_yet_is_not_read() {
        let m = Model::zero();
        let one = [Turn::visitor("this is useless")];
        assert!(features(&one, 0, &Doc::new(one[0].text), None, &m, 0.0).is_none());
        let two = [Turn::visitor("hello"), Turn::visitor("anyone?")];
        assert!(features(&two, 1, &Doc::new(two[1].text), None, &m, 0.0).is_none());
        let answered = [
            Turn::visitor("the app shows an error since Monday"),
            Turn::bot("We offer fibre plans from 20 euros."),
            Turn::visitor("No. It has been 5 days."),
        ];
        let last = Doc::new(answered[2].text);
        let read = Some(m.predict_doc(&last).probs);
        let x = features(&answered, 2, &last, read, &m, 0.0).expect("read");
        assert_eq!(x[2], 1.0, "a problem reported earlier");
        assert_eq!(x[5], 1.0, "opens with no");
        assert_eq!(x[9], 1.0, "the answer shares no word with the question");
        assert_eq!(x[10], 1.0, "a number");
    }
}

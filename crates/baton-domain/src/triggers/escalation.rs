//! Escalations that real support teams route to people although the visitor names no person: a
//! refusal of the bot ("no more bots please", "cansei de falar com robô"), a question whether
//! people work there at all, a service that does not answer ("your hotline never picks up"), a
//! complaint to file, an accusation of fraud or theft, a demand for an immediate fix, a demand
//! ("I demand a refund", "cancel everything"), a legal or consumer-body threat ("I'll contact my
//! lawyer", "vou no Procon"), a long wait ("waiting 3 weeks"), nobody answering, contact
//! repeated three times or more, and whether anyone is there to help.
//!
//! Each rule reads one clause of one visitor turn and looks for a concept by its grammar (a
//! refusal word or a negated wish governing the bot; a work verb with a place; a negated answer
//! verb after a service), not for memorised sentences. The refusal, the staff and presence
//! questions and the unreachable service are requests for a person; the others are frustration
//! signals (`frustration` weighs them), so a bot that turns
//! frustration off keeps them as plain conversation. Reads only the turn it is given.

use std::ops::Deref;
use std::sync::OnceLock;

use super::lexicon::{Concepts, Doc, WordMap, bits_by_word};

mod incident;

/// What kind of escalation a clause shows; its name is the rule family shown in explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// "I'm done talking to a machine", "keine Bots mehr", "no quiero un robot".
    RefusalOfBot,
    /// "does anyone actually work there?", "¿hay personas trabajando ahí?".
    StaffQuestion,
    /// "customer care is not picking up", "Ihre Hotline ist nie erreichbar".
    UnreachableService,
    /// "I want to file a complaint", "comment faire une réclamation ?".
    Complaint,
    /// "this is a scam", "das ist Betrug", "isso é golpe".
    FraudAccusation,
    /// "fix this right now", "quiero una solución inmediata".
    ImmediateResolution,
    /// "I demand a refund", "cancel everything", "exijo que me devuelvan mi dinero".
    Demand,
    /// "I'll contact my lawyer", "ich gehe zur Verbraucherzentrale", "vou no Procon",
    /// "I'm filing a chargeback".
    LegalThreat,
    /// "I've been waiting 3 weeks", "ça fait 10 jours que j'attends", "llevo una semana esperando".
    LongWait,
    /// "I've called 5 times and no one picks up", "nadie me responde desde hace días": nobody
    /// answers, no service named.
    NoAnswer,
    /// "ive emailed you 4 times", "this is my fourth message", "ya van tres veces".
    RepeatedContact,
    /// "the upload has failed 7 times in a row", "payment declined, fourth attempt", "ya es la
    /// tercera vez que falla": the same failure again and again.
    RepeatedFailure,
    /// "is anyone even reading these messages?", "is there someone I can speak with?": whether
    /// anyone is there to help.
    PresenceQuestion,
    /// "my account was hacked", "someone ordered with my card", "cargo no autorizado".
    AccountTakeover,
    /// "the charger caught fire", "my son got a rash from your cream", "a explosé".
    SafetyIncident,
    /// "you sent me someone else's invoice", "Datenleck", "vazaram meus dados".
    PrivacyBreach,
    /// "I'm taking my business elsewhere", "je vais laisser un avis partout", "o lo solucionan o
    /// me cambio de compañía": the visitor threatens to leave or to tell everyone.
    ChurnThreat,
}

/// How many kinds of escalation there are: the size of [`detect`]'s output.
pub(super) const KINDS: usize = 17;

impl Kind {
    pub(super) fn family(self) -> &'static str {
        match self {
            Kind::RefusalOfBot => "refusal_of_bot",
            Kind::StaffQuestion => "staff_question",
            Kind::UnreachableService => "unreachable_service",
            Kind::Complaint => "complaint",
            Kind::FraudAccusation => "fraud_accusation",
            Kind::ImmediateResolution => "immediate_resolution",
            Kind::Demand => "demand",
            Kind::LegalThreat => "legal_threat",
            Kind::LongWait => "long_wait",
            Kind::NoAnswer => "no_answer",
            Kind::RepeatedContact => "repeated_contact",
            Kind::RepeatedFailure => "repeated_failure",
            Kind::PresenceQuestion => "presence_question",
            Kind::AccountTakeover => "account_takeover",
            Kind::SafetyIncident => "safety_incident",
            Kind::PrivacyBreach => "privacy_breach",
            Kind::ChurnThreat => "churn_threat",
        }
    }

    /// Requests for a person are honoured as the visitor's request; the rest are frustration.
    pub(super) fn is_request(self) -> bool {
        matches!(
            self,
            Kind::RefusalOfBot
                | Kind::StaffQuestion
                | Kind::UnreachableService
                | Kind::PresenceQuestion
        )
    }

    /// The words an agent reads in the reason.
    pub(super) fn note(self) -> &'static str {
        match self {
            Kind::RefusalOfBot => "refuses to go on with the bot",
            Kind::StaffQuestion => "asks whether people work there",
            Kind::UnreachableService => "says the service does not answer",
            Kind::Complaint => "wants to file a complaint",
            Kind::FraudAccusation => "accuses the business of fraud",
            Kind::ImmediateResolution => "demands an immediate fix",
            Kind::Demand => "makes a demand",
            Kind::LegalThreat => "threatens legal or consumer action",
            Kind::LongWait => "has been waiting a long time",
            Kind::NoAnswer => "says nobody answers or helps",
            Kind::RepeatedContact => "has written or called several times",
            Kind::RepeatedFailure => "reports the same failure again and again",
            Kind::PresenceQuestion => "asks whether anyone is there",
            Kind::AccountTakeover => "reports an account or card taken over",
            Kind::SafetyIncident => "reports harm done by a product",
            Kind::PrivacyBreach => "reports personal data exposed",
            Kind::ChurnThreat => "threatens to leave or to post reviews",
        }
    }
}

/// One escalation found in a clause: the kind, its weight and the two words that decided it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hit {
    pub kind: Kind,
    pub score: f32,
    pub start: usize,
    pub end: usize,
    pub cue: usize,
    pub head: usize,
}

/// Every escalation in `doc`, strongest per kind, in clause order (at most one per kind).
pub(super) fn detect(doc: &Doc<'_>, out: &mut [Option<Hit>; KINDS]) {
    let doc = &Words::new(doc);
    for c in &doc.clauses {
        let (cs, ce) = (c.start, c.end);
        let concepts = doc.concepts_in(cs, ce);
        let lists = doc.lists[cs..ce].iter().fold(0, |acc, l| acc | l);
        // A rule whose cue words are all missing from the clause cannot fire: it is not run
        // (debug builds run it anyway and check that it finds nothing).
        let gated = |cued: bool, rule: Rule| {
            if cued {
                rule(doc, cs, ce)
            } else {
                debug_assert!(
                    rule(doc, cs, ce).is_none(),
                    "a rule fired without its cue: {:?}",
                    doc.span(cs, ce)
                );
                None
            }
        };
        let found = [
            gated(concepts.intersects(Concepts::BOTNOUN), refusal_of_bot),
            gated(lists & Lists::WORK_VERB != 0, staff_question),
            gated(
                concepts.intersects(Concepts::P_GROUP)
                    || lists & (Lists::SERVICE_LINE | Lists::CENTRE | Lists::PHONE) != 0,
                unreachable_service,
            ),
            gated(
                lists & (Lists::COMPLAINT | Lists::REPORT | Lists::CLAIM) != 0,
                complaint,
            ),
            fraud_accusation(doc, cs, ce),
            immediate_resolution(doc, cs, ce),
            gated(
                lists
                    & (Lists::DEMAND
                        | Lists::CANCEL
                        | Lists::REFUND_ORDER
                        | Lists::MONEY
                        | Lists::COMPENSATION)
                    != 0,
                demand,
            ),
            gated(
                lists
                    & (Lists::LEGAL_PARTY | Lists::LEGAL_CUE | Lists::WITHHOLD | Lists::STOP_VERB)
                    != 0,
                legal_threat,
            ),
            gated(
                concepts.intersects(Concepts::STILL)
                    || lists & (Lists::PROMISE | Lists::WAIT | Lists::TRYING | Lists::REPLY_NOUN)
                        != 0,
                long_wait,
            ),
            gated(
                lists
                    & (Lists::READ_VERB
                        | Lists::LISTEN_VERB
                        | Lists::ANSWER_VERB
                        | Lists::CARE_VERB)
                    != 0,
                nobody_answers,
            ),
            gated(
                lists & (Lists::TIMES | Lists::TIMES_COMPOUND | Lists::MESSAGE | Lists::MESSAGES)
                    != 0,
                repeated_contact,
            ),
            gated(lists & Lists::FAILURE != 0, repeated_failure),
            presence_question(doc, cs, ce),
        ];
        let [takeover, harm, exposed] = incident::detect(doc, cs, ce);
        let found = found.into_iter().chain([
            takeover,
            harm,
            exposed,
            gated(lists & Lists::CHURN_CUE != 0, churn_threat),
        ]);
        for (slot, hit) in out.iter_mut().zip(found) {
            if let Some(h) = hit
                && slot.is_none_or(|s| h.score > s.score)
            {
                *slot = Some(h);
            }
        }
    }
}

/// One rule: the escalation it finds in clause `[cs, ce)` of a turn, if any.
type Rule = fn(&Words<'_, '_>, usize, usize) -> Option<Hit>;

/// The word starts with one of `letters`: a cheap filter before comparing whole words, for the
/// word tests that run on every word of every clause.
fn starts_with_any(w: &str, letters: &[u8]) -> bool {
    w.as_bytes().first().is_some_and(|b| letters.contains(b))
}

fn hit(kind: Kind, score: f32, cs: usize, ce: usize, cue: usize, head: usize) -> Option<Hit> {
    Some(Hit {
        kind,
        score,
        start: cs,
        end: ce,
        cue,
        head,
    })
}

/// The rules' word lists a word is on, as bits of a `u64`: every word of a turn is looked up
/// once ([`Words`]), and each rule then tests bits instead of comparing strings.
struct Lists;

impl Lists {
    /// Refusing to go on: "done", "enough", "sick", "basta", "chega", "marre", "genug", "aguento".
    const REFUSAL: u64 = 1 << 0;
    /// Working somewhere: "work", "arbeiten", "travaillent", "trabajan", "trabalham".
    const WORK_VERB: u64 = 1 << 1;
    /// A verb of reaching someone: "reach", "get through", "joindre", "erreichen", "comunicarme",
    /// "contactar", "falar".
    const REACH_VERB: u64 = 1 << 2;
    /// "nobody seems to care", "nadie me ayuda", "ninguém resolve": help that never comes.
    const CARE_VERB: u64 = 1 << 3;
    /// A word that reports something failing (folded: no accents).
    const FAILURE: u64 = 1 << 4;
    /// "attempt", "try", "Versuch", "tentative", "intento", "tentativa".
    const ATTEMPT: u64 = 1 << 5;
    /// A contact already made: "called", "emailed", "wrote", "angerufen", "appelé", "escribo".
    const CONTACT_DONE: u64 = 1 << 6;
    /// Times counted after a number: "times", "Mal", "fois", "veces", "vezes".
    const TIMES: u64 = 1 << 7;
    /// A count of times in one word: "dreimal", "mehrmals", "3x".
    const TIMES_COMPOUND: u64 = 1 << 8;
    /// Third or later: "third", "4th", "dritten", "troisième", "tercera", "quarta".
    const ORDINAL: u64 = 1 << 9;
    /// One message or call, after an ordinal: "my fourth email", "la tercera llamada".
    const MESSAGE: u64 = 1 << 10;
    /// A line or service that cannot be reached: "down", "offline", "busy", "besetzt",
    /// "injoignable", "ocupado".
    const UNREACHABLE: u64 = 1 << 11;
    /// Answering or picking up, in any form: "answer", "picks", "meldet", "répondent",
    /// "contestan", "atende".
    const ANSWER_VERB: u64 = 1 << 12;
    /// "who", "wem", "quién", "qui", "quem": whom to address a complaint to is asked.
    const WHO: u64 = 1 << 13;
    /// A complaint or complaining, and the complaints channels: "complaint", "Beschwerde",
    /// "plainte", "queja", "reclamação", "Beschwerdestelle", "ouvidoria".
    const COMPLAINT: u64 = 1 << 14;
    /// Protection from fraud or a warning about it, named before the fraud word: "protection
    /// contre la fraude", "aviso de estafas", "Schutz vor Betrug".
    const SHIELD_NOUN: u64 = 1 << 15;
    /// Guarding against something: "avoid", "prevent", "spot", "vermeiden", "éviter", "evitar".
    const PREVENT: u64 = 1 << 16;
    /// A fix done by someone else: a participle ("resolved", "erledigt", "réglé", "resuelto",
    /// "resolvido") or a third-person or subjunctive form ("resolvam", "solucionen", "régliez").
    const FIX_DONE: u64 = 1 << 17;
    /// "expect", "erwarte", "j'attends que", "espero": a demand stated as an expectation.
    const EXPECT: u64 = 1 << 18;
    /// A clause opened by "that"/"dass"/"que": the complement of a wish in the clause before.
    const THAT: u64 = 1 << 19;
    /// A fix as a noun: "resolution", "solution", "Lösung", "solución", "solução".
    const FIX_NOUN: u64 = 1 << 20;
    /// At once: "now", "immediately", "today", "asap", "sofort", "maintenant", "ahora", "hoje".
    const URGENT: u64 = 1 << 21;
    /// Demanding: "demand", "insist", "exijo", "verlange", "fordere".
    const DEMAND: u64 = 1 << 22;
    /// Cancelling: "cancel", "stornieren", "kündigen", "annulez", "résilier", "cancelar".
    const CANCEL: u64 = 1 << 23;
    /// An order to give money back: "refund", "remboursez", "erstatten", "devuelvan", "reembolsem".
    const REFUND_ORDER: u64 = 1 << 24;
    /// Trying: "trying", "tried", "versuche", "essaie", "intento", "tentando".
    const TRYING: u64 = 1 << 25;
    /// "no answer", "keine Antwort", "sans réponse", "sin respuesta", "sem resposta" (after a
    /// negation).
    const REPLY_NOUN: u64 = 1 << 26;
    /// Promised: "promised", "versprochen", "promis", "prometieron", "prometeram".
    const PROMISE: u64 = 1 << 27;
    /// A unit of a long wait: "days", "weeks", "ages", "Wochen", "semaines", "meses".
    const DURATION_UNIT: u64 = 1 << 28;
    /// The phone or a phone number: "phone", "line", "number", "Rufnummer", "ligne", "linha".
    const PHONE: u64 = 1 << 29;
    /// Messages or calls counted: "three emails", "5 calls", "drei Nachrichten" (plural only: "3
    /// call centers" counts centres).
    const MESSAGES: u64 = 1 << 30;
    /// Helping or explaining, as an infinitive or a request: "ayudar", "helfen", "atenderme",
    /// "explicar" (with [`Lists::CARE_VERB`]).
    const HELP_VERB: u64 = 1 << 31;
    /// Waiting: "waiting", "hold", "Warteschleife", "attente", "llevo", "aguardando" (with
    /// [`Lists::PROMISE`]).
    const WAIT: u64 = 1 << 32;
    /// Fraud, scams and theft named: "scam", "fraud", "Betrug", "arnaque", "estafa", "golpe"
    /// (with the stems of [`is_fraud_stem`]).
    const FRAUD: u64 = 1 << 33;
    /// A legal word that names a party or a body on its own ("lawyer", "Verbraucherzentrale",
    /// "procon"), as opposed to one that needs its neighbours ("legal" action).
    const LEGAL_PARTY: u64 = 1 << 34;
    /// A payment the visitor may dispute or disown: [`PAYMENT_WORDS`].
    const PAYMENT: u64 = 1 << 35;
    /// A verb asking for a fix: "fix", "sort", "beheben", "réglez", "arreglen", "resolvam".
    const FIX_VERB: u64 = 1 << 36;
    /// Reading: "read", "lesen", "liest", "lisez", "lit", "leen", "lee", "leem", "ler".
    const READ_VERB: u64 = 1 << 37;
    /// Listening: "listen", "listening", "zuhören", "écoutez", "escuchan", "ouvindo".
    const LISTEN_VERB: u64 = 1 << 38;
    /// "you" as the one addressed, in any form: "you", "u", "Sie", "ihr", "vous", "ustedes",
    /// "vocês".
    const YOU: u64 = 1 << 39;
    /// What the visitor wrote, as what is read: "these", "this", "what", "Nachrichten", "ce
    /// que", "lo que", "isso".
    const READ_THING: u64 = 1 << 40;
    /// Words that make a question rhetorical: "actually", "even", "really", "eigentlich",
    /// "überhaupt", "vraiment", "moins" ("au moins"), "siquiera", "de verdad", "sequer".
    const RHETORICAL: u64 = 1 << 41;
    /// A support line by its name: "hotline", "helpline", "callcenter", "SAC", "standard".
    const SERVICE_LINE: u64 = 1 << 42;
    /// "center", "centre", after "call" or "contact".
    const CENTRE: u64 = 1 << 43;
    /// Reporting: "report", "reportar", "signaler", "melden" (see [`is_report_verb`]).
    const REPORT: u64 = 1 << 44;
    /// A claim: "claim", "réclamation" (see [`is_claim`]).
    const CLAIM: u64 = 1 << 45;
    /// The words [`is_legal_word`] reads with their neighbours: "court", "legal", "rechtliche",
    /// "acciones", "consumer", "bank", "dispute", "anzeige"... (the cue that lets
    /// [`legal_threat`] run).
    const LEGAL_CUE: u64 = 1 << 46;
    /// Money, as what is wanted back: "money", "Geld", "argent", "dinero", "dinheiro".
    const MONEY: u64 = 1 << 47;
    /// Compensation for a loss: "compensation", "Entschädigung", "dédommagement",
    /// "indemnización", "ressarcimento".
    const COMPENSATION: u64 = 1 << 48;
    /// The words [`churn_threat`] reads with their neighbours: where the visitor goes
    /// ("elsewhere", "Konkurrenz", "operadora"), the reviews promised ("review", "avis",
    /// "Bewertung") and cancelling ("kündige", "baja").
    const CHURN_CUE: u64 = 1 << 49;
    /// Withholding: "withhold", "withholding" (a payment withheld is a threat on its own).
    const WITHHOLD: u64 = 1 << 50;
    /// Stopping or revoking: "stop", "suspend", "revoke", "widerrufe", "einstellen",
    /// "suspendre", "dejo de", "suspender", "parar" (a threat with [`Lists::UNTIL`]).
    const STOP_VERB: u64 = 1 << 51;
    /// Payments and paying as what is stopped: "payments", "direct debit", "Lastschriftmandat",
    /// "prélèvements", "pagos", "pagamentos", "paying", "pagar" (with [`Lists::PAYMENT`]).
    const PAYING: u64 = 1 << 52;
    /// Until: "until", "till", "bis", "jusqu", "hasta", "até", "solange".
    const UNTIL: u64 = 1 << 53;
}

/// Every word list of the rules with its bit (folded words: no accents, lower case).
#[rustfmt::skip]
const LISTS: &[(u64, &[&str])] = &[
    (Lists::REFUSAL, &[
        "done", "enough", "sick", "tired", "fed", "refuse", "quit", "basta", "harto", "harta",
        "cansado", "cansada", "cansei", "canso", "chega", "assez", "marre", "schluss", "genug",
        "satt", "refuso", "recuso", "weigere", "stop", "aguento", "aguanto", "supporte", "ertrage",
    ]),
    (Lists::WORK_VERB, &[
        "work", "works", "working", "arbeiten", "arbeitet", "arbeitest", "travaillent", "travaille",
        "trabajan", "trabaja", "trabajando", "trabalham", "trabalha", "trabalhando",
    ]),
    (Lists::REACH_VERB, &[
        "get", "avoir", "obtenir", "contato", "contacto", "reach", "through", "contact", "joindre",
        "contacter", "erreichen", "erreiche", "durchkommen", "durch", "comunicarme", "comunicar",
        "contactar", "localizar", "contatar", "falar",
    ]),
    (Lists::CARE_VERB, &[
        "care", "cares", "help", "helps", "hilft", "kummert", "aide", "ayuda", "resuelve", "ajuda",
        "resolve", "importa", "explain", "explains", "erklart", "explique", "explica",
    ]),
    (Lists::FAILURE, &[
        "failed", "fails", "failing", "declined", "rejected", "crashed", "crashes", "crashing",
        "freezes", "froze", "hangs", "cuelga", "trava", "error", "broke", "broken", "bounced",
        "fehlgeschlagen", "fehl", "abgelehnt", "abgesturzt", "sturzt", "fehler", "kaputt", "echoue",
        "refusee", "plante", "erreur", "casse", "fallo", "falla", "rechazado", "rechazada",
        "rechazo", "roto", "falhou", "falha", "recusado", "recusada", "travou", "erro", "quebrado",
    ]),
    (Lists::ATTEMPT, &[
        "attempt", "try", "versuch", "tentative", "intento", "tentativa",
    ]),
    (Lists::CONTACT_DONE, &[
        "reported", "complained", "rung", "rang", "phoned", "gemeldet", "signale", "reportado",
        "reclame", "reclamei", "called", "emailed", "wrote", "written", "messaged", "contacted",
        "asked", "tried", "angerufen", "geschrieben", "gemailt", "kontaktiert", "appele", "ecrit",
        "relance", "contacte", "llame", "escrito", "escribo", "escribi", "contactado", "liguei",
        "escrevi", "contatei", "mandei", "write", "writing", "ecris", "schreibe", "escrevo",
        "escribiendo", "escrevendo",
    ]),
    (Lists::TIMES, &[
        "times", "time", "mal", "fois", "veces", "vez", "vezes",
    ]),
    (Lists::TIMES_COMPOUND, &[
        "dreimal", "viermal", "funfmal", "sechsmal", "zehnmal", "mehrmals", "x3", "3x",
    ]),
    (Lists::ORDINAL, &[
        "third", "fourth", "fifth", "3rd", "4th", "5th", "dritte", "dritten", "vierte", "vierten",
        "troisieme", "quatrieme", "tercera", "tercer", "cuarta", "cuarto", "terceira", "terceiro",
        "quarta", "quarto",
    ]),
    (Lists::MESSAGE, &[
        "message", "email", "mail", "call", "request", "nachricht", "anruf", "mensaje", "correo",
        "llamada", "mensagem", "ligacao", "appel",
    ]),
    (Lists::UNREACHABLE, &[
        "down", "offline", "dead", "ausgefallen", "caida", "caido", "unreachable", "unerreichbar",
        "injoignable", "inalcanzable", "inacessivel", "busy", "engaged", "besetzt", "dauerbesetzt",
        "occupe", "occupee", "tot", "muerta", "morta", "ocupado", "ocupada",
    ]),
    (Lists::ANSWER_VERB, &[
        "replied", "responded", "hung", "meldet", "melden", "geantwortet", "repondu", "raccroche",
        "respondido", "contestado", "colgo", "colgaron", "respondeu", "retornou", "desligou",
        "desligaram", "answer", "answers", "answering", "answered", "pick", "picks", "picking",
        "respond", "responds", "responding", "reply", "replies", "replying", "erreichbar",
        "antwortet", "antworten", "geht", "nimmt", "repond", "repondent", "decroche", "decrochent",
        "contesta", "contestan", "responde", "responden", "ran", "atiende", "atienden", "atende",
        "atendem", "respondem",
    ]),
    (Lists::WHO, &[
        "who", "whom", "wem", "wen", "wer", "quien", "qui", "quem", "quienes",
    ]),
    (Lists::COMPLAINT, &[
        "beschwerdestelle", "beschwerdeabteilung", "ouvidoria", "complaint", "complain",
        "grievance", "beschweren", "beschwerde", "reklamation", "reklamieren", "plainte",
        "plaindre", "reclamation", "reclamer", "queja", "quejarme", "quejar", "reclamacion",
        "reclamo", "reclamar", "reclamacao", "complaints", "beschwerden", "plaintes",
        "reclamations", "quejas", "reclamaciones", "denuncia", "denunciar", "reclamacoes", "queixa",
        "queixar",
    ]),
    (Lists::SHIELD_NOUN, &[
        "proteccion", "protection", "protecao", "schutz", "aviso", "avisos", "alerta", "alertas",
        "alerte", "alertes", "warnung", "prevencion", "prevention", "prevencao", "seguro",
        "assurance", "versicherung",
    ]),
    (Lists::PREVENT, &[
        "avoid", "prevent", "protect", "spot", "recognise", "recognize", "vermeiden", "schutzen",
        "schutze", "erkennen", "eviter", "proteger", "evitar", "evito", "evitam",
    ]),
    (Lists::FIX_DONE, &[
        "fixed", "resolved", "solved", "sorted", "handled", "gelost", "geloest", "erledigt",
        "behoben", "geregelt", "geklart", "regle", "reglee", "resolu", "resolue", "repare",
        "regliez", "resolviez", "resuelto", "resuelta", "solucionado", "solucionada", "arreglado",
        "arreglada", "arreglen", "solucionen", "resuelvan", "resolvido", "resolvida", "consertado",
        "resolvam", "consertem", "solucionem", "arrumem",
    ]),
    (Lists::EXPECT, &[
        "expect", "erwarte", "espero", "exige", "exijo",
    ]),
    (Lists::THAT, &[
        "dass", "that",
    ]),
    (Lists::FIX_NOUN, &[
        "resolution", "solution", "losung", "solucion", "solucao", "resolucao",
    ]),
    (Lists::URGENT, &[
        "now", "immediate", "tonight", "unverzuglich", "schnellstmoglich", "sofortige", "aujourd",
        "ahorita", "urgente", "urgentemente", "urgently", "immediately", "today", "asap", "sofort",
        "jetzt", "heute", "umgehend", "immediatement", "maintenant", "ahora", "inmediata",
        "inmediato", "inmediatamente", "hoy", "agora", "imediatamente", "imediata", "hoje",
    ]),
    (Lists::DEMAND, &[
        "demand", "insist", "exijo", "exige", "exigimos", "verlange", "fordere",
    ]),
    (Lists::CANCEL, &[
        "cancel", "cancelling", "canceling", "stornieren", "storniert", "storniere", "kundige",
        "kundigen", "annulez", "annuler", "annule", "resiliez", "resilier", "cancelen", "cancela",
        "cancelar", "cancelo", "cancele", "cancelem",
    ]),
    (Lists::REFUND_ORDER, &[
        "refund", "remboursez", "erstatten", "devuelvan", "devuelveme", "devolvam", "reembolsem",
    ]),
    (Lists::TRYING, &[
        "trying", "tried", "versuche", "essaie", "essaye", "intento", "tentando", "tento",
    ]),
    (Lists::REPLY_NOUN, &[
        "answer", "reply", "response", "antwort", "reponse", "respuesta", "resposta",
    ]),
    (Lists::PROMISE, &[
        "promised", "versprochen", "promis", "prometieron", "prometido", "prometeram",
    ]),
    (Lists::DURATION_UNIT, &[
        "days", "weeks", "week", "months", "month", "hours", "ages", "forever", "tage", "tagen",
        "woche", "wochen", "monat", "monate", "monaten", "stunden", "ewig", "jours", "semaine",
        "semaines", "mois", "heures", "dias", "semana", "semanas", "meses", "horas",
    ]),
    (Lists::PHONE, &[
        "phone", "line", "number", "telephone", "telefon", "telefono", "telefone", "numero",
        "nummer", "telefonnummer", "rufnummer", "servicenummer", "ligne", "linea", "linha",
    ]),
    (Lists::MESSAGES, &[
        "messages", "emails", "mails", "calls", "nachrichten", "anrufe", "mensajes", "correos",
        "llamadas", "mensagens", "ligacoes", "appels",
    ]),
    (Lists::HELP_VERB, &[
        "ajudar", "ayudar", "aider", "helfen", "atender", "atenderme", "ajude", "ayude", "erklaren",
        "expliquer", "explicar",
    ]),
    (Lists::WAIT, &[
        "llevo", "llevamos", "hold", "warteschleife", "waiting", "waited", "warte", "warten",
        "gewartet", "attends", "attendu", "attente", "esperando", "espero", "esperado", "esperei",
        "aguardando", "aguardo", "aguardei", "espera",
    ]),
    (Lists::FRAUD, &[
        "scam", "scammer", "scammers", "scammed", "fraud", "frauds", "fraudulent", "fraudsters",
        "thieves", "betrug", "betruger", "betrugerei", "abzocke", "abzocker", "arnaque",
        "arnaqueurs", "escroquerie", "escrocs", "voleurs", "estafa", "estafadores", "fraude",
        "ladrones", "golpe", "golpistas", "ladroes", "stole", "steal", "stealing", "robbed",
        "robbing", "robbery", "extortion", "erpressung", "extorsion", "extorsao", "theft",
        "cheated", "cheating", "betrogen", "beklaut", "abgezockt", "diebe", "diebstahl",
        "counterfeit", "counterfeits", "falschung", "gefalscht", "contrefacon", "contrefait",
        "falsificado", "falsificados", "falsificacao", "volez", "voleur", "escroque", "escroquee",
        "escroc", "robaron", "robando", "roban", "ladron", "estafaron", "estafado", "estafada",
        "roubaram", "roubando", "roubo", "roubou", "ladrao", "enganaram", "deceptive",
        "irrefuhrend", "irrefuhrende", "irrefuhrung", "mensonger", "mensongere", "mensongeres",
        "trompeuse", "enganosa", "enganoso", "enganosas", "gefalschte", "gefalschtes",
        "gefalschten", "knockoff",
    ]),
    (Lists::LEGAL_PARTY, &[
        "lawyer", "lawyers", "attorney", "solicitor", "sue", "suing", "lawsuit", "chargeback",
        "ombudsman", "bbb", "police", "anwalt", "anwaltin", "rechtsanwalt", "verklagen", "klage",
        "verbraucherzentrale", "verbraucherschutz", "schlichtungsstelle", "strafanzeige", "polizei",
        "avocat", "avocats", "tribunal", "tribunaux", "dgccrf", "mediateur", "poursuivre",
        "abogado", "abogados", "demandar", "demandarlos", "profeco", "policia", "advogado",
        "advogados", "processar", "procon", "anatel", "aneel", "ofcom", "ofgem",
        "bundesnetzagentur", "bafin", "arcep", "facua", "juizado", "justica", "ruckbuchung",
        "contracargo", "estorno", "anacom", "condusef", "signalconso", "ocu", "mahnbescheid",
        "mahnverfahren", "omic", "deco", "tutela", "testachats", "schlichtung",
        "schlichtungsantrag", "datenschutzbeauftragte", "datenschutzbeauftragten",
        "datenschutzbeauftragter", "datenschutzbehorde", "sernac", "indecopi", "accc", "ftc",
        "cnil", "aepd",
    ]),
    (Lists::PAYMENT, PAYMENT_WORDS),
    (Lists::FIX_VERB, &[
        "fix", "resolve", "solve", "sort", "losen", "beheben", "regeln", "reglez", "regler",
        "resolvez", "resoudre", "arreglen", "arregla", "arreglar", "solucionen", "soluciona",
        "solucionar", "resuelvan", "resuelva", "resolver", "resolvam", "resolva", "consertem",
    ]),
    (Lists::READ_VERB, &[
        "read", "reads", "reading", "lesen", "liest", "lest", "lisez", "lit", "lisent", "lire",
        "leen", "lee", "leer", "leyendo", "leem", "ler", "lendo", "gelesen", "leido", "lido",
    ]),
    (Lists::LISTEN_VERB, &[
        "listen", "listens", "listening", "zuhoren", "zuhort", "ecoutez", "ecoute", "ecoutent",
        "escuchan", "escucha", "escuchando", "ouvem", "ouve", "ouvindo",
    ]),
    (Lists::YOU, &[
        "you", "u", "ya", "sie", "ihr", "vous", "ustedes", "usted", "voces", "voce",
    ]),
    (Lists::READ_THING, &[
        "these", "this", "them", "what", "anything", "das", "ca", "cela", "esto", "eso", "isso",
        "isto", "lo", "le", "ce", "que", "mes", "my", "meine", "meus", "mis", "chat", "tickets",
        "nachrichten", "mails", "mensajes", "correos", "mensagens", "messages", "emails",
        "reclamos", "reclamacoes", "email", "mail", "correo", "inbox", "postfach",
    ]),
    (Lists::SERVICE_LINE, &["hotline", "helpline", "callcenter", "sac", "standard"]),
    (Lists::CENTRE, &["center", "centre"]),
    (Lists::REPORT, &["report", "reportar", "signaler", "melden"]),
    (Lists::CLAIM, &["claim", "reclamation", "reclaqmation"]),
    (Lists::LEGAL_CUE, &[
        "court", "gericht", "legal", "rechtliche", "rechtlichen", "juristische", "juristischen",
        "gerichtliche", "gerichtlichen", "accion", "acciones", "acao", "acoes", "medidas",
        "justice", "poursuites", "consumer", "consommateurs", "consommation", "consumidor",
        "consumidores", "reclame", "bank", "banque", "banco", "test", "consumo", "dispute",
        "disputing", "contest", "contester", "contestar", "angefochten", "anfechten", "opposition", "zuruckbuchen",
        "zurueckbuchen", "zuruckbuchung", "zuruckgebucht", "trading", "anzeige", "report",
        "reporting", "small",
    ]),
    (Lists::MONEY, &["money", "geld", "argent", "dinero", "dinheiro"]),
    (Lists::COMPENSATION, &[
        "compensation", "entschadigung", "schadenersatz", "dedommagement", "indemnisation",
        "compensacion", "indemnizacion", "indenizacao", "ressarcimento", "compensacao",
    ]),
    (Lists::CHURN_CUE, &[
        "elsewhere", "concurrence", "competencia", "konkurrenz", "concorrencia", "concorrente",
        "anbieter", "provider", "fournisseur", "operateur", "operadora", "operador", "compania",
        "compagnie", "banco", "banque", "bank", "review", "reviews", "avis", "resena", "resenas",
        "bewertung", "bewertungen", "avaliacao", "avaliacoes", "trustpilot", "resilie", "kundige",
        "baja", "cancel", "cancelling", "canceling", "cancelar", "cancelo", "cancela",
    ]),
    (Lists::WITHHOLD, &["withhold", "withholding", "zuruckhalten", "zuruckbehalten", "retenir"]),
    (Lists::STOP_VERB, &[
        "stop", "stopping", "suspend", "suspending", "revoke", "revoking", "cancel", "cancelling",
        "widerrufe", "widerrufen", "einstellen", "stelle", "stoppe", "stoppen", "suspendre",
        "suspends", "suspendrai", "arrete", "arreter", "bloque", "bloquer", "suspender", "suspendo",
        "dejo", "dejar", "dejare", "parar", "paro", "deixar", "deixo", "cancelo", "cancelar",
    ]),
    (Lists::PAYING, &[
        "payments", "debit", "debits", "paying", "zahlungen", "lastschrift", "lastschriften",
        "lastschriftmandat", "einzugsermachtigung", "dauerauftrag", "zahlen", "paiements",
        "prelevements", "payer", "pagos", "pagar", "domiciliacion", "pagamentos", "debito",
    ]),
    (Lists::UNTIL, &["until", "till", "bis", "jusqu", "jusque", "hasta", "ate", "solange", "tant"]),
    (Lists::RHETORICAL, &[
        "actually", "even", "ever", "really", "eigentlich", "uberhaupt", "wirklich", "vraiment",
        "moins", "jamais", "siquiera", "verdad", "sequer", "realmente", "mesmo", "verdade",
    ]),
];

/// The lists a folded word is on (0 for most words).
fn lists_of(w: &str) -> u64 {
    static TABLE: OnceLock<WordMap<u64>> = OnceLock::new();
    TABLE
        .get_or_init(|| bits_by_word(LISTS))
        .get(w)
        .copied()
        .unwrap_or(0)
}

/// A turn with the lists each of its words is on: what the rules read. Derefs to the [`Doc`].
struct Words<'d, 'a> {
    doc: &'d Doc<'a>,
    lists: Vec<u64>,
}

impl<'d, 'a> Words<'d, 'a> {
    fn new(doc: &'d Doc<'a>) -> Self {
        let lists = (0..doc.toks.len()).map(|j| lists_of(doc.word(j))).collect();
        Words { doc, lists }
    }

    /// True when token `j` exists and is on any of the lists `mask`.
    #[inline]
    fn on(&self, j: usize, mask: u64) -> bool {
        self.lists.get(j).is_some_and(|l| l & mask != 0)
    }
}

impl<'a> Deref for Words<'_, 'a> {
    type Target = Doc<'a>;

    fn deref(&self) -> &Doc<'a> {
        self.doc
    }
}

/// A refusal word or a negated wish or contact verb before the bot, with nothing after it but a
/// "please", a "more" or a verb-final contact verb: "enough with the robot", "plus de robot s'il
/// vous plaît", "ich will nicht mehr mit einer Maschine reden". A question is not a refusal ("how
/// do I stop the bot from emailing me").
fn refusal_of_bot(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if (cs..ce).any(|j| doc.has(j, Concepts::QWORD)) {
        return None;
    }
    for b in cs..ce {
        if !doc.has(b, Concepts::BOTNOUN) || doc.has(b, Concepts::BLOCKED) {
            continue;
        }
        // The bot is what the clause is about: nothing after it but courtesy, "more", a
        // verb-final contact verb or a generic noun ("this automated thing").
        let ends = b + 1 == ce
            || doc.has(
                b + 1,
                Concepts::PLEASE
                    | Concepts::COURTESY
                    | Concepts::CONTACT
                    | Concepts::SPLIT
                    | Concepts::COVERED,
            )
            || matches!(
                doc.word(b + 1),
                "anymore"
                    | "more"
                    | "mehr"
                    | "again"
                    | "longer"
                    | "mas"
                    | "mais"
                    | "plus"
                    | "thing"
                    | "system"
                    | "stuff"
                    | "answers"
                    | "replies"
                    | "answer"
                    | "reply"
                    | "response"
                    | "respuesta"
                    | "reponse"
                    | "antwort"
                    | "resposta"
            );
        // German "mit einem Programm zu schreiben": the contact verb after "zu" ends it too.
        let ends = ends
            || (b + 2 < doc.toks.len()
                && doc.word(b + 1) == "zu"
                && doc.has(b + 2, Concepts::CONTACT));
        if !ends {
            continue;
        }
        // "não aguento mais falar com robô", "no más robots": "mais"/"mas" ("more") also means
        // "but" and splits the clause; the refusal before it still governs the bot. So does a
        // refusal in the clause just before an infinitive complement: "ich hab keine Lust mehr,
        // mit einem Programm zu schreiben", "j'en ai marre, de parler à un robot".
        let lo = if matches!(doc.word(cs), "mais" | "mas") || continues_refusal(doc, cs, b) {
            cs.saturating_sub(4)
        } else {
            cs
        };
        for j in lo..b {
            let w = doc.word(j);
            let next = if j + 1 < b { doc.word(j + 1) } else { "" };
            let no_wish = w == "lust" && j > 0 && doc.has(j - 1, Concepts::NEG);
            if doc.on(j, Lists::REFUSAL)
                || no_wish
                || (w == "plus" && next == "de")
                || (w == "had" && next == "it")
            {
                return hit(Kind::RefusalOfBot, 0.85, lo, ce, j, b);
            }
            if doc.has(j, Concepts::NEG)
                && !doc.has(j, Concepts::COVERED)
                && negates_wish(doc, j, b)
            {
                return hit(Kind::RefusalOfBot, 0.85, lo, ce, j, b);
            }
        }
    }
    None
}

/// The clause at `cs` is the complement of the clause before it: it opens with a preposition or
/// an infinitive marker and has a contact verb about the bot at `b` ("mit einem Programm zu
/// schreiben", "to keep talking to a bot", "de parler à un robot").
fn continues_refusal(doc: &Words<'_, '_>, cs: usize, b: usize) -> bool {
    cs > 0
        && matches!(
            doc.word(cs),
            "mit" | "with" | "to" | "de" | "d" | "con" | "com" | "zu" | "of"
        )
        && (cs..b + 3)
            .take_while(|&j| j < doc.toks.len())
            .any(|j| doc.has(j, Concepts::CONTACT | Concepts::CONTACT_ING))
}

/// The negation at `n` governs a wish, a contact verb or "more" before the bot at `b`, and is not
/// an inability ("I can't talk to the bot"): "I don't want to talk to a bot", "no more bots",
/// "keine Bots mehr".
fn negates_wish(doc: &Words<'_, '_>, n: usize, b: usize) -> bool {
    if n > 0 && doc.has(n - 1, Concepts::MODAL) && !doc.has(n - 1, Concepts::DESIRE) {
        return false;
    }
    let more_after = b + 1 < doc.toks.len() && matches!(doc.word(b + 1), "more" | "mehr" | "mais");
    if (n + 1..b).all(|j| doc.has(j, Concepts::DET | Concepts::QUAL))
        && (more_after || doc.has(b + 1, Concepts::PLEASE))
    {
        return true;
    }
    (n + 1..b.min(n + 5)).any(|j| {
        doc.has(j, Concepts::DESIRE | Concepts::CONTACT) && !doc.has(j, Concepts::CONTACT_ING)
            || matches!(doc.word(j), "more" | "mehr" | "longer" | "mas" | "mais")
    })
}

/// A work verb, a person word and a place or "at all", asked as a question: "does anyone
/// actually work there?", "arbeiten bei euch überhaupt Menschen?", "tem gente trabalhando aí?".
fn staff_question(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    let work = (cs..ce).find(|&j| doc.on(j, Lists::WORK_VERB))?;
    let person = (cs..ce).find(|&j| {
        (doc.has(
            j,
            Concepts::P_STRONG | Concepts::P_SOMEONE | Concepts::P_WEAK,
        ) && !doc.has(j, Concepts::BLOCKED))
            || matches!(doc.word(j), "personas" | "personnes" | "pessoas" | "gens")
    })?;
    let counts = |w: &str| {
        matches!(
            w,
            "many" | "cuantas" | "cuantos" | "combien" | "viele" | "quantas" | "quantos"
        )
    };
    // Not "how many people work there?", "does anyone work there on Sundays?": information.
    if (cs..ce).any(|j| {
        doc.has(j, Concepts::POSS1 | Concepts::IDENTITY | Concepts::INFO) || counts(doc.word(j))
    }) {
        return None;
    }
    let place = (cs..ce).any(|j| {
        matches!(
            doc.word(j),
            "there"
                | "here"
                | "ahi"
                | "alli"
                | "aqui"
                | "ai"
                | "ali"
                | "la"
                | "ici"
                | "chez"
                | "hier"
                | "dort"
                | "euch"
                | "uberhaupt"
                | "actually"
                | "even"
                | "realmente"
                | "vraiment"
                | "company"
                | "firma"
                | "empresa"
                | "entreprise"
        )
    });
    (place && is_question(doc, cs, ce)).then_some(())?;
    hit(Kind::StaffQuestion, 0.8, cs, ce, work, person)
}

/// The clause is asked: a question mark after it, or it opens with a question word, an auxiliary
/// or an existential ("hay", "tem", "gibt", "y a").
fn is_question(doc: &Words<'_, '_>, cs: usize, ce: usize) -> bool {
    doc.question_mark_after(ce - 1)
        || doc.has(cs, Concepts::QWORD | Concepts::AUX | Concepts::BE_AUX)
        || matches!(doc.word(cs), "hay" | "tem" | "gibt" | "y" | "are" | "is")
}

/// A service (a support team, a hotline, a call centre) with a negated answer verb or an
/// "unreachable": "your call centre never answers the phone", "o SAC não atende".
fn unreachable_service(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    let service = (cs..ce).find(|&j| {
        doc.has(j, Concepts::P_GROUP) && !doc.has(j, Concepts::POSS1)
            || doc.on(j, Lists::SERVICE_LINE)
            || (doc.on(j, Lists::CENTRE) && j > cs && matches!(doc.word(j - 1), "call" | "contact"))
            || business_phone(doc, j, cs)
    })?;
    if info_question(doc, cs, ce) {
        return None;
    }
    // "I can't reach customer service", "impossible de joindre votre service client", "no
    // consigo comunicarme con atención al cliente": reaching it failed.
    if let Some(r) = (cs..service).find(|&j| doc.on(j, Lists::REACH_VERB))
        && (cs..r).any(|j| is_inability(doc, j))
    {
        return hit(Kind::UnreachableService, 0.8, cs, ce, r, service);
    }
    // "I tried calling customer service all morning, no answer": the next clause says so.
    if (cs..service).any(|j| doc.on(j, Lists::CONTACT_DONE) || doc.on(j, Lists::TRYING))
        && let Some(n) = no_answer_after(doc, ce)
    {
        return hit(Kind::UnreachableService, 0.8, cs, ce, n, service);
    }
    // "your customer care number doesn't work", "the support line is not working".
    // The failure must follow the phone word closely ("your number, I have a problem with my
    // order" is about the order).
    let phone = (service..(service + 3).min(ce)).find(|&j| doc.on(j, Lists::PHONE));
    if let Some(ph) = phone
        && let Some(f) =
            (ph + 1..(ph + 4).min(ce)).find(|&j| doc.has(j, Concepts::FAIL | Concepts::PROBLEM))
    {
        return hit(Kind::UnreachableService, 0.8, cs, ce, f, service);
    }
    // "ich komme bei Ihrer Hotline nicht durch": a negated reach after it.
    if let Some(r) = (service + 1..ce).find(|&j| {
        doc.on(j, Lists::REACH_VERB)
            && (j.saturating_sub(2).max(service)..j).any(|k| doc.has(k, Concepts::NEG))
    }) {
        return hit(Kind::UnreachableService, 0.8, cs, ce, r, service);
    }
    for j in service + 1..ce {
        let w = doc.word(j);
        if doc.on(j, Lists::UNREACHABLE) || rings_out(doc, j, ce) {
            return hit(Kind::UnreachableService, 0.8, cs, ce, j, service);
        }
        // "never answers", "geht niemand ran", "nadie contesta".
        let neg = |k: usize| {
            doc.has(k, Concepts::NEG) && !doc.has(k, Concepts::COVERED)
                || matches!(
                    doc.word(k),
                    "nobody" | "niemand" | "nadie" | "ninguem" | "personne"
                )
        };
        // German puts the negation after the verb: "meldet sich einfach nicht".
        let negated = (cs..j).any(neg) || (j + 1..(j + 4).min(ce)).any(neg);
        // "hung up on me": the call was cut, not left unanswered.
        let hung_up = w == "hung" && j + 1 < ce && doc.word(j + 1) == "up";
        if hung_up || doc.on(j, Lists::ANSWER_VERB) && negated {
            return hit(Kind::UnreachableService, 0.8, cs, ce, j, service);
        }
    }
    None
}

/// The business's phone: a phone word after "your", "ur", "votre", "su", "Ihre", "seu" ("your
/// phone line is always busy"), not the visitor's own.
fn business_phone(doc: &Words<'_, '_>, j: usize, cs: usize) -> bool {
    if !doc.on(j, Lists::PHONE) {
        return false;
    }
    let n = doc.toks.len();
    let yours_before = (j.saturating_sub(2).max(cs)..j).any(|k| {
        matches!(
            doc.word(k),
            "your"
                | "ur"
                | "votre"
                | "vos"
                | "su"
                | "sus"
                | "ihre"
                | "ihr"
                | "eure"
                | "euer"
                | "seu"
                | "sua"
        )
    });
    // "o número de vocês", "el teléfono de ustedes".
    yours_before
        || (j + 1..(j + 3).min(n)).any(|k| matches!(doc.word(k), "voces" | "ustedes" | "euch"))
}

/// The clause asks for information ("how", "when", "where"): "why is nobody picking up?" is an
/// exasperated complaint, not a question to answer.
fn info_question(doc: &Words<'_, '_>, cs: usize, ce: usize) -> bool {
    (cs..ce).any(|j| doc.has(j, Concepts::QWORD) && !matches!(doc.word(j), "why" | "porque"))
}

/// A ringing phone nobody picks up: "just rings and rings", "keeps ringing", "sonne dans le
/// vide", "klingelt ewig", "toca y toca".
fn rings_out(doc: &Words<'_, '_>, j: usize, ce: usize) -> bool {
    let ring = |w: &str| {
        matches!(
            w,
            "rings"
                | "ringing"
                | "klingelt"
                | "sonne"
                | "suena"
                | "timbra"
                | "toca"
                | "chama"
                // hold music that never ends
                | "music"
                | "musik"
                | "musique"
                | "musica"
        )
    };
    if !ring(doc.word(j)) {
        return false;
    }
    let again = j + 2 < ce
        && matches!(doc.word(j + 1), "and" | "y" | "e" | "et" | "und")
        && ring(doc.word(j + 2));
    let endless = (j + 1..ce.min(j + 4)).any(|k| {
        matches!(
            doc.word(k),
            "out" | "forever" | "endlessly" | "vide" | "ewig" | "endlos" | "infinito" | "nada"
        )
    });
    again || endless || (j > 0 && matches!(doc.word(j - 1), "keeps" | "kept"))
}

/// Token `j` says the visitor could not: "can't", "unable", "impossible", "no consigo", "não
/// consigo", "n'arrive pas", "kann ... nicht", "no way".
fn is_inability(doc: &Words<'_, '_>, j: usize) -> bool {
    let w = doc.word(j);
    matches!(
        w,
        "unable" | "impossible" | "impossivel" | "imposible" | "unmoglich"
    ) || (doc.has(j, Concepts::NEG)
        && (j > 0 && doc.has(j - 1, Concepts::MODAL)
            || doc.has(j + 1, Concepts::MODAL)
            || (j + 1 < doc.toks.len()
                && matches!(doc.word(j + 1), "consigo" | "arrive" | "consegui" | "logro"))))
}

/// The clause after `ce` opens with "no answer", "keine Antwort", "pas de réponse", "sin
/// respuesta", "sem resposta", "nobody picks up": the reply noun or answer verb.
fn no_answer_after(doc: &Words<'_, '_>, ce: usize) -> Option<usize> {
    let end = (ce + 4).min(doc.toks.len());
    let neg = (ce..end).find(|&k| {
        doc.has(k, Concepts::NEG)
            || matches!(
                doc.word(k),
                "nobody" | "nadie" | "niemand" | "ninguem" | "personne"
            )
    })?;
    (neg + 1..end).find(|&k| doc.on(k, Lists::REPLY_NOUN) || doc.on(k, Lists::ANSWER_VERB))
}

/// Nobody answers, with no service named: "I've called 5 times and no one picks up",
/// "personne ne répond au téléphone", "niemand geht ran", "ninguém atende". Not asked.
fn nobody_answers(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if let Some(h) = unread_question(doc, cs, ce) {
        return Some(h);
    }
    if info_question(doc, cs, ce) {
        return None;
    }
    let nobody = |k: usize| match doc.word(k) {
        "nobody" | "niemand" | "keiner" | "nadie" | "ninguem" => true,
        "personne" => k + 1 < ce && doc.word(k + 1) == "ne",
        "no" => k + 1 < ce && doc.word(k + 1) == "one",
        _ => false,
    };
    if let Some(k) = (cs..ce).find(|&k| nobody(k))
        && let Some(v) = (k + 1..ce.min(k + 7))
            .find(|&j| doc.on(j, Lists::ANSWER_VERB) || doc.on(j, Lists::CARE_VERB))
    {
        return hit(Kind::NoAnswer, 0.6, cs, ce, v, k);
    }
    // "no contestan los correos", "they never answer", "ils ne répondent jamais": a negated
    // answer verb whose subject is the business.
    let v = (cs..ce).find(|&j| is_they_answer(doc, j, cs))?;
    let n = (v.saturating_sub(2).max(cs)..(v + 3).min(ce))
        .find(|&j| doc.has(j, Concepts::NEG) && !doc.has(j, Concepts::COVERED))?;
    hit(Kind::NoAnswer, 0.6, cs, ce, v, n)
}

/// Whether the business reads the visitor's messages or listens at all, asked in exasperation:
/// "do you actually read these messages or do they go straight into a drawer?", "lesen Sie die
/// Nachrichten eigentlich?", "lisez-vous vos messages ou bien les classez-vous ?", "¿el correo
/// de reclamaciones lo lee alguien o es decorativo?", "vocês leem as mensagens ou só
/// arquivam?", "are you even listening?". The reader is "you" or anyone; an "actually",
/// "even", "at all" or an "or" alternative makes it rhetorical, so "do you read messages at the
/// weekend?" stays a question, "can you read my attachment?" a request and "is anyone reading
/// this or is it automatic?" a question about the bot.
fn unread_question(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    let v = (cs..ce).find(|&j| doc.on(j, Lists::READ_VERB | Lists::LISTEN_VERB))?;
    let n = doc.toks.len();
    // The question mark may end a tag after the clause: "… messages, au moins ?".
    let asked = (ce - 1..(ce + 3).min(n)).any(|k| doc.question_mark_after(k))
        || doc.has(cs, Concepts::AUX | Concepts::BE_AUX)
        || v == cs;
    // The reader: "you", or anyone ("¿lo lee alguien?", "é lido por alguém?").
    let you = (v.saturating_sub(3).max(cs)..(v + 4).min(ce)).find(|&k| {
        doc.on(k, Lists::YOU) && k < v + 2
            || doc.has(k, Concepts::P_SOMEONE) && !doc.has(k, Concepts::BLOCKED)
    })?;
    let or = |k: usize| matches!(doc.word(k), "or" | "ou" | "oder" | "o");
    // Not a request ("could you please read…"), not negated ("… or not?" only offers the
    // alternative), and no question word before the verb: that asks for information ("how do I
    // read my messages?"), where one after it is what is read ("what I write").
    if !asked
        || (cs..ce).any(|j| {
            doc.has(j, Concepts::MODAL | Concepts::PLEASE)
                || doc.has(j, Concepts::NEG) && !(j > cs && or(j - 1))
        })
        || (cs..v).any(|j| doc.has(j, Concepts::QWORD) && !matches!(doc.word(j), "why" | "porque"))
    {
        return None;
    }
    // What is read: the visitor's messages or words ("these", "what I write"); listening needs
    // no object.
    let read_thing = doc.on(v, Lists::LISTEN_VERB)
        || (v.saturating_sub(4).max(cs)..(v + 5).min(ce))
            .any(|k| k != v && doc.on(k, Lists::MESSAGES | Lists::READ_THING));
    let tag_end = (ce + 3).min(n);
    // "is anyone actually reading this or is it all automatic?": what the bot is.
    if (cs..(ce + 6).min(n))
        .any(|k| doc.has(k, Concepts::BOTNOUN) || doc.word(k).starts_with("automat"))
    {
        return None;
    }
    let rhetorical = (cs..tag_end).any(|k| doc.on(k, Lists::RHETORICAL))
        || at_all(doc, cs, tag_end)
        || (v + 1..ce).any(or);
    (read_thing && rhetorical).then_some(())?;
    hit(Kind::NoAnswer, 0.6, cs, ce, v, you)
}

/// "at all" within `[a, b)`.
fn at_all(doc: &Doc<'_>, a: usize, b: usize) -> bool {
    (a..b.saturating_sub(1)).any(|k| doc.word(k) == "at" && doc.word(k + 1) == "all")
}

/// An answer verb in the plural, or after "you"/"they": the business is the one not answering.
fn is_they_answer(doc: &Words<'_, '_>, j: usize, cs: usize) -> bool {
    let w = doc.word(j);
    let plural = matches!(
        w,
        "contestan"
            | "responden"
            | "atienden"
            | "repondent"
            | "decrochent"
            | "respondem"
            | "atendem"
            | "antworten"
    );
    let after_you = doc.on(j, Lists::ANSWER_VERB)
        && (j.saturating_sub(3).max(cs)..j).any(|k| matches!(doc.word(k), "you" | "they" | "u"));
    plural || after_you
}

/// Contact repeated three times or more, stated: "ive emailed you guys 4 times", "this is my
/// fourth message", "ich habe schon fünfmal angerufen", "ya van tres veces que les escribo".
fn repeated_contact(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) {
        return None;
    }
    // A count is about contact only with a contact verb or "still" ("I read the report three
    // times", "ordered 3 times already, always great" are not; "ich habe schon fünfmal
    // angerufen" is).
    let contact = (cs..ce)
        .any(|j| doc.has(j, Concepts::CONTACT | Concepts::STILL) || doc.on(j, Lists::CONTACT_DONE));
    for j in cs..ce {
        let w = doc.word(j);
        let next = |list: u64| j + 1 < ce && doc.on(j + 1, list);
        // "three emails", "5 calls", "drei Nachrichten": the count names the contact itself.
        let counted = contact
            && (is_many(w) && next(Lists::TIMES) || doc.on(j, Lists::TIMES_COMPOUND))
            || (is_many(w) && next(Lists::MESSAGES));
        let ordinal = doc.on(j, Lists::ORDINAL) && next(Lists::TIMES | Lists::MESSAGE);
        if counted || ordinal {
            return hit(Kind::RepeatedContact, 0.6, cs, ce, j, j);
        }
    }
    None
}

/// A failure counted: a failure word and, in the same clause, a count of times ("7 times",
/// "dreimal"), an ordinal time or attempt ("the fourth attempt", "zum dritten Mal", "la tercera
/// vez"), "in a row" or "every time" ("crashes every time I pay", "plante à chaque fois"). A
/// question is not a report ("what happens if a payment fails 3 times?"), nor is a count of what
/// went well ("ordered 5 times, never a problem": no failure word).
fn repeated_failure(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) {
        return None;
    }
    let failure = (cs..ce).find(|&j| doc.on(j, Lists::FAILURE))?;
    if negated_before(doc, cs, failure) {
        return None;
    }
    for j in cs..ce {
        let w = doc.word(j);
        let next = if j + 1 < ce { doc.word(j + 1) } else { "" };
        let next_on = |list: u64| j + 1 < ce && doc.on(j + 1, list);
        let counted = is_many(w) && next_on(Lists::TIMES)
            || doc.on(j, Lists::TIMES_COMPOUND)
            || doc.on(j, Lists::ORDINAL) && next_on(Lists::TIMES | Lists::ATTEMPT)
            || w == "row" && j >= cs + 2 && doc.word(j - 1) == "a" && doc.word(j - 2) == "in"
            || is_every_time(w, next);
        if counted {
            return hit(Kind::RepeatedFailure, 0.6, cs, ce, j, failure);
        }
    }
    None
}

/// "every time", "each time", "jedes Mal", "jedesmal", "à chaque fois", "cada vez", "toda vez",
/// "todas as vezes": a failure that always happens.
fn is_every_time(w: &str, next: &str) -> bool {
    matches!(
        (w, next),
        ("every" | "each", "time" | "single")
            | ("jedes", "mal")
            | ("jedesmal", _)
            | ("chaque", "fois")
            | ("cada" | "toda", "vez")
            | ("todas", "vezes")
    )
}

/// Three or more, in digits or words.
fn is_many(w: &str) -> bool {
    w.parse::<u32>().is_ok_and(|n| (3..100).contains(&n))
        || matches!(
            w,
            "three"
                | "four"
                | "five"
                | "six"
                | "ten"
                | "several"
                | "multiple"
                | "drei"
                | "vier"
                | "funf"
                | "sechs"
                | "zehn"
                | "trois"
                | "quatre"
                | "cinq"
                | "plusieurs"
                | "tres"
                | "cuatro"
                | "cinco"
                | "seis"
                | "varias"
                | "quatro"
                | "diez"
                | "dez"
        )
}

/// Whether anyone is there to help, asked with a way to reach them or in exasperation: "is
/// there someone in the office I can speak with?", "mit der Maschine komm ich nicht weiter,
/// gibts da jemanden?", "is anyone even reading these messages?". A bare "is anyone there?" or
/// "is there a human behind this chat?" is a question about the bot, not a request.
fn presence_question(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    let asked = doc.question_mark_after(ce - 1)
        || doc.has(cs, Concepts::BE_AUX | Concepts::AUX)
        || matches!(doc.word(cs), "hay" | "tem" | "gibts" | "gibt" | "ist" | "y");
    if !asked
        || ce - cs > 14
        || (cs..ce).any(|j| doc.has(j, Concepts::INFO | Concepts::NEG | Concepts::IDENTITY))
    {
        return None;
    }
    // "wait, are you even a real person", "is someone actually typing this or is it AI?",
    // "alguém lê mesmo isto ou é tudo automático?": a question about the bot.
    let or_bot = (cs..ce).any(|j| {
        matches!(doc.word(j), "or" | "ou" | "oder" | "o")
            && (j + 1..(j + 5).min(ce))
                .any(|k| doc.has(k, Concepts::BOTNOUN) || doc.word(k).starts_with("automat"))
    });
    if or_bot || super::request::nature_question(doc, cs, ce).is_some() {
        return None;
    }
    let p = (cs..ce).find(|&j| {
        doc.has(j, Concepts::P_SOMEONE | Concepts::P_STRONG) && !doc.has(j, Concepts::BLOCKED)
    })?;
    // "il y a une vraie personne derrière ce chat ?": what the bot is, not whether anyone is there.
    if p + 1 < ce
        && matches!(
            doc.word(p + 1),
            "behind" | "hinter" | "derriere" | "detras" | "atras"
        )
    {
        return None;
    }
    // "who is the person in charge?" asks for information; "someone who can help" does not.
    if (cs..p).any(|j| doc.has(j, Concepts::QWORD)) {
        return None;
    }
    let existential = (cs..p).any(|j| {
        let pair = (doc.word(j), doc.word(j + 1));
        matches!(pair.0, "hay" | "gibts" | "tem" | "existe")
            || matches!(pair, ("is" | "are", "there") | ("gibt", "es") | ("y", "a"))
    });
    let present = (cs..ce).any(|j| {
        matches!(
            doc.word(j),
            "there" | "here" | "ai" | "ahi" | "aqui" | "da" | "la" | "dort"
        )
    });
    // A way to reach them in the clause, or the bot given up on earlier in the turn.
    // ("is there a human behind this chat?": "chat" after an article is a noun.) A relative
    // clause continues the person: "gibt es einen Menschen, der mir das erklären kann?".
    let n = doc.toks.len();
    let relative = ce < n && matches!(doc.word(ce), "der" | "die" | "who" | "that" | "que" | "qui");
    let reach_end = if relative { (ce + 8).min(n) } else { ce };
    // ("someone to talk to", "alguém pra conversar": an infinitive marker is not an article.)
    let reach = (p + 1..reach_end).any(|j| {
        (doc.has(j, Concepts::CONTACT | Concepts::HELPWORD)
            && (!doc.has(j - 1, Concepts::DET)
                || matches!(doc.word(j - 1), "to" | "pra" | "para" | "pour" | "zu")))
            || doc.on(j, Lists::CARE_VERB | Lists::HELP_VERB)
    }) || (0..cs).any(|j| doc.has(j, Concepts::BOTNOUN));
    // "is anyone awake over there?", "tem alguém vivo aí?": whether anyone is there at all.
    let exasperated = (cs..ce).any(|j| {
        matches!(
            doc.word(j),
            "even"
                | "actually"
                | "uberhaupt"
                | "vraiment"
                | "realmente"
                | "mesmo"
                | "awake"
                | "alive"
                | "wach"
                | "reveille"
                | "despierto"
                | "vivo"
                | "acordado"
        )
    });
    ((existential || present) && reach || exasperated).then_some(())?;
    hit(Kind::PresenceQuestion, 0.8, cs, ce, p, p)
}

/// A complaint the visitor wants to make: a complaint word with a wish, a modal, a question word
/// or "have": "how do I complain?", "ich möchte mich beschweren", "quiero poner una queja". A
/// complaint already handled ("my complaint was resolved") is not one.
fn complaint(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    let c = (cs..ce).find(|&j| {
        doc.on(j, Lists::COMPLAINT) || is_report_verb(doc, j, cs) || is_claim(doc, j, cs, ce)
    })?;
    if c > cs && doc.has(c - 1, Concepts::POSS1) {
        return None;
    }
    // "a question about your complaints policy", "the complaint form": a thing asked about.
    // ("sich über den Fahrer beschweren" complains about the driver: the topic is not the
    // complaint word's own.)
    let about = (c > cs && doc.has(c - 1, Concepts::TOPIC))
        || (c > cs + 1 && doc.has(c - 2, Concepts::TOPIC) && doc.has(c - 1, Concepts::DET));
    let is_thing = |w: &str| {
        matches!(
            w,
            "policy"
                | "page"
                | "form"
                | "procedure"
                | "process"
                | "status"
                | "formular"
                | "formulaire"
                | "formulario"
                | "politica"
                | "politique"
                | "richtlinie"
                | "procedimiento"
                | "procedimento"
                | "processus"
                | "proceso"
                | "processo"
                | "verfahren"
        )
    };
    // (Before it with "de"/"of" in the languages that put it there: "votre procédure de
    // réclamation", "la política de reclamações".)
    let thing = c + 1 < ce && is_thing(doc.word(c + 1))
        || c >= cs + 2
            && matches!(
                doc.word(c - 1),
                "de" | "of" | "des" | "del" | "da" | "do" | "dos"
            )
            && is_thing(doc.word(c - 2));
    if about || thing {
        return None;
    }
    // A wish, a modal, a question, "have to", the future, help asked for, or a filing verb
    // ("file a complaint", "lodge a claim against your company", "poner una queja").
    let asks = (cs..c).rev().find(|&j| {
        doc.has(
            j,
            Concepts::DESIRE | Concepts::MODAL | Concepts::QWORD | Concepts::HELPWORD,
        ) || is_filing_verb(doc.word(j))
            || (complaints_channel(doc, c, ce) && is_existence(doc, j))
            // "Transmettez ceci au service réclamations", "forward this to your complaints
            // team": the turn is sent to be filed.
            || (doc.has(j, Concepts::TRANSFER) && complaints_channel(doc, c, ce))
            || doc.on(j, Lists::WHO)
            || matches!(
                doc.word(j),
                "have"
                    | "tengo"
                    | "habe"
                    | "tenho"
                    | "ai"
                    | "will"
                    | "ll"
                    | "going"
                    | "gonna"
                    | "werde"
                    | "vou"
                    | "voy"
                    | "vais"
                    | "vamos"
            )
    })?;
    // "I don't want to complain", "no quiero quejarme"; but not an inability ("why can't I
    // complain?").
    let negated = (cs..c).any(|j| {
        doc.has(j, Concepts::NEG)
            && !doc.has(j, Concepts::COVERED)
            && !(j > cs && doc.has(j - 1, Concepts::MODAL))
    });
    if negated {
        return None;
    }
    hit(Kind::Complaint, 0.75, cs, ce, asks, c)
}

/// The complaint word at `c` names a channel for complaints: "complaints department", "service
/// réclamations", "libro de reclamaciones", "Beschwerdestelle", "ouvidoria".
fn complaints_channel(doc: &Words<'_, '_>, c: usize, ce: usize) -> bool {
    let channel = |w: &str| {
        matches!(
            w,
            "department"
                | "departamento"
                | "departement"
                | "abteilung"
                | "stelle"
                | "service"
                | "servicio"
                | "team"
                | "equipo"
                | "office"
                | "line"
                | "libro"
                | "hoja"
                | "livro"
                | "canal"
                | "channel"
        )
    };
    matches!(
        doc.word(c),
        "beschwerdestelle" | "beschwerdeabteilung" | "ouvidoria"
    ) || (c.saturating_sub(2)..ce.min(c + 3)).any(|k| k != c && channel(doc.word(k)))
}

/// An existence frame at `j`: "is there", "gibt es", "existe", "hay", "tienen", "avez-vous",
/// "tem": a complaints channel asked for.
fn is_existence(doc: &Words<'_, '_>, j: usize) -> bool {
    let prev = if j > 0 { doc.word(j - 1) } else { "" };
    match doc.word(j) {
        "there" => matches!(prev, "is" | "s"),
        "es" => prev == "gibt",
        "existe" | "hay" | "tienen" | "tiene" | "tem" | "avez" => true,
        _ => false,
    }
}

/// "claim" is a complaint when it is filed or made against someone ("lodge a claim against your
/// company"), not an insurance or warranty claim asked about ("how long does a claim take?").
fn is_claim(doc: &Words<'_, '_>, j: usize, cs: usize, ce: usize) -> bool {
    doc.on(j, Lists::CLAIM)
        && ((j.saturating_sub(3).max(cs)..j).any(|k| is_filing_verb(doc.word(k)))
            || (j + 1..ce.min(j + 3)).any(|k| doc.word(k) == "against"))
}

fn is_filing_verb(w: &str) -> bool {
    // Any form by its stem: "I'm filing", "ich reiche ... ein", "je dépose", "presento", "registro".
    const STEMS: [&str; 12] = [
        "lodg", "submit", "einreich", "reiche", "erheb", "depos", "formul", "present", "registr",
        "pongo", "hago", "faco",
    ];
    STEMS.iter().any(|s| w.starts_with(s))
        || matches!(
            w,
            "file"
                | "filing"
                | "lodge"
                | "lodging"
                | "make"
                | "making"
                | "submit"
                | "raise"
                | "register"
                | "einreichen"
                | "deposer"
                | "porter"
                | "poner"
                | "presentar"
                | "levantar"
                | "registrar"
                | "abrir"
        )
}

/// "report" and its kin are a complaint only as a verb the visitor means to use: "I want to
/// report a problem", "quiero reportar al vendedor", not "download the report".
fn is_report_verb(doc: &Words<'_, '_>, j: usize, cs: usize) -> bool {
    if !doc.on(j, Lists::REPORT) {
        return false;
    }
    // "ich werde Sie melden", "je vais vous signaler", "los voy a reportar": reporting the
    // business, in the future, with it as the object.
    let future = (j.saturating_sub(4).max(cs)..j).any(|k| {
        matches!(
            doc.word(k),
            "will"
                | "ll"
                | "going"
                | "gonna"
                | "werde"
                | "werden"
                | "vais"
                | "va"
                | "voy"
                | "vamos"
                | "vou"
        )
    });
    let you = (j.saturating_sub(3).max(cs)..(j + 2).min(doc.toks.len())).any(|k| {
        matches!(
            doc.word(k),
            "you" | "sie" | "euch" | "vous" | "los" | "les" | "voces" | "ustedes"
        )
    });
    j > cs
        && (matches!(doc.word(j - 1), "to" | "i" | "we")
            || doc.has(j - 1, Concepts::DESIRE | Concepts::MODAL)
            || (future && you))
}

/// Fraud named as an accusation, not asked about: "you are frauds", "c'est une arnaque". Not
/// "how do I avoid phone scams?".
fn fraud_accusation(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    // cheating said in idioms: "über den Tisch gezogen", "me passaram a perna".
    let idiom = (cs..ce).find(|&j| {
        (doc.word(j) == "gezogen"
            && (j.saturating_sub(3).max(cs)..j).any(|k| doc.word(k) == "tisch"))
            || (doc.word(j) == "perna" && j > cs + 1 && doc.word(j - 2).starts_with("pass"))
    });
    if let Some(i) = idiom
        && !(cs..i).any(|k| doc.has(k, Concepts::NEG))
    {
        return hit(Kind::FraudAccusation, 0.75, cs, ce, i, i);
    }
    let f = (cs..ce).find(|&j| {
        doc.on(j, Lists::FRAUD)
            || is_fraud_stem(doc.word(j))
            || j > cs && is_theft_after(doc.word(j), doc.word(j - 1))
            // "a rip off", "you ripped me off".
            || (matches!(doc.word(j), "rip" | "ripped" | "ripping")
                && (j + 1..ce.min(j + 3)).any(|k| doc.word(k) == "off"))
            || sold_as_fake(doc, cs, j, ce)
    })?;
    let asked = (cs..ce).any(|j| doc.has(j, Concepts::QWORD) || doc.on(j, Lists::PREVENT));
    // "is this a scam email?", "un SMS d'arnaque": a message the visitor received.
    // "the scam warning", "fraud protection": fraud as a modifier names a thing.
    let received = is_fraud_thing_compound(doc.word(f))
        || f + 1 < ce
            && matches!(
                doc.word(f + 1),
                "email"
                    | "mail"
                    | "call"
                    | "calls"
                    | "text"
                    | "sms"
                    | "message"
                    | "link"
                    | "site"
                    | "warning"
                    | "warnings"
                    | "alert"
                    | "alerts"
                    | "protection"
                    | "prevention"
                    | "detection"
                    | "department"
                    | "team"
                    | "awareness"
                    | "filter"
            );
    // "protección contra el fraude", "Schutz bei Betrug", "alerta de golpe": the thing named
    // before the fraud, in the languages that put it there.
    let shielded = (f.saturating_sub(3).max(cs)..f).any(|j| doc.on(j, Lists::SHIELD_NOUN));
    let denied = (f.saturating_sub(3).max(cs)..f).any(|j| doc.has(j, Concepts::NEG));
    if asked || denied || received || shielded {
        return None;
    }
    hit(Kind::FraudAccusation, 0.75, cs, ce, f, f)
}

/// "misleading advertising", "the price was misleading": deception in what was sold; "you sold
/// me a fake", "fake product". Not a message the visitor received ("this email looks fake", "a
/// fake text claiming to be you"): that is a scam warning, not an accusation.
fn sold_as_fake(doc: &Words<'_, '_>, cs: usize, j: usize, ce: usize) -> bool {
    let near = |k: usize| {
        matches!(
            doc.word(k),
            "advertising"
                | "advert"
                | "ad"
                | "ads"
                | "price"
                | "pricing"
                | "offer"
                | "claims"
                | "marketing"
                | "description"
                | "listing"
                | "product"
                | "products"
                | "item"
                | "goods"
        )
    };
    let around = j.saturating_sub(3).max(cs)..(j + 3).min(ce);
    match doc.word(j) {
        "misleading" => around.clone().any(near),
        "fake" | "fakes" => {
            let message = (cs..ce).any(|k| {
                matches!(
                    doc.word(k),
                    "email"
                        | "mail"
                        | "call"
                        | "text"
                        | "sms"
                        | "message"
                        | "link"
                        | "site"
                        | "website"
                        | "page"
                        | "account"
                        | "profile"
                        | "number"
                )
            });
            !message && (around.clone().any(near) || (cs..j).any(|k| doc.word(k) == "sold"))
        }
        _ => false,
    }
}

/// German compounds that name a thing about fraud, as the English modifiers above do:
/// "Betrugsschutz" (fraud protection), "Betrugsmail" (a scam email), "Betrugsversuch".
fn is_fraud_thing_compound(w: &str) -> bool {
    w.strip_prefix("betrugs").is_some_and(|rest| {
        matches!(
            rest,
            "schutz"
                | "pravention"
                | "erkennung"
                | "warnung"
                | "warnungen"
                | "abteilung"
                | "bekampfung"
                | "filter"
                | "hinweis"
                | "hinweise"
                | "versuch"
                | "versuche"
                | "meldung"
                | "mail"
                | "mails"
                | "email"
                | "anruf"
                | "anrufe"
                | "sms"
                | "nachricht"
                | "nachrichten"
        )
    })
}

/// Forms of the fraud verbs and nouns by their stem: "defrauded", "scamming", "arnaqué",
/// "escroqués", "estafaron", "betrogen", "abgezockt", "golpistas", "ripoff".
fn is_fraud_stem(w: &str) -> bool {
    const STEMS: [&str; 15] = [
        "scam",
        "fraud",
        "defraud",
        "swindl",
        "ripoff",
        "arnaqu",
        "escroq",
        "estafa",
        "estafo",
        "betrug",
        "betrog",
        "abzock",
        "golpist",
        "trambique",
        "engana",
    ];
    if matches!(
        w,
        "timo" | "timador" | "timadores" | "timaron" | "timado" | "timada"
    ) {
        return true;
    }
    // Most words start with another letter: skip them cheaply (this runs on every word).
    if !starts_with_any(w, b"sfdraebgt") {
        return false;
    }
    // "estafeta" is a courier, "scampi" a dish.
    if w.starts_with("estafet") || w.starts_with("scampi") {
        return false;
    }
    STEMS.iter().any(|s| w.starts_with(s))
}

/// Words that are theft only after a helper: French "volé" ("vous m'avez volé", not "le vol"),
/// Spanish "robo" ("esto es un robo"; Portuguese "robô" folds to the same word).
fn is_theft_after(w: &str, prev: &str) -> bool {
    match w {
        "vole" | "voles" | "volee" => matches!(prev, "avez" | "a" | "ont" | "m" | "nous"),
        "vol" => prev == "du",
        "robo" => matches!(prev, "un" | "es" | "puro"),
        _ => false,
    }
}

/// A demand that the problem be solved at once: an order to fix it with "now"/"sofort"/"agora"
/// ("fix this right now", "réglez ça immédiatement"), or a resolution demanded or wished for
/// with urgency ("I demand a resolution today", "quiero una solución inmediata").
fn immediate_resolution(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if (cs..ce).any(|j| doc.has(j, Concepts::QWORD)) {
        return None;
    }
    let fix = |j: usize| doc.on(j, FIX) || is_fix_with_clitic(doc.word(j));
    let f = (cs..ce).find(|&j| fix(j) || doc.on(j, Lists::FIX_DONE))?;
    // "tout de suite", "de suite": at once.
    let urgent = (cs..ce).find(|&j| {
        let prev = if j > cs { doc.word(j - 1) } else { "" };
        doc.on(j, Lists::URGENT)
            || (doc.word(j) == "suite" && prev == "de")
            || (doc.word(j) == "away" && matches!(prev, "right" | "straight"))
            || (doc.word(j) == "once" && prev == "at")
            || (doc.word(j) == "mismo" && matches!(prev, "ya" | "hoy" | "ahora"))
    });
    let first = (cs..ce)
        .find(|&j| !doc.has(j, Concepts::PLEASE | Concepts::COURTESY) && doc.word(j) != "just")
        .unwrap_or(cs);
    let order = f == first && fix(f);
    let demand = (cs..f).any(|j| doc.on(j, Lists::DEMAND));
    let wish = (cs..f).any(|j| doc.has(j, Concepts::DESIRE)) && doc.on(f, Lists::FIX_NOUN);
    // "I want this resolved today", "quero que resolvam isso", "je veux que ce soit réglé",
    // "(ich will,) dass das sofort erledigt wird", "I expect it fixed": the business is to do it.
    let done_by_them = doc.on(f, Lists::FIX_DONE)
        && ((cs..f).any(|j| doc.has(j, Concepts::DESIRE) || doc.on(j, Lists::EXPECT))
            || doc.on(cs, Lists::THAT)
            // "get this resolved today", "have it fixed now": a causative order.
            || matches!(doc.word(cs), "get" | "have"))
        && !negated_before(doc, cs, f);
    match urgent {
        Some(u) if order || wish || demand || done_by_them => {
            hit(Kind::ImmediateResolution, 0.7, cs, ce, u, f)
        }
        None if demand => hit(Kind::ImmediateResolution, 0.7, cs, ce, f, f),
        _ => None,
    }
}

/// A fix asked for as a Romance imperative with a clitic: "resuélvanlo", "arreglenlo",
/// "resolvam-no" (the bare form on [`Lists::FIX_VERB`] or [`Lists::FIX_NOUN`]).
fn is_fix_with_clitic(w: &str) -> bool {
    if w.len() < 8 || !starts_with_any(w, b"rsac") {
        return false;
    }
    ["los", "las", "lo", "la", "me", "nos", "le"]
        .iter()
        .find_map(|c| w.strip_suffix(c).filter(|b| b.len() >= 6))
        .is_some_and(|bare| lists_of(bare) & FIX != 0 || is_fix_with_clitic(bare))
}

/// A fix asked for: a verb or a noun, or a verb with a clitic.
const FIX: u64 = Lists::FIX_VERB | Lists::FIX_NOUN;

/// The clause is asked rather than stated: a question word in it or a question mark after it.
fn asked(doc: &Doc<'_>, cs: usize, ce: usize) -> bool {
    (cs..ce).any(|j| doc.has(j, Concepts::QWORD)) || doc.question_mark_after(ce - 1)
}

/// A negation before `at` in the clause ("I don't demand anything", "no quiero cancelar todo").
fn negated_before(doc: &Doc<'_>, cs: usize, at: usize) -> bool {
    (cs..at).any(|j| doc.has(j, Concepts::NEG) && !doc.has(j, Concepts::COVERED))
}

/// A demand stated as such: a demand verb ("I demand a refund", "exijo que me devuelvan mi
/// dinero", "j'exige"), everything to be cancelled ("cancel everything", "annulez tout"), an
/// order to refund ("refund me now", "remboursez-moi") or the money back at once ("I want my
/// money back now", "ich will sofort mein Geld zurück"). Not asked, not negated.
fn demand(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) {
        return None;
    }
    let first = (cs..ce)
        .find(|&j| !doc.has(j, Concepts::PLEASE | Concepts::COURTESY) && doc.word(j) != "just")
        .unwrap_or(cs);
    for j in cs..ce {
        let w = doc.word(j);
        let prev = if j > cs { doc.word(j - 1) } else { "" };
        // Each test starts with the word itself, so most words cost one look-up each. Not "I
        // demand a lot from my shoes": a demand names what is owed.
        let verb = (doc.on(j, Lists::DEMAND) || (w == "exige" && matches!(prev, "j" | "je")))
            && !much_demanded(doc, j, ce)
            // "I demand", not "I need to demand a refund" (how to ask for one).
            && prev != "to";
        let cancel_all =
            || doc.on(j, Lists::CANCEL) && (j + 1..ce.min(j + 4)).any(|k| is_all_word(doc, k, ce));
        // "refund me now", "remboursez-moi", not a terse "refund $160".
        let order = || {
            j == first
                && doc.on(j, Lists::REFUND_ORDER)
                && (j + 1 < ce && doc.has(j + 1, Concepts::ME)
                    || (cs..ce).any(|k| doc.on(k, Lists::URGENT)))
        };
        let money_back = || {
            doc.on(j, Lists::MONEY)
                && (j + 1..ce.min(j + 4)).any(|k| {
                    matches!(
                        doc.word(k),
                        "back" | "zuruck" | "vuelta" | "volta" | "retour"
                    )
                })
                && (cs..ce).any(|k| doc.on(k, Lists::URGENT))
        };
        // "I want compensation", "ich will eine Entschädigung", "quero uma indenização": the wish
        // governs it directly. Not "I'm trying to demand a compensation", "help me request a
        // compensation" or "I want to check my compensation status" (how to, or a status).
        let compensation = || doc.on(j, Lists::COMPENSATION) && compensation_demanded(doc, cs, j);
        if (verb || cancel_all() || order() || money_back() || compensation())
            && !negated_before(doc, cs, j)
        {
            return hit(Kind::Demand, 0.65, cs, ce, j, j);
        }
    }
    None
}

/// The demand word at `j` asks for a quantity ("I demand a lot", "they demand more"), not for
/// something owed: "a refund", "a full refund", "an explanation" two or three words on are owed.
fn much_demanded(doc: &Words<'_, '_>, j: usize, ce: usize) -> bool {
    let owed = || {
        (j + 2..ce.min(j + 4)).any(|k| {
            matches!(
                doc.word(k),
                "refund" | "reimbursement" | "explanation" | "apology" | "answer" | "response"
            )
        })
    };
    j + 1 < ce && matches!(doc.word(j + 1), "a" | "much" | "more" | "high" | "little") && !owed()
}

/// The compensation word at `j` is the object of a wish or demand stated by the visitor.
fn compensation_demanded(doc: &Words<'_, '_>, cs: usize, j: usize) -> bool {
    let Some(d) = (cs..j)
        .rev()
        .find(|&k| doc.has(k, Concepts::DESIRE) || doc.on(k, Lists::DEMAND))
    else {
        return false;
    };
    let direct = (d + 1..j).all(|k| doc.has(k, Concepts::DET | Concepts::POSS1));
    let how_to = (d > cs && doc.word(d - 1) == "to")
        || (cs..d).any(|k| {
            doc.on(k, Lists::TRYING)
                || matches!(doc.word(k), "try" | "help")
                || doc.has(
                    k,
                    Concepts::HELPWORD | Concepts::HELP_VERB | Concepts::QWORD | Concepts::MODAL,
                )
        });
    direct && !how_to
}

/// The turn asks for money back: "I expect a compensation of $160", "how do I get a refund?",
/// "wie bekomme ich mein Geld zurück?", "je voudrais être remboursé".
pub(super) fn asks_money_back(doc: &Doc<'_>) -> bool {
    let n = doc.toks.len();
    (0..n).any(|j| {
        let w = doc.word(j);
        let next = if j + 1 < n { doc.word(j + 1) } else { "" };
        [
            "refund",
            "reimburs",
            "compensat",
            "rebate",
            "restitut",
            "reembols",
            "devoluc",
            "rembours",
            "dedommag",
            "ruckerstatt",
            "erstatt",
            "entschadig",
            "estorn",
            "indeniz",
            "indemniz",
        ]
        .iter()
        .any(|p| w.starts_with(p))
            || (w == "money" && next == "back")
            || (w == "geld" && matches!(next, "zuruck" | "zurueck"))
            || (matches!(w, "dinero" | "dinheiro") && matches!(next, "de" | "back"))
    })
}

/// The turn shows no sign of a grievance: nothing went wrong or is still wrong ("still no
/// refund", "the refund never came"), no time has passed ("it's been 3 weeks"), the visitor
/// does not press ("REFUND NOW!", "quiero mi reembolso ya") or swear.
pub(super) fn calm(doc: &Doc<'_>) -> bool {
    let n = doc.toks.len();
    let stats = &doc.stats;
    let pressed = stats.exclaim > 0 || (stats.letters >= 8 && stats.upper * 2 > stats.letters);
    let grievance = doc.any(
        Concepts::NEG
            | Concepts::STILL
            | Concepts::ALREADY
            | Concepts::FRUST_STRONG
            | Concepts::FRUST_MED
            | Concepts::FRUST_PROFANE
            | Concepts::INTENS
            | Concepts::ORDINAL
            | Concepts::FAIL
            | Concepts::BOTFAIL
            | Concepts::GIVE_UP,
    );
    let now = (0..n).any(|j| {
        matches!(
            doc.word(j),
            "now"
                | "immediately"
                | "asap"
                | "sofort"
                | "maintenant"
                | "immediatement"
                | "ya"
                | "ahora"
                | "inmediatamente"
                | "agora"
                | "imediatamente"
                | "ja"
        )
    });
    let waited = (1..n)
        .any(|j| doc.toks[j - 1].flags & super::text::F_DIGIT != 0 && is_time_unit(doc.word(j)));
    !(pressed || grievance || now || waited)
}

/// "days", "Wochen", "mois", "semanas": a span of time after a number ("3 weeks"), the long
/// wait's units and their singulars.
fn is_time_unit(w: &str) -> bool {
    lists_of(w) & Lists::DURATION_UNIT != 0 || matches!(w, "day" | "jour" | "dia" | "mes")
}

/// "everything", "alles", "tout", "todo", "tudo", or "all" ending the clause ("cancel it all").
fn is_all_word(doc: &Words<'_, '_>, k: usize, ce: usize) -> bool {
    match doc.word(k) {
        "everything" | "alles" | "tout" | "todo" | "tudo" => true,
        "all" => k + 1 == ce || doc.word(k + 1) == "of",
        _ => false,
    }
}

/// A threat to take the matter to a lawyer, a court, the police, a consumer body or the bank:
/// "I'll contact my lawyer", "ich gehe zur Verbraucherzentrale", "vou no Procon", "I'm filing a
/// chargeback". Not asked ("do you accept chargebacks?"), not negated.
fn legal_threat(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) {
        return None;
    }
    if let Some(h) = withheld_payment(doc, cs, ce) {
        return Some(h);
    }
    let l = (cs..ce).find(|&j| is_legal_word(doc, j, ce))?;
    // "my lawyer needs a copy", "la police de caractères", "la policía recomienda": the
    // subject of the clause, not a threat, unless it is coming ("my lawyer will be in touch",
    // "legal action will follow", "mein Anwalt wird sich melden").
    // (An action named by a phrase, "rechtliche Schritte einzuleiten", is never that subject.)
    // ("klage ich", "demando yo": a verb first in its clause, the visitor after it, is no
    // subject.)
    let verb_first = l + 1 < ce && matches!(doc.word(l + 1), "ich" | "yo" | "eu" | "je");
    if doc.on(l, Lists::LEGAL_PARTY)
        && (cs..l).all(|j| doc.has(j, Concepts::POSS1 | Concepts::DET))
        && !verb_first
        && !comes_after(doc, l, ce)
    {
        return None;
    }
    // Portuguese "no" is also "in the": "vou no Procon".
    let end = if l > cs && doc.word(l - 1) == "no" {
        l - 1
    } else {
        l
    };
    // A negation in a condition makes an ultimatum: "if this isn't resolved by Friday I will
    // contact the ombudsman", "si no me devuelven el dinero, voy a Consumo".
    let condition = (cs..end).find(|&j| {
        matches!(
            doc.word(j),
            "if" | "unless" | "si" | "wenn" | "falls" | "se" | "caso"
        )
    });
    let from = condition.map_or(cs, |k| {
        (k + 1..end)
            .find(|&j| doc.has(j, Concepts::ME | Concepts::PRON) || doc.word(j) == "i")
            .filter(|&j| j > k + 2)
            .unwrap_or(end)
    });
    if negated_before(doc, from, end) {
        return None;
    }
    hit(Kind::LegalThreat, 0.7, cs, ce, l, l)
}

/// Payments stopped until the problem is fixed, or withheld: "I'm withholding payment",
/// "Hiermit widerrufe ich das Lastschriftmandat, bis der Anschluss funktioniert", "je suspends
/// mes prélèvements jusqu'à la réparation", "dejo de pagar hasta que lo arreglen", "vou suspender
/// os pagamentos até a linha voltar". Not a plain "cancel my direct debit" (an account change),
/// not negated ("I won't stop paying").
fn withheld_payment(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    let v = (cs..ce).find(|&j| doc.on(j, Lists::WITHHOLD | Lists::STOP_VERB))?;
    let paid = (v + 1..ce.min(v + 5)).find(|&k| doc.on(k, Lists::PAYMENT | Lists::PAYING))?;
    let until = (v + 1..doc.toks.len()).any(|k| doc.on(k, Lists::UNTIL));
    if !(doc.on(v, Lists::WITHHOLD) || until) || negated_before(doc, cs, v) {
        return None;
    }
    hit(Kind::LegalThreat, 0.7, cs, ce, v, paid)
}

/// After the legal word at `l`, a contact verb or the action coming: "will be in touch", "will
/// contact you", "will follow", "wird sich melden", "va vous contacter", "se pondrá en contacto",
/// "vai entrar em contato"; or the lawyer told of it: "will be informed", "bekommt das in
/// Kopie", "sera informé", "va a estar al tanto".
fn comes_after(doc: &Words<'_, '_>, l: usize, ce: usize) -> bool {
    (l + 1..ce).any(|k| {
        doc.has(k, Concepts::CONTACT)
            || matches!(
                doc.word(k),
                "touch"
                    | "follow"
                    | "follows"
                    | "coming"
                    | "hear"
                    | "melden"
                    | "folgen"
                    | "suivre"
                    | "suivront"
                    | "contacto"
                    | "contato"
                    | "seguir"
                    | "informed"
                    | "copied"
                    | "cc"
                    | "informiert"
                    | "informado"
                    | "informada"
                    | "sabendo"
                    | "erfahren"
                    | "know"
                    | "savoir"
            )
            // "vai saber disto", "va a saber de esto": the body will hear of it.
            || (doc.word(k) == "saber" && matches!(doc.word(k - 1), "vai" | "va" | "a" | "van"))
            // "in Kopie", "en copie"; "sera informé" (Spanish "el informe" is a report).
            || (matches!(doc.word(k), "kopie" | "copie") && matches!(doc.word(k - 1), "in" | "en"))
            || (matches!(doc.word(k), "informe" | "informee" | "informes")
                && matches!(doc.word(k - 1), "sera" | "seront" | "est" | "ete"))
    })
}

/// "I'm going to my bank", "je vais voir ma banque", "voy a ir a mi banco": the visitor takes the
/// payment back, not "my bank card" or "which bank do you use".
fn going_to_the_bank(doc: &Words<'_, '_>, j: usize, ce: usize) -> bool {
    let mine = j > 0 && doc.has(j - 1, Concepts::POSS1);
    let noun_after = j + 1 < ce
        && !doc
            .bits(j + 1)
            .intersects(Concepts::DET | Concepts::PRON | Concepts::NEG);
    let go = (j.saturating_sub(5)..j).any(|k| {
        matches!(
            doc.word(k),
            "going"
                | "go"
                | "call"
                | "contact"
                | "aller"
                | "vais"
                | "appeler"
                | "voy"
                | "ir"
                | "vou"
                | "gehe"
                | "rufe"
        )
    });
    mine && go && !noun_after
}

/// Words for a payment: what a dispute names ("dispute the charge") and what a visitor may
/// disown (`incident`, with plurals).
const PAYMENT_WORDS: &[&str] = &[
    "charge",
    "charges",
    "payment",
    "transaction",
    "zahlung",
    "abbuchung",
    "paiement",
    "prelevement",
    "cargo",
    "cobro",
    "pago",
    "compra",
    "cobranca",
];

fn is_legal_word(doc: &Words<'_, '_>, j: usize, ce: usize) -> bool {
    if doc.on(j, Lists::LEGAL_PARTY) {
        return true;
    }
    if !doc.on(j, Lists::LEGAL_CUE) {
        return false;
    }
    let w = doc.word(j);
    let next = if j + 1 < ce { doc.word(j + 1) } else { "" };
    let prev = if j > 0 { doc.word(j - 1) } else { "" };
    match w {
        "court" | "gericht" => matches!(prev, "to" | "in" | "vor" | "zum" | "ans"),
        // "take legal action", "rechtliche Schritte einleiten", "acciones legales", "ação
        // judicial", "medidas legais"; "action en justice", "poursuites judiciaires".
        "legal" => matches!(next, "action" | "actions" | "steps" | "proceedings"),
        "rechtliche" | "rechtlichen" | "juristische" | "juristischen" | "gerichtliche"
        | "gerichtlichen" => matches!(next, "schritte" | "schritten"),
        "accion" | "acciones" | "acao" | "acoes" | "medidas" => matches!(
            next,
            "legal" | "legales" | "legais" | "judicial" | "judiciales" | "judiciais"
        ),
        "justice" => prev == "en",
        "poursuites" => next == "judiciaires",
        "consumer" => matches!(
            next,
            "protection" | "rights" | "agency" | "council" | "affairs"
        ),
        "consommateurs" | "consommation" | "consumidor" | "consumidores" => true,
        "reclame" => next == "aqui",
        "bank" | "banque" | "banco" => {
            going_to_the_bank(doc, j, ce)
                || (matches!(next, "de" | "of")
                    && j + 2 < ce
                    && matches!(
                        doc.word(j + 2),
                        "espana" | "france" | "portugal" | "mexico" | "england"
                    ))
        }
        // "Test-Achats", the Belgian consumer body.
        "test" => next == "achats",
        // "acudir a Consumo": the consumer affairs office, written with a capital, not "mi
        // consumo de datos".
        "consumo" => matches!(prev, "a" | "en") && doc.orig_word(j).starts_with('C'),
        // (German puts the payment first: "die Zahlung bei PayPal angefochten".)
        "dispute" | "disputing" | "contest" | "contester" | "contestar" | "angefochten"
        | "anfechten" => (j.saturating_sub(4)..ce.min(j + 4)).any(|k| doc.on(k, Lists::PAYMENT)),
        "opposition" => matches!(prev, "faire" | "fais" | "ferai" | "fait"),
        "zuruckbuchen" | "zurueckbuchen" | "zuruckbuchung" | "zuruckgebucht" => true,
        "trading" => next == "standards",
        "anzeige" => matches!(next, "erstatten" | "erstattet") || matches!(prev, "erstatte"),
        "report" | "reporting" => matches!(next, "you" | "u" | "them" | "your"),
        "small" => next == "claims",
        _ => false,
    }
}

/// A threat to leave or to tell everyone, stated, not asked: a move to a competitor ("I'm
/// taking my business elsewhere", "je pars à la concurrence", "ich wechsle den Anbieter", "me
/// cambio de compañía", "vou mudar de operadora"), reviews promised ("I'll be leaving a review
/// about this", "je vais laisser un avis partout", "schreibe überall schlechte Bewertungen",
/// "voy a dejar una reseña", "vou deixar avaliação"), or cancelling as an ultimatum ("one more
/// outage and I cancel", "si ça marche pas demain je résilie", "passiert nichts, kündige ich",
/// "o lo arreglan o me doy de baja"). A happy review promised ("I'll leave you a great review")
/// and a calm "I'd like to cancel" are neither.
fn churn_threat(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) || negated_before(doc, cs, ce) || doc.any(Concepts::POSITIVE) {
        return None;
    }
    let w = |j: usize| if j < ce { doc.word(j) } else { "" };
    // A review promised, or promised to be damning; not help asked to write one ("need help
    // writing a review").
    let threat = |j: usize| {
        let said = |words: &[&str]| (cs..ce).any(|k| k != j && words.contains(&doc.word(k)));
        !(cs..ce).any(|k| doc.has(k, Concepts::HELPWORD | Concepts::HELP_VERB))
            && (said(&[
                "ll",
                "will",
                "going",
                "gonna",
                "vais",
                "voy",
                "vou",
                "werde",
                "dejare",
                "escribire",
            ]) || said(&[
                "everywhere",
                "every",
                "partout",
                "uberall",
                "todos",
                "todo",
                "bad",
                "negative",
                "negativa",
                "negativas",
                "schlechte",
                "schlechten",
                "mauvais",
                "mauvaise",
            ]))
    };
    // Where the visitor goes, and the reviews they promise.
    for j in cs..ce {
        if !doc.on(j, Lists::CHURN_CUE) {
            continue;
        }
        let cue = match doc.word(j) {
            "elsewhere" => matches!(
                doc.word(j.saturating_sub(1)),
                "business" | "go" | "going" | "money" | "custom"
            ),
            "concurrence" | "competencia" | "konkurrenz" | "concorrencia" | "concorrente" => true,
            "anbieter" | "provider" | "fournisseur" | "operateur" | "operadora" | "operador"
            | "compania" | "compagnie" | "banco" | "banque" | "bank" => {
                // "change de banque", "switch to another bank", not "change my bank details".
                j > cs
                    && matches!(
                        doc.word(j - 1),
                        "de" | "den"
                            | "the"
                            | "another"
                            | "other"
                            | "new"
                            | "anderen"
                            | "andere"
                            | "otra"
                            | "outra"
                            | "autre"
                            | "switch"
                    )
                    && (cs..j).any(|k| {
                        matches!(
                            doc.word(k),
                            "wechsle"
                                | "wechseln"
                                | "switch"
                                | "switching"
                                | "change"
                                | "changer"
                                | "cambio"
                                | "cambiarme"
                                | "mudar"
                                | "mudo"
                                | "trocar"
                                | "troco"
                        )
                    })
                    && (cs..j).any(|k| {
                        doc.has(k, Concepts::ME | Concepts::PRON) || {
                            matches!(doc.word(k), "i" | "ich" | "je" | "vou" | "me")
                        }
                    })
            }
            "review" | "reviews" | "avis" | "resena" | "resenas" | "bewertung" | "bewertungen"
            | "avaliacao" | "avaliacoes" | "trustpilot" => threat(j),
            _ => false,
        };
        if cue {
            return hit(Kind::ChurnThreat, 0.55, cs, ce, j, j);
        }
    }
    // Cancelling, as an ultimatum or said with finality ("Je résilie. Point.", "Cancel it.
    // Full stop.", "Me doy de baja. Se acabó.").
    let finality = doc.stats.question == 0 && said_with_finality(doc);
    let cancel = (cs..ce).find(|&j| {
        doc.on(j, Lists::CHURN_CUE)
            && match doc.word(j) {
                "resilie" | "kundige" => true,
                "baja" => matches!(w(j.saturating_sub(1)), "de") && j >= cs + 2,
                "cancel" => finality || matches!(doc.word(j.saturating_sub(1)), "ll" | "will"),
                "cancelling" | "canceling" => finality,
                "cancelar" | "cancelo" => {
                    finality || (cs..j).any(|k| matches!(doc.word(k), "vou" | "voy" | "eu"))
                }
                "cancela" => finality,
                _ => false,
            }
    })?;
    if finality {
        return hit(Kind::ChurnThreat, 0.55, cs, ce, cancel, cancel);
    }
    // ("Wenn ich kündige, ...?", "si je résilie, ...?" ask about cancelling.)
    let ultimatum = doc.stats.question == 0
        && (0..doc.toks.len()).any(|k| {
            matches!(
                doc.word(k),
                "if" | "unless"
                    | "otherwise"
                    | "si"
                    | "sinon"
                    | "senao"
                    | "wenn"
                    | "falls"
                    | "sonst"
                    | "entweder"
                    | "prochain"
                    | "prochaine"
                    | "next"
                    | "encore"
                    | "passiert"
                    | "proxima"
                    | "otra"
            )
        });
    ultimatum.then(|| hit(Kind::ChurnThreat, 0.55, cs, ce, cancel, cancel))?
}

/// A clause of its own that closes the matter: "Point.", "Punto.", "Punkt.", "Period.", "Full
/// stop.", "Ponto final.", "Se acabó.", "Schluss.".
fn said_with_finality(doc: &Doc<'_>) -> bool {
    doc.clauses.iter().any(|c| {
        let words: Vec<&str> = (c.start..c.end).map(|j| doc.word(j)).collect();
        matches!(
            words.as_slice(),
            ["point"]
                | ["punto"]
                | ["punkt"]
                | ["period"]
                | ["full", "stop"]
                | ["ponto"]
                | ["ponto", "final"]
                | ["punto", "final"]
                | ["point", "final"]
                | ["punkt", "aus"]
                | ["schluss"]
                | ["se", "acabo"]
                | ["acabou"]
                | ["end", "of", "story"]
        )
    })
}

/// A wait counted in days, weeks or months, stated: "I've been waiting 3 weeks", "ich warte seit
/// zwei Wochen", "ça fait 10 jours que j'attends", "estou esperando há 15 dias"; also trying to
/// reach the business or getting no answer for that long ("trying to reach you since Monday",
/// "seit einem Monat keine Antwort"). Not asked, not a wait to come ("I'll wait two days").
fn long_wait(doc: &Words<'_, '_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) {
        return None;
    }
    let w = (cs..ce).find(|&j| {
        doc.on(j, Lists::PROMISE | Lists::WAIT)
            || doc.has(j, Concepts::STILL)
                && (j + 1..ce.min(j + 3)).any(|k| {
                    doc.has(k, Concepts::NEG)
                        || matches!(
                            doc.word(k),
                            "not" | "pas" | "nicht" | "no" | "nao" | "keine"
                        )
                })
            || doc.on(j, Lists::TRYING)
                && (j + 1..ce.min(j + 4)).any(|k| doc.has(k, Concepts::CONTACT))
            || doc.on(j, Lists::REPLY_NOUN) && j > cs && doc.has(j - 1, Concepts::NEG)
    })?;
    let lo = w.saturating_sub(6).max(cs);
    let unit = (lo..ce.min(w + 7)).find(|&j| {
        doc.on(j, Lists::DURATION_UNIT)
            // "an hour", "une heure", "uma hora", "einer Stunde": one hour is long in a queue.
            || (matches!(doc.word(j), "hour" | "stunde" | "heure" | "hora")
                && j > 0
                && matches!(
                    doc.word(j - 1),
                    "an" | "one" | "1" | "eine" | "einer" | "une" | "una" | "uma"
                ))
            || matches!(doc.word(j), "since" | "seit" | "depuis" | "desde")
            // "on hold for 45 minutes": minutes count from twenty.
            || matches!(doc.word(j), "minutes" | "minuten" | "minutos" | "mins")
                && j > 0
                && doc.word(j - 1).parse::<u32>().is_ok_and(|n| n >= 20)
            // Spanish and Portuguese "mes" is a month after "un"/"um", French "my" otherwise.
            || doc.word(j) == "mes" && j > 0 && matches!(doc.word(j - 1), "un" | "um" | "1")
    })?;
    let future = (cs..w).any(|j| {
        doc.has(j, Concepts::MODAL | Concepts::DESIRE)
            || matches!(
                doc.word(j),
                "will" | "ll" | "werde" | "vou" | "voy" | "vais" | "please" | "bitte"
            )
    });
    let no_reply = doc.on(w, Lists::REPLY_NOUN);
    // A promise counts only when it was not kept: "promised a refund 2 weeks ago and still
    // nothing", not "the agent I talked to last week promised a callback".
    let broken = (w + 1..doc.toks.len()).any(|j| {
        doc.has(j, Concepts::STILL | Concepts::NEG)
            || matches!(doc.word(j), "nothing" | "nichts" | "rien" | "nada")
    });
    if doc.on(w, Lists::PROMISE) && !broken {
        return None;
    }
    // "waiting for your new collection for months, so excited!": looking forward, not stuck.
    let anticipation = doc.any(Concepts::POSITIVE)
        || (cs..ce).any(|j| {
            matches!(
                doc.word(j),
                "new"
                    | "neue"
                    | "neuen"
                    | "nouvelle"
                    | "nouveau"
                    | "nueva"
                    | "nuevo"
                    | "nova"
                    | "novo"
            )
        });
    // "toujours pas remboursé après un mois": the negation is the complaint itself.
    let still_not = doc.has(w, Concepts::STILL);
    if future || anticipation || (!no_reply && !still_not && negated_before(doc, cs, w)) {
        return None;
    }
    hit(Kind::LongWait, 0.6, cs, ce, w, unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds of escalation [`detect`] finds in `text` (the incident rules' tests use it too).
    pub(super) fn kinds(text: &str) -> Vec<Kind> {
        let doc = Doc::new(text);
        let mut out = [None; KINDS];
        detect(&doc, &mut out);
        out.iter().flatten().map(|h| h.kind).collect()
    }

    /// Every `yes` line shows `kind`, no `no` line does.
    pub(super) fn assert_kind(kind: Kind, yes: &[&str], no: &[&str]) {
        for t in yes {
            assert!(kinds(t).contains(&kind), "{t}: {:?}", kinds(t));
        }
        for t in no {
            assert!(!kinds(t).contains(&kind), "{t}: {:?}", kinds(t));
        }
    }

    #[test]
    fn a_plain_money_claim_is_told_from_a_grievance_about_money() {
        for t in [
            "I expect a compensation of $160",
            "how do I get a refund for order 5512?",
            "wie bekomme ich mein Geld zurück?",
            "¿cómo solicito el reembolso?",
            "je voudrais être remboursé de ma commande",
            "quero o estorno da compra",
        ] {
            let d = Doc::new(t);
            assert!(asks_money_back(&d) && calm(&d), "{t}");
        }
        for t in [
            "still no refund",
            "the refund never came",
            "it's been 3 weeks and no reimbursement",
            "REFUND MY MONEY",
            "quiero mi reembolso ya",
            "I want my money back!",
            "Ich warte schon seit Wochen auf die Erstattung",
            "how do I change my address?",
        ] {
            let d = Doc::new(t);
            assert!(!(asks_money_back(&d) && calm(&d)), "{t}");
        }
    }

    #[test]
    fn refusals_of_the_bot_in_five_languages() {
        for t in [
            "I'm done talking to a machine",
            "I refuse to talk to a bot",
            "no more bots please",
            "keine Bots mehr bitte",
            "j'en ai assez de parler à une machine",
            "ya no quiero hablar con una máquina",
            "chega de robô",
        ] {
            assert_eq!(kinds(t), [Kind::RefusalOfBot], "{t}");
        }
        for t in [
            "how do I stop the bot from emailing me",
            "the bot did a great job",
            "la machine à café est cassée",
            "I can't talk to the bot",
        ] {
            assert!(!kinds(t).contains(&Kind::RefusalOfBot), "{t}");
        }
    }

    #[test]
    fn asking_in_exasperation_whether_anyone_reads_is_no_answer() {
        assert_kind(
            Kind::NoAnswer,
            &[
                "Do you actually read these messages or do they go straight into a drawer?",
                "do u even read what i write",
                "Are you even listening?",
                "Lesen Sie meine Nachrichten eigentlich?",
                "Lest ihr das überhaupt, oder landet alles im Papierkorb?",
                "Vous lisez mes messages, au moins ?",
                "Est-ce que vous écoutez vraiment ce que je dis ?",
                "¿Ustedes leen lo que uno escribe o no?",
                "¿De verdad usted lee estos mensajes?",
                "Vocês leem as mensagens ou só arquivam?",
                "Você ouve mesmo o que eu falo?",
                "¿El correo de reclamaciones lo lee alguien o es decorativo?",
                "O e-mail de reclamação é lido por alguém ou é só enfeite?",
            ],
            &[
                "Do you read messages at the weekend?",
                "Can you read my attachment and tell me if it is OK?",
                "Could you please read this before replying?",
                "How do I read my messages in the app?",
                "Do you read the meter or do I?",
                "I read your messages, thanks, all clear",
                "Lesen Sie die Nachrichten am Wochenende?",
                "Pouvez-vous lire le fichier joint ?",
                "¿Dónde leo mis mensajes?",
                "Vocês leem mensagens no sábado?",
                "You didn't even read my message.",
                "Does anyone read the meter at the weekend?",
                "Is anyone actually reading this or is it all automatic?",
                "¿Alguien lee de verdad estos mensajes o es todo automático?",
                "Can someone read my contract and tell me the notice period?",
            ],
        );
    }

    #[test]
    fn complaints_fraud_and_demands_are_told_apart_from_questions() {
        assert_eq!(kinds("I want to file a complaint"), [Kind::Complaint]);
        assert_eq!(kinds("c'est une arnaque"), [Kind::FraudAccusation]);
        assert_eq!(kinds("fix this right now"), [Kind::ImmediateResolution]);
        assert_eq!(kinds("o SAC não atende"), [Kind::UnreachableService]);
        assert!(kinds("my complaint was resolved, thanks").is_empty());
        assert!(kinds("Où trouver votre procédure de réclamation ?").is_empty());
        assert!(kinds("¿Dónde está su procedimiento de reclamaciones?").is_empty());
        assert!(kinds("Onde encontro a política de reclamações de vocês?").is_empty());
        assert!(kinds("how do I avoid phone scams?").is_empty());
        assert!(kinds("the fix worked").is_empty());
        assert!(kinds("customer service answered at once").is_empty());
        // A channel for complaints asked for.
        for t in [
            "Is there a complaints department, or does that go to a chatbot too?",
            "Gibt es eine Beschwerdestelle?",
            "Il existe un service réclamations ?",
            "¿Tienen libro de reclamaciones?",
            "Existe uma ouvidoria?",
        ] {
            assert_eq!(kinds(t), [Kind::Complaint], "{t}");
        }
        for t in [
            "¿Hay quejas sobre este modelo?",
            "there are complaints about the app on your forum, is my order affected?",
            "is there a complaints policy on your site?",
        ] {
            assert!(!kinds(t).contains(&Kind::Complaint), "{t}");
        }
    }

    #[test]
    fn demands_legal_threats_waits_and_silence() {
        for (t, k) in [
            ("I demand a refund", Kind::Demand),
            ("I demand a full refund.", Kind::Demand),
            ("cancel everything", Kind::Demand),
            ("annulez tout et remboursez-moi", Kind::Demand),
            ("I will contact my lawyer", Kind::LegalThreat),
            ("vou no procon", Kind::LegalThreat),
            ("ich gehe zur Verbraucherzentrale", Kind::LegalThreat),
            ("we will take legal action", Kind::LegalThreat),
            ("dann leite ich rechtliche Schritte ein", Kind::LegalThreat),
            (
                "ich überlege, rechtliche Schritte einzuleiten",
                Kind::LegalThreat,
            ),
            ("a ANACOM vai saber disto", Kind::LegalThreat),
            ("Profeco va a saber de esto", Kind::LegalThreat),
            ("voy a ir a la Condusef", Kind::LegalThreat),
            ("je vais lancer une action en justice", Kind::LegalThreat),
            ("vamos a tomar acciones legales", Kind::LegalThreat),
            ("vou entrar com uma ação judicial", Kind::LegalThreat),
            ("I've been waiting 3 weeks for my refund", Kind::LongWait),
            ("llevo una semana esperando respuesta", Kind::LongWait),
            ("ive called 5 times and no one picks up", Kind::NoAnswer),
        ] {
            assert!(kinds(t).contains(&k), "{t}: {:?}", kinds(t));
        }
        for t in [
            "do you accept chargebacks?",
            "how do I cancel everything?",
            "I'll wait two more days",
            "I don't want to sue anyone",
            "j'attends mes colis",
            "we do not demand a deposit",
            "how do I download the report",
            "the tennis court was booked",
            "I've been waiting for your new collection for months, so excited!",
            "we ordered 3 times from you already, always great",
            "I demand a lot from my running shoes",
            "la police de caractères est trop petite",
            "what legal steps does opening a company take?",
            "le palais de justice est fermé le lundi",
            "I don't plan any legal action",
            "The agent I talked to last week promised a callback",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", kinds(t));
        }
    }

    #[test]
    fn a_failure_counted_is_repeated_failure_and_a_question_or_a_success_is_not() {
        for t in [
            "The upload has failed 7 times in a row now.",
            "payment declined for the fourth time",
            "my card got rejected 3 times today",
            "die Zahlung ist dreimal fehlgeschlagen",
            "c'est la troisième fois que le paiement échoue",
            "ya es la tercera vez que falla la descarga",
            "o pagamento falhou pela terceira vez",
            "the app crashed five times this morning",
        ] {
            assert!(
                kinds(t).contains(&Kind::RepeatedFailure),
                "{t}: {:?}",
                kinds(t)
            );
        }
        for t in [
            "what happens if a payment fails 3 times?",
            "ordered 5 times from you, never a problem",
            "it never failed, and I used it ten times",
            "can I try three times before the account locks",
            "I refuse to pay three times the price",
        ] {
            assert!(
                !kinds(t).contains(&Kind::RepeatedFailure),
                "{t}: {:?}",
                kinds(t)
            );
        }
    }

    #[test]
    fn repeated_contact_needs_contact_and_presence_needs_a_way_to_reach() {
        for (t, k) in [
            (
                "ive emailed you guys 4 times and still nothing",
                Kind::RepeatedContact,
            ),
            ("this is my fourth message", Kind::RepeatedContact),
            ("ich habe schon fünfmal angerufen", Kind::RepeatedContact),
            ("no contestan los correos ni el teléfono", Kind::NoAnswer),
            (
                "is there someone in the office I can speak with?",
                Kind::PresenceQuestion,
            ),
            (
                "is anyone even reading these messages",
                Kind::PresenceQuestion,
            ),
            ("Is anyone awake over there?", Kind::PresenceQuestion),
            (
                "Il y a quelqu'un de réveillé chez vous ?",
                Kind::PresenceQuestion,
            ),
            ("¿Hay alguien despierto por ahí?", Kind::PresenceQuestion),
            ("Tem alguém vivo aí do outro lado?", Kind::PresenceQuestion),
            (
                "Ihre Hotline ist seit Tagen dauerbesetzt",
                Kind::UnreachableService,
            ),
        ] {
            assert!(kinds(t).contains(&k), "{t}: {:?}", kinds(t));
        }
        for t in [
            "can I pay in 3 times?",
            "I read the report three times, looks good",
            "is anyone there?",
            "is there a human behind this chat?",
            "Alguém lê mesmo estas mensagens ou é tudo automático?",
            "the line is busy, I'll try later",
            "my lawyer needs a copy of the invoice",
            "Sie antworten immer so schnell, danke",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", kinds(t));
        }
    }

    #[test]
    fn fraud_protection_named_first_is_a_thing_and_a_lawyer_informed_is_a_threat() {
        for t in [
            "¿la tarjeta tiene protección contra fraude?",
            "votre protection contre la fraude couvre quoi ?",
            "obrigado pelo alerta de golpe por SMS",
            "Bietet die Karte Schutz bei Betrug?",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", kinds(t));
        }
        assert_eq!(kinds("esto es una estafa"), [Kind::FraudAccusation]);
        for t in [
            "Mon avocat sera informé.",
            "Mein Anwalt bekommt das alles in Kopie.",
            "my solicitor will be copied on this",
            "vou na Anatel",
        ] {
            assert_eq!(kinds(t), [Kind::LegalThreat], "{t}");
        }
        for t in [
            "mon avocat a besoin d'une copie",
            "mi abogado pidió el informe",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", kinds(t));
        }
    }

    #[test]
    fn theft_is_an_accusation_but_a_robot_is_not() {
        assert_eq!(kinds("esto es un robo"), [Kind::FraudAccusation]);
        assert_eq!(kinds("vous m'avez volé"), [Kind::FraudAccusation]);
        assert!(kinds("você é um robô").is_empty());
        assert!(kinds("mon vol est annulé").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,200}") {
            let doc = Doc::new(&text);
            let mut out = [None; KINDS];
            detect(&doc, &mut out);
        }
    }

    #[test]
    fn threats_to_leave_or_to_post_reviews_but_not_calm_cancelling() {
        for t in [
            "I'm taking my business elsewhere",
            "je pars chez la concurrence",
            "ich wechsle den Anbieter, reicht mir",
            "o lo arreglan esta semana o me cambio de compañía",
            "vou mudar de operadora",
            "I'll be leaving a review about this everywhere",
            "je vais laisser un avis sur Google",
            "schreibe überall schlechte Bewertungen",
            "voy a dejar una reseña de esto",
            "Encore une panne et je résilie",
            "Passiert bis Freitag nichts, kündige ich",
        ] {
            assert!(kinds(t).contains(&Kind::ChurnThreat), "{t}");
        }
        for t in [
            "How do I leave a review?",
            "I'll leave you a great review!",
            "need help writing a review for your products",
            "I would like to cancel my subscription",
            "Wenn ich kündige, bekomme ich Geld zurück?",
            "Can I switch to another provider and keep my number?",
            "I want to change my bank details",
            "I won't be switching providers, you've been great",
        ] {
            assert!(!kinds(t).contains(&Kind::ChurnThreat), "{t}");
        }
    }

    #[test]
    fn escalations_in_their_other_shapes() {
        for (t, k) in [
            ("who do I complain to?", Kind::Complaint),
            (
                "I think I've been defrauded by your website",
                Kind::FraudAccusation,
            ),
            ("fui enganado por vocês", Kind::FraudAccusation),
            (
                "your hotline just rings and rings",
                Kind::UnreachableService,
            ),
            (
                "impossible de joindre votre service client",
                Kind::UnreachableService,
            ),
            (
                "ich komme bei Ihrer Hotline nicht durch",
                Kind::UnreachableService,
            ),
            ("o número de vocês não atende", Kind::UnreachableService),
            (
                "I tried calling customer service all morning, no answer",
                Kind::UnreachableService,
            ),
            (
                "why is nobody at your call centre picking up??",
                Kind::UnreachableService,
            ),
            (
                "I want this resolved immediately",
                Kind::ImmediateResolution,
            ),
            (
                "ich will, dass das sofort erledigt wird",
                Kind::ImmediateResolution,
            ),
            (
                "quero que resolvam isso imediatamente",
                Kind::ImmediateResolution,
            ),
            ("por cuarta vez, sigue sin funcionar", Kind::RepeatedContact),
            ("I want compensation for this mess", Kind::Demand),
            ("ich will eine Entschädigung", Kind::Demand),
            (
                "Das ist Betrug, Sie haben abgebucht und nichts geliefert",
                Kind::FraudAccusation,
            ),
            (
                "your customer care line just plays music forever",
                Kind::UnreachableService,
            ),
        ] {
            assert!(kinds(t).contains(&k), "{t}: {:?}", kinds(t));
        }
        for t in [
            "the scam warning on your site was helpful, thanks",
            "Gibt es bei Ihnen einen Betrugsschutz für Kartenzahlungen?",
            "Ich habe eine Betrugsmail in Ihrem Namen bekommen, ist die echt?",
            "does the scampi contain shellfish?",
            "the phone rings when I get a notification, how do I turn it off?",
            "my order was resolved quickly, thank you",
            "I can't reach the top shelf, do you sell step ladders?",
            "wann ist der Kundenservice erreichbar?",
            "i have got to see ur money back garantee can ya help me",
            "I'm trying to demand a compensation",
            "I want to check my compensation current status",
            "can you help me get a compensation",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", kinds(t));
        }
    }

    #[test]
    fn a_failure_every_time_a_lawyer_coming_and_deception_sold() {
        let calm = [
            "does the app crash every time for everyone or just me?",
            "my lawyer needs a copy of the contract",
            "this email looks fake, did you send it?",
            "the instructions were misleading me, which cable is it?",
            "I log in every time without problems",
        ];
        assert_kind(
            Kind::RepeatedFailure,
            &[
                "the app crashes every time I open the basket",
                "die Zahlung schlägt jedes Mal fehl",
                "l'appli plante à chaque fois que je paie",
                "o app trava toda vez que abro",
            ],
            &calm,
        );
        assert_kind(
            Kind::LegalThreat,
            &[
                "my lawyer will be in touch",
                "legal action will follow",
                "Mein Anwalt wird sich bei Ihnen melden",
                "meu advogado vai entrar em contato",
                "Voy a ir a la OMIC de mi ayuntamiento con todos los papeles.",
                "Acudiré al Banco de España si no me devuelven la comisión.",
                "Les escribo por última vez antes de acudir a Consumo.",
                "Si ça continue, je contacte Test-Achats.",
                "Ich habe den Schlichtungsantrag schon vorbereitet.",
                "Estou a escrever pela última vez antes de ir à DECO.",
            ],
            &[
                "mi consumo de datos es muy alto este mes",
                "¿cuánto consumo de luz tiene esta lavadora?",
                "is the banco de portugal transfer code on the invoice?",
            ],
        );
        assert_kind(
            Kind::FraudAccusation,
            &[
                "misleading advertising, the price was different at checkout",
                "you sold me a fake",
                "publicidad engañosa",
                "das ist Irreführung",
            ],
            &calm,
        );
    }

    #[test]
    fn payments_withheld_cancelling_with_finality_and_complaints_forwarded() {
        assert_kind(
            Kind::LegalThreat,
            &[
                "I'm withholding payment until the roof is repaired",
                "we will stop the direct debit until the line works again",
                "ich stelle die Zahlungen ein, bis das Internet wieder läuft",
                "je suspends mes prélèvements jusqu'à ce que le chauffage soit réparé",
                "dejo de pagar la cuota hasta que arreglen la fibra",
                "vou parar de pagar até resolverem a minha linha",
                "Voy a ir al Sernac con todo esto",
                "If this isn't resolved by Friday I will be contacting the ombudsman",
                "if you don't refund me I'll go to the BBB",
                "Si no me devuelven el dinero voy a ir a Profeco",
                "Wenn ich bis Freitag nichts höre, klage ich.",
                "Ich habe die Zahlung bei PayPal angefochten.",
            ],
            &[
                "I want to cancel my direct debit and pay by card instead",
                "Can I stop my payments until the repair is done?",
                "I won't stop paying, I just want the invoice corrected",
                "how do I suspend payments while I'm abroad?",
                "stop sending me payment reminders",
                "I will not contact the ombudsman if you fix it today",
                "I don't want to involve a lawyer",
            ],
        );
        assert_kind(
            Kind::ChurnThreat,
            &[
                "I'm cancelling. Full stop.",
                "Ich kündige. Punkt.",
                "Me doy de baja. Se acabó.",
                "Cancelo tudo. Ponto final.",
            ],
            &[
                "Cancel my order please.",
                "can I cancel? Period of notice?",
                "The point is the booking was cancelled.",
                "Cancelo la reserva del martes, gracias.",
            ],
        );
        assert_kind(
            Kind::Complaint,
            &[
                "Please forward this to your complaints department.",
                "Transmettez mon message au service réclamations.",
                "encaminhem isto à ouvidoria",
            ],
            &[
                "Please forward the invoice to my accountant.",
                "Transmettez mes remerciements au service client.",
            ],
        );
    }
}

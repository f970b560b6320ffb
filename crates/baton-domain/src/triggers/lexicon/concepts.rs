//! The concept set: what a word can mean to the trigger rules ("a person who could take the
//! chat", "a contact verb", "a negation", ...), as a typed set of flags.
//!
//! Owns only the names and meanings of the concepts; which words carry them is `words`, putting
//! them on a turn is `tagging`, and what they add up to is the detectors' business. A `u128` leaves
//! room to grow past the 64 concepts in use.

bitflags::bitflags! {
    /// The concepts a word carries (several at once: "nobody" is a person word and a negation).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub(in crate::triggers) struct Concepts: u128 {
        // Person words.
        /// A word for a person who could take the chat: "human", "agent", "asesor", "Mitarbeiter".
        const P_STRONG = 1 << 0;
        /// Indefinite: "someone", "alguien", "quelqu'un", "jemand", "alguém".
        const P_SOMEONE = 1 << 1;
        /// Needs a contact verb to count: "assistant", "people".
        const P_WEAK = 1 << 2;
        /// A team rather than a person: "customer service", "support team", "Kundendienst".
        const P_GROUP = 1 << 3;
        /// Real, live, actual, "de verdad", "echten".
        const QUAL = 1 << 4;
        // Verbs.
        /// Talk, speak, chat, contact, hablar, parler, sprechen, falar (base forms).
        const CONTACT = 1 << 5;
        /// Talking, speaking, hablando (the -ing forms).
        const CONTACT_ING = 1 << 6;
        /// First-person present forms that describe the chat rather than ask: "hablo", "spreche".
        const CONTACT_STATE = 1 << 7;
        /// Transfer, connect, escalate, pásame, verbinden.
        const TRANSFER = 1 << 8;
        /// Want, need, quiero, voudrais, möchte, quero.
        const DESIRE = 1 << 9;
        /// Can, could, possible, puedo, peux, kann, posso.
        const MODAL = 1 << 10;
        /// Not, never, without, no, sin, ne, pas, kein, não.
        const NEG = 1 << 11;
        /// "I am", "soy", "je suis", "ich bin": the visitor says what they are.
        const IDENTITY = 1 << 12;
        /// "are you", "is this", "eres", "bist du": a question about the bot.
        const BEYOU = 1 << 13;
        /// Bot, robot, AI, machine.
        const BOTNOUN = 1 << 14;
        /// Articles, prepositions and second-person possessives that may sit between a verb and a noun.
        const DET = 1 << 15;
        /// My, our, mi, notre, unser, meu.
        const POSS1 = 1 << 16;
        /// Available, online, disponible.
        const AVAIL = 1 << 17;
        /// Auxiliaries: do, have, will, ai, habe.
        const AUX = 1 << 18;
        /// Forms of "to be" that make an -ing verb a state: am, are, estoy.
        const BE_AUX = 1 << 19;
        /// How, where, cómo, comment, wie, como.
        const QWORD = 1 << 20;
        /// Please, por favor, svp, bitte.
        const PLEASE = 1 << 21;
        /// Hi, thanks, now, asap.
        const COURTESY = 1 << 22;
        /// Hours, phone number, email: asking for information, not for a person.
        const INFO = 1 << 23;
        /// Me, us, mich, moi.
        const ME = 1 << 24;
        /// Contrastive conjunctions that start a new clause: but, pero, mais, aber, because.
        const SPLIT = 1 << 25;
        /// Yes, sure, sí, oui, ja, sim.
        const AFFIRM = 1 << 26;
        /// Nouns after which a person word is a modifier: "agent number", "human error".
        const BLOCK_NEXT = 1 << 27;
        /// Modifiers that keep "agent"/"manager" a person: "support agent", "account manager".
        const MOD_OK = 1 << 28;
        /// Person words whose unknown modifiers change the sense: agent, operator, manager.
        const MOD_SENSITIVE = 1 << 29;
        /// About, regarding, sobre: the person is the topic, not the listener.
        const TOPIC = 1 << 30;
        /// Number words and quantifiers: two, several, mil.
        const NUMWORD = 1 << 31;
        /// Needed, necessary, nötig.
        const NEEDED = 1 << 32;
        /// Part of an other-sense phrase ("travel agent"); never a person.
        const BLOCKED = 1 << 33;
        /// An earlier word of a multi-word entry.
        const COVERED = 1 << 34;
        // Frustration.
        const FRUST_STRONG = 1 << 35;
        const FRUST_MED = 1 << 36;
        const FRUST_PROFANE = 1 << 37;
        /// So, very, really, muy, très, sehr, muito.
        const INTENS = 1 << 38;
        // Complex issues.
        /// "already tried", "didn't work", "ya lo intenté".
        const FAIL = 1 << 39;
        const TECH = 1 << 40;
        const PROBLEM = 1 << 41;
        /// Error, code, status, http, Fehler.
        const ERRWORD = 1 << 42;
        // Sales.
        const SALES_STRONG = 1 << 43;
        const SALES_MED = 1 << 44;
        /// Seats, licenses, employees: what a number counts in a sales enquiry.
        const SALES_UNIT = 1 << 45;
        /// We, our, company, team, empresa.
        const BUYER = 1 << 46;
        /// Cancel, article, phone carrier: sales words used in another sense nearby.
        const SALES_NEG = 1 << 47;
        /// Sales words that often mean something else: contract, quote, budget, demo.
        const SALES_AMBIG = 1 << 48;
        // Bot turns.
        /// Steps the bot suggested: try, restart, clear the cache.
        const STEP = 1 << 49;
        /// The bot did not know: "I'm sorry, I don't know".
        const BOTFAIL = 1 << 50;
        /// The bot offers something: "would you like", "shall I".
        const OFFER = 1 << 51;
        /// Never mind, no thanks, forget it.
        const RETRACT = 1 << 52;
        /// Help, assistance, ayuda (may sit between "need" and the person: "need help from a human").
        const HELPWORD = 1 << 53;
        /// Still, again, same: repetition words.
        const STILL = 1 << 54;
        /// Really, even, actually, just: adverbs skipped when looking for what a negation governs.
        const ADV = 1 << 55;
        /// A subject or object pronoun a negation may skip over ("no me pases", "no lo necesito").
        const PRON = 1 << 56;
        /// Passive participles of transfer verbs: "be connected", "ser transferido", "verbunden werden".
        const PASSIVE = 1 << 57;
        /// A call back: "callback", "call me back", "zurückrufen", "rappeler".
        const CALLBACK = 1 << 58;
        /// Have, avoir, tener, haben, ter: a wish after a modal ("is it possible to have a human").
        const HAVE = 1 << 59;
        /// Everyday technical words (app, update, import) that count less than infrastructure words.
        const TECH_WEAK = 1 << 60;
        /// Already, ya, déjà, schon, já: something was tried before.
        const ALREADY = 1 << 61;
        /// "in person", "en persona", "persönlich": a face-to-face visit, not a chat handoff.
        const IN_PERSON = 1 << 62;
        /// Thanks, great, love, perfect: a happy visitor's "!!!" is not anger.
        const POSITIVE = 1 << 63;
        /// Help as a verb, in any form: "helping", "ayudando", "aidez", "hilft", "ajudou" (the
        /// noun is [`Concepts::HELPWORD`]).
        const HELP_VERB = 1 << 64;
        /// Giving up on the chat in a word that alone may be calm: "forget it", "whatever",
        /// "egal", "tant pis", "da igual", "tanto faz". Frustration only when it ends a short
        /// clause ("ok whatever", not "whatever you recommend") after the bot has answered at
        /// least twice.
        const GIVE_UP = 1 << 65;
        /// Praise that, said alone after a failure, is irony: "Lovely.", "Super.", "Que
        /// beleza.", "Reizend.", "Genial, cuarta sugerencia…".
        const PRAISE = 1 << 66;
        /// Third, fourth, fifth…: counting the times something failed or was asked.
        const ORDINAL = 1 << 67;

        /// Any person word.
        const P_ANY = Self::P_STRONG.bits()
            | Self::P_SOMEONE.bits()
            | Self::P_WEAK.bits()
            | Self::P_GROUP.bits();
    }
}

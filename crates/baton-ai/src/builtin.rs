//! The built-in engine: no network, no model. It detects when a person is needed
//! with the domain's trigger classifier over the whole conversation; otherwise it answers from the
//! bot's knowledge, naming the source, when one passage covers the question well enough, and
//! says honestly that it does not know when none does — offering a person after repeated misses.
//!
//! It speaks the conversation's language ([`BotProfile::lang`]): its own phrases are written in
//! all five languages, and when the knowledge holds confident answers in several languages (each
//! entry's language is read from its text, [`crate::knowledge::language`]), the one in the
//! visitor's language wins.

use baton_domain::handoff::{HandoffDecision, Trigger};
use baton_domain::language::Language;
use baton_domain::message::AuthorKind;
use baton_domain::triggers::{self, Sensitivity, TriggerSettings, Turn, TurnAuthor};

use crate::knowledge::{Hit, Source};
use crate::{BotProfile, Engine, EngineFuture, EngineReply, Line};

/// How many of the bot's own "I don't know" answers in a row before it offers a person.
const MISSES_BEFORE_OFFER: usize = 2;

/// An answer is given only from a passage that covers at least this share of the question
/// ([`Hit::coverage`]: IDF-weighted, so missing a rare, specific word costs more than missing a
/// common one). Tuned on the cases in this module's tests (run them with `BATON_TUNE=1` to print
/// the figures): reworded questions the knowledge answers cover 0.58–1 (two of three distinctive
/// words found is about 0.58), questions that merely share a word with it 0–0.41, and one stemming
/// accident ("used cars" meets "care") 0.53.
pub const CONFIDENT_COVERAGE: f32 = 0.55;
/// How many hits are considered: the best-scoring one that is confident wins.
const CANDIDATES: usize = 5;

/// The engine's own words, in the conversation's language.
mod phrases {
    use baton_domain::language::Language::{self, *};

    /// The start of every answer that says the knowledge has none.
    pub fn dont_know(lang: Language) -> &'static str {
        match lang {
            English => "I'm sorry, I don't have an answer to that yet.",
            German => "Entschuldigung, darauf habe ich noch keine Antwort.",
            French => "Désolé, je n’ai pas encore de réponse à cela.",
            Spanish => "Lo siento, todavía no tengo una respuesta para eso.",
            Portuguese => "Desculpe, ainda não tenho uma resposta para isso.",
        }
    }

    pub fn rephrase(lang: Language) -> &'static str {
        match lang {
            English => "Could you put it another way?",
            German => "Können Sie es anders formulieren?",
            French => "Pourriez-vous le formuler autrement ?",
            Spanish => "¿Podría decirlo de otra manera?",
            Portuguese => "Poderia dizer de outra forma?",
        }
    }

    pub fn offer(lang: Language) -> &'static str {
        match lang {
            English => "Would you like me to connect you with a person from our team? Just say so.",
            German => {
                "Soll ich Sie mit einer Person aus unserem Team verbinden? Sagen Sie einfach Bescheid."
            }
            French => {
                "Voulez-vous que je vous mette en relation avec une personne de notre équipe ? Dites-le simplement."
            }
            Spanish => "¿Quiere que le comunique con una persona de nuestro equipo? Solo dígalo.",
            Portuguese => "Quer que eu conecte você com uma pessoa da nossa equipe? É só dizer.",
        }
    }

    pub fn greeting(lang: Language) -> &'static str {
        match lang {
            English => "Hello! How can I help you today?",
            German => "Hallo! Wie kann ich Ihnen heute helfen?",
            French => "Bonjour ! Comment puis-je vous aider aujourd’hui ?",
            Spanish => "¡Hola! ¿En qué puedo ayudarle hoy?",
            Portuguese => "Olá! Como posso ajudar você hoje?",
        }
    }

    pub fn thanks(lang: Language) -> &'static str {
        match lang {
            English => "You're welcome! Is there anything else I can help with?",
            German => "Gern geschehen! Kann ich sonst noch helfen?",
            French => "Avec plaisir ! Puis-je vous aider pour autre chose ?",
            Spanish => "¡De nada! ¿Puedo ayudarle en algo más?",
            Portuguese => "De nada! Posso ajudar em mais alguma coisa?",
        }
    }

    /// How an answer from the FAQ is introduced.
    pub fn from_faq(lang: Language) -> &'static str {
        match lang {
            English => "From our FAQ:",
            German => "Aus unseren FAQ:",
            French => "D’après notre FAQ :",
            Spanish => "De nuestras preguntas frecuentes:",
            Portuguese => "Das nossas perguntas frequentes:",
        }
    }

    /// How an answer from a document is introduced, naming it.
    pub fn from_document(lang: Language, label: &str) -> String {
        match lang {
            English => format!("From {label}:"),
            German => format!("Aus {label}:"),
            French => format!("D’après {label} :"),
            Spanish => format!("Según {label}:"),
            Portuguese => format!("Segundo {label}:"),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct BuiltinEngine;

impl BuiltinEngine {
    /// The engine's answer, computed synchronously (it never waits on anything).
    pub fn answer(&self, bot: &BotProfile, transcript: &[Line]) -> EngineReply {
        let turns = turns(transcript);
        let Some(last) = transcript
            .iter()
            .rev()
            .find(|l| l.author == AuthorKind::Visitor)
        else {
            return EngineReply::default();
        };
        let classification = triggers::classify(&turns, &bot.triggers);
        if let Some(trigger) = classification.trigger {
            return EngineReply {
                text: None,
                handoff: Some(HandoffDecision {
                    trigger,
                    reason: classification.reason,
                    summary: Some(summary(transcript)),
                }),
            };
        }
        let lang = bot.lang;
        if let Some(text) = small_talk(&last.text, lang) {
            return EngineReply {
                text: Some(text.to_owned()),
                handoff: None,
            };
        }
        if let Some(hit) = confident_hit(bot, &last.text) {
            return EngineReply {
                text: Some(cite(&hit, lang)),
                handoff: None,
            };
        }
        EngineReply {
            text: Some({
                // Misses said in any language count: the visitor may have switched.
                let misses = transcript
                    .iter()
                    .rev()
                    .filter(|l| l.author == AuthorKind::Bot)
                    .take_while(|l| {
                        Language::ALL
                            .iter()
                            .any(|&l2| l.text.starts_with(phrases::dont_know(l2)))
                    })
                    .count();
                let next = if misses + 1 >= MISSES_BEFORE_OFFER {
                    phrases::offer(lang)
                } else {
                    phrases::rephrase(lang)
                };
                format!("{} {next}", phrases::dont_know(lang))
            }),
            handoff: None,
        }
    }
}

impl Engine for BuiltinEngine {
    fn respond<'a>(&'a self, bot: &'a BotProfile, transcript: &'a [Line]) -> EngineFuture<'a> {
        let reply = self.answer(bot, transcript);
        Box::pin(async move { Ok(reply) })
    }
}

/// The transcript as the trigger classifier reads it: the current episode only, the lines after
/// the last system line (a handoff event: an agent who handed back, a ticket taken, a reopened
/// conversation), so a request already met or turned into a ticket is not asked again; agents'
/// words count as the bot's side.
fn turns(transcript: &[Line]) -> Vec<Turn<'_>> {
    let episode = transcript
        .iter()
        .rposition(|line| line.author == AuthorKind::System)
        .map_or(0, |i| i + 1);
    transcript[episode..]
        .iter()
        .filter_map(|line| {
            let author = match line.author {
                AuthorKind::Visitor => TurnAuthor::Visitor,
                AuthorKind::Bot | AuthorKind::Agent => TurnAuthor::Bot,
                AuthorKind::System => return None,
            };
            Some(Turn {
                author,
                text: &line.text,
            })
        })
        .collect()
}

/// A handoff if the visitor explicitly asked for a person (the "visitor request" trigger),
/// judged by the built-in classifier with every AI trigger off. Other engines use it so that an
/// explicit request is honoured the same way whichever engine a bot runs on.
pub fn explicit_request(transcript: &[Line]) -> Option<HandoffDecision> {
    let off = TriggerSettings {
        frustration: Sensitivity::Off,
        complex_issue: Sensitivity::Off,
        sales_opportunity: Sensitivity::Off,
    };
    let classification = triggers::classify(&turns(transcript), &off);
    (classification.trigger == Some(Trigger::UserRequest)).then(|| HandoffDecision {
        trigger: Trigger::UserRequest,
        reason: classification.reason,
        summary: Some(summary(transcript)),
    })
}

/// The best passage of the bot's knowledge that answers `question` confidently, if any: the
/// best-scoring confident one written in the conversation's language ([`BotProfile::lang`]) when
/// there is one, else the best-scoring confident one in any language.
pub fn confident_hit(bot: &BotProfile, question: &str) -> Option<Hit> {
    let confident: Vec<Hit> = bot
        .knowledge
        .search(question, CANDIDATES)
        .into_iter()
        .filter(|hit| hit.coverage >= CONFIDENT_COVERAGE)
        .collect();
    let in_language = confident.iter().position(|hit| hit.lang == Some(bot.lang));
    confident.into_iter().nth(in_language.unwrap_or(0))
}

/// The answer, naming its source in the conversation's language: "From our FAQ: …" or
/// "From Shipping guide › Returns: …".
pub fn cite(hit: &Hit, lang: Language) -> String {
    match &hit.source {
        Source::Qa { .. } => format!("{} {}", phrases::from_faq(lang), hit.text),
        Source::Document { .. } => format!(
            "{} {}",
            phrases::from_document(lang, &hit.source.label()),
            hit.text
        ),
    }
}

/// A short summary for the agent: the visitor's first question and their latest message.
pub(crate) fn summary(transcript: &[Line]) -> String {
    let mut visitor = transcript
        .iter()
        .filter(|l| l.author == AuthorKind::Visitor);
    let first = visitor.next().map(|l| clip(&l.text, 200));
    let last = transcript
        .iter()
        .rev()
        .find(|l| l.author == AuthorKind::Visitor)
        .map(|l| clip(&l.text, 200));
    match (first, last) {
        (Some(first), Some(last)) if first != last => {
            format!("First asked: \"{first}\". Latest: \"{last}\".")
        }
        (Some(first), _) => format!("Asked: \"{first}\"."),
        _ => String::new(),
    }
}

fn clip(text: &str, max_chars: usize) -> String {
    let mut clipped: String = text.chars().take(max_chars).collect();
    if text.chars().count() > max_chars {
        clipped.push('…');
    }
    clipped
}

fn small_talk(text: &str, lang: Language) -> Option<&'static str> {
    let normalized: String = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    let words: Vec<&str> = normalized.split_whitespace().collect();
    match words.as_slice() {
        ["hi" | "hello" | "hey" | "hola" | "bonjour" | "hallo" | "olá" | "ola"]
        | ["hi" | "hello" | "hey", "there"]
        | ["good", "morning" | "afternoon" | "evening"] => Some(phrases::greeting(lang)),
        [
            "thanks" | "thank" | "thx" | "gracias" | "merci" | "danke" | "obrigado" | "obrigada",
            ..,
        ] if words.len() <= 4 => Some(phrases::thanks(lang)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classifier_reads_only_the_episode_after_the_last_handoff_event() {
        let line = |author, text: &str| Line {
            author,
            text: text.to_owned(),
        };
        let asked = vec![
            line(
                AuthorKind::Visitor,
                "Could someone from the office call me about the quote?",
            ),
            line(AuthorKind::Bot, "Sure. What number should we use?"),
            line(AuthorKind::Visitor, "07700 900123, after 5pm"),
        ];
        // The request made earlier still stands: the number is for the callback.
        let decision = explicit_request(&asked).expect("a request carried over");
        assert_eq!(decision.trigger, Trigger::UserRequest);
        // Once a handoff event lies between, the earlier request belongs to a past episode.
        let mut after = asked.clone();
        after.insert(
            2,
            line(AuthorKind::System, "Thanks, we will get back to you."),
        );
        assert_eq!(explicit_request(&after), None);
        assert_eq!(turns(&after).len(), 1);
    }

    const DONT_KNOW: &str = "I'm sorry, I don't have an answer to that yet.";
    const OFFER: &str =
        "Would you like me to connect you with a person from our team? Just say so.";
    use crate::knowledge::{Document, KnowledgeIndex, QaEntry};
    use std::sync::Arc;

    fn bot() -> BotProfile {
        BotProfile::new(
            "Demo",
            "Offer a handoff if the user asks for a human.",
            TriggerSettings::default(),
        )
    }

    /// A small web shop's knowledge, for the answer/miss cases below.
    fn shop() -> BotProfile {
        let faq = [
            (
                "hours",
                "What are your opening hours?",
                "Our team is available Monday to Friday, 9:00 to 18:00 CET.",
            ),
            (
                "refund",
                "How do I get a refund?",
                "Open your order in your account and choose \"Request a refund\". Refunds reach your card within 5 working days.",
            ),
            (
                "password",
                "How do I reset my password?",
                "Click \"Forgot password\" on the sign-in page and follow the link we email you.",
            ),
            (
                "shipping-countries",
                "Which countries do you ship to?",
                "We ship to the EU, the UK, Switzerland and Norway.",
            ),
            (
                "shipping-cost",
                "How much does shipping cost?",
                "Shipping is free over 50 €; below that it costs 4.90 €.",
            ),
            (
                "cancel",
                "Can I cancel my order?",
                "Yes, until it ships: open the order and choose \"Cancel order\".",
            ),
            (
                "payment",
                "Which payment methods do you accept?",
                "Visa, Mastercard, PayPal and bank transfer.",
            ),
            (
                "gift",
                "Do you sell gift cards?",
                "Yes, from 10 € to 200 €. Gift cards never expire.",
            ),
            (
                "invoice",
                "Where can I download my invoice?",
                "Invoices are in your account under Orders › Invoice.",
            ),
            (
                "track",
                "How can I track my parcel?",
                "You get a tracking link by email as soon as your parcel leaves our warehouse.",
            ),
            (
                "es-envio",
                "¿Cuánto tarda el envío?",
                "El envío tarda de 2 a 4 días laborables.",
            ),
            (
                "fr-retour",
                "Comment retourner un article ?",
                "Vous avez 30 jours pour retourner un article avec l'étiquette fournie.",
            ),
        ];
        let docs = [Document {
            id: "care".into(),
            title: "Product care guide".into(),
            body: "# Product care guide\n\n## Leather bags\n\nClean leather with a dry cloth. Never put leather bags in the washing machine.\n\n## Wool sweaters\n\nHand wash wool sweaters in cold water and dry them flat.\n\n## Warranty\n\nEvery product has a two-year warranty against manufacturing defects.".into(),
        }];
        bot().with_knowledge(Arc::new(KnowledgeIndex::build(
            faq.iter()
                .map(|(id, q, a)| QaEntry {
                    id: (*id).into(),
                    question: (*q).into(),
                    answer: (*a).into(),
                })
                .collect(),
            docs.into(),
        )))
    }

    /// Reworded questions the shop's knowledge answers, and the entry that answers them.
    const ANSWERABLE: &[(&str, &str)] = &[
        ("when are you open?", "hours"),
        ("opening hours on monday", "hours"),
        ("how do refunds work", "refund"),
        ("can I get a refund", "refund"),
        ("forgot my password", "password"),
        ("how to reset pasword", "password"),
        ("forgot my password yesterday", "password"),
        ("reset the password on my iphone", "password"),
        ("do you ship to the UK?", "shipping-countries"),
        ("what does shipping cost", "shipping-cost"),
        ("how do I cancel an order", "cancel"),
        ("cancelling my order", "cancel"),
        ("can I pay with PayPal?", "payment"),
        ("what payment methods are accepted", "payment"),
        ("do gift cards expire?", "gift"),
        ("download invoice", "invoice"),
        ("where is my invoice", "invoice"),
        ("track my parcel", "track"),
        ("cuánto tarda el envío a España", "es-envio"),
        ("retourner un article", "fr-retour"),
        ("how should I clean my leather bag", "care#Leather bags"),
        ("can I wash a wool sweater", "care#Wool sweaters"),
        ("what warranty do your products have", "care#Warranty"),
    ];

    /// Questions the knowledge does not answer, some sharing a word with it.
    const UNANSWERABLE: &[&str] = &[
        "What is the airspeed of a swallow?",
        "do you have a store in Berlin?",
        "is the blue dress available in size 38?",
        "can I pay in bitcoin or ethereum crypto",
        "do you ship to Australia or New Zealand by sea freight",
        "how do I change my email address",
        "what is your phone number",
        "are your sweaters vegan and ethically sourced",
        "do you offer student discounts",
        "can I change the delivery address of my parcel after dispatch",
        "how do I reset my router",
        "do you ship furniture?",
        "can I cancel my gym membership",
        "what is the warranty on used cars",
        "my leather sofa is scratched",
        "reset the opening of the garage door",
        "where can I download the app",
        "gift ideas for my mother",
        "cancel my newsletter subscription",
    ];

    fn hit_id(hit: &Hit) -> String {
        match &hit.source {
            Source::Qa { id, .. } => id.clone(),
            Source::Document {
                id, heading_path, ..
            } => format!("{id}#{}", heading_path.join("/")),
        }
    }

    #[test]
    fn answerable_questions_get_the_right_answer_and_unanswerable_ones_none() {
        let bot = shop();
        let mut wrong = Vec::new();
        for (question, expected) in ANSWERABLE {
            let best = bot.knowledge.search(question, 1);
            let got = confident_hit(&bot, question).map(|h| hit_id(&h));
            if got.as_deref() != Some(*expected) {
                wrong.push(format!(
                    "{question:?}: expected {expected}, got {got:?} (best {:?} coverage {:?})",
                    best.first().map(hit_id),
                    best.first().map(|h| h.coverage)
                ));
            }
        }
        if std::env::var_os("BATON_TUNE").is_some() {
            for (q, _) in ANSWERABLE {
                let b = bot.knowledge.search(q, 1);
                eprintln!("A {:.3} {q}", b.first().map(|h| h.coverage).unwrap_or(0.0));
            }
            for q in UNANSWERABLE {
                let b = bot.knowledge.search(q, 1);
                eprintln!(
                    "U {:.3} {q} {:?}",
                    b.first().map(|h| h.coverage).unwrap_or(0.0),
                    b.first().map(hit_id)
                );
            }
        }
        for question in UNANSWERABLE {
            if let Some(hit) = confident_hit(&bot, question) {
                wrong.push(format!(
                    "{question:?}: expected no answer, got {} (coverage {})",
                    hit_id(&hit),
                    hit.coverage
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn an_answer_names_its_source() {
        let bot = shop();
        let reply = BuiltinEngine.answer(&bot, &[visitor("How can I reset my password?")]);
        assert_eq!(
            reply.text.as_deref(),
            Some(
                "From our FAQ: Click \"Forgot password\" on the sign-in page and follow the link we email you."
            )
        );
        assert!(reply.handoff.is_none());
        let reply = BuiltinEngine.answer(&bot, &[visitor("how do I clean leather?")]);
        assert_eq!(
            reply.text.as_deref(),
            Some(
                "From Product care guide › Leather bags: Clean leather with a dry cloth. Never put leather bags in the washing machine."
            )
        );
    }

    #[test]
    fn with_knowledge_it_still_says_when_it_does_not_know_and_offers_a_person() {
        let bot = shop();
        let first = BuiltinEngine
            .answer(&bot, &[visitor("do you have a store in Berlin?")])
            .text
            .unwrap();
        assert!(
            first.starts_with(DONT_KNOW) && !first.contains(OFFER),
            "{first}"
        );
        let transcript = [
            visitor("do you have a store in Berlin?"),
            Line {
                author: AuthorKind::Bot,
                text: first,
            },
            visitor("a shop I can visit, in Berlin"),
        ];
        let second = BuiltinEngine.answer(&bot, &transcript).text.unwrap();
        assert!(second.contains(OFFER), "{second}");
    }

    #[test]
    fn an_answer_between_misses_resets_the_count() {
        let bot = shop();
        let miss = BuiltinEngine
            .answer(&bot, &[visitor("do you have a store in Berlin?")])
            .text
            .unwrap();
        let transcript = [
            visitor("do you have a store in Berlin?"),
            Line {
                author: AuthorKind::Bot,
                text: miss,
            },
            visitor("ok, how much is shipping?"),
            Line {
                author: AuthorKind::Bot,
                text: "From our FAQ: Shipping is free over 50 €; below that it costs 4.90 €."
                    .into(),
            },
            visitor("is the blue dress available in size 38?"),
        ];
        let reply = BuiltinEngine.answer(&bot, &transcript).text.unwrap();
        assert!(
            reply.starts_with(DONT_KNOW) && !reply.contains(OFFER),
            "{reply}"
        );
    }

    #[test]
    fn explicit_requests_are_found_whatever_the_ai_trigger_settings() {
        let decision =
            explicit_request(&[visitor("can I speak to a real person please")]).expect("a request");
        assert_eq!(decision.trigger, Trigger::UserRequest);
        assert!(explicit_request(&[visitor("are you a real person?")]).is_none());
        assert!(explicit_request(&[visitor("THIS IS USELESS, it still does not work")]).is_none());
    }

    #[test]
    fn trigger_detection_runs_before_the_knowledge() {
        let bot = shop();
        let reply = BuiltinEngine.answer(
            &bot,
            &[visitor("refund? just let me talk to a real person")],
        );
        assert_eq!(reply.text, None);
        assert_eq!(reply.handoff.unwrap().trigger, Trigger::UserRequest);
    }

    fn visitor(text: &str) -> Line {
        Line {
            author: AuthorKind::Visitor,
            text: text.into(),
        }
    }

    #[test]
    fn an_explicit_request_for_a_person_hands_off_without_a_reply() {
        let reply = BuiltinEngine.answer(&bot(), &[visitor("I want to talk to a human please")]);
        assert_eq!(reply.text, None);
        let decision = reply.handoff.expect("a handoff");
        assert_eq!(decision.trigger, Trigger::UserRequest);
        assert!(decision.summary.unwrap().contains("talk to a human"));
    }

    #[test]
    fn greetings_get_a_greeting() {
        let reply = BuiltinEngine.answer(&bot(), &[visitor("Hello!")]);
        assert_eq!(
            reply.text.as_deref(),
            Some(phrases::greeting(Language::English))
        );
        assert!(reply.handoff.is_none());
    }

    #[test]
    fn it_says_when_it_does_not_know_and_offers_a_person_after_repeated_misses() {
        let first = BuiltinEngine.answer(&bot(), &[visitor("What is the airspeed of a swallow?")]);
        let first_text = first.text.unwrap();
        assert!(first_text.starts_with(DONT_KNOW) && !first_text.contains(OFFER));
        let transcript = [
            visitor("What is the airspeed of a swallow?"),
            Line {
                author: AuthorKind::Bot,
                text: first_text,
            },
            visitor("An unladen one, I mean"),
        ];
        let second = BuiltinEngine.answer(&bot(), &transcript).text.unwrap();
        assert!(second.contains(OFFER));
    }

    #[test]
    fn nothing_to_answer_without_a_visitor_message() {
        assert_eq!(BuiltinEngine.answer(&bot(), &[]), EngineReply::default());
    }

    /// A shop whose FAQ has some entries in English and German.
    fn bilingual(lang: Language) -> BotProfile {
        let faq = [
            (
                "pro-en",
                "What does Baton Pro cost?",
                "Baton Pro costs 49 € a month and you can cancel it at any time.",
            ),
            (
                "pro-de",
                "Was kostet Baton Pro?",
                "Baton Pro kostet 49 € im Monat und Sie können es jederzeit kündigen.",
            ),
            (
                "warranty-en",
                "Is there a warranty?",
                "Every product has a two-year warranty and we repair it for free.",
            ),
        ];
        bot()
            .with_knowledge(Arc::new(KnowledgeIndex::build(
                faq.iter()
                    .map(|(id, q, a)| QaEntry {
                        id: (*id).into(),
                        question: (*q).into(),
                        answer: (*a).into(),
                    })
                    .collect(),
                Vec::new(),
            )))
            .in_language(lang)
    }

    #[test]
    fn the_answer_in_the_visitors_language_wins_when_several_fit() {
        let ask = |lang| {
            BuiltinEngine
                .answer(&bilingual(lang), &[visitor("Baton Pro?")])
                .text
                .unwrap()
        };
        assert_eq!(
            ask(Language::German),
            "Aus unseren FAQ: Baton Pro kostet 49 € im Monat und Sie können es jederzeit kündigen."
        );
        assert_eq!(
            ask(Language::English),
            "From our FAQ: Baton Pro costs 49 € a month and you can cancel it at any time."
        );
        // No French entry: the best one in any language, introduced in French.
        assert!(ask(Language::French).starts_with("D’après notre FAQ : Baton Pro"));
    }

    #[test]
    fn knowledge_only_in_another_language_still_answers() {
        let reply = BuiltinEngine.answer(&bilingual(Language::German), &[visitor("warranty")]);
        assert_eq!(
            reply.text.as_deref(),
            Some(
                "Aus unseren FAQ: Every product has a two-year warranty and we repair it for free."
            )
        );
    }

    #[test]
    fn the_engines_own_words_follow_the_conversation() {
        let german = bilingual(Language::German);
        let first = BuiltinEngine.answer(&german, &[visitor("Wo ist mein Regenschirm?")]);
        let first = first.text.unwrap();
        assert_eq!(
            first,
            "Entschuldigung, darauf habe ich noch keine Antwort. Können Sie es anders formulieren?"
        );
        let second = BuiltinEngine.answer(
            &german,
            &[
                visitor("Wo ist mein Regenschirm?"),
                Line {
                    author: AuthorKind::Bot,
                    text: first,
                },
                visitor("Regenschirm verloren"),
            ],
        );
        assert!(second.text.unwrap().ends_with(
            "Soll ich Sie mit einer Person aus unserem Team verbinden? Sagen Sie einfach Bescheid."
        ));
        let hello = BuiltinEngine.answer(&german, &[visitor("Hallo")]);
        assert_eq!(
            hello.text.as_deref(),
            Some("Hallo! Wie kann ich Ihnen heute helfen?")
        );
        for lang in Language::ALL.into_iter().skip(1) {
            assert_ne!(
                phrases::dont_know(lang),
                phrases::dont_know(Language::English)
            );
            assert_ne!(phrases::offer(lang), phrases::offer(Language::English));
        }
    }
}

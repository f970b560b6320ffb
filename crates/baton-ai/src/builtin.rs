//! The built-in engine: no network, no model. It detects when a person is needed with the domain's
//! trigger classifier over the whole conversation, and otherwise answers honestly. (Answers from
//! the bot's knowledge arrive with the knowledge base; until then it says it does not know and
//! offers a person.)

use baton_domain::handoff::{HandoffDecision, Trigger};
use baton_domain::message::AuthorKind;
use baton_domain::triggers::{self, Turn, TurnAuthor};

use crate::{BotProfile, Engine, EngineFuture, EngineReply, Line};

/// How many of the bot's own "I don't know" answers in a row before it offers a person.
const MISSES_BEFORE_OFFER: usize = 2;

const DONT_KNOW: &str = "I'm sorry, I don't have an answer to that yet.";
const OFFER: &str = "Would you like me to connect you with a person from our team? Just say so.";
const GREETING_REPLY: &str = "Hello! How can I help you today?";
const THANKS_REPLY: &str = "You're welcome! Is there anything else I can help with?";

#[derive(Clone, Debug, Default)]
pub struct BuiltinEngine;

impl BuiltinEngine {
    /// The engine's answer, computed synchronously (it never waits on anything).
    pub fn answer(&self, bot: &BotProfile, transcript: &[Line]) -> EngineReply {
        let turns: Vec<Turn<'_>> = transcript
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
            .collect();
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
                    summary: Some(summary(transcript, trigger)),
                }),
            };
        }
        EngineReply {
            text: Some(
                small_talk(&last.text)
                    .map(str::to_owned)
                    .unwrap_or_else(|| {
                        let misses = transcript
                            .iter()
                            .rev()
                            .filter(|l| l.author == AuthorKind::Bot)
                            .take_while(|l| l.text.starts_with(DONT_KNOW))
                            .count();
                        if misses + 1 >= MISSES_BEFORE_OFFER {
                            format!("{DONT_KNOW} {OFFER}")
                        } else {
                            format!("{DONT_KNOW} Could you put it another way?")
                        }
                    }),
            ),
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

/// A short summary for the agent: the visitor's first question and their latest message.
fn summary(transcript: &[Line], trigger: Trigger) -> String {
    let mut visitor = transcript
        .iter()
        .filter(|l| l.author == AuthorKind::Visitor);
    let first = visitor.next().map(|l| clip(&l.text, 200));
    let last = transcript
        .iter()
        .rev()
        .find(|l| l.author == AuthorKind::Visitor)
        .map(|l| clip(&l.text, 200));
    let topic = match (first, last) {
        (Some(first), Some(last)) if first != last => {
            format!("First asked: \"{first}\". Latest: \"{last}\".")
        }
        (Some(first), _) => format!("Asked: \"{first}\"."),
        _ => String::new(),
    };
    format!("Handoff ({}). {topic}", trigger.as_str().replace('_', " "))
}

fn clip(text: &str, max_chars: usize) -> String {
    let mut clipped: String = text.chars().take(max_chars).collect();
    if text.chars().count() > max_chars {
        clipped.push('…');
    }
    clipped
}

fn small_talk(text: &str) -> Option<&'static str> {
    let normalized: String = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    let words: Vec<&str> = normalized.split_whitespace().collect();
    match words.as_slice() {
        ["hi" | "hello" | "hey" | "hola" | "bonjour" | "hallo" | "olá" | "ola"]
        | ["hi" | "hello" | "hey", "there"]
        | ["good", "morning" | "afternoon" | "evening"] => Some(GREETING_REPLY),
        [
            "thanks" | "thank" | "thx" | "gracias" | "merci" | "danke" | "obrigado" | "obrigada",
            ..,
        ] if words.len() <= 4 => Some(THANKS_REPLY),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_domain::triggers::TriggerSettings;

    fn bot() -> BotProfile {
        BotProfile {
            name: "Demo".into(),
            instruction: "Offer a handoff if the user asks for a human.".into(),
            triggers: TriggerSettings::default(),
        }
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
        assert_eq!(reply.text.as_deref(), Some(GREETING_REPLY));
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
}

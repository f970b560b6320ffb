//! Baton's AI engines: given a bot and the conversation so far, produce a reply and/or a decision
//! to hand the conversation to a person (because the visitor asked for one, or because the AI
//! sees high frustration, a complex technical issue or a high-value sales opportunity).
//!
//! This crate owns the [`Engine`] interface and its implementations — the built-in engine
//! ([`builtin`]), any OpenAI-compatible chat-completions API ([`openai`]), the fallback from one
//! to the other ([`fallback`]) and the timing of calls for metrics ([`observed`]) — and each
//! bot's knowledge index ([`knowledge`]). It never stores anything and never decides ownership:
//! the caller stores a reply only if the AI still owns the conversation at that moment, so an
//! engine may be slow without ever talking over an agent.

pub mod builtin;
pub mod fallback;
pub mod knowledge;
pub mod observed;
pub mod openai;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use baton_domain::handoff::HandoffDecision;
use baton_domain::language::Language;
use baton_domain::message::AuthorKind;
use baton_domain::triggers::TriggerSettings;

pub use fallback::FallbackEngine;
pub use knowledge::KnowledgeIndex;
pub use observed::{CallObserver, Observed};
pub use openai::{ApiKey, OpenAiConfig, OpenAiEngine, Timeouts};

/// What an engine knows about the bot it speaks for.
#[derive(Clone, Debug)]
pub struct BotProfile {
    pub name: String,
    /// The bot's handoff instruction: when the AI should hand off on its own.
    pub instruction: String,
    /// The bot's own instruction (tone, what it sells); empty for none.
    pub persona: String,
    /// Which AI triggers are on and how sensitive they are.
    pub triggers: TriggerSettings,
    /// The bot's knowledge, built by the caller when it changes and shared between conversations.
    pub knowledge: Arc<KnowledgeIndex>,
    /// The language of the conversation being answered: the engine answers in it, and prefers
    /// knowledge written in it.
    pub lang: Language,
}

impl BotProfile {
    /// A profile with no knowledge.
    pub fn new(
        name: impl Into<String>,
        instruction: impl Into<String>,
        triggers: TriggerSettings,
    ) -> BotProfile {
        BotProfile {
            name: name.into(),
            instruction: instruction.into(),
            persona: String::new(),
            triggers,
            knowledge: Arc::default(),
            lang: Language::default(),
        }
    }

    /// The profile for a conversation in `lang`.
    pub fn in_language(mut self, lang: Language) -> BotProfile {
        self.lang = lang;
        self
    }

    pub fn with_persona(mut self, persona: impl Into<String>) -> BotProfile {
        self.persona = persona.into();
        self
    }

    pub fn with_knowledge(mut self, knowledge: Arc<KnowledgeIndex>) -> BotProfile {
        self.knowledge = knowledge;
        self
    }
}

/// One entry of the transcript the engine reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub author: AuthorKind,
    pub text: String,
}

/// What an engine answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngineReply {
    /// Text for the visitor, if any.
    pub text: Option<String>,
    /// A decision to hand off, if the conversation calls for a person.
    pub handoff: Option<HandoffDecision>,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("the AI provider did not answer in time")]
    Timeout,
    #[error("the AI provider failed: {0}")]
    Provider(String),
}

pub type EngineFuture<'a> =
    Pin<Box<dyn Future<Output = Result<EngineReply, EngineError>> + Send + 'a>>;

/// Receives the reply's text as it is generated, one piece at a time.
pub type DeltaSink<'a> = &'a (dyn Fn(&str) + Send + Sync);

/// An AI engine. Implementations must be cheap to call concurrently.
pub trait Engine: Send + Sync + 'static {
    /// Answers the last visitor message of `transcript` (oldest first).
    fn respond<'a>(&'a self, bot: &'a BotProfile, transcript: &'a [Line]) -> EngineFuture<'a>;

    /// Like [`Engine::respond`], calling `on_delta` with each piece of the reply's text as it is
    /// generated, so the widget can show it live.
    ///
    /// The deltas are a preview. The returned [`EngineReply::text`] is the reply to store and
    /// show: it replaces the preview, and may differ from it (a provider that fails halfway falls
    /// back to another engine whose answer is different). Engines that do not stream never call
    /// `on_delta`; the default does exactly that. `on_delta` runs inside the engine's future:
    /// keep it quick and non-blocking (e.g. send to a channel).
    fn respond_streaming<'a>(
        &'a self,
        bot: &'a BotProfile,
        transcript: &'a [Line],
        on_delta: DeltaSink<'a>,
    ) -> EngineFuture<'a> {
        let _ = on_delta;
        self.respond(bot, transcript)
    }
}

//! An engine that falls back to another when the first fails: when the LLM engine fails, the
//! built-in engine answers instead, so the visitor is never left without an answer.
//!
//! It owns only the switch: the failure is logged (engines' errors carry no secrets) and the
//! fallback answers the same transcript. It does not retry; the primary does its own retrying.

use std::sync::Arc;

use crate::{BotProfile, DeltaSink, Engine, EngineFuture, Line};

/// Answers with `primary`, or with `fallback` when `primary` returns an error.
///
/// With streaming, the primary may have sent deltas before failing; the fallback's reply then
/// replaces that preview (see [`Engine::respond_streaming`]).
#[derive(Clone)]
pub struct FallbackEngine {
    pub primary: Arc<dyn Engine>,
    pub fallback: Arc<dyn Engine>,
}

impl FallbackEngine {
    pub fn new(primary: impl Engine, fallback: impl Engine) -> FallbackEngine {
        FallbackEngine {
            primary: Arc::new(primary),
            fallback: Arc::new(fallback),
        }
    }
}

impl std::fmt::Debug for FallbackEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FallbackEngine").finish_non_exhaustive()
    }
}

impl Engine for FallbackEngine {
    fn respond<'a>(&'a self, bot: &'a BotProfile, transcript: &'a [Line]) -> EngineFuture<'a> {
        Box::pin(async move {
            match self.primary.respond(bot, transcript).await {
                Ok(reply) => Ok(reply),
                Err(err) => {
                    tracing::warn!(bot = %bot.name, error = %err, "the AI engine failed; the fallback engine answers");
                    self.fallback.respond(bot, transcript).await
                }
            }
        })
    }

    fn respond_streaming<'a>(
        &'a self,
        bot: &'a BotProfile,
        transcript: &'a [Line],
        on_delta: DeltaSink<'a>,
    ) -> EngineFuture<'a> {
        Box::pin(async move {
            match self
                .primary
                .respond_streaming(bot, transcript, on_delta)
                .await
            {
                Ok(reply) => Ok(reply),
                Err(err) => {
                    tracing::warn!(bot = %bot.name, error = %err, "the AI engine failed; the fallback engine answers");
                    self.fallback
                        .respond_streaming(bot, transcript, on_delta)
                        .await
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EngineError, EngineReply};
    use baton_domain::message::AuthorKind;
    use baton_domain::triggers::TriggerSettings;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Failing(AtomicUsize);
    impl Engine for Failing {
        fn respond<'a>(&'a self, _: &'a BotProfile, _: &'a [Line]) -> EngineFuture<'a> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Err(EngineError::Timeout) })
        }
    }

    struct Fixed(&'static str);
    impl Engine for Fixed {
        fn respond<'a>(&'a self, _: &'a BotProfile, _: &'a [Line]) -> EngineFuture<'a> {
            let text = self.0.to_owned();
            Box::pin(async move {
                Ok(EngineReply {
                    text: Some(text),
                    handoff: None,
                })
            })
        }
    }

    fn transcript() -> Vec<Line> {
        vec![Line {
            author: AuthorKind::Visitor,
            text: "hello?".into(),
        }]
    }

    #[tokio::test]
    async fn the_fallback_answers_when_the_primary_fails_and_only_then() {
        let bot = BotProfile::new("Demo", "", TriggerSettings::default());
        let engine = FallbackEngine::new(Failing(AtomicUsize::new(0)), Fixed("fallback"));
        let reply = engine.respond(&bot, &transcript()).await.unwrap();
        assert_eq!(reply.text.as_deref(), Some("fallback"));
        let reply = engine
            .respond_streaming(&bot, &transcript(), &|_| {})
            .await
            .unwrap();
        assert_eq!(reply.text.as_deref(), Some("fallback"));

        let engine = FallbackEngine::new(Fixed("primary"), Fixed("fallback"));
        let reply = engine.respond(&bot, &transcript()).await.unwrap();
        assert_eq!(reply.text.as_deref(), Some("primary"));
    }
}

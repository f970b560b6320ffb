//! An engine wrapper that reports each call's duration and failure to an observer (the server's
//! metrics), so a provider's latency and errors can be watched although the fallback engine
//! hides them from the visitor. It owns no policy: the call and its result pass through
//! unchanged.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::{BotProfile, DeltaSink, Engine, EngineError, EngineFuture, Line};

/// Told about every call of an [`Observed`] engine, once it returned.
pub trait CallObserver: Send + Sync + 'static {
    fn observe(&self, elapsed: Duration, outcome: Result<(), &EngineError>);
}

/// `inner`, with every call timed and reported to `observer`.
pub struct Observed<E> {
    inner: E,
    observer: Arc<dyn CallObserver>,
}

impl<E: Engine> Observed<E> {
    pub fn new(inner: E, observer: Arc<dyn CallObserver>) -> Observed<E> {
        Observed { inner, observer }
    }

    fn report<T>(&self, started: Instant, result: &Result<T, EngineError>) {
        self.observer
            .observe(started.elapsed(), result.as_ref().map(|_| ()));
    }
}

impl<E> std::fmt::Debug for Observed<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Observed").finish_non_exhaustive()
    }
}

impl<E: Engine> Engine for Observed<E> {
    fn respond<'a>(&'a self, bot: &'a BotProfile, transcript: &'a [Line]) -> EngineFuture<'a> {
        Box::pin(async move {
            let started = Instant::now();
            let result = self.inner.respond(bot, transcript).await;
            self.report(started, &result);
            result
        })
    }

    fn respond_streaming<'a>(
        &'a self,
        bot: &'a BotProfile,
        transcript: &'a [Line],
        on_delta: DeltaSink<'a>,
    ) -> EngineFuture<'a> {
        Box::pin(async move {
            let started = Instant::now();
            let result = self
                .inner
                .respond_streaming(bot, transcript, on_delta)
                .await;
            self.report(started, &result);
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EngineReply;
    use baton_domain::triggers::TriggerSettings;
    use std::sync::Mutex;

    struct Failing;
    impl Engine for Failing {
        fn respond<'a>(&'a self, _: &'a BotProfile, _: &'a [Line]) -> EngineFuture<'a> {
            Box::pin(async { Err(EngineError::Timeout) })
        }
    }

    struct Fixed;
    impl Engine for Fixed {
        fn respond<'a>(&'a self, _: &'a BotProfile, _: &'a [Line]) -> EngineFuture<'a> {
            Box::pin(async { Ok(EngineReply::default()) })
        }
    }

    #[derive(Default)]
    struct Seen(Mutex<Vec<Option<String>>>);
    impl CallObserver for Seen {
        fn observe(&self, _: Duration, outcome: Result<(), &EngineError>) {
            self.0
                .lock()
                .unwrap()
                .push(outcome.err().map(|e| e.to_string()));
        }
    }

    #[tokio::test]
    async fn every_call_is_reported_with_its_failure_and_passed_through() {
        let seen = Arc::new(Seen::default());
        let bot = BotProfile::new("Bot", "", TriggerSettings::default());
        let ok = Observed::new(Fixed, seen.clone());
        let failing = Observed::new(Failing, seen.clone());
        assert!(ok.respond(&bot, &[]).await.is_ok());
        assert!(matches!(
            failing.respond_streaming(&bot, &[], &|_| {}).await,
            Err(EngineError::Timeout)
        ));
        let seen = seen.0.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0], None);
        assert!(seen[1].is_some());
    }
}

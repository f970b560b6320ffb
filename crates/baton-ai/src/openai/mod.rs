//! The OpenAI-compatible engine: chat completions, streamed, against OpenAI, Ollama, vLLM or
//! llama.cpp's server, with handoff as a tool the model calls (the AI triggers: the model decides
//! when a person is needed) and the bot's knowledge in the system prompt.
//!
//! Resilience: a connect timeout, a first-token timeout and a total deadline; exactly one retry
//! after a connect error, a timeout or a 5xx status, and only while nothing has been streamed yet
//! (a retry after deltas would show the visitor the start of the reply twice). On failure it
//! returns an error; wrap it in a [`crate::FallbackEngine`] with the built-in engine so the visitor
//! is never left without an answer.
//!
//! The API key never leaves this module except in the `Authorization` header: [`ApiKey`] prints
//! `***`, and provider error messages are scrubbed of it before they are returned or logged.

mod wire;

use std::fmt;
use std::sync::Once;
use std::time::Duration;

use baton_domain::message::AuthorKind;
use futures::StreamExt;
use serde_json::Value;
use tokio::time::{Instant, timeout_at};

pub use wire::{DEFAULT_INSTRUCTION, HANDOFF_TOOL};

use crate::builtin;
use crate::{BotProfile, DeltaSink, Engine, EngineError, EngineFuture, EngineReply, Line};
use wire::{Accumulator, SseEvent, SseParser};

/// A pause before the one retry, so a server restarting or shedding load gets a moment.
const RETRY_DELAY: Duration = Duration::from_millis(200);
/// Provider error messages are cut to this length.
const MAX_ERROR_CHARS: usize = 300;

/// A provider API key. Its `Debug` prints `***`; it has no `Display` and no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into())
    }

    /// The key itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How long the engine waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// To open the TCP (and TLS) connection.
    pub connect: Duration,
    /// From sending the request to the first streamed chunk, per attempt.
    pub first_token: Duration,
    /// For the whole answer, the retry included. Keep it below the caller's own turn timeout.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            first_token: Duration::from_secs(20),
            total: Duration::from_secs(50),
        }
    }
}

/// Where and how to reach the model.
#[derive(Clone, Debug)]
pub struct OpenAiConfig {
    /// The API base, e.g. `https://api.openai.com/v1`, `http://localhost:11434/v1` (Ollama),
    /// `http://localhost:8000/v1` (vLLM), `http://localhost:8080/v1` (llama.cpp). The engine posts
    /// to `{base_url}/chat/completions`.
    pub base_url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer …` when set; local servers need none.
    pub api_key: Option<ApiKey>,
    pub timeouts: Timeouts,
    /// Sampling temperature; the server's default when `None`.
    pub temperature: Option<f32>,
    /// How many knowledge passages go into the system prompt at most.
    pub knowledge_passages: usize,
    /// Whether an explicit request for a person (the "visitor request" trigger) is detected
    /// by the built-in classifier before the model is asked: the handoff is then immediate and
    /// certain, whatever the model would have done. The AI triggers (frustration, complex issue,
    /// sales) are left to the model and the bot's instruction either way.
    pub detect_requests_first: bool,
}

impl OpenAiConfig {
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> OpenAiConfig {
        OpenAiConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            timeouts: Timeouts::default(),
            temperature: None,
            knowledge_passages: 4,
            detect_requests_first: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the AI provider's base URL `{0}` is not an http or https URL")]
    InvalidBaseUrl(String),
    #[error("could not build the HTTP client: {0}")]
    Client(String),
}

/// An [`Engine`] backed by an OpenAI-compatible chat-completions API. Cheap to share: one
/// connection pool per engine.
#[derive(Debug)]
pub struct OpenAiEngine {
    config: OpenAiConfig,
    endpoint: String,
    client: reqwest::Client,
}

impl OpenAiEngine {
    pub fn new(config: OpenAiConfig) -> Result<OpenAiEngine, ConfigError> {
        OpenAiEngine::with_client(config, reqwest::Client::builder())
    }

    /// Like [`OpenAiEngine::new`], on a client builder of the caller's (one that refuses some
    /// addresses, say); the engine adds its connect timeout.
    pub fn with_client(
        config: OpenAiConfig,
        builder: reqwest::ClientBuilder,
    ) -> Result<OpenAiEngine, ConfigError> {
        let endpoint = endpoint(&config.base_url)?;
        install_crypto_provider();
        let client = builder
            .connect_timeout(config.timeouts.connect)
            .build()
            .map_err(|e| ConfigError::Client(e.to_string()))?;
        Ok(OpenAiEngine {
            config,
            endpoint,
            client,
        })
    }

    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    async fn run(
        &self,
        bot: &BotProfile,
        transcript: &[Line],
        on_delta: DeltaSink<'_>,
    ) -> Result<EngineReply, EngineError> {
        if !transcript.iter().any(|l| l.author == AuthorKind::Visitor) {
            return Ok(EngineReply::default());
        }
        if self.config.detect_requests_first
            && let Some(handoff) = builtin::explicit_request(transcript)
        {
            return Ok(EngineReply {
                text: None,
                handoff: Some(handoff),
            });
        }
        let hits = wire::context_hits(bot, transcript, self.config.knowledge_passages);
        let body = wire::request_body(
            &self.config.model,
            self.config.temperature,
            bot,
            transcript,
            &hits,
        );
        let deadline = Instant::now() + self.config.timeouts.total;
        let mut streamed = false;
        let failure = match self
            .attempt(&body, transcript, deadline, on_delta, &mut streamed)
            .await
        {
            Ok(reply) => return Ok(reply),
            Err(failure) => failure,
        };
        if !failure.retryable() || streamed || Instant::now() + RETRY_DELAY >= deadline {
            return Err(failure.into());
        }
        tracing::warn!(
            model = %self.config.model,
            error = %failure,
            "the AI provider failed; retrying once"
        );
        tokio::time::sleep(RETRY_DELAY).await;
        self.attempt(&body, transcript, deadline, on_delta, &mut streamed)
            .await
            .map_err(EngineError::from)
    }

    /// One request: send, then read the stream into a reply.
    async fn attempt(
        &self,
        body: &Value,
        transcript: &[Line],
        deadline: Instant,
        on_delta: DeltaSink<'_>,
        streamed: &mut bool,
    ) -> Result<EngineReply, Failure> {
        let first_deadline = (Instant::now() + self.config.timeouts.first_token).min(deadline);
        let timeout = |at: Instant| {
            if at == deadline {
                Failure::Timeout("the total time")
            } else {
                Failure::Timeout("the first token")
            }
        };
        let mut request = self
            .client
            .post(&self.endpoint)
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .json(body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = match timeout_at(first_deadline, request.send()).await {
            Err(_) => return Err(timeout(first_deadline)),
            Ok(Err(err)) => return Err(Failure::Connect(self.scrub(&error_chain(&err)))),
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        if !status.is_success() {
            let read_until = deadline.min(Instant::now() + Duration::from_secs(2));
            let text = match timeout_at(read_until, response.text()).await {
                Ok(Ok(text)) => text,
                _ => String::new(),
            };
            return Err(Failure::Status(
                status.as_u16(),
                self.scrub(&error_message(&text)),
            ));
        }
        // A server that ignores `stream: true` answers with one JSON completion.
        let whole_json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"));

        let mut stream = response.bytes_stream();
        let mut parser = SseParser::default();
        let mut accumulator = Accumulator::default();
        let mut json_body = Vec::new();
        let mut started = false;
        let mut done = false;
        while !done {
            let limit = if started { deadline } else { first_deadline };
            let bytes = match timeout_at(limit, stream.next()).await {
                Err(_) => return Err(timeout(limit)),
                Ok(None) => break,
                Ok(Some(Err(err))) => {
                    return Err(Failure::Stream(self.scrub(&error_chain(&err))));
                }
                Ok(Some(Ok(bytes))) => bytes,
            };
            if whole_json {
                started = true;
                json_body.extend_from_slice(&bytes);
                continue;
            }
            for event in parser.push(&bytes) {
                started = true;
                match event {
                    SseEvent::Done => {
                        done = true;
                        break;
                    }
                    SseEvent::Data(data) => {
                        self.apply(&mut accumulator, &data, on_delta, streamed)?;
                    }
                }
            }
        }
        if whole_json {
            let data = String::from_utf8_lossy(&json_body);
            self.apply(&mut accumulator, &data, on_delta, streamed)?;
        } else if !done {
            for event in parser.finish() {
                if let SseEvent::Data(data) = event {
                    self.apply(&mut accumulator, &data, on_delta, streamed)?;
                }
            }
        }
        accumulator.into_reply(transcript).ok_or(Failure::Empty)
    }

    fn apply(
        &self,
        accumulator: &mut Accumulator,
        data: &str,
        on_delta: DeltaSink<'_>,
        streamed: &mut bool,
    ) -> Result<(), Failure> {
        match accumulator.apply(data) {
            Ok(Some(delta)) => {
                *streamed = true;
                on_delta(&delta);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(message) => Err(Failure::Provider(self.scrub(&message))),
        }
    }

    /// `text` without the API key, clipped.
    fn scrub(&self, text: &str) -> String {
        let text = match &self.config.api_key {
            Some(key) if !key.expose().is_empty() => text.replace(key.expose(), "***"),
            _ => text.to_owned(),
        };
        match text.char_indices().nth(MAX_ERROR_CHARS) {
            Some((end, _)) => format!("{}…", &text[..end]),
            None => text,
        }
    }
}

impl Engine for OpenAiEngine {
    fn respond<'a>(&'a self, bot: &'a BotProfile, transcript: &'a [Line]) -> EngineFuture<'a> {
        Box::pin(self.run(bot, transcript, &ignore_delta))
    }

    fn respond_streaming<'a>(
        &'a self,
        bot: &'a BotProfile,
        transcript: &'a [Line],
        on_delta: DeltaSink<'a>,
    ) -> EngineFuture<'a> {
        Box::pin(self.run(bot, transcript, on_delta))
    }
}

fn ignore_delta(_: &str) {}

/// Installs rustls's ring provider as the process default, once (STYLE.md: reqwest 0.13 on ring).
/// Harmless if the application installed it already.
pub fn install_crypto_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Why one attempt failed.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("could not reach the provider: {0}")]
    Connect(String),
    #[error("no answer within {0}")]
    Timeout(&'static str),
    #[error("the provider answered HTTP {0}: {1}")]
    Status(u16, String),
    #[error("the stream broke: {0}")]
    Stream(String),
    #[error("the provider reported an error: {0}")]
    Provider(String),
    #[error("the model returned neither text nor a handoff")]
    Empty,
}

impl Failure {
    /// Connect errors, timeouts and 5xx statuses are worth one more try; a 4xx
    /// (bad key, unknown model) or a broken reply would fail the same way again.
    fn retryable(&self) -> bool {
        match self {
            Failure::Connect(_) | Failure::Timeout(_) => true,
            Failure::Status(status, _) => *status >= 500,
            Failure::Stream(_) | Failure::Provider(_) | Failure::Empty => false,
        }
    }
}

impl From<Failure> for EngineError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Timeout(_) => EngineError::Timeout,
            other => EngineError::Provider(other.to_string()),
        }
    }
}

fn endpoint(base_url: &str) -> Result<String, ConfigError> {
    let base = base_url.trim().trim_end_matches('/');
    let parsed =
        reqwest::Url::parse(base).map_err(|_| ConfigError::InvalidBaseUrl(base.to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(ConfigError::InvalidBaseUrl(base.to_owned()));
    }
    Ok(if base.ends_with("/chat/completions") {
        base.to_owned()
    } else {
        format!("{base}/chat/completions")
    })
}

/// An error and its causes, one line ("error sending request: connection refused").
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The message of an error body: OpenAI's `{"error": {"message": …}}`, Ollama's
/// `{"error": "…"}`, or the text itself.
fn error_message(body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let message = parsed.as_ref().and_then(|v| {
        let error = v.get("error")?;
        error
            .get("message")
            .and_then(Value::as_str)
            .or_else(|| error.as_str())
            .map(str::to_owned)
    });
    message.unwrap_or_else(|| body.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_built_from_the_base_url() {
        assert_eq!(
            endpoint("https://api.openai.com/v1/").unwrap(),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            endpoint("http://localhost:11434/v1/chat/completions").unwrap(),
            "http://localhost:11434/v1/chat/completions"
        );
        assert!(endpoint("localhost:11434").is_err());
        assert!(endpoint("ftp://example.com").is_err());
        assert!(endpoint("").is_err());
    }

    #[test]
    fn the_key_is_hidden_from_debug_output() {
        let mut config = OpenAiConfig::new("http://localhost:1/v1", "m");
        config.api_key = Some(ApiKey::new("sk-secret-123"));
        assert_eq!(format!("{:?}", config.api_key.as_ref().unwrap()), "***");
        let engine = OpenAiEngine::new(config).unwrap();
        let debug = format!("{engine:?} {:#?}", engine.config());
        assert!(!debug.contains("sk-secret-123"), "{debug}");
        assert!(debug.contains("***"));
    }

    #[test]
    fn errors_are_scrubbed_of_the_key_and_clipped() {
        let mut config = OpenAiConfig::new("http://localhost:1/v1", "m");
        config.api_key = Some(ApiKey::new("sk-secret-123"));
        let engine = OpenAiEngine::new(config).unwrap();
        assert_eq!(
            engine.scrub("Incorrect API key provided: sk-secret-123."),
            "Incorrect API key provided: ***."
        );
        assert_eq!(
            engine.scrub(&"x".repeat(1000)).chars().count(),
            MAX_ERROR_CHARS + 1
        );
    }

    #[test]
    fn error_bodies_of_each_dialect_are_read() {
        assert_eq!(
            error_message(
                r#"{"error":{"message":"model not found","type":"invalid_request_error"}}"#
            ),
            "model not found"
        );
        assert_eq!(
            error_message(r#"{"error":"model 'x' not found"}"#),
            "model 'x' not found"
        );
        assert_eq!(error_message("Bad Gateway\n"), "Bad Gateway");
    }

    #[test]
    fn only_transient_failures_are_retried() {
        assert!(Failure::Connect("refused".into()).retryable());
        assert!(Failure::Timeout("the first token").retryable());
        assert!(Failure::Status(500, String::new()).retryable());
        assert!(Failure::Status(503, String::new()).retryable());
        assert!(!Failure::Status(401, String::new()).retryable());
        assert!(!Failure::Status(404, String::new()).retryable());
        assert!(!Failure::Empty.retryable());
        assert!(matches!(
            EngineError::from(Failure::Timeout("x")),
            EngineError::Timeout
        ));
    }
}

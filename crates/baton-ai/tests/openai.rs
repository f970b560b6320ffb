//! The OpenAI-compatible engine against a local fake chat-completions server on port 0, which
//! follows the documented wire contract: `POST /v1/chat/completions` with `stream: true` answered
//! by server-sent events, each `data: <chat.completion.chunk JSON>`, ending with `data: [DONE]`.
//! What the engine must do: a tool call hands off with the model's reason and
//! summary, a streamed reply reaches the caller as deltas, a timeout and a 500 fall back to the
//! built-in engine, a malformed tool call is handled.

use std::convert::Infallible;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use baton_ai::builtin::BuiltinEngine;
use baton_ai::knowledge::{Document, KnowledgeIndex, QaEntry};
use baton_ai::{
    ApiKey, BotProfile, Engine, EngineError, FallbackEngine, Line, OpenAiConfig, OpenAiEngine,
    Timeouts,
};
use baton_domain::handoff::Trigger;
use baton_domain::message::AuthorKind;
use baton_domain::triggers::TriggerSettings;
use futures::StreamExt;
use serde_json::{Value, json};

const KEY: &str = "sk-test-5ecret-key-0123456789";
const INSTRUCTION: &str = "Hand off when the visitor wants to order more than 20 seats.";

// ---------------------------------------------------------------------------------------------
// The fake server

#[derive(Clone, Debug)]
struct Recorded {
    authorization: Option<String>,
    body: Value,
}

type Responder = Arc<dyn Fn(usize) -> Response + Send + Sync>;

#[derive(Clone)]
struct FakeState {
    requests: Arc<Mutex<Vec<Recorded>>>,
    responder: Responder,
}

struct FakeLlm {
    base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeLlm {
    /// Starts a server whose `n`-th request (from 0) is answered by `responder(n)`.
    async fn start(responder: impl Fn(usize) -> Response + Send + Sync + 'static) -> FakeLlm {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = FakeState {
            requests: requests.clone(),
            responder: Arc::new(responder),
        };
        let app = axum::Router::new()
            .route("/v1/chat/completions", post(completions))
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeLlm {
            base_url: format!("http://{addr}/v1"),
            requests,
        }
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn request(&self, n: usize) -> Recorded {
        self.requests.lock().unwrap()[n].clone()
    }
}

async fn completions(
    State(state): State<FakeState>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let n = {
        let mut requests = state.requests.lock().unwrap();
        requests.push(Recorded {
            authorization: headers
                .get(header::AUTHORIZATION)
                .map(|v| v.to_str().unwrap().to_owned()),
            body,
        });
        requests.len() - 1
    };
    (state.responder)(n)
}

/// A `chat.completion.chunk` as OpenAI sends it.
fn chunk(delta: Value, finish_reason: Option<&str>) -> String {
    json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "fake-model",
        "system_fingerprint": null,
        "choices": [{ "index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason }],
    })
    .to_string()
}

/// The stream of a plain text answer: a role chunk, one chunk per piece, a finish chunk, a usage
/// chunk with empty `choices`, and `[DONE]`.
fn text_stream(pieces: &[&str]) -> Vec<String> {
    let mut events = vec![chunk(json!({"role": "assistant", "content": ""}), None)];
    events.extend(pieces.iter().map(|p| chunk(json!({ "content": p }), None)));
    events.push(chunk(json!({}), Some("stop")));
    events.push(
        json!({
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_700_000_000,
            "model": "fake-model", "choices": [],
            "usage": {"prompt_tokens": 50, "completion_tokens": 9, "total_tokens": 59},
        })
        .to_string(),
    );
    events.push("[DONE]".to_owned());
    events
}

/// The stream of a `handoff` tool call whose arguments arrive in the given fragments.
fn tool_call_stream(content: Option<&str>, fragments: &[&str]) -> Vec<String> {
    let mut events = vec![chunk(
        json!({"role": "assistant", "content": content}),
        None,
    )];
    events.push(chunk(
        json!({"tool_calls": [{"index": 0, "id": "call_abc", "type": "function",
                               "function": {"name": "handoff", "arguments": ""}}]}),
        None,
    ));
    for fragment in fragments {
        events.push(chunk(
            json!({"tool_calls": [{"index": 0, "function": {"arguments": fragment}}]}),
            None,
        ));
    }
    events.push(chunk(json!({}), Some("tool_calls")));
    events.push("[DONE]".to_owned());
    events
}

/// Server-sent events, each `data: …` and a blank line, `delay` apart (the first one too).
fn sse(events: Vec<String>, delay: Duration) -> Response {
    raw_sse(
        events
            .into_iter()
            .map(|e| format!("data: {e}\n\n"))
            .collect(),
        delay,
    )
}

fn raw_sse(pieces: Vec<String>, delay: Duration) -> Response {
    let stream = futures::stream::iter(pieces).then(move |piece| async move {
        tokio::time::sleep(delay).await;
        Ok::<_, Infallible>(piece)
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(stream))
        .unwrap()
}

fn error_status(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"message": message, "type": "server_error", "code": null}})),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// The engine under test

fn config(fake: &FakeLlm) -> OpenAiConfig {
    let mut config = OpenAiConfig::new(&fake.base_url, "fake-model");
    config.api_key = Some(ApiKey::new(KEY));
    config.temperature = Some(0.3);
    // Generous: a busy test machine must not turn a quick answer into a timeout. The timeout
    // tests set their own.
    config.timeouts = Timeouts {
        connect: Duration::from_secs(2),
        first_token: Duration::from_secs(3),
        total: Duration::from_secs(6),
    };
    config
}

/// An engine that gives up on the first token after 300 ms.
fn impatient(fake: &FakeLlm) -> OpenAiEngine {
    let mut config = config(fake);
    config.timeouts.first_token = Duration::from_millis(300);
    config.timeouts.total = Duration::from_secs(3);
    OpenAiEngine::new(config).unwrap()
}

fn engine(fake: &FakeLlm) -> OpenAiEngine {
    OpenAiEngine::new(config(fake)).unwrap()
}

fn with_fallback(fake: &FakeLlm) -> FallbackEngine {
    FallbackEngine::new(engine(fake), BuiltinEngine)
}

fn bot() -> BotProfile {
    BotProfile::new("Ada", INSTRUCTION, TriggerSettings::default()).with_knowledge(Arc::new(
        KnowledgeIndex::build(
            [
                ("faq-seats", "How much does a seat cost?", "A seat costs 12 € a month; 10 seats or more cost 10 € each."),
                ("faq-hours", "What are your opening hours?", "Monday to Friday, 9:00 to 18:00 CET."),
                ("faq-refund", "How do I get a refund?", "Write to billing@example.com within 30 days."),
                ("faq-password", "How do I reset my password?", "Use the link on the sign-in page."),
            ]
            .into_iter()
            .map(|(id, question, answer)| QaEntry {
                id: id.into(),
                question: question.into(),
                answer: answer.into(),
            })
            .collect(),
            vec![Document {
                id: "doc-billing".into(),
                title: "Billing handbook".into(),
                body: "# Billing handbook\n\n## Seats\n\nYou can add seats at any time; each new seat is billed pro rata."
                    .into(),
            }],
        ),
    ))
}

fn visitor(text: &str) -> Line {
    Line {
        author: AuthorKind::Visitor,
        text: text.into(),
    }
}

fn transcript() -> Vec<Line> {
    transcript_ending("How much does a seat cost? And can we add more seats later?")
}

fn transcript_ending(question: &str) -> Vec<Line> {
    vec![
        visitor("Hi"),
        Line {
            author: AuthorKind::Bot,
            text: "Hello! How can I help you today?".into(),
        },
        visitor(question),
    ]
}

/// What the built-in engine would have said: the fallback's answer.
fn builtin_answer(bot: &BotProfile, transcript: &[Line]) -> baton_ai::EngineReply {
    BuiltinEngine.answer(bot, transcript)
}

#[derive(Default)]
struct Deltas(Mutex<Vec<(Instant, String)>>);

impl Deltas {
    fn sink(&self) -> impl Fn(&str) + Send + Sync + '_ {
        move |delta: &str| {
            self.0
                .lock()
                .unwrap()
                .push((Instant::now(), delta.to_owned()))
        }
    }

    fn texts(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(_, d)| d.clone())
            .collect()
    }
}

/// Log lines written while the returned guard lives (this thread only).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// Everything logged by any test of this binary, at every level. One global subscriber: a
    /// per-test (thread-scoped) one misses events whose callsite another test thread registered
    /// first, which made the log assertions flaky. Checking all tests' logs for the key is the
    /// stronger check anyway.
    fn capture() -> Logs {
        static BUFFER: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
        let buffer = BUFFER.get_or_init(|| {
            let buffer = Arc::new(Mutex::new(Vec::new()));
            let writer = Logs(Arc::clone(&buffer));
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
            buffer
        });
        Logs(Arc::clone(buffer))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn a_tool_call_hands_off_with_the_models_reason_and_summary() {
    let fake = FakeLlm::start(|_| {
        sse(
            tool_call_stream(
                Some("Let me connect you with our sales team."),
                &[
                    "{\"trig",
                    "ger\": \"sales_oppo",
                    "rtunity\", \"reason\": \"Wants 40 seats, above the 20-seat threshold.\", ",
                    "\"summary\": \"Team of 40 asking about seat pricing; ",
                    "a quote is needed.\"}",
                ],
            ),
            Duration::from_millis(5),
        )
    })
    .await;
    let reply = with_fallback(&fake)
        .respond(&bot(), &transcript())
        .await
        .unwrap();
    assert_eq!(
        reply.text.as_deref(),
        Some("Let me connect you with our sales team.")
    );
    let handoff = reply.handoff.expect("a handoff");
    assert_eq!(handoff.trigger, Trigger::SalesOpportunity);
    assert_eq!(
        handoff.reason,
        "Wants 40 seats, above the 20-seat threshold."
    );
    assert_eq!(
        handoff.summary.as_deref(),
        Some("Team of 40 asking about seat pricing; a quote is needed.")
    );
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn a_streamed_reply_arrives_as_deltas_and_the_final_text_is_their_concatenation() {
    let pieces = [
        "From our FAQ: ",
        "a seat costs ",
        "12 € a month",
        "; 10 or more, ",
        "10 € each.",
    ];
    let fake = FakeLlm::start(move |_| sse(text_stream(&pieces), Duration::from_millis(40))).await;
    let deltas = Deltas::default();
    let sink = deltas.sink();
    let reply = with_fallback(&fake)
        .respond_streaming(&bot(), &transcript(), &sink)
        .await
        .unwrap();
    assert_eq!(deltas.texts(), pieces);
    assert_eq!(reply.text.unwrap(), deltas.texts().concat());
    assert!(reply.handoff.is_none());
    // They arrived one by one as the server sent them, not all at the end.
    let times: Vec<Instant> = deltas.0.lock().unwrap().iter().map(|(t, _)| *t).collect();
    assert!(
        times[4] - times[0] >= Duration::from_millis(100),
        "deltas came together: {:?}",
        times[4] - times[0]
    );
}

#[tokio::test]
async fn a_timeout_is_retried_once_then_the_builtin_engine_answers() {
    // The server accepts the request but sends its first chunk only after 10 s.
    let fake = FakeLlm::start(|_| sse(text_stream(&["too late"]), Duration::from_secs(10))).await;
    let (bot, transcript) = (bot(), transcript_ending("What are your opening hours?"));
    let started = Instant::now();
    let reply = FallbackEngine::new(impatient(&fake), BuiltinEngine)
        .respond(&bot, &transcript)
        .await
        .unwrap();
    assert_eq!(reply, builtin_answer(&bot, &transcript));
    assert_eq!(
        reply.text.as_deref(),
        Some("From our FAQ: Monday to Friday, 9:00 to 18:00 CET.")
    );
    assert_eq!(fake.count(), 2, "one retry after the first-token timeout");
    assert!(started.elapsed() < Duration::from_secs(3));

    // Without the fallback, the engine reports a timeout.
    let err = impatient(&fake)
        .respond(&bot, &transcript)
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::Timeout), "{err}");
}

#[tokio::test]
async fn the_total_deadline_bounds_a_slow_stream() {
    // The first chunk is quick, then the stream trickles past the total deadline.
    let fake = FakeLlm::start(|_| {
        sse(
            text_stream(&["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]),
            Duration::from_millis(200),
        )
    })
    .await;
    let mut config = config(&fake);
    config.timeouts.total = Duration::from_millis(1200);
    let engine = OpenAiEngine::new(config).unwrap();
    let started = Instant::now();
    let deltas = Deltas::default();
    let sink = deltas.sink();
    let err = engine
        .respond_streaming(&bot(), &transcript(), &sink)
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::Timeout), "{err}");
    assert!(started.elapsed() < Duration::from_millis(1800));
    // Deltas had been shown, so it was not retried (the visitor would see them twice).
    assert!(!deltas.texts().is_empty());
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn a_500_is_retried_exactly_once_then_the_builtin_engine_answers() {
    let fake = FakeLlm::start(|_| {
        error_status(StatusCode::INTERNAL_SERVER_ERROR, "The server had an error")
    })
    .await;
    let (bot, transcript) = (bot(), transcript());
    let reply = with_fallback(&fake)
        .respond(&bot, &transcript)
        .await
        .unwrap();
    assert_eq!(reply, builtin_answer(&bot, &transcript));
    assert_eq!(fake.count(), 2, "exactly one retry");

    let err = engine(&fake).respond(&bot, &transcript).await.unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("HTTP 500") && message.contains("The server had an error"),
        "{message}"
    );
}

#[tokio::test]
async fn a_500_then_an_answer_uses_the_answer() {
    let fake = FakeLlm::start(|n| {
        if n == 0 {
            error_status(StatusCode::BAD_GATEWAY, "upstream down")
        } else {
            sse(text_stream(&["Twelve euros ", "a month."]), Duration::ZERO)
        }
    })
    .await;
    let reply = with_fallback(&fake)
        .respond(&bot(), &transcript())
        .await
        .unwrap();
    assert_eq!(reply.text.as_deref(), Some("Twelve euros a month."));
    assert_eq!(fake.count(), 2);
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let fake = FakeLlm::start(|_| {
        error_status(
            StatusCode::NOT_FOUND,
            "The model `fake-model` does not exist or you do not have access to it.",
        )
    })
    .await;
    let (bot, transcript) = (bot(), transcript());
    let reply = with_fallback(&fake)
        .respond(&bot, &transcript)
        .await
        .unwrap();
    assert_eq!(reply, builtin_answer(&bot, &transcript));
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn an_unreachable_server_falls_back_to_the_builtin_engine() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let engine = OpenAiEngine::new(OpenAiConfig::new(base_url, "m")).unwrap();
    let (bot, transcript) = (bot(), transcript());
    let err = engine.respond(&bot, &transcript).await.unwrap_err();
    assert!(err.to_string().contains("could not reach"), "{err}");
    let reply = FallbackEngine::new(engine, BuiltinEngine)
        .respond(&bot, &transcript)
        .await
        .unwrap();
    assert_eq!(reply, builtin_answer(&bot, &transcript));
}

#[tokio::test]
async fn a_malformed_tool_call_still_hands_off_as_other() {
    // The arguments stop mid-string: not valid JSON.
    let fake = FakeLlm::start(|n| {
        if n == 0 {
            sse(
                tool_call_stream(None, &["{\"trigger\": \"complex_", "issue\", \"reason\": \"Stack tr"]),
                Duration::ZERO,
            )
        } else {
            sse(
                tool_call_stream(
                    None,
                    &["{\"trigger\": \"angry_customer\", \"reason\": \"Swearing.\", \"summary\": \"Order late.\"}"],
                ),
                Duration::ZERO,
            )
        }
    })
    .await;
    let engine = with_fallback(&fake);
    let (bot, transcript) = (bot(), transcript());

    let reply = engine.respond(&bot, &transcript).await.unwrap();
    assert_eq!(reply.text, None);
    let handoff = reply.handoff.expect("a handoff despite the malformed call");
    assert_eq!(handoff.trigger, Trigger::Other);
    assert!(handoff.reason.contains("malformed"), "{}", handoff.reason);
    assert!(
        handoff
            .summary
            .unwrap()
            .contains("can we add more seats later")
    );

    let handoff = engine
        .respond(&bot, &transcript)
        .await
        .unwrap()
        .handoff
        .unwrap();
    assert_eq!(handoff.trigger, Trigger::Other);
    assert!(handoff.reason.starts_with("Swearing."));
    assert!(handoff.reason.contains("angry_customer"));
    assert_eq!(handoff.summary.as_deref(), Some("Order late."));
    assert_eq!(
        fake.count(),
        2,
        "a malformed call is an answer, not a failure to retry"
    );
}

#[tokio::test]
async fn the_request_carries_the_tool_the_instruction_and_the_knowledge() {
    let fake = FakeLlm::start(|_| sse(text_stream(&["ok"]), Duration::ZERO)).await;
    engine(&fake).respond(&bot(), &transcript()).await.unwrap();
    let body = fake.request(0).body;

    assert_eq!(body["model"], "fake-model");
    assert_eq!(body["stream"], true);
    assert!((body["temperature"].as_f64().unwrap() - 0.3).abs() < 1e-6);

    let messages = body["messages"].as_array().unwrap();
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["system", "user", "assistant", "user"]);
    assert_eq!(
        messages[3]["content"],
        "How much does a seat cost? And can we add more seats later?"
    );
    let system = messages[0]["content"].as_str().unwrap();
    assert!(system.contains("You are Ada"), "{system}");
    assert!(system.contains(INSTRUCTION), "{system}");
    assert!(
        system
            .contains("From our FAQ — Q: How much does a seat cost?\nA: A seat costs 12 € a month"),
        "{system}"
    );
    assert!(
        system.contains("From Billing handbook › Seats:\nYou can add seats at any time"),
        "{system}"
    );

    // Passages that do not bear on the question stay out.
    assert!(!system.contains("opening hours"), "{system}");

    let tools = body["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 1);
    assert_eq!(tools[0]["type"], "function");
    let function = &tools[0]["function"];
    assert_eq!(function["name"], "handoff");
    assert!(
        function["description"]
            .as_str()
            .unwrap()
            .contains(INSTRUCTION)
    );
    let parameters = &function["parameters"];
    assert_eq!(parameters["type"], "object");
    assert_eq!(
        parameters["properties"]["trigger"]["enum"],
        json!([
            "user_request",
            "frustration",
            "complex_issue",
            "sales_opportunity",
            "other"
        ])
    );
    assert_eq!(parameters["properties"]["reason"]["type"], "string");
    assert_eq!(parameters["properties"]["summary"]["type"], "string");
    assert_eq!(
        parameters["required"],
        json!(["trigger", "reason", "summary"])
    );
}

#[tokio::test]
async fn the_api_key_is_sent_as_a_bearer_token_and_never_shown() {
    // The server echoes the key in its error, as OpenAI's 401 does (partly).
    let fake = FakeLlm::start(|n| {
        if n < 2 {
            error_status(
                StatusCode::SERVICE_UNAVAILABLE,
                &format!("Overloaded while serving key {KEY}"),
            )
        } else {
            sse(text_stream(&["ok"]), Duration::ZERO)
        }
    })
    .await;
    let logs = Logs::capture();
    let engine = engine(&fake);
    let (bot, transcript) = (bot(), transcript());

    let err = engine.respond(&bot, &transcript).await.unwrap_err();
    assert!(
        err.to_string().contains("Overloaded while serving key ***"),
        "{err}"
    );
    FallbackEngine::new(OpenAiEngine::new(config(&fake)).unwrap(), BuiltinEngine)
        .respond(&bot, &transcript)
        .await
        .unwrap();
    assert_eq!(
        fake.request(0).authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(fake.count(), 3);

    let debug = format!("{engine:?} {:?} {:#?}", engine.config(), config(&fake));
    assert!(!debug.contains(KEY), "{debug}");
    let logs = logs.text();
    assert!(logs.contains("retrying once"), "{logs}");
    assert!(!logs.contains(KEY), "{logs}");
    assert!(!err.to_string().contains(KEY));

    // No key, no header (Ollama, llama.cpp).
    let mut config = config(&fake);
    config.api_key = None;
    OpenAiEngine::new(config)
        .unwrap()
        .respond(&bot, &transcript)
        .await
        .unwrap();
    assert_eq!(fake.request(3).authorization, None);
}

#[tokio::test]
async fn an_error_in_the_middle_of_the_stream_falls_back_without_a_retry() {
    let fake = FakeLlm::start(|_| {
        sse(
            vec![
                chunk(json!({"role": "assistant", "content": "A seat "}), None),
                chunk(json!({"content": "costs"}), None),
                json!({"error": {"message": "model crashed", "type": "server_error"}}).to_string(),
            ],
            Duration::ZERO,
        )
    })
    .await;
    let (bot, transcript) = (bot(), transcript());
    let deltas = Deltas::default();
    let sink = deltas.sink();
    let reply = with_fallback(&fake)
        .respond_streaming(&bot, &transcript, &sink)
        .await
        .unwrap();
    assert_eq!(deltas.texts(), ["A seat ", "costs"]);
    // The fallback's reply replaces the preview.
    assert_eq!(reply, builtin_answer(&bot, &transcript));
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn ollama_and_llama_cpp_dialects_are_understood() {
    // Ollama: the whole tool call in one chunk, without `index`, arguments already complete;
    // llama.cpp: `data:` without a space, CRLF line ends, a comment, no `[DONE]`.
    let fake = FakeLlm::start(|n| match n {
        0 => sse(
            vec![
                chunk(
                    json!({"role": "assistant", "content": "",
                           "tool_calls": [{"id": "call_x", "type": "function",
                               "function": {"name": "handoff",
                                            "arguments": "{\"trigger\":\"user_request\",\"reason\":\"Asked for a person.\",\"summary\":\"Wants a human.\"}"}}]}),
                    Some("tool_calls"),
                ),
                "[DONE]".to_owned(),
            ],
            Duration::ZERO,
        ),
        _ => raw_sse(
            vec![
                ": ping\r\n\r\n".to_owned(),
                format!("data:{}\r\n\r\n", chunk(json!({"role": "assistant", "content": "Hel"}), None)),
                format!("data:{}\r\n\r\n", chunk(json!({"content": "lo"}), Some("stop"))),
            ],
            Duration::ZERO,
        ),
    })
    .await;
    let engine = engine(&fake);
    let handoff = engine
        .respond(&bot(), &transcript())
        .await
        .unwrap()
        .handoff
        .unwrap();
    assert_eq!(handoff.trigger, Trigger::UserRequest);
    assert_eq!(handoff.summary.as_deref(), Some("Wants a human."));
    let reply = engine.respond(&bot(), &transcript()).await.unwrap();
    assert_eq!(reply.text.as_deref(), Some("Hello"));
}

#[tokio::test]
async fn a_server_that_ignores_streaming_is_understood() {
    let fake = FakeLlm::start(|_| {
        Json(json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Not streamed."},
                         "finish_reason": "stop"}],
        }))
        .into_response()
    })
    .await;
    let deltas = Deltas::default();
    let sink = deltas.sink();
    let reply = engine(&fake)
        .respond_streaming(&bot(), &transcript(), &sink)
        .await
        .unwrap();
    assert_eq!(reply.text.as_deref(), Some("Not streamed."));
    assert_eq!(deltas.texts(), ["Not streamed."]);
}

#[tokio::test]
async fn an_empty_completion_falls_back() {
    let fake = FakeLlm::start(|_| sse(text_stream(&[]), Duration::ZERO)).await;
    let (bot, transcript) = (bot(), transcript());
    let reply = with_fallback(&fake)
        .respond(&bot, &transcript)
        .await
        .unwrap();
    assert_eq!(reply, builtin_answer(&bot, &transcript));
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn nothing_is_asked_before_the_visitor_speaks() {
    let fake = FakeLlm::start(|_| sse(text_stream(&["?"]), Duration::ZERO)).await;
    let reply = engine(&fake).respond(&bot(), &[]).await.unwrap();
    assert_eq!(reply, baton_ai::EngineReply::default());
    assert_eq!(fake.count(), 0);
}

#[tokio::test]
async fn an_explicit_request_for_a_person_hands_off_without_asking_the_model() {
    let fake = FakeLlm::start(|_| sse(text_stream(&["I am the model."]), Duration::ZERO)).await;
    let transcript = transcript_ending("I'd like to talk to a human, please");
    let reply = engine(&fake).respond(&bot(), &transcript).await.unwrap();
    assert_eq!(reply.text, None);
    assert_eq!(reply.handoff.unwrap().trigger, Trigger::UserRequest);
    assert_eq!(fake.count(), 0);

    // With the check off, the model decides.
    let mut config = config(&fake);
    config.detect_requests_first = false;
    let reply = OpenAiEngine::new(config)
        .unwrap()
        .respond(&bot(), &transcript)
        .await
        .unwrap();
    assert_eq!(reply.text.as_deref(), Some("I am the model."));
    assert_eq!(fake.count(), 1);
}

//! The chat-completions wire format shared by OpenAI, Ollama, vLLM and llama.cpp's server:
//! the request body (system prompt, transcript, the `handoff` tool), the server-sent-event stream
//! of `chat.completion.chunk` objects, and how the chunks add up to a reply.
//!
//! Reference: the OpenAI API reference, "Create chat completion" with `stream: true` — each event
//! is `data: <chunk JSON>`, the stream ends with `data: [DONE]`; a chunk's `choices[].delta`
//! carries `content` fragments and `tool_calls` fragments keyed by `index`, whose
//! `function.arguments` arrive as pieces of one JSON string. Compatible servers differ in details
//! tolerated here: `role` only in the first delta, `finish_reason: null` until the end, no `usage`,
//! a last chunk with empty `choices`, tool calls without `index`, arguments sent whole, comments
//! (`: keep-alive`), CRLF line ends, and a plain JSON completion when the server ignores `stream`.
//! This module does no I/O.

use std::collections::BTreeMap;

use baton_domain::handoff::{HandoffDecision, Trigger};
use baton_domain::language::Language;
use baton_domain::message::AuthorKind;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::builtin;
use crate::knowledge::{Hit, Source};
use crate::{BotProfile, EngineReply, Line};

/// The tool the model calls to hand the conversation to a person.
pub const HANDOFF_TOOL: &str = "handoff";

/// The default handoff instruction (the same as a new bot's), used when a bot has none.
pub const DEFAULT_INSTRUCTION: &str =
    "Offer a handoff if the user asks for a human or if the issue is too complex to resolve.";

/// Knowledge text longer than this is clipped in the prompt.
const MAX_PASSAGE_CHARS: usize = 1500;
/// Knowledge passages covering less of the question than this are left out of the prompt: the
/// model judges relevance, but noise invites invented answers from small models.
const MIN_CONTEXT_COVERAGE: f32 = 0.25;

/// The JSON body of `POST {base}/chat/completions`.
pub fn request_body(
    model: &str,
    temperature: Option<f32>,
    bot: &BotProfile,
    transcript: &[Line],
    knowledge: &[Hit],
) -> Value {
    let mut messages = vec![json!({
        "role": "system",
        "content": system_prompt(bot, knowledge),
    })];
    for line in transcript {
        let role = match line.author {
            AuthorKind::Visitor => "user",
            AuthorKind::Bot | AuthorKind::Agent => "assistant",
            AuthorKind::System => continue,
        };
        messages.push(json!({ "role": role, "content": line.text }));
    }
    let mut body = json!({
        "model": model,
        "stream": true,
        "messages": messages,
        "tools": [handoff_tool(instruction(bot))],
        "tool_choice": "auto",
    });
    if let Some(t) = temperature {
        body["temperature"] = json!(t);
    }
    body
}

fn instruction(bot: &BotProfile) -> &str {
    let instruction = bot.instruction.trim();
    if instruction.is_empty() {
        DEFAULT_INSTRUCTION
    } else {
        instruction
    }
}

/// The knowledge worth putting in the prompt for this conversation: the best passages for the
/// visitor's last two messages (a follow-up often needs the question before it).
pub fn context_hits(bot: &BotProfile, transcript: &[Line], k: usize) -> Vec<Hit> {
    let recent: Vec<&str> = transcript
        .iter()
        .rev()
        .filter(|l| l.author == AuthorKind::Visitor)
        .take(2)
        .map(|l| l.text.as_str())
        .collect();
    let query = recent.into_iter().rev().collect::<Vec<_>>().join("\n");
    bot.knowledge
        .search(&query, k)
        .into_iter()
        .filter(|h| h.coverage >= MIN_CONTEXT_COVERAGE)
        .collect()
}

/// Who the model is, what it may answer from, and when to hand off (the AI decides, following the
/// bot's instruction, and names the trigger: frustration, complex issue, sales opportunity, …).
pub fn system_prompt(bot: &BotProfile, knowledge: &[Hit]) -> String {
    let mut prompt = format!(
        "You are {name}, the AI assistant in this website's chat. Answer the visitor briefly and \
         accurately, from the knowledge below. When the knowledge does not cover a question, say \
         honestly that you don't know; never invent facts, prices or policies. When you use a \
         knowledge entry, name its source, e.g. \"From our FAQ: …\" or \"From <document> › \
         <section>: …\".\n\n\
         You can pass the conversation to a person from our team by calling the `{HANDOFF_TOOL}` \
         tool. When to do it: {instruction}\n\
         When you call it, pick the trigger that fits (user_request, frustration, complex_issue, \
         sales_opportunity or other), give the reason in one sentence, and summarise the \
         conversation for the person who takes over.\n\n",
        name = bot.name.trim(),
        instruction = instruction(bot),
    );
    // English is the prompt's own language; any other the visitor's widget speaks is named, so the
    // model answers in it even when the knowledge is written in another.
    let language = match bot.lang {
        Language::English => None,
        Language::German => Some("German"),
        Language::French => Some("French"),
        Language::Spanish => Some("Spanish"),
        Language::Portuguese => Some("Portuguese"),
    };
    if let Some(language) = language {
        prompt.push_str(&format!(
            "The visitor's language is {language}: answer in {language}, also when the \
             knowledge is written in another language.\n\n"
        ));
    }
    let persona = bot.persona.trim();
    if !persona.is_empty() {
        prompt.push_str("How to speak and what to offer, as this website wants it: ");
        prompt.push_str(persona);
        prompt.push_str("\n\n");
    }
    if knowledge.is_empty() {
        prompt.push_str("Knowledge: nothing in the knowledge base matches this conversation.");
    } else {
        prompt.push_str("Knowledge (most relevant first):");
        for (i, hit) in knowledge.iter().enumerate() {
            let text = clip(&hit.text, MAX_PASSAGE_CHARS);
            let entry = match &hit.source {
                Source::Qa { question, .. } => {
                    format!("[{}] From our FAQ — Q: {question}\nA: {text}", i + 1)
                }
                Source::Document { .. } => {
                    format!("[{}] From {}:\n{text}", i + 1, hit.source.label())
                }
            };
            prompt.push_str("\n\n");
            prompt.push_str(&entry);
        }
    }
    prompt
}

/// The `handoff` function tool; its description carries the bot's instruction.
pub fn handoff_tool(instruction: &str) -> Value {
    json!({
        "type": "function",
        "function": {
            "name": HANDOFF_TOOL,
            "description": format!(
                "Pass the conversation to a person from our team, who continues the chat live. \
                 Call it when: {instruction}"
            ),
            "parameters": {
                "type": "object",
                "properties": {
                    "trigger": {
                        "type": "string",
                        "enum": Trigger::ALL.iter().map(Trigger::as_str).collect::<Vec<_>>(),
                        "description": "user_request: the visitor asked for a person; frustration: \
                            the visitor is highly frustrated; complex_issue: a technical problem \
                            too complex to resolve here; sales_opportunity: a high-value sales \
                            lead; other: any other reason the instruction allows.",
                    },
                    "reason": {
                        "type": "string",
                        "description": "Why a person is needed, in one sentence for the team.",
                    },
                    "summary": {
                        "type": "string",
                        "description": "What the visitor wants and what was already tried, in a \
                            few sentences, so the person can take over without rereading.",
                    },
                },
                "required": ["trigger", "reason", "summary"],
            },
        },
    })
}

fn clip(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// One server-sent event's meaning for a chat-completions stream.
#[derive(Debug, PartialEq, Eq)]
pub enum SseEvent {
    Data(String),
    Done,
}

/// Splits a byte stream into server-sent events (the WHATWG `text/event-stream` rules that
/// matter here: `data:` lines, joined with `\n` until a blank line; comments and other fields
/// ignored; LF or CRLF line ends). Bytes are buffered until a line is complete, so a chunk
/// boundary may fall anywhere, even inside a UTF-8 character.
#[derive(Debug, Default)]
pub struct SseParser {
    buffer: Vec<u8>,
    data: Option<String>,
}

impl SseParser {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        while let Some(newline) = self.buffer.iter().position(|b| *b == b'\n') {
            let mut line: Vec<u8> = self.buffer.drain(..=newline).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            self.line(&String::from_utf8_lossy(&line), &mut events);
        }
        events
    }

    /// The event left open when the stream ends without a blank line.
    pub fn finish(&mut self) -> Vec<SseEvent> {
        let mut events = Vec::new();
        if !self.buffer.is_empty() {
            let rest = std::mem::take(&mut self.buffer);
            let line = String::from_utf8_lossy(&rest);
            self.line(line.trim_end_matches('\r'), &mut events);
        }
        self.dispatch(&mut events);
        events
    }

    fn line(&mut self, line: &str, events: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        if field == "data" {
            match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            }
        }
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        if let Some(data) = self.data.take() {
            if data.trim() == "[DONE]" {
                events.push(SseEvent::Done);
            } else if !data.trim().is_empty() {
                events.push(SseEvent::Data(data));
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Chunk {
    #[serde(default)]
    choices: Option<Vec<ChunkChoice>>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct ChunkChoice {
    #[serde(default)]
    index: Option<u32>,
    #[serde(default)]
    delta: Option<Delta>,
    /// A non-streamed completion's whole message (servers that ignore `stream: true`).
    #[serde(default)]
    message: Option<Delta>,
}

#[derive(Debug, Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<ToolCallDelta>>,
}

#[derive(Debug, Deserialize)]
struct ToolCallDelta {
    #[serde(default)]
    index: Option<u32>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    function: Option<FunctionDelta>,
}

#[derive(Debug, Deserialize)]
struct FunctionDelta {
    #[serde(default)]
    name: Option<String>,
    /// Usually a string (pieces of JSON text); some servers send the arguments as an object.
    #[serde(default)]
    arguments: Option<Value>,
}

#[derive(Debug, Default)]
struct ToolCall {
    id: Option<String>,
    name: String,
    arguments: String,
}

/// Adds up the chunks of one streamed completion.
#[derive(Debug, Default)]
pub struct Accumulator {
    text: String,
    tool_calls: BTreeMap<u32, ToolCall>,
    last_tool_call: Option<u32>,
}

impl Accumulator {
    /// Applies one `data:` payload. Returns the content delta, if the chunk carried one.
    /// An `error` object in the stream fails the completion; a payload that is not a chunk is
    /// skipped (some proxies interleave their own events).
    pub fn apply(&mut self, data: &str) -> Result<Option<String>, String> {
        let chunk: Chunk = match serde_json::from_str(data) {
            Ok(chunk) => chunk,
            Err(err) => {
                tracing::debug!(error = %err, "skipping a stream event that is not a completion chunk");
                return Ok(None);
            }
        };
        if let Some(error) = chunk.error {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| error.to_string());
            return Err(message);
        }
        let mut content = String::new();
        for choice in chunk.choices.unwrap_or_default() {
            // Only one completion is requested; a server numbering choices sends index 0.
            if choice.index.unwrap_or(0) != 0 {
                continue;
            }
            for delta in [choice.delta, choice.message].into_iter().flatten() {
                if let Some(piece) = delta.content {
                    content.push_str(&piece);
                }
                for call in delta.tool_calls.unwrap_or_default() {
                    self.apply_tool_call(call);
                }
            }
        }
        self.text.push_str(&content);
        Ok((!content.is_empty()).then_some(content))
    }

    fn apply_tool_call(&mut self, call: ToolCallDelta) {
        // Without an index (some Ollama versions), a new id starts a new call; anything else
        // continues the last one.
        let index = call.index.unwrap_or_else(|| match self.last_tool_call {
            None => 0,
            Some(last) => {
                let known = self.tool_calls.get(&last).and_then(|c| c.id.as_deref());
                match (&call.id, known) {
                    (Some(id), Some(known)) if id != known => last + 1,
                    _ => last,
                }
            }
        });
        self.last_tool_call = Some(index);
        let entry = self.tool_calls.entry(index).or_default();
        if call.id.is_some() && entry.id.is_none() {
            entry.id = call.id;
        }
        if let Some(function) = call.function {
            if let Some(name) = function.name {
                entry.name.push_str(&name);
            }
            match function.arguments {
                Some(Value::String(piece)) => entry.arguments.push_str(&piece),
                Some(Value::Null) | None => {}
                Some(object) => entry.arguments.push_str(&object.to_string()),
            }
        }
    }

    /// The reply: the text (trimmed; none if blank) and a handoff if the model called the tool.
    /// `None` if the model produced neither.
    pub fn into_reply(self, transcript: &[Line]) -> Option<EngineReply> {
        let text = Some(self.text.trim().to_owned()).filter(|t| !t.is_empty());
        let mut handoff = None;
        for call in self.tool_calls.into_values() {
            if call.name.trim().eq_ignore_ascii_case(HANDOFF_TOOL) {
                handoff = Some(handoff_decision(&call.arguments, transcript));
                break;
            }
            tracing::warn!(tool = %call.name, "the model called a tool Baton does not offer; ignored");
        }
        (text.is_some() || handoff.is_some()).then_some(EngineReply { text, handoff })
    }
}

#[derive(Debug, Deserialize)]
struct HandoffArguments {
    #[serde(default)]
    trigger: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    summary: Option<String>,
}

/// The model's handoff call as a decision.
///
/// A malformed call still hands off: the model meant to involve a person, and a person reading a
/// clumsy brief costs less than a visitor who asked for one and was ignored. Arguments that are
/// not a JSON object (or are a JSON string holding one, which small models send) give trigger
/// `other` with a reason saying the call was malformed, and the built-in summary of the
/// transcript. A trigger outside the five (after lowercasing and `-`/space → `_`) becomes `other`,
/// keeping the model's reason and naming the unknown trigger. A missing reason or summary is filled
/// in the same way.
pub fn handoff_decision(arguments: &str, transcript: &[Line]) -> HandoffDecision {
    let parsed = match serde_json::from_str::<Value>(arguments.trim()) {
        Ok(Value::String(inner)) => serde_json::from_str::<HandoffArguments>(&inner),
        Ok(value) => serde_json::from_value::<HandoffArguments>(value),
        Err(err) => Err(err),
    };
    let Ok(args) = parsed else {
        return HandoffDecision {
            trigger: Trigger::Other,
            reason: "The AI asked for a person, but its handoff call was malformed (its arguments \
                     were not valid JSON)."
                .to_owned(),
            summary: Some(builtin::summary(transcript)),
        };
    };
    let given = args.trigger.as_deref().map(str::trim).unwrap_or("");
    let normalized = given.to_lowercase().replace(['-', ' '], "_");
    let trigger = normalized.parse::<Trigger>().ok();
    let reason = args
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "The AI decided a person should take over.".to_owned());
    let reason = match trigger {
        Some(_) => reason,
        None if given.is_empty() => format!("{reason} (The AI's handoff call named no trigger.)"),
        None => format!("{reason} (The AI's handoff call named an unknown trigger, \"{given}\".)"),
    };
    let trigger = trigger.unwrap_or(Trigger::Other);
    let summary = args
        .summary
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| builtin::summary(transcript));
    HandoffDecision {
        trigger,
        reason,
        summary: Some(summary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::{Document, KnowledgeIndex, QaEntry};
    use baton_domain::triggers::TriggerSettings;
    use std::sync::Arc;

    fn data(events: Vec<SseEvent>) -> Vec<String> {
        events
            .into_iter()
            .map(|e| match e {
                SseEvent::Data(d) => d,
                SseEvent::Done => "[DONE]".into(),
            })
            .collect()
    }

    #[test]
    fn sse_events_survive_any_chunk_boundary() {
        let stream = "data: {\"a\":\"é\"}\n\n: keep-alive\n\nevent: message\r\ndata:{\"b\":1}\r\n\r\ndata: [DONE]\n\n";
        let bytes = stream.as_bytes();
        for split in 1..bytes.len() {
            let mut parser = SseParser::default();
            let mut events = parser.push(&bytes[..split]);
            events.extend(parser.push(&bytes[split..]));
            events.extend(parser.finish());
            assert_eq!(
                data(events),
                ["{\"a\":\"é\"}", "{\"b\":1}", "[DONE]"],
                "split at {split}"
            );
        }
    }

    #[test]
    fn multi_line_data_is_joined_and_a_final_event_without_blank_line_is_kept() {
        let mut parser = SseParser::default();
        let mut events = parser.push(b"data: {\"a\":\ndata: 1}\n\ndata: {\"b\":2}");
        events.extend(parser.finish());
        assert_eq!(data(events), ["{\"a\":\n1}", "{\"b\":2}"]);
    }

    #[test]
    fn content_and_tool_call_fragments_add_up() {
        let mut acc = Accumulator::default();
        let chunks = [
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"Let me "},"finish_reason":null}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"get someone."},"finish_reason":null}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"handoff","arguments":""}}]},"finish_reason":null}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"trigger\": \"sales_"}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"opportunity\", \"reason\": \"50 seats\","}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \"summary\": \"Wants a quote.\"}"}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            r#"{"choices":[],"usage":{"prompt_tokens":10}}"#,
        ];
        let deltas: Vec<String> = chunks
            .iter()
            .filter_map(|c| acc.apply(c).unwrap())
            .collect();
        assert_eq!(deltas, ["Let me ", "get someone."]);
        let reply = acc.into_reply(&[]).unwrap();
        assert_eq!(reply.text.as_deref(), Some("Let me get someone."));
        let handoff = reply.handoff.unwrap();
        assert_eq!(handoff.trigger, Trigger::SalesOpportunity);
        assert_eq!(handoff.reason, "50 seats");
        assert_eq!(handoff.summary.as_deref(), Some("Wants a quote."));
    }

    #[test]
    fn tool_calls_without_index_and_with_object_arguments_are_understood() {
        let mut acc = Accumulator::default();
        acc.apply(r#"{"choices":[{"delta":{"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"lookup","arguments":"{}"}}]}}]}"#).unwrap();
        acc.apply(r#"{"choices":[{"delta":{"tool_calls":[{"id":"c2","function":{"name":"handoff","arguments":{"trigger":"frustration","reason":"Angry.","summary":"Twice failed."}}}]}}]}"#).unwrap();
        let reply = acc.into_reply(&[]).unwrap();
        assert_eq!(reply.text, None);
        assert_eq!(reply.handoff.unwrap().trigger, Trigger::Frustration);
    }

    #[test]
    fn a_non_streamed_completion_is_understood() {
        let mut acc = Accumulator::default();
        let delta = acc
            .apply(r#"{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"},"finish_reason":"stop"}]}"#)
            .unwrap();
        assert_eq!(delta.as_deref(), Some("Hi!"));
        assert_eq!(acc.into_reply(&[]).unwrap().text.as_deref(), Some("Hi!"));
    }

    #[test]
    fn an_error_event_fails_and_junk_is_skipped() {
        let mut acc = Accumulator::default();
        assert_eq!(acc.apply("not json").unwrap(), None);
        let err = acc
            .apply(r#"{"error":{"message":"model overloaded","type":"server_error"}}"#)
            .unwrap_err();
        assert_eq!(err, "model overloaded");
    }

    #[test]
    fn an_empty_completion_is_no_reply() {
        let mut acc = Accumulator::default();
        acc.apply(r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":"  "}}]}"#)
            .unwrap();
        assert_eq!(acc.into_reply(&[]), None);
    }

    fn visitor(text: &str) -> Line {
        Line {
            author: AuthorKind::Visitor,
            text: text.into(),
        }
    }

    #[test]
    fn malformed_handoff_arguments_still_hand_off_as_other() {
        let transcript = [visitor("my printer is on fire")];
        for arguments in ["", "{\"trigger\": \"complex_", "[1, 2]", "42"] {
            let decision = handoff_decision(arguments, &transcript);
            assert_eq!(decision.trigger, Trigger::Other, "{arguments:?}");
            assert!(decision.reason.contains("malformed"), "{arguments:?}");
            assert!(decision.summary.unwrap().contains("my printer is on fire"));
        }
    }

    #[test]
    fn unknown_or_missing_triggers_become_other_and_keep_the_reason() {
        let decision = handoff_decision(
            r#"{"trigger": "billing_dispute", "reason": "Disputes a charge.", "summary": "Charged twice."}"#,
            &[],
        );
        assert_eq!(decision.trigger, Trigger::Other);
        assert!(decision.reason.starts_with("Disputes a charge."));
        assert!(decision.reason.contains("billing_dispute"));
        assert_eq!(decision.summary.as_deref(), Some("Charged twice."));

        let decision = handoff_decision(r#"{"reason": "Wants a person."}"#, &[visitor("help")]);
        assert_eq!(decision.trigger, Trigger::Other);
        assert!(decision.reason.contains("no trigger"));
        assert!(decision.summary.unwrap().contains("help"));
    }

    #[test]
    fn trigger_spelling_is_tolerated_and_double_encoded_arguments_are_read() {
        let decision = handoff_decision(
            r#"{"trigger": "User Request", "reason": "Asked.", "summary": "s"}"#,
            &[],
        );
        assert_eq!(decision.trigger, Trigger::UserRequest);
        assert_eq!(decision.reason, "Asked.");
        let decision = handoff_decision(
            r#""{\"trigger\": \"complex-issue\", \"reason\": \"Stack trace.\", \"summary\": \"s\"}""#,
            &[],
        );
        assert_eq!(decision.trigger, Trigger::ComplexIssue);
    }

    #[test]
    fn a_visitor_language_other_than_english_is_named_in_the_system_prompt() {
        let english = BotProfile::new("Demo", "Hand off when asked.", TriggerSettings::default());
        assert!(!system_prompt(&english, &[]).contains("The visitor's language"));
        let german = english.in_language(Language::German);
        assert!(
            system_prompt(&german, &[])
                .contains("The visitor's language is German: answer in German")
        );
    }

    #[test]
    fn the_persona_joins_the_system_prompt_when_there_is_one() {
        let plain = BotProfile::new("Ada", "", TriggerSettings::default());
        assert!(!system_prompt(&plain, &[]).contains("as this website wants it"));
        let persona = plain.with_persona("  Speak like a pirate. We sell boats.  ");
        let prompt = system_prompt(&persona, &[]);
        assert!(prompt.contains("as this website wants it: Speak like a pirate. We sell boats.\n"));
        // The handoff instruction stays, whatever the persona says.
        assert!(prompt.contains(HANDOFF_TOOL));
    }

    fn bot_with_knowledge() -> BotProfile {
        BotProfile::new("Ada", "Hand off when the visitor asks for a refund over 100 euros.", TriggerSettings::default())
            .with_knowledge(Arc::new(KnowledgeIndex::build(
                vec![QaEntry {
                    id: "q1".into(),
                    question: "How long do refunds take?".into(),
                    answer: "Refunds take 5 working days.".into(),
                }],
                vec![Document {
                    id: "d1".into(),
                    title: "Shipping guide".into(),
                    body: "## Returns\n\nReturn labels are in the parcel. Refunds take a week after the return arrives.".into(),
                }],
            )))
    }

    #[test]
    fn the_request_carries_the_prompt_the_transcript_and_the_tool() {
        let bot = bot_with_knowledge();
        let transcript = [
            visitor("Hi"),
            Line {
                author: AuthorKind::Bot,
                text: "Hello!".into(),
            },
            Line {
                author: AuthorKind::System,
                text: "Conversation assigned".into(),
            },
            Line {
                author: AuthorKind::Agent,
                text: "Sam here.".into(),
            },
            visitor("How long do refunds take?"),
        ];
        let hits = context_hits(&bot, &transcript, 4);
        assert_eq!(hits.len(), 2);
        let body = request_body("m", Some(0.2), &bot, &transcript, &hits);
        assert_eq!(body["model"], "m");
        assert_eq!(body["stream"], true);
        assert!((body["temperature"].as_f64().unwrap() - 0.2).abs() < 1e-6);
        let roles: Vec<&str> = body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["system", "user", "assistant", "assistant", "user"]);
        let system = body["messages"][0]["content"].as_str().unwrap();
        assert!(system.contains("You are Ada"));
        assert!(system.contains("refund over 100 euros"));
        assert!(system.contains(
            "[1] From our FAQ — Q: How long do refunds take?\nA: Refunds take 5 working days."
        ));
        assert!(system.contains("[2] From Shipping guide › Returns:\nReturn labels"));
        let tool = &body["tools"][0];
        assert_eq!(tool["type"], "function");
        assert_eq!(tool["function"]["name"], "handoff");
        assert!(
            tool["function"]["description"]
                .as_str()
                .unwrap()
                .contains("refund over 100 euros")
        );
        assert_eq!(
            tool["function"]["parameters"]["properties"]["trigger"]["enum"],
            json!([
                "user_request",
                "frustration",
                "complex_issue",
                "sales_opportunity",
                "other"
            ])
        );
        assert_eq!(
            tool["function"]["parameters"]["required"],
            json!(["trigger", "reason", "summary"])
        );
    }

    #[test]
    fn without_knowledge_or_instruction_the_prompt_says_so_and_uses_the_default() {
        let bot = BotProfile::new("Ada", "  ", TriggerSettings::default());
        let prompt = system_prompt(&bot, &[]);
        assert!(prompt.contains(DEFAULT_INSTRUCTION));
        assert!(prompt.contains("nothing in the knowledge base matches"));
        let body = request_body("m", None, &bot, &[visitor("x")], &[]);
        assert!(body.get("temperature").is_none());
    }
}

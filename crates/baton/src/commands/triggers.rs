//! `baton triggers classify`: the built-in trigger detection over JSON lines.
//!
//! Reads one JSON object per line, `{"text": "..."}` or `{"messages": [{"author": "visitor" |
//! "bot", "text": "..."}, ...]}`, and writes one JSON line per input line: `{"trigger":
//! "user_request" | "frustration" | "complex_issue" | "sales_opportunity" | "none", "score": 0..1,
//! "reason": "..."}`, classified with the default settings (every AI trigger at medium). A
//! malformed line gets `{"error": "line N: ..."}` and processing continues; blank lines are
//! skipped. Owns only the line format; the rules live in `baton_domain::triggers`.

use std::io::{BufRead, Write};

use baton_domain::triggers::{self, TriggerSettings, Turn, TurnAuthor};
use serde_json::{Value, json};

/// Classifies every JSON line of `input`, writing one JSON line per non-blank input line.
pub fn classify(mut input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    let settings = TriggerSettings::default();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        let result = match std::str::from_utf8(&buf) {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => classify_line(line, &settings),
            Err(_) => Err("not valid UTF-8".to_owned()),
        };
        let out = match result {
            Ok(v) => v,
            Err(e) => json!({ "error": format!("line {line_no}: {e}") }),
        };
        serde_json::to_writer(&mut output, &out)?;
        output.write_all(b"\n")?;
        // One answer per line as it is read, so the command works in a pipe or interactively.
        output.flush()?;
    }
    output.flush()
}

fn classify_line(line: &str, settings: &TriggerSettings) -> Result<Value, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let obj = v
        .as_object()
        .ok_or("expected a JSON object with \"text\" or \"messages\"")?;
    let turns: Vec<Turn<'_>> = match (obj.get("text"), obj.get("messages")) {
        (Some(Value::String(text)), None) => vec![Turn::visitor(text)],
        (Some(_), None) => return Err("\"text\" must be a string".to_owned()),
        (None, Some(Value::Array(messages))) => messages
            .iter()
            .enumerate()
            .map(|(i, m)| parse_message(i, m))
            .collect::<Result<_, _>>()?,
        (None, Some(_)) => return Err("\"messages\" must be an array".to_owned()),
        (Some(_), Some(_)) => {
            return Err("give either \"text\" or \"messages\", not both".to_owned());
        }
        (None, None) => return Err("expected \"text\" or \"messages\"".to_owned()),
    };
    let c = triggers::classify(&turns, settings);
    let trigger = c.trigger.map_or("none", |t| t.as_str());
    let score = (f64::from(c.score) * 1000.0).round() / 1000.0;
    Ok(json!({ "trigger": trigger, "score": score, "reason": c.reason }))
}

fn parse_message(i: usize, m: &Value) -> Result<Turn<'_>, String> {
    let author = match m.get("author").and_then(Value::as_str) {
        Some("visitor") => TurnAuthor::Visitor,
        Some("bot") => TurnAuthor::Bot,
        Some(other) => {
            return Err(format!(
                "messages[{i}].author must be \"visitor\" or \"bot\", not {other:?}"
            ));
        }
        None => return Err(format!("messages[{i}].author is missing")),
    };
    let text = m
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("messages[{i}].text must be a string"))?;
    Ok(Turn { author, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> Vec<Value> {
        let mut out = Vec::new();
        classify(input.as_bytes(), &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn classifies_text_and_messages() {
        let out = run(concat!(
            "{\"text\": \"can I speak to a real human please\"}\n",
            "{\"messages\": [{\"author\": \"visitor\", \"text\": \"my parcel is lost\"}, ",
            "{\"author\": \"bot\", \"text\": \"Would you like to talk to an agent?\"}, ",
            "{\"author\": \"visitor\", \"text\": \"yes please\"}]}\n",
            "{\"text\": \"where is my order?\"}\n",
        ));
        assert_eq!(out.len(), 3);
        assert_eq!(out[0]["trigger"], "user_request");
        assert!(out[0]["reason"].as_str().unwrap().contains("real human"));
        assert_eq!(out[1]["trigger"], "user_request");
        assert_eq!(out[2]["trigger"], "none");
        for v in &out {
            let s = v["score"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&s));
        }
    }

    #[test]
    fn reports_each_trigger_name() {
        let out = run(concat!(
            "{\"text\": \"this is ridiculous, your bot is useless\"}\n",
            "{\"text\": \"I get error 0x80070005 when installing\"}\n",
            "{\"text\": \"we need the enterprise plan for our 200 employees\"}\n",
        ));
        let names: Vec<&str> = out.iter().map(|v| v["trigger"].as_str().unwrap()).collect();
        assert_eq!(names, ["frustration", "complex_issue", "sales_opportunity"]);
    }

    #[test]
    fn malformed_lines_get_an_error_and_processing_continues() {
        let out = run(concat!(
            "{\"text\": \"hello\"}\n",
            "{not json\n",
            "\n",
            "[1, 2]\n",
            "{\"text\": 42}\n",
            "{\"messages\": [{\"author\": \"agent\", \"text\": \"hi\"}]}\n",
            "{\"messages\": [{\"author\": \"visitor\"}]}\n",
            "{}\n",
            "{\"text\": \"talk to a human\"}",
        ));
        assert_eq!(out.len(), 8, "the blank line is skipped: {out:?}");
        assert_eq!(out[0]["trigger"], "none");
        let errors: Vec<&str> = out[1..7]
            .iter()
            .map(|v| v["error"].as_str().unwrap())
            .collect();
        assert!(
            errors[0].starts_with("line 2: invalid JSON"),
            "{}",
            errors[0]
        );
        assert!(errors[1].starts_with("line 4: "), "{}", errors[1]);
        assert!(errors[2].starts_with("line 5: "), "{}", errors[2]);
        assert!(errors[3].contains("author"), "{}", errors[3]);
        assert!(errors[4].contains("text"), "{}", errors[4]);
        assert!(errors[5].starts_with("line 8: "), "{}", errors[5]);
        assert_eq!(out[7]["trigger"], "user_request");
    }

    #[test]
    fn invalid_utf8_is_a_malformed_line() {
        let mut input = b"{\"text\": \"hi \xff\"}\n".to_vec();
        input.extend_from_slice(b"{\"text\": \"operator\"}\r\n");
        let mut out = Vec::new();
        classify(&input[..], &mut out).unwrap();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(lines[0]["error"].as_str().unwrap().contains("UTF-8"));
        assert_eq!(lines[1]["trigger"], "user_request");
    }

    #[test]
    fn a_conversation_with_no_visitor_turn_is_none() {
        let out = run(
            "{\"messages\": [{\"author\": \"bot\", \"text\": \"Hi! Want to talk to a human?\"}]}\n",
        );
        assert_eq!(out[0]["trigger"], "none");
    }
}

//! `baton triggers classify`: the built-in trigger detection over JSON lines.
//!
//! Reads one JSON object per line, `{"text": "..."}` or `{"messages": [{"author": "visitor" |
//! "bot", "text": "..."}, ...]}` (optionally with `"settings"`), and writes one JSON line per
//! input line: `{"trigger": "user_request" | "frustration" | "complex_issue" |
//! "sales_opportunity" | "none", "score": 0..1, "reason": "..."}`, classified with the default
//! settings (every AI trigger at medium) unless the line gives its own. With `--explain` each
//! answer also has `"explain": {"family", "matched", "negated", "turns"}`, the same as the
//! server's `POST /api/v1/triggers/explain`. A malformed line (bad JSON, invalid UTF-8) gets
//! `{"error": "line N: ..."}` and processing continues; blank lines are skipped. Owns only the
//! line format; the rules and the JSON shapes live in `baton_domain::triggers`.

use std::io::{BufRead, Write};

use baton_domain::triggers::{self, settings_from_json, turns_from_json};
use serde_json::{Value, json};

/// Classifies every JSON line of `input`, writing one JSON line per non-blank input line; with
/// `explain`, each answer says which rule family decided and on which words.
pub fn classify(
    mut input: impl BufRead,
    mut output: impl Write,
    explain: bool,
) -> std::io::Result<()> {
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
            Ok(line) => classify_line(line, explain),
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

fn classify_line(line: &str, explain: bool) -> Result<Value, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let obj = v
        .as_object()
        .ok_or("expected a JSON object with \"text\" or \"messages\"")?;
    let turns = turns_from_json(obj).map_err(|e| e.message)?;
    let settings = settings_from_json(obj).map_err(|e| e.message)?;
    Ok(triggers::classify(&turns, &settings).to_json(explain))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> Vec<Value> {
        let mut out = Vec::new();
        classify(input.as_bytes(), &mut out, false).unwrap();
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
        classify(&input[..], &mut out, false).unwrap();
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

    fn run_bytes(input: &[u8], explain: bool) -> Vec<Value> {
        let mut out = Vec::new();
        classify(input, &mut out, explain).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn explain_adds_the_family_and_words_and_nothing_else_changes() {
        let input =
            b"{\"text\": \"no more bots please\"}\n{\"text\": \"are you a real person?\"}\n";
        let plain = run_bytes(input, false);
        let explained = run_bytes(input, true);
        assert!(plain[0].get("explain").is_none());
        assert_eq!(plain[0]["trigger"], explained[0]["trigger"]);
        assert_eq!(plain[0]["reason"], explained[0]["reason"]);
        let e = &explained[0]["explain"];
        assert_eq!(explained[0]["trigger"], "user_request");
        assert_eq!(e["family"], "refusal_of_bot");
        assert_eq!(e["matched"], json!(["no", "bots"]));
        assert_eq!(e["negated"], false);
        assert_eq!(explained[1]["trigger"], "none");
        assert_eq!(explained[1]["explain"]["family"], "bot_nature_question");
    }

    #[test]
    fn settings_on_a_line_are_honoured_and_checked() {
        let out = run(concat!(
            "{\"text\": \"this is ridiculous\", \"settings\": {\"frustration\": \"off\"}}\n",
            "{\"text\": \"this is ridiculous\", \"settings\": {\"frustration\": \"max\"}}\n",
        ));
        assert_eq!(out[0]["trigger"], "none");
        assert!(
            out[1]["error"]
                .as_str()
                .unwrap()
                .contains("settings.frustration")
        );
    }

    #[test]
    fn bad_input_gets_an_answer_or_a_line_error_never_a_crash() {
        let big = "I need help with my order. ".repeat(4000) + "talk to a human";
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"text\": \"\"}\n");
        input.extend_from_slice(json!({ "text": big }).to_string().as_bytes());
        input.push(b'\n');
        input.extend_from_slice(b"{\"text\": \"\xc3\x28 broken\"}\n");
        input.extend_from_slice(b"\x00\x01\x02\xff\xfe binary junk\n");
        input.extend_from_slice("{\"text\": \"😡😡😡🤬\"}\n".as_bytes());
        input.extend_from_slice(
            "{\"text\": \"Привет 你好 مرحبا quiero hablar con un humano\"}\n".as_bytes(),
        );
        input.extend_from_slice(
            json!({ "text": "\u{0}\u{1b}[31m\u{202e}" })
                .to_string()
                .as_bytes(),
        );
        input.push(b'\n');
        let out = run_bytes(&input, true);
        assert_eq!(out.len(), 7, "{out:?}");
        assert_eq!(out[0]["trigger"], "none");
        assert!(out[1]["trigger"].is_string(), "100 KB of text: {}", out[1]);
        assert!(out[2]["error"].as_str().unwrap().starts_with("line 3: "));
        assert!(out[3]["error"].as_str().unwrap().starts_with("line 4: "));
        assert!(out[4]["trigger"].is_string());
        assert_eq!(out[5]["trigger"], "user_request");
        assert!(out[6]["trigger"].is_string());
        for v in out.iter().filter(|v| v.get("trigger").is_some()) {
            assert!(v["explain"]["family"].is_string(), "{v}");
        }
    }
}

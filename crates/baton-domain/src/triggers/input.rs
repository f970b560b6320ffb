//! The one shape in which people hand a conversation to the trigger detection from outside —
//! `{"text": "..."}` or `{"messages": [{"author": "visitor" | "bot", "text": "..."}, ...]}`
//! with optional `"settings"` — and the one shape of the answer, so the CLI (`baton triggers
//! classify`) and the server's explain route read and write the same JSON. Validation only; no
//! I/O.

use serde_json::{Map, Value, json};

use super::{Classification, Sensitivity, TriggerSettings, Turn, TurnAuthor};

/// Input that cannot be classified, naming the field at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The JSON path of the field at fault: "text", "messages[2].author", "settings.frustration".
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> InputError {
    InputError {
        field: field.into(),
        message: message.into(),
    }
}

/// The turns of `{"text"}` or `{"messages"}` (exactly one of the two).
pub fn turns_from_json(obj: &Map<String, Value>) -> Result<Vec<Turn<'_>>, InputError> {
    match (obj.get("text"), obj.get("messages")) {
        (Some(Value::String(text)), None) => Ok(vec![Turn::visitor(text)]),
        (Some(_), None) => Err(err("text", "\"text\" must be a string")),
        (None, Some(Value::Array(messages))) => messages
            .iter()
            .enumerate()
            .map(|(i, m)| message(i, m))
            .collect(),
        (None, Some(_)) => Err(err("messages", "\"messages\" must be an array")),
        (Some(_), Some(_)) => Err(err(
            "text",
            "give either \"text\" or \"messages\", not both",
        )),
        (None, None) => Err(err("text", "expected \"text\" or \"messages\"")),
    }
}

fn message(i: usize, m: &Value) -> Result<Turn<'_>, InputError> {
    let author = match m.get("author").and_then(Value::as_str) {
        Some("visitor") => TurnAuthor::Visitor,
        Some("bot") => TurnAuthor::Bot,
        Some(other) => {
            return Err(err(
                format!("messages[{i}].author"),
                format!("messages[{i}].author must be \"visitor\" or \"bot\", not {other:?}"),
            ));
        }
        None => {
            return Err(err(
                format!("messages[{i}].author"),
                format!("messages[{i}].author is missing"),
            ));
        }
    };
    let text = m.get("text").and_then(Value::as_str).ok_or_else(|| {
        err(
            format!("messages[{i}].text"),
            format!("messages[{i}].text must be a string"),
        )
    })?;
    Ok(Turn { author, text })
}

/// Optional `"settings": {"frustration", "complex_issue", "sales_opportunity"}`, each "off",
/// "low", "medium" or "high"; a missing one is medium, as for a new bot.
pub fn settings_from_json(obj: &Map<String, Value>) -> Result<TriggerSettings, InputError> {
    let mut settings = TriggerSettings::default();
    let Some(v) = obj.get("settings") else {
        return Ok(settings);
    };
    let Some(s) = v.as_object() else {
        return Err(err("settings", "\"settings\" must be an object"));
    };
    for (key, value) in s {
        let slot = match key.as_str() {
            "frustration" => &mut settings.frustration,
            "complex_issue" => &mut settings.complex_issue,
            "sales_opportunity" => &mut settings.sales_opportunity,
            other => {
                return Err(err(
                    format!("settings.{other}"),
                    format!("unknown setting {other:?}"),
                ));
            }
        };
        *slot = serde_json::from_value::<Sensitivity>(value.clone()).map_err(|_| {
            err(
                format!("settings.{key}"),
                format!("settings.{key} must be \"off\", \"low\", \"medium\" or \"high\""),
            )
        })?;
    }
    Ok(settings)
}

impl Classification {
    /// The answer as JSON: `{"trigger": "user_request" | ... | "none", "score": 0..1 (three
    /// decimals), "reason": "..."}`, and with `explain` also `"explain": {"family", "matched",
    /// "negated", "turns"}`.
    pub fn to_json(&self, explain: bool) -> Value {
        let trigger = self.trigger.map_or("none", |t| t.as_str());
        let score = (f64::from(self.score) * 1000.0).round() / 1000.0;
        let mut v = json!({ "trigger": trigger, "score": score, "reason": self.reason });
        if explain {
            v["explain"] = json!(self.explain);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(s: &str) -> Map<String, Value> {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn errors_name_the_field() {
        let e = |s: &str| turns_from_json(&obj(s)).unwrap_err().field;
        assert_eq!(e(r#"{"text": 1}"#), "text");
        assert_eq!(e(r#"{"messages": {}}"#), "messages");
        assert_eq!(
            e(r#"{"messages": [{"author": "visitor", "text": "hi"}, {"author": "x"}]}"#),
            "messages[1].author"
        );
        assert_eq!(e(r#"{}"#), "text");
        let s = |s: &str| settings_from_json(&obj(s)).unwrap_err().field;
        assert_eq!(s(r#"{"settings": 3}"#), "settings");
        assert_eq!(
            s(r#"{"settings": {"frustration": "max"}}"#),
            "settings.frustration"
        );
        assert_eq!(s(r#"{"settings": {"mood": "low"}}"#), "settings.mood");
    }

    #[test]
    fn settings_default_to_medium() {
        let s = settings_from_json(&obj(r#"{"settings": {"frustration": "off"}}"#)).unwrap();
        assert_eq!(s.frustration, Sensitivity::Off);
        assert_eq!(s.complex_issue, Sensitivity::Medium);
    }
}

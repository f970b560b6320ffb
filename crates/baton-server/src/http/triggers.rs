//! The trigger explanation (docs/api.md, "Triggers"): what the built-in engine would do with a
//! visitor's words and why, for the Agent Editor's "Try a sentence" box. Any agent of the
//! workspace may ask; nothing is stored and no conversation is touched. The input shape and the
//! answer are the domain's (`baton_domain::triggers::input`), the same as `baton triggers
//! classify --explain`.

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use baton_domain::triggers::{self, InputError, Turn, settings_from_json, turns_from_json};
use serde_json::Value;

use super::auth::CurrentAgent;
use super::error::{ApiError, ApiResult};
use super::extract::ApiJson;
use crate::state::AppState;

/// Most messages one explanation reads (the engine looks at the last few turns anyway).
pub const MAX_EXPLAIN_MESSAGES: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/triggers/explain", post(explain))
}

fn invalid(e: InputError) -> ApiError {
    ApiError::bad_request(&e.field, e.message)
}

/// Each text within the server's message size limit (`Limits::max_message_bytes`), and not too
/// many messages; otherwise a 413 or 400 naming the field.
fn check_size(turns: &[Turn<'_>], is_text: bool, max_bytes: usize) -> ApiResult<()> {
    if turns.len() > MAX_EXPLAIN_MESSAGES {
        return Err(ApiError::bad_request(
            "messages",
            format!("give at most {MAX_EXPLAIN_MESSAGES} messages"),
        ));
    }
    for (i, t) in turns.iter().enumerate() {
        if t.text.len() > max_bytes {
            let field = if is_text {
                "text".to_owned()
            } else {
                format!("messages[{i}].text")
            };
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("{field} is longer than a message may be ({max_bytes} bytes)"),
            )
            .field(field));
        }
    }
    Ok(())
}

async fn explain(
    axum::extract::State(state): axum::extract::State<AppState>,
    _agent: CurrentAgent,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<impl IntoResponse> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::bad_request(
            "body",
            "expected a JSON object with \"text\" or \"messages\"",
        ));
    };
    if let Some(key) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "text" | "messages" | "settings"))
    {
        return Err(ApiError::bad_request(
            key,
            format!("unknown field {key:?} (expected text or messages, and settings)"),
        ));
    }
    let turns = turns_from_json(obj).map_err(invalid)?;
    check_size(
        &turns,
        obj.contains_key("text"),
        state.config.limits.max_message_bytes,
    )?;
    let settings = settings_from_json(obj).map_err(invalid)?;
    let classification = triggers::classify(&turns, &settings);
    Ok(axum::Json(classification.to_json(true)))
}

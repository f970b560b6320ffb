//! The trigger explanation (docs/api.md, "Triggers"): what the built-in engine would do with a
//! visitor's words and why, for the Agent Editor's "Try a sentence" box. Any agent of the
//! workspace may ask; nothing is stored and no conversation is touched. The input shape and the
//! answer are the domain's (`baton_domain::triggers::input`), the same as `baton triggers
//! classify --explain`.

use axum::Json;
use axum::http::StatusCode;
use baton_domain::triggers::{self, InputError, Turn, settings_from_json, turns_from_json};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::CurrentAgent;
use super::error::{ApiError, ApiResult};
use super::extract::ApiJson;
use super::openapi::{
    BadRequest, Forbidden, PayloadTooLarge, Unauthorized, UnsupportedMediaType, list_of,
};
use crate::state::AppState;

/// Most messages one explanation reads (the engine looks at the last few turns anyway).
pub const MAX_EXPLAIN_MESSAGES: usize = 50;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(explain))
}

// The request and the answer are read and written by the domain as JSON
// (`baton_domain::triggers::input`, `Classification::to_json`); these types only describe them.

/// Exactly one of `text` and `messages`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TriggerExplainRequest)]
#[allow(dead_code)]
struct ExplainRequestDoc {
    /// One visitor message, at most `max_message_bytes` bytes.
    #[schema(required = false)]
    text: String,
    #[schema(required = false, schema_with = messages_schema)]
    messages: Vec<TurnDoc>,
    #[schema(required = false, inline)]
    settings: SettingsDoc,
}

fn messages_schema() -> utoipa::openapi::schema::Array {
    list_of(
        <TurnDoc as utoipa::PartialSchema>::schema(),
        MAX_EXPLAIN_MESSAGES,
        "The conversation, oldest first.",
    )
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct TurnDoc {
    #[schema(inline)]
    author: AuthorDoc,
    /// At most `max_message_bytes` bytes.
    text: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum AuthorDoc {
    #[schema(rename = "visitor")]
    Visitor,
    #[schema(rename = "bot")]
    Bot,
}

/// The sensitivities to classify with, e.g. the Agent Editor's unsaved ones; a missing one is
/// `medium`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SettingsDoc {
    #[schema(required = false)]
    frustration: Sensitivity,
    #[schema(required = false)]
    complex_issue: Sensitivity,
    #[schema(required = false)]
    sales_opportunity: Sensitivity,
}

/// How readily an AI trigger fires; `off` disables it. Default `medium`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub enum Sensitivity {
    #[schema(rename = "off")]
    Off,
    #[schema(rename = "low")]
    Low,
    #[schema(rename = "medium")]
    Medium,
    #[schema(rename = "high")]
    High,
}

#[derive(ToSchema)]
#[schema(as = TriggerExplanation)]
#[allow(dead_code)]
struct ExplanationDoc {
    #[schema(inline)]
    trigger: DetectedDoc,
    /// Confidence in the trigger; with none, the strongest signal seen below its threshold.
    #[schema(minimum = 0, maximum = 1)]
    score: f64,
    /// One sentence an agent can read, quoting the visitor where possible.
    reason: String,
    #[schema(inline)]
    explain: WhyDoc,
}

#[derive(ToSchema)]
#[allow(dead_code)]
enum DetectedDoc {
    #[schema(rename = "user_request")]
    UserRequest,
    #[schema(rename = "frustration")]
    Frustration,
    #[schema(rename = "complex_issue")]
    ComplexIssue,
    #[schema(rename = "sales_opportunity")]
    SalesOpportunity,
    #[schema(rename = "none")]
    None,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct WhyDoc {
    /// The rule family that decided, e.g. `contact_verb`, `transfer`, `refusal_of_bot`,
    /// `named_person`, `staff_question`, `presence_question`, `complaint`, `fraud_accusation`,
    /// `legal_threat`, `long_wait`, `repeated_contact`, `frustration`; with no trigger why a
    /// person word did not count (`bot_nature_question`, `negated_request`,
    /// `other_sense_or_third_party`) or `none`.
    family: String,
    /// The visitor's words that decided, as written.
    matched: Vec<String>,
    /// A request for a person was there but negated ("no need for a human").
    negated: bool,
    /// How many visitor turns the decision read.
    #[schema(minimum = 1)]
    turns: u32,
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

/// What the built-in engine would do with these words, and why
///
/// Classifies one visitor message (`text`) or a conversation (`messages`, oldest first, at most
/// 50) with the given sensitivities (`settings`; a missing one is `medium`) and answers the
/// trigger, its score (the confidence, 0 to 1), the reason an agent would read and the
/// explanation: the rule family that decided, the words it matched, whether a request was negated
/// and how many visitor turns counted. The same JSON as `baton triggers classify --explain`.
/// Nothing is stored. Each text is limited like a chat message (`max_message_bytes`, 413 naming
/// the field); bad input is 400 naming the field (`text`, `messages`, `messages[1].author`,
/// `settings.frustration`, ...). Any agent of the workspace.
#[utoipa::path(
    post,
    path = "/api/v1/triggers/explain",
    tag = "triggers",
    operation_id = "explainTriggers",
    security(("agentSession" = [], "csrfToken" = [])),
    request_body(content = ExplainRequestDoc, example = json!({
        "text": "no more bots please",
        "settings": {"frustration": "high", "complex_issue": "medium", "sales_opportunity": "off"}
    })),
    responses(
        (status = 200, description = "The classification and its explanation.", body = ExplanationDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn explain(
    axum::extract::State(state): axum::extract::State<AppState>,
    _agent: CurrentAgent,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(classification.to_json(true)))
}

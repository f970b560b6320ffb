//! The one error type of the HTTP edge: each failure maps to a status and a JSON body
//! `{"error": {"code", "message", "field"}}`. Internal causes are logged, never sent.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use baton_domain::account::FieldError;
use baton_domain::entity::Entity;
use baton_domain::message::TextError;
use baton_domain::ownership::{Refusal, Silenced};
use baton_storage::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::service::{ErrorChain, ServiceError};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub retry_after: Option<Duration>,
    /// Every problem found, when there are several (e.g. a schedule's errors), each with its field.
    pub errors: Option<Vec<(String, String)>>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
            errors: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(field: &str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid", message).field(field)
    }

    /// The thing does not exist, or not where the caller may see it: both read the same.
    pub fn not_found(what: Entity) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn too_many(message: impl Into<String>, retry_after: Duration) -> Self {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
        }
    }

    /// More writes are waiting than the server takes (`--write-queue`): nothing was stored, the
    /// client should retry shortly.
    pub fn overloaded() -> Self {
        ApiError {
            retry_after: Some(Duration::from_secs(1)),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "the server is busy; nothing was stored, try again in a moment",
            )
        }
    }

    /// The bot was archived: its widget opens nothing new.
    pub fn archived() -> Self {
        ApiError::new(
            StatusCode::GONE,
            "archived",
            "this chat is no longer available",
        )
    }

    /// The database cannot be reached (PostgreSQL restarting, the network down).
    pub fn unavailable() -> Self {
        ApiError {
            retry_after: Some(Duration::from_secs(2)),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database cannot be reached; nothing was stored, try again in a moment",
            )
        }
    }

    /// A failure on our side. The cause and every error beneath it go to the log with
    /// `context` (what was being done); the client reads only that something went wrong.
    pub fn internal(
        context: &str,
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        let cause = cause.into();
        tracing::error!(error = %ErrorChain(&*cause), "{context}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on our side; it has been logged",
        )
    }

    pub fn from_text(err: TextError) -> Self {
        match err {
            TextError::Empty => ApiError::bad_request("text", "the message is empty"),
            TextError::TooLong { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", err.to_string())
                    .field("text")
            }
        }
    }
}

/// Storage failures, so handlers write `?`: a missing row is a 404 naming what was missing, a
/// refused change a 409, a full write queue or an unreachable database a 503 to retry, and
/// anything else a 500 whose cause is logged.
impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => ApiError::not_found(what),
            StoreError::Refused(refusal) => ApiError::from(refusal),
            StoreError::Silenced(silenced) => ApiError::from(silenced),
            StoreError::Conflict(message) => ApiError::conflict(message),
            StoreError::Busy => ApiError::overloaded(),
            StoreError::Unavailable(why) => {
                tracing::warn!(error = %why, "the database is unavailable");
                ApiError::unavailable()
            }
            StoreError::Taken(field) => ApiError::new(
                StatusCode::CONFLICT,
                "taken",
                format!("this {field} is already taken"),
            )
            .field(field),
            other => ApiError::internal("storage failure", other),
        }
    }
}

/// A value of an account that is not acceptable: a 400 naming its field.
impl From<FieldError> for ApiError {
    fn from(err: FieldError) -> Self {
        ApiError::bad_request(err.field, err.message)
    }
}

/// A service's refusals and failures, each as the API has always answered it.
impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Store(e) => ApiError::from(e),
            ServiceError::NotFound(what) => ApiError::not_found(what),
            ServiceError::Invalid { field, message } => ApiError::bad_request(field, message),
            ServiceError::Text(e) => ApiError::from_text(e),
            ServiceError::UnsupportedFileType(message) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_file_type",
                message,
            )
            .field("file"),
            ServiceError::Forbidden { message, field } => {
                let err = ApiError::forbidden(message);
                match field {
                    Some(field) => err.field(field),
                    None => err,
                }
            }
            ServiceError::BadLink {
                code,
                message,
                field,
            } => ApiError::new(StatusCode::FORBIDDEN, code, message).field(field),
            ServiceError::Conflict(message) => ApiError::conflict(message),
            ServiceError::AttachmentsFull(message) => ApiError::conflict(message).field("file"),
            ServiceError::Refused(refusal) => ApiError::from(refusal),
            ServiceError::Silenced(silenced) => ApiError::from(silenced),
            ServiceError::RateLimited {
                message,
                retry_after,
            } => ApiError::too_many(message, retry_after),
            ServiceError::Overloaded => ApiError::overloaded(),
            ServiceError::Archived => ApiError::archived(),
            ServiceError::Internal { context, source } => ApiError::internal(context, source),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", refusal.to_string())
    }
}

impl From<Silenced> for ApiError {
    fn from(silenced: Silenced) -> Self {
        ApiError::new(StatusCode::CONFLICT, "not_owner", silenced.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            // Refusals under overload are expected and counted by clients; one log line each
            // would add to the load.
            tracing::debug!(code = self.code, "request refused");
        } else if self.status.is_server_error() {
            tracing::error!(code = self.code, message = %self.message, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
                errors: self.errors.map(|errors| {
                    errors
                        .into_iter()
                        .map(|(field, message)| FieldProblem { field, message })
                        .collect()
                }),
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(wait) = self.retry_after {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// The body of every error the API produces itself; `field` names the request field at fault, or
/// is null.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    #[schema(inline)]
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable.
    #[schema(schema_with = error_code_schema)]
    pub code: &'static str,
    /// For people; may change.
    pub message: String,
    /// The request field at fault (a JSON path such as `text` or `body`), or null.
    #[schema(required = true)]
    pub field: Option<String>,
    /// Present when several problems may be found at once (a schedule, a bot's handoff settings,
    /// the whole Handoff tool): every one, each with its field path.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub errors: Option<Vec<FieldProblem>>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// Every `code` an [`ApiError`] may carry.
pub const ERROR_CODES: &[&str] = &[
    "invalid",
    "unauthorized",
    "forbidden",
    "invalid_link",
    "link_expired",
    "not_found",
    "conflict",
    "not_owner",
    "taken",
    "too_large",
    "unsupported_media_type",
    "unsupported_file_type",
    "rate_limited",
    "overloaded",
    "unavailable",
    "archived",
    "internal",
    "freshchat_unauthorized",
    "freshchat_unreachable",
    "freshchat_url_refused",
    "freshchat_rate_limited",
    "freshchat_unavailable",
    "freshchat_error",
    "freshchat_unknown_channel",
];

fn error_code_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(ERROR_CODES.iter().copied()))
        .description(Some("Stable, machine-readable."))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_write_queue_is_a_503_to_retry() {
        let response = ApiError::from(StoreError::Busy).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let err = ApiError::from(StoreError::Busy);
        assert_eq!(err.code, "overloaded");
    }

    #[test]
    fn a_failed_commit_is_a_500_that_says_nothing_of_the_cause() {
        let err = ApiError::from(StoreError::Commit(
            "disk I/O error at /var/lib/baton".into(),
        ));
        assert_eq!(err.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!err.message.contains("/var/lib"));
    }

    #[test]
    fn service_errors_answer_as_the_api_always_has() {
        let err = ApiError::from(ServiceError::Forbidden {
            message: "no",
            field: Some("identity.signature"),
        });
        assert_eq!((err.status, err.code), (StatusCode::FORBIDDEN, "forbidden"));
        assert_eq!(err.field.as_deref(), Some("identity.signature"));
        let err = ApiError::from(ServiceError::AttachmentsFull("full".into()));
        assert_eq!(
            (err.status, err.field.as_deref()),
            (StatusCode::CONFLICT, Some("file"))
        );
        let err = ApiError::from(ServiceError::NotFound(Entity::Conversation));
        assert_eq!(err.message, "conversation not found");
        let err = ApiError::from(ServiceError::invalid("email", "bad"));
        assert_eq!(
            (err.status, err.field.as_deref()),
            (StatusCode::BAD_REQUEST, Some("email"))
        );
        assert!(ServiceError::Store(StoreError::NotFound(Entity::Bot)).is_refusal());
        assert!(!ServiceError::Store(StoreError::Busy).is_refusal());
        assert!(!ServiceError::Overloaded.is_refusal());
    }

    #[test]
    fn a_missing_row_is_a_404_naming_what_was_missing() {
        let err = ApiError::from(StoreError::NotFound(Entity::SavedReply));
        assert_eq!(err.status, StatusCode::NOT_FOUND);
        assert_eq!(err.code, "not_found");
        assert_eq!(err.message, "saved reply not found");
    }
}

//! `POST /api/v1/bots/{id}/schedule/preview` (docs/api.md, "Availability"): what an unsaved
//! schedule would say, for the Agent Editor's live preview. The body is the schedule document the
//! PUT takes; nothing is stored. The answer comes from the domain's schedule engine
//! (`baton_domain::schedule`), the one that decides real availability, so the preview cannot
//! disagree with it. An invalid schedule gets the PUT's 400 with every problem and its field.

use axum::extract::State;
use axum::response::IntoResponse;
use baton_domain::ids::BotId;
use baton_domain::schedule::Schedule;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::admin::{AtQuery, admin_bot, instant, schedule_errors};
use super::auth::AdminAgent;
use super::error::ApiResult;
use super::extract::{ApiJson, ApiQuery, PathId};
use super::openapi::{
    BadRequest, Forbidden, Id, NotFound, PayloadTooLarge, Unauthorized, UnsupportedMediaType,
};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(preview))
}

// Open or not at `?at=` (default now), and the next change within 366 days (`null` if none).
/// What an unsaved schedule says: open or not, and the next change
///
/// The Agent Editor's live preview. The body is the document `PUT .../schedule` takes; nothing is
/// stored. Evaluated by the same engine as availability, at `at` (default now). An invalid schedule
/// is the PUT's 400, every problem in `error.errors`. A bot of another workspace is 404.
#[utoipa::path(
    post,
    path = "/api/v1/bots/{id}/schedule/preview",
    tag = "admin",
    operation_id = "previewSchedule",
    security(("agentSession" = [], "csrfToken" = [])),
    params(
        ("id" = Id, Path, description = "The bot's id."),
        ("at" = Option<String>, Query, format = DateTime, description = "An RFC 3339 instant. \
                                                                         Default: now."),
    ),
    request_body(
        content = super::schemas::ScheduleDocumentDoc,
        example = json!({
            "timezone": "Europe/Berlin",
            "weekly": {
                "monday": {
                    "enabled": true,
                    "slots": [
                        {
                            "start": "09:00",
                            "end": "17:00"
                        }
                    ]
                }
            }
        }),
    ),
    responses(
        (status = 200, description = "The schedule at the instant.", body = SchedulePreviewDoc),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
async fn preview(
    State(state): State<AppState>,
    AdminAgent(admin): AdminAgent,
    PathId(id): PathId<BotId>,
    ApiQuery(q): ApiQuery<AtQuery>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<impl IntoResponse> {
    // Another workspace's bot is a 404 before anything about the body is said.
    admin_bot(&state, &admin, id).await?;
    let at = instant(&q)?;
    let schedule = Schedule::parse_json(&body.to_string()).map_err(schedule_errors)?;
    let never_available = schedule.document().never_available;
    // Whole seconds, UTC, as `GET .../availability` and `baton schedule check` print them.
    let next_change = schedule.next_change(at).map(|t| format!("{t:.0}"));
    Ok(axum::Json(json!({
        "at": format!("{at:.0}"),
        "timezone": schedule.timezone_name(),
        "never_available": never_available,
        "open": schedule.is_open(at),
        "next_change": next_change,
    })))
}

#[derive(ToSchema)]
#[schema(as = SchedulePreview)]
#[allow(dead_code)]
pub struct SchedulePreviewDoc {
    /// The instant evaluated (whole seconds, UTC).
    #[schema(format = DateTime)]
    at: String,
    /// The schedule's zone, canonically spelled.
    timezone: String,
    never_available: bool,
    /// Whether the schedule is open at `at`.
    open: bool,
    /// When `open` next flips; null when not within 366 days (or never available).
    #[schema(format = DateTime, required = true)]
    next_change: Option<String>,
}

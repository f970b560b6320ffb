//! `POST /api/v1/bots/{id}/schedule/preview` (docs/api.md, "Availability"): what an unsaved
//! schedule would say, for the Agent Editor's live preview. The body is the schedule document the
//! PUT takes; nothing is stored. The answer comes from the domain's schedule engine
//! (`baton_domain::schedule`), the one that decides real availability, so the preview cannot
//! disagree with it. An invalid schedule gets the PUT's 400 with every problem and its field.

use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::post;
use baton_domain::ids::BotId;
use baton_domain::schedule::Schedule;
use serde_json::json;

use super::admin::{AtQuery, admin_bot, instant, schedule_errors};
use super::auth::AdminAgent;
use super::error::ApiResult;
use super::extract::{ApiJson, ApiQuery, PathId};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/bots/{id}/schedule/preview", post(preview))
}

/// Open or not at `?at=` (default now), and the next change within 366 days (`null` if none).
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

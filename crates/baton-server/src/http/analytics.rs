//! Handoff analytics for every agent of a workspace: `GET /api/v1/analytics/handoffs`, as JSON
//! figures or as a CSV of the handoffs behind them (docs/api.md).
//!
//! This module parses and checks the query, renders the figures and streams the CSV page by page;
//! the figures come from `baton_domain::analytics` over what `baton_storage` reads. It must not
//! hold a whole export in memory.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use baton_domain::analytics::{Outcome, Waits};
use baton_domain::entity::Entity;
use baton_domain::ids::BotId;
use baton_storage::{AnalyticsRange, ExportCursor, HandoffAnalytics, HandoffExportRow, Store};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ArrayItems, ObjectBuilder, Schema, Type};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::CurrentAgent;
use super::error::{ApiError, ApiResult};
use super::extract::ApiQuery;
use super::openapi::{BadRequest, Id, NotFound, Unauthorized, component, date_time, query_param};
use crate::state::AppState;

/// The longest range one request may cover.
pub const MAX_RANGE_DAYS: i64 = 400;
/// The range when `from` is not given: this many days before `to`.
pub const DEFAULT_RANGE_DAYS: i64 = 7;
/// Handoffs read per query while streaming a CSV export.
const EXPORT_PAGE: u32 = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(handoffs))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyticsQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    bot_id: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

impl utoipa::IntoParams for AnalyticsQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![
            query_param(
                "from",
                &format!(
                    "Start of the range, included: an RFC 3339 instant. Default: seven days before \
                     `to`. After `to`, or more than {MAX_RANGE_DAYS} days before it: 400."
                ),
                date_time(),
            ),
            query_param(
                "to",
                "End of the range, excluded: an RFC 3339 instant. Default: now.",
                date_time(),
            ),
            query_param(
                "bot_id",
                "Only this bot's handoffs (default: every bot). Not an id: 400; another \
                 workspace's bot: 404.",
                component("Id"),
            ),
            query_param(
                "format",
                "`json` (the figures) or `csv` (the handoffs behind them). Anything else: 400.",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["json", "csv"]))
                    .default(Some(json!("json"))),
            ),
        ]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

/// The range of a request: `[from, to)`. Without `to`, now; without `from`, seven days before
/// `to`. Both are RFC 3339 instants; `from` after `to` or a range over 400 days is refused.
fn parse_range(
    from: Option<&str>,
    to: Option<&str>,
    now: Timestamp,
) -> ApiResult<(Timestamp, Timestamp)> {
    let instant = |name: &str, raw: &str| -> ApiResult<Timestamp> {
        raw.parse::<Timestamp>().map_err(|_| {
            ApiError::bad_request(
                name,
                format!("{name} must be an RFC 3339 instant, e.g. 2026-03-01T00:00:00Z"),
            )
        })
    };
    let nonempty = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(str::to_owned);
    let to = match nonempty(to) {
        Some(raw) => instant("to", &raw)?,
        None => now,
    };
    let from = match nonempty(from) {
        Some(raw) => instant("from", &raw)?,
        None => to - SignedDuration::from_hours(DEFAULT_RANGE_DAYS * 24),
    };
    if from > to {
        return Err(ApiError::bad_request("from", "from must not be after to"));
    }
    if to.duration_since(from) > SignedDuration::from_hours(MAX_RANGE_DAYS * 24) {
        return Err(ApiError::bad_request(
            "from",
            format!("the range from `from` to `to` may cover at most {MAX_RANGE_DAYS} days"),
        ));
    }
    Ok((from, to))
}

fn parse_format(raw: Option<&str>) -> ApiResult<Format> {
    match raw.unwrap_or("") {
        "" | "json" => Ok(Format::Json),
        "csv" => Ok(Format::Csv),
        _ => Err(ApiError::bad_request(
            "format",
            "format must be json or csv",
        )),
    }
}

/// Handoff analytics of the workspace
///
/// What became of the handoffs requested in `[from, to)` (by their `requested_at`), how long
/// visitors waited, each agent's figures, and when in the day handoffs come in; or, with
/// `format=csv`, one row per handoff, streamed. Any agent of the workspace. Percentiles are
/// nearest-rank over whole seconds (`p50` of an even count is the lower middle value).
/// `time_to_accept` covers handoffs that waited in the queue (an agent joining on their own is an
/// accepted handoff with trigger `other` and no wait). `by_hour` counts handoffs by the hour of
/// `requested_at` on the wall clock of each handoff's bot (its schedule's time zone). Lead-capture
/// offers are the `lead_requested` entries written in the range; tickets are those created in the
/// range.
#[utoipa::path(
    get,
    path = "/api/v1/analytics/handoffs",
    tag = "analytics",
    operation_id = "handoffAnalytics",
    security(("agentSession" = [])),
    params(AnalyticsQuery),
    responses(
        (status = 200, description = "The figures; or the CSV (`Content-Disposition: attachment`), \
                                      columns \
                                      `id,bot,trigger,reason,outcome,offline_reason,agent,requested_at,accepted_at,ended_at,seconds_to_accept`, \
                                      oldest request first, CRLF line ends, fields quoted as RFC 4180 says, and a field \
                                      starting with `=`, `+`, `-`, `@`, a tab or a carriage return prefixed with `'` so \
                                      spreadsheets keep it as text.",
         content(
            (HandoffAnalyticsDoc = "application/json"),
            (
                String = "text/csv",
                example = "id,bot,trigger,reason,outcome,offline_reason,agent,requested_at,accepted_at,ended_at,seconds_to_accept\r\n0190a1b2-0000-7000-8000-000000000001,Support \
                           bot,user_request,The visitor asked for a \
                           person,accepted,,Ann,2026-03-02T09:00:00Z,2026-03-02T09:00:30Z,2026-03-02T09:20:00Z,30\r\n",
            ),
         ),
         headers(
            (
                "Content-Disposition" = String,
                description = "With `format=csv`: `attachment; \
                               filename=\"handoffs-<from>-<to>.csv\"`."
            ),
         )),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
async fn handoffs(
    State(state): State<AppState>,
    current: CurrentAgent,
    ApiQuery(q): ApiQuery<AnalyticsQuery>,
) -> ApiResult<Response> {
    let (from, to) = parse_range(q.from.as_deref(), q.to.as_deref(), Timestamp::now())?;
    let format = parse_format(q.format.as_deref())?;
    let workspace_id = current.agent.workspace_id;
    let bot = match q.bot_id.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => {
            let id = raw
                .parse::<BotId>()
                .map_err(|_| ApiError::bad_request("bot_id", "bot_id is not a bot id"))?;
            let bot = state.store.bot(id).await?;
            if bot.workspace_id != workspace_id {
                return Err(ApiError::not_found(Entity::Bot));
            }
            Some(bot)
        }
    };
    let range = AnalyticsRange {
        workspace_id,
        bot_id: bot.as_ref().map(|b| b.id),
        from,
        to,
    };
    match format {
        Format::Csv => export(state.store.clone(), range).await,
        Format::Json => {
            let analytics = state.store.handoff_analytics(&range).await?;
            let bots = state.store.bots_of(workspace_id, true).await?;
            let zones: Vec<&str> = match &bot {
                Some(bot) => vec![bot.schedule.timezone_name()],
                None => bots.iter().map(|b| b.schedule.timezone_name()).collect(),
            };
            let time_zone = zones
                .first()
                .filter(|first| zones.iter().all(|z| z == *first))
                .copied();
            let agents: HashMap<String, String> = state
                .store
                .agents(workspace_id)
                .await?
                .into_iter()
                .map(|a| (a.id.to_string(), a.display_name))
                .collect();
            let mut body = render(&range, &analytics, time_zone, &agents);
            // The bots to choose from (archived ones too: their history stays).
            body["bots"] = bots
                .iter()
                .map(|b| json!({ "id": b.id, "name": b.name, "time_zone": b.schedule.timezone_name() }))
                .collect();
            Ok(axum::Json(body).into_response())
        }
    }
}

fn waits(w: &Waits) -> Value {
    json!({
        "count": w.count,
        "p50_seconds": w.p50,
        "p90_seconds": w.p90,
        "max_seconds": w.max,
    })
}

/// The JSON figures (the `HandoffAnalytics` schema of openapi.json).
fn render(
    range: &AnalyticsRange,
    analytics: &HandoffAnalytics,
    time_zone: Option<&str>,
    agent_names: &HashMap<String, String>,
) -> Value {
    let s = &analytics.summary;
    let mut agents: Vec<Value> = s
        .agents
        .iter()
        .map(|(id, figures)| {
            let id = id.to_string();
            json!({
                "agent_id": id,
                "name": agent_names.get(&id),
                "accepted": figures.accepted,
                "resolved": figures.resolved,
                "first_responses": figures.first_response.count,
                "first_response_p50_seconds": figures.first_response.p50,
            })
        })
        .collect();
    agents.sort_by(|a, b| {
        b["accepted"]
            .as_u64()
            .cmp(&a["accepted"].as_u64())
            .then_with(|| a["name"].as_str().cmp(&b["name"].as_str()))
    });
    json!({
        "from": range.from.to_string(),
        "to": range.to.to_string(),
        "bot_id": range.bot_id.map(|b| b.to_string()),
        "time_zone": time_zone,
        "total": s.total,
        "by_trigger": s.by_trigger.iter().map(|(t, n)| (t.as_str().to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "outcomes": s.by_outcome.iter().map(|(o, n)| ((*o).to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "offline_by_reason": s.offline_by_reason.iter().map(|(r, n)| (r.as_str().to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "time_to_accept": waits(&s.time_to_accept),
        "wait_before_cancel": waits(&s.wait_before_cancel),
        "lead_capture": {
            "offers": analytics.lead_capture_offers,
            "tickets_created": analytics.tickets_created,
        },
        "agents": agents,
        "by_hour": s.by_hour.to_vec(),
    })
}

// ---- CSV ---------------------------------------------------------------------------------------

const CSV_HEADER: &str = "id,bot,trigger,reason,outcome,offline_reason,agent,requested_at,\
                          accepted_at,ended_at,seconds_to_accept\r\n";

/// One CSV field: quoted when it holds a comma, a quote or a line break (quotes doubled, RFC
/// 4180); and a text a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'` so it stays text.
fn csv_field(out: &mut String, value: &str) {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = value.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quote {
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn csv_row(out: &mut String, row: &HandoffExportRow) {
    let outcome = Outcome::classify(row.status.as_str(), row.offline_reason)
        .map_or(row.status.as_str(), |o| o.as_str());
    let seconds = row
        .accepted_at
        .map(|a| baton_domain::analytics::seconds_between(row.requested_at, a).to_string());
    let fields = [
        row.id.to_string(),
        row.bot_name.clone(),
        row.trigger.as_str().to_owned(),
        row.reason.clone(),
        outcome.to_owned(),
        row.offline_reason
            .map(|r| r.as_str().to_owned())
            .unwrap_or_default(),
        row.agent_name.clone().unwrap_or_default(),
        row.requested_at.to_string(),
        row.accepted_at.map(|t| t.to_string()).unwrap_or_default(),
        row.ended_at.map(|t| t.to_string()).unwrap_or_default(),
        seconds.unwrap_or_default(),
    ];
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, field);
    }
    out.push_str("\r\n");
}

fn csv_chunk(rows: &[HandoffExportRow], header: bool) -> Bytes {
    let mut out = String::with_capacity(rows.len() * 200 + CSV_HEADER.len());
    if header {
        out.push_str(CSV_HEADER);
    }
    for row in rows {
        csv_row(&mut out, row);
    }
    Bytes::from(out)
}

/// Streams the range's handoffs as CSV, one page per chunk. The first page is read before the
/// response starts, so a database that cannot be read is a proper error status; a failure
/// later cuts the download short (the client sees an incomplete body, never a partial file
/// passed off as whole).
async fn export(store: Store, range: AnalyticsRange) -> ApiResult<Response> {
    let (first, next) = store.handoff_export_page(&range, None, EXPORT_PAGE).await?;
    let filename = format!(
        "attachment; filename=\"handoffs-{}-{}.csv\"",
        range.from.strftime("%Y%m%dT%H%M%SZ"),
        range.to.strftime("%Y%m%dT%H%M%SZ"),
    );
    let head = futures::stream::once(std::future::ready(Ok::<_, std::io::Error>(csv_chunk(
        &first, true,
    ))));
    let rest = futures::stream::unfold(next, move |cursor: Option<ExportCursor>| {
        let store = store.clone();
        let range = range.clone();
        async move {
            let cursor = cursor?;
            match store
                .handoff_export_page(&range, Some(&cursor), EXPORT_PAGE)
                .await
            {
                Ok((rows, next)) => Some((Ok(csv_chunk(&rows, false)), next)),
                Err(e) => {
                    tracing::error!(error = %e, "the handoff export stopped");
                    Some((Err(std::io::Error::other("the export stopped")), None))
                }
            }
        }
    });
    let mut response = Body::from_stream(futures::StreamExt::chain(head, rest)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&filename) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Waits in whole seconds; the percentiles and maximum are null when `count` is 0.
#[derive(ToSchema)]
#[schema(as = Waits)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct WaitsDoc {
    #[schema(minimum = 0)]
    count: i32,
    #[schema(minimum = 0, required = true)]
    p50_seconds: Option<i32>,
    #[schema(minimum = 0, required = true)]
    p90_seconds: Option<i32>,
    #[schema(minimum = 0, required = true)]
    max_seconds: Option<i32>,
}

#[derive(ToSchema)]
#[schema(as = AgentAnalytics)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AgentAnalyticsDoc {
    agent_id: Id,
    /// The agent's display name.
    #[schema(required = true)]
    name: Option<String>,
    /// Handoffs of the range the agent accepted (or joined).
    #[schema(minimum = 0)]
    accepted: i32,
    /// Of those, how many the agent ended by marking the conversation resolved.
    #[schema(minimum = 0)]
    resolved: i32,
    /// Of those, how many the agent wrote in.
    #[schema(minimum = 0)]
    first_responses: i32,
    /// Median time from accepting to the agent's first message in the conversation.
    #[schema(minimum = 0, required = true)]
    first_response_p50_seconds: Option<i32>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct HandoffAnalyticsBotsItemDoc {
    id: Id,
    name: String,
    /// The bot's schedule's time zone.
    time_zone: String,
}

/// Every trigger with its count.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct HandoffAnalyticsByTriggerDoc {
    #[schema(minimum = 0)]
    user_request: i32,
    #[schema(minimum = 0)]
    frustration: i32,
    #[schema(minimum = 0)]
    complex_issue: i32,
    #[schema(minimum = 0)]
    sales_opportunity: i32,
    #[schema(minimum = 0)]
    other: i32,
}

/// `accepted` (including those since handed back or resolved), `cancelled` by the visitor,
/// `expired` (nobody accepted before the deadline), `offline` (no live handoff could be offered),
/// still `waiting`, and `routed` into FreshChat.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct HandoffAnalyticsOutcomesDoc {
    #[schema(minimum = 0)]
    accepted: i32,
    #[schema(minimum = 0)]
    cancelled: i32,
    #[schema(minimum = 0)]
    expired: i32,
    #[schema(minimum = 0)]
    offline: i32,
    #[schema(minimum = 0)]
    waiting: i32,
    #[schema(minimum = 0)]
    routed: i32,
}

/// The `offline` handoffs by their offline reason.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct HandoffAnalyticsOfflineByReasonDoc {
    #[schema(minimum = 0)]
    handoff_disabled: i32,
    #[schema(minimum = 0)]
    never_available: i32,
    #[schema(minimum = 0)]
    schedule_closed: i32,
    #[schema(minimum = 0)]
    nobody_available: i32,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct HandoffAnalyticsLeadCaptureDoc {
    /// Times a visitor was asked for contact details (after an offline or expired handoff, or on
    /// asking to leave a ticket).
    #[schema(minimum = 0)]
    offers: i32,
    #[schema(minimum = 0)]
    tickets_created: i32,
}

#[derive(ToSchema)]
#[schema(as = HandoffAnalytics)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct HandoffAnalyticsDoc {
    from: super::openapi::Timestamp,
    to: super::openapi::Timestamp,
    /// The bot asked for; null for every bot.
    #[schema(format = Uuid, required = true)]
    bot_id: Option<String>,
    /// The zone `by_hour` is read in, when it is one zone (one bot, or bots that share a zone);
    /// null when the bots' zones differ (each handoff is then read in its own bot's).
    #[schema(required = true)]
    time_zone: Option<String>,
    /// The workspace's bots (archived ones too), to choose from.
    #[schema(inline)]
    bots: Vec<HandoffAnalyticsBotsItemDoc>,
    /// Handoffs requested in the range.
    #[schema(minimum = 0)]
    total: i32,
    #[schema(inline)]
    by_trigger: HandoffAnalyticsByTriggerDoc,
    #[schema(inline)]
    outcomes: HandoffAnalyticsOutcomesDoc,
    #[schema(inline)]
    offline_by_reason: HandoffAnalyticsOfflineByReasonDoc,
    /// From request to acceptance, over the accepted handoffs that waited in the queue.
    time_to_accept: WaitsDoc,
    /// From request to the visitor cancelling.
    wait_before_cancel: WaitsDoc,
    #[schema(inline)]
    lead_capture: HandoffAnalyticsLeadCaptureDoc,
    /// Agents who accepted handoffs in the range, most accepted first.
    agents: Vec<AgentAnalyticsDoc>,
    /// Handoffs requested in each hour of the day, 00 first.
    #[schema(schema_with = by_hour_schema)]
    by_hour: Vec<i32>,
}

fn by_hour_schema() -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(ArrayItems::RefOrSchema(Box::new(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0))
                    .into(),
            )))
            .min_items(Some(24))
            .max_items(Some(24))
            .description(Some(
                "Handoffs requested in each hour of the day, 00 first.",
            ))
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(value: &str) -> String {
        let mut out = String::new();
        csv_field(&mut out, value);
        out
    }

    #[test]
    fn csv_fields_are_escaped() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field(""), "");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn spreadsheet_formulas_stay_text() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-2"), "'-2");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tcmd"), "'\tcmd");
        assert_eq!(field("a=b"), "a=b");
    }

    #[test]
    fn ranges_default_and_are_checked() {
        let now: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let (from, to) = parse_range(None, None, now).unwrap();
        assert_eq!(to, now);
        assert_eq!(from.to_string(), "2026-03-03T12:00:00Z");
        let (from, to) = parse_range(None, Some("2026-02-08T00:00:00+01:00"), now).unwrap();
        assert_eq!(to.to_string(), "2026-02-07T23:00:00Z");
        assert_eq!(from.to_string(), "2026-01-31T23:00:00Z");
        let err = parse_range(Some("yesterday"), None, now).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("from"));
        let err = parse_range(None, Some("2026-13-01T00:00:00Z"), now).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("to"));
        let err = parse_range(Some("2026-03-11T00:00:00Z"), None, now).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("from"));
        // 400 days exactly is allowed; a second more is not.
        assert!(parse_range(Some("2025-02-03T12:00:00Z"), None, now).is_ok());
        let err = parse_range(Some("2025-02-03T11:59:59Z"), None, now).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("from"));
        assert_eq!(parse_format(Some("csv")).unwrap(), Format::Csv);
        assert_eq!(parse_format(None).unwrap(), Format::Json);
        assert_eq!(
            parse_format(Some("xlsx")).unwrap_err().field.as_deref(),
            Some("format")
        );
    }
}

//! Handoff analytics: a scripted day of handoffs at chosen instants, checked to the second; the
//! CSV export; the real offline flow counted; bad input, other workspaces and missing sessions.

use baton_domain::handoff::{OfflineReason, Trigger};
use baton_domain::ids::{AgentId, BotId, ConversationId, HandoffId, WorkspaceId};
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::schedule::Schedule;
use baton_storage::{Handoff, HandoffStatus, NewMessage, SeededHandoff};
use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const DAY: &str = "from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z";

fn at(time: &str) -> Timestamp {
    format!("2026-03-02T{time}Z").parse().unwrap()
}

/// A handoff of `bot` requested at `requested` (a time of 2 March 2026, UTC) with its own
/// conversation; the caller fills in what became of it.
fn handoff(workspace: WorkspaceId, bot: BotId, trigger: Trigger, requested: &str) -> Handoff {
    Handoff {
        id: HandoffId::new(),
        workspace_id: workspace,
        conversation_id: ConversationId::new(),
        bot_id: bot,
        trigger,
        reason: "The visitor asked for a person".into(),
        summary: None,
        status: HandoffStatus::Waiting,
        offline_reason: None,
        agent_id: None,
        requested_at: at(requested),
        deadline_at: Some(at(requested) + jiff::SignedDuration::from_mins(2)),
        accepted_at: None,
        ended_at: None,
        escalated_at: None,
    }
}

fn accepted(mut h: Handoff, agent: AgentId, accepted: &str, ended: Option<&str>) -> Handoff {
    h.status = if ended.is_some() {
        HandoffStatus::Ended
    } else {
        HandoffStatus::Accepted
    };
    h.agent_id = Some(agent);
    h.accepted_at = Some(at(accepted));
    h.ended_at = ended.map(at);
    h
}

fn agent_says(agent: AgentId, time: &str) -> (NewMessage, Timestamp) {
    let message = NewMessage {
        kind: MessageKind::Text,
        author_kind: AuthorKind::Agent,
        author_agent_id: Some(agent),
        author_name: Some("Agent".into()),
        body: "Hello, how can I help?".into(),
        client_id: None,
        data: None,
    };
    (message, at(time))
}

fn event(kind: MessageKind, time: &str) -> (NewMessage, Timestamp) {
    (NewMessage::system(kind, "event", json!({})), at(time))
}

fn seed(handoff: Handoff, messages: Vec<(NewMessage, Timestamp)>) -> SeededHandoff {
    SeededHandoff {
        handoff,
        messages,
        ticket_at: None,
    }
}

struct Scenario {
    app: TestApp,
    ann: AgentClient,
    bo: AgentClient,
    berlin_bot: BotId,
}

/// One day, 2 March 2026 (UTC), on the app's bot (UTC) and a second bot in Berlin (UTC+1):
///
/// | # | bot    | trigger           | requested | what happened                                    |
/// |---|--------|-------------------|-----------|--------------------------------------------------|
/// | 1 | main   | user_request      | 09:00:00  | Ann accepts 09:00:30, writes 09:00:45, resolves  |
/// | 2 | main   | frustration       | 10:00:00  | Ann accepts 10:01:30, writes 10:02:00; still open|
/// | 3 | berlin | complex_issue     | 11:00:00  | Bo accepts 11:00:10, writes 11:01:10, hands back |
/// | 4 | main   | user_request      | 12:00:00  | cancelled 12:00:20                               |
/// | 5 | main   | user_request      | 12:30:00  | expired 12:32:00; lead offered; ticket 12:33:00  |
/// | 6 | main   | sales_opportunity | 22:00:00  | offline (schedule closed); lead offered          |
/// | 7 | berlin | user_request      | 23:30:00  | offline (nobody available)                       |
/// | 8 | main   | user_request      | 13:00:00  | still waiting                                    |
/// | 9 | main   | other             | 14:00:00  | Bo joins on his own; writes 14:00:05             |
///
/// Plus handoffs just outside the day and one of another workspace, which count nowhere.
async fn scenario() -> Scenario {
    let app = spawn_app().await;
    let ann = app.agent("Ann").await;
    let bo = app.agent("Bo").await;
    let ann_id: AgentId = ann.id.parse().unwrap();
    let bo_id: AgentId = bo.id.parse().unwrap();
    let store = app.store();
    let berlin = store
        .add_bot(app.workspace.id, "Berlin bot", "Hallo", "")
        .await
        .unwrap();
    let schedule = Schedule::parse_json(
        &json!({ "timezone": "Europe/Berlin", "weekly": {}, "overrides": [] }).to_string(),
    )
    .unwrap();
    store.update_schedule(berlin.id, &schedule).await.unwrap();
    let (other_workspace, other_bot) = app.other_workspace().await;
    let (ws, main) = (app.workspace.id, app.bot.id);

    let mut seeds = vec![
        seed(
            accepted(
                handoff(ws, main, Trigger::UserRequest, "09:00:00"),
                ann_id,
                "09:00:30",
                Some("09:20:00"),
            ),
            vec![
                event(MessageKind::AgentJoined, "09:00:30"),
                agent_says(ann_id, "09:00:45"),
                agent_says(ann_id, "09:05:00"),
                (
                    NewMessage::system(MessageKind::AgentLeft, "Ann left", json!(null)),
                    at("09:20:00"),
                ),
            ],
        ),
        seed(
            accepted(
                handoff(ws, main, Trigger::Frustration, "10:00:00"),
                ann_id,
                "10:01:30",
                None,
            ),
            // Bo's message does not count for Ann; nor does Ann's before she accepted.
            vec![
                agent_says(ann_id, "09:59:00"),
                agent_says(bo_id, "10:01:40"),
                agent_says(ann_id, "10:02:00"),
            ],
        ),
        seed(
            accepted(
                handoff(ws, berlin.id, Trigger::ComplexIssue, "11:00:00"),
                bo_id,
                "11:00:10",
                Some("11:30:00"),
            ),
            vec![
                agent_says(bo_id, "11:01:10"),
                event(MessageKind::HandedBack, "11:30:00"),
            ],
        ),
    ];
    let mut cancelled = handoff(ws, main, Trigger::UserRequest, "12:00:00");
    cancelled.status = HandoffStatus::Cancelled;
    cancelled.ended_at = Some(at("12:00:20"));
    seeds.push(seed(cancelled, vec![]));

    let mut expired = handoff(ws, main, Trigger::UserRequest, "12:30:00");
    expired.status = HandoffStatus::Expired;
    expired.offline_reason = Some(OfflineReason::NobodyAccepted);
    expired.ended_at = Some(at("12:32:00"));
    seeds.push(SeededHandoff {
        handoff: expired,
        messages: vec![event(MessageKind::LeadRequested, "12:32:00")],
        ticket_at: Some(at("12:33:00")),
    });

    let offline = |bot, trigger, time: &str, reason| {
        let mut h = handoff(ws, bot, trigger, time);
        h.status = HandoffStatus::Offline;
        h.offline_reason = Some(reason);
        h.deadline_at = None;
        h.ended_at = Some(h.requested_at);
        h
    };
    seeds.push(seed(
        offline(
            main,
            Trigger::SalesOpportunity,
            "22:00:00",
            OfflineReason::ScheduleClosed,
        ),
        vec![event(MessageKind::LeadRequested, "22:00:00")],
    ));
    seeds.push(seed(
        offline(
            berlin.id,
            Trigger::UserRequest,
            "23:30:00",
            OfflineReason::NobodyAvailable,
        ),
        vec![],
    ));
    seeds.push(seed(
        handoff(ws, main, Trigger::UserRequest, "13:00:00"),
        vec![],
    ));
    let mut joined = accepted(
        handoff(ws, main, Trigger::Other, "14:00:00"),
        bo_id,
        "14:00:00",
        None,
    );
    joined.deadline_at = None;
    seeds.push(seed(joined, vec![agent_says(bo_id, "14:00:05")]));

    // Outside the range (it is half-open: the end instant is excluded), or another workspace.
    let mut before = handoff(ws, main, Trigger::UserRequest, "00:00:00");
    before.requested_at = "2026-03-01T23:59:59Z".parse().unwrap();
    seeds.push(seed(before, vec![]));
    let mut after = handoff(ws, main, Trigger::UserRequest, "00:00:00");
    after.requested_at = "2026-03-03T00:00:00Z".parse().unwrap();
    seeds.push(SeededHandoff {
        handoff: after,
        messages: vec![(
            NewMessage::system(MessageKind::LeadRequested, "x", json!({})),
            "2026-03-03T00:00:00Z".parse().unwrap(),
        )],
        ticket_at: Some("2026-03-03T00:00:00Z".parse().unwrap()),
    });
    let mut elsewhere = handoff(
        other_workspace.id,
        other_bot.id,
        Trigger::UserRequest,
        "12:00:00",
    );
    elsewhere.status = HandoffStatus::Cancelled;
    elsewhere.ended_at = Some(at("12:00:05"));
    seeds.push(SeededHandoff {
        handoff: elsewhere,
        messages: vec![event(MessageKind::LeadRequested, "12:00:06")],
        ticket_at: Some(at("12:00:07")),
    });
    store.seed_handoffs(seeds).await.unwrap();
    Scenario {
        app,
        ann,
        bo,
        berlin_bot: berlin.id,
    }
}

async fn figures(agent: &AgentClient, query: &str) -> Value {
    let response = agent
        .get(&format!("/api/v1/analytics/handoffs?{query}"))
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn a_scripted_day_is_counted_to_the_second() {
    let s = scenario().await;
    let body = figures(&s.ann, DAY).await;

    assert_eq!(body["from"], "2026-03-02T00:00:00Z");
    assert_eq!(body["to"], "2026-03-03T00:00:00Z");
    assert_eq!(body["bot_id"], Value::Null);
    // Two bots in two zones: each handoff is read in its own bot's zone.
    assert_eq!(body["time_zone"], Value::Null);
    assert_eq!(body["total"], 9);
    assert_eq!(
        body["by_trigger"],
        json!({ "user_request": 5, "frustration": 1, "complex_issue": 1,
                "sales_opportunity": 1, "other": 1 })
    );
    assert_eq!(
        body["outcomes"],
        json!({ "accepted": 4, "cancelled": 1, "expired": 1, "offline": 2, "waiting": 1,
                "routed": 0 })
    );
    assert_eq!(
        body["offline_by_reason"],
        json!({ "handoff_disabled": 0, "never_available": 0, "schedule_closed": 1,
                "nobody_available": 1 })
    );
    // Waits of 30, 90 and 10 seconds (Bo joining on his own never waited).
    assert_eq!(
        body["time_to_accept"],
        json!({ "count": 3, "p50_seconds": 30, "p90_seconds": 90, "max_seconds": 90 })
    );
    assert_eq!(body["wait_before_cancel"]["count"], 1);
    assert_eq!(body["wait_before_cancel"]["p50_seconds"], 20);
    assert_eq!(
        body["lead_capture"],
        json!({ "offers": 2, "tickets_created": 1 })
    );
    assert_eq!(
        body["agents"],
        json!([
            { "agent_id": s.ann.id, "name": "Ann", "accepted": 2, "resolved": 1,
              "first_responses": 2, "first_response_p50_seconds": 15 },
            { "agent_id": s.bo.id, "name": "Bo", "accepted": 2, "resolved": 0,
              "first_responses": 2, "first_response_p50_seconds": 5 },
        ])
    );
    let mut hours = vec![0; 24];
    // Main bot (UTC): 09, 10, 12, 12:30, 13, 14, 22. Berlin: 11 UTC is 12; 23:30 UTC is 00:30.
    for hour in [9, 10, 12, 12, 13, 14, 22, 12, 0] {
        hours[hour] += 1;
    }
    assert_eq!(body["by_hour"], json!(hours));

    // Any agent of the workspace sees the same figures.
    assert_eq!(figures(&s.bo, DAY).await, body);
}

#[tokio::test]
async fn one_bot_in_its_own_time_zone() {
    let s = scenario().await;
    let body = figures(&s.ann, &format!("{DAY}&bot_id={}", s.berlin_bot)).await;
    assert_eq!(body["bot_id"], s.berlin_bot.to_string());
    assert_eq!(body["time_zone"], "Europe/Berlin");
    assert_eq!(body["total"], 2);
    assert_eq!(body["outcomes"]["accepted"], 1);
    assert_eq!(body["outcomes"]["offline"], 1);
    assert_eq!(body["offline_by_reason"]["nobody_available"], 1);
    assert_eq!(
        body["time_to_accept"],
        json!({ "count": 1, "p50_seconds": 10, "p90_seconds": 10, "max_seconds": 10 })
    );
    assert_eq!(body["wait_before_cancel"]["p50_seconds"], Value::Null);
    assert_eq!(
        body["lead_capture"],
        json!({ "offers": 0, "tickets_created": 0 })
    );
    assert_eq!(
        body["agents"],
        json!([{ "agent_id": s.bo.id, "name": "Bo", "accepted": 1, "resolved": 0,
                 "first_responses": 1, "first_response_p50_seconds": 60 }])
    );
    let mut hours = vec![0; 24];
    hours[12] = 1;
    hours[0] = 1;
    assert_eq!(body["by_hour"], json!(hours));

    // A narrower range: 09:00 to 12:00 on the main bot.
    let body = figures(
        &s.ann,
        &format!(
            "from=2026-03-02T09:00:00Z&to=2026-03-02T12:00:00Z&bot_id={}",
            s.app.bot.id
        ),
    )
    .await;
    assert_eq!(body["total"], 2);
    assert_eq!(body["time_zone"], "UTC");
    assert_eq!(body["time_to_accept"]["p50_seconds"], 30);
}

#[tokio::test]
async fn the_csv_lists_every_handoff_escaped_and_streamed() {
    let s = scenario().await;
    let response = s
        .ann
        .get(&format!("/api/v1/analytics/handoffs?{DAY}&format=csv"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"handoffs-20260302T000000Z-20260303T000000Z.csv\""
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,bot,trigger,reason,outcome,offline_reason,agent,requested_at,accepted_at,ended_at,\
         seconds_to_accept"
    );
    // Nine handoffs, oldest first, and the final line break.
    assert_eq!(lines.len(), 11, "{text}");
    assert_eq!(lines[10], "");
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(
        &first[1..],
        [
            "Test bot",
            "user_request",
            "The visitor asked for a person",
            "accepted",
            "",
            "Ann",
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:00:30Z",
            "2026-03-02T09:20:00Z",
            "30"
        ]
    );
    assert!(lines[2].contains(",frustration,") && lines[2].ends_with(",90"));
    let offline = lines
        .iter()
        .find(|l| l.contains("schedule_closed"))
        .unwrap();
    assert!(offline.contains(",offline,schedule_closed,,2026-03-02T22:00:00Z,,"));
    let expired = lines.iter().find(|l| l.contains(",expired,")).unwrap();
    assert!(
        expired.ends_with(",expired,nobody_accepted,,2026-03-02T12:30:00Z,,2026-03-02T12:32:00Z,")
    );
}

#[tokio::test]
async fn csv_fields_that_look_like_formulas_stay_text() {
    let app = spawn_app().await;
    let agent = app.agent("Ann").await;
    // A display name a spreadsheet would run (this agent never logs in).
    let eve = app
        .store()
        .create_agent(&baton_storage::NewAgent {
            workspace_id: app.workspace.id,
            email: "eve@example.com".into(),
            display_name: "=Eve".into(),
            password_hash: "not a hash".into(),
            role: baton_storage::Role::Agent,
            max_chats: 5,
        })
        .await
        .unwrap();
    let agent_id = eve.id;
    let mut h = handoff(app.workspace.id, app.bot.id, Trigger::Other, "10:00:00");
    h.reason = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
    let h = accepted(h, agent_id, "10:00:02", None);
    app.store()
        .seed_handoffs(vec![seed(h, vec![])])
        .await
        .unwrap();
    let text = agent
        .get(&format!("/api/v1/analytics/handoffs?{DAY}&format=csv"))
        .await
        .text()
        .await
        .unwrap();
    let row = text.split("\r\n").nth(1).unwrap();
    assert!(
        row.contains(
            ",other,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",accepted,,'=Eve,"
        ),
        "{row}"
    );
}

#[tokio::test]
async fn a_long_export_arrives_whole_across_pages() {
    let app = spawn_app().await;
    let agent = app.agent("Ann").await;
    let (ws, bot) = (app.workspace.id, app.bot.id);
    // More than two pages of the export, several handoffs per instant (the cursor breaks ties
    // by id).
    let seeds: Vec<SeededHandoff> = (0..2500)
        .map(|i| {
            let mut h = handoff(ws, bot, Trigger::UserRequest, "08:00:00");
            h.requested_at = at("08:00:00") + jiff::SignedDuration::from_secs(i / 3);
            seed(h, vec![])
        })
        .collect();
    app.store().seed_handoffs(seeds).await.unwrap();
    let text = agent
        .get(&format!("/api/v1/analytics/handoffs?{DAY}&format=csv"))
        .await
        .text()
        .await
        .unwrap();
    let ids: std::collections::BTreeSet<&str> = text
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 2500);
    assert_eq!(figures(&agent, DAY).await["outcomes"]["waiting"], 2500);
}

#[tokio::test]
async fn the_real_offline_flow_is_counted() {
    let app = spawn_app().await;
    let agent = app.agent("Ann").await;
    let from = Timestamp::now() - jiff::SignedDuration::from_mins(1);
    // Nobody online: the handoff is offline and the visitor is asked for details.
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    visitor.request_handoff().await;
    widget.next_message("lead_requested").await;
    let response = visitor
        .http
        .post(visitor.url("/lead"))
        .bearer_auth(&visitor.token)
        .json(&json!({ "client_id": "f1", "email": "ana@example.com" }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let to = Timestamp::now() + jiff::SignedDuration::from_mins(1);
    let body = figures(&agent, &format!("from={from}&to={to}")).await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["outcomes"]["offline"], 1);
    assert_eq!(body["offline_by_reason"]["nobody_available"], 1);
    assert_eq!(body["by_trigger"]["user_request"], 1);
    assert_eq!(
        body["lead_capture"],
        json!({ "offers": 1, "tickets_created": 1 })
    );
    // The default range is the last seven days.
    let default = figures(&agent, "").await;
    assert_eq!(default["total"], 1);
}

#[tokio::test]
async fn bad_input_names_the_parameter() {
    let app = spawn_app().await;
    let agent = app.agent("Ann").await;
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2026-02-30T00:00:00Z", "to"),
        ("from=2026-03-02", "from"),
        ("from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z", "from"),
        ("from=2025-01-01T00:00:00Z&to=2026-03-02T00:00:00Z", "from"),
        ("format=xlsx", "format"),
        ("bot_id=not-a-bot", "bot_id"),
        ("colour=blue", "query"),
    ] {
        let response = agent
            .get(&format!("/api/v1/analytics/handoffs?{query}"))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid", "{query}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
}

#[tokio::test]
async fn other_workspaces_bots_and_missing_sessions_are_refused() {
    let app = spawn_app().await;
    let agent = app.agent("Ann").await;
    let (_, other_bot) = app.other_workspace().await;
    for format in ["json", "csv"] {
        let response = agent
            .get(&format!(
                "/api/v1/analytics/handoffs?bot_id={}&format={format}",
                other_bot.id
            ))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
    }
    let response = reqwest::get(format!("{}/api/v1/analytics/handoffs?format=csv", app.base))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}

//! Availability schedules decide whether a live handoff is offered.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::Role;

async fn put_schedule(admin: &AgentClient, bot: &str, schedule: Value) -> reqwest::Response {
    admin
        .put(&format!("/api/v1/bots/{bot}/schedule"), schedule)
        .await
}

#[tokio::test]
async fn a_closed_schedule_takes_the_offline_path_even_with_agents_online() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let _panel = admin.panel().await;
    // Open only on one holiday date far in the past: closed now.
    let closed = json!({ "timezone": "Europe/Berlin", "weekly": {}, "overrides": [] });
    assert_eq!(
        put_schedule(&admin, &app.bot.id.to_string(), closed)
            .await
            .status(),
        StatusCode::OK
    );
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    let body: Value = visitor.request_handoff().await.json().await.unwrap();
    assert_eq!(body["handoff"]["offline_reason"], "schedule_closed");
    let text = widget.next_message("handoff_offline").await["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(text.contains("outside its working hours"), "{text}");
}

#[tokio::test]
async fn never_available_always_takes_the_offline_path() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let _panel = admin.panel().await;
    let mut always = json!({ "timezone": "UTC", "never_available": true, "weekly": {} });
    for day in [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ] {
        always["weekly"][day] =
            json!({ "enabled": true, "slots": [{ "start": "00:00", "end": "24:00" }] });
    }
    assert_eq!(
        put_schedule(&admin, &app.bot.id.to_string(), always)
            .await
            .status(),
        StatusCode::OK
    );
    for _ in 0..3 {
        let visitor = app.visitor().await;
        let body: Value = visitor.request_handoff().await.json().await.unwrap();
        assert_eq!(body["handoff"]["offline_reason"], "never_available");
    }
}

#[tokio::test]
async fn an_invalid_schedule_names_every_field_and_saves_nothing() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let bot = app.bot.id.to_string();
    let bad = json!({
        "timezone": "Mars/Olympus",
        "weekly": { "monday": { "enabled": true, "slots": [
            { "start": "09:00", "end": "12:00" }, { "start": "11:00", "end": "13:00" }
        ] } }
    });
    let response = put_schedule(&admin, &bot, bad).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    let fields: Vec<&str> = body["error"]["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"timezone"), "{body}");
    assert!(fields.contains(&"weekly.monday.slots[1]"), "{body}");
    let saved: Value = admin
        .get(&format!("/api/v1/bots/{bot}/schedule"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        saved["timezone"], "UTC",
        "the old schedule is kept: {saved}"
    );
}

#[tokio::test]
async fn availability_previews_an_instant_and_the_next_change() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let _panel = admin.panel().await;
    let bot = app.bot.id.to_string();
    let schedule = json!({ "timezone": "America/New_York", "weekly": {
        "wednesday": { "enabled": true, "slots": [{ "start": "09:00", "end": "17:00" }] }
    } });
    assert_eq!(
        put_schedule(&admin, &bot, schedule).await.status(),
        StatusCode::OK
    );
    // Wednesday 2026-11-25 10:00 in New York (UTC-5) is 15:00Z: open until 22:00Z.
    let open: Value = admin
        .get(&format!(
            "/api/v1/bots/{bot}/availability?at=2026-11-25T15:00:00Z"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(open["schedule_open"], true);
    assert_eq!(open["live"], true);
    assert_eq!(open["agents_with_capacity"], 1);
    assert_eq!(open["next_change"], "2026-11-25T22:00:00Z");
    let closed: Value = admin
        .get(&format!(
            "/api/v1/bots/{bot}/availability?at=2026-11-25T23:00:00Z"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["live"], false);
    assert_eq!(closed["reason"], "schedule_closed");
    assert_eq!(closed["next_change"], "2026-12-02T14:00:00Z");
    let response = admin
        .get(&format!("/api/v1/bots/{bot}/availability?at=yesterday"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // The widget's public view has no agent counts.
    let public: Value = reqwest::get(format!(
        "{}/api/v1/widget/bots/{bot}/availability",
        app.base
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(public.get("agents_with_capacity").is_none());
    assert!(public["live"].is_boolean());
}

#[tokio::test]
async fn the_handoff_tool_saves_settings_and_schedule_together_or_not_at_all() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let path = format!("/api/v1/bots/{}/handoff", app.bot.id);
    let loaded: Value = admin.get(&path).await.json().await.unwrap();
    let mut settings = loaded["settings"].clone();
    assert_eq!(settings["lead_capture_enabled"], true);
    assert_eq!(settings["ai_triggers"]["frustration"], "medium");
    let put = |body: Value| {
        admin
            .http
            .put(format!("{}{path}", admin.base))
            .header("x-csrf-token", &admin.csrf)
            .json(&body)
            .send()
    };
    let good_schedule = json!({ "timezone": "Europe/Berlin", "weekly": {
        "monday": { "enabled": true, "slots": [{ "start": "09:00", "end": "12:00" }, { "start": "14:00", "end": "18:00" }] }
    }, "overrides": [{ "date": "2026-12-25", "slots": [] }] });

    settings["instruction"] = json!("   ");
    let response = put(json!({ "settings": settings, "schedule": good_schedule }))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "settings.instruction");

    settings["instruction"] = json!("Hand off when asked.");
    let bad_schedule = json!({ "timezone": "Nowhere/Atlantis", "weekly": {} });
    let response = put(json!({ "settings": settings, "schedule": bad_schedule }))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "schedule.timezone");

    let unchanged: Value = admin.get(&path).await.json().await.unwrap();
    assert_eq!(unchanged, loaded, "nothing half-valid is saved");

    settings["ai_triggers"]["sales_opportunity"] = json!("off");
    let response = put(json!({ "settings": settings, "schedule": good_schedule }))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let saved: Value = admin.get(&path).await.json().await.unwrap();
    assert_eq!(saved["settings"]["instruction"], "Hand off when asked.");
    assert_eq!(saved["settings"]["ai_triggers"]["sales_opportunity"], "off");
    assert_eq!(saved["schedule"]["timezone"], "Europe/Berlin");
    assert_eq!(saved["schedule"]["overrides"][0]["date"], "2026-12-25");
    let zones: Value = admin.get("/api/v1/timezones").await.json().await.unwrap();
    assert!(
        zones["timezones"]
            .as_array()
            .unwrap()
            .iter()
            .any(|z| z == "Asia/Kathmandu")
    );
}

async fn preview(admin: &AgentClient, bot: &str, at: &str, schedule: Value) -> reqwest::Response {
    admin
        .post(
            &format!("/api/v1/bots/{bot}/schedule/preview?at={at}"),
            Some(schedule),
        )
        .await
}

#[tokio::test]
async fn the_preview_evaluates_an_unsaved_schedule_and_saves_nothing() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let bot = app.bot.id.to_string();
    let schedule = json!({ "timezone": "America/New_York", "weekly": {
        "wednesday": { "enabled": true, "slots": [{ "start": "09:00", "end": "17:00" }] }
    } });
    // Wednesday 2026-11-25 10:00 in New York (UTC-5) is 15:00Z: open until 22:00Z.
    let response = preview(&admin, &bot, "2026-11-25T15:00:00Z", schedule.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let open: Value = response.json().await.unwrap();
    assert_eq!(open["open"], true, "{open}");
    assert_eq!(open["next_change"], "2026-11-25T22:00:00Z", "{open}");
    assert_eq!(open["timezone"], "America/New_York");
    assert_eq!(open["never_available"], false);
    let closed: Value = preview(&admin, &bot, "2026-11-25T23:00:00Z", schedule)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["open"], false, "{closed}");
    assert_eq!(closed["next_change"], "2026-12-02T14:00:00Z", "{closed}");
    // Nothing was stored: the bot keeps its always-open UTC schedule.
    let saved: Value = admin
        .get(&format!("/api/v1/bots/{bot}/schedule"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["timezone"], "UTC", "{saved}");
}

#[tokio::test]
async fn the_preview_agrees_with_the_engine_across_a_dst_gap_and_when_never_available() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let bot = app.bot.id.to_string();
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let every = |start: &str, end: &str| {
        let mut weekly = json!({});
        for day in days {
            weekly[day] = json!({ "enabled": true, "slots": [{ "start": start, "end": end }] });
        }
        weekly
    };
    let cases = [
        // New York springs forward at 02:00 on 2026-03-08: a slot starting in the gap opens after it.
        (
            json!({ "timezone": "America/New_York", "weekly": every("02:30", "04:00") }),
            "2026-03-08T06:00:00Z",
        ),
        // Lord Howe's half-hour shift.
        (
            json!({ "timezone": "Australia/Lord_Howe", "weekly": every("02:00", "02:45") }),
            "2026-10-03T14:00:00Z",
        ),
        (
            json!({ "timezone": "Europe/Berlin", "never_available": true, "weekly": every("09:00", "17:00") }),
            "2026-06-01T10:00:00Z",
        ),
    ];
    for (doc, at) in cases {
        let engine = baton_domain::schedule::Schedule::parse_json(&doc.to_string()).unwrap();
        let instant: jiff::Timestamp = at.parse().unwrap();
        let expected_next = engine.next_change(instant).map(|t| format!("{t:.0}"));
        let answer: Value = preview(&admin, &bot, at, doc.clone())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(answer["open"], engine.is_open(instant), "{doc} at {at}");
        assert_eq!(answer["next_change"], json!(expected_next), "{doc} at {at}");
        assert_eq!(answer["never_available"], doc["never_available"] == true);
    }
}

#[tokio::test]
async fn an_invalid_preview_gets_the_same_field_errors_as_saving() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let bot = app.bot.id.to_string();
    let bad = json!({
        "timezone": "Mars/Olympus",
        "weekly": { "monday": { "enabled": true, "slots": [
            { "start": "09:00", "end": "12:00" }, { "start": "11:00", "end": "13:00" }
        ] } }
    });
    let previewed = preview(&admin, &bot, "2026-11-25T15:00:00Z", bad.clone()).await;
    assert_eq!(previewed.status(), StatusCode::BAD_REQUEST);
    let previewed: Value = previewed.json().await.unwrap();
    let saved = put_schedule(&admin, &bot, bad).await;
    assert_eq!(saved.status(), StatusCode::BAD_REQUEST);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(previewed, saved);
    assert_eq!(previewed["error"]["field"], "timezone", "{previewed}");

    // A structural problem names the body; a bad instant names `at`.
    let wrong = preview(
        &admin,
        &bot,
        "2026-11-25T15:00:00Z",
        json!({ "timezone": 5 }),
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let wrong: Value = wrong.json().await.unwrap();
    assert_eq!(wrong["error"]["field"], "body", "{wrong}");
    let when = preview(&admin, &bot, "tomorrow", json!({ "timezone": "UTC" })).await;
    assert_eq!(when.status(), StatusCode::BAD_REQUEST);
    let when: Value = when.json().await.unwrap();
    assert_eq!(when["error"]["field"], "at", "{when}");
}

#[tokio::test]
async fn the_preview_is_for_admins_of_the_bots_workspace() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let agent = app.agent("Ann").await;
    let (_, theirs) = app.other_workspace().await;
    let doc = json!({ "timezone": "UTC" });
    let at = "2026-11-25T15:00:00Z";
    let other = preview(&admin, &theirs.id.to_string(), at, doc.clone()).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let not_admin = preview(&agent, &app.bot.id.to_string(), at, doc).await;
    assert_eq!(not_admin.status(), StatusCode::FORBIDDEN);
}

/// The largest schedule the rules allow: every day of the week and a whole (leap) year of dated
/// exceptions, each with the most slots a day may have.
fn largest_schedule() -> Value {
    use baton_domain::schedule::{MAX_OVERRIDES, MAX_SLOTS_PER_DAY};
    let slots: Vec<Value> = (0..MAX_SLOTS_PER_DAY)
        .map(|i| json!({ "start": format!("{:02}:00", 2 * i), "end": format!("{:02}:30", 2 * i) }))
        .collect();
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let weekly: serde_json::Map<String, Value> = days
        .iter()
        .map(|d| (d.to_string(), json!({ "enabled": true, "slots": slots })))
        .collect();
    let month_days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let overrides: Vec<Value> = month_days
        .iter()
        .enumerate()
        .flat_map(|(m, &n)| (1..=n).map(move |d| format!("2028-{:02}-{d:02}", m + 1)))
        .take(MAX_OVERRIDES)
        .map(|date| json!({ "date": date, "slots": slots }))
        .collect();
    assert_eq!(overrides.len(), MAX_OVERRIDES);
    json!({ "timezone": "Europe/Berlin", "weekly": weekly, "overrides": overrides })
}

#[tokio::test]
async fn the_largest_valid_schedule_is_saved_previewed_and_saved_with_the_settings() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Admin", Role::Admin, 5).await;
    let bot = app.bot.id.to_string();
    let schedule = largest_schedule();
    assert!(schedule.to_string().len() > 100_000, "it is a big document");
    let response = put_schedule(&admin, &bot, schedule.clone()).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let response = preview(&admin, &bot, "2028-03-01T10:00:00Z", schedule.clone()).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let path = format!("/api/v1/bots/{bot}/handoff");
    let loaded: Value = admin.get(&path).await.json().await.unwrap();
    let body = json!({ "settings": loaded["settings"], "schedule": schedule });
    let response = admin.put(&path, body).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let saved: Value = admin
        .get(&format!("/api/v1/bots/{bot}/schedule"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["overrides"].as_array().map(Vec::len), Some(366));
}

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

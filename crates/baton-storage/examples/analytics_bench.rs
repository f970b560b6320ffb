//! How fast the handoff analytics read 100,000 handoffs.
//!
//! Seeds a fresh database with a year of handoffs (default 100,000) on four bots in four time
//! zones, answered by ten agents: 60 % accepted (two agent messages each, half resolved), 10 %
//! cancelled, 10 % expired and 15 % offline (each with a lead-capture offer, a third of those
//! with a ticket), 5 % still waiting. Then times `Store::handoff_analytics` over the whole year
//! (every bot, one bot) and over its last 7 days, and reading every row of the CSV export page by
//! page. Prints the figures; asserts only that the counts add up.
//!
//! `cargo run --release -p baton-storage --example analytics_bench -- [handoffs]`
//! (SQLite in a temporary directory; with `BATON_TEST_DATABASE_URL` set, a scratch PostgreSQL
//! database on that server instead, as `scripts/with-postgres` provides.)

use std::time::Instant;

use baton_domain::handoff::{OfflineReason, Trigger};
use baton_domain::ids::{AgentId, BotId, ConversationId, HandoffId, WorkspaceId};
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::schedule::Schedule;
use baton_storage::{
    AnalyticsRange, Handoff, HandoffStatus, NewAgent, NewMessage, Role, SeededHandoff, Store,
    StoreOptions,
};
use jiff::{SignedDuration, Timestamp};

const ZONES: [&str; 4] = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kathmandu"];
const AGENTS: usize = 10;
const SEED_CHUNK: usize = 2000;

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("baton-analytics-bench-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let (store, engine) =
        match baton_storage::testing::scratch_postgres_database("baton_bench").await {
            Some(url) => (
                Store::open_postgres(&url, StoreOptions::default())
                    .await
                    .unwrap(),
                "PostgreSQL",
            ),
            None => (
                Store::open_sqlite(&dir.join("bench.db"), StoreOptions::default())
                    .await
                    .unwrap(),
                "SQLite",
            ),
        };
    let workspace = store.create_workspace("Bench").await.unwrap();
    let mut bots = Vec::new();
    for zone in ZONES {
        let bot = store
            .add_bot(workspace.id, &format!("Bot {zone}"), "Hi", "")
            .await
            .unwrap();
        let schedule = Schedule::parse_json(&format!(
            r#"{{"timezone": "{zone}", "weekly": {{}}, "overrides": []}}"#
        ))
        .unwrap();
        store.update_schedule(bot.id, &schedule).await.unwrap();
        bots.push(bot.id);
    }
    let mut agents = Vec::new();
    for i in 0..AGENTS {
        let agent = store
            .create_agent(&NewAgent {
                workspace_id: workspace.id,
                email: format!("agent{i}@bench.example"),
                display_name: format!("Agent {i}"),
                password_hash: "unused".into(),
                role: Role::Agent,
                max_chats: 5,
            })
            .await
            .unwrap();
        agents.push(agent.id);
    }

    let end: Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
    let year = SignedDuration::from_hours(365 * 24);
    let start = end - year;
    let step = year.as_secs() / count as i64;
    let started = Instant::now();
    let mut seeds = Vec::with_capacity(SEED_CHUNK);
    for i in 0..count {
        // Spread over the year, with a pseudo-random jitter within the step.
        let jitter = (i as i64 * 7919) % step.max(1);
        let at = start + SignedDuration::from_secs(i as i64 * step + jitter);
        seeds.push(seed(workspace.id, &bots, &agents, i, at));
        if seeds.len() == SEED_CHUNK {
            store
                .seed_handoffs(std::mem::take(&mut seeds))
                .await
                .unwrap();
        }
    }
    if !seeds.is_empty() {
        store.seed_handoffs(seeds).await.unwrap();
    }
    println!(
        "{engine}: seeded {count} handoffs in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let whole = AnalyticsRange {
        workspace_id: workspace.id,
        bot_id: None,
        from: start,
        to: end,
    };
    let one_bot = AnalyticsRange {
        bot_id: Some(bots[1]),
        ..whole.clone()
    };
    let week = AnalyticsRange {
        from: end - SignedDuration::from_hours(7 * 24),
        ..whole.clone()
    };
    println!(
        "{:<34} {:>10} {:>12}",
        "query", "handoffs", "ms (best of 3)"
    );
    for (name, range) in [
        ("figures, a year, every bot", &whole),
        ("figures, a year, one bot", &one_bot),
        ("figures, last 7 days, every bot", &week),
    ] {
        let mut best = f64::MAX;
        let mut total = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let figures = store.handoff_analytics(range).await.unwrap();
            best = best.min(t.elapsed().as_secs_f64() * 1000.0);
            total = figures.summary.total;
        }
        println!("{name:<34} {total:>10} {best:>12.0}");
    }
    let mut best = f64::MAX;
    let mut rows = 0;
    for _ in 0..3 {
        let t = Instant::now();
        rows = 0;
        let mut cursor = None;
        loop {
            let (page, next) = store
                .handoff_export_page(&whole, cursor.as_ref(), 1000)
                .await
                .unwrap();
            rows += page.len();
            match next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "{:<34} {rows:>10} {best:>12.0}",
        "CSV rows, a year, pages of 1000"
    );
    assert_eq!(rows, count);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `i`th handoff of the year, requested at `at`.
fn seed(
    workspace: WorkspaceId,
    bots: &[BotId],
    agents: &[AgentId],
    i: usize,
    at: Timestamp,
) -> SeededHandoff {
    let secs = |s: i64| at + SignedDuration::from_secs(s);
    let mut h = Handoff {
        id: HandoffId::new(),
        workspace_id: workspace,
        conversation_id: ConversationId::new(),
        bot_id: bots[i % bots.len()],
        trigger: Trigger::ALL[i % 4],
        reason: "The visitor asked for a person".into(),
        summary: None,
        status: HandoffStatus::Waiting,
        offline_reason: None,
        agent_id: None,
        requested_at: at,
        deadline_at: Some(secs(120)),
        accepted_at: None,
        ended_at: None,
        escalated_at: None,
    };
    let mut messages = Vec::new();
    let mut ticket_at = None;
    let lead = |messages: &mut Vec<(NewMessage, Timestamp)>, when: Timestamp| {
        messages.push((
            NewMessage::system(
                MessageKind::LeadRequested,
                "Your email?",
                serde_json::json!({}),
            ),
            when,
        ));
    };
    match i % 20 {
        0..12 => {
            let agent = agents[i % agents.len()];
            h.status = HandoffStatus::Ended;
            h.agent_id = Some(agent);
            h.accepted_at = Some(secs(5 + (i % 90) as i64));
            h.ended_at = Some(secs(900));
            for s in [30 + (i % 60) as i64, 200] {
                messages.push((
                    NewMessage {
                        kind: MessageKind::Text,
                        author_kind: AuthorKind::Agent,
                        author_agent_id: Some(agent),
                        author_name: Some("Agent".into()),
                        body: "Happy to help.".into(),
                        client_id: None,
                        data: None,
                    },
                    secs(100 + s),
                ));
            }
            let kind = if i.is_multiple_of(2) {
                MessageKind::AgentLeft
            } else {
                MessageKind::HandedBack
            };
            messages.push((
                NewMessage::system(kind, "left", serde_json::Value::Null),
                secs(900),
            ));
        }
        12..14 => {
            h.status = HandoffStatus::Cancelled;
            h.ended_at = Some(secs(10 + (i % 50) as i64));
        }
        14..16 => {
            h.status = HandoffStatus::Expired;
            h.offline_reason = Some(OfflineReason::NobodyAccepted);
            h.ended_at = Some(secs(120));
            lead(&mut messages, secs(120));
        }
        16..19 => {
            h.status = HandoffStatus::Offline;
            h.offline_reason = Some(if i.is_multiple_of(2) {
                OfflineReason::ScheduleClosed
            } else {
                OfflineReason::NobodyAvailable
            });
            h.deadline_at = None;
            h.ended_at = Some(at);
            lead(&mut messages, at);
            if i.is_multiple_of(3) {
                ticket_at = Some(secs(60));
            }
        }
        _ => {}
    }
    SeededHandoff {
        handoff: h,
        messages,
        ticket_at,
    }
}

//! `handoff`: A agents online (a panel socket each), V visitors asking for a person on an
//! open-loop schedule (the handoff flow: request → every online agent notified → one accept wins).
//!
//! Figures: latency from a request's due time until each agent's panel has the
//! `handoff_requested` notification, and until *every* online agent has it; accept latency
//! (notification received → accept answered). Several agents race to accept each handoff; the
//! counts prove exactly one wins each. The winner then resolves the conversation, so agents keep
//! spare capacity.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use futures::StreamExt;
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::Ctx;
use crate::client::{self, Api, Session, VisitorConv};
use crate::report::{self, Report};
use crate::sys::CpuWindow;

#[derive(Args, Clone)]
pub struct HandoffArgs {
    /// Agents online, each with a Live Chat panel socket.
    #[arg(long, short = 'a', default_value_t = 500)]
    agents: usize,
    /// Visitors, each asking for a person once.
    #[arg(long, short = 'v', default_value_t = 500)]
    visitors: usize,
    /// Handoff requests per second.
    #[arg(long, short = 'r', default_value_t = 10.0)]
    rate: f64,
    /// Agents that try to accept each handoff as soon as they are notified.
    #[arg(long, default_value_t = 3)]
    racers: usize,
    /// Seconds to wait after the last request for notifications and accepts.
    #[arg(long, default_value_t = 15.0)]
    grace: f64,
    /// Each agent's max_chats.
    #[arg(long, default_value_t = 100)]
    max_chats: u32,
    /// Setup steps run at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

struct Shared {
    epoch: Instant,
    agents: usize,
    racers: usize,
    conversations: Vec<VisitorConv>,
    index: HashMap<String, usize>,
    due_ns: Vec<AtomicU64>,
    notified: Vec<AtomicU32>,
    last_notified_ns: Vec<AtomicU64>,
    wins: Vec<AtomicU32>,
    conflicts: Vec<AtomicU32>,
    accept_errors: Vec<AtomicU32>,
    notify: Mutex<Histogram<u64>>,
    accept: Mutex<Histogram<u64>>,
    request: Mutex<Histogram<u64>>,
    resyncs: AtomicU64,
    errors: Mutex<BTreeMap<String, u64>>,
}

impl Shared {
    fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    fn error(&self, kind: String) {
        *self
            .errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(kind)
            .or_default() += 1;
    }

    /// Whether agent `a` races for handoff `k`: `racers` consecutive agents from a spot that
    /// moves with k, so every agent takes part.
    fn is_racer(&self, a: usize, k: usize) -> bool {
        (a + self.agents - (k * 7) % self.agents) % self.agents < self.racers
    }
}

/// Reads one agent's panel: records notifications and, as a racer, accepts at once.
fn spawn_panel_reader(
    mut stream: client::Ws,
    agent: usize,
    session: Session,
    api: Api,
    shared: Arc<Shared>,
) {
    tokio::spawn(async move {
        while let Some(frame) = stream.next().await {
            let text = match frame {
                Ok(Message::Text(text)) => text,
                Ok(Message::Close(_)) | Err(_) => break,
                Ok(_) => continue,
            };
            // Panels see every workspace event; parse only the ones that matter here.
            if text.contains("\"resync\"") {
                shared.resyncs.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            if !text.contains("handoff_requested") {
                continue;
            }
            let now = shared.now_ns();
            let Ok(frame) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if frame["type"] != "handoff_requested" {
                continue;
            }
            let handoff = &frame["handoff"];
            let Some(k) = handoff["conversation_id"]
                .as_str()
                .and_then(|id| shared.index.get(id).copied())
            else {
                continue;
            };
            let due = shared.due_ns[k].load(Ordering::Relaxed);
            shared.notified[k].fetch_add(1, Ordering::Relaxed);
            shared.last_notified_ns[k].fetch_max(now, Ordering::Relaxed);
            {
                let mut h = shared.notify.lock().unwrap_or_else(|e| e.into_inner());
                report::record(&mut h, now.saturating_sub(due) / 1000);
            }
            if !shared.is_racer(agent, k) {
                continue;
            }
            let Some(handoff_id) = handoff["id"].as_str().map(str::to_owned) else {
                continue;
            };
            let (api, session, shared) = (api.clone(), session.clone(), shared.clone());
            tokio::spawn(async move {
                let started = Instant::now();
                match api.accept(&session, &handoff_id).await {
                    Ok(status) => {
                        {
                            let mut h = shared.accept.lock().unwrap_or_else(|e| e.into_inner());
                            report::record(&mut h, started.elapsed().as_micros() as u64);
                        }
                        match status {
                            200 => {
                                shared.wins[k].fetch_add(1, Ordering::Relaxed);
                                let id = shared.conversations[k].id.clone();
                                match api.resolve(&session, &id).await {
                                    Ok(200) => {}
                                    Ok(s) => shared.error(format!("resolve: HTTP {s}")),
                                    Err(e) => shared.error(format!("resolve: {e}")),
                                }
                            }
                            409 => {
                                shared.conflicts[k].fetch_add(1, Ordering::Relaxed);
                            }
                            s => {
                                shared.accept_errors[k].fetch_add(1, Ordering::Relaxed);
                                shared.error(format!("accept: HTTP {s}"));
                            }
                        }
                    }
                    Err(e) => {
                        shared.accept_errors[k].fetch_add(1, Ordering::Relaxed);
                        shared.error(format!("accept: {e}"));
                    }
                }
            });
        }
    });
}

/// What every handoff came to, summed once the grace period is over.
struct Outcome {
    /// Latency from the request's due time until every online agent was notified.
    notify_all: Histogram<u64>,
    missed: u64,
    double: u64,
    none: u64,
    exactly_one: u64,
    conflicts: u64,
    accept_errors: u64,
}

/// Handoff requests that went wrong, counted as they are answered.
#[derive(Default)]
struct RequestCounts {
    /// Answered, but not offered live (no agent online, as the server saw it).
    offline: AtomicU64,
    errors: AtomicU64,
}

pub async fn run(args: &HandoffArgs, ctx: Ctx<'_>) -> anyhow::Result<Report> {
    let mut args = args.clone();
    if ctx.smoke {
        args.agents = 20;
        args.visitors = 40;
        args.rate = 20.0;
        args.grace = 10.0;
    }
    let a_count = args.agents.max(1);
    let v_count = args.visitors.max(1);
    let racers = args.racers.clamp(1, a_count);
    let name = ctx.target.kind.name();
    let mut report = Report::new(
        "handoff",
        name,
        json!({ "agents": a_count, "visitors": v_count, "rate_per_s": args.rate, "racers": racers }),
    );

    let setup = Instant::now();
    let (admin, bot) = client::admin_and_bot(
        &ctx.api,
        &ctx.target.admin_email,
        &ctx.target.admin_password,
    )
    .await?;
    let sessions =
        client::create_agents(&ctx.api, &admin, a_count, args.max_chats, "handoff").await?;
    eprintln!(
        "{name}: {a_count} agents created in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    let conversations = connect_visitors(&ctx, &bot, v_count, args.concurrency).await?;
    let shared = Arc::new(Shared::new(a_count, racers, conversations));
    agents_online(&ctx, &sessions, &shared).await?;
    let setup_secs = setup.elapsed().as_secs_f64();
    eprintln!(
        "{name}: {a_count} agents online, {v_count} visitors connected after {setup_secs:.1} s"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;

    let cpu = CpuWindow::start(&ctx.target.pids());
    let requests = request_on_schedule(&ctx.api, &shared, args.rate).await;
    wait_until_settled(&shared, Duration::from_secs_f64(args.grace)).await;
    let cpu = cpu.finish();

    let outcome = Outcome::count(&shared);
    report.row("setup_s", "setup time", Some(setup_secs), "s");
    report_outcome(&mut report, &shared, &outcome, &requests);
    report.row("server_cores", "server CPU", cpu.server, "cores");
    report.row("harness_cores", "harness CPU", cpu.harness, "cores");
    report.row("other_cores", "other processes' CPU", cpu.other, "cores");
    report.row(
        "rss_mib",
        "server RSS at end",
        ctx.target.rss_kib().map(|k| k as f64 / 1024.0),
        "MiB",
    );
    check_outcome(&mut report, &shared, &outcome, &requests)?;
    let errors = shared
        .errors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if !errors.is_empty() {
        eprintln!("{name}: errors by kind: {errors:#?}");
    }
    report.extra = json!({ "errors": errors });
    Ok(report)
}

impl Shared {
    fn new(agents: usize, racers: usize, conversations: Vec<VisitorConv>) -> Shared {
        let v_count = conversations.len();
        let index = conversations
            .iter()
            .enumerate()
            .map(|(k, c)| (c.id.clone(), k))
            .collect();
        let counters = |n: usize| (0..n).map(|_| AtomicU32::new(0)).collect::<Vec<_>>();
        Shared {
            epoch: Instant::now(),
            agents,
            racers,
            conversations,
            index,
            due_ns: (0..v_count).map(|_| AtomicU64::new(0)).collect(),
            notified: counters(v_count),
            last_notified_ns: (0..v_count).map(|_| AtomicU64::new(0)).collect(),
            wins: counters(v_count),
            conflicts: counters(v_count),
            accept_errors: counters(v_count),
            notify: Mutex::new(report::histogram()),
            accept: Mutex::new(report::histogram()),
            request: Mutex::new(report::histogram()),
            resyncs: AtomicU64::new(0),
            errors: Mutex::new(BTreeMap::new()),
        }
    }
}

/// Visitors: a conversation and an open widget socket each, drained in the background.
async fn connect_visitors(
    ctx: &Ctx<'_>,
    bot: &str,
    v_count: usize,
    concurrency: usize,
) -> anyhow::Result<Vec<VisitorConv>> {
    let api = ctx.api.clone();
    let dialer = ctx.dialer.clone();
    let results: Vec<anyhow::Result<(VisitorConv, client::Ws)>> = futures::stream::iter(0..v_count)
        .map(|_| {
            let (api, dialer, bot) = (api.clone(), dialer.clone(), bot.to_owned());
            async move {
                let conv = api.start_conversation(&bot).await?;
                let ws = client::visitor_socket(&dialer, &conv).await?;
                Ok((conv, ws))
            }
        })
        .buffered(concurrency)
        .collect()
        .await;
    let mut conversations = Vec::with_capacity(v_count);
    for result in results {
        let (conv, ws) = result.context("setting up a visitor")?;
        conversations.push(conv);
        let mut ws = ws;
        tokio::spawn(async move { while let Some(Ok(_)) = ws.next().await {} });
    }
    Ok(conversations)
}

/// Agents online: a panel socket each, read in the background.
async fn agents_online(
    ctx: &Ctx<'_>,
    sessions: &[Session],
    shared: &Arc<Shared>,
) -> anyhow::Result<()> {
    for (a, session) in sessions.iter().enumerate() {
        let ws = client::panel_socket(&ctx.agent_dialer, session)
            .await
            .with_context(|| format!("agent {a}'s panel"))?;
        spawn_panel_reader(
            ws,
            a,
            session.clone(),
            ctx.agent_api.clone(),
            shared.clone(),
        );
    }
    Ok(())
}

/// The requests, on schedule: one per visitor, `rate` a second; returns once all are answered.
async fn request_on_schedule(api: &Api, shared: &Arc<Shared>, rate: f64) -> Arc<RequestCounts> {
    let v_count = shared.conversations.len();
    let counts = Arc::new(RequestCounts::default());
    let t0 = tokio::time::Instant::now() + Duration::from_millis(20);
    let period = Duration::from_secs_f64(1.0 / rate.max(0.001));
    let mut requests = Vec::with_capacity(v_count);
    for k in 0..v_count {
        let due = t0 + period * k as u32;
        tokio::time::sleep_until(due).await;
        let due_ns = (due.into_std() - shared.epoch).as_nanos() as u64;
        shared.due_ns[k].store(due_ns, Ordering::Relaxed);
        let (api, shared, counts) = (api.clone(), shared.clone(), counts.clone());
        requests.push(tokio::spawn(async move {
            match api.request_handoff(&shared.conversations[k]).await {
                Ok((_, state)) => {
                    let now = shared.now_ns();
                    let mut h = shared.request.lock().unwrap_or_else(|e| e.into_inner());
                    report::record(&mut h, now.saturating_sub(due_ns) / 1000);
                    if state != "waiting" {
                        counts.offline.fetch_add(1, Ordering::Relaxed);
                        shared.error(format!("handoff not live: state {state}"));
                    }
                }
                Err(e) => {
                    counts.errors.fetch_add(1, Ordering::Relaxed);
                    shared.error(format!("request: {e}"));
                }
            }
        }));
    }
    for r in requests {
        let _ = r.await;
    }
    counts
}

/// Waits, at most `grace`, until every agent was notified of every handoff and every racer's
/// accept was answered.
async fn wait_until_settled(shared: &Shared, grace: Duration) {
    let sent_by = Instant::now();
    let settled = |k: usize| {
        shared.notified[k].load(Ordering::Relaxed) as usize >= shared.agents
            && (shared.wins[k].load(Ordering::Relaxed)
                + shared.conflicts[k].load(Ordering::Relaxed)
                + shared.accept_errors[k].load(Ordering::Relaxed)) as usize
                >= shared.racers
    };
    while !(0..shared.conversations.len()).all(settled) && sent_by.elapsed() < grace {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Outcome {
    fn count(shared: &Shared) -> Outcome {
        let a_count = shared.agents;
        let mut o = Outcome {
            notify_all: report::histogram(),
            missed: 0,
            double: 0,
            none: 0,
            exactly_one: 0,
            conflicts: 0,
            accept_errors: 0,
        };
        for k in 0..shared.conversations.len() {
            let notified = shared.notified[k].load(Ordering::Relaxed) as usize;
            o.missed += a_count.saturating_sub(notified) as u64;
            if notified >= a_count {
                let last = shared.last_notified_ns[k].load(Ordering::Relaxed);
                let due = shared.due_ns[k].load(Ordering::Relaxed);
                report::record(&mut o.notify_all, last.saturating_sub(due) / 1000);
            }
            match shared.wins[k].load(Ordering::Relaxed) {
                0 => o.none += 1,
                1 => o.exactly_one += 1,
                _ => o.double += 1,
            }
            o.conflicts += shared.conflicts[k].load(Ordering::Relaxed) as u64;
            o.accept_errors += shared.accept_errors[k].load(Ordering::Relaxed) as u64;
        }
        o
    }
}

/// The rows on the handoffs: counts and latencies.
fn report_outcome(report: &mut Report, shared: &Shared, o: &Outcome, requests: &RequestCounts) {
    let lock = |m: &Mutex<Histogram<u64>>| m.lock().unwrap_or_else(|e| e.into_inner()).clone();
    report.count("agents_online", "agents online", shared.agents as u64);
    report.count(
        "handoffs",
        "handoffs requested",
        shared.conversations.len() as u64,
    );
    report.latency(
        "notify_each",
        "notification (each agent)",
        &lock(&shared.notify),
    );
    report.latency("notify_all", "notification (all agents)", &o.notify_all);
    report.latency("accept", "accept", &lock(&shared.accept));
    report.latency("request", "request answered", &lock(&shared.request));
    report.count(
        "exactly_one_winner",
        "handoffs with exactly one winner",
        o.exactly_one,
    );
    report.count("double_accepts", "handoffs with >1 winner", o.double);
    report.count("no_winner", "handoffs with no winner", o.none);
    report.count("accept_conflicts", "accepts refused (409)", o.conflicts);
    report.count("accept_errors", "accept errors", o.accept_errors);
    report.count("missed_notifications", "notifications missed", o.missed);
    report.count(
        "offline",
        "handoffs not offered live",
        requests.offline.load(Ordering::Relaxed),
    );
    report.count(
        "request_errors",
        "request errors",
        requests.errors.load(Ordering::Relaxed),
    );
    report.count(
        "resyncs",
        "panel resyncs",
        shared.resyncs.load(Ordering::Relaxed),
    );
}

/// The checks: exactly one winner per handoff, nothing missed, every other racer refused.
fn check_outcome(
    report: &mut Report,
    shared: &Shared,
    o: &Outcome,
    requests: &RequestCounts,
) -> anyhow::Result<()> {
    let v_count = shared.conversations.len();
    report.must_be_zero("double accepts", o.double);
    report.must_be_zero("handoffs with no winner", o.none);
    report.must_be_zero("missed notifications", o.missed);
    report.must_be_zero("accept errors", o.accept_errors);
    report.must_be_zero(
        "handoffs not offered live",
        requests.offline.load(Ordering::Relaxed),
    );
    report.must_be_zero("request errors", requests.errors.load(Ordering::Relaxed));
    // With one winner each, every other racer must have been refused.
    let expected_conflicts = (v_count * (shared.racers - 1)) as u64;
    if o.none == 0 && o.double == 0 && o.accept_errors == 0 && o.conflicts != expected_conflicts {
        report.failures.push(format!(
            "accepts refused: {conflicts}, expected {expected_conflicts}",
            conflicts = o.conflicts
        ));
    }
    if o.exactly_one + o.double + o.none != v_count as u64 {
        bail!("handoff counts do not add up");
    }
    Ok(())
}

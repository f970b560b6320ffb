//! `relay`: C conversations owned by agents (each visitor asked for a person and an agent
//! accepted), visitors and agents exchanging messages at R msg/s in total, open-loop.
//!
//! Message n has client_id "b<n>". A scheduler thread decides when each message is due and hands
//! it to the writer of the visitor's socket or the owning agent's panel socket; the other side's
//! reader records the latency from the due time to receipt. Afterwards every message written is
//! checked: received exactly once, or counted as lost (not received within the grace period) or
//! duplicated. Several rates run one after the other on the same conversations.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use futures::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use crate::Ctx;
use crate::client::{self, Session, VisitorConv, Ws};
use crate::report::{self, Report};
use crate::sys::{CpuUse, CpuWindow};

#[derive(Args, Clone)]
pub struct RelayArgs {
    /// Conversations in the human-owned state.
    #[arg(long, short = 'c', default_value_t = 1000)]
    conversations: usize,
    /// Offered rates in messages per second (all conversations, both directions), run in turn.
    #[arg(long, short = 'r', value_delimiter = ',', default_values_t = [1000u64, 2000, 5000])]
    rate: Vec<u64>,
    /// Seconds each rate runs.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds at the start of each rate left out of the latency figures (still checked for loss).
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Seconds to wait after the last send for stragglers before a message counts as lost.
    #[arg(long, default_value_t = 5.0)]
    grace: f64,
    /// Seconds to wait, after the grace period, for lost messages that are only late (a backlog)
    /// before the next rate starts.
    #[arg(long, default_value_t = 60.0)]
    drain: f64,
    /// Run every rate even after one saturates the server (by default higher rates are skipped).
    #[arg(long)]
    all_rates: bool,
    /// Agents sharing the conversations (default: conversations / max-chats, rounded up).
    #[arg(long)]
    agents: Option<usize>,
    /// Each agent's max_chats (Baton allows at most 100).
    #[arg(long, default_value_t = 100)]
    max_chats: u32,
    /// Bytes of text per message.
    #[arg(long, default_value_t = 64)]
    text_bytes: usize,
    /// Write every received message's due time and latency to this file (tab-separated: rate,
    /// ms since the harness started, latency in µs), to line the tail up with server events.
    #[arg(long)]
    timeline: Option<std::path::PathBuf>,
    /// Setup steps run at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

/// One offered rate.
struct Phase {
    rate: u64,
    /// Message numbers start..end belong to this phase; those below `warm_end` are warm-up.
    start: usize,
    end: usize,
    warm_end: usize,
    t0_ns: AtomicU64,
    last_recv_ns: AtomicU64,
    latency: Mutex<Histogram<u64>>,
}

/// What the readers and writers share.
struct Shared {
    epoch: Instant,
    phases: Vec<Phase>,
    /// When each message was due, in ns since `epoch`.
    due_ns: Vec<AtomicU64>,
    /// 0 = not written yet, 1 = written to the socket, 2 = the write failed, 3 = the server
    /// answered with an error frame (rejected).
    written: Vec<AtomicU8>,
    /// How many times the other side received it.
    received: Vec<AtomicU8>,
    /// When the other side first received it, in ns since `epoch` (0 = not yet).
    received_ns: Vec<AtomicU64>,
    acked: AtomicU64,
    rejected: AtomicU64,
    resyncs: AtomicU64,
    /// Conversations whose stream an agent's panel has started to receive.
    subscribed: AtomicUsize,
    errors: Mutex<BTreeMap<String, u64>>,
    text_pad: String,
}

impl Shared {
    fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    fn phase_of(&self, n: usize) -> Option<&Phase> {
        self.phases.iter().find(|p| n >= p.start && n < p.end)
    }

    fn error(&self, kind: String) {
        *self
            .errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(kind)
            .or_default() += 1;
    }

    /// Handles one frame received by a visitor (`want` = "agent") or an agent (`want` = "visitor").
    fn on_frame(&self, text: &str, want: &str, seen: Option<&mut HashSet<String>>) {
        let now = self.now_ns();
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            self.error("unparsable frame".into());
            return;
        };
        match frame["type"].as_str().unwrap_or("") {
            "message" => {
                let message = &frame["message"];
                if let (Some(seen), Some(id)) = (seen, message["conversation_id"].as_str())
                    && seen.insert(id.to_owned())
                {
                    self.subscribed.fetch_add(1, Ordering::Relaxed);
                }
                if message["author_kind"] != want {
                    return;
                }
                let Some(n) = message["client_id"].as_str().and_then(client::bench_id) else {
                    return;
                };
                let Some(phase) = self.phase_of(n) else {
                    return;
                };
                if self.received[n].fetch_add(1, Ordering::Relaxed) == 0 {
                    self.received_ns[n].store(now, Ordering::Relaxed);
                    let due = self.due_ns[n].load(Ordering::Relaxed);
                    if n >= phase.warm_end {
                        let mut h = phase.latency.lock().unwrap_or_else(|e| e.into_inner());
                        report::record(&mut h, now.saturating_sub(due) / 1000);
                    }
                    phase.last_recv_ns.fetch_max(now, Ordering::Relaxed);
                }
            }
            "ack"
                if frame["client_id"]
                    .as_str()
                    .and_then(client::bench_id)
                    .is_some() =>
            {
                self.acked.fetch_add(1, Ordering::Relaxed);
            }
            "error" => {
                let code = frame["error"]["code"].as_str().unwrap_or("?").to_owned();
                if let Some(n) = frame["client_id"].as_str().and_then(client::bench_id) {
                    if let Some(w) = self.written.get(n) {
                        w.store(3, Ordering::Relaxed);
                    }
                    self.rejected.fetch_add(1, Ordering::Relaxed);
                    self.error(format!("send rejected: {code}"));
                } else {
                    self.error(format!(
                        "error frame: {code}: {}",
                        frame["error"]["message"]
                    ));
                }
            }
            "resync" => {
                self.resyncs.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }
}

/// What a writer task is asked to send.
enum Out {
    /// Message number n.
    Send(usize),
    /// A frame as is (an agent's `subscribe`).
    Raw(String),
}

fn message_text(shared: &Shared, n: usize) -> String {
    format!("bench message {n} {}", shared.text_pad)
}

/// Reads a socket until it closes, handing text frames to `on_frame`.
fn spawn_reader(
    mut stream: futures::stream::SplitStream<Ws>,
    shared: Arc<Shared>,
    want: &'static str,
    track_subscriptions: bool,
) {
    tokio::spawn(async move {
        let mut seen = track_subscriptions.then(HashSet::new);
        while let Some(frame) = stream.next().await {
            match frame {
                Ok(Message::Text(text)) => shared.on_frame(&text, want, seen.as_mut()),
                Ok(Message::Close(_)) => break,
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
}

/// Writes what the scheduler hands over to one socket. `conversations` maps a message to the
/// conversation id it goes to (only agents name it; a visitor's socket has one conversation).
fn spawn_writer(
    mut sink: futures::stream::SplitSink<Ws, Message>,
    mut rx: mpsc::UnboundedReceiver<Out>,
    shared: Arc<Shared>,
    conversations: Option<Arc<Vec<String>>>,
) {
    tokio::spawn(async move {
        while let Some(out) = rx.recv().await {
            let (n, text) = match out {
                Out::Raw(text) => (None, text),
                Out::Send(n) => {
                    let body = message_text(&shared, n);
                    let frame = match &conversations {
                        None => {
                            json!({ "type": "send", "client_id": format!("b{n}"), "text": body })
                        }
                        Some(convs) => json!({
                            "type": "send",
                            "conversation_id": convs[n % convs.len()],
                            "client_id": format!("b{n}"),
                            "text": body,
                        }),
                    };
                    (Some(n), frame.to_string())
                }
            };
            let ok = sink.send(Message::Text(text.into())).await.is_ok();
            if let Some(n) = n {
                // An error frame may have marked it rejected already.
                let _ = shared.written[n].compare_exchange(
                    0,
                    if ok { 1 } else { 2 },
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
        }
    });
}

/// Which side sends message n: conversation n mod C (the agents' writers use the same rule),
/// the direction alternating each round.
fn route(n: usize, conversations: usize) -> (usize, bool) {
    let c = n % conversations;
    let round = n / conversations;
    (c, (round + c).is_multiple_of(2))
}

/// The panel sockets of the agents, online before any conversation starts.
struct Agents {
    sessions: Vec<Session>,
    /// What each agent's writer is handed.
    tx: Vec<mpsc::UnboundedSender<Out>>,
    /// Each panel's write half and its writer's queue; the writers start once the conversations
    /// (which they name) are known.
    writers: Vec<(
        futures::stream::SplitSink<Ws, Message>,
        mpsc::UnboundedReceiver<Out>,
    )>,
}

/// What one phase came to.
struct PhaseCounts {
    written: u64,
    delivered: u64,
    /// Not received within the grace period.
    lost: u64,
    /// Of the lost, those that had not arrived when the drain ended either.
    never: u64,
    duplicated: u64,
    rejected: u64,
    write_failed: u64,
    achieved: Option<f64>,
    latency: Histogram<u64>,
}

/// The rates tried so far.
#[derive(Default)]
struct Tried {
    best_rate_within_5ms: Option<u64>,
    /// One summary per rate, for the JSON report.
    phases: Vec<Value>,
}

impl Tried {
    /// Adds a phase's outcome and prints it; returns whether the server saturated.
    fn add(&mut self, name: &str, rate: u64, counts: &PhaseCounts) -> bool {
        let &PhaseCounts {
            lost,
            never,
            duplicated,
            delivered,
            written,
            achieved,
            ..
        } = counts;
        let latency = &counts.latency;
        let p99_ms = (!latency.is_empty()).then(|| latency.value_at_quantile(0.99) as f64 / 1000.0);
        if p99_ms.is_some_and(|v| v <= 5.0) && lost == 0 && duplicated == 0 {
            self.best_rate_within_5ms =
                Some(self.best_rate_within_5ms.map_or(rate, |b| b.max(rate)));
        }
        let saturated = lost > 0 || achieved.is_none_or(|a| a < 0.9 * rate as f64);
        self.phases.push(
            json!({ "rate": rate, "p99_ms": p99_ms, "achieved": achieved, "saturated": saturated }),
        );
        eprintln!(
            "{name}: {rate}/s: p99 {} ms, {delivered}/{written} delivered within the grace period, {lost} lost ({} never arrived), {duplicated} duplicated",
            p99_ms.map_or("-".into(), |v| format!("{v:.2}")),
            never
        );
        saturated
    }
}

pub async fn run(args: &RelayArgs, ctx: Ctx<'_>) -> anyhow::Result<Report> {
    let mut args = args.clone();
    if ctx.smoke {
        args.conversations = 50;
        args.rate = vec![300];
        args.duration = 2.0;
        args.warmup = 0.5;
    }
    let c_count = args.conversations.max(1);
    let max_chats = args.max_chats.max(1) as usize;
    let a_count = args
        .agents
        .unwrap_or_else(|| c_count.div_ceil(max_chats))
        .max(1);
    if a_count * max_chats < c_count {
        bail!("{a_count} agents with max_chats {max_chats} cannot hold {c_count} conversations");
    }
    let name = ctx.target.kind.name();
    let mut report = Report::new(
        "relay",
        name,
        json!({
            "conversations": c_count,
            "agents": a_count,
            "rates": args.rate,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "text_bytes": args.text_bytes,
        }),
    );
    let shared = Arc::new(Shared::plan(&args));

    // Agents, online with a panel socket each (they must be online for a live handoff).
    let setup = Instant::now();
    let (admin, bot) = client::admin_and_bot(
        &ctx.api,
        &ctx.target.admin_email,
        &ctx.target.admin_password,
    )
    .await?;
    let agents = agents_online(&ctx, &admin, &args, a_count, &shared).await?;
    eprintln!(
        "{name}: {a_count} agents online after {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    let agent_tx = agents.tx.clone();
    let visitor_tx = hand_conversations_to_agents(&ctx, &args, &bot, agents, &shared).await?;
    let setup_secs = setup.elapsed().as_secs_f64();
    eprintln!("{name}: {c_count} conversations handed to agents in {setup_secs:.1} s");
    report.row("setup_s", "setup time", Some(setup_secs), "s");
    report.row(
        "rss_setup_mib",
        "server RSS after setup",
        ctx.target.rss_kib().map(|k| k as f64 / 1024.0),
        "MiB",
    );

    let server_pids = ctx.target.pids();
    let mut tried = Tried::default();
    for p in 0..shared.phases.len() {
        let (rate, start, end) = {
            let phase = &shared.phases[p];
            (phase.rate, phase.start, phase.end)
        };
        let rejected_before = shared.rejected.load(Ordering::Relaxed);
        let cpu = CpuWindow::start(&server_pids);
        drive_schedule(&shared, p, &visitor_tx, &agent_tx).await;
        wait_for_stragglers(&shared, start..end, Duration::from_secs_f64(args.grace)).await;
        let cpu = cpu.finish();
        let counts = count_phase(&shared, p, rejected_before, args.drain).await;
        report_phase(&mut report, rate, args.grace, &counts, &cpu);
        let saturated = tried.add(name, rate, &counts);
        if saturated && !args.all_rates {
            break;
        }
    }
    let skipped: Vec<u64> = args.rate.iter().copied().skip(tried.phases.len()).collect();
    if !skipped.is_empty() {
        eprintln!("{name}: skipped rates {skipped:?}: the server saturated at a lower rate");
    }
    report.row(
        "best_rate_p99_5ms",
        "highest rate tried with p99 <= 5 ms",
        tried.best_rate_within_5ms.map(|r| r as f64),
        "msg/s",
    );
    if let Some(path) = &args.timeline {
        write_timeline(&shared, path)?;
    }
    let errors = acks_and_errors(&mut report, &shared, name).await;
    report.extra = json!({ "phases": tried.phases, "skipped_rates": skipped, "errors": errors });
    Ok(report)
}

/// Every received message of every phase as `rate\tdue_ms\tlatency_us`, in due order.
fn write_timeline(shared: &Shared, path: &std::path::Path) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    // The harness's start on the wall clock, to compare with the server log's timestamps.
    let epoch = std::time::SystemTime::now() - shared.epoch.elapsed();
    let epoch_ms = epoch.duration_since(std::time::UNIX_EPOCH)?.as_millis();
    writeln!(out, "# epoch_unix_ms\t{epoch_ms}")?;
    for phase in &shared.phases {
        for n in phase.start..phase.end {
            let received = shared.received_ns[n].load(Ordering::Relaxed);
            if received == 0 {
                continue;
            }
            let due = shared.due_ns[n].load(Ordering::Relaxed);
            let latency_us = received.saturating_sub(due) / 1000;
            writeln!(out, "{}\t{:.3}\t{latency_us}", phase.rate, due as f64 / 1e6)?;
        }
    }
    out.flush()?;
    Ok(())
}

impl Shared {
    /// Numbering of every message of every phase, known up front.
    fn plan(args: &RelayArgs) -> Shared {
        let mut phases = Vec::new();
        let mut next = 0usize;
        for &rate in &args.rate {
            let count = (rate as f64 * args.duration).round() as usize;
            let warm = (rate as f64 * args.warmup).round() as usize;
            phases.push(Phase {
                rate,
                start: next,
                end: next + count,
                warm_end: next + warm.min(count),
                t0_ns: AtomicU64::new(0),
                last_recv_ns: AtomicU64::new(0),
                latency: Mutex::new(report::histogram()),
            });
            next += count;
        }
        let total = next;
        let pad_len = args
            .text_bytes
            .saturating_sub("bench message 0000000 ".len())
            .max(1);
        Shared {
            epoch: Instant::now(),
            phases,
            due_ns: (0..total).map(|_| AtomicU64::new(0)).collect(),
            written: (0..total).map(|_| AtomicU8::new(0)).collect(),
            received: (0..total).map(|_| AtomicU8::new(0)).collect(),
            received_ns: (0..total).map(|_| AtomicU64::new(0)).collect(),
            acked: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            resyncs: AtomicU64::new(0),
            subscribed: AtomicUsize::new(0),
            errors: Mutex::new(BTreeMap::new()),
            text_pad: "x".repeat(pad_len),
        }
    }
}

/// Creates the agents and opens a panel socket for each, read from now on.
async fn agents_online(
    ctx: &Ctx<'_>,
    admin: &Session,
    args: &RelayArgs,
    a_count: usize,
    shared: &Arc<Shared>,
) -> anyhow::Result<Agents> {
    let sessions: Vec<Session> =
        client::create_agents(&ctx.api, admin, a_count, args.max_chats, "relay").await?;
    let mut tx = Vec::with_capacity(a_count);
    let mut writers = Vec::with_capacity(a_count);
    for session in &sessions {
        let ws = client::panel_socket(&ctx.agent_dialer, session)
            .await
            .context("agent panel")?;
        let (sink, stream) = ws.split();
        spawn_reader(stream, shared.clone(), "visitor", true);
        let (agent_tx, rx) = mpsc::unbounded_channel();
        tx.push(agent_tx);
        writers.push((sink, rx));
    }
    Ok(Agents {
        sessions,
        tx,
        writers,
    })
}

/// Conversations handed to agents: each is started and handed over, its widget socket read and
/// written, and each agent's panel subscribes to its conversations. Returns once every
/// conversation has reached its agent's panel, with what each visitor's writer is handed.
async fn hand_conversations_to_agents(
    ctx: &Ctx<'_>,
    args: &RelayArgs,
    bot: &str,
    agents: Agents,
    shared: &Arc<Shared>,
) -> anyhow::Result<Vec<mpsc::UnboundedSender<Out>>> {
    let c_count = args.conversations.max(1);
    let a_count = agents.tx.len();
    let sessions = Arc::new(agents.sessions);
    let slots = start_conversations(ctx, bot, &sessions, c_count, args.concurrency).await?;
    let mut agent_convs: Vec<Vec<String>> = vec![Vec::new(); a_count];
    let mut visitor_tx = Vec::with_capacity(c_count);
    let mut conversation_ids = Vec::with_capacity(c_count);
    for (c, (conv, ws)) in slots.into_iter().enumerate() {
        let (sink, stream) = ws.split();
        spawn_reader(stream, shared.clone(), "agent", false);
        let (tx, rx) = mpsc::unbounded_channel();
        spawn_writer(sink, rx, shared.clone(), None);
        visitor_tx.push(tx);
        agent_convs[c % a_count].push(conv.id.clone());
        conversation_ids.push(conv.id);
    }
    // Each agent's writer maps message n to conversation n mod C.
    let conversation_ids = Arc::new(conversation_ids);
    for (a, (sink, rx)) in agents.writers.into_iter().enumerate() {
        spawn_writer(sink, rx, shared.clone(), Some(conversation_ids.clone()));
        for id in &agent_convs[a] {
            let _ = agents.tx[a].send(Out::Raw(
                json!({ "type": "subscribe", "conversation_id": id, "after": 0 }).to_string(),
            ));
        }
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while shared.subscribed.load(Ordering::Relaxed) < c_count {
        if Instant::now() > deadline {
            bail!(
                "only {} of {c_count} conversations reached their agent's panel within 60 s",
                shared.subscribed.load(Ordering::Relaxed)
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(visitor_tx)
}

/// Conversations: start, open the widget socket, ask for a person, the owning agent accepts.
/// Returns them in order (conversation c is owned by agent c mod A).
async fn start_conversations(
    ctx: &Ctx<'_>,
    bot: &str,
    sessions: &Arc<Vec<Session>>,
    c_count: usize,
    concurrency: usize,
) -> anyhow::Result<Vec<(VisitorConv, Ws)>> {
    let api = ctx.api.clone();
    let agent_api = ctx.agent_api.clone();
    let dialer = ctx.dialer.clone();
    let results: Vec<anyhow::Result<(usize, VisitorConv, Ws)>> = futures::stream::iter(0..c_count)
        .map(|c| {
            let (api, agent_api, dialer, bot, sessions) = (
                api.clone(),
                agent_api.clone(),
                dialer.clone(),
                bot.to_owned(),
                sessions.clone(),
            );
            async move {
                let conv = api.start_conversation(&bot).await?;
                let ws = client::visitor_socket(&dialer, &conv).await?;
                let (handoff, state) = api.request_handoff(&conv).await?;
                if state != "waiting" {
                    bail!("the handoff was not offered live (state {state:?})");
                }
                let status = agent_api
                    .accept(&sessions[c % sessions.len()], &handoff)
                    .await?;
                if status != 200 {
                    bail!("accepting the handoff answered HTTP {status}");
                }
                Ok((c, conv, ws))
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut slots: Vec<Option<(VisitorConv, Ws)>> = (0..c_count).map(|_| None).collect();
    for result in results {
        let (c, conv, ws) = result.context("setting up a conversation")?;
        slots[c] = Some((conv, ws));
    }
    Ok(slots
        .into_iter()
        .map(|slot| slot.expect("every conversation was set up"))
        .collect())
}

/// Runs phase p's schedule and returns once every message has been handed to a writer.
async fn drive_schedule(
    shared: &Arc<Shared>,
    p: usize,
    visitor_tx: &[mpsc::UnboundedSender<Out>],
    agent_tx: &[mpsc::UnboundedSender<Out>],
) {
    let (rate, start, end) = {
        let phase = &shared.phases[p];
        (phase.rate, phase.start, phase.end)
    };
    let c_count = visitor_tx.len();
    let a_count = agent_tx.len();
    // The schedule runs on its own thread: precise sleeps, and a stalled writer never
    // delays the next message's due time.
    let scheduler = {
        let shared = shared.clone();
        let visitor_tx = visitor_tx.to_vec();
        let agent_tx = agent_tx.to_vec();
        std::thread::spawn(move || {
            let t0 = Instant::now() + Duration::from_millis(20);
            let phase = &shared.phases[p];
            phase
                .t0_ns
                .store((t0 - shared.epoch).as_nanos() as u64, Ordering::Relaxed);
            for n in start..end {
                let due =
                    t0 + Duration::from_nanos(((n - start) as u64 * 1_000_000_000) / rate.max(1));
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                }
                shared.due_ns[n].store((due - shared.epoch).as_nanos() as u64, Ordering::Relaxed);
                let (c, from_visitor) = route(n, c_count);
                let sent = if from_visitor {
                    visitor_tx[c].send(Out::Send(n)).is_ok()
                } else {
                    agent_tx[c % a_count].send(Out::Send(n)).is_ok()
                };
                if !sent {
                    shared.written[n].store(2, Ordering::Relaxed);
                }
            }
        })
    };
    let _ = tokio::task::spawn_blocking(move || scheduler.join()).await;
}

/// Waits for stragglers: until every message of the range was written and received, or the
/// grace period after the last send is over.
async fn wait_for_stragglers(shared: &Shared, messages: Range<usize>, grace: Duration) {
    let sent_by = Instant::now();
    loop {
        let pending = messages.clone().any(|n| {
            let w = shared.written[n].load(Ordering::Relaxed);
            w == 0 || (w == 1 && shared.received[n].load(Ordering::Relaxed) == 0)
        });
        if !pending || sent_by.elapsed() > grace {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Counts phase p's messages at the end of the grace period, then waits up to `drain` seconds
/// for the lost ones to tell late from never arrived.
async fn count_phase(shared: &Shared, p: usize, rejected_before: u64, drain: f64) -> PhaseCounts {
    let phase = &shared.phases[p];
    let (start, end) = (phase.start, phase.end);
    // Written (or still queued) and not received; rejected messages are counted apart.
    let missing = |n: usize| {
        shared.written[n].load(Ordering::Relaxed) < 2
            && shared.received[n].load(Ordering::Relaxed) == 0
    };
    let lost = (start..end).filter(|&n| missing(n)).count() as u64;
    let t0 = phase.t0_ns.load(Ordering::Relaxed);
    let last = phase.last_recv_ns.load(Ordering::Relaxed);
    let delivered_in_grace = (start..end)
        .filter(|&n| shared.received[n].load(Ordering::Relaxed) > 0)
        .count() as u64;
    let achieved = (last > t0).then(|| delivered_in_grace as f64 / ((last - t0) as f64 / 1e9));
    // Lost messages may only be late: wait for a backlog to drain before telling them apart,
    // so the next rate starts on an idle server.
    let drain = Duration::from_secs_f64(drain);
    let drain_start = Instant::now();
    while lost > 0 && (start..end).any(&missing) && drain_start.elapsed() < drain {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let never = (start..end).filter(|&n| missing(n)).count() as u64;
    let (mut written, mut write_failed, mut duplicated) = (0u64, 0u64, 0u64);
    for n in start..end {
        match shared.written[n].load(Ordering::Relaxed) {
            1 | 3 => written += 1,
            2 => write_failed += 1,
            _ => {}
        }
        if shared.received[n].load(Ordering::Relaxed) > 1 {
            duplicated += 1;
        }
    }
    let rejected = shared.rejected.load(Ordering::Relaxed) - rejected_before;
    let latency = phase
        .latency
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    PhaseCounts {
        written,
        delivered: delivered_in_grace,
        lost,
        never,
        duplicated,
        rejected,
        write_failed,
        achieved,
        latency,
    }
}

/// One phase's rows and checks, keyed by its rate.
fn report_phase(report: &mut Report, rate: u64, grace: f64, counts: &PhaseCounts, cpu: &CpuUse) {
    let key = format!("r{rate}");
    let row =
        |report: &mut Report, name: &str, label: &str, value: Option<f64>, unit: &'static str| {
            report.row(
                format!("{key}.{name}"),
                format!("[{rate}/s] {label}"),
                value,
                unit,
            );
        };
    let count = |report: &mut Report, name: &str, label: &str, value: u64| {
        report.count(
            format!("{key}.{name}"),
            format!("[{rate}/s] {label}"),
            value,
        );
    };
    row(report, "offered", "offered", Some(rate as f64), "msg/s");
    row(report, "grace_s", "grace period", Some(grace), "s");
    row(report, "achieved", "achieved", counts.achieved, "msg/s");
    report.latency(&key, &format!("[{rate}/s] latency"), &counts.latency);
    count(report, "written", "messages written", counts.written);
    count(report, "delivered", "delivered", counts.delivered);
    count(report, "lost", "lost (not within grace)", counts.lost);
    count(
        report,
        "late",
        "of which arrived later",
        counts.lost - counts.never,
    );
    count(report, "duplicated", "duplicated", counts.duplicated);
    count(report, "rejected", "rejected by server", counts.rejected);
    count(
        report,
        "write_failed",
        "write failures",
        counts.write_failed,
    );
    row(report, "server_cores", "server CPU", cpu.server, "cores");
    row(
        report,
        "server_cpu_us_per_msg",
        "server CPU per message",
        cpu.server
            .zip(counts.achieved)
            .map(|(c, a)| c * 1e6 / a.max(1e-9)),
        "µs",
    );
    row(report, "harness_cores", "harness CPU", cpu.harness, "cores");
    row(
        report,
        "other_cores",
        "other processes' CPU",
        cpu.other,
        "cores",
    );
    report.must_be_zero(&format!("{rate}/s: lost"), counts.lost);
    report.must_be_zero(&format!("{rate}/s: duplicated"), counts.duplicated);
    report.must_be_zero(&format!("{rate}/s: rejected"), counts.rejected);
    report.must_be_zero(&format!("{rate}/s: write failures"), counts.write_failed);
}

/// Acks and errors: every message written is answered on its own socket by an ack or an error
/// frame. Returns the errors by kind.
async fn acks_and_errors(
    report: &mut Report,
    shared: &Shared,
    name: &str,
) -> BTreeMap<String, u64> {
    let written_total = shared
        .written
        .iter()
        .filter(|w| matches!(w.load(Ordering::Relaxed), 1 | 3))
        .count() as u64;
    let answered =
        || shared.acked.load(Ordering::Relaxed) + shared.rejected.load(Ordering::Relaxed);
    let ack_deadline = Instant::now() + Duration::from_secs(5);
    while answered() < written_total && Instant::now() < ack_deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    report.count(
        "acked",
        "acks received",
        shared.acked.load(Ordering::Relaxed),
    );
    report.must_be_zero(
        "messages written but never acked",
        written_total.saturating_sub(answered()),
    );
    report.count(
        "resyncs",
        "panel resyncs",
        shared.resyncs.load(Ordering::Relaxed),
    );
    let errors = shared
        .errors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if !errors.is_empty() {
        eprintln!("{name}: errors by kind: {errors:#?}");
    }
    errors
}

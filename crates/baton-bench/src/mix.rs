//! `mix`: a realistic day. V visitors start conversations evenly over `--duration` seconds and
//! ask the built-in engine a few questions (most from the demo bot's knowledge, some it cannot
//! answer, a greeting); 10% of them then ask for a person ("I want to talk to a human", which the
//! built-in classifier detects). A agents are online with a panel socket each; several race to
//! accept each handoff (one wins, the others get 409), the winner chats with the visitor for a
//! few turns and resolves the conversation.
//!
//! Open-loop: every message has a due time fixed by the schedule and latency is measured from
//! it. A visitor reads the bot's answer before asking the next question (as a person does), but
//! the next question's due time does not move, so a slow answer shows in the next latency too.
//! The chat with an agent is scheduled from the moment the accept was answered.
//!
//! Figures per message kind: visitor question → bot reply received on the widget socket; the
//! handoff request (the visitor's message) → `handoff_requested` on each agent's panel and on
//! all of them; accept (notification → HTTP answer); agent → visitor and visitor → agent. Every
//! message is checked: sent, answered exactly once, or counted lost or duplicated (any of which
//! fails the run). Server CPU (cores, and per message sent) and RSS, like the other scenarios.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::ops::Range;
use std::sync::atomic::{AtomicI64, AtomicU8, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use futures::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message;

use crate::Ctx;
use crate::client::{self, Api, Session, Ws};
use crate::report::{self, Report};
use crate::sys::{CpuUse, CpuWindow};
use crate::target::Kind;

#[derive(Args, Clone)]
pub struct MixArgs {
    /// Visitors, each starting one conversation.
    #[arg(long, short = 'v', default_value_t = 500)]
    visitors: usize,
    /// Seconds over which the conversations start (evenly spread).
    #[arg(long, default_value_t = 30.0)]
    duration: f64,
    /// Agents online, each with a Live Chat panel socket.
    #[arg(long, short = 'a', default_value_t = 10)]
    agents: usize,
    /// Share of conversations that ask for a person.
    #[arg(long, default_value_t = 0.1)]
    handoff_share: f64,
    /// Questions each visitor asks the bot (a handing-off visitor asks one less, then for a person).
    #[arg(long, default_value_t = 3)]
    questions: usize,
    /// Seconds between a visitor's messages to the bot; a chat with an agent alternates every
    /// half of it.
    #[arg(long, default_value_t = 2.0)]
    gap: f64,
    /// Messages each side sends once an agent has accepted.
    #[arg(long, default_value_t = 3)]
    chat_messages: usize,
    /// Agents that try to accept each handoff as soon as they are notified.
    #[arg(long, default_value_t = 3)]
    racers: usize,
    /// Seconds to wait for answers before a message counts as lost.
    #[arg(long, default_value_t = 15.0)]
    grace: f64,
    /// Each agent's max_chats.
    #[arg(long, default_value_t = 100)]
    max_chats: u32,
}

/// What the visitors ask: the demo bot's knowledge, small talk, and questions it cannot answer.
const QUESTIONS: &[&str] = &[
    "How long does shipping take?",
    "How do I return an item?",
    "Hello!",
    "How do I reset my password?",
    "Is the blue jacket available in size XL?",
    "What payment methods do you accept?",
    "How long does shipping take to Canada?",
    "Can I change the colour of my sofa cushions?",
];
const HANDOFF_REQUEST: &str = "I want to talk to a human";
const DONT_KNOW: &str = "I'm sorry, I don't have an answer";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum MsgKind {
    /// Visitor → bot; answered by the bot's reply.
    Question,
    /// The visitor's "I want to talk to a human"; answered by the agents' notifications.
    Request,
    AgentToVisitor,
    VisitorToAgent,
}

/// Frames a writer task sends, with the message number they carry (if any).
type Out = (Option<usize>, String);

/// One planned conversation.
struct Conv {
    start_offset: Duration,
    handoff: bool,
    /// Message numbers: questions (and the request as the last one for a handoff).
    asks: Range<usize>,
    /// The chat with the agent: even offsets agent → visitor, odd visitor → agent.
    chat: Range<usize>,
    id: OnceLock<String>,
    ready_seq: AtomicI64,
    /// Questions waiting for the bot's reply, oldest first.
    pending: Mutex<VecDeque<usize>>,
    bot_seqs: Mutex<HashSet<i64>>,
    replied: Notify,
    visitor_tx: OnceLock<mpsc::UnboundedSender<Out>>,
    notified: AtomicU32,
    last_notified_ns: AtomicU64,
    wins: AtomicU32,
    conflicts: AtomicU32,
    accept_errors: AtomicU32,
    winner: AtomicUsize,
    /// 0 = not yet, 1 = resolved, 2 = resolving failed.
    resolved: AtomicU8,
}

struct Shared {
    epoch: Instant,
    agents: usize,
    racers: usize,
    gap: Duration,
    grace: Duration,
    convs: Vec<Conv>,
    kinds: Vec<MsgKind>,
    owner: Vec<usize>,
    due_ns: Vec<AtomicU64>,
    /// 0 = not written, 1 = written, 2 = write failed, 3 = rejected by an error frame.
    written: Vec<AtomicU8>,
    received: Vec<AtomicU8>,
    index: RwLock<HashMap<String, usize>>,
    agent_tx: Vec<mpsc::UnboundedSender<Out>>,
    sessions: Vec<Session>,
    api: Api,
    start: Mutex<Histogram<u64>>,
    bot: Mutex<Histogram<u64>>,
    notify: Mutex<Histogram<u64>>,
    accept: Mutex<Histogram<u64>>,
    to_visitor: Mutex<Histogram<u64>>,
    to_agent: Mutex<Histogram<u64>>,
    started: AtomicU64,
    start_errors: AtomicU64,
    dont_know: AtomicU64,
    extra_bot_replies: AtomicU64,
    acked: AtomicU64,
    rejected: AtomicU64,
    resyncs: AtomicU64,
    errors: Mutex<BTreeMap<String, u64>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    fn at(&self, ns: u64) -> tokio::time::Instant {
        tokio::time::Instant::from_std(self.epoch + Duration::from_nanos(ns))
    }

    fn error(&self, kind: String) {
        *lock(&self.errors).entry(kind).or_default() += 1;
    }

    fn is_racer(&self, a: usize, k: usize) -> bool {
        (a + self.agents - (k * 7) % self.agents) % self.agents < self.racers
    }

    /// Counts a receipt of message n; the first one records its latency.
    fn receive(&self, n: usize, now: u64, h: &Mutex<Histogram<u64>>) {
        if self.received[n].fetch_add(1, Ordering::Relaxed) == 0 {
            let due = self.due_ns[n].load(Ordering::Relaxed);
            report::record(&mut lock(h), now.saturating_sub(due) / 1000);
        }
    }

    /// Hands message n to a writer at its due time (already reached).
    fn send(&self, tx: &mpsc::UnboundedSender<Out>, n: usize, due_ns: u64, frame: String) {
        self.due_ns[n].store(due_ns, Ordering::Relaxed);
        if tx.send((Some(n), frame)).is_err() {
            self.written[n].store(2, Ordering::Relaxed);
        }
    }

    /// Frames common to both sides: acks and error frames for our messages.
    fn on_common(&self, frame: &Value) {
        match frame["type"].as_str().unwrap_or("") {
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
                    self.error(format!("error frame: {code}"));
                }
            }
            "resync" => {
                self.resyncs.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }

    /// A frame on conversation k's widget socket.
    fn on_visitor_frame(&self, k: usize, text: &str) {
        let now = self.now_ns();
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            self.error("unparsable frame".into());
            return;
        };
        if frame["type"] != "message" {
            self.on_common(&frame);
            return;
        }
        let message = &frame["message"];
        let conv = &self.convs[k];
        match message["author_kind"].as_str().unwrap_or("") {
            "bot" => {
                let seq = message["seq"].as_i64().unwrap_or(0);
                if seq <= conv.ready_seq.load(Ordering::Relaxed) {
                    return; // the welcome, stored before the socket opened
                }
                if !lock(&conv.bot_seqs).insert(seq) {
                    self.extra_bot_replies.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                if message["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with(DONT_KNOW))
                {
                    self.dont_know.fetch_add(1, Ordering::Relaxed);
                }
                // Turns of one conversation run in order: the oldest question is answered.
                let Some(n) = lock(&conv.pending).pop_front() else {
                    self.extra_bot_replies.fetch_add(1, Ordering::Relaxed);
                    return;
                };
                self.receive(n, now, &self.bot);
                conv.replied.notify_one();
            }
            "agent" => {
                if let Some(n) = message["client_id"].as_str().and_then(client::bench_id)
                    && self.kinds.get(n) == Some(&MsgKind::AgentToVisitor)
                    && self.owner[n] == k
                {
                    self.receive(n, now, &self.to_visitor);
                }
            }
            _ => {}
        }
    }

    /// A frame on agent a's panel socket.
    fn on_panel_frame(self: &Arc<Self>, a: usize, text: &str) {
        if !(text.contains("handoff_requested")
            || text.contains("\"message\"")
            || text.contains("\"ack\"")
            || text.contains("\"error\"")
            || text.contains("\"resync\""))
        {
            return;
        }
        let now = self.now_ns();
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            self.error("unparsable frame".into());
            return;
        };
        match frame["type"].as_str().unwrap_or("") {
            "handoff_requested" => self.on_handoff_requested(a, &frame["handoff"], now),
            "message" => {
                let message = &frame["message"];
                if message["author_kind"] != "visitor" {
                    return;
                }
                if let Some(n) = message["client_id"].as_str().and_then(client::bench_id)
                    && self.kinds.get(n) == Some(&MsgKind::VisitorToAgent)
                    && self.convs[self.owner[n]].winner.load(Ordering::Relaxed) == a
                {
                    self.receive(n, now, &self.to_agent);
                }
            }
            _ => self.on_common(&frame),
        }
    }

    fn on_handoff_requested(self: &Arc<Self>, a: usize, handoff: &Value, now: u64) {
        let Some(k) = handoff["conversation_id"].as_str().and_then(|id| {
            self.index
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(id)
                .copied()
        }) else {
            return;
        };
        let conv = &self.convs[k];
        conv.notified.fetch_add(1, Ordering::Relaxed);
        conv.last_notified_ns.fetch_max(now, Ordering::Relaxed);
        let Some(request) = conv.handoff.then(|| conv.asks.end - 1) else {
            return; // unexpected: counted at the end
        };
        let due = self.due_ns[request].load(Ordering::Relaxed);
        report::record(&mut lock(&self.notify), now.saturating_sub(due) / 1000);
        if !self.is_racer(a, k) {
            return;
        }
        let Some(handoff_id) = handoff["id"].as_str().map(str::to_owned) else {
            return;
        };
        let shared = self.clone();
        tokio::spawn(async move { shared.accept(a, k, handoff_id).await });
    }

    async fn accept(self: Arc<Self>, a: usize, k: usize, handoff_id: String) {
        let conv = &self.convs[k];
        let started = Instant::now();
        match self.api.accept(&self.sessions[a], &handoff_id).await {
            Ok(status) => {
                report::record(
                    &mut lock(&self.accept),
                    started.elapsed().as_micros() as u64,
                );
                match status {
                    200 => {
                        if conv.wins.fetch_add(1, Ordering::Relaxed) == 0 {
                            conv.winner.store(a, Ordering::Relaxed);
                            self.chat(a, k).await;
                        }
                    }
                    409 => {
                        conv.conflicts.fetch_add(1, Ordering::Relaxed);
                    }
                    s => {
                        conv.accept_errors.fetch_add(1, Ordering::Relaxed);
                        self.error(format!("accept: HTTP {s}"));
                    }
                }
            }
            Err(e) => {
                conv.accept_errors.fetch_add(1, Ordering::Relaxed);
                self.error(format!("accept: {e}"));
            }
        }
    }

    /// The winner's chat with the visitor, on schedule from the accept; then resolve.
    async fn chat(&self, a: usize, k: usize) {
        let conv = &self.convs[k];
        let (Some(id), Some(visitor_tx)) = (conv.id.get(), conv.visitor_tx.get()) else {
            return;
        };
        let agent_tx = &self.agent_tx[a];
        let _ = agent_tx.send((
            None,
            json!({ "type": "subscribe", "conversation_id": id, "after": 0 }).to_string(),
        ));
        let t0 = self.now_ns();
        let step = self.gap.as_nanos() as u64 / 2;
        for n in conv.chat.clone() {
            let i = (n - conv.chat.start) as u64;
            let due = t0 + i * step;
            tokio::time::sleep_until(self.at(due)).await;
            if (n - conv.chat.start).is_multiple_of(2) {
                let frame = json!({
                    "type": "send",
                    "conversation_id": id,
                    "client_id": format!("b{n}"),
                    "text": format!("Hi, this is Agent {a}. Reply {i} to your question."),
                });
                self.send(agent_tx, n, due, frame.to_string());
            } else {
                let frame = json!({
                    "type": "send",
                    "client_id": format!("b{n}"),
                    "text": format!("Thanks, here is more about my order ({i})."),
                });
                self.send(visitor_tx, n, due, frame.to_string());
            }
        }
        let deadline = tokio::time::Instant::now() + self.grace;
        while conv.chat.clone().any(|n| {
            self.written[n].load(Ordering::Relaxed) < 2
                && self.received[n].load(Ordering::Relaxed) == 0
        }) && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let outcome = match self.api.resolve(&self.sessions[a], id).await {
            Ok(200) => 1,
            Ok(s) => {
                self.error(format!("resolve: HTTP {s}"));
                2
            }
            Err(e) => {
                self.error(format!("resolve: {e}"));
                2
            }
        };
        conv.resolved.store(outcome, Ordering::Relaxed);
    }

    /// Conversation k's visitor: start at its due time, ask the questions (and for a person).
    async fn visitor(self: Arc<Self>, k: usize, bot: String, dialer: Arc<client::Dialer>) {
        let conv = &self.convs[k];
        let start_due = conv.start_offset.as_nanos() as u64;
        tokio::time::sleep_until(self.at(start_due)).await;
        let opened = async {
            let visitor = self.api.start_conversation(&bot).await?;
            let (ws, seq) = client::visitor_socket_ready(&dialer, &visitor).await?;
            anyhow::Ok((visitor, ws, seq))
        }
        .await;
        let (visitor, ws, seq) = match opened {
            Ok(v) => v,
            Err(e) => {
                self.start_errors.fetch_add(1, Ordering::Relaxed);
                self.error(format!("start: {e:#}"));
                return;
            }
        };
        report::record(
            &mut lock(&self.start),
            self.now_ns().saturating_sub(start_due) / 1000,
        );
        self.started.fetch_add(1, Ordering::Relaxed);
        conv.ready_seq.store(seq, Ordering::Relaxed);
        self.index
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(visitor.id.clone(), k);
        let _ = conv.id.set(visitor.id);
        let (sink, mut stream) = ws.split();
        let (tx, rx) = mpsc::unbounded_channel();
        spawn_writer(sink, rx, self.clone());
        let _ = conv.visitor_tx.set(tx.clone());
        let shared = self.clone();
        tokio::spawn(async move {
            while let Some(frame) = stream.next().await {
                match frame {
                    Ok(Message::Text(text)) => shared.on_visitor_frame(k, &text),
                    Ok(Message::Close(_)) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        });
        let gap = self.gap.as_nanos() as u64;
        let mut previous: Option<usize> = None;
        for n in conv.asks.clone() {
            let i = (n - conv.asks.start) as u64;
            let due = start_due + i * gap + gap / 2;
            // Read the previous answer first (its lateness shows in this message's latency too).
            if let Some(p) = previous {
                let deadline = self.at(self.due_ns[p].load(Ordering::Relaxed)) + self.grace;
                while self.received[p].load(Ordering::Relaxed) == 0
                    && tokio::time::timeout_at(deadline, conv.replied.notified())
                        .await
                        .is_ok()
                {}
            }
            tokio::time::sleep_until(self.at(due)).await;
            let text = if self.kinds[n] == MsgKind::Request {
                HANDOFF_REQUEST
            } else {
                lock(&conv.pending).push_back(n);
                QUESTIONS[(k * 3 + i as usize) % QUESTIONS.len()]
            };
            let frame = json!({ "type": "send", "client_id": format!("b{n}"), "text": text });
            self.send(&tx, n, due, frame.to_string());
            previous = Some(n);
        }
    }
}

/// Writes frames to one socket, marking each numbered message written (or failed).
fn spawn_writer(
    mut sink: futures::stream::SplitSink<Ws, Message>,
    mut rx: mpsc::UnboundedReceiver<Out>,
    shared: Arc<Shared>,
) {
    tokio::spawn(async move {
        while let Some((n, text)) = rx.recv().await {
            let ok = sink.send(Message::Text(text.into())).await.is_ok();
            if let Some(n) = n {
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

/// Every conversation's messages, numbered up front.
struct Plan {
    convs: Vec<Conv>,
    /// Message n's kind and the conversation it belongs to.
    kinds: Vec<MsgKind>,
    owner: Vec<usize>,
}

/// The agents, online with a panel socket each before the day starts.
struct Agents {
    sessions: Vec<Session>,
    /// What each agent's writer is handed.
    tx: Vec<mpsc::UnboundedSender<Out>>,
    /// Each panel and its writer's queue, until the shared state they need exists.
    panels: Vec<(Ws, mpsc::UnboundedReceiver<Out>)>,
}

/// Counts for one kind of message.
#[derive(Default, Clone, Copy)]
struct Tally {
    planned: u64,
    written: u64,
    answered: u64,
    lost: u64,
    duplicated: u64,
    rejected: u64,
    write_failed: u64,
    not_sent: u64,
}

/// What the handoffs came to.
struct Handoffs {
    /// Latency from the request's due time until every online agent was notified.
    notify_all: Histogram<u64>,
    requested: u64,
    missed: u64,
    notified_all: u64,
    exactly_one: u64,
    double: u64,
    none: u64,
    conflicts: u64,
    accept_errors: u64,
    resolved: u64,
    resolve_failed: u64,
    /// Conversations that did not ask for a person yet were offered to the agents.
    unexpected: u64,
}

/// Every message of the day, counted once the answers are in.
struct Summary {
    /// Tallies by kind: "question", "request", "agent_to_visitor", "visitor_to_agent".
    tally: HashMap<&'static str, Tally>,
    handoffs: Handoffs,
    sent: u64,
    lost: u64,
    duplicated: u64,
    rejected: u64,
    write_failed: u64,
    not_sent: u64,
    /// Written but answered by neither an ack nor an error frame.
    unacked: u64,
}

impl Summary {
    fn get(&self, key: &str) -> Tally {
        self.tally.get(key).copied().unwrap_or_default()
    }
}

pub async fn run(args: &MixArgs, ctx: Ctx<'_>) -> anyhow::Result<Report> {
    if ctx.target.kind == Kind::Floor {
        bail!(
            "mix needs the built-in AI engine; the floor relay has none (run it without --floor)"
        );
    }
    let mut args = args.clone();
    if ctx.smoke {
        args.visitors = 40;
        args.duration = 3.0;
        args.agents = 4;
        args.questions = 2;
        args.gap = 0.5;
        args.chat_messages = 2;
        args.grace = 10.0;
    }
    let v_count = args.visitors.max(1);
    let a_count = args.agents.max(1);
    let racers = args.racers.clamp(1, a_count);
    let questions = args.questions.max(1);
    let share = args.handoff_share.clamp(0.0, 1.0);
    let name = ctx.target.kind.name();
    let mut report = Report::new(
        "mix",
        name,
        json!({
            "visitors": v_count,
            "duration_s": args.duration,
            "agents": a_count,
            "handoff_share": share,
            "questions": questions,
            "gap_s": args.gap,
            "chat_messages": args.chat_messages,
            "racers": racers,
        }),
    );
    let plan = Plan::new(&args, v_count, questions, share);
    let total = plan.kinds.len();

    // Agents online, a panel socket each.
    let setup = Instant::now();
    let (admin, bot) = client::admin_and_bot(
        &ctx.api,
        &ctx.target.admin_email,
        &ctx.target.admin_password,
    )
    .await?;
    let mut agents = agents_online(&ctx, &admin, a_count, args.max_chats).await?;
    let setup_secs = setup.elapsed().as_secs_f64();
    eprintln!("{name}: {a_count} agents online after {setup_secs:.1} s");
    let panels = std::mem::take(&mut agents.panels);
    let shared = Arc::new(Shared::new(plan, agents, &args, racers, ctx.api.clone()));
    read_panels(&shared, panels);

    // The day.
    let cpu = CpuWindow::start(&ctx.target.pids());
    let window = Instant::now();
    visitors(&shared, &bot, &ctx.dialer).await;
    wait_for_answers(&shared, args.chat_messages).await;
    let wall = window.elapsed().as_secs_f64();
    let cpu = cpu.finish();

    let summary = Summary::count(&shared).await;
    report_conversations(&mut report, &shared, setup_secs, wall, &summary);
    report_messages(&mut report, &shared, &summary);
    report_load(&mut report, &ctx, &cpu, wall, summary.sent);
    check(&mut report, &shared, &summary, total);
    let errors = lock(&shared.errors).clone();
    if !errors.is_empty() {
        eprintln!("{name}: errors by kind: {errors:#?}");
    }
    eprintln!(
        "{name}: {} conversations, {} messages sent, {} lost, {} duplicated, {}/{} handoffs accepted, {} resolved",
        shared.started.load(Ordering::Relaxed),
        summary.sent,
        summary.lost,
        summary.duplicated,
        summary.handoffs.exactly_one,
        summary.handoffs.requested,
        summary.handoffs.resolved,
    );
    report.extra = json!({ "errors": errors });
    Ok(report)
}

impl Conv {
    fn new(start_offset: Duration, handoff: bool, asks: Range<usize>, chat: Range<usize>) -> Conv {
        Conv {
            start_offset,
            handoff,
            asks,
            chat,
            id: OnceLock::new(),
            ready_seq: AtomicI64::new(0),
            pending: Mutex::new(VecDeque::new()),
            bot_seqs: Mutex::new(HashSet::new()),
            replied: Notify::new(),
            visitor_tx: OnceLock::new(),
            notified: AtomicU32::new(0),
            last_notified_ns: AtomicU64::new(0),
            wins: AtomicU32::new(0),
            conflicts: AtomicU32::new(0),
            accept_errors: AtomicU32::new(0),
            winner: AtomicUsize::new(usize::MAX),
            resolved: AtomicU8::new(0),
        }
    }
}

impl Plan {
    /// The plan: every conversation's messages, numbered up front.
    fn new(args: &MixArgs, v_count: usize, questions: usize, share: f64) -> Plan {
        let mut convs = Vec::with_capacity(v_count);
        let (mut kinds, mut owner) = (Vec::new(), Vec::new());
        for k in 0..v_count {
            // Evenly spread: conversation k hands off when k·share crosses an integer.
            let handoff = ((k + 1) as f64 * share).floor() > (k as f64 * share).floor();
            let start = kinds.len();
            for i in 0..questions {
                kinds.push(if handoff && i + 1 == questions {
                    MsgKind::Request
                } else {
                    MsgKind::Question
                });
                owner.push(k);
            }
            let asks = start..kinds.len();
            let chat_start = kinds.len();
            if handoff {
                for i in 0..2 * args.chat_messages {
                    kinds.push(if i % 2 == 0 {
                        MsgKind::AgentToVisitor
                    } else {
                        MsgKind::VisitorToAgent
                    });
                    owner.push(k);
                }
            }
            convs.push(Conv::new(
                Duration::from_millis(200)
                    + Duration::from_secs_f64(args.duration * k as f64 / v_count as f64),
                handoff,
                asks,
                chat_start..kinds.len(),
            ));
        }
        Plan {
            convs,
            kinds,
            owner,
        }
    }
}

/// Creates the agents and opens a panel socket for each.
async fn agents_online(
    ctx: &Ctx<'_>,
    admin: &Session,
    a_count: usize,
    max_chats: u32,
) -> anyhow::Result<Agents> {
    let sessions = client::create_agents(&ctx.api, admin, a_count, max_chats, "mix").await?;
    let mut panels = Vec::with_capacity(a_count);
    let mut agent_tx = Vec::with_capacity(a_count);
    for (a, session) in sessions.iter().enumerate() {
        let ws = client::panel_socket(&ctx.dialer, session)
            .await
            .with_context(|| format!("agent {a}'s panel"))?;
        let (tx, rx) = mpsc::unbounded_channel();
        agent_tx.push(tx);
        panels.push((ws, rx));
    }
    Ok(Agents {
        sessions,
        tx: agent_tx,
        panels,
    })
}

impl Shared {
    fn new(plan: Plan, agents: Agents, args: &MixArgs, racers: usize, api: Api) -> Shared {
        let Plan {
            convs,
            kinds,
            owner,
        } = plan;
        let total = kinds.len();
        Shared {
            epoch: Instant::now(),
            agents: agents.tx.len(),
            racers,
            gap: Duration::from_secs_f64(args.gap.max(0.001)),
            grace: Duration::from_secs_f64(args.grace),
            convs,
            kinds,
            owner,
            due_ns: (0..total).map(|_| AtomicU64::new(0)).collect(),
            written: (0..total).map(|_| AtomicU8::new(0)).collect(),
            received: (0..total).map(|_| AtomicU8::new(0)).collect(),
            index: RwLock::new(HashMap::new()),
            agent_tx: agents.tx,
            sessions: agents.sessions,
            api,
            start: Mutex::new(report::histogram()),
            bot: Mutex::new(report::histogram()),
            notify: Mutex::new(report::histogram()),
            accept: Mutex::new(report::histogram()),
            to_visitor: Mutex::new(report::histogram()),
            to_agent: Mutex::new(report::histogram()),
            started: AtomicU64::new(0),
            start_errors: AtomicU64::new(0),
            dont_know: AtomicU64::new(0),
            extra_bot_replies: AtomicU64::new(0),
            acked: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            resyncs: AtomicU64::new(0),
            errors: Mutex::new(BTreeMap::new()),
        }
    }
}

/// Starts each panel's writer and reader.
fn read_panels(shared: &Arc<Shared>, panels: Vec<(Ws, mpsc::UnboundedReceiver<Out>)>) {
    for (a, (ws, rx)) in panels.into_iter().enumerate() {
        let (sink, mut stream) = ws.split();
        spawn_writer(sink, rx, shared.clone());
        let shared = shared.clone();
        tokio::spawn(async move {
            while let Some(frame) = stream.next().await {
                match frame {
                    Ok(Message::Text(text)) => shared.on_panel_frame(a, &text),
                    Ok(Message::Close(_)) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        });
    }
}

/// The visitors, each on its own schedule; returns once every one has asked its last message.
async fn visitors(shared: &Arc<Shared>, bot: &str, dialer: &Arc<client::Dialer>) {
    let visitors: Vec<_> = (0..shared.convs.len())
        .map(|k| tokio::spawn(shared.clone().visitor(k, bot.to_owned(), dialer.clone())))
        .collect();
    for v in visitors {
        let _ = v.await;
    }
}

/// Once every visitor has asked: waits (at most the grace period plus a chat's length) for the
/// answers and the resolves, then (at most 5 s) for the racers' answers.
async fn wait_for_answers(shared: &Shared, chat_messages: usize) {
    let asked_by = Instant::now();
    let chat_time = shared.gap * (chat_messages as u32);
    let pending = |s: &Shared| {
        (0..s.kinds.len()).any(|n| {
            let w = s.written[n].load(Ordering::Relaxed);
            match s.kinds[n] {
                MsgKind::Request => {
                    w == 1 && s.convs[s.owner[n]].resolved.load(Ordering::Relaxed) == 0
                }
                _ => w == 1 && s.received[n].load(Ordering::Relaxed) == 0,
            }
        }) || s.convs.iter().any(|c| {
            c.handoff
                && c.wins.load(Ordering::Relaxed) > 0
                && c.resolved.load(Ordering::Relaxed) == 0
        })
    };
    while pending(shared) && asked_by.elapsed() < shared.grace + chat_time {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The racers' answers (409s) may still be on their way.
    let racing_done = |s: &Shared| {
        s.convs.iter().all(|c| {
            !c.handoff
                || c.notified.load(Ordering::Relaxed) == 0
                || (c.wins.load(Ordering::Relaxed)
                    + c.conflicts.load(Ordering::Relaxed)
                    + c.accept_errors.load(Ordering::Relaxed)) as usize
                    >= s.racers
        })
    };
    let race_deadline = Instant::now() + Duration::from_secs(5);
    while !racing_done(shared) && Instant::now() < race_deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Counts per kind.
fn tally_messages(shared: &Shared) -> HashMap<&'static str, Tally> {
    let mut tally: HashMap<&'static str, Tally> = HashMap::new();
    for n in 0..shared.kinds.len() {
        let kind = shared.kinds[n];
        let key = match kind {
            MsgKind::Question => "question",
            MsgKind::Request => "request",
            MsgKind::AgentToVisitor => "agent_to_visitor",
            MsgKind::VisitorToAgent => "visitor_to_agent",
        };
        let t = tally.entry(key).or_default();
        t.planned += 1;
        let received = match kind {
            // Answered when the agents are notified (missed ones are counted apart).
            MsgKind::Request => {
                let notified = shared.convs[shared.owner[n]]
                    .notified
                    .load(Ordering::Relaxed);
                match notified as usize {
                    0 => 0,
                    x if x > shared.agents => 2,
                    _ => 1,
                }
            }
            _ => shared.received[n].load(Ordering::Relaxed) as u64,
        };
        match shared.written[n].load(Ordering::Relaxed) {
            0 => t.not_sent += 1,
            1 => {
                t.written += 1;
                if received == 0 {
                    t.lost += 1;
                }
            }
            2 => t.write_failed += 1,
            _ => {
                t.written += 1;
                t.rejected += 1;
            }
        }
        if received > 0 {
            t.answered += 1;
        }
        if received > 1 {
            t.duplicated += 1;
        }
    }
    tally
}

impl Handoffs {
    fn count(shared: &Shared) -> Handoffs {
        let a_count = shared.agents;
        let mut h = Handoffs {
            notify_all: report::histogram(),
            requested: 0,
            missed: 0,
            notified_all: 0,
            exactly_one: 0,
            double: 0,
            none: 0,
            conflicts: 0,
            accept_errors: 0,
            resolved: 0,
            resolve_failed: 0,
            unexpected: 0,
        };
        for c in &shared.convs {
            let notified = c.notified.load(Ordering::Relaxed) as usize;
            if !c.handoff {
                if notified > 0 {
                    h.unexpected += 1;
                }
                continue;
            }
            h.requested += 1;
            h.missed += a_count.saturating_sub(notified) as u64;
            if notified >= a_count {
                h.notified_all += 1;
                let due = shared.due_ns[c.asks.end - 1].load(Ordering::Relaxed);
                let last = c.last_notified_ns.load(Ordering::Relaxed);
                report::record(&mut h.notify_all, last.saturating_sub(due) / 1000);
            }
            match c.wins.load(Ordering::Relaxed) {
                0 => h.none += 1,
                1 => h.exactly_one += 1,
                _ => h.double += 1,
            }
            h.conflicts += c.conflicts.load(Ordering::Relaxed) as u64;
            h.accept_errors += c.accept_errors.load(Ordering::Relaxed) as u64;
            match c.resolved.load(Ordering::Relaxed) {
                1 => h.resolved += 1,
                2 => h.resolve_failed += 1,
                _ => {}
            }
        }
        h
    }
}

impl Summary {
    /// Counts every message and handoff, then waits (at most 5 s) for the acks of those written.
    async fn count(shared: &Shared) -> Summary {
        let tally = tally_messages(shared);
        let handoffs = Handoffs::count(shared);
        let sum = |f: fn(&Tally) -> u64| tally.values().map(f).sum::<u64>();
        let sent = sum(|t| t.written);
        let lost = sum(|t| t.lost);
        let duplicated = sum(|t| t.duplicated) + shared.extra_bot_replies.load(Ordering::Relaxed);
        let rejected = sum(|t| t.rejected);
        let write_failed = sum(|t| t.write_failed);
        let not_sent = sum(|t| t.not_sent);
        // Every written message is answered on its own socket by an ack or an error frame.
        let ack_deadline = Instant::now() + Duration::from_secs(5);
        let answered =
            || shared.acked.load(Ordering::Relaxed) + shared.rejected.load(Ordering::Relaxed);
        while answered() < sent && Instant::now() < ack_deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let unacked = sent.saturating_sub(answered());
        Summary {
            tally,
            handoffs,
            sent,
            lost,
            duplicated,
            rejected,
            write_failed,
            not_sent,
            unacked,
        }
    }
}

/// The rows on the setup, the conversations and the latencies.
fn report_conversations(
    report: &mut Report,
    shared: &Shared,
    setup_secs: f64,
    wall: f64,
    summary: &Summary,
) {
    let h = |m: &Mutex<Histogram<u64>>| lock(m).clone();
    report.row("setup_s", "setup time (agents)", Some(setup_secs), "s");
    report.row("window_s", "measured window", Some(wall), "s");
    report.count("agents_online", "agents online", shared.agents as u64);
    report.count(
        "conversations",
        "conversations started",
        shared.started.load(Ordering::Relaxed),
    );
    report.count(
        "start_errors",
        "conversation start errors",
        shared.start_errors.load(Ordering::Relaxed),
    );
    report.latency(
        "start",
        "conversation start (due → widget ready)",
        &h(&shared.start),
    );
    report.latency("bot_reply", "visitor → bot reply", &h(&shared.bot));
    report.latency(
        "notify_each",
        "handoff notification (each agent)",
        &h(&shared.notify),
    );
    report.latency(
        "notify_all",
        "handoff notification (all agents)",
        &summary.handoffs.notify_all,
    );
    report.latency("accept", "accept", &h(&shared.accept));
    report.latency(
        "agent_to_visitor",
        "agent → visitor",
        &h(&shared.to_visitor),
    );
    report.latency("visitor_to_agent", "visitor → agent", &h(&shared.to_agent));
}

/// The rows counting messages by kind, handoffs and their outcome, and the failures.
fn report_messages(report: &mut Report, shared: &Shared, summary: &Summary) {
    let handoffs = &summary.handoffs;
    let q = summary.get("question");
    report.count("questions_sent", "questions sent to the bot", q.written);
    report.count("bot_replies", "questions answered by the bot", q.answered);
    report.count(
        "dont_know",
        "of which \"I don't know\"",
        shared.dont_know.load(Ordering::Relaxed),
    );
    report.count(
        "handoffs",
        "handoffs requested (by message)",
        summary.get("request").written,
    );
    report.count(
        "handoffs_notified",
        "handoffs notified to all agents",
        handoffs.notified_all,
    );
    report.count(
        "accepted",
        "handoffs accepted (exactly one winner)",
        handoffs.exactly_one,
    );
    report.count("double_accepts", "handoffs with >1 winner", handoffs.double);
    report.count("no_winner", "handoffs with no winner", handoffs.none);
    report.count(
        "accept_conflicts",
        "accepts refused (409)",
        handoffs.conflicts,
    );
    report.count("accept_errors", "accept errors", handoffs.accept_errors);
    let (av, va) = (
        summary.get("agent_to_visitor"),
        summary.get("visitor_to_agent"),
    );
    report.count("agent_msgs", "agent → visitor sent", av.written);
    report.count(
        "agent_msgs_delivered",
        "agent → visitor delivered",
        av.answered,
    );
    report.count("visitor_msgs", "visitor → agent sent", va.written);
    report.count(
        "visitor_msgs_delivered",
        "visitor → agent delivered",
        va.answered,
    );
    report.count("resolved", "conversations resolved", handoffs.resolved);
    report.count("sent", "messages sent (all kinds)", summary.sent);
    report.count("lost", "lost (not answered within grace)", summary.lost);
    report.count("duplicated", "duplicated", summary.duplicated);
    report.count("rejected", "rejected by server", summary.rejected);
    report.count("write_failed", "write failures", summary.write_failed);
    report.count(
        "not_sent",
        "not sent (an earlier step failed)",
        summary.not_sent,
    );
    report.count(
        "unexpected_handoffs",
        "handoffs nobody asked for",
        handoffs.unexpected,
    );
    report.count(
        "missed_notifications",
        "notifications missed",
        handoffs.missed,
    );
    report.count("unacked", "messages never acked", summary.unacked);
    report.count(
        "resyncs",
        "panel resyncs",
        shared.resyncs.load(Ordering::Relaxed),
    );
}

/// The rows on the load: messages offered, CPU, and the server's RSS now.
fn report_load(report: &mut Report, ctx: &Ctx<'_>, cpu: &CpuUse, wall: f64, sent: u64) {
    report.row(
        "offered_msg_per_s",
        "messages sent per second",
        Some(sent as f64 / wall.max(1e-9)),
        "msg/s",
    );
    report.row("server_cores", "server CPU", cpu.server, "cores");
    report.row(
        "server_cpu_us_per_msg",
        "server CPU per message sent",
        cpu.server.map(|c| c * wall * 1e6 / (sent.max(1) as f64)),
        "µs",
    );
    report.row("harness_cores", "harness CPU", cpu.harness, "cores");
    report.row("other_cores", "other processes' CPU", cpu.other, "cores");
    report.row(
        "rss_mib",
        "server RSS at end",
        ctx.target.rss_kib().map(|k| k as f64 / 1024.0),
        "MiB",
    );
}

/// The checks: nothing lost, duplicated, rejected or unsent; exactly one winner per handoff,
/// each resolved; every other racer refused; the counts add up.
fn check(report: &mut Report, shared: &Shared, summary: &Summary, total: usize) {
    let h = &summary.handoffs;
    report.must_be_zero(
        "conversation start errors",
        shared.start_errors.load(Ordering::Relaxed),
    );
    report.must_be_zero("lost", summary.lost);
    report.must_be_zero("duplicated", summary.duplicated);
    report.must_be_zero("rejected", summary.rejected);
    report.must_be_zero("write failures", summary.write_failed);
    report.must_be_zero("not sent", summary.not_sent);
    report.must_be_zero("double accepts", h.double);
    report.must_be_zero("handoffs with no winner", h.none);
    report.must_be_zero("accept errors", h.accept_errors);
    report.must_be_zero("resolve failures", h.resolve_failed);
    report.must_be_zero(
        "handoffs not resolved",
        h.requested - h.resolved - h.resolve_failed,
    );
    report.must_be_zero("handoffs nobody asked for", h.unexpected);
    report.must_be_zero("missed notifications", h.missed);
    report.must_be_zero("messages never acked", summary.unacked);
    let expected_conflicts = h.requested * (shared.racers as u64 - 1);
    if h.none == 0 && h.double == 0 && h.accept_errors == 0 && h.conflicts != expected_conflicts {
        report.failures.push(format!(
            "accepts refused: {}, expected {expected_conflicts}",
            h.conflicts
        ));
    }
    let q = summary.get("question");
    if summary.sent + summary.write_failed + summary.not_sent != total as u64
        || q.answered + q.lost + q.rejected != q.written
    {
        report.failures.push("message counts do not add up".into());
    }
}

//! `idle`: N visitors each with a conversation and an open widget socket that says nothing.
//! The figure is the server's resident memory per socket: VmRSS after the sockets are open minus
//! VmRSS after the conversations exist (so the cost of a stored conversation is not counted as
//! the socket's), divided by the sockets that reached `ready`. A second figure counts only the
//! second half of the sockets (VmRSS growth while they open, divided by their number): it leaves
//! out costs that are bounded rather than per socket, which weigh on the first figure at small N.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use clap::Args;
use futures::StreamExt;
use serde_json::json;

use crate::Ctx;
use crate::client::{self, VisitorConv};
use crate::report::Report;

#[derive(Args, Clone)]
pub struct IdleArgs {
    /// Idle visitor sockets to open.
    #[arg(long, short = 'n', default_value_t = 5000)]
    connections: usize,
    /// Conversations started and sockets opened at once.
    #[arg(long, default_value_t = 128)]
    concurrency: usize,
    /// Seconds to wait before each memory reading.
    #[arg(long, default_value_t = 3.0)]
    settle: f64,
}

/// Sockets opened by `--smoke`.
const SMOKE_CONNECTIONS: usize = 300;

fn kind_of(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    text.chars().take(80).collect()
}

/// Server RSS readings, in KiB, at each step of the run.
struct Memory {
    empty: Option<u64>,
    /// The conversations stored, no socket open.
    before: Option<u64>,
    /// The first half of the sockets open.
    half: Option<u64>,
    /// Every socket open.
    after: Option<u64>,
    /// The sockets closed again.
    closed: Option<u64>,
}

/// How the conversation starts and the socket opens went.
struct Counts {
    start_secs: f64,
    http_errors: u64,
    connect_secs: f64,
    connected: u64,
    second_half_connected: u64,
}

/// The sockets opened, and the RSS read between the halves.
struct Opened {
    sockets: Vec<client::Ws>,
    secs: f64,
    second_half_connected: u64,
    rss_half: Option<u64>,
}

pub async fn run(args: &IdleArgs, ctx: Ctx<'_>) -> anyhow::Result<Report> {
    let n = if ctx.smoke {
        SMOKE_CONNECTIONS
    } else {
        args.connections
    };
    let settle = Duration::from_secs_f64(if ctx.smoke { 1.0 } else { args.settle });
    let mut report = Report::new(
        "idle",
        ctx.target.kind.name(),
        json!({ "connections": n, "concurrency": args.concurrency }),
    );
    if n as u64 + 64 > ctx.nofile {
        eprintln!(
            "warning: {n} sockets need more file descriptors than the limit of {} (server and harness each hold one per socket); expect connect errors",
            ctx.nofile
        );
    }
    let (_admin, bot) = client::admin_and_bot(
        &ctx.api,
        &ctx.target.admin_email,
        &ctx.target.admin_password,
    )
    .await?;
    tokio::time::sleep(settle).await;
    let rss_empty = ctx.target.rss_kib();

    // Conversations first, over HTTP.
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let (convs, start_secs) = start_conversations(args, &ctx, &bot, n, &mut errors).await;
    let http_errors = (n - convs.len()) as u64;
    tokio::time::sleep(settle).await;
    let rss_before = ctx.target.rss_kib();

    // Then one idle socket per conversation.
    let opened = open_sockets(args, &ctx, convs, n, settle, &mut errors).await;
    let connected = opened.sockets.len() as u64;
    eprintln!(
        "{}: {connected} sockets ready in {:.1} s",
        ctx.target.kind.name(),
        opened.secs
    );
    tokio::time::sleep(settle).await;
    let rss_after = ctx.target.rss_kib();
    drop(opened.sockets);
    tokio::time::sleep(settle).await;
    let rss_closed = ctx.target.rss_kib();

    let counts = Counts {
        start_secs,
        http_errors,
        connect_secs: opened.secs,
        connected,
        second_half_connected: opened.second_half_connected,
    };
    let memory = Memory {
        empty: rss_empty,
        before: rss_before,
        half: opened.rss_half,
        after: rss_after,
        closed: rss_closed,
    };
    report_figures(&mut report, n, &counts, &memory);
    report.extra = json!({ "errors": errors });
    if !errors.is_empty() {
        eprintln!("errors by kind: {errors:#?}");
    }
    Ok(report)
}

/// Starts n conversations over HTTP, counting the failures in `errors` by kind; returns those
/// started and the seconds it took.
async fn start_conversations(
    args: &IdleArgs,
    ctx: &Ctx<'_>,
    bot: &str,
    n: usize,
    errors: &mut BTreeMap<String, u64>,
) -> (Vec<VisitorConv>, f64) {
    let started = Instant::now();
    let api = ctx.api.clone();
    let results: Vec<anyhow::Result<VisitorConv>> = futures::stream::iter(0..n)
        .map(|_| {
            let api = api.clone();
            let bot = bot.to_owned();
            async move { api.start_conversation(&bot).await }
        })
        .buffer_unordered(args.concurrency)
        .collect()
        .await;
    let start_secs = started.elapsed().as_secs_f64();
    let mut convs = Vec::with_capacity(n);
    for result in results {
        match result {
            Ok(conv) => convs.push(conv),
            Err(err) => {
                *errors
                    .entry(format!("start: {}", kind_of(&err)))
                    .or_default() += 1
            }
        }
    }
    eprintln!(
        "{}: {} conversations started in {start_secs:.1} s",
        ctx.target.kind.name(),
        convs.len()
    );
    (convs, start_secs)
}

/// One idle socket per conversation, each waiting for `ready`: in two halves, so the second
/// half's growth shows the cost of one more socket without the costs that do not grow with the
/// sockets (the server's storage caches warming up as the first sockets read their history,
/// tables growing).
async fn open_sockets(
    args: &IdleArgs,
    ctx: &Ctx<'_>,
    mut convs: Vec<VisitorConv>,
    n: usize,
    settle: Duration,
    errors: &mut BTreeMap<String, u64>,
) -> Opened {
    let second = convs.split_off(convs.len() / 2);
    let first = convs;
    let mut sockets = Vec::with_capacity(n);
    let mut connect_secs = 0.0;
    let mut rss_half = None;
    let mut second_half_connected = 0;
    for (index, half) in [first, second].into_iter().enumerate() {
        let started = Instant::now();
        let dialer = ctx.dialer.clone();
        let results: Vec<anyhow::Result<client::Ws>> = futures::stream::iter(half)
            .map(|conv| {
                let dialer = dialer.clone();
                async move { client::visitor_socket(&dialer, &conv).await }
            })
            .buffer_unordered(args.concurrency)
            .collect()
            .await;
        connect_secs += started.elapsed().as_secs_f64();
        for result in results {
            match result {
                Ok(ws) => {
                    sockets.push(ws);
                    if index == 1 {
                        second_half_connected += 1;
                    }
                }
                Err(err) => {
                    *errors
                        .entry(format!("socket: {}", kind_of(&err)))
                        .or_default() += 1
                }
            }
        }
        if index == 0 {
            tokio::time::sleep(settle).await;
            rss_half = ctx.target.rss_kib();
        }
    }
    Opened {
        sockets,
        secs: connect_secs,
        second_half_connected,
        rss_half,
    }
}

/// The report's rows and checks.
fn report_figures(report: &mut Report, n: usize, counts: &Counts, memory: &Memory) {
    let &Counts {
        start_secs,
        http_errors,
        connect_secs,
        connected,
        second_half_connected,
    } = counts;
    let connect_errors = n as u64 - http_errors - connected;
    let mib = |kib: Option<u64>| kib.map(|k| k as f64 / 1024.0);
    let per = |delta: Option<i64>, count: u64| {
        delta.filter(|_| count > 0).map(|d| d as f64 / count as f64)
    };
    let diff = |a: Option<u64>, b: Option<u64>| Some(a? as i64 - b? as i64);
    report.count("requested", "sockets requested", n as u64);
    report.count("connected", "sockets ready", connected);
    report.count("http_errors", "conversation start errors", http_errors);
    report.count("connect_errors", "socket connect errors", connect_errors);
    report.row(
        "rss_empty_mib",
        "server RSS, empty",
        mib(memory.empty),
        "MiB",
    );
    report.row(
        "rss_before_mib",
        "server RSS, conversations only",
        mib(memory.before),
        "MiB",
    );
    report.row(
        "rss_after_mib",
        "server RSS, sockets open",
        mib(memory.after),
        "MiB",
    );
    report.row(
        "rss_closed_mib",
        "server RSS, sockets closed",
        mib(memory.closed),
        "MiB",
    );
    report.row(
        "kib_per_socket",
        "RSS per idle socket",
        per(diff(memory.after, memory.before), connected),
        "KiB",
    );
    report.row(
        "kib_per_socket_second_half",
        "RSS per idle socket, second half",
        per(diff(memory.after, memory.half), second_half_connected),
        "KiB",
    );
    report.row(
        "kib_per_conversation",
        "RSS per stored conversation",
        per(diff(memory.before, memory.empty), n as u64 - http_errors),
        "KiB",
    );
    report.row(
        "conversation_starts_per_s",
        "conversation starts",
        Some((n as u64 - http_errors) as f64 / start_secs.max(1e-9)),
        "/s",
    );
    report.row(
        "sockets_per_s",
        "socket opens",
        Some(connected as f64 / connect_secs.max(1e-9)),
        "/s",
    );
    report.must_be_zero("conversation start errors", http_errors);
    report.must_be_zero("socket connect errors", connect_errors);
}

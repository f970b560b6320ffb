//! `baton-bench`: Baton's load generator (its figures and how to reproduce them: BENCHMARKS.md).
//!
//! It starts Baton itself (release binary, fresh data directory, generous per-address limits)
//! or targets `--url`, drives it the way the widget and the Live Chat panel do, and prints a
//! table (and JSON with `--json`). With `--floor` it runs the same scenario against a minimal
//! Node.js relay (bench/floor/relay.js) and prints both side by side with their ratio.
//!
//! Load is open-loop: messages and handoff requests go out on a fixed schedule and latency is
//! measured from the scheduled time, so a stalled server cannot hide its stall.
//!
//! Scenarios: `idle` (server memory per idle visitor socket), `relay` (visitor↔agent message
//! latency at a given rate, no message lost or duplicated), `handoff` (notification latency to
//! every online agent, exactly one accept wins), `mix` (a realistic day: AI-only conversations
//! with the built-in engine, 10% handing off to agents who accept and chat; latency per message
//! kind and CPU use). `--smoke` runs a few hundred connections for a
//! few seconds and exits non-zero unless every count adds up.

mod client;
mod handoff;
mod idle;
mod mix;
mod relay;
mod report;
mod sys;
mod target;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use serde_json::json;

use crate::client::{Api, Dialer};
use crate::report::Report;
use crate::target::{BatonLaunch, FloorLaunch, Kind, Target};

#[derive(Parser)]
#[command(
    name = "baton-bench",
    about = "Load generator for Baton: idle, relay, handoff and mix scenarios."
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Args, Clone)]
struct Common {
    /// The Baton binary to start (a release build).
    #[arg(long, global = true, default_value = "target/release/baton")]
    baton_bin: PathBuf,
    /// `baton serve --durability` for the server the harness starts.
    #[arg(long, global = true, default_value = "normal")]
    durability: String,
    /// An extra argument for `baton serve` (repeatable), e.g. --serve-arg=--sockets-per-agent=16.
    #[arg(long = "serve-arg", global = true, allow_hyphen_values = true)]
    serve_args: Vec<String>,
    /// Target a Baton already running at this URL (http://IP:PORT) instead of starting one.
    #[arg(long, global = true)]
    url: Option<String>,
    /// With --url: the server's process id, for memory and CPU readings.
    #[arg(long, global = true)]
    server_pid: Option<u32>,
    /// With --url: an admin's email.
    #[arg(long, global = true)]
    admin_email: Option<String>,
    /// With --url: that admin's password.
    #[arg(long, global = true)]
    admin_password: Option<String>,
    /// Also run the scenario against the Node.js floor relay and print both side by side.
    #[arg(long, global = true)]
    floor: bool,
    /// Run the scenario against the floor relay only (to check the harness without Baton).
    #[arg(long, global = true)]
    floor_only: bool,
    /// The floor relay script.
    #[arg(long, global = true, default_value = "bench/floor/relay.js")]
    floor_script: PathBuf,
    /// The Node.js executable for the floor.
    #[arg(long, global = true, default_value = "node")]
    node: String,
    /// Write the figures as JSON to this file.
    #[arg(long, global = true)]
    json: Option<PathBuf>,
    /// A short run (a few hundred connections, seconds) that checks the counts add up.
    #[arg(long, global = true)]
    smoke: bool,
    /// How many loopback source addresses (127.1.x.y) client sockets are spread over.
    #[arg(long, global = true, default_value_t = 1000)]
    sources: u32,
    /// Keep the started server's data directory (its log is server.log there).
    #[arg(long, global = true)]
    keep_data: bool,
    /// Start a second Baton on the same PostgreSQL database (give it with
    /// --serve-arg=--database-url=postgres://…): visitors use the first, agents the second.
    #[arg(long, global = true)]
    second_node: bool,
}

#[derive(Subcommand)]
enum Scenario {
    /// N idle visitor sockets: server memory per socket.
    Idle(idle::IdleArgs),
    /// Visitors and agents exchanging messages at R msg/s in human-owned conversations.
    Relay(relay::RelayArgs),
    /// Visitors asking for a person while A agents are online: notification and accept.
    Handoff(handoff::HandoffArgs),
    /// A realistic day: AI-only conversations with the built-in engine, 10% handing off to
    /// agents who accept and chat; latency per message kind and CPU use.
    Mix(mix::MixArgs),
}

impl Scenario {
    fn name(&self) -> &'static str {
        match self {
            Scenario::Idle(_) => "idle",
            Scenario::Relay(_) => "relay",
            Scenario::Handoff(_) => "handoff",
            Scenario::Mix(_) => "mix",
        }
    }
}

/// What every scenario gets: the server, its API and a way to open sockets.
pub struct Ctx<'a> {
    pub target: &'a mut Target,
    pub api: Api,
    pub dialer: Arc<Dialer>,
    /// Where agents connect: the same server, or the second node (`--second-node`).
    pub agent_api: Api,
    pub agent_dialer: Arc<Dialer>,
    pub smoke: bool,
    /// The open-file limit in force (for this process and the server it started).
    pub nofile: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let nofile = sys::raise_nofile(1_100_000);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match run(&cli, &runtime, nofile) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the scenario on Baton (and the floor); returns whether every count added up.
fn run(cli: &Cli, runtime: &tokio::runtime::Runtime, nofile: u64) -> anyhow::Result<bool> {
    let common = &cli.common;
    eprintln!(
        "baton-bench {}: open-file limit {nofile}{}",
        cli.scenario.name(),
        if common.smoke { " (smoke)" } else { "" }
    );
    let kinds = match (common.floor_only, common.floor) {
        (true, _) => vec![Kind::Floor],
        (false, true) => vec![Kind::Baton, Kind::Floor],
        (false, false) => vec![Kind::Baton],
    };
    let mut reports: Vec<Report> = Vec::new();
    for kind in kinds {
        let mut target = match (kind, &common.url) {
            (Kind::Baton, Some(url)) => Target::existing(
                url,
                common.server_pid,
                common.admin_email.clone(),
                common.admin_password.clone(),
            )?,
            (Kind::Baton, None) => {
                let launch = BatonLaunch {
                    bin: common.baton_bin.clone(),
                    durability: common.durability.clone(),
                    extra_args: common.serve_args.clone(),
                };
                let mut target = Target::start_baton(&launch, common.keep_data)?;
                if common.second_node {
                    target.add_second_node(&launch)?;
                }
                target
            }
            (Kind::Floor, _) => Target::start_floor(&FloorLaunch {
                node: common.node.clone(),
                script: common.floor_script.clone(),
            })?,
        };
        eprintln!(
            "{}: listening on {} (pid {})",
            kind.name(),
            target.addr,
            target.pid.map_or("unknown".into(), |p| p.to_string())
        );
        let api = Api::new(target.base())?;
        let dialer = Arc::new(Dialer::new(target.addr, common.sources));
        let agent_api = Api::new(format!("http://{}", target.agent_addr()))?;
        let agent_dialer = Arc::new(Dialer::new(target.agent_addr(), common.sources));
        let ctx = Ctx {
            target: &mut target,
            api,
            dialer,
            agent_api,
            agent_dialer,
            smoke: common.smoke,
            nofile,
        };
        let report = runtime
            .block_on(async {
                match &cli.scenario {
                    Scenario::Idle(args) => idle::run(args, ctx).await,
                    Scenario::Relay(args) => relay::run(args, ctx).await,
                    Scenario::Handoff(args) => handoff::run(args, ctx).await,
                    Scenario::Mix(args) => mix::run(args, ctx).await,
                }
            })
            .with_context(|| format!("{} on {}", cli.scenario.name(), kind.name()))?;
        if !target.alive() {
            anyhow::bail!("the {} server exited during the run", kind.name());
        }
        drop(target);
        reports.push(report);
    }
    report::print(&reports);
    if let Some(path) = &common.json {
        let doc = json!({
            "scenario": cli.scenario.name(),
            "smoke": common.smoke,
            "command": std::env::args().collect::<Vec<_>>().join(" "),
            "machine": sys::machine(),
            "open_file_limit": nofile,
            "reports": reports.iter().map(Report::to_json).collect::<Vec<_>>(),
        });
        std::fs::write(path, serde_json::to_string_pretty(&doc)? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(reports.iter().all(|r| r.failures.is_empty()))
}

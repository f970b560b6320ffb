//! The `baton` binary: parses the command line and starts the library's pieces.

mod commands;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use baton_server::{App, Config};
use baton_storage::{Durability, Role};
use clap::{Parser, Subcommand, ValueEnum};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "baton", version = version(), about = "Baton: a self-hosted AI chat assistant with human handoff done right.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        let tzdb = baton_domain::schedule::tzdb_version().unwrap_or("bundled");
        format!("{} (tz database {tzdb})", env!("CARGO_PKG_VERSION"))
    })
}

#[derive(Subcommand)]
enum Command {
    /// Run the server: widget, Live Chat panel and API.
    Serve(Box<ServeArgs>),
    /// Manage agent accounts.
    Agent {
        #[command(subcommand)]
        command: AgentCommand,
    },
    /// Workspaces: one installation serving several teams or clients.
    Workspace {
        #[command(subcommand)]
        command: WorkspaceCommand,
    },
    /// Work with availability schedules.
    Schedule {
        #[command(subcommand)]
        command: ScheduleCommand,
    },
    /// Handoff trigger detection.
    Triggers {
        #[command(subcommand)]
        command: TriggersCommand,
    },
}

#[derive(Subcommand)]
enum TriggersCommand {
    /// Read JSON lines ({"text": …} or {"messages": [{"author", "text"}, …]}, optionally
    /// "settings") on stdin and write one classification per line: {"trigger", "score", "reason"}.
    Classify {
        /// Add "explain": the rule family that decided, the words it matched, whether a request
        /// was negated, and how many visitor turns counted.
        #[arg(long)]
        explain: bool,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "BATON_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Serve Prometheus metrics (GET /metrics) on this separate address, e.g. 127.0.0.1:9464.
    /// Without it no metrics are exported. Keep it off the public network: see docs/metrics.md.
    #[arg(long, env = "BATON_METRICS_LISTEN", value_name = "ADDRESS", value_parser = parse_metrics_listen)]
    metrics_listen: Option<SocketAddr>,
    /// Folder for the SQLite database (created if missing).
    #[arg(long, env = "BATON_DATA_DIR", default_value = "./baton-data")]
    data_dir: PathBuf,
    /// A PostgreSQL database shared by every Baton process of this installation, e.g.
    /// postgres://baton:PASSWORD@db.internal/baton (prefer the environment variable: command
    /// lines are visible to other users). Without it, SQLite in --data-dir.
    #[arg(long, env = "BATON_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// The URL people use to reach this server (for printed links), e.g. https://chat.example.com.
    #[arg(long, env = "BATON_PUBLIC_URL")]
    public_url: Option<String>,
    /// Commit durability: `normal` survives a crash of Baton or the OS process; `full` also a
    /// power loss (an fsync per commit, and one commit holds every write that queued meanwhile).
    #[arg(long, env = "BATON_DURABILITY", value_enum, default_value = "normal")]
    durability: DurabilityArg,
    /// Mark session cookies Secure (set when serving over HTTPS).
    #[arg(long, env = "BATON_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Trust X-Forwarded-For for the client address (only behind your own reverse proxy).
    #[arg(long, env = "BATON_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// Largest message, in bytes.
    #[arg(long, env = "BATON_MAX_MESSAGE_BYTES", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(64..=1_048_576))]
    max_message_bytes: u32,
    /// Largest attachment, in bytes.
    #[arg(long, env = "BATON_MAX_ATTACHMENT_BYTES", default_value_t = 10 * 1024 * 1024, value_parser = clap::value_parser!(u32).range(1..=1_073_741_824))]
    max_attachment_bytes: u32,
    /// Attachments one conversation may hold.
    #[arg(long, env = "BATON_MAX_ATTACHMENTS_PER_CONVERSATION", default_value_t = 20, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    max_attachments_per_conversation: u32,
    /// How long a signed link to an attachment (sent to FreshChat agents, who have no Baton
    /// session) stays valid, in days.
    #[arg(long, env = "BATON_ATTACHMENT_LINK_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=365))]
    attachment_link_days: u32,
    /// Where attachments' bytes are kept: `local` (the data folder) or an S3-compatible bucket,
    /// `s3://bucket/prefix`.
    #[arg(long, env = "BATON_BLOB_STORE", default_value = "local")]
    blob_store: String,
    /// The S3-compatible service's URL (MinIO, Ceph, R2, …); without it, AWS S3.
    #[arg(long, env = "BATON_S3_ENDPOINT")]
    s3_endpoint: Option<String>,
    /// The bucket's region.
    #[arg(long, env = "AWS_REGION", default_value = "us-east-1")]
    s3_region: String,
    /// The S3 access key id.
    #[arg(long, env = "AWS_ACCESS_KEY_ID", hide_env_values = true)]
    s3_access_key_id: Option<String>,
    /// The S3 secret access key (prefer the environment: flags show in process lists).
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    s3_secret_access_key: Option<String>,
    /// How old an attachment blob no attachment refers to must be before it is removed, in
    /// minutes.
    #[arg(long, env = "BATON_UNUSED_BLOB_GRACE_MINUTES", default_value_t = 60, value_parser = clap::value_parser!(u32).range(5..=100_000))]
    unused_blob_grace_minutes: u32,
    /// Visitor messages allowed per conversation per minute.
    #[arg(long, env = "BATON_VISITOR_MESSAGES_PER_MINUTE", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    visitor_messages_per_minute: u32,
    /// Visitor messages allowed in a burst before the per-minute rate applies.
    #[arg(long, env = "BATON_VISITOR_MESSAGE_BURST", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    visitor_message_burst: u32,
    /// Conversations one address may start per minute.
    #[arg(long, env = "BATON_CONVERSATIONS_PER_MINUTE_PER_IP", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    conversations_per_minute_per_ip: u32,
    /// Failed logins allowed per account and address per 15 minutes.
    #[arg(long, env = "BATON_LOGIN_FAILURES", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    login_failures: u32,
    /// Open WebSockets allowed per conversation.
    #[arg(long, env = "BATON_SOCKETS_PER_CONVERSATION", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    sockets_per_conversation: u32,
    /// Open panel WebSockets allowed per agent.
    #[arg(long, env = "BATON_SOCKETS_PER_AGENT", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    sockets_per_agent: u32,
    /// Writes allowed to wait for the database at once; more are refused at once (503 with
    /// Retry-After) instead of queueing without bound.
    #[arg(long, env = "BATON_WRITE_QUEUE", default_value_t = baton_storage::DEFAULT_WRITE_QUEUE_LIMIT as u32, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    write_queue: u32,
    /// How far behind (ms, sustained) the server may run before it refuses new messages and
    /// conversations with 503 overloaded instead of queueing them; 0 never refuses.
    #[arg(long, env = "BATON_SHED_LAG_MS", default_value_t = 50, value_parser = clap::value_parser!(u32).range(0..=60_000))]
    shed_lag_ms: u32,
    /// SMTP server for ticket notifications and replies to visitors (no email without it).
    #[arg(long, env = "BATON_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP port (587 for STARTTLS, 465 for TLS, 25 for a local relay).
    #[arg(long, env = "BATON_SMTP_PORT", default_value_t = 587)]
    smtp_port: u16,
    /// SMTP transport security.
    #[arg(long, env = "BATON_SMTP_TLS", value_enum, default_value = "starttls")]
    smtp_tls: SmtpTlsArg,
    #[arg(long, env = "BATON_SMTP_USERNAME")]
    smtp_username: Option<String>,
    /// SMTP password (prefer the environment variable: command lines are visible to other users).
    #[arg(long, env = "BATON_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// The From address of Baton's emails, e.g. "Support <support@example.com>".
    #[arg(long, env = "BATON_SMTP_FROM")]
    smtp_from: Option<String>,
    /// Failed deliveries (webhooks, emails) are retried with exponential backoff up to this many
    /// attempts, then dead-lettered and shown to admins.
    #[arg(long, env = "BATON_OUTBOX_MAX_ATTEMPTS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=100))]
    outbox_max_attempts: u32,
    /// An OpenAI-compatible chat-completions API for the bots' answers (OpenAI, Ollama, vLLM,
    /// llama.cpp server), e.g. http://localhost:11434/v1. Without it the built-in engine answers.
    /// On any failure of the model the built-in engine answers instead.
    #[arg(long, env = "BATON_LLM_BASE_URL")]
    llm_base_url: Option<String>,
    /// The model name, e.g. gpt-4o-mini or llama3.1.
    #[arg(long, env = "BATON_LLM_MODEL", default_value = "gpt-4o-mini")]
    llm_model: String,
    /// The API key, if the provider needs one (read from the environment; never logged).
    #[arg(long, env = "BATON_LLM_API_KEY", hide_env_values = true)]
    llm_api_key: Option<String>,
    /// Let admin-supplied outbound URLs (webhooks, a workspace's AI model, the FreshChat API URL)
    /// reach this host although it is loopback, private or link-local, and over plain http://
    /// (e.g. a model on this machine, a local FreshChat stand-in).
    /// HOST or HOST:PORT; repeat the flag for several (comma-separated in the environment).
    #[arg(long = "allow-outbound-host", env = "BATON_ALLOW_OUTBOUND_HOST", value_delimiter = ',', value_parser = parse_allowed_host)]
    allow_outbound_host: Vec<baton_server::outbound::AllowedHost>,
    /// How long an agent stays logged in, in hours.
    #[arg(long, env = "BATON_SESSION_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=24 * 90))]
    session_hours: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum SmtpTlsArg {
    None,
    Starttls,
    Tls,
}

#[derive(Clone, Copy, ValueEnum)]
enum DurabilityArg {
    Normal,
    Full,
}

#[derive(Subcommand)]
enum AgentCommand {
    /// Add an agent account. The password is read from a hidden prompt, or from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The name visitors see (defaults to the part of the email before the @).
        #[arg(long)]
        name: Option<String>,
        /// Most conversations the agent handles at once.
        #[arg(long, default_value_t = 5)]
        max_chats: u32,
        /// Workspace id or name (needed only when there are several).
        #[arg(long)]
        workspace: Option<String>,
        #[arg(long, env = "BATON_DATA_DIR", default_value = "./baton-data")]
        data_dir: PathBuf,
        /// The PostgreSQL database, as for `baton serve`.
        #[arg(long, env = "BATON_DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
    },
    /// Set an agent's password (read from a hidden prompt, or from standard input) and end all
    /// their sessions.
    SetPassword {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Subcommand)]
enum WorkspaceCommand {
    /// Create a workspace with a first bot and a first admin, whose one-time password is printed
    /// once.
    Create {
        /// The workspace's name (1 to 80 characters).
        #[arg(long)]
        name: String,
        /// The first admin's email (their login).
        #[arg(long)]
        admin_email: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the workspaces: id, creation date and name.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Where the database is, as for `baton serve`.
#[derive(clap::Args)]
struct DatabaseArgs {
    #[arg(long, env = "BATON_DATA_DIR", default_value = "./baton-data")]
    data_dir: PathBuf,
    /// The PostgreSQL database, as for `baton serve`.
    #[arg(long, env = "BATON_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

impl DatabaseArgs {
    fn database(&self) -> commands::workspace::Database<'_> {
        commands::workspace::Database {
            data_dir: &self.data_dir,
            database_url: self.database_url.clone(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Agent,
}

#[derive(Subcommand)]
enum ScheduleCommand {
    /// Is the schedule in FILE open at an instant, and when does that next change?
    Check {
        file: PathBuf,
        /// An RFC 3339 instant, e.g. 2026-11-25T16:30:00Z.
        #[arg(long)]
        at: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schedule {
            command: ScheduleCommand::Check { file, at },
        } => commands::schedule::check(&file, &at),
        Command::Triggers {
            command: TriggersCommand::Classify { explain },
        } => {
            match commands::triggers::classify(
                std::io::stdin().lock(),
                std::io::stdout().lock(),
                explain,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("error: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve(args) => run(serve(*args)),
        Command::Agent {
            command: AgentCommand::SetPassword { email, database },
        } => run(commands::agent::set_password(
            &database.data_dir,
            database.database_url,
            &email,
        )),
        Command::Workspace {
            command:
                WorkspaceCommand::Create {
                    name,
                    admin_email,
                    database,
                },
        } => run(commands::workspace::create(
            database.database(),
            &name,
            &admin_email,
        )),
        Command::Workspace {
            command: WorkspaceCommand::List { database },
        } => run(commands::workspace::list(database.database())),
        Command::Agent {
            command:
                AgentCommand::Create {
                    email,
                    role,
                    name,
                    max_chats,
                    workspace,
                    data_dir,
                    database_url,
                },
        } => run(commands::agent::create(commands::agent::CreateArgs {
            data_dir: &data_dir,
            database_url,
            email: &email,
            role: match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Agent => Role::Agent,
            },
            display_name: name.as_deref(),
            max_chats,
            workspace: workspace.as_deref(),
        })),
    }
}

fn run(future: impl std::future::Future<Output = anyhow::Result<()>>) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("BATON_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(future) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse_metrics_listen(text: &str) -> Result<SocketAddr, String> {
    text.parse()
        .map_err(|_| "expected an IP address and port, e.g. 127.0.0.1:9464".to_owned())
}

fn parse_allowed_host(text: &str) -> Result<baton_server::outbound::AllowedHost, String> {
    baton_server::outbound::AllowedHost::parse(text)
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut config = Config::new(&args.data_dir);
    let blobs = blob_store(&args, &config).await?;
    apply_serve_args(&mut config, &args)?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let metrics_listener = match args.metrics_listen {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("--metrics-listen: cannot listen on {addr}"))?,
        ),
        None => None,
    };
    if config.public_url.is_none() && args.listen.ip().is_unspecified() {
        tracing::warn!(
            listen = %args.listen,
            "no --public-url: links that leave this machine (emails, signed attachment links \
             in FreshChat) will name {}, which other machines cannot open; set --public-url \
             (BATON_PUBLIC_URL) to the address visitors use",
            args.listen
        );
    }
    let metrics = Arc::new(baton_server::Metrics::new());
    let base = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.listen));
    let (engine, engine_name) = ai_engine(&args, &metrics)?;
    let mut app = App::build_with_metrics(config, engine, metrics).await?;
    if let Some(blobs) = blobs {
        app = app.with_blob_store(blobs);
    }
    let metrics_addr = metrics_listener.as_ref().and_then(|l| l.local_addr().ok());
    if let Some(listener) = metrics_listener {
        app = app.with_metrics_listener(listener);
    }
    let seeded = baton_server::first_run::seed_if_empty(&app.state.store).await?;
    print_welcome(&base, &engine_name, metrics_addr, seeded.as_ref());
    app.serve(listener, shutdown_signal()).await
}

/// The server's settings from `baton serve`'s arguments (the blob store aside).
fn apply_serve_args(config: &mut Config, args: &ServeArgs) -> anyhow::Result<()> {
    config.database_url = args.database_url.clone();
    config.durability = match args.durability {
        DurabilityArg::Normal => Durability::Normal,
        DurabilityArg::Full => Durability::Full,
    };
    config.public_url = args
        .public_url
        .as_ref()
        .map(|u| u.trim_end_matches('/').to_owned());
    config.secure_cookies = args.secure_cookies;
    config.trust_forwarded_for = args.trust_forwarded_for;
    config.session_ttl = Duration::from_secs(u64::from(args.session_hours) * 3600);
    config.outbox_max_attempts = args.outbox_max_attempts;
    config.unused_blob_grace = Duration::from_secs(u64::from(args.unused_blob_grace_minutes) * 60);
    config.attachment_link_ttl = Duration::from_secs(u64::from(args.attachment_link_days) * 86_400);
    config.allowed_outbound_hosts = args.allow_outbound_host.clone();
    if let Some(host) = &args.smtp_host {
        let from = args
            .smtp_from
            .clone()
            .context("--smtp-from (BATON_SMTP_FROM) is required with --smtp-host")?;
        config.smtp = Some(baton_server::config::SmtpConfig {
            host: host.clone(),
            port: args.smtp_port,
            tls: match args.smtp_tls {
                SmtpTlsArg::None => baton_server::config::SmtpTls::None,
                SmtpTlsArg::Starttls => baton_server::config::SmtpTls::StartTls,
                SmtpTlsArg::Tls => baton_server::config::SmtpTls::Tls,
            },
            username: args.smtp_username.clone(),
            password: args.smtp_password.clone(),
            from,
        });
    }
    let limits = &mut config.limits;
    limits.max_message_bytes = args.max_message_bytes as usize;
    limits.max_attachment_bytes = args.max_attachment_bytes as usize;
    limits.max_attachments_per_conversation = args.max_attachments_per_conversation;
    limits.visitor_messages_per_minute = args.visitor_messages_per_minute;
    limits.visitor_message_burst = args.visitor_message_burst;
    limits.conversations_per_minute_per_ip = args.conversations_per_minute_per_ip;
    limits.login_failures = args.login_failures;
    limits.sockets_per_conversation = args.sockets_per_conversation as usize;
    limits.sockets_per_agent = args.sockets_per_agent as usize;
    limits.write_queue = args.write_queue as usize;
    limits.shed_lag =
        (args.shed_lag_ms > 0).then(|| Duration::from_millis(u64::from(args.shed_lag_ms)));
    Ok(())
}

/// The AI engine `--llm-base-url` asks for (the built-in one without it, and as its fallback),
/// and how the start-up banner names it.
fn ai_engine(
    args: &ServeArgs,
    metrics: &Arc<baton_server::Metrics>,
) -> anyhow::Result<(Arc<dyn baton_ai::Engine>, String)> {
    let Some(url) = &args.llm_base_url else {
        return Ok((
            Arc::new(baton_ai::builtin::BuiltinEngine),
            "built-in engine".to_owned(),
        ));
    };
    baton_ai::openai::install_crypto_provider();
    let mut llm = baton_ai::OpenAiConfig::new(url.trim_end_matches('/'), &args.llm_model);
    llm.api_key = args.llm_api_key.clone().map(baton_ai::ApiKey::new);
    let primary = baton_ai::OpenAiEngine::new(llm).context("invalid --llm-base-url")?;
    let observer: Arc<dyn baton_ai::CallObserver> = metrics.clone();
    let engine = Arc::new(baton_ai::FallbackEngine::new(
        baton_ai::Observed::new(primary, observer),
        baton_ai::builtin::BuiltinEngine,
    ));
    let name = format!("{} at {url} (built-in engine as fallback)", args.llm_model);
    Ok((engine, name))
}

/// Where to find everything, and on a first run the demo workspace's admin login (shown once).
fn print_welcome(
    base: &str,
    engine_name: &str,
    metrics_addr: Option<std::net::SocketAddr>,
    seeded: Option<&baton_server::first_run::Seeded>,
) {
    println!("Baton {} is listening on {base}", version());
    println!("  AI: {engine_name}");
    println!("  Widget demo page: {base}/demo");
    println!("  Live Chat panel:  {base}/panel");
    println!("  Agent Editor:     {base}/editor");
    if let Some(addr) = metrics_addr {
        println!("  Metrics:          http://{addr}/metrics");
    }
    if let Some(seeded) = seeded {
        println!();
        println!(
            "First run: created {:?} with a demo bot ({}).",
            seeded.workspace_name, seeded.bot_id
        );
        println!("  Admin login: {}", seeded.admin_email);
        println!(
            "  Password:    {}   (shown once; keep it safe)",
            seeded.admin_password
        );
        println!("  Add agents:  baton agent create --email ana@example.com --role agent");
    }
}

/// The S3-compatible store `--blob-store s3://…` names, checked against the bucket now so a
/// mistake stops the start with what to fix; `None` for the local store.
async fn blob_store(
    args: &ServeArgs,
    config: &Config,
) -> anyhow::Result<Option<Arc<dyn baton_server::blobs::BlobStore>>> {
    use baton_server::blobs::{S3BlobStore, S3Config};
    if args.blob_store == "local" {
        return Ok(None);
    }
    let (bucket, prefix) = S3Config::parse_url(&args.blob_store).map_err(anyhow::Error::msg)?;
    if args.s3_access_key_id.is_some() != args.s3_secret_access_key.is_some() {
        anyhow::bail!(
            "give both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or --s3-access-key-id and --s3-secret-access-key), or neither"
        );
    }
    let s3 = S3Config {
        bucket,
        prefix,
        endpoint: args
            .s3_endpoint
            .as_ref()
            .map(|e| e.trim_end_matches('/').to_owned()),
        region: args.s3_region.clone(),
        access_key_id: args.s3_access_key_id.clone(),
        secret_access_key: args.s3_secret_access_key.clone(),
    };
    let store =
        S3BlobStore::new(&s3, config.attachments_dir().join("tmp")).map_err(anyhow::Error::msg)?;
    store.check().await.map_err(anyhow::Error::msg)?;
    Ok(Some(Arc::new(store)))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

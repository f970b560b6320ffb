//! Server configuration: where data lives, how the server is reached, and every named limit.

use std::path::PathBuf;
use std::time::Duration;

use baton_domain::attachment::FileType;
use baton_storage::{DEFAULT_WRITE_QUEUE_LIMIT, Durability, Store, StoreOptions};

/// Every limit the server enforces, named, configurable and tested (README.md, "Configuration";
/// docs/api.md, "Limits").
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest message text, in bytes (HTTP 413 above it).
    pub max_message_bytes: usize,
    /// Visitor messages per conversation per minute (sustained rate; HTTP 429 above it).
    pub visitor_messages_per_minute: u32,
    /// Visitor messages a conversation may send in a burst before the per-minute rate applies.
    pub visitor_message_burst: u32,
    /// Conversations one client address may start per minute.
    pub conversations_per_minute_per_ip: u32,
    /// Failed logins allowed per account and address within `login_window`.
    pub login_failures: u32,
    pub login_window: Duration,
    /// Open WebSockets allowed per conversation (visitor tabs) and per agent (panel tabs).
    pub sockets_per_conversation: usize,
    pub sockets_per_agent: usize,
    /// Largest WebSocket frame a client may send.
    pub max_ws_frame_bytes: usize,
    /// Writes allowed to wait for the database at once; past it a write is refused at once
    /// (HTTP 503 with `Retry-After`, an `overloaded` error frame on a socket) instead of queueing
    /// without bound.
    pub write_queue: usize,
    /// How far behind the runtime may run (sustained) before new messages and conversations are
    /// refused with 503 `overloaded` (see `overload.rs`); `None` never refuses.
    pub shed_lag: Option<Duration>,
    /// Transcripts a visitor may have emailed per conversation per hour (HTTP 429 above it).
    pub transcript_emails_per_hour: u32,
    /// Largest attachment, in bytes (HTTP 413 above it).
    pub max_attachment_bytes: usize,
    /// Attachments one conversation may hold (HTTP 409 past it).
    pub max_attachments_per_conversation: u32,
    /// The file types accepted as attachments, decided from the file's bytes (HTTP 415 for
    /// others). SVG and HTML are never accepted: they could run script.
    pub attachment_types: Vec<FileType>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 4096,
            visitor_messages_per_minute: 30,
            visitor_message_burst: 10,
            conversations_per_minute_per_ip: 20,
            login_failures: 10,
            login_window: Duration::from_secs(15 * 60),
            sockets_per_conversation: 8,
            sockets_per_agent: 8,
            max_ws_frame_bytes: 16 * 1024,
            write_queue: DEFAULT_WRITE_QUEUE_LIMIT,
            shed_lag: Some(Duration::from_millis(50)),
            transcript_emails_per_hour: 3,
            max_attachment_bytes: 10 * 1024 * 1024,
            max_attachments_per_conversation: 20,
            attachment_types: FileType::ALL.to_vec(),
        }
    }
}

/// How long a signed attachment link stays valid unless configured otherwise: a week, long
/// enough for a FreshChat agent to come back to a conversation.
pub const DEFAULT_ATTACHMENT_LINK_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

#[derive(Clone)]
pub struct Config {
    /// Folder holding the SQLite database (when no `database_url` is given) and, with either
    /// database, the attachments' bytes (`attachments/`).
    pub data_dir: PathBuf,
    /// A PostgreSQL database (`postgres://user:password@host:port/db`) shared by every Baton
    /// process that serves the same installation; `None` means SQLite in `data_dir`. Never
    /// logged as given: see [`baton_storage::redact_url`].
    pub database_url: Option<String>,
    /// How durable each commit is (see [`Durability`]).
    pub durability: Durability,
    /// The URL visitors' browsers and agents use to reach this server, e.g.
    /// `https://chat.example.com`. Printed links and the widget snippet use it. `None` means
    /// "the address the server listens on".
    pub public_url: Option<String>,
    /// Mark session cookies `Secure` (serve over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// How long an agent stays logged in.
    pub session_ttl: Duration,
    /// How often waiting handoffs are checked against their accept deadline.
    pub sweep_interval: Duration,
    pub limits: Limits,
    /// Outgoing email (ticket notifications, replies to visitors). `None`: no email is sent.
    pub smtp: Option<SmtpConfig>,
    /// Outbox retries: the first waits `outbox_base_delay`, each next one twice as long (capped at
    /// an hour); after `outbox_max_attempts` failures a delivery is dead-lettered.
    pub outbox_base_delay: Duration,
    pub outbox_max_attempts: u32,
    /// How long a signed link to an attachment (the capability URL FreshChat agents open, who
    /// have no Baton session) stays valid after it is made.
    pub attachment_link_ttl: Duration,
    /// How old a blob no attachment refers to must be before the sweep removes it: longer than
    /// any upload takes between keeping its bytes and committing (`blob_sweep.rs`).
    pub unused_blob_grace: Duration,
    /// How often each node sweeps unused blobs.
    pub blob_sweep_interval: Duration,
    /// Hosts an admin-supplied outbound URL may reach although they are internal, and over plain
    /// http (`--allow-outbound-host`; see `crate::outbound`).
    pub allowed_outbound_hosts: Vec<crate::outbound::AllowedHost>,
}

impl std::fmt::Debug for Config {
    // The database password never reaches a log (SMTP's is hidden by `SmtpConfig`'s own Debug).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(baton_storage::redact_url),
            )
            .field("durability", &self.durability)
            .field("public_url", &self.public_url)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("session_ttl", &self.session_ttl)
            .field("sweep_interval", &self.sweep_interval)
            .field("limits", &self.limits)
            .field("smtp", &self.smtp)
            .field("outbox_base_delay", &self.outbox_base_delay)
            .field("outbox_max_attempts", &self.outbox_max_attempts)
            .field("attachment_link_ttl", &self.attachment_link_ttl)
            .field("unused_blob_grace", &self.unused_blob_grace)
            .field("blob_sweep_interval", &self.blob_sweep_interval)
            .field("allowed_outbound_hosts", &self.allowed_outbound_hosts)
            .finish()
    }
}

/// How email leaves Baton.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The From address, e.g. `Baton <support@example.com>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    // The password never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection (a local relay).
    None,
    /// Upgrade with STARTTLS (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            database_url: None,
            durability: Durability::default(),
            public_url: None,
            secure_cookies: false,
            trust_forwarded_for: false,
            session_ttl: Duration::from_secs(12 * 3600),
            sweep_interval: Duration::from_millis(500),
            limits: Limits::default(),
            smtp: None,
            outbox_base_delay: Duration::from_secs(2),
            outbox_max_attempts: 12,
            attachment_link_ttl: DEFAULT_ATTACHMENT_LINK_TTL,
            unused_blob_grace: Duration::from_secs(3600),
            blob_sweep_interval: Duration::from_secs(600),
            allowed_outbound_hosts: Vec::new(),
        }
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("baton.db")
    }

    /// Where attachments' bytes are kept on local disk (also with PostgreSQL).
    pub fn attachments_dir(&self) -> PathBuf {
        self.data_dir.join("attachments")
    }

    /// How storage is opened for this configuration.
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            durability: self.durability,
            write_queue_limit: self.limits.write_queue,
        }
    }

    /// Opens the configured database (running its migrations): PostgreSQL at `database_url`, or
    /// SQLite in `data_dir` (created if missing). An error names the database without its
    /// password.
    pub async fn open_store(&self) -> anyhow::Result<Store> {
        match &self.database_url {
            Some(url) => Store::open_url(url, self.store_options())
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "cannot open the database {}: {e}",
                        baton_storage::redact_url(url)
                    )
                }),
            None => {
                std::fs::create_dir_all(&self.data_dir).map_err(|e| {
                    anyhow::anyhow!(
                        "cannot create the data directory {}: {e}",
                        self.data_dir.display()
                    )
                })?;
                Store::open_sqlite(&self.database_path(), self.store_options())
                    .await
                    .map_err(|e| {
                        anyhow::anyhow!(
                            "cannot open the database {}: {e}",
                            self.database_path().display()
                        )
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_password_never_shows_in_debug_output() {
        let mut config = Config::new("/tmp/baton");
        config.database_url = Some("postgres://baton:s3cret-pw@db.internal/baton".into());
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(
            shown.contains("postgres://baton:***@db.internal/baton"),
            "{shown}"
        );
    }
}

//! Baton's server: the HTTP/WebSocket edge, the application services that run the handoff flow,
//! and the background tasks (accept timeouts). The binary, the tests and the load generator all
//! start it the same way: [`App::build`] from a [`Config`], then [`App::serve`] on a pre-bound
//! listener with a shutdown future.

pub mod blob_sweep;
pub mod blobs;
pub mod cluster;
pub mod config;
pub mod delivery;
pub mod events;
pub mod first_run;
pub mod freshchat;
pub mod http;
pub mod hub;
pub mod metrics;
pub mod outbound;
pub mod overload;
pub mod ratelimit;
pub mod secrets;
pub mod service;
pub mod state;
pub mod views;
pub mod widget_strings;

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use axum::serve::ListenerExt;
use baton_ai::Engine;
use baton_storage::Store;
use tokio::net::TcpListener;

pub use config::{Config, Limits};
pub use metrics::Metrics;
use state::{AppState, Limiters};

/// A built application, ready to serve.
pub struct App {
    pub state: AppState,
    /// This process's events for the others sharing the database, until `serve` sends them.
    cluster_outgoing: Option<tokio::sync::mpsc::Receiver<cluster::Notice>>,
    /// Where `GET /metrics` is served, if anywhere (see [`App::with_metrics_listener`]).
    metrics_listener: Option<TcpListener>,
}

impl App {
    /// Opens storage (running migrations) and assembles the state.
    pub async fn build(config: Config, engine: Arc<dyn Engine>) -> anyhow::Result<App> {
        App::build_with_metrics(config, engine, Arc::default()).await
    }

    /// Like [`App::build`], recording into `metrics` (which the caller may already have handed
    /// to its engine, see [`baton_ai::Observed`]).
    pub async fn build_with_metrics(
        config: Config,
        engine: Arc<dyn Engine>,
        metrics: Arc<Metrics>,
    ) -> anyhow::Result<App> {
        let store = config.open_store().await?;
        Ok(App::with_store_and_metrics(config, store, engine, metrics))
    }

    pub fn with_store(config: Config, store: Store, engine: Arc<dyn Engine>) -> App {
        App::with_store_and_metrics(config, store, engine, Arc::default())
    }

    pub fn with_store_and_metrics(
        config: Config,
        store: Store,
        engine: Arc<dyn Engine>,
        metrics: Arc<Metrics>,
    ) -> App {
        // Outbound HTTPS (webhooks, AI providers) uses rustls with ring; install it before any
        // client is built. A second install (tests build many apps) is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let limiters = Arc::new(Limiters::new(&config));
        let hub: Arc<hub::Hub> = Arc::default();
        // Stored log entries reach sockets from the writer, in commit order, as they commit.
        let sink_hub = Arc::clone(&hub);
        store.set_message_sink(Arc::new(move |messages| {
            service::publish::publish_messages(&sink_hub, messages)
        }));
        let batch_metrics = Arc::clone(&metrics);
        store.set_batch_observer(Arc::new(move |batch| batch_metrics.batch_committed(batch)));
        let outbound = Arc::new(outbound::OutboundPolicy {
            allowed_hosts: config.allowed_outbound_hosts.clone(),
        });
        let freshchat = Arc::new(freshchat::FreshchatRuntime::new(outbound.as_ref().clone()));
        let (link, cluster_outgoing) = cluster::link(&store).unzip();
        let attachments_dir = config.attachments_dir();
        App {
            cluster_outgoing,
            metrics_listener: None,
            state: AppState {
                store,
                hub,
                engine,
                config: Arc::new(config),
                presence: Arc::default(),
                visitor_sockets: Arc::default(),
                limiters,
                bot_turns: Arc::default(),
                delivery_wake: Arc::default(),
                overload: Arc::default(),
                knowledge: Arc::default(),
                engines: Arc::default(),
                freshchat,
                cluster: link,
                outbound,
                sessions_ended: tokio::sync::broadcast::channel(64).0,
                metrics,
                blobs: Arc::new(blobs::LocalBlobStore::new(attachments_dir)),
                link_secret: Arc::default(),
                listen_url: Arc::default(),
            },
        }
    }

    /// Keeps attachments' bytes in `blobs` instead of the data folder (an S3-compatible store).
    pub fn with_blob_store(mut self, blobs: Arc<dyn blobs::BlobStore>) -> App {
        self.state.blobs = blobs;
        self
    }

    /// Serves `GET /metrics` (Prometheus text format) on `listener` alongside the application;
    /// without it no metrics leave the process. Never the public listener: the figures are for
    /// the operator's monitoring, not for visitors.
    pub fn with_metrics_listener(mut self, listener: TcpListener) -> App {
        self.metrics_listener = Some(listener);
        self
    }

    /// Serves until `shutdown` completes, with the background tasks running alongside.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let state = self.state;
        if let Ok(addr) = listener.local_addr() {
            let _ = state.listen_url.set(format!("http://{addr}"));
        }
        // Compress the web assets once, before the first browser asks for them.
        tokio::task::spawn_blocking(http::assets::warm);
        let mut tasks = match self.cluster_outgoing {
            Some(outgoing) => cluster::start(&state, outgoing),
            None => Vec::new(),
        };
        // Jobs over shared data run on one process of a cluster at a time.
        tasks.push(tokio::spawn(cluster::singleton(
            state.store.clone(),
            "handoff-sweep",
            {
                let state = state.clone();
                move || sweep(state.clone())
            },
        )));
        tasks.push(tokio::spawn(cluster::singleton(
            state.store.clone(),
            "outbox-delivery",
            {
                let state = state.clone();
                move || delivery::run(state.clone())
            },
        )));
        tasks.push(tokio::spawn(cluster::singleton(
            state.store.clone(),
            "freshchat-delivery",
            {
                let state = state.clone();
                move || freshchat::deliver::run(state.clone())
            },
        )));
        tasks.push(tokio::spawn(cluster::singleton(
            state.store.clone(),
            "freshchat-events",
            {
                let state = state.clone();
                move || freshchat::events::run(state.clone())
            },
        )));
        tasks.push(tokio::spawn(purge_limiters(state.clone())));
        // On every node: each may keep blobs on its own disk, and sweeping nodes do not race.
        tasks.push(tokio::spawn(blob_sweep::run(state.clone())));
        if let Some(listener) = self.metrics_listener {
            tasks.push(tokio::spawn(metrics::serve(
                listener,
                Arc::clone(&state.metrics),
                state.store.clone(),
            )));
        }
        let shedding = state.config.limits.shed_lag.map(|lag| {
            tokio::spawn(overload::watch(
                Arc::clone(&state.overload),
                state.store.clone(),
                lag,
            ))
        });
        let router = http::router(state.clone());
        // Chat frames are small and latency-bound: without TCP_NODELAY, Nagle's algorithm meeting
        // a delayed ACK adds ~40 ms to some messages (seen by baton-bench's mix scenario).
        let listener = listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(error = %err, "could not set TCP_NODELAY");
            }
        });
        let result = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        for task in tasks {
            task.abort();
        }
        if let Some(shedding) = shedding {
            shedding.abort();
        }
        state.store.close().await;
        result.map_err(Into::into)
    }
}

/// How often expired sessions and idle rate-limit buckets are removed.
const HOUSEKEEPING_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Accept timeouts and the removal of expired sessions (one process of a cluster runs it).
async fn sweep(state: AppState) {
    let mut sweep = tokio::time::interval(state.config.sweep_interval);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_housekeeping = Instant::now();
    loop {
        sweep.tick().await;
        state.escalate_due_handoffs(jiff::Timestamp::now()).await;
        state.expire_overdue_handoffs(jiff::Timestamp::now()).await;
        state.requeue_orphaned_conversations().await;
        if last_housekeeping.elapsed() >= HOUSEKEEPING_EVERY {
            last_housekeeping = Instant::now();
            if let Err(err) = state.store.purge_expired_sessions().await {
                tracing::warn!(error = %err, "could not purge expired sessions");
            }
        }
    }
}

/// Forgets this process's idle rate-limit buckets (every process keeps its own).
async fn purge_limiters(state: AppState) {
    let mut tick = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tick.tick().await;
        let now = Instant::now();
        state.limiters.visitor_messages.purge(now);
        state.limiters.conversation_starts.purge(now);
        state.limiters.login_failures.purge(now);
        state.limiters.transcripts.purge(now);
    }
}

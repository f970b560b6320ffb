//! Baton's server: the HTTP/WebSocket edge, the application services that run the handoff flow,
//! and the background tasks (accept timeouts). The binary, the tests and the load generator all
//! start it the same way: [`App::build`] from a [`Config`], then [`App::serve`] on a pre-bound
//! listener with a shutdown future.

pub mod config;
pub mod delivery;
pub mod first_run;
pub mod freshchat;
pub mod http;
pub mod hub;
pub mod outbound;
pub mod overload;
pub mod ratelimit;
pub mod secrets;
pub mod service;
pub mod state;
pub mod views;

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use axum::serve::ListenerExt;
use baton_ai::Engine;
use baton_storage::Store;
use tokio::net::TcpListener;

pub use config::{Config, Limits};
use state::{AppState, Limiters};

/// A built application, ready to serve.
pub struct App {
    pub state: AppState,
}

impl App {
    /// Opens storage (running migrations) and assembles the state.
    pub async fn build(config: Config, engine: Arc<dyn Engine>) -> anyhow::Result<App> {
        let store = config.open_store().await?;
        Ok(App::with_store(config, store, engine))
    }

    pub fn with_store(config: Config, store: Store, engine: Arc<dyn Engine>) -> App {
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
        let freshchat = Arc::new(freshchat::FreshchatRuntime::new(outbound::OutboundPolicy {
            allowed_hosts: config.allowed_outbound_hosts.clone(),
        }));
        App {
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
            },
        }
    }

    /// Serves until `shutdown` completes, with the background tasks running alongside.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let state = self.state;
        let background = tokio::spawn(background_tasks(state.clone()));
        let deliveries = tokio::spawn(delivery::run(state.clone()));
        let shedding = state.config.limits.shed_lag.map(|lag| {
            tokio::spawn(overload::watch(
                Arc::clone(&state.overload),
                state.store.clone(),
                lag,
            ))
        });
        let freshchat_deliveries = tokio::spawn(freshchat::deliver::run(state.clone()));
        let freshchat_events = tokio::spawn(freshchat::events::run(state.clone()));
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
        background.abort();
        deliveries.abort();
        if let Some(shedding) = shedding {
            shedding.abort();
        }
        freshchat_deliveries.abort();
        freshchat_events.abort();
        state.store.close().await;
        result.map_err(Into::into)
    }
}

/// Accept timeouts, and housekeeping of sessions and rate-limit buckets.
async fn background_tasks(state: AppState) {
    let mut sweep = tokio::time::interval(state.config.sweep_interval);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_housekeeping = Instant::now();
    loop {
        sweep.tick().await;
        state.expire_overdue_handoffs(jiff::Timestamp::now()).await;
        if last_housekeeping.elapsed().as_secs() >= 300 {
            last_housekeeping = Instant::now();
            let now = Instant::now();
            state.limiters.visitor_messages.purge(now);
            state.limiters.conversation_starts.purge(now);
            state.limiters.login_failures.purge(now);
            if let Err(err) = state.store.purge_expired_sessions().await {
                tracing::warn!(error = %err, "could not purge expired sessions");
            }
        }
    }
}

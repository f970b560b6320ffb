//! Prometheus metrics: what this process counts, and the separate listener that exports them.
//!
//! Every server has its own [`Metrics`] (a registry of its own, not a process-wide recorder), so
//! several servers in one process — the integration tests start many — never share or clash.
//! Recording is a few atomic operations and always happens; the figures leave the process only
//! through `GET /metrics` on the address given with `--metrics-listen`, never on the public port.
//!
//! Labels are closed sets chosen here (an author kind, a trigger, an outcome, a channel, a failure
//! kind): never a workspace, bot, visitor, email or text, which would make the series unbounded
//! and leak what the operator's dashboards have no business holding. docs/metrics.md lists every
//! metric; keep the two in step.

use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use baton_ai::{CallObserver, EngineError};
use baton_domain::handoff::Trigger;
use baton_domain::message::AuthorKind;
use baton_storage::{Batch, Store};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;

/// How often the outbox's backlog is counted while metrics are exported.
const OUTBOX_SAMPLE_EVERY: Duration = Duration::from_secs(10);

/// The outbox channels, so their series exist (at zero) before the first delivery.
const OUTBOX_CHANNELS: [&str; 3] = ["webhook", "email", "freshchat"];

/// How a handoff ended up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandoffOutcome {
    /// An agent took the conversation.
    Accepted,
    /// The visitor went back to the AI while waiting.
    Cancelled,
    /// Nobody accepted before the deadline.
    Expired,
    /// No live handoff could be offered (closed, nobody online, handoff off).
    Offline,
}

impl HandoffOutcome {
    const ALL: [HandoffOutcome; 4] = [
        HandoffOutcome::Accepted,
        HandoffOutcome::Cancelled,
        HandoffOutcome::Expired,
        HandoffOutcome::Offline,
    ];

    fn as_str(self) -> &'static str {
        match self {
            HandoffOutcome::Accepted => "accepted",
            HandoffOutcome::Cancelled => "cancelled",
            HandoffOutcome::Expired => "expired",
            HandoffOutcome::Offline => "offline",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AuthorLabel {
    author: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TriggerLabel {
    trigger: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabel {
    channel: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

type IntGauge = Gauge<i64, AtomicI64>;

/// One server's metrics and the registry that exports them.
pub struct Metrics {
    registry: Registry,
    visitor_sockets: IntGauge,
    panel_sockets: IntGauge,
    messages_stored: Family<AuthorLabel, Counter>,
    store_batch_units: Histogram,
    store_commit_seconds: Histogram,
    handoffs_requested: Family<TriggerLabel, Counter>,
    handoff_outcomes: Family<OutcomeLabel, Counter>,
    handoff_escalations: Counter,
    handoff_requeues: Counter,
    handoff_accept_wait_seconds: Histogram,
    handoff_notify_seconds: Histogram,
    outbox_pending: Family<ChannelLabel, IntGauge>,
    outbox_dead: Family<ChannelLabel, IntGauge>,
    llm_request_seconds: Histogram,
    llm_failures: Family<KindLabel, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// Latency buckets from 1 ms to about 33 s (doubling): fits commits, notices and LLM calls.
fn seconds_buckets() -> impl Iterator<Item = f64> {
    exponential_buckets(0.001, 2.0, 16)
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut metrics = Metrics {
            registry: Registry::with_prefix("baton"),
            visitor_sockets: IntGauge::default(),
            panel_sockets: IntGauge::default(),
            messages_stored: Family::default(),
            // 1, 2, 4, … 256: the writer commits at most a few hundred units at once.
            store_batch_units: Histogram::new(exponential_buckets(1.0, 2.0, 9)),
            store_commit_seconds: Histogram::new(exponential_buckets(0.0001, 2.0, 16)),
            handoffs_requested: Family::default(),
            handoff_outcomes: Family::default(),
            handoff_escalations: Counter::default(),
            handoff_requeues: Counter::default(),
            // 1 s to about 68 min: agents accept in seconds to minutes.
            handoff_accept_wait_seconds: Histogram::new(exponential_buckets(1.0, 2.0, 13)),
            handoff_notify_seconds: Histogram::new(seconds_buckets()),
            outbox_pending: Family::default(),
            outbox_dead: Family::default(),
            llm_request_seconds: Histogram::new(exponential_buckets(0.05, 2.0, 12)),
            llm_failures: Family::default(),
        };
        metrics.create_known_series();
        metrics.register_sockets_and_storage();
        metrics.register_handoffs();
        metrics.register_outbox_and_llm();
        metrics
    }

    /// Every label value is known: creates the series so they read 0 rather than missing.
    fn create_known_series(&self) {
        for author in [
            AuthorKind::Visitor,
            AuthorKind::Bot,
            AuthorKind::Agent,
            AuthorKind::System,
        ] {
            let _ = self.messages_stored.get_or_create(&AuthorLabel {
                author: author_name(author),
            });
        }
        for trigger in Trigger::ALL {
            let _ = self.handoffs_requested.get_or_create(&TriggerLabel {
                trigger: trigger.as_str(),
            });
        }
        for outcome in HandoffOutcome::ALL {
            let _ = self.handoff_outcomes.get_or_create(&OutcomeLabel {
                outcome: outcome.as_str(),
            });
        }
        for channel in OUTBOX_CHANNELS {
            let label = ChannelLabel {
                channel: channel.to_owned(),
            };
            let _ = self.outbox_pending.get_or_create(&label);
            let _ = self.outbox_dead.get_or_create(&label);
        }
        for kind in ["timeout", "provider"] {
            let _ = self.llm_failures.get_or_create(&KindLabel { kind });
        }
    }

    /// Sockets open and what the storage writer commits.
    fn register_sockets_and_storage(&mut self) {
        self.registry.register(
            "visitor_sockets",
            "Open visitor WebSockets (widget tabs) on this process",
            self.visitor_sockets.clone(),
        );
        self.registry.register(
            "panel_sockets",
            "Open Live Chat panel WebSockets on this process",
            self.panel_sockets.clone(),
        );
        self.registry.register(
            "messages_stored",
            "Conversation log entries committed by this process, by author kind",
            self.messages_stored.clone(),
        );
        self.registry.register(
            "store_batch_units",
            "Writes committed together in one transaction by the storage writer",
            self.store_batch_units.clone(),
        );
        self.registry.register(
            "store_commit_seconds",
            "Time the storage writer took to run and commit one batch of writes",
            self.store_commit_seconds.clone(),
        );
    }

    /// Handoffs: requested, ended, rung again, requeued, and how long they waited.
    fn register_handoffs(&mut self) {
        self.registry.register(
            "handoffs_requested",
            "Handoffs to a person requested, by trigger",
            self.handoffs_requested.clone(),
        );
        self.registry.register(
            "handoff_outcomes",
            "Handoffs ended, by outcome (accepted, cancelled, expired, offline)",
            self.handoff_outcomes.clone(),
        );
        self.registry.register(
            "handoff_escalations",
            "Waiting handoffs rung again because nobody accepted by half the accept timeout",
            self.handoff_escalations.clone(),
        );
        self.registry.register(
            "handoff_requeues",
            "Conversations given back to the queue because their agent was deactivated",
            self.handoff_requeues.clone(),
        );
        self.registry.register(
            "handoff_accept_wait_seconds",
            "Time from a live handoff request to an agent accepting it",
            self.handoff_accept_wait_seconds.clone(),
        );
        self.registry.register(
            "handoff_notify_seconds",
            "Time from a handoff request being stored to its notice reaching this process's connected panels",
            self.handoff_notify_seconds.clone(),
        );
    }

    /// Deliveries waiting or given up, and calls to the language model.
    fn register_outbox_and_llm(&mut self) {
        self.registry.register(
            "outbox_pending",
            "Outbox deliveries waiting to be sent (webhooks, emails, FreshChat), by channel, sampled",
            self.outbox_pending.clone(),
        );
        self.registry.register(
            "outbox_dead_letters",
            "Outbox deliveries given up after their last attempt, by channel, sampled",
            self.outbox_dead.clone(),
        );
        self.registry.register(
            "llm_request_seconds",
            "Time an OpenAI-compatible model took to answer (or fail)",
            self.llm_request_seconds.clone(),
        );
        self.registry.register(
            "llm_failures",
            "Calls to an OpenAI-compatible model that failed, by kind (timeout, provider)",
            self.llm_failures.clone(),
        );
    }

    /// The metrics in the Prometheus text format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry);
        text
    }

    /// Counts an open socket until the returned guard is dropped.
    pub fn visitor_socket(&self) -> SocketGauge {
        SocketGauge::open(self.visitor_sockets.clone())
    }

    /// Counts an open panel socket until the returned guard is dropped.
    pub fn panel_socket(&self) -> SocketGauge {
        SocketGauge::open(self.panel_sockets.clone())
    }

    /// Records a batch the storage writer settled (see `Store::set_batch_observer`).
    pub fn batch_committed(&self, batch: &Batch<'_>) {
        self.store_batch_units.observe(batch.units as f64);
        self.store_commit_seconds
            .observe(batch.duration.as_secs_f64());
        if batch.committed {
            for message in batch.messages {
                self.messages_stored
                    .get_or_create(&AuthorLabel {
                        author: author_name(message.author_kind),
                    })
                    .inc();
            }
        }
    }

    pub fn handoff_requested(&self, trigger: Trigger) {
        self.handoffs_requested
            .get_or_create(&TriggerLabel {
                trigger: trigger.as_str(),
            })
            .inc();
    }

    pub fn handoff_escalated(&self) {
        self.handoff_escalations.inc();
    }

    pub fn handoff_requeued(&self) {
        self.handoff_requeues.inc();
    }

    pub fn handoff_ended(&self, outcome: HandoffOutcome) {
        self.handoff_outcomes
            .get_or_create(&OutcomeLabel {
                outcome: outcome.as_str(),
            })
            .inc();
    }

    /// Records how long a handoff waited for its agent.
    pub fn handoff_accepted(&self, waited: Duration) {
        self.handoff_ended(HandoffOutcome::Accepted);
        self.handoff_accept_wait_seconds
            .observe(waited.as_secs_f64());
    }

    /// Records how long a handoff request took to reach the panels after it was stored.
    pub fn handoff_notified(&self, after: Duration) {
        self.handoff_notify_seconds.observe(after.as_secs_f64());
    }

    /// Sets the outbox gauges from a count of its rows.
    fn outbox_sampled(&self, counts: &[baton_storage::OutboxCount]) {
        for gauge in [&self.outbox_pending, &self.outbox_dead] {
            for channel in OUTBOX_CHANNELS {
                gauge
                    .get_or_create(&ChannelLabel {
                        channel: channel.to_owned(),
                    })
                    .set(0);
            }
        }
        for count in counts {
            let gauge = match count.status.as_str() {
                "pending" => &self.outbox_pending,
                "dead" => &self.outbox_dead,
                _ => continue,
            };
            gauge
                .get_or_create(&ChannelLabel {
                    channel: count.channel.clone(),
                })
                .set(i64::try_from(count.rows).unwrap_or(i64::MAX));
        }
    }
}

impl CallObserver for Metrics {
    fn observe(&self, elapsed: Duration, outcome: Result<(), &EngineError>) {
        self.llm_request_seconds.observe(elapsed.as_secs_f64());
        if let Err(err) = outcome {
            let kind = match err {
                EngineError::Timeout => "timeout",
                EngineError::Provider(_) => "provider",
            };
            self.llm_failures.get_or_create(&KindLabel { kind }).inc();
        }
    }
}

fn author_name(author: AuthorKind) -> &'static str {
    match author {
        AuthorKind::Visitor => "visitor",
        AuthorKind::Bot => "bot",
        AuthorKind::Agent => "agent",
        AuthorKind::System => "system",
    }
}

/// An open socket, counted in its gauge until dropped.
#[derive(Debug)]
pub struct SocketGauge(IntGauge);

impl SocketGauge {
    fn open(gauge: IntGauge) -> SocketGauge {
        gauge.inc();
        SocketGauge(gauge)
    }
}

impl Drop for SocketGauge {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Serves `GET /metrics` on `listener` (and nothing else) until the task is dropped, and keeps
/// the outbox gauges current meanwhile.
pub async fn serve(listener: TcpListener, metrics: Arc<Metrics>, store: Store) {
    // One task for both, so stopping it (the server aborts it at shutdown) stops the sampling.
    let sampling = sample_outbox(Arc::clone(&metrics), store);
    let router = Router::new().route(
        "/metrics",
        get(move || {
            let metrics = Arc::clone(&metrics);
            async move { exposition(&metrics) }
        }),
    );
    tokio::select! {
        served = axum::serve(listener, router).into_future() => {
            if let Err(err) = served {
                tracing::error!(error = %err, "the metrics listener stopped");
            }
        }
        () = sampling => {}
    }
}

fn exposition(metrics: &Metrics) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        )],
        metrics.render(),
    )
        .into_response()
}

/// Counts the outbox's pending and dead rows now and then (an indexed count; cheap). Never
/// returns.
async fn sample_outbox(metrics: Arc<Metrics>, store: Store) {
    let mut tick = tokio::time::interval(OUTBOX_SAMPLE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match store.outbox_counts().await {
            Ok(counts) => metrics.outbox_sampled(&counts),
            Err(err) => tracing::warn!(error = %err, "could not count the outbox for metrics"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_is_counted_while_open() {
        let metrics = Arc::new(Metrics::new());
        let first = metrics.visitor_socket();
        let second = metrics.visitor_socket();
        assert_eq!(metrics.visitor_sockets.get(), 2);
        drop(first);
        assert_eq!(metrics.visitor_sockets.get(), 1);
        drop(second);
        assert_eq!(metrics.visitor_sockets.get(), 0);
    }

    #[test]
    fn every_family_is_rendered_with_help_and_type() {
        let text = Metrics::new().render();
        for family in [
            "baton_visitor_sockets",
            "baton_panel_sockets",
            "baton_messages_stored_total",
            "baton_store_batch_units",
            "baton_store_commit_seconds",
            "baton_handoffs_requested_total",
            "baton_handoff_outcomes_total",
            "baton_handoff_accept_wait_seconds",
            "baton_handoff_notify_seconds",
            "baton_outbox_pending",
            "baton_outbox_dead_letters",
            "baton_llm_request_seconds",
            "baton_llm_failures_total",
        ] {
            assert!(
                text.contains(&format!("# HELP {family} ")),
                "{family}\n{text}"
            );
            assert!(
                text.contains(&format!("# TYPE {family} ")),
                "{family}\n{text}"
            );
        }
        assert!(text.contains(r#"baton_handoffs_requested_total{trigger="user_request"} 0"#));
    }
}

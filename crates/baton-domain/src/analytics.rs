//! Handoff analytics: what became of the handoffs requested in a time range, how long visitors
//! waited, how agents answered, and when in the day handoffs come in.
//!
//! Pure figures over facts the caller gathered (storage reads the handoffs; the HTTP edge renders
//! the result): outcome classification, nearest-rank percentiles, and bucketing by the hour of
//! day in each bot's time zone. No I/O and no clock.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::handoff::{OfflineReason, Trigger};
use crate::ids::AgentId;

/// What became of a handoff, as the analytics count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Still waiting for an agent.
    Waiting,
    /// An agent accepted it (including ones since ended by a hand-back or a resolve).
    Accepted,
    /// The visitor withdrew it while it waited.
    Cancelled,
    /// Nobody accepted it before its deadline.
    Expired,
    /// No live handoff could be offered, for this reason.
    Offline(OfflineReason),
    /// Routed into the workspace's FreshChat.
    Routed,
}

impl Outcome {
    /// The outcomes the analytics report, in display order (offline without its reason).
    pub const NAMES: [&'static str; 6] = [
        "accepted",
        "cancelled",
        "expired",
        "offline",
        "waiting",
        "routed",
    ];

    /// The outcome of a handoff from its stored status (`waiting`, `accepted`, `ended`,
    /// `cancelled`, `expired`, `offline`, `routed`) and offline reason. `None` for a status this
    /// version does not know, or an offline handoff without a reason.
    pub fn classify(status: &str, offline_reason: Option<OfflineReason>) -> Option<Outcome> {
        Some(match status {
            "waiting" => Outcome::Waiting,
            "accepted" | "ended" => Outcome::Accepted,
            "cancelled" => Outcome::Cancelled,
            "expired" => Outcome::Expired,
            "offline" => Outcome::Offline(offline_reason?),
            "routed" => Outcome::Routed,
            _ => return None,
        })
    }

    /// The outcome's name in [`Outcome::NAMES`].
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Cancelled => "cancelled",
            Outcome::Expired => "expired",
            Outcome::Offline(_) => "offline",
            Outcome::Waiting => "waiting",
            Outcome::Routed => "routed",
        }
    }
}

/// The reasons an offline handoff can have (an expired one is counted as expired instead).
pub const OFFLINE_REASONS: [OfflineReason; 4] = [
    OfflineReason::HandoffDisabled,
    OfflineReason::NeverAvailable,
    OfflineReason::ScheduleClosed,
    OfflineReason::NobodyAvailable,
];

/// One handoff as the analytics see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoffFacts {
    pub trigger: Trigger,
    pub outcome: Outcome,
    pub agent_id: Option<AgentId>,
    /// Whether it waited in the queue with a deadline. An agent joining a conversation on their
    /// own is recorded as an accepted handoff that never waited: it has no time to accept.
    pub queued: bool,
    pub requested_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    /// The accepting agent's first message in the conversation after accepting.
    pub first_response_at: Option<Timestamp>,
    /// Ended by the agent marking the conversation resolved (not handed back to the AI).
    pub resolved: bool,
}

/// Whole seconds from `start` to `end` (rounded down; never negative).
pub fn seconds_between(start: Timestamp, end: Timestamp) -> i64 {
    end.duration_since(start).as_secs().max(0)
}

/// The nearest-rank percentile `p` (1–100) of ascending `sorted` values: the smallest value with
/// at least `p`% of the values at or below it. `None` when there are no values.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let p = u64::from(p.clamp(1, 100));
    let n = sorted.len() as u64;
    // ceil(p / 100 × n), as a 1-based rank.
    let rank = (p * n).div_ceil(100).max(1);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

/// The hour of day (0–23) of `at` on the wall clocks of `zone`.
pub fn local_hour(at: Timestamp, zone: &TimeZone) -> u8 {
    u8::try_from(zone.to_datetime(at).hour()).unwrap_or(0)
}

/// Percentiles of a set of waits, in whole seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Waits {
    pub count: u64,
    pub p50: Option<i64>,
    pub p90: Option<i64>,
    pub max: Option<i64>,
}

impl Waits {
    fn of(mut seconds: Vec<i64>) -> Waits {
        seconds.sort_unstable();
        Waits {
            count: seconds.len() as u64,
            p50: percentile(&seconds, 50),
            p90: percentile(&seconds, 90),
            max: seconds.last().copied(),
        }
    }
}

/// One agent's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentFigures {
    /// Handoffs the agent accepted.
    pub accepted: u64,
    /// Of those, how many the agent ended by marking the conversation resolved.
    pub resolved: u64,
    /// From accepting to the agent's first message, over the accepted handoffs the agent
    /// answered.
    pub first_response: Waits,
}

/// The figures of a set of handoffs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub total: u64,
    /// Every trigger, in [`Trigger::ALL`] order, with its count (zero included).
    pub by_trigger: Vec<(Trigger, u64)>,
    /// Every name of [`Outcome::NAMES`], in that order, with its count.
    pub by_outcome: Vec<(&'static str, u64)>,
    /// The offline handoffs by reason: every reason of [`OFFLINE_REASONS`], in that order.
    pub offline_by_reason: Vec<(OfflineReason, u64)>,
    /// From request to acceptance, over the accepted handoffs that waited in the queue.
    pub time_to_accept: Waits,
    /// From request to the visitor cancelling.
    pub wait_before_cancel: Waits,
    pub agents: BTreeMap<AgentId, AgentFigures>,
    /// Handoffs requested in each hour of the day (index 0 is 00:00–00:59), on the wall clock
    /// of each handoff's bot.
    pub by_hour: [u64; 24],
}

/// Adds handoffs one at a time (so a caller can read them page by page) and sums them up.
#[derive(Debug, Default)]
pub struct Tally {
    total: u64,
    by_trigger: BTreeMap<&'static str, u64>,
    by_outcome: BTreeMap<&'static str, u64>,
    offline_by_reason: BTreeMap<&'static str, u64>,
    accept_waits: Vec<i64>,
    cancel_waits: Vec<i64>,
    agents: BTreeMap<AgentId, (u64, u64, Vec<i64>)>,
    by_hour: [u64; 24],
}

impl Tally {
    /// Counts one handoff; `zone` is the time zone of its bot.
    pub fn add(&mut self, facts: &HandoffFacts, zone: &TimeZone) {
        self.total += 1;
        *self.by_trigger.entry(facts.trigger.as_str()).or_default() += 1;
        *self.by_outcome.entry(facts.outcome.as_str()).or_default() += 1;
        self.by_hour[usize::from(local_hour(facts.requested_at, zone))] += 1;
        match facts.outcome {
            Outcome::Offline(reason) => {
                *self.offline_by_reason.entry(reason.as_str()).or_default() += 1;
            }
            Outcome::Cancelled => {
                if let Some(ended) = facts.ended_at {
                    self.cancel_waits
                        .push(seconds_between(facts.requested_at, ended));
                }
            }
            Outcome::Accepted => {
                if let (true, Some(accepted)) = (facts.queued, facts.accepted_at) {
                    self.accept_waits
                        .push(seconds_between(facts.requested_at, accepted));
                }
                if let Some(agent) = facts.agent_id {
                    let (accepted, resolved, responses) = self.agents.entry(agent).or_default();
                    *accepted += 1;
                    *resolved += u64::from(facts.resolved);
                    if let (Some(at), Some(first)) = (facts.accepted_at, facts.first_response_at) {
                        responses.push(seconds_between(at, first));
                    }
                }
            }
            Outcome::Waiting | Outcome::Expired | Outcome::Routed => {}
        }
    }

    pub fn finish(self) -> Summary {
        let count = |map: &BTreeMap<&'static str, u64>, name: &str| -> u64 {
            map.get(name).copied().unwrap_or(0)
        };
        Summary {
            total: self.total,
            by_trigger: Trigger::ALL
                .iter()
                .map(|t| (*t, count(&self.by_trigger, t.as_str())))
                .collect(),
            by_outcome: Outcome::NAMES
                .iter()
                .map(|name| (*name, count(&self.by_outcome, name)))
                .collect(),
            offline_by_reason: OFFLINE_REASONS
                .iter()
                .map(|r| (*r, count(&self.offline_by_reason, r.as_str())))
                .collect(),
            time_to_accept: Waits::of(self.accept_waits),
            wait_before_cancel: Waits::of(self.cancel_waits),
            agents: self
                .agents
                .into_iter()
                .map(|(agent, (accepted, resolved, responses))| {
                    let figures = AgentFigures {
                        accepted,
                        resolved,
                        first_response: Waits::of(responses),
                    };
                    (agent, figures)
                })
                .collect(),
            by_hour: self.by_hour,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn facts(outcome: Outcome, requested: &str) -> HandoffFacts {
        HandoffFacts {
            trigger: Trigger::UserRequest,
            outcome,
            agent_id: None,
            queued: true,
            requested_at: at(requested),
            accepted_at: None,
            ended_at: None,
            first_response_at: None,
            resolved: false,
        }
    }

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 50), Some(7));
        assert_eq!(percentile(&[7], 90), Some(7));
        // Even counts take the lower middle value: no invented averages.
        assert_eq!(percentile(&[10, 20], 50), Some(10));
        assert_eq!(percentile(&[10, 20, 30], 50), Some(20));
        let hundred: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&hundred, 50), Some(50));
        assert_eq!(percentile(&hundred, 90), Some(90));
        assert_eq!(percentile(&hundred, 100), Some(100));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        assert_eq!(
            percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90),
            Some(10)
        );
    }

    #[test]
    fn stored_statuses_become_outcomes() {
        assert_eq!(Outcome::classify("waiting", None), Some(Outcome::Waiting));
        assert_eq!(Outcome::classify("accepted", None), Some(Outcome::Accepted));
        // Ended handoffs were accepted first.
        assert_eq!(Outcome::classify("ended", None), Some(Outcome::Accepted));
        assert_eq!(
            Outcome::classify("cancelled", None),
            Some(Outcome::Cancelled)
        );
        assert_eq!(
            Outcome::classify("expired", Some(OfflineReason::NobodyAccepted)),
            Some(Outcome::Expired)
        );
        assert_eq!(
            Outcome::classify("offline", Some(OfflineReason::ScheduleClosed)),
            Some(Outcome::Offline(OfflineReason::ScheduleClosed))
        );
        assert_eq!(Outcome::classify("offline", None), None);
        assert_eq!(Outcome::classify("routed", None), Some(Outcome::Routed));
        assert_eq!(Outcome::classify("lost", None), None);
    }

    #[test]
    fn hours_are_read_on_the_bots_wall_clock() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let kathmandu = TimeZone::get("Asia/Kathmandu").unwrap();
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(local_hour(at("2026-01-15T08:30:00Z"), &berlin), 9);
        assert_eq!(local_hour(at("2026-07-15T08:30:00Z"), &berlin), 10);
        assert_eq!(local_hour(at("2026-07-15T23:30:00Z"), &berlin), 1);
        // UTC+5:45: a quarter-hour offset moves the hour boundary inside a UTC hour.
        assert_eq!(local_hour(at("2026-07-15T08:14:59Z"), &kathmandu), 13);
        assert_eq!(local_hour(at("2026-07-15T08:15:00Z"), &kathmandu), 14);
        assert_eq!(local_hour(at("2026-07-15T08:15:00Z"), &TimeZone::UTC), 8);
    }

    #[test]
    fn a_tally_of_every_outcome() {
        let utc = TimeZone::UTC;
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let ann: AgentId = AgentId::new();
        let bo: AgentId = AgentId::new();
        let mut tally = Tally::default();

        let mut accepted = facts(Outcome::Accepted, "2026-03-02T09:00:00Z");
        accepted.agent_id = Some(ann);
        accepted.accepted_at = Some(at("2026-03-02T09:00:30Z"));
        accepted.first_response_at = Some(at("2026-03-02T09:00:45Z"));
        accepted.ended_at = Some(at("2026-03-02T09:10:00Z"));
        accepted.resolved = true;
        tally.add(&accepted, &utc);

        let mut slow = facts(Outcome::Accepted, "2026-03-02T10:00:00.900Z");
        slow.trigger = Trigger::Frustration;
        slow.agent_id = Some(ann);
        slow.accepted_at = Some(at("2026-03-02T10:01:30.100Z"));
        tally.add(&slow, &utc);

        let mut joined = facts(Outcome::Accepted, "2026-03-02T11:00:00Z");
        joined.trigger = Trigger::Other;
        joined.queued = false;
        joined.agent_id = Some(bo);
        joined.accepted_at = Some(joined.requested_at);
        joined.first_response_at = Some(at("2026-03-02T11:00:05Z"));
        tally.add(&joined, &berlin);

        let mut cancelled = facts(Outcome::Cancelled, "2026-03-02T12:00:00Z");
        cancelled.ended_at = Some(at("2026-03-02T12:00:20Z"));
        tally.add(&cancelled, &utc);
        tally.add(&facts(Outcome::Expired, "2026-03-02T12:30:00Z"), &utc);
        tally.add(
            &facts(
                Outcome::Offline(OfflineReason::ScheduleClosed),
                "2026-03-02T22:00:00Z",
            ),
            &utc,
        );
        tally.add(&facts(Outcome::Waiting, "2026-03-02T23:00:00Z"), &berlin);

        let summary = tally.finish();
        assert_eq!(summary.total, 7);
        assert_eq!(
            summary.by_outcome,
            vec![
                ("accepted", 3),
                ("cancelled", 1),
                ("expired", 1),
                ("offline", 1),
                ("waiting", 1),
                ("routed", 0)
            ]
        );
        assert_eq!(
            summary.by_trigger,
            vec![
                (Trigger::UserRequest, 5),
                (Trigger::Frustration, 1),
                (Trigger::ComplexIssue, 0),
                (Trigger::SalesOpportunity, 0),
                (Trigger::Other, 1),
            ]
        );
        assert_eq!(
            summary.offline_by_reason,
            vec![
                (OfflineReason::HandoffDisabled, 0),
                (OfflineReason::NeverAvailable, 0),
                (OfflineReason::ScheduleClosed, 1),
                (OfflineReason::NobodyAvailable, 0),
            ]
        );
        // The agent who joined on their own never waited in the queue: 30 s and 89.2 s only.
        assert_eq!(
            summary.time_to_accept,
            Waits {
                count: 2,
                p50: Some(30),
                p90: Some(89),
                max: Some(89)
            }
        );
        assert_eq!(summary.wait_before_cancel.p50, Some(20));
        assert_eq!(
            summary.agents[&ann],
            AgentFigures {
                accepted: 2,
                resolved: 1,
                first_response: Waits {
                    count: 1,
                    p50: Some(15),
                    p90: Some(15),
                    max: Some(15)
                },
            }
        );
        assert_eq!(summary.agents[&bo].accepted, 1);
        assert_eq!(summary.agents[&bo].first_response.p50, Some(5));
        let mut hours = [0u64; 24];
        // 09, 10 UTC; 11 UTC is 12 in Berlin; 12, 12:30, 22 UTC; 23 UTC is 00 in Berlin.
        for hour in [9, 10, 12, 12, 12, 22, 0] {
            hours[hour] += 1;
        }
        assert_eq!(summary.by_hour, hours);
    }

    #[test]
    fn an_empty_tally_has_no_percentiles() {
        let summary = Tally::default().finish();
        assert_eq!(summary.total, 0);
        assert_eq!(summary.time_to_accept, Waits::default());
        assert!(summary.agents.is_empty());
        assert_eq!(summary.by_hour, [0; 24]);
    }
}

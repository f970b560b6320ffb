//! The handoff policy: what started a handoff, whether it can be live, and what the visitor is told
//! while waiting.
//!
//! The triggers (the visitor asks for a person, or the AI sees frustration, a complex technical
//! issue or a high-value sales opportunity), how a handoff runs, and the availability rule
//! ([`offer`]). The facts (agents online, schedule state) are gathered by the caller; the
//! decisions are made here.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::language::Language;
use crate::triggers::TriggerSettings;

crate::named_enum! {
    /// What started a handoff.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Trigger {
        /// The visitor asked for a person.
        UserRequest = "user_request",
        /// The AI saw high frustration.
        Frustration = "frustration",
        /// The AI judged the issue too complex to resolve.
        ComplexIssue = "complex_issue",
        /// The AI saw a high-value sales opportunity.
        SalesOpportunity = "sales_opportunity",
        /// Any other reason the bot's instruction allows.
        Other = "other",
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown trigger `{0}`; expected one of user_request, frustration, complex_issue, sales_opportunity, other"
)]
pub struct UnknownTrigger(pub String);

impl FromStr for Trigger {
    type Err = UnknownTrigger;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Trigger::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownTrigger(s.to_owned()))
    }
}

/// A bot's handoff settings, as the Agent Editor's Handoff tool edits them; the availability
/// schedule is kept beside them, in the bot's `schedule`.
#[derive(Clone, Debug, PartialEq)]
pub struct HandoffSettings {
    pub enabled: bool,
    /// When the AI should hand off on its own.
    pub instruction: String,
    /// Shown when no live handoff can be offered.
    pub offline_message: String,
    /// How long a handoff waits for an agent before the offline path runs.
    pub accept_timeout_seconds: u32,
    /// Whether the AI keeps answering while the visitor waits for an agent.
    pub ai_helps_while_waiting: bool,
    /// Ask for contact details when no live handoff can be offered (the offline path).
    pub lead_capture_enabled: bool,
    pub lead_capture_prompt: String,
    pub lead_capture_success: String,
    /// Which AI triggers are on and how sensitive they are.
    pub ai_triggers: TriggerSettings,
    /// Route handoffs into the workspace's FreshChat instead of the Live Chat panel
    /// (docs/freshchat.md); needs the workspace's FreshChat credentials.
    pub freshchat_enabled: bool,
}

impl Default for HandoffSettings {
    fn default() -> Self {
        HandoffSettings {
            enabled: true,
            instruction: "Offer a handoff if the user asks for a human or if the issue is too \
                          complex to resolve."
                .into(),
            offline_message: "All our agents are currently offline. Would you like to open a \
                              ticket instead?"
                .into(),
            accept_timeout_seconds: 120,
            ai_helps_while_waiting: true,
            lead_capture_enabled: true,
            lead_capture_prompt: "I'd love to have someone follow up with you. Could you share \
                                  your email?"
                .into(),
            lead_capture_success: "Thanks! A team member will reach out shortly.".into(),
            ai_triggers: TriggerSettings::default(),
            freshchat_enabled: false,
        }
    }
}

/// A decision to hand a conversation to a person, with what the agent should know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffDecision {
    pub trigger: Trigger,
    /// Why, in a sentence an agent can read.
    pub reason: String,
    /// What the conversation is about, for the agent's brief.
    pub summary: Option<String>,
}

/// Whether an agent may take more conversations: `online` means the panel is connected and the
/// agent has not set "away": presence is honest, so nobody is counted who cannot answer.
pub fn has_spare_capacity(online: bool, active_chats: u32, max_chats: u32) -> bool {
    online && active_chats < max_chats
}

/// Everything the availability rule looks at, gathered at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AvailabilityFacts {
    pub handoff_enabled: bool,
    pub never_available: bool,
    pub schedule_open: bool,
    /// Online agents of the workspace with spare capacity.
    pub agents_with_capacity: u32,
}

crate::named_enum! {
    /// Why a handoff cannot be live. Each reason has its own words for the visitor.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum OfflineReason {
        HandoffDisabled = "handoff_disabled",
        NeverAvailable = "never_available",
        ScheduleClosed = "schedule_closed",
        NobodyAvailable = "nobody_available",
        NobodyAccepted = "nobody_accepted",
    }
}

impl OfflineReason {
    /// The explanation a visitor reads before the bot's offline message, in their language.
    pub fn visitor_text(&self, lang: Language) -> &'static str {
        use Language::*;
        match (self, lang) {
            (OfflineReason::HandoffDisabled | OfflineReason::NeverAvailable, English) => {
                "Live chat with our team isn't available here."
            }
            (OfflineReason::HandoffDisabled | OfflineReason::NeverAvailable, German) => {
                "Ein Live-Chat mit unserem Team ist hier nicht verfügbar."
            }
            (OfflineReason::HandoffDisabled | OfflineReason::NeverAvailable, French) => {
                "Le chat en direct avec notre équipe n’est pas disponible ici."
            }
            (OfflineReason::HandoffDisabled | OfflineReason::NeverAvailable, Spanish) => {
                "El chat en vivo con nuestro equipo no está disponible aquí."
            }
            (OfflineReason::HandoffDisabled | OfflineReason::NeverAvailable, Portuguese) => {
                "O chat ao vivo com nossa equipe não está disponível aqui."
            }
            (OfflineReason::ScheduleClosed, English) => {
                "Our team is outside its working hours right now."
            }
            (OfflineReason::ScheduleClosed, German) => {
                "Unser Team ist gerade außerhalb seiner Arbeitszeiten."
            }
            (OfflineReason::ScheduleClosed, French) => {
                "Notre équipe est actuellement en dehors de ses heures de travail."
            }
            (OfflineReason::ScheduleClosed, Spanish) => {
                "Nuestro equipo está fuera de su horario de atención en este momento."
            }
            (OfflineReason::ScheduleClosed, Portuguese) => {
                "Nossa equipe está fora do horário de atendimento no momento."
            }
            (OfflineReason::NobodyAvailable, English) => {
                "Nobody from our team is available right now."
            }
            (OfflineReason::NobodyAvailable, German) => {
                "Gerade ist niemand aus unserem Team erreichbar."
            }
            (OfflineReason::NobodyAvailable, French) => {
                "Personne de notre équipe n’est disponible pour le moment."
            }
            (OfflineReason::NobodyAvailable, Spanish) => {
                "No hay nadie de nuestro equipo disponible en este momento."
            }
            (OfflineReason::NobodyAvailable, Portuguese) => {
                "Ninguém da nossa equipe está disponível no momento."
            }
            (OfflineReason::NobodyAccepted, English) => {
                "Sorry — nobody from our team could take your chat in time."
            }
            (OfflineReason::NobodyAccepted, German) => {
                "Entschuldigung — leider konnte niemand aus unserem Team Ihren Chat rechtzeitig übernehmen."
            }
            (OfflineReason::NobodyAccepted, French) => {
                "Désolé — personne de notre équipe n’a pu prendre votre chat à temps."
            }
            (OfflineReason::NobodyAccepted, Spanish) => {
                "Lo sentimos — nadie de nuestro equipo pudo atender su chat a tiempo."
            }
            (OfflineReason::NobodyAccepted, Portuguese) => {
                "Desculpe — ninguém da nossa equipe conseguiu atender seu chat a tempo."
            }
        }
    }
}

/// What the visitor is offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    Live,
    Offline(OfflineReason),
}

/// The availability rule for the built-in Live Chat: a live handoff is offered only when handoff is
/// enabled, the bot is not set to never available, its schedule is open, and at least one online
/// agent has spare capacity; otherwise the first of those that fails is the offline reason.
pub fn offer(facts: AvailabilityFacts) -> Offer {
    if !facts.handoff_enabled {
        Offer::Offline(OfflineReason::HandoffDisabled)
    } else if facts.never_available {
        Offer::Offline(OfflineReason::NeverAvailable)
    } else if !facts.schedule_open {
        Offer::Offline(OfflineReason::ScheduleClosed)
    } else if facts.agents_with_capacity == 0 {
        Offer::Offline(OfflineReason::NobodyAvailable)
    } else {
        Offer::Live
    }
}

/// What the visitor is offered when the bot routes handoffs into the customer's FreshChat: the
/// agents' presence there is not known to Baton, so the schedule alone decides.
pub fn offer_routed(facts: AvailabilityFacts) -> Offer {
    offer(AvailabilityFacts {
        agents_with_capacity: 1,
        ..facts
    })
}

/// An estimate of the wait for the visitor at `position` (1 = next), from how long recent accepted
/// handoffs waited and how many agents can take chats. `None` when there is no history to go on.
pub fn expected_wait_seconds(
    position: u32,
    recent_waits_seconds: &[u32],
    agents_with_capacity: u32,
) -> Option<u32> {
    if recent_waits_seconds.is_empty() || position == 0 {
        return None;
    }
    let mut sorted = recent_waits_seconds.to_vec();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    let parallel = agents_with_capacity.max(1);
    // Visitors ahead are served `parallel` at a time; each round takes about one median wait.
    let rounds = position.div_ceil(parallel);
    Some(median.saturating_mul(rounds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> AvailabilityFacts {
        AvailabilityFacts {
            handoff_enabled: true,
            never_available: false,
            schedule_open: true,
            agents_with_capacity: 1,
        }
    }

    #[test]
    fn live_when_everything_allows_it() {
        assert_eq!(offer(facts()), Offer::Live);
    }

    #[test]
    fn freshchat_routing_needs_only_the_schedule() {
        let nobody = AvailabilityFacts {
            agents_with_capacity: 0,
            ..facts()
        };
        assert_eq!(offer_routed(nobody), Offer::Live);
        let closed = AvailabilityFacts {
            schedule_open: false,
            ..nobody
        };
        assert_eq!(
            offer_routed(closed),
            Offer::Offline(OfflineReason::ScheduleClosed)
        );
        let never = AvailabilityFacts {
            never_available: true,
            ..nobody
        };
        assert_eq!(
            offer_routed(never),
            Offer::Offline(OfflineReason::NeverAvailable)
        );
        let disabled = AvailabilityFacts {
            handoff_enabled: false,
            ..nobody
        };
        assert_eq!(
            offer_routed(disabled),
            Offer::Offline(OfflineReason::HandoffDisabled)
        );
    }

    #[test]
    fn each_missing_condition_names_its_reason() {
        let cases = [
            (
                AvailabilityFacts {
                    handoff_enabled: false,
                    ..facts()
                },
                OfflineReason::HandoffDisabled,
            ),
            (
                AvailabilityFacts {
                    never_available: true,
                    ..facts()
                },
                OfflineReason::NeverAvailable,
            ),
            (
                AvailabilityFacts {
                    schedule_open: false,
                    ..facts()
                },
                OfflineReason::ScheduleClosed,
            ),
            (
                AvailabilityFacts {
                    agents_with_capacity: 0,
                    ..facts()
                },
                OfflineReason::NobodyAvailable,
            ),
        ];
        for (facts, reason) in cases {
            assert_eq!(offer(facts), Offer::Offline(reason));
        }
    }

    #[test]
    fn never_available_wins_over_an_open_schedule_and_online_agents() {
        let f = AvailabilityFacts {
            never_available: true,
            agents_with_capacity: 50,
            ..facts()
        };
        assert_eq!(offer(f), Offer::Offline(OfflineReason::NeverAvailable));
    }

    #[test]
    fn capacity_needs_presence_and_room() {
        assert!(has_spare_capacity(true, 0, 3));
        assert!(has_spare_capacity(true, 2, 3));
        assert!(!has_spare_capacity(true, 3, 3));
        assert!(!has_spare_capacity(false, 0, 3));
        assert!(!has_spare_capacity(true, 0, 0));
    }

    #[test]
    fn triggers_round_trip_and_reject_unknown_names() {
        for t in Trigger::ALL {
            assert_eq!(t.as_str().parse::<Trigger>(), Ok(t));
        }
        assert!("angry".parse::<Trigger>().is_err());
    }

    #[test]
    fn expected_wait_grows_with_position_and_shrinks_with_agents() {
        let waits = [30, 60, 90];
        assert_eq!(expected_wait_seconds(1, &waits, 1), Some(60));
        assert_eq!(expected_wait_seconds(3, &waits, 1), Some(180));
        assert_eq!(expected_wait_seconds(3, &waits, 3), Some(60));
        assert_eq!(expected_wait_seconds(1, &[], 1), None);
    }
}

//! Conversation ownership: who owns a conversation at each instant, and who may speak in it.
//!
//! One owner per conversation at every instant — the AI, nobody yet (`waiting` for an agent to
//! accept), one human agent, the customer's FreshChat team (`freshchat`, docs/freshchat.md), or
//! nobody (`closed`). The rules here are the only place these transitions are decided; storage
//! applies them inside the same transaction that checks the current state, so a decision is never
//! made on a stale owner.

use serde::{Deserialize, Serialize};

use crate::ids::AgentId;

/// The owner of a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", content = "agent_id", rename_all = "snake_case")]
pub enum Owner {
    /// The bot answers.
    Ai,
    /// A handoff was requested and offered live; no agent has accepted yet.
    Waiting,
    /// One agent owns the conversation; the AI is paused.
    Human(AgentId),
    /// Nobody could take the conversation live: the visitor is asked for contact details for a
    /// ticket. Owned by neither the AI nor a person.
    LeadCapture,
    /// The handoff was routed into the workspace's FreshChat: its agents answer there, and the AI
    /// stays silent exactly as with a Live Chat agent until FreshChat resolves the conversation.
    Freshchat,
    /// Resolved or ended. A new visitor message reopens it with the AI.
    Closed,
}

impl Owner {
    /// The state's name as stored and sent on the wire.
    pub fn state_name(&self) -> &'static str {
        match self {
            Owner::Ai => "ai",
            Owner::Waiting => "waiting",
            Owner::Human(_) => "human",
            Owner::LeadCapture => "lead_capture",
            Owner::Freshchat => "freshchat",
            Owner::Closed => "closed",
        }
    }

    /// Rebuilds an owner from its stored parts. `None` when they do not fit together.
    pub fn from_parts(state: &str, agent: Option<AgentId>) -> Option<Owner> {
        match (state, agent) {
            ("ai", None) => Some(Owner::Ai),
            ("waiting", None) => Some(Owner::Waiting),
            ("human", Some(agent)) => Some(Owner::Human(agent)),
            ("closed", None) => Some(Owner::Closed),
            ("lead_capture", None) => Some(Owner::LeadCapture),
            ("freshchat", None) => Some(Owner::Freshchat),
            _ => None,
        }
    }

    pub fn agent(&self) -> Option<AgentId> {
        match self {
            Owner::Human(agent) => Some(*agent),
            _ => None,
        }
    }
}

/// Something that asks to change the owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// A handoff was triggered. `live` says whether a live handoff can be offered right now (the
    /// availability rule, [`crate::handoff::offer`]); when it cannot, the offline path runs: lead
    /// capture when the bot has it on, otherwise the AI keeps the conversation.
    RequestHandoff { live: bool, lead_capture: bool },
    /// An agent accepts the waiting handoff.
    Accept { agent: AgentId },
    /// The visitor withdraws the request and goes back to the AI.
    Cancel,
    /// Nobody accepted within the bot's accept timeout: the offline path runs.
    Expire { lead_capture: bool },
    /// The visitor asks to leave their details for a ticket.
    RequestTicket,
    /// The visitor gave valid contact details; the ticket is created and the AI resumes.
    LeadCaptured,
    /// The visitor declined to leave details and goes back to the AI.
    LeadDeclined,
    /// An agent joins a conversation the AI is handling.
    TakeOver { agent: AgentId },
    /// The owning agent gives the conversation back to the AI.
    HandBack { agent: AgentId },
    /// The owning agent resolves the conversation.
    Resolve { agent: AgentId },
    /// The owning agent can no longer answer (an admin deactivated them): the visitor goes back
    /// to the queue for another agent when a live handoff can be offered (`live`, as for
    /// [`Command::RequestHandoff`]), otherwise the offline path runs.
    Requeue {
        agent: AgentId,
        live: bool,
        lead_capture: bool,
    },
    /// A visitor message arrives (reopens a closed conversation).
    VisitorMessage,
    /// A handoff is routed into the workspace's FreshChat (the bot has FreshChat on and the
    /// schedule is open).
    RouteToFreshchat,
    /// FreshChat refused the conversation for good (bad token, unknown channel): the offline path
    /// runs, as when nobody can take a live handoff.
    FreshchatFailed { lead_capture: bool },
    /// A FreshChat agent resolved the conversation: closed, like a Live Chat resolve.
    FreshchatResolved,
    /// FreshChat reopened the conversation (an agent picked it up again): its team owns it again.
    FreshchatReopened,
}

/// Why a command cannot apply to the current owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("a handoff is already waiting for an agent")]
    AlreadyWaiting,
    #[error("an agent already owns this conversation")]
    AlreadyHuman,
    #[error("the conversation is closed")]
    Closed,
    #[error("no handoff is waiting in this conversation")]
    NotWaiting,
    #[error("the conversation is not owned by an agent")]
    NotHuman,
    #[error("another agent owns this conversation")]
    NotOwner,
    #[error("contact details are already being collected")]
    AlreadyCapturing,
    #[error("no contact details are being collected in this conversation")]
    NotCapturing,
    #[error("the conversation is handled in FreshChat")]
    InFreshchat,
    #[error("the conversation is not handled in FreshChat")]
    NotInFreshchat,
}

/// What a successful command did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub from: Owner,
    pub to: Owner,
    /// The handoff could not be live; the offline path (offline message, lead capture) runs.
    pub offline: bool,
}

/// Applies `command` to the current `owner`.
pub fn apply(owner: Owner, command: Command) -> Result<Transition, Refusal> {
    use Command as C;
    use Owner as O;
    let to = |to: Owner, offline: bool| {
        Ok(Transition {
            from: owner,
            to,
            offline,
        })
    };
    let offline_owner = |lead_capture: bool| if lead_capture { O::LeadCapture } else { O::Ai };
    match (owner, command) {
        (O::Ai, C::RequestHandoff { live: true, .. }) => to(O::Waiting, false),
        (
            O::Ai,
            C::RequestHandoff {
                live: false,
                lead_capture,
            },
        ) => to(offline_owner(lead_capture), true),
        (O::Waiting, C::RequestHandoff { .. } | C::RequestTicket) => Err(Refusal::AlreadyWaiting),
        (O::Human(_), C::RequestHandoff { .. } | C::RequestTicket) => Err(Refusal::AlreadyHuman),
        (O::LeadCapture, C::RequestHandoff { .. } | C::RequestTicket) => {
            Err(Refusal::AlreadyCapturing)
        }
        (O::Closed, C::RequestHandoff { .. } | C::RequestTicket) => Err(Refusal::Closed),
        (O::Freshchat, C::RequestHandoff { .. } | C::RequestTicket) => Err(Refusal::InFreshchat),
        (O::Ai, C::RequestTicket) => to(O::LeadCapture, true),

        (O::Waiting, C::Accept { agent }) => to(O::Human(agent), false),
        (O::Waiting, C::Cancel) => to(O::Ai, false),
        (O::Waiting, C::Expire { lead_capture }) => to(offline_owner(lead_capture), true),
        (O::Human(_), C::Accept { .. } | C::TakeOver { .. }) => Err(Refusal::AlreadyHuman),
        (
            O::Ai | O::Closed | O::LeadCapture | O::Human(_) | O::Freshchat,
            C::Accept { .. } | C::Cancel | C::Expire { .. },
        ) => Err(Refusal::NotWaiting),

        // An agent may step into an AI conversation, or one collecting details for a ticket.
        (O::Ai | O::LeadCapture, C::TakeOver { agent }) => to(O::Human(agent), false),
        // A waiting conversation is taken by accepting its handoff, so the handoff record ends too.
        (O::Waiting, C::TakeOver { .. }) => Err(Refusal::AlreadyWaiting),
        (O::Closed, C::TakeOver { .. }) => Err(Refusal::Closed),
        // FreshChat's team owns it; the panel shows it read-only.
        (O::Freshchat, C::TakeOver { .. }) => Err(Refusal::InFreshchat),

        (O::Human(owner_agent), C::HandBack { agent }) if owner_agent == agent => to(O::Ai, false),
        (O::Human(owner_agent), C::Resolve { agent }) if owner_agent == agent => {
            to(O::Closed, false)
        }
        (
            O::Human(owner_agent),
            C::Requeue {
                agent,
                live,
                lead_capture,
            },
        ) if owner_agent == agent => {
            if live {
                to(O::Waiting, false)
            } else {
                to(offline_owner(lead_capture), true)
            }
        }
        (O::Human(_), C::HandBack { .. } | C::Resolve { .. } | C::Requeue { .. }) => {
            Err(Refusal::NotOwner)
        }
        (
            O::Ai | O::Waiting | O::LeadCapture | O::Closed | O::Freshchat,
            C::HandBack { .. } | C::Resolve { .. } | C::Requeue { .. },
        ) => Err(Refusal::NotHuman),

        (O::LeadCapture, C::LeadCaptured | C::LeadDeclined) => to(O::Ai, false),
        (
            O::Ai | O::Waiting | O::Human(_) | O::Closed | O::Freshchat,
            C::LeadCaptured | C::LeadDeclined,
        ) => Err(Refusal::NotCapturing),

        (O::Closed, C::VisitorMessage) => to(O::Ai, false),
        (O::Ai | O::Waiting | O::Human(_) | O::LeadCapture | O::Freshchat, C::VisitorMessage) => {
            to(owner, false)
        }

        (O::Ai, C::RouteToFreshchat) => to(O::Freshchat, false),
        (O::Waiting, C::RouteToFreshchat) => Err(Refusal::AlreadyWaiting),
        (O::Human(_), C::RouteToFreshchat) => Err(Refusal::AlreadyHuman),
        (O::LeadCapture, C::RouteToFreshchat) => Err(Refusal::AlreadyCapturing),
        (O::Freshchat, C::RouteToFreshchat) => Err(Refusal::InFreshchat),
        (O::Closed, C::RouteToFreshchat) => Err(Refusal::Closed),

        (O::Freshchat, C::FreshchatFailed { lead_capture }) => {
            to(offline_owner(lead_capture), true)
        }
        (O::Freshchat, C::FreshchatResolved) => to(O::Closed, false),
        (
            O::Ai | O::Waiting | O::Human(_) | O::LeadCapture | O::Closed,
            C::FreshchatFailed { .. } | C::FreshchatResolved,
        ) => Err(Refusal::NotInFreshchat),

        // Reopened in FreshChat: its team takes the conversation back from the AI (or from
        // closed), never from a Live Chat agent, a waiting handoff or a ticket being collected.
        (O::Ai | O::Closed, C::FreshchatReopened) => to(O::Freshchat, false),
        (O::Freshchat, C::FreshchatReopened) => to(O::Freshchat, false),
        (O::Waiting, C::FreshchatReopened) => Err(Refusal::AlreadyWaiting),
        (O::Human(_), C::FreshchatReopened) => Err(Refusal::AlreadyHuman),
        (O::LeadCapture, C::FreshchatReopened) => Err(Refusal::AlreadyCapturing),
    }
}

/// Who is trying to post a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaker {
    Visitor,
    Bot,
    Agent(AgentId),
    /// An agent of the workspace's FreshChat, whose reply came back by webhook.
    Freshchat,
    System,
}

/// Why a message may not be posted now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Silenced {
    #[error("the AI does not own this conversation")]
    BotNotOwner,
    #[error("the AI is paused while the visitor waits for an agent")]
    BotPausedWhileWaiting,
    #[error("only the agent who owns the conversation may write; accept or join it first")]
    AgentNotOwner,
    #[error("the conversation is not handled in FreshChat")]
    FreshchatNotOwner,
}

/// Whether `speaker` may post into a conversation owned by `owner` right now.
///
/// `ai_helps_while_waiting` is the bot setting that lets the AI keep answering while a handoff
/// waits (on by default). A visitor may always write: a message to a closed conversation reopens it.
pub fn may_post(
    owner: Owner,
    speaker: Speaker,
    ai_helps_while_waiting: bool,
) -> Result<(), Silenced> {
    match (speaker, owner) {
        (Speaker::Visitor | Speaker::System, _) => Ok(()),
        (Speaker::Bot, Owner::Ai) => Ok(()),
        (Speaker::Bot, Owner::Waiting) if ai_helps_while_waiting => Ok(()),
        (Speaker::Bot, Owner::Waiting) => Err(Silenced::BotPausedWhileWaiting),
        (Speaker::Bot, Owner::Human(_) | Owner::Closed | Owner::LeadCapture | Owner::Freshchat) => {
            Err(Silenced::BotNotOwner)
        }
        (Speaker::Agent(agent), Owner::Human(owner_agent)) if agent == owner_agent => Ok(()),
        (Speaker::Agent(_), _) => Err(Silenced::AgentNotOwner),
        (Speaker::Freshchat, Owner::Freshchat) => Ok(()),
        (Speaker::Freshchat, _) => Err(Silenced::FreshchatNotOwner),
    }
}

/// Whether the AI may start a new handoff in this state: only while it owns the conversation, so a
/// waiting conversation never gets a second handoff.
pub fn may_request_handoff(owner: Owner) -> bool {
    owner == Owner::Ai
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn agent(n: u128) -> AgentId {
        AgentId::from(Uuid::from_u128(n))
    }

    fn all_owners() -> Vec<Owner> {
        vec![
            Owner::Ai,
            Owner::Waiting,
            Owner::Human(agent(1)),
            Owner::LeadCapture,
            Owner::Freshchat,
            Owner::Closed,
        ]
    }

    fn all_commands() -> Vec<Command> {
        let mut commands = vec![
            Command::Cancel,
            Command::RequestTicket,
            Command::LeadCaptured,
            Command::LeadDeclined,
            Command::VisitorMessage,
            Command::RouteToFreshchat,
            Command::FreshchatResolved,
            Command::FreshchatReopened,
        ];
        for flag in [true, false] {
            commands.push(Command::Expire { lead_capture: flag });
            commands.push(Command::FreshchatFailed { lead_capture: flag });
            for live in [true, false] {
                commands.push(Command::RequestHandoff {
                    live,
                    lead_capture: flag,
                });
            }
        }
        for a in [agent(1), agent(2)] {
            commands.push(Command::Accept { agent: a });
            commands.push(Command::TakeOver { agent: a });
            commands.push(Command::HandBack { agent: a });
            commands.push(Command::Resolve { agent: a });
            for (live, lead_capture) in [(true, false), (false, true), (false, false)] {
                commands.push(Command::Requeue {
                    agent: a,
                    live,
                    lead_capture,
                });
            }
        }
        commands
    }

    /// The full transition table: every (owner, command) pair and its expected outcome, written
    /// out state by state. Agent 1 owns the human conversation; agent 2 is a colleague.
    fn expected(owner: Owner, command: Command) -> Result<(Owner, bool), Refusal> {
        use Command as C;
        use Owner as O;
        let a1 = agent(1);
        let offline = |lead: bool| if lead { O::LeadCapture } else { O::Ai };
        match owner {
            O::Ai => match command {
                C::RequestHandoff { live: true, .. } => Ok((O::Waiting, false)),
                C::RequestHandoff {
                    live: false,
                    lead_capture,
                } => Ok((offline(lead_capture), true)),
                C::RequestTicket => Ok((O::LeadCapture, true)),
                C::Accept { .. } | C::Cancel | C::Expire { .. } => Err(Refusal::NotWaiting),
                C::TakeOver { agent } => Ok((O::Human(agent), false)),
                C::HandBack { .. } | C::Resolve { .. } | C::Requeue { .. } => {
                    Err(Refusal::NotHuman)
                }
                C::LeadCaptured | C::LeadDeclined => Err(Refusal::NotCapturing),
                C::VisitorMessage => Ok((O::Ai, false)),
                C::RouteToFreshchat | C::FreshchatReopened => Ok((O::Freshchat, false)),
                C::FreshchatFailed { .. } | C::FreshchatResolved => Err(Refusal::NotInFreshchat),
            },
            O::Waiting => match command {
                C::RequestHandoff { .. } | C::RequestTicket => Err(Refusal::AlreadyWaiting),
                C::Accept { agent } => Ok((O::Human(agent), false)),
                C::Cancel => Ok((O::Ai, false)),
                C::Expire { lead_capture } => Ok((offline(lead_capture), true)),
                C::TakeOver { .. } => Err(Refusal::AlreadyWaiting),
                C::HandBack { .. } | C::Resolve { .. } | C::Requeue { .. } => {
                    Err(Refusal::NotHuman)
                }
                C::LeadCaptured | C::LeadDeclined => Err(Refusal::NotCapturing),
                C::VisitorMessage => Ok((O::Waiting, false)),
                C::RouteToFreshchat | C::FreshchatReopened => Err(Refusal::AlreadyWaiting),
                C::FreshchatFailed { .. } | C::FreshchatResolved => Err(Refusal::NotInFreshchat),
            },
            O::Human(_) => match command {
                C::RequestHandoff { .. }
                | C::RequestTicket
                | C::Accept { .. }
                | C::TakeOver { .. } => Err(Refusal::AlreadyHuman),
                C::Cancel | C::Expire { .. } => Err(Refusal::NotWaiting),
                C::HandBack { agent } if agent == a1 => Ok((O::Ai, false)),
                C::Resolve { agent } if agent == a1 => Ok((O::Closed, false)),
                C::Requeue {
                    agent, live: true, ..
                } if agent == a1 => Ok((O::Waiting, false)),
                C::Requeue {
                    agent,
                    live: false,
                    lead_capture,
                } if agent == a1 => Ok((offline(lead_capture), true)),
                C::HandBack { .. } | C::Resolve { .. } | C::Requeue { .. } => {
                    Err(Refusal::NotOwner)
                }
                C::LeadCaptured | C::LeadDeclined => Err(Refusal::NotCapturing),
                C::VisitorMessage => Ok((owner, false)),
                C::RouteToFreshchat | C::FreshchatReopened => Err(Refusal::AlreadyHuman),
                C::FreshchatFailed { .. } | C::FreshchatResolved => Err(Refusal::NotInFreshchat),
            },
            O::LeadCapture => match command {
                C::RequestHandoff { .. } | C::RequestTicket => Err(Refusal::AlreadyCapturing),
                C::Accept { .. } | C::Cancel | C::Expire { .. } => Err(Refusal::NotWaiting),
                C::TakeOver { agent } => Ok((O::Human(agent), false)),
                C::HandBack { .. } | C::Resolve { .. } | C::Requeue { .. } => {
                    Err(Refusal::NotHuman)
                }
                C::LeadCaptured | C::LeadDeclined => Ok((O::Ai, false)),
                C::VisitorMessage => Ok((O::LeadCapture, false)),
                C::RouteToFreshchat | C::FreshchatReopened => Err(Refusal::AlreadyCapturing),
                C::FreshchatFailed { .. } | C::FreshchatResolved => Err(Refusal::NotInFreshchat),
            },
            O::Freshchat => match command {
                C::RequestHandoff { .. }
                | C::RequestTicket
                | C::TakeOver { .. }
                | C::RouteToFreshchat => Err(Refusal::InFreshchat),
                C::Accept { .. } | C::Cancel | C::Expire { .. } => Err(Refusal::NotWaiting),
                C::HandBack { .. } | C::Resolve { .. } | C::Requeue { .. } => {
                    Err(Refusal::NotHuman)
                }
                C::LeadCaptured | C::LeadDeclined => Err(Refusal::NotCapturing),
                C::VisitorMessage | C::FreshchatReopened => Ok((O::Freshchat, false)),
                C::FreshchatFailed { lead_capture } => Ok((offline(lead_capture), true)),
                C::FreshchatResolved => Ok((O::Closed, false)),
            },
            O::Closed => match command {
                C::RequestHandoff { .. } | C::RequestTicket | C::TakeOver { .. } => {
                    Err(Refusal::Closed)
                }
                C::Accept { .. } | C::Cancel | C::Expire { .. } => Err(Refusal::NotWaiting),
                C::HandBack { .. } | C::Resolve { .. } | C::Requeue { .. } => {
                    Err(Refusal::NotHuman)
                }
                C::LeadCaptured | C::LeadDeclined => Err(Refusal::NotCapturing),
                C::VisitorMessage => Ok((O::Ai, false)),
                C::RouteToFreshchat => Err(Refusal::Closed),
                C::FreshchatReopened => Ok((O::Freshchat, false)),
                C::FreshchatFailed { .. } | C::FreshchatResolved => Err(Refusal::NotInFreshchat),
            },
        }
    }

    #[test]
    fn every_transition_matches_the_table() {
        for owner in all_owners() {
            for command in all_commands() {
                let got = apply(owner, command).map(|t| {
                    assert_eq!(t.from, owner);
                    (t.to, t.offline)
                });
                assert_eq!(got, expected(owner, command), "{owner:?} + {command:?}");
            }
        }
    }

    #[test]
    fn the_happy_path_runs_ai_waiting_human_closed_and_reopens() {
        let a = agent(7);
        let mut owner = Owner::Ai;
        for (command, next) in [
            (
                Command::RequestHandoff {
                    live: true,
                    lead_capture: true,
                },
                Owner::Waiting,
            ),
            (Command::Accept { agent: a }, Owner::Human(a)),
            (Command::Resolve { agent: a }, Owner::Closed),
            (Command::VisitorMessage, Owner::Ai),
        ] {
            owner = apply(owner, command).unwrap().to;
            assert_eq!(owner, next);
        }
    }

    #[test]
    fn the_offline_path_collects_details_then_returns_to_the_ai() {
        let t = apply(
            Owner::Ai,
            Command::RequestHandoff {
                live: false,
                lead_capture: true,
            },
        )
        .unwrap();
        assert_eq!((t.to, t.offline), (Owner::LeadCapture, true));
        assert_eq!(
            apply(t.to, Command::VisitorMessage).unwrap().to,
            Owner::LeadCapture
        );
        assert_eq!(apply(t.to, Command::LeadCaptured).unwrap().to, Owner::Ai);
        assert_eq!(apply(t.to, Command::LeadDeclined).unwrap().to, Owner::Ai);
        let expired = apply(Owner::Waiting, Command::Expire { lead_capture: true }).unwrap();
        assert_eq!((expired.to, expired.offline), (Owner::LeadCapture, true));
    }

    #[test]
    fn there_is_never_more_than_one_owner_after_two_accepts() {
        let first = apply(Owner::Waiting, Command::Accept { agent: agent(1) }).unwrap();
        let second = apply(first.to, Command::Accept { agent: agent(2) });
        assert_eq!(second, Err(Refusal::AlreadyHuman));
    }

    #[test]
    fn the_bot_speaks_only_while_it_owns_the_conversation() {
        let a = agent(1);
        assert_eq!(may_post(Owner::Ai, Speaker::Bot, false), Ok(()));
        assert_eq!(may_post(Owner::Waiting, Speaker::Bot, true), Ok(()));
        assert_eq!(
            may_post(Owner::Waiting, Speaker::Bot, false),
            Err(Silenced::BotPausedWhileWaiting)
        );
        for owner in [
            Owner::Human(a),
            Owner::Closed,
            Owner::LeadCapture,
            Owner::Freshchat,
        ] {
            assert_eq!(
                may_post(owner, Speaker::Bot, true),
                Err(Silenced::BotNotOwner)
            );
        }
    }

    #[test]
    fn freshchat_agents_speak_only_while_freshchat_owns_the_conversation() {
        assert_eq!(may_post(Owner::Freshchat, Speaker::Freshchat, true), Ok(()));
        assert_eq!(
            may_post(Owner::Freshchat, Speaker::Agent(agent(1)), true),
            Err(Silenced::AgentNotOwner)
        );
        for owner in all_owners().into_iter().filter(|o| *o != Owner::Freshchat) {
            assert_eq!(
                may_post(owner, Speaker::Freshchat, true),
                Err(Silenced::FreshchatNotOwner)
            );
        }
    }

    #[test]
    fn a_routed_conversation_is_resolved_in_freshchat_then_reopens_with_the_ai() {
        let mut owner = Owner::Ai;
        for (command, next) in [
            (Command::RouteToFreshchat, Owner::Freshchat),
            (Command::VisitorMessage, Owner::Freshchat),
            (Command::FreshchatResolved, Owner::Closed),
            (Command::VisitorMessage, Owner::Ai),
            (Command::FreshchatReopened, Owner::Freshchat),
        ] {
            owner = apply(owner, command).unwrap().to;
            assert_eq!(owner, next);
        }
        let failed = apply(
            Owner::Freshchat,
            Command::FreshchatFailed { lead_capture: true },
        )
        .unwrap();
        assert_eq!((failed.to, failed.offline), (Owner::LeadCapture, true));
    }

    #[test]
    fn only_the_owning_agent_writes() {
        let (a, b) = (agent(1), agent(2));
        assert_eq!(may_post(Owner::Human(a), Speaker::Agent(a), true), Ok(()));
        assert_eq!(
            may_post(Owner::Human(a), Speaker::Agent(b), true),
            Err(Silenced::AgentNotOwner)
        );
        for owner in [
            Owner::Ai,
            Owner::Waiting,
            Owner::LeadCapture,
            Owner::Freshchat,
            Owner::Closed,
        ] {
            assert_eq!(
                may_post(owner, Speaker::Agent(a), true),
                Err(Silenced::AgentNotOwner)
            );
        }
    }

    #[test]
    fn visitors_and_system_always_write() {
        for owner in all_owners() {
            for helps in [true, false] {
                assert_eq!(may_post(owner, Speaker::Visitor, helps), Ok(()));
                assert_eq!(may_post(owner, Speaker::System, helps), Ok(()));
            }
        }
    }

    #[test]
    fn no_second_handoff_while_waiting() {
        assert!(may_request_handoff(Owner::Ai));
        for owner in [
            Owner::Waiting,
            Owner::Human(agent(1)),
            Owner::LeadCapture,
            Owner::Freshchat,
            Owner::Closed,
        ] {
            assert!(!may_request_handoff(owner));
        }
    }

    #[test]
    fn stored_parts_round_trip() {
        for owner in all_owners() {
            assert_eq!(
                Owner::from_parts(owner.state_name(), owner.agent()),
                Some(owner)
            );
        }
        assert_eq!(Owner::from_parts("human", None), None);
        assert_eq!(Owner::from_parts("ai", Some(agent(1))), None);
        assert_eq!(Owner::from_parts("bogus", None), None);
    }
}

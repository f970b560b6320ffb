//! Handoffs: request, accept (exactly one winner), cancel, expire, take over, hand back, resolve.
//!
//! Each operation is one transaction that reads the conversation's owner, asks the domain whether
//! the change is allowed, writes the new owner, the handoff record and the system entry the
//! visitor sees, and commits — or changes nothing.

use crate::db::params;
use crate::writer::Tx;
use baton_domain::entity::Entity;
use baton_domain::handoff::{HandoffDecision, OfflineReason, Trigger};
use baton_domain::ids::{AgentId, ConversationId, HandoffId, WorkspaceId};
use baton_domain::language::Language;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::notes;
use baton_domain::ownership::{self, Command};
use jiff::{SignedDuration, Timestamp};

use crate::conversations::{insert_message, load_conversation, set_owner};
use crate::row::Cols;
use crate::time::{format_timestamp, now};
use crate::{Agent, Conversation, Handoff, HandoffStatus, Message, NewMessage, Store, StoreError};

/// The outcome of a handoff operation: the records as they are now and the log entries written.
#[derive(Clone, Debug)]
pub struct HandoffChange {
    pub handoff: Handoff,
    pub conversation: Conversation,
    pub messages: Vec<Message>,
}

/// How a requested handoff proceeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Offered live; waits for an agent until the deadline.
    Live { accept_timeout_seconds: u32 },
    /// No live handoff can be offered. With `lead_capture`, the visitor is then asked for contact
    /// details for a ticket.
    Offline {
        reason: OfflineReason,
        lead_capture: Option<LeadPrompt>,
    },
}

impl Route {
    fn is_live(&self) -> bool {
        matches!(self, Route::Live { .. })
    }

    fn lead_prompt(&self) -> Option<&LeadPrompt> {
        match self {
            Route::Offline { lead_capture, .. } => lead_capture.as_ref(),
            Route::Live { .. } => None,
        }
    }
}

/// The system entry that asks a visitor for contact details: the bot's prompt and what the
/// widget's inline form starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadPrompt {
    pub text: String,
    pub form: serde_json::Value,
}

impl LeadPrompt {
    pub(crate) fn message(&self) -> NewMessage {
        NewMessage::system(
            MessageKind::LeadRequested,
            self.text.clone(),
            serde_json::json!({ "form": self.form }),
        )
    }
}

/// A waiting handoff with what the panel shows about it.
#[derive(Clone, Debug)]
pub struct WaitingHandoff {
    pub handoff: Handoff,
    pub bot_name: String,
    pub visitor_name: Option<String>,
}

impl Store {
    pub async fn handoff(&self, id: HandoffId) -> Result<Handoff, StoreError> {
        let sql = format!(
            "SELECT {} FROM handoffs h WHERE h.id = $1",
            Handoff::COLUMNS
        );
        let row = self
            .reader
            .fetch_optional(&sql, params![id.to_string()])
            .await?
            .ok_or(StoreError::NotFound(Entity::Handoff))?;
        Handoff::from_row(&row)
    }

    /// The workspace's waiting handoffs, oldest first: the queue.
    pub async fn waiting_handoffs(
        &self,
        workspace_id: WorkspaceId,
    ) -> Result<Vec<WaitingHandoff>, StoreError> {
        let sql = format!(
            "SELECT {}, b.name AS bot_name, c.visitor_name FROM handoffs h \
             JOIN bots b ON b.id = h.bot_id JOIN conversations c ON c.id = h.conversation_id \
             WHERE h.workspace_id = $1 AND h.status = 'waiting' ORDER BY h.requested_at, h.id",
            Handoff::COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![workspace_id.to_string()])
            .await?;
        rows.iter()
            .map(|row| {
                Ok(WaitingHandoff {
                    handoff: Handoff::from_row(row)?,
                    bot_name: row.text("bot_name")?,
                    visitor_name: row.opt_text("visitor_name")?,
                })
            })
            .collect()
    }

    /// How long the workspace's most recently accepted handoffs waited, in seconds.
    pub async fn recent_accept_waits(
        &self,
        workspace_id: WorkspaceId,
        count: u32,
    ) -> Result<Vec<u32>, StoreError> {
        let sql = format!(
            "SELECT {} FROM handoffs h WHERE h.workspace_id = $1 AND h.accepted_at IS NOT NULL \
             AND h.trigger_kind <> 'other' ORDER BY h.accepted_at DESC LIMIT $2",
            Handoff::COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![workspace_id.to_string(), i64::from(count)])
            .await?;
        rows.iter()
            .map(|row| {
                let h = Handoff::from_row(row)?;
                let waited = h
                    .accepted_at
                    .map(|a| a.duration_since(h.requested_at).as_secs());
                Ok(u32::try_from(waited.unwrap_or(0).max(0)).unwrap_or(u32::MAX))
            })
            .collect()
    }

    /// Waiting handoffs whose accept deadline has passed at `at`.
    pub async fn overdue_handoffs(&self, at: Timestamp) -> Result<Vec<HandoffId>, StoreError> {
        let rows = self.reader.fetch_all("SELECT id FROM handoffs WHERE status = 'waiting' AND deadline_at <= $1 ORDER BY deadline_at", params![format_timestamp(at)])
        .await?;
        rows.iter().map(|row| crate::row::id(row, "id")).collect()
    }

    /// Waiting handoffs nobody accepted by half their accept timeout, not yet escalated.
    pub async fn handoffs_to_escalate(&self, at: Timestamp) -> Result<Vec<HandoffId>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT id FROM handoffs WHERE status = 'waiting' AND escalate_at <= $1 \
                 AND escalated_at IS NULL ORDER BY escalate_at",
                params![format_timestamp(at)],
            )
            .await?;
        rows.iter().map(|row| crate::row::id(row, "id")).collect()
    }

    /// Marks a waiting handoff escalated and queues `outbox` (the emails it sends) in the same
    /// transaction. `None` when it was accepted, withdrawn or escalated meanwhile (by another
    /// process, say), so each handoff rings again once.
    pub async fn escalate_handoff(
        &self,
        id: HandoffId,
        outbox: Vec<crate::NewOutboxItem>,
    ) -> Result<Option<Handoff>, StoreError> {
        self.writer
            .write(move |c| {
                let at = now();
                let changed = c.execute(
                    "UPDATE handoffs SET escalated_at = $1 WHERE id = $2 AND status = 'waiting' \
                     AND escalated_at IS NULL",
                    params![format_timestamp(at), id.to_string()],
                )?;
                if changed == 0 {
                    return Ok(None);
                }
                let handoff = load_handoff(c, id)?;
                for item in &outbox {
                    crate::tickets::insert_outbox(c, handoff.workspace_id, item)?;
                }
                Ok(Some(handoff))
            })
            .await
    }

    /// Records a handoff request. On `Route::Live` the conversation waits for an agent; on
    /// `Route::Offline` the AI keeps it and the visitor reads `visitor_text` (the reason and the
    /// bot's offline message). Refused while a handoff is already waiting or an agent owns it.
    pub async fn request_handoff(
        &self,
        conversation_id: ConversationId,
        decision: &HandoffDecision,
        route: Route,
        visitor_text: &str,
    ) -> Result<HandoffChange, StoreError> {
        let decision = decision.clone();
        let visitor_text = visitor_text.to_owned();
        self.writer
            .write(move |c| {
                let command = Command::RequestHandoff {
                    live: route.is_live(),
                    lead_capture: route.lead_prompt().is_some(),
                };
                change_owner(
                    c,
                    conversation_id,
                    Reach::Anywhere,
                    command,
                    |conversation| {
                        open_request(c, conversation, &decision, route.clone(), &visitor_text)
                    },
                )
            })
            .await
    }

    /// The owning agent can no longer answer (deactivated): their handoff ends and the
    /// conversation goes back to the queue with the same trigger and reason (`Route::Live`), or
    /// the offline path runs when no live handoff can be offered. `Refused` when the agent no
    /// longer owns the conversation.
    pub async fn requeue(
        &self,
        conversation_id: ConversationId,
        agent_id: AgentId,
        route: Route,
        visitor_text: &str,
    ) -> Result<HandoffChange, StoreError> {
        let visitor_text = visitor_text.to_owned();
        self.writer
            .write(move |c| {
                let command = Command::Requeue {
                    agent: agent_id,
                    live: route.is_live(),
                    lead_capture: route.lead_prompt().is_some(),
                };
                change_owner(
                    c,
                    conversation_id,
                    Reach::Anywhere,
                    command,
                    |conversation| {
                        let ended = end_accepted(c, conversation_id)?;
                        let decision = HandoffDecision {
                            trigger: ended.trigger,
                            reason: ended.reason.clone(),
                            summary: ended.summary.clone(),
                        };
                        open_request(c, conversation, &decision, route.clone(), &visitor_text)
                    },
                )
            })
            .await
    }

    /// An agent accepts a waiting handoff. Of several concurrent accepts exactly one succeeds; the
    /// others get `Conflict`. Also `Conflict` when the agent is at capacity. `NotFound` when the
    /// handoff is not in the agent's workspace.
    pub async fn accept_handoff(
        &self,
        handoff_id: HandoffId,
        agent: &Agent,
    ) -> Result<HandoffChange, StoreError> {
        let agent = agent.clone();
        self.writer
            .write(move |c| {
                let mut handoff = load_handoff(c, handoff_id)?;
                if handoff.workspace_id != agent.workspace_id {
                    return Err(StoreError::NotFound(Entity::Handoff));
                }
                if handoff.status != HandoffStatus::Waiting {
                    return Err(StoreError::Conflict(
                        "this handoff was already taken or withdrawn",
                    ));
                }
                if active_chats(c, agent.id)? >= agent.max_chats {
                    return Err(StoreError::Conflict(
                        "you are at your maximum number of concurrent chats",
                    ));
                }
                let at = now();
                let changed = c.execute(
                    "UPDATE handoffs SET status = 'accepted', agent_id = $1, accepted_at = $2 \
                 WHERE id = $3 AND status = 'waiting'",
                    params![
                        agent.id.to_string(),
                        format_timestamp(at),
                        handoff_id.to_string()
                    ],
                )?;
                if changed == 0 {
                    return Err(StoreError::Conflict(
                        "this handoff was already taken or withdrawn",
                    ));
                }
                handoff.status = HandoffStatus::Accepted;
                handoff.agent_id = Some(agent.id);
                handoff.accepted_at = Some(at);
                let command = Command::Accept { agent: agent.id };
                change_owner(
                    c,
                    handoff.conversation_id,
                    Reach::Anywhere,
                    command,
                    |conversation| {
                        let note = joined(&agent, handoff.id, conversation.lang);
                        Ok((handoff, vec![note]))
                    },
                )
            })
            .await
    }

    /// The visitor withdraws a waiting handoff and goes back to the AI.
    pub async fn cancel_handoff(
        &self,
        conversation_id: ConversationId,
        visitor_text: &str,
    ) -> Result<HandoffChange, StoreError> {
        let visitor_text = visitor_text.to_owned();
        self.writer
            .write(move |c| {
                change_owner(c, conversation_id, Reach::Anywhere, Command::Cancel, |_| {
                    let mut handoff = open_handoff(c, conversation_id, HandoffStatus::Waiting)?
                        .ok_or(StoreError::Corrupt(
                            "conversation waiting without a waiting handoff",
                        ))?;
                    end_handoff(c, &mut handoff, HandoffStatus::Cancelled, None)?;
                    let note = NewMessage::system(
                        MessageKind::HandoffCancelled,
                        visitor_text,
                        serde_json::json!({ "handoff_id": handoff.id }),
                    );
                    Ok((handoff, vec![note]))
                })
            })
            .await
    }

    /// Ends a waiting handoff nobody accepted in time; the AI takes the conversation back and the
    /// visitor reads `visitor_text`. `Conflict` when it was accepted or withdrawn meanwhile.
    pub async fn expire_handoff(
        &self,
        handoff_id: HandoffId,
        visitor_text: &str,
        lead_prompt: Option<LeadPrompt>,
    ) -> Result<HandoffChange, StoreError> {
        let visitor_text = visitor_text.to_owned();
        self.writer
            .write(move |c| {
                let mut handoff = load_handoff(c, handoff_id)?;
                if handoff.status != HandoffStatus::Waiting {
                    return Err(StoreError::Conflict("the handoff is no longer waiting"));
                }
                let command = Command::Expire {
                    lead_capture: lead_prompt.is_some(),
                };
                change_owner(c, handoff.conversation_id, Reach::Anywhere, command, |_| {
                    let reason = OfflineReason::NobodyAccepted;
                    end_handoff(c, &mut handoff, HandoffStatus::Expired, Some(reason))?;
                    let note = NewMessage::system(
                        MessageKind::HandoffExpired,
                        visitor_text,
                        serde_json::json!({ "handoff_id": handoff.id, "reason": reason }),
                    );
                    let notes = std::iter::once(note)
                        .chain(lead_prompt.map(|p| p.message()))
                        .collect();
                    Ok((handoff, notes))
                })
            })
            .await
    }

    /// An agent joins a conversation the AI is handling. Recorded as an accepted handoff with the
    /// trigger `other`, so time with agents is counted the same way.
    pub async fn take_over(
        &self,
        conversation_id: ConversationId,
        agent: &Agent,
    ) -> Result<HandoffChange, StoreError> {
        let agent = agent.clone();
        self.writer
            .write(move |c| {
                let within = Reach::Workspace(agent.workspace_id);
                let command = Command::TakeOver { agent: agent.id };
                change_owner(c, conversation_id, within, command, |conversation| {
                    if active_chats(c, agent.id)? >= agent.max_chats {
                        return Err(StoreError::Conflict(
                            "you are at your maximum number of concurrent chats",
                        ));
                    }
                    let at = now();
                    let handoff = Handoff {
                        id: HandoffId::new(),
                        workspace_id: conversation.workspace_id,
                        conversation_id,
                        bot_id: conversation.bot_id,
                        trigger: Trigger::Other,
                        reason: format!("{} joined the conversation", agent.display_name),
                        summary: None,
                        status: HandoffStatus::Accepted,
                        offline_reason: None,
                        agent_id: Some(agent.id),
                        requested_at: at,
                        deadline_at: None,
                        accepted_at: Some(at),
                        ended_at: None,
                        escalated_at: None,
                    };
                    insert_handoff(c, &handoff)?;
                    let note = joined(&agent, handoff.id, conversation.lang);
                    Ok((handoff, vec![note]))
                })
            })
            .await
    }

    /// The owning agent hands the conversation back to the AI.
    pub async fn hand_back(
        &self,
        conversation_id: ConversationId,
        agent: &Agent,
    ) -> Result<HandoffChange, StoreError> {
        self.release(
            conversation_id,
            agent,
            Command::HandBack { agent: agent.id },
            MessageKind::HandedBack,
            notes::handed_back,
        )
        .await
    }

    /// The owning agent resolves the conversation; a later visitor message reopens it with the AI.
    pub async fn resolve(
        &self,
        conversation_id: ConversationId,
        agent: &Agent,
    ) -> Result<HandoffChange, StoreError> {
        self.release(
            conversation_id,
            agent,
            Command::Resolve { agent: agent.id },
            MessageKind::AgentLeft,
            notes::agent_resolved,
        )
        .await
    }

    async fn release(
        &self,
        conversation_id: ConversationId,
        agent: &Agent,
        command: Command,
        kind: MessageKind,
        note_text: fn(Language, &str) -> String,
    ) -> Result<HandoffChange, StoreError> {
        let agent = agent.clone();
        let resolved = matches!(command, Command::Resolve { .. });
        self.writer
            .write(move |c| {
                let within = Reach::Workspace(agent.workspace_id);
                change_owner(c, conversation_id, within, command, |conversation| {
                    let handoff = end_accepted(c, conversation_id)?;
                    let mut note = NewMessage::system(
                        kind,
                        note_text(conversation.lang, &agent.display_name),
                        serde_json::json!({
                            "handoff_id": handoff.id,
                            "agent_id": agent.id,
                            "resolved": resolved,
                        }),
                    );
                    note.author_name = Some(agent.display_name.clone());
                    Ok((handoff, vec![note]))
                })
            })
            .await
    }
}

/// Where an owner change may reach: an agent acts only on conversations of their own workspace
/// (another reads as not found, never as forbidden, which would confirm it exists); the server's
/// own flows act anywhere.
#[derive(Clone, Copy)]
enum Reach {
    Anywhere,
    Workspace(WorkspaceId),
}

/// One change of a conversation's owner, the way every handoff operation makes it: load the
/// conversation (locked until the commit), check it is within reach, ask the domain whether
/// `command` is allowed now, let `record` write the handoff record as it now is and give the
/// entries the visitor reads, then store the new owner and those entries, in that order. Runs
/// inside the caller's write: a refusal or failure anywhere changes nothing.
fn change_owner(
    c: &Tx<'_>,
    conversation_id: ConversationId,
    reach: Reach,
    command: Command,
    record: impl FnOnce(&Conversation) -> Result<(Handoff, Vec<NewMessage>), StoreError>,
) -> Result<HandoffChange, StoreError> {
    let mut conversation = load_conversation(c, conversation_id)?;
    if let Reach::Workspace(workspace_id) = reach
        && conversation.workspace_id != workspace_id
    {
        return Err(StoreError::NotFound(Entity::Conversation));
    }
    let transition = ownership::apply(conversation.owner, command)?;
    let (handoff, notes) = record(&conversation)?;
    // The offline path may leave the AI in charge: then nothing changes hands.
    if transition.to != transition.from {
        set_owner(c, &mut conversation, transition.to)?;
    }
    let messages = notes
        .into_iter()
        .map(|note| insert_message(c, &mut conversation, note))
        .collect::<Result<_, _>>()?;
    Ok(HandoffChange {
        handoff,
        conversation,
        messages,
    })
}

/// Records a requested handoff: the handoff (waiting until its deadline, or already ended on the
/// offline path) and the entries the visitor reads (`visitor_text`, then the lead form's prompt
/// when the offline path collects details).
fn open_request(
    c: &Tx<'_>,
    conversation: &Conversation,
    decision: &HandoffDecision,
    route: Route,
    visitor_text: &str,
) -> Result<(Handoff, Vec<NewMessage>), StoreError> {
    let at = now();
    let live = route.is_live();
    let lead_prompt = route.lead_prompt().cloned();
    let (status, deadline, offline_reason) = match route {
        Route::Live {
            accept_timeout_seconds,
        } => (
            HandoffStatus::Waiting,
            Some(at + SignedDuration::from_secs(i64::from(accept_timeout_seconds))),
            None,
        ),
        Route::Offline { reason, .. } => (HandoffStatus::Offline, None, Some(reason)),
    };
    let handoff = Handoff {
        id: HandoffId::new(),
        workspace_id: conversation.workspace_id,
        conversation_id: conversation.id,
        bot_id: conversation.bot_id,
        trigger: decision.trigger,
        reason: decision.reason.clone(),
        summary: decision.summary.clone(),
        status,
        offline_reason,
        agent_id: None,
        requested_at: at,
        deadline_at: deadline,
        accepted_at: None,
        ended_at: if live { None } else { Some(at) },
        escalated_at: None,
    };
    insert_handoff(c, &handoff)?;
    let (kind, data) = match offline_reason {
        None => (
            MessageKind::HandoffRequested,
            serde_json::json!({ "handoff_id": handoff.id, "trigger": handoff.trigger }),
        ),
        Some(reason) => (
            MessageKind::HandoffOffline,
            serde_json::json!({ "handoff_id": handoff.id, "trigger": handoff.trigger, "reason": reason }),
        ),
    };
    let note = NewMessage::system(kind, visitor_text.to_owned(), data);
    let notes = std::iter::once(note)
        .chain(lead_prompt.map(|p| p.message()))
        .collect();
    Ok((handoff, notes))
}

fn joined(agent: &Agent, handoff_id: HandoffId, lang: Language) -> NewMessage {
    NewMessage {
        kind: MessageKind::AgentJoined,
        author_kind: AuthorKind::System,
        author_agent_id: None,
        author_name: Some(agent.display_name.clone()),
        body: notes::agent_joined(lang, &agent.display_name),
        client_id: None,
        data: Some(serde_json::json!({ "handoff_id": handoff_id, "agent_id": agent.id })),
    }
}

fn load_handoff(c: &Tx<'_>, id: HandoffId) -> Result<Handoff, StoreError> {
    let sql = format!(
        "SELECT {} FROM handoffs h WHERE h.id = $1{}",
        Handoff::COLUMNS,
        c.dialect().for_update()
    );
    c.query_opt(&sql, params![id.to_string()], |r| Handoff::from_row(r))?
        .ok_or(StoreError::NotFound(Entity::Handoff))
}

pub(crate) fn open_handoff(
    c: &Tx<'_>,
    conversation_id: ConversationId,
    status: HandoffStatus,
) -> Result<Option<Handoff>, StoreError> {
    let sql = format!(
        "SELECT {} FROM handoffs h WHERE h.conversation_id = $1 AND h.status = $2 \
         ORDER BY h.requested_at DESC LIMIT 1{}",
        Handoff::COLUMNS,
        c.dialect().for_update()
    );
    c.query_opt(
        &sql,
        params![conversation_id.to_string(), status.as_str()],
        |r| Handoff::from_row(r),
    )
}

/// Ends the accepted handoff of a conversation an agent owns (resolve, hand back, requeue).
fn end_accepted(c: &Tx<'_>, conversation_id: ConversationId) -> Result<Handoff, StoreError> {
    let mut handoff = open_handoff(c, conversation_id, HandoffStatus::Accepted)?.ok_or(
        StoreError::Corrupt("conversation owned by an agent without an accepted handoff"),
    )?;
    end_handoff(c, &mut handoff, HandoffStatus::Ended, None)?;
    Ok(handoff)
}

pub(crate) fn end_handoff(
    c: &Tx<'_>,
    handoff: &mut Handoff,
    status: HandoffStatus,
    offline_reason: Option<OfflineReason>,
) -> Result<(), StoreError> {
    let at = now();
    c.execute(
        "UPDATE handoffs SET status = $1, ended_at = $2, offline_reason = $3 WHERE id = $4",
        params![
            status.as_str(),
            format_timestamp(at),
            offline_reason.map(|r| r.as_str()),
            handoff.id.to_string(),
        ],
    )?;
    handoff.status = status;
    handoff.ended_at = Some(at);
    handoff.offline_reason = offline_reason;
    Ok(())
}

/// When a waiting handoff is rung again if nobody has accepted it: half-way to its deadline.
fn escalate_at(h: &Handoff) -> Option<Timestamp> {
    let deadline = h.deadline_at?;
    let half = deadline.duration_since(h.requested_at) / 2;
    Some(h.requested_at + half)
}

pub(crate) fn insert_handoff(c: &Tx<'_>, h: &Handoff) -> Result<(), StoreError> {
    c.execute("INSERT INTO handoffs (id, workspace_id, conversation_id, bot_id, trigger_kind, reason, \
         summary, status, offline_reason, agent_id, requested_at, deadline_at, accepted_at, ended_at, \
         escalate_at, escalated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)", params![
        h.id.to_string(),
        h.workspace_id.to_string(),
        h.conversation_id.to_string(),
        h.bot_id.to_string(),
        h.trigger.as_str(),
        h.reason,
        h.summary,
        h.status.as_str(),
        h.offline_reason.map(|r| r.as_str()),
        h.agent_id.map(|a| a.to_string()),
        format_timestamp(h.requested_at),
        h.deadline_at.map(format_timestamp),
        h.accepted_at.map(format_timestamp),
        h.ended_at.map(format_timestamp),
        escalate_at(h).map(format_timestamp),
        h.escalated_at.map(format_timestamp),
    ])?;
    Ok(())
}

fn active_chats(c: &Tx<'_>, agent_id: AgentId) -> Result<u32, StoreError> {
    let n = c.query_one(
        "SELECT COUNT(*) AS n FROM conversations WHERE owner_agent_id = $1 \
         AND owner_state = 'human'",
        params![agent_id.to_string()],
        |row| row.int("n"),
    )?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

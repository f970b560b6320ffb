//! The handoff flow: request → availability check → every online agent notified
//! → exactly one accept → direct chat → resolve or hand back; and the accept timeout.

use baton_domain::brief;
use baton_domain::handoff::{self, AvailabilityFacts, HandoffDecision, Offer, OfflineReason};
use baton_domain::ids::{ConversationId, HandoffId, WorkspaceId};
use baton_domain::language::Language;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::notes;
use baton_domain::texts::TextKey;
use baton_storage::{
    Agent, AgentStatus, Bot, Conversation, HandoffChange, Route, StoreError, WaitingHandoff,
};
use jiff::Timestamp;

use super::visitor_texts;
use crate::events::Event;
use crate::metrics::HandoffOutcome;
use crate::service::ServiceResult;
use crate::state::AppState;
use crate::views::{HandoffBrief, HandoffView, MessageView};

/// The availability rule's inputs and answer at one instant.
#[derive(Clone, Copy, Debug)]
pub struct Availability {
    pub facts: AvailabilityFacts,
    pub offer: Offer,
    /// When the schedule next opens or closes (within 366 days).
    pub next_change: Option<Timestamp>,
}

/// How much of the conversation the brief's details are read from.
const BRIEF_HISTORY: u32 = 200;
/// How many of the AI's latest answers the brief shows.
const BRIEF_AI_ANSWERS: usize = 3;
/// How many recent messages an agent sees in a handoff notification.
const BRIEF_MESSAGES: u32 = 8;

impl AppState {
    /// How many agents of the workspace are online (panel connected, not away) with room for
    /// another chat.
    pub async fn agents_with_capacity(&self, workspace_id: WorkspaceId) -> ServiceResult<u32> {
        let agents = self.store.agents(workspace_id).await?;
        let active = self.store.active_chats(workspace_id).await?;
        let connected = self.connected_agents(workspace_id).await;
        let count = agents
            .iter()
            .filter(|a| {
                let online =
                    a.active && a.status == AgentStatus::Online && connected.contains(&a.id);
                handoff::has_spare_capacity(
                    online,
                    active.get(&a.id).copied().unwrap_or(0),
                    a.max_chats,
                )
            })
            .count();
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Whether a live handoff can be offered for `bot` at `at` (the availability rule of
    /// [`handoff::offer`], or [`handoff::offer_routed`] for FreshChat), and why not.
    pub async fn availability(&self, bot: &Bot, at: Timestamp) -> ServiceResult<Availability> {
        let agents_with_capacity = self.agents_with_capacity(bot.workspace_id).await?;
        let facts = AvailabilityFacts {
            handoff_enabled: bot.handoff.enabled,
            never_available: bot.schedule.document().never_available,
            schedule_open: bot.schedule.is_open(at),
            agents_with_capacity,
        };
        let offer = if self.routes_to_freshchat(bot).await {
            handoff::offer_routed(facts)
        } else {
            handoff::offer(facts)
        };
        Ok(Availability {
            facts,
            offer,
            next_change: bot.schedule.next_change(at),
        })
    }

    /// A conversation and its bot, as a handoff decision needs them.
    pub(crate) async fn conversation_with_bot(
        &self,
        conversation_id: ConversationId,
    ) -> ServiceResult<(Conversation, Bot)> {
        let conversation = self.store.conversation(conversation_id).await?;
        let bot = self.store.bot(conversation.bot_id).await?;
        Ok((conversation, bot))
    }

    /// Requests a handoff for the conversation: live when the availability rule allows it,
    /// otherwise the offline path with the reason in the visitor's words.
    pub async fn request_handoff(
        &self,
        conversation_id: ConversationId,
        decision: HandoffDecision,
    ) -> ServiceResult<HandoffChange> {
        let (conversation, bot) = self.conversation_with_bot(conversation_id).await?;
        let availability = self.availability(&bot, Timestamp::now()).await?;
        if availability.offer == Offer::Live && self.routes_to_freshchat(&bot).await {
            let routed = self.route_to_freshchat(conversation_id, &decision).await?;
            self.metrics.handoff_requested(decision.trigger);
            return Ok(routed);
        }
        let (route, text) = self
            .route(
                &bot,
                &conversation,
                availability.offer,
                notes::connecting(conversation.lang),
            )
            .await;
        let change = self
            .store
            .request_handoff(conversation_id, &decision, route.clone(), &text)
            .await?;
        self.metrics.handoff_requested(decision.trigger);
        if matches!(route, Route::Offline { .. }) {
            self.metrics.handoff_ended(HandoffOutcome::Offline);
        }
        self.publish_change(&change).await;
        if matches!(route, Route::Live { .. }) {
            self.notify_handoff_requested(&change).await;
            self.publish_queue(conversation.workspace_id).await;
        }
        Ok(change)
    }

    /// How a handoff proceeds for `offer`: live (the visitor reads `live_text`), or the offline
    /// path with the reason in the visitor's words and, when the bot collects details, the lead
    /// form.
    pub(crate) async fn route(
        &self,
        bot: &Bot,
        conversation: &Conversation,
        offer: Offer,
        live_text: &str,
    ) -> (Route, String) {
        match offer {
            Offer::Live => (
                Route::Live {
                    accept_timeout_seconds: bot.handoff.accept_timeout_seconds,
                },
                live_text.to_owned(),
            ),
            Offer::Offline(reason) => {
                let lead_capture = if bot.handoff.lead_capture_enabled {
                    Some(self.lead_prompt(bot, conversation).await)
                } else {
                    None
                };
                (
                    Route::Offline {
                        reason,
                        lead_capture,
                    },
                    offline_text(reason, conversation.lang, bot),
                )
            }
        }
    }

    /// An agent accepts a waiting handoff; exactly one of several concurrent accepts wins.
    pub async fn accept_handoff(
        &self,
        agent: &Agent,
        handoff_id: HandoffId,
    ) -> ServiceResult<HandoffChange> {
        let change = self.store.accept_handoff(handoff_id, agent).await?;
        let accepted_at = change.handoff.accepted_at.unwrap_or_else(Timestamp::now);
        self.metrics
            .handoff_accepted(elapsed(change.handoff.requested_at, accepted_at));
        self.publish_change(&change).await;
        self.hub.publish_workspace(
            agent.workspace_id,
            Event::HandoffTaken {
                handoff_id: change.handoff.id,
                conversation_id: change.conversation.id,
                agent_id: agent.id,
                agent_name: &agent.display_name,
            }
            .to_json(),
        );
        self.publish_queue(agent.workspace_id).await;
        Ok(change)
    }

    /// The visitor goes back to the AI instead of waiting.
    pub async fn cancel_handoff(
        &self,
        conversation_id: ConversationId,
    ) -> ServiceResult<HandoffChange> {
        let conversation = self.store.conversation(conversation_id).await?;
        let change = self
            .store
            .cancel_handoff(conversation_id, notes::back_with_ai(conversation.lang))
            .await?;
        self.metrics.handoff_ended(HandoffOutcome::Cancelled);
        self.publish_change(&change).await;
        self.notify_withdrawn(&change, "cancelled");
        self.publish_queue(change.conversation.workspace_id).await;
        Ok(change)
    }

    pub async fn take_over(
        &self,
        agent: &Agent,
        conversation_id: ConversationId,
    ) -> ServiceResult<HandoffChange> {
        self.published(self.store.take_over(conversation_id, agent).await)
            .await
    }

    pub async fn hand_back(
        &self,
        agent: &Agent,
        conversation_id: ConversationId,
    ) -> ServiceResult<HandoffChange> {
        self.published(self.store.hand_back(conversation_id, agent).await)
            .await
    }

    pub async fn resolve(
        &self,
        agent: &Agent,
        conversation_id: ConversationId,
    ) -> ServiceResult<HandoffChange> {
        self.published(self.store.resolve(conversation_id, agent).await)
            .await
    }

    /// Publishes a stored change of a conversation's owner, or maps the refusal.
    async fn published(
        &self,
        stored: Result<HandoffChange, StoreError>,
    ) -> ServiceResult<HandoffChange> {
        let change = stored?;
        self.publish_change(&change).await;
        Ok(change)
    }

    /// Ends every waiting handoff past its accept deadline: the visitor is told and gets the
    /// offline message; the panels drop it from the queue.
    pub async fn expire_overdue_handoffs(&self, now: Timestamp) {
        let overdue = match self.store.overdue_handoffs(now).await {
            Ok(ids) => ids,
            Err(err) => {
                tracing::error!(error = %err, "could not look for overdue handoffs");
                return;
            }
        };
        for id in overdue {
            let Ok(handoff) = self.store.handoff(id).await else {
                continue;
            };
            let (Ok(bot), Ok(conversation)) = (
                self.store.bot(handoff.bot_id).await,
                self.store.conversation(handoff.conversation_id).await,
            ) else {
                continue;
            };
            let text = offline_text(OfflineReason::NobodyAccepted, conversation.lang, &bot);
            let lead_prompt = if bot.handoff.lead_capture_enabled {
                Some(self.lead_prompt(&bot, &conversation).await)
            } else {
                None
            };
            match self.store.expire_handoff(id, &text, lead_prompt).await {
                Ok(change) => {
                    self.metrics.handoff_ended(HandoffOutcome::Expired);
                    self.publish_change(&change).await;
                    self.notify_withdrawn(&change, "expired");
                    self.publish_queue(change.conversation.workspace_id).await;
                }
                // Accepted or withdrawn in the meantime.
                Err(StoreError::Conflict(_) | StoreError::Refused(_)) => {}
                Err(err) => tracing::error!(error = %err, "could not expire a handoff"),
            }
        }
    }

    /// Rings again for every waiting handoff nobody accepted by half its accept timeout: the
    /// panels sound and mark it urgent, the workspace's notification address gets the brief by
    /// email (when SMTP is configured), and the waiting visitors' line is refreshed. At the full
    /// timeout the offline path runs as before.
    pub async fn escalate_due_handoffs(&self, now: Timestamp) {
        let due = match self.store.handoffs_to_escalate(now).await {
            Ok(ids) => ids,
            Err(err) => {
                tracing::error!(error = %err, "could not look for handoffs to escalate");
                return;
            }
        };
        for id in due {
            let Ok(handoff) = self.store.handoff(id).await else {
                continue;
            };
            let workspace_id = handoff.workspace_id;
            let mut emails = Vec::new();
            if self.config.smtp.is_some()
                && let Ok(integrations) = self.store.integrations(workspace_id).await
                && let Some(to) = integrations.notification_email
                && let Ok(briefs) = self.waiting_briefs(workspace_id).await
                && let Some(brief) = briefs.iter().find(|b| b.handoff.id == id)
            {
                emails.push(crate::delivery::escalation_email(
                    brief,
                    &to,
                    &self.public_base(),
                ));
            }
            let queued = !emails.is_empty();
            match self.store.escalate_handoff(id, emails).await {
                Ok(Some(handoff)) => {
                    self.metrics.handoff_escalated();
                    self.hub.publish_workspace(
                        workspace_id,
                        Event::HandoffEscalated {
                            handoff_id: handoff.id,
                            conversation_id: handoff.conversation_id,
                            escalated_at: handoff.escalated_at.map(|t| t.to_string()),
                        }
                        .to_json(),
                    );
                    self.publish_queue(workspace_id).await;
                    if queued {
                        self.wake(crate::cluster::Job::Outbox);
                    }
                }
                Ok(None) => {}
                Err(err) => tracing::error!(error = %err, "could not escalate a handoff"),
            }
        }
    }

    /// The waiting handoffs of a workspace with their briefs, in queue order.
    pub async fn waiting_briefs(
        &self,
        workspace_id: WorkspaceId,
    ) -> ServiceResult<Vec<HandoffBrief>> {
        let waiting = self.store.waiting_handoffs(workspace_id).await?;
        let mut briefs = Vec::with_capacity(waiting.len());
        for (index, w) in waiting.iter().enumerate() {
            briefs.push(
                self.brief(w, u32::try_from(index + 1).unwrap_or(u32::MAX))
                    .await?,
            );
        }
        Ok(briefs)
    }

    async fn brief(&self, waiting: &WaitingHandoff, position: u32) -> ServiceResult<HandoffBrief> {
        let history = self
            .store
            .last_messages(waiting.handoff.conversation_id, BRIEF_HISTORY)
            .await?;
        let texts = || history.iter().filter(|m| m.kind == MessageKind::Text);
        let details = brief::extract_details(
            texts()
                .filter(|m| m.author_kind == AuthorKind::Visitor)
                .map(|m| m.body.as_str()),
        );
        let mut ai_answers: Vec<String> = texts()
            .filter(|m| m.author_kind == AuthorKind::Bot)
            .rev()
            .take(BRIEF_AI_ANSWERS)
            .map(|m| m.body.clone())
            .collect();
        ai_answers.reverse();
        let last = &history[history.len().saturating_sub(BRIEF_MESSAGES as usize)..];
        Ok(HandoffBrief {
            handoff: HandoffView::from(&waiting.handoff),
            bot_name: waiting.bot_name.clone(),
            visitor_name: waiting.visitor_name.clone(),
            position,
            last_messages: last.iter().map(MessageView::from).collect(),
            details,
            ai_answers,
        })
    }

    pub(crate) async fn notify_handoff_requested(&self, change: &HandoffChange) {
        let workspace_id = change.conversation.workspace_id;
        self.publish_handoff_brief_here(workspace_id, change.handoff.id)
            .await;
        self.announce(crate::cluster::Notice::HandoffRequested {
            workspace_id,
            handoff_id: change.handoff.id,
        });
    }

    /// Sends this process's panels the brief of a waiting handoff.
    pub(crate) async fn publish_handoff_brief_here(
        &self,
        workspace_id: WorkspaceId,
        handoff_id: baton_domain::ids::HandoffId,
    ) {
        match self.waiting_briefs(workspace_id).await {
            Ok(briefs) => {
                if let Some(brief) = briefs.into_iter().find(|b| b.handoff.id == handoff_id) {
                    let panels = self.hub.publish_workspace_here(
                        workspace_id,
                        Event::HandoffRequested {
                            handoff: brief.clone(),
                        }
                        .to_json()
                        .into(),
                    );
                    // Measured only when a panel was there to be told; the request's time is
                    // the stored one (another process's clock when the notice came from there).
                    if panels > 0
                        && let Ok(requested_at) = brief.handoff.requested_at.parse::<Timestamp>()
                    {
                        self.metrics
                            .handoff_notified(elapsed(requested_at, Timestamp::now()));
                    }
                }
            }
            Err(err) => tracing::error!(
                error = %super::ErrorChain(&err),
                "could not build the handoff brief"
            ),
        }
    }

    fn notify_withdrawn(&self, change: &HandoffChange, reason: &str) {
        self.hub.publish_workspace(
            change.conversation.workspace_id,
            Event::HandoffWithdrawn {
                handoff_id: change.handoff.id,
                conversation_id: change.conversation.id,
                reason,
            }
            .to_json(),
        );
    }

    /// Tells every waiting visitor of the workspace their place in the queue and the expected wait.
    pub(crate) async fn publish_queue(&self, workspace_id: WorkspaceId) {
        let Ok(waiting) = self.store.waiting_handoffs(workspace_id).await else {
            return;
        };
        if waiting.is_empty() {
            return;
        }
        let recent = self
            .store
            .recent_accept_waits(workspace_id, 20)
            .await
            .unwrap_or_default();
        let agents = self.agents_with_capacity(workspace_id).await.unwrap_or(0);
        for (index, w) in waiting.iter().enumerate() {
            let position = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let json = Event::Queue {
                conversation_id: w.handoff.conversation_id,
                position,
                expected_wait_seconds: handoff::expected_wait_seconds(position, &recent, agents),
            }
            .to_json();
            self.hub.publish_conversation(
                w.handoff.conversation_id,
                crate::hub::Frame {
                    seq: None,
                    for_visitor: true,
                    for_agents: false,
                    preview: crate::hub::Preview::Keeps,
                    json: json.into(),
                },
            );
        }
    }

    /// Announces the new owner (the stored entries reached the sockets as they committed).
    async fn publish_change(&self, change: &HandoffChange) {
        self.publish_state(&change.conversation).await;
    }
}

/// The time from `from` to `to`; zero when the clocks disagree about their order.
fn elapsed(from: Timestamp, to: Timestamp) -> std::time::Duration {
    std::time::Duration::try_from(to.duration_since(from)).unwrap_or_default()
}

/// What the visitor reads when no live handoff can be offered: the reason, then the bot's offline
/// message, both in the visitor's language (the admin's translation, else as written).
pub fn offline_text(reason: OfflineReason, lang: Language, bot: &Bot) -> String {
    let offline_message = visitor_texts::bot_text(bot, TextKey::OfflineMessage, lang);
    format!("{} {}", reason.visitor_text(lang), offline_message.trim())
}

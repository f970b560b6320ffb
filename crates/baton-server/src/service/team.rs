//! The team: an admin changes an agent's name, role, capacity or active state. Deactivating ends
//! the agent's sessions and panel sockets at once and gives their live conversations back to the
//! queue, each visitor told, so nobody is left talking to someone who has gone.

use baton_domain::handoff;
use baton_domain::ids::{AgentId, ConversationId, WorkspaceId};
use baton_domain::notes;
use baton_storage::{Agent, AgentChanges, HandoffChange, Route};
use jiff::Timestamp;

use crate::service::ServiceResult;
use crate::state::AppState;

impl AppState {
    /// Applies an admin's changes to an agent of their workspace.
    pub async fn update_agent(
        &self,
        workspace_id: WorkspaceId,
        agent_id: AgentId,
        changes: AgentChanges,
    ) -> ServiceResult<Agent> {
        let agent = self
            .store
            .update_agent(workspace_id, agent_id, changes)
            .await?;
        if !agent.active {
            self.sessions_ended(agent.id);
            self.requeue_conversations_of(&agent).await;
        }
        self.publish_presence(workspace_id, agent.id).await;
        self.publish_queue(workspace_id).await;
        Ok(agent)
    }

    /// Gives every conversation the agent owns back to the queue.
    async fn requeue_conversations_of(&self, agent: &Agent) {
        let owned = match self.store.conversations_owned_by(agent.id).await {
            Ok(owned) => owned,
            Err(err) => {
                tracing::error!(error = %err, "could not list a deactivated agent's conversations");
                return;
            }
        };
        for conversation_id in owned {
            self.requeue_logged(conversation_id, agent).await;
        }
    }

    /// Requeues what deactivated agents still own: the conversations a crash left between an
    /// agent's deactivation and their requeue. Run by the handoff sweep.
    pub async fn requeue_orphaned_conversations(&self) {
        let orphaned = match self.store.conversations_of_inactive_agents().await {
            Ok(orphaned) => orphaned,
            Err(err) => {
                tracing::error!(error = %err, "could not look for conversations of deactivated agents");
                return;
            }
        };
        for (conversation_id, agent_id) in orphaned {
            if let Ok(agent) = self.store.agent(agent_id).await {
                self.requeue_logged(conversation_id, &agent).await;
            }
        }
    }

    async fn requeue_logged(&self, conversation_id: ConversationId, agent: &Agent) {
        match self.requeue(conversation_id, agent).await {
            Ok(_) => {}
            // Resolved or handed back in the meantime.
            Err(e) if e.is_refusal() => {}
            Err(e) => tracing::error!(
                error = %super::ErrorChain(&e),
                "could not requeue a conversation"
            ),
        }
    }

    /// Hands one conversation of a deactivated agent back to the queue: live when an agent can
    /// take it now (Live Chat's availability rule, with the agent no longer counted), otherwise
    /// the offline path, exactly as for a new request.
    async fn requeue(
        &self,
        conversation_id: ConversationId,
        agent: &Agent,
    ) -> ServiceResult<HandoffChange> {
        let (conversation, bot) = self.conversation_with_bot(conversation_id).await?;
        let availability = self.availability(&bot, Timestamp::now()).await?;
        let live_text = notes::requeued(conversation.lang, &agent.display_name);
        let (route, text) = self
            .route(
                &bot,
                &conversation,
                handoff::offer(availability.facts),
                &live_text,
            )
            .await;
        let live = matches!(route, Route::Live { .. });
        let change = self
            .store
            .requeue(conversation_id, agent.id, route, &text)
            .await?;
        self.metrics.handoff_requeued();
        self.publish_state(&change.conversation).await;
        if live {
            self.notify_handoff_requested(&change).await;
        }
        self.publish_queue(conversation.workspace_id).await;
        Ok(change)
    }
}

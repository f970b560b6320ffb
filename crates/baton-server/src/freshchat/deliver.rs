//! Routing a handoff into FreshChat and delivering what goes there, through the durable outbox
//! (channel `freshchat`, one queue per conversation).
//!
//! The route itself is stored at once (owner FreshChat, the visitor told, the creation queued in
//! the same transaction); the FreshChat calls happen here, afterwards: find or create the user,
//! create the conversation with the transcript and the brief, then post each visitor message in
//! order. While FreshChat is down or throttling, deliveries wait and retry (honouring
//! `Retry-After`) and are never dropped; a permanent refusal of the conversation (bad token,
//! unknown channel, any other 4xx) sends the visitor down the offline path at once and leaves the
//! dead delivery, with its error, in the admins' outbox view.

use std::time::Duration;

use baton_domain::handoff::{HandoffDecision, OfflineReason};
use baton_domain::ids::ConversationId;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::ownership::Owner;
use baton_storage::{
    Bot, FRESHCHAT_EVENT_CONVERSATION, FRESHCHAT_EVENT_MESSAGE, FreshchatLink, HandoffChange,
    Message, OutboxItem, StoreError,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::client::{FreshchatApi, FreshchatError, user_message};
use crate::delivery::backoff;
use crate::service::offline_text;
use crate::service::{ServiceError, ServiceResult};
use crate::state::AppState;

/// What the visitor reads when the handoff goes to FreshChat.
pub const ROUTED_TEXT: &str =
    "I'm passing you to our support team. Please stay here — they'll reply in this chat.";
/// How many due deliveries are taken per round.
const BATCH: u32 = 50;
/// How often the queue is looked at when nothing wakes the task.
const IDLE_POLL: Duration = Duration::from_millis(250);
/// The longest wait between two attempts while FreshChat is down (it is retried until it answers).
const MAX_TRANSIENT_WAIT: Duration = Duration::from_secs(300);
/// The longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);
/// How much of the conversation goes into the brief's transcript.
const TRANSCRIPT_MESSAGES: u32 = 200;

/// How one delivery attempt ended.
enum Outcome {
    Delivered,
    /// Try again after this wait.
    Retry(Duration, String),
    /// Give up; the admins see the error.
    Dead(String),
}

impl AppState {
    /// Whether the bot's handoffs go to FreshChat now: its toggle is on and the workspace's
    /// credentials are saved (cleared credentials fall back to Live Chat).
    pub(crate) async fn routes_to_freshchat(&self, bot: &Bot) -> bool {
        bot.handoff.freshchat_enabled
            && self
                .store
                .freshchat_settings(bot.workspace_id)
                .await
                .is_ok_and(|s| s.is_configured())
    }

    /// Refuses turning FreshChat routing on for a bot of a workspace without saved credentials.
    pub(crate) async fn check_freshchat_toggle(
        &self,
        workspace_id: baton_domain::ids::WorkspaceId,
        enabled: bool,
        field: &'static str,
    ) -> ServiceResult<()> {
        if !enabled {
            return Ok(());
        }
        let settings = self.store.freshchat_settings(workspace_id).await?;
        if settings.is_configured() {
            Ok(())
        } else {
            Err(ServiceError::invalid(
                field,
                "save the FreshChat API URL and token in Settings → Integrations first",
            ))
        }
    }

    /// Routes a handoff into FreshChat (stored and published now, created there by the queue).
    pub(crate) async fn route_to_freshchat(
        &self,
        conversation_id: ConversationId,
        decision: &HandoffDecision,
    ) -> ServiceResult<HandoffChange> {
        let change = self
            .store
            .route_to_freshchat(conversation_id, decision, ROUTED_TEXT)
            .await?;
        // The stored entries reached the sockets as they committed; the owner is announced here.
        self.publish_state(&change.conversation).await;
        self.wake(crate::cluster::Job::FreshchatDeliveries);
        Ok(change)
    }

    /// Queues a visitor message of a conversation FreshChat owns (with any earlier one not
    /// queued yet; a failure here is caught up when the server next starts).
    pub(crate) async fn forward_to_freshchat(&self, message: &Message) {
        match self
            .store
            .queue_freshchat_messages(message.conversation_id, message.seq)
            .await
        {
            Ok(0) => {}
            Ok(_) => self.wake(crate::cluster::Job::FreshchatDeliveries),
            Err(err) => {
                tracing::error!(error = %err, conversation = %message.conversation_id, "could not queue a visitor message for FreshChat");
            }
        }
    }

    async fn deliver_freshchat(&self, item: &OutboxItem) -> Outcome {
        let Ok(conversation_id) = item.destination.parse::<ConversationId>() else {
            return Outcome::Dead("the delivery names no conversation".into());
        };
        let payload: Value = serde_json::from_str(&item.payload).unwrap_or_default();
        let link = match self.store.freshchat_link(conversation_id).await {
            Ok(Some(link)) => link,
            Ok(None) => return Outcome::Dead("the conversation was never routed".into()),
            Err(err) => return Outcome::Retry(Duration::from_secs(1), err.to_string()),
        };
        match item.event.as_str() {
            FRESHCHAT_EVENT_CONVERSATION => self.create_remote(item, &link, &payload).await,
            FRESHCHAT_EVENT_MESSAGE => self.post_remote(item, &link, &payload).await,
            other => Outcome::Dead(format!("unknown FreshChat delivery {other}")),
        }
    }

    /// Creates the FreshChat conversation of a routed handoff.
    async fn create_remote(
        &self,
        item: &OutboxItem,
        link: &FreshchatLink,
        payload: &Value,
    ) -> Outcome {
        if payload["handoff_id"].as_str() != Some(&link.handoff_id.to_string()) {
            // A later handoff of the same conversation replaced this one.
            return Outcome::Delivered;
        }
        if link.remote_id.is_some() {
            return Outcome::Delivered;
        }
        let conversation = match self.store.conversation(link.conversation_id).await {
            Ok(c) => c,
            Err(err) => return Outcome::Retry(Duration::from_secs(1), err.to_string()),
        };
        if conversation.owner != Owner::Freshchat {
            return Outcome::Dead(
                "the conversation left FreshChat before it was created there".into(),
            );
        }
        let result = self.try_create_remote(link, payload).await;
        match result {
            Ok(()) => Outcome::Delivered,
            Err(err) if err.is_transient() => {
                transient(err, item.attempts, self.config.outbox_base_delay)
            }
            Err(err) => {
                let error = err.to_string();
                tracing::warn!(conversation = %link.conversation_id, %error, "FreshChat refused the conversation; the offline path runs");
                self.freshchat_gave_up(link.conversation_id).await;
                Outcome::Dead(error)
            }
        }
    }

    async fn try_create_remote(
        &self,
        link: &FreshchatLink,
        payload: &Value,
    ) -> Result<(), FreshchatError> {
        let settings = self
            .store
            .freshchat_settings(link.workspace_id)
            .await
            .map_err(|e| FreshchatError::Unreachable(e.to_string()))?;
        let api = self.freshchat.api(&settings)?;
        let conversation = self
            .store
            .conversation(link.conversation_id)
            .await
            .map_err(|e| FreshchatError::Unreachable(e.to_string()))?;
        let user_id = self
            .freshchat_user(api.as_ref(), link, conversation.visitor_name.as_deref())
            .await?;
        let channel_id = channel_id(api.as_ref(), &settings.channel_id).await?;
        let upto = payload["upto_seq"].as_i64().unwrap_or(i64::MAX);
        let history = self
            .store
            .last_messages(link.conversation_id, TRANSCRIPT_MESSAGES)
            .await
            .map_err(|e| FreshchatError::Unreachable(e.to_string()))?;
        let history: Vec<&Message> = history.iter().filter(|m| m.seq <= upto).collect();
        let handoff = self
            .store
            .handoff(link.handoff_id)
            .await
            .map_err(|e| FreshchatError::Unreachable(e.to_string()))?;
        let mut messages = vec![json!({
            "message_parts": [ { "text": { "content": brief_note(&handoff, &history) } } ],
            "message_type": "private",
            "actor_type": "bot",
        })];
        for m in history
            .iter()
            .filter(|m| m.author_kind == AuthorKind::Visitor)
        {
            match (m.kind, &m.data) {
                (MessageKind::Text, _) => messages.push(user_message(&user_id, &m.body)),
                (MessageKind::Attachment, Some(data)) => {
                    let note = self
                        .attachment_note(data)
                        .await
                        .map_err(|e| FreshchatError::Unreachable(e.to_string()))?;
                    messages.push(user_message(&user_id, &note));
                }
                _ => {}
            }
        }
        self.open_conversation(api.as_ref(), link, &channel_id, &user_id, messages)
            .await
    }

    /// The FreshChat user standing for the visitor: stored, found by `reference_id`, or created.
    async fn freshchat_user(
        &self,
        api: &dyn FreshchatApi,
        link: &FreshchatLink,
        visitor_name: Option<&str>,
    ) -> Result<String, FreshchatError> {
        if let Some(user) = &link.user_id {
            return Ok(user.clone());
        }
        let reference = link.conversation_id.to_string();
        let user = match api.find_user(&reference).await? {
            Some(user) => user,
            None => {
                let mut body = json!({
                    "reference_id": reference,
                    "first_name": visitor_name.unwrap_or("Website visitor"),
                    "properties": [ { "name": "source", "value": "Baton" } ],
                });
                if visitor_name.is_some() {
                    body["last_name"] = json!("");
                }
                api.create_user(&body).await?
            }
        };
        self.store
            .set_freshchat_user(link.conversation_id, &user)
            .await
            .map_err(|e| FreshchatError::Unreachable(e.to_string()))?;
        Ok(user)
    }

    /// Posts one visitor message as the FreshChat user.
    async fn post_remote(
        &self,
        item: &OutboxItem,
        link: &FreshchatLink,
        payload: &Value,
    ) -> Outcome {
        let (Some(remote), Some(user)) = (&link.remote_id, &link.user_id) else {
            return Outcome::Dead("the FreshChat conversation was never created".into());
        };
        // A file goes as its name, size and a signed link, made now so it lives its full time.
        let text = match payload.get("attachment") {
            Some(data) => match self.attachment_note(data).await {
                Ok(note) => note,
                Err(err) => return Outcome::Retry(Duration::from_secs(1), err.to_string()),
            },
            None => payload["text"].as_str().unwrap_or_default().to_owned(),
        };
        let text = text.as_str();
        let settings = match self.store.freshchat_settings(link.workspace_id).await {
            Ok(s) => s,
            Err(err) => return Outcome::Retry(Duration::from_secs(1), err.to_string()),
        };
        let api = match self.freshchat.api(&settings) {
            Ok(api) => api,
            Err(err) => return Outcome::Dead(err.to_string()),
        };
        let attempts = item.attempts;
        match api.post_message(remote, &user_message(user, text)).await {
            Ok(id) => {
                self.remember_echoes(link, id.as_slice()).await;
                Outcome::Delivered
            }
            Err(err) if err.is_not_latest_conversation() => {
                // FreshChat keeps one live thread per user and topic: start a new one and re-map.
                match self
                    .recreate_remote(api.as_ref(), link, user, text, &settings.channel_id)
                    .await
                {
                    Ok(()) => Outcome::Delivered,
                    Err(err) if err.is_transient() => {
                        transient(err, attempts, self.config.outbox_base_delay)
                    }
                    Err(err) => Outcome::Dead(err.to_string()),
                }
            }
            Err(err) if err.is_transient() => {
                transient(err, attempts, self.config.outbox_base_delay)
            }
            Err(err) => Outcome::Dead(err.to_string()),
        }
    }

    async fn recreate_remote(
        &self,
        api: &dyn FreshchatApi,
        link: &FreshchatLink,
        user: &str,
        text: &str,
        channel: &Option<String>,
    ) -> Result<(), FreshchatError> {
        let channel_id = channel_id(api, channel).await?;
        self.open_conversation(api, link, &channel_id, user, vec![user_message(user, text)])
            .await
    }

    /// Creates the FreshChat conversation holding `messages`, maps it to ours and remembers our
    /// own messages' ids so their webhook echoes are dropped.
    async fn open_conversation(
        &self,
        api: &dyn FreshchatApi,
        link: &FreshchatLink,
        channel_id: &str,
        user_id: &str,
        messages: Vec<serde_json::Value>,
    ) -> Result<(), FreshchatError> {
        let body = json!({
            "channel_id": channel_id,
            "users": [ { "id": user_id } ],
            "messages": messages,
            "status": "new",
        });
        let created = api.create_conversation(&body).await?;
        self.store
            .set_freshchat_conversation(
                link.conversation_id,
                &created.id,
                created.numeric_id.as_deref(),
            )
            .await
            .map_err(|e| FreshchatError::Unreachable(e.to_string()))?;
        self.remember_echoes(link, &created.message_ids).await;
        Ok(())
    }

    /// Stores our own messages' ids as handled webhook events, so their echo is dropped.
    async fn remember_echoes(&self, link: &FreshchatLink, ids: &[String]) {
        for id in ids {
            let key = format!("message:{id}");
            if let Err(err) = self
                .store
                .record_freshchat_event(link.workspace_id, &key, "echo", "", "", true)
                .await
            {
                tracing::warn!(error = %err, "could not remember a FreshChat message id");
            }
        }
    }

    /// FreshChat refused the conversation for good: the offline path runs for the visitor now.
    async fn freshchat_gave_up(&self, conversation_id: ConversationId) {
        let Ok(conversation) = self.store.conversation(conversation_id).await else {
            return;
        };
        let Ok(bot) = self.store.bot(conversation.bot_id).await else {
            return;
        };
        let text = offline_text(OfflineReason::NobodyAvailable, conversation.lang, &bot);
        let lead_prompt = lead_capture(self, &bot, &conversation).await;
        match self
            .store
            .freshchat_failed(conversation_id, &text, lead_prompt)
            .await
        {
            Ok(change) => self.publish_state(&change.conversation).await,
            Err(StoreError::Refused(_)) => {}
            Err(err) => {
                tracing::error!(error = %err, "could not run the offline path after FreshChat refused")
            }
        }
    }
}

/// The channel new conversations go to: the configured one, or FreshChat's first.
async fn channel_id(
    api: &dyn FreshchatApi,
    configured: &Option<String>,
) -> Result<String, FreshchatError> {
    match configured {
        Some(channel) => Ok(channel.clone()),
        None => api
            .channels()
            .await?
            .into_iter()
            .next()
            .map(|c| c.id)
            .ok_or(FreshchatError::NoChannel),
    }
}

async fn lead_capture(
    state: &AppState,
    bot: &Bot,
    conversation: &baton_storage::Conversation,
) -> Option<baton_storage::LeadPrompt> {
    if bot.handoff.lead_capture_enabled {
        Some(state.lead_prompt(bot, conversation).await)
    } else {
        None
    }
}

/// A transient failure: wait as FreshChat asks (429 `Retry-After`), else back off exponentially,
/// never dead-lettering (nothing is lost while FreshChat is down).
fn transient(err: FreshchatError, attempts: u32, base: Duration) -> Outcome {
    let wait = match &err {
        FreshchatError::RateLimited {
            retry_after: Some(wait),
        } => (*wait).min(MAX_RETRY_AFTER),
        _ => backoff(base, attempts).min(MAX_TRANSIENT_WAIT),
    };
    Outcome::Retry(wait, err.to_string())
}

/// The private note that opens the FreshChat conversation: the handoff brief (trigger, reason,
/// summary, details) and the transcript so far, AI answers included.
fn brief_note(handoff: &baton_storage::Handoff, history: &[&Message]) -> String {
    let mut note = format!(
        "Handoff from Baton\nTrigger: {}\nReason: {}\n",
        handoff.trigger.as_str(),
        handoff.reason
    );
    if let Some(summary) = &handoff.summary {
        note.push_str(&format!("Summary: {summary}\n"));
    }
    let details = baton_domain::brief::extract_details(
        history
            .iter()
            .filter(|m| m.kind == MessageKind::Text && m.author_kind == AuthorKind::Visitor)
            .map(|m| m.body.as_str()),
    );
    for (label, values) in [
        ("Emails", &details.emails),
        ("Phones", &details.phones),
        ("Order numbers", &details.order_numbers),
    ] {
        if !values.is_empty() {
            note.push_str(&format!("{label}: {}\n", values.join(", ")));
        }
    }
    note.push_str("\nTranscript:\n");
    for m in history.iter().filter(|m| m.kind == MessageKind::Text) {
        let who = match m.author_kind {
            AuthorKind::Visitor => "Visitor",
            AuthorKind::Bot => "AI",
            AuthorKind::Agent => m.author_name.as_deref().unwrap_or("Agent"),
            AuthorKind::System => "System",
        };
        note.push_str(&format!("{who}: {}\n", m.body));
    }
    note
}

/// The FreshChat delivery task: runs until the server stops. It first queues the visitor
/// messages a stop left unqueued (stored, but stopped before their delivery was queued).
pub async fn run(state: AppState) {
    match state.store.freshchat_backlog().await {
        Ok(backlog) => {
            for (conversation, last_seq) in backlog {
                if let Err(err) = state
                    .store
                    .queue_freshchat_messages(conversation, last_seq)
                    .await
                {
                    tracing::error!(error = %err, %conversation, "could not catch up a FreshChat conversation");
                }
            }
        }
        Err(err) => tracing::error!(error = %err, "cannot read the FreshChat backlog"),
    }
    loop {
        let due = match state
            .store
            .due_freshchat_outbox(Timestamp::now(), BATCH)
            .await
        {
            Ok(due) => due,
            Err(err) => {
                tracing::error!(error = %err, "cannot read the FreshChat queue");
                Vec::new()
            }
        };
        for item in &due {
            let recorded = match state.deliver_freshchat(item).await {
                Outcome::Delivered => state.store.outbox_delivered(item.id).await,
                Outcome::Retry(wait, error) => {
                    tracing::warn!(id = %item.id, attempts = item.attempts + 1, %error, "FreshChat delivery failed; retrying");
                    let at = Timestamp::now()
                        + SignedDuration::try_from(wait).unwrap_or(SignedDuration::from_secs(300));
                    state.store.outbox_failed(item.id, &error, Some(at)).await
                }
                Outcome::Dead(error) => {
                    tracing::warn!(id = %item.id, %error, "FreshChat delivery failed for good");
                    state.store.outbox_failed(item.id, &error, None).await
                }
            };
            if let Err(err) = recorded {
                tracing::error!(error = %err, "cannot record a FreshChat delivery outcome");
            }
        }
        if due.len() < BATCH as usize {
            tokio::select! {
                () = state.freshchat.deliveries_wake.notified() => {}
                () = tokio::time::sleep(IDLE_POLL) => {}
            }
        }
    }
}

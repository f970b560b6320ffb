//! FreshChat webhook events (docs/freshchat.md, "Webhooks"): taken in by the HTTP route after the
//! signature is verified over the raw body, stored once per key (FreshChat retries, so duplicates
//! arrive), answered at once, and applied here afterwards in FreshChat's order (`action_time`).
//!
//! - `message_create` from an agent with a normal message type → an agent message in the widget
//!   under the agent's name. Private notes, system messages and the echo of our own posts (actor
//!   `user`, or an id we stored) are dropped.
//! - `conversation_assignment` → "Ana joined the chat." once per agent.
//! - `conversation_resolution` → the conversation closes for the visitor, back to the AI next.
//! - `conversation_reopen` → FreshChat's team owns the conversation again.
//!
//! An event whose conversation is not mapped yet (the webhook overtook our own create call) is
//! tried again shortly; lifecycle events older than one already applied are ignored.

use std::time::Duration;

use baton_domain::ids::WorkspaceId;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::notes;
use baton_domain::ownership::{Owner, Speaker};
use baton_storage::{FreshchatEvent, FreshchatLink, NewMessage, StoreError};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::client::{message_links, message_text};
use crate::state::AppState;

/// How many stored events are applied per round.
const BATCH: u32 = 50;
const IDLE_POLL: Duration = Duration::from_millis(500);
/// How long an event waits for its conversation to be mapped before it is dropped.
const UNMAPPED_RETRIES: u32 = 60;
const UNMAPPED_WAIT: Duration = Duration::from_millis(500);
/// The longest message text kept from FreshChat.
const MAX_TEXT_CHARS: usize = 10_000;

/// A verified webhook body, reduced to what decides where it goes.
#[derive(Debug, PartialEq, Eq)]
pub struct Intake {
    pub action: String,
    pub action_time: String,
    /// `message:<id>` or `<action>:<conversation>:<action_time>`.
    pub dedupe_key: String,
}

/// Reads the envelope of a verified body; `None` when it is not a FreshChat event.
pub fn intake(body: &Value) -> Option<Intake> {
    let action = body["action"].as_str()?.trim().to_ascii_lowercase();
    let action_time = body["action_time"].as_str().unwrap_or_default().to_owned();
    let dedupe_key = match action.as_str() {
        "message_create" => {
            let id = text(&body["data"]["message"]["id"])?;
            format!("message:{id}")
        }
        _ => format!(
            "{action}:{}:{action_time}",
            remote_conversation(body).unwrap_or_default()
        ),
    };
    Some(Intake {
        action,
        action_time,
        dedupe_key,
    })
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The FreshChat conversation an event is about (its GUID).
fn remote_conversation(body: &Value) -> Option<String> {
    let data = &body["data"];
    text(&data["message"]["conversation_id"])
        .or_else(|| text(&data["assignment"]["conversation"]["conversation_id"]))
        .or_else(|| text(&data["resolve"]["conversation"]["conversation_id"]))
        .or_else(|| text(&data["reopen"]["conversation"]["conversation_id"]))
}

/// What applying an event came to.
enum Applied {
    Done(Option<String>),
    Later(String),
}

impl AppState {
    /// The visitor's language for a note in this conversation (English when it cannot be read).
    async fn conversation_lang(
        &self,
        id: baton_domain::ids::ConversationId,
    ) -> baton_domain::language::Language {
        self.store
            .conversation(id)
            .await
            .map(|c| c.lang)
            .unwrap_or_default()
    }

    async fn apply_freshchat_event(&self, event: &FreshchatEvent) -> Applied {
        let Ok(body) = serde_json::from_str::<Value>(&event.body) else {
            return Applied::Done(Some("not JSON".into()));
        };
        if event.action == "message_create" {
            let actor = body["data"]["message"]["actor_type"]
                .as_str()
                .or(body["actor"]["actor_type"].as_str())
                .unwrap_or_default();
            // The echo of our own posts and system notices: nothing to wait for.
            if !actor.eq_ignore_ascii_case("agent") {
                return Applied::Done(Some(format!("dropped: actor {actor}")));
            }
        }
        let Some(remote) = remote_conversation(&body) else {
            return Applied::Done(Some("no conversation id".into()));
        };
        let numeric = text(&body["data"]["message"]["freshchat_conversation_id"]);
        let link = match self
            .linked(event.workspace_id, &remote, numeric.as_deref())
            .await
        {
            Ok(Some(link)) => link,
            // Other FreshChat conversations of the account are none of Baton's business; wait only
            // while one of ours is being created (its webhook may overtake our own call).
            Ok(None) => {
                return match self
                    .store
                    .freshchat_creation_in_flight(event.workspace_id)
                    .await
                {
                    Ok(false) => Applied::Done(Some("not a conversation Baton routed".into())),
                    Ok(true) => Applied::Later("the conversation is not mapped yet".into()),
                    Err(err) => Applied::Later(err.to_string()),
                };
            }
            Err(err) => return Applied::Later(err.to_string()),
        };
        let at: Option<Timestamp> = event.action_time.parse().ok();
        let result = match event.action.as_str() {
            "message_create" => self.freshchat_message(&link, &body).await,
            "conversation_assignment" => self.freshchat_assignment(&link, &body).await,
            "conversation_resolution" => self.freshchat_resolution(&link, &body, at).await,
            "conversation_reopen" => self.freshchat_reopen(&link, at).await,
            other => Ok(Some(format!("ignored action {other}"))),
        };
        match result {
            Ok(note) => Applied::Done(note),
            Err(StoreError::Refused(r)) => Applied::Done(Some(r.to_string())),
            Err(StoreError::Silenced(s)) => Applied::Done(Some(s.to_string())),
            Err(StoreError::Conflict(c)) => Applied::Later(c.to_owned()),
            Err(err) => Applied::Later(err.to_string()),
        }
    }

    async fn linked(
        &self,
        workspace_id: WorkspaceId,
        remote: &str,
        numeric: Option<&str>,
    ) -> Result<Option<FreshchatLink>, StoreError> {
        if let Some(link) = self
            .store
            .freshchat_link_by_remote(workspace_id, remote)
            .await?
        {
            return Ok(Some(link));
        }
        match numeric {
            Some(n) => self.store.freshchat_link_by_remote(workspace_id, n).await,
            None => Ok(None),
        }
    }

    async fn agent_display_name(&self, link: &FreshchatLink, agent_id: &str) -> String {
        let api = self
            .store
            .freshchat_settings(link.workspace_id)
            .await
            .ok()
            .and_then(|s| self.freshchat.api(&s).ok());
        self.freshchat
            .agent_name(link.workspace_id, api.as_deref(), agent_id)
            .await
    }

    async fn freshchat_message(
        &self,
        link: &FreshchatLink,
        body: &Value,
    ) -> Result<Option<String>, StoreError> {
        let message = &body["data"]["message"];
        let actor = message["actor_type"]
            .as_str()
            .or(body["actor"]["actor_type"].as_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if actor != "agent" {
            return Ok(Some(format!("dropped: actor {actor}")));
        }
        let kind = message["message_type"]
            .as_str()
            .unwrap_or("normal")
            .to_ascii_lowercase();
        if kind != "normal" {
            return Ok(Some(format!("dropped: {kind} message")));
        }
        let Some(id) = text(&message["id"]) else {
            return Ok(Some("dropped: no message id".into()));
        };
        let content: String = message_text(message).chars().take(MAX_TEXT_CHARS).collect();
        if content.trim().is_empty() {
            return Ok(Some("dropped: empty".into()));
        }
        let agent_id = text(&message["actor_id"]).unwrap_or_default();
        let name = self.agent_display_name(link, &agent_id).await;
        let mut data =
            serde_json::json!({ "freshchat": { "message_id": id, "agent_id": agent_id } });
        // Files and images the agent sent: the widget shows each as a link named after it.
        let links = message_links(message);
        if !links.is_empty() {
            data["links"] = Value::Array(links);
        }
        let new = NewMessage {
            kind: MessageKind::Text,
            author_kind: AuthorKind::Agent,
            author_agent_id: None,
            author_name: Some(name),
            body: content,
            // FreshChat's id: a message stored once even if its event were stored twice.
            client_id: Some(format!("freshchat:{id}")),
            data: Some(data),
        };
        let conversation = self.store.conversation(link.conversation_id).await?;
        // A reply written before FreshChat's resolution but delivered after it is still shown.
        let created: Option<Timestamp> = message["created_time"]
            .as_str()
            .and_then(|t| t.parse().ok());
        let late = conversation.owner != Owner::Freshchat
            && matches!((created, link.resolved_at), (Some(c), Some(r)) if c <= r);
        let speaker = if late {
            Speaker::System
        } else {
            Speaker::Freshchat
        };
        // Published by storage as it commits (a replay stores and publishes nothing).
        self.store
            .append_message(link.conversation_id, speaker, new, false)
            .await?;
        Ok(None)
    }

    async fn freshchat_assignment(
        &self,
        link: &FreshchatLink,
        body: &Value,
    ) -> Result<Option<String>, StoreError> {
        let assignment = &body["data"]["assignment"];
        let to = text(&assignment["to_agent_id"]).map(|s| s.trim().to_owned());
        let Some(to) = to.filter(|t| !t.is_empty()) else {
            return Ok(Some("no agent assigned".into()));
        };
        if text(&assignment["from_agent_id"]).as_deref() == Some(to.as_str()) {
            return Ok(Some("same agent".into()));
        }
        let name = self.agent_display_name(link, &to).await;
        let note = NewMessage {
            kind: MessageKind::AgentJoined,
            author_kind: AuthorKind::System,
            author_agent_id: None,
            author_name: Some(name.clone()),
            body: baton_domain::notes::agent_joined(
                self.conversation_lang(link.conversation_id).await,
                &name,
            ),
            client_id: None,
            data: Some(
                serde_json::json!({ "handoff_id": link.handoff_id, "freshchat": { "agent_id": to } }),
            ),
        };
        // Recorded and said in one write: a failure between the two can no longer leave the
        // agent marked as announced without the visitor having been told.
        match self
            .store
            .announce_freshchat_agent(link.conversation_id, &to, note)
            .await?
        {
            Some(_) => Ok(None),
            None => Ok(Some("already announced, or not routed now".into())),
        }
    }

    async fn freshchat_resolution(
        &self,
        link: &FreshchatLink,
        body: &Value,
        at: Option<Timestamp>,
    ) -> Result<Option<String>, StoreError> {
        if let Some(at) = at
            && !self
                .store
                .advance_freshchat_lifecycle(link.conversation_id, at)
                .await?
        {
            return Ok(Some("older than the last lifecycle event".into()));
        }
        let lang = self.conversation_lang(link.conversation_id).await;
        let resolve = &body["data"]["resolve"];
        let name = match (resolve["resolver"].as_str(), text(&resolve["resolver_id"])) {
            (Some("agent"), Some(agent)) => self.agent_display_name(link, &agent).await,
            _ => notes::our_team(lang).to_owned(),
        };
        let text = notes::freshchat_resolved(lang, &name);
        let change = self
            .store
            .freshchat_resolved(link.conversation_id, &name, &text)
            .await?;
        self.publish_state(&change.conversation).await;
        Ok(None)
    }

    async fn freshchat_reopen(
        &self,
        link: &FreshchatLink,
        at: Option<Timestamp>,
    ) -> Result<Option<String>, StoreError> {
        if let Some(at) = at
            && !self
                .store
                .advance_freshchat_lifecycle(link.conversation_id, at)
                .await?
        {
            return Ok(Some("older than the last lifecycle event".into()));
        }
        let change = self
            .store
            .freshchat_reopened(
                link.conversation_id,
                notes::freshchat_reopened(self.conversation_lang(link.conversation_id).await),
            )
            .await?;
        if let Some(change) = change {
            self.publish_state(&change.conversation).await;
        }
        Ok(None)
    }
}

/// The task that applies stored webhook events: runs until the server stops.
pub async fn run(state: AppState) {
    loop {
        let pending = match state
            .store
            .pending_freshchat_events(Timestamp::now(), BATCH)
            .await
        {
            Ok(events) => events,
            Err(err) => {
                tracing::error!(error = %err, "cannot read the FreshChat events");
                Vec::new()
            }
        };
        for event in &pending {
            let recorded = match state.apply_freshchat_event(event).await {
                Applied::Done(note) => {
                    if let Some(note) = &note {
                        tracing::debug!(action = %event.action, %note, "FreshChat event not applied");
                    }
                    state
                        .store
                        .freshchat_event_done(event.id, note.as_deref())
                        .await
                }
                Applied::Later(why) if event.attempts + 1 >= UNMAPPED_RETRIES => {
                    tracing::warn!(action = %event.action, %why, "FreshChat event dropped after retries");
                    state.store.freshchat_event_done(event.id, Some(&why)).await
                }
                Applied::Later(why) => {
                    let at = Timestamp::now()
                        + SignedDuration::try_from(UNMAPPED_WAIT)
                            .unwrap_or(SignedDuration::from_secs(1));
                    state.store.freshchat_event_later(event.id, at, &why).await
                }
            };
            if let Err(err) = recorded {
                tracing::error!(error = %err, "cannot record a FreshChat event outcome");
            }
        }
        if pending.len() < BATCH as usize {
            tokio::select! {
                () = state.freshchat.events_wake.notified() => {}
                () = tokio::time::sleep(IDLE_POLL) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_are_keyed_by_id_and_lifecycle_events_by_conversation_and_time() {
        let message = json!({ "action": "message_create", "action_time": "t1",
            "data": { "message": { "id": "m1", "conversation_id": "c1" } } });
        assert_eq!(intake(&message).unwrap().dedupe_key, "message:m1");
        let resolve = json!({ "action": "conversation_resolution", "action_time": "t2",
            "data": { "resolve": { "conversation": { "conversation_id": "c1" } } } });
        assert_eq!(
            intake(&resolve).unwrap().dedupe_key,
            "conversation_resolution:c1:t2"
        );
        assert_eq!(intake(&json!({ "no": "action" })), None);
        assert_eq!(
            intake(&json!({ "action": "message_create", "data": {} })),
            None
        );
    }
}

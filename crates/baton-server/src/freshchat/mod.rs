//! FreshChat routing (docs/freshchat.md): a bot with FreshChat on sends its
//! handoffs into the workspace's FreshChat instead of the Live Chat panel, and FreshChat agents'
//! replies come back to the visitor's widget.
//!
//! - [`client`]: the REST calls Baton makes, behind the [`client::FreshchatApi`] trait.
//! - [`signature`]: webhook signature verification over the raw body.
//! - [`deliver`]: the FreshChat outbox queue (conversation creation, visitor messages), in order
//!   per conversation, retried while FreshChat is down or throttling.
//! - [`events`]: applying verified webhook events after the webhook was answered.
//!
//! Storage of the mapping, the inbox and the ownership changes is `baton_storage::freshchat`;
//! the HTTP routes are `crate::http::freshchat`. This module never touches the Live Chat flow.

pub mod client;
pub mod deliver;
pub mod events;
pub mod signature;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baton_domain::ids::WorkspaceId;
use baton_storage::FreshchatSettings;
use tokio::sync::Notify;

use crate::outbound::OutboundPolicy;
use client::{FreshchatApi, FreshchatError, HttpFreshchat};

/// How long a FreshChat call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an agent's name is remembered.
const AGENT_NAME_TTL: Duration = Duration::from_secs(30 * 60);

/// What the FreshChat integration keeps in memory: the HTTP client, the wake-ups of its two
/// background tasks and a cache of FreshChat agents' names.
pub struct FreshchatRuntime {
    pub policy: OutboundPolicy,
    http: Option<reqwest::Client>,
    /// Something was queued for FreshChat.
    pub deliveries_wake: Notify,
    /// A webhook event was stored.
    pub events_wake: Notify,
    agent_names: Mutex<HashMap<(WorkspaceId, String), (String, Instant)>>,
}

impl FreshchatRuntime {
    pub fn new(policy: OutboundPolicy) -> FreshchatRuntime {
        let http = match policy.client(CALL_TIMEOUT) {
            Ok(client) => Some(client),
            Err(err) => {
                tracing::error!(error = %err, "cannot build the FreshChat HTTP client");
                None
            }
        };
        FreshchatRuntime {
            policy,
            http,
            deliveries_wake: Notify::new(),
            events_wake: Notify::new(),
            agent_names: Mutex::new(HashMap::new()),
        }
    }

    /// A client for the workspace's saved credentials.
    pub fn api(
        &self,
        settings: &FreshchatSettings,
    ) -> Result<Arc<dyn FreshchatApi>, FreshchatError> {
        let (Some(url), Some(token)) = (&settings.api_url, &settings.api_token) else {
            return Err(FreshchatError::NotConfigured);
        };
        let http = self
            .http
            .clone()
            .ok_or_else(|| FreshchatError::Unreachable("no HTTP client".into()))?;
        Ok(Arc::new(HttpFreshchat::new(
            http,
            url,
            token,
            self.policy.clone(),
        )))
    }

    /// An agent's name: cached, else asked of FreshChat (`GET /agents/{id}`), else a neutral
    /// "Support agent" so a reply is never held back by a failed lookup.
    pub async fn agent_name(
        &self,
        workspace_id: WorkspaceId,
        api: Option<&dyn FreshchatApi>,
        agent_id: &str,
    ) -> String {
        let key = (workspace_id, agent_id.to_owned());
        {
            let names = self.agent_names.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((name, at)) = names.get(&key)
                && at.elapsed() < AGENT_NAME_TTL
            {
                return name.clone();
            }
        }
        let looked_up = match api {
            Some(api) if !agent_id.is_empty() => api.agent_name(agent_id).await,
            _ => return "Support agent".to_owned(),
        };
        match looked_up {
            Ok(name) => {
                let name: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
                let mut names = self.agent_names.lock().unwrap_or_else(|e| e.into_inner());
                names.insert(key, (name.clone(), Instant::now()));
                name
            }
            Err(err) => {
                tracing::warn!(error = %err, "could not look up a FreshChat agent's name");
                "Support agent".to_owned()
            }
        }
    }
}

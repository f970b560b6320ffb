//! The FreshChat REST API v2 calls Baton makes (docs/freshchat.md, "What Baton calls"), behind
//! the small [`FreshchatApi`] trait, and its HTTP implementation.
//!
//! Per the contract: `Authorization: Bearer <token>` and `Accept: application/json` on every call;
//! any 2xx is success; ids are opaque strings; a 429 carries `Retry-After` in integer seconds; the
//! error body is `{code, status, message}`. The token never appears in an error or a log line.

use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::{Method, StatusCode, Url};
use serde_json::{Value, json};

use crate::outbound::OutboundPolicy;

/// The longest FreshChat error message kept (it is shown to admins).
const MAX_ERROR_CHARS: usize = 300;

/// Why a FreshChat call failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FreshchatError {
    #[error(
        "FreshChat refused the API token (HTTP {0}); generate a new one under Admin Settings → API Tokens"
    )]
    Unauthorized(u16),
    #[error("FreshChat is rate limiting (HTTP 429)")]
    RateLimited { retry_after: Option<Duration> },
    #[error("FreshChat answered HTTP {0}")]
    Server(u16),
    #[error("FreshChat rejected the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("could not reach FreshChat: {0}")]
    Unreachable(String),
    #[error("FreshChat's answer was not understood: {0}")]
    BadResponse(String),
    #[error("the FreshChat API URL is not allowed: {0}")]
    UrlRefused(String),
    #[error("FreshChat is not configured: save its API URL and token")]
    NotConfigured,
    #[error("FreshChat lists no channel to create conversations in")]
    NoChannel,
}

impl FreshchatError {
    /// Worth trying again later: FreshChat is down, slow, or throttling.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FreshchatError::RateLimited { .. }
                | FreshchatError::Server(_)
                | FreshchatError::Unreachable(_)
        )
    }

    /// The 400 FreshChat answers when a user's older conversation is posted to after a newer one
    /// exists (docs/freshchat.md, pitfalls): create a new conversation and re-map.
    pub fn is_not_latest_conversation(&self) -> bool {
        matches!(self, FreshchatError::Rejected { status: 400, message }
            if message.to_ascii_lowercase().contains("not the latest conversation"))
    }
}

/// A FreshChat channel (topic).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Channel {
    pub id: String,
    pub name: String,
}

/// A conversation FreshChat created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedConversation {
    pub id: String,
    /// The numeric alias newer accounts also use.
    pub numeric_id: Option<String>,
    /// Ids of the messages created with it (their webhook echo is dropped).
    pub message_ids: Vec<String>,
}

pub type ApiResult<T> = Result<T, FreshchatError>;

/// The FreshChat calls Baton needs.
pub trait FreshchatApi: Send + Sync {
    /// The user whose `reference_id` is `reference_id`, if any.
    fn find_user<'a>(&'a self, reference_id: &'a str) -> BoxFuture<'a, ApiResult<Option<String>>>;
    /// Creates a user; returns its id.
    fn create_user<'a>(&'a self, user: &'a Value) -> BoxFuture<'a, ApiResult<String>>;
    fn channels(&self) -> BoxFuture<'_, ApiResult<Vec<Channel>>>;
    fn create_conversation<'a>(
        &'a self,
        body: &'a Value,
    ) -> BoxFuture<'a, ApiResult<CreatedConversation>>;
    /// Posts a message; returns its id when FreshChat gives one.
    fn post_message<'a>(
        &'a self,
        conversation_id: &'a str,
        body: &'a Value,
    ) -> BoxFuture<'a, ApiResult<Option<String>>>;
    /// An agent's display name (first and last name, else email).
    fn agent_name<'a>(&'a self, agent_id: &'a str) -> BoxFuture<'a, ApiResult<String>>;
}

/// FreshChat over HTTP with one workspace's credentials.
pub struct HttpFreshchat {
    client: reqwest::Client,
    base: String,
    token: String,
    policy: OutboundPolicy,
}

impl HttpFreshchat {
    pub fn new(
        client: reqwest::Client,
        base: &str,
        token: &str,
        policy: OutboundPolicy,
    ) -> HttpFreshchat {
        HttpFreshchat {
            client,
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            policy,
        }
    }

    /// `base` + the path segments + the query, every piece encoded.
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> ApiResult<Url> {
        let mut url = self
            .policy
            .check_url(&self.base)
            .map_err(FreshchatError::UrlRefused)?;
        {
            let mut path = url
                .path_segments_mut()
                .map_err(|_| FreshchatError::UrlRefused("it cannot take a path".into()))?;
            path.pop_if_empty();
            for segment in segments {
                path.push(segment);
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    async fn call(&self, method: Method, url: Url, body: Option<&Value>) -> ApiResult<Value> {
        let mut request = self
            .client
            .request(method, url)
            .bearer_auth(&self.token)
            .header("accept", "application/json")
            .header("user-agent", concat!("Baton/", env!("CARGO_PKG_VERSION")));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| {
            // reqwest's error names the URL (no token in it); keep only the reason.
            let reason = if e.is_timeout() {
                "timed out".to_owned()
            } else if e.is_connect() {
                "connection failed".to_owned()
            } else {
                e.without_url().to_string()
            };
            FreshchatError::Unreachable(reason)
        })?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| FreshchatError::Unreachable(e.without_url().to_string()))?;
        if status.is_success() {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(Value::Null);
            }
            return serde_json::from_slice(&bytes)
                .map_err(|_| FreshchatError::BadResponse("the body is not JSON".into()));
        }
        Err(match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                FreshchatError::Unauthorized(status.as_u16())
            }
            StatusCode::TOO_MANY_REQUESTS => FreshchatError::RateLimited { retry_after },
            s if s.is_server_error() => FreshchatError::Server(s.as_u16()),
            s => {
                let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
                let message = parsed
                    .as_ref()
                    .and_then(|v| v["message"].as_str().or(v["status"].as_str()))
                    .unwrap_or("no details")
                    .chars()
                    .take(MAX_ERROR_CHARS)
                    .collect();
                FreshchatError::Rejected {
                    status: s.as_u16(),
                    message,
                }
            }
        })
    }
}

/// A list answer: `{ "<key>": [...] }`, or a bare array (the envelope is not always used).
fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value[key]
        .as_array()
        .or(value.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl FreshchatApi for HttpFreshchat {
    fn find_user<'a>(&'a self, reference_id: &'a str) -> BoxFuture<'a, ApiResult<Option<String>>> {
        Box::pin(async move {
            let url = self.url(&["users"], &[("reference_id", reference_id)])?;
            let found = self.call(Method::GET, url, None).await?;
            Ok(list(&found, "users")
                .iter()
                .find(|u| u["reference_id"].as_str().is_none_or(|r| r == reference_id))
                .and_then(|u| id_text(&u["id"])))
        })
    }

    fn create_user<'a>(&'a self, user: &'a Value) -> BoxFuture<'a, ApiResult<String>> {
        Box::pin(async move {
            let url = self.url(&["users"], &[])?;
            let created = self.call(Method::POST, url, Some(user)).await?;
            id_text(&created["id"])
                .ok_or_else(|| FreshchatError::BadResponse("the new user has no id".into()))
        })
    }

    fn channels(&self) -> BoxFuture<'_, ApiResult<Vec<Channel>>> {
        Box::pin(async move {
            let url = self.url(&["channels"], &[("items_per_page", "50")])?;
            let found = self.call(Method::GET, url, None).await?;
            Ok(list(&found, "channels")
                .iter()
                .filter(|c| c["enabled"].as_bool() != Some(false))
                .filter_map(|c| {
                    Some(Channel {
                        id: id_text(&c["id"])?,
                        name: c["name"].as_str().unwrap_or_default().to_owned(),
                    })
                })
                .collect())
        })
    }

    fn create_conversation<'a>(
        &'a self,
        body: &'a Value,
    ) -> BoxFuture<'a, ApiResult<CreatedConversation>> {
        Box::pin(async move {
            let url = self.url(&["conversations"], &[])?;
            let created = self.call(Method::POST, url, Some(body)).await?;
            let id = id_text(&created["conversation_id"]).ok_or_else(|| {
                FreshchatError::BadResponse("the new conversation has no conversation_id".into())
            })?;
            Ok(CreatedConversation {
                id,
                numeric_id: id_text(&created["freshchat_conversation_id"])
                    .or_else(|| id_text(&created["conversation_internal_id"])),
                message_ids: list(&created, "messages")
                    .iter()
                    .filter_map(|m| id_text(&m["id"]))
                    .collect(),
            })
        })
    }

    fn post_message<'a>(
        &'a self,
        conversation_id: &'a str,
        body: &'a Value,
    ) -> BoxFuture<'a, ApiResult<Option<String>>> {
        Box::pin(async move {
            let url = self.url(&["conversations", conversation_id, "messages"], &[])?;
            let posted = self.call(Method::POST, url, Some(body)).await?;
            Ok(id_text(&posted["id"]))
        })
    }

    fn agent_name<'a>(&'a self, agent_id: &'a str) -> BoxFuture<'a, ApiResult<String>> {
        Box::pin(async move {
            let url = self.url(&["agents", agent_id], &[])?;
            let agent = self.call(Method::GET, url, None).await?;
            let name = [agent["first_name"].as_str(), agent["last_name"].as_str()]
                .into_iter()
                .flatten()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !name.is_empty() {
                return Ok(name);
            }
            agent["email"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| FreshchatError::BadResponse("the agent has no name".into()))
        })
    }
}

/// The text of one FreshChat message: text parts as they are, every other kind as a readable
/// placeholder with its link (docs/freshchat.md, "message parts"). Legacy `msg_parts` too.
pub fn message_text(message: &Value) -> String {
    let mut pieces = Vec::new();
    for part in list(message, "message_parts") {
        pieces.push(part_text(part));
    }
    for part in list(message, "msg_parts") {
        if let Some(text) = part["properties"]["text"].as_str() {
            pieces.push(text.to_owned());
        } else {
            pieces.push("[unsupported content]".to_owned());
        }
    }
    pieces
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The links of a FreshChat message's images, files and videos (at any depth of collections), so
/// the widget can show each as a named link: `{placeholder, name, url}` where `placeholder` is
/// the text [`message_text`] wrote for it. Only `http(s)` URLs: nothing else may become a link.
pub fn message_links(message: &Value) -> Vec<Value> {
    let mut links = Vec::new();
    collect_links(list(message, "message_parts"), &mut links);
    links
}

fn collect_links(parts: &[Value], links: &mut Vec<Value>) {
    for part in parts {
        if let Some(collection) = part.get("collection") {
            collect_links(list(collection, "sub_parts"), links);
            continue;
        }
        let (kind, name) = if let Some(image) = part.get("image") {
            (image, "Image".to_owned())
        } else if let Some(file) = part.get("file") {
            (file, file["name"].as_str().unwrap_or("File").to_owned())
        } else if let Some(video) = part.get("video") {
            (video, "Video".to_owned())
        } else {
            continue;
        };
        let Some(url) = kind["url"].as_str() else {
            continue;
        };
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            continue;
        }
        let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
        links.push(serde_json::json!({
            "placeholder": part_text(part),
            "name": name,
            "url": url,
        }));
    }
}

fn part_text(part: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    if let Some(text) = part.get("text") {
        return s(&text["content"]);
    }
    if let Some(email) = part.get("email") {
        return s(&email["content"]);
    }
    let with_link = |label: &str, url: &Value| match url.as_str() {
        Some(url) if !url.is_empty() => format!("[{label}: {url}]"),
        _ => format!("[{label}]"),
    };
    if let Some(image) = part.get("image") {
        return with_link("Image", &image["url"]);
    }
    if let Some(file) = part.get("file") {
        let name = file["name"].as_str().unwrap_or("File");
        return with_link(&format!("File {name}"), &file["url"]);
    }
    if let Some(video) = part.get("video") {
        return with_link("Video", &video["url"]);
    }
    if let Some(button) = part.get("url_button") {
        let label = button["label"].as_str().unwrap_or("Link");
        return with_link(label, &button["url"]);
    }
    if let Some(reply) = part.get("quick_reply_button") {
        return s(&reply["label"]);
    }
    if let Some(collection) = part.get("collection") {
        return list(collection, "sub_parts")
            .iter()
            .map(part_text)
            .collect::<Vec<_>>()
            .join("\n");
    }
    "[unsupported content]".to_owned()
}

/// The body of a text message from the visitor, as the FreshChat user.
pub fn user_message(user_id: &str, text: &str) -> Value {
    json!({
        "message_parts": [ { "text": { "content": text } } ],
        "message_type": "normal",
        "actor_type": "user",
        "actor_id": user_id,
        "user_id": user_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_kind_becomes_readable_text() {
        let message = json!({ "message_parts": [
            { "text": { "content": "Here you go" } },
            { "image": { "url": "https://cdn.example/a.png" } },
            { "file": { "name": "invoice.pdf", "url": "https://cdn.example/i.pdf" } },
            { "url_button": { "label": "Track", "url": "https://t.example" } },
            { "template_content": { "type": "carousel" } },
        ]});
        assert_eq!(
            message_text(&message),
            "Here you go\n[Image: https://cdn.example/a.png]\n[File invoice.pdf: https://cdn.example/i.pdf]\n[Track: https://t.example]\n[unsupported content]"
        );
        let legacy =
            json!({ "msg_parts": [ { "part_type": "text", "properties": { "text": "old" } } ] });
        assert_eq!(message_text(&legacy), "old");
        assert_eq!(message_text(&json!({ "message_parts": "junk" })), "");
    }

    #[test]
    fn images_files_and_videos_become_named_links_and_nothing_else_does() {
        let message = json!({ "message_parts": [
            { "text": { "content": "Here you go" } },
            { "file": { "name": "invoice.pdf", "url": "https://cdn.example/i.pdf" } },
            { "collection": { "sub_parts": [ { "image": { "url": "https://cdn.example/a.png" } } ] } },
            { "file": { "name": "evil", "url": "javascript:alert(1)" } },
            { "url_button": { "label": "Track", "url": "https://t.example" } },
        ]});
        let links = message_links(&message);
        assert_eq!(
            links,
            vec![
                json!({ "placeholder": "[File invoice.pdf: https://cdn.example/i.pdf]", "name": "invoice.pdf", "url": "https://cdn.example/i.pdf" }),
                json!({ "placeholder": "[Image: https://cdn.example/a.png]", "name": "Image", "url": "https://cdn.example/a.png" }),
            ]
        );
        let text = message_text(&message);
        assert!(
            links
                .iter()
                .all(|l| text.contains(l["placeholder"].as_str().unwrap()))
        );
    }

    #[test]
    fn not_the_latest_conversation_is_recognised() {
        let err = FreshchatError::Rejected {
            status: 400,
            message: "Conversation is not the latest conversation".into(),
        };
        assert!(err.is_not_latest_conversation());
        assert!(!err.is_transient());
        assert!(FreshchatError::Server(503).is_transient());
        assert!(FreshchatError::RateLimited { retry_after: None }.is_transient());
        assert!(!FreshchatError::Unauthorized(401).is_transient());
    }
}

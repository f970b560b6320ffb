-- FreshChat routing (docs/freshchat.md): a workspace's credentials, the per-bot switch, the mapping
-- of routed conversations, and the inbox of verified webhook events (deduplicated, processed after
-- the webhook is answered). Deliveries to FreshChat go through the outbox (channel 'freshchat').

ALTER TABLE bots ADD COLUMN freshchat_enabled BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE freshchat_settings (
    workspace_id        TEXT PRIMARY KEY REFERENCES workspaces (id),
    -- The API base URL including /v2, e.g. https://acme.freshchat.com/v2.
    api_url             TEXT,
    -- Never returned by the API, never logged.
    api_token           TEXT,
    -- The topic new conversations go to; NULL: the first channel FreshChat lists.
    channel_id          TEXT,
    -- The RSA public key from FreshChat's webhook page, as pasted.
    webhook_public_key  TEXT,
    updated_at          TEXT NOT NULL
);

-- One row per conversation ever routed to FreshChat; ids on FreshChat's side are opaque text.
CREATE TABLE freshchat_links (
    conversation_id     TEXT PRIMARY KEY REFERENCES conversations (id),
    workspace_id        TEXT NOT NULL REFERENCES workspaces (id),
    handoff_id          TEXT NOT NULL REFERENCES handoffs (id),
    -- The FreshChat user standing for the visitor (reference_id = our conversation id).
    user_id             TEXT,
    -- FreshChat's conversation GUID, and the numeric alias newer accounts also send.
    remote_id           TEXT,
    remote_numeric_id   TEXT,
    -- The FreshChat agent last announced as having joined ("Ana joined the chat" once).
    announced_agent_id  TEXT,
    -- The visitor's messages up to this sequence number are queued for FreshChat (each once, in
    -- order, even when two are posted at once or the server stopped in between).
    forwarded_seq       INTEGER NOT NULL DEFAULT 0,
    -- action_time of the last lifecycle event applied (older ones arriving late are ignored).
    lifecycle_at        TEXT,
    resolved_at         TEXT,
    routed_at           TEXT NOT NULL
);
CREATE INDEX freshchat_links_by_remote ON freshchat_links (workspace_id, remote_id);
CREATE INDEX freshchat_links_by_numeric ON freshchat_links (workspace_id, remote_numeric_id);

-- Verified webhook deliveries. dedupe_key is message:<id> for messages and
-- <action>:<conversation>:<action_time> for lifecycle events, so retries are stored once.
CREATE TABLE freshchat_events (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    dedupe_key       TEXT NOT NULL,
    action           TEXT NOT NULL,
    action_time      TEXT NOT NULL,
    body             TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    received_at      TEXT NOT NULL,
    processed_at     TEXT,
    UNIQUE (workspace_id, dedupe_key)
);
CREATE INDEX freshchat_events_pending ON freshchat_events (processed_at, next_attempt_at);

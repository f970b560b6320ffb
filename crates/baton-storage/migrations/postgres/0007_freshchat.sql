-- Routing to FreshChat (docs/freshchat.md): each workspace's credentials, the switch on each bot,
-- which conversations were routed and where, and an inbox of verified webhook events (stored once
-- each, processed after the webhook has been answered). Messages to FreshChat are delivered through
-- the outbox, on channel 'freshchat'.

ALTER TABLE bots ADD COLUMN freshchat_enabled BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE freshchat_settings (
    workspace_id        TEXT PRIMARY KEY REFERENCES workspaces (id),
    -- Base URL of the API, /v2 included, for example https://acme.freshchat.com/v2.
    api_url             TEXT,
    -- Never shown by the API and never written to the logs.
    api_token           TEXT,
    -- Where new conversations go; NULL means the first channel FreshChat returns.
    channel_id          TEXT,
    -- FreshChat's RSA public key for webhooks, exactly as copied from its webhook page.
    webhook_public_key  TEXT,
    updated_at          TEXT NOT NULL
);

-- A row for every conversation that was ever routed to FreshChat. FreshChat's own ids are kept as
-- opaque text.
CREATE TABLE freshchat_links (
    conversation_id     TEXT PRIMARY KEY REFERENCES conversations (id),
    workspace_id        TEXT NOT NULL REFERENCES workspaces (id),
    handoff_id          TEXT NOT NULL REFERENCES handoffs (id),
    -- The FreshChat user representing the visitor (its reference_id is our conversation id).
    user_id             TEXT,
    -- The FreshChat conversation GUID, and the numeric alias that newer accounts send as well.
    remote_id           TEXT,
    remote_numeric_id   TEXT,
    -- The FreshChat agent whose arrival was last announced, so "Ana joined the chat" is said once.
    announced_agent_id  TEXT,
    -- Visitor messages up to this seq have been queued for FreshChat: each exactly once and in
    -- order, even when two arrive together or the server restarted in between.
    forwarded_seq       BIGINT NOT NULL DEFAULT 0,
    -- The action_time of the latest lifecycle event applied; older events that arrive late are
    -- ignored.
    lifecycle_at        TEXT,
    resolved_at         TEXT,
    routed_at           TEXT NOT NULL
);
CREATE INDEX freshchat_links_by_remote ON freshchat_links (workspace_id, remote_id);
CREATE INDEX freshchat_links_by_numeric ON freshchat_links (workspace_id, remote_numeric_id);

-- Webhook deliveries whose signature checked out. dedupe_key is message:<id> for a message and
-- <action>:<conversation>:<action_time> for a lifecycle event, so a retried delivery is kept once.
CREATE TABLE freshchat_events (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    dedupe_key       TEXT NOT NULL,
    action           TEXT NOT NULL,
    action_time      TEXT NOT NULL,
    body             TEXT NOT NULL,
    attempts         BIGINT NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    received_at      TEXT NOT NULL,
    processed_at     TEXT,
    UNIQUE (workspace_id, dedupe_key)
);
CREATE INDEX freshchat_events_pending ON freshchat_events (processed_at, next_attempt_at);

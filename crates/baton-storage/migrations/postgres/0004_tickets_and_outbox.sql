-- The offline path: tickets created from captured leads, internal notes by agents, the
-- workspace's integration settings, and the durable outbox that delivers emails and webhooks.

ALTER TABLE workspaces ADD COLUMN notification_email TEXT;
ALTER TABLE workspaces ADD COLUMN webhook_url TEXT;
-- The HMAC key that signs outbound webhooks; the API never shows it again once it is created.
ALTER TABLE workspaces ADD COLUMN webhook_secret TEXT;

CREATE TABLE tickets (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    bot_id           TEXT NOT NULL REFERENCES bots (id),
    conversation_id  TEXT NOT NULL REFERENCES conversations (id),
    contact_email    TEXT NOT NULL,
    contact_name     TEXT,
    subject          TEXT NOT NULL,
    description      TEXT NOT NULL,
    trigger_kind     TEXT,
    reason           TEXT,
    status           TEXT NOT NULL,
    priority         TEXT NOT NULL,
    assignee_id      TEXT REFERENCES agents (id),
    -- Idempotency key sent by the visitor, so submitting twice still yields a single ticket.
    client_key       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (conversation_id, client_key)
);
CREATE INDEX tickets_by_workspace ON tickets (workspace_id, status, updated_at);

CREATE TABLE ticket_notes (
    id          TEXT PRIMARY KEY,
    ticket_id   TEXT NOT NULL REFERENCES tickets (id),
    agent_id    TEXT NOT NULL REFERENCES agents (id),
    -- 'note': internal, never sent; 'reply': emailed to the visitor.
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ticket_notes_by_ticket ON ticket_notes (ticket_id, created_at);

CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    -- 'webhook' or 'email'.
    channel          TEXT NOT NULL,
    -- The event name, such as ticket.created, ticket.updated or ticket.reply.
    event            TEXT NOT NULL,
    -- For a webhook the URL, for an email the recipient's address.
    destination      TEXT NOT NULL,
    -- For a webhook the exact JSON body that is signed and sent; for an email JSON {subject, text}.
    payload          TEXT NOT NULL,
    -- One of: pending, delivered, dead.
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_workspace ON outbox (workspace_id, status, created_at);

-- The offline path (issue 4): tickets from captured leads, agents' internal notes, workspace
-- integration settings, and the durable outbox through which emails and webhooks are delivered.

ALTER TABLE workspaces ADD COLUMN notification_email TEXT;
ALTER TABLE workspaces ADD COLUMN webhook_url TEXT;
-- The HMAC key for outbound webhooks. Never returned by the API after it is created.
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
    -- The visitor's idempotency key: a double submit creates one ticket.
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
    -- note (internal, never sent) | reply (emailed to the visitor)
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ticket_notes_by_ticket ON ticket_notes (ticket_id, created_at);

CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    -- webhook | email
    channel          TEXT NOT NULL,
    -- e.g. ticket.created, ticket.updated, ticket.reply
    event            TEXT NOT NULL,
    -- webhook: the URL; email: the recipient address
    destination      TEXT NOT NULL,
    -- webhook: the exact JSON body to sign and send; email: JSON {subject, text}
    payload          TEXT NOT NULL,
    -- pending | delivered | dead
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_workspace ON outbox (workspace_id, status, created_at);

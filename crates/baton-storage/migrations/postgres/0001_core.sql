-- Baton's core schema for PostgreSQL. It mirrors the SQLite migrations (migrations/sqlite) file by
-- file and column by column, with the same portable conventions: ids are UUIDv7 text, timestamps
-- are UTC RFC 3339 text with a fixed six-digit fraction (so text order is time order), booleans
-- are BOOLEAN. Every integer column is BIGINT, since the code binds i64 throughout.

CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE bots (
    id                      TEXT PRIMARY KEY,
    workspace_id            TEXT NOT NULL REFERENCES workspaces (id),
    name                    TEXT NOT NULL,
    greeting                TEXT NOT NULL,
    handoff_enabled         BOOLEAN NOT NULL,
    handoff_instruction     TEXT NOT NULL,
    offline_message         TEXT NOT NULL,
    accept_timeout_seconds  BIGINT NOT NULL,
    ai_helps_while_waiting  BOOLEAN NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
CREATE INDEX bots_by_workspace ON bots (workspace_id);

CREATE TABLE agents (
    id              TEXT PRIMARY KEY,
    workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
    email           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL,
    max_chats       BIGINT NOT NULL,
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX agents_by_workspace ON agents (workspace_id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    agent_id    TEXT NOT NULL REFERENCES agents (id),
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_by_agent ON sessions (agent_id);

CREATE TABLE conversations (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL REFERENCES workspaces (id),
    bot_id              TEXT NOT NULL REFERENCES bots (id),
    visitor_token_hash  TEXT NOT NULL,
    visitor_name        TEXT,
    owner_state         TEXT NOT NULL,
    owner_agent_id      TEXT REFERENCES agents (id),
    -- Incremented whenever the owner changes; a writer compares it so it only acts on the owner
    -- it actually read.
    owner_version       BIGINT NOT NULL,
    last_seq            BIGINT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX conversations_by_workspace ON conversations (workspace_id, updated_at);
CREATE INDEX conversations_by_owner_agent ON conversations (owner_agent_id, owner_state);

-- Everything said in a conversation (visitor, bot and agent messages) plus system events, ordered
-- by seq.
CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations (id),
    seq              BIGINT NOT NULL,
    kind             TEXT NOT NULL,
    author_kind      TEXT NOT NULL,
    author_agent_id  TEXT REFERENCES agents (id),
    author_name      TEXT,
    body             TEXT NOT NULL,
    client_id        TEXT,
    data             TEXT,
    created_at       TEXT NOT NULL,
    UNIQUE (conversation_id, seq),
    -- As in SQLite, NULL client_ids never collide with each other.
    UNIQUE (conversation_id, client_id)
);

CREATE TABLE handoffs (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    conversation_id  TEXT NOT NULL REFERENCES conversations (id),
    bot_id           TEXT NOT NULL REFERENCES bots (id),
    trigger_kind     TEXT NOT NULL,
    reason           TEXT NOT NULL,
    summary          TEXT,
    -- One of: waiting, accepted, ended, cancelled, expired, offline.
    status           TEXT NOT NULL,
    offline_reason   TEXT,
    agent_id         TEXT REFERENCES agents (id),
    requested_at     TEXT NOT NULL,
    deadline_at      TEXT,
    accepted_at      TEXT,
    ended_at         TEXT
);
CREATE INDEX handoffs_by_status ON handoffs (workspace_id, status, requested_at);
CREATE INDEX handoffs_by_conversation ON handoffs (conversation_id, status);
CREATE INDEX handoffs_by_deadline ON handoffs (status, deadline_at);

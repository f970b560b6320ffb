-- Files sent in conversations. The bytes live in a blob store under their SHA-256 (never under a
-- name the sender chose); a row records who may see them (the conversation's visitor, the
-- workspace's agents), the display name and the content type decided from the bytes.
-- `message_id` is the conversation entry that shows the file.
CREATE TABLE attachments (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    conversation_id  TEXT NOT NULL REFERENCES conversations (id),
    message_id       TEXT REFERENCES messages (id),
    sha256           TEXT NOT NULL,
    name             TEXT NOT NULL,
    content_type     TEXT NOT NULL,
    size             BIGINT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX attachments_by_conversation ON attachments (conversation_id);
CREATE INDEX attachments_by_sha256 ON attachments (sha256);

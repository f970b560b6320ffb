-- Saved replies: answers agents insert by typing `/shortcut` in the reply box. Shortcuts are
-- unique within a workspace.
CREATE TABLE saved_replies (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    shortcut      TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, shortcut)
);

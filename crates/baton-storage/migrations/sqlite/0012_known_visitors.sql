-- Known visitors: a site that knows who its visitor is (a logged-in customer) signs their id with
-- the workspace's identity secret; the conversation then carries that id, their email and
-- `visitor_verified`.
ALTER TABLE workspaces ADD COLUMN identity_secret TEXT;
ALTER TABLE conversations ADD COLUMN visitor_external_id TEXT;
ALTER TABLE conversations ADD COLUMN visitor_email TEXT;
ALTER TABLE conversations ADD COLUMN visitor_verified BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX conversations_by_visitor ON conversations (workspace_id, visitor_external_id, created_at);

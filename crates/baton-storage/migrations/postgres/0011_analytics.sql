-- Handoff analytics (docs/api.md, GET /api/v1/analytics/handoffs): a workspace's or a bot's
-- handoffs by request time, read page by page in (requested_at, id) order; tickets by creation
-- time; and the lead-capture offers (log entries of kind lead_requested) by time. The last index
-- is partial, so the busy messages table pays for it only on those rare entries. The SQLite
-- migration 0009_analytics.sql mirrors this file.
CREATE INDEX handoffs_by_requested ON handoffs (workspace_id, requested_at, id);
CREATE INDEX handoffs_by_bot_requested ON handoffs (bot_id, requested_at, id);
CREATE INDEX tickets_by_created ON tickets (workspace_id, created_at);
CREATE INDEX messages_lead_offers ON messages (created_at) WHERE kind = 'lead_requested';

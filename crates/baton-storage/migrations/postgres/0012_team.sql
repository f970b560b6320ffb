-- Deactivated agents keep their account (their name stays on the conversations they handled) but
-- cannot log in; and the instant a waiting handoff was escalated (rung again at half its accept
-- timeout).
ALTER TABLE agents ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE handoffs ADD COLUMN escalated_at TEXT;

-- Deactivated agents keep their account (their name stays on the conversations they handled) but
-- cannot log in. A waiting handoff is escalated (rung again) at `escalate_at`, half its accept
-- timeout after the request; `escalated_at` records that it was.
ALTER TABLE agents ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE handoffs ADD COLUMN escalate_at TEXT;
ALTER TABLE handoffs ADD COLUMN escalated_at TEXT;
CREATE INDEX handoffs_by_escalation ON handoffs (status, escalate_at);

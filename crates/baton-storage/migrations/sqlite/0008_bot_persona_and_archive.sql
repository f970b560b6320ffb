-- A bot's persona (its own instruction to the AI: tone, what it sells), separate from the handoff
-- instruction; and archiving: an archived bot keeps its conversations and tickets, but its widget
-- opens nothing new.
ALTER TABLE bots ADD COLUMN persona TEXT NOT NULL DEFAULT '';
ALTER TABLE bots ADD COLUMN archived_at TEXT;

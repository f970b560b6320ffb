-- Per-language overrides of a bot's admin-written visitor texts (greeting, offline message, lead
-- capture prompt and success message), as a JSON document: {"de": {"greeting": "Hallo!"}}.
-- A visitor whose language has no override reads the base text.
ALTER TABLE bots ADD COLUMN text_translations TEXT NOT NULL DEFAULT '{}';

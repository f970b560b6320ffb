-- A bot's availability schedule, stored as the JSON document of
-- `baton_domain::schedule` after validation. NULL stands for the default: always open (UTC).
ALTER TABLE bots ADD COLUMN schedule TEXT;

-- Each bot's availability schedule (issue 3): the JSON document of `baton_domain::schedule`,
-- validated before it is stored. NULL means the default: open at all times (UTC).
ALTER TABLE bots ADD COLUMN schedule TEXT;

-- Each bot's knowledge (issue 5): Q&A entries and Markdown documents, indexed in memory for
-- retrieval by the AI engines.
CREATE TABLE knowledge (
    id          TEXT PRIMARY KEY,
    bot_id      TEXT NOT NULL REFERENCES bots (id),
    -- qa (title = question, body = answer) | document (title, body = Markdown)
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX knowledge_by_bot ON knowledge (bot_id, created_at);

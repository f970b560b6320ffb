-- What each bot knows: Q&A pairs and Markdown documents, which the AI engines index in
-- memory for retrieval.
CREATE TABLE knowledge (
    id          TEXT PRIMARY KEY,
    bot_id      TEXT NOT NULL REFERENCES bots (id),
    -- 'qa' (title is the question, body the answer) or 'document' (title, body in Markdown).
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX knowledge_by_bot ON knowledge (bot_id, created_at);

-- How far each agent has read each conversation they opened, so unread counts survive reloads
-- and follow the agent from one browser to another.
CREATE TABLE conversation_reads (
    agent_id         TEXT NOT NULL REFERENCES agents (id),
    conversation_id  TEXT NOT NULL REFERENCES conversations (id),
    last_read_seq    BIGINT NOT NULL,
    PRIMARY KEY (agent_id, conversation_id)
);

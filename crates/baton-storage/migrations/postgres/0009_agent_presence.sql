-- Which process holds a Live Chat panel of which agent, as a lease the process renews while the
-- panel stays open: a process that dies stops counting its agents once their leases expire.
CREATE TABLE agent_presence (
    agent_id    TEXT NOT NULL REFERENCES agents (id),
    node        TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (agent_id, node)
);

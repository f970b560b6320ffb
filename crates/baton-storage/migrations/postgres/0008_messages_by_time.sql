-- After a lost connection, a node reads the log entries created while it could not hear the
-- others' change notices (see src/cluster.rs): by time, across conversations.
CREATE INDEX messages_by_created_at ON messages (created_at);

-- An agent's presence recounted without a conflict when a session's agent is renamed: the rename trigger's INSERT OR
-- REPLACE ran under the conflict policy of the statement that fired it (the writer's upsert of session_agents,
-- ABORT), so renaming a session's agent to one already present elsewhere (a SessionStart with agent_type "planner",
-- then hooks of the main agent "claude-code") failed every later hook of that session with a UNIQUE constraint.
-- The rows of both names are now deleted and recounted, which cannot conflict.
DROP TRIGGER agent_presence_rename;
CREATE TRIGGER agent_presence_rename AFTER UPDATE OF agent_id ON session_agents WHEN OLD.agent_id <> NEW.agent_id BEGIN
    DELETE FROM agent_presence WHERE agent_id IN (OLD.agent_id, NEW.agent_id); INSERT INTO agent_presence (agent_id, sessions, last_at) SELECT agent_id, count(DISTINCT session_id), max(last_event_at) FROM session_agents WHERE agent_id IN (OLD.agent_id, NEW.agent_id) GROUP BY agent_id; END;

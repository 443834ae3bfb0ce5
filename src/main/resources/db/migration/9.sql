-- Read summaries: store-wide session and event totals kept by triggers in the writing transaction
-- /api/initial-stats and the session count read this one row instead of summing every session. The triggers run in
-- the transaction (and savepoint) of the write that changes a session, so a rolled-back request leaves no trace.
-- (A migration statement ends at a semicolon that ends a line: the triggers' inner statements end mid-line.)
CREATE TABLE store_totals (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    sessions INTEGER NOT NULL,
    ended    INTEGER NOT NULL,
    events   INTEGER NOT NULL
);
INSERT INTO store_totals (id, sessions, ended, events)
    SELECT 1, count(*), coalesce(sum(status = 'ended'), 0), coalesce(sum(total_events), 0) FROM sessions;
CREATE TRIGGER store_totals_session_insert AFTER INSERT ON sessions BEGIN
    UPDATE store_totals SET sessions = sessions + 1, ended = ended + (NEW.status = 'ended'), events = events + NEW.total_events WHERE id = 1; END;
CREATE TRIGGER store_totals_session_update AFTER UPDATE OF status, total_events ON sessions BEGIN
    UPDATE store_totals SET ended = ended + (NEW.status = 'ended') - (OLD.status = 'ended'), events = events + NEW.total_events - OLD.total_events WHERE id = 1; END;
CREATE TRIGGER store_totals_session_delete AFTER DELETE ON sessions BEGIN
    UPDATE store_totals SET sessions = sessions - 1, ended = ended - (OLD.status = 'ended'), events = events - OLD.total_events WHERE id = 1; END;
-- Per agent: the sessions it worked in and its latest activity, kept by triggers on session_agents (one row per
-- agent at work in a session, which grows with every subagent run), so the Agents tab and the metrics read one
-- row per agent. A row whose agent_id changes, or a deleted row, recounts that agent from its index.
CREATE TABLE agent_presence (
    agent_id TEXT PRIMARY KEY,
    sessions INTEGER NOT NULL,
    last_at  TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO agent_presence (agent_id, sessions, last_at)
    SELECT agent_id, count(DISTINCT session_id), max(last_event_at) FROM session_agents GROUP BY agent_id;
CREATE TRIGGER agent_presence_insert AFTER INSERT ON session_agents BEGIN
    INSERT INTO agent_presence (agent_id, sessions, last_at) VALUES (NEW.agent_id, 1, NEW.last_event_at) ON CONFLICT (agent_id) DO UPDATE SET sessions = sessions + (NOT EXISTS (SELECT 1 FROM session_agents a WHERE a.agent_id = NEW.agent_id AND a.session_id = NEW.session_id AND a.agent_key <> NEW.agent_key)), last_at = max(last_at, excluded.last_at); END;
CREATE TRIGGER agent_presence_touch AFTER UPDATE OF last_event_at ON session_agents WHEN OLD.agent_id = NEW.agent_id BEGIN
    UPDATE agent_presence SET last_at = max(last_at, NEW.last_event_at) WHERE agent_id = NEW.agent_id; END;
CREATE TRIGGER agent_presence_rename AFTER UPDATE OF agent_id ON session_agents WHEN OLD.agent_id <> NEW.agent_id BEGIN
    INSERT OR REPLACE INTO agent_presence (agent_id, sessions, last_at) SELECT agent_id, count(DISTINCT session_id), max(last_event_at) FROM session_agents WHERE agent_id IN (OLD.agent_id, NEW.agent_id) GROUP BY agent_id; DELETE FROM agent_presence WHERE agent_id = OLD.agent_id AND NOT EXISTS (SELECT 1 FROM session_agents WHERE agent_id = OLD.agent_id); END;
CREATE TRIGGER agent_presence_delete AFTER DELETE ON session_agents BEGIN
    DELETE FROM agent_presence WHERE agent_id = OLD.agent_id; INSERT INTO agent_presence (agent_id, sessions, last_at) SELECT agent_id, count(DISTINCT session_id), max(last_event_at) FROM session_agents WHERE agent_id = OLD.agent_id GROUP BY agent_id; END;

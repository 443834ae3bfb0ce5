-- Operations: daily roll-ups kept when retention prunes events, event counts that survive pruning, open turns
-- Per day (UTC, of the event's time), agent, model and spawner type: what the pruned events added up to, so that
-- lifetime totals (/metrics, /api/initial-stats) stay exact and /api/daily keeps a history.
CREATE TABLE daily_rollups (
    day                   TEXT NOT NULL,
    agent_id              TEXT NOT NULL,
    model                 TEXT NOT NULL,
    spawner_type          TEXT NOT NULL,
    events                INTEGER NOT NULL,
    errors                INTEGER NOT NULL,
    tool_calls            INTEGER NOT NULL,
    successes             INTEGER NOT NULL,
    durations             INTEGER NOT NULL,
    duration_seconds      REAL NOT NULL,
    input_tokens          INTEGER NOT NULL,
    output_tokens         INTEGER NOT NULL,
    cache_read_tokens     INTEGER NOT NULL,
    cache_creation_tokens INTEGER NOT NULL,
    unspecified_tokens    INTEGER NOT NULL,
    total_tokens          INTEGER NOT NULL,
    cost_usd              REAL NOT NULL,
    PRIMARY KEY (day, agent_id, model, spawner_type)
) WITHOUT ROWID;
-- One row: whether the current transaction prunes (then deletions leave event_counts, lifetime counts, as they are)
-- and up to when events have been pruned.
CREATE TABLE retention_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    pruning       INTEGER NOT NULL DEFAULT 0,
    pruned_before TEXT
);
INSERT INTO retention_state (id, pruning) VALUES (1, 0);
DROP TRIGGER event_counts_delete;
CREATE TRIGGER event_counts_delete AFTER DELETE ON agent_events
    WHEN (SELECT pruning FROM retention_state WHERE id = 1) = 0 BEGIN
    UPDATE event_counts SET events = events - 1 WHERE agent_id = OLD.agent_id AND event_type = OLD.event_type; END;
-- Open turns: the sweep that ends interrupted ones reads only these.
CREATE INDEX idx_agent_events_open_turns ON agent_events(timestamp) WHERE tool_name = 'UserQuery' AND status = 'started';
-- Sessions each spawner type worked in, kept by a trigger: the count survives the pruning of the runs.
CREATE TABLE spawner_sessions (
    spawner_type TEXT NOT NULL,
    session_id   TEXT NOT NULL,
    PRIMARY KEY (spawner_type, session_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO spawner_sessions (spawner_type, session_id)
    SELECT spawner_type, session_id FROM agent_events WHERE spawner_type IS NOT NULL;
CREATE TRIGGER spawner_sessions_insert AFTER INSERT ON agent_events WHEN NEW.spawner_type IS NOT NULL BEGIN
    INSERT OR IGNORE INTO spawner_sessions (spawner_type, session_id) VALUES (NEW.spawner_type, NEW.session_id); END;
-- Turns by status for the metrics, counted from this index alone.
CREATE INDEX idx_agent_events_turn_status ON agent_events(status) WHERE tool_name = 'UserQuery';

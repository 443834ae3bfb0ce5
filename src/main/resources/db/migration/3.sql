-- Metrics: event counts per agent and type kept by triggers; partial indexes for token/cost records and errors
-- Token and cost records are a small share of all events: a partial index lets the metrics collector sum them alone.
CREATE INDEX idx_agent_events_usage ON agent_events(agent_id, model)
    WHERE total_tokens IS NOT NULL OR cost_usd IS NOT NULL;
-- Failed events per agent, counted from the index alone.
CREATE INDEX idx_agent_events_agent_errors ON agent_events(agent_id) WHERE status = 'error';
-- Events per agent and type, kept by triggers in the writing transaction: the metrics read this small table rather
-- than count a large one. (A migration statement ends at a semicolon that ends a line: the triggers' inner
-- statements end mid-line.)
CREATE TABLE event_counts (
    agent_id   TEXT NOT NULL,
    event_type TEXT NOT NULL,
    events     INTEGER NOT NULL,
    last_at    TEXT NOT NULL,
    PRIMARY KEY (agent_id, event_type)
) WITHOUT ROWID;
INSERT INTO event_counts (agent_id, event_type, events, last_at)
    SELECT agent_id, event_type, count(*), max(timestamp) FROM agent_events GROUP BY agent_id, event_type;
CREATE TRIGGER event_counts_insert AFTER INSERT ON agent_events BEGIN
    INSERT INTO event_counts (agent_id, event_type, events, last_at)
    VALUES (NEW.agent_id, NEW.event_type, 1, NEW.timestamp)
    ON CONFLICT (agent_id, event_type) DO UPDATE SET events = events + 1, last_at = max(last_at, excluded.last_at); END;
CREATE TRIGGER event_counts_delete AFTER DELETE ON agent_events BEGIN
    UPDATE event_counts SET events = events - 1 WHERE agent_id = OLD.agent_id AND event_type = OLD.event_type; END;

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

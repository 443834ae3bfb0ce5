-- Session summaries: each session's events, turns, tool calls, errors, tokens and cost, kept in the writing transaction
-- The session list reads a page of sessions joined to these rows in one query, instead of counting per session.
-- What the writer keeps and how (the same figures as the session-totals and usage-session statements, over the
-- stored rows):
--   * new event rows (turns, tool calls, errors at insert): counted by the writer per commit (store/EventTable, one
--     upsert per session, like event_counts) — no per-row insert trigger on agent_events;
--   * a status that turns to or from 'error', a spawner run's figures, deleted events (retention, a deleted
--     session), API requests (tokens and cost, pending ones included): triggers, which run only when their WHEN
--     holds, so a hook that finishes a call without error touches nothing here.
-- token_rows / cost_rows count the figures present, so that "no figure" (null, shown as a dash) stays apart from 0.
-- (A migration statement ends at a semicolon that ends a line: the triggers' inner statements end mid-line.)
CREATE TABLE session_summary (
    session_id   TEXT PRIMARY KEY,
    events       INTEGER NOT NULL DEFAULT 0,
    turns        INTEGER NOT NULL DEFAULT 0,
    tool_calls   INTEGER NOT NULL DEFAULT 0,
    errors       INTEGER NOT NULL DEFAULT 0,
    token_rows   INTEGER NOT NULL DEFAULT 0,
    total_tokens INTEGER NOT NULL DEFAULT 0,
    cost_rows    INTEGER NOT NULL DEFAULT 0,
    cost_usd     REAL NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO session_summary (session_id, events, turns, tool_calls, errors)
    SELECT session_id, count(*), sum(tool_name IS 'UserQuery'),
           sum(event_type IN ('tool_call', 'delegation') AND tool_name IS NOT NULL AND tool_name <> 'UserQuery'),
           sum(status = 'error')
    FROM agent_events GROUP BY session_id;
INSERT INTO session_summary (session_id, token_rows, total_tokens, cost_rows, cost_usd)
    SELECT session_id, count(*), sum(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens),
           count(cost_usd), coalesce(sum(cost_usd), 0)
    FROM api_requests WHERE kind = 'request' GROUP BY session_id
    ON CONFLICT (session_id) DO UPDATE SET token_rows = token_rows + excluded.token_rows,
        total_tokens = total_tokens + excluded.total_tokens, cost_rows = cost_rows + excluded.cost_rows,
        cost_usd = cost_usd + excluded.cost_usd;
INSERT INTO session_summary (session_id, token_rows, total_tokens, cost_rows, cost_usd)
    SELECT session_id, count(total_tokens), coalesce(sum(total_tokens), 0), count(cost_usd), coalesce(sum(cost_usd), 0)
    FROM agent_events INDEXED BY idx_agent_events_usage
    WHERE (total_tokens IS NOT NULL OR cost_usd IS NOT NULL) AND spawner_type IS NOT NULL GROUP BY session_id
    ON CONFLICT (session_id) DO UPDATE SET token_rows = token_rows + excluded.token_rows,
        total_tokens = total_tokens + excluded.total_tokens, cost_rows = cost_rows + excluded.cost_rows,
        cost_usd = cost_usd + excluded.cost_usd;
CREATE TRIGGER session_summary_session_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM session_summary WHERE session_id = OLD.session_id; END;
CREATE TRIGGER session_summary_status AFTER UPDATE OF status ON agent_events
    WHEN (OLD.status = 'error') <> (NEW.status = 'error') BEGIN
    INSERT INTO session_summary (session_id, errors) VALUES (NEW.session_id, (NEW.status = 'error') - (OLD.status = 'error')) ON CONFLICT (session_id) DO UPDATE SET errors = errors + excluded.errors; END;
CREATE TRIGGER session_summary_spawner_usage AFTER UPDATE OF total_tokens, cost_usd ON agent_events
    WHEN NEW.spawner_type IS NOT NULL AND (OLD.total_tokens IS NOT NEW.total_tokens OR OLD.cost_usd IS NOT NEW.cost_usd) BEGIN
    INSERT INTO session_summary (session_id, token_rows, total_tokens, cost_rows, cost_usd) VALUES (NEW.session_id, (NEW.total_tokens IS NOT NULL) - (OLD.total_tokens IS NOT NULL), coalesce(NEW.total_tokens, 0) - coalesce(OLD.total_tokens, 0), (NEW.cost_usd IS NOT NULL) - (OLD.cost_usd IS NOT NULL), coalesce(NEW.cost_usd, 0) - coalesce(OLD.cost_usd, 0)) ON CONFLICT (session_id) DO UPDATE SET token_rows = token_rows + excluded.token_rows, total_tokens = total_tokens + excluded.total_tokens, cost_rows = cost_rows + excluded.cost_rows, cost_usd = cost_usd + excluded.cost_usd; END;
CREATE TRIGGER session_summary_event_delete AFTER DELETE ON agent_events BEGIN
    UPDATE session_summary SET events = events - 1, turns = turns - (OLD.tool_name IS 'UserQuery'), tool_calls = tool_calls - (OLD.event_type IN ('tool_call', 'delegation') AND OLD.tool_name IS NOT NULL AND OLD.tool_name <> 'UserQuery'), errors = errors - (OLD.status = 'error'), token_rows = token_rows - (OLD.spawner_type IS NOT NULL AND OLD.total_tokens IS NOT NULL), total_tokens = total_tokens - CASE WHEN OLD.spawner_type IS NOT NULL THEN coalesce(OLD.total_tokens, 0) ELSE 0 END, cost_rows = cost_rows - (OLD.spawner_type IS NOT NULL AND OLD.cost_usd IS NOT NULL), cost_usd = cost_usd - CASE WHEN OLD.spawner_type IS NOT NULL THEN coalesce(OLD.cost_usd, 0) ELSE 0 END WHERE session_id = OLD.session_id; END;
CREATE TRIGGER session_summary_request_insert AFTER INSERT ON api_requests WHEN NEW.kind = 'request' BEGIN
    INSERT INTO session_summary (session_id, token_rows, total_tokens, cost_rows, cost_usd) VALUES (NEW.session_id, 1, NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens + NEW.cache_creation_tokens, NEW.cost_usd IS NOT NULL, coalesce(NEW.cost_usd, 0)) ON CONFLICT (session_id) DO UPDATE SET token_rows = token_rows + excluded.token_rows, total_tokens = total_tokens + excluded.total_tokens, cost_rows = cost_rows + excluded.cost_rows, cost_usd = cost_usd + excluded.cost_usd; END;
CREATE TRIGGER session_summary_request_update AFTER UPDATE OF kind, session_id, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd ON api_requests BEGIN
    UPDATE session_summary SET token_rows = token_rows - 1, total_tokens = total_tokens - (OLD.input_tokens + OLD.output_tokens + OLD.cache_read_tokens + OLD.cache_creation_tokens), cost_rows = cost_rows - (OLD.cost_usd IS NOT NULL), cost_usd = cost_usd - coalesce(OLD.cost_usd, 0) WHERE OLD.kind = 'request' AND session_id = OLD.session_id; INSERT INTO session_summary (session_id, token_rows, total_tokens, cost_rows, cost_usd) SELECT NEW.session_id, 1, NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens + NEW.cache_creation_tokens, NEW.cost_usd IS NOT NULL, coalesce(NEW.cost_usd, 0) WHERE NEW.kind = 'request' ON CONFLICT (session_id) DO UPDATE SET token_rows = token_rows + excluded.token_rows, total_tokens = total_tokens + excluded.total_tokens, cost_rows = cost_rows + excluded.cost_rows, cost_usd = cost_usd + excluded.cost_usd; END;
CREATE TRIGGER session_summary_request_delete AFTER DELETE ON api_requests WHEN OLD.kind = 'request' BEGIN
    UPDATE session_summary SET token_rows = token_rows - 1, total_tokens = total_tokens - (OLD.input_tokens + OLD.output_tokens + OLD.cache_read_tokens + OLD.cache_creation_tokens), cost_rows = cost_rows - (OLD.cost_usd IS NOT NULL), cost_usd = cost_usd - coalesce(OLD.cost_usd, 0) WHERE session_id = OLD.session_id; END;

-- Per day (UTC, of the event's time): what the stored events add up to, so that /api/daily reads one row a day
-- instead of every event of its days (1.2-2.9 s for 30 days of a 1,000,000-event store, docs/performance.md).
-- The figures follow ops-daily's rule of before (SummaryRecounts checks them against a recount); pruned events move
-- to daily_rollups, which the route adds. New rows are counted by the writer (store/NewRowCounts), and tokens and
-- cost, which only updates set, by the update trigger; it also moves a row whose day, outcome or kind changes.
CREATE TABLE daily_totals (
    day                   TEXT PRIMARY KEY,
    events                INTEGER NOT NULL,
    errors                INTEGER NOT NULL,
    tool_calls            INTEGER NOT NULL,
    input_tokens          INTEGER NOT NULL,
    output_tokens         INTEGER NOT NULL,
    cache_read_tokens     INTEGER NOT NULL,
    cache_creation_tokens INTEGER NOT NULL,
    unspecified_tokens    INTEGER NOT NULL,
    total_tokens          INTEGER NOT NULL,
    cost_usd              REAL NOT NULL
) WITHOUT ROWID;
INSERT INTO daily_totals (day, events, errors, tool_calls, input_tokens, output_tokens, cache_read_tokens,
                          cache_creation_tokens, unspecified_tokens, total_tokens, cost_usd)
    SELECT substr(timestamp, 1, 10), count(*), sum(status = 'error'),
           sum(coalesce(event_type IN ('tool_call', 'delegation') AND tool_name <> 'UserQuery', 0)),
           coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cache_read_tokens), 0),
           coalesce(sum(cache_creation_tokens), 0),
           coalesce(sum(CASE WHEN total_tokens IS NOT NULL OR cost_usd IS NOT NULL THEN
               max(coalesce(total_tokens, 0) - coalesce(input_tokens, 0) - coalesce(output_tokens, 0)
                   - coalesce(cache_read_tokens, 0) - coalesce(cache_creation_tokens, 0), 0) END), 0),
           coalesce(sum(total_tokens), 0), coalesce(sum(cost_usd), 0)
    FROM agent_events GROUP BY substr(timestamp, 1, 10);
-- A change that moves any figure: the row's old figures come off its old day, its new ones go on its new day (by
-- upsert, so that a row inserted earlier in the same transaction, which the writer counts only at commit, is right).
CREATE TRIGGER daily_totals_update AFTER UPDATE OF timestamp, event_type, tool_name, status, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, cost_usd ON agent_events WHEN substr(OLD.timestamp, 1, 10) IS NOT substr(NEW.timestamp, 1, 10) OR (OLD.status = 'error') IS NOT (NEW.status = 'error') OR coalesce(OLD.event_type IN ('tool_call', 'delegation') AND OLD.tool_name <> 'UserQuery', 0) IS NOT coalesce(NEW.event_type IN ('tool_call', 'delegation') AND NEW.tool_name <> 'UserQuery', 0) OR OLD.input_tokens IS NOT NEW.input_tokens OR OLD.output_tokens IS NOT NEW.output_tokens OR OLD.cache_read_tokens IS NOT NEW.cache_read_tokens OR OLD.cache_creation_tokens IS NOT NEW.cache_creation_tokens OR OLD.total_tokens IS NOT NEW.total_tokens OR OLD.cost_usd IS NOT NEW.cost_usd BEGIN
    INSERT INTO daily_totals (day, events, errors, tool_calls, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, unspecified_tokens, total_tokens, cost_usd) VALUES (substr(OLD.timestamp, 1, 10), -1, -(OLD.status = 'error'), -coalesce(OLD.event_type IN ('tool_call', 'delegation') AND OLD.tool_name <> 'UserQuery', 0), -coalesce(OLD.input_tokens, 0), -coalesce(OLD.output_tokens, 0), -coalesce(OLD.cache_read_tokens, 0), -coalesce(OLD.cache_creation_tokens, 0), -CASE WHEN OLD.total_tokens IS NOT NULL OR OLD.cost_usd IS NOT NULL THEN max(coalesce(OLD.total_tokens, 0) - coalesce(OLD.input_tokens, 0) - coalesce(OLD.output_tokens, 0) - coalesce(OLD.cache_read_tokens, 0) - coalesce(OLD.cache_creation_tokens, 0), 0) ELSE 0 END, -coalesce(OLD.total_tokens, 0), -coalesce(OLD.cost_usd, 0)) ON CONFLICT (day) DO UPDATE SET events = events + excluded.events, errors = errors + excluded.errors, tool_calls = tool_calls + excluded.tool_calls, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, unspecified_tokens = unspecified_tokens + excluded.unspecified_tokens, total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd; INSERT INTO daily_totals (day, events, errors, tool_calls, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, unspecified_tokens, total_tokens, cost_usd) VALUES (substr(NEW.timestamp, 1, 10), 1, NEW.status = 'error', coalesce(NEW.event_type IN ('tool_call', 'delegation') AND NEW.tool_name <> 'UserQuery', 0), coalesce(NEW.input_tokens, 0), coalesce(NEW.output_tokens, 0), coalesce(NEW.cache_read_tokens, 0), coalesce(NEW.cache_creation_tokens, 0), CASE WHEN NEW.total_tokens IS NOT NULL OR NEW.cost_usd IS NOT NULL THEN max(coalesce(NEW.total_tokens, 0) - coalesce(NEW.input_tokens, 0) - coalesce(NEW.output_tokens, 0) - coalesce(NEW.cache_read_tokens, 0) - coalesce(NEW.cache_creation_tokens, 0), 0) ELSE 0 END, coalesce(NEW.total_tokens, 0), coalesce(NEW.cost_usd, 0)) ON CONFLICT (day) DO UPDATE SET events = events + excluded.events, errors = errors + excluded.errors, tool_calls = tool_calls + excluded.tool_calls, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, unspecified_tokens = unspecified_tokens + excluded.unspecified_tokens, total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd; END;
-- A deleted row (retention, a session deleted) comes off its day; a day without events goes.
CREATE TRIGGER daily_totals_delete AFTER DELETE ON agent_events BEGIN
    UPDATE daily_totals SET events = events - 1, errors = errors - (OLD.status = 'error'), tool_calls = tool_calls - coalesce(OLD.event_type IN ('tool_call', 'delegation') AND OLD.tool_name <> 'UserQuery', 0), input_tokens = input_tokens - coalesce(OLD.input_tokens, 0), output_tokens = output_tokens - coalesce(OLD.output_tokens, 0), cache_read_tokens = cache_read_tokens - coalesce(OLD.cache_read_tokens, 0), cache_creation_tokens = cache_creation_tokens - coalesce(OLD.cache_creation_tokens, 0), unspecified_tokens = unspecified_tokens - CASE WHEN OLD.total_tokens IS NOT NULL OR OLD.cost_usd IS NOT NULL THEN max(coalesce(OLD.total_tokens, 0) - coalesce(OLD.input_tokens, 0) - coalesce(OLD.output_tokens, 0) - coalesce(OLD.cache_read_tokens, 0) - coalesce(OLD.cache_creation_tokens, 0), 0) ELSE 0 END, total_tokens = total_tokens - coalesce(OLD.total_tokens, 0), cost_usd = cost_usd - coalesce(OLD.cost_usd, 0) WHERE day = substr(OLD.timestamp, 1, 10); DELETE FROM daily_totals WHERE day = substr(OLD.timestamp, 1, 10) AND events <= 0; END;

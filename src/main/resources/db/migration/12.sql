-- Cheaper writes: no insert trigger on agent_events (the writer counts new rows per commit), fewer index entries
-- New rows are counted by store/NewRowCounts, one upsert per key per commit, as event_counts (migration 8) and
-- session_summary (migration 11) already were; the update and delete triggers stay. With no insert trigger, SQLite
-- needs no statement journal for an insert (README, Performance: the write path). Rows are inserted without token
-- figures, so usage_totals_spawner_insert never counted anything that usage_totals_spawner_update does not.
DROP TRIGGER activity_minutes_insert;
DROP TRIGGER agent_minutes_insert;
DROP TRIGGER agent_errors_insert;
DROP TRIGGER usage_totals_spawner_insert;
DROP TRIGGER spawner_sessions_insert;
-- agent_errors answers the errors per agent; no statement filters agent_events by feature_id.
DROP INDEX idx_agent_events_agent_errors;
DROP INDEX idx_agent_events_feature;
-- Every lookup by prompt_id asks for the turn (tool_name = 'UserQuery'): one entry per turn, not per event.
DROP INDEX idx_agent_events_prompt;
CREATE INDEX idx_agent_events_prompt ON agent_events(prompt_id) WHERE tool_name = 'UserQuery' AND prompt_id IS NOT NULL;
-- A row inserted and then finished (or failed) in the same transaction is counted by the writer only at commit: the
-- update triggers add their difference by upsert, so that it counts even before the writer's count makes the row.
DROP TRIGGER activity_minutes_update;
CREATE TRIGGER activity_minutes_update AFTER UPDATE OF timestamp, event_type, tool_name, status, execution_duration_seconds ON agent_events WHEN substr(OLD.timestamp, 1, 16) = substr(NEW.timestamp, 1, 16) AND (coalesce(OLD.event_type = 'tool_call' AND OLD.status IN ('success', 'error') AND OLD.tool_name <> 'UserQuery', 0) OR coalesce(NEW.event_type = 'tool_call' AND NEW.status IN ('success', 'error') AND NEW.tool_name <> 'UserQuery', 0)) BEGIN
    INSERT INTO activity_minutes (minute, events, calls, errors, b0, b1, b2, b3, b4, b5) SELECT substr(NEW.timestamp, 1, 16), 0, nc - oc, nc * coalesce(NEW.status = 'error', 0) - oc * coalesce(OLD.status = 'error', 0), nc * coalesce(nd < 0.1, 0) - oc * coalesce(od < 0.1, 0), nc * coalesce(nd >= 0.1 AND nd < 0.5, 0) - oc * coalesce(od >= 0.1 AND od < 0.5, 0), nc * coalesce(nd >= 0.5 AND nd < 1, 0) - oc * coalesce(od >= 0.5 AND od < 1, 0), nc * coalesce(nd >= 1 AND nd < 5, 0) - oc * coalesce(od >= 1 AND od < 5, 0), nc * coalesce(nd >= 5 AND nd < 30, 0) - oc * coalesce(od >= 5 AND od < 30, 0), nc * coalesce(nd >= 30, 0) - oc * coalesce(od >= 30, 0) FROM (SELECT coalesce(NEW.event_type = 'tool_call' AND NEW.status IN ('success', 'error') AND NEW.tool_name <> 'UserQuery', 0) AS nc, coalesce(OLD.event_type = 'tool_call' AND OLD.status IN ('success', 'error') AND OLD.tool_name <> 'UserQuery', 0) AS oc, NEW.execution_duration_seconds AS nd, OLD.execution_duration_seconds AS od) WHERE true ON CONFLICT (minute) DO UPDATE SET calls = calls + excluded.calls, errors = errors + excluded.errors, b0 = b0 + excluded.b0, b1 = b1 + excluded.b1, b2 = b2 + excluded.b2, b3 = b3 + excluded.b3, b4 = b4 + excluded.b4, b5 = b5 + excluded.b5; END;
DROP TRIGGER agent_minutes_update;
CREATE TRIGGER agent_minutes_update AFTER UPDATE OF agent_id, timestamp, event_type, tool_name, status, execution_duration_seconds ON agent_events WHEN coalesce(OLD.event_type IN ('tool_call', 'delegation') AND OLD.tool_name <> 'UserQuery', 0) AND coalesce(NEW.event_type IN ('tool_call', 'delegation') AND NEW.tool_name <> 'UserQuery', 0) AND OLD.agent_id = NEW.agent_id AND substr(OLD.timestamp, 1, 16) = substr(NEW.timestamp, 1, 16) BEGIN
    INSERT INTO agent_minutes (agent_id, minute, calls, successes, errors, timed, seconds) VALUES (NEW.agent_id, substr(NEW.timestamp, 1, 16), 0, coalesce(NEW.status IN ('success', 'completed'), 0) - coalesce(OLD.status IN ('success', 'completed'), 0), coalesce(NEW.status = 'error', 0) - coalesce(OLD.status = 'error', 0), (NEW.execution_duration_seconds IS NOT NULL) - (OLD.execution_duration_seconds IS NOT NULL), coalesce(NEW.execution_duration_seconds, 0) - coalesce(OLD.execution_duration_seconds, 0)) ON CONFLICT (agent_id, minute) DO UPDATE SET successes = successes + excluded.successes, errors = errors + excluded.errors, timed = timed + excluded.timed, seconds = round(seconds + coalesce(NEW.execution_duration_seconds, 0) - coalesce(OLD.execution_duration_seconds, 0), 6); END;
DROP TRIGGER agent_errors_update;
CREATE TRIGGER agent_errors_update AFTER UPDATE OF status, agent_id ON agent_events WHEN OLD.status = 'error' OR NEW.status = 'error' BEGIN
    INSERT INTO agent_errors (agent_id, errors) SELECT OLD.agent_id, -1 WHERE OLD.status = 'error' ON CONFLICT (agent_id) DO UPDATE SET errors = errors - 1; INSERT INTO agent_errors (agent_id, errors) SELECT NEW.agent_id, 1 WHERE NEW.status = 'error' ON CONFLICT (agent_id) DO UPDATE SET errors = errors + 1; END;

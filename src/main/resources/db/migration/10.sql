-- Dashboard summaries kept by triggers: delegation edges, activity per minute and per agent and minute, errors per agent, tokens and cost per agent and model
-- The Orchestration tab draws who delegates to whom from one row per (from, to) pair instead of reading the newest
-- delegations, and the Metrics tab's activity and tool-latency charts read one row per minute instead of scanning
-- events. Triggers run in the transaction (and savepoint) of the write, so a rolled-back request leaves no trace; an
-- update or delete takes back what the old row added. (A migration statement ends at a semicolon that ends a line.)
CREATE TABLE delegation_edges (
    from_agent  TEXT NOT NULL,
    to_agent    TEXT NOT NULL,
    delegations INTEGER NOT NULL,
    PRIMARY KEY (from_agent, to_agent)
) WITHOUT ROWID;
INSERT INTO delegation_edges (from_agent, to_agent, delegations)
    SELECT from_agent, to_agent, count(*) FROM agent_collaboration GROUP BY from_agent, to_agent;
CREATE TRIGGER delegation_edges_insert AFTER INSERT ON agent_collaboration BEGIN
    INSERT INTO delegation_edges (from_agent, to_agent, delegations) VALUES (NEW.from_agent, NEW.to_agent, 1) ON CONFLICT (from_agent, to_agent) DO UPDATE SET delegations = delegations + 1; END;
CREATE TRIGGER delegation_edges_move AFTER UPDATE OF from_agent, to_agent ON agent_collaboration WHEN OLD.from_agent <> NEW.from_agent OR OLD.to_agent <> NEW.to_agent BEGIN
    UPDATE delegation_edges SET delegations = delegations - 1 WHERE from_agent = OLD.from_agent AND to_agent = OLD.to_agent; DELETE FROM delegation_edges WHERE from_agent = OLD.from_agent AND to_agent = OLD.to_agent AND delegations <= 0; INSERT INTO delegation_edges (from_agent, to_agent, delegations) VALUES (NEW.from_agent, NEW.to_agent, 1) ON CONFLICT (from_agent, to_agent) DO UPDATE SET delegations = delegations + 1; END;
CREATE TRIGGER delegation_edges_delete AFTER DELETE ON agent_collaboration BEGIN
    UPDATE delegation_edges SET delegations = delegations - 1 WHERE from_agent = OLD.from_agent AND to_agent = OLD.to_agent; DELETE FROM delegation_edges WHERE from_agent = OLD.from_agent AND to_agent = OLD.to_agent AND delegations <= 0; END;
-- Per minute of event time (the timestamp's first 16 characters, 2026-11-30T20:55): events, and the finished tool
-- calls (not prompts) with their outcome and duration bucket (< 0.1 s, 0.5 s, 1 s, 5 s, 30 s, longer; a call
-- without a duration is in none). The partial index lets the latency chart walk back through minutes with calls.
CREATE TABLE activity_minutes (
    minute TEXT PRIMARY KEY,
    events INTEGER NOT NULL,
    calls  INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    b0 INTEGER NOT NULL, b1 INTEGER NOT NULL, b2 INTEGER NOT NULL,
    b3 INTEGER NOT NULL, b4 INTEGER NOT NULL, b5 INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX idx_activity_minutes_calls ON activity_minutes(minute) WHERE calls > 0;
INSERT INTO activity_minutes (minute, events, calls, errors, b0, b1, b2, b3, b4, b5)
    SELECT substr(timestamp, 1, 16), count(*), sum(c), sum(c * coalesce(status = 'error', 0)),
           sum(c * coalesce(d < 0.1, 0)), sum(c * coalesce(d >= 0.1 AND d < 0.5, 0)),
           sum(c * coalesce(d >= 0.5 AND d < 1, 0)), sum(c * coalesce(d >= 1 AND d < 5, 0)),
           sum(c * coalesce(d >= 5 AND d < 30, 0)), sum(c * coalesce(d >= 30, 0))
    FROM (SELECT timestamp, status, execution_duration_seconds AS d,
                 coalesce(event_type = 'tool_call' AND status IN ('success', 'error') AND tool_name <> 'UserQuery', 0)
                   AS c
          FROM agent_events)
    GROUP BY substr(timestamp, 1, 16);
CREATE TRIGGER activity_minutes_insert AFTER INSERT ON agent_events BEGIN
    INSERT INTO activity_minutes (minute, events, calls, errors, b0, b1, b2, b3, b4, b5) SELECT substr(NEW.timestamp, 1, 16), 1, c, c * coalesce(NEW.status = 'error', 0), c * coalesce(d < 0.1, 0), c * coalesce(d >= 0.1 AND d < 0.5, 0), c * coalesce(d >= 0.5 AND d < 1, 0), c * coalesce(d >= 1 AND d < 5, 0), c * coalesce(d >= 5 AND d < 30, 0), c * coalesce(d >= 30, 0) FROM (SELECT coalesce(NEW.event_type = 'tool_call' AND NEW.status IN ('success', 'error') AND NEW.tool_name <> 'UserQuery', 0) AS c, NEW.execution_duration_seconds AS d) WHERE true ON CONFLICT (minute) DO UPDATE SET events = events + 1, calls = calls + excluded.calls, errors = errors + excluded.errors, b0 = b0 + excluded.b0, b1 = b1 + excluded.b1, b2 = b2 + excluded.b2, b3 = b3 + excluded.b3, b4 = b4 + excluded.b4, b5 = b5 + excluded.b5; END;
CREATE TRIGGER activity_minutes_update AFTER UPDATE OF timestamp, event_type, tool_name, status, execution_duration_seconds ON agent_events WHEN OLD.timestamp IS NOT NEW.timestamp OR coalesce(OLD.event_type = 'tool_call' AND OLD.status IN ('success', 'error') AND OLD.tool_name <> 'UserQuery', 0) OR coalesce(NEW.event_type = 'tool_call' AND NEW.status IN ('success', 'error') AND NEW.tool_name <> 'UserQuery', 0) BEGIN
    UPDATE activity_minutes SET events = events - 1, calls = calls - c, errors = errors - c * coalesce(OLD.status = 'error', 0), b0 = b0 - c * coalesce(d < 0.1, 0), b1 = b1 - c * coalesce(d >= 0.1 AND d < 0.5, 0), b2 = b2 - c * coalesce(d >= 0.5 AND d < 1, 0), b3 = b3 - c * coalesce(d >= 1 AND d < 5, 0), b4 = b4 - c * coalesce(d >= 5 AND d < 30, 0), b5 = b5 - c * coalesce(d >= 30, 0) FROM (SELECT coalesce(OLD.event_type = 'tool_call' AND OLD.status IN ('success', 'error') AND OLD.tool_name <> 'UserQuery', 0) AS c, OLD.execution_duration_seconds AS d) WHERE minute = substr(OLD.timestamp, 1, 16); INSERT INTO activity_minutes (minute, events, calls, errors, b0, b1, b2, b3, b4, b5) SELECT substr(NEW.timestamp, 1, 16), 1, c, c * coalesce(NEW.status = 'error', 0), c * coalesce(d < 0.1, 0), c * coalesce(d >= 0.1 AND d < 0.5, 0), c * coalesce(d >= 0.5 AND d < 1, 0), c * coalesce(d >= 1 AND d < 5, 0), c * coalesce(d >= 5 AND d < 30, 0), c * coalesce(d >= 30, 0) FROM (SELECT coalesce(NEW.event_type = 'tool_call' AND NEW.status IN ('success', 'error') AND NEW.tool_name <> 'UserQuery', 0) AS c, NEW.execution_duration_seconds AS d) WHERE true ON CONFLICT (minute) DO UPDATE SET events = events + 1, calls = calls + excluded.calls, errors = errors + excluded.errors, b0 = b0 + excluded.b0, b1 = b1 + excluded.b1, b2 = b2 + excluded.b2, b3 = b3 + excluded.b3, b4 = b4 + excluded.b4, b5 = b5 + excluded.b5; DELETE FROM activity_minutes WHERE minute = substr(OLD.timestamp, 1, 16) AND events <= 0; END;
CREATE TRIGGER activity_minutes_delete AFTER DELETE ON agent_events BEGIN
    UPDATE activity_minutes SET events = events - 1, calls = calls - c, errors = errors - c * coalesce(OLD.status = 'error', 0), b0 = b0 - c * coalesce(d < 0.1, 0), b1 = b1 - c * coalesce(d >= 0.1 AND d < 0.5, 0), b2 = b2 - c * coalesce(d >= 0.5 AND d < 1, 0), b3 = b3 - c * coalesce(d >= 1 AND d < 5, 0), b4 = b4 - c * coalesce(d >= 5 AND d < 30, 0), b5 = b5 - c * coalesce(d >= 30, 0) FROM (SELECT coalesce(OLD.event_type = 'tool_call' AND OLD.status IN ('success', 'error') AND OLD.tool_name <> 'UserQuery', 0) AS c, OLD.execution_duration_seconds AS d) WHERE minute = substr(OLD.timestamp, 1, 16); DELETE FROM activity_minutes WHERE minute = substr(OLD.timestamp, 1, 16) AND events <= 0; END;
-- Per agent: its events that ended in error (the Agents tab and the metrics collector), one row per agent instead of
-- a count over every error.
CREATE TABLE agent_errors (
    agent_id TEXT PRIMARY KEY,
    errors   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO agent_errors (agent_id, errors)
    SELECT agent_id, count(*) FROM agent_events INDEXED BY idx_agent_events_agent_errors WHERE status = 'error' GROUP BY agent_id;
CREATE TRIGGER agent_errors_insert AFTER INSERT ON agent_events WHEN NEW.status = 'error' BEGIN
    INSERT INTO agent_errors (agent_id, errors) VALUES (NEW.agent_id, 1) ON CONFLICT (agent_id) DO UPDATE SET errors = errors + 1; END;
CREATE TRIGGER agent_errors_update AFTER UPDATE OF status, agent_id ON agent_events WHEN OLD.status = 'error' OR NEW.status = 'error' BEGIN
    UPDATE agent_errors SET errors = errors - 1 WHERE OLD.status = 'error' AND agent_id = OLD.agent_id; INSERT INTO agent_errors (agent_id, errors) SELECT NEW.agent_id, 1 WHERE NEW.status = 'error' ON CONFLICT (agent_id) DO UPDATE SET errors = errors + 1; END;
CREATE TRIGGER agent_errors_delete AFTER DELETE ON agent_events WHEN OLD.status = 'error' BEGIN
    UPDATE agent_errors SET errors = errors - 1 WHERE agent_id = OLD.agent_id; END;
-- Tokens and cost per agent and model, each figure once (as the usage_records view counts them: API requests, and
-- spawner runs' own figures), so the Metrics and Agents tabs and the metrics collector read one row per agent and
-- model instead of every API request. Cost sums are rounded to 1e-9 at each step, so adding and taking back leaves
-- no float residue.
CREATE TABLE usage_totals (
    agent_id              TEXT NOT NULL,
    model                 TEXT NOT NULL,
    records               INTEGER NOT NULL,
    input_tokens          INTEGER NOT NULL,
    output_tokens         INTEGER NOT NULL,
    cache_read_tokens     INTEGER NOT NULL,
    cache_creation_tokens INTEGER NOT NULL,
    total_tokens          INTEGER NOT NULL,
    unspecified_tokens    INTEGER NOT NULL,
    cost_usd              REAL NOT NULL,
    costed                INTEGER NOT NULL,
    PRIMARY KEY (agent_id, model)
) WITHOUT ROWID;
INSERT INTO usage_totals (agent_id, model, records, input_tokens, output_tokens, cache_read_tokens,
                          cache_creation_tokens, total_tokens, unspecified_tokens, cost_usd, costed)
    SELECT agent_id, model, count(*), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
           coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_creation_tokens), 0),
           coalesce(sum(total_tokens), 0),
           sum(max(coalesce(total_tokens, 0) - coalesce(input_tokens, 0) - coalesce(output_tokens, 0)
                   - coalesce(cache_read_tokens, 0) - coalesce(cache_creation_tokens, 0), 0)),
           round(coalesce(sum(cost_usd), 0), 9), count(cost_usd)
    FROM usage_records GROUP BY agent_id, model;
CREATE TRIGGER usage_totals_request_insert AFTER INSERT ON api_requests WHEN NEW.kind = 'request' BEGIN
    INSERT INTO usage_totals (agent_id, model, records, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, unspecified_tokens, cost_usd, costed) SELECT NEW.agent_id, coalesce(NEW.model, 'unknown'), 1, NEW.input_tokens, NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_creation_tokens, NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens + NEW.cache_creation_tokens, 0, coalesce(NEW.cost_usd, 0), NEW.cost_usd IS NOT NULL WHERE true ON CONFLICT (agent_id, model) DO UPDATE SET records = records + excluded.records, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, total_tokens = total_tokens + excluded.total_tokens, unspecified_tokens = unspecified_tokens + excluded.unspecified_tokens, cost_usd = round(cost_usd + excluded.cost_usd, 9), costed = costed + excluded.costed; END;
CREATE TRIGGER usage_totals_request_update AFTER UPDATE OF kind, agent_id, model, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd ON api_requests WHEN OLD.kind = 'request' OR NEW.kind = 'request' BEGIN
    UPDATE usage_totals SET records = records - (1), input_tokens = input_tokens - (OLD.input_tokens), output_tokens = output_tokens - (OLD.output_tokens), cache_read_tokens = cache_read_tokens - (OLD.cache_read_tokens), cache_creation_tokens = cache_creation_tokens - (OLD.cache_creation_tokens), total_tokens = total_tokens - (OLD.input_tokens + OLD.output_tokens + OLD.cache_read_tokens + OLD.cache_creation_tokens), unspecified_tokens = unspecified_tokens - (0), cost_usd = round(cost_usd - (coalesce(OLD.cost_usd, 0)), 9), costed = costed - (OLD.cost_usd IS NOT NULL) WHERE agent_id = OLD.agent_id AND model = coalesce(OLD.model, 'unknown') AND OLD.kind = 'request'; DELETE FROM usage_totals WHERE agent_id = OLD.agent_id AND model = coalesce(OLD.model, 'unknown') AND records <= 0; INSERT INTO usage_totals (agent_id, model, records, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, unspecified_tokens, cost_usd, costed) SELECT NEW.agent_id, coalesce(NEW.model, 'unknown'), 1, NEW.input_tokens, NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_creation_tokens, NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens + NEW.cache_creation_tokens, 0, coalesce(NEW.cost_usd, 0), NEW.cost_usd IS NOT NULL WHERE NEW.kind = 'request' ON CONFLICT (agent_id, model) DO UPDATE SET records = records + excluded.records, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, total_tokens = total_tokens + excluded.total_tokens, unspecified_tokens = unspecified_tokens + excluded.unspecified_tokens, cost_usd = round(cost_usd + excluded.cost_usd, 9), costed = costed + excluded.costed; END;
CREATE TRIGGER usage_totals_request_delete AFTER DELETE ON api_requests WHEN OLD.kind = 'request' BEGIN
    UPDATE usage_totals SET records = records - (1), input_tokens = input_tokens - (OLD.input_tokens), output_tokens = output_tokens - (OLD.output_tokens), cache_read_tokens = cache_read_tokens - (OLD.cache_read_tokens), cache_creation_tokens = cache_creation_tokens - (OLD.cache_creation_tokens), total_tokens = total_tokens - (OLD.input_tokens + OLD.output_tokens + OLD.cache_read_tokens + OLD.cache_creation_tokens), unspecified_tokens = unspecified_tokens - (0), cost_usd = round(cost_usd - (coalesce(OLD.cost_usd, 0)), 9), costed = costed - (OLD.cost_usd IS NOT NULL) WHERE agent_id = OLD.agent_id AND model = coalesce(OLD.model, 'unknown'); DELETE FROM usage_totals WHERE agent_id = OLD.agent_id AND model = coalesce(OLD.model, 'unknown') AND records <= 0; END;
CREATE TRIGGER usage_totals_spawner_insert AFTER INSERT ON agent_events WHEN NEW.spawner_type IS NOT NULL AND (NEW.total_tokens IS NOT NULL OR NEW.cost_usd IS NOT NULL) BEGIN
    INSERT INTO usage_totals (agent_id, model, records, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, unspecified_tokens, cost_usd, costed) SELECT NEW.agent_id, coalesce(NEW.model, 'unknown'), 1, coalesce(NEW.input_tokens, 0), coalesce(NEW.output_tokens, 0), coalesce(NEW.cache_read_tokens, 0), coalesce(NEW.cache_creation_tokens, 0), coalesce(NEW.total_tokens, 0), max(coalesce(NEW.total_tokens, 0) - coalesce(NEW.input_tokens, 0) - coalesce(NEW.output_tokens, 0) - coalesce(NEW.cache_read_tokens, 0) - coalesce(NEW.cache_creation_tokens, 0), 0), coalesce(NEW.cost_usd, 0), NEW.cost_usd IS NOT NULL WHERE true ON CONFLICT (agent_id, model) DO UPDATE SET records = records + excluded.records, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, total_tokens = total_tokens + excluded.total_tokens, unspecified_tokens = unspecified_tokens + excluded.unspecified_tokens, cost_usd = round(cost_usd + excluded.cost_usd, 9), costed = costed + excluded.costed; END;
CREATE TRIGGER usage_totals_spawner_update AFTER UPDATE OF spawner_type, agent_id, model, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, cost_usd ON agent_events WHEN (OLD.spawner_type IS NOT NULL AND (OLD.total_tokens IS NOT NULL OR OLD.cost_usd IS NOT NULL)) OR (NEW.spawner_type IS NOT NULL AND (NEW.total_tokens IS NOT NULL OR NEW.cost_usd IS NOT NULL)) BEGIN
    UPDATE usage_totals SET records = records - (1), input_tokens = input_tokens - (coalesce(OLD.input_tokens, 0)), output_tokens = output_tokens - (coalesce(OLD.output_tokens, 0)), cache_read_tokens = cache_read_tokens - (coalesce(OLD.cache_read_tokens, 0)), cache_creation_tokens = cache_creation_tokens - (coalesce(OLD.cache_creation_tokens, 0)), total_tokens = total_tokens - (coalesce(OLD.total_tokens, 0)), unspecified_tokens = unspecified_tokens - (max(coalesce(OLD.total_tokens, 0) - coalesce(OLD.input_tokens, 0) - coalesce(OLD.output_tokens, 0) - coalesce(OLD.cache_read_tokens, 0) - coalesce(OLD.cache_creation_tokens, 0), 0)), cost_usd = round(cost_usd - (coalesce(OLD.cost_usd, 0)), 9), costed = costed - (OLD.cost_usd IS NOT NULL) WHERE agent_id = OLD.agent_id AND model = coalesce(OLD.model, 'unknown') AND (OLD.spawner_type IS NOT NULL AND (OLD.total_tokens IS NOT NULL OR OLD.cost_usd IS NOT NULL)); DELETE FROM usage_totals WHERE agent_id = OLD.agent_id AND model = coalesce(OLD.model, 'unknown') AND records <= 0; INSERT INTO usage_totals (agent_id, model, records, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, unspecified_tokens, cost_usd, costed) SELECT NEW.agent_id, coalesce(NEW.model, 'unknown'), 1, coalesce(NEW.input_tokens, 0), coalesce(NEW.output_tokens, 0), coalesce(NEW.cache_read_tokens, 0), coalesce(NEW.cache_creation_tokens, 0), coalesce(NEW.total_tokens, 0), max(coalesce(NEW.total_tokens, 0) - coalesce(NEW.input_tokens, 0) - coalesce(NEW.output_tokens, 0) - coalesce(NEW.cache_read_tokens, 0) - coalesce(NEW.cache_creation_tokens, 0), 0), coalesce(NEW.cost_usd, 0), NEW.cost_usd IS NOT NULL WHERE NEW.spawner_type IS NOT NULL AND (NEW.total_tokens IS NOT NULL OR NEW.cost_usd IS NOT NULL) ON CONFLICT (agent_id, model) DO UPDATE SET records = records + excluded.records, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, total_tokens = total_tokens + excluded.total_tokens, unspecified_tokens = unspecified_tokens + excluded.unspecified_tokens, cost_usd = round(cost_usd + excluded.cost_usd, 9), costed = costed + excluded.costed; END;
CREATE TRIGGER usage_totals_spawner_delete AFTER DELETE ON agent_events WHEN OLD.spawner_type IS NOT NULL AND (OLD.total_tokens IS NOT NULL OR OLD.cost_usd IS NOT NULL) BEGIN
    UPDATE usage_totals SET records = records - (1), input_tokens = input_tokens - (coalesce(OLD.input_tokens, 0)), output_tokens = output_tokens - (coalesce(OLD.output_tokens, 0)), cache_read_tokens = cache_read_tokens - (coalesce(OLD.cache_read_tokens, 0)), cache_creation_tokens = cache_creation_tokens - (coalesce(OLD.cache_creation_tokens, 0)), total_tokens = total_tokens - (coalesce(OLD.total_tokens, 0)), unspecified_tokens = unspecified_tokens - (max(coalesce(OLD.total_tokens, 0) - coalesce(OLD.input_tokens, 0) - coalesce(OLD.output_tokens, 0) - coalesce(OLD.cache_read_tokens, 0) - coalesce(OLD.cache_creation_tokens, 0), 0)), cost_usd = round(cost_usd - (coalesce(OLD.cost_usd, 0)), 9), costed = costed - (OLD.cost_usd IS NOT NULL) WHERE agent_id = OLD.agent_id AND model = coalesce(OLD.model, 'unknown'); DELETE FROM usage_totals WHERE agent_id = OLD.agent_id AND model = coalesce(OLD.model, 'unknown') AND records <= 0; END;
-- Per agent and minute of event time: its tool calls and delegations (not prompts), how many succeeded or failed,
-- and their durations, so an Agents card's "newest 500 calls" reads a few minute rows of that agent (walking back
-- whole minutes) instead of 500 events.
CREATE TABLE agent_minutes (
    agent_id  TEXT NOT NULL,
    minute    TEXT NOT NULL,
    calls     INTEGER NOT NULL,
    successes INTEGER NOT NULL,
    errors    INTEGER NOT NULL,
    timed     INTEGER NOT NULL,
    seconds   REAL NOT NULL,
    PRIMARY KEY (agent_id, minute)
) WITHOUT ROWID;
INSERT INTO agent_minutes (agent_id, minute, calls, successes, errors, timed, seconds)
    SELECT agent_id, substr(timestamp, 1, 16), count(*), coalesce(sum(status IN ('success', 'completed')), 0),
           coalesce(sum(status = 'error'), 0), count(execution_duration_seconds),
           round(coalesce(sum(execution_duration_seconds), 0), 6)
    FROM agent_events WHERE event_type IN ('tool_call', 'delegation') AND tool_name <> 'UserQuery'
    GROUP BY agent_id, substr(timestamp, 1, 16);
CREATE TRIGGER agent_minutes_insert AFTER INSERT ON agent_events WHEN coalesce(NEW.event_type IN ('tool_call', 'delegation') AND NEW.tool_name <> 'UserQuery', 0) BEGIN
    INSERT INTO agent_minutes (agent_id, minute, calls, successes, errors, timed, seconds) SELECT NEW.agent_id, substr(NEW.timestamp, 1, 16), 1, coalesce(NEW.status IN ('success', 'completed'), 0), coalesce(NEW.status = 'error', 0), NEW.execution_duration_seconds IS NOT NULL, coalesce(NEW.execution_duration_seconds, 0) WHERE true ON CONFLICT (agent_id, minute) DO UPDATE SET calls = calls + excluded.calls, successes = successes + excluded.successes, errors = errors + excluded.errors, timed = timed + excluded.timed, seconds = round(seconds + excluded.seconds, 6); END;
CREATE TRIGGER agent_minutes_update AFTER UPDATE OF agent_id, timestamp, event_type, tool_name, status, execution_duration_seconds ON agent_events WHEN coalesce(OLD.event_type IN ('tool_call', 'delegation') AND OLD.tool_name <> 'UserQuery', 0) OR coalesce(NEW.event_type IN ('tool_call', 'delegation') AND NEW.tool_name <> 'UserQuery', 0) BEGIN
    UPDATE agent_minutes SET calls = calls - (1), successes = successes - (coalesce(OLD.status IN ('success', 'completed'), 0)), errors = errors - (coalesce(OLD.status = 'error', 0)), timed = timed - (OLD.execution_duration_seconds IS NOT NULL), seconds = round(seconds - (coalesce(OLD.execution_duration_seconds, 0)), 6) WHERE agent_id = OLD.agent_id AND minute = substr(OLD.timestamp, 1, 16) AND coalesce(OLD.event_type IN ('tool_call', 'delegation') AND OLD.tool_name <> 'UserQuery', 0); DELETE FROM agent_minutes WHERE agent_id = OLD.agent_id AND minute = substr(OLD.timestamp, 1, 16) AND calls <= 0; INSERT INTO agent_minutes (agent_id, minute, calls, successes, errors, timed, seconds) SELECT NEW.agent_id, substr(NEW.timestamp, 1, 16), 1, coalesce(NEW.status IN ('success', 'completed'), 0), coalesce(NEW.status = 'error', 0), NEW.execution_duration_seconds IS NOT NULL, coalesce(NEW.execution_duration_seconds, 0) WHERE coalesce(NEW.event_type IN ('tool_call', 'delegation') AND NEW.tool_name <> 'UserQuery', 0) ON CONFLICT (agent_id, minute) DO UPDATE SET calls = calls + excluded.calls, successes = successes + excluded.successes, errors = errors + excluded.errors, timed = timed + excluded.timed, seconds = round(seconds + excluded.seconds, 6); END;
CREATE TRIGGER agent_minutes_delete AFTER DELETE ON agent_events WHEN coalesce(OLD.event_type IN ('tool_call', 'delegation') AND OLD.tool_name <> 'UserQuery', 0) BEGIN
    UPDATE agent_minutes SET calls = calls - (1), successes = successes - (coalesce(OLD.status IN ('success', 'completed'), 0)), errors = errors - (coalesce(OLD.status = 'error', 0)), timed = timed - (OLD.execution_duration_seconds IS NOT NULL), seconds = round(seconds - (coalesce(OLD.execution_duration_seconds, 0)), 6) WHERE agent_id = OLD.agent_id AND minute = substr(OLD.timestamp, 1, 16) AND true; DELETE FROM agent_minutes WHERE agent_id = OLD.agent_id AND minute = substr(OLD.timestamp, 1, 16) AND calls <= 0; END;

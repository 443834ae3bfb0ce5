-- Usage (tokens, cost) from Claude Code's telemetry (OTLP) and transcripts, joined to the hook events.
-- One row per API request (or API error), whatever reported it: the key is the request id (telemetry request_id =
-- transcript requestId), so the same request from both sources is one row. event_id names the one agent_events row
-- whose token/cost columns count it (the turn, or the delegation of the subagent that made it); NULL while pending;
-- turn_id its turn either way.
CREATE TABLE api_requests (
    request_key           TEXT PRIMARY KEY,
    kind                  TEXT NOT NULL DEFAULT 'request' CHECK (kind IN ('request', 'error')),
    source                TEXT NOT NULL,
    cost_source           TEXT,
    session_id            TEXT NOT NULL,
    prompt_id             TEXT,
    agent_key             TEXT NOT NULL DEFAULT '',
    agent_id              TEXT NOT NULL,
    query_source          TEXT,
    model                 TEXT,
    request_id            TEXT,
    input_tokens          INTEGER NOT NULL DEFAULT 0,
    output_tokens         INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens     INTEGER NOT NULL DEFAULT 0,
    cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd              REAL,
    duration_ms           INTEGER,
    error                 TEXT,
    timestamp             TEXT NOT NULL,
    event_id              TEXT,
    turn_id               TEXT,
    feature_id            TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX idx_api_requests_session ON api_requests(session_id, timestamp);
CREATE INDEX idx_api_requests_event ON api_requests(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX idx_api_requests_turn ON api_requests(turn_id) WHERE turn_id IS NOT NULL;
CREATE INDEX idx_api_requests_pending ON api_requests(session_id, timestamp) WHERE event_id IS NULL;
CREATE INDEX idx_api_requests_pending_prompt ON api_requests(prompt_id) WHERE event_id IS NULL AND prompt_id IS NOT NULL;
-- claude_code.tool_result records (and claude_code.tool spans), kept until and after their tool call's row exists.
CREATE TABLE tool_results (
    session_id  TEXT NOT NULL,
    tool_use_id TEXT NOT NULL,
    success     INTEGER,
    duration_ms INTEGER,
    error       TEXT,
    timestamp   TEXT NOT NULL,
    PRIMARY KEY (session_id, tool_use_id)
) WITHOUT ROWID;
-- claude_code.token.usage / cost.usage data points (either temporality), one row per point: a resent batch adds none.
-- They are a cross-check; totals come from api_requests (see README, "Tokens and cost").
CREATE TABLE otel_metric_points (
    series          TEXT NOT NULL,
    start_unix_nano INTEGER NOT NULL,
    time_unix_nano  INTEGER NOT NULL,
    metric          TEXT NOT NULL,
    temporality     TEXT NOT NULL,
    session_id      TEXT,
    model           TEXT,
    type            TEXT,
    value           REAL NOT NULL,
    PRIMARY KEY (series, start_unix_nano, time_unix_nano)
) WITHOUT ROWID;
CREATE INDEX idx_otel_metric_points_session ON otel_metric_points(session_id) WHERE session_id IS NOT NULL;
-- How far each transcript file has been read: restarts resume, rotation and truncation are detected.
CREATE TABLE transcript_offsets (
    path       TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    agent_key  TEXT NOT NULL DEFAULT '',
    offset     INTEGER NOT NULL,
    file_key   TEXT,
    head_hash  TEXT,
    updated_at TEXT NOT NULL
);
ALTER TABLE agent_events ADD COLUMN cost_source TEXT;
ALTER TABLE agent_events ADD COLUMN api_errors INTEGER;
ALTER TABLE sessions ADD COLUMN active_feature_id TEXT;
CREATE INDEX idx_agent_events_feature ON agent_events(feature_id) WHERE feature_id IS NOT NULL;
UPDATE agent_events SET cost_source = 'spawner'
    WHERE spawner_type IS NOT NULL AND (total_tokens IS NOT NULL OR cost_usd IS NOT NULL);
-- Set when telemetry (tool_result) finished a tool call before its PostToolUse hook: the hook may still complete it.
ALTER TABLE agent_events ADD COLUMN finished_by TEXT;
-- Every token/cost figure exactly once: API requests (telemetry or transcript, attributed or pending) and spawner
-- runs' own reports. Owner rows of agent_events repeat the requests' sums and are deliberately not in this view.
CREATE VIEW usage_records AS
    SELECT session_id, agent_id, coalesce(model, 'unknown') AS model, feature_id, turn_id, event_id, source,
           input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
           input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens AS total_tokens,
           cost_usd, cost_source, timestamp
    FROM api_requests WHERE kind = 'request'
    UNION ALL
    SELECT session_id, agent_id, coalesce(model, 'unknown'), feature_id, NULL, event_id, 'spawner',
           input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, total_tokens,
           cost_usd, 'spawner', timestamp
    FROM agent_events INDEXED BY idx_agent_events_usage
    WHERE (total_tokens IS NOT NULL OR cost_usd IS NOT NULL) AND spawner_type IS NOT NULL;

-- Initial schema: sessions, agents, events, delegations, features, tracks, live events
-- htmlgraph's table and column names where they exist; all times ISO-8601 UTC with milliseconds ('...T..:..:..sssZ').

CREATE TABLE sessions (
    session_id      TEXT PRIMARY KEY,
    agent_assigned  TEXT NOT NULL DEFAULT 'claude-code',
    source_app      TEXT,
    start_commit    TEXT,
    continued_from  TEXT,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    source          TEXT,
    model           TEXT,
    cwd             TEXT,
    transcript_path TEXT,
    permission_mode TEXT,
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    end_reason      TEXT,
    last_event_at   TEXT NOT NULL,
    total_events    INTEGER NOT NULL DEFAULT 0,
    current_turn_id TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX idx_sessions_started ON sessions(started_at DESC);
CREATE INDEX idx_sessions_status_started ON sessions(status, started_at DESC);
CREATE INDEX idx_sessions_status_last_event ON sessions(status, last_event_at);

-- One row per agent at work in a session: the main agent (agent_key '') and each subagent (agent_key = Claude's agent_id).
CREATE TABLE session_agents (
    session_id          TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
    agent_key           TEXT NOT NULL,
    agent_id            TEXT NOT NULL,
    agent_type          TEXT,
    delegation_event_id TEXT,
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped')),
    started_at          TEXT NOT NULL,
    ended_at            TEXT,
    last_event_at       TEXT NOT NULL,
    waiting_since       TEXT,
    waiting_reason      TEXT,
    waiting_message     TEXT,
    PRIMARY KEY (session_id, agent_key)
);
CREATE INDEX idx_session_agents_agent ON session_agents(agent_id);
CREATE INDEX idx_session_agents_waiting ON session_agents(waiting_since) WHERE waiting_since IS NOT NULL;
CREATE INDEX idx_session_agents_delegation ON session_agents(delegation_event_id) WHERE delegation_event_id IS NOT NULL;

-- One row per tool call, prompt (tool_name 'UserQuery'), delegation, spawner run or other hook event.
-- seq is a monotonic change sequence: every insert or update of a row gives it the next value (cursors, live resume).
CREATE TABLE agent_events (
    event_id                   TEXT PRIMARY KEY,
    seq                        INTEGER NOT NULL,
    session_id                 TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
    agent_id                   TEXT NOT NULL,
    agent_type                 TEXT,
    agent_key                  TEXT NOT NULL DEFAULT '',
    source                     TEXT NOT NULL,
    hook_event_name            TEXT NOT NULL,
    event_type                 TEXT NOT NULL,
    tool_name                  TEXT,
    tool_use_id                TEXT,
    prompt_id                  TEXT,
    parent_event_id            TEXT REFERENCES agent_events(event_id) ON DELETE SET NULL,
    subagent_type              TEXT,
    spawner_type               TEXT,
    status                     TEXT NOT NULL,
    model                      TEXT,
    input_summary              TEXT,
    output_summary             TEXT,
    timestamp                  TEXT NOT NULL,
    ended_at                   TEXT,
    execution_duration_seconds REAL,
    input_tokens               INTEGER,
    output_tokens              INTEGER,
    cache_read_tokens          INTEGER,
    cache_creation_tokens      INTEGER,
    total_tokens               INTEGER,
    cost_usd                   REAL,
    feature_id                 TEXT,
    payload                    TEXT,
    payload_hash               TEXT,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_agent_events_seq ON agent_events(seq);
CREATE INDEX idx_agent_events_timestamp ON agent_events(timestamp DESC, seq DESC);
CREATE INDEX idx_agent_events_session_ts ON agent_events(session_id, timestamp DESC, seq DESC);
CREATE INDEX idx_agent_events_agent_ts ON agent_events(agent_id, timestamp DESC, seq DESC);
CREATE INDEX idx_agent_events_parent ON agent_events(parent_event_id);
-- Partial indexes where a route needs only some rows: most events (tool calls) then touch fewer B-trees.
CREATE INDEX idx_agent_events_turns ON agent_events(timestamp DESC) WHERE tool_name = 'UserQuery';
CREATE INDEX idx_agent_events_delegations ON agent_events(timestamp DESC) WHERE event_type = 'delegation';
CREATE INDEX idx_agent_events_spawner ON agent_events(spawner_type, timestamp DESC) WHERE spawner_type IS NOT NULL;
CREATE INDEX idx_agent_events_errors ON agent_events(timestamp DESC) WHERE status = 'error';
CREATE UNIQUE INDEX idx_agent_events_tool_use ON agent_events(session_id, tool_use_id) WHERE tool_use_id IS NOT NULL;
CREATE INDEX idx_agent_events_prompt ON agent_events(prompt_id) WHERE prompt_id IS NOT NULL;
CREATE INDEX idx_agent_events_payload_hash ON agent_events(session_id, payload_hash) WHERE tool_use_id IS NULL;

CREATE TABLE agent_collaboration (
    handoff_id   TEXT PRIMARY KEY,
    from_agent   TEXT NOT NULL,
    to_agent     TEXT NOT NULL,
    timestamp    TEXT NOT NULL,
    feature_id   TEXT,
    session_id   TEXT REFERENCES sessions(session_id) ON DELETE CASCADE,
    handoff_type TEXT CHECK (handoff_type IN ('delegation', 'parallel', 'sequential', 'fallback')),
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'accepted', 'rejected', 'completed', 'failed')),
    reason       TEXT,
    context      TEXT,
    result       TEXT
);
CREATE INDEX idx_collaboration_session ON agent_collaboration(session_id, timestamp DESC);
CREATE INDEX idx_collaboration_timestamp ON agent_collaboration(timestamp DESC);
CREATE INDEX idx_collaboration_agents ON agent_collaboration(from_agent, to_agent);

CREATE TABLE tracks (
    track_id     TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT,
    priority     TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    status       TEXT NOT NULL DEFAULT 'todo'
                 CHECK (status IN ('todo', 'in_progress', 'blocked', 'done', 'cancelled')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    completed_at TEXT
);

CREATE TABLE features (
    id                TEXT PRIMARY KEY,
    type              TEXT NOT NULL DEFAULT 'feature'
                      CHECK (type IN ('feature', 'bug', 'spike', 'chore', 'epic', 'task')),
    title             TEXT NOT NULL,
    description       TEXT,
    status            TEXT NOT NULL DEFAULT 'todo'
                      CHECK (status IN ('todo', 'in_progress', 'blocked', 'done', 'cancelled')),
    priority          TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    assigned_to       TEXT,
    track_id          TEXT REFERENCES tracks(track_id) ON DELETE SET NULL,
    parent_feature_id TEXT REFERENCES features(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    completed_at      TEXT
);
CREATE INDEX idx_features_status ON features(status, created_at DESC);

-- The stream of spawner events as received (one row each); the run they belong to is a row of agent_events.
CREATE TABLE live_events (
    live_event_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    event_type      TEXT NOT NULL,
    spawner_type    TEXT NOT NULL,
    run_event_id    TEXT NOT NULL REFERENCES agent_events(event_id) ON DELETE CASCADE,
    parent_event_id TEXT,
    session_id      TEXT NOT NULL,
    timestamp       TEXT NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX idx_live_events_run ON live_events(run_event_id);
CREATE INDEX idx_live_events_session ON live_events(session_id, timestamp DESC);

-- The event time indexes end with the row's id, not its change sequence; event pages are keyed by time and event id
-- seq changes whenever a row changes (a call finishing, its cost arriving): every such update moved the row's entry
-- in these three indexes, and a page cursor holding (timestamp, seq) could skip a call that finished between two
-- page reads. Every index entry carries the rowid already, so an index on the time alone orders ties by row and
-- serves ORDER BY timestamp DESC, event_row DESC without a sort (QueryPlanTest). About a tenth of the writer's time
-- per row in batch ingest (docs/performance.md). The view gains the row's id under a name a view can order by.
DROP INDEX idx_agent_events_timestamp;
CREATE INDEX idx_agent_events_timestamp ON agent_events(timestamp);
DROP INDEX idx_agent_events_session_ts;
CREATE INDEX idx_agent_events_session_ts ON agent_events(session_id, timestamp);
DROP INDEX idx_agent_events_agent_ts;
CREATE INDEX idx_agent_events_agent_ts ON agent_events(agent_id, timestamp);
DROP VIEW event_answers;
CREATE VIEW event_answers AS
SELECT event_id, seq, session_id, agent_id, agent_type, source, hook_event_name, event_type, tool_name, tool_use_id,
       prompt_id, parent_event_id, subagent_type, spawner_type, status, model, input_summary, output_summary,
       timestamp, ended_at, execution_duration_seconds, input_tokens, output_tokens, cache_read_tokens,
       cache_creation_tokens, total_tokens, cost_usd, cost_source, feature_id, api_errors, rowid AS event_row
FROM agent_events;

-- Event answers read only what they show: a view of agent_events without the stored payload and bookkeeping
-- /api/events, the complete activity feed and the live stream map each row to the same event answer, which has no
-- payload; SELECT * read every row's payload (up to HTMLGRAPH_PAYLOAD_MAX_BYTES, tens of KB for a PostToolUse with
-- its tool's output) and dropped it. A view of plain columns is flattened into the statement that reads it, so the
-- index plans stay those of agent_events (QueryPlanTest).
CREATE VIEW event_answers AS
SELECT event_id, seq, session_id, agent_id, agent_type, source, hook_event_name, event_type, tool_name, tool_use_id,
       prompt_id, parent_event_id, subagent_type, spawner_type, status, model, input_summary, output_summary,
       timestamp, ended_at, execution_duration_seconds, input_tokens, output_tokens, cache_read_tokens,
       cache_creation_tokens, total_tokens, cost_usd, cost_source, feature_id, api_errors
FROM agent_events;

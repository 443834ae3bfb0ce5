-- Token and cost records are a small share of all events: a partial index lets the metrics collector sum them alone.
CREATE INDEX idx_agent_events_usage ON agent_events(agent_id, model)
    WHERE total_tokens IS NOT NULL OR cost_usd IS NOT NULL;
-- Failed events per agent, counted from the index alone.
CREATE INDEX idx_agent_events_agent_errors ON agent_events(agent_id) WHERE status = 'error';

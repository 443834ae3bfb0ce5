-- Token and cost records are a small share of all events: a partial index lets the metrics collector sum them alone.
CREATE INDEX idx_agent_events_usage ON agent_events(agent_id, model)
    WHERE total_tokens IS NOT NULL OR cost_usd IS NOT NULL;

-- Dashboard: sessions per agent from an index in (agent, session) order, so the Agents view counts them in one pass
CREATE INDEX idx_session_agents_agent_session ON session_agents(agent_id, session_id, last_event_at);

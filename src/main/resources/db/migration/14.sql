-- The delegations' index also holds each delegation's id and status: /api/orchestration reads them from the index
-- collaboration-page looks up the status of each of its 1,000 handoffs among the delegations at the handoff's time:
-- with the id and the status in this partial index the look-up never reads the event row (one random table page per
-- handoff, half of the route's CPU on the 1M store; README, Performance). Only delegation rows have an entry, and a
-- delegation's status changes once or twice: the writer's extra cost is that entry's update.
DROP INDEX idx_agent_events_delegations;
CREATE INDEX idx_agent_events_delegations ON agent_events(timestamp DESC, event_id, status)
    WHERE event_type = 'delegation';

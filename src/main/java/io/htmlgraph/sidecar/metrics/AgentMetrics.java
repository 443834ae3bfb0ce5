package io.htmlgraph.sidecar.metrics;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.prometheus.metrics.model.snapshots.Labels;

/**
 * Agent families, read from the latest {@link Snapshot}; agents beyond the top N are summed as {@code other}.
 * Nothing is exported before the first refresh (rather than zeros that never were).
 * <pre>
 * htmlgraph_agents_known 4.0
 * htmlgraph_agents_active 2.0
 * htmlgraph_agents_waiting 1.0
 * htmlgraph_agent_events{agent="claude-code"} 42.0
 * htmlgraph_agent_errors{agent="claude-code"} 3.0
 * htmlgraph_agent_tokens{agent="gemini",type="input"} 9000.0
 * htmlgraph_agent_cost_usd{agent="gemini"} 0.0744
 * htmlgraph_agent_sessions{agent="Explore"} 3.0
 * htmlgraph_agent_last_active_timestamp_seconds{agent="claude-code"} 1.7959E9
 * htmlgraph_agent_workload_ratio{agent="claude-code"} 0.81
 * </pre>
 */
final class AgentMetrics extends SnapshotFamilies {
    static final String TOKENS_HELP = " by type (input, output, cache_read, cache_creation; unspecified: tokens a"
                                      + " source reported without saying which kind)";

    AgentMetrics(Supplier<Snapshot> latest) {
        super(latest);
    }

    @Override
    Gauges families(Snapshot s, Gauges gauges) {
        List<Snapshot.Agent> agents = s.agents();
        return gauges
                .add("htmlgraph_agents_known", "Agents seen: the main agent, subagent types and spawner types",
                     s.knownAgents())
                .add("htmlgraph_agents_active", "Known agents with an event within the idle time"
                     + " (HTMLGRAPH_IDLE_AFTER)", s.activeAgents())
                .add("htmlgraph_agents_waiting", "Agents of active sessions waiting for a human (permission or input)",
                     s.waitingAgents())
                .add("htmlgraph_agent_events", "Events stored per agent", agents, AgentMetrics::labels,
                     Snapshot.Agent::events)
                .add("htmlgraph_agent_errors", "Events of each agent that ended in error (tool calls, turns, runs)",
                     agents, AgentMetrics::labels, Snapshot.Agent::errors)
                .add("htmlgraph_agent_tokens", "Tokens used per agent" + TOKENS_HELP,
                     agents.stream().flatMap(a -> a.tokens().byType().entrySet().stream()
                             .map(t -> Map.entry(labels(a).add("type", t.getKey()), t.getValue()))).toList(),
                     Map.Entry::getKey, Map.Entry::getValue)
                .add("htmlgraph_agent_cost_usd", "Cost per agent in US dollars, as its sources reported it", agents,
                     AgentMetrics::labels, Snapshot.Agent::costUsd)
                .add("htmlgraph_agent_sessions", "Sessions each agent worked in", agents, AgentMetrics::labels,
                     Snapshot.Agent::sessions)
                .add("htmlgraph_agent_last_active_timestamp_seconds", "Time of each agent's latest event (Unix time)",
                     agents.stream().filter(a -> a.lastActive() != null).toList(), AgentMetrics::labels,
                     a -> a.lastActive().toEpochMilli() / 1000.0)
                .add("htmlgraph_agent_workload_ratio", "Each agent's share of all stored events (0..1)", agents,
                     AgentMetrics::labels, Snapshot.Agent::workloadRatio);
    }

    private static Labels labels(Snapshot.Agent agent) {
        return Labels.of("agent", agent.name());
    }
}

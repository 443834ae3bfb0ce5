package io.htmlgraph.sidecar.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * Agent families, read from the latest {@link Snapshot}; agents beyond the top N are summed as {@code other}.
 * <pre>
 * htmlgraph_agents_known 4.0
 * htmlgraph_agents_active 2.0
 * htmlgraph_agents_waiting 1.0
 * htmlgraph_agent_events{agent="claude-code"} 42.0
 * htmlgraph_agent_errors{agent="claude-code"} 3.0
 * htmlgraph_agent_tokens{agent="gemini",type="input"} 9000.0
 * htmlgraph_agent_cost_usd{agent="gemini"} 0.0744
 * htmlgraph_agent_sessions{agent="Explore"} 3.0
 * htmlgraph_agent_last_active_timestamp_seconds{agent="claude-code"} 1.7959e9
 * htmlgraph_agent_workload_ratio{agent="claude-code"} 0.81
 * </pre>
 */
final class AgentMetrics {
    static final String KNOWN = "htmlgraph.agents.known";
    static final String ACTIVE = "htmlgraph.agents.active";
    static final String WAITING = "htmlgraph.agents.waiting";
    static final String EVENTS = "htmlgraph.agent.events";
    static final String ERRORS = "htmlgraph.agent.errors";
    static final String TOKENS = "htmlgraph.agent.tokens";
    static final String COST = "htmlgraph.agent.cost";
    static final String SESSIONS = "htmlgraph.agent.sessions";
    static final String LAST_ACTIVE = "htmlgraph.agent.last.active.timestamp";
    static final String WORKLOAD = "htmlgraph.agent.workload.ratio";

    private final MultiGauge events;
    private final MultiGauge errors;
    private final MultiGauge tokens;
    private final MultiGauge cost;
    private final MultiGauge sessions;
    private final MultiGauge lastActive;
    private final MultiGauge workload;

    AgentMetrics(MeterRegistry registry, AtomicReference<Snapshot> latest) {
        Gauge.builder(KNOWN, latest, s -> s.get().knownAgents())
                .description("Agents seen: the main agent, subagent types and spawner types").register(registry);
        Gauge.builder(ACTIVE, latest, s -> s.get().activeAgents())
                .description("Known agents with an event within the idle time (HTMLGRAPH_IDLE_AFTER)")
                .register(registry);
        Gauge.builder(WAITING, latest, s -> s.get().waitingAgents())
                .description("Agents of active sessions waiting for a human (permission or input)").register(registry);
        events = Families.gauge(registry, EVENTS, "Events stored per agent", null);
        errors = Families.gauge(registry, ERRORS, "Events of each agent that ended in error (tool calls, turns, runs)",
                                null);
        tokens = Families.gauge(registry, TOKENS, "Tokens used per agent by type "
                + "(input, output, cache_read, cache_creation; unspecified when a source gave only a total)", null);
        cost = Families.gauge(registry, COST, "Cost per agent in US dollars, as its sources reported it", "usd");
        sessions = Families.gauge(registry, SESSIONS, "Sessions each agent worked in", null);
        lastActive = Families.gauge(registry, LAST_ACTIVE, "Time of each agent's latest event (Unix time)",
                                    "seconds");
        workload = Families.gauge(registry, WORKLOAD, "Each agent's share of all stored events (0..1)", null);
    }

    void publish(Snapshot snapshot) {
        List<Snapshot.Agent> agents = snapshot.agents();
        Families.set(events, agents, AgentMetrics::labels, Snapshot.Agent::events);
        Families.set(errors, agents, AgentMetrics::labels, Snapshot.Agent::errors);
        Families.set(sessions, agents, AgentMetrics::labels, Snapshot.Agent::sessions);
        Families.set(cost, agents, AgentMetrics::labels, Snapshot.Agent::costUsd);
        Families.set(workload, agents, AgentMetrics::labels, Snapshot.Agent::workloadRatio);
        Families.set(lastActive, agents.stream().filter(a -> a.lastActive() != null).toList(), AgentMetrics::labels,
                     a -> a.lastActive().toEpochMilli() / 1000.0);
        Families.set(tokens, agents.stream().flatMap(a -> a.tokens().byType().entrySet().stream()
                        .map(t -> Map.entry(labels(a).and("type", t.getKey()), t.getValue()))).toList(),
                     Map.Entry::getKey, Map.Entry::getValue);
    }

    private static Tags labels(Snapshot.Agent agent) {
        return Tags.of("agent", agent.name());
    }
}

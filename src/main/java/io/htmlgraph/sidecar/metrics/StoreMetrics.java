package io.htmlgraph.sidecar.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.htmlgraph.sidecar.domain.EventStatus;
import io.htmlgraph.sidecar.domain.FeatureStatus;
import io.htmlgraph.sidecar.domain.SessionStatus;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * What the store holds, by kind: tokens and cost by model and by tool, sessions by state, features by status,
 * events by type, turns by status.
 * <pre>
 * htmlgraph_model_tokens{model="gemini-2.5-pro",type="input"} 9000.0
 * htmlgraph_model_cost_usd{model="gemini-2.5-pro"} 0.0744
 * htmlgraph_tool_cost_usd{tool="Bash"} 0.2575
 * htmlgraph_sessions{status="active"} 1.0
 * htmlgraph_features{status="in_progress"} 2.0
 * htmlgraph_stored_events{type="tool_call"} 30.0
 * htmlgraph_turns{status="interrupted"} 1.0
 * </pre>
 */
final class StoreMetrics extends SnapshotFamilies {
    StoreMetrics(Supplier<Snapshot> latest) {
        super(latest);
    }

    @Override
    Gauges families(Snapshot s, Gauges gauges) {
        List<Snapshot.Model> models = s.models();
        Map<String, Long> sessions = new LinkedHashMap<>();
        sessions.put(SessionStatus.ACTIVE.value(), s.sessions().active());
        sessions.put(SessionStatus.IDLE.value(), s.sessions().idle());
        sessions.put(SessionStatus.ENDED.value(), s.sessions().ended());
        Map<String, Long> features = new LinkedHashMap<>();
        // every status, so that one without features reads 0 rather than nothing
        for (FeatureStatus status : FeatureStatus.values()) {
            features.put(status.value(), s.features().getOrDefault(status.value(), 0L));
        }
        Map<String, Long> turns = new LinkedHashMap<>();
        for (EventStatus status : List.of(EventStatus.STARTED, EventStatus.COMPLETED, EventStatus.ERROR,
                                          EventStatus.INTERRUPTED)) {
            turns.put(status.value(), s.turns().getOrDefault(status.value(), 0L));
        }
        return gauges
                .add("htmlgraph_model_tokens", "Tokens used per model" + AgentMetrics.TOKENS_HELP,
                     models.stream().flatMap(m -> m.tokens().byType().entrySet().stream()
                             .map(t -> Map.entry(Labels.of("model", m.name(), "type", t.getKey()), t.getValue())))
                             .toList(),
                     Map.Entry::getKey, Map.Entry::getValue)
                .add("htmlgraph_model_cost_usd", "Cost per model in US dollars", models,
                     m -> Labels.of("model", m.name()), Snapshot.Model::costUsd)
                .add("htmlgraph_tool_calls_costed", "Tool calls whose API request is known (from transcripts), per"
                     + " tool", s.tools(), t -> Labels.of("tool", t.name()), Snapshot.Tool::calls)
                .add("htmlgraph_tool_tokens", "Tokens per tool: each call's share of the API request that asked for"
                     + " it", s.tools(), t -> Labels.of("tool", t.name()), t -> Math.round(t.tokens()))
                .add("htmlgraph_tool_cost_usd", "Cost per tool in US dollars: each call's share of the API request"
                     + " that asked for it", s.tools(), t -> Labels.of("tool", t.name()), Snapshot.Tool::costUsd)
                .add("htmlgraph_sessions", "Sessions by state: active, idle (no event within HTMLGRAPH_IDLE_AFTER)"
                     + " or ended", sessions.entrySet(), e -> Labels.of("status", e.getKey()), Map.Entry::getValue)
                .add("htmlgraph_features", "Features (work items) by status", features.entrySet(),
                     e -> Labels.of("status", e.getKey()), Map.Entry::getValue)
                .add("htmlgraph_stored_events", "Stored events by type (tool_call, delegation, start, end, …)",
                     s.eventsByType().entrySet(), e -> Labels.of("type", e.getKey()), Map.Entry::getValue)
                .add("htmlgraph_turns", "Stored turns (prompts) by status; interrupted: no Stop came before the next"
                     + " prompt or within HTMLGRAPH_IDLE_AFTER", turns.entrySet(), e -> Labels.of("status", e.getKey()),
                     Map.Entry::getValue);
    }
}

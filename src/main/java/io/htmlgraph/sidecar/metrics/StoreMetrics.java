package io.htmlgraph.sidecar.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * What the store holds, by kind: tokens and cost by model, sessions by state, features by status, events by type.
 * <pre>
 * htmlgraph_model_tokens{model="gemini-2.5-pro",type="input"} 9000.0
 * htmlgraph_model_cost_usd{model="gemini-2.5-pro"} 0.0744
 * htmlgraph_sessions{status="active"} 1.0
 * htmlgraph_features{status="in_progress"} 2.0
 * htmlgraph_events{type="tool_call"} 30.0
 * </pre>
 */
final class StoreMetrics {
    static final String MODEL_TOKENS = "htmlgraph.model.tokens";
    static final String MODEL_COST = "htmlgraph.model.cost";
    static final String SESSIONS = "htmlgraph.sessions";
    static final String FEATURES = "htmlgraph.features";
    static final String EVENTS = "htmlgraph.events";
    /** Every feature status, so that a status with no features reads 0 rather than nothing. */
    private static final List<String> FEATURE_STATUSES = List.of("todo", "in_progress", "blocked", "done",
                                                                 "cancelled");

    private final MultiGauge modelTokens;
    private final MultiGauge modelCost;
    private final MultiGauge sessions;
    private final MultiGauge features;
    private final MultiGauge events;

    StoreMetrics(MeterRegistry registry) {
        modelTokens = Families.gauge(registry, MODEL_TOKENS, "Tokens used per model by type "
                + "(input, output, cache_read, cache_creation; unspecified when a source gave only a total)", null);
        modelCost = Families.gauge(registry, MODEL_COST, "Cost per model in US dollars", "usd");
        sessions = Families.gauge(registry, SESSIONS, "Sessions by state: active, idle (no event within "
                + "HTMLGRAPH_IDLE_AFTER) or ended", null);
        features = Families.gauge(registry, FEATURES, "Features (work items) by status", null);
        events = Families.gauge(registry, EVENTS, "Stored events by type (tool_call, delegation, start, end, …)",
                                null);
    }

    void publish(Snapshot snapshot) {
        List<Snapshot.Model> models = snapshot.models();
        Families.set(modelTokens, models.stream().flatMap(m -> m.tokens().byType().entrySet().stream()
                        .map(t -> Map.entry(Tags.of("model", m.name(), "type", t.getKey()), t.getValue()))).toList(),
                     Map.Entry::getKey, Map.Entry::getValue);
        Families.set(modelCost, models, m -> Tags.of("model", m.name()), Snapshot.Model::costUsd);
        Map<String, Long> byState = Map.of("active", snapshot.sessions().active(), "idle", snapshot.sessions().idle(),
                                           "ended", snapshot.sessions().ended());
        Families.set(sessions, byState.entrySet(), e -> Tags.of("status", e.getKey()), Map.Entry::getValue);
        Map<String, Long> byStatus = new TreeMap<>(snapshot.features());
        FEATURE_STATUSES.forEach(status -> byStatus.putIfAbsent(status, 0L));
        Families.set(features, byStatus.entrySet(), e -> Tags.of("status", e.getKey()), Map.Entry::getValue);
        Families.set(events, snapshot.eventsByType().entrySet(), e -> Tags.of("type", e.getKey()),
                     Map.Entry::getValue);
    }
}

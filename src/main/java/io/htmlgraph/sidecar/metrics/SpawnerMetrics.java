package io.htmlgraph.sidecar.metrics;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * Spawner families (headless gemini, codex, copilot … runs), the figures of {@code /api/spawner-statistics}:
 * <pre>
 * htmlgraph_spawner_delegations{spawner_type="gemini"} 2.0
 * htmlgraph_spawner_successes{spawner_type="gemini"} 2.0
 * htmlgraph_spawner_success_ratio{spawner_type="gemini"} 1.0
 * htmlgraph_spawner_average_duration_seconds{spawner_type="gemini"} 30.0
 * htmlgraph_spawner_tokens{spawner_type="gemini"} 62000.0
 * htmlgraph_spawner_cost_usd{spawner_type="gemini"} 0.093
 * </pre>
 */
final class SpawnerMetrics {
    static final String DELEGATIONS = "htmlgraph.spawner.delegations";
    static final String SUCCESSES = "htmlgraph.spawner.successes";
    static final String SUCCESS_RATIO = "htmlgraph.spawner.success.ratio";
    static final String DURATION = "htmlgraph.spawner.average.duration";
    static final String TOKENS = "htmlgraph.spawner.tokens";
    static final String COST = "htmlgraph.spawner.cost";

    private final MultiGauge delegations;
    private final MultiGauge successes;
    private final MultiGauge successRatio;
    private final MultiGauge duration;
    private final MultiGauge tokens;
    private final MultiGauge cost;

    SpawnerMetrics(MeterRegistry registry) {
        delegations = Families.gauge(registry, DELEGATIONS, "Runs delegated to each spawner type", null);
        successes = Families.gauge(registry, SUCCESSES, "Spawner runs that succeeded", null);
        successRatio = Families.gauge(registry, SUCCESS_RATIO, "Succeeded runs / all runs per spawner type (0..1)",
                                      null);
        duration = Families.gauge(registry, DURATION, "Average duration of finished spawner runs", "seconds");
        tokens = Families.gauge(registry, TOKENS, "Tokens the spawner runs reported", null);
        cost = Families.gauge(registry, COST, "Cost the spawner runs reported in US dollars", "usd");
    }

    void publish(Snapshot snapshot) {
        List<Snapshot.Spawner> spawners = snapshot.spawners();
        Families.set(delegations, spawners, SpawnerMetrics::labels, Snapshot.Spawner::delegations);
        Families.set(successes, spawners, SpawnerMetrics::labels, Snapshot.Spawner::successes);
        Families.set(successRatio, spawners, SpawnerMetrics::labels,
                     s -> s.delegations() == 0 ? 0 : (double) s.successes() / s.delegations());
        Families.set(duration, spawners.stream().filter(s -> s.averageDurationSeconds() != null).toList(),
                     SpawnerMetrics::labels, Snapshot.Spawner::averageDurationSeconds);
        Families.set(tokens, spawners, SpawnerMetrics::labels, Snapshot.Spawner::tokens);
        Families.set(cost, spawners, SpawnerMetrics::labels, Snapshot.Spawner::costUsd);
    }

    private static Tags labels(Snapshot.Spawner spawner) {
        return Tags.of("spawner_type", spawner.type());
    }
}
